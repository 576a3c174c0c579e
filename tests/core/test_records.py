"""``@record`` classes behave as the ``@dataclass`` they replace: each record of the package beside a plain dataclass twin."""

from __future__ import annotations

import copy
import dataclasses
import functools
import importlib
import pickle
import pkgutil
from typing import Any

import pytest

import whygpu
from whygpu.records import record


def _record_classes() -> list[type]:
    """Every class of the package made by ``@record`` (importing every module that does not need an extra)."""
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(whygpu.__path__, "whygpu."):
        if info.name.endswith(("__main__", ".child")):  # these run when imported
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:
            continue
        for value in vars(module).values():
            if (isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == info.name
                    and getattr(value.__repr__, "__module__", None) == "whygpu.records"):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found)]


RECORDS = _record_classes()


def _twin(cls: type) -> type:
    """A plain ``@dataclass`` with the same fields, name and frozenness as ``cls``."""
    namespace: dict[str, Any] = {"__annotations__": {}, "__qualname__": cls.__qualname__, "__module__": cls.__module__}
    for f in dataclasses.fields(cls):
        namespace["__annotations__"][f.name] = "object"
        namespace[f.name] = dataclasses.field(default=f.default, default_factory=f.default_factory,  # type: ignore[call-overload]
                                              init=f.init, repr=f.repr, hash=f.hash, compare=f.compare)
    if "__post_init__" in cls.__dict__:
        namespace["__post_init__"] = cls.__dict__["__post_init__"]
    frozen = "__setattr__" in cls.__dict__
    return dataclasses.dataclass(frozen=frozen)(type(cls.__name__, (), namespace))


def _values(cls: type, salt: str) -> dict[str, Any]:
    """Distinct hashable values for every ``__init__`` field, as keywords."""
    return {f.name: f"{salt}{i}" for i, f in enumerate(dataclasses.fields(cls)) if f.init}


def _outcome(make: Any) -> Any:
    """What calling ``make`` gives: "ok", or the exception's type and message."""
    try:
        make()
        return "ok"
    except Exception as error:  # the error itself is what is compared
        return type(error).__name__, str(error)


def test_the_package_has_records() -> None:
    names = {cls.__qualname__ for cls in RECORDS}
    assert {"Snapshot", "PciDevice", "Finding", "GpuPresence"} <= names  # plain and frozen ones are covered


def test_a_class_defining_its_own_methods_keeps_them() -> None:
    @record(frozen=True)
    class Own:
        """A record that prints and hashes itself."""

        a: int

        def __repr__(self) -> str:
            return "own"

        def __hash__(self) -> int:
            return 7

    assert repr(Own(1)) == "own" and hash(Own(1)) == 7 and Own(1) == Own(1) and Own(1) != Own(2)


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: cls.__qualname__)
def test_record_behaves_as_its_dataclass_twin(cls: type) -> None:
    twin = _twin(cls)
    kwargs, other = _values(cls, "v"), _values(cls, "w")
    positional = list(kwargs.values())
    post_init = "__post_init__" in cls.__dict__
    if post_init:
        # A __post_init__ checks real values: compare the outcome (here: the error) and stop.
        assert _outcome(lambda: cls(**kwargs)) == _outcome(lambda: twin(**kwargs))
        return
    a, b, t = cls(**kwargs), cls(*positional), twin(**kwargs)
    assert repr(a) == repr(t) == repr(b)
    assert a == b and (a != b) is False and a != t and a != object()
    for name in kwargs:
        changed = {**kwargs, name: other[name]}
        assert (a == cls(**changed)) == (t == twin(**changed))
    assert dataclasses.replace(a, **other) == cls(**other)
    assert dataclasses.asdict(a) == dataclasses.asdict(t)
    assert copy.deepcopy(a) == a and pickle.loads(pickle.dumps(a)) == a
    assert type(a).__hash__ is None if type(t).__hash__ is None else hash(a) == hash(t)
    for name in (f.name for f in dataclasses.fields(cls)):
        assert _outcome(functools.partial(setattr, a, name, 1)) == _outcome(functools.partial(setattr, t, name, 1))
        assert _outcome(functools.partial(delattr, a, name)) == _outcome(functools.partial(delattr, t, name))
    # Wrong calls fail with the words a compiled __init__ uses.
    for call in ([*positional, "extra"], []):
        assert _outcome(functools.partial(cls, *call)) == _outcome(functools.partial(twin, *call))
    if kwargs:
        first = next(iter(kwargs))
        assert _outcome(lambda: cls(*positional, **{first: 1})) == _outcome(lambda: twin(*positional, **{first: 1}))
    assert _outcome(lambda: cls(nonesuch=1, **kwargs)) == _outcome(lambda: twin(nonesuch=1, **kwargs))
