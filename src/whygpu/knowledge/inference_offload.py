"""The llama.cpp family's GPU offload setting (accinfer, session 39; knowledge/inference_offload.toml, each row sourced).

One decision, ``offload_verdict``: a program of the family whose build has CUDA, seen with the work on the CPU and no
layer count asked for, ran with its offload setting at the default that keeps every layer on the CPU (CODE_FORCES_CPU);
a count other than 0 shown, or no CUDA in the build shown, decides nothing here.
"""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.records import record


@record(frozen=True)
class OffloadProgram:
    """One program of the family: its name, the names a log gives it, its setting, its zero default and the fix."""

    name: str
    names: tuple[str, ...]
    setting: str
    default_zero: str
    fix: str
    source: str


@lru_cache(maxsize=1)
def programs() -> tuple[OffloadProgram, ...]:
    """Every [[program]] row."""
    return tuple(OffloadProgram(str(r["name"]), tuple(str(n) for n in r["names"]), str(r["setting"]), str(r["default_zero"]),
                                str(r["fix"]), str(r["source"])) for r in table_rows("inference_offload", "program"))


@lru_cache(maxsize=1)
def program_pattern() -> re.Pattern[str]:
    """Any name of a [[program]] row, as a word."""
    names = sorted({n for p in programs() for n in p.names}, key=len, reverse=True)
    return re.compile(r"(?<![\w.-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])", re.I)


def program_of(name: str) -> OffloadProgram | None:
    """The [[program]] row a name belongs to (case-insensitive), or None."""
    low = name.lower()
    return next((p for p in programs() if low in (n.lower() for n in p.names)), None)


@lru_cache(maxsize=1)
def _patterns(table: str) -> tuple[re.Pattern[str], ...]:
    flags = 0 if table == "cuda_line" else re.I
    return tuple(re.compile(str(r["pattern"]), flags) for r in table_rows("inference_offload", table))


def cuda_line(text: str) -> str | None:
    """The words of a line the family prints only from a build with CUDA ([[cuda_line]]), or None."""
    return next((m.group(0) for rx in _patterns("cuda_line") if (m := rx.search(text)) is not None), None)


def cuda_said(text: str) -> re.Match[str] | None:
    """The writer's words that the build has CUDA ([[cuda_said]]), unjudged (the reader asks grammar.said), or None."""
    return next((m for rx in _patterns("cuda_said") if (m := rx.search(text)) is not None), None)


def layers_asked(text: str) -> list[int]:
    """Every offload count the line shows ([[layers]])."""
    return [int(m.group("n")) for rx in _patterns("layers") for m in rx.finditer(text)]


def offload_verdict(*, program: str | None, cuda_build: bool, cpu_build: bool, work_on_cpu: bool,
                    counts: tuple[int, ...]) -> OffloadProgram | None:
    """The program whose zero offload default kept the work on the CPU, or None where the facts do not decide it: the
    program named, its build shown with CUDA (and no CPU build shown), the work shown on the CPU, and no count other than
    0 asked for (a count given means the setting was made; 0 itself is the same cause, said by LOG280)."""
    row = program_of(program) if program else None
    if row is None or not cuda_build or cpu_build or not work_on_cpu:
        return None
    if any(n != 0 for n in counts):
        return None
    return row
