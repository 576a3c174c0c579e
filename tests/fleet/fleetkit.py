"""Builds synthetic fleets: healthy node snapshots from the test builders, with odd nodes planted."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

from builders import a100, clone, healthy, torch_build
from whygpu.facts import Unavailable
from whygpu.snapshot import ContainerFacts, DriverReport, KernelModule, NvmlDevice, Snapshot

A100 = "NVIDIA A100-SXM4-40GB"


def node(name: str, gpus: int = 8, size: str | None = "Standard_ND96asr_v4") -> Snapshot:
    """A healthy node: 8 A100s on driver 560.35.03, TF 2.21 working."""
    snap = healthy()
    snap.source.hostname = name
    snap.hardware.gpus = [dataclasses.replace(a100(), address=f"0000:{i:02x}:00.0") for i in range(gpus)]
    report = snap.driver.report
    assert isinstance(report, DriverReport)
    report.devices = [NvmlDevice(i, A100, f"00000000:{i:02X}:00.0", "8.0", 40960, 4, "Default") for i in range(gpus)]
    if size:
        snap.cloud.vm_size = size
    return snap


def other_driver(snap: Snapshot) -> None:
    report = snap.driver.report
    assert isinstance(report, DriverReport)
    report.driver_version = "535.104.05"
    report.cuda_driver_version = "12.2"
    for library in [*snap.driver.libcuda, *snap.driver.libnvidia_ml]:
        library.path = library.path.replace("560.35.03", "535.104.05")
        library.version = "535.104.05"
    module = snap.driver.kernel_module
    assert isinstance(module, KernelModule)
    module.version = "535.104.05"


def lost_gpu(snap: Snapshot) -> None:
    report = snap.driver.report
    assert isinstance(report, DriverReport)
    report.devices = report.devices[:-1]


def faulted_gpu(snap: Snapshot) -> None:
    report = snap.driver.report
    assert isinstance(report, DriverReport)
    report.devices[3].error = "Unknown Error"


def container_without_gpu(snap: Snapshot) -> None:
    snap.container = ContainerFacts(True, "docker", ["/.dockerenv exists"])
    snap.driver.device_nodes = []
    snap.driver.libcuda = []
    snap.driver.report = Unavailable("NVML Shared Library Not Found", "nvml")


def cpu_torch(snap: Snapshot) -> None:
    assert isinstance(snap.pythons, list)
    snap.pythons[0].frameworks = [torch_build("2.13.0+cpu", None)]


def write_fleet(directory: Path, count: int, plant: dict[int, Callable[[Snapshot], None]] | None = None) -> list[Path]:
    """Write ``count`` node snapshots named node-00..; ``plant`` changes the nodes at those indexes."""
    directory.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    base = node("template")
    for index in range(count):
        snap = clone(base)
        snap.source.hostname = f"node-{index:02d}"
        change = (plant or {}).get(index)
        if change is not None:
            change(snap)
        path = directory / f"node-{index:02d}.json"
        path.write_text(json.dumps(snap.to_json()), encoding="utf-8")
        paths.append(path)
    return paths


def old_cudnn_on_path(snap: Snapshot) -> None:
    """The same framework build, but an older cuDNN from the host first on the library path."""
    assert isinstance(snap.pythons, list)
    for resolution in snap.pythons[0].frameworks[0].libraries:
        if resolution.library == "cudnn":
            resolution.resolved = "/usr/local/cuda/lib64/libcudnn.so.9.0.0"
            resolution.via = "LD_LIBRARY_PATH"
