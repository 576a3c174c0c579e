"""The GPU knowledge look-ups answer known values from the data files and None for unknown ones."""

from __future__ import annotations

import pytest

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


# GPU names as logs print them (nvidia-smi, TensorFlow's device line, PyTorch, users' own words), each from a
# labelled case of tests/explain/corpus, with the compute capability NVIDIA's lists give the model.
_LOG_NAMES = [
    ("GeForce GT 750M", "3.0"), ("Quadro FX 2800M", "1.1"), ("GRID K520", "3.0"),
    ("GeForce GTX 1050", "6.1"), ("GTX 1050TI", "6.1"), ("GeForce GTX 660M", "3.0"), ("GeForce GTX 660", "3.0"),
    ("Quadro K4000", "3.0"), ("Quadro K2000M", "3.0"), ("Tesla C2075", "2.0"), ("GeForce GTX 960M", "5.0"),
    ("GeForce 940MX", "5.0"), ("NVIDIA GeForce 930MX", "5.0"), ("GeForce 920M", "3.5"),
    ("GeForce GT 720", "3.5"), ("Quadro P1000", "6.1"), ("Quadro P620", "6.1"), ("Quadro M1000M", "5.0"),
    ("TITAN Xp", "6.1"), ("NVIDIA GTX TITAN", "3.5"), ("NVIDIA GeForce RTX 4050", "8.9"), ("RTX3070ti", "8.6"),
    ("RTX3090", "8.6"), ("GTX1080", "6.1"), ("GTX 1080Ti", "6.1"), ("RTX5090", "12.0"), ("RTX2060", "7.5"),
    ("NVIDIA H200", "9.0"), ("NVIDIA B200", "10.0"), ("NVIDIA L4", "8.9"), ("NVIDIA L40S", "8.9"), ("Quadro T1000", "7.5"),
]


@pytest.mark.parametrize(("printed", "cc"), _LOG_NAMES)
def test_gpu_names_logs_print_resolve(printed: str, cc: str) -> None:
    from whygpu.knowledge.gpus import gpu_in_text

    model = gpu_in_text(printed)
    assert model is not None and model.compute_capability == cc, (printed, model)


def test_a_notebook_gpu_is_not_read_as_the_desktop_one_and_an_undecided_name_resolves_to_nothing() -> None:
    from whygpu.knowledge.gpus import gpu_in_text

    assert gpu_in_text("GeForce GT 740M").name == "GeForce GT 740M"  # type: ignore[union-attr]
    assert gpu_in_text("GeForce GT 740").name == "GeForce GT 740"  # type: ignore[union-attr]
    assert gpu_in_text("Quadro K2000D").name == "Quadro K2000D"  # type: ignore[union-attr]
    # "TITAN X" is the Maxwell or the Pascal card; a cut-off name.
    for undecided in ("TITAN X", "GeForce GTX", "GeForce RTX 207"):
        assert gpu_in_text(undecided) is None, undecided
    # NVIDIA lists the GT 730 at 3.5 and (DDR3, 128-bit) 2.1: its row holds both and no single capability (session 30).
    gt730 = gpu_in_text("GeForce GT 730")
    assert gt730 is not None and gt730.compute_capability is None and set(gt730.compute_capabilities) == {"2.1", "3.5"}


def test_every_nvidia_row_has_a_capability_and_an_architecture_with_a_known_driver_story() -> None:
    from whygpu.knowledge import load

    for row in load("gpus")["gpu"]:
        if row["vendor"] != "nvidia":
            continue
        # A name sold with more than one capability lists them instead (tests/knowledge/test_gpu_rows_verified.py).
        assert (row.get("compute_capability") and row.get("architecture")) or len(row.get("compute_capabilities", [])) > 1, row["name"]
    assert {r["architecture"] for r in load("gpus")["architecture_driver"]} >= {"Tesla", "Fermi", "Kepler"}
