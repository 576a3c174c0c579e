"""Declares whygpu's record classes: standard dataclasses whose methods are shared closures rather than code compiled per class.

``@record`` (and ``@record(frozen=True)``) is ``@dataclass`` (and ``@dataclass(frozen=True)``) for
every reader: ``dataclasses.fields``, ``replace``, ``asdict`` and ``is_dataclass`` work, and the
instances construct, compare, hash, print and refuse assignment exactly as a dataclass's do. The
difference is the cost of defining a class: before Python 3.13, ``dataclasses`` writes each class's
``__init__``, ``__repr__``, ``__eq__`` (and for a frozen class ``__setattr__``, ``__delattr__`` and
``__hash__``) as source text and compiles it, about a millisecond per class, so the forty records a
diagnosis defines cost more than the diagnosis. Here ``dataclasses`` only gathers the fields
(``init=False, repr=False, eq=False``) and the methods are closures over each class's field names.
Type checkers see ``dataclasses.dataclass`` itself. ``__dataclass_params__`` describes only what
``dataclasses`` generated (nothing) and is not read by whygpu. Runs on Python 3.8 (the collector).
"""

from __future__ import annotations

import dataclasses
from _thread import get_ident

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from dataclasses import dataclass as record
    from typing import Any
else:

    def record(cls=None, /, *, frozen=False):
        """``@dataclass`` / ``@dataclass(frozen=True)`` with shared methods (see the module's docstring)."""
        if cls is None:
            return lambda c: _make_record(c, frozen)
        return _make_record(cls, frozen)


__all__ = ["record"]

_MISSING = dataclasses.MISSING


def _make_record(cls: type, frozen: bool) -> type:
    """Turn ``cls`` into a dataclass with ``dataclasses``' fields and whygpu's shared methods."""
    body = cls.__dict__
    explicit_hash = "__hash__" in body and not (body["__hash__"] is None and "__eq__" in body)
    if frozen and ("__setattr__" in body or "__delattr__" in body):
        raise TypeError(f"Cannot overwrite attribute __setattr__/__delattr__ in class {cls.__name__}")
    defines = {name for name in ("__init__", "__repr__", "__eq__") if name in body}
    dataclasses.dataclass(cls, init=False, repr=False, eq=False)
    fields = dataclasses.fields(cls)
    methods: dict[str, Any] = {}
    if "__init__" not in defines:
        methods["__init__"] = _init(cls, fields, frozen)
    if "__repr__" not in defines:
        methods["__repr__"] = _repr(tuple(f.name for f in fields if f.repr))
    if "__eq__" not in defines:
        methods["__eq__"] = _eq(tuple(f.name for f in fields if f.compare))
    if not explicit_hash:
        # As dataclass(eq=True): frozen records hash by their compared fields, others are unhashable.
        hashed = tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash))
        methods["__hash__"] = _hash(hashed) if frozen else None
    if frozen:
        names = frozenset(f.name for f in fields)
        methods["__setattr__"] = _frozen_setattr(cls, names)
        methods["__delattr__"] = _frozen_delattr(cls, names)
    for name, method in methods.items():
        setattr(cls, name, method)
    return cls


def _values(names: tuple[str, ...]) -> Callable[[object], tuple[Any, ...]]:
    """A function giving an object's attributes ``names`` as a tuple."""

    def values(obj: object) -> tuple[Any, ...]:
        return tuple([getattr(obj, name) for name in names])

    return values


def _init(cls: type, fields: tuple[dataclasses.Field[Any], ...], frozen: bool) -> Callable[..., None]:
    """The dataclass ``__init__`` of ``cls``: positional or keyword fields, defaults, factories, ``__post_init__``."""
    qualname = cls.__qualname__
    params: tuple[tuple[str, Any, Any], ...] = tuple((f.name, f.default, f.default_factory) for f in fields if f.init)
    names = tuple(name for name, _default, _factory in params)
    known = frozenset(names)
    required = tuple(name for name, default, factory in params if default is _MISSING and factory is _MISSING)
    unset: tuple[tuple[str, Any, Any], ...] = tuple((f.name, f.default, f.default_factory) for f in fields
                  if not f.init and (f.default is not _MISSING or f.default_factory is not _MISSING))
    # Fields are written into the instance's __dict__ at once, as a compiled __init__'s assignments
    # would: unless some class on the way defines its own __setattr__ (a frozen record's is skipped,
    # as dataclasses skips it with object.__setattr__).
    plain = all("__setattr__" not in vars(base) for base in cls.__mro__[:-1])
    post_init = hasattr(cls, "__post_init__")

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if args:
            if len(args) > len(names):
                raise TypeError(f"{qualname}.__init__() {_too_many(len(required), len(names), len(args))}")
            for name in names[:len(args)]:
                if name in kwargs:
                    raise TypeError(f"{qualname}.__init__() got multiple values for argument {name!r}")
            kwargs.update(zip(names, args))  # noqa: B905 (Python 3.8: no strict=; args is checked above)
        if not known.issuperset(kwargs):
            unknown = next(name for name in kwargs if name not in known)
            raise TypeError(f"{qualname}.__init__() got an unexpected keyword argument {unknown!r}")
        values = {}
        for name, default, factory in params:
            if name in kwargs:
                values[name] = kwargs[name]
            elif default is not _MISSING:
                values[name] = default
            elif factory is not _MISSING:
                values[name] = factory()
            else:
                missing = [name for name in required if name not in kwargs]
                raise TypeError(f"{qualname}.__init__() {_missing(missing)}")
        for name, default, factory in unset:
            values[name] = factory() if default is _MISSING else default
        if plain or frozen:
            self.__dict__.update(values)
        else:
            for name, value in values.items():
                setattr(self, name, value)
        if post_init:
            self.__post_init__()

    __init__.__qualname__ = f"{qualname}.__init__"
    return __init__


def _too_many(required: int, allowed: int, given: int) -> str:
    """Python's own words for too many positional arguments (``self`` counted, as a compiled ``__init__`` says)."""
    takes = f"{allowed + 1}" if required == allowed else f"from {required + 1} to {allowed + 1}"
    plural = "argument" if allowed == 0 else "arguments"
    return f"takes {takes} positional {plural} but {given + 1} were given"


def _missing(names: list[str]) -> str:
    """Python's own words for missing required arguments."""
    quoted = [repr(name) for name in names]
    if len(quoted) == 1:
        listed = quoted[0]
    elif len(quoted) == 2:
        listed = f"{quoted[0]} and {quoted[1]}"
    else:
        listed = ", ".join(quoted[:-1]) + f", and {quoted[-1]}"
    plural = "argument" if len(names) == 1 else "arguments"
    return f"missing {len(names)} required positional {plural}: {listed}"


def _repr(names: tuple[str, ...]) -> Callable[[object], str]:
    """A dataclass ``__repr__`` over ``names`` (``...`` for an object already being printed)."""
    running: set[tuple[int, int]] = set()

    def __repr__(self: object) -> str:
        key = (id(self), get_ident())
        if key in running:
            return "..."
        running.add(key)
        try:
            shown = ", ".join([f"{name}={getattr(self, name)!r}" for name in names])
        finally:
            running.discard(key)
        return f"{type(self).__qualname__}({shown})"

    return __repr__


def _eq(names: tuple[str, ...]) -> Callable[[object, object], bool]:
    """A dataclass ``__eq__``: same class, equal field tuples."""
    values = _values(names)

    def __eq__(self: object, other: object) -> bool:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    return __eq__


def _hash(names: tuple[str, ...]) -> Callable[[object], int]:
    """A frozen dataclass's ``__hash__``: the hash of its hashed fields' tuple."""
    values = _values(names)

    def __hash__(self: object) -> int:
        return hash(values(self))

    return __hash__


def _frozen_setattr(cls: type, names: frozenset[str]) -> Callable[[object, str, object], None]:
    """A frozen dataclass's ``__setattr__``: fields (and anything on the class itself) cannot be assigned."""

    def __setattr__(self: Any, name: str, value: object) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)  # type: ignore[arg-type]

    return __setattr__


def _frozen_delattr(cls: type, names: frozenset[str]) -> Callable[[object, str], None]:
    """A frozen dataclass's ``__delattr__``: fields (and anything on the class itself) cannot be deleted."""

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)  # type: ignore[arg-type]

    return __delattr__
