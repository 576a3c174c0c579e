"""What a report states, judged against facts, and one status answer ranked one way (accfacts, session 25).

Each reading has a report where it names its cause and one where it stays quiet. The lines are written from the
forms (an issue template's fields, the writer's prose, PyTorch's and the CUDA macros' print forms), not pasted
from any corpus case.
"""

from __future__ import annotations

import pytest

from log_text import codes, facts, report
from whygpu.explain.statements import slow_start
from whygpu.knowledge.target import BuildSpec, build_runs_on_gpu
from whygpu.knowledge.torch import torch_first_release_for_python, torch_lowest_compute_capability


def _rules(text: str) -> list[str]:
    return [rule for cause in report(text).causes for rule in cause.findings]


# --- knowledge: the Python shown bounds PyTorch's release -----------------------------------------------------------------


def test_the_first_torch_release_with_wheels_for_a_python() -> None:
    assert torch_first_release_for_python("3.8.7") == "1.4.0"
    assert torch_first_release_for_python("3.12") == "2.2.0"
    assert torch_first_release_for_python("3.7") is None  # older Pythons: every tabled release installs
    assert torch_first_release_for_python("not a version") is None


def test_the_lowest_minimum_of_the_releases_since_one() -> None:
    assert torch_lowest_compute_capability() == ("3.5", "0.4.1")  # every tabled release: 0.4.1 to 1.2 kept Kepler's 3.5
    assert torch_lowest_compute_capability("1.4.0") == ("3.7", "1.4.0")  # from 1.3 on the binaries start at 3.7


def test_a_cuda_older_than_the_gpus_major_is_beyond_it_a_later_minor_of_its_newest_is_not() -> None:
    # CUDA 10.0 knows up to 7.5: an 8.6 GPU is reached only through PTX.
    assert build_runs_on_gpu(BuildSpec("toolkit", "CUDA", "", "10.0"), "8.6").how == "beyond-toolkit"
    # CUDA 11.7 knows up to 8.6 and CUDA 9.0 up to 7.0: their sm_86 and sm_70 code runs on 8.9 and 7.5 GPUs (same major).
    assert build_runs_on_gpu(BuildSpec("toolkit", "CUDA", "", "11.7"), "8.9").how != "beyond-toolkit"
    assert build_runs_on_gpu(BuildSpec("image", "the image", "x", "9.0"), "7.5").how != "beyond-toolkit"


# --- 1. a GPU the report names, below every build its Python can install ----------------------------------------------

TEMPLATE = ("**Describe the bug**\nMy GeForce GT 740 graphics card has compute capability 3.0 and I want to use it with PyTorch.\n"
            "**Desktop**\n - OS: Windows 10\n - Python version: {python}\n")


def test_a_gpu_below_every_torch_its_python_installs_is_not_supported() -> None:
    text = "My graphics card has compute capability 3.5 and I would like to run PyTorch on it.\n - Python version: 3.9.1\n"
    got = report(text)
    assert [c.code for c in got.causes][:1] == ["GPU_NOT_SUPPORTED"]
    assert "Python 3.9.1" in got.causes[0].title and got.causes[0].confidence.value == "low"


def test_a_gpu_an_older_torch_still_runs_stays_quiet_without_a_python_that_rules_it_out() -> None:
    # 3.5 is in the binaries of 0.4.1 to 1.2: with Python 3.7 (which those releases install on) nothing is decided.
    assert codes("My graphics card has compute capability 3.5 and I would like to run PyTorch on it.\n - Python version: 3.7.4\n") == []
    # A 3.7 GPU (Tesla K80) is in every 1.x binary.
    assert codes("My graphics card has compute capability 3.7 and I would like to run PyTorch on it.\n - Python version: 3.9.1\n") == []


# --- 2. a slow first run through PTX JIT ---------------------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "paddle.utils.run_check() hangs for about 10 minutes and then it prints that everything works",
    "The first epoch takes 25 minutes, the ones after it 30 seconds",
    "It gets stuck for 5 minutes before training starts",
    "运行检查时卡住了，等了大约十几分钟后才出现结果",
])
def test_a_start_that_waits_for_minutes_then_goes_on_is_read(line: str) -> None:
    assert slow_start(line) is not None


@pytest.mark.parametrize("line", [
    "training takes 30 minutes per epoch",                 # a job's length, not its start
    "I waited 10 minutes but nothing happened",            # no going on
    "it hangs for 10 minutes and then crashes",            # a failure after it, not a start that goes on
    "Does the first run take 10 minutes?",                 # asked
    "If it hangs for 10 minutes then it works, the cache is too small",  # supposed
])
def test_other_waits_are_not_read(line: str) -> None:
    assert slow_start(line) is None


def test_a_slow_start_with_a_build_older_than_the_gpu_is_ptx_jit() -> None:
    text = ("torch 1.7.1+cu101\nGPU: NVIDIA GeForce RTX 3090\n"
            "The first forward pass hangs for about 15 minutes, then it runs at full speed.\n")
    assert codes(text)[:1] == ["GPU_NOT_SUPPORTED"]
    assert "LOG234" in _rules(text)


def test_a_slow_start_is_quiet_where_the_build_has_code_for_the_gpu_or_no_gpu_is_shown() -> None:
    # cu118 builds carry sm_86: the wait has another cause.
    assert "LOG234" not in _rules("torch 2.1.0+cu118\nGPU: NVIDIA GeForce RTX 3090\n"
                                  "The first forward pass hangs for about 15 minutes, then it runs at full speed.\n")
    # CUDA 11.7 compiles sm_86, which runs on an 8.9 GPU (same major, later minor): no JIT needed.
    assert "LOG234" not in _rules("torch 2.0.1+cu117\nGPU: NVIDIA GeForce RTX 4090\n"
                                  "The first forward pass hangs for about 15 minutes, then it runs at full speed.\n")
    # No GPU shown: a slow start alone says nothing of its cause.
    assert codes("paddle with cuda: 10.2\nrun_check hangs for 10 minutes then succeeds\n") == []


# --- 3. TensorFlow 1.x beside an Ampere GPU ------------------------------------------------------------------------------


def test_tensorflow_1_with_an_ampere_gpu_shown_unused_is_a_build_older_than_the_gpu() -> None:
    text = "tensorflow-gpu==1.15.0\nGPU: GeForce RTX 3080\nRegistered devices: [CPU]\n"
    got = report(text)
    assert [c.code for c in got.causes][:1] == ["GPU_NOT_SUPPORTED"]
    assert "nvidia-tensorflow" in got.causes[0].fix


def test_tensorflow_1_with_a_gpu_its_cuda_knows_or_a_release_built_for_ampere_stays_off_it() -> None:
    assert "GPU_NOT_SUPPORTED" not in codes("tensorflow-gpu==1.15.0\nGPU: GeForce GTX 1080\nRegistered devices: [CPU]\n")
    assert "GPU_NOT_SUPPORTED" not in codes("tensorflow==2.5.0\nGPU: GeForce RTX 3080\nRegistered devices: [CPU]\n")
    # Shown at work: nothing to explain.
    assert codes("tensorflow-gpu==1.15.0 on my RTX 3080 trains fine, GPU-Util 97%\n") == []


# --- 4. the CUDA installed said with a copula ---------------------------------------------------------------------------


def test_a_cuda_version_said_with_a_copula_is_the_installed_one() -> None:
    found = facts("My CUDA version is 11.2 and cuDNN is 8.1\n")
    assert [s.value for s in found.cuda_installed] == ["11.2"]
    assert [s.value for s in found.cudnn_installed] == ["8.1"]
    dll = ("My CUDA version is 11.2\n"
           "W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library 'cudart64_110.dll'; dlerror: cudart64_110.dll not found\n")
    assert codes(dll)[0] == "CUDA_LIBS_NOT_ON_PATH"  # CUDA 11.x ships cudart64_110.dll


@pytest.mark.parametrize("line", [
    "The NVIDIA driver's CUDA version is 12.4 which is older than the ptxas CUDA version (12.5.40).",
    "The required CUDA version is 11.2",
    "The recommended CUDA is 11.8",
])
def test_a_drivers_or_a_wanted_cuda_said_with_a_copula_is_not_installed(line: str) -> None:
    assert facts(line + "\n").cuda_installed == []


# --- 5. one status, one ranking ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("line", ["RuntimeError: CUDA error: 100", "CUDA error 100", "cudaErrorNoDevice: no CUDA-capable device is detected"])
def test_no_device_ranks_the_same_in_every_print_form(line: str) -> None:
    assert codes("Running the model on my workstation\n" + line + "\n")[0] == "NO_GPU"


def test_a_visibility_setting_still_decides_for_pytorchs_form() -> None:
    assert codes("export CUDA_VISIBLE_DEVICES=5\nRuntimeError: CUDA error: 100\n")[0] != "NO_GPU"


# --- 6. a question names a plan, not what is installed ------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "Should I use torch 2.8.0+cu129 with a GTX 1070?",
    "Can torch 2.8.0+cu129 run on a GTX 1070?",
])
def test_a_release_and_gpu_named_in_a_question_are_not_judged(line: str) -> None:
    assert codes(line + "\n") == []


@pytest.mark.parametrize("line", [
    "I have torch 2.8.0+cu129 with a GTX 1070.",
    "Why does torch 2.8.0+cu129 not use my GTX 1070?",   # a question that presupposes its content states it
])
def test_the_same_stated_is_judged(line: str) -> None:
    assert codes(line + "\n")[:1] == ["GPU_NOT_SUPPORTED"]
