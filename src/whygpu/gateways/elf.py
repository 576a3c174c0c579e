"""Reads the dynamic section of ELF shared objects (SONAME, NEEDED, RPATH, RUNPATH) with pyelftools, never raising.

This is the only module that imports pyelftools. It reads headers and the dynamic table only, so
a 1 GB ``libtensorflow_cc.so.2`` costs a few reads, not a scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whygpu.facts import Fact, Unavailable

_PROBE = "elf"


@dataclass(frozen=True)
class ElfDynamic:
    """What the dynamic loader reads from one shared object: its name, its dependencies and its search paths."""

    soname: str | None
    needed: tuple[str, ...]
    rpath: tuple[str, ...]  # DT_RPATH entries, ``$ORIGIN`` not expanded
    runpath: tuple[str, ...]  # DT_RUNPATH entries, ``$ORIGIN`` not expanded
    machine: str  # "EM_X86_64", "EM_AARCH64", ...
    elf_class: int  # 32 or 64


def _split_paths(value: str) -> tuple[str, ...]:
    """``a:b::a`` -> ``(a, b)``: duplicates dropped (Bazel-built TF repeats entries hundreds of times)."""
    seen: dict[str, None] = {}
    for entry in value.split(":"):
        if entry:
            seen.setdefault(entry, None)
    return tuple(seen)


def read_dynamic(path: Path) -> Fact[ElfDynamic]:
    """The dynamic section of the shared object at ``path``, or why it could not be read."""
    try:
        with open(path, "rb") as stream:
            return _read(stream)
    except FileNotFoundError:
        return Unavailable(f"no such file: {path}", _PROBE)
    except PermissionError:
        return Unavailable(f"permission denied: {path}", _PROBE)
    except IsADirectoryError:
        return Unavailable(f"is a directory: {path}", _PROBE)
    except Exception as exc:  # a malformed or truncated file is a fact, not a crash
        return Unavailable(f"not a readable ELF shared object ({type(exc).__name__}: {exc}): {path}", _PROBE)


def _read(stream: Any) -> Fact[ElfDynamic]:
    from elftools.common.utils import struct_parse
    from elftools.elf.dynamic import Dynamic
    from elftools.elf.elffile import ELFFile

    elf = ELFFile(stream)
    structs = elf.structs
    # The section header table is read one header at a time: ELFFile.iter_sections() would build
    # every section object, and pyelftools parses all of .gnu.hash on construction (0.2 s on TF).
    dynamic_header = None
    for index in range(elf["e_shnum"]):
        header = struct_parse(structs.Elf_Shdr, stream, stream_pos=elf["e_shoff"] + index * elf["e_shentsize"])
        if header["sh_type"] == "SHT_DYNAMIC":
            dynamic_header = header
            break
    if dynamic_header is None:
        if elf["e_type"] not in ("ET_DYN", "ET_EXEC"):
            return Unavailable(f"ELF file of type {elf['e_type']}, not a shared object", _PROBE)
        return ElfDynamic(None, (), (), (), str(elf["e_machine"]), int(elf.elfclass))
    strtab_header = struct_parse(
        structs.Elf_Shdr, stream, stream_pos=elf["e_shoff"] + dynamic_header["sh_link"] * elf["e_shentsize"]
    )
    strings = _StringTable(stream, int(strtab_header["sh_offset"]))
    table = Dynamic(stream, elf, strings, dynamic_header["sh_offset"], dynamic_header["sh_type"] == "SHT_NOBITS")
    soname: str | None = None
    needed: list[str] = []
    rpath: tuple[str, ...] = ()
    runpath: tuple[str, ...] = ()
    for tag in table.iter_tags():
        kind = tag.entry.d_tag
        if kind not in ("DT_SONAME", "DT_NEEDED", "DT_RPATH", "DT_RUNPATH"):
            continue
        # pyelftools sets the decoded string as an attribute named after the tag ("soname", ...).
        value = str(getattr(tag, kind[3:].lower(), ""))
        if kind == "DT_SONAME":
            soname = value
        elif kind == "DT_NEEDED":
            needed.append(value)
        elif kind == "DT_RPATH":
            rpath = _split_paths(value)
        else:
            runpath = _split_paths(value)
    return ElfDynamic(soname, tuple(needed), rpath, runpath, str(elf["e_machine"]), int(elf.elfclass))


class _StringTable:
    """The dynamic string table, read lazily at an offset (all that ``Dynamic`` asks of a table)."""

    def __init__(self, stream: Any, offset: int) -> None:
        self._stream = stream
        self._offset = offset

    def get_string(self, offset: int) -> str:
        from elftools.common.utils import parse_cstring_from_stream

        raw = parse_cstring_from_stream(self._stream, self._offset + offset)
        return raw.decode("utf-8", "replace") if raw else ""
