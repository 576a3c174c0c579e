"""The comparison reading's vocabulary as data, and the comparisons it makes beyond one line (accvocab, session 32).

knowledge/comparisons.toml holds the words that give a line's numbers their roles (a floor, an exact build, the
machine's) and their subjects; explain/errorwords reads them from there. New here: a build's architecture compared with
the GPU's capability by binary compatibility (knowledge.target.build_runs_on_compute_capability), a floor and the
machine's capability a few lines apart, "< X are not supported" as a floor, and a capability need stated alone completed
by the GPU the log names (knowledge.gpus). Lines marked with a URL are real; the others are composed from the programs'
formats with made-up names.
"""

from __future__ import annotations

import pytest

from log_text import finding_codes as _findings
from log_text import first_cause as _first_cause
from whygpu.explain import errorwords
from whygpu.knowledge import comparisons

TEI_75 = "Could not start backend: Runtime compute cap 75 is not compatible with compile time compute cap 80"  # https://github.com/huggingface/text-embeddings-inference/issues/30


def test_the_words_are_data() -> None:
    subject = comparisons.subject_pattern()
    assert (m := subject.search("Runtime compute cap 75")) is not None and m.lastgroup == "gpu"
    assert (m := subject.search("the NVIDIA driver 535")) is not None and m.lastgroup == "driver"
    build = comparisons.role_pattern("build")
    assert build is not None and build.search("compile time compute cap 80")
    # "runtime" is the machine's word for the GPU's capability only: a "CUDA runtime" may be the need.
    assert comparisons.role_pattern("machine", "gpu").search("Runtime compute cap")  # type: ignore[union-attr]
    assert not comparisons.role_pattern("machine").search("Runtime compute cap")  # type: ignore[union-attr]
    assert "and higher" in comparisons.role_words("floor_after")


@pytest.mark.parametrize(("line", "runs"), (
    (TEI_75, False),
    ("Could not start backend: Runtime compute cap 120 is not compatible with compile time compute cap 80", False),
    # sm_80 kernels run on 8.6 (same major, binary compatible): the need is met, whatever the words say.
    ("Could not start backend: Runtime compute cap 86 is not compatible with compile time compute cap 80", True),
    # A Jetson build for Orin (8.7) on a Xavier (7.2).
    ("voxnet: engine built for sm_87, the device has compute capability 7.2", False),
    ("voxnet: engine built for compute_70, the device has compute capability 8.6", True),
))
def test_a_build_is_compared_by_binary_compatibility(line: str, runs: bool) -> None:
    both = errorwords.compared(line)
    assert both is not None and both.subject == "gpu" and both.exact
    assert both.met is runs


def test_a_build_below_names_the_gpu_not_supported() -> None:
    assert _first_cause(TEI_75) == "GPU_NOT_SUPPORTED"
    assert "LOG435" in _findings(TEI_75)
    assert "LOG435" not in _findings(TEI_75.replace("cap 75", "cap 86"))


@pytest.mark.parametrize("line", (
    # Not a build: negated, or a bound ("<= 750").
    "ggml was not compiled with any CUDA arch <= 750",
    # A question and a plan.
    "Could a build with compile time compute cap 80 run on runtime compute cap 75?",
    "If you have a runtime compute cap 75 you should use an image compiled for compute cap 75",
))
def test_quiet_lines(line: str) -> None:
    assert errorwords.compared(line) is None
    assert "LOG435" not in _findings(line)


def test_the_v_of_a_gpu_name_is_no_version() -> None:
    # https://github.com/OpenBuddy/OpenBuddy/issues/45 (a Tesla V100 named in lower case: "v100" is no capability 10.0)
    line = ("valueerror: bfloat16 is only supported on gpus with compute capability of at least 8.0. "
            "your tesla v100-sxm2-32gb gpu has compute capability 7.0.")
    both = errorwords.compared(line)
    assert both is not None and not both.met and both.found == "7.0"


def test_a_floor_said_by_what_is_not_supported() -> None:
    need = errorwords.capability_need("RuntimeError: GPUs with compute capability < 8.0 are not supported.")
    assert need is not None and need.floor == "8.0"
    # "< 7.5 detected" is the machine's, not a floor with "not supported".
    assert errorwords.capability_need("Compute capability < 7.5 detected! Only slow 8-bit matmul is supported") is None


MINER = """\
Only CUDA devices with SM 5.0 and higher are supported
Detecting CUDA devices
Device count: 1
Bus width: 192
#0 GeForce GTX 680 | SM version: 3.0 | SM count: 8"""


def test_a_floor_and_the_machine_lines_apart() -> None:
    found = errorwords.comparisons(MINER.splitlines())
    assert [(n, c.wanted, c.found, c.met) for n, _, c in found] == [(1, "5.0", "3.0", False)]
    assert _first_cause(MINER) == "GPU_NOT_SUPPORTED"
    # The machine's capability above the floor: met, quiet.
    assert "LOG435" not in _findings(MINER.replace("SM version: 3.0", "SM version: 6.1"))


def test_lines_apart_not_paired_across_another_value_or_too_far() -> None:
    between = MINER.replace("Device count: 1", "Build targets SM 6.1")
    assert errorwords.comparisons(between.splitlines()) == []
    far = MINER.replace("Device count: 1", "\n".join(["filler line 1"] * 6))
    assert errorwords.comparisons(far.splitlines()) == []


def test_machine_capability_lines() -> None:
    assert errorwords.machine_capability("  Device 0: NVIDIA A100-SXM4-80GB, compute capability 8.0, VMM: yes") == "8.0"
    assert errorwords.machine_capability("W0616 gpu_resources.cc:119] Please NOTE: device: 0, GPU Compute Capability: 6.1, Driver API Version: 12.4") == "6.1"
    assert errorwords.machine_capability("need at least compute capability 7.0") is None


def test_a_floor_alone_completed_by_the_named_gpu() -> None:
    log = "GPU 0: Tesla P100-PCIE-16GB\nsplatview: Sorry, need at least compute capability 7.0+!"
    assert _first_cause(log) == "GPU_NOT_SUPPORTED"
    assert "LOG435" in _findings(log)
    # The named GPU meets the floor; no GPU named; two GPUs of different capabilities: quiet.
    assert "LOG435" not in _findings(log.replace("Tesla P100-PCIE-16GB", "NVIDIA A100-SXM4-40GB"))
    assert "LOG435" not in _findings("splatview: Sorry, need at least compute capability 7.0+!")
    two = "GPU 0: Tesla P100-PCIE-16GB\nGPU 1: NVIDIA A100-SXM4-40GB\nsplatview: Sorry, need at least compute capability 7.0+!"
    assert "LOG435" not in _findings(two)


def test_every_row_has_a_source_and_an_example() -> None:
    from whygpu.knowledge._util import table_rows

    rows = table_rows("comparisons", "subject") + table_rows("comparisons", "role")
    assert rows
    for row in rows:
        assert str(row["source"]).startswith("https://") and row["example"], row
        assert row.get("words") or row.get("patterns"), row


@pytest.mark.parametrize("line", (
    # A package tool's line, and numbers of two subjects (whose floor is which is not sure).
    "pip install gridsim --extra-index-url https://example.org/whl/cu121  # requires compute capability 7.0 or higher",
    "gridsim 2.1 needs CUDA 12.4 and compute capability 8.0 or higher",
))
def test_no_capability_need_read(line: str) -> None:
    assert errorwords.capability_need(line) is None


def test_a_capability_with_its_major_and_minor_apart() -> None:
    # TGI's format "GPU with CUDA capability {major} {minor} is not supported" (https://github.com/bigcode-project/starcoder/issues/79).
    assert _first_cause("ERROR: GPU with CUDA capability 7 5 is not supported") == "GPU_NOT_SUPPORTED"
    assert _first_cause("INFO: Found 2 GPUs with CUDA capability 8 6 each") is None


def test_a_gpu_named_in_a_question_is_not_the_machines() -> None:
    log = "Does gridsim support GPUs with compute capability 6.0, e.g., P100?\nneed compute capability >= 8.6"
    assert "LOG435" not in _findings(log)
