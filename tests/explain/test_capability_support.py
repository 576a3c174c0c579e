"""A GPU's compute capability against what the build supports, in any program's wording (acccc, session 21).

Each reading fires on lines written from what the class means, in several programs' wordings, and stays quiet on a
question, advice, code, a healthy run's device line and a build that does support the GPU. docs/explain-accuracy.md
("Session 21 (branch acccc)") has the justification and the effect on every corpus set.
"""

from __future__ import annotations

import pytest

from log_text import codes as _codes
from whygpu.knowledge.gpu_status import status_by_name

# --- "device kernel image is invalid" (CUDA 200) is not "no kernel image" (209) -------------------------------------


@pytest.mark.parametrize("line", [
    "RuntimeError: CUDA error: device kernel image is invalid",
    "jaxlib.xla_extension.XlaRuntimeError: INTERNAL: CUDA operation failed: device kernel image is invalid",
    "[ERROR] kernel launch: cuModuleLoadData returned: device kernel image is invalid",
])
def test_kernel_image_invalid_reads_as_a_toolchain_the_driver_cannot_load(line: str) -> None:
    got = _codes(line)
    assert got[:1] == ["DRIVER_TOO_OLD"], got
    assert "CUDA_LIBS_MISMATCH" in got and "GPU_NOT_SUPPORTED" in got, got


@pytest.mark.parametrize("line", [
    "RuntimeError: CUDA error: no kernel image is available for execution on the device",
    "cupy_backends.cuda.api.runtime.CUDARuntimeError: cudaErrorNoKernelImageForDevice: no kernel image is available for execution on the device",
])
def test_no_kernel_image_stays_a_build_without_the_gpu(line: str) -> None:
    assert _codes(line)[:1] == ["GPU_NOT_SUPPORTED"]


def test_status_table_says_what_the_cuda_docs_say() -> None:
    invalid = status_by_name("cudaErrorInvalidKernelImage")
    missing = status_by_name("cudaErrorNoKernelImageForDevice")
    assert invalid is not None and missing is not None
    assert invalid.cause == "DRIVER_TOO_OLD" and "GPU_NOT_SUPPORTED" in invalid.also
    assert missing.cause == "GPU_NOT_SUPPORTED"


# --- LOG230: a compute capability said not supported, in any wording --------------------------------------------

from whygpu.explain.ccsupport import capability_claims  # noqa: E402

# (line, capability, subject, floor): written from the class in several programs' and people's wordings.
SAID_NOT_SUPPORTED = (
    ("2026-01-02 10:00:00.000001: W external/xla/xla/service/gpu/asm_compiler.cc:99] ptxas does not support CC 10.0; falling back to the driver",
     "10.0", "tool", None),
    ("nvcc fatal   : Unsupported gpu architecture 'compute_120'", "12.0", "tool", None),
    ("RuntimeError: This triton build does not support compute capability 3.7", "3.7", "build", None),
    ("cupy_backends.cuda.api.runtime.CUDARuntimeError: CUDA capability 3.0 is not supported by this CuPy build", "3.0", "build", None),
    ("The bundled onnxruntime-gpu wheel doesn't support SM120 yet, so the session fails on my card.", "12.0", "build", None),
    ("No support for CC 5.0 devices in paddlepaddle-gpu 3.0", "5.0", "build", None),
    ("[llama] error: unsupported GPU architecture sm_35", "3.5", "build", None),
    ("FATAL: device 0 has compute capability 6.1, this binary requires 7.0 or higher", "6.1", "build", "7.0"),
    ("The app crashes because mxnet-cu112 is not compatible with sm_90.", "9.0", "build", None),
    ("jaxlib 0.4.20 and its bundled Triton cannot run on Compute Capability 12.0.", "12.0", "build", None),
    ("[TRT] [E] Target GPU SM 61 is not supported by this TensorRT release.", "6.1", "build", None),
    ("RuntimeError: this compiler only handles devices of CUDA Capability >= 7.0, but your device is of CUDA capability 6.0", "6.0", "build", "7.0"),
)


@pytest.mark.parametrize(("line", "cc", "subject", "floor"), SAID_NOT_SUPPORTED)
def test_capability_said_not_supported_in_any_wording(line: str, cc: str, subject: str, floor: str | None) -> None:
    claims = capability_claims(line)
    assert claims, line
    assert (claims[0].cc, claims[0].subject, claims[0].required) == (cc, subject, floor)


@pytest.mark.parametrize("line", [
    "Does paddle support compute capability 12.0?",  # a question
    "If your card is sm_120 it is not supported by older wheels",  # a condition
    "You should check that sm_86 is supported by your build",  # advice
    "I think maybe sm_120 is not supported yet",  # a hedge
    "torch 2.7 supports sm_120 now",  # supported
    "CUDA 13.0 dropped support for sm_50, sm_60 and sm_70",  # a release's change log
    "TensorFlow was not built with CUDA kernel binaries compatible with compute capability 9.0. CUDA kernels will be jit-compiled from PTX.",
    "2026-01-02 10:00:00.000001: I tensorflow/core/common_runtime/gpu/gpu_device.cc:1900] Created device /job:localhost/replica:0/task:0/device:GPU:0"
    " with 22000 MB memory:  -> device: 0, name: NVIDIA A10G, pci bus id: 0000:00:1e.0, compute capability: 8.6",
    "My GPU is an RTX 3090 (compute capability 8.6)",
    "Please build images with CUDA >= 11.8 to use cards such as the L40S (CC 8.9)",  # a floor of CUDA, not of a capability
    "raise RuntimeError(f'compute capability {cc} is not supported')",  # code
    "it worked before, when CC 5.2 was not supported it failed, now fixed",  # a condition over and done
    # a data type's floor: the GPU runs the build, one setting does not (--dtype=half)
    "ValueError: Bfloat16 is only supported on GPUs with compute capability of at least 8.0. Your Tesla T4 GPU has compute capability 7.5.",
    "RuntimeError: FP8 kernels are not supported on compute capability 8.6",
])
def test_capability_quiet_where_not_said_of_this_machine(line: str) -> None:
    assert capability_claims(line) == [], line


def test_a_build_refusing_the_gpu_is_named_first() -> None:
    log = "Traceback (most recent call last):\nRuntimeError: This triton build does not support compute capability 3.7\n"
    assert _codes(log)[:1] == ["GPU_NOT_SUPPORTED"]


def test_a_cuda_tool_refusing_the_gpu_is_a_build_that_cannot_make_code_for_it() -> None:
    # accarch (session 28): counted over the labelled logs, GPU_NOT_SUPPORTED 3, CUDA_LIBS_MISMATCH 1 (error_words.toml).
    log = ("E0101 00:00:00.000000 1 asm_compiler.cc:9] Falling back to the CUDA driver for PTX compilation; ptxas does not support CC 12.0\n"
           "RuntimeError: INTERNAL: Failed to launch CUDA kernel\n")
    got = _codes(log)
    assert got[:2] == ["GPU_NOT_SUPPORTED", "CUDA_LIBS_MISMATCH"], got


def test_a_tool_warning_in_a_run_that_used_the_gpu_stays_quiet() -> None:
    log = ("W0101 00:00:00.000000 1 asm_compiler.cc:9] Falling back to the CUDA driver for PTX compilation; ptxas does not support CC 8.9\n"
           ">>> jax.devices()\n[CudaDevice(id=0)]\nEpoch 1/10 - loss 0.31 - 12s on GPU\n")
    assert "GPU_NOT_SUPPORTED" not in _codes(log) and "CUDA_LIBS_MISMATCH" not in _codes(log)


# --- LOG231: the GPU against the PyTorch release the log shows (knowledge.torch.torch_release_runs_on) ---------------

from log_text import report as _report  # noqa: E402
from whygpu.knowledge.torch import torch_release_runs_on  # noqa: E402


def _ids(log: str) -> set[str]:
    return {f.id for f in _report(log).findings}


@pytest.mark.parametrize(("version", "cuda", "cc", "runs"), [
    ("2.6.0", "cu124", "12.0", False),  # Blackwell consumer cards: no sm_120 kernels, no PTX
    ("2.6", None, "12.0", False),  # every variant of 2.6 lacks it
    ("2.7.1", "12.8", "12.0", True),
    ("2.7.1", None, "12.0", None),  # cu126 lacks it, cu128 has it: the variant decides
    ("2.6", "11.8", "3.7", True),
    ("2.12", "13.0", "6.1", False),  # CUDA 13 starts at 7.5
    ("2.6", None, "8.6", True),
])
def test_torch_release_against_the_gpu(version: str, cuda: str | None, cc: str, runs: bool | None) -> None:
    assert torch_release_runs_on(version, cuda, cc)[0] is runs


def test_gpu_newer_than_the_torch_build_outranks_install_words() -> None:
    log = ("My new card: NVIDIA GeForce RTX 5080\n"
           "Successfully installed torch-2.5.1+cu124 torchvision-0.20.1+cu124\n"
           "RuntimeError: CUDA error: no kernel image is available for execution on the device\n")
    report = _report(log)
    assert "LOG231" in {f.id for f in report.findings}
    assert report.causes[0].code == "GPU_NOT_SUPPORTED"


def test_no_kernel_image_with_a_build_that_has_the_gpu_is_not_judged_from_the_model() -> None:
    log = ("GPU: NVIDIA GeForce RTX 5090\n"
           "Successfully installed torch-2.7.1+cu128\n"
           "RuntimeError: CUDA error: no kernel image is available for execution on the device\n")
    assert "LOG231" not in _ids(log)


@pytest.mark.parametrize("log", [
    # a healthy run: the GPU in use
    "torch 2.6.0+cu124\nUsing device: cuda (NVIDIA GeForce RTX 4090)\nEpoch 1: 100%|██████████| 50/50 [00:09<00:00, 5.3it/s] loss=0.12\n",
    # the variant decides and the log shows none
    "torch==2.8.0\nNVIDIA GeForce RTX 5090\ntorch.cuda.is_available() returned False\n",
])
def test_gpu_against_torch_build_quiet(log: str) -> None:
    assert "LOG231" not in _ids(log)


# --- LOG232: the GPU against the architectures a build states it contains -----------------------------------------

from whygpu.explain.ccsupport import build_arch_list  # noqa: E402


@pytest.mark.parametrize(("line", "archs"), [
    ("The current PyTorch install supports CUDA capabilities sm_50 sm_60 sm_70 sm_75 compute_75.", ["sm_50", "sm_60", "sm_70", "sm_75", "compute_75"]),
    ("['sm_60', 'sm_70', 'sm_80']", ["sm_60", "sm_70", "sm_80"]),
    ("[kernels] this extension was compiled for sm_80, sm_86 and sm_90", ["sm_80", "sm_86", "sm_90"]),
])
def test_arch_list_read(line: str, archs: list[str]) -> None:
    assert build_arch_list(line) == archs


@pytest.mark.parametrize("line", [
    "Does the wheel support sm_86 and sm_89?",
    "If it supports sm_80 and sm_86 we can use it",
    "NVIDIA GeForce RTX 3090 with CUDA capability sm_86 is not compatible with the current PyTorch installation.",
])
def test_arch_list_quiet(line: str) -> None:
    assert build_arch_list(line) is None


def test_gpu_outside_the_stated_list() -> None:
    log = ("Trying this on an NVIDIA RTX A5000 now.\n"
           "UserWarning: The current PyTorch install supports CUDA capabilities sm_37 sm_50 sm_60 sm_70.\n")
    report = _report(log)
    assert "LOG232" in {f.id for f in report.findings}
    assert report.causes[0].code == "GPU_NOT_SUPPORTED"


@pytest.mark.parametrize("log", [
    # the GPU is in the list (same major above an entry: 8.6 runs sm_80 code)
    "GPU: NVIDIA GeForce RTX 3090\nThe current PyTorch install supports CUDA capabilities sm_50 sm_60 sm_70 sm_75 sm_80.\n",
    # older PTX in the list reaches a newer GPU
    "GPU: NVIDIA GeForce RTX 5090\n>>> torch.cuda.get_arch_list()\n['sm_80', 'sm_90', 'compute_90']\n",
])
def test_gpu_inside_the_stated_list_is_quiet(log: str) -> None:
    assert "LOG232" not in _ids(log)


def test_an_arch_list_is_not_the_gpus_capability() -> None:
    from log_text import facts as _facts

    facts = _facts("The current PyTorch install supports CUDA capabilities sm_37 sm_50 sm_60 sm_70.\n")
    assert [s.value for s in facts.compute_capability] == []


# --- a program probing for ROCm names no AMD GPU -----------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "DEBUG 01-02 10:00:00 [platforms.py:10] Checking if ROCm platform is available.",
    "DEBUG 01-02 10:00:00 [platforms.py:12] ROCm platform is not available because: No module named 'amdsmi'",
    "[detect] probing for ROCm runtime ... unavailable",
])
def test_a_platform_probe_is_not_an_amd_gpu(line: str) -> None:
    from log_text import facts as _facts

    facts = _facts(line + "\nRuntimeError: No CUDA GPUs are available\n")
    assert "amd" not in {s.value for s in facts.gpu_vendor}


def test_a_rocm_build_shown_still_reads_amd() -> None:
    from log_text import facts as _facts

    facts = _facts("torch 2.3.1+rocm6.0\ntorch.cuda.is_available() False\n")
    assert "amd" in {s.value for s in facts.gpu_vendor}


# --- the GPU itself said too old or not supported ------------------------------------------------------------------

from whygpu.explain.ccsupport import gpu_said_unsupported  # noqa: E402


@pytest.mark.parametrize(("line", "cc"), [
    ("My GPU (GT 730) is too old for PyTorch 2.x", ""),
    ("2026/01/02 10:00:00 gpu.go:99: CUDA GPU is too old. Falling back to CPU mode.", ""),
    ("The Quadro K4000 is not supported by jax", "3.0"),
    ("Your graphics card is not supported by this version of the app.", ""),
    ("Sadly the RTX 5080 is not yet supported by this release, so inference runs on the CPU", "12.0"),
])
def test_gpu_said_unsupported(line: str, cc: str) -> None:
    claim = gpu_said_unsupported(line)
    assert claim is not None, line
    assert claim.cc == cc


@pytest.mark.parametrize("line", [
    "I have a gtx 950M (maybe it is too old)",  # a hedge
    "Is my GPU too old?",  # a question
    "If your GPU is too old, use the CPU",  # a condition
    "Multi-GPU is not supported on Windows",  # not the GPU
    "GPU acceleration is not supported for this op",  # not the GPU
    "my gpu was too old, after upgrading to a 3060 it works now",  # over
    "Mixed precision on this card is not supported (fp16)",  # a feature
])
def test_gpu_said_unsupported_quiet(line: str) -> None:
    assert gpu_said_unsupported(line) is None


def test_gpu_said_too_old_names_gpu_not_supported() -> None:
    log = "torch.cuda.is_available() returns False\nThe maintainer told me my graphics card is too old for the current binaries.\n"
    assert _codes(log)[:1] == ["GPU_NOT_SUPPORTED"]


def test_no_kernel_image_outranks_a_cpu_build_read_from_install_words() -> None:
    # A CPU-only build never gets a CUDA status back; the runtime's 209 says the build has no code for the device.
    log = ("Collecting torch==2.5.1\n  Downloading torch-2.5.1-cp311-cp311-win_amd64.whl (203.1 MB)\n"
           "RuntimeError: CUDA error: no kernel image is available for execution on the device\n")
    assert _codes(log)[:1] == ["GPU_NOT_SUPPORTED"]


def test_a_capability_no_gpu_of_the_log_has_is_not_said_of_this_machine() -> None:
    log = ("GPU 0: NVIDIA GeForce RTX 3090\n"
           "Note that CUDA 13 builds do not support compute capability 6.1 any more.\n"
           "torch.cuda.is_available() returns False\n")
    assert "LOG230" not in _ids(log)
    said_of_it = log.replace("6.1", "8.6")
    assert "LOG230" in _ids(said_of_it)


# --- LOG110 with JAX named and no version: the lowest capability of the releases the table covers -------------------

from whygpu.knowledge.jax import jax_lowest_compute_capability  # noqa: E402


def test_jax_lowest_capability_from_the_table() -> None:
    low = jax_lowest_compute_capability()
    assert low is not None
    cc, since = low
    assert cc == "5.2" and since == "0.4.26"


def test_a_gpu_below_every_jax_release_is_named() -> None:
    log = "My card is a GeForce GTX 780 Ti.\nimport jax; jax.devices() only lists the CPU: jax keeps falling back to cpu.\n"
    report = _report(log)
    assert "LOG110" in {f.id for f in report.findings}
    assert report.causes[0].code == "GPU_NOT_SUPPORTED"


@pytest.mark.parametrize("log", [
    "My card is a GeForce RTX 3080.\nimport jax; jax.devices() only lists the CPU: jax keeps falling back to cpu.\n",  # supported
    "My card is a GeForce GTX 780 Ti.\n>>> jax.devices()\n[CudaDevice(id=0)]\ntraining on gpu, 12 it/s\n",  # in use
])
def test_jax_floor_quiet(log: str) -> None:
    assert "LOG110" not in _ids(log)
