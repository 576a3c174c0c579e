"""The GPU knowledge look-ups answer known values from the data files and None for unknown ones."""

from __future__ import annotations

from whygpu.knowledge import gpus


def test_gpu_by_pci_id() -> None:
    k80 = gpus.gpu_by_pci_id("0x10de", "0x102d")
    assert k80 is not None and k80.name == "Tesla K80" and k80.compute_capability == "3.7"
    assert gpus.gpu_by_pci_id("10DE", "1EB8").name == "Tesla T4"  # type: ignore[union-attr]
    mi25 = gpus.gpu_by_pci_id("0x1002", "0x6860")
    assert mi25 is not None and mi25.vendor == "amd" and mi25.compute_capability is None
    assert gpus.gpu_by_pci_id("0x10de", "0xffff") is None
    assert gpus.gpu_by_pci_id("0x1002", "0x102d") is None  # the K80's id under another vendor
    assert gpus.gpu_by_pci_id("nope", "102d") is None

def test_vendor_name() -> None:
    assert gpus.vendor_name("0x10de") == "nvidia"
    assert gpus.vendor_name("10DE") == "nvidia"
    assert gpus.vendor_name("0x1002") == "amd"
    assert gpus.vendor_name("0x8086") == "intel"
    assert gpus.vendor_name("0x1414") == "other"
    assert gpus.vendor_name("bogus") == "other"


def test_compute_capability_below_reads_every_spelling() -> None:
    """One comparison of a GPU's compute capability with a floor (LOG110, CUDA's dropped architectures)."""
    from whygpu.knowledge.gpus import compute_capability_below

    assert compute_capability_below("3.5", "3.7") is True and compute_capability_below("5.0", "3.7") is False
    assert compute_capability_below("3.7", "3.7") is False
    # sm_35 is 3.5, not 35 (a comparison of the digits as one number would call it far above 3.7).
    assert compute_capability_below("sm_35", "3.7") is True and compute_capability_below("compute_86", "sm_75") is False
    assert compute_capability_below("10.0", "9.0") is False  # two-digit majors: Blackwell is not below Hopper
    assert compute_capability_below("?", "3.7") is None and compute_capability_below("8.6", "") is None
