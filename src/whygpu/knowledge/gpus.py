"""GPU knowledge: PCI vendor and device ids, GPU models and their compute capabilities."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from whygpu.knowledge._util import hex_id, table_rows


@dataclass(frozen=True)
class GpuModel:
    """A GPU model with its vendor and, for NVIDIA, its CUDA compute capability."""

    name: str
    vendor: str
    compute_capability: str | None
    architecture: str | None
    segment: str | None
    pci_ids: tuple[str, ...]
    derived: bool
    source: str


@lru_cache(maxsize=1)
def _vendors() -> dict[str, str]:
    return {hex_id(row["id"]) or row["id"]: row["name"] for row in table_rows("gpus", "vendor")}


def vendor_name(vendor_id: str) -> str:
    """The vendor of a PCI vendor id ("0x10de" -> "nvidia", "0x1002" -> "amd"), else "other"."""
    key = hex_id(vendor_id)
    name = _vendors().get(key or "")
    return name if name in {"nvidia", "amd", "intel"} else "other"


@lru_cache(maxsize=1)
def _gpus() -> tuple[GpuModel, ...]:
    models = []
    for row in table_rows("gpus", "gpu"):
        model = GpuModel(
            name=row["name"],
            vendor=row["vendor"],
            compute_capability=row.get("compute_capability"),
            architecture=row.get("architecture"),
            segment=row.get("segment"),
            pci_ids=tuple(hex_id(i) or i for i in row.get("pci_ids", ())),
            derived=bool(row.get("derived", False)),
            source=row["source"],
        )
        models.append(model)
    return tuple(models)


def gpu_by_pci_id(vendor_id: str, device_id: str) -> GpuModel | None:
    """The GPU model of a PCI vendor/device id pair ("0x10de", "0x102d" -> Tesla K80)."""
    vendor = hex_id(vendor_id)
    device = hex_id(device_id)
    if vendor is None or device is None:
        return None
    vendor_label = _vendors().get(vendor)
    for model in _gpus():
        if model.vendor == vendor_label and device in model.pci_ids:
            return model
    return None
