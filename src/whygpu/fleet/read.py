"""Reads the snapshots of a fleet from files and folders; an unreadable one is one line, the rest still read."""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from whygpu.errors import UserError
from whygpu.inputs import check_input
from whygpu.snapshot import SNAPSHOT_FORMAT, Snapshot

# A snapshot is a few tens of KiB; anything far larger is not one (and would cost memory to parse).
_MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class NodeDocument:
    """One node's snapshot file: its bytes, read once; parsed only when its content is new."""

    path: str
    raw: bytes


@dataclass(frozen=True)
class Unread:
    """A file that could not be taken into the fleet, and why (one line)."""

    path: str
    reason: str


def snapshot_paths(arguments: Iterable[str]) -> Iterator[str]:
    """Every snapshot file named, folders walked for ``*.json`` in sorted order; a path that cannot be read is bad usage.

    A folder is walked as ``Path.rglob("*.json")`` walks it (no symlinked folder followed, an
    unreadable subfolder skipped), from the directory entries' own types: no stat per file.
    """
    for argument in arguments:
        given = check_input(argument, what="snapshot files", directories=True)
        if given.kind == "directory":
            found = sorted(_json_files(argument))
            if not found:
                raise UserError("no snapshot files (*.json) in this folder", where=argument)
            yield from found
        else:
            yield argument


def _json_files(directory: str) -> Iterator[str]:
    """The paths of everything under ``directory`` named ``*.json`` that is not a folder."""
    for folder, _folders, files in os.walk(directory):
        for name in files:
            if name.endswith(".json"):
                yield os.path.join(folder, name)


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


def read_document(path: str) -> NodeDocument | Unread:
    """Read one snapshot file's bytes; what makes it unreadable is one line.

    Only a regular file is opened (checked before and, against a FIFO swapped in between, after
    opening it without blocking); read with plain system calls, as a fleet reads thousands.
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        return Unread(path, f"cannot read: {exc.strerror or exc}")
    if not stat.S_ISREG(info.st_mode):
        return Unread(path, "not a regular file")
    if info.st_size == 0:
        return Unread(path, "empty file")
    if info.st_size > _MAX_SNAPSHOT_BYTES:
        return Unread(path, f"too large for a snapshot ({info.st_size} bytes)")
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        return Unread(path, f"cannot read: {exc.strerror or exc}")
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return Unread(path, "not a regular file")
        raw = os.read(fd, info.st_size + 1)
        if len(raw) > info.st_size:  # it grew since: read to its end
            chunks = [raw]
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
                if sum(map(len, chunks)) > _MAX_SNAPSHOT_BYTES:
                    return Unread(path, f"too large for a snapshot (over {_MAX_SNAPSHOT_BYTES} bytes)")
            raw = b"".join(chunks)
    except OSError as exc:
        return Unread(path, f"cannot read: {exc.strerror or exc}")
    finally:
        os.close(fd)
    return NodeDocument(path, raw) if raw else Unread(path, "empty file")


def parse_document(document: NodeDocument) -> dict[str, Any] | Unread:
    """The JSON document, if it is a whygpu snapshot at all."""
    raw = document.raw
    try:
        data = json.loads(raw)
    except UnicodeDecodeError:
        return Unread(document.path, "not a whygpu snapshot (not UTF-8 text)")
    except json.JSONDecodeError as exc:
        truncated = " (truncated?)" if exc.pos >= len(raw.rstrip()) - 1 else ""
        return Unread(document.path, f"corrupt snapshot: invalid JSON at line {exc.lineno} column {exc.colno}{truncated}")
    except RecursionError:
        return Unread(document.path, "corrupt snapshot: nested too deeply")
    except ValueError:  # what JSONDecodeError is not: an integer past Python's limit on digits
        return Unread(document.path, "corrupt snapshot: a number too long to be read")
    if not isinstance(data, dict) or data.get("format") != SNAPSHOT_FORMAT:
        return Unread(document.path, 'not a whygpu snapshot (no "format": "whygpu-snapshot")')
    return data


# In the driver section, the per-GPU fields that change from moment to moment (rules.gpu_state.STATE_FIELDS)
# and their values: a JSON integer, null or a list. A value of the wrong kind for its field (a list for
# the memory used) is caught by the reader, and the node is then parsed in full. An integer of more
# than 18 digits is not cut (it stays in the key, so that node is parsed: Python refuses very long ones).
_GPU_STATE = re.compile(rb'(?:"memory_used_mib"|"utilization_percent"|"processes"):\s*(-?(?:0|[1-9]\d{0,17})(?![0-9])|null|\[[^\]]*\])')
_STATE_NAME = re.compile(rb'"(memory_used_mib|utilization_percent|processes)":\s*(?:-?(?:0|[1-9]\d{0,17})(?![0-9])|null|\[[^\]]*\])')
_SOURCE_START = re.compile(rb'\A\s*\{\s*"source"\s*:\s*\{')


class Layout(NamedTuple):
    """Where the top-level parts of a snapshot laid out as whygpu writes it begin, found once per file.

    JSON strings cannot hold an unescaped quote, so the first ``"driver":``, ``"container":``,
    ``"probes":`` and ``"deep":`` keys after the source are the top-level ones (nothing nested in
    between has those keys); a ``}`` inside a source string only ends the source early, which keeps
    more in a content key and can never make two different snapshots look alike.
    """

    source_start: int  # the source object's "{"
    source_end: int  # its "}"
    driver: int
    container: int
    probes: int
    deep: int
    tool: int  # "tool_version", the last key


def layout(raw: bytes) -> Layout | None:
    """The positions of a snapshot's top-level parts; None when the layout is not whygpu's (callers then parse)."""
    start = _SOURCE_START.match(raw)
    if start is None:
        return None
    source_end = raw.find(b"}", start.end())
    driver = raw.find(b'"driver":', source_end)
    container = raw.find(b'"container":', driver)
    probes = raw.find(b'"probes":', container)
    deep = raw.find(b'"deep":', probes)
    tool = raw.rfind(b'"tool_version":')
    if min(source_end, driver, container, probes, deep, tool) < 0 or not source_end < driver < container < probes < deep < tool:
        return None
    return Layout(start.end() - 1, source_end, driver, container, probes, deep, tool)


def parse_snapshot(path: str, data: dict[str, Any]) -> Snapshot | Unread:
    """The typed snapshot of a document, or why it cannot be read (newer schema, corrupt fields)."""
    try:
        return Snapshot.from_json(data, where=path)
    except UserError as exc:
        return Unread(path, exc.message)
    except RecursionError:
        return Unread(path, "corrupt snapshot: nested too deeply")


def cut_state(raw: bytes, parts: Layout) -> tuple[bytes, list[bytes]]:
    """(the configuration key, the GPU state fields' values in the order they appear).

    The key is the content without where and when it was taken (source, probe records, tool
    version) and without the GPUs' current state: the driver section with each state value cut and
    its field's name kept in its place. It is the content itself (a dict compares it in full on a
    hash match), so two configurations never share one. A ``]`` inside a process name only ends
    a cut early, which keeps more in the key.
    """
    pieces = _GPU_STATE.split(raw[parts.driver : parts.container])
    key = b"".join((raw[parts.source_end : parts.driver], *pieces[::2], raw[parts.container : parts.probes], raw[parts.deep : parts.tool]))
    return key, pieces[1::2]


def state_names(raw: bytes, parts: Layout) -> list[bytes]:
    """The names of the GPU state fields whose values ``cut_state`` cuts, in the same order."""
    return _STATE_NAME.findall(raw[parts.driver : parts.container])


_PROBES_KEY = len(b'"probes":')
_DECODER = json.JSONDecoder()
_MODES = ("live", "root")
# A probe record's time taken, a JSON number; the key is kept in place and only the number cut.
_SECONDS = re.compile(rb'"seconds":\s*(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?)')


def read_source(raw: bytes, parts: Layout) -> dict[str, Any] | None:
    """The source object, when the snapshot reader would take it as it is; None otherwise (the node is then parsed in full)."""
    try:
        text = raw[parts.source_start : parts.source_end + 1].decode("utf-8")
        source, end = _DECODER.raw_decode(text)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None
    if end != len(text) or not isinstance(source, dict):
        return None
    hostname, created = source.get("hostname"), source.get("created", "")
    if source.get("mode") not in _MODES or type(source.get("root")) is not str:
        return None
    if not (hostname is None or type(hostname) is str) or type(created) is not str:
        return None
    return source


def records_shape(raw: bytes, parts: Layout) -> bytes:
    """The probe records with each time taken cut: of two nodes whose records have one shape, both are readable or neither."""
    return b"".join(_SECONDS.split(raw[parts.probes : parts.deep])[::2])


def records_readable(raw: bytes, parts: Layout) -> bool:
    """Whether the snapshot reader would take these probe records (asked once per shape)."""
    from whygpu.serde import SchemaError, from_data
    from whygpu.snapshot import ProbeRecord

    records = raw[parts.probes + _PROBES_KEY : parts.deep].rstrip()
    if not records.endswith(b","):
        return False
    try:
        from_data(list[ProbeRecord], json.loads(records[:-1]))
    except (ValueError, RecursionError, SchemaError):
        return False
    return True


def tail_readable(tail: bytes) -> bool:
    """Whether a snapshot's end, from ``"tool_version":`` on, holds only a tool version the reader would take."""
    try:
        data = json.loads(b"{" + tail)
    except (ValueError, RecursionError):
        return False
    return isinstance(data, dict) and list(data) == ["tool_version"] and isinstance(data["tool_version"], str)


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    if len({key for key, _value in pairs}) != len(pairs):
        raise ValueError("a key given twice")
    return dict(pairs)


def keys_unique(raw: bytes) -> bool:
    """Whether no JSON object in the document gives a key twice (the parts found from the bytes are then the parsed ones)."""
    try:
        json.loads(raw, object_pairs_hook=_unique)
    except (ValueError, RecursionError):
        return False
    return True
