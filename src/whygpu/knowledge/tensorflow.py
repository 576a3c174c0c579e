"""TensorFlow knowledge: tested builds per platform, distributions, the [and-cuda] pins and GPU generations."""

from __future__ import annotations

from functools import lru_cache

from packaging.version import Version

from whygpu import lazyre as re
from whygpu.knowledge._util import (
    in_spec,
    minor_key,
    parse_version,
    pep503,
    platform_key,
    release_parts,
    table_rows,
)
from whygpu.records import record


@record(frozen=True)
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


@record(frozen=True)
class TensorflowPackage:
    """A Python distribution of TensorFlow and what it means for NVIDIA GPU use."""

    name: str
    gpu: bool | None
    accelerator: str
    deprecated: bool
    stub_from: str | None
    meaning: str
    source: str
    # The only platform the package's wheels are published for ("windows", "darwin"), when there is one.
    platform: str | None = None

    @property
    def is_stub(self) -> bool:
        """True when the package has been replaced by an install-time error stub."""
        return self.stub_from is not None


@record(frozen=True)
class TensorflowComputeCapability:
    """The compute capabilities compiled into the official wheels of a range of releases."""

    versions: str
    min: str
    archs: tuple[str, ...]
    note: str | None
    source: str
    # Compute capabilities these wheels are known not to run on although the list's PTX would reach
    # them (Blackwell's 12.0 in 2.17-2.21), with the page that shows it.
    fails_on: tuple[str, ...] = ()
    fails_on_source: str | None = None


@lru_cache(maxsize=1)
def _tf_builds() -> dict[tuple[str, str], TensorflowBuild]:
    builds: dict[tuple[str, str], TensorflowBuild] = {}
    for row in table_rows("tensorflow", "build"):
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
    key = minor_key(version)
    if key is None:
        return None
    return _tf_builds().get((platform_key(platform), key))


def tensorflow_builds(platform: str = "linux") -> list[TensorflowBuild]:
    """Every tested build configuration of one platform, newest first."""
    wanted = platform_key(platform)
    builds = [b for (p, _), b in _tf_builds().items() if p == wanted]
    return sorted(builds, key=lambda b: Version(b.version), reverse=True)


def tensorflow_for_cuda(installed: str, platform: str = "linux") -> str | None:
    """The newest TensorFlow minor whose tested GPU build an installed CUDA serves (the one picker: lint's fixes and the cause's fix builder ask it).

    The build's CUDA must be served by the installed one (``knowledge.cuda.cuda_satisfies``: the same
    major from CUDA 11, the same minor before) and be no newer than it: a toolkit of the build's
    major but an older minor has the build's runtime soname, not the libraries a newer minor
    brought.  A newer minor may also have dropped a soname the build loads (CUDA 11.0 ships
    ``libcusolver.so.10``, 11.1 ``libcusolver.so.11``: TensorFlow 2.4, built for 11.0, does not
    run on 11.1), which ``knowledge.cuda.cuda_serves_build`` decides.  An ``installed`` given
    as a major alone (``"11"``: its minor unknown) is served by the newest build of that major.
    None when no build fits or the version cannot be read.
    """
    from whygpu.knowledge.cuda import cuda_serves_build
    from whygpu.knowledge.cuda_versions import cuda_satisfies, version_tuple

    have = version_tuple(installed)
    if not have:
        return None
    for build in tensorflow_builds(platform):
        if not build.gpu or not build.cuda:
            continue
        if len(have) < 2 and not cuda_satisfies(build.cuda, installed):
            continue
        if len(have) >= 2 and (version_tuple(build.cuda)[:2] > have[:2] or not cuda_serves_build(build.cuda, installed)):
            continue
        return build.version
    return None


@lru_cache(maxsize=1)
def _tf_packages() -> dict[str, TensorflowPackage]:
    packages: dict[str, TensorflowPackage] = {}
    for row in table_rows("tensorflow", "package"):
        package = TensorflowPackage(
            name=row["name"],
            gpu=row.get("gpu"),
            accelerator=row["accelerator"],
            deprecated=bool(row.get("deprecated", False)),
            stub_from=row.get("stub_from"),
            meaning=row["meaning"],
            source=row["source"],
            platform=row.get("platform"),
        )
        packages[pep503(package.name)] = package
    return packages


def tensorflow_package(dist_name: str) -> TensorflowPackage | None:
    """What a TensorFlow distribution name (e.g. "tensorflow-cpu", "tensorflow_gpu") means."""
    return _tf_packages().get(pep503(dist_name))


def tensorflow_package_platform(dist_name: str) -> str | None:
    """The one platform a TensorFlow distribution is published for ("windows" for tensorflow-intel), or None."""
    package = tensorflow_package(dist_name)
    return package.platform if package is not None else None


def tensorflow_package_stub(dist_name: str) -> str | None:
    """The release from which a TensorFlow distribution on PyPI is an install-time error stub ("2.12" for
    tensorflow-gpu and tf-nightly-gpu), else None. The stub is that distribution's newest release: an open spec
    that admits it resolves to the stub, never to a newer tensorflow (the package rows' ``stub_from``)."""
    package = tensorflow_package(dist_name)
    return package.stub_from if package is not None else None


@lru_cache(maxsize=1)
def _pip_gpu() -> tuple[tuple[str, bool], ...]:
    return tuple((str(row["versions"]), bool(row["gpu"])) for row in table_rows("tensorflow", "pip_gpu"))


def tensorflow_pip_has_gpu(version: str | None) -> bool | None:
    """Whether the pip package ``tensorflow`` of a release carries the CUDA code, by the ``pip_gpu`` rows.

    True for 1.15.0 and from 2.1; False before 1.15, for the later 1.15 patches and for 2.0 (their
    GPU build is ``tensorflow-gpu``). A minor alone ("1.15") stands for what ``pip install
    tensorflow==1.15.*`` installs, its newest patch. None when the version cannot be read or no
    row covers it. Lint (DEP002, which TensorFlow install is a GPU build), the doctor's FW rules
    (through :func:`tensorflow_gpu_package`) and explain ask this one function.
    """
    parsed = parse_version(version)
    if parsed is None:
        return None
    if len(parsed.release) <= 2:
        major, minor = release_parts(parsed, 2)
        parsed = Version(f"{major}.{minor}.{10**6}")
    for spec, gpu in _pip_gpu():
        if in_spec(spec, parsed):
            return gpu
    return None


def tensorflow_pip_gpu_since() -> str | None:
    """The release from which every ``tensorflow`` has the CUDA code ("2.1"): the lower bound of the open-ended GPU row."""
    from packaging.specifiers import SpecifierSet

    for spec, gpu in _pip_gpu():
        clauses = list(SpecifierSet(spec))
        if gpu and len(clauses) == 1 and clauses[0].operator == ">=":
            return clauses[0].version
    return None


@lru_cache(maxsize=1)
def _conda_metapackages() -> dict[str, str]:
    return {pep503(str(row["name"])): str(row["selects"]) for row in table_rows("tensorflow", "conda_package")}


def tensorflow_conda_metapackage(dist_name: str) -> str | None:
    """The variant ("gpu", "cpu") a conda package of this name selects when it is a metapackage of tensorflow, else None.

    conda's ``tensorflow-gpu`` (defaults and conda-forge) and conda-forge's ``tensorflow-cpu``
    install no files: they pin a build of the one ``tensorflow`` package (the ``conda_package`` rows).
    """
    return _conda_metapackages().get(pep503(dist_name))


def tensorflow_gpu_package(version: str | None, installer: str | None = None) -> str:
    """What the ``tensorflow-gpu`` distribution at ``version`` is, from the package table.

    Installed by conda it is "conda-metapackage": a metapackage that selects tensorflow's GPU
    build (:func:`tensorflow_conda_metapackage`), never a stub or a deprecated name. From pip:
    "gpu-build" before every ``tensorflow`` had the GPU code (:func:`tensorflow_pip_gpu_since`,
    2.1; 1.15.0's ``tensorflow`` had it too, but the next 1.15 patches did not, so
    ``tensorflow-gpu`` 1.15 is still the GPU build of its line); "old-name" from then until the
    stub (the same build as ``tensorflow``); "stub" from its ``stub_from`` (2.12: an error
    stub); "unknown" without a readable version.
    """
    if installer == "conda" and tensorflow_conda_metapackage("tensorflow-gpu") == "gpu":
        return "conda-metapackage"
    parsed = parse_version(version)
    if parsed is None:
        return "unknown"
    old = tensorflow_package("tensorflow-gpu")
    stub_from = parse_version(old.stub_from if old is not None else None)
    gpu_from = parse_version(tensorflow_pip_gpu_since())
    if stub_from is not None and parsed >= stub_from:
        return "stub"
    if gpu_from is not None and parsed < gpu_from:
        return "gpu-build"
    return "old-name"


def tensorflow_gpu_on_native_windows(version: str) -> bool | None:
    """Whether a TensorFlow release has a CUDA build on native Windows (2.10 was the last), by the Windows rows of the tested builds.

    A release newer than every Windows row is judged as the newest row; None when the version
    cannot be read or is older than the table.
    """
    build = tensorflow_build(version, "windows")
    if build is None:
        rows = tensorflow_builds("windows")
        parsed, newest = parse_version(version), parse_version(rows[0].version) if rows else None
        if parsed is None or newest is None:
            return None
        last = _last_native_gpu("windows")
        if last is not None and minor_key(version) is not None and Version(str(minor_key(version))) > last:
            # A release between the rows, after the last native Windows GPU build (2.13 between 2.12 and 2.17).
            return False
        if parsed < newest:
            return None
        build = rows[0]
    return build.gpu


def _last_native_gpu(platform: str) -> Version | None:
    """The last release with a GPU build on a native platform (the native_gpu_limit rows: Windows 2.10)."""
    for row in table_rows("tensorflow", "native_gpu_limit"):
        if row["platform"] == platform:
            return parse_version(row["last_gpu_version"])
    return None


@lru_cache(maxsize=1)
def _tf_and_cuda() -> dict[str, dict[str, str]]:
    pins: dict[str, dict[str, str]] = {}
    for row in table_rows("tensorflow", "and_cuda"):
        pins.setdefault(row["tensorflow"], {})[row["package"]] = row["requirement"]
    return pins


def tensorflow_and_cuda_pins(version: str) -> dict[str, str] | None:
    """The pip packages and version specifiers ``tensorflow[and-cuda]`` pulls for a release.

    None for releases before 2.14 (no extra) and for releases not in the table.
    """
    key = minor_key(version)
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
            fails_on=tuple(row.get("fails_on", ())),
            fails_on_source=row.get("fails_on_source"),
        )
        for row in table_rows("tensorflow", "compute_capability")
    )


def tensorflow_compute_capability(version: str) -> TensorflowComputeCapability | None:
    """The compute-capability row covering a TensorFlow release, or None if none does."""
    parsed = parse_version(version)
    if parsed is None:
        return None
    for row in _tf_cc():
        if in_spec(row.versions, parsed):
            return row
    return None


def tensorflow_min_compute_capability(version: str) -> str | None:
    """The lowest compute capability the official GPU wheels of a release support ("6.0")."""
    row = tensorflow_compute_capability(version)
    return None if row is None else row.min


def tensorflow_lowest_compute_capability() -> tuple[str, str] | None:
    """(the lowest compute capability the official GPU wheels of any release in the table support, the first such release).

    accversions (session 20): for a log that shows TensorFlow but not its version: a GPU below this is below the wheels of
    every release the table covers (3.5 from 1.5 on); a build from source may still run on it.
    """
    best: tuple[tuple[int, ...], str, str] | None = None
    for row in _tf_cc():
        since = re.search(r">=\s*([\d.]+)", row.versions)
        key = tuple(int(p) for p in row.min.split("."))
        if since and (best is None or key < best[0] or (key == best[0] and tuple(int(p) for p in since.group(1).split(".")) < tuple(int(p) for p in best[2].split(".")))):
            best = (key, row.min, since.group(1))
    return None if best is None else (best[1], best[2])


def tensorflow_fails_on(version: str, cc: str) -> str | None:
    """Why a TensorFlow release's official wheels are known not to run on a GPU of compute capability ``cc``
    although their architecture list would reach it (the row's ``fails_on``), or None."""
    from whygpu.knowledge._util import cc_tuple

    row = tensorflow_compute_capability(version)
    wanted = cc_tuple(cc)
    if row is None or wanted is None or not any(cc_tuple(f) == wanted for f in row.fails_on):
        return None
    return f"TensorFlow {version}'s wheels have no working code for compute capability {cc}: their PTX JIT fails there"


def tensorflow_runs_on(version: str, cc: str) -> tuple[bool | None, str]:
    """Whether the official GPU wheels of a TensorFlow release run on a GPU of compute capability ``cc``, and why.

    Below the release's minimum: no. A capability the release is known to fail on (its row's
    ``fails_on``): no. Otherwise its architecture list decides (SASS, same major, or PTX JIT:
    ``knowledge.target.build_runs_on_compute_capability``); None when the release or capability is unknown.
    """
    from whygpu.knowledge._util import cc_tuple
    from whygpu.knowledge.gpus import compute_capability_below

    row = tensorflow_compute_capability(version)
    wanted = cc_tuple(cc)
    if row is None or wanted is None:
        return None, "unknown TensorFlow release or compute capability"
    if compute_capability_below(cc, row.min):
        return False, f"TensorFlow {version}'s wheels need compute capability {row.min} or newer"
    failing = tensorflow_fails_on(version, cc)
    if failing:
        return False, failing
    from whygpu.knowledge.target import build_runs_on_compute_capability

    fit = build_runs_on_compute_capability(list(row.archs), cc)
    return fit.runs, fit.reason


def latest_tensorflow() -> str:
    """The newest TensorFlow release minor in the table, e.g. "2.21"."""
    return max((b.version for b in _tf_builds().values()), key=Version)


@record(frozen=True)
class TensorflowBoard:
    """A board whose GPU pip's TensorFlow cannot use, and where its GPU build comes from."""

    name: str
    pypi_gpu: bool
    gpu_build: str
    install: str
    source: str


def tensorflow_board(name: str) -> TensorflowBoard | None:
    """The row of a board ("jetson") whose GPU needs another TensorFlow build than PyPI's, or None."""
    for row in table_rows("tensorflow", "board"):
        if row["name"] == name.lower():
            return TensorflowBoard(name=row["name"], pypi_gpu=bool(row["pypi_gpu"]), gpu_build=row["gpu_build"],
                                   install=row["install"], source=row["source"])
    return None
