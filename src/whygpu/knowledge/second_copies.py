"""Two distributions of one framework whose native libraries share one file name (``second_copies.toml``, accsecond,
session 36): ONNX Runtime's NuGet packages (Microsoft.ML.OnnxRuntime, the CPU build; Microsoft.ML.OnnxRuntime.Gpu and its
.Windows/.Linux parts, the CUDA build) all put ``onnxruntime.dll`` / ``libonnxruntime.so`` beside the program, so with
both referenced the file copied last is the one loaded; packages that require the CPU one by name; and the functions
only a GPU build exports. The one decision is ``copies_in_conflict``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from whygpu.knowledge._util import table_rows

__all__ = ["Conflict", "Distribution", "copies_in_conflict", "distributions", "entry_point_framework", "entry_points", "requirers"]


@dataclass(frozen=True)
class Distribution:
    """One distribution of a framework's native library: its framework, name, package manager, build, library stem, source."""

    framework: str
    name: str
    manager: str
    build: str
    library: str
    source: str


@dataclass(frozen=True)
class Requirer:
    """A package that requires a framework's CPU distribution by name."""

    name: str
    manager: str
    requires: str
    note: str
    source: str


@lru_cache(maxsize=1)
def distributions() -> tuple[Distribution, ...]:
    """Every [[distribution]] row."""
    return tuple(Distribution(framework=str(r["framework"]), name=str(r["name"]), manager=str(r["manager"]), build=str(r["build"]),
                              library=str(r["library"]), source=str(r["source"])) for r in table_rows("second_copies", "distribution"))


@lru_cache(maxsize=1)
def requirers() -> tuple[Requirer, ...]:
    """Every [[requirer]] row."""
    return tuple(Requirer(name=str(r["name"]), manager=str(r["manager"]), requires=str(r["requires"]), note=str(r["note"]),
                          source=str(r["source"])) for r in table_rows("second_copies", "requirer"))


@lru_cache(maxsize=1)
def entry_points() -> dict[str, tuple[str, str]]:
    """Each GPU-only exported function, to its (framework, provider)."""
    return {str(r["symbol"]): (str(r["framework"]), str(r["provider"])) for r in table_rows("second_copies", "entry_point")}


def entry_point_framework(symbol: str) -> str | None:
    """The framework whose GPU build alone exports ``symbol``, or None."""
    found = entry_points().get(symbol)
    return found[0] if found else None


@dataclass(frozen=True)
class Conflict:
    """The decision over what a log shows of a framework's library copies: the cause, whether it is decided (high) or a
    likely reading (medium), the GPU and CPU distributions (or the package that requires the CPU one) it names, why, the
    fix, and the source."""

    cause: str
    decided: bool
    gpu: str | None
    cpu: str | None
    because: str
    fix: str
    source: str


def _by_name(framework: str) -> dict[str, Distribution]:
    return {d.name.lower(): d for d in distributions() if d.framework == framework}


def copies_in_conflict(framework: str, *, entry_missing: bool, named: Iterable[str]) -> Conflict | None:
    """accsecond (session 36): the one decision "are two copies of this framework's library in conflict".

    ``named``: the distributions (and requirers) the log shows referenced or installed; ``entry_missing``: the log shows
    the runtime's words that a function only the GPU build exports was not found in the library it loaded.

    - a GPU distribution named, and the entry point missing: the library loaded is not the GPU distribution's; another
      copy of the same file (the CPU distribution's, brought by a package that requires it, or one left in the output
      folder) was copied over it or found first: FRAMEWORK_INSTALL_BROKEN, decided where the CPU distribution or a package
      that requires it is named too;
    - a GPU distribution and the CPU distribution (or a package that requires it) both named, no entry point line: the
      two copies are there and the last one copied wins: FRAMEWORK_INSTALL_BROKEN, a likely reading;
    - the entry point missing and no GPU distribution named: the library loaded is the CPU build: FRAMEWORK_CPU_BUILD, a
      likely reading (the CPU distribution named decides it);
    - otherwise nothing.
    """
    rows = _by_name(framework)
    if not rows:
        return None
    seen = {n.lower() for n in named}
    gpu = next((rows[n].name for n in sorted(seen) if n in rows and rows[n].build == "gpu"), None)
    cpu = next((rows[n].name for n in sorted(seen) if n in rows and rows[n].build == "cpu"), None)
    cpu_names = {d.name.lower() for d in rows.values() if d.build == "cpu"}
    requirer = next((r for r in requirers() if r.name.lower() in seen and r.requires.lower() in cpu_names), None)
    other = cpu or (requirer.name if requirer else None)
    cpu_dist = next((d for d in rows.values() if d.build == "cpu"), None)
    gpu_dist = rows[gpu.lower()] if gpu else next((d for d in rows.values() if d.build == "gpu"), None)
    if cpu_dist is None or gpu_dist is None:
        return None
    library = gpu_dist.library
    keep = gpu_dist.name
    remove = cpu_dist.name
    if gpu is not None and (entry_missing or other is not None):
        brought = "; ".join(([f"{remove} is referenced too"] if cpu is not None else [])
                            + ([f"{requirer.name} requires {requirer.requires} ({requirer.note})"] if requirer is not None else []))
        because = (f"{keep} and {remove} both ship the native {library} library under the same file name; the copy the program "
                   "loads is the one copied last into its output folder (or found first on the library path)"
                   + (f": {brought}" if brought else "")
                   + ("; the function the CUDA provider needs is missing from the library loaded, so it is not the GPU build's"
                      if entry_missing else ""))
        fix = (f"Reference only {keep}: remove {remove} from the project"
               + (f" and move {requirer.name} to a release that does not require {remove} (or exclude {remove}'s assets from its "
                  "dependencies)" if requirer is not None else "")
               + f"; delete the bin and obj folders and rebuild, then check which {library} library sits beside the program (its "
               f"size, or `dumpbin /exports {library}.dll` listing OrtSessionOptionsAppendExecutionProvider_CUDA).")
        return Conflict("FRAMEWORK_INSTALL_BROKEN", other is not None, keep, other, because, fix,
                        requirer.source if requirer is not None else gpu_dist.source)
    if entry_missing and gpu is None:
        because = (f"only the GPU build of {library} exports the function the CUDA provider needs; the library loaded lacks it, "
                   f"so it is {remove}'s (the CPU build)")
        fix = (f"Reference {keep} (the CUDA build) in place of {remove} (a package that requires {remove} by name brings it back: "
               f"use its GPU variant), rebuild from clean bin and obj folders, and keep the CUDA and cuDNN releases {keep} names.")
        return Conflict("FRAMEWORK_CPU_BUILD", cpu is not None, None, cpu, because, fix, cpu_dist.source)
    return None
