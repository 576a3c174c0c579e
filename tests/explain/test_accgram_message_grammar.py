"""Messages of programs nobody here has met, read by their parts (accgram, session 30; explain/errorwords.py, LOG185).

The grammar reads a SUBJECT (the build's CUDA target or backend, the program's GPU edition, the driver, cuDNN, the GPU's
compute capability or SM, the GPU's memory, a CUDA-enabled GPU the program needs), a PREDICATE (not enabled, no kernel
for the backend, please use the GPU edition, needs a GPU, below a floor, unsupported, not found) and the line's
error-ness (an exception, a level, a failed assertion, a C++ ``what():``, a one-letter ``[E]`` level, a notice framed in
asterisks, a line in capitals, or the program naming itself as what needs the GPU). Every line here is composed from the
shapes gathered from programs' sources (docs/explain-accuracy.md, session 30), with made-up program names: none is a
corpus line. Quiet cases: optional components on a working GPU, prose, a question, a need that is met, a memory
shortage (the GPU is in use), a browser's WebGPU.
"""

from __future__ import annotations

import pytest

from log_text import codes as _codes
from log_text import report as _report
from whygpu.explain import errorwords

# (line, noun, predicate, cause of the row)
FIRES = (
    ("tvmx.error.InternalError: Target cuda is not enabled", "build", "not_enabled", "FRAMEWORK_CPU_BUILD"),
    ("RuntimeError: Error: CUDA backend is not enabled", "build", "not_enabled", "FRAMEWORK_CPU_BUILD"),
    ("Fatal error: Please use SegKit with GPU version", "build", "advise_gpu", "FRAMEWORK_CPU_BUILD"),
    ("renderd.cpp:118: Assertion failed: Unsupported SM.", "gpu", "not_supported", "GPU_NOT_SUPPORTED"),
    ("[E] meshkit: GPU with compute capability 5.3 or higher required; detected 3.5", "gpu", "too_old", "GPU_NOT_SUPPORTED"),
    ("RuntimeError: Could not find compatible rayext extension for compute capability 61", "gpu", "not_supported", "GPU_NOT_SUPPORTED"),
    ("Error using gpuCompute: this feature requires an NVIDIA GPU with compute capability 3.0 or higher", "gpu", "too_old", "GPU_NOT_SUPPORTED"),
    ("[Error] [sim.gpu] NVIDIA driver version 450.80 is in an unsupported driver range [0.0, 470.0)", "driver", "not_supported", "DRIVER_TOO_OLD"),
    ("Error: the detected NVIDIA driver 418.67 is not supported by this version; please upgrade", "driver", "not_supported", "DRIVER_TOO_OLD"),
    ("This program needs a CUDA-enabled GPU to run.", "device", "needs_gpu", "DRIVER_TOO_OLD"),
    ("RuntimeError: This program requires a CUDA enabled GPU, none was found", "device", "needs_gpu", "DRIVER_TOO_OLD"),
    ("The application needs an NVIDIA CUDA-Capable GPU (with compute capability 3.0 or better).", "device", "needs_gpu", "DRIVER_TOO_OLD"),
    ("[E] viewer: Sorry, need at least compute capability 7.0+!", "gpu", "too_old", "GPU_NOT_SUPPORTED"),
    ("error: no devices supporting CUDA.", "device", "no_device", "GPU_HIDDEN"),
    ("RuntimeError: requested 4 GPUs but only 2 are available", "device", "short_count", "CODE_FORCES_CPU"),
    ("FACELIB: CUDNN V7.0 OR NEWER NOT FOUND, FACELIB WILL NOT USE CUDA", "cudnn", "not_found", "CUDNN_MISSING"),
    ("*** cuDNN V8.0 or newer not found, the build will not use CUDA ***", "cudnn", "not_found", "CUDNN_MISSING"),
)


@pytest.mark.parametrize(("line", "noun", "predicate", "cause"), FIRES)
def test_parts_read_from_the_line(line: str, noun: str, predicate: str, cause: str) -> None:
    reading = errorwords.read_line(line)
    assert reading is not None, line
    assert (reading.noun, reading.predicate, reading.pair.cause) == (noun, predicate, cause)


def test_a_line_a_signature_reads_is_left_to_it() -> None:
    # PyTorch's dispatcher naming an extension's operator is read by its signature (LOG-PT-OP-NO-CUDA-KERNEL, accinst,
    # merged beside this branch): the grammar, which speaks only where no signature does, leaves it.
    line = "NotImplementedError: Could not run 'boxops::nms' with arguments from the 'CUDA' backend. This could be because the operator doesn't exist for this backend"
    assert errorwords.read_by_signature(line)
    assert errorwords.read_line(line) is None


QUIET = (
    # optional components and benign lines of GPU runs
    "Warning: TensorRT libraries not found, TensorRT acceleration disabled",
    "Warning: NCCL not found, multi-node training disabled",
    "WARNING: apex fused kernels not available, falling back to the PyTorch implementation",
    "flash-attn is not installed; FlashAttention is not available, using SDPA",
    "CUDA extension not installed.",
    # the GPU's memory short: the program is on the GPU (1 labelled positive, CUDA_LIBS_MISMATCH, and 1 negative hold one)
    "ERROR: Not enough GPU memory! Need 9000.0MB, have 3000.1MB free",
    "[ERROR] Not enough GPU memory. Need at least 12 GiB, only 5.8 GiB available.",
    # not the NVIDIA GPU
    "Error: WebGPU not supported on this browser.",
    # prose, a question, a condition, another's words
    "Does this program need a CUDA-enabled GPU?",
    "If the GPU is not supported, the program falls back to the CPU.",
    "The README says this program requires a CUDA-enabled GPU, but I have an RTX 3060",
    "Please use the GPU version if you have an NVIDIA card",
    "THIS PROGRAM IS GREAT BUT IS IT USING MY GPU?",
    # a need that is met on the same line
    "This program requires a CUDA-capable GPU; found: NVIDIA GeForce RTX 3090",
    # a warning of an optional feature: the program went on
    "Warning: fp16 requires a CUDA-enabled GPU, using fp32",
    # a feature's or a precision's need of a GPU: an optional component, the run's device named apart
    "ValueError: fp16 mixed precision requires a GPU (not 'mps').",
    "RuntimeError: this feature requires an NVIDIA GPU",
    # a floor named for what is found, not said missing
    "INFO: cuDNN 8.9 or newer found",
    # a line offering causes to choose from, or one predicate said of a list
    "FooError: the module was not compiled with GPU support or the CUDA driver is incompatible with the package",
    "Error: CUDA version/driver is incompatible with this package",
    # a prebuilt binary not compatible, then built from source: the program goes on
    '[binder] The prebuilt binary for platform "linux" "x64" with CUDA support is not compatible with the current system, falling back to building from source',
    # a bullet is not a framed notice
    "* cuDNN not found on my machine",
)


@pytest.mark.parametrize("line", QUIET)
def test_near_miss_stays_quiet(line: str) -> None:
    assert errorwords.read_line(line) is None, line


def test_silent_log_gets_a_ranked_answer_with_alternatives() -> None:
    report = _report("Loading scene...\nrenderd.cpp:118: Assertion failed: Unsupported SM.\nAborted (core dumped)\n")
    assert report.causes[0].code == "GPU_NOT_SUPPORTED"
    assert report.verdict.gpu_usable is False
    # the extension beside a CUDA framework with no CUDA kernel: the two builds do not belong together, the CPU build next
    codes = _codes("NotImplementedError: Could not run 'boxops::nms' with arguments from the 'CUDA' backend.\n")
    assert codes[:2] == ["FRAMEWORK_INSTALL_BROKEN", "FRAMEWORK_CPU_BUILD"]


def test_need_of_a_gpu_ranked_by_its_counts_and_deferring_to_a_framework_answer() -> None:
    assert _codes("This program needs a CUDA-enabled GPU to run.\n")[:3] == ["DRIVER_TOO_OLD", "GPU_NOT_SUPPORTED", "NO_GPU"]
    # a framework's own "no GPU" answer in the log: the program checked that answer, and LOG104 ranks it
    log = (">>> torch.cuda.is_available()\nFalse\n"
           "RuntimeError: This program requires a CUDA enabled GPU, none was found\n")
    assert "LOG185" not in [f.id for f in _report(log).findings]


def test_need_met_by_the_gpu_on_the_next_line_is_quiet() -> None:
    log = "This program needs a CUDA-enabled GPU to run.\nUsing device 0: NVIDIA GeForce RTX 4090 (compute capability 8.9)\n"
    assert "LOG185" not in [f.id for f in _report(log).findings]


def test_grammar_ranks_below_a_signature() -> None:
    # a signature's reading of the driver stands; the grammar's reading of the other line adds nothing
    log = ("RuntimeError: The NVIDIA driver on your system is too old (found version 10010).\n"
           "tvmx.error.InternalError: Target cuda is not enabled\n")
    report = _report(log)
    assert report.causes[0].code == "DRIVER_TOO_OLD"
    assert not any(f.id == "LOG185" for f in report.findings)


def test_quiet_when_the_gpu_is_shown_in_use() -> None:
    log = ("I tensorflow/core/common_runtime/gpu/gpu_device.cc:1616] Created device /job:localhost/replica:0/task:0/device:GPU:0 "
           "with 14626 MB memory:  -> device: 0, name: Tesla T4, pci bus id: 0000:00:04.0, compute capability: 7.5\n"
           "renderd.cpp:118: Assertion failed: Unsupported SM.\n")
    assert "LOG185" not in [f.id for f in _report(log).findings]


def test_a_bare_message_is_an_error_when_the_program_stops_right_after_it() -> None:
    # sys.exit(message) prints the message bare; the exit that follows is its error-ness
    line = "CUDA Capability (3.0) of the GPU device (GeForce GT 730) is less than the required (5.0), please use a newer GPU"
    assert errorwords.read_line(line) is None
    assert errorwords.read_line(line, exits=True) is not None
    assert _codes(line + "\n\nProcess finished with exit code 1\n")[0] == "GPU_NOT_SUPPORTED"
    assert _codes("NVIDIA driver 470 is too old for this release, please update\nexited with code 1\n")[0] == "DRIVER_TOO_OLD"
    # a clean exit, the writer's prose, a question: no error
    assert "LOG185" not in [f.id for f in _report(line + "\nProcess finished with exit code 0\n").findings]
    assert _codes("I think the driver is too old\nexit code 1\n") == []
    assert errorwords.read_line("is the NVIDIA driver too old for this release?", exits=True) is None


def test_more_gpus_asked_for_than_shown_over_two_lines() -> None:
    log = ("trainer.fabric.MisconfigurationException: You requested gpu: [1]\n"
           " But your machine only has: [0]\n")
    assert _codes(log)[:2] == ["CODE_FORCES_CPU", "GPU_HIDDEN"]
    # the exception's name on a line of its own, the message indented under it
    three = "Loading...\ntrainer.MisconfigurationException: \n        You requested GPUs: [1]\n        But your machine only has: [0]\n"
    assert _codes(three)[0] == "CODE_FORCES_CPU"
    # none shown: the framework's "no GPU" answer, ranked by LOG104
    none = _report("trainer.fabric.MisconfigurationException: You requested gpu: [0]\n But your machine only has: []\n")
    assert "LOG185" not in [f.id for f in none.findings]
    # a warning that goes on with the GPUs it has, and a memory figure, are quiet
    assert errorwords.read_line("Warning: requested 4 GPUs, but the machine only has 1 visible; using 1") is None
    assert errorwords.read_line("ERROR: requested 2 GPUs but only 8 GB of memory") is None
