"""The one check every command makes on an input path it was given, before reading it.

A path named on the command line must be something whygpu can read to its end without waiting:
a regular file (or a directory, where the command walks folders), ``-`` for standard input, or a
process substitution (``<(cmd)``, a pipe at ``/dev/fd/N``) that the user clearly asked for.  A FIFO,
a device (``/dev/null``, ``/dev/zero``, a tty) or a socket is refused with one line, found by
``stat`` and never opened, so nothing can block.  Files are opened with ``O_NONBLOCK`` and checked
again on the open descriptor, so a file swapped for a FIFO in between cannot block either.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from dataclasses import dataclass
from typing import BinaryIO

from whygpu.errors import UserError

# Process substitution: bash and zsh pass ``/dev/fd/N``; some systems spell it ``/proc/self/fd/N``;
# ``/dev/stdin`` names standard input just as plainly.
_PROCESS_SUBSTITUTION = r"^(?:/(?:dev|proc/self)/fd/\d+|/dev/stdin)$"  # matched with re's cache: nothing compiled at import
SNIFF = 8192


@dataclass(frozen=True)
class Input:
    """What a checked input path is: ``kind`` is "stdin", "file", "directory" or "pipe" (process substitution)."""

    path: str
    kind: str
    size: int = 0


def _kind_name(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_input(path: str, *, what: str, directories: bool = False, stdin: bool = False,
                empty_ok: bool = False) -> Input:
    """Check ``path`` (named on the command line as ``what``) and say what it is; a ``UserError`` if it cannot be read.

    ``directories``: a folder is accepted; ``stdin``: ``-`` means standard input (and on a terminal,
    a line on standard error says how to end it); ``empty_ok``: an empty file is not an error.
    """
    if path == "-":
        if not stdin:
            raise UserError(f"'-' (standard input) is not accepted for {what}")
        isatty = getattr(sys.stdin, "isatty", None)
        if callable(isatty) and isatty():
            end = "Ctrl-Z then Enter" if os.name == "nt" else "Ctrl-D"
            print(f"whygpu: reading {what} from the terminal; paste it, then press {end} on a new line to end it "
                  "(or pass a file name)", file=sys.stderr, flush=True)
        return Input(path, "stdin")
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise UserError("no such file or directory", where=path) from None
    except PermissionError:
        raise UserError("permission denied", where=path) from None
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot read: {getattr(exc, 'strerror', None) or exc}", where=path) from None
    if stat.S_ISDIR(info.st_mode):
        if not directories:
            raise UserError(f"is a directory; {what} must be a regular file", where=path)
        return Input(path, "directory")
    if stat.S_ISFIFO(info.st_mode) and re.match(_PROCESS_SUBSTITUTION, path):
        return Input(path, "pipe")
    if not stat.S_ISREG(info.st_mode):
        alternatives = " or a folder" if directories else ""
        alternatives += ", or '-' for standard input" if stdin else ""
        raise UserError(f"{_kind_name(info.st_mode)}; {what} must be a regular file{alternatives}", where=path)
    if not os.access(path, os.R_OK):
        raise UserError("permission denied", where=path)
    if info.st_size == 0 and not empty_ok:
        raise UserError(f"the file is empty (0 bytes), so it holds no {what.split(' ', 1)[-1]}", where=path)
    return Input(path, "file", info.st_size)


def open_input(path: str) -> BinaryIO:
    """Open a checked input for reading without ever blocking on a FIFO or device swapped in after the check."""
    if re.match(_PROCESS_SUBSTITUTION, path):
        return open(path, "rb")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise UserError("no such file or directory", where=path) from None
    except PermissionError:
        raise UserError("permission denied", where=path) from None
    except OSError as exc:
        raise UserError(f"cannot read: {exc.strerror or exc}", where=path) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise UserError(f"{_kind_name(mode)}, not a regular file", where=path)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def looks_binary(sample: bytes) -> bool:
    """True for bytes that are not text: a NUL byte, or more than a tenth control characters (as grep and git judge)."""
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return control > len(sample) // 10


def refuse_binary(path: str, what: str) -> None:
    """A ``UserError`` when the regular file at ``path`` holds binary data (its first 8 KiB are read)."""
    with open_input(path) as handle:
        sample = handle.read(SNIFF)
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 text (PowerShell) has NUL bytes but is text
    if looks_binary(sample):
        raise UserError(f"binary file, not {what}", where=path)
