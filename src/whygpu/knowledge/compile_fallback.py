"""A compiler notice on a GPU in use (accfallback, session 37): knowledge/compile_fallback.toml, with sources.

The one decision: a program that says it fell back from one compiler (the CUDA toolkit's ptxas) to another (the driver's PTX
JIT) and carried on used the GPU; the compiler error it quotes as its reason is the cause only where the log also shows the
run stopped or the writer says it is slow. ``harmless`` decides from what the program said it did next.
"""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge import load
from whygpu.knowledge._util import table_rows


@lru_cache(maxsize=1)
def _rows(table: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(str(row["pattern"]), re.I) for row in table_rows("compile_fallback", table))


def demoted() -> frozenset[str]:
    """The signatures that read the compiler error quoted by a fallback notice as the cause."""
    return frozenset(str(s) for s in load("compile_fallback").get("demoted", []))


def notice(text: str) -> bool:
    """Whether the line ``text`` is a program's words that it fell back to another compiler and went on."""
    return any(rx.search(text) for rx in _rows("notice"))


def stopped(text: str) -> bool:
    """Whether ``text`` shows the run stopped or failed (an exception raised, a kernel not run, an op failed, a hang)."""
    return any(rx.search(text) for rx in _rows("stop"))


def slow_said(text: str) -> bool:
    """Whether ``text`` holds the writer's words that the run is slow or never ends."""
    return any(rx.search(text) for rx in _rows("slow"))


def harmless(lines: list[str]) -> bool:
    """Whether the log ``lines`` show a compiler fallback the program carried on from: a notice, and no line (the notice's
    own included, a raised form of it: "XlaRuntimeError: ... Falling back to the driver") that shows the run stopped, nor
    words beside it that the run is slow."""
    if not any(notice(line) for line in lines):
        return False
    return not any(stopped(line) or (slow_said(line) and not notice(line)) for line in lines)
