"""Reads the TensorFlow, PyTorch and JAX builds installed in an environment from their files, without importing them.

TensorFlow's ``build_info.py`` and torch's ``version.py`` are parsed with ``ast``; JAX is judged by
its jaxlib version and CUDA plugin packages. Only known paths are read (never a walk of
site-packages). For each GPU build, ``collect.loader`` then resolves the CUDA and cuDNN libraries it
will load. Which files to read comes from ``knowledge/python_layouts.toml``.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from whygpu.collect import fsread
from whygpu.collect.cudalibs import library_name
from whygpu.collect.fsread import glob_in_root
from whygpu.collect.interface import Machine
from whygpu.facts import Fact, Unavailable
from whygpu.knowledge.cuda_versions import cuda_release, cudnn_major, parse_library_name
from whygpu.knowledge.python_layouts import layouts
from whygpu.snapshot import CudaFacts, FrameworkBuild, LibraryResolution, Package, PythonEnv

if TYPE_CHECKING:
    from whygpu.knowledge.python_layouts import FrameworkLayout

# The knowledge of each framework, the loader's resolution and packaging are imported where a
# framework is found: an environment without one (and ``whygpu --help``) never loads them.

_MAX_SOURCE = 1 << 20  # build_info.py and version.py are a few hundred bytes; anything huge is not them


# --- reading generated Python files ------------------------------------------------------------


def _literal_assignments(source: str) -> dict[str, Any]:
    """Module-level ``name = <literal>`` (and annotated) assignments, plus the keys of a ``build_info`` mapping."""
    values: dict[str, Any] = {}
    tree = ast.parse(source)
    for node in tree.body:
        targets: list[ast.expr]
        value: ast.expr | None
        if isinstance(node, ast.Assign):
            targets, value = list(node.targets), node.value
        elif isinstance(node, ast.AnnAssign):
            targets, value = [node.target], node.value
        else:
            continue
        if value is None:
            continue
        for target in targets:
            if not isinstance(target, ast.Name):
                continue
            literal = _literal(value)
            if literal is not _NOT_LITERAL:
                values[target.id] = literal
    mapping = values.get("build_info")
    if isinstance(mapping, dict):
        for key, item in mapping.items():
            values.setdefault(str(key), item)
    return values


_NOT_LITERAL = object()


def _literal(node: ast.expr) -> Any:
    # build_info is "collections.OrderedDict([(k, v), ...])" in TF 2.4+, a dict literal before.
    if isinstance(node, ast.Call) and node.args and not node.keywords:
        inner = _literal(node.args[0])
        if isinstance(inner, list) and all(isinstance(p, tuple) and len(p) == 2 for p in inner):
            return dict(inner)
        return _NOT_LITERAL
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return _NOT_LITERAL


def read_python_literals(machine: Machine, path: str) -> Fact[dict[str, Any]]:
    """The literal module-level assignments of a generated file (``build_info.py``, ``version.py``)."""
    text = fsread.read_text(machine.path(path), limit=_MAX_SOURCE)
    if text is None:
        return Unavailable(f"cannot read {path}", "framework files")
    try:
        return _literal_assignments(text)
    except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
        return Unavailable(f"{path} is not valid Python ({type(exc).__name__})", "framework files")


# --- distributions ----------------------------------------------------------------------------


def _requires(machine: Machine, package: Package) -> list[tuple[str, str, str]]:
    """``(normalised name, version specifier, marker)`` of each Requires-Dist of an installed distribution."""
    from whygpu.collect.pyenv import normalize, read_metadata_headers

    for entry in fsread.list_dir(machine.path(package.location)) or []:
        if not entry.endswith(".dist-info"):
            continue
        name, _, version = entry[: -len(".dist-info")].partition("-")
        if normalize(name) == package.name and version == package.version:
            headers = read_metadata_headers(machine.path(f"{package.location}/{entry}/METADATA"))
            out = []
            for requirement in headers.get("requires-dist", []):
                spec, _, marker = requirement.partition(";")
                match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*\(?([^)]*)\)?", spec)
                if match:
                    out.append((normalize(match.group(1)), match.group(2).strip(), marker.strip()))
            return out
    return []


def _record_mtime(machine: Machine, package: Package) -> float:
    from whygpu.collect.pyenv import normalize

    for entry in fsread.list_dir(machine.path(package.location)) or []:
        if entry.endswith(".dist-info") and normalize(entry.split("-", 1)[0]) == package.name:
            try:
                return os.stat(machine.path(f"{package.location}/{entry}/RECORD")).st_mtime
            except OSError:
                return 0.0
    return 0.0


def _extra_names(requires: Iterable[tuple[str, str, str]], extra: str) -> list[str]:
    pattern = re.compile(r"extra\s*==\s*['\"]" + re.escape(extra) + r"['\"]")
    return [name for name, _spec, marker in requires if pattern.search(marker)]


def _spec_major(spec: str) -> str | None:
    """The major version a requirement pins or starts from: ``>=9.8,<10.0`` -> ``9``; ``==9.1.0.70`` -> ``9``."""
    match = re.search(r"(?:==|>=|~=|===)\s*(\d+)", spec)
    return match.group(1) if match else None


def _find_package_dir(machine: Machine, env: PythonEnv, package: str) -> str | None:
    for site in env.site_packages:
        if fsread.is_dir(machine.path(f"{site}/{package}")):
            return site
    return None


def _is_linux(env: PythonEnv) -> bool:
    return env.platform_tag in (None, "linux")


# --- TensorFlow -------------------------------------------------------------------------------


def _tensorflow(machine: Machine, env: PythonEnv, cuda: CudaFacts) -> FrameworkBuild | None:
    layout = layouts()["tensorflow"]
    dists = [p for p in env.packages if p.name in layout.distributions]
    site = _find_package_dir(machine, env, layout.import_package)
    if site is None and not dists:
        return None
    evidence: list[str] = []
    if site is None:
        recorded = dists[0]
        stub = _is_stub(recorded)
        reason = (
            f"{recorded.name} {recorded.version} is the removed-package stub: no tensorflow package files"
            if stub
            else f"{recorded.name} {recorded.version} is recorded in {recorded.location} but its tensorflow package directory is missing"
        )
        return FrameworkBuild(
            name="tensorflow", distribution=recorded.name, version=recorded.version, location=recorded.location,
            gpu_build=False if stub else Unavailable(reason, "tensorflow files"),
            evidence=[reason],
        )
    location = f"{site}/{layout.import_package}"
    here = [p for p in dists if p.location == site] or dists
    # A stub (tensorflow-gpu >= 2.12) installs no files, so it cannot own the ones on disk; and
    # conda's tensorflow is a metapackage over tensorflow-base, not a second install.
    here = [p for p in here if not _is_stub(p)] or here
    if any(p.installer == "conda" for p in here):
        here = [next((p for p in here if p.name == "tensorflow-base"), here[0])]
    # Several distributions write the same files; the last one installed owns them.
    owner: Package | None = max(here, key=lambda p: _record_mtime(machine, p)) if here else None
    if len(here) > 1 and owner is not None:
        evidence.append("installed together: " + ", ".join(f"{p.name} {p.version}" for p in here)
                        + f"; the files on disk are from the last one installed ({owner.name})")
    dist = owner
    info_path = f"{site}/{layout.build_file}"
    info = read_python_literals(machine, info_path)
    gpu_build: Fact[bool]
    cuda_version = cudnn_version = None
    archs: list[str] = []
    if isinstance(info, Unavailable):
        gpu_build = Unavailable(info.reason, "tensorflow build_info")
    else:
        evidence.append(f"read {info_path}")
        flag = info.get("is_cuda_build")
        gpu_build = flag if isinstance(flag, bool) else Unavailable(f"{info_path} has no is_cuda_build", "tensorflow build_info")
        if isinstance(info.get("cuda_version"), str) and info["cuda_version"]:
            cuda_version = cuda_release(info["cuda_version"])
        if isinstance(info.get("cudnn_version"), str) and info["cudnn_version"]:
            cudnn_version = cudnn_major(info["cudnn_version"])
        caps = info.get("cuda_compute_capabilities")
        if isinstance(caps, list):
            archs = [str(c) for c in caps]
        if info.get("is_rocm_build") is True:
            evidence.append("a ROCm (AMD) build")
    version = dist.version if dist else "unknown"
    name = dist.name if dist else "tensorflow"
    build = FrameworkBuild(
        name="tensorflow", distribution=name, version=version, location=location, gpu_build=gpu_build,
        cuda_version=cuda_version, cudnn_version=cudnn_version, compute_capabilities=archs, evidence=evidence,
    )
    build.cuda_packages = _cuda_packages(machine, env, dist, layout.cuda_extra, evidence)
    if gpu_build is True and _is_linux(env):
        build.libraries = _resolve(machine, env, cuda, layout, site, cuda_version, cudnn_version, evidence, major=None)
    return build


def _is_stub(package: Package) -> bool:
    from whygpu.knowledge.tensorflow import tensorflow_conda_metapackage, tensorflow_package

    if package.installer == "conda" and tensorflow_conda_metapackage(package.name) is not None:
        return False  # conda's tensorflow-gpu selects tensorflow's GPU build: not PyPI's stub
    known = tensorflow_package(package.name)
    return known is not None and known.is_stub and _at_least(package.version, known.stub_from)


def _at_least(version: str, floor: str | None) -> bool:
    from packaging.version import InvalidVersion, Version

    if floor is None:
        return False
    try:
        return Version(version) >= Version(floor)
    except InvalidVersion:
        return False


def _cuda_packages(machine: Machine, env: PythonEnv, dist: Package | None, extra: str | None, evidence: list[str]) -> list[Package]:
    """The installed CUDA wheels the distribution asks for (its CUDA extra, or its plain nvidia-* requirements)."""
    installed = {p.name: p for p in env.packages}
    requires = _requires(machine, dist) if dist is not None else []
    wanted = _extra_names(requires, extra) if extra else []
    if not wanted:
        wanted = [name for name, _spec, marker in requires if name.startswith(("nvidia-", "cuda-")) and "extra" not in marker]
    if wanted:
        present = [installed[n] for n in wanted if n in installed]
        missing = [n for n in wanted if n not in installed]
        label = f"[{extra}] " if extra and _extra_names(requires, extra) else ""
        evidence.append(f"{dist.name if dist else ''} {label}CUDA wheels: {len(present)} of {len(wanted)} installed"
                        + (f" (missing: {', '.join(missing[:6])}{', ...' if len(missing) > 6 else ''})" if missing else ""))
        return present
    return [p for p in env.packages if p.name.startswith("nvidia-")]


# --- PyTorch ----------------------------------------------------------------------------------


def _torch(machine: Machine, env: PythonEnv, cuda: CudaFacts) -> FrameworkBuild | None:
    layout = layouts()["torch"]
    dists = [p for p in env.packages if p.name in layout.distributions]
    site = _find_package_dir(machine, env, layout.import_package)
    if site is None and not dists:
        return None
    dist = next((p for p in dists if site is None or p.location == site or p.installer == "conda"), dists[0] if dists else None)
    evidence: list[str] = []
    if site is None:
        assert dist is not None
        reason = f"{dist.name} {dist.version} is recorded in {dist.location} but its torch package directory is missing"
        return FrameworkBuild(name="torch", distribution=dist.name, version=dist.version, location=dist.location,
                              gpu_build=Unavailable(reason, "torch files"), evidence=[reason])
    location = f"{site}/{layout.import_package}"
    info_path = f"{site}/{layout.build_file}"
    info = read_python_literals(machine, info_path)
    version = dist.version if dist else "unknown"
    gpu_build: Fact[bool]
    cuda_version = None
    if isinstance(info, Unavailable):
        gpu_build = Unavailable(info.reason, "torch version.py")
    else:
        evidence.append(f"read {info_path}")
        if isinstance(info.get("__version__"), str):
            version = info["__version__"]
        cuda_value = info.get("cuda")
        hip = info.get("hip")
        if isinstance(cuda_value, str) and cuda_value:
            gpu_build, cuda_version = True, cuda_release(cuda_value)
            evidence.append(f"torch.version.cuda = {cuda_value!r}")
        elif "cuda" in info:
            gpu_build = False
            evidence.append("torch.version.cuda = None: a build without CUDA"
                            + (f" (a ROCm build: hip {hip})" if isinstance(hip, str) and hip else ""))
        else:
            gpu_build = Unavailable(f"{info_path} has no 'cuda' entry", "torch version.py")
    if gpu_build is True:
        evidence.append("CUDA architecture list not read: it is compiled into the shared libraries")
    build = FrameworkBuild(
        name="torch", distribution=dist.name if dist else "torch", version=version, location=location,
        gpu_build=gpu_build, cuda_version=cuda_version, evidence=evidence,
    )
    build.cuda_packages = _cuda_packages(machine, env, dist, None, evidence)
    build.cudnn_version = _torch_cudnn(machine, dist, build.cuda_packages, location)
    if gpu_build is True and _is_linux(env):
        build.libraries = _resolve(machine, env, cuda, layout, site, cuda_version, build.cudnn_version, evidence, major=None)
    return build


def _torch_cudnn(machine: Machine, dist: Package | None, wheels: Sequence[Package], location: str) -> str | None:
    """cuDNN major: the nvidia-cudnn wheel torch pins, else the one installed, else a cuDNN bundled in torch/lib."""
    if dist is not None:
        for name, spec, _marker in _requires(machine, dist):
            if name.startswith("nvidia-cudnn") and _spec_major(spec):
                return _spec_major(spec)
    for package in wheels:
        if package.name.startswith("nvidia-cudnn"):
            return cudnn_major(package.version)
    for entry in fsread.list_dir(machine.path(f"{location}/lib")) or []:
        if entry.startswith("libcudnn.so.") or entry.startswith("libcudnn-"):
            major = parse_library_name(entry).major
            if major:
                return major
    return None


# --- JAX --------------------------------------------------------------------------------------


def _jax(machine: Machine, env: PythonEnv, cuda: CudaFacts) -> FrameworkBuild | None:
    layout = layouts()["jax"]
    installed = {p.name: p for p in env.packages}
    jax = installed.get("jax")
    jaxlib = installed.get("jaxlib")
    if jax is None and jaxlib is None:
        return None
    evidence: list[str] = []
    if jax is not None:
        evidence.append(f"jax {jax.version}")
    from whygpu.knowledge.jax import jax_plugin

    plugins: list[tuple[Package, int, str]] = []
    for package in env.packages:
        plugin = jax_plugin(package.name)
        if plugin is not None:
            plugins.append((package, plugin.cuda_major, plugin.role))
    for package, _major, _role in plugins:
        evidence.append(f"{package.name} {package.version}")
    if jaxlib is None:
        reason = "jaxlib is not installed: jax cannot run without it"
        return FrameworkBuild(name="jax", distribution="jax", version=jax.version if jax else "unknown",
                              location=jax.location if jax else "", gpu_build=Unavailable(reason, "jax packages"),
                              cuda_packages=[p for p, _, _ in plugins], evidence=[*evidence, reason])
    pjrt = [(p, m) for p, m, role in plugins if role == "pjrt"]
    kernels = [(p, m) for p, m, role in plugins if role == "kernels"]
    local = jaxlib.version.partition("+")[2]
    gpu_build: Fact[bool]
    major: int | None = None
    cuda_version = cudnn_version = None
    if pjrt:
        pjrt.sort(key=lambda pm: pm[1], reverse=True)
        major = pjrt[0][1]
        gpu_build, cuda_version = True, str(major)
        for package, _ in pjrt:
            if package.version != jaxlib.version:
                evidence.append(f"{package.name} {package.version} does not match jaxlib {jaxlib.version}")
    elif "cuda" in local:
        # jaxlib up to 0.4.29 could be a CUDA build itself: "0.4.20+cuda12.cudnn89".
        from whygpu.knowledge.jax import jaxlib_local_cuda

        gpu_build = True
        major_found, cudnn_found = jaxlib_local_cuda(jaxlib.version) or (None, None)
        if major_found is not None:
            major = major_found
            cuda_version = str(major_found)
            cudnn_version = cudnn_found
        evidence.append(f"jaxlib {jaxlib.version} is a CUDA build")
    elif kernels:
        names = ", ".join(p.name for p, _ in kernels)
        gpu_build = Unavailable(f"{names} installed without its PJRT plugin (jax-cudaN-pjrt)", "jax packages")
    else:
        gpu_build = False
        evidence.append("no jax CUDA plugin (jax-cudaNN-pjrt) installed: jax runs on the CPU")
    location = _find_package_dir(machine, env, layout.import_package) or jaxlib.location
    build = FrameworkBuild(name="jax", distribution="jaxlib", version=jaxlib.version, location=f"{location}/{layout.import_package}",
                           gpu_build=gpu_build, cuda_version=cuda_version, evidence=evidence)
    wheels: list[Package] = [p for p, _, _ in plugins]
    for package, _major in kernels or pjrt:
        for name, spec, marker in _requires(machine, package):
            if not re.search(r"extra\s*==\s*['\"]" + re.escape(layout.cuda_extra or "") + r"['\"]", marker):
                continue
            if name in installed and installed[name] not in wheels:
                wheels.append(installed[name])
            if name.startswith("nvidia-cudnn") and cudnn_version is None:
                cudnn_version = _spec_major(spec)
    if plugins and len(wheels) == len(plugins):
        # No [with-cuda] wheels recorded: a -local install, which uses whatever CUDA the loader finds.
        wheels.extend(p for p in env.packages if p.name.startswith("nvidia-") and p not in wheels)
    build.cuda_packages = wheels
    if cudnn_version is None:
        cudnn_version = next((cudnn_major(p.version) for p in wheels if p.name.startswith("nvidia-cudnn")), None)
    if cudnn_version is None and gpu_build is True:
        from whygpu.knowledge.jax import jax_cuda_requirements

        requirements = jax_cuda_requirements(jaxlib.version)
        if requirements is not None and requirements.min_cudnn:
            cudnn_version = cudnn_major(requirements.min_cudnn)
            evidence.append(f"cuDNN {requirements.min_cudnn}+ needed by jax {jaxlib.version} (knowledge)")
    build.cudnn_version = cudnn_version
    if gpu_build is True and _is_linux(env) and cuda_version is not None:
        build.libraries = _resolve(machine, env, cuda, layout, location, cuda_version, cudnn_version, evidence, major=major)
    return build


# --- libraries --------------------------------------------------------------------------------

# Sonames of CUDA, cuDNN and NCCL libraries among a shared object's DT_NEEDED (not the driver's libcuda);
# compiled on first use (re's cache), not when whygpu starts.
_CUDA_NEEDED = r"^lib(cudart|cublas|cublasLt|cufft|curand|cusolver|cusparse|cusparseLt|nvrtc|nvJitLink|cudnn|nccl|cupti|cufile|nvshmem_host|nvToolsExt)[-.]"


def _resolve(
    machine: Machine,
    env: PythonEnv,
    cuda: CudaFacts,
    layout: FrameworkLayout,
    site: str,
    cuda_version: str | None,
    cudnn_version: str | None,
    evidence: list[str],
    *,
    major: int | None,
) -> list[LibraryResolution]:
    """Resolve each library the build loads: from its objects' DT_NEEDED when they name CUDA, else from knowledge."""
    from whygpu.collect.loader import read_loader_objects, resolve_library, search_steps
    from whygpu.knowledge.cuda import cuda_library_sonames, cudnn_sonames

    paths = [f"{site}/{p.replace('{major}', str(major))}" for p in layout.loader_objects if "{major}" not in p or major is not None]
    objects, notes = read_loader_objects(machine, paths)
    evidence.extend(notes)
    wheel_dirs: list[str] = []
    for other_site in env.site_packages:
        for pattern in layout.preload_dirs:
            wheel_dirs.extend(glob_in_root(machine, f"{other_site}/{pattern}"))
    steps = search_steps(machine, cuda, objects, wheel_dirs=wheel_dirs, preload=layout.preload, framework=layout.name)

    wanted: dict[str, tuple[list[str], bool]] = {}
    for obj in objects:
        for soname in obj.dynamic.needed:
            if re.match(_CUDA_NEEDED, soname):
                stem = parse_library_name(soname).stem.split("-")[0]
                wanted.setdefault(library_name(stem), ([], True))[0].append(soname)
    if not wanted:
        for library, sonames in cuda_library_sonames(cuda_version or "").items():
            wanted[library] = (sonames, library in layout.required)
        cudnn = cudnn_sonames(cudnn_version or "")
        if cudnn:
            # The framework loads the main cuDNN library; it loads its own sub-libraries from beside itself.
            wanted["cudnn"] = ([cudnn[0]], "cudnn" in layout.required)
        if not wanted:
            evidence.append(f"no library names known for CUDA {cuda_version} / cuDNN {cudnn_version}")
    # pip wheels and framework-bundled copies of another environment are no concern of this one.
    own_sites = tuple(fsread.resolve_in_root(machine, site).rstrip("/") + "/" for site in env.site_packages)
    known = [lib for lib in cuda.libraries if lib.origin not in ("pip", "framework") or lib.path.startswith(own_sites)]
    return [
        resolve_library(machine, steps, known, library, sonames, required=required)
        for library, (sonames, required) in wanted.items()
    ]


# --- the collector ----------------------------------------------------------------------------


def collect_frameworks(machine: Machine, env: PythonEnv, cuda: CudaFacts) -> list[FrameworkBuild]:
    """Every TensorFlow, PyTorch and JAX build in ``env``; a framework whose files cannot be read says why."""
    builds: list[FrameworkBuild] = []
    for reader in (_tensorflow, _torch, _jax):
        try:
            build = reader(machine, env, cuda)
        except Exception as exc:  # an odd install must not hide the other frameworks
            name = reader.__name__.strip("_")
            build = FrameworkBuild(name=name, distribution=name, version="unknown", location="",  # type: ignore[arg-type]
                                   gpu_build=Unavailable(f"could not read the {name} files: {type(exc).__name__}: {exc}", "framework files"))
        if build is not None:
            builds.append(build)
    return builds
