"""Turns the snapshot's dataclasses into plain JSON data and back, checking types on the way in."""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import lru_cache
from typing import Any, TypeVar, Union

from whygpu.facts import Unavailable

T = TypeVar("T")


class SchemaError(ValueError):
    """The data does not have the shape the dataclass declares; the message names the path."""


def to_data(obj: Any) -> Any:
    """Dataclasses become dicts (``Unavailable`` as ``{"unavailable": ..., "probe": ...}``)."""
    if isinstance(obj, Unavailable):
        return {"unavailable": obj.reason, "probe": obj.probe}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_data(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [to_data(item) for item in obj]
    if isinstance(obj, dict):
        return {str(key): to_data(value) for key, value in obj.items()}
    return obj


# ``X | Y`` as a runtime type exists from Python 3.10; the self-contained collector runs on 3.8.
_UNION_TYPES: tuple[Any, ...] = (Union, getattr(types, "UnionType", Union))


def annotation_names(cls: type) -> dict[str, Any] | None:
    """The names ``cls``'s annotations use that its module imports only when they are needed.

    A dataclass whose field types come from a module a plain run need not load (``Snapshot.deep``
    names the ``--deep`` types of ``whygpu.probes``) imports them under ``TYPE_CHECKING`` and
    gives them here through a static ``_annotation_names()``; None when it has none. Pass it as
    ``localns`` to ``typing.get_type_hints``.
    """
    provider = getattr(cls, "_annotation_names", None)
    if provider is None:
        return None
    names: dict[str, Any] = provider()
    return names


@lru_cache(maxsize=None)  # noqa: UP033 - functools.cache is Python 3.9+, and the collector runs on 3.8
def _hints(cls: type) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls, localns=annotation_names(cls))
    except TypeError:
        # Before Python 3.10 (3.9 for ``list[int]``) the lazy annotations ``str | None`` and
        # ``list[str]`` cannot be evaluated; read them as ``Optional[str]`` and ``List[str]``.
        return _old_python_hints(cls)


def _old_python_hints(cls: type) -> dict[str, Any]:
    """Type hints of a dataclass whose annotations use ``X | Y`` and ``list[...]``, evaluated on Python 3.8/3.9."""
    import ast
    import sys

    generic = {"list": "List", "dict": "Dict", "tuple": "Tuple", "set": "Set", "frozenset": "FrozenSet", "type": "Type"}

    class _Rewrite(ast.NodeTransformer):
        def visit_BinOp(self, node: ast.BinOp) -> Any:
            self.generic_visit(node)
            if isinstance(node.op, ast.BitOr):
                members = ast.Tuple(elts=[node.left, node.right], ctx=ast.Load())
                return ast.Subscript(value=ast.Name(id="__Union", ctx=ast.Load()), slice=ast.Index(value=members),  # type: ignore[attr-defined,unused-ignore]
                                     ctx=ast.Load())
            return node

        def visit_Subscript(self, node: ast.Subscript) -> Any:
            self.generic_visit(node)
            if isinstance(node.value, ast.Name) and node.value.id in generic:
                node.value = ast.Name(id="__typing_" + generic[node.value.id], ctx=ast.Load())
            return node

    hints: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        namespace = dict(vars(sys.modules[klass.__module__]))
        namespace.update(annotation_names(cls) or {})
        namespace["__Union"] = Union
        namespace.update({"__typing_" + name: getattr(typing, name) for name in generic.values()})
        for name, annotation in vars(klass).get("__annotations__", {}).items():
            if isinstance(annotation, str):
                tree = ast.fix_missing_locations(_Rewrite().visit(ast.parse(annotation, mode="eval")))
                annotation = eval(compile(tree, "<annotation>", "eval"), namespace)
            hints[name] = annotation
    return hints


def from_data(cls: type[T], data: Any, path: str = "$") -> T:
    """Build ``cls`` from plain data, raising ``SchemaError`` with the JSON path on a mismatch."""
    return typing.cast(T, _convert(cls, data, path))


def _convert(tp: Any, data: Any, path: str) -> Any:
    origin = typing.get_origin(tp)
    if tp is Any:
        return data
    if origin in _UNION_TYPES:
        options = typing.get_args(tp)
        if data is None and type(None) in options:
            return None
        if isinstance(data, dict) and "unavailable" in data and Unavailable in options:
            reason, probe = data.get("unavailable"), data.get("probe", "")
            if not isinstance(reason, str) or not isinstance(probe, str):
                raise SchemaError(f"{path}: \"unavailable\" and \"probe\" must be strings")
            return Unavailable(reason, probe)
        errors = []
        for option in options:
            if option is type(None) or option is Unavailable:
                continue
            try:
                return _convert(option, data, path)
            except SchemaError as exc:
                errors.append(str(exc))
        raise SchemaError(errors[0] if errors else f"{path}: unexpected value {data!r}")
    if origin is typing.Literal:
        if data not in typing.get_args(tp):
            raise SchemaError(f"{path}: expected one of {typing.get_args(tp)}, got {data!r}")
        return data
    if origin in (list, tuple):
        if not isinstance(data, list):
            raise SchemaError(f"{path}: expected a list, got {type(data).__name__}")
        (item_type, *_rest) = typing.get_args(tp) or (Any,)
        items = [_convert(item_type, item, f"{path}[{i}]") for i, item in enumerate(data)]
        return tuple(items) if origin is tuple else items
    if origin is dict:
        if not isinstance(data, dict):
            raise SchemaError(f"{path}: expected an object, got {type(data).__name__}")
        _key_type, value_type = typing.get_args(tp) or (str, Any)
        return {str(k): _convert(value_type, v, f"{path}.{k}") for k, v in data.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(data, dict):
            raise SchemaError(f"{path}: expected an object, got {type(data).__name__}")
        hints = _hints(tp)
        kwargs = {}
        for field in dataclasses.fields(tp):
            if field.name in data:
                kwargs[field.name] = _convert(hints[field.name], data[field.name], f"{path}.{field.name}")
            elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
                raise SchemaError(f"{path}: missing field {field.name!r}")
        return tp(**kwargs)
    if tp is float:
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            raise SchemaError(f"{path}: expected a number, got {data!r}")
        return float(data)
    if tp in (str, int, bool):
        if not isinstance(data, tp) or (tp is int and isinstance(data, bool)):
            raise SchemaError(f"{path}: expected {tp.__name__}, got {data!r}")
        return data
    if tp is type(None):
        if data is not None:
            raise SchemaError(f"{path}: expected null, got {data!r}")
        return None
    raise SchemaError(f"{path}: cannot read type {tp!r}")
