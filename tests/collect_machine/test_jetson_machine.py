"""The doctor on an NVIDIA Jetson (lead, session 32): the L4T release, the nvgpu module and the integrated GPU's nodes are
collected; a machine without L4T's release file collects none of them."""

from __future__ import annotations

from pathlib import Path

from fakeroot import add_dir, add_file, add_running_system, live_machine, tree_machine
from whygpu.collect.driver import device_nodes, kernel_module
from whygpu.collect.platform import collect_platform
from whygpu.facts import Unavailable
from whygpu.snapshot import KernelModule

# /etc/nv_tegra_release as L4T writes it (JetPack 4.6.1 and 5.1.2).
R32 = "# R32 (release), REVISION: 7.1, GCID: 29818004, BOARD: t210ref, EABI: aarch64, DATE: Sat Feb 19 17:05:08 UTC 2022\n"
R35 = "# R35 (release), REVISION: 4.1, GCID: 33958178, BOARD: t186ref, EABI: aarch64, DATE: Tue Aug  1 19:57:35 UTC 2023\n"


def test_the_l4t_release_is_read_from_nv_tegra_release(tmp_path: Path) -> None:
    add_running_system(tmp_path, kernel="4.9.253-tegra")
    add_file(tmp_path, "/etc/nv_tegra_release", R32)
    assert collect_platform(live_machine(tmp_path)).jetson == "32.7.1"


def test_a_release_file_without_a_release_is_still_a_jetson(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_file(tmp_path, "/etc/nv_tegra_release", "garbled\n")
    assert collect_platform(tree_machine(tmp_path)).jetson == "unknown"


def test_no_release_file_is_no_jetson(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    jetson = collect_platform(live_machine(tmp_path)).jetson
    assert isinstance(jetson, Unavailable)
    assert "not an NVIDIA Jetson" in jetson.reason


def test_the_nvgpu_module_drives_a_jetsons_gpu(tmp_path: Path) -> None:
    add_running_system(tmp_path, kernel="5.10.120-tegra")
    add_dir(tmp_path, "/sys/module/nvgpu")
    module = kernel_module(live_machine(tmp_path))
    assert isinstance(module, KernelModule) and module.loaded
    assert "nvgpu" in module.source


def test_without_nvidia_or_nvgpu_the_module_is_not_loaded(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    module = kernel_module(live_machine(tmp_path))
    assert isinstance(module, KernelModule) and not module.loaded


def test_the_integrated_gpus_nodes_count_only_on_a_jetson(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    for node in ("nvhost-ctrl-gpu", "nvhost-gpu", "nvmap", "nvhost-vic"):
        add_file(tmp_path, f"/dev/{node}")
    # No release file: an emulator or a test rig with such names is not a Jetson.
    assert device_nodes(live_machine(tmp_path)) == []
    add_file(tmp_path, "/etc/nv_tegra_release", R35)
    # The GPU's own nodes, not the memory allocator's or the video engine's.
    assert device_nodes(live_machine(tmp_path)) == ["/dev/nvhost-ctrl-gpu", "/dev/nvhost-gpu"]
