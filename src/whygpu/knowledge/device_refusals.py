"""A program that refuses the GPU another layer sees (accdevid, session 35; knowledge/device_refusals.toml).

The programs' refusal messages (a device number refused: CUDA's "invalid device ordinal" in any program's words,
TensorFlow's ordinal with its valid range, CNTK's "Specified GPU device id (0) is invalid"), the writer's words that give
the machine's count of GPUs, and the one decision (``refusal_cause``): which cause the pattern of layers that see the GPU
and the program that refuses it means. Read by explain/devlayers.py, judged by LOG605-LOG607 (explain/devlayerrules.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import parse_version, table_rows
from whygpu.knowledge.situations import SituationCause, situation_cause

__all__ = ["Refusal", "RefusalCause", "count_patterns", "refusal_cause", "refusals", "seen_patterns"]

_WORD_NUMBERS = {"one": 1, "single": 1, "two": 2, "three": 3, "four": 4, "eight": 8}


@dataclass(frozen=True)
class Refusal:
    """One program's refusal message form (a row of the table)."""

    id: str
    program: str
    kind: str
    pattern: re.Pattern[str]
    needle: str
    cpu_build_refuses_every_id: bool
    min_cc: str | None
    source: str
    gpu_build: re.Pattern[str] | None = None


@lru_cache(maxsize=1)
def refusals() -> tuple[Refusal, ...]:
    """The refusal forms, the most specific first (the table's order)."""
    return tuple(Refusal(str(r["id"]), str(r["program"]), str(r["kind"]), re.compile(str(r["pattern"]), re.I), str(r["needle"]),
                         bool(r.get("cpu_build_refuses_every_id", False)), str(r["min_cc"]) if r.get("min_cc") else None,
                         str(r["source"]), re.compile(str(r["gpu_build"]), re.I) if r.get("gpu_build") else None)
                 for r in table_rows("device_refusals", "refusal"))


@lru_cache(maxsize=1)
def count_patterns() -> tuple[re.Pattern[str], ...]:
    """The writer's words that give the count of GPUs (group ``n`` or ``m``: a number in digits or a word)."""
    out: list[re.Pattern[str]] = []
    for r in table_rows("device_refusals", "count"):
        out.append(re.compile(str(r["pattern"]), re.I))
        if r.get("also"):
            out.append(re.compile(str(r["also"]), re.I))
    return tuple(out)


@lru_cache(maxsize=1)
def seen_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The writer's words that another layer sees the GPU: (program, pattern)."""
    return tuple((str(r["program"]), re.compile(str(r["pattern"]), re.I)) for r in table_rows("device_refusals", "seen"))


def count_value(word: str) -> int | None:
    """A count of GPUs written in digits or as a word ("one", "single", "2")."""
    low = word.lower()
    return int(low) if low.isdigit() else _WORD_NUMBERS.get(low)


# The cause a refusal means beside the layers that see the GPU (knowledge.situations: the record the situation tables share).
RefusalCause = SituationCause


def _row(situation: str) -> RefusalCause | None:
    return situation_cause("device_refusals", "cause", "situation", situation)


def refusal_cause(refusal: Refusal, index: int | None, count: int | None, seen_elsewhere: bool,
                  capabilities: tuple[str, ...] = (), listed_by_program: bool = False) -> RefusalCause | None:
    """accdevid (session 35): the one decision LOG605-LOG607 ask. ``refusal`` is the program's refusal form, ``index`` the
    device number it refused (or the number the command or code asked for; None when the log does not show it), ``count``
    the number of GPUs the log shows the machine or process has (nvidia-smi's rows, a program's device list, the range a
    message states, the writer's "only one GPU"; None when not shown), ``seen_elsewhere`` whether a layer other than the
    refusing program lists the GPU (nvidia-smi, another framework's True, another program's words that it works),
    ``capabilities`` the compute capabilities the log lists for the GPU, ``listed_by_program`` whether the refusing
    program's own device list shows the GPU.

    - A number at or past the count shown (or any ordinal refused on a machine shown to have one GPU): the program was given
      a device it does not have (GPU_HIDDEN: a command-line option, a config, a launcher's process count, CUDA_VISIBLE_DEVICES).
    - A program whose CPU-only build refuses every id, refusing 0 (or a number below the count shown): the GPU listed is
      below the program's floor (GPU_NOT_SUPPORTED); else, where another layer lists the GPU and the program's own list
      does not, its build knows no GPU (FRAMEWORK_CPU_BUILD).
    - Anything else (several GPUs and no number shown, a number within the count of an ordinary CUDA program, nothing seen
      elsewhere): None; the existing readings of the line stay as they are.
    """
    if count is not None and count > 0:
        beyond = index >= count if index is not None else (count == 1 and refusal.kind == "ordinal")
        if beyond:
            return _row("beyond_count")
    if not refusal.cpu_build_refuses_every_id or index is None:
        return None
    if index != 0 and (count is None or index >= count):
        return None  # a number other than 0 on a machine whose count is not shown may be past it
    floor = parse_version(refusal.min_cc) if refusal.min_cc else None
    shown = [v for v in (parse_version(c) for c in capabilities) if v is not None]
    if floor is not None and shown and all(v < floor for v in shown) and (seen_elsewhere or listed_by_program):
        return _row("below_floor")
    if listed_by_program or not seen_elsewhere:
        return None  # its own list has the GPU (a GPU build), or nothing else shows the GPU
    return _row("refuses_seen")
