"""accfam41 (session 41): programs' own knowledge, family by family (docs/explain-accuracy.md, Session 41, branch accfam41):
PyTorch's capability range read by its top (LOG235) and its newer capability warning read as the build's list (LOG232),
BERTopic's CPU steps (LOG237, knowledge/utilisation.toml [[cpu_steps]]), Open3D's CUDA fallback, and whisper's FP16 warning
combined with what else the log shows."""

from __future__ import annotations

import pytest

from log_text import codes, facts, finding_codes, first_cause
from whygpu.knowledge.target import newer_than_build_top

# torch/cuda/__init__.py (_check_capability), as a public setup note of an RTX 5090 with torch 2.9.1+cu126 quotes it.
_RTX5090_RANGE = (
    "Found GPU0 NVIDIA GeForce RTX 5090 which is of cuda capability 12.0.\n"
    "Minimum and Maximum cuda capability supported by this version of PyTorch is (5.0) - (9.0)\n"
)
# https://github.com/pytorch/pytorch/issues/172629 (GB10, 12.1, beside a build ending at 12.0: the maintainers call it wrong).
_GB10_RANGE = (
    "UserWarning:\n"
    "    Found GPU0 NVIDIA GB10 which is of cuda capability 12.1.\n"
    "    Minimum and Maximum cuda capability supported by this version of PyTorch is\n"
    "    (8.0) - (12.0)\n"
)
# https://github.com/pytorch/pytorch/issues/164708 (a source build, TORCH_CUDA_ARCH_LIST="8.9 9.0+PTX", on an 8.9 GPU: it works).
_ADA_IN_RANGE = (
    "/path/to/torch/cuda/__init__.py:284: UserWarning:\n"
    "    Found GPU0 NVIDIA RTX 6000 Ada Generation which is of cuda capability 8.9.\n"
    "    Minimum and Maximum cuda capability supported by this version of PyTorch is\n"
    "    (8.9) - (9.0)\n"
    "\n"
    "  warnings.warn(\n"
    "tensor([1.], device='cuda:0')\n"
)
# https://github.com/pytorch/pytorch/issues/182250 (torch/cuda/__init__.py _warn_unsupported_code: a V100 beside a cu128 list).
_V100_LIST = (
    "/home/matti/test/test_torch_2.7/.venv/lib/python3.12/site-packages/torch/cuda/__init__.py:371: UserWarning: Found GPU0 "
    "Tesla V100-PCIE-32GB which is of compute capability (CC) 7.0.\n"
    "The following list shows the CCs this version of PyTorch was built for and the hardware CCs it supports:\n"
    "- 7.5 which supports hardware CC >=7.5,<8.0\n"
    "- 8.0 which supports hardware CC >=8.0,<9.0 except {8.7}\n"
    "- 8.6 which supports hardware CC >=8.6,<9.0 except {8.7}\n"
    "- 9.0 which supports hardware CC >=9.0,<10.0\n"
    "- 10.0 which supports hardware CC >=10.0,<11.0 except {10.1}\n"
    "- 12.0 which supports hardware CC >=12.0,<13.0\n"
    "Please follow the instructions at https://pytorch.org/get-started/locally/ to install a PyTorch release that supports one "
    "of these CUDA versions: 12.6, 12.8\n"
)
# The same warning of torch 2.13.0+cu130 on a Jetson Orin (8.7), which its users call cosmetic there: 8.0's code runs on 8.7 by
# NVIDIA's binary compatibility, so the list's judgement stays quiet.
_ORIN_LIST = (
    "UserWarning: Found GPU0 Orin which is of compute capability (CC) 8.7.\n"
    "The following list shows the CCs this version of PyTorch was built for and the hardware CCs it supports:\n"
    "- 8.0 which supports hardware CC >=8.0,<9.0 except {8.7}\n"
    "- 9.0 which supports hardware CC >=9.0,<10.0\n"
    "- 12.0 which supports hardware CC >=12.0,<13.0\n"
    "No published PyTorch CUDA builds for release 2.13.0+cu130 support this GPU.\n"
)
# https://github.com/pytorch/pytorch/issues/172629 (torch 2.13.0+cu130's later form on GB10, said wrong there): not read.
_GB10_LATER = (
    "UserWarning: Found GPU0 NVIDIA GB10 which is of compute capability (CC) 12.1.\n"
    "Your installed torch==2.13.0+cu130 does not include kernels for this GPU.\n"
)
# https://github.com/syguan96/NeuroFluid/issues/15 (open3d/ml/torch/__init__.py's own warning).
_OPEN3D = ("Warning: Open3D was built with CUDA 11.0 butPyTorch was built with CUDA 11.1. Falling back to CPU for now.Otherwise, "
           "install PyTorch with CUDA 11.0.\n")
_WHISPER = ('/usr/lib/python3.10/site-packages/whisper/transcribe.py:114: UserWarning: FP16 is not supported on CPU; using FP32 instead\n'
            '  warnings.warn("FP16 is not supported on CPU; using FP32 instead")\n')


@pytest.mark.parametrize(("top", "cc", "newer"), [("9.0", "12.0", True), ("9.0", "10.0", True), ("12.0", "12.1", False),
                                                  ("9.0", "8.6", False), ("9.0", "9.0", False), ("8.6", "8.9", False)])
def test_only_a_newer_major_than_the_top_is_beyond_the_build(top: str, cc: str, newer: bool) -> None:
    assert newer_than_build_top(top, cc) is newer


def test_a_gpu_of_a_newer_major_than_the_ranges_top_is_not_supported() -> None:
    assert first_cause(_RTX5090_RANGE) == "GPU_NOT_SUPPORTED"
    assert "LOG235" in finding_codes(_RTX5090_RANGE)


@pytest.mark.parametrize("text", [_GB10_RANGE, _ADA_IN_RANGE])
def test_a_gpu_within_the_tops_major_or_inside_the_range_stays_supported(text: str) -> None:
    assert "GPU_NOT_SUPPORTED" not in codes(text)


def test_the_newer_warnings_list_is_the_builds_architectures() -> None:
    read = facts(_V100_LIST)
    assert [s.value for s in read.build_archs] == [("sm_75", "sm_80", "sm_86", "sm_90", "sm_100", "sm_120")]
    assert [s.value for s in read.compute_capability] == ["7.0"]
    assert not read.capability_need_said  # its rows are the build's code, not the program's need
    assert first_cause(_V100_LIST) == "GPU_NOT_SUPPORTED"


@pytest.mark.parametrize("text", [_ORIN_LIST, _GB10_LATER])
def test_the_newer_warning_on_a_gpu_its_code_runs_on_stays_quiet(text: str) -> None:
    assert "GPU_NOT_SUPPORTED" not in codes(text)


def test_open3d_ops_built_for_another_cuda_than_pytorch_read_as_a_mismatch() -> None:
    assert first_cause(_OPEN3D) == "CUDA_LIBS_MISMATCH"


def test_open3d_without_its_fallback_line_is_not_read() -> None:
    assert "CUDA_LIBS_MISMATCH" not in codes("import open3d as o3d\nprint(o3d.__version__)\n0.17.0\n")


def test_bertopic_with_the_gpu_reached_and_idle_reads_as_its_cpu_steps() -> None:
    # BERTopic#16's account (memory held, utilisation 0) with the program named, as the writer of BERTopic#733 named it.
    text = ("I'm running BERTopic on my local GPU: even though the code takes up some memory of the GPU, the GPU utility "
            "stays to be 0.\n")
    assert first_cause(text) == "GPU_UNDERUSED"
    assert "LOG237" in finding_codes(text)


def test_bertopic_with_the_writers_words_alone_leaves_the_framework_first() -> None:
    # https://github.com/MaartenGr/BERTopic/issues/733: a possibility, not the answer (a GPU never seen busy may be a CPU torch).
    text = ("Any tips how to use GPU to run Bertopic on GCP?\nI did run on GCP and observed the CPU usage/GPU usage, and did not "
            "see clues that GPU was running.\n")
    ranked = codes(text)
    assert "GPU_UNDERUSED" in ranked and ranked[0] != "GPU_UNDERUSED"


def test_bertopic_beside_pytorchs_no_gpu_answer_is_not_read_as_its_cpu_steps() -> None:
    text = ("I'm running BERTopic and the GPU utility stays 0 although memory is taken.\n"
            ">>> torch.cuda.is_available()\nFalse\n")
    assert "LOG237" not in finding_codes(text)


def test_another_program_with_the_gpu_idle_is_not_read_as_bertopic() -> None:
    text = "I'm running my training script: even though the code takes up some memory of the GPU, the GPU utility stays to be 0.\n"
    assert "LOG237" not in finding_codes(text)


@pytest.mark.parametrize(("extra", "cause"), [("pip list: torch 2.0.1+cpu\n", "FRAMEWORK_CPU_BUILD"),
                                              # (accnoticed41: beside a GPU; alone, --device cpu is a CPU run, whispering#76)
                                              ("I have an RTX 3060.\n$ whisper audio.mp3 --model small --device cpu\n", "CODE_FORCES_CPU"),
                                              # whisper/transcribe.py's own warning before it when torch.cuda.is_available()
                                              ("UserWarning: Performing inference on CPU when CUDA is available\n", "CODE_FORCES_CPU")])
def test_whispers_fp16_warning_takes_its_cause_from_the_rest_of_the_log(extra: str, cause: str) -> None:
    assert first_cause(extra + _WHISPER) == cause
