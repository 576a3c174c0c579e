"""The GPU shown in use by the failing program (knowledge/inuse.toml; accinuse, session 35): one decision over every kind
of evidence a log carries, each with its strength, and the reasons a user believes an in-use GPU idle (the monitor that
misled them). Read by explain.inuse; judged by LOG630 (explain.inuserules)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows

STRONG = "strong"
MEDIUM = "medium"
WEAK = "weak"
_ORDER = {STRONG: 3, MEDIUM: 2, WEAK: 1}


@lru_cache(maxsize=1)
def _strengths() -> dict[str, str]:
    return {str(r["kind"]): str(r["strength"]) for r in table_rows("inuse", "evidence")}


def strength_of(kind: str) -> str | None:
    """The strength of one kind of evidence ("created", "monitor", "found", "words"), None for a kind the table lacks."""
    return _strengths().get(kind)


def shown_in_use(kinds: Iterable[str]) -> str | None:
    """accinuse: the one decision whether the log shows the GPU in use by the program, from the kinds of evidence it holds:
    the strongest one's strength ("strong" decides that the GPU is in use: the process's own line that it created or used
    the device, a monitor's compute process holding the GPU's memory; "medium" only that a GPU was found; "weak" a
    sentence), or None where no evidence was seen."""
    best: str | None = None
    for kind in kinds:
        strength = strength_of(kind)
        if strength is not None and (best is None or _ORDER[strength] > _ORDER[best]):
            best = strength
    return best


def decides_use(kinds: Iterable[str]) -> bool:
    """Whether the evidence decides that the GPU is in use (its strongest kind is strong)."""
    return shown_in_use(kinds) == STRONG


@dataclass(frozen=True)
class Belief:
    """One reason a user believes an in-use GPU idle: its kind, the line that shows it (None where another fact does), the
    monitor it names, whether it needs the writer's words beside it, why it misleads, what decides, and the source."""

    kind: str
    pattern: re.Pattern[str] | None
    monitor: str
    words: bool
    why: str
    check: str
    source: str
    blind_to_cuda: bool = False


@lru_cache(maxsize=1)
def beliefs() -> tuple[Belief, ...]:
    return tuple(Belief(str(r["kind"]), re.compile(str(r["pattern"]), re.I) if r.get("pattern") else None, str(r["monitor"]),
                        bool(r.get("words", False)), str(r["why"]), str(r["check"]), str(r["source"]),
                        bool(r.get("blind_to_cuda", False)))
                 for r in table_rows("inuse", "belief"))


def blind_monitor(kinds: Iterable[str]) -> Belief | None:
    """The first of the beliefs ``kinds`` whose monitor does not show CUDA work by default (Task Manager's engine graphs), or
    None: a writer's "not used" read from such a monitor alone decides nothing (lead, session 35)."""
    return next((b for kind in kinds if (b := belief(kind)) is not None and b.blind_to_cuda), None)


def belief(kind: str) -> Belief | None:
    """The belief row of ``kind``, or None."""
    return next((b for b in beliefs() if b.kind == kind), None)


def belief_in(text: str) -> Belief | None:
    """The first belief whose line ``text`` shows (Task Manager named, nvidia-smi's empty process list, a part of the work on
    the CPU, an optional library's warning), or None."""
    for b in beliefs():
        if b.pattern is not None and b.pattern.search(text):
            return b
    return None


@lru_cache(maxsize=1)
def _failed_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(str(r["pattern"]), re.I) for r in table_rows("inuse", "failed_on_gpu"))


def failed_on_gpu(text: str) -> bool:
    """Whether a line that shows the GPU in use also shows the run failing on it (out of memory: [[failed_on_gpu]])."""
    return any(p.search(text) for p in _failed_patterns())
