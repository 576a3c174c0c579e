"""Scans a big plain log file in two processes: the second half in a forked worker, the first here.

Reading a log is CPU-bound (lower-casing and searching each chunk), so on a machine with a
second core a 1 GB log is read in about half the time.  The halves meet at a line end; the
worker's matches come back through a pipe and are replayed after the first half's, with their
line numbers moved on, so the result is exactly that of one sequential read.  Anything
unusual (no fork, other threads running, a worker that fails or takes too long) falls back to
reading the rest here.
"""

from __future__ import annotations

import os
import pickle
import select
import sys
import time
from collections.abc import Callable
from typing import Any

from whygpu.explain.scan import MAX_LINE, MAX_MATCH_TEXT, LineMatch, Scanner

# Smaller files are not worth a second process (starting it and joining cost a few ms).
MIN_BYTES = 64 << 20
# A worker that reads slower than this is given up (and its half read here instead).
MIN_RATE = 5 << 20
MIN_WAIT_S = 60.0


def available() -> bool:
    """True where a worker can be forked safely: Linux, more than one usable core, one thread."""
    import threading

    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    # Forking a process with other threads running can leave locks held in the child.
    return cores > 1 and threading.active_count() == 1


def split_point(path: str, size: int) -> int | None:
    """The offset of the first line start after the middle of the file (None: no line ends there)."""
    try:
        with open(path, "rb") as handle:
            handle.seek(size // 2)
            window = handle.read(MAX_LINE)
    except OSError:
        return None
    end = window.find(b"\n")
    if end < 0 or size // 2 + end + 1 >= size:
        return None
    return size // 2 + end + 1


def scan_split(scanner: Scanner, read: Callable[[int], bytes], path: str, size: int) -> bool:
    """Scan the file ``read`` gives (from its start) with a worker for the second half.

    Returns False, having read nothing, when the file is not worth or not able to be split;
    the caller then scans it as usual.
    """
    if size < MIN_BYTES or not available():
        return False
    split = split_point(path, size)
    if split is None:
        return False
    try:
        r, w = os.pipe()
    except OSError:
        return False
    try:
        pid = os.fork()
    except OSError:
        os.close(r)
        os.close(w)
        return False
    if pid == 0:  # pragma: no cover - runs in the forked worker, which never returns
        os.close(r)
        _worker(scanner, path, split, w)
    os.close(w)
    try:
        scanner.scan(_limited(read, split), final=False)
        if scanner.pending:
            scanner.resolve_pending(_line_at(path, split))
    except BaseException:
        # The first half failed (a read error, an interrupt): stop the worker before giving up.
        _collect(pid, r, timeout=0)
        raise
    result = _collect(pid, r, timeout=max(MIN_WAIT_S, (size - split) / MIN_RATE))
    if result is None:
        # The worker failed: read the second half here, from where the first half ended.
        scanner.scan(read)
        return True
    _replay(scanner, result)
    return True


def _line_at(path: str, offset: int) -> bytes:
    """The (start of the) line at ``offset``; empty when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            handle.seek(offset)
            return handle.readline(MAX_MATCH_TEXT)
    except OSError:
        return b""


def _limited(read: Callable[[int], bytes], limit: int) -> Callable[[int], bytes]:
    """``read`` that stops after ``limit`` bytes."""
    left = limit

    def limited(size: int) -> bytes:
        nonlocal left
        if left <= 0:
            return b""
        data = read(min(size, left))
        left -= len(data)
        return data

    return limited


def _worker(parent: Scanner, path: str, start: int, fd: int) -> None:  # pragma: no cover - forked child
    """Scan ``path`` from ``start`` to its end and send the matches down ``fd``; never returns."""
    code = 1
    try:
        found: list[LineMatch] = []
        scanner = Scanner(parent.catalogue, found.append)
        with open(path, "rb", buffering=0) as handle:
            handle.seek(start)
            scanner.scan(handle.read)
        payload = (
            scanner.lines,
            scanner.bytes,
            scanner.replaced_lines,
            scanner.long_lines,
            scanner.candidates,
            [(m.signature.id, m.line, m.text, m.groups, m.next_text) for m in found],
        )
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        code = 0
    except BaseException:  # the parent reads the half itself; nothing may escape a fork
        code = 1
    finally:
        os._exit(code)


def _collect(pid: int, fd: int, timeout: float) -> Any:
    """The worker's result, or None when it failed or did not finish within ``timeout`` seconds."""
    import signal

    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    ok = True
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                ok = False
                os.kill(pid, signal.SIGKILL)
                break
            data = os.read(fd, 1 << 20)
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(fd)
        _, status = os.waitpid(pid, 0)
    if not ok or not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None
    try:
        return pickle.loads(b"".join(chunks))
    except Exception:  # a truncated result is a failed worker
        return None


def _replay(scanner: Scanner, result: Any) -> None:
    """Add the worker's half: counts, and its matches with line numbers after the first half's."""
    lines, size, replaced, long_lines, candidates, matches = result
    offset = scanner.lines
    by_id = scanner.catalogue.by_id
    for sid, line, text, groups, next_text in matches:
        scanner.on_match(LineMatch(by_id[sid], line + offset, text, groups, next_text))
    scanner.lines += lines
    scanner.bytes += size
    scanner.replaced_lines += replaced
    scanner.long_lines.extend(n + offset for n in long_lines)
    scanner.candidates += candidates
