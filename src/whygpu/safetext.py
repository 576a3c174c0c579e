"""Terminal-safe text: the one function that strips control sequences from anything read from a file or a process.

Whatever whygpu echoes (a log line, a Dockerfile line, a path, a framework's message) may hold escape
sequences that retitle the window, clear the screen or hide text, or bidirectional overrides that
make a line read differently from what it is (CVE-2021-42574, "Trojan Source").  Every renderer and
the CLI's error line pass their strings through ``strip_controls``; it keeps tab and newline.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

T = TypeVar("T")

# Characters that never belong in echoed text: C0 controls but tab and newline, DEL, C1 controls,
# and the Unicode bidirectional embeddings, overrides and isolates (and the two marks).
_UNSAFE_CHARS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"


@lru_cache(maxsize=1)
def _any_unsafe() -> re.Pattern[str]:
    """Anything unsafe at all; compiled on first use."""
    return re.compile(f"[{_UNSAFE_CHARS}]")


@lru_cache(maxsize=1)
def _sequences() -> re.Pattern[str]:
    """The sequences and characters to drop; compiled when a text first holds one (most runs print none)."""
    return re.compile(
        # OSC (window title, hyperlinks) and DCS/SOS/PM/APC strings, up to their terminator or the end.
        r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
        # CSI (colours, cursor moves, screen clears), 7-bit and 8-bit.
        r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
        # Any other escape sequence: ESC, intermediates, a final byte.
        r"|\x1b[ -/]*[0-~]?"
        f"|[{_UNSAFE_CHARS}]"
    )


def strip_controls(text: str) -> str:
    """``text`` without escape sequences, control characters (but tab and newline) or bidi overrides."""
    if _any_unsafe().search(text) is None:
        return text
    return _sequences().sub("", text)


def map_strings(value: T, change: Callable[[str], str]) -> T:
    """``value`` with ``change`` applied to every string inside it (dataclass fields, lists, tuples, dict keys and values)."""
    return _walk(value, change)  # type: ignore[no-any-return]


def _walk(value: Any, change: Callable[[str], str]) -> Any:
    if isinstance(value, enum.Enum):
        return value
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [_walk(v, change) for v in value]
    if isinstance(value, tuple):
        return tuple(_walk(v, change) for v in value)
    if isinstance(value, dict):
        return {_walk(k, change): _walk(v, change) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _walk(getattr(value, f.name), change) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value
