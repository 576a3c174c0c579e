"""Turns the snapshot's dataclasses into plain JSON data and back, checking types on the way in."""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache
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


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_data(cls: type[T], data: Any, path: str = "$") -> T:
    """Build ``cls`` from plain data, raising ``SchemaError`` with the JSON path on a mismatch."""
    return typing.cast(T, _convert(cls, data, path))


def _convert(tp: Any, data: Any, path: str) -> Any:
    origin = typing.get_origin(tp)
    if tp is Any:
        return data
    if origin in (Union, types.UnionType):
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
