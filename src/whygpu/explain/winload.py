"""What Windows' DLL loader said, read as a typed fact (accwinload, session 38).

Python raises a failed LoadLibrary as ``OSError: [WinError N] <the system's words>`` (ctypes.WinError); PyTorch's
torch/__init__.py, loading the DLLs of its own torch\\lib folder one by one, adds ``Error loading "<dll>" or one of its
dependencies.``. The number is the loader's system error code, the same in every language Windows speaks (the words are
translated: "找不到指定的模块", "页面文件太小"). The fact is the code and the DLL's path; what it means is decided in the knowledge
layer (``knowledge.loader_search.windows_load_cause``).

Read: the code and the path on one line, or on two lines next to each other (a tracker that broke the line after the
words); the path quoted, quoted with escaped quotes (a JSON or a notebook's repr: ``\\"C:\\\\...\\\\fbgemm.dll\\"``), with
typographic quotes (“...”), or bare. Not read: a code without a DLL path (the commit limit while loading a model is not a
DLL's), a path without a code.
"""

from __future__ import annotations

from whygpu import lazyre as re
from whygpu.records import record

__all__ = ["HINT", "WinLoadSeen", "loader_code", "loader_path", "win_load"]


@record(frozen=True)
class WinLoadSeen:
    """A DLL Windows' loader refused: the system error code and the DLL's path as the line gives it."""

    code: int
    path: str

    def __str__(self) -> str:
        return f"[WinError {self.code}] {self.path}"


# Quick tests before the expressions (lower case).
HINT = ("winerror", "error loading")
_CODE = re.compile(r"\[?WinError (?P<code>\d{2,5})\b\]?")
_PATH = re.compile(r"Error loading\s+(?:\\?[\"“”']+)?(?P<path>[^\"“”'\n]{1,400}?\.dll)(?:\\?[\"“”']+)?\s+or one of its dependencies", re.I)


def loader_code(text: str) -> int | None:
    """The system error code of a ``[WinError N]`` on the line, or None."""
    m = _CODE.search(text)
    return int(m["code"]) if m else None


def loader_path(text: str) -> str | None:
    """The DLL path of an ``Error loading "<dll>" or one of its dependencies`` on the line, its escapes undone, or None."""
    m = _PATH.search(text)
    if m is None:
        return None
    return m["path"].replace("\\\\", "\\").strip()


def win_load(text: str, code_before: int | None = None) -> WinLoadSeen | None:
    """The refused DLL of a line: its code from the line or, where the line gives only the path, from the line before."""
    path = loader_path(text)
    if path is None:
        return None
    code = loader_code(text)
    if code is None:
        code = code_before
    return WinLoadSeen(code, path) if code is not None else None
