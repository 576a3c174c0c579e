"""Collects the GPUs on the PCI bus from sysfs, independent of any driver, and names them from the knowledge data."""

from __future__ import annotations

from whygpu.collect import fsread
from whygpu.collect.interface import Machine
from whygpu.collect.platform import detect_wsl
from whygpu.facts import Unavailable
from whygpu.snapshot import HardwareFacts, PciDevice, Vendor

PROBE = "pci"
DEVICES_DIR = "/sys/bus/pci/devices"

# PCI base classes (PCI Code and ID Assignment Specification): 0x03 display controllers
# (0x0300 VGA, 0x0302 3D controller as on data-center GPUs, 0x0380 other); 0x12 processing
# accelerators, which some AMD Instinct parts report.
# https://pcisig.com/sites/default/files/files/PCI_Code-ID_r_1_11__v24_Jan_2019.pdf
_DISPLAY_CLASS = 0x03
_ACCELERATOR_CLASS = 0x12
_KNOWN_VENDORS: tuple[Vendor, ...] = ("nvidia", "amd", "intel")


def collect_hardware(machine: Machine) -> HardwareFacts:
    """Every display or 3D controller in ``/sys/bus/pci/devices``, or why the bus cannot be read."""
    devices_dir = machine.path(DEVICES_DIR)
    names = fsread.list_dir(devices_dir)
    if names is None:
        return HardwareFacts(Unavailable(_why_no_bus(machine), PROBE))
    gpus = [gpu for gpu in (_read_device(machine, name) for name in names) if gpu is not None]
    if not any(g.vendor == "nvidia" for g in gpus) and detect_wsl(machine) is True:
        # WSL2's GPU is paravirtualised: an empty PCI list there does not mean "no GPU".
        return HardwareFacts(Unavailable(_wsl_reason(machine, gpus), PROBE))
    return HardwareFacts(gpus)


def _why_no_bus(machine: Machine) -> str:
    if detect_wsl(machine) is True:
        return _wsl_reason(machine, [])
    if not machine.live and not fsread.has_entries(machine.path("/sys")):
        return f"no {DEVICES_DIR} in the tree (--root): /sys is only there on a running system"
    if fsread.exists(machine.path("/sys/bus/pci")):
        return f"{DEVICES_DIR} is not readable"
    return f"no {DEVICES_DIR}: this system (a container with a masked /sys, or a VM without PCI) shows no PCI bus"


def _wsl_reason(machine: Machine, gpus: list[PciDevice]) -> str:
    dxg = "present" if fsread.exists(machine.path("/dev/dxg")) else "absent"
    seen = f" ({len(gpus)} other display device(s) listed)" if gpus else ""
    return f"WSL2 shows no PCI GPU{seen}: the GPU is reached through /dev/dxg ({dxg})"


def _read_device(machine: Machine, name: str) -> PciDevice | None:
    base = machine.path(f"{DEVICES_DIR}/{name}")
    class_code = _hex(fsread.read_value(f"{base}/class"))
    vendor_id = _hex(fsread.read_value(f"{base}/vendor"))
    device_id = _hex(fsread.read_value(f"{base}/device"))
    if class_code is None or vendor_id is None or device_id is None:
        return None
    base_class = class_code >> 16
    if base_class not in (_DISPLAY_CLASS, _ACCELERATOR_CLASS):
        return None  # checked first: naming a vendor loads the knowledge data
    vendor = _vendor(vendor_id)
    if base_class == _ACCELERATOR_CLASS and vendor not in ("nvidia", "amd"):
        return None
    model, cc = _model(vendor_id, device_id)
    driver_link = fsread.read_link(f"{base}/driver")
    return PciDevice(
        address=name,
        vendor_id=f"0x{vendor_id:04x}",
        device_id=f"0x{device_id:04x}",
        vendor=vendor,
        class_code=f"0x{class_code:06x}",
        model=model,
        compute_capability=cc,
        kernel_driver=driver_link.rstrip("/").rsplit("/", 1)[-1] if driver_link else None,
    )


def _hex(text: str | None) -> int | None:
    if not text:
        return None
    try:
        value = int(text, 16)
    except ValueError:
        return None
    return value if value >= 0 else None


def _vendor(vendor_id: int) -> Vendor:
    from whygpu.knowledge.gpus import vendor_name

    name = vendor_name(f"0x{vendor_id:04x}")
    for known in _KNOWN_VENDORS:
        if name == known:
            return known
    return "other"


def _model(vendor_id: int, device_id: int) -> tuple[str | None, str | None]:
    from whygpu.knowledge.gpus import gpu_by_pci_id

    gpu = gpu_by_pci_id(f"0x{vendor_id:04x}", f"0x{device_id:04x}")
    if gpu is None:
        return None, None
    return gpu.name, gpu.compute_capability
