"""The machine collectors on this real machine, on hostile trees, read-only, and through JSON and back."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

import pytest

from fakeroot import (
    AMD,
    NVIDIA,
    FakeImds,
    FakeRunner,
    add_container_markers,
    add_dmi,
    add_file,
    add_nvidia_driver,
    add_os_release,
    add_pci_gpu,
    add_running_system,
    add_wsl,
    live_machine,
    nvml_ok,
    tree_machine,
)
from whygpu.collect import azure, container, driver, pci, platform
from whygpu.collect.interface import Machine
from whygpu.facts import Unavailable
from whygpu.serde import from_data, to_data
from whygpu.snapshot import (
    CloudFacts,
    ContainerFacts,
    DriverFacts,
    HardwareFacts,
    KernelModule,
    PlatformFacts,
)


def _collect_all(machine: Machine) -> dict[str, Any]:
    return {
        "platform": platform.collect_platform(machine),
        "hardware": pci.collect_hardware(machine),
        "driver": driver.collect_driver(machine),
        "container": container.collect_container(machine),
        "cloud": azure.collect_cloud(machine),
    }


_TYPES = {"platform": PlatformFacts, "hardware": HardwareFacts, "driver": DriverFacts,
          "container": ContainerFacts, "cloud": CloudFacts}


def _round_trip(facts: dict[str, Any]) -> None:
    for key, value in facts.items():
        data = json.loads(json.dumps(to_data(value)))
        assert from_data(_TYPES[key], data) == value, key


def test_this_machine(tmp_path: Path) -> None:
    """Live, on whatever runs the tests; the expectations are re-derived from the files themselves."""
    env = dict(os.environ)
    with FakeImds("Standard_NC6s_v3") as imds:  # never the real IMDS, even on an Azure CI runner
        env["WHYGPU_IMDS_URL"] = imds.url
        facts = _collect_all(Machine(environ=env, timeout_s=10))
    _round_trip(facts)
    plat = facts["platform"]
    assert plat.system == "linux" and plat.machine
    assert plat.kernel_release == Path("/proc/sys/kernel/osrelease").read_text().strip()
    module = facts["driver"].kernel_module
    assert isinstance(module, KernelModule)
    assert module.loaded == (Path("/proc/driver/nvidia/version").exists() or Path("/sys/module/nvidia").exists())
    nodes = facts["driver"].device_nodes
    assert nodes == sorted((f"/dev/{n}" for n in os.listdir("/dev") if n.startswith("nvidia") or n == "dxg"),
                           key=lambda n: (n.rstrip("0123456789"), int("0" + n[len(n.rstrip("0123456789")):])))
    gpus = facts["hardware"].gpus
    if Path("/sys/bus/pci/devices").is_dir() and plat.wsl is False:
        displays = [d for d in os.listdir("/sys/bus/pci/devices")
                    if Path(f"/sys/bus/pci/devices/{d}/class").read_text().startswith("0x03")]
        assert not isinstance(gpus, Unavailable) and sorted(g.address for g in gpus) == sorted(displays)
    if not module.loaded and not facts["driver"].libnvidia_ml:
        assert isinstance(facts["driver"].report, Unavailable)
    cloud = facts["cloud"]
    assert (cloud.azure is True) == (cloud.dmi.get("chassis_asset_tag") == "7783-7084-3265-9085-8269-3286-77")
    assert (len(imds.requests) == 1) == (cloud.azure is True)


def test_this_machine_with_root_slash_runs_nothing() -> None:
    runner = FakeRunner()
    machine = Machine.from_root("/")
    machine.runner = runner
    facts = _collect_all(machine)
    assert runner.calls == []
    assert isinstance(facts["driver"].report, Unavailable)
    assert isinstance(facts["cloud"].vm_size, Unavailable)
    _round_trip(facts)


def _healthy_gpu_vm(root: Path) -> None:
    add_running_system(root)
    add_os_release(root)
    add_dmi(root)
    add_pci_gpu(root, NVIDIA, "0x20b5", driver="nvidia")
    add_nvidia_driver(root, "550.54.15")


SCENARIOS = {
    "healthy-gpu-vm": _healthy_gpu_vm,
    "amd-nvv4": lambda r: (add_running_system(r), add_dmi(r), add_pci_gpu(r, AMD, "0x686c", "0x038000", "amdgpu")),
    "wsl2": add_wsl,
    "docker-gpu": lambda r: (add_running_system(r), add_container_markers(r, "docker", gpu=True)),
    "podman": lambda r: add_container_markers(r, "podman"),
    "empty": lambda r: None,
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenarios_round_trip_and_leave_the_tree_unchanged(tmp_path: Path, name: str) -> None:
    SCENARIOS[name](tmp_path)
    before = _tree_state(tmp_path)
    with FakeImds("Standard_NC24ads_A100_v4") as imds:
        runner = FakeRunner({"python": nvml_ok()})
        live = _collect_all(live_machine(tmp_path, {"WHYGPU_IMDS_URL": imds.url}, runner=runner))
        tree = _collect_all(tree_machine(tmp_path))
    assert _tree_state(tmp_path) == before
    _round_trip(live)
    _round_trip(tree)


def test_healthy_gpu_vm_facts(tmp_path: Path) -> None:
    _healthy_gpu_vm(tmp_path)
    with FakeImds("Standard_NC24ads_A100_v4") as imds:
        facts = _collect_all(live_machine(tmp_path, {"WHYGPU_IMDS_URL": imds.url},
                                          runner=FakeRunner({"python": nvml_ok("550.54.15", 12040)})))
    (gpu,) = facts["hardware"].gpus
    assert (gpu.model, gpu.compute_capability, gpu.kernel_driver) == ("A100", "8.0", "nvidia")
    drv = facts["driver"]
    assert drv.kernel_module == KernelModule(True, "550.54.15", "/proc/driver/nvidia/version")
    assert drv.device_nodes == ["/dev/nvidia0", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools", "/dev/nvidiactl"]
    assert [lib.version for lib in drv.libcuda] == ["550.54.15"]
    assert drv.report.driver_version == "550.54.15" and drv.report.cuda_driver_version == "12.4"
    assert facts["container"].in_container is False
    assert facts["cloud"].vm_size == "Standard_NC24ads_A100_v4"


def _tree_state(root: Path) -> list[tuple[str, int, float]]:
    state = []
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        state.append((str(path), info.st_mode, info.st_mtime))
    return state


_HOSTILE_TARGETS = [
    "/proc/sys/kernel/osrelease", "/proc/version", "/proc/driver/nvidia/version", "/sys/module/nvidia/version",
    "/proc/1/cgroup", "/proc/self/cgroup", "/proc/self/mountinfo", "/etc/os-release", "/etc/ld.so.conf",
    "/sys/class/dmi/id/chassis_asset_tag", "/sys/class/dmi/id/sys_vendor", "/run/.containerenv",
    "/sys/bus/pci/devices/0000:00:01.0/class", "/sys/bus/pci/devices/0000:00:01.0/vendor",
    "/sys/bus/pci/devices/0000:00:01.0/device", "/usr/lib/x86_64-linux-gnu/libcuda.so.1",
]


@pytest.mark.parametrize("seed", range(12))
def test_hostile_trees_never_raise(tmp_path: Path, seed: int) -> None:
    """Garbage, directories where files belong, loops and dangling links: every collector still returns facts."""
    rng = random.Random(seed)
    for target in _HOSTILE_TARGETS:
        choice = rng.randrange(5)
        path = tmp_path / target.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        if choice == 0:
            path.write_bytes(bytes(rng.randrange(256) for _ in range(rng.randrange(300))))
        elif choice == 1:
            path.mkdir()
        elif choice == 2:
            path.symlink_to(path.name)  # a link to itself
        elif choice == 3:
            path.symlink_to("/nonexistent/" + path.name)
        else:
            path.write_text("0x10de\n" if "vendor" in target else "include /etc/ld.so.conf\n")
    add_file(tmp_path, "/etc/ld.so.conf.d/x.conf", "include /etc/ld.so.conf.d/*.conf\n/usr/lib/x86_64-linux-gnu\n")
    with FakeImds() as imds:
        for machine in (live_machine(tmp_path, {"WHYGPU_IMDS_URL": imds.url, "LD_LIBRARY_PATH": ":::/\x00bad"}),
                        tree_machine(tmp_path)):
            _round_trip(_collect_all(machine))


def test_symlink_loop_in_library_directory(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    (tmp_path / "usr/lib").mkdir(parents=True)
    (tmp_path / "usr/lib/x86_64-linux-gnu").symlink_to("/usr/lib/x86_64-linux-gnu")
    facts = driver.collect_driver(tree_machine(tmp_path))
    assert facts.libcuda == []
