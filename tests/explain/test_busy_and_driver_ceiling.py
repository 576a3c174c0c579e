"""accbusy (session 26): the GPU held by something else (GPU_BUSY) and the driver's CUDA against the build's (DRIVER_TOO_OLD).

Each reading has a line where it speaks and lines where it stays quiet; the lines are written from the messages' formats
(PyTorch's CUDACachingAllocator, glog's CHECK_EQ, the CUDA driver's status names, the RAPIDS Accelerator's pool warning,
TensorFlow's cuDNN diagnostics) and from how a writer states their machine, not pasted from reports.
"""

from __future__ import annotations

import pytest

from log_text import codes as _codes
from log_text import facts as _facts
from log_text import report as _report
from whygpu.knowledge.gpus import memory_held_elsewhere


def _findings(text: str) -> list[str]:
    return [f for c in _report(text).causes for f in c.findings]


# --- CUDA_ERROR_INVALID_DEVICE: a context refused the device, or the ordinal does not exist ----------------------------

def test_invalid_device_on_context_creation_reads_as_a_device_held_elsewhere() -> None:
    for line in ("exception: Error initializing Context: CUDA_ERROR_INVALID_DEVICE (101) at /src/platforms/cuda/src/CudaContext.cpp:120\n",
                 "pycuda._driver.LogicError: cuCtxCreate failed: CUDA_ERROR_INVALID_DEVICE\n",
                 "RuntimeError: cuDevicePrimaryCtxRetain returned CUDA_ERROR_INVALID_DEVICE\n"):
        causes = _codes(line)
        assert causes[:1] == ["GPU_BUSY"], line
        assert "GPU_HIDDEN" in causes, line  # the ordinal reading stays the alternative


def test_invalid_device_on_getting_the_device_stays_an_ordinal_that_is_not_there() -> None:
    line = ("W external/xla/xla/service/platform_util.cc:199] unable to create StreamExecutor for CUDA:3: "
            "failed initializing StreamExecutor for CUDA device ordinal 3: INTERNAL: Failed call to cuDeviceGet: CUDA_ERROR_INVALID_DEVICE: invalid device ordinal\n")
    causes = _codes(line)
    assert causes[:1] == ["GPU_HIDDEN"] and "GPU_BUSY" not in causes


# --- glog's CHECK_EQ against the success code: "(0 vs. N)" -------------------------------------------------------------

def test_a_check_against_cuda_success_reads_the_other_number_as_the_status() -> None:
    driver = "F tensorflow/stream_executor/cuda/cuda_driver.cc:120] Check failed: CUDA_SUCCESS == dynload::cuCtxSetCurrent(context) (0 vs. 216)\n"
    assert _codes(driver)[:1] == ["GPU_BUSY"]
    runtime = "F0101 10:00:00.000000 1 gpu.cc:12] Check failed: cudaSuccess == cudaSetDevice(device_id) (0 vs. 46)\n"
    assert _codes(runtime)[:1] == ["GPU_BUSY"]
    reversed_sides = "Check failed: cuCtxSetCurrent(ctx) == CUDA_SUCCESS (216 vs. 0)\n"
    assert _codes(reversed_sides)[:1] == ["GPU_BUSY"]


def test_a_check_whose_number_means_nothing_for_the_gpu_stays_quiet() -> None:
    # 1 is CUDA_ERROR_INVALID_VALUE / cudaErrorInvalidValue: a programming error, no cause.
    assert _codes("Check failed: CUDA_SUCCESS == cuMemcpyHtoD(dst, src, n) (0 vs. 1)\n") == []
    assert _codes("Check failed: cudaSuccess == cudaMemcpy(dst, src, n, kind) (0 vs. 1)\n") == []
    # Numbers compared without a success code name no table.
    assert _codes("Check failed: a == b (0 vs. 216)\n") == []


# --- PyTorch's out-of-memory numbers without the process's whole use ---------------------------------------------------

def test_memory_held_elsewhere_decides_by_the_share_the_allocator_held() -> None:
    # A 32 GiB card, full, the allocator holding 5 GiB of it: 26 GiB held by something else.
    held = memory_held_elsewhere(32.0, 0.04, 5.2, own_exact=False)
    assert held is not None and 26 < held < 27
    # The allocator holding most of the card: the job's own demand.
    assert memory_held_elsewhere(6.0, 0.0, 5.3, own_exact=False) is None
    # Little held by the allocator but a tenth of the card still free: a request larger than what was left, not a full card.
    assert memory_held_elsewhere(14.56, 1.31, 1.01, own_exact=False) is None
    # With the process's whole use the card need not be full.
    assert memory_held_elsewhere(24.0, 2.0, 4.0, own_exact=True) is not None


@pytest.mark.parametrize("line", [
    "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 64.00 MiB (GPU 0; 23.69 GiB total capacity; "
    "3.10 GiB already allocated; 18.50 MiB free; 3.25 GiB reserved in total by PyTorch)\n",
    "RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB (GPU 1; 10.92 GiB total capacity; 1.20 GiB already allocated; "
    "4.06 MiB free; 118.00 MiB cached)\n",
    "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 80.00 MiB. GPU 0 has a total capacity of 39.39 GiB of which "
    "12.25 MiB is free. Of the allocated memory 6.10 GiB is allocated by PyTorch, and 180.25 MiB is reserved by PyTorch but unallocated.\n",
])
def test_an_oom_on_a_full_card_the_allocator_holds_little_of_is_memory_held_elsewhere(line: str) -> None:
    assert _facts(line).oom_held_elsewhere
    report = _report(line)
    assert report.causes[0].code == "GPU_BUSY" and "LOG118" in report.causes[0].findings


@pytest.mark.parametrize("line", [
    # The allocator holds most of the card: the model or batch is too large.
    "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 7.79 GiB total capacity; 6.20 GiB already allocated; "
    "12.00 MiB free; 6.55 GiB reserved in total by PyTorch)\n",
    # Plenty still free: one request larger than what was left.
    "RuntimeError: CUDA out of memory. Tried to allocate 9.00 GiB (GPU 0; 15.90 GiB total capacity; 1.00 GiB already allocated; "
    "6.40 GiB free; 1.20 GiB reserved in total by PyTorch)\n",
    # A share set by the process itself (set_per_process_memory_fraction): the cap, not another holder.
    "RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 15.90 GiB total capacity; 1.00 GiB already allocated; "
    "10.00 MiB free; 2.00 GiB allowed; 1.20 GiB reserved in total by PyTorch)\n",
])
def test_an_oom_of_the_jobs_own_demand_claims_no_other_holder(line: str) -> None:
    assert not _facts(line).oom_held_elsewhere
    assert "LOG118" not in _findings(line)


# --- the RAPIDS Accelerator's pool sized against memory already held ---------------------------------------------------

def test_the_rapids_pool_warning_that_free_memory_is_short_reads_as_memory_held() -> None:
    for line in ("WARN rapids.GpuDeviceManager: Initial RMM allocation (29491.2 MB) is larger than free memory (20480.5 MB)\n",
                 "Initial RMM allocation(4096.0 MB) for all the Python workers is larger than free memory(1024.0 MB)\n",
                 "java.lang.IllegalArgumentException: The initial allocation of 2048.0 MB (calculated from spark.rapids.memory.gpu.allocFraction "
                 "(=0.9) and 2275.6 MB free memory) was less than the minimum allocation of 4070.0 (calculated from "
                 "spark.rapids.memory.gpu.minAllocFraction (=0.25) and 16280.0 MB total memory)\n"):
        report = _report(line)
        assert report.causes[:1] and report.causes[0].code == "GPU_BUSY", line
        assert "LOG-RAPIDS-RMM-OVER-FREE" in report.causes[0].findings, line


def test_the_rapids_pool_lowered_to_its_own_maximum_is_configuration_not_memory_held() -> None:
    line = ("WARN rapids.GpuDeviceManager: Initial RMM allocation (15000.0 MB) is larger than the adjusted maximum allocation "
            "(14000.0 MB), lowering initial allocation to the adjusted maximum allocation.\n")
    assert "LOG-RAPIDS-RMM-OVER-FREE" not in _findings(line)


# --- the machine's CUDA ceiling stated, against a build for a newer CUDA -------------------------------------------------

_BUILD = "When I install the requirements, `torch 2.1.0+cu121` is installed.\n"


@pytest.mark.parametrize("said", [
    "The maximum CUDA version on our lab server is 11.4.",
    "The maximum server system installed in my lab is `CUDA 11.4`.",
    "Our cluster supports up to CUDA 11.4.",
    "nvidia-smi shows CUDA Version 11.4 on my machine.",
])
def test_a_stated_cuda_ceiling_below_the_build_is_a_driver_too_old(said: str) -> None:
    assert [s.value for s in _facts(said + "\n").driver_cuda] == ["11.4"]
    report = _report(said + "\n" + _BUILD)
    assert report.causes[0].code == "DRIVER_TOO_OLD" and "LOG102" in report.causes[0].findings


@pytest.mark.parametrize("said", [
    "The maximum CUDA version PyTorch supports is 12.1.",  # a framework's ceiling, not the machine's
    "What is the maximum CUDA version my server supports?",  # asked
    "I installed CUDA 11.4 on my server.",  # a toolkit installed: one version, no ceiling
    "If your server supports up to CUDA 11.4, install the cu113 wheel.",  # advice
])
def test_other_sentences_about_cuda_state_no_ceiling(said: str) -> None:
    assert not _facts(said + "\n").driver_cuda
    assert "LOG102" not in _findings(said + "\n" + _BUILD)


def test_a_ceiling_that_runs_the_build_is_no_finding() -> None:
    assert "LOG102" not in _findings("The maximum CUDA version on our server is 12.2.\n" + _BUILD)


# --- the writer's words that the install does not fit their driver --------------------------------------------------------

_CUDNN = "E tensorflow/stream_executor/cuda/cuda_dnn.cc:353] Could not create cudnn handle: CUDNN_STATUS_NOT_INITIALIZED\n"


def test_a_build_said_incompatible_with_the_driver_is_a_driver_too_old() -> None:
    for said in ("The tensorflow-gpu package conda picked is incompatible with my NVIDIA driver 390.\n",
                 "This build is not compatible with the installed driver.\n"):
        assert _facts(said).driver_said_too_old, said
        assert _codes(said + _CUDNN)[:1] == ["DRIVER_TOO_OLD"], said


@pytest.mark.parametrize("said", [
    "My GTX 680 is incompatible with the latest driver.\n",  # a card a new driver dropped
    "It does not work with the new driver.\n",  # a newer driver named
    "Is this build incompatible with my driver?\n",  # asked
    "If the wheel is incompatible with your driver, update it.\n",  # advice
])
def test_other_incompatibilities_are_not_read_as_an_old_driver(said: str) -> None:
    assert not _facts(said).driver_said_too_old
    assert "DRIVER_TOO_OLD" not in _codes(said + _CUDNN)


# --- TensorFlow's cuDNN hint names the driver: judged against the build ---------------------------------------------------

def test_tensorflows_driver_hint_is_judged_against_the_builds_cuda() -> None:
    hint = "E tensorflow/stream_executor/cuda/cuda_dnn.cc:342] Possibly insufficient driver version: {v}\n"
    old = "tensorflow-gpu 1.13.1\n" + _CUDNN + hint.format(v="390.87.0")
    assert _codes(old)[:1] == ["DRIVER_TOO_OLD"]
    # The same hint with a driver that runs the build's CUDA (TensorFlow prints it on every such failure): no finding.
    new = "tensorflow-gpu 1.13.1\n" + _CUDNN + hint.format(v="450.80.2")
    assert "DRIVER_TOO_OLD" not in _codes(new)
