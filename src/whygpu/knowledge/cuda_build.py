"""Is this build a CUDA build? The one decision over every kind of evidence a log shows about a framework's build (cuda_build.toml).

explain/buildshown.py reads each kind of evidence from a log's facts (a framework's own build answer, its GPU package or
pip release, a CUDA library it loaded, a CUDA wheel index, a framework's CUDA image, JAX's CUDA extra, conda's CUDA pins,
pip's CUDA wheels, the writer's "CPU version"); ``build_verdict`` weighs them (accnotcpu, session 35).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.records import record

DECIDES = "decides"
SUGGESTS = "suggests"
# What a command asked a solver for, which the solver can resolve otherwise: weighed by nothing (cuda_build.toml).
HINTS = "hints"


@record(frozen=True)
class BuildEvidence:
    """One row of cuda_build.toml: a kind of evidence about a build, the side it shows and how strongly."""

    kind: str
    cuda: bool
    strength: str
    why: str
    source: str


@record(frozen=True)
class BuildVerdict:
    """What the evidence decides: ``cuda`` True (a CUDA build) or False (a CPU-only build), ``strength`` "decides" or
    "suggests", and the kind of evidence that carries it."""

    cuda: bool
    strength: str
    kind: str


@lru_cache(maxsize=1)
def evidence_kinds() -> dict[str, BuildEvidence]:
    """Every row by kind."""
    return {str(row["kind"]): BuildEvidence(kind=str(row["kind"]), cuda=bool(row["cuda"]), strength=str(row["strength"]),
                                            why=str(row["why"]), source=str(row["source"]))
            for row in table_rows("cuda_build", "evidence")}


def build_verdict(kinds: Iterable[str]) -> BuildVerdict | None:
    """Whether the kinds of evidence a log shows about one framework's build (each a key of cuda_build.toml, in the order
    the log reader found them) decide a CUDA or a CPU-only build; None where they decide nothing.

    A decisive sign on both sides is two builds in one log (a mixed install, or two environments): no verdict. A decisive
    sign on one side decides it whatever the other side only suggests. Suggestions alone count only where no sign of the
    other side shows; they make that side likely (strength "suggests"). Hints (a solver's request) weigh nothing."""
    rows = [row for row in (evidence_kinds()[kind] for kind in kinds) if row.strength != HINTS]
    if not rows:
        return None
    decisive = {side: [r for r in rows if r.cuda is side and r.strength == DECIDES] for side in (True, False)}
    if decisive[True] and decisive[False]:
        return None
    for side in (True, False):
        if decisive[side]:
            return BuildVerdict(cuda=side, strength=DECIDES, kind=decisive[side][0].kind)
    sides = {r.cuda for r in rows}
    if len(sides) != 1:
        return None
    return BuildVerdict(cuda=rows[0].cuda, strength=SUGGESTS, kind=rows[0].kind)


# --- accconda (session 36): what conda installed, by its build string ----------------------------------------------------


@record(frozen=True)
class CondaBuild:
    """A conda package's build string read by a channel's convention (cuda_build.toml [[conda_build]]): the framework,
    whether the build is the CUDA variant, and the channel whose convention says so."""

    framework: str
    cuda: bool
    channel: str
    source: str


@lru_cache(maxsize=1)
def _conda_build_rows() -> tuple[tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], dict[str, object]], ...]:
    return tuple((re.compile(str(row["names"]), re.I), re.compile(str(row["cpu"]), re.I), re.compile(str(row["cuda"]), re.I), row)
                 for row in table_rows("cuda_build", "conda_build"))


def conda_build(package: str, build: str) -> CondaBuild | None:
    """The variant the conda package ``package`` with build string ``build`` is (CPU or CUDA) by its channel's convention,
    or None where no row knows the package or the build string names no variant (a metapackage's "h7e8668a_5", "pypi_0")."""
    for names, cpu, cuda, row in _conda_build_rows():
        if not names.fullmatch(package):
            continue
        is_cpu, is_cuda = cpu.search(build) is not None, cuda.search(build) is not None
        if is_cpu != is_cuda:
            return CondaBuild(framework=str(row["framework"]), cuda=is_cuda, channel=str(row["channel"]), source=str(row["source"]))
    return None


# --- accvoice41 (session 41): a program's packaged release for NVIDIA GPUs, by its archive's name ---------------------------


@lru_cache(maxsize=1)
def _packaged_rows() -> tuple[tuple[str, re.Pattern[str], str], ...]:
    return tuple((str(row["needle"]), re.compile(str(row["pattern"]), re.I), str(row["program"]))
                 for row in table_rows("cuda_build", "packaged_build"))


def packaged_build(line: str) -> tuple[str, str] | None:
    """The program and the archive name of a packaged release for NVIDIA GPUs (its embedded framework a CUDA build) that
    ``line`` names (cuda_build.toml [[packaged_build]]), or None."""
    low = line.lower()
    for needle, pattern, program in _packaged_rows():
        if needle in low and (m := pattern.search(line)) is not None:
            return program, m.group(0)
    return None
