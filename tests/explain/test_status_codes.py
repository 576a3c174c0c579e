"""LOG-GPU-STATUS: every status code of the GPU stack read from the forms programs print it in, quiet for codes that mean nothing for using the GPU and for code that only mentions a name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from log_text import codes as _codes
from whygpu.explain import explain_text
from whygpu.explain.status import mentions_in_code, read_status
from whygpu.knowledge import gpu_status

CORPUS = Path(__file__).parent / "corpus"
# The codes the table gives a cause (NCCL's one is read by LOG-NCCL-UNHANDLED-CUDA, its own signature).
MEANINGFUL = [s for s in gpu_status.statuses() if s.cause is not None and s.library != "nccl"]
QUIET = [s for s in gpu_status.statuses() if s.cause is None]


def _expected(status: gpu_status.GpuStatus, line: str) -> list[str]:
    """The status's cause and alternatives, as a base rate ranks them where nothing around the line decides (accrank3,
    knowledge/priors.toml [[status_prior]]: the runtime's "no device" answer alone reads as no GPU first)."""
    from whygpu.knowledge.priors import status_prior

    assert status.cause is not None
    ranked = status_prior(line, status.cause, status.also, frozenset())
    return [ranked[0], *ranked[1]] if ranked else [status.cause, *status.also]


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


@pytest.mark.parametrize("status", MEANINGFUL, ids=lambda s: f"{s.library}-{s.name}")
def test_a_code_printed_by_its_name_gives_its_cause(status: gpu_status.GpuStatus) -> None:
    # The forms libraries and bindings print a name in: an exception's text, "NAME: text", "NAME (N)".
    for line in (f"RuntimeError: call failed with {status.name}",
                 f"E0101 12:00:00 x.cc:10] operation failed: {status.name}: {status.description or 'error'}",
                 f"Error at driver init: Call results in {status.name} ({status.number}):"):
        assert _codes(line + "\n")[: 1 + len(status.also)] == _expected(status, line), line


@pytest.mark.parametrize("status", QUIET, ids=lambda s: f"{s.library}-{s.name}")
def test_a_code_that_means_nothing_for_using_the_gpu_stays_quiet(status: gpu_status.GpuStatus) -> None:
    assert "LOG-GPU-STATUS" not in _ids(f"RuntimeError: call failed with {status.name}\n")


def test_a_line_with_a_quiet_name_is_not_read_again_by_its_text_or_number() -> None:
    # CUDA_ERROR_OUT_OF_MEMORY means GPU_BUSY (the driver API at start-up); the runtime's 2 at run time means nothing.
    assert _codes("CUDA error: out of memory\n") == []
    assert _codes("cudaMalloc returned 2\n") == []
    assert _codes("RuntimeError: CUDA error: an illegal memory access was encountered\n") == []


@pytest.mark.parametrize("status", [s for s in MEANINGFUL if s.by_text and s.library == "runtime"], ids=lambda s: s.name)
def test_a_distinctive_text_after_the_library_named_gives_its_cause(status: gpu_status.GpuStatus) -> None:
    for line in (f"RuntimeError: cuda runtime error ({status.number}) : {status.description} at /src/THC/THCGeneral.cpp:47",
                 f"RuntimeError: CUDA failed with error {status.description}",
                 f"pycuda._driver.LogicError: cuInit failed: {status.description}"):
        assert _codes(line + "\n")[0] == _expected(status, line)[0], line


def test_a_bare_text_is_read_on_any_line() -> None:
    for text in gpu_status.bare_texts():
        found = gpu_status.status_by_text(text)
        assert found is not None
        line = f"F1122 12:29:18 x.cpp:152] Check failed: error == cudaSuccess ({found.number} vs. 0)  {text}"
        assert _codes(line + "\n")[0] == _expected(found, line)[0]


@pytest.mark.parametrize(("line", "cause"), [
    ("CUDA driver error 100", "GPU_HIDDEN"),
    ("cudaGetDeviceCount returned 35", "DRIVER_TOO_OLD"),
    ("cudaGetDeviceProperties returned 802", "DRIVER_MISMATCH"),
    ("cuInit returned 804", "DRIVER_TOO_OLD"),
    ("CUDA runtime error: 804", "DRIVER_TOO_OLD"),
    ("error code 35 (cudaErrorInsufficientDriver)", "DRIVER_TOO_OLD"),
    ("CUDA error at bandwidthTest.cu:256 code=209(cudaErrorNoKernelImageForDevice) \"cudaSetDevice(dev)\"", "GPU_NOT_SUPPORTED"),
])
def test_a_number_with_the_library_named_gives_its_cause(line: str, cause: str) -> None:
    assert _codes(line + "\n")[0] == cause


def test_a_number_alone_of_a_code_that_is_not_distinctive_stays_quiet() -> None:
    # 999 is "unknown error": its name is read (CUDA_ERROR_UNKNOWN at cuInit), its number alone says nothing more than its text.
    assert _codes("CUDA error 999\n") == []
    assert _codes("cuInit returned 999\n") == []
    # accwords (session 28): with no suspend named and one driver release shown, the missing UVM module first, the
    # mismatch next, the fault last (knowledge/priors.toml's CUDA_ERROR_UNKNOWN rows, counted).
    assert _codes("cuInit failed with CUDA_ERROR_UNKNOWN (999)\n")[:3] == ["DRIVER_MISSING", "DRIVER_MISMATCH", "GPU_FAULT"]


def test_a_number_that_named_another_code_before_cuda_10_1_stays_quiet() -> None:
    # 38 was cudaErrorNoDevice, 30 cudaErrorUnknown, 34 cudaErrorNotReady: alone, a number cannot say which release printed it.
    for line in ("CUDA error 38", "cudaGetDeviceCount returned 30", "CUDA runtime error 34"):
        assert _codes(line + "\n") == [], line
    # With its text the code is known whatever its number.
    # (accrank3: the runtime's "no device" answer alone reads as no GPU first, knowledge/priors.toml [[status_prior]].)
    assert _codes("RuntimeError: cuda runtime error (38) : no CUDA-capable device is detected at THCGeneral.cpp:51\n")[0] == "NO_GPU"


@pytest.mark.parametrize(("line", "cause"), [
    ("Failed to initialize NVML: Driver Not Loaded", "DRIVER_MISSING"),
    ("pynvml.nvml.NVMLError_LibRmVersionMismatch: Driver/library version mismatch", "DRIVER_MISMATCH"),
    ("NCCL WARN nvmlInit_v2() failed: Driver/library version mismatch", "DRIVER_MISMATCH"),
    ("pynvml.NVMLError_LibraryNotFound: NVML Shared Library Not Found", "DRIVER_MISSING"),
])
def test_nvmls_text_after_nvml_is_named_gives_its_cause(line: str, cause: str) -> None:
    assert _codes(line + "\n")[0] == cause


@pytest.mark.parametrize(("line", "cause"), [
    # NVIDIA's Go bindings print "nvml: <nvmlErrorString>" (nvidia-docker 1.x, the device plugin).
    ("nvidia-docker | 2017/12/21 05:04:46 Error: nvml: Driver/library version mismatch", "DRIVER_MISMATCH"),
    ("F0101 00:00:00.000000 main.go:42] Failed to start: nvml: Driver Not Loaded", "DRIVER_MISSING"),
])
def test_nvmls_text_after_the_go_bindings_prefix_gives_its_cause(line: str, cause: str) -> None:
    assert _codes(line + "\n")[0] == cause


@pytest.mark.parametrize("line", [
    "pynvml: Driver/library version mismatch is a known message, see the FAQ?",  # another name ending in nvml
    "nvml: Insufficient Permissions",  # a code about nothing
    "pip show nvidia-ml-py | grep nvml: no output",
])
def test_the_go_prefix_needs_nvml_itself_and_a_meaningful_code(line: str) -> None:
    assert _codes(line + "\n") == []


@pytest.mark.parametrize(("line", "cause"), [
    # THC printed cudaGetErrorString's text after the number: the generic "unknown error" is the runtime's
    # own there, whatever release's numbering the number is in (30 was cudaErrorUnknown before CUDA 10.1).
    ("RuntimeError: cuda runtime error (30) : unknown error at /pytorch/aten/src/THC/THCGeneral.cpp:70", "GPU_FAULT"),
    ("cuda runtime error (30): unknown error", "GPU_FAULT"),
    ("THCudaCheck FAIL file=/pytorch/aten/src/THC/THCGeneral.cpp line=70 error=30 : unknown error", "GPU_FAULT"),
    # The runtime's "no device" answer with nothing around it: no GPU first (accrank3, knowledge/priors.toml [[status_prior]]).
    ("THCudaCheck FAIL file=/pytorch/aten/src/THC/THCGeneral.cpp line=51 error=38 : no CUDA-capable device is detected", "NO_GPU"),
])
def test_the_runtimes_text_after_thcs_prefix_names_the_code(line: str, cause: str) -> None:
    assert _codes(line + "\n")[0] == cause


def test_thcs_prefix_with_a_code_about_nothing_stays_quiet() -> None:
    # Out of memory: the GPU was in use.
    assert _codes("THCudaCheck FAIL file=/pytorch/aten/src/THC/THCCachingAllocator.cpp line=510 error=2 : out of memory\n") == []
    # Generic words with no runtime named before them are still not read.
    assert _codes("Error: unknown error at step 3\n") == []


def test_nvmls_text_for_a_code_about_nothing_stays_quiet() -> None:
    assert _codes("Failed to initialize NVML: Insufficient Permissions\n") == []
    assert _codes("pynvml.nvml.NVMLError_NotSupported: Not Supported\n") == []
    # The OS refusing access has no single cause (WSL's TCC mode, a container's no-cgroups): left to the lines around it.
    assert _codes("Failed to initialize NVML: GPU access blocked by the operating system\n") == []


@pytest.mark.parametrize("line", [
    "    except cudaErrorNoDevice:",
    "  if (err == cudaErrorNoDevice) {",
    "  if (status != CUDNN_STATUS_ARCH_MISMATCH) return status;",
    "    case CUDA_ERROR_NO_DEVICE:",
    "    return CUDA_ERROR_SYSTEM_DRIVER_MISMATCH;",
    "    cudaErrorNoDevice                     =     100,",
    "#define CHECK_NVML(x) assert(x == NVML_ERROR_DRIVER_NOT_LOADED)",
    "cudaErrorNoDevice: This indicates that no CUDA-capable devices were detected by the installed CUDA driver.",
    "Returns: cudaSuccess, cudaErrorInvalidValue, cudaErrorNoDevice, cudaErrorInsufficientDriver",
    "CUBLAS_STATUS_NOT_INITIALIZED | CUBLAS_STATUS_ARCH_MISMATCH",
    "        elif err == enums.CUDA_ERROR_NO_DEVICE:",
    "    except cudart.cudaError_t.cudaErrorInsufficientDriver as exc:",
])
def test_code_or_documentation_that_mentions_a_name_stays_quiet(line: str) -> None:
    assert "LOG-GPU-STATUS" not in _ids(line + "\n"), line


def test_a_name_in_code_is_told_from_a_name_printed() -> None:
    line = "if err == cudaErrorNoDevice:"
    start = line.index("cuda")
    assert mentions_in_code(line, start, len(line) - 1)
    printed = "RuntimeError: (<cudaError_t.cudaErrorNoDevice: 100>, None)"
    start = printed.index("cudaErrorNoDevice")
    assert not mentions_in_code(printed, start, start + len("cudaErrorNoDevice"))
    reading = read_status(printed)
    assert reading is not None and reading.form == "name" and reading.status.cause == "GPU_HIDDEN"


def test_a_success_code_passes_to_the_code_after_it() -> None:
    reading = read_status("checkCudaErrors: CUDA_SUCCESS expected, got CUDA_ERROR_NO_DEVICE")
    assert reading is not None and reading.status.name == "CUDA_ERROR_NO_DEVICE"
    assert read_status("cudaSuccess") is None


def test_one_reading_per_line() -> None:
    # PyTorch's "CUDA error: ..." is LOG-PT-CUDA-ERROR's line (it names the framework); it reads the status table too.
    line = "RuntimeError: CUDA error: CUBLAS_STATUS_ARCH_MISMATCH when calling `cublasSgemm( handle, opa, opb, m, n, k)`\n"
    assert _ids(line) == {"LOG-PT-CUDA-ERROR"} and _codes(line)[0] == "GPU_NOT_SUPPORTED"
    # TensorFlow's cuInit line has its own signature, which reads the same table.
    line = "E tensorflow/stream_executor/cuda/cuda_driver.cc:397] failed call to cuInit: CUDA_ERROR_SYSTEM_DRIVER_MISMATCH: system has unsupported display driver / cuda driver combination\n"
    assert "LOG-GPU-STATUS" not in _ids(line) and _codes(line)[0] == "DRIVER_MISMATCH"


def _negatives() -> list[tuple[str, str]]:
    out = []
    for path in sorted(CORPUS.glob("*/*.json")):
        case = json.loads(path.read_text())
        if case.get("kind") == "negative" or not case.get("causes"):
            out.append((f"{path.parent.name}/{path.name}", case["log"]))
    return out


# Negatives of a set opened after it was scored sealed that the status reader still reads, each with why (a known false
# alarm, not fixed yet, kept here so that the list can only shrink and any new one fails).
KNOWN_STATUS_FALSE_ALARMS = {
    # Session 21 (sealed holdout21, opened at its end): the reporter's sentence that `CUDA_ERROR_NOT_INITIALIZED`
    # "should not affect GPU usage" (a status named to say it is harmless), and TensorFlow's "could not retrieve CUDA
    # device count: CUDA_ERROR_NOT_INITIALIZED" in a pipeline stage that never called cuInit (no "failed call to
    # cuInit" line beside it); each of the two alone is read as the status.
    "holdout21/gh-google-deepvariant-960.json",
    # negatives17 gh-nerfstudio-project-nerfstudio-3292 (tiny-cuda-nn's cuMemSetAccess failing with CUDA_ERROR_OUT_OF_MEMORY
    # on a 2 GB MX130) was here until session 41: accneg41 reads the driver's virtual-memory calls (cuMemCreate, cuMemMap,
    # cuMemSetAccess) as an allocator growing its pool while the job runs, the job's own demand unless memory is shown held
    # elsewhere (explain/infer.py, absorb).
    # negatives7 gh-stardist-stardist-11 (CUDA_ERROR_OUT_OF_MEMORY beside TensorFlow's "OOM when allocating tensor" while
    # training) was here until session 24: accstatus reads the op's tensor as the job's own work (explain/memstart.py).
}


def test_no_negative_case_of_any_set_is_read_as_a_status_code() -> None:
    negatives = _negatives()
    assert len(negatives) > 100
    fired = [key for key, log in negatives if "LOG-GPU-STATUS" in _ids(log)]
    assert sorted(fired) == sorted(k for k in KNOWN_STATUS_FALSE_ALARMS if k in {key for key, _ in negatives})


def test_a_failed_start_keeps_its_own_reading_when_the_code_means_nothing_in_particular() -> None:
    # cuInit and cudaGetDeviceCount failing at start-up is the finding; "named symbol not found" (500) only says how.
    line = "E tensorflow/stream_executor/cuda/cuda_driver.cc:271] failed call to cuInit: CUDA_ERROR_NOT_FOUND: named symbol not found\n"
    assert _codes(line)[0] == "DRIVER_MISSING"
    line = ("UserWarning: CUDA initialization: Unexpected error from cudaGetDeviceCount(). Did you run some cuda functions before "
            "calling NumCudaDevices() that might have already set an error? Error 600: device not ready\n")
    assert _codes(line)[0] == "DRIVER_MISMATCH"
    # accmisc (session 27): 500 from the device count, the runtime's first call, is read by its [[qualifier]] row
    # (knowledge/gpu_status.toml): the runtime found no driver entry point of a name it needs, a driver older than it.
    assert _codes(line.replace("Error 600: device not ready", "Error 500: named symbol not found"))[0] == "DRIVER_TOO_OLD"
    # The same code anywhere else is no reason the GPU went unused.
    assert _codes("RuntimeError: CUDA error: named symbol not found\n") == []


def test_running_out_of_pinned_host_memory_is_no_reason_the_gpu_went_unused() -> None:
    # TensorFlow's HostAllocate (cuMemHostAlloc) and DeviceAllocate print the same code; only the device's means memory held elsewhere.
    host = ("E tensorflow/stream_executor/cuda/cuda_driver.cc:893] failed to alloc 4294967296 bytes on host: "
            "CUDA_ERROR_OUT_OF_MEMORY: out of memory\n")
    device = ("E tensorflow/stream_executor/cuda/cuda_driver.cc:1002] failed to allocate 190.31M (199557120 bytes) from device: "
              "CUDA_ERROR_OUT_OF_MEMORY: out of memory\n")
    assert _codes(host) == []
    assert _codes(device)[0] == "GPU_BUSY"
