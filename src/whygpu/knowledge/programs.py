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
from typing import TYPE_CHECKING

from whygpu import lazyre as re
from whygpu.knowledge._util import in_spec, parse_version, table_rows
from whygpu.records import record

if TYPE_CHECKING:
    from packaging.version import Version

__all__ = ["BuildFit", "ProgramBuild", "ReleaseNeeds", "newest_build_cuda", "program_build_fits", "program_build_needs", "program_builds_for",
           "program_called", "program_min_compute_capability", "program_names", "program_uses_installed_cuda", "release_needs", "releases_for_cudnn"]


@record(frozen=True)
class ProgramBuild:
    """One documented GPU build of a program: its distribution, releases, variant, the CUDA and cuDNN it was made for, and where that is stated."""

    program: str
    versions: str
    variant: str
    cuda: str  # "" where the release does not decide it (TensorRT 8.x: published for CUDA 11 and 12 alike)
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
            cuda=str(row.get("cuda", "")),
            cudnn=str(row["cudnn"]) if row.get("cudnn") is not None else None,
            source=str(row["source"]),
        )
        for row in table_rows("programs", "gpu_build")
    )


@lru_cache(maxsize=1)
def _named_as() -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple((str(row["program"]).lower(), frozenset(str(n).lower() for n in row.get("names", ())))
                 for row in table_rows("programs", "named_as"))


def program_called(name: str) -> str | None:
    """accinfer (session 39): the program of the [[gpu_build]] rows that runs under ``name`` ("faster-whisper" ->
    "ctranslate2", [[named_as]] rows); None for a name the table does not hold."""
    low = name.strip().lower()
    return next((program for program, names in _named_as() if low in names), None)


def newest_build_cuda(program: str) -> str | None:
    """accinfer (session 39): the newest CUDA major any documented GPU build of ``program`` was made for ("12" for
    CTranslate2 4.x), the most a driver must run for any release of it; None where the table has no build with a CUDA."""
    majors = [int(b.cuda.split(".")[0]) for b in _builds() if b.program == program.strip().lower() and b.cuda[:1].isdigit()]
    return str(max(majors)) if majors else None


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
    return sorted(out, key=lambda b: _newest_first(b.versions, b.variant), reverse=True)


def _newest_first(spec: str, variant: str) -> tuple[bool, Version, bool, Version]:
    """Sort key, newest releases last (the caller reverses it): whether the row's range is open above, its upper bound,
    whether it is the default variant (what a plain install gets), its lower bound.

    A row with no upper bound (">=0.4.29", or no specifier: any release) serves the newest releases; between two rows
    with the same upper bound, the default variant comes before the others (onnxruntime-gpu's Windows archive), then
    the one starting later. A specifier that does not parse sorts oldest.
    """
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    low = high = Version("0")
    try:
        specifiers = list(SpecifierSet(spec))
    except InvalidSpecifier:
        return (False, high, False, low)
    open_above = True
    for item in specifiers:
        try:
            bound = Version(item.version.rstrip(".*"))
        except InvalidVersion:
            continue
        if item.operator in {"<", "<=", "==", "==="}:
            open_above = False
            high = max(high, bound)
        if item.operator in {">", ">=", "==", "===", "~="}:
            low = max(low, bound)
    return (open_above, high, variant == "default", low)


@record(frozen=True)
class ReleaseNeeds:
    """accbundle (session 27): what one release of a framework or program was built against, as the loader sees it.

    ``cuda``: the CUDA its GPU build's libraries ask for (a major from 11 on, major.minor before; a CUDA variant's own
    version where one is known), None where the release alone does not decide it. ``cudnn``: the cuDNN major, None where
    it loads none or the release does not decide it. ``brings_cudnn``: installing the release brings that cuDNN with it
    (PyTorch's CUDA builds: in the wheel, through pip's nvidia-cudnn wheel, or the conda package), so it is present in the
    environment whether or not another program can use it. ``source``: the page that states the row.
    """

    program: str
    version: str
    cuda: str | None
    cudnn: str | None
    brings_cudnn: bool
    source: str


def _canonical(program: str) -> str:
    name = program.strip().lower().replace("_", "-")
    return {"pytorch": "torch", "tensorflow-gpu": "tensorflow"}.get(name, name)


def release_needs(program: str, version: str | None, *, variant: str | None = None, cuda: str | None = None,
                  platform: str | None = None) -> ReleaseNeeds | None:
    """The CUDA and cuDNN majors the GPU build of ``program`` at ``version`` was built against, and whether it brings its cuDNN.

    The one question "which cuDNN/CUDA does this stated release want" for explain and the doctor, answered from the tables
    each program already has: PyTorch's [[cudnn_bundled]] and CUDA variants (knowledge/torch.toml; ``cuda`` a variant known
    from the log or the machine, "12.4" or "cu124"; without it, what every CUDA variant of the release agrees on, and only
    where the platform's plain wheel is a CUDA build), TensorFlow's tested builds (knowledge/tensorflow.toml; ``variant``
    "and-cuda" brings the cuDNN its extra pins), a CUDA jaxlib's local version ("0.4.20+cuda12.cudnn89"), and the
    [[gpu_build]] rows of knowledge/programs.toml (onnxruntime-gpu, CTranslate2, PaddlePaddle, CuPy, TensorRT, JAX's plugin).
    None where no table knows the release, or it is no GPU build.
    """
    name = _canonical(program)
    text = (version or "").strip()
    if name == "torch":
        return _torch_needs(text, cuda, platform)
    if name == "tensorflow":
        return _tensorflow_needs(text, variant, platform)
    if name in ("jax", "jaxlib") and "+" in text:
        from whygpu.knowledge.jax import jaxlib_local_cuda

        local = jaxlib_local_cuda(text)
        if local is None or (local[0] is None and not local[1]):
            return None
        return ReleaseNeeds(name, text, str(local[0]) if local[0] is not None else None, local[1] or None, False,
                            "https://storage.googleapis.com/jax-releases/jax_cuda_releases.html")
    build = program_build_needs(name, text or None, variant)
    if build is None:
        return None
    return ReleaseNeeds(name, text, build.cuda or None, build.cudnn, False, build.source)


def _torch_needs(version: str, cuda: str | None, platform: str | None) -> ReleaseNeeds | None:
    from whygpu.knowledge._util import platform_key
    from whygpu.knowledge.torch import (
        torch_bundled_cudnn,
        torch_cuda_from_local_tag,
        torch_pypi_wheel_cpu_only,
        torch_release,
    )

    base, _, local = version.partition("+")
    if local:
        if not local.lower().startswith("cu"):
            return None  # +cpu, +rocm6.1, +xpu: no CUDA build
        cuda = cuda or torch_cuda_from_local_tag(local)
    if cuda and cuda.strip().lower().startswith("cu"):
        cuda = torch_cuda_from_local_tag(cuda)
    if cuda:
        variants = [cuda]
    else:
        # Named without its variant: the plain wheel of a platform where PyPI's has no CUDA is no CUDA build; elsewhere every
        # variant the release was published for must agree.
        if platform and torch_pypi_wheel_cpu_only(platform_key(platform)):
            return None
        release = torch_release(base)
        if release is None:
            return None
        variants = [*release.cuda_variants, *release.experimental_cuda_variants]
    if not variants:
        return None
    cudnns = [torch_bundled_cudnn(base, v) for v in variants]
    majors = {c[0] for c in cudnns if c is not None}
    cudnn = next(iter(majors)) if len(majors) == 1 and None not in cudnns else None
    cuda_majors = {_cuda_major(v) for v in variants}
    build_cuda = variants[0] if len(variants) == 1 else (next(iter(cuda_majors)) if len(cuda_majors) == 1 else None)
    if cudnn is None and build_cuda is None:
        return None
    source = next((c[1] for c in cudnns if c is not None), "https://github.com/pytorch/pytorch/blob/main/RELEASE.md#release-compatibility-matrix")
    return ReleaseNeeds("torch", version, build_cuda, cudnn, cudnn is not None, source)


def _tensorflow_needs(version: str, variant: str | None, platform: str | None) -> ReleaseNeeds | None:
    from whygpu.knowledge._util import platform_key
    from whygpu.knowledge.cuda_versions import cudnn_major
    from whygpu.knowledge.tensorflow import tensorflow_and_cuda_pins, tensorflow_build

    # WSL, Colab and the rest run the Linux wheels; macOS has no CUDA build.
    key = platform_key(platform) if platform else "linux"
    if key == "macos":
        return None
    build = tensorflow_build(version, "windows" if key == "windows" else "linux")
    if build is None or not build.gpu:
        return None
    cudnn = cudnn_major(build.cudnn) if build.cudnn else None
    brings = False
    if variant == "and-cuda":
        pins = tensorflow_and_cuda_pins(version) or {}
        pin = next((spec for package, spec in pins.items() if package.startswith("nvidia-cudnn")), None)
        if pin is not None and (major := re.search(r"\d+", pin)) is not None:
            cudnn, brings = major.group(0), True
    return ReleaseNeeds("tensorflow", version, _cuda_major(build.cuda) if build.cuda else None, cudnn, brings, build.source)


def _cuda_major(cuda: str) -> str:
    """The part of a CUDA version its sonames carry: the major from 11 on, major.minor before ("12.4" -> "12", "10.2" -> "10.2")."""
    parts = cuda.split(".")
    return parts[0] if parts[0].isdigit() and int(parts[0]) >= 11 else ".".join(parts[:2])


def releases_for_cudnn(program: str, major: str) -> list[str]:
    """The releases of ``program`` (PEP 440 specifiers, newest rows first) whose GPU build wants, or brings, cuDNN ``major``:
    what a fix names as the release that agrees with the other program (accbundle, session 27)."""
    name = _canonical(program)
    if name == "torch":
        from whygpu.knowledge.torch import torch_releases_bringing_cudnn

        return torch_releases_bringing_cudnn(major)
    if name == "tensorflow":
        from whygpu.knowledge.cuda_versions import cudnn_major
        from whygpu.knowledge.tensorflow import tensorflow_builds

        return [f"=={b.version}.*" for b in tensorflow_builds("linux") if b.gpu and b.cudnn and cudnn_major(b.cudnn) == str(major)][:1]
    return [b.versions for b in _builds() if b.program == name and b.variant == "default" and b.cudnn == str(major) and b.versions]


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


def torch_device_frame(line: str, text: str = "") -> str | None:
    """accvoice41 (session 41): the program whose code, shown by this traceback frame, hands CTranslate2 the device
    PyTorch chose (knowledge/programs.toml [[torch_device]]); None otherwise, and None where the log ``text`` shows the
    device given by the user (the row's ``unless``)."""
    low = line.lower()
    for row in table_rows("programs", "torch_device"):
        if str(row["needle"]) in low and re.compile(str(row["frame"]), re.I).search(line):
            if row.get("unless") and re.compile(str(row["unless"]), re.I).search(text):
                return None
            return str(row["program"])
    return None
