"""Reads the snapshots of a fleet from files and folders; an unreadable one is one line, the rest still read."""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from whygpu.errors import UserError
from whygpu.inputs import check_input, open_input
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
    """Every snapshot file named, folders walked for ``*.json`` in sorted order; a path that cannot be read is bad usage."""
    for argument in arguments:
        given = check_input(argument, what="snapshot files", directories=True)
        if given.kind == "directory":
            found = sorted(str(p) for p in Path(argument).rglob("*.json") if not p.is_dir())
            if not found:
                raise UserError("no snapshot files (*.json) in this folder", where=argument)
            yield from found
        else:
            yield argument


def read_document(path: str) -> NodeDocument | Unread:
    """Read one snapshot file's bytes; what makes it unreadable is one line."""
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
        with open_input(path) as handle:
            return NodeDocument(path, handle.read())
    except UserError as exc:
        return Unread(path, exc.message)
    except OSError as exc:
        return Unread(path, f"cannot read: {exc.strerror or exc}")


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
    if not isinstance(data, dict) or data.get("format") != SNAPSHOT_FORMAT:
        return Unread(document.path, 'not a whygpu snapshot (no "format": "whygpu-snapshot")')
    return data


# In the driver section, the per-GPU fields that change from moment to moment (rules.gpu_state.STATE_FIELDS).
_GPU_STATE = re.compile(rb'"(?:memory_used_mib|utilization_percent)":\s*(?:-?\d+|null)|"processes":\s*\[[^\]]*\]')
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


def split_source(raw: bytes, parts: Layout | None) -> tuple[bytes, bytes] | None:
    """(a digest of the content without where and when it was taken, the source object).

    A digest is small enough to keep for every node (to find exact repeats).
    """
    if parts is None:
        return None
    content = raw[parts.source_end : parts.probes] + raw[parts.deep : parts.tool]
    return hashlib.blake2b(content, digest_size=16).digest(), raw[parts.source_start : parts.source_end + 1]


def parse_snapshot(path: str, data: dict[str, Any]) -> Snapshot | Unread:
    """The typed snapshot of a document, or why it cannot be read (newer schema, corrupt fields)."""
    try:
        return Snapshot.from_json(data, where=path)
    except UserError as exc:
        return Unread(path, exc.message)
    except RecursionError:
        return Unread(path, "corrupt snapshot: nested too deeply")


def state_free_key(raw: bytes, parts: Layout | None) -> bytes | None:
    """The content without where, when, and the GPUs' current state: the key of a node's configuration.

    The content itself is the key (a dict compares it in full on a hash match), so two configurations
    can never share one; only one is kept per configuration. Only the driver section is cut; a ``]``
    inside a process name only ends a cut early, which keeps more in the key.
    """
    if parts is None:
        return None
    return (raw[parts.source_end : parts.driver] + _GPU_STATE.sub(b"", raw[parts.driver : parts.container])
            + raw[parts.container : parts.probes] + raw[parts.deep : parts.tool])


_DECODER = json.JSONDecoder()


def _value_after(raw: bytes, key: bytes, start: int, end: int) -> Any:
    """The JSON value of the first ``key`` between ``start`` and ``end``; ValueError when absent or malformed."""
    at = raw.find(key, start, end)
    if at < 0:
        raise ValueError(f"no {key!r}")
    text = raw[at + len(key) : end].decode("utf-8")
    value, _end = _DECODER.raw_decode(text, len(text) - len(text.lstrip()))
    return value


def state_part(raw: bytes, parts: Layout | None) -> dict[str, Any] | None:
    """Only what differs between nodes of one configuration: the source, the GPUs' list and the probe records.

    The probe records are parsed so that a corrupt one is still caught; the rest is not parsed.
    None when any is missing or malformed, and the caller then parses the whole document.
    """
    if parts is None:
        return None
    try:
        source = _value_after(raw, b'"source":', 0, parts.driver)
        devices = _value_after(raw, b'"devices":', parts.driver, parts.container)
        records = _value_after(raw, b'"probes":', parts.probes, parts.deep)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(source, dict) or not isinstance(devices, list) or not isinstance(records, list):
        return None
    if not all(isinstance(d, dict) for d in devices):
        return None
    return {"source": source, "driver": {"report": {"devices": devices}}}
