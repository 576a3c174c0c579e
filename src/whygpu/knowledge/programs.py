"""The CUDA and cuDNN the GPU builds of programs beside the frameworks need (knowledge/programs.toml), and whether what a log or machine shows serves them.

accbuilds (session 21). ONNX Runtime, CTranslate2 (under faster-whisper and whisperX) and CuPy publish GPU builds
made for one CUDA major and one cuDNN major; a build's libraries ask the loader for those majors' sonames
(``libcudnn.so.8``, ``cudnn64_9.dll``, ``libcublasLt.so.11``), so the other major installed does not serve them.
One decision, :func:`program_build_fits`, judges a build against the versions found, through
``knowledge.cuda_versions.build_fits_found`` (the decision the doctor's and explain's other version checks share).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from whygpu.knowledge._util import in_spec, parse_version, table_rows
from whygpu.records import record

__all__ = ["BuildFit", "ProgramBuild", "program_build_fits", "program_build_needs", "program_builds_for", "program_min_compute_capability",
           "program_names", "program_uses_installed_cuda"]


@record(frozen=True)
class ProgramBuild:
    """One documented GPU build of a program: its distribution, releases, variant, the CUDA and cuDNN it was made for, and where that is stated."""

    program: str
    versions: str
    variant: str
    cuda: str
    cudnn: str | None
    source: str


@record(frozen=True)
class BuildFit:
    """A program build judged against the versions found: ``fits`` None when nothing found can be compared; ``cause`` the mismatch it means when False.

    ``library`` is "cudnn" or "cuda" (what did not fit, or was compared), ``wanted`` that library's version the build
    asks for, ``found`` the versions found that were compared.
    """

    build: ProgramBuild
    fits: bool | None
    cause: str | None
    library: str
    wanted: str
    found: tuple[str, ...]


@lru_cache(maxsize=1)
def _builds() -> tuple[ProgramBuild, ...]:
    return tuple(
        ProgramBuild(
            program=str(row["program"]).lower(),
            versions=str(row.get("versions", "")),
            variant=str(row.get("variant", "default")),
            cuda=str(row["cuda"]),
            cudnn=str(row["cudnn"]) if row.get("cudnn") is not None else None,
            source=str(row["source"]),
        )
        for row in table_rows("programs", "gpu_build")
    )


def program_names() -> frozenset[str]:
    """Every distribution name the table has a GPU build of (lower case)."""
    return frozenset(b.program for b in _builds())


def program_build_needs(program: str, version: str | None = None, variant: str | None = None) -> ProgramBuild | None:
    """The documented GPU build of ``program`` at ``version`` in ``variant`` ("default" when the log names none), or None when the table has none.

    A row with no version specifier (CuPy's per-CUDA distributions) answers for any version, even an unknown one; a
    row with one needs a version that parses.
    """
    name = program.strip().lower().replace("_", "-")
    wanted_variant = variant or "default"
    parsed = parse_version(version) if version else None
    for build in _builds():
        if build.program != name or build.variant != wanted_variant:
            continue
        if not build.versions:
            return build
        if parsed is not None and in_spec(build.versions, parsed):
            return build
    return None


def program_build_fits(build: ProgramBuild, *, cudnn_found: Sequence[str] = (), cuda_found: Sequence[str] = ()) -> BuildFit:
    """Whether the cuDNN and CUDA found serve a program's build: cuDNN first (the majors its sonames carry), then CUDA.

    A library fits when ANY version found of it serves the build (two cuDNNs on a machine: the loader may find the
    right one); it does not fit only when every version found is another. Each comparison is
    ``knowledge.cuda_versions.build_fits_found`` (cuDNN: the same major; CUDA: the same major from 11 on, the same
    major.minor before). ``fits`` is None when neither library was found in a form that can be compared.
    """
    from whygpu.knowledge.cuda_versions import build_fits_found

    compared: BuildFit | None = None
    for library, wanted, found in (("cudnn", build.cudnn, cudnn_found), ("cuda", build.cuda, cuda_found)):
        if not wanted or not found:
            continue
        answers = [(build_fits_found(library, wanted, f), f) for f in found]
        known = [(fits, cause, f) for (fits, cause), f in answers if fits is not None]
        if not known:
            continue
        if any(fits for fits, _, _ in known):
            compared = compared or BuildFit(build, True, None, library, wanted, tuple(f for _, _, f in known))
            continue
        return BuildFit(build, False, known[0][1], library, wanted, tuple(dict.fromkeys(f for _, _, f in known)))
    if compared is not None:
        return compared
    return BuildFit(build, None, None, "cudnn" if build.cudnn else "cuda", build.cudnn or build.cuda, ())


def program_builds_for(program: str, *, cudnn: str | None = None, cuda: str | None = None) -> list[ProgramBuild]:
    """The documented builds of ``program`` that the cuDNN and CUDA given serve (each judged by :func:`program_build_fits`), newest rows first.

    What a fix offers as the other way out: the program's releases made for what is installed.
    """
    name = program.strip().lower().replace("_", "-")
    out = []
    for build in _builds():
        if build.program != name:
            continue
        fit = program_build_fits(build, cudnn_found=[cudnn] if cudnn else [], cuda_found=[cuda] if cuda else [])
        if fit.fits:
            out.append(build)
    return out


def program_min_compute_capability(program: str, version: str | None = None) -> tuple[str, str] | None:
    """(lowest compute capability ``program``'s official GPU builds run on, the page that states it), or None when the
    table (knowledge/programs.toml [[min_compute_capability]]) has no row for it (acccc, session 23)."""
    parsed = parse_version(version) if version else None
    for row in table_rows("programs", "min_compute_capability"):
        if str(row["program"]).lower() != program.lower():
            continue
        spec = str(row.get("versions", ""))
        if spec and parsed is not None and not in_spec(spec, parsed):
            continue
        return str(row["min"]), str(row["source"])
    return None


def program_uses_installed_cuda(program: str) -> bool:
    """Whether ``program`` runs on the CUDA toolkit installed beside it (its kernels compiled by that CUDA), so the CUDA a
    log shows installed is the build's (knowledge/programs.toml [[uses_installed_cuda]])."""
    return any(str(row["program"]).lower() == program.lower() for row in table_rows("programs", "uses_installed_cuda"))


def program_compute_type_on_gpu(program: str, compute_type: str, cc: str) -> bool | None:
    """accunsup (session 26): whether ``program`` runs ``compute_type`` on a GPU of compute capability ``cc``
    (knowledge/programs.toml [[gpu_compute_type]]: CTranslate2's float16 needs 7.0, or 6.0/6.2/5.3); None where the table
    has no row for the pair or the capability cannot be read."""
    from whygpu.knowledge._util import cc_tuple

    have = cc_tuple(cc)
    if have is None:
        return None
    for row in table_rows("programs", "gpu_compute_type"):
        if str(row["program"]).lower() != program.lower() or str(row["compute_type"]).lower() != compute_type.lower():
            continue
        for entry in row["capabilities"]:
            text = str(entry)
            floor = cc_tuple(text[2:]) if text.startswith(">=") else None
            if (floor is not None and have >= floor) or cc_tuple(text) == have:
                return True
        return False
    return None
