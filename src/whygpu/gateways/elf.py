"""Reads the dynamic section of ELF shared objects (SONAME, NEEDED, RPATH, RUNPATH) with pyelftools, never raising.

This is the only module that imports pyelftools. It reads headers and the dynamic table only, so
a 1 GB ``libtensorflow_cc.so.2`` costs a few reads, not a scan. Where pyelftools is not installed
(the self-contained collector, ``whygpu collector``, runs on the standard library alone) a small
reader of the same three tables (section headers, dynamic section, its string table) gives the
same answer; a test checks the two agree on real libraries.
"""

from __future__ import annotations

import os
import struct
from typing import Any

from whygpu.facts import Fact, Unavailable
from whygpu.records import record

_PROBE = "elf"


@record(frozen=True)
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


def read_dynamic(path: str | os.PathLike[str]) -> Fact[ElfDynamic]:
    """The dynamic section of the shared object at ``path``, or why it could not be read."""
    try:
        with open(path, "rb") as stream:
            if stream.read(4) != b"\x7fELF":
                return Unavailable(f"not an ELF file (no ELF magic number): {path}", _PROBE)
            stream.seek(0)
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
    try:
        import elftools  # noqa: F401
    except ImportError:
        return read_dynamic_stdlib(stream)
    return _read_pyelftools(stream)


def _read_pyelftools(stream: Any) -> Fact[ElfDynamic]:
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


# The ELF constants the standard-library reader needs, as the ELF specification (gABI) numbers them:
# https://refspecs.linuxfoundation.org/elf/gabi4+/ch4.eheader.html and ch5.dynamic.html.
_ELF_TYPES = {0: "ET_NONE", 1: "ET_REL", 2: "ET_EXEC", 3: "ET_DYN", 4: "ET_CORE"}
_ELF_MACHINES = {3: "EM_386", 8: "EM_MIPS", 20: "EM_PPC", 21: "EM_PPC64", 22: "EM_S390", 40: "EM_ARM",
                 62: "EM_X86_64", 183: "EM_AARCH64", 243: "EM_RISCV", 258: "EM_LOONGARCH"}
_SHT_DYNAMIC, _SHT_NOBITS = 6, 8
_DT_NULL, _DT_NEEDED, _DT_SONAME, _DT_RPATH, _DT_RUNPATH = 0, 1, 14, 15, 29


def read_dynamic_stdlib(stream: Any) -> Fact[ElfDynamic]:
    """``read_dynamic`` with the standard library only: the same tables read the same way as with pyelftools."""
    ident = stream.read(16)
    if len(ident) < 16 or ident[:4] != b"\x7fELF" or ident[4] not in (1, 2) or ident[5] not in (1, 2):
        return Unavailable("not an ELF file (bad identification bytes)", _PROBE)
    wide = ident[4] == 2
    order = "<" if ident[5] == 1 else ">"
    header = struct.Struct(order + ("HHIQQQIHHHHHH" if wide else "HHIIIIIHHHHHH"))
    (e_type, e_machine, _version, _entry, _phoff, e_shoff, _flags, _ehsize, _phentsize, _phnum,
     e_shentsize, e_shnum, _shstrndx) = header.unpack(_exact(stream, header.size))
    section = struct.Struct(order + ("IIQQQQIIQQ" if wide else "IIIIIIIIII"))

    def section_header(index: int) -> tuple[int, ...]:
        stream.seek(e_shoff + index * e_shentsize)
        return tuple(section.unpack(_exact(stream, section.size)))

    machine = _ELF_MACHINES.get(e_machine, str(e_machine))
    elf_class = 64 if wide else 32
    dynamic = next((h for h in map(section_header, range(e_shnum)) if h[1] == _SHT_DYNAMIC), None)
    if dynamic is None:
        type_name = _ELF_TYPES.get(e_type, str(e_type))
        if type_name not in ("ET_DYN", "ET_EXEC"):
            return Unavailable(f"ELF file of type {type_name}, not a shared object", _PROBE)
        return ElfDynamic(None, (), (), (), machine, elf_class)
    strings_offset = section_header(dynamic[6])[4]
    entry = struct.Struct(order + ("qQ" if wide else "iI"))
    soname: str | None = None
    needed: list[str] = []
    rpath: tuple[str, ...] = ()
    runpath: tuple[str, ...] = ()
    count = 0 if dynamic[1] == _SHT_NOBITS else dynamic[5] // entry.size
    for index in range(count):
        stream.seek(dynamic[4] + index * entry.size)
        tag, value = entry.unpack(_exact(stream, entry.size))
        if tag == _DT_NULL:
            break
        if tag not in (_DT_SONAME, _DT_NEEDED, _DT_RPATH, _DT_RUNPATH):
            continue
        text = _cstring(stream, strings_offset + value)
        if tag == _DT_SONAME:
            soname = text
        elif tag == _DT_NEEDED:
            needed.append(text)
        elif tag == _DT_RPATH:
            rpath = _split_paths(text)
        else:
            runpath = _split_paths(text)
    return ElfDynamic(soname, tuple(needed), rpath, runpath, machine, elf_class)


def _exact(stream: Any, size: int) -> bytes:
    """``size`` bytes from the stream, or an error naming a truncated file."""
    data = stream.read(size)
    if len(data) != size:
        raise ValueError("truncated ELF file")
    return bytes(data)


def _cstring(stream: Any, offset: int) -> str:
    """The NUL-terminated string at ``offset``, read in small chunks (a path list can be long)."""
    stream.seek(offset)
    chunks: list[bytes] = []
    while True:
        chunk = stream.read(256)
        if not chunk:
            break
        end = chunk.find(b"\0")
        if end >= 0:
            chunks.append(chunk[:end])
            break
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace")
