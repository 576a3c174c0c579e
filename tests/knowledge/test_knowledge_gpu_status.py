"""The GPU stack's status tables: complete per library, each code's meaning from its documentation, and the lookups by name, number and text."""

from __future__ import annotations

from collections import Counter

import pytest

from whygpu.knowledge import gpu_status
from whygpu.knowledge.causes import is_cause_code


def _status(name: str) -> gpu_status.GpuStatus:
    status = gpu_status.status_by_name(name)
    assert status is not None, name
    return status


def test_every_library_has_its_table_with_a_source() -> None:
    counts = Counter(s.library for s in gpu_status.statuses())
    assert set(counts) == set(gpu_status.libraries())
    # The enums' sizes in the headers read (CUDA 13.0, cuDNN 8.9 and 9.x, cuBLAS 12.9, NCCL 2.32, NVML 13).
    assert counts["runtime"] >= 120 and counts["driver"] >= 95 and counts["nvml"] >= 30
    assert counts["cudnn"] >= 40 and counts["cudnn8"] == 15 and counts["cublas"] == 10 and counts["nccl"] == 9
    for table in gpu_status.libraries().values():
        assert table.source.startswith("https://docs.nvidia.com/"), table.library


def test_each_code_is_a_cause_or_none_and_says_why() -> None:
    for status in gpu_status.statuses():
        assert status.why, status.name
        assert status.cause is None or is_cause_code(status.cause), status.name
        assert all(is_cause_code(a) and a != status.cause for a in status.also), status.name


def test_success_codes_mean_nothing() -> None:
    for name in ("cudaSuccess", "CUDA_SUCCESS", "CUDNN_STATUS_SUCCESS", "CUBLAS_STATUS_SUCCESS", "NVML_SUCCESS", "ncclSuccess"):
        assert _status(name).cause is None, name


@pytest.mark.parametrize(("name", "cause"), [
    # The driver is older than the CUDA the runtime or the compiled code needs.
    ("cudaErrorInsufficientDriver", "DRIVER_TOO_OLD"),
    ("cudaErrorCallRequiresNewerDriver", "DRIVER_TOO_OLD"),
    ("CUDA_ERROR_UNSUPPORTED_PTX_VERSION", "DRIVER_TOO_OLD"),
    ("CUDNN_STATUS_NOT_SUPPORTED_INCOMPATIBLE_CUDA_DRIVER", "DRIVER_TOO_OLD"),
    # No device the driver can see.
    ("cudaErrorNoDevice", "GPU_HIDDEN"),
    ("CUDA_ERROR_NO_DEVICE", "GPU_HIDDEN"),
    # The build has no code for this GPU, or the GPU lacks a feature.
    ("cudaErrorNoKernelImageForDevice", "GPU_NOT_SUPPORTED"),
    ("CUDA_ERROR_NO_BINARY_FOR_GPU", "GPU_NOT_SUPPORTED"),
    ("CUBLAS_STATUS_ARCH_MISMATCH", "GPU_NOT_SUPPORTED"),
    ("CUDNN_STATUS_ARCH_MISMATCH", "GPU_NOT_SUPPORTED"),
    # The user-space driver and the kernel module differ.
    ("cudaErrorSystemDriverMismatch", "DRIVER_MISMATCH"),
    ("NVML_ERROR_LIB_RM_VERSION_MISMATCH", "DRIVER_MISMATCH"),
    # Fabric Manager not running (NVSwitch systems): most often a Fabric Manager of another version than the driver (the
    # table's labelled counts, accstatus: 2 of 3), the driver stack not complete second.
    ("cudaErrorSystemNotReady", "DRIVER_MISMATCH"),
    ("NVML_ERROR_DRIVER_NOT_LOADED", "DRIVER_MISSING"),
    # The toolkit's stub libcuda is loaded only where its directory is on the loader's path ahead of the driver's
    # (knowledge.libraries.stub_driver_library_causes; accceiling, session 26).
    ("cudaErrorStubLibrary", "CUDA_LIBS_NOT_ON_PATH"),
    ("NVML_ERROR_GPU_IS_LOST", "GPU_FAULT"),
    ("cudaErrorECCUncorrectable", "GPU_FAULT"),
    ("cudaErrorDevicesUnavailable", "GPU_BUSY"),
    ("CUDNN_STATUS_VERSION_MISMATCH", "CUDNN_MISMATCH"),
])
def test_codes_about_the_gpu_point_to_their_documented_cause(name: str, cause: str) -> None:
    assert _status(name).cause == cause


def test_forward_compatibility_on_an_unsupported_gpu_reads_the_driver_too_old_first() -> None:
    # The status's base rate (knowledge/priors.toml: too old 3 of 4) is the table's own order, so every reader of the
    # table (explain's bare numbers, the deep probe's cuInit answer) agrees with explain's reading of the text.
    # accunsup (session 26): GPU_NOT_SUPPORTED is a further alternative, first only where the GPU lies outside the driver's
    # CUDA (the status prior's gpu_outside_driver_cuda row).
    for name in ("cudaErrorCompatNotSupportedOnDevice", "CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE"):
        status = _status(name)
        assert (status.cause, status.also) == ("DRIVER_TOO_OLD", ("DRIVER_MISMATCH", "GPU_NOT_SUPPORTED"))


@pytest.mark.parametrize("name", [
    "cudaErrorMemoryAllocation", "cudaErrorIllegalAddress", "cudaErrorLaunchFailure", "cudaErrorInvalidValue",
    "cudaErrorAssert", "CUDA_ERROR_ILLEGAL_ADDRESS", "CUDNN_STATUS_BAD_PARAM", "CUDNN_STATUS_EXECUTION_FAILED",
    "CUBLAS_STATUS_EXECUTION_FAILED", "CUFFT_INVALID_PLAN", "CUSOLVER_STATUS_INVALID_VALUE",
    "CUSPARSE_STATUS_ALLOC_FAILED", "ncclSystemError", "ncclInvalidUsage", "NVML_ERROR_NOT_SUPPORTED", "NVML_ERROR_NO_PERMISSION",
])
def test_programming_errors_and_running_out_of_memory_mean_nothing_for_using_the_gpu(name: str) -> None:
    assert _status(name).cause is None


def test_a_library_s_failed_allocation_at_its_handle_is_memory_taken_before_the_job() -> None:
    # accstatus (session 24): cuBLAS and cuDNN allocate their own memory at cublasCreate/cudnnCreate; the code's GPU_BUSY holds
    # at start-up only (``memory``: explain drops it where the job's own work ran). The runtime's out-of-memory stays none.
    for name in ("CUBLAS_STATUS_ALLOC_FAILED", "CUDNN_STATUS_ALLOC_FAILED", "CUDA_ERROR_OUT_OF_MEMORY"):
        status = _status(name)
        assert (status.cause, status.memory) == ("GPU_BUSY", True)
    assert not _status("cudaErrorMemoryAllocation").memory
    assert sum(s.memory for s in gpu_status.statuses()) == 3


def test_names_are_found_in_any_case() -> None:
    assert gpu_status.status_by_name("cudaerrornodevice") == gpu_status.status_by_name("cudaErrorNoDevice")
    assert gpu_status.status_by_name("CUDA_ERROR_NOT_A_CODE") is None


def test_a_runtime_number_below_98_alone_is_read_only_where_cuda_10_0_meant_the_same() -> None:
    # CUDA <= 10.0 numbered cudaErrorNoDevice 38 and used 34 for cudaErrorNotReady (today 34 is the stub library).
    assert gpu_status.status_by_number("runtime", 38, alone=True) is None
    assert gpu_status.status_by_number("runtime", 34, alone=True) is None
    stub = gpu_status.status_by_number("runtime", 34)
    assert stub is not None and stub.name == "cudaErrorStubLibrary"
    for number, name in ((35, "cudaErrorInsufficientDriver"), (46, "cudaErrorDevicesUnavailable"), (100, "cudaErrorNoDevice")):
        found = gpu_status.status_by_number("runtime", number, alone=True)
        assert found is not None and found.name == name
    # The driver API never renumbered.
    found = gpu_status.status_by_number("driver", 3, alone=True)
    assert found is not None and found.name == "CUDA_ERROR_NOT_INITIALIZED"
    assert gpu_status.status_by_number("nowhere", 1) is None


def test_a_text_names_its_code_only_where_it_is_distinctive() -> None:
    found = gpu_status.status_by_text("RuntimeError: CUDA error: no CUDA-capable device is detected")
    assert found is not None and found.name == "cudaErrorNoDevice"
    # A capital first letter (an entrypoint's ${VAR^}) is the same text.
    found = gpu_status.status_by_text("[[ Forward compatibility was attempted on non supported HW (error 804) ]]")
    assert found is not None and found.number == 804
    # "unknown error" and "out of memory" are printed by many libraries and programs.
    assert gpu_status.status_by_text("CUDA error: unknown error") is None
    assert gpu_status.status_by_text("CUDA error: out of memory") is None
    found = gpu_status.status_by_text("unknown error", distinctive=False)
    assert found is not None and found.number == 999
    found = gpu_status.status_by_text("Driver Not Loaded", ("nvml",), distinctive=False)
    assert found is not None and found.name == "NVML_ERROR_DRIVER_NOT_LOADED"


def test_texts_read_alone_are_unambiguous() -> None:
    # The driver prints the runtime's text for the same number: one code, two spellings of its name.
    texts: dict[str, set[int]] = {}
    for s in gpu_status.statuses():
        if s.by_text:
            texts.setdefault(s.description.lower(), set()).add(s.number)
    assert [t for t, numbers in texts.items() if len(numbers) > 1] == []
    for text in gpu_status.bare_texts():
        found = gpu_status.status_by_text(text)
        assert found is not None and found.cause is not None, text


def test_the_driver_prints_the_runtime_text_of_its_number() -> None:
    runtime = {s.number: s.description for s in gpu_status.statuses() if s.library == "runtime"}
    for status in gpu_status.statuses():
        if status.library == "driver" and status.number in runtime:
            assert status.description == runtime[status.number], status.name


def test_a_label_does_not_repeat_a_name_printed_as_its_own_text() -> None:
    assert _status("CUDNN_STATUS_ARCH_MISMATCH").label == "CUDNN_STATUS_ARCH_MISMATCH"
    assert _status("cudaErrorNoDevice").label == "cudaErrorNoDevice (no CUDA-capable device is detected)"


def test_names_in_finds_each_name_and_where() -> None:
    found = gpu_status.names_in("code=802(cudaErrorSystemNotReady) then CUDNN_STATUS_SUCCESS and CUDA_ERROR_NOPE")
    assert [(s.name, start) for s, start, _ in found] == [("cudaErrorSystemNotReady", 9), ("CUDNN_STATUS_SUCCESS", 39)]


def test_words_on_the_line_qualify_a_code() -> None:
    oom = _status("CUDA_ERROR_OUT_OF_MEMORY")
    assert gpu_status.cause_in_line(oom, "failed to allocate 190.31M (199557120 bytes) from device: CUDA_ERROR_OUT_OF_MEMORY") == ("GPU_BUSY", ())
    assert gpu_status.cause_in_line(oom, "failed to alloc 4294967296 bytes on host: CUDA_ERROR_OUT_OF_MEMORY") == (None, ())
    no_device = _status("cudaErrorNoDevice")
    assert gpu_status.cause_in_line(no_device, "bytes on host") == (no_device.cause, no_device.also)
