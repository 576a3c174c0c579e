"""Which CUDA library is wanted, what is there, and the driver in words, judged by one decision (acclib2, session 30).

Each line below is written from a program's message format (ONNX Runtime's CUDA provider message, CTranslate2's library
message, the loader's "cannot open shared object file") or from how a writer states a machine, not pasted from any corpus
case. Each reading has lines where it fires and lines where it stays quiet.
"""

from __future__ import annotations

import pytest

from log_text import codes, first_cause
from whygpu.explain.hwstated import driver_statements
from whygpu.explain.infer import _whole_library_name
from whygpu.explain.platfacts import cuda_said_needed
from whygpu.explain.programbuilds import found_stated, message_requires

ORT_NEEDS = ("2025-01-05 10:00:00.1 [W:onnxruntime:Default, onnxruntime_pybind_state.cc:1000 CreateExecutionProviderInstance] "
             "Failed to create CUDAExecutionProvider. Require cuDNN {cudnn}.* and CUDA {cuda}.*. Please install all dependencies "
             "as mentioned in the GPU requirements page, make sure they're in the PATH, and that your GPU is supported.\n")


# --- a library name a pattern cut before its version gets it back ------------------------------------------------------


@pytest.mark.parametrize(("cut", "line", "whole"), [
    ("libcublas.so", "RuntimeError: Library libcublas.so.12 is not found", "libcublas.so.12"),
    ("libcudnn_ops.so", "Library libcudnn_ops.so.9.1.0 is not found.", "libcudnn_ops.so.9.1.0"),
    ("libcublas.so", "Library libcublas.so is not found", "libcublas.so"),  # no version written: none added
    ("libcublas.so", "libcublas.so.11 and libcublas.so.12 both missing", "libcublas.so"),  # two versions: not one name
    ("cublas64_12.dll", "Library cublas64_12.dll is not found", "cublas64_12.dll"),
])
def test_a_cut_library_name_gets_its_version_back_only_where_the_line_writes_one(cut: str, line: str, whole: str) -> None:
    assert _whole_library_name(cut, line) == whole


def test_ct2_short_message_reads_the_soname_version_against_the_cuda_installed() -> None:
    log = "Ubuntu 22.04\nCUDA 11.8\ncuDNN 8.9\nRuntimeError: Library libcublas.so.12 is not found\n"
    assert first_cause(log) == "CUDA_LIBS_MISMATCH"
    same = "Ubuntu 22.04\nCUDA 12.4\nRuntimeError: Library libcublas.so.12 is not found\n"
    assert first_cause(same) == "CUDA_LIBS_NOT_ON_PATH"


# --- the writer's words that a CUDA or cuDNN release is there ------------------------------------------------------------


@pytest.mark.parametrize(("line", "found"), [
    ("The cuda is 12.6 and the cudnn is 9.3.", [("cuda", "12.6"), ("cudnn", "9.3")]),
    ("My CUDA version is 11.8 and cuDNN version is 8.6", [("cuda", "11.8"), ("cudnn", "8.6")]),
    ("Here the cudnn was 8.9.7 when I ran it", [("cudnn", "8.9.7")]),
    # The need is another sentence's: the first sentence states the machine.
    ("The cuda is 12.2. The docs say the wheel supports cudnn 9.x only", [("cuda", "12.2")]),
])
def test_versions_said_there_with_a_copula_and_in_their_own_sentence(line: str, found: list[tuple[str, str]]) -> None:
    assert found_stated(line) == found


@pytest.mark.parametrize("line", [
    "I will install CUDA 12.1 tomorrow",
    "I'm going to try cuDNN 8.9 next.",
    "I plan to use CUDA 12.4",
    "I uninstalled CUDA 11.2 and the error went away",
    "The required CUDA version is 12.1",
    "Do I need cuDNN 8.9?",
])
def test_plans_removals_needs_and_questions_are_not_read_as_installed(line: str) -> None:
    assert found_stated(line) == []


# --- the program's own message says which major it needs --------------------------------------------------------------


@pytest.mark.parametrize(("line", "needs"), [
    ("Failed to create CUDAExecutionProvider. Require cuDNN 9.* and CUDA 12.*, and the latest MSVC runtime.", [("cudnn", "9"), ("cuda", "12")]),
    ("RuntimeError: this build requires cuDNN 8.x", [("cudnn", "8")]),
    ("error: the extension was built against CUDA 12.x", [("cuda", "12")]),
    ("ImportError: CUDA 11 is required by this wheel", [("cuda", "11")]),
    ("the module was compiled with CUDA 11 and cuDNN 8.6", [("cuda", "11"), ("cudnn", "8")]),
])
def test_a_message_s_need_is_read_in_several_wordings(line: str, needs: list[tuple[str, str]]) -> None:
    assert message_requires(line) == needs


@pytest.mark.parametrize("line", [
    "this build requires CUDA 11.8 or later",  # a floor: a newer release serves it
    "requires CUDA 12+",
    "needs cuDNN >= 8",
    "Failed to create CUDAExecutionProvider. Please reference the requirements page to ensure all dependencies are met.",
])
def test_floors_and_messages_without_a_need_are_not_read(line: str) -> None:
    assert message_requires(line) == []


def test_ort_needing_another_cudnn_major_than_the_one_said_there_reads_cudnn_mismatch() -> None:
    log = "Jetson Orin, the cuda is 12.6 and the cudnn is 9.3.\n" + ORT_NEEDS.format(cudnn=8, cuda=12)
    assert first_cause(log) == "CUDNN_MISMATCH"


def test_ort_needing_the_majors_shown_there_reads_off_the_path() -> None:
    log = "My CUDA version is 12.4 and cuDNN version is 9.1\n" + ORT_NEEDS.format(cudnn=9, cuda=12)
    assert first_cause(log) == "CUDA_LIBS_NOT_ON_PATH"


def test_ort_needing_another_cuda_major_reads_cuda_mismatch() -> None:
    log = "CUDA 11.8\n" + ORT_NEEDS.format(cudnn=9, cuda=12)
    assert first_cause(log) == "CUDA_LIBS_MISMATCH"


def test_ort_need_with_nothing_shown_keeps_the_signature_s_reading() -> None:
    # Nothing shown present: the need alone does not decide (the signature's own ranking stands).
    assert codes(ORT_NEEDS.format(cudnn=9, cuda=12)) == codes(ORT_NEEDS.format(cudnn=8, cuda=11))


def test_ort_need_with_a_plan_only_is_not_judged_against_it() -> None:
    plain = codes(ORT_NEEDS.format(cudnn=8, cuda=12))
    assert codes("I will install cuDNN 9.3 next week.\n" + ORT_NEEDS.format(cudnn=8, cuda=12)) == plain


# --- the driver's version and the failing run's CUDA in words -------------------------------------------------------------


@pytest.mark.parametrize(("line", "version"), [
    ("Ubuntu 16.04, nvidia 396.54 driver, GTX 1060", "396.54"),
    ("the 535.104.05 NVIDIA driver is installed", "535.104.05"),
    ("NVIDIA driver 470.82.01", "470.82.01"),
])
def test_driver_version_before_or_after_the_word(line: str, version: str) -> None:
    assert [s.value for s in driver_statements([line]) if s.kind == "driver_version"] == [version]


@pytest.mark.parametrize("line", [
    "you should install the 550.54 NVIDIA driver",
    "Please update to the 535.104 driver",
    "the 1.2.3 driver of the printer",
])
def test_a_driver_to_install_or_of_another_maker_is_not_the_machine_s(line: str) -> None:
    assert [s.value for s in driver_statements([line]) if s.kind == "driver_version"] == []


@pytest.mark.parametrize(("line", "cuda"), [
    ("Runs fine with CUDA 9.2 but I get this when using CUDA 10", ["10.0"]),
    ("it crashes after upgrading to CUDA 12.1", ["12.1"]),
    ("the error appears once we switched to CUDA 11.8", ["11.8"]),
])
def test_the_cuda_of_the_failing_run_said_as_its_circumstance(line: str, cuda: list[str]) -> None:
    assert cuda_said_needed(line) == cuda


@pytest.mark.parametrize("line", [
    "Will it fail when using CUDA 12?",
    "It works when using CUDA 11.8",
    "If it fails when using CUDA 12, try 11.8",
])
def test_questions_conditions_and_working_runs_name_no_failing_cuda(line: str) -> None:
    assert cuda_said_needed(line) == []


def test_driver_in_words_below_the_failing_run_s_cuda_reads_driver_too_old() -> None:
    log = ("Works with CUDA 9.2 but I get this error when using CUDA 10 (nvidia 396.54 driver, GTX 1060)\n"
           "[2018-11-03 19:40:29] Curand error 203 - rand.cpp:80: curandCreateGenerator(&generator_, CURAND_RNG_PSEUDO_DEFAULT)\n")
    assert first_cause(log) == "DRIVER_TOO_OLD"
    newer = log.replace("396.54", "410.78")
    assert first_cause(newer) != "DRIVER_TOO_OLD"


# --- a CUDA library missing inside a Jetson container run without the NVIDIA runtime ---------------------------------------

CURAND = ("Traceback (most recent call last):\n  File \"<stdin>\", line 1, in <module>\n"
          "OSError: libcurand.so.10: cannot open shared object file: No such file or directory\n")


def test_jetson_container_without_the_runtime_reads_container_first() -> None:
    log = ("Jetson Xavier NX, JetPack 4.6, inside the l4t-ml container\nroot@3f2a9c1d7e44:/# python3 -c 'import torch'\n" + CURAND)
    assert first_cause(log) == "CONTAINER_NO_GPU"


def test_jetson_container_started_with_the_nvidia_runtime_is_not_read_as_the_container() -> None:
    log = ("Jetson Xavier NX, JetPack 4.6\n$ sudo docker run -it --rm --runtime nvidia --network host dustynv/l4t-ml:r32.6.1\n"
           "root@3f2a9c1d7e44:/# python3 -c 'import torch'\n" + CURAND)
    assert first_cause(log) != "CONTAINER_NO_GPU"


def test_jetson_without_a_container_keeps_the_library_family() -> None:
    log = "Jetson Nano with JetPack 4.6, running on the board directly\n$ python3 -c 'import torch'\n" + CURAND
    assert first_cause(log) in ("CUDA_LIBS_MISSING", "CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH")


def test_a_container_on_a_pc_keeps_the_library_family() -> None:
    # An x86 image carries its own CUDA libraries: the runtime brings only the driver's there.
    log = "Ubuntu 22.04, RTX 3090, inside the container\nroot@3f2a9c1d7e44:/# python3 -c 'import torch'\n" + CURAND
    assert first_cause(log) != "CONTAINER_NO_GPU"


def test_nvidia_smi_header_s_own_version_is_not_a_driver_said_before_the_word() -> None:
    line = "| NVIDIA-SMI 510.00       Driver Version: 510.06       CUDA Version: 11.6     |"
    assert [s.value for s in driver_statements([line]) if s.kind == "driver_version"] == ["510.06"]


def test_a_message_that_compares_its_need_with_what_it_found_is_its_own_reading() -> None:
    line = "WARNING: device: 0. The installed Paddle is compiled with CUDNN 7.6, but CUDNN version in your machine is 7.3"
    assert message_requires(line) == []


@pytest.mark.parametrize("line", [
    "The NVIDIA driver's CUDA version is 12.4 which is older than the ptxas CUDA version (12.5.40).",
    "This happens because cuDNN 8.0 does not exist after setting up the environment",
    "I checked: CUDA 11.2 isn't there",
    "torch 2.1.0 has a cuda 11.8 version, which supports the card",
])
def test_the_driver_s_cuda_an_absent_release_and_a_package_s_release_are_not_installed(line: str) -> None:
    assert found_stated(line) == []


@pytest.mark.parametrize(("line", "found"), [
    # The release the plan runs with is the machine's, not the plan's object.
    ("I want to use tensorflow-gpu==2.1.0 with cuda 10.2 and it seems that it can't work", [("cuda", "10.2")]),
    # A release an installer page does not offer is still the machine's.
    ("my CUDA version 12.2 is not available on the command prompt options", [("cuda", "12.2")]),
])
def test_a_plan_s_companion_release_and_an_option_not_offered_stay_installed(line: str, found: list[tuple[str, str]]) -> None:
    assert found_stated(line) == found
