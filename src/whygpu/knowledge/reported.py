"""Facts a reporter's statements need beyond their words (``reported.toml``): programs whose GPU use is fixed at build, and the last NVIDIA driver of an old OS."""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.records import record


@record(frozen=True)
class BuiltGpuRow:
    """A program that uses the GPU only when built with CUDA: its name, how a log shows it, the cause a "no faster" statement names, why, and the source."""

    program: str
    names: str
    cause: str
    reasoning: str
    source: str


@lru_cache(maxsize=1)
def _built_gpu() -> tuple[tuple[BuiltGpuRow, re.Pattern[str]], ...]:
    out = []
    for row in table_rows("reported", "built_gpu"):
        item = BuiltGpuRow(program=str(row["program"]), names=str(row["names"]), cause=str(row["cause"]),
                           reasoning=str(row["reasoning"]), source=str(row["source"]))
        out.append((item, re.compile(item.names, re.I)))
    return tuple(out)


def built_gpu_rows() -> tuple[BuiltGpuRow, ...]:
    """Every program whose GPU use is fixed when it is built."""
    return tuple(row for row, _ in _built_gpu())


def no_faster_program(text: str) -> BuiltGpuRow | None:
    """The program of ``text`` whose GPU use is fixed at build (so a GPU no faster than the CPU means a build without CUDA), or None."""
    for row, names in _built_gpu():
        if names.search(text):
            return row
    return None


def no_faster_cause(text: str) -> str:
    """The cause a statement that the GPU is no faster than the CPU names in a log of ``text``: a program built without CUDA, else a GPU used but idle."""
    row = no_faster_program(text)
    return row.cause if row is not None else "GPU_UNDERUSED"


def os_last_driver(os_name: str) -> tuple[str, str] | None:
    """(the newest NVIDIA driver published for ``os_name``, its source) for an OS whose driver support ended ("windows 7"), else None."""
    for row in table_rows("reported", "os_driver"):
        if str(row["os"]).lower() == os_name.lower().strip():
            return str(row["last_driver"]), str(row["source"])
    return None


@lru_cache(maxsize=1)
def _cpu_only() -> dict[str, str]:
    return {str(row["program"]).lower(): str(row["source"]) for row in table_rows("reported", "cpu_only")}


def cpu_only_program(name: str | None) -> str | None:
    """The source saying that the library ``name`` (a statement's subject, ``explain.works.program_of``) computes on the CPU only, or None."""
    return _cpu_only().get(name.lower()) if name else None


def cpu_only_named(text: str) -> bool:
    """Whether ``text`` names a library that computes on the CPU only (a cheap test before reading a statement's subject)."""
    low = text.lower()
    return any(name in low for name in _cpu_only())

