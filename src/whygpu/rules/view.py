"""Derived, pure views of a snapshot that several rules share (which GPUs, which driver version, ...)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from whygpu.facts import Unavailable
from whygpu.knowledge.cuda_versions import is_driver_version
from whygpu.records import record
from whygpu.snapshot import FrameworkBuild, PciDevice, PythonEnv, Snapshot

if TYPE_CHECKING:
    from packaging.version import Version


@record(frozen=True)
class GpuPresence:
    """What is known about NVIDIA GPUs: ``present`` is None when nothing could be read."""

    present: bool | None
    nvidia: tuple[PciDevice, ...]
    other: tuple[PciDevice, ...]
    evidence: tuple[str, ...]


def gpus(snapshot: Snapshot) -> GpuPresence:
    """NVIDIA and other GPUs, from PCI sysfs first, then the driver's own report, then device nodes."""
    evidence: list[str] = []
    hw = snapshot.hardware.gpus
    if not isinstance(hw, Unavailable):
        nvidia = tuple(d for d in hw if d.vendor == "nvidia")
        # Only real GPU makers count as "another GPU": a hypervisor's or BMC's VGA device is no GPU.
        other = tuple(d for d in hw if d.vendor in ("amd", "intel"))
        for d in hw:
            name = d.model or ("display adapter" if d.vendor == "other" else "unknown model")
            evidence.append(f"PCI {d.address}: vendor {d.vendor_id} device {d.device_id} ({d.vendor} {name})")
        if nvidia:
            return GpuPresence(True, nvidia, other, tuple(evidence))
        # A VM can hide PCI behind a hypervisor (WSL2 has none): the driver or /dev/dxg may still know.
        if snapshot.platform.wsl is True:
            return GpuPresence(None, (), other, (*evidence, "WSL2 exposes the GPU through /dev/dxg, not PCI"))
    report = snapshot.driver.report
    if not isinstance(report, Unavailable) and report.devices:
        names = ", ".join(d.name for d in report.devices)
        return GpuPresence(True, (), (), (*evidence, f"{report.source} lists {len(report.devices)} GPU(s): {names}"))
    l4t = jetson(snapshot)
    if l4t is not None:
        # A Jetson's GPU is part of its SoC: no PCI device, whatever the bus shows.
        return GpuPresence(True, (), (), (*evidence, f"NVIDIA Jetson, L4T {l4t} (/etc/nv_tegra_release): the GPU is integrated "
                                                     "in the SoC, not on the PCI bus"))
    if not isinstance(hw, Unavailable):
        if not evidence:
            evidence.append("no display or 3D controller on the PCI bus (/sys/bus/pci/devices)")
        else:
            evidence.append("none of them is an NVIDIA GPU (vendor 0x10de)")
        return GpuPresence(False, (), tuple(d for d in hw if d.vendor in ("amd", "intel")), tuple(evidence))
    return GpuPresence(None, (), (), (f"PCI devices {hw}",))


def jetson(snapshot: Snapshot) -> str | None:
    """The L4T release when the machine is an NVIDIA Jetson ("35.4.1"; "unknown" when the release file says no release),
    else None."""
    value = snapshot.platform.jetson
    return None if isinstance(value, Unavailable) else value


def jetson_build(snapshot: Snapshot, fw: FrameworkBuild) -> tuple[bool, str] | None:
    """On a Jetson, whether ``fw``'s build carries the Tegra CUDA the board's GPU needs (knowledge.jetson.build_for_board):
    (True/False, what the build is), or None off a Jetson, on a line that runs the usual server ARM builds, or where the
    version does not say."""
    l4t = jetson(snapshot)
    if l4t is None or l4t == "unknown":
        return None
    from whygpu.knowledge.jetson import build_for_board

    verdict = build_for_board(fw.name, fw.version, l4t)
    return None if verdict is None else (verdict[0], verdict[1])


def _parse(version: str | None) -> Version | None:
    if not version:
        return None
    from packaging.version import InvalidVersion, Version  # only where there is a version to read

    try:
        return Version(version)
    except InvalidVersion:
        return None


@record(frozen=True)
class DriverVersion:
    """A driver version as printed ("470.82.01": packaging would drop the zero) and comparable."""

    text: str
    version: Version
    where: str

    def __str__(self) -> str:
        return self.text


def driver_version(snapshot: Snapshot) -> DriverVersion | None:
    """The NVIDIA driver version and where it was read: NVML/nvidia-smi, kernel module, or libcuda's file name."""
    report = snapshot.driver.report
    if not isinstance(report, Unavailable):
        v = _parse(report.driver_version)
        if v:
            return DriverVersion(report.driver_version, v, f"{report.source} reports driver {report.driver_version}")
    km = snapshot.driver.kernel_module
    if not isinstance(km, Unavailable) and km.loaded and km.version:
        v = _parse(km.version)
        if v:
            return DriverVersion(km.version, v, f"{km.source}: kernel module {km.version}")
    for lib in snapshot.driver.libcuda:
        v = _parse(lib.version)
        if lib.version and v and is_driver_version(lib.version):  # a driver version (535.x), not a soname's "1"
            return DriverVersion(lib.version, v, f"{lib.path}")
    return None


def compute_capabilities(snapshot: Snapshot) -> list[tuple[str, str]]:
    """(GPU name, compute capability) for each NVIDIA GPU whose CC is known."""
    found: list[tuple[str, str]] = []
    report = snapshot.driver.report
    if not isinstance(report, Unavailable):
        found = [(d.name, d.compute_capability) for d in report.devices if d.compute_capability]
    if not found:
        g = gpus(snapshot)
        found = [(d.model or d.device_id, d.compute_capability) for d in g.nvidia if d.compute_capability]
    return found


def env_var(snapshot: Snapshot, name: str) -> str | None:
    """A recorded environment variable's value, or None when it was not set."""
    return snapshot.environment.get(name)


def gpu_frameworks(snapshot: Snapshot) -> list[tuple[PythonEnv, FrameworkBuild]]:
    """Frameworks whose build can use a CUDA GPU (or might: unknown counts)."""
    return [(env, fw) for env, fw in snapshot.frameworks() if fw.gpu_build is not False]

