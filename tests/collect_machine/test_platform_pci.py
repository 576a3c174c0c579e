"""Platform and PCI collectors on fake machines: distro, kernel, WSL2, architecture; NVIDIA, AMD and Intel GPUs from sysfs."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from fakeroot import (
    AMD,
    INTEL,
    NVIDIA,
    VGA,
    add_dir,
    add_file,
    add_os_release,
    add_pci_gpu,
    add_running_system,
    add_wsl,
    live_machine,
    tree_machine,
)
from whygpu.collect.pci import collect_hardware
from whygpu.collect.platform import collect_platform, detect_wsl, parse_os_release
from whygpu.facts import Unavailable
from whygpu.snapshot import PciDevice

# --- platform -------------------------------------------------------------------------------


def test_linux_vm(tmp_path: Path) -> None:
    add_running_system(tmp_path, kernel="6.8.0-1020-azure")
    add_os_release(tmp_path, "Ubuntu 22.04.4 LTS")
    facts = collect_platform(live_machine(tmp_path))
    assert facts.system == "linux"
    assert facts.kernel_release == "6.8.0-1020-azure"
    assert facts.wsl is False
    assert facts.distro == "Ubuntu 22.04.4 LTS"


def test_wsl2_from_kernel_release(tmp_path: Path) -> None:
    add_wsl(tmp_path)
    facts = collect_platform(live_machine(tmp_path))
    assert facts.wsl is True
    assert facts.kernel_release == "5.15.153.1-microsoft-standard-WSL2"


def test_wsl1_kernel_is_not_wsl2(tmp_path: Path) -> None:
    add_running_system(tmp_path, kernel="4.4.0-19041-Microsoft")
    assert detect_wsl(live_machine(tmp_path)) is False


def test_custom_microsoft_kernel_with_wsl_libraries_is_wsl2(tmp_path: Path) -> None:
    add_running_system(tmp_path, kernel="6.1.21.2-microsoft-custom")
    add_file(tmp_path, "/usr/lib/wsl/lib/libcuda.so", "x")
    assert detect_wsl(live_machine(tmp_path)) is True


def test_tree_without_kernel_info(tmp_path: Path) -> None:
    add_os_release(tmp_path, "Debian GNU/Linux 12 (bookworm)")
    facts = collect_platform(tree_machine(tmp_path))
    assert isinstance(facts.kernel_release, Unavailable) and "--root" in facts.kernel_release.reason
    assert isinstance(facts.wsl, Unavailable)
    assert facts.distro == "Debian GNU/Linux 12 (bookworm)"


def test_tree_architecture_from_an_elf_header(tmp_path: Path) -> None:
    header = b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + struct.pack("<HH", 3, 183)
    add_dir(tmp_path, "/usr/bin")
    (tmp_path / "usr/bin/env").write_bytes(header + b"\x00" * 40)
    add_file(tmp_path, "/bin/sh", "#!/not/elf\n")
    assert collect_platform(tree_machine(tmp_path)).machine == "aarch64"


def test_tree_with_no_binaries_has_unknown_architecture(tmp_path: Path) -> None:
    assert collect_platform(tree_machine(tmp_path)).machine == "unknown"


def test_windows_disk_tree(tmp_path: Path) -> None:
    add_dir(tmp_path, "/Windows/System32")
    assert collect_platform(tree_machine(tmp_path)).system == "windows"


def test_os_release_parsing_is_tolerant() -> None:
    text = 'NAME="Rocky Linux"\nVERSION_ID=\'9.3\'\n# comment\nbad line\nPRETTY_NAME="Say \\"hi\\""\n=x\n'
    fields = parse_os_release(text)
    assert fields["NAME"] == "Rocky Linux" and fields["VERSION_ID"] == "9.3"
    assert fields["PRETTY_NAME"] == 'Say "hi"'
    assert "" not in fields


def test_os_release_without_pretty_name(tmp_path: Path) -> None:
    add_file(tmp_path, "/usr/lib/os-release", "NAME=Alpine\nVERSION_ID=3.19.1\n")
    assert collect_platform(tree_machine(tmp_path)).distro == "Alpine 3.19.1"


# --- PCI -------------------------------------------------------------------------------------


def test_no_gpu(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_pci_gpu(tmp_path, "0x1af4", "0x1041", "0x020000", "virtio-pci")  # a NIC, not a display
    assert collect_hardware(live_machine(tmp_path)).gpus == []


def test_nvidia_gpu_without_driver(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    address = add_pci_gpu(tmp_path, NVIDIA, "0x20b0", address="0001:00:00.0")
    assert collect_hardware(live_machine(tmp_path)).gpus == [PciDevice(
        address=address, vendor_id="0x10de", device_id="0x20b0", vendor="nvidia", class_code="0x030200",
        model="A100", compute_capability="8.0", kernel_driver=None)]


def test_nvidia_gpu_with_bound_driver(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_pci_gpu(tmp_path, NVIDIA, "0x1eb8", driver="nvidia")
    (gpu,) = _gpus(tmp_path)
    assert (gpu.vendor, gpu.compute_capability, gpu.kernel_driver) == ("nvidia", "7.5", "nvidia")
    assert "T4" in (gpu.model or "")


def test_k80(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_pci_gpu(tmp_path, NVIDIA, "0x102d", driver="nouveau")
    add_pci_gpu(tmp_path, NVIDIA, "0x102d", driver="nouveau")
    gpus = _gpus(tmp_path)
    assert len(gpus) == 2
    assert {g.compute_capability for g in gpus} == {"3.7"} and {g.kernel_driver for g in gpus} == {"nouveau"}
    assert all("K80" in (g.model or "") for g in gpus)


def test_amd_gpu_on_nvv4(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_pci_gpu(tmp_path, AMD, "0x686c", "0x038000", driver="amdgpu")
    (gpu,) = _gpus(tmp_path)
    assert gpu.vendor == "amd" and gpu.compute_capability is None and gpu.kernel_driver == "amdgpu"
    assert gpu.model == "Radeon Instinct MI25"


def test_amd_accelerator_class_is_counted_but_other_vendors_accelerators_are_not(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_pci_gpu(tmp_path, AMD, "0x74a1", "0x120000")
    add_pci_gpu(tmp_path, "0x1da3", "0x1020", "0x120000")  # a non-GPU accelerator
    assert [g.vendor for g in _gpus(tmp_path)] == ["amd"]


def test_intel_igpu_and_bmc_vga_are_listed_with_their_vendor(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_pci_gpu(tmp_path, INTEL, "0x9a49", VGA, driver="i915")
    add_pci_gpu(tmp_path, "0x1a03", "0x2000", VGA)  # ASPEED BMC display
    assert sorted(g.vendor for g in _gpus(tmp_path)) == ["intel", "other"]


def test_unknown_nvidia_device_has_no_model(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_pci_gpu(tmp_path, NVIDIA, "0xffff")
    (gpu,) = _gpus(tmp_path)
    assert gpu.vendor == "nvidia" and gpu.model is None and gpu.compute_capability is None


@pytest.mark.parametrize("junk", ["", "zz", "-0x1", "\x00\x00"])
def test_weird_sysfs_values_are_skipped(tmp_path: Path, junk: str) -> None:
    add_running_system(tmp_path)
    address = add_pci_gpu(tmp_path, NVIDIA, "0x20b0")
    add_file(tmp_path, f"/sys/bus/pci/devices/{address}/class", junk)
    add_pci_gpu(tmp_path, NVIDIA, "0x1eb8")
    assert len(_gpus(tmp_path)) == 1


def test_unreadable_device_file_is_skipped(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    address = add_pci_gpu(tmp_path, NVIDIA, "0x20b0")
    vendor = tmp_path / f"sys/bus/pci/devices/{address}/vendor"
    vendor.unlink()
    vendor.mkdir()  # reading a directory fails the same way an unreadable file does, even as root
    assert _gpus(tmp_path) == []


def test_wsl2_has_no_pci_gpu_and_says_dxg(tmp_path: Path) -> None:
    add_wsl(tmp_path)
    gpus = collect_hardware(live_machine(tmp_path)).gpus
    assert isinstance(gpus, Unavailable)
    assert "WSL2" in gpus.reason and "/dev/dxg (present)" in gpus.reason


def test_no_pci_bus_in_a_container(tmp_path: Path) -> None:
    add_file(tmp_path, "/proc/sys/kernel/osrelease", "6.8.0\n")
    add_file(tmp_path, "/sys/fs/cgroup/cgroup.controllers", "cpu\n")
    gpus = collect_hardware(live_machine(tmp_path)).gpus
    assert isinstance(gpus, Unavailable) and "no /sys/bus/pci/devices" in gpus.reason


def test_image_tree_has_no_sys(tmp_path: Path) -> None:
    add_os_release(tmp_path)
    gpus = collect_hardware(tree_machine(tmp_path)).gpus
    assert isinstance(gpus, Unavailable) and "--root" in gpus.reason


def _gpus(root: Path) -> list[PciDevice]:
    gpus = collect_hardware(live_machine(root)).gpus
    assert not isinstance(gpus, Unavailable), gpus
    return gpus
