"""CUDA knowledge: toolkit and driver minimums, minor-version compatibility, architectures, sonames and error codes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from packaging.version import Version

from whygpu import lazyre as re
from whygpu.knowledge._util import (
    in_spec,
    parse_version,
    platform_key,
    release_parts,
    table_rows,
)

# The decisions on CUDA version strings live in cuda_versions (no table, no packaging): the
# collectors call them on every machine with a toolkit; they stay importable from here.
from whygpu.knowledge.cuda_versions import cuda_from_driver_code as cuda_from_driver_code
from whygpu.knowledge.cuda_versions import cuda_satisfies as cuda_satisfies
from whygpu.knowledge.cuda_versions import cudnn_satisfies as cudnn_satisfies
from whygpu.knowledge.cuda_versions import dll_version as dll_version
from whygpu.knowledge.cuda_versions import driver_runs_cuda as driver_runs_cuda
from whygpu.knowledge.cuda_versions import library_stem as library_stem
from whygpu.knowledge.cuda_versions import library_version as library_version
from whygpu.knowledge.cuda_versions import parse_library_name as parse_library_name
from whygpu.knowledge.cuda_versions import version_tuple as version_tuple
from whygpu.records import record


@record(frozen=True)
class CudaError:
    """A CUDA driver, runtime or NVML error code and the cause it usually points to."""

    code: int
    name: str
    api: str
    meaning: str
    cause: str | None
    also: tuple[str, ...]
    source: str


@record(frozen=True)
class CudaArchitectureSupport:
    """The compute capabilities a CUDA major can build for and run, and what it dropped."""

    cuda_major: int
    min_cc: str
    dropped: tuple[str, ...]
    deprecated: tuple[str, ...]
    note: str | None
    source: str


@lru_cache(maxsize=1)
def _toolkits() -> tuple[tuple[Version, dict[str, Any]], ...]:
    rows = [(Version(row["version"]), row) for row in table_rows("cuda", "toolkit")]
    return tuple(sorted(rows, key=lambda pair: pair[0]))


def is_cuda_release(version: str) -> bool | None:
    """Whether a CUDA toolkit release of this major.minor exists (knowledge/cuda.toml's toolkit rows).

    None outside the table's range (older than its first row, newer than its last: a release it does
    not know yet); "8.6" is False (CUDA 8 had only 8.0; 8.6 is a cuDNN or compute capability number).
    """
    parsed = parse_version(version)
    rows = _toolkits()
    if parsed is None or not rows:
        return None
    wanted = release_parts(parsed, 2)
    known = {release_parts(v, 2) for v, _ in rows}
    if wanted < release_parts(rows[0][0], 2) or wanted > release_parts(rows[-1][0], 2):
        return None
    return wanted in known


def was_cuda_release(version: str) -> bool | None:
    """Whether any CUDA toolkit release ever bore this major.minor: the [[toolkit]] rows, and before them NVIDIA's archive
    ([[early_releases]]); None only for one newer than the table (acccc, session 23)."""
    known = is_cuda_release(version)
    if known is not None:
        return known
    parsed = parse_version(version)
    rows = _toolkits()
    if parsed is None or not rows or release_parts(parsed, 2) > release_parts(rows[-1][0], 2):
        return None
    early = {v for row in table_rows("cuda", "early_releases") for v in row.get("versions", ())}
    major, minor = (*parsed.release, 0)[:2]
    return f"{major}.{minor}" in early


def _driver_key(platform: str) -> str:
    return "windows_min_driver" if platform_key(platform) == "windows" else "linux_min_driver"


def min_driver_for_cuda(cuda_version: str, platform: str = "linux") -> str | None:
    """The minimum driver a CUDA toolkit release needs (its own bundled driver).

    An exact toolkit row wins ("12.2.2"); "12.2" or a component version such as "12.2.140"
    gives the 12.2 GA row; a minor not in the table gives the nearest lower row of that major
    (else the lowest of the major). None when the major is unknown or the platform has no value.
    """
    parsed = parse_version(cuda_version)
    if parsed is None:
        return None
    key = _driver_key(platform)
    rows = [(v, r) for v, r in _toolkits() if v.release[0] == parsed.release[0]]
    if not rows:
        return None
    wanted3 = release_parts(parsed, 3)
    for version, row in rows:
        if release_parts(version, 3) == wanted3:
            return row.get(key)
    wanted2 = release_parts(parsed, 2)
    # A release candidate is only chosen when asked for exactly.
    rows = [(v, r) for v, r in rows if not r.get("release_candidate", False)]
    same_minor = [(v, r) for v, r in rows if release_parts(v, 2) == wanted2]
    if same_minor:
        return same_minor[0][1].get(key)
    lower = [(v, r) for v, r in rows if release_parts(v, 2) < wanted2]
    chosen = lower[-1] if lower else rows[0]
    value: str | None = chosen[1].get(key)
    return value


def _unlisted_platform_floor(cuda_major: int, key: str) -> str | None:
    """The driver floor of a major none of whose toolkit rows lists a driver for this platform, else None.

    From CUDA 13 the release notes give no Windows toolkit driver (the Windows toolkit no longer bundles one);
    the compatibility guide's ">= 580" for 13.x is then the only documented Windows floor.
    """
    if any(row.get(key) for v, row in _toolkits() if v.release[0] == cuda_major):
        return None
    for row in table_rows("cuda", "minor_compat"):
        if int(row["cuda_major"]) == int(cuda_major):
            value: str | None = row.get(key)
            return value
    return None


def minor_compat_min_driver(cuda_major: int, platform: str = "linux") -> str | None:
    """The lowest driver that runs any runtime of a CUDA major (minor-version compatibility).

    None for majors before 11 (no minor-version compatibility) or when the platform has no value.
    """
    key = _driver_key(platform)
    for row in table_rows("cuda", "minor_compat"):
        if int(row["cuda_major"]) == int(cuda_major):
            value: str | None = row.get(key)
            return value
    return None


def max_cuda_for_driver(
    driver_version: str, platform: str = "linux", minor_compat: bool = True
) -> str | None:
    """The highest CUDA "major.minor" a driver runs, by the toolkit and minor-compat tables.

    A driver that meets a toolkit row's minimum runs that toolkit. With ``minor_compat`` (the
    default) one that meets a major's minor-version-compatibility floor also runs every minor
    of that major in the table (with the older driver's feature set and no newer-PTX JIT);
    without it the answer is the newest toolkit whose own driver it meets. None for an
    unparseable driver or one older than every row.
    """
    driver = parse_version(driver_version)
    if driver is None:
        return None
    key = _driver_key(platform)
    best: tuple[int, ...] | None = None
    for version, row in _toolkits():
        # A release whose notes list no driver for this platform (the Windows toolkit bundles none from 13.x)
        # needs the major's documented floor: the minor-version-compatibility minimum, one number for every platform.
        minimum = parse_version(row.get(key) or _unlisted_platform_floor(version.release[0], key))
        if minimum is not None and driver >= minimum:
            candidate = release_parts(version, 2)
            best = candidate if best is None or candidate > best else best
    for row in table_rows("cuda", "minor_compat") if minor_compat else []:
        minimum = parse_version(row.get(key))
        if minimum is None or driver < minimum:
            continue
        major = int(row["cuda_major"])
        minors = [release_parts(v, 2) for v, _ in _toolkits() if v.release[0] == major]
        if minors:
            candidate = max(minors)
            best = candidate if best is None or candidate > best else best
    return None if best is None else f"{best[0]}.{best[1]}"


@record(frozen=True)
class DriverFit:
    """Whether a driver runs a build's CUDA: ``runs`` None when unknown; ``exact`` False when only through minor-version compatibility.

    ``needed`` is the driver the build asks for (the toolkit's own, else the compatibility floor);
    ``toolkit_min`` and ``compat_min`` are the two floors themselves, for evidence.
    """

    runs: bool | None
    exact: bool
    needed: str | None
    reason: str
    toolkit_min: str | None = None
    compat_min: str | None = None


def at_least_driver(driver: str, minimum: str) -> bool | None:
    """``driver >= minimum``, where a bare branch ("535") stands for its newest release; None when either is unreadable."""
    have, need = parse_version(driver), parse_version(minimum)
    if have is None or need is None:
        return None
    if "." not in driver.strip():
        return have.release[0] >= need.release[0]
    return have >= need


def driver_version_runs_cuda(driver: str, cuda: str, platform: str = "linux") -> DriverFit:
    """Whether an NVIDIA driver (its version) runs a build made for ``cuda``, with CUDA minor-version compatibility.

    The toolkit's own driver runs it fully; from CUDA 11 a driver at or above the major's
    minor-compatibility floor runs it too, but cannot JIT-compile its PTX. A bare branch
    ("470") is judged as that branch's newest release. The one decision the doctor (DRV002) and
    preflight (TGT rules, lint through ``knowledge.target``) share.
    Source: https://docs.nvidia.com/deploy/cuda-compatibility/minor-version-compatibility.html
    """
    exact = min_driver_for_cuda(cuda, platform)
    parsed = parse_version(cuda)
    compat = minor_compat_min_driver(parsed.release[0], platform) if parsed is not None else None
    floors = {"toolkit_min": exact, "compat_min": compat}
    if exact is None and compat is None:
        return DriverFit(None, False, None, f"no driver data for CUDA {cuda}", **floors)
    if exact is not None and at_least_driver(driver, exact):
        return DriverFit(True, True, exact, f"driver {driver} meets CUDA {cuda}'s {exact}", **floors)
    if compat is not None and at_least_driver(driver, compat):
        return DriverFit(True, False, exact, f"driver {driver} runs CUDA {cuda} through minor-version compatibility (>= {compat}), "
                         "without PTX JIT of newer code", **floors)
    if (exact is not None and at_least_driver(driver, exact) is None) or (compat is not None and at_least_driver(driver, compat) is None):
        return DriverFit(None, False, exact or compat, f"driver {driver!r} cannot be compared", **floors)
    floor = compat or exact
    top = max_cuda_for_driver(driver if "." in driver else f"{driver}.999.99", platform)
    return DriverFit(False, False, exact or compat,
                     f"CUDA {cuda} needs driver >= {floor}" + (f"; driver {driver} runs CUDA up to {top}" if top else ""), **floors)


@lru_cache(maxsize=1)
def _architectures() -> dict[int, CudaArchitectureSupport]:
    return {
        int(row["cuda_major"]): CudaArchitectureSupport(
            cuda_major=int(row["cuda_major"]),
            min_cc=row["min_cc"],
            dropped=tuple(row.get("dropped", ())),
            deprecated=tuple(row.get("deprecated", ())),
            note=row.get("note"),
            source=row["source"],
        )
        for row in table_rows("cuda", "architecture")
    }


def cuda_architecture_support(cuda_major: int) -> CudaArchitectureSupport | None:
    """Which compute capabilities a CUDA major supports and which it dropped."""
    return _architectures().get(int(cuda_major))


def cuda_max_compute_capability(cuda_version: str) -> str | None:
    """The newest compute capability a CUDA toolkit can compile SASS for, if known."""
    parsed = parse_version(cuda_version)
    if parsed is None:
        return None
    best: tuple[tuple[int, ...], str] | None = None
    for row in table_rows("cuda", "newest_cc"):
        since = release_parts(Version(row["cuda"]), 2)
        if since <= release_parts(parsed, 2) and (best is None or since > best[0]):
            best = (since, row["max_cc"])
    return None if best is None else best[1]


def cuda_first_for_compute_capability(cc: str) -> str | None:
    """accarch (session 28): the first CUDA release whose toolkit compiles for a GPU of compute capability ``cc`` (the
    [[newest_cc]] rows: "12.0" -> "12.8", "8.6" -> "11.1"); None where no row reaches it or ``cc`` cannot be read."""
    from whygpu.knowledge._util import cc_tuple

    wanted = cc_tuple(cc)
    if wanted is None:
        return None
    rows = sorted((release_parts(Version(row["cuda"]), 2), row["cuda"], cc_tuple(row["max_cc"])) for row in table_rows("cuda", "newest_cc"))
    for _key, cuda, top in rows:
        if top is not None and top >= wanted:
            return str(cuda)
    return None


def _library_rows(cuda_version: str) -> list[dict[str, Any]]:
    parsed = parse_version(cuda_version)
    if parsed is None:
        return []
    return [row for row in table_rows("cuda", "library") if in_spec(row["cuda"], parsed)]


def cuda_library_sonames(cuda_version: str) -> dict[str, list[str]]:
    """Library short name -> sonames a framework built for ``cuda_version`` loads.

    e.g. {"cudart": ["libcudart.so.12"], "cublas": ["libcublas.so.12"], ...}; for 11.x cudart
    is "libcudart.so.11.0". Empty when the version is unknown.
    """
    parsed = parse_version(cuda_version)
    if parsed is None:
        return {}
    minor = release_parts(parsed, 2)[1]
    result: dict[str, list[str]] = {}
    for row in _library_rows(cuda_version):
        names = [soname.replace("{minor}", str(minor)) for soname in row["sonames"]]
        result.setdefault(row["library"], []).extend(names)
    return result


# The CUDA libraries a framework build opens before it can use the GPU (TensorFlow's DSO loader
# skips the GPU when any is missing: "Cannot dlopen some GPU libraries").
_START_UP_LIBRARIES = frozenset({"cudart", "cublas", "cublasLt", "cufft", "curand", "cusolver", "cusparse"})


def cuda_ships_sonames_of(build_cuda: str, installed: str) -> bool | None:
    """Whether an installed CUDA release has every library soname a build for ``build_cuda`` loads.

    CUDA 11.1 does not serve a build for 11.0 although both are CUDA 11: 11.0 ships
    ``libcusolver.so.10``, 11.1 ``libcusolver.so.11``.  Only the runtime and math libraries a
    build opens to use the GPU at all are compared (CUPTI, whose CUDA 11 soname carries the minor,
    is the profiler's; NVRTC is opened for run-time compilation; NCCL for several GPUs), and only
    those both releases' rows name; None when they name none in common (a release the table does
    not know).
    """
    missing = cuda_sonames_missing(build_cuda, installed)
    return None if missing is None else not missing


def cuda_sonames_missing(build_cuda: str, installed: str) -> list[str] | None:
    """The start-up sonames a build for ``build_cuda`` loads that an installed release lacks (``[libcusolver.so.10]`` for 11.0 on 11.1).

    Only libraries both releases' rows name are compared (see :func:`cuda_ships_sonames_of`); None
    when they name none in common.
    """
    wanted, have = cuda_library_sonames(build_cuda), cuda_library_sonames(installed)
    common = [library for library in wanted if library in _START_UP_LIBRARIES and have.get(library)]
    if not common:
        return None
    return [soname for library in common for soname in wanted[library] if soname not in have[library]]


def cuda_serves_build(build_cuda: str, installed: str) -> bool:
    """Whether an installed CUDA release serves a build compiled for ``build_cuda``: every start-up soname it loads is there.

    The releases' sonames where the table knows both (:func:`cuda_ships_sonames_of`: CUDA 11.1
    does not serve an 11.0 build), else the soname rule (:func:`cuda_satisfies`: the same major
    from 11, the same minor before).  Explain's build-against-installed checks (LOG101, a
    TensorFlow build named without a library) and ``tensorflow.tensorflow_for_cuda`` ask it.
    """
    ships = cuda_ships_sonames_of(build_cuda, installed)
    return cuda_satisfies(build_cuda, installed) if ships is None else ships


def cudnn_sonames(cudnn_version: str) -> list[str]:
    """The sonames of a cuDNN major: the main library first, then its split sub-libraries."""
    parsed = parse_version(cudnn_version)
    if parsed is None:
        return []
    for row in table_rows("cuda", "cudnn"):
        if int(row["major"]) == parsed.release[0]:
            return list(row["sonames"])
    return []


def cudnn_built_for_cuda(cudnn_version: str, cuda_version: str) -> bool | None:
    """accpairs (session 27): whether NVIDIA published the cuDNN release ``cudnn_version`` for the CUDA release
    ``cuda_version`` (cuda.toml [[cudnn_cuda]], from the cuDNN archive); None where the table does not know the cuDNN
    release or the CUDA version is not one. A cuDNN release with no build for a CUDA release is not the cuDNN of an
    installation of it: a framework's tested build wanting that CUDA finds another CUDA release installed too."""
    cudnn, cuda = parse_version(cudnn_version), parse_version(cuda_version)
    if cudnn is None or cuda is None or (len(cuda.release) < 2 and cuda.release[0] < 11):
        return None
    rows = {str(r["cudnn"]): [str(c) for c in r["cuda"]] for r in table_rows("cuda", "cudnn_cuda")}
    key = f"{cudnn.release[0]}.{cudnn.release[1] if len(cudnn.release) > 1 else 0}"
    releases = rows.get(key) or rows.get(str(cudnn.release[0]))
    if releases is None:
        return None
    major, minor = cuda.release[0], cuda.release[1] if len(cuda.release) > 1 else None
    for release in releases:
        parts = [int(p) for p in release.split(".")]
        if parts[0] == major and (len(parts) == 1 or minor is None or parts[1] == minor):
            return True
    return False


def cudnn_major_of_library(name: str) -> str | None:
    """accbundle (session 27): the cuDNN major a cuDNN library's file name asks for: the version it carries
    (``libcudnn.so.8``, ``cudnn_ops64_9.dll``), else the major whose split libraries alone have its stem ([[cudnn]] sonames:
    ``libcudnn_ops_infer.so`` and ``cudnn_cnn_infer64.dll`` exist only in cuDNN 8, which 9 replaced by ``libcudnn_ops`` /
    ``libcudnn_cnn`` / ``libcudnn_graph``...). None for a name that is no cuDNN library or whose stem several majors ship."""
    from whygpu.knowledge.cuda_versions import parse_library_name

    def bare(stem: str) -> str:  # (this module runs under Python 3.8 too: no str.removeprefix)
        stem = stem.lower()
        stem = stem[3:] if stem.startswith("lib") else stem
        return stem[:-2] if stem.endswith("64") else stem

    parsed = parse_library_name(name)
    stem = bare(parsed.stem)
    if not stem.startswith("cudnn"):
        return None
    if parsed.version:
        return parsed.version.split(".")[0]
    majors = {str(row["major"]) for row in table_rows("cuda", "cudnn")
              if any(bare(parse_library_name(soname).stem) == stem for soname in row["sonames"])}
    return next(iter(majors)) if len(majors) == 1 else None


@dataclass(frozen=True)
class ImageCudnn:
    """A managed image's cuDNN against the major a program asks for: the periods (from, until, majors) in which the image
    carried no cuDNN of that major, the date the log shows where one is known, and the rows' source."""

    image: str
    wanted: str
    periods: tuple[tuple[str, str, tuple[str, ...]], ...]
    dated: str | None
    source: str


def image_cudnn_lacks(image: str, wanted: str, *, on: str | None = None) -> ImageCudnn | None:
    """acctwins (session 28): whether the managed image ``image`` (explain's platform name: "colab") carried no cuDNN of the
    major ``wanted`` that a program asked the loader for, by the ``[[image_cudnn]]`` rows: the one decision explain's LOG386 asks.

    With a date ``on`` (ISO, "2024-10-24") that a row covers, that row decides: its majors lack the wanted one, or they hold
    it (None: the image's cuDNN matches). Without a date, every row carries a cuDNN where the loader looks by default, so a
    program that found no library of its major there ran in one of the rows that lack it: the periods returned; None where
    every row holds the major, or no row names the image (an unknown image decides nothing).
    """
    rows = [r for r in table_rows("cuda", "image_cudnn") if r["image"] == image]
    if on is not None:
        rows = [r for r in rows if str(r["from"]) <= on and (not r["until"] or on <= str(r["until"]))]
        if not rows:
            return None  # a date no row covers: the image of that day is not known
    lacking = tuple((str(r["from"]), str(r["until"]), tuple(str(m) for m in r["majors"])) for r in rows if wanted not in r["majors"])
    if not lacking:
        return None
    return ImageCudnn(image, wanted, lacking, on, str(rows[0]["source"]))


def cuda_ships_library(installed: str, file_name: str) -> bool | None:
    """Whether a CUDA installation of version ``installed`` has a library of this exact soname.

    ``libcusolver.so.10`` against CUDA 11.1 is False (11.1 ships ``libcusolver.so.11``); True when
    the soname is the installed release's; None when the table knows no soname of that library
    for that release, or the name is neither a Linux soname nor a Windows ``64_N`` DLL.
    """
    name = parse_library_name(file_name)
    base = re.split(r"[\\/]", file_name.strip())[-1]
    if name.windows and name.version is not None:
        # A Windows DLL carries the same version as the Linux soname: cusolver64_11.dll is
        # libcusolver.so.11, cudart64_101.dll is libcudart.so.10.1 (see dll_version).
        base = f"lib{name.stem}.so.{name.cuda_version}"
    m = re.match(r"lib([A-Za-z]+)\.so\.\d", base)
    if m is None:
        return None
    sonames = cuda_library_sonames(installed)
    names = next((v for k, v in sonames.items() if k.lower() == m.group(1).lower()), None)
    if not names:
        return None
    return base in names


def cuda_serves_library(installed: str, file_name: str, wanted: str) -> bool:
    """Whether an installed CUDA release has the CUDA library a failed load named, ``wanted`` being the CUDA that name carries.

    The release's sonames where the table knows them (:func:`cuda_ships_library`), else the
    soname rule (:func:`cuda_satisfies`).  The table decides where the rule cannot: before CUDA 11
    cuBLAS carried the major alone from 10.1 (``libcublas.so.10`` is in 10.1 and 10.2, not in 10.0,
    whose cuBLAS is ``libcublas.so.10.0``).
    """
    ships = cuda_ships_library(installed, file_name)
    return cuda_satisfies(wanted, installed) if ships is None else ships


def distro_cuda_toolkit(distro: str, release: str) -> str | None:
    """The CUDA release a Linux distribution's own ``nvidia-cuda-toolkit`` package installs ("ubuntu", "20.04" -> "10.1")."""
    for row in table_rows("cuda", "distro_toolkit"):
        if row["distro"] == distro.lower() and (row["release"] == release or release.startswith(row["release"] + ".")):
            return str(row["cuda"])
    return None


@lru_cache(maxsize=1)
def _errors() -> tuple[CudaError, ...]:
    # The codes live in knowledge/gpu_status.toml (every library's table); this is their CUDA-error view.
    from whygpu.knowledge.gpu_status import statuses

    return tuple(
        CudaError(
            code=status.number,
            name=status.name,
            api=status.library,
            meaning=status.description or status.name,
            cause=status.cause,
            also=status.also,
            source=status.source,
        )
        for status in statuses()
    )


def cuda_error(code: int | str, api: str | None = None) -> CudaError | None:
    """A CUDA error by number or name ("CUDA_ERROR_NO_DEVICE", "cudaErrorInsufficientDriver").

    A number is looked up in the driver API first, then the runtime API, unless ``api``
    ("driver", "runtime", "nvml", or another library of knowledge/gpu_status.toml) says which.
    None for an unknown code.
    """
    errors = _errors()
    if isinstance(code, str) and not code.strip().lstrip("-").isdigit():
        wanted = code.strip().lower()
        return next((e for e in errors if e.name.lower() == wanted), None)
    number = int(code)
    order = [api] if api else ["driver", "runtime"]
    for which in order:
        for error in errors:
            if error.api == which and error.code == number:
                return error
    return None


def cuda_image_has_cudnn(tag: str) -> bool | None:
    """Whether an nvidia/cuda image tag ("12.2.0-base-ubuntu20.04", "11.8.0-cudnn8-runtime-ubuntu22.04") holds cuDNN; None for a tag of no known flavour."""
    parts = tag.lower().split("-")
    if any(p.startswith("cudnn") for p in parts):
        return True
    for row in table_rows("cuda", "image_flavour"):
        if row["flavour"] in parts:
            return bool(row["cudnn"])
    return None


# --- acchw (session 22): the CUDA packages of one environment -----------------------------------------------


@lru_cache(maxsize=1)
def _cuda_packages() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    return tuple((re.compile(str(row["name"])), str(row["from"]), str(row["source"])) for row in table_rows("cuda", "cuda_package"))


def cuda_package_major(name: str, version: str | None) -> int | None:
    """The CUDA major a package of an environment carries, by its name or version (``[[cuda_package]]`` rows), or None.

    conda's ``cudatoolkit 11.8.0`` and NVIDIA's ``cuda-nvcc 12.4.131`` carry the release their version states; pip's
    ``nvidia-cublas-cu11`` the major its name states. A package the table does not list carries none.
    """
    low = name.strip().lower().replace("_", "-")
    for pattern, where, _source in _cuda_packages():
        m = pattern.fullmatch(low)
        if m is None:
            continue
        if where == "name":
            return int(m.group("major"))
        parsed = parse_version(version) if version else None
        # A CUDA release's major is 7 to 19 (a conda build string or a date is no CUDA release).
        return parsed.release[0] if parsed is not None and 7 <= parsed.release[0] < 20 else None
    return None


def cuda_packages_mixed(packages: list[tuple[str, str | None]]) -> tuple[tuple[str, int], tuple[str, int]] | None:
    """Two packages of one environment's listing that carry CUDA libraries of different majors, or None.

    ``packages`` are (name, version) as one listing shows them. Every CUDA package of an environment must come from one
    CUDA release: a framework loads the libraries of its build's major, and a second major's libraries beside them
    (conda's cudatoolkit 11.8 with NVIDIA's cuda-nvcc 12.4, pip's nvidia-*-cu11 with nvidia-*-cu12) are another
    version than one of the programs needs (causes.md's CUDA_LIBS_MISMATCH). Sources: the ``[[cuda_package]]`` rows and
    https://docs.nvidia.com/cuda/cuda-installation-guide-linux/index.html#conda-installation ("the cuda-version
    metapackage ... pins the CUDA version of every package in the environment").
    """
    first: tuple[str, int] | None = None
    for name, version in packages:
        major = cuda_package_major(name, version)
        if major is None:
            continue
        if first is None:
            first = (name, major)
        elif major != first[1]:
            return first, (name, major)
    return None


def first_cuda_for_compute_capability(cc: str) -> str | None:
    """The first CUDA release whose compiler knows compute capability ``cc`` ("11.1" for 8.6), from the [[newest_cc]] rows (acccc, session 23)."""
    from whygpu.knowledge._util import cc_tuple

    wanted = cc_tuple(cc)
    if wanted is None:
        return None
    for row in sorted(table_rows("cuda", "newest_cc"), key=lambda r: release_parts(Version(r["cuda"]), 2)):
        top = cc_tuple(row["max_cc"])
        if top is not None and top >= wanted:
            return str(row["cuda"])
    return None


def cuda_predates_compute_capability(cuda: str, cc: str) -> str | None:
    """accenvdump (session 37): the first CUDA release that knows compute capability ``cc`` where it is later than ``cuda``
    (a build made with CUDA 9.0 on a 7.5 Turing GPU: "10.0"), from the [[newest_cc]] rows; None where ``cuda`` already knows
    the GPU, or either side is unknown. A later minor of an architecture the CUDA knows still runs that architecture's
    machine code (CUDA C++ Programming Guide, binary compatibility), so the caller decides what the gap means."""
    first = first_cuda_for_compute_capability(cc)
    if first is None or not re.fullmatch(r"\d+\.\d+(?:\.\d+)*", cuda):
        return None
    return first if release_parts(Version(first), 2) > release_parts(Version(cuda), 2) else None


def last_cuda_major_for_compute_capability(cc: str) -> int | None:
    """The newest CUDA major that still builds for compute capability ``cc`` (10 for 3.0, 11 for 3.5), from the [[architecture]] rows (acccc, session 23)."""
    from whygpu.knowledge.gpus import compute_capability_below

    majors = sorted(_architectures(), reverse=True)
    for major in majors:
        if compute_capability_below(cc, _architectures()[major].min_cc) is False:
            return major
    return None
