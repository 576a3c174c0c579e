"""accstatus (session 24): status codes in the print forms of other programs' check macros, and failed GPU allocations read
as GPU_BUSY only where they came before the job's own work.

Lines are written from each program's format string (cited in explain/status.py and explain/memstart.py), with the texts of
knowledge/gpu_status.toml, not from corpus logs.
"""

from __future__ import annotations

import pytest

from log_text import codes, facts
from whygpu.explain import memstart
from whygpu.explain.status import read_status
from whygpu.knowledge import gpu_status

INSUFFICIENT = gpu_status.status_by_name("cudaErrorInsufficientDriver")
NO_DEVICE = gpu_status.status_by_name("cudaErrorNoDevice")
UNKNOWN = gpu_status.status_by_name("cudaErrorUnknown")
assert INSUFFICIENT and NO_DEVICE and UNKNOWN


def _first(line: str) -> str | None:
    found = codes(line + "\n")
    return found[0] if found else None


# Each program's prefix, then the runtime's text: (format with {n} and {text}).
PROGRAM_FORMS = [
    "F0101 12:00:00.000 1 common.cpp:152] Check failed: error == cudaSuccess ({n} vs. 0)  {text}",   # Caffe CUDA_CHECK
    "mxnet.base.MXNetError: [12:00:00] src/engine/x.cc:1: Check failed: e == cudaSuccess || e == cudaErrorCudartUnloading CUDA: {text}",
    "ExternalError: CUDA error({n}), {text}. ",                                                       # Paddle 2.x
    "  ExternalError: Cuda error({n}), {text}.",                                                       # Paddle 1.x
    "onnxruntime::CudaCall CUDA failure {n}: {text} ; GPU=0 ; hostname=h ; file=f.cc ; line=1 ; expr=cudaSetDevice(0);",
    "CUDA error {n} at /src/ggml-cuda.cu:6000: {text}",                                                # llama.cpp < 2024
    "ggml_cuda_init: failed to initialize CUDA: {text}",                                               # llama.cpp probe
    "CUDA Error: {text}",                                                                              # darknet
    "CUDA Error Prev: {text}",                                                                         # darknet
]


@pytest.mark.parametrize("form", PROGRAM_FORMS)
def test_each_program_form_reads_the_runtime_text_it_prints(form: str) -> None:
    for status in (INSUFFICIENT, NO_DEVICE):
        line = form.format(n=status.number, text=status.description)
        reading = read_status(line)
        assert reading is not None and reading.status.name == status.name, line
        assert _first(line) in (status.cause, *status.also), line


@pytest.mark.parametrize("form", [f for f in PROGRAM_FORMS if "{n}" in f or "CUDA Error" in f])
def test_a_generic_text_after_a_program_prefix_is_the_runtime_s_own(form: str) -> None:
    # "unknown error" alone names no code; after the macro's own words it is cudaGetErrorString's text for 999 (30 before 10.1).
    line = form.format(n=30, text="unknown error")
    reading = read_status(line)
    assert reading is not None and reading.status.name == "cudaErrorUnknown", line
    assert _first(line) == UNKNOWN.cause
    # The same words with no program prefix stay unread.
    assert read_status("RuntimeError: something failed: unknown error") is None


def test_a_programs_out_of_memory_text_stays_quiet() -> None:
    # cudaErrorMemoryAllocation (2) is a run that used the GPU and ran out: no cause, in every prefix.
    for form in PROGRAM_FORMS:
        line = form.format(n=2, text="out of memory")
        assert codes(line + "\n") == [], line


@pytest.mark.parametrize(("line", "name"), [
    ("cudaError 35", "cudaErrorInsufficientDriver"),
    ("cuda call failed: cudaError_t = 100", "cudaErrorNoDevice"),
    ("cuInit: CUresult 100", "CUDA_ERROR_NO_DEVICE"),
    ("nvmlInit_v2 err: 9", "NVML_ERROR_DRIVER_NOT_LOADED"),
    ("nvml vram init failure: 18", "NVML_ERROR_LIB_RM_VERSION_MISMATCH"),
    ("nvmlInit() returned 12", "NVML_ERROR_LIBRARY_NOT_FOUND"),
    ("ExternalError: CUDA error(100).", "cudaErrorNoDevice"),
    ("CUDA failure 35", "cudaErrorInsufficientDriver"),
])
def test_a_number_after_its_library_or_enum_type_names_its_code(line: str, name: str) -> None:
    reading = read_status(line)
    assert reading is not None and reading.status.name == name
    status = gpu_status.status_by_name(name)
    assert status is not None and _first(line) in (status.cause, *status.also)


@pytest.mark.parametrize("line", [
    # The numbers CUDA 10.1 renumbered are not read alone (38 was "no device" before, 30 "unknown"): the table's rule.
    "cudaError 38",
    "CUresult 30",
    "ExternalError: CUDA error(30).",
    # A number with no library named, or after a type two tables share (cuDNN 8's and 9's cudnnStatus_t).
    "error code 35",
    "cudnnStatus_t 4",
    # An NVML number whose code says nothing about the GPU's use (3: not supported).
    "nvmlInit_v2 err: 3",
])
def test_a_number_that_cannot_name_its_code_stays_quiet(line: str) -> None:
    assert codes(line + "\n") == [], line


def test_pytorch_s_cuda_error_with_a_number_alone_reads_the_number() -> None:
    assert _first("RuntimeError: CUDA error: 100") in (NO_DEVICE.cause, *NO_DEVICE.also)
    assert codes("RuntimeError: CUDA error: 2\n") == []


# Failed allocations: GPU_BUSY at start-up, quiet in a job that already ran its own work.
ALLOC_LINES = [
    "RuntimeError: CUDA error: CUBLAS_STATUS_ALLOC_FAILED when calling `cublasCreate(handle)`",
    "ExternalError: CUBLAS error(3), CUBLAS_STATUS_ALLOC_FAILED.",
    "CUBLAS failure 3: CUBLAS_STATUS_ALLOC_FAILED ; GPU=0 ; hostname=h ; expr=cublasCreate(&cublas_handle_);",
    "cudnnCreate failed: CUDNN_STATUS_ALLOC_FAILED",
    "E cuda_driver.cc:806] failed to allocate 7.67M (8041216 bytes) from device: CUDA_ERROR_OUT_OF_MEMORY: out of memory",
]
WORK_LINES = [
    "W op_kernel.cc:1273] OP_REQUIRES failed at cwise_ops_common.cc:70 : Resource exhausted: OOM when allocating tensor with shape[64] and type float on /job:localhost/replica:0/task:0/device:GPU:0 by allocator GPU_0_bfc",
    "Epoch 2/50",
    "120/500 [=====>......] - ETA: 31s - loss: 0.6931 - accuracy: 0.51",
    "step 40 | loss = 2.318",
]


@pytest.mark.parametrize("line", ALLOC_LINES)
def test_a_failed_allocation_before_any_work_is_memory_taken(line: str) -> None:
    assert _first(line) == "GPU_BUSY"
    # "Epoch 1/N" is printed before the first step: no work finished yet.
    assert _first("Epoch 1/10\n" + line) == "GPU_BUSY"


@pytest.mark.parametrize("work", WORK_LINES)
@pytest.mark.parametrize("line", ALLOC_LINES)
def test_a_failed_allocation_in_a_job_already_working_is_its_own_demand(line: str, work: str) -> None:
    assert codes(work + "\n" + line + "\n") == []


def test_work_is_read_only_in_a_log_that_names_a_failed_allocation() -> None:
    assert facts("Epoch 3/10\n100/100 - loss: 0.5\n").work_ran == []
    assert [s.value for s in facts("Epoch 3/10\nCUDA_ERROR_OUT_OF_MEMORY\n").work_ran] == ["Epoch 3/10"]
    # A loss word with no number, an epoch count of one: no work shown.
    assert memstart.work_ran("the loss function is defined in model.py") is None
    assert memstart.work_ran("Epoch 1/100") is None


PADDLE_OLD = ("Out of memory error on GPU 0. Cannot allocate {req} memory on GPU 0, available memory is only {free}.")
PADDLE_NEW = ("Out of memory error on GPU 0. Cannot allocate {req} memory on GPU 0, {own} memory has been allocated and "
              "available memory is only {free}.")


def test_paddle_out_of_memory_with_its_own_allocations_next_to_nothing_is_memory_taken() -> None:
    line = PADDLE_NEW.format(req="256.000244MB", own="1.500000MB", free="13.375000MB")
    assert _first(line) == "GPU_BUSY"


def test_paddle_out_of_memory_of_a_job_holding_the_memory_itself_stays_quiet() -> None:
    # The job's own allocator holds 10.7 GB: a batch too large, whatever else is said.
    assert codes(PADDLE_NEW.format(req="256.000244MB", own="10.731445GB", free="113.375000MB") + "\n") == []


def test_paddle_out_of_memory_without_its_count_needs_nothing_free_and_no_work() -> None:
    tiny = PADDLE_OLD.format(req="25.002197MB", free="15.187500MB")
    assert _first(tiny) == "GPU_BUSY"
    # Work before it: the job's own demand.
    assert codes("Epoch 5/20\n" + tiny + "\n") == []
    assert codes("iter 300, loss: 1.25\n" + tiny + "\n") == []
    # Memory still free (fragmentation, a large request of a running job): nothing decided.
    assert codes(PADDLE_OLD.format(req="2.500000GB", free="1.187500GB") + "\n") == []


def test_paddle_numbers_are_read_in_paddle_s_units() -> None:
    oom = memstart.paddle_oom(PADDLE_NEW.format(req="1.000000GB", own="512.000000MB", free="0.000000B"))
    assert oom is not None and oom.request == 1.0 and oom.own == 0.5 and oom.free == 0.0
    assert memstart.memory_taken_before(oom, worked=False) is None  # 0.5 GiB of its own is not "next to nothing"
    assert memstart.paddle_oom("Cannot allocate memory on GPU") is None


@pytest.mark.parametrize("line", [
    # XLA's check of the BLAS support cuBLAS could not give (jaxlib's gemm_algorithm_picker.cc, XLA's GemmThunk).
    "jaxlib.xla_extension.XlaRuntimeError: INTERNAL: RET_CHECK failure (external/xla/xla/service/gpu/gemm_algorithm_picker.cc:327) stream->parent()->GetBlasGemmAlgorithms(stream, &algorithms)",
    "F0101 gemm_algorithm_picker.cc:210] Check failed: stream->parent()->GetBlasGemmAlgorithms(stream, &algorithms)",
    "jaxlib.xla_extension.XlaRuntimeError: INTERNAL: Failed to initialize BLAS support",
])
def test_xla_without_blas_support_is_cublas_that_could_not_start(line: str) -> None:
    assert codes(line + "\n")[:2] == ["GPU_BUSY", "GPU_NOT_SUPPORTED"]


def test_xla_s_blas_words_in_prose_or_code_stay_quiet() -> None:
    assert codes("GetBlasGemmAlgorithms returns the algorithms cuBLAS offers\n") == []
    assert codes("blas->GetBlasGemmAlgorithms(stream, lhs, rhs, &out, &alpha, &beta, &algorithms);\n") == []
