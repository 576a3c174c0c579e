"""What lets the collector run without its dependencies and on old Pythons: the standard-library ELF reader and serde's annotation reader."""

from __future__ import annotations

import glob
import os
import typing
from pathlib import Path

import pytest

from fakeenv import elf_shared_object
from whygpu import serde
from whygpu.facts import Unavailable
from whygpu.gateways.elf import _read_pyelftools, read_dynamic, read_dynamic_stdlib
from whygpu.snapshot import Snapshot


def _real_shared_objects(limit: int = 300) -> list[str]:
    patterns = ["/usr/lib/x86_64-linux-gnu/*.so*", "/usr/lib/aarch64-linux-gnu/*.so*", "/lib64/*.so*"]
    for venv in (os.environ.get("WHYGPU_TEST_TORCH_VENV"), os.environ.get("WHYGPU_TEST_TF_VENV")):
        if venv:
            patterns.append(f"{venv}/lib/python*/site-packages/**/*.so*")
    found: list[str] = []
    for pattern in patterns:
        for path in sorted(glob.glob(pattern, recursive=True)):
            if os.path.isfile(path) and len(found) < limit:
                with open(path, "rb") as handle:
                    if handle.read(4) == b"\x7fELF":
                        found.append(path)
    return found


def test_standard_library_elf_reader_agrees_with_pyelftools_on_real_libraries() -> None:
    paths = _real_shared_objects()
    if len(paths) < 20:
        pytest.skip("fewer than 20 ELF shared objects found here")
    with_runpath = 0
    for path in paths:
        with open(path, "rb") as handle:
            theirs = _read_pyelftools(handle)
            handle.seek(0)
            ours = read_dynamic_stdlib(handle)
        assert ours == theirs, path
        with_runpath += bool(not isinstance(ours, Unavailable) and (ours.runpath or ours.rpath))
    assert with_runpath or not os.environ.get("WHYGPU_TEST_TORCH_VENV")  # torch's libraries carry RUNPATHs


def test_standard_library_elf_reader_on_made_objects(tmp_path: Path) -> None:
    so = tmp_path / "libx.so.1"
    so.write_bytes(elf_shared_object("libx.so.1", needed=["libcudart.so.12"], runpath=["$ORIGIN/../a", "/b", "/b"],
                                     rpath=["/r"], machine=183))
    with open(so, "rb") as handle:
        ours = read_dynamic_stdlib(handle)
    assert not isinstance(ours, Unavailable)
    assert (ours.soname, ours.needed, ours.runpath, ours.rpath, ours.machine, ours.elf_class) == (
        "libx.so.1", ("libcudart.so.12",), ("$ORIGIN/../a", "/b"), ("/r",), "EM_AARCH64", 64)
    truncated = tmp_path / "cut.so"
    truncated.write_bytes(so.read_bytes()[:70])
    with open(truncated, "rb") as handle, pytest.raises(ValueError, match="truncated"):
        read_dynamic_stdlib(handle)  # read_dynamic turns this into Unavailable, as it does pyelftools' errors
    assert isinstance(read_dynamic(truncated), Unavailable)
    script = tmp_path / "libc.so"
    script.write_text("/* GNU ld script */\nGROUP ( /lib/libc.so.6 )\n")
    assert str(read_dynamic(script)).endswith(f"not an ELF file (no ELF magic number): {script})")


def test_old_python_annotation_reader_reads_every_snapshot_type() -> None:
    """On 3.8/3.9 ``typing.get_type_hints`` cannot evaluate ``str | None``; the fallback gives the same types."""
    seen: set[type] = set()

    def walk(cls: type) -> None:
        if cls in seen or not hasattr(cls, "__dataclass_fields__"):
            return
        seen.add(cls)
        modern = typing.get_type_hints(cls, localns=serde.annotation_names(cls))
        old = serde._old_python_hints(cls)
        assert old.keys() == modern.keys(), cls
        for name, hint in modern.items():
            assert _normal(old[name]) == _normal(hint), (cls, name)
            for inner in _classes(hint):
                walk(inner)

    walk(Snapshot)
    assert len(seen) > 15


def _classes(hint: object) -> list[type]:
    args = typing.get_args(hint)
    found = [a for a in args if isinstance(a, type)] + [c for a in args for c in _classes(a)]
    return found + ([hint] if isinstance(hint, type) else [])


def _normal(hint: object) -> object:
    """``list[int]`` and ``List[int]``, ``X | None`` and ``Optional[X]`` as one comparable shape."""
    origin = typing.get_origin(hint)
    if origin is None:
        return hint
    if origin in serde._UNION_TYPES:
        origin = typing.Union
    return (origin, tuple(_normal(a) for a in typing.get_args(hint)))


def test_snapshot_round_trip_with_the_old_python_annotation_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    from whygpu.api import build_snapshot

    data = build_snapshot(offline=True).to_json()
    expected = Snapshot.from_json(data).to_json()
    serde._hints.cache_clear()
    monkeypatch.setattr(serde.typing, "get_type_hints", _fail_like_python_3_8)
    try:
        assert Snapshot.from_json(data).to_json() == expected
    finally:
        serde._hints.cache_clear()


def _fail_like_python_3_8(cls: object, *args: object, **kwargs: object) -> dict[str, object]:
    raise TypeError("unsupported operand type(s) for |: 'type' and 'NoneType'")
