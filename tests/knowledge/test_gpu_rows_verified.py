"""Every NVIDIA row of knowledge/gpus.toml cites a page and pairs its compute capability with the right architecture; undecided names give no capability."""

from __future__ import annotations

import re
from typing import Any

import pytest

from whygpu.knowledge import load

# The architecture each compute capability belongs to (NVIDIA's CUDA programming guide, "Compute Capabilities").
_ARCHITECTURES: dict[str, frozenset[str]] = {
    "1": frozenset({"Tesla"}), "2": frozenset({"Fermi"}), "3": frozenset({"Kepler"}), "5": frozenset({"Maxwell"}),
    "6": frozenset({"Pascal"}), "7.0": frozenset({"Volta"}), "7.2": frozenset({"Volta"}), "7.5": frozenset({"Turing"}),
    "8.0": frozenset({"Ampere"}), "8.6": frozenset({"Ampere"}), "8.7": frozenset({"Ampere"}), "8.9": frozenset({"Ada Lovelace"}),
    "9.0": frozenset({"Hopper"}), "10": frozenset({"Blackwell", "Blackwell Ultra"}), "11": frozenset({"Blackwell"}),
    "12": frozenset({"Blackwell"}),
}


def _architectures_of(cc: str) -> frozenset[str]:
    """The architectures a compute capability ("3.5", "10.3") can belong to; empty when it is no real capability."""
    if not re.fullmatch(r"\d{1,2}\.\d", cc):
        return frozenset()
    return _ARCHITECTURES.get(cc, _ARCHITECTURES.get(cc.split(".")[0], frozenset()))


def _row_problems(row: dict[str, Any]) -> list[str]:
    """What is wrong with one NVIDIA row: no page cited, a capability outside its architecture, an undecided row without its reasons."""
    problems = []
    if not str(row.get("source", "")).startswith("https://"):
        problems.append("no https source")
    single = row.get("compute_capability")
    several = row.get("compute_capabilities")
    arch = row.get("architecture")
    if single is not None and several is not None:
        problems.append("both compute_capability and compute_capabilities")
    if single is not None:
        if arch not in _architectures_of(single):
            problems.append(f"{single} is not {arch}")
    elif several is not None:
        if len(set(several)) < 2 or not row.get("note"):
            problems.append("an undecided row needs two or more capabilities and a note saying why")
        for cc in several:
            if not _architectures_of(cc):
                problems.append(f"{cc} is no compute capability")
            elif arch is not None and arch not in _architectures_of(cc):
                problems.append(f"{cc} is not {arch} (leave the architecture out when the chips differ)")
    else:
        problems.append("no compute capability")
    return problems


def _nvidia_rows() -> list[dict[str, Any]]:
    return [row for row in load("gpus")["gpu"] if row["vendor"] == "nvidia"]


def test_every_nvidia_row_cites_a_page_and_pairs_capability_with_architecture() -> None:
    rows = _nvidia_rows()
    assert len(rows) > 300
    bad = {row["name"]: problems for row in rows if (problems := _row_problems(row))}
    assert bad == {}


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ({"name": "x", "compute_capability": "5.0", "architecture": "Kepler", "source": "https://a"}, "5.0 is not Kepler"),
        ({"name": "x", "compute_capability": "7.5", "architecture": "Volta", "source": "https://a"}, "7.5 is not Volta"),
        ({"name": "x", "compute_capability": "8.9", "architecture": "Ada Lovelace", "source": ""}, "no https source"),
        ({"name": "x", "compute_capabilities": ["3.0"], "note": "n", "source": "https://a"}, "two or more"),
        ({"name": "x", "compute_capabilities": ["2.1", "3.5"], "architecture": "Kepler", "note": "n", "source": "https://a"}, "2.1 is not Kepler"),
        ({"name": "x", "compute_capability": "35", "architecture": "Kepler", "source": "https://a"}, "35 is not Kepler"),
    ],
)
def test_the_row_check_rejects_an_inconsistent_row(row: dict[str, Any], problem: str) -> None:
    assert any(problem in p for p in _row_problems(row)), _row_problems(row)


def test_the_row_check_accepts_each_architectures_capabilities() -> None:
    for cc, arch in [("1.3", "Tesla"), ("2.1", "Fermi"), ("3.7", "Kepler"), ("5.3", "Maxwell"), ("6.2", "Pascal"), ("7.2", "Volta"),
                     ("7.5", "Turing"), ("8.7", "Ampere"), ("8.9", "Ada Lovelace"), ("9.0", "Hopper"), ("10.3", "Blackwell Ultra"),
                     ("12.1", "Blackwell")]:
        assert _row_problems({"compute_capability": cc, "architecture": arch, "source": "https://a"}) == [], (cc, arch)


# Names NVIDIA sold on more than one chip (or listed at a value its chip contradicts): the name alone decides nothing.
_UNDECIDED = ["GeForce GT 740M", "GeForce GT 730M", "GeForce GT 735M", "GeForce GT 630", "GeForce 910M", "Quadro M620", "GeForce GT 640M LE"]


@pytest.mark.parametrize("name", _UNDECIDED)
def test_a_name_sold_with_two_capabilities_gives_none(name: str) -> None:
    from whygpu.knowledge.gpus import gpu_by_name, gpu_in_text

    for model in (gpu_in_text(f"NVIDIA {name}"), gpu_by_name(name)):
        assert model is not None and model.name == name and model.compute_capability is None, (name, model)


def test_corrected_rows_spot_checks() -> None:
    from whygpu.knowledge.gpus import gpu_by_name, gpu_in_text

    m620 = gpu_by_name("Quadro M620")
    assert m620 is not None and m620.architecture == "Maxwell"  # both candidates (5.0, 5.2) are Maxwell
    assert gpu_by_name("GeForce 910M").architecture is None  # type: ignore[union-attr]  # Kepler GK208 or NVIDIA's 5.2
    # "GT 640M LE" no longer reads as the GT 640M (3.0); the GT 640M itself still does.
    assert gpu_in_text("GeForce GT 640M").compute_capability == "3.0"  # type: ignore[union-attr]
    # NVIDIA's 2012 list names the 9800 GT at 1.1 and 1.0: the row keeps its chip's 1.1, from the list it cites.
    nine = gpu_by_name("GeForce 9800 GT")
    assert nine is not None and nine.compute_capability == "1.1" and "darktable" in nine.source
    k2000m = gpu_by_name("Quadro K2000M")
    assert k2000m is not None and k2000m.derived and k2000m.compute_capability == "3.0"
    assert gpu_by_name("Tesla M2090").compute_capability == "2.0"  # type: ignore[union-attr]
    assert gpu_by_name("GeForce GTX 1650").source.startswith("https://en.wikipedia.org/wiki/CUDA")  # type: ignore[union-attr]


def test_an_undecided_name_raises_no_unsupported_gpu_while_a_decided_one_still_does() -> None:
    from whygpu.explain import explain_text, to_report

    def codes(gpu: str) -> list[str]:
        log = (f"2023-01-01 12:00:00.000000: I tensorflow/core/common_runtime/gpu/gpu_device.cc:1510] TensorFlow version 2.12.0\n"
               f"Found device 0 with properties: pciBusID: 0000:01:00.0 name: NVIDIA GeForce {gpu}\n"
               "tensorflow version: 2.12.0\nCould not find any usable GPU\n")
        return [c.code for c in to_report(explain_text(log)).causes]

    assert "GPU_NOT_SUPPORTED" in codes("GT 750M")  # 3.0, below TensorFlow 2.12's 3.5
    assert "GPU_NOT_SUPPORTED" not in codes("GT 740M")  # 3.0 or 3.5: the name cannot say
