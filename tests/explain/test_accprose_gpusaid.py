"""accprose (session 35): the GPU the writer names in any form, one fact judged against the build by every reader."""

from __future__ import annotations

import pytest
from tests.log_text import codes, facts, finding_codes, first_cause, report

from whygpu.explain import gpusaid
from whygpu.knowledge.gpus import gpu_in_text, gpu_named_by_writer
from whygpu.knowledge.target import framework_build_runs_on
from whygpu.knowledge.torch import (
    torch_first_release_for_capability,
    torch_releases_without_capability,
)

# https://github.com/4DVLab/DexH2R/issues/5 (the thread's cause: GPU_NOT_SUPPORTED, sm_120 needs PyTorch 2.7 and CUDA 12.8)
DEXH2R = ("Incompatible with 50 series graphics cards\n\n"
          "I try to deploy it in my 5070ti machine, but pytorch version(2.1.2) is incompatible for 50 series graphics cards. "
          "And the minimum pytorch version to support it is 2.7, which have to upgrade python version to 3.9.\n\n"
          "But Isaac gym requires python<3.9")
# https://github.com/nagadomi/nunif/issues/308
NUNIF = ("When trying to use my graphics card I get an error:\n\nRuntimeError:\nCUDA error: no kernel image is available for "
         "execution on the device CUDA kernel errors might be asynchronously reported at some other API call,so the stacktrace "
         "below might be incorrect. For debugging consider passing CUDA_LAUNCH_BLOCKING=1.\n\nI am running this on windows, "
         "using cpu works, but is very slow.  Would love to use my 5090.")


def _models(text: str) -> list[str]:
    return [s.value for s in facts(text).gpu_model]


@pytest.mark.parametrize(("text", "model"), [
    ("I try to deploy it in my 5070ti machine.", "GeForce RTX 5070 Ti"),
    ("Would love to use my 5090.", "GeForce RTX 5090"),
    ("We train on two 2080Ti.", "GeForce RTX 2080 Ti"),
    ("I got a 5070 Ti yesterday and it fails.", "GeForce RTX 5070 Ti"),
    ("It runs on my 3090 but my old 1080 fails", "GeForce RTX 3090"),
])
def test_the_writers_gpu_in_prose_is_the_logs_gpu(text: str, model: str) -> None:
    assert _models(text) == [model]


@pytest.mark.parametrize("text", [
    "I'm thinking of buying a 4090 for this.",
    "I'm thinking of buying an RTX 4090 for this.",
    "It is much faster than an RTX 4090.",
    "It was faster than my 3090.",
    "Should I get a 5090?",
    "If I had my 5090 here it would be faster.",
    "with a batch of 2048 samples",
])
def test_a_plan_a_question_or_a_comparison_names_no_gpu(text: str) -> None:
    assert _models(text) == []


def test_an_older_board_beside_a_newer_one_is_not_read_without_evidence() -> None:
    assert _models("I have a GTX 1080 and my 5090 machine too") == []
    assert _models("I have a 3090 and a 1080 Ti in the box.") == []
    # Two boards of one capability: either is the GPU the build must run.
    assert gpusaid.writer_gpu(["my RTX 5090 box and my RTX 5080 laptop"]) is not None
    # A device line outranks the writer's words.
    assert _models("NVIDIA GeForce RTX 4090 with CUDA capability sm_89") == ["NVIDIA GeForce RTX 4090"]


def test_knowledge_reads_a_board_number_only_after_a_possessive() -> None:
    assert gpu_named_by_writer("3090", board_number=True).name == "GeForce RTX 3090"  # type: ignore[union-attr]
    assert gpu_named_by_writer("3090", board_number=False) is None
    assert gpu_named_by_writer("5090.", board_number=True).compute_capability == "12.0"  # type: ignore[union-attr]
    assert gpu_named_by_writer("1080p monitor", board_number=True) is None


def test_variants_map_to_their_familys_capability() -> None:
    # NVIDIA lists laptop, Ti and Super boards with their family's capability (https://developer.nvidia.com/cuda-gpus).
    assert gpu_in_text("RTX 4060 laptop").compute_capability == "8.9"  # type: ignore[union-attr]
    assert gpu_in_text("RTX 3060 Laptop GPU").compute_capability == "8.6"  # type: ignore[union-attr]
    assert gpu_named_by_writer("4070 super", board_number=True).compute_capability == "8.9"  # type: ignore[union-attr]


def test_rtx_pro_6000_is_no_fermi_quadro_6000() -> None:
    assert gpu_in_text("RTX PRO 6000 Blackwell").compute_capability == "12.0"  # type: ignore[union-attr]
    assert gpu_in_text("NVIDIA Quadro 6000").compute_capability == "2.0"  # type: ignore[union-attr]


def test_the_5070ti_thread_is_read_against_its_build() -> None:
    assert first_cause(DEXH2R) == "GPU_NOT_SUPPORTED"
    assert "LOG231" in finding_codes(DEXH2R)
    # The same words with a release that runs the board: nothing says the GPU is unsupported.
    fits = DEXH2R.replace("pytorch version(2.1.2) is incompatible for 50 series graphics cards", "pytorch version(2.7.1+cu128) is installed")
    assert "GPU_NOT_SUPPORTED" not in codes(fits)


def test_log600_ranks_a_new_gpu_with_the_build_not_shown() -> None:
    assert "LOG600" in finding_codes(NUNIF + "\nimport torch")
    text = "I'm trying to run this with pytorch on my 5090 machine. CUDA error: no kernel image is available for execution on the device"
    assert "LOG600" in finding_codes(text)
    fix = "\n".join(c.fix for c in report(text).causes if "LOG600" in c.findings)
    assert "torch.cuda.get_arch_list()" in fix and "2.7" in fix and "None" not in fix


def test_log600_quiet_for_a_gpu_every_release_runs_or_a_version_shown() -> None:
    assert "LOG600" not in finding_codes("I'm trying to run this with pytorch on my 3090 machine. CUDA error: no kernel image is available for execution on the device")
    assert "LOG600" not in finding_codes("pytorch 2.1.2 on my 5090 machine. CUDA error: no kernel image is available for execution on the device")
    assert "LOG600" not in finding_codes("I'm thinking of buying a 5090 for pytorch.")


def test_log601_says_which_gpus_the_shown_build_runs() -> None:
    text = "import torch\ntorch 2.1.2+cu118 installed\nRuntimeError: CUDA error: no kernel image is available for execution on the device"
    assert "LOG601" in finding_codes(text)
    assert "LOG601" not in finding_codes(text + "\nmy RTX 3090 machine")
    assert "LOG601" not in finding_codes("import torch\ntorch 2.1.2+cu118 installed\nit works")


def test_a_gpu_the_build_runs_demotes_gpu_not_supported() -> None:
    text = "I have an RTX 3060, torch 2.1.0+cu118, torch.cuda.is_available() is False"
    ranked = codes(text)
    assert ranked and ranked[0] != "GPU_NOT_SUPPORTED"
    assert framework_build_runs_on("torch", "2.1.0+cu118", None, "8.6") is True
    assert framework_build_runs_on("torch", "2.1.2", None, "12.0") is False
    assert framework_build_runs_on("tensorflow", "2.4.0", None, "3.0") is False


def test_first_release_for_a_capability() -> None:
    assert torch_first_release_for_capability("12.0") == ("2.7", "12.8")
    assert torch_first_release_for_capability("9.0") == ("2.0", "11.8")
    assert torch_releases_without_capability("12.0") and torch_releases_without_capability("9.0")
    assert not torch_releases_without_capability("8.6")
    assert torch_first_release_for_capability("3.0") is None
