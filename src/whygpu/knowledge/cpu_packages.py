"""Packages that are CPU builds by definition (``cpu_packages.toml``): which name, under which package manager, is one."""

from __future__ import annotations

import re
from functools import lru_cache

from whygpu.knowledge._util import table_rows
from whygpu.records import record


@record(frozen=True)
class CpuPackage:
    """A CPU-only package: its name, the framework or program it builds, what shows its GPU sibling, what installs the GPU build, why, and the source."""

    name: str
    framework: str
    kin: tuple[str, ...]
    gpu: str
    instead: str
    why: str
    source: str


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[CpuPackage, re.Pattern[str], frozenset[str], bool], ...]:
    out = []
    for row in table_rows("cpu_packages", "package"):
        item = CpuPackage(name=str(row["name"]), framework=str(row["framework"]), kin=tuple(str(k) for k in row.get("kin", [])), gpu=str(row["gpu"]),
                          instead=str(row["instead"]), why=str(row["why"]), source=str(row["source"]))
        out.append((item, re.compile(rf"(?:{row['names']})", re.I), frozenset(str(m) for m in row["managers"]), bool(row.get("said", True))))
    return tuple(out)


def cpu_packages() -> tuple[CpuPackage, ...]:
    """Every package the table knows."""
    return tuple(item for item, _, _, _ in _rows())


def cpu_only_package(name: str, manager: str | None, *, said: bool = False) -> CpuPackage | None:
    """The CPU-only package ``name`` is when ``manager`` (pip, conda, apt, nuget; None: a listing's row or the writer's words) installs it, or None.

    A name that means a CPU build only under one manager (apt's tensorflow-model-server, pip's mxnet) is read from a
    listing as that package too; from the writer's words (``said``) only where the name is not also the framework's own
    name ("I am using MXNet 1.4" names the framework, not pip's CPU package).
    """
    for item, names, managers, in_words in _rows():
        if not names.fullmatch(name) or (said and not in_words):
            continue
        if manager is None or manager in managers or "any" in managers:
            return item
    return None


def gpu_sibling_shown(package: CpuPackage, text: str) -> bool:
    """Whether ``text`` shows the same program's GPU package or build (then the log is about both, not the CPU one alone)."""
    return re.search(package.gpu, text, re.I) is not None
