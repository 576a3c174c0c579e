"""Collects the CUDA installations, every CUDA and cuDNN library file the loader could reach, and the loader's search settings.

Everything is read from files under ``machine.root``: toolkits from ``/usr/local/cuda*``, the
loader configuration from ``/etc/ld.so.conf`` (with its includes), and the loader cache by parsing
``/etc/ld.so.cache`` directly, so ``--root`` needs no ``ldconfig`` and a live run spawns nothing.
"""

from __future__ import annotations

import json
import os
import re
import stat
import struct
from collections.abc import Iterable

from whygpu.collect import fsread
from whygpu.collect.fsread import glob_in_root
from whygpu.collect.interface import Machine
from whygpu.facts import Fact, Unavailable
from whygpu.knowledge.cuda_versions import parse_library_name
from whygpu.snapshot import CudaFacts, CudaToolkit, LibraryFile, Origin

# The library families the issue names: the CUDA runtime and math libraries and every cuDNN part.
_LIBRARY_FILE = re.compile(
    r"^lib(cudart|cublas|cublasLt|cufft|curand|cusolver|cusparse|nvrtc|nvJitLink|cudnn(?:_[a-z_]+)?)\.so(?:\.[0-9][0-9.]*)?$"
)
# Cache entries worth keeping in the snapshot: CUDA, cuDNN, NCCL and NVIDIA driver libraries.
# (A prefix test: a regular expression would be compiled on every run for it.)
_CACHE_NAME_PREFIXES = tuple(f"lib{name}" for name in (
    "cuda", "cudart", "cublas", "cufft", "curand", "cusolver", "cusparse", "cudnn", "cupti", "cufile", "nv", "nccl"))

# glibc's trusted directories (ld.so(8), "default path"), with the Debian/Ubuntu multiarch ones.
_DEFAULT_DIRS = (
    "/lib64", "/usr/lib64", "/lib", "/usr/lib",
    "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
    "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
)
# Where CUDA toolkits are installed by NVIDIA's packages and runfile, and by distributions.
_TOOLKIT_GLOBS = ("/usr/local/cuda*", "/opt/cuda*", "/usr/lib/cuda")
_WSL_LIB = "/usr/lib/wsl/lib"

_CACHE_MAGIC_NEW = b"glibc-ld.so.cache1.1"
_CACHE_MAGIC_OLD = b"ld.so-1.7.0"
_FLAG_TYPE_MASK = 0x00FF
_FLAG_ELF_LIBC6 = 0x0003
_FLAG_ARCH_MASK = 0xFF00


def default_dirs() -> tuple[str, ...]:
    """The directories the loader searches last, after LD_LIBRARY_PATH, RUNPATH and the cache."""
    return _DEFAULT_DIRS


# --- the loader cache ------------------------------------------------------------------------


def parse_ld_so_cache(data: bytes) -> list[tuple[str, str]]:
    """``(soname, path)`` for each ELF entry of an ``/etc/ld.so.cache``, in cache order.

    Reads the ``glibc-ld.so.cache1.1`` format (alone, or after the old ``ld.so-1.7.0`` table);
    raises ``ValueError`` for anything else. Layout: glibc ``sysdeps/generic/dl-cache.h``.
    """
    start = data.find(_CACHE_MAGIC_NEW)
    if start < 0:
        if data.startswith(_CACHE_MAGIC_OLD):
            raise ValueError("only the old ld.so-1.7.0 format (glibc < 2.32 compat), not read")
        raise ValueError("not an ld.so.cache (no glibc-ld.so.cache1.1 header)")
    header_size = 48
    if len(data) < start + header_size:
        raise ValueError("truncated header")
    # Byte 28 records the endianness since glibc 2.32 (2 little, 3 big); older caches are native.
    order = ">" if data[start + 28] == 3 else "<"
    (nlibs,) = struct.unpack_from(order + "I", data, start + 20)
    entry = struct.Struct(order + "iIIIQ")
    if nlibs > (len(data) - start - header_size) // entry.size:
        raise ValueError(f"header claims {nlibs} entries, more than the file holds")
    table = start + header_size
    entries: list[tuple[int, str, str]] = [
        (flags, _cstring(data, start + key), _cstring(data, start + value))
        for flags, key, value, _os, _hwcap in entry.iter_unpack(data[table : table + nlibs * entry.size])
        if flags & _FLAG_TYPE_MASK == _FLAG_ELF_LIBC6
    ]
    # A 64-bit system marks its entries with an architecture; unmarked ones are 32-bit libraries.
    if any(flags & _FLAG_ARCH_MASK for flags, _, _ in entries):
        entries = [e for e in entries if e[0] & _FLAG_ARCH_MASK]
    return [(key, value) for _, key, value in entries]


def _cstring(data: bytes, offset: int) -> str:
    if not 0 <= offset < len(data):
        raise ValueError(f"string offset {offset} outside the file")
    end = data.find(b"\0", offset)
    return data[offset : end if end >= 0 else len(data)].decode("utf-8", "replace")


def read_ld_cache(machine: Machine) -> Fact[list[tuple[str, str]]]:
    """Every ``(soname, path)`` entry of the machine's loader cache, or why it could not be read."""
    path = machine.path("/etc/ld.so.cache")
    try:
        with open(path, "rb") as handle:
            data = handle.read(64 << 20)
    except FileNotFoundError:
        return Unavailable("/etc/ld.so.cache does not exist (ldconfig never ran, or not a glibc system)", "ld.so.cache")
    except OSError as exc:
        return Unavailable(f"/etc/ld.so.cache: {exc.strerror or exc}", "ld.so.cache")
    try:
        return parse_ld_so_cache(data)
    except (ValueError, struct.error) as exc:
        return Unavailable(f"/etc/ld.so.cache: {exc}", "ld.so.cache")


# --- ld.so.conf -------------------------------------------------------------------------------


def read_ld_so_conf(machine: Machine) -> list[str]:
    """The directories listed in ``/etc/ld.so.conf`` and the files it includes, in ldconfig's order."""
    dirs: list[str] = []
    seen_files: set[str] = set()
    _read_conf(machine, "/etc/ld.so.conf", dirs, seen_files, depth=0)
    return list(dict.fromkeys(dirs))


def _read_conf(machine: Machine, conf: str, dirs: list[str], seen: set[str], depth: int) -> None:
    if conf in seen or depth > 8:
        return
    seen.add(conf)
    text = fsread.read_text(machine.path(fsread.resolve_in_root(machine, conf)), limit=65536)
    if text is None:
        return
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        words = line.split()
        if words[0] == "include":
            for pattern in words[1:]:
                if not pattern.startswith("/"):
                    pattern = os.path.join(os.path.dirname(conf), pattern)
                for included in glob_in_root(machine, pattern):
                    _read_conf(machine, included, dirs, seen, depth + 1)
        elif words[0] == "hwcap":
            continue
        else:
            # Old ldconfig accepted several directories per line, and "dir=type" suffixes.
            for word in re.split(r"[\s,:]+", line):
                word = word.split("=", 1)[0]
                if word.startswith("/"):
                    dirs.append(word.rstrip("/") or "/")


# --- toolkits ----------------------------------------------------------------------------------


def _toolkit_version(machine: Machine, path: str) -> tuple[str | None, str]:
    text = fsread.read_text(machine.path(f"{path}/version.json"), limit=1 << 16)
    if text:
        try:
            version = json.loads(text)["cuda"]["version"]
            if isinstance(version, str):
                return version, "version.json"
        except (ValueError, KeyError, TypeError):
            pass
    text = fsread.read_text(machine.path(f"{path}/version.txt"), limit=4096)
    if text:
        match = re.search(r"CUDA Version\s+([0-9][0-9.]*)", text)
        if match:
            return match.group(1), "version.txt"
    # The #define sits in the first few kB of the header: no need to read all of it.
    text = fsread.read_text(machine.path(f"{path}/include/cuda_runtime_api.h"), limit=1 << 15)
    if text:
        match = re.search(r"#define\s+CUDART_VERSION\s+(\d+)", text)
        if match:
            from whygpu.knowledge.cuda_versions import cuda_from_driver_code

            version = cuda_from_driver_code(match.group(1))
            if version:
                return version, "include/cuda_runtime_api.h"
    match = re.search(r"cuda-?([0-9]+\.[0-9]+)", os.path.basename(path))
    if match:
        return match.group(1), "directory name"
    return None, "unknown"


def find_toolkits(machine: Machine) -> list[CudaToolkit]:
    """CUDA toolkit directories: ``/usr/local/cuda*`` and the like, plus ``CUDA_HOME``/``CUDA_PATH``."""
    candidates: list[str] = []
    for pattern in _TOOLKIT_GLOBS:
        candidates.extend(glob_in_root(machine, pattern))
    for var in ("CUDA_HOME", "CUDA_PATH"):
        value = machine.environ.get(var)
        if value and value.startswith("/"):
            candidates.append(value.rstrip("/") or "/")
    toolkits: list[CudaToolkit] = []
    seen: set[str] = set()
    for path in dict.fromkeys(candidates):
        host = machine.path(path)
        if not fsread.is_dir(host):
            continue
        real = fsread.resolve_in_root(machine, path)
        if not any(fsread.exists(machine.path(f"{real}/{sub}")) for sub in ("lib64", "lib", "bin", "include", "targets", "version.json", "version.txt")):
            continue
        version, source = _toolkit_version(machine, real)
        if real != path:
            source = f"link to {real}; {source}"
        key = f"{path}\0{real}"
        if key in seen:
            continue
        seen.add(key)
        toolkits.append(CudaToolkit(path=path, version=version, source=source))
    return toolkits


def toolkit_lib_dirs(machine: Machine, toolkit: str) -> list[str]:
    """The library directories of a toolkit: ``lib64``, ``lib`` and ``targets/<arch>/lib``."""
    dirs = [f"{toolkit}/lib64", f"{toolkit}/lib", *glob_in_root(machine, f"{toolkit}/targets/*/lib")]
    return [d for d in dirs if fsread.is_dir(machine.path(d))]


# --- library files -----------------------------------------------------------------------------


def library_name(stem: str) -> str:
    """``libcudart`` -> ``cudart``; ``libnvJitLink`` -> ``nvjitlink`` (the name the knowledge data uses)."""
    name = stem[3:] if stem.startswith("lib") else stem
    return "nvjitlink" if name == "nvJitLink" else name


def classify_origin(machine: Machine, path: str, toolkit_dirs: Iterable[str] = ()) -> Origin:
    """Where a library file comes from, judged by its location."""
    if path.startswith(_WSL_LIB + "/"):
        return "wsl"
    if "/site-packages/" in path or "/dist-packages/" in path:
        return "pip" if "/nvidia/" in path else "framework"
    for toolkit in toolkit_dirs:
        if path.startswith(toolkit.rstrip("/") + "/"):
            return "toolkit"
    # A conda prefix keeps its package records in <prefix>/conda-meta; libraries sit in <prefix>/lib
    # or, for the CUDA packages, <prefix>/targets/<arch>/lib.
    parent = os.path.dirname(path)
    for _ in range(4):
        parent = os.path.dirname(parent)
        if fsread.is_dir(machine.path(f"{parent}/conda-meta")):
            return "conda"
        if parent in ("/", ""):
            break
    return "system"


def _regular_file(machine: Machine, resolved: str) -> bool:
    """True when ``resolved`` (links already followed inside the root) is a plain file: not a dangling or looping link."""
    try:
        return stat.S_ISREG(os.lstat(machine.path(resolved)).st_mode)
    except (OSError, ValueError):
        return False


def scan_library_dir(machine: Machine, directory: str, toolkit_dirs: Iterable[str] = ()) -> list[LibraryFile]:
    """Every CUDA/cuDNN library in one directory, one entry per distinct file, named by its soname link when present."""
    names = fsread.list_dir(machine.path(directory))
    if not names:
        return []
    groups: dict[str, list[str]] = {}
    for name in names:
        if _LIBRARY_FILE.match(name):
            real = fsread.resolve_in_root(machine, f"{directory}/{name}")
            if _regular_file(machine, real):
                groups.setdefault(real, []).append(name)
    toolkits = tuple(toolkit_dirs)
    found: list[LibraryFile] = []
    for real, aliases in groups.items():
        stem, real_version, _windows = parse_library_name(real)
        soname = _soname(machine, real, stem, aliases)
        shown = soname if soname in aliases else max(aliases, key=len)
        path = f"{directory}/{shown}"
        version = real_version or parse_library_name(soname).version
        found.append(LibraryFile(path, library_name(stem), soname, version, classify_origin(machine, path, toolkits)))
    return found


def _soname(machine: Machine, real: str, stem: str, aliases: list[str]) -> str:
    """The soname, from the names beside the file (ldconfig links it by soname), else from the ELF header."""
    versioned = sorted((a for a in aliases if parse_library_name(a).version), key=lambda a: (a.count("."), len(a)))
    if len(versioned) >= 2:
        return versioned[0]
    if versioned and "." not in (parse_library_name(versioned[0]).version or "."):
        # One name with a single version number (libcudart.so.12, as pip wheels ship it) is the soname.
        return versioned[0]
    from whygpu.gateways.elf import read_dynamic

    dynamic = read_dynamic(machine.path(real))
    if not isinstance(dynamic, Unavailable) and dynamic.soname:
        return dynamic.soname
    if versioned:
        name = parse_library_name(versioned[0])
        return f"{name.stem}.so.{name.major}"
    return f"{stem}.so"


# --- the collector -----------------------------------------------------------------------------


def collect_cuda(machine: Machine) -> CudaFacts:
    """CUDA_HOME, the toolkits, the loader's search settings and every CUDA/cuDNN library file found."""
    environ = machine.environ
    cuda_home = environ.get("CUDA_HOME") or environ.get("CUDA_PATH") or None
    ld_library_path = [entry for entry in environ.get("LD_LIBRARY_PATH", "").split(":") if entry]
    conf_dirs = read_ld_so_conf(machine)
    toolkits = find_toolkits(machine)
    cache = read_ld_cache(machine)

    toolkit_real = [fsread.resolve_in_root(machine, t.path) for t in toolkits]
    dirs: list[str] = []
    dirs.extend(d for d in ld_library_path if d.startswith("/"))
    dirs.extend(conf_dirs)
    for toolkit in dict.fromkeys(toolkit_real):
        dirs.extend(toolkit_lib_dirs(machine, toolkit))
    conda_prefix = environ.get("CONDA_PREFIX")
    if conda_prefix and conda_prefix.startswith("/"):
        dirs.append(f"{conda_prefix.rstrip('/')}/lib")
    dirs.extend(_DEFAULT_DIRS)
    dirs.append("/usr/local/lib")
    dirs.append(_WSL_LIB)
    if not isinstance(cache, Unavailable):
        dirs.extend(os.path.dirname(path) for soname, path in cache if _LIBRARY_FILE.match(soname))

    libraries: list[LibraryFile] = []
    scanned: set[str] = set()
    for directory in dirs:
        real_dir = fsread.resolve_in_root(machine, directory)
        if real_dir in scanned:
            continue
        scanned.add(real_dir)
        libraries.extend(scan_library_dir(machine, real_dir, toolkit_real))

    return CudaFacts(
        cuda_home=cuda_home,
        toolkits=toolkits,
        libraries=libraries,
        ld_library_path=ld_library_path,
        ld_so_conf_dirs=conf_dirs,
        ld_cache=cache if isinstance(cache, Unavailable) else [path for soname, path in cache if soname.startswith(_CACHE_NAME_PREFIXES)],
    )
