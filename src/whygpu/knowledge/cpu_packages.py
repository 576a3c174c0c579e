"""Packages that are CPU builds by definition (``cpu_packages.toml``): which name, under which package manager, is one."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from whygpu import lazyre as re
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


# --- accinstall (session 25): a framework's plain install, judged by what it gives ----------------------------------------


@record(frozen=True)
class PlainInstall:
    """A framework's distribution whose plain install gives its CPU build always, on some platforms or for some releases."""

    name: str
    framework: str
    cpu_when: str  # "always", "platform", "release"
    gpu: str
    instead: str
    why: str
    source: str


@record(frozen=True)
class PlainBuild:
    """What a plain install gives: the CPU build (``cpu`` True), or not decided without a fact (``cpu`` None; ``decides`` says which)."""

    package: PlainInstall
    cpu: bool | None
    decides: str  # "" when decided; else what would decide ("the platform", "the TensorFlow release")
    because: str  # the knowledge behind the decision, in words


@lru_cache(maxsize=1)
def _plain_rows() -> tuple[tuple[PlainInstall, re.Pattern[str], frozenset[str], re.Pattern[str] | None, re.Pattern[str] | None], ...]:
    def rx(value: object) -> re.Pattern[str] | None:
        return re.compile(str(value), re.I) if value else None

    out = []
    for row in table_rows("cpu_packages", "plain_install"):
        item = PlainInstall(name=str(row["name"]), framework=str(row["framework"]), cpu_when=str(row["cpu_when"]), gpu=str(row["gpu"]),
                            instead=str(row["instead"]), why=str(row["why"]), source=str(row["source"]))
        out.append((item, re.compile(rf"(?:{row['names']})", re.I), frozenset(str(m) for m in row["managers"]),
                    rx(row.get("gpu_extras")), rx(row.get("gpu_spec"))))
    return tuple(out)


def plain_installs() -> tuple[PlainInstall, ...]:
    """Every distribution the plain-install table knows."""
    return tuple(row[0] for row in _plain_rows())


def plain_install(name: str, manager: str, *, extras: str = "", spec: str = "", sources: tuple[str, ...] = ()) -> PlainInstall | None:
    """The table's row when ``manager`` installing ``name`` (with ``extras``, the version part ``spec`` and the indexes,
    wheel pages or channels ``sources``) is a plain install: from the registry's default, with no extra or build tag that
    selects the GPU build; else None. An index of its own (a CUDA, ROCm or CPU wheel index) is not the default: what it
    serves is that index's."""
    if sources:
        return None
    for item, names, managers, gpu_extras, gpu_spec in _plain_rows():
        if not names.fullmatch(name) or manager not in managers:
            continue
        if gpu_extras is not None and any(gpu_extras.fullmatch(e.strip()) for e in extras.strip("[]").split(",") if e.strip()):
            return None
        if gpu_spec is not None and gpu_spec.search(spec):
            return None
        return item
    return None


def plain_install_cpu_build(name: str, manager: str, *, extras: str = "", spec: str = "", sources: tuple[str, ...] = (),
                            platform: str | None = None, version: str | None = None) -> PlainBuild | None:
    """accunify (session 26): whether ``manager`` installing ``name`` as written (``extras``, the version part ``spec``, the
    indexes or channels ``sources``) gets the framework's CPU build on ``platform`` for the release it pins or ``version``:
    the one decision explain (LOG291, through ``plain_install`` and ``plain_install_build``) and lint (DEP008) ask. A
    PlainBuild (cpu True, or None with what would decide), or None where it is no plain install or gives the GPU build."""
    package = plain_install(name, manager, extras=extras, spec=spec, sources=sources)
    if package is None:
        return None
    return plain_install_build(package, spec=spec, platform=platform, version=version)


def _release(spec: str) -> str | None:
    """The release an exact pin names ("==1.15.2", "===1.7.1", conda's "=1.15"), else None."""
    m = re.fullmatch(r"\s*={1,3}\s*v?(\d+(?:\.\d+){0,2})(?:\.\*)?\s*", spec)
    return m.group(1) if m else None


def plain_install_build(package: PlainInstall, *, spec: str = "", platform: str | None = None, version: str | None = None) -> PlainBuild | None:
    """What the plain install of ``package`` gives on ``platform`` ("windows" for native Windows, "linux", "wsl", "darwin", None
    not known) for the release its ``spec`` pins or, without a pin, the ``version`` the log shows: the CPU build (cpu True),
    not decided (cpu None, with what would decide), or None where that install is a GPU build (Linux's PyPI torch, pip's
    tensorflow 2.1+ on Linux)."""
    if package.cpu_when == "always":
        return PlainBuild(package, True, "", package.why)
    if package.cpu_when == "platform":
        from whygpu.knowledge.torch import torch_pypi_wheel_cpu_only

        if platform is None:
            return PlainBuild(package, None, "the platform", package.why)
        shown = "macos" if platform == "darwin" else platform
        return PlainBuild(package, True, "", package.why) if shown in ("windows", "macos") and torch_pypi_wheel_cpu_only(shown) else None
    if package.cpu_when == "release":
        from whygpu.knowledge.tensorflow import (
            tensorflow_gpu_on_native_windows,
            tensorflow_pip_has_gpu,
        )

        release = _release(spec) or version
        if release is not None and tensorflow_pip_has_gpu(release) is False:
            return PlainBuild(package, True, "", f"pip's tensorflow {release} has no CUDA code (its GPU build is tensorflow-gpu)")
        if platform == "windows":
            if release is None:
                return PlainBuild(package, None, "the TensorFlow release (2.11 and later have no GPU build on native Windows)", package.why)
            if tensorflow_gpu_on_native_windows(release) is False:
                return PlainBuild(package, True, "", f"TensorFlow {release} has no GPU build on native Windows (2.10 was the last)")
            return None
        if platform is None and release is not None and tensorflow_gpu_on_native_windows(release) is False:
            return PlainBuild(package, None, "the platform (native Windows has no GPU build of this release; Linux and WSL2 have)", package.why)
        return None
    return None


# --- accbuild (session 26): conda packages whose build string names the PyTorch variant -------------------------------------


@record(frozen=True)
class CondaVariant:
    """What a conda package's build string says: the framework variant it belongs to (``cuda`` False for the CPU one)."""

    package: str  # the table's name for the packages
    framework: str
    cuda: bool
    torch: str  # the PyTorch release the build string names, or ""
    why: str
    source: str


@lru_cache(maxsize=1)
def _variant_rows() -> tuple[tuple[dict[str, str], re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str] | None], ...]:
    out = []
    for row in table_rows("cpu_packages", "conda_variant"):
        torch = str(row.get("torch", ""))
        out.append(({k: str(row[k]) for k in ("name", "framework", "why", "source")}, re.compile(rf"(?:{row['names']})", re.I),
                    re.compile(str(row["cpu"]), re.I), re.compile(str(row["cuda"]), re.I), re.compile(torch) if torch else None))
    return tuple(out)


def conda_variant(name: str, build: str) -> CondaVariant | None:
    """The framework variant the conda package ``name`` with build string ``build`` belongs to (CPU or CUDA), or None
    where the table does not know the package or its build string names no variant ("py311h9f3a0a2_0", "pypi_0")."""
    for row, names, cpu, cuda, torch in _variant_rows():
        if not names.fullmatch(name):
            continue
        is_cpu, is_cuda = cpu.search(build) is not None, cuda.search(build) is not None
        if is_cpu == is_cuda:
            continue
        release = torch.search(build) if torch is not None else None
        return CondaVariant(package=row["name"], framework=row["framework"], cuda=is_cuda, torch=release.group(1) if release else "",
                            why=row["why"], source=row["source"])
    return None


# --- accsaid (session 29): a GPU build named by its marker, and its plain twin --------------------------------------------


@record(frozen=True)
class GpuMarker:
    """A framework's GPU build as its name marks it (tensorflow-gpu, torch+cu121, jax[cuda12]), and its plain twin."""

    framework: str
    plain: str
    plain_cpu: str  # "always", "platform" or "release"
    source: str
    instead: str = ""  # accnodev (session 33): what installs the GPU build
    one_folder: str = ""  # accdeclare (session 37): the import folder the twin and the GPU build both write ("" none)
    one_folder_source: str = ""


@record(frozen=True)
class TwinBuild:
    """What the plain twin of a GPU build is: the CPU build (``cpu`` True), a GPU build (False), or not decided (None, with
    what would decide)."""

    cpu: bool | None
    because: str
    decides: str


@lru_cache(maxsize=1)
def _marker_rows() -> tuple[tuple[GpuMarker, re.Pattern[str], re.Pattern[str]], ...]:
    return tuple((GpuMarker(framework=str(r["framework"]), plain=str(r["plain"]), plain_cpu=str(r["plain_cpu"]), source=str(r["source"]),
                            instead=str(r.get("instead", "")), one_folder=str(r.get("one_folder", "")),
                            one_folder_source=str(r.get("one_folder_source", ""))),
                  re.compile(rf"(?:{r['names']})", re.I), re.compile(rf"(?:{r['plain_names']})", re.I))
                 for r in table_rows("cpu_packages", "gpu_marker"))


def gpu_marker_patterns() -> tuple[str, ...]:
    """The regular expressions of every GPU build's name as written (for a reader's one search over a line)."""
    return tuple(names.pattern for _, names, _ in _marker_rows())


def gpu_marked_build(name: str) -> GpuMarker | None:
    """The framework whose GPU build ``name`` is by its marker alone ("tensorflow-gpu", "torch 2.1.0+cu121",
    "jaxlib==0.4.1+cuda11.cudnn82", "mxnet-cu101"), or None."""
    name = " ".join(name.split())
    for marker, names, _plain in _marker_rows():
        if names.fullmatch(name):
            return marker
    return None


def is_plain_twin(marker: GpuMarker, name: str) -> bool:
    """Whether ``name`` (a distribution or the framework as written, without a release) is ``marker``'s plain twin."""
    return any(m is marker and plain.fullmatch(name) is not None for m, _names, plain in _marker_rows())


def plain_twin_cpu(marker: GpuMarker, *, release: str | None = None, platform: str | None = None) -> TwinBuild:
    """accsaid (session 29): whether the plain twin of ``marker``'s GPU build (the same framework without the marker, of
    ``release`` where known) is a CPU build on ``platform`` ("windows", "darwin", "linux", None not known): the one decision
    explain's LOG395 asks of a GPU build replaced by its twin. The platform and release rules are [[plain_install]]'s."""
    if marker.plain_cpu == "always":
        return TwinBuild(True, f"plain {marker.plain} has no CUDA code ({marker.source})", "")
    package = next((p for p in plain_installs() if p.name == marker.plain), None)
    if package is None:
        return TwinBuild(None, "", "the build installed")
    from whygpu.knowledge._util import parse_version

    release = release if parse_version(release) is not None else None
    if marker.plain_cpu == "release" and release is None and platform != "windows":
        return TwinBuild(None, package.why, "the TensorFlow release (pip's tensorflow before 2.1 has no CUDA code)")
    build = plain_install_build(package, spec=f"=={release}" if release else "", platform=platform, version=release)
    if build is None:
        return TwinBuild(False, package.why, "")
    return TwinBuild(build.cpu, build.because, build.decides)


def one_folder_twins(names: Iterable[str]) -> tuple[GpuMarker, str, str] | None:
    """acctwins (session 39): the one decision whether distributions named together are a framework's GPU build and its plain
    twin that write one import folder (the [[gpu_marker]] row's ``one_folder``: tensorflow-gpu and tensorflow, onnxruntime-gpu
    and onnxruntime, paddlepaddle-gpu and paddlepaddle): (the row, the plain twin, the GPU build), names in lower case with
    hyphens; None where no two of them are. Asked by explain.twintogether of every pair the writer says installed together."""
    listed = list(dict.fromkeys(" ".join(n.split()).lower().replace("_", "-") for n in names))
    for gpu in listed:
        marker = gpu_marked_build(gpu)
        if marker is None or not marker.one_folder:
            continue
        plain = next((n for n in listed if n != gpu and is_plain_twin(marker, n)), None)
        if plain is not None:
            return marker, plain, gpu
    return None


def twin_overlay_cause(marker: GpuMarker) -> str | None:
    """accdeclare (session 37): the cause of the plain twin installed over ``marker``'s GPU build with both left installed
    ("onnxruntime installs in the same directory, overwriting onnxruntime-gpu"; "installing tensorflow on top of
    tensorflow-gpu"): where both distributions write one import folder (the row's ``one_folder``), pip removes neither and
    the folder holds the files of whichever came last, owned by two distributions: a conflicting install
    (FRAMEWORK_INSTALL_BROKEN; uninstalling either leaves the folder broken). None where the twin has its own folder or
    the row does not say."""
    return "FRAMEWORK_INSTALL_BROKEN" if marker.one_folder else None


def declared_twin_cpu(marker: GpuMarker, *, release: str | None = None, cpu_words: bool = False) -> TwinBuild:
    """accdeclare (session 37): whether a project's declaration of ``marker``'s plain twin (a requirements line, setup.py's
    install_requires, a dependency) installs a CPU build: the writer's own words that it is the CPU build decide; otherwise
    the twin's build of the declared ``release`` (``plain_twin_cpu``; no platform: a declaration installs on every one, so
    a twin that is the CPU build on some platforms only, PyPI's torch, is not decided)."""
    if cpu_words:
        return TwinBuild(True, f"the writer names the declared {marker.plain} the CPU build", "")
    return plain_twin_cpu(marker, release=release)


def gpu_marker_for(framework: str) -> GpuMarker | None:
    """The [[gpu_marker]] row of ``framework`` ("torch", "tensorflow", ...), or None."""
    return next((m for m, _names, _plain in _marker_rows() if m.framework == framework), None)


# --- acccpu (session 32): a program's GPU-only API, build flag or words, each deciding its CPU build --------------------------


@record(frozen=True)
class GpuApi:
    """A program whose CPU build a missing GPU-only API, a printed build flag or its own words decide: what installs the GPU
    build, the one check that decides, why, and the source."""

    program: str
    instead: str
    decide: str
    why: str
    source: str


@record(frozen=True)
class _GpuApiRow:
    item: GpuApi
    modules: re.Pattern[str]
    apis: re.Pattern[str] | None
    flag: re.Pattern[str] | None
    flag_cpu: re.Pattern[str] | None
    says: re.Pattern[str] | None
    gpu: re.Pattern[str] | None
    failed: re.Pattern[str] | None


def _optional(pattern: object, flags: int = 0) -> re.Pattern[str] | None:
    return re.compile(str(pattern), flags) if pattern else None


@lru_cache(maxsize=1)
def _api_rows() -> tuple[_GpuApiRow, ...]:
    out = []
    for row in table_rows("cpu_packages", "gpu_api"):
        item = GpuApi(program=str(row["program"]), instead=str(row["instead"]), decide=str(row["decide"]), why=str(row["why"]),
                      source=str(row["source"]))
        out.append(_GpuApiRow(item, re.compile(str(row["modules"])), _optional(row["apis"]), _optional(row["flag"]),
                              _optional(row["flag_cpu"], re.I), _optional(row["says"], re.I), _optional(row["gpu"], re.I),
                              _optional(row["failed"], re.I)))
    return tuple(out)


def gpu_api_row(module: str, name: str) -> GpuApi | None:
    """The program whose GPU build alone has ``name`` in its module ``module`` (as a traceback names both), or None."""
    for row in _api_rows():
        if row.apis is not None and row.modules.fullmatch(module) and row.apis.fullmatch(name):
            return row.item
    return None


def gpu_api_for(program: str) -> GpuApi | None:
    """The row of a program by its name or module ("faiss", "CTranslate2", "ctranslate2", "dlib"), or None."""
    low = program.lower().replace("-", "_")
    for row in _api_rows():
        if row.item.program.lower().replace("-", "_") == low or row.modules.fullmatch(program.lower()):
            return row.item
    return None


def gpu_api_module_named(text: str) -> tuple[GpuApi, str] | None:
    """The first program whose GPU-only API ``text`` names as ``module.name`` (``faiss.StandardGpuResources()``), or None."""
    for row in _api_rows():
        if row.apis is None:
            continue
        for m in re.finditer(r"(?<![\w.])([A-Za-z_][\w.]*)\.([A-Za-z_]\w*)", text):
            if row.modules.fullmatch(m.group(1)) and row.apis.fullmatch(m.group(2)):
                return row.item, m.group(2)
    return None


def gpu_api_flag(expression: str, value: str) -> GpuApi | None:
    """The program whose printed build flag ``expression`` with ``value`` says its build has no GPU part, or None."""
    for row in _api_rows():
        if row.flag is not None and row.flag_cpu is not None and row.flag.search(expression) and row.flag_cpu.fullmatch(value.strip()):
            return row.item
    return None


def gpu_api_flag_patterns() -> tuple[tuple[GpuApi, re.Pattern[str]], ...]:
    """Each program's build flag expression."""
    return tuple((row.item, row.flag) for row in _api_rows() if row.flag is not None)


def gpu_api_said(text: str) -> tuple[GpuApi, re.Match[str]] | None:
    """The program whose own words in ``text`` say a GPU part is not in its build, with the words, or None."""
    for row in _api_rows():
        if row.says is not None and (m := row.says.search(text)) is not None:
            return row.item, m
    return None


def gpu_api_gpu_shown(item: GpuApi, text: str) -> re.Match[str] | None:
    """The program's GPU distribution named in ``text``, or None."""
    row = next(r for r in _api_rows() if r.item == item)
    return row.gpu.search(text) if row.gpu is not None else None


def gpu_api_failed(item: GpuApi, text: str) -> bool:
    """Whether ``text`` is the program's own line that its GPU part failed to load."""
    row = next(r for r in _api_rows() if r.item == item)
    return row.failed is not None and row.failed.search(text) is not None


# --- accnodev (session 33): the framework a sentence names, and what installs its GPU build ----------------------------------


@lru_cache(maxsize=1)
def _named_rows() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each framework or program of the tables with the names a writer gives it (a [[gpu_marker]] row's plain names, a
    [[gpu_api]] row's program and modules), as whole words."""
    rows = [(m.framework, re.compile(r"(?<![\w.-])(?:" + plain.pattern + r")(?:[-_](?:cpu|gpu))?(?![\w-])", re.I)) for m, _names, plain in _marker_rows()]
    rows += [(r.item.program, re.compile(r"(?<![\w.-])(?:" + re.escape(r.item.program) + r"|" + r.modules.pattern + r")(?:[-_](?:cpu|gpu))?(?![\w-])", re.I))
             for r in _api_rows()]
    return tuple(rows)


def framework_named(text: str) -> str | None:
    """The one framework or program ``text`` names (a [[gpu_marker]] framework key, a [[gpu_api]] program), or None when it
    names none or several."""
    named = {framework for framework, rx in _named_rows() if rx.search(text)}
    return next(iter(named)) if len(named) == 1 else None


def gpu_build_instead(framework: str) -> str | None:
    """What installs the GPU build of ``framework`` (a [[gpu_marker]] row's instead, else a [[gpu_api]] row's), or None."""
    marker = gpu_marker_for(framework)
    if marker is not None and marker.instead:
        return marker.instead
    api = gpu_api_for(framework)
    return api.instead if api is not None else None


def gpu_build_check(framework: str) -> str | None:
    """The check that tells whether the build of ``framework`` that imports is its GPU build: its [[same_import]] group's
    (knowledge/python_layouts.toml), else its [[gpu_api]] row's, or None."""
    from whygpu.knowledge.python_layouts import same_import_groups

    group = next((g for g in same_import_groups() if g.group == framework and g.check), None)
    if group is not None:
        return group.check
    api = gpu_api_for(framework)
    return api.decide if api is not None else None


# --- accnoticed38 (session 38): pip found no GPU build, and the framework then runs without the GPU ------------------------

# A requirement that asks for a framework's GPU build by an extra ("numpyro[cuda111]", "jax[cuda12_pip]",
# https://docs.jax.dev/en/latest/installation.html) or a CUDA wheel index (https://download.pytorch.org/whl/cu121,
# https://pytorch.org/get-started/locally/; jax_cuda_releases) on the line pip could not resolve.
_GPU_ASKED = r"\[[\w,]*cuda\w*\]|/whl/cu\d+|jax_cuda_releases|\+cu(?:da)?\d+|-gpu\b"


def asks_gpu_build(package: str, line: str) -> bool:
    """Whether a requirement pip could not resolve asks for a framework's GPU build: the package's own marker
    (``gpu_marked_build``: "torch==2.1.2+cu121", "tensorflow-gpu") or a CUDA extra or wheel index on its line."""
    import re

    return gpu_marked_build(package) is not None or re.search(_GPU_ASKED, line, re.I) is not None


def unresolved_gpu_build_cause(*, gpu_asked: bool, cpu_run_shown: bool) -> tuple[str, tuple[str, ...]] | None:
    """accnoticed38 (session 38): the cause of pip finding no distribution of a framework's GPU build ("No matching
    distribution found for torch==2.1.2+cu121") where the same log shows the framework then running without the GPU (the
    writer's words that the CPU build is in place or the GPU unused, the framework's "no GPU" answer): the failed resolution
    left, or was followed by, the plain distribution from PyPI, a CPU build (torch on Windows, jaxlib always, PyPI's
    tensorflow of its releases without CUDA): FRAMEWORK_CPU_BUILD, with the broken install as the alternative. None (the
    resolution failure's own reading, nothing installed) where no run without the GPU is shown or no GPU build was asked."""
    if gpu_asked and cpu_run_shown:
        return "FRAMEWORK_CPU_BUILD", ("FRAMEWORK_INSTALL_BROKEN",)
    return None
