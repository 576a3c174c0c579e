"""Collects the Python environments to diagnose, their packages of interest, and the framework builds in them.

Live, the target interpreter (``--python`` or the one running whygpu) is asked about itself in a
child process with a timeout. Under ``--root`` nothing runs: environments are found by their
layout (``conda-meta``, ``pyvenv.cfg``, ``lib/python3.X/site-packages``). Installed distributions
are read from ``*.dist-info``/``*.egg-info`` directory names and ``conda-meta`` file names, so a
site-packages with thousands of files costs one directory listing; nothing is imported.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import field
from typing import Literal

from whygpu.collect import fsread
from whygpu.collect.cudalibs import scan_library_dir
from whygpu.collect.fsread import glob_in_root
from whygpu.collect.interface import Machine
from whygpu.facts import Fact, Unavailable
from whygpu.gateways.pyinfo import InterpreterInfo, ask_interpreter, current_interpreter
from whygpu.records import record
from whygpu.snapshot import CudaFacts, LibraryFile, Package, PythonEnv

_PROBE = "python"
EnvKind = Literal["venv", "conda", "system", "other"]

# Distributions that decide GPU use; everything else in site-packages is skipped unread.  Name
# prefixes and whole names, not regular expressions: nothing to compile when whygpu starts.
# accbundle (session 27): and the programs whose GPU builds want one cuDNN/CUDA major (knowledge/programs.toml: DNN003, FW004).
_PIP_PREFIXES = ("tensorflow", "tf-nightly", "intel-tensorflow", "torch", "jax", "nvidia-", "cuda-", "cupy", "tensorrt",
                 "intel-extension", "onnxruntime", "ctranslate2", "paddlepaddle")
_PIP_NAMES = frozenset({"tf-keras", "keras"})
# The same for conda records, which name CUDA pieces differently (cudatoolkit, libcublas, pytorch).
_CONDA_PREFIXES = ("tensorflow", "pytorch", "torch", "cuda-", "libcu", "libnvjitlink", "libnvrtc", "libnccl", "cupy",
                   "tensorrt")
_CONDA_NAMES = frozenset({"tf-keras", "keras", "jax", "jaxlib", "cudatoolkit", "cudnn", "nccl", "python"})


def _pip_interest(name: str) -> bool:
    """True for a (normalised) pip distribution name that can decide GPU use."""
    return name in _PIP_NAMES or name.startswith(_PIP_PREFIXES)


def _conda_interest(name: str) -> bool:
    """True for a conda package name that can decide GPU use."""
    return name in _CONDA_NAMES or name.startswith(_CONDA_PREFIXES)


# Directories that may hold an environment's prefix, searched under --root (bounded depth: the
# tree is never walked). Covers conda/miniforge installs, Azure ML images (/azureml-envs,
# /anaconda/envs), and venvs in the usual places.
_ROOT_PREFIX_GLOBS = (
    "/opt/*/*/*", "/opt/*/envs/*", "/usr/local/*", "/root/.venv", "/root/.conda/envs/*", "/root/*/envs/*",
    "/home/*/*/*", "/home/*/.venv", "/home/*/.conda/envs/*", "/home/*/*/envs/*", "/azureml-envs/*", "/anaconda/envs/*",
)
# Top-level directories that never hold an environment, some of them huge (/proc): not listed.
_SKIP_TOP = frozenset({"/proc", "/sys", "/dev", "/run", "/tmp", "/var", "/boot", "/etc", "/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/lost+found"})
_MAX_LISTED = 2000


def normalize(name: str) -> str:
    """A distribution name as PEP 503 compares it: ``Tensorflow_CPU`` -> ``tensorflow-cpu``."""
    return re.sub(r"[-_.]+", "-", name).lower()


# --- packages -------------------------------------------------------------------------------


def read_metadata_headers(path: str | os.PathLike[str], *, limit: int = 1 << 18) -> dict[str, list[str]]:
    """The header fields of a METADATA/PKG-INFO file (the part before the description), each field's values in order."""
    text = fsread.read_text(path, limit=limit)
    headers: dict[str, list[str]] = {}
    if text is None:
        return headers
    for line in text.splitlines():
        if not line.strip():
            break
        if line[:1] in (" ", "\t") or ":" not in line:
            continue
        key, _, value = line.partition(":")
        headers.setdefault(key.strip().lower(), []).append(value.strip())
    return headers


def _dist_name_version(entry: str) -> tuple[str, str | None]:
    """``torch-2.13.0+cpu.dist-info`` -> ``("torch", "2.13.0+cpu")``; ``foo.egg-info`` -> ``("foo", None)``."""
    base = entry.rsplit(".", 1)[0]
    if entry.endswith(".egg-info"):
        parts = base.split("-")
        return parts[0], parts[1] if len(parts) > 1 else None
    name, _, version = base.partition("-")
    return name, version or None


def read_site_packages(machine: Machine, site: str) -> list[Package]:
    """The distributions of interest installed in one site-packages directory."""
    packages: list[Package] = []
    for entry in fsread.list_dir(machine.path(site)) or []:
        if not (entry.endswith(".dist-info") or entry.endswith(".egg-info")):
            continue
        raw_name, version = _dist_name_version(entry)
        name = normalize(raw_name)
        if not _pip_interest(name):
            continue
        record = f"{site}/{entry}"
        metadata_file = "METADATA" if entry.endswith(".dist-info") else "PKG-INFO"
        if version is None or entry.endswith(".egg-info"):
            host = machine.path(record)
            headers = read_metadata_headers(f"{host}/{metadata_file}" if fsread.is_dir(host) else host)
            version = (headers.get("version") or [version or "unknown"])[0]
            name = normalize((headers.get("name") or [raw_name])[0])
        installer = fsread.read_value(machine.path(f"{record}/INSTALLER"))
        packages.append(Package(name=name, version=version or "unknown", location=site, installer=installer))
    return packages


def read_conda_meta(machine: Machine, prefix: str) -> list[Package]:
    """The conda packages of interest recorded in ``<prefix>/conda-meta`` (read from the file names only)."""
    packages: list[Package] = []
    for entry in fsread.list_dir(machine.path(f"{prefix}/conda-meta")) or []:
        if not entry.endswith(".json"):
            continue
        parts = entry[: -len(".json")].rsplit("-", 2)
        if len(parts) != 3:
            continue
        name, version, _build = parts
        if _conda_interest(name):
            packages.append(Package(name=name, version=version, location=prefix, installer="conda"))
    return packages


# --- environments ---------------------------------------------------------------------------


@record
class _Layout:
    """An environment found on disk, before its packages are read."""

    executable: str
    prefix: str
    kind: EnvKind
    version: Fact[str]
    site_packages: list[str] = field(default_factory=list)
    platform_tag: str | None = None
    interpreter_error: str | None = None


def _existing_dirs(machine: Machine, paths: Iterable[str]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for path in paths:
        if not path or not path.startswith("/"):
            continue
        path = path.rstrip("/") or "/"
        real = fsread.resolve_in_root(machine, path)
        if real in seen or not fsread.is_dir(machine.path(path)):
            continue
        seen.add(real)
        out.append(path)
    return out


def _pyvenv_cfg(machine: Machine, prefix: str) -> dict[str, str] | None:
    text = fsread.read_text(machine.path(f"{prefix}/pyvenv.cfg"), limit=1 << 14)
    if text is None:
        return None
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values[key.strip().lower()] = value.strip()
    return values


def _kind(machine: Machine, prefix: str, base_prefix: str | None = None) -> EnvKind:
    if fsread.is_dir(machine.path(f"{prefix}/conda-meta")):
        return "conda"
    if fsread.exists(machine.path(f"{prefix}/pyvenv.cfg")) or (base_prefix is not None and base_prefix != prefix):
        return "venv"
    if prefix in ("/usr", "/usr/local"):
        return "system"
    return "other"


def _layout_site_dirs(machine: Machine, prefix: str) -> list[str]:
    patterns = [f"{prefix}/lib/python3*/site-packages", f"{prefix}/lib64/python3*/site-packages"]
    if prefix == "/usr":
        # Debian and Ubuntu: the system Python reads dist-packages, /usr/local's first.
        patterns = ["/usr/local/lib/python3*/dist-packages", "/usr/lib/python3/dist-packages", *patterns]
    found: list[str] = []
    for pattern in patterns:
        found.extend(glob_in_root(machine, pattern))
    return _existing_dirs(machine, found)


def _layout_version(machine: Machine, prefix: str, site_dirs: list[str]) -> Fact[str]:
    cfg = _pyvenv_cfg(machine, prefix)
    if cfg:
        for key in ("version", "version_info"):
            match = re.match(r"(\d+\.\d+(?:\.\d+)?)", cfg.get(key, ""))
            if match:
                return match.group(1)
    for entry in fsread.list_dir(machine.path(f"{prefix}/conda-meta")) or []:
        match = re.match(r"^python-(\d+\.\d+\.\d+)-", entry)
        if match:
            return match.group(1)
    for site in site_dirs:
        match = re.search(r"/python(\d+\.\d+)/", site + "/")
        if match:
            return match.group(1)
    return Unavailable(f"no pyvenv.cfg, conda-meta python record or lib/python3.X directory under {prefix}", "python layout")


def _layout_executable(machine: Machine, prefix: str) -> str:
    for name in ("python3", "python"):
        if fsread.exists(machine.path(f"{prefix}/bin/{name}")):
            return f"{prefix}/bin/{name}"
    versioned = glob_in_root(machine, f"{prefix}/bin/python3.*")
    return versioned[0] if versioned else f"{prefix}/bin/python3"


def layout_env(machine: Machine, prefix: str, executable: str | None = None, *, reason: str | None = None) -> _Layout:
    """An environment read from its directory layout alone (used under --root and when the interpreter cannot answer)."""
    site_dirs = _layout_site_dirs(machine, prefix)
    cfg = _pyvenv_cfg(machine, prefix)
    if cfg and cfg.get("include-system-site-packages", "").lower() == "true" and cfg.get("home", "").startswith("/"):
        base = os.path.dirname(cfg["home"].rstrip("/"))
        site_dirs = _existing_dirs(machine, [*site_dirs, *_layout_site_dirs(machine, base)])
    version = _layout_version(machine, prefix, site_dirs)
    if reason is not None and isinstance(version, Unavailable):
        version = Unavailable(reason, _PROBE)
    return _Layout(
        executable=executable or _layout_executable(machine, prefix),
        prefix=prefix,
        kind=_kind(machine, prefix),
        version=version,
        site_packages=site_dirs,
    )


def prefix_of(executable: str) -> str:
    """``/opt/venv/bin/python`` -> ``/opt/venv``: the prefix an interpreter's path implies."""
    parent = os.path.dirname(executable.rstrip("/"))
    return os.path.dirname(parent) if os.path.basename(parent) in ("bin", "Scripts") else parent


def _from_info(machine: Machine, info: InterpreterInfo, shown_executable: str) -> _Layout:
    sites = set(info.site_packages)
    ordered = [p for p in info.sys_path if p in sites or p.rstrip("/").endswith(("site-packages", "dist-packages"))]
    ordered.extend(p for p in info.site_packages if p not in ordered)
    return _Layout(
        executable=shown_executable,
        prefix=info.prefix,
        kind=_kind(machine, info.prefix, info.base_prefix),
        version=info.version,
        site_packages=_existing_dirs(machine, ordered),
        platform_tag=info.platform,
    )


def _live_layouts(machine: Machine) -> Fact[list[_Layout]]:
    if machine.python is None:
        info = current_interpreter()
        return [_from_info(machine, info, info.executable)]
    executable = machine.python
    if not os.path.isabs(executable):
        import shutil  # only here: with bz2 and lzma, 6.5 M instructions a diagnosis does not need

        # "--python python3.11" means the one on PATH; "./venv/bin/python" is relative to here.
        found = shutil.which(executable, path=machine.environ.get("PATH")) if os.sep not in executable else None
        executable = os.path.abspath(found or executable)
    if not fsread.exists(machine.path(executable)):
        return Unavailable(f"--python {executable}: no such file", _PROBE)
    answer = ask_interpreter(machine.runner, executable, timeout_s=machine.timeout_s, env=dict(machine.environ))
    if isinstance(answer, Unavailable):
        # The interpreter would not answer (hung, crashed, not Python): read its layout instead, and
        # keep why, which is itself a finding (rules.frameworks FW007).
        layout = layout_env(machine, prefix_of(executable), executable, reason=answer.reason)
        reason, prefix = answer.reason, f"{executable}: "
        # Not str.removeprefix: the self-contained collector (collect.py) runs this on Python 3.8.
        layout.interpreter_error = _start_failure(reason[len(prefix):] if reason.startswith(prefix) else reason)
        return [layout]
    return [_from_info(machine, answer, executable)]


def _start_failure(reason: str) -> str | None:
    """``reason`` when the interpreter ran and then hung, died by a signal or failed; None otherwise.

    An interpreter that could not be started at all ("not found", "permission denied": a runner
    that runs nothing, a path that is not executable) or that ran and was not Python (exit status 0
    without an answer) did not fail at start-up: the layout read from its files says what there is.
    """
    if reason.startswith(("timed out", "killed by signal")):
        return reason
    if reason.startswith("exited with status ") and not reason.startswith("exited with status 0"):
        return reason
    return None


def _root_layouts(machine: Machine) -> Fact[list[_Layout]]:
    if machine.python is not None:
        executable = machine.python if machine.python.startswith("/") else "/" + machine.python
        if not fsread.exists(machine.path(executable)):
            return Unavailable(f"--python {executable}: no such file under {machine.root}", _PROBE)
        return [layout_env(machine, prefix_of(executable), executable)]
    layouts: list[_Layout] = []
    seen: set[str] = set()
    for prefix in ("/usr/local", "/usr"):
        if _layout_site_dirs(machine, prefix) and glob_in_root(machine, f"{prefix}/bin/python3*"):
            seen.add(prefix)
            layouts.append(layout_env(machine, prefix))
    candidates: list[str] = []
    # Every directory one and two levels below the root (/opt/conda, /work/venvs/tf), then the
    # deeper places environments are known to live.
    for top in (fsread.list_dir(machine.path("/")) or [])[:_MAX_LISTED]:
        first = f"/{top}"
        if first in _SKIP_TOP or not fsread.is_dir(machine.path(first)):
            continue
        candidates.append(first)
        candidates.extend(f"{first}/{child}" for child in (fsread.list_dir(machine.path(first)) or [])[:_MAX_LISTED])
    for pattern in _ROOT_PREFIX_GLOBS:
        candidates.extend(glob_in_root(machine, pattern))
    for prefix in dict.fromkeys(candidates):
        if prefix in seen or prefix in _SKIP_TOP:
            continue
        host = machine.path(prefix)
        marked = fsread.is_dir(f"{host}/conda-meta") or fsread.exists(f"{host}/pyvenv.cfg")
        if not marked and not glob_in_root(machine, f"{prefix}/bin/python3*"):
            continue
        layout = layout_env(machine, prefix)
        if not layout.site_packages:
            continue
        seen.add(prefix)
        layouts.append(layout)
    if not layouts:
        return Unavailable(
            "no Python environment found in the tree (looked for conda-meta, pyvenv.cfg and bin/python3 with "
            "lib/python3.X/site-packages in /usr, /usr/local, the directories one and two levels below the root, "
            "and conda envs/ and venvs under /opt, /root and /home)",
            _PROBE,
        )
    return layouts


# --- the collector ----------------------------------------------------------------------------


def _env_libraries(machine: Machine, layout: _Layout) -> list[LibraryFile]:
    """CUDA/cuDNN libraries that come with the environment: pip nvidia-* wheels, framework-bundled, conda."""
    dirs: list[str] = []
    for site in layout.site_packages:
        dirs.extend(glob_in_root(machine, f"{site}/nvidia/*/lib"))
        dirs.append(f"{site}/torch/lib")
    if layout.kind == "conda":
        dirs.append(f"{layout.prefix}/lib")
    found: list[LibraryFile] = []
    for directory in _existing_dirs(machine, dirs):
        # Recorded under the directory's real path, as the loader resolution names the files it finds.
        found.extend(scan_library_dir(machine, fsread.resolve_in_root(machine, directory)))
    return found


def collect_pythons(machine: Machine, cuda: CudaFacts) -> Fact[list[PythonEnv]]:
    """The environment(s) to diagnose with their packages and framework builds; adds their CUDA libraries to ``cuda.libraries``."""
    from whygpu.collect.frameworks import collect_frameworks

    layouts = _live_layouts(machine) if machine.live else _root_layouts(machine)
    if isinstance(layouts, Unavailable):
        return layouts
    envs: list[PythonEnv] = []
    known_paths = {lib.path for lib in cuda.libraries}
    # Every environment's libraries are added before any framework is resolved, so each
    # resolution sees the same, complete list of files.
    for layout in layouts:
        for lib in _env_libraries(machine, layout):
            if lib.path not in known_paths:
                known_paths.add(lib.path)
                cuda.libraries.append(lib)
        envs.append(PythonEnv(
            executable=layout.executable,
            version=layout.version,
            prefix=layout.prefix,
            kind=layout.kind,
            site_packages=layout.site_packages,
            packages=_packages(machine, layout),
            platform_tag=layout.platform_tag,
            interpreter_error=layout.interpreter_error,
        ))
    for env in envs:
        env.frameworks = collect_frameworks(machine, env, cuda)
    return envs


def _packages(machine: Machine, layout: _Layout) -> list[Package]:
    """Packages of interest, first occurrence on the path winning (that is the one imported)."""
    found: dict[str, Package] = {}
    conda = read_conda_meta(machine, layout.prefix) if layout.kind == "conda" else []
    for package in conda:
        found.setdefault(package.name, package)
    for site in layout.site_packages:
        for package in read_site_packages(machine, site):
            # conda's own records name the package already (pytorch, not torch); its dist-info is a copy.
            if conda and package.installer == "conda":
                continue
            found.setdefault(package.name, package)
    return list(found.values())
