"""Collects the NVIDIA driver: kernel module, device nodes, user-space libraries (libcuda, libnvidia-ml) and what NVML or nvidia-smi report."""

from __future__ import annotations

import re
from collections.abc import Iterable

from whygpu.collect import fsread
from whygpu.collect.cudalibs import read_ld_so_conf
from whygpu.collect.interface import Machine
from whygpu.facts import Fact, Unavailable
from whygpu.knowledge.cuda_versions import is_driver_version, parse_library_name
from whygpu.snapshot import (
    DriverFacts,
    DriverReport,
    GpuProcess,
    KernelModule,
    LibraryFile,
    NvmlDevice,
    Origin,
)

PROBE = "driver"
PROC_VERSION = "/proc/driver/nvidia/version"
SYS_MODULE = "/sys/module/nvidia"
SYS_NVGPU = "/sys/module/nvgpu"
TEGRA_RELEASE = "/etc/nv_tegra_release"  # L4T's release file: the machine is an NVIDIA Jetson
WSL_LIB_DIR = "/usr/lib/wsl/lib"

# Where the dynamic loader looks besides LD_LIBRARY_PATH and ld.so.conf: glibc's trusted
# directories, the Debian/Ubuntu multiarch directories (normally listed in ld.so.conf.d, kept
# here for trees whose config is missing), the directory older NVIDIA container images put on
# LD_LIBRARY_PATH, and WSL2's driver directory. https://man7.org/linux/man-pages/man8/ld.so.8.html
_DEFAULT_DIRS = (
    "/usr/lib/x86_64-linux-gnu",
    "/lib/x86_64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
    "/lib/aarch64-linux-gnu",
    "/usr/lib64",
    "/lib64",
    "/usr/lib",
    "/lib",
    "/usr/local/nvidia/lib64",
    "/usr/local/nvidia/lib",
    WSL_LIB_DIR,
)
# The CUDA forward-compatibility package ships its own libcuda here.
# https://docs.nvidia.com/deploy/cuda-compatibility/
_COMPAT_GLOB = "/usr/local/cuda*/compat"

# "NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.129.03  Tue Oct 10 ..." and the open
# module's "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  550.54.15  Release Build ...".
# Compiled on first use (re's cache): only a machine with the kernel module loaded has the file.
_NVRM = r"NVRM version:.*?Kernel Module(?:\s+for\s+\S+)?\s+(\d+\.\d+(?:\.\d+)*)"
_NVRM_ANY = r"NVRM version:.*?\s(\d{2,}\.\d+(?:\.\d+)*)\b"
# The driver's own libraries; their names are read by knowledge.cuda_versions.parse_library_name.
_LIB_NAME = re.compile(r"^lib(cuda|nvidia-ml)\.so(?:\..+)?$")

# Fields asked of nvidia-smi when NVML cannot be loaded in-process; compute_cap exists only
# in drivers from about 510, so it is dropped when nvidia-smi rejects it.
# https://docs.nvidia.com/deploy/nvidia-smi/index.html
_SMI_FIELDS = (
    "index", "name", "pci.bus_id", "driver_version", "memory.total", "memory.used",
    "compute_mode", "utilization.gpu", "ecc.errors.uncorrected.volatile.total", "compute_cap",
)
_SMI_APPS = ("gpu_bus_id", "pid", "process_name", "used_memory")


def collect_driver(machine: Machine) -> DriverFacts:
    """Kernel module, device nodes, driver libraries and the driver's own report for ``machine``."""
    libcuda, libnvidia_ml = find_driver_libraries(machine)
    return DriverFacts(
        kernel_module=kernel_module(machine),
        device_nodes=device_nodes(machine),
        libcuda=libcuda,
        libnvidia_ml=libnvidia_ml,
        report=driver_report(machine, have_nvml=bool(libnvidia_ml)),
    )


# --- kernel module ------------------------------------------------------------------------

def parse_nvrm_version(text: str) -> str | None:
    """The driver version in /proc/driver/nvidia/version's "NVRM version" line."""
    for pattern in (_NVRM, _NVRM_ANY):
        match = re.search(pattern, text)
        if match:
            return match.group(1)
    return None


def kernel_module(machine: Machine) -> Fact[KernelModule]:
    """Whether the nvidia kernel module is loaded and its version, from procfs and sysfs."""
    proc_text = fsread.read_text(machine.path(PROC_VERSION), limit=65536)
    sys_version = fsread.read_value(machine.path(f"{SYS_MODULE}/version"))
    if proc_text is not None:
        version = parse_nvrm_version(proc_text) or sys_version
        return KernelModule(loaded=True, version=version, source=PROC_VERSION)
    if fsread.exists(machine.path(PROC_VERSION)):
        # procfs creates the file only while the module is loaded, even when we may not read it.
        return KernelModule(loaded=True, version=sys_version, source=f"{PROC_VERSION} (present, unreadable)")
    if fsread.is_dir(machine.path(SYS_MODULE)):
        return KernelModule(loaded=True, version=sys_version, source=f"{SYS_MODULE}/version")
    if fsread.is_dir(machine.path(SYS_NVGPU)):
        # A Jetson's integrated GPU is driven by L4T's nvgpu module, not by nvidia.ko (knowledge/jetson.toml).
        return KernelModule(loaded=True, version=None, source=f"{SYS_NVGPU} (the Jetson's integrated-GPU driver)")
    if not fsread.has_entries(machine.path("/proc")) and not fsread.has_entries(machine.path("/sys/module")):
        return Unavailable(
            "no /proc or /sys/module in the tree (--root): kernel modules are only known on a running system",
            PROBE,
        )
    return KernelModule(loaded=False, version=None, source=f"{PROC_VERSION} and {SYS_MODULE} are absent")


# --- device nodes -------------------------------------------------------------------------

def device_nodes(machine: Machine) -> Fact[list[str]]:
    """The NVIDIA device nodes (/dev/nvidia*), a Jetson's integrated-GPU nodes (/dev/nvhost-*-gpu, /dev/nvgpu) and WSL2's
    /dev/dxg that exist."""
    names = fsread.list_dir(machine.path("/dev"))
    if names is None:
        return Unavailable("/dev cannot be listed", PROBE)
    if not names and not machine.live:
        return Unavailable("/dev is empty in the tree (--root): device nodes exist only on a running system", PROBE)
    found = [f"/dev/{n}" for n in names if n.startswith("nvidia") or n == "dxg"]
    if fsread.exists(machine.path(TEGRA_RELEASE)):
        # A Jetson: its integrated GPU's nodes (knowledge/jetson.toml), read only there so a plain machine loads no table.
        from whygpu.knowledge.jetson import integrated_gpu_node

        found += [f"/dev/{n}" for n in names if integrated_gpu_node(n)]
    return sorted(found, key=_natural)


def _natural(text: str) -> tuple[str, int, str]:
    match = re.match(r"^(.*?)(\d+)$", text)
    return (match.group(1), int(match.group(2)), "") if match else (text, -1, text)


# --- user-space libraries -----------------------------------------------------------------

def library_dirs(machine: Machine) -> list[str]:
    """Directories the loader may take libcuda from, in its order: LD_LIBRARY_PATH, ld.so.conf, defaults."""
    ordered: list[str] = []
    for entry in machine.environ.get("LD_LIBRARY_PATH", "").split(":"):
        if entry.startswith("/"):
            ordered.append(entry)
    ordered.extend(read_ld_so_conf(machine))
    ordered.extend(_DEFAULT_DIRS)
    ordered.extend(fsread.glob_in_root(machine, _COMPAT_GLOB))
    seen: set[str] = set()
    unique: list[str] = []
    for directory in ordered:
        key = fsread.resolve_in_root(machine, directory)
        if key not in seen:
            seen.add(key)
            unique.append(directory)
    return unique


def find_driver_libraries(machine: Machine) -> tuple[list[LibraryFile], list[LibraryFile]]:
    """Every libcuda and libnvidia-ml the loader could find, in search order, with version and origin."""
    cuda: list[LibraryFile] = []
    nvml: list[LibraryFile] = []
    for directory in library_dirs(machine):
        for library in _libraries_in(machine, directory):
            (cuda if library.name == "cuda" else nvml).append(library)
    return cuda, nvml


def _libraries_in(machine: Machine, directory: str) -> Iterable[LibraryFile]:
    names = fsread.list_dir(machine.path(directory))
    if not names:
        return []
    by_lib: dict[str, list[tuple[str, str | None]]] = {}
    for name in names:
        match = _LIB_NAME.match(name)
        if match:
            by_lib.setdefault(match.group(1), []).append((name, parse_library_name(name).version))
    found: list[LibraryFile] = []
    for lib, entries in sorted(by_lib.items()):
        base = f"lib{lib}.so"
        soname = f"{base}.1"
        present = {name for name, _ in entries}
        if soname in present:
            chosen = [soname]
        else:
            # No soname link (ldconfig never ran, or a stub directory): the real files, else libX.so.
            chosen = [name for name, suffix in entries if suffix and suffix != "1"] or ([base] if base in present else [])
        for name in chosen:
            item = _library_file(machine, directory, name, lib, soname if name != base else base)
            if item is not None:
                found.append(item)
    return found


def _library_file(machine: Machine, directory: str, name: str, lib: str, soname: str) -> LibraryFile | None:
    path = f"{directory.rstrip('/')}/{name}"
    real = fsread.resolve_in_root(machine, path)
    if not fsread.exists(machine.path(real)) or fsread.is_dir(machine.path(real)):
        return None  # a dangling link: nothing the loader could load
    file_name = real.rsplit("/", 1)[-1]
    suffix = parse_library_name(file_name).version if _LIB_NAME.match(file_name) else None
    version = suffix if is_driver_version(suffix) else None
    return LibraryFile(
        path=path,
        name="cuda" if lib == "cuda" else "nvidia-ml",
        soname=soname,
        version=version,
        origin=_origin(path, real),
    )


def _origin(path: str, real: str) -> Origin:
    for candidate in (path, real):
        if candidate.startswith(WSL_LIB_DIR + "/") or candidate.startswith("/usr/lib/wsl/"):
            return "wsl"
    text = f"{path} {real}"
    if "site-packages/" in text or "dist-packages/" in text:
        return "pip"
    if "/conda" in text or "/miniconda" in text or "/anaconda" in text or "/mambaforge" in text or "/miniforge" in text:
        return "conda"
    if "/usr/local/cuda" in text or "/stubs/" in text:
        return "toolkit"
    return "system"


# --- the driver's own report ----------------------------------------------------------------

def driver_report(machine: Machine, *, have_nvml: bool = True) -> Fact[DriverReport]:
    """NVML's report in a child process, else nvidia-smi's; failures keep the driver's own words."""
    if not machine.live:
        return Unavailable("needs the live machine: NVML and nvidia-smi describe the running system, not a tree (--root)", "nvml")
    if have_nvml:
        # Imported only where NVML may answer: its module (the sampler's code, four dataclasses)
        # is not needed to say that no libnvidia-ml.so.1 is there.
        from whygpu.gateways.nvml import query_nvml

        nvml = query_nvml(machine.runner, timeout_s=machine.timeout_s)
        if not isinstance(nvml, Unavailable):
            return nvml
        nvml_reason = nvml.reason
        if "timed out" in nvml_reason:
            # nvidia-smi goes through the same NVML and would hang the same way: don't wait twice.
            return Unavailable(f"{nvml_reason}; nvidia-smi not run: it would block on the same driver", "nvml")
    else:
        nvml_reason = "NVML not tried: no libnvidia-ml.so.1 where the loader looks"
    smi = nvidia_smi_report(machine)
    if not isinstance(smi, Unavailable):
        return smi
    return Unavailable(f"{nvml_reason}; nvidia-smi: {smi.reason}", "nvml+nvidia-smi")


def find_nvidia_smi(machine: Machine) -> str | None:
    """The nvidia-smi that would run: on PATH, else WSL2's copy; None when there is none."""
    dirs = [d for d in machine.environ.get("PATH", "").split(":") if d.startswith("/")]
    for directory in [*dirs, "/usr/bin", WSL_LIB_DIR]:
        candidate = f"{directory.rstrip('/')}/nvidia-smi"
        if fsread.exists(machine.path(candidate)) and not fsread.is_dir(machine.path(candidate)):
            return candidate
    return None


def nvidia_smi_report(machine: Machine) -> Fact[DriverReport]:
    """What nvidia-smi says, parsed; its error output is kept verbatim when it fails."""
    smi = find_nvidia_smi(machine)
    if smi is None:
        return Unavailable("not found on PATH", "nvidia-smi")
    plain = machine.runner.run([smi], timeout_s=machine.timeout_s)
    if not plain.ok:
        return Unavailable(_failure_text(plain.error, plain.returncode, plain.stdout, plain.stderr), "nvidia-smi")
    header = parse_smi_header(plain.stdout)
    fields = list(_SMI_FIELDS)
    query = machine.runner.run([smi, f"--query-gpu={','.join(fields)}", "--format=csv,noheader,nounits"], timeout_s=machine.timeout_s)
    if not query.ok and "compute_cap" in (query.stdout + query.stderr):
        fields.remove("compute_cap")
        query = machine.runner.run([smi, f"--query-gpu={','.join(fields)}", "--format=csv,noheader,nounits"], timeout_s=machine.timeout_s)
    devices = parse_smi_query(query.stdout, fields) if query.ok else []
    if devices:
        apps = machine.runner.run([smi, f"--query-compute-apps={','.join(_SMI_APPS)}", "--format=csv,noheader,nounits"], timeout_s=machine.timeout_s)
        if apps.ok:
            _attach_processes(devices, apps.stdout)
    driver_version = header.get("driver") or next((v for v in _column(query.stdout, fields, "driver_version") if v), None)
    if not driver_version:
        why = _failure_text(query.error, query.returncode, query.stdout, query.stderr) if not query.ok else "no driver version in its output"
        return Unavailable(why, "nvidia-smi")
    return DriverReport(source="nvidia-smi", driver_version=driver_version, cuda_driver_version=header.get("cuda"), devices=devices)


def parse_smi_header(text: str) -> dict[str, str]:
    """Driver and CUDA versions from plain nvidia-smi's banner ("Driver Version: 535.129.03   CUDA Version: 12.2")."""
    found: dict[str, str] = {}
    driver = re.search(r"Driver Version:\s*(\d+\.\d+(?:\.\d+)*)", text)
    cuda = re.search(r"CUDA Version:\s*(\d+\.\d+)", text)
    if driver:
        found["driver"] = driver.group(1)
    if cuda:
        found["cuda"] = cuda.group(1)
    return found


def parse_smi_query(text: str, fields: list[str]) -> list[NvmlDevice]:
    """One ``NvmlDevice`` per CSV row of ``nvidia-smi --query-gpu=... --format=csv,noheader,nounits``."""
    from whygpu.gateways.nvml import normalise_bus_id

    devices: list[NvmlDevice] = []
    for position, row in enumerate(_csv_rows(text)):
        if len(row) != len(fields):
            continue
        value = dict(zip(fields, row))  # noqa: B905 - lengths checked above; zip(strict=) is Python 3.10+
        index = _int(value.get("index"))
        devices.append(NvmlDevice(
            index=index if index is not None else position,
            name=value.get("name") or "",
            pci_bus_id=normalise_bus_id(_na(value.get("pci.bus_id"))),
            compute_capability=_na(value.get("compute_cap")),
            memory_total_mib=_int(value.get("memory.total")),
            memory_used_mib=_int(value.get("memory.used")),
            compute_mode=_na(value.get("compute_mode")),
            utilization_percent=_int(value.get("utilization.gpu")),
            uncorrected_ecc_errors=_int(value.get("ecc.errors.uncorrected.volatile.total")),
        ))
    return devices


def _attach_processes(devices: list[NvmlDevice], text: str) -> None:
    from whygpu.gateways.nvml import normalise_bus_id

    by_bus = {d.pci_bus_id: d for d in devices if d.pci_bus_id}
    for row in _csv_rows(text):
        if len(row) != len(_SMI_APPS):
            continue
        bus, pid, name, used = row
        device = by_bus.get(normalise_bus_id(bus) or "")
        pid_value = _int(pid)
        if device is not None and pid_value is not None:
            device.processes.append(GpuProcess(pid=pid_value, name=name, used_memory_mib=_int(used)))


def _csv_rows(text: str) -> list[list[str]]:
    import csv  # only when nvidia-smi answered

    lines = [line for line in text.splitlines() if line.strip()]
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(lines, skipinitialspace=True)]
    except csv.Error:
        return []


def _column(text: str, fields: list[str], field: str) -> list[str]:
    if field not in fields:
        return []
    at = fields.index(field)
    return [row[at] for row in _csv_rows(text) if len(row) == len(fields) and _na(row[at])]


def _na(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not value or value.strip("[]").lower() in ("n/a", "not supported", "unknown error", "insufficient permissions"):
        return None
    return value


def _int(value: str | None) -> int | None:
    text = _na(value)
    if text is None:
        return None
    try:
        return int(float(text))
    except ValueError:
        return None


def _failure_text(error: str | None, returncode: int | None, stdout: str, stderr: str) -> str:
    said = " ".join(line.strip() for line in (stdout + "\n" + stderr).splitlines() if line.strip())
    said = said[:400]
    if error:
        return f"{error}: {said}" if said else error
    return f"exit status {returncode}: {said}" if said else f"exit status {returncode}"
