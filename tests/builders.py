"""Builds snapshots for rule tests: a healthy GPU machine by default, changed field by field per test."""

from __future__ import annotations

import copy
from typing import Any

from whygpu.facts import Unavailable
from whygpu.snapshot import (
    CloudFacts,
    ContainerFacts,
    CudaFacts,
    DriverFacts,
    DriverReport,
    FrameworkBuild,
    HardwareFacts,
    KernelModule,
    LibraryFile,
    LibraryResolution,
    NvmlDevice,
    Package,
    PciDevice,
    PlatformFacts,
    PythonEnv,
    Snapshot,
    SnapshotSource,
)

PY = "/opt/venv/bin/python"
SITE = "/opt/venv/lib/python3.11/site-packages"


def a100() -> PciDevice:
    return PciDevice("0000:00:1e.0", "0x10de", "0x20b0", "nvidia", "0x030200", "NVIDIA A100-SXM4-40GB", "8.0", "nvidia")


def resolved(library: str, soname: str, path: str, via: str = "site-packages/nvidia") -> LibraryResolution:
    return LibraryResolution(library=library, wanted=[soname], required=True, resolved=path, via=via)


def tf_build(version: str = "2.21.0", cuda: str = "12.5", cudnn: str = "9", **kw: Any) -> FrameworkBuild:
    libs = [
        resolved("cudart", "libcudart.so.12", f"{SITE}/nvidia/cuda_runtime/lib/libcudart.so.12"),
        resolved("cublas", "libcublas.so.12", f"{SITE}/nvidia/cublas/lib/libcublas.so.12"),
        resolved("cudnn", "libcudnn.so.9", f"{SITE}/nvidia/cudnn/lib/libcudnn.so.9"),
    ]
    fields: dict[str, Any] = dict(
        name="tensorflow", distribution="tensorflow", version=version, location=f"{SITE}/tensorflow",
        gpu_build=True, cuda_version=cuda, cudnn_version=cudnn, compute_capabilities=["sm_60", "sm_70", "sm_80", "sm_89", "compute_90"],
        libraries=libs,
    )
    fields.update(kw)
    return FrameworkBuild(**fields)


def torch_build(version: str = "2.13.0+cu128", cuda: str | None = "12.8", **kw: Any) -> FrameworkBuild:
    fields: dict[str, Any] = dict(
        name="torch", distribution="torch", version=version, location=f"{SITE}/torch",
        gpu_build=cuda is not None, cuda_version=cuda,
        libraries=[resolved("cudart", "libcudart.so.12", f"{SITE}/nvidia/cuda_runtime/lib/libcudart.so.12")] if cuda else [],
    )
    fields.update(kw)
    return FrameworkBuild(**fields)


def env(*frameworks: FrameworkBuild, packages: list[Package] | None = None, **kw: Any) -> PythonEnv:
    pk = packages if packages is not None else [Package(fw.distribution, fw.version.split("+")[0], SITE) for fw in frameworks]
    fields: dict[str, Any] = dict(executable=PY, version="3.11.7", prefix="/opt/venv", kind="venv",
                                  site_packages=[SITE], packages=pk, frameworks=list(frameworks), platform_tag="linux")
    fields.update(kw)
    return PythonEnv(**fields)


def healthy(*frameworks: FrameworkBuild) -> Snapshot:
    """A Linux VM with one A100, driver 560.35.03 loaded, and (by default) a working TF 2.21."""
    fws = list(frameworks) or [tf_build()]
    return Snapshot(
        source=SnapshotSource("live", "/", "test-host", "2026-11-27T00:00:00+00:00"),
        platform=PlatformFacts("linux", "x86_64", "6.8.0-1015-azure", False, "Ubuntu 22.04.4 LTS"),
        hardware=HardwareFacts([a100()]),
        driver=DriverFacts(
            kernel_module=KernelModule(True, "560.35.03", "/proc/driver/nvidia/version"),
            device_nodes=["/dev/nvidia0", "/dev/nvidiactl", "/dev/nvidia-uvm"],
            libcuda=[LibraryFile("/usr/lib/x86_64-linux-gnu/libcuda.so.560.35.03", "cuda", "libcuda.so.1", "560.35.03", "system")],
            libnvidia_ml=[LibraryFile("/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.560.35.03", "nvidia-ml", "libnvidia-ml.so.1", "560.35.03", "system")],
            report=DriverReport("nvml", "560.35.03", "12.6", [NvmlDevice(0, "NVIDIA A100-SXM4-40GB", "00000000:00:1E.0", "8.0", 40960, 4, "Default")]),
        ),
        container=ContainerFacts(False),
        cloud=CloudFacts(False),
        cuda=CudaFacts(),
        pythons=[env(*fws)],
        environment={},
    )


def cpu_vm(*frameworks: FrameworkBuild) -> Snapshot:
    """A Linux VM with no GPU at all and no driver."""
    snap = healthy(*frameworks)
    snap.hardware = HardwareFacts([])
    snap.driver = DriverFacts(
        kernel_module=KernelModule(False, None, "/proc/driver/nvidia/version"),
        device_nodes=[],
        report=Unavailable("NVML Shared Library Not Found", "nvml"),
    )
    return snap


def clone(snapshot: Snapshot) -> Snapshot:
    return copy.deepcopy(snapshot)
