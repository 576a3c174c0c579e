"""Programs' own messages about their build and the GPUs they found (``build_messages.toml``): the wordings
explain.buildsaid reads by meaning, each with the source that prints it."""

from __future__ import annotations

from whygpu.knowledge._util import table_rows
from whygpu.records import record


@record(frozen=True)
class BuildMessage:
    """One program's message: the program, what it means (cpu_build, arch_missing, zero_gpus, not_cpu_build), the line, its source."""

    program: str
    says: str
    line: str
    source: str


def build_messages() -> tuple[BuildMessage, ...]:
    """Every message of the table, in its order."""
    return tuple(BuildMessage(program=str(r["program"]), says=str(r["says"]), line=str(r["line"]), source=str(r["source"]))
                 for r in table_rows("build_messages", "message"))
