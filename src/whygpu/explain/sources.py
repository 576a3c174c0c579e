"""Where logs come from: a file (plain, gzip, bz2, xz; UTF-8 or UTF-16), a job folder, or stdin.

Every way a path can be unusable becomes a ``UserError`` naming the path (a file given by
name) or a note (a file found while walking a folder), never a traceback.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import lzma
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from whygpu import lazyre as re
from whygpu.errors import UserError
from whygpu.inputs import looks_binary

# Files read from a folder: log-like names, compressed or not.
LOG_SUFFIXES = (".txt", ".log", ".out", ".err", ".stdout", ".stderr", ".jsonl")
COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz")
MAX_FILES = 2000
MAX_ENTRIES = 100_000
MAX_DEPTH = 8
SKIP_DIRS = frozenset({"__pycache__", "node_modules", "site-packages", "dist-packages", ".git", ".venv"})
SNIFF = 8192

# Azure ML job folders: the user's output first, then the legacy driver log, the image build,
# the rest of the runtime's logs (shared/reference/azure.md, section 9).
_PRIORITY = (
    re.compile(r"(^|/)user_logs/std_log\.txt$"),
    re.compile(r"(^|/)user_logs/std_log_process_\d+\.txt$"),
    re.compile(r"(^|/)azureml-logs/70_driver_log(_\d+)?\.txt$"),
    re.compile(r"(^|/)user_logs/"),
    re.compile(r"(^|/)azureml-logs/20_image_build_log"),
    re.compile(r"(^|/)azureml-logs/"),
    re.compile(r"(^|/)system_logs/"),
)


@dataclass(frozen=True)
class LogSource:
    """One log to read: its name in evidence lines and how to open it."""

    name: str
    path: str | None  # None for stdin


class NotText(Exception):
    """The data is not a text log (binary, or a broken archive)."""


def _priority(rel: str) -> tuple[int, str]:
    posix = rel.replace(os.sep, "/")
    for rank, rx in enumerate(_PRIORITY):
        if rx.search(posix):
            return rank, posix
    return len(_PRIORITY), posix


def _is_log_name(name: str) -> bool:
    lower = name.lower()
    for suffix in COMPRESSED_SUFFIXES:
        if lower.endswith(suffix):
            lower = lower[: -len(suffix)]
            break
    return lower.endswith(LOG_SUFFIXES)


def discover(path: str) -> tuple[list[LogSource], list[str]]:
    """The logs at ``path`` ("-" is stdin), in reading order, and notes on what was skipped."""
    from whygpu.inputs import check_input

    # An empty log is read (it says nothing, and the report's note says it was empty), not refused.
    given = check_input(path, what="the log", directories=True, stdin=True, empty_ok=True)
    if given.kind == "stdin":
        return [LogSource("<stdin>", None)], []
    if given.kind != "directory":
        return [LogSource(path, path)], []
    return _walk(path)


def _walk(root: str) -> tuple[list[LogSource], list[str]]:
    notes: list[str] = []
    found: list[str] = []
    entries = 0
    truncated = False
    stack: list[tuple[str, int]] = [(root, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            with os.scandir(folder) as it:
                children = sorted(it, key=lambda e: e.name)
        except PermissionError:
            notes.append(f"skipped {os.path.relpath(folder, root)}: permission denied")
            continue
        except OSError as exc:
            notes.append(f"skipped {os.path.relpath(folder, root)}: {exc.strerror or exc}")
            continue
        for entry in children:
            entries += 1
            if entries > MAX_ENTRIES:
                truncated = True
                break
            try:
                if entry.is_dir(follow_symlinks=False):
                    if depth < MAX_DEPTH and entry.name not in SKIP_DIRS and not entry.name.startswith("."):
                        stack.append((entry.path, depth + 1))
                elif entry.is_file() and _is_log_name(entry.name):
                    found.append(os.path.relpath(entry.path, root))
            except OSError:
                continue
        if truncated:
            break
    if truncated:
        notes.append(f"stopped looking after {MAX_ENTRIES} directory entries")
    if not found:
        raise UserError(
            "no log files in this directory (looked for " + ", ".join("*" + s for s in LOG_SUFFIXES) + " and their .gz/.bz2/.xz)",
            where=root,
        )
    found.sort(key=_priority)
    if len(found) > MAX_FILES:
        notes.append(f"read the first {MAX_FILES} of {len(found)} log files (Azure ML job logs first); name a sub-folder to read others")
        found = found[:MAX_FILES]
    return [LogSource(rel.replace(os.sep, "/"), os.path.join(root, rel)) for rel in found], notes


class _Transcoder(io.RawIOBase):
    """Reads UTF-16 text from a stream and gives UTF-8 bytes (PowerShell writes logs in UTF-16)."""

    def __init__(self, raw: BinaryIO, encoding: str) -> None:
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder(encoding)("replace")
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            data = self._raw.read(1 << 20 if size < 0 else max(size, 4096))
            final = not data
            self._buffer += self._decoder.decode(data, final=final).encode("utf-8")
            if final:
                break
        if size < 0:
            out, self._buffer = self._buffer, b""
        else:
            out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


@dataclass
class Opened:
    """An open log: ``read(n)`` gives UTF-8-ish bytes; ``close()`` releases it."""

    read: Callable[[int], bytes]
    close: Callable[[], None]
    encoding: str
    compression: str


class _EndOnce(io.RawIOBase):
    """Standard input whose end, once seen, stays the end: at a terminal Ctrl-D ends one read, not the input."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._ended = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._ended:
            return 0
        data = self._raw.read1(len(buffer)) if hasattr(self._raw, "read1") else self._raw.read(len(buffer))
        if not data:
            self._ended = True
            return 0
        buffer[: len(data)] = data
        return len(data)


def open_log(source: LogSource, stdin: BinaryIO | None = None) -> Opened:
    """Open a log for streaming; raises ``NotText`` for binary data, ``OSError`` for I/O."""
    import sys

    handle: Any
    if source.path is None:
        handle = _EndOnce(stdin if stdin is not None else sys.stdin.buffer)
        closer: Callable[[], None] = lambda: None  # noqa: E731 - stdin is not ours to close
    else:
        from whygpu.inputs import open_input

        handle = open_input(source.path)
        closer = handle.close
    try:
        # Typed loosely: the layers (file, decompressor, buffer, transcoder) share only read().
        buffered: Any = handle if isinstance(handle, io.BufferedReader) else io.BufferedReader(handle, SNIFF)
        head = buffered.peek(SNIFF)[:6]
        compression = ""
        stream: Any = buffered
        if head[:2] == b"\x1f\x8b":
            stream, compression = gzip.GzipFile(fileobj=buffered), "gzip"
        elif head[:3] == b"BZh":
            stream, compression = bz2.BZ2File(buffered), "bzip2"
        elif head[:6] == b"\xfd7zXZ\x00":
            stream, compression = lzma.LZMAFile(buffered), "xz"  # noqa: SIM115 - closed with the file
        peekable: Any = io.BufferedReader(stream, SNIFF) if compression else buffered
        try:
            sample = peekable.peek(SNIFF)[:SNIFF]
        except (OSError, EOFError, lzma.LZMAError) as exc:
            raise NotText(f"not a valid {compression} file ({exc})") from None
        encoding = "utf-8"
        reader: Any = peekable
        if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
            reader = _Transcoder(peekable, "utf-16")
        elif sample.startswith(codecs.BOM_UTF8):
            peekable.read(3)
            encoding = "utf-8-sig"
        elif looks_binary(sample):
            raise NotText("binary data, not a text log")
    except BaseException:
        closer()
        raise

    def read(size: int) -> bytes:
        try:
            data: bytes = reader.read(size)
            return data
        except (EOFError, lzma.LZMAError, zlib_error()) as exc:
            raise NotText(f"the {compression or 'compressed'} data is damaged ({exc})") from None

    return Opened(read=read, close=closer, encoding=encoding, compression=compression)


def zlib_error() -> type[Exception]:
    """The exception gzip raises for corrupt data."""
    import zlib

    return zlib.error


def iter_text_lines(lines: Iterator[str]) -> Callable[[int], bytes]:
    """A ``read(n)`` over lines of text (each gets a newline if it has none)."""
    pending = b""
    exhausted = False

    def read(size: int) -> bytes:
        nonlocal pending, exhausted
        parts = [pending]
        total = len(pending)
        while total < size and not exhausted:
            try:
                line = next(lines)
            except StopIteration:
                exhausted = True
                break
            data = line.encode("utf-8", "replace")
            if not data.endswith(b"\n"):
                data += b"\n"
            parts.append(data)
            total += len(data)
        buf = b"".join(parts)
        out, pending = buf[:size], buf[size:]
        return out

    return read
