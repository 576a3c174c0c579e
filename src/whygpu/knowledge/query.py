"""Typed, cached look-ups over the knowledge data files, so no other module parses the TOML."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from whygpu.knowledge import load

# ---------------------------------------------------------------------------------------------
# Row types
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TensorflowBuild:
    """One tested TensorFlow build configuration: a release minor on one platform."""

    version: str
    platform: str
    package: str
    gpu: bool
    cuda: str | None
    cudnn: str | None
    python_min: str
    python_max: str
    python_also: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class TensorflowPackage:
    """A Python distribution of TensorFlow and what it means for NVIDIA GPU use."""

    name: str
    gpu: bool | None
    accelerator: str
    deprecated: bool
    stub_from: str | None
    gpu_from: str | None
    meaning: str
    source: str

    @property
    def is_stub(self) -> bool:
        """True when the package has been replaced by an install-time error stub."""
        return self.stub_from is not None


@dataclass(frozen=True)
class TensorflowComputeCapability:
    """The compute capabilities compiled into the official wheels of a range of releases."""

    versions: str
    min: str
    archs: tuple[str, ...]
    note: str | None
    source: str


@dataclass(frozen=True)
class TorchRelease:
    """A PyTorch release minor: the CUDA variants it was published for and its Python range."""

    version: str
    cuda_variants: list[str] = field(hash=False)
    experimental_cuda_variants: tuple[str, ...]
    pypi_default_cuda: str | None
    pypi_default_verified: bool
    python_min: str
    python_max: str
    source: str


@dataclass(frozen=True)
class JaxCudaVariant:
    """One CUDA flavour of JAX (a ``jax[cudaNN]`` extra) and what it needs."""

    cuda_major: int
    extra: str
    plugin_package: str
    pjrt_package: str
    min_cuda: str
    min_cudnn: str | None
    min_driver: str
    min_compute_capability: str
    source: str


@dataclass(frozen=True)
class JaxRequirements:
    """What a jax/jaxlib version needs to use an NVIDIA GPU."""

    version: str
    variants: tuple[JaxCudaVariant, ...]
    plugin_packages: tuple[str, ...]
    min_cuda: str | None
    min_cudnn: str | None
    min_driver: str | None
    cuda_jaxlib_local_tag: bool
    cpu_only_meaning: str
    source: str

    @property
    def extra(self) -> str | None:
        """The ``jax[...]`` extra with the lowest driver and GPU floor ("cuda12"), if any."""
        if not self.variants:
            return None
        broadest = min(
            self.variants, key=lambda v: (_version(v.min_driver) or Version("0"), v.cuda_major)
        )
        return broadest.extra

    def variant(self, cuda_major: int) -> JaxCudaVariant | None:
        """The variant for one CUDA major, or None when this version has none."""
        return next((v for v in self.variants if v.cuda_major == cuda_major), None)


@dataclass(frozen=True)
class GpuModel:
    """A GPU model with its vendor and, for NVIDIA, its CUDA compute capability."""

    name: str
    vendor: str
    compute_capability: str | None
    architecture: str | None
    segment: str | None
    pci_ids: tuple[str, ...]
    derived: bool
    source: str


@dataclass(frozen=True)
class CudaError:
    """A CUDA driver, runtime or NVML error code and the cause it usually points to."""

    code: int
    name: str
    api: str
    meaning: str
    cause: str | None
    also: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class CudaArchitectureSupport:
    """The compute capabilities a CUDA major can build for and run, and what it dropped."""

    cuda_major: int
    min_cc: str
    dropped: tuple[str, ...]
    deprecated: tuple[str, ...]
    note: str | None
    source: str


@dataclass(frozen=True)
class DriverBranch:
    """An NVIDIA data-center driver branch, the CUDA major it carries and its end of life."""

    branch: str
    type: str
    cuda_major: int
    end_of_life: str
    note: str | None
    source: str


@dataclass(frozen=True)
class AzureVmSize:
    """An Azure VM size: whether it has a GPU, which one, how much of it, and its lifecycle."""

    name: str
    series: str | None
    gpu: bool
    gpu_vendor: str | None
    gpu_model: str | None
    gpu_count: float | None
    gpu_share: str | None
    compute_capability: str | None
    driver: str | None
    status: str
    cpu_arch: str
    source: str

    @property
    def cuda_capable(self) -> bool:
        """True when the size has an NVIDIA GPU that CUDA frameworks can use."""
        return self.gpu and self.gpu_vendor == "nvidia"


@dataclass(frozen=True)
class AzureMlImage:
    """An Azure ML base image and the CUDA/cuDNN it carries, if any."""

    name: str
    gpu: bool
    cuda: str | None
    cudnn: str | None
    ubuntu: str | None
    status: str
    source: str


@dataclass(frozen=True)
class AzureMlCuratedEnvironment:
    """An Azure ML curated environment: its framework and whether it carries a CUDA build."""

    name: str
    framework: str
    framework_version: str
    gpu: bool
    cuda: str | None
    status: str
    source: str


@dataclass(frozen=True)
class AzureDmiMarker:
    """A DMI value that identifies Azure (decisive) or only a Hyper-V guest (not decisive)."""

    file: str
    value: str
    decisive: bool
    source: str


@dataclass(frozen=True)
class AzureMlMarker:
    """An environment variable, variable prefix or path that shows Azure ML job or compute instance."""

    kind: str
    context: str
    name: str
    strength: str
    source: str


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _rows(name: str, table: str) -> list[dict[str, Any]]:
    rows = load(name).get(table, [])
    return rows if isinstance(rows, list) else []


def _version(text: str | None) -> Version | None:
    """Parse a version leniently ("v2.15", "2.7.1+cu126", "12.2.140"); None when unparseable."""
    if text is None:
        return None
    cleaned = str(text).strip().lstrip("vV")
    if not cleaned:
        return None
    try:
        return Version(cleaned)
    except InvalidVersion:
        return None


def _release(version: Version, parts: int) -> tuple[int, ...]:
    release = version.release + (0,) * parts
    return tuple(release[:parts])


def _minor_key(text: str) -> str | None:
    version = _version(text)
    if version is None:
        return None
    major, minor = _release(version, 2)
    return f"{major}.{minor}"


def _in_spec(spec: str, version: Version) -> bool:
    try:
        specifier = SpecifierSet(spec)
    except InvalidSpecifier:
        return False
    return specifier.contains(Version(version.base_version), prereleases=True)


def _platform(platform: str) -> str:
    lowered = platform.strip().lower()
    if lowered in {"win", "win32", "windows", "nt", "win_amd64"}:
        return "windows"
    if lowered in {"darwin", "mac", "macos", "osx"}:
        return "macos"
    return lowered


def _cc_tuple(cc: str) -> tuple[int, int] | None:
    match = re.fullmatch(r"\s*(?:sm_|compute_)?(\d+)(?:\.(\d+))?\s*", str(cc))
    if match is None:
        return None
    major_text, minor_text = match.group(1), match.group(2)
    if minor_text is None:
        # sm_86 style: last digit is the minor.
        if len(major_text) < 2:
            return int(major_text), 0
        return int(major_text[:-1]), int(major_text[-1])
    return int(major_text), int(minor_text)


def _cc_text(cc: tuple[int, int]) -> str:
    return f"{cc[0]}.{cc[1]}"


def _hex_id(value: str) -> str | None:
    text = str(value).strip().lower()
    if text.startswith("0x"):
        text = text[2:]
    if not text or len(text) > 4 or any(ch not in "0123456789abcdef" for ch in text):
        return None
    return text.rjust(4, "0")


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(token for token in re.split(r"[^a-z0-9]+", text.lower()) if token)


def _pep503(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.strip()).lower()


# ---------------------------------------------------------------------------------------------
# TensorFlow
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _tf_builds() -> dict[tuple[str, str], TensorflowBuild]:
    builds: dict[tuple[str, str], TensorflowBuild] = {}
    for row in _rows("tensorflow", "build"):
        build = TensorflowBuild(
            version=row["version"],
            platform=row["platform"],
            package=row["package"],
            gpu=bool(row["gpu"]),
            cuda=row.get("cuda"),
            cudnn=row.get("cudnn"),
            python_min=row["python_min"],
            python_max=row["python_max"],
            python_also=tuple(row.get("python_also", ())),
            source=row["source"],
        )
        builds[(build.platform, build.version)] = build
    return builds


def tensorflow_build(version: str, platform: str = "linux") -> TensorflowBuild | None:
    """The tested build configuration of a TensorFlow release (a patch maps to its minor's row).

    ``platform`` is "linux", "windows" or "macos". On native Windows from 2.11 the row is a
    CPU-only build (``gpu`` False, ``cuda`` None). None when the table has no row.
    """
    key = _minor_key(version)
    if key is None:
        return None
    return _tf_builds().get((_platform(platform), key))


def tensorflow_builds(platform: str = "linux") -> list[TensorflowBuild]:
    """Every tested build configuration of one platform, newest first."""
    wanted = _platform(platform)
    builds = [b for (p, _), b in _tf_builds().items() if p == wanted]
    return sorted(builds, key=lambda b: Version(b.version), reverse=True)


def tensorflow_native_gpu(version: str, platform: str = "linux") -> bool | None:
    """Whether official TensorFlow builds of ``version`` can use CUDA natively on ``platform``."""
    parsed = _version(version)
    if parsed is None:
        return None
    wanted = _platform(platform)
    for row in _rows("tensorflow", "native_gpu_limit"):
        if row["platform"] == wanted:
            last = Version(row["last_gpu_version"])
            return _release(parsed, 2) <= _release(last, 2)
    build = tensorflow_build(version, wanted)
    return None if build is None else build.gpu


@lru_cache(maxsize=1)
def _tf_packages() -> dict[str, TensorflowPackage]:
    packages: dict[str, TensorflowPackage] = {}
    for row in _rows("tensorflow", "package"):
        package = TensorflowPackage(
            name=row["name"],
            gpu=row.get("gpu"),
            accelerator=row["accelerator"],
            deprecated=bool(row.get("deprecated", False)),
            stub_from=row.get("stub_from"),
            gpu_from=row.get("gpu_from"),
            meaning=row["meaning"],
            source=row["source"],
        )
        packages[_pep503(package.name)] = package
    return packages


def tensorflow_package(dist_name: str) -> TensorflowPackage | None:
    """What a TensorFlow distribution name (e.g. "tensorflow-cpu", "tensorflow_gpu") means."""
    return _tf_packages().get(_pep503(dist_name))


def tensorflow_packages() -> list[TensorflowPackage]:
    """Every known TensorFlow distribution."""
    return list(_tf_packages().values())


@lru_cache(maxsize=1)
def _tf_and_cuda() -> dict[str, dict[str, str]]:
    pins: dict[str, dict[str, str]] = {}
    for row in _rows("tensorflow", "and_cuda"):
        pins.setdefault(row["tensorflow"], {})[row["package"]] = row["requirement"]
    return pins


def tensorflow_and_cuda_pins(version: str) -> dict[str, str] | None:
    """The pip packages and version specifiers ``tensorflow[and-cuda]`` pulls for a release.

    None for releases before 2.14 (no extra) and for releases not in the table.
    """
    key = _minor_key(version)
    if key is None:
        return None
    pins = _tf_and_cuda().get(key)
    return dict(pins) if pins is not None else None


@lru_cache(maxsize=1)
def _tf_cc() -> tuple[TensorflowComputeCapability, ...]:
    return tuple(
        TensorflowComputeCapability(
            versions=row["versions"],
            min=row["min"],
            archs=tuple(row.get("archs", ())),
            note=row.get("note"),
            source=row["source"],
        )
        for row in _rows("tensorflow", "compute_capability")
    )


def tensorflow_compute_capability(version: str) -> TensorflowComputeCapability | None:
    """The compute-capability row covering a TensorFlow release, or None if none does."""
    parsed = _version(version)
    if parsed is None:
        return None
    for row in _tf_cc():
        if _in_spec(row.versions, parsed):
            return row
    return None


def tensorflow_min_compute_capability(version: str) -> str | None:
    """The lowest compute capability the official GPU wheels of a release support ("6.0")."""
    row = tensorflow_compute_capability(version)
    return None if row is None else row.min


def latest_tensorflow() -> str:
    """The newest TensorFlow release minor in the table, e.g. "2.21"."""
    return max((b.version for b in _tf_builds().values()), key=Version)


# ---------------------------------------------------------------------------------------------
# PyTorch
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _torch_releases() -> dict[str, TorchRelease]:
    releases: dict[str, TorchRelease] = {}
    for row in _rows("torch", "release"):
        stable = list(row.get("cuda", ()))
        experimental = tuple(row.get("cuda_experimental", ()))
        releases[row["version"]] = TorchRelease(
            version=row["version"],
            cuda_variants=sorted(set(stable) | set(experimental), key=Version),
            experimental_cuda_variants=experimental,
            pypi_default_cuda=row.get("pypi_default_cuda"),
            pypi_default_verified=bool(row.get("pypi_default_verified", False)),
            python_min=row["python_min"],
            python_max=row["python_max"],
            source=row["source"],
        )
    return releases


def torch_release(version: str) -> TorchRelease | None:
    """The CUDA variants, PyPI default CUDA and Python range of a PyTorch release minor."""
    key = _minor_key(version)
    if key is None:
        return None
    return _torch_releases().get(key)


def torch_cuda_from_local_tag(tag: str) -> str | None:
    """The CUDA version in a torch wheel's local tag: "cu121" -> "12.1"; "cpu", "rocm6.1" -> None.

    Accepts the bare tag, "+cu121" or a whole version such as "2.1.0+cu121".
    """
    local = tag.rsplit("+", 1)[-1].strip().lower()
    match = re.fullmatch(r"cu(\d+)(\d)", local)
    if match is None:
        return None
    return f"{int(match.group(1))}.{match.group(2)}"


def torch_local_tag(cuda: str | None) -> str:
    """The variant name of the PyTorch index for a CUDA version: "12.6" -> "cu126", None -> "cpu"."""
    if cuda is None:
        return "cpu"
    text = cuda.strip().lower()
    if text.startswith("cu") or text == "cpu" or text.startswith(("rocm", "xpu")):
        return text
    parsed = _version(text)
    if parsed is None:
        return "cpu"
    major, minor = _release(parsed, 2)
    return f"cu{major}{minor}"


def torch_arch_list(version: str, cuda: str) -> list[str] | None:
    """The TORCH_CUDA_ARCH_LIST of the official Linux x86-64 wheel for a release and CUDA variant.

    Entries are compute capabilities such as "8.6"; "12.0+PTX" marks PTX as well as SASS.
    ``cuda`` may be "12.6" or "cu126". None when the table does not know the pair.
    """
    parsed = _version(version)
    cuda_version = (
        torch_cuda_from_local_tag(cuda) if cuda.strip().lower().startswith("cu") else cuda
    )
    cuda_key = _minor_key(cuda_version) if cuda_version else None
    if parsed is None or cuda_key is None:
        return None
    for row in _rows("torch", "arch_list"):
        if row["cuda"] == cuda_key and _in_spec(row["torch"], parsed):
            return list(row["archs"])
    return None


def torch_index_url(cuda: str | None) -> str:
    """The PyTorch wheel index for a CUDA version ("12.6" or "cu126"), or the CPU index for None."""
    template: str = load("torch")["index"][0]["url_template"]
    return template.format(variant=torch_local_tag(cuda))


def torch_pypi_cpu_only(platform: str) -> str | None:
    """Why the plain PyPI torch wheel has no CUDA on ``platform`` ("windows", "macos"), else None."""
    wanted = _platform(platform)
    for row in _rows("torch", "pypi_cpu_only"):
        if row["platform"] == wanted:
            meaning: str = row["meaning"]
            return meaning
    return None


def torch_index_source() -> str:
    """The page that documents the PyTorch wheel index URLs."""
    source: str = load("torch")["index"][0]["source"]
    return source


# ---------------------------------------------------------------------------------------------
# JAX
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _jax_variants() -> tuple[tuple[str, JaxCudaVariant], ...]:
    return tuple(
        (
            row["jax"],
            JaxCudaVariant(
                cuda_major=int(row["cuda_major"]),
                extra=row["extra"],
                plugin_package=row["plugin_package"],
                pjrt_package=row["pjrt_package"],
                min_cuda=row["min_cuda"],
                min_cudnn=row.get("min_cudnn"),
                min_driver=row["min_driver"],
                min_compute_capability=row["min_compute_capability"],
                source=row["source"],
            ),
        )
        for row in _rows("jax", "cuda_variant")
    )


def _lowest(values: list[str]) -> str | None:
    parsed = [(v, _version(v)) for v in values]
    known = [(v, p) for v, p in parsed if p is not None]
    return min(known, key=lambda pair: pair[1])[0] if known else None


def jax_cuda_requirements(jax_version: str) -> JaxRequirements | None:
    """The CUDA plugin packages and minimum CUDA, cuDNN and driver of a jax/jaxlib version.

    None for versions outside the table (before the CUDA plugins and the CUDA jaxlib of 0.4.x).
    """
    parsed = _version(jax_version)
    if parsed is None:
        return None
    variants = tuple(v for spec, v in _jax_variants() if _in_spec(spec, parsed))
    monolithic = any(_in_spec(row["jax"], parsed) for row in _rows("jax", "cuda_jaxlib"))
    if not variants and not monolithic:
        return None
    cpu = load("jax")["cpu_only"][0]
    sources = [v.source for v in variants] or [cpu["source"]]
    plugins: list[str] = []
    for variant in variants:
        plugins.extend([variant.plugin_package, variant.pjrt_package])
    return JaxRequirements(
        version=str(jax_version),
        variants=variants,
        plugin_packages=tuple(plugins),
        min_cuda=_lowest([v.min_cuda for v in variants]),
        min_cudnn=_lowest([v.min_cudnn for v in variants if v.min_cudnn]),
        min_driver=_lowest([v.min_driver for v in variants]),
        cuda_jaxlib_local_tag=monolithic,
        cpu_only_meaning=cpu["meaning"],
        source=sources[0],
    )


def jax_plugin_cuda_major(dist_name: str) -> int | None:
    """The CUDA major of a JAX CUDA plugin distribution ("jax-cuda12-plugin" -> 12), else None."""
    wanted = _pep503(dist_name)
    for _, variant in _jax_variants():
        if wanted in {variant.plugin_package, variant.pjrt_package}:
            return variant.cuda_major
    return None


# ---------------------------------------------------------------------------------------------
# CUDA toolkit and driver
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _toolkits() -> tuple[tuple[Version, dict[str, Any]], ...]:
    rows = [(Version(row["version"]), row) for row in _rows("cuda", "toolkit")]
    return tuple(sorted(rows, key=lambda pair: pair[0]))


def _driver_key(platform: str) -> str:
    return "windows_min_driver" if _platform(platform) == "windows" else "linux_min_driver"


def min_driver_for_cuda(cuda_version: str, platform: str = "linux") -> str | None:
    """The minimum driver a CUDA toolkit release needs (its own bundled driver).

    An exact toolkit row wins ("12.2.2"); "12.2" or a component version such as "12.2.140"
    gives the 12.2 GA row; a minor not in the table gives the nearest lower row of that major
    (else the lowest of the major). None when the major is unknown or the platform has no value.
    """
    parsed = _version(cuda_version)
    if parsed is None:
        return None
    key = _driver_key(platform)
    rows = [(v, r) for v, r in _toolkits() if v.release[0] == parsed.release[0]]
    if not rows:
        return None
    wanted3 = _release(parsed, 3)
    for version, row in rows:
        if _release(version, 3) == wanted3:
            return row.get(key)
    wanted2 = _release(parsed, 2)
    # A release candidate is only chosen when asked for exactly.
    rows = [(v, r) for v, r in rows if not r.get("release_candidate", False)]
    same_minor = [(v, r) for v, r in rows if _release(v, 2) == wanted2]
    if same_minor:
        return same_minor[0][1].get(key)
    lower = [(v, r) for v, r in rows if _release(v, 2) < wanted2]
    chosen = lower[-1] if lower else rows[0]
    value: str | None = chosen[1].get(key)
    return value


def minor_compat_min_driver(cuda_major: int, platform: str = "linux") -> str | None:
    """The lowest driver that runs any runtime of a CUDA major (minor-version compatibility).

    None for majors before 11 (no minor-version compatibility) or when the platform has no value.
    """
    key = _driver_key(platform)
    for row in _rows("cuda", "minor_compat"):
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
    driver = _version(driver_version)
    if driver is None:
        return None
    key = _driver_key(platform)
    best: tuple[int, ...] | None = None
    for version, row in _toolkits():
        minimum = _version(row.get(key))
        if minimum is not None and driver >= minimum:
            candidate = _release(version, 2)
            best = candidate if best is None or candidate > best else best
    for row in _rows("cuda", "minor_compat") if minor_compat else []:
        minimum = _version(row.get(key))
        if minimum is None or driver < minimum:
            continue
        major = int(row["cuda_major"])
        minors = [_release(v, 2) for v, _ in _toolkits() if v.release[0] == major]
        if minors:
            candidate = max(minors)
            best = candidate if best is None or candidate > best else best
    return None if best is None else f"{best[0]}.{best[1]}"


def cuda_forward_compat() -> dict[str, str]:
    """Facts about the cuda-compat forward-compatibility package (supported GPUs, errors, ...)."""
    return {row["fact"]: row["value"] for row in _rows("cuda", "forward_compat")}


def driver_branch(driver_version: str) -> DriverBranch | None:
    """The data-center branch a driver belongs to ("535.104.05" -> R535), if it is in the table."""
    parsed = _version(driver_version)
    if parsed is None:
        return None
    for row in _rows("cuda", "driver_branch"):
        if str(parsed.release[0]) == row["branch"]:
            return DriverBranch(
                branch=row["branch"],
                type=row["type"],
                cuda_major=int(row["cuda_major"]),
                end_of_life=row["end_of_life"],
                note=row.get("note"),
                source=row["source"],
            )
    return None


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
        for row in _rows("cuda", "architecture")
    }


def cuda_architecture_support(cuda_major: int) -> CudaArchitectureSupport | None:
    """Which compute capabilities a CUDA major supports and which it dropped."""
    return _architectures().get(int(cuda_major))


def cuda_max_compute_capability(cuda_version: str) -> str | None:
    """The newest compute capability a CUDA toolkit can compile SASS for, if known."""
    parsed = _version(cuda_version)
    if parsed is None:
        return None
    best: tuple[tuple[int, ...], str] | None = None
    for row in _rows("cuda", "newest_cc"):
        since = _release(Version(row["cuda"]), 2)
        if since <= _release(parsed, 2) and (best is None or since > best[0]):
            best = (since, row["max_cc"])
    return None if best is None else best[1]


def cuda_supports_compute_capability(cuda_version: str, cc: str) -> bool | None:
    """Whether a CUDA toolkit can build for and run on a GPU of compute capability ``cc``.

    False below the major's minimum or above the newest CC the toolkit knows; None when the
    CUDA major or the CC cannot be read.
    """
    parsed = _version(cuda_version)
    wanted = _cc_tuple(cc)
    if parsed is None or wanted is None:
        return None
    support = cuda_architecture_support(parsed.release[0])
    if support is None:
        return None
    minimum = _cc_tuple(support.min_cc)
    if minimum is not None and wanted < minimum:
        return False
    newest = cuda_max_compute_capability(cuda_version)
    newest_cc = _cc_tuple(newest) if newest else None
    return newest_cc is None or wanted <= newest_cc


def _library_rows(cuda_version: str) -> list[dict[str, Any]]:
    parsed = _version(cuda_version)
    if parsed is None:
        return []
    return [row for row in _rows("cuda", "library") if _in_spec(row["cuda"], parsed)]


def cuda_library_sonames(cuda_version: str) -> dict[str, list[str]]:
    """Library short name -> sonames a framework built for ``cuda_version`` loads.

    e.g. {"cudart": ["libcudart.so.12"], "cublas": ["libcublas.so.12"], ...}; for 11.x cudart
    is "libcudart.so.11.0". Empty when the version is unknown.
    """
    parsed = _version(cuda_version)
    if parsed is None:
        return {}
    minor = _release(parsed, 2)[1]
    result: dict[str, list[str]] = {}
    for row in _library_rows(cuda_version):
        names = [soname.replace("{minor}", str(minor)) for soname in row["sonames"]]
        result.setdefault(row["library"], []).extend(names)
    return result


def cuda_wheel_packages(cuda_major: int) -> dict[str, str]:
    """Library short name -> pip package that carries it for a CUDA major (cuDNN included).

    e.g. {"cudart": "nvidia-cuda-runtime-cu12", "cudnn": "nvidia-cudnn-cu12", ...}.
    """
    result: dict[str, str] = {}
    for row in _library_rows(f"{int(cuda_major)}.0"):
        if "wheel" in row:
            result[row["library"]] = row["wheel"]
    for row in _rows("cuda", "cudnn_wheel"):
        if int(row["cuda_major"]) == int(cuda_major):
            result["cudnn"] = row["wheel"]
    return result


def cuda_wheel_lib_dirs(cuda_major: int) -> dict[str, str]:
    """Library short name -> directory under site-packages holding it (e.g. "nvidia/cublas/lib")."""
    result: dict[str, str] = {}
    for row in _library_rows(f"{int(cuda_major)}.0"):
        if "wheel_lib_dir" in row:
            result[row["library"]] = row["wheel_lib_dir"]
    for row in _rows("cuda", "cudnn_wheel"):
        if int(row["cuda_major"]) == int(cuda_major):
            result["cudnn"] = row["wheel_lib_dir"]
    return result


def cudnn_sonames(cudnn_version: str) -> list[str]:
    """The sonames of a cuDNN major: the main library first, then its split sub-libraries."""
    parsed = _version(cudnn_version)
    if parsed is None:
        return []
    for row in _rows("cuda", "cudnn"):
        if int(row["major"]) == parsed.release[0]:
            return list(row["sonames"])
    return []


@lru_cache(maxsize=1)
def _errors() -> tuple[CudaError, ...]:
    return tuple(
        CudaError(
            code=int(row["code"]),
            name=row["name"],
            api=row["api"],
            meaning=row["meaning"],
            cause=row.get("cause"),
            also=tuple(row.get("also", ())),
            source=row["source"],
        )
        for row in _rows("cuda", "error")
    )


def cuda_error(code: int | str, api: str | None = None) -> CudaError | None:
    """A CUDA error by number or name ("CUDA_ERROR_NO_DEVICE", "cudaErrorInsufficientDriver").

    A number is looked up in the driver API first, then the runtime API, unless ``api``
    ("driver", "runtime", "nvml") says which. None for an unknown code.
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


# ---------------------------------------------------------------------------------------------
# GPUs
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _vendors() -> dict[str, str]:
    return {_hex_id(row["id"]) or row["id"]: row["name"] for row in _rows("gpus", "vendor")}


def vendor_name(vendor_id: str) -> str:
    """The vendor of a PCI vendor id ("0x10de" -> "nvidia", "0x1002" -> "amd"), else "other"."""
    key = _hex_id(vendor_id)
    name = _vendors().get(key or "")
    return name if name in {"nvidia", "amd", "intel"} else "other"


@lru_cache(maxsize=1)
def _gpus() -> tuple[tuple[GpuModel, tuple[tuple[str, ...], ...]], ...]:
    models = []
    for row in _rows("gpus", "gpu"):
        model = GpuModel(
            name=row["name"],
            vendor=row["vendor"],
            compute_capability=row.get("compute_capability"),
            architecture=row.get("architecture"),
            segment=row.get("segment"),
            pci_ids=tuple(_hex_id(i) or i for i in row.get("pci_ids", ())),
            derived=bool(row.get("derived", False)),
            source=row["source"],
        )
        aliases = tuple(_tokens(a) for a in [row["name"], *row.get("aliases", ())])
        models.append((model, aliases))
    return tuple(models)


def _vendor_ids(vendor: str) -> set[str]:
    return {vid for vid, name in _vendors().items() if name == vendor}


def gpu_by_pci_id(vendor_id: str, device_id: str) -> GpuModel | None:
    """The GPU model of a PCI vendor/device id pair ("0x10de", "0x102d" -> Tesla K80)."""
    vendor = _hex_id(vendor_id)
    device = _hex_id(device_id)
    if vendor is None or device is None:
        return None
    vendor_label = _vendors().get(vendor)
    for model, _ in _gpus():
        if model.vendor == vendor_label and device in model.pci_ids:
            return model
    return None


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    size = len(needle)
    return size > 0 and any(
        haystack[i : i + size] == needle for i in range(len(haystack) - size + 1)
    )


@lru_cache(maxsize=256)
def gpu_by_name(name: str) -> GpuModel | None:
    """The GPU model a printed name refers to ("Tesla T4", "NVIDIA A100-SXM4-80GB", ...).

    Matches the longest known name fragment that appears as whole words in ``name``.
    """
    words = _tokens(name)
    best: tuple[int, GpuModel] | None = None
    for model, aliases in _gpus():
        for alias in aliases:
            if _contains(words, alias):
                score = sum(len(t) for t in alias) + len(alias)
                if best is None or score > best[0]:
                    best = (score, model)
    return None if best is None else best[1]


def compute_capability_from_chip(pci_name: str) -> str | None:
    """The compute capability implied by the chip code at the start of a pci.ids name ("GA102GL")."""
    text = pci_name.strip().upper()
    best: tuple[int, str] | None = None
    for row in _rows("gpus", "chip"):
        prefix = row["prefix"].upper()
        if text.startswith(prefix) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), row["compute_capability"])
    return None if best is None else best[1]


# ---------------------------------------------------------------------------------------------
# Azure
# ---------------------------------------------------------------------------------------------


def _size_key(size: str) -> str:
    key = size.strip().lower()
    return key[len("standard_") :] if key.startswith("standard_") else key


def _azure_size_from_row(row: dict[str, Any], name: str) -> AzureVmSize:
    count_text = row.get("gpu_count")
    count = float(Fraction(str(count_text))) if count_text is not None else None
    vendor = row.get("gpu_vendor")
    return AzureVmSize(
        name=name,
        series=row.get("series"),
        gpu=vendor is not None,
        gpu_vendor=vendor,
        gpu_model=row.get("gpu_model"),
        gpu_count=count,
        gpu_share=str(count_text) if count_text is not None else None,
        compute_capability=row.get("compute_capability"),
        driver=row.get("driver"),
        status=row.get("status", "current"),
        cpu_arch=row.get("cpu_arch", "x86_64"),
        source=row["source"],
    )


@lru_cache(maxsize=1)
def _azure_sizes() -> dict[str, AzureVmSize]:
    sizes: dict[str, AzureVmSize] = {}
    for row in _rows("azure", "vm_size"):
        sizes[_size_key(row["name"])] = _azure_size_from_row(row, row["name"])
    return sizes


def azure_vm_size(size: str) -> AzureVmSize | None:
    """What an Azure VM size has: its GPU vendor, model, count (fractional for vGPU sizes), status.

    Case-insensitive, with or without the "Standard_" prefix. A size of a CPU-only family
    (D, E, F, B, ...) is recognised by its name pattern and returned with ``gpu`` False.
    None when the name is neither a known GPU size nor matches a known family pattern.
    """
    key = _size_key(size)
    if not key:
        return None
    known = _azure_sizes().get(key)
    if known is not None:
        return known
    stripped = size.strip()
    if stripped.lower().startswith("standard_"):
        stripped = stripped[len("standard_") :]
    display = "Standard_" + stripped
    for row in _rows("azure", "size_pattern"):
        if re.search(row["pattern"], key, flags=re.IGNORECASE):
            return _azure_size_from_row(row, display)
    return None


def azure_gpu_sizes(
    min_compute_capability: str | None = None, vendor: str = "nvidia"
) -> list[AzureVmSize]:
    """Current (not retired or retiring) Azure GPU sizes of a vendor, optionally with CC >= a floor.

    Sorted by compute capability, then GPU count, so the first is the smallest that fits.
    """
    floor = _cc_tuple(min_compute_capability) if min_compute_capability else None
    chosen: list[AzureVmSize] = []
    for size in _azure_sizes().values():
        if size.gpu_vendor != vendor or size.status != "current":
            continue
        cc = _cc_tuple(size.compute_capability) if size.compute_capability else None
        if floor is not None and (cc is None or cc < floor):
            continue
        chosen.append(size)
    return sorted(
        chosen,
        key=lambda s: (
            _cc_tuple(s.compute_capability or "0.0") or (0, 0),
            s.gpu_count or 0.0,
            s.name,
        ),
    )


@lru_cache(maxsize=1)
def _azureml_images() -> dict[str, AzureMlImage]:
    images: dict[str, AzureMlImage] = {}
    for row in _rows("azure", "azureml_image"):
        image = AzureMlImage(
            name=row["name"],
            gpu=bool(row["gpu"]),
            cuda=row.get("cuda"),
            cudnn=row.get("cudnn"),
            ubuntu=row.get("ubuntu"),
            status=row["status"],
            source=row["source"],
        )
        images[image.name.lower()] = image
    return images


def azureml_image(image: str) -> AzureMlImage | None:
    """An Azure ML base image ("mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:tag" or bare name)."""
    text = image.strip().lower()
    text = text.split("@", 1)[0]
    if "/" in text:
        text = text.rsplit("/", 1)[-1]
    text = text.split(":", 1)[0]
    return _azureml_images().get(text)


def azureml_curated_environment(reference: str) -> AzureMlCuratedEnvironment | None:
    """A curated environment by name or job reference ("azureml:AzureML-sklearn-1.5@latest")."""
    text = reference.strip()
    if text.lower().startswith("azureml:"):
        text = text[len("azureml:") :]
    text = re.split(r"[@:]", text, maxsplit=1)[0]
    if text.lower().startswith("azureml-"):
        text = text[len("azureml-") :]
    for row in _rows("azure", "curated_environment"):
        if row["name"].lower() == text.lower():
            return AzureMlCuratedEnvironment(
                name=row["name"],
                framework=row["framework"],
                framework_version=row["framework_version"],
                gpu=bool(row["gpu"]),
                cuda=row.get("cuda"),
                status=row.get("status", "current"),
                source=row["source"],
            )
    return None


def azure_dmi_markers() -> tuple[AzureDmiMarker, ...]:
    """DMI values (under /sys/class/dmi/id) that show Azure; ``decisive`` ones suffice alone."""
    return tuple(
        AzureDmiMarker(
            file=row["file"],
            value=row["value"],
            decisive=bool(row["decisive"]),
            source=row["source"],
        )
        for row in _rows("machine_markers", "azure_dmi")
    )


def azureml_job_markers() -> tuple[AzureMlMarker, ...]:
    """Environment variables, variable prefixes and paths that show an Azure ML job or compute instance.

    ``kind`` is "env", "env_prefix" or "path"; ``context`` is "job" or "compute_instance".
    """
    markers: list[AzureMlMarker] = []
    for table, kind, key in (
        ("azureml_env", "env", "name"),
        ("azureml_env_prefix", "env_prefix", "prefix"),
        ("azureml_path", "path", "path"),
    ):
        for row in _rows("machine_markers", table):
            markers.append(
                AzureMlMarker(
                    kind=kind,
                    context=row["kind"],
                    name=row[key],
                    strength=row["strength"],
                    source=row["source"],
                )
            )
    return tuple(markers)
