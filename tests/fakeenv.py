"""Builders for fake Python environments, framework installs, CUDA libraries and loader files under a fake root, shared by tests.

Paths given to the builders are absolute as the machine sees them (``/opt/venv/...``); files land
under ``root``. Shared objects are small but real ELF files (crafted here, no compiler needed) with
the SONAME, DT_NEEDED, RPATH and RUNPATH the loader reads.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterable, Sequence
from pathlib import Path

from fakeroot import add_dir, add_file, add_link

PYTHON = "3.11"

# The [and-cuda] wheels of TensorFlow 2.18-2.21: (distribution, directory under nvidia/, library files).
TF_AND_CUDA_12 = (
    ("nvidia-cublas-cu12", "12.5.3.2", "cublas", ("libcublas.so.12", "libcublasLt.so.12")),
    ("nvidia-cuda-cupti-cu12", "12.5.82", "cuda_cupti", ("libcupti.so.12",)),
    ("nvidia-cuda-nvcc-cu12", "12.5.82", "cuda_nvcc", ()),
    ("nvidia-cuda-nvrtc-cu12", "12.5.82", "cuda_nvrtc", ("libnvrtc.so.12",)),
    ("nvidia-cuda-runtime-cu12", "12.5.82", "cuda_runtime", ("libcudart.so.12",)),
    ("nvidia-cudnn-cu12", "9.3.0.75", "cudnn", ("libcudnn.so.9", "libcudnn_ops.so.9", "libcudnn_graph.so.9")),
    ("nvidia-cufft-cu12", "11.2.3.61", "cufft", ("libcufft.so.11",)),
    ("nvidia-curand-cu12", "10.3.6.82", "curand", ("libcurand.so.10",)),
    ("nvidia-cusolver-cu12", "11.6.3.83", "cusolver", ("libcusolver.so.11",)),
    ("nvidia-cusparse-cu12", "12.5.1.3", "cusparse", ("libcusparse.so.12",)),
    ("nvidia-nccl-cu12", "2.27.7", "nccl", ("libnccl.so.2",)),
    ("nvidia-nvjitlink-cu12", "12.5.82", "nvjitlink", ("libnvJitLink.so.12",)),
)
TF_RUNPATH_DIRS = ("nccl", "cuda_cupti", "cublas", "cudnn", "cufft", "cusparse", "cuda_runtime", "cusolver", "curand", "nvjitlink", "cuda_nvrtc")


# --- ELF shared objects ----------------------------------------------------------------------


def elf_shared_object(
    soname: str | None = None,
    *,
    needed: Sequence[str] = (),
    runpath: Sequence[str] = (),
    rpath: Sequence[str] = (),
    machine: int = 62,
) -> bytes:
    """A minimal 64-bit little-endian ELF shared object with a dynamic section (x86-64 by default)."""
    strings = bytearray(b"\0")

    def intern(text: str) -> int:
        offset = len(strings)
        strings.extend(text.encode() + b"\0")
        return offset

    tags: list[tuple[int, int]] = [(1, intern(n)) for n in needed]  # DT_NEEDED
    if soname:
        tags.append((14, intern(soname)))  # DT_SONAME
    if rpath:
        tags.append((15, intern(":".join(rpath))))  # DT_RPATH
    if runpath:
        tags.append((29, intern(":".join(runpath))))  # DT_RUNPATH
    phdr_off, phdr_count = 64, 2
    dynstr_off = phdr_off + 56 * phdr_count
    # Addresses equal file offsets (one PT_LOAD at 0), so DT_STRTAB is the string table's offset.
    tags += [(5, dynstr_off), (10, len(strings)), (0, 0)]  # DT_STRTAB, DT_STRSZ, DT_NULL
    dynamic = b"".join(struct.pack("<qQ", tag, value) for tag, value in tags)
    shstrtab = b"\0.dynstr\0.dynamic\0.shstrtab\0"
    dynamic_off = dynstr_off + len(strings)
    dynamic_off += (-dynamic_off) % 8
    shstr_off = dynamic_off + len(dynamic)
    sh_off = shstr_off + len(shstrtab)
    sh_off += (-sh_off) % 8

    def section(name: int, kind: int, offset: int, size: int, link: int = 0, entsize: int = 0) -> bytes:
        return struct.pack("<IIQQQQIIQQ", name, kind, 0, offset, offset, size, link, 0, 8 if kind == 6 else 1, entsize)

    sections = (
        section(0, 0, 0, 0)
        + section(1, 3, dynstr_off, len(strings))  # .dynstr
        + section(9, 6, dynamic_off, len(dynamic), link=1, entsize=16)  # .dynamic
        + section(18, 3, shstr_off, len(shstrtab))  # .shstrtab
    )
    total = sh_off + len(sections)
    programs = (
        struct.pack("<IIQQQQQQ", 1, 4, 0, 0, 0, total, total, 0x1000)  # PT_LOAD, whole file
        + struct.pack("<IIQQQQQQ", 2, 6, dynamic_off, dynamic_off, dynamic_off, len(dynamic), len(dynamic), 8)  # PT_DYNAMIC
    )
    header = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    header += struct.pack("<HHIQQQIHHHHHH", 3, machine, 1, 0, phdr_off, sh_off, 0, 64, 56, phdr_count, 64, 4, 3)
    body = bytearray(header)
    body.extend(programs)
    body.extend(strings)
    body.extend(bytes(dynamic_off - len(body)))
    body.extend(dynamic)
    body.extend(shstrtab)
    body.extend(bytes(sh_off - len(body)))
    body.extend(sections)
    return bytes(body)


def add_so(root: Path, path: str, soname: str | None = None, *, needed: Sequence[str] = (),
           runpath: Sequence[str] = (), rpath: Sequence[str] = (), links: Sequence[str] = ()) -> Path:
    """A crafted ELF shared object at ``path``, with relative symlinks ``links`` beside it."""
    target = root / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    name = path.rsplit("/", 1)[1]
    target.write_bytes(elf_shared_object(soname if soname is not None else name, needed=needed, runpath=runpath, rpath=rpath))
    directory = path.rsplit("/", 1)[0]
    for link in links:
        add_link(root, f"{directory}/{link}", name)
    return target


# --- the loader cache --------------------------------------------------------------------------


def ld_so_cache_bytes(entries: Iterable[tuple[str, str]], *, flags: int = 0x0303, old_format: bool = False) -> bytes:
    """An ``/etc/ld.so.cache`` in the glibc-ld.so.cache1.1 format (optionally after an old-format table)."""
    entries = list(entries)
    header_size = 48
    entry_size = 24
    strings = bytearray()
    offsets: list[tuple[int, int]] = []
    base = header_size + entry_size * len(entries)
    for key, value in entries:
        key_off = base + len(strings)
        strings.extend(key.encode() + b"\0")
        value_off = base + len(strings)
        strings.extend(value.encode() + b"\0")
        offsets.append((key_off, value_off))
    new = bytearray(b"glibc-ld.so.cache1.1")
    new.extend(struct.pack("<II", len(entries), len(strings)))
    new.extend(bytes([2, 0, 0, 0]))  # little-endian flag, padding
    new.extend(struct.pack("<I", 0))  # extension offset
    new.extend(bytes(12))
    for key_off, value_off in offsets:
        new.extend(struct.pack("<iIIIQ", flags, key_off, value_off, 0, 0))
    new.extend(strings)
    if not old_format:
        return bytes(new)
    old = bytearray(b"ld.so-1.7.0\0")
    old.extend(struct.pack("<I", 0))
    old.extend(bytes((-len(old)) % 8))
    return bytes(old) + bytes(new)


def write_ld_so_cache(root: Path, entries: Iterable[tuple[str, str]], **kw: object) -> Path:
    """Write ``/etc/ld.so.cache`` under ``root`` with ``(soname, path)`` entries."""
    target = root / "etc/ld.so.cache"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(ld_so_cache_bytes(entries, **kw))  # type: ignore[arg-type]
    return target


# --- environments and distributions ------------------------------------------------------------


def make_site_packages(root: Path, prefix: str = "/opt/venv", *, kind: str = "venv", python: str = PYTHON,
                       python_full: str = "3.11.7") -> str:
    """An environment at ``prefix`` (a venv, a conda env or a plain prefix) and its site-packages path."""
    add_file(root, f"{prefix}/bin/python{python}", "#!/bin/false\n", mode=0o755)
    add_link(root, f"{prefix}/bin/python3", f"python{python}")
    add_link(root, f"{prefix}/bin/python", f"python{python}")
    if kind == "venv":
        add_file(root, f"{prefix}/pyvenv.cfg", f"home = /usr/bin\ninclude-system-site-packages = false\nversion = {python_full}\n")
    elif kind == "conda":
        add_file(root, f"{prefix}/conda-meta/python-{python_full}-h955ad1f_0.json", "{}")
        add_file(root, f"{prefix}/conda-meta/history", "")
    site = f"{prefix}/lib/python{python}/site-packages"
    add_dir(root, site)
    return site


def add_conda_package(root: Path, prefix: str, name: str, version: str, build: str = "h0_0") -> None:
    """A conda package record in ``<prefix>/conda-meta``."""
    add_file(root, f"{prefix}/conda-meta/{name}-{version}-{build}.json", json.dumps({"name": name, "version": version}))


def add_dist(root: Path, site: str, name: str, version: str, *, requires: Sequence[str] = (),
             installer: str = "pip", top_level: Sequence[str] = ()) -> str:
    """A ``<name>-<version>.dist-info`` with METADATA (and its Requires-Dist), INSTALLER and RECORD."""
    folder = name.replace("-", "_")
    info = f"{site}/{folder}-{version}.dist-info"
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    lines.extend(f"Requires-Dist: {r}" for r in requires)
    lines.extend(["", "A long description that must not be read as headers.", "Requires-Dist: not-a-header"])
    add_file(root, f"{info}/METADATA", "\n".join(lines) + "\n")
    add_file(root, f"{info}/INSTALLER", installer + "\n")
    add_file(root, f"{info}/RECORD", "")
    if top_level:
        add_file(root, f"{info}/top_level.txt", "\n".join(top_level) + "\n")
    return info


def add_nvidia_wheel(root: Path, site: str, name: str, version: str, component: str, files: Sequence[str]) -> None:
    """A pip nvidia-* wheel: its dist-info and its libraries in ``site-packages/nvidia/<component>/lib``."""
    add_dist(root, site, name, version)
    add_file(root, f"{site}/nvidia/__init__.py", "")
    add_dir(root, f"{site}/nvidia/{component}/lib")
    for file in files:
        add_so(root, f"{site}/nvidia/{component}/lib/{file}", file)


def add_tf_and_cuda_wheels(root: Path, site: str, wheels: Sequence[tuple[str, str, str, Sequence[str]]] = TF_AND_CUDA_12) -> None:
    """The nvidia-* wheels that ``tensorflow[and-cuda]`` installs."""
    for name, version, component, files in wheels:
        add_nvidia_wheel(root, site, name, version, component, files)


def _build_info(cuda: str | None, cudnn: str | None, is_cuda_build: bool, archs: Sequence[str]) -> str:
    pairs: list[tuple[str, object]] = [("cpu_compiler", "clang")]
    if is_cuda_build:
        pairs += [("cuda_compute_capabilities", list(archs)), ("cuda_version", cuda), ("cudnn_version", cudnn)]
    pairs += [("is_cuda_build", is_cuda_build), ("is_rocm_build", False), ("is_tensorrt_build", False)]
    return '"""Auto-generated module providing information about the build."""\nimport collections\n\n' \
        f"build_info = collections.OrderedDict({pairs!r})\n"


def add_tensorflow(root: Path, site: str, version: str = "2.21.0", cuda: str | None = "12.5.1", cudnn: str | None = "9", *,
                   dist: str = "tensorflow", is_cuda_build: bool = True,
                   archs: Sequence[str] = ("sm_60", "sm_70", "sm_80", "sm_89", "compute_90"),
                   and_cuda: Sequence[tuple[str, str, str, Sequence[str]]] = TF_AND_CUDA_12, runpath: bool = True,
                   dist_info: bool = True) -> None:
    """A TensorFlow install: its dist-info (with the [and-cuda] requirements), build_info.py and the framework .so files."""
    if dist_info:
        requires = [f"{name}<{int(v.split('.')[0]) + 1}.0,>={v}; extra == \"and-cuda\"" for name, v, _c, _f in and_cuda] if is_cuda_build else []
        add_dist(root, site, dist, version, requires=["numpy>=1.26.0", *requires])
    add_file(root, f"{site}/tensorflow/__init__.py", "")
    add_file(root, f"{site}/tensorflow/python/platform/build_info.py", _build_info(cuda, cudnn, is_cuda_build, archs))
    paths = [p for c in TF_RUNPATH_DIRS for p in (f"$ORIGIN/../../nvidia/{c}/lib", f"$ORIGIN/../nvidia/{c}/lib")] if runpath else []
    add_so(root, f"{site}/tensorflow/libtensorflow_framework.so.2", "libtensorflow_framework.so.2",
           needed=["libc.so.6", "libstdc++.so.6"], runpath=paths)
    add_so(root, f"{site}/tensorflow/libtensorflow_cc.so.2", "libtensorflow_cc.so.2",
           needed=["libtensorflow_framework.so.2"], runpath=["$ORIGIN/"])
    add_so(root, f"{site}/tensorflow/python/_pywrap_tensorflow_internal.so", None,
           needed=["libtensorflow_framework.so.2", "libtensorflow_cc.so.2"], runpath=["$ORIGIN/../", "$ORIGIN/"])


def add_tensorflow_gpu_stub(root: Path, site: str, version: str = "2.12.0") -> None:
    """The tensorflow-gpu >= 2.12 stub: a dist-info and no tensorflow package."""
    add_dist(root, site, "tensorflow-gpu", version)


TORCH_CUDA_WHEELS_121 = (
    ("nvidia-cuda-runtime-cu12", "12.1.105", "cuda_runtime", ("libcudart.so.12",)),
    ("nvidia-cublas-cu12", "12.1.3.1", "cublas", ("libcublas.so.12", "libcublasLt.so.12")),
    ("nvidia-cudnn-cu12", "9.1.0.70", "cudnn", ("libcudnn.so.9",)),
    ("nvidia-cufft-cu12", "11.0.2.54", "cufft", ("libcufft.so.11",)),
    ("nvidia-curand-cu12", "10.3.2.106", "curand", ("libcurand.so.10",)),
    ("nvidia-cusolver-cu12", "11.4.5.107", "cusolver", ("libcusolver.so.11",)),
    ("nvidia-cusparse-cu12", "12.1.0.106", "cusparse", ("libcusparse.so.12",)),
    ("nvidia-nccl-cu12", "2.21.5", "nccl", ("libnccl.so.2",)),
)
TORCH_NEEDED_12 = ("libcudart.so.12", "libcublas.so.12", "libcublasLt.so.12", "libcudnn.so.9", "libcufft.so.11",
                   "libcurand.so.10", "libcusolver.so.11", "libcusparse.so.12", "libnccl.so.2", "libc10.so", "libc.so.6")


def add_torch(root: Path, site: str, version: str = "2.5.1+cpu", cuda: str | None = None, *,
              wheels: Sequence[tuple[str, str, str, Sequence[str]]] = (), needed: Sequence[str] = TORCH_NEEDED_12,
              runpath: bool = True, install_wheels: bool = True) -> None:
    """A torch install: dist-info (requiring its nvidia wheels), torch/version.py and, for CUDA builds, libtorch_cuda.so."""
    requires = [f"{name}=={v}; platform_system == \"Linux\" and platform_machine == \"x86_64\"" for name, v, _c, _f in wheels]
    add_dist(root, site, "torch", version, requires=["filelock", *requires])
    add_file(root, f"{site}/torch/__init__.py", "")
    add_file(root, f"{site}/torch/version.py",
             "from typing import Optional\n\n__all__ = ['__version__', 'debug', 'cuda', 'git_version', 'hip']\n"
             f"__version__ = {version!r}\ndebug = False\ncuda: Optional[str] = {cuda!r}\n"
             "git_version = 'abc'\nhip: Optional[str] = None\n")
    add_so(root, f"{site}/torch/lib/libc10.so", "libc10.so", runpath=["$ORIGIN"])
    if cuda is not None:
        paths = ["$ORIGIN/../../nvidia/" + c + "/lib" for _n, _v, c, _f in wheels] + ["$ORIGIN"] if runpath else ["$ORIGIN"]
        add_so(root, f"{site}/torch/lib/libtorch_cuda.so", "libtorch_cuda.so", needed=needed, runpath=paths)
        if install_wheels:
            for name, v, component, files in wheels:
                add_nvidia_wheel(root, site, name, v, component, files)


def add_jax(root: Path, site: str, version: str = "0.4.35", *, plugin_major: int | None = None, with_cuda: bool = True,
            pjrt: bool = True) -> None:
    """jax and jaxlib, optionally with the jax-cudaN-plugin/-pjrt packages (and their [with-cuda] wheels)."""
    add_dist(root, site, "jax", version, requires=[f"jaxlib<={version},>={version}"])
    add_dist(root, site, "jaxlib", version)
    add_file(root, f"{site}/jax/__init__.py", "")
    add_file(root, f"{site}/jaxlib/__init__.py", "")
    if plugin_major is None:
        return
    wheels = [(f"nvidia-cuda-runtime-cu{plugin_major}", "12.6.77", "cuda_runtime", (f"libcudart.so.{plugin_major}",)),
              (f"nvidia-cudnn-cu{plugin_major}", "9.5.1.17", "cudnn", ("libcudnn.so.9",))]
    requires = [f"{name}>={v}; extra == \"with-cuda\"" for name, v, _c, _f in wheels]
    requires[-1] = f"nvidia-cudnn-cu{plugin_major}<10.0,>=9.1; extra == \"with-cuda\""
    add_dist(root, site, f"jax-cuda{plugin_major}-plugin", version, requires=[f"jax-cuda{plugin_major}-pjrt=={version}", *requires])
    if pjrt:
        add_dist(root, site, f"jax-cuda{plugin_major}-pjrt", version)
        add_so(root, f"{site}/jax_plugins/xla_cuda{plugin_major}/xla_cuda_plugin.so", None,
               runpath=[f"$ORIGIN/../../nvidia/{c}/lib" for _n, _v, c, _f in wheels])
    if with_cuda:
        for name, v, component, files in wheels:
            add_nvidia_wheel(root, site, name, v, component, files)


# --- CUDA on the system ------------------------------------------------------------------------


def add_cuda_toolkit(root: Path, version: str = "13.0", *, full: str | None = None, prefix: str = "/usr/local",
                     libs: Sequence[str] = ("cudart",), link: bool = True, version_file: str = "json") -> str:
    """``/usr/local/cuda-X.Y`` with versioned libraries (libcudart.so.X.Y.Z plus soname and dev links)."""
    path = f"{prefix}/cuda-{version}"
    full = full or f"{version}.76"
    major = version.split(".")[0]
    if version_file == "json":
        add_file(root, f"{path}/version.json", json.dumps({"cuda": {"name": "CUDA SDK", "version": full}}))
    elif version_file == "txt":
        add_file(root, f"{path}/version.txt", f"CUDA Version {full}\n")
    add_dir(root, f"{path}/bin")
    add_dir(root, f"{path}/targets/x86_64-linux/lib")
    add_link(root, f"{path}/lib64", "targets/x86_64-linux/lib")
    # CUDA 11's runtime soname carries the minor too (libcudart.so.11.0); later majors do not.
    sonames = {"cudart": "11.0" if major == "11" else major, "cublas": major, "cublasLt": major, "cufft": str(int(major) - 1), "curand": "10",
               "cusolver": str(int(major) - 1), "cusparse": major, "nvrtc": major, "nvJitLink": major}
    for lib in libs:
        soname = f"lib{lib}.so.{sonames[lib]}"
        add_so(root, f"{path}/targets/x86_64-linux/lib/lib{lib}.so.{full}", soname, links=[soname, f"lib{lib}.so"])
    if link:
        add_link(root, f"{prefix}/cuda", f"cuda-{version}")
    return path


def add_cudnn_system(root: Path, major: int, full: str, lib_dir: str = "/usr/lib/x86_64-linux-gnu") -> None:
    """cuDNN installed from NVIDIA's Debian packages: libcudnn.so.<full> with its soname link."""
    add_so(root, f"{lib_dir}/libcudnn.so.{full}", f"libcudnn.so.{major}", links=[f"libcudnn.so.{major}"])


def add_ld_so_conf(root: Path, dirs: Sequence[str], name: str = "zz-cuda.conf") -> None:
    """``/etc/ld.so.conf`` including ``ld.so.conf.d/*.conf``, and one file there listing ``dirs``."""
    add_file(root, "/etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n")
    add_file(root, f"/etc/ld.so.conf.d/{name}", "\n".join(dirs) + "\n")
