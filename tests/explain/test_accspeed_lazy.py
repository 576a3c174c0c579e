"""accspeed (session 37): explain's patterns compiled on first use (whygpu.lazyre), and what that must not change."""

from __future__ import annotations

import importlib
import pkgutil
import re as std_re
import sys
from pathlib import Path

import pytest

import whygpu.explain
import whygpu.knowledge
from whygpu import lazyre
from whygpu.lazyre import LazyPattern

_SRC = Path(whygpu.explain.__file__).resolve().parents[1]


def _lazy_modules() -> list[str]:
    """Every module of explain and the knowledge layer that takes ``re`` from lazyre."""
    names = []
    for package in (whygpu.explain, whygpu.knowledge):
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            path = _SRC / Path(*info.name.split(".")[1:]).with_suffix(".py")
            if path.is_file() and "from whygpu import lazyre as re" in path.read_text(encoding="utf-8"):
                names.append(info.name)
    return names


def _held(value: object, depth: int = 0) -> list[LazyPattern]:
    """The lazy patterns a module-level value holds (itself, or inside tuples, lists, sets and dicts, two levels down)."""
    if isinstance(value, LazyPattern):
        return [value]
    if depth >= 3:
        return []
    if isinstance(value, dict):
        return [p for v in (*value.keys(), *value.values()) for p in _held(v, depth + 1)]
    if isinstance(value, (tuple, list, set, frozenset)):
        return [p for v in value for p in _held(v, depth + 1)]
    return []


def test_the_explain_modules_use_lazy_patterns() -> None:
    names = _lazy_modules()
    assert "whygpu.explain.logfacts" in names and "whygpu.knowledge.device_settings" in names
    assert len(names) > 100


@pytest.mark.parametrize("name", _lazy_modules())
def test_every_pattern_a_module_holds_compiles(name: str) -> None:
    """A bad pattern no longer fails its module's import: this compiles every one each module holds."""
    module = importlib.import_module(name)
    for value in list(vars(module).values()):
        for pattern in _held(value):
            assert isinstance(pattern.compiled(), std_re.Pattern)


# ``m.re is _X``: a match's pattern is the compiled one, never the lazy one that made it.
_IDENTITY = std_re.compile(r"\.re\s+(?:is(?:\s+not)?|==|!=)\s+(_[A-Z0-9_]+)\b|\b(_[A-Z0-9_]+)\s+(?:is(?:\s+not)?|==|!=)\s+\w+\.re\b")


@pytest.mark.parametrize("name", _lazy_modules())
def test_a_pattern_compared_with_a_match_is_compiled_now(name: str) -> None:
    """A pattern a reader compares by identity with a match's ``re`` is made with ``re.eager`` (a lazy one never is it)."""
    module = importlib.import_module(name)
    source = Path(module.__file__ or "").read_text(encoding="utf-8")
    for m in _IDENTITY.finditer(source):
        held = getattr(module, m.group(1) or m.group(2))
        assert isinstance(held, std_re.Pattern), f"{name}: {m.group(0)!r} compares a lazy pattern with a match's"


def test_a_lazy_pattern_compiles_on_first_use_and_answers_as_the_compiled_one() -> None:
    rx = lazyre.compile(r"cuda\s+(?P<v>\d+\.\d+)", lazyre.I)
    assert isinstance(rx, LazyPattern)
    assert not hasattr(rx, "_done")  # nothing compiled yet
    assert rx.pattern == r"cuda\s+(?P<v>\d+\.\d+)"
    m = rx.search("built against CUDA 12.1")
    assert m is not None and m.group("v") == "12.1"
    plain = std_re.compile(r"cuda\s+(?P<v>\d+\.\d+)", std_re.I)
    assert rx.flags == plain.flags and rx.groups == plain.groups and dict(rx.groupindex) == dict(plain.groupindex)
    assert m.re is rx.compiled() and rx.compiled() is rx.compiled()
    assert rx.sub("CUDA X", "cuda 11.8 here") == "CUDA X here"
    assert [x.group(0) for x in rx.finditer("cuda 1.0, CUDA 2.0")] == ["cuda 1.0", "CUDA 2.0"]
    assert rx.match("no") is None and rx.fullmatch("cuda 3.5") is not None
    assert rx.split("a cuda 1.1 b") == ["a ", "1.1", " b"]


def test_the_module_functions_take_a_lazy_pattern_as_re_takes_a_compiled_one() -> None:
    rx = lazyre.compile(r"gpu(\d)")
    assert lazyre.search(rx, "a gpu0") is not None
    assert lazyre.match(rx, "gpu1 x") is not None
    assert lazyre.fullmatch(rx, "gpu2") is not None
    assert lazyre.findall(rx, "gpu3 gpu4") == ["3", "4"]
    assert [m.group(1) for m in lazyre.finditer(rx, "gpu5 gpu6")] == ["5", "6"]
    assert lazyre.sub(rx, "x", "gpu7!") == "x!" and lazyre.subn(rx, "x", "gpu8") == ("x", 1)
    assert lazyre.split(rx, "agpu9b") == ["a", "9", "b"]
    assert lazyre.compile(rx) is rx.compiled()
    assert lazyre.search(r"\d", "a1") is not None  # text patterns as re takes them
    with pytest.raises(ValueError):
        lazyre.search(rx, "gpu0", lazyre.I)  # as re: no flags with a compiled pattern


def test_a_bad_pattern_raises_on_first_use() -> None:
    rx = lazyre.compile(r"(unclosed")
    with pytest.raises(lazyre.error):
        rx.search("x")


def test_bytes_patterns_are_lazy_too() -> None:
    rx = lazyre.compile(rb"\bnvidia\b")
    assert rx.search(b"an nvidia card") is not None


def test_eager_compiles_now() -> None:
    assert isinstance(lazyre.eager(r"x+"), std_re.Pattern)


def test_importing_whygpu_compiles_no_explain_pattern() -> None:
    """``import whygpu`` and the command line's help stay as fast: neither loads explain's readers."""
    code = "import sys, whygpu; print(any(m.startswith('whygpu.explain.') for m in sys.modules))"
    import subprocess

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=None)
    assert done.stdout.strip() == "False"
