"""GPU memory left held when the writer's run is no longer running (accunder, session 35).

The one decision over the writer's sentences about it (knowledge/memory_left.toml, with sources): a clause that says the
GPU's memory stays held ("GPU memory is not deallocated", "it still holds GPU memory", "显存不释放", "13GB allocated by
someone") beside words that the writer's run has ended or is not running ("when I interrupt ... using Ctrl-C", "after
killing the process", "even when I do not have any processes running"), or a clause that says both (a zombie or leftover
process holding the memory). The memory of a context is freed when its process exits, so such memory is held by a process
that has not exited: causes.md's GPU_BUSY.
"""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows

HELD = "held"
ENDED = "ended"
ALONE = "alone"


@lru_cache(maxsize=1)
def forms() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """Every row of knowledge/memory_left.toml: (id, kind, compiled pattern)."""
    return tuple((str(row["id"]), str(row["kind"]), re.compile(str(row["pattern"]), re.I)) for row in table_rows("memory_left", "form"))


def _first(kind: str, text: str, start: int = 0, end: int | None = None) -> tuple[str, re.Match[str]] | None:
    stop = len(text) if end is None else end
    for ident, k, rx in forms():
        if k == kind and (m := rx.search(text, start, stop)) is not None:
            return ident, m
    return None


def held_clause(text: str, start: int = 0, end: int | None = None) -> tuple[str, re.Match[str]] | None:
    """The first clause of ``text[start:end]`` that says the GPU's memory stays held, or that a zombie or leftover process
    holds it: (the form's id, its match); ``alone`` forms first, they decide by themselves."""
    return _first(ALONE, text, start, end) or _first(HELD, text, start, end)


def decides_alone(ident: str) -> bool:
    """Whether the form ``ident`` says by itself that a process other than the run holds the memory."""
    return any(i == ident and k == ALONE for i, k, _ in forms())


# An end said as a bound of the holding, not as an event: "not released until the program ends", "before it exits".
_BOUND_BEFORE = re.compile(r"\b(?:until|till|unless|before|once)\s+(?:\w+\s+){0,3}$", re.I)


def run_ended(text: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
    """Words in ``text[start:end]`` that the writer's run has ended or is not running (not a bound, "until it exits"), or None."""
    stop = len(text) if end is None else end
    for _, kind, rx in forms():
        if kind != ENDED:
            continue
        for m in rx.finditer(text, start, stop):
            if _BOUND_BEFORE.search(text[max(start, m.start() - 40):m.start()]) is None:
                return m
    return None
