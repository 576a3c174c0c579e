"""The one check that decides whether a framework is a CUDA build, and how a report names a CPU-only build it cannot decide (acccpubuild, session 37).

A log that shows the GPU unused with no line about the build leaves the CPU-only build a base rate, not a finding: the
labelled logs like it had another cause about as often (docs/explain-accuracy.md, Session 37). Where the counts do not
single it out, the report names the build as the first thing to check, with the one command that decides it
(build_check.toml), before any advice to reinstall.
"""

from __future__ import annotations

from functools import lru_cache

from whygpu.knowledge._util import table_rows
from whygpu.records import record

CPU_BUILD = "FRAMEWORK_CPU_BUILD"


@record(frozen=True)
class BuildCheck:
    """One row of build_check.toml: the command that prints a framework's build and what each answer means."""

    framework: str
    command: str
    cpu_answer: str
    cuda_answer: str
    source: str


@lru_cache(maxsize=1)
def _checks() -> dict[str, BuildCheck]:
    return {str(row["framework"]): BuildCheck(framework=str(row["framework"]), command=str(row["command"]),
                                              cpu_answer=str(row["cpu_answer"]), cuda_answer=str(row["cuda_answer"]),
                                              source=str(row["source"]))
            for row in table_rows("build_check", "check")}


def build_check(framework: str | None) -> BuildCheck:
    """The check for ``framework`` (a key of explain's facts; None, "any", "several" or one the table lacks: the generic row)."""
    checks = _checks()
    return checks.get(framework or "any") or checks["any"]


def check_first(lead: str, decided: bool) -> bool:
    """Whether a ranking's lead is a CPU-only build that nothing in the log decides: then the report names it the first to
    check and gives the build check before the reinstall (a lead the counts single out, or another cause, is said as ranked)."""
    return lead == CPU_BUILD and not decided


def check_first_fix(framework: str | None, fix: str) -> str:
    """The fix of an undecided CPU-build lead: a first line with the build check and what its answers mean, then ``fix`` (the
    reinstall) for a CPU answer. The check has a line of its own: a fix's line naming another framework's install command is
    replaced by the program's own advice (explain.programfix), which must not take the check with it."""
    check = build_check(framework)
    return (f"First check which build is installed (nothing in the log says): {check.command}. "
            f"{check.cpu_answer[0].upper()}{check.cpu_answer[1:]} is a CPU-only build: only then reinstall, as below. "
            f"{check.cuda_answer[0].upper()}{check.cuda_answer[1:]} is a CUDA build: the build is not the cause; look at the "
            f"other causes below.\n{fix}")
