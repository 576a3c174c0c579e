"""A GPU library's status answer ranked by its base rate where the log does not decide (knowledge/priors.toml [[status_prior]]; session 20, accrank3)."""

from __future__ import annotations

import pytest

from log_text import codes
from whygpu.knowledge.priors import status_prior

# CUDA's "no device" answer as different programs print it (written for the class, not copied from a case).
NO_DEVICE = [
    "RuntimeError: cuda runtime error (100) : no CUDA-capable device is detected at /opt/conda/aten/src/THC/THCGeneral.cpp:50\n",
    "CUDA Error: no CUDA-capable device is detected\n",
    "cudaGetDeviceCount returned 100 -> cudaErrorNoDevice\n",
    "F0304 09:10:11.123 gpu_info.cc:88] Check failed: error == cudaSuccess (100 vs. 0)  no CUDA-capable device is detected\n",
]
# The driver API's cuInit answer, which TensorFlow, JAX/XLA and Numba print at every start-up: not the row's.
CUINIT = "2021-03-02 10:11:12.000001: E tensorflow/stream_executor/cuda/cuda_driver.cc:328] failed call to cuInit: CUDA_ERROR_NO_DEVICE: no CUDA-capable device is detected\n"


@pytest.mark.parametrize("line", NO_DEVICE)
def test_no_device_with_nothing_around_it_reads_as_no_gpu_first(line: str) -> None:
    got = codes("Running the model on my workstation\n" + line)
    assert got[0] == "NO_GPU"
    assert "GPU_HIDDEN" in got[:3]  # still listed: a setting the log does not show could hide the device


@pytest.mark.parametrize("around", [
    "$ CUDA_VISIBLE_DEVICES=3 python train.py\n",               # the variable that hides devices, set
    "export CUDA_VISIBLE_DEVICES=1\n",
    "GPU: NVIDIA GeForce RTX 3080 (driver 535.104.05)\n",      # the machine's GPU and driver named
    "| NVIDIA-SMI 470.57.02    Driver Version: 470.57.02    CUDA Version: 11.4     |\n",
])
def test_a_visibility_setting_or_the_machines_gpu_shown_keeps_the_status_reading(around: str) -> None:
    got = codes(around + NO_DEVICE[0])
    assert got and got[0] != "NO_GPU"


@pytest.mark.parametrize("line", [CUINIT, "numba.cuda.cudadrv.error.CudaSupportError: Error at driver init: Call to cuInit results in CUDA_ERROR_NO_DEVICE (100)\n"])
def test_the_driver_apis_cuinit_answer_keeps_its_status_reading(line: str) -> None:
    assert codes("Running the model on my workstation\n" + line)[0] == "GPU_HIDDEN"


def test_inside_a_container_the_containers_reading_stands() -> None:
    text = "$ docker run -it --rm pytorch/pytorch:latest python run.py\n" + NO_DEVICE[0]
    assert codes(text)[0] == "CONTAINER_NO_GPU"


def test_the_row_ranks_only_members_the_line_leaves_open_and_only_its_status() -> None:
    ranked = status_prior("cudaErrorNoDevice", "GPU_HIDDEN", ("CONTAINER_NO_GPU", "NO_GPU"), frozenset())
    assert ranked == ("NO_GPU", ("GPU_HIDDEN", "CONTAINER_NO_GPU"))
    # Another status on the line: no row.
    assert status_prior("cudaErrorInsufficientDriver", "DRIVER_TOO_OLD", ("DRIVER_MISSING",), frozenset()) is None
    # The driver API's spelling on the line: no row.
    assert status_prior("cuInit failed: CUDA_ERROR_NO_DEVICE: no CUDA-capable device is detected", "GPU_HIDDEN", ("NO_GPU",), frozenset()) is None
    # A context that decides: no row.
    assert status_prior("cudaErrorNoDevice", "GPU_HIDDEN", ("NO_GPU",), frozenset({"cvd_set"})) is None
    # The spelling must be the status's whole name, not a longer one.
    assert status_prior("cudaErrorNoDeviceFound", "GPU_HIDDEN", ("NO_GPU",), frozenset()) is None


# The runtime's forward-compatibility answer (804), as PyTorch and a C++ program print it.
COMPAT = [
    "RuntimeError: Unexpected error from cudaGetDeviceCount(). Did you run some cuda functions before calling NumCudaDevices() that might have already set an error? Error 804: forward compatibility was attempted on non supported HW\n",
    "CUDA error (cudaErrorCompatNotSupportedOnDevice) at main.cu:12\n",
]


@pytest.mark.parametrize("line", COMPAT)
def test_forward_compatibility_refused_reads_as_a_driver_too_old_first(line: str) -> None:
    got = codes(line)
    assert got[:2] == ["DRIVER_TOO_OLD", "DRIVER_MISMATCH"]


def test_two_driver_versions_shown_keep_the_mismatch_reading() -> None:
    text = ("Before the update: Driver Version: 470.57.02\nAfter it: Driver Version: 470.82.01\n" + COMPAT[0])
    assert codes(text)[0] == "DRIVER_MISMATCH"
    # One driver version shown twice is no change.
    same = "Driver Version: 470.82.01\nnvidia-smi: Driver Version: 470.82.01\n" + COMPAT[0]
    assert codes(same)[0] == "DRIVER_TOO_OLD"


def test_a_status_past_the_shown_length_of_its_line_is_still_ranked() -> None:
    # PyTorch's warning with its file prefix runs past the length evidence is shown at; the status is read whole.
    long_line = ("/opt/conda/lib/python3.8/site-packages/torch/cuda/__init__.py:52: UserWarning: CUDA initialization: "
                 + COMPAT[0].removeprefix("RuntimeError: ").rstrip("\n")
                 + " (Triggered internally at /opt/conda/conda-bld/pytorch_1623448278899/work/c10/cuda/CUDAFunctions.cpp:115.)\n")
    assert codes("Driver Version: 460.80\n" + long_line + "Driver Version: 460.39\n")[0] == "DRIVER_MISMATCH"
    assert codes("Driver Version: 460.80\n" + long_line)[0] == "DRIVER_TOO_OLD"
