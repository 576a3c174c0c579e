"""A program's own error or warning line is read by its words when no signature knows it (explain/errorwords.py, LOG185).

Each concept pair of knowledge/error_words.toml fires on lines composed from what the pair means, in the forms
programs print (an exception line, a level prefix, glog, a tool's "error:", Python's warnings), and stays quiet on
near misses: a benign line a signature reads, a question, prose, the thing said to BE built/found/supported, code
shown as source, documentation, a warning that is only advice, and a log that shows the GPU in use.
docs/explain-accuracy.md ("Session 19 (branch acclex)") says what it changed on each set.
"""

from __future__ import annotations

import pytest

from log_text import codes as _codes
from log_text import facts as _facts
from log_text import report as _report
from whygpu.explain import errorwords
from whygpu.knowledge.error_words import pair_meaning, word_pairs

# (line, noun, predicate, cause) -- composed lines, programs no signature names.
FIRES = (
    ("xyzlib.core.XyzError: XYZ version not compiled with GPU support.", "cuda", "not_built", "FRAMEWORK_CPU_BUILD"),
    ("RuntimeError: CUDA support was not enabled in this build", "cuda", "not_built", "FRAMEWORK_CPU_BUILD"),
    ("ERROR: fastann was built without CUDA; falling back to the CPU index", "cuda", "not_built", "FRAMEWORK_CPU_BUILD"),
    ("/opt/env/lib/python3.11/site-packages/qlib/ext.py:12: UserWarning: The installed qlib was compiled without GPU support.",
     "cuda", "not_built", "FRAMEWORK_CPU_BUILD"),
    ("RuntimeError: This program requires CUDA driver >= 525, please update", "driver", "too_old", "DRIVER_TOO_OLD"),
    ("[ERROR] renderd: the NVIDIA driver is too old for this build", "driver", "too_old", "DRIVER_TOO_OLD"),
    ("FATAL: nvidia kernel module is not loaded", "driver", "not_loaded", "DRIVER_MISSING"),
    ("E0312 10:01:02.123456  1234 engine.cc:88] NVIDIA driver not found", "driver", "not_found", "DRIVER_MISSING"),
    ("ImportError: libnvidia-fatbinaryloader.so.375.88: cannot open shared object file: No such file or directory",
     "driverlib", "not_found", "DRIVER_MISSING"),
    ("RuntimeError: cuDNN version mismatch: compiled with 8.9, loaded 8.2", "cudnn", "mismatch", "CUDNN_MISMATCH"),
    ("ValueError: CUDA version mismatch: expected 12.1, got 11.8", "cuda", "mismatch", "CUDA_LIBS_MISMATCH"),
    ("mytool: error: the CUDA toolkit is too old, requires 11.7 or newer", "cuda", "too_old", "CUDA_LIBS_MISMATCH"),
    ("ERROR: the CUDA toolkit is not installed in /usr/local/cuda", "cuda", "not_loaded", "CUDA_LIBS_MISSING"),
    ("RuntimeError: GPU with compute capability 3.0 is not supported by this build", "gpu", "not_supported", "GPU_NOT_SUPPORTED"),
    ("ERROR: sm_35 is no longer supported", "gpu", "not_supported", "GPU_NOT_SUPPORTED"),
    ("ERROR: ptxas does not support CC 8.9", "cudatool", "not_supported", "GPU_NOT_SUPPORTED"),
    ("ERROR: No NVIDIA GPU found on this host", "device", "no_device", "GPU_HIDDEN"),
    ("2024-05-01 10:00:00 renderd WARN - no CUDA devices available, rendering on the CPU", "device", "no_device", "GPU_HIDDEN"),
    ("FATAL: unable to find any CUDA device", "device", "no_device", "GPU_HIDDEN"),
)


@pytest.mark.parametrize(("line", "noun", "predicate", "cause"), FIRES)
def test_pair_read_from_the_line(line: str, noun: str, predicate: str, cause: str) -> None:
    reading = errorwords.read_line(line)
    assert reading is not None, line
    assert (reading.noun, reading.predicate, reading.pair.cause) == (noun, predicate, cause)


# Near misses: each stays quiet.
QUIET = (
    # benign lines of working GPU runs (their signatures read them: that reading stands)
    "2021-01-01 12:00:00.1: W tensorflow/stream_executor/platform/default/dso_loader.cc:60] Could not load dynamic library 'libnvinfer.so.7'; dlerror: libnvinfer.so.7: cannot open shared object file: No such file or directory",
    "2023-09-01 10:00:00.1: W tensorflow/compiler/tf2tensorrt/utils/py_utils.cc:38] TF-TRT Warning: Could not find TensorRT",
    "E external/local_xla/xla/stream_executor/cuda/cuda_dnn.cc:9261] Unable to register cuDNN factory: Attempting to register factory for plugin cuDNN when one has already been registered",
    "2023-09-01 10:00:00.1: E external/local_xla/xla/stream_executor/cuda/cuda_fft.cc:607] Unable to register cuFFT factory: Attempting to register factory for plugin cuFFT when one has already been registered",
    "2023-09-01 10:00:00.1: I tensorflow/core/common_runtime/gpu/gpu_device.cc:1886] Could not identify NUMA node of platform GPU id 0, defaulting to 0.  Your kernel may not have been built with NUMA support.",
    "2023-09-01 10:00:00.1: I external/local_xla/xla/stream_executor/cuda/cuda_executor.cc:901] successful NUMA node read from SysFS had negative value (-1), but there must be at least one NUMA node, so returning NUMA node zero",
    "/opt/conda/lib/python3.10/site-packages/torch/backends/cuda/__init__.py:320: UserWarning: TensorFloat32 tensor cores for float32 matrix multiplication available but not enabled.",
    "W external/xla/xla/service/gpu/gpu_compiler.cc:1] XLA_PYTHON_CLIENT_PREALLOCATE is false, not preallocating GPU memory",
    # a signature's own message (its reading stands)
    "RuntimeError: Torch not compiled with CUDA enabled",
    # a bare title a user could write (a line that starts with what failed names it after a colon or as a file)
    "cannot find cuda",
    "Error occurs when the driver is too old",
    # a question, prose, the thing that IS there
    "ERROR: why is the NVIDIA driver too old?",
    "I think my driver is too old for CUDA 12",
    "the docs say the driver is too old when this happens",
    "XYZ version compiled with GPU support.",
    "INFO: CUDA driver found, version 535.104",
    # code shown as source, a logging call, documentation
    '    raise RuntimeError("XYZ was not compiled with GPU support")',
    'if not torch.cuda.is_available(): raise RuntimeError("CUDA not available")',
    'logger.error("NVIDIA driver not found")',
    "Returns an error if the CUDA driver is too old.",
    # a warning that is advice (the program went on): only what stops the GPU by itself is read in a warning
    "2022-08-02 14:12:00.008264: W external/org_tensorflow/tensorflow/stream_executor/gpu/asm_compiler.cc:111] *** WARNING *** You are using ptxas 11.0.221, which is older than 11.1",
    "W1128 09:40:28.909620    2774 cuda_executor.cc:1802] GPU interconnect information not available: INTERNAL: NVML doesn't support extracting fabric info",
    # a device that is not the GPU; a program's failed GPU check (explain.answers reads it as an answer, LOG104 ranks)
    "ERROR: no audio device found",
    "AssertionError: No GPU found",
    # another tool's driver (no CUDA, NVIDIA, GPU or NVML word on the line)
    "initialization error: driver not loaded",
    "ERROR: ODBC driver not found",
    # a noun used as a modifier of another subject
    "ERROR: GPU interconnect information not supported",
    "W0000 00:00:1753232013.685876   24341 gpu_device.cc:2431] TensorFlow was not built with CUDA kernel binaries compatible with compute capability 12.0",
)


@pytest.mark.parametrize("line", QUIET)
def test_near_miss_stays_quiet(line: str) -> None:
    assert errorwords.read_line(line) is None


def test_every_row_names_a_cause_and_its_reasoning() -> None:
    from whygpu.knowledge.causes import is_cause_code

    rows = word_pairs()
    assert len({(r.noun, r.predicate) for r in rows}) == len(rows)
    for row in rows:
        assert is_cause_code(row.cause) and all(is_cause_code(a) for a in row.alternatives)
        assert "causes.md" in row.why and row.source.startswith("https://")
    assert pair_meaning("gpu", "not_found") is None


def test_finding_names_the_cause_with_its_fix_and_blocks_the_gpu() -> None:
    report = _report("Loading index...\nxyzlib.core.XyzError: XYZ version not compiled with GPU support.\n")
    assert report.causes[0].code == "FRAMEWORK_CPU_BUILD"
    assert report.verdict.gpu_usable is False
    # accmsg (session 24): a build said to have no GPU code is read by what the message says (LOG300), which names the
    # program; LOG185 steps aside for it as for every specific reading.
    finding = next(f for f in report.findings if f.id == "LOG300")
    assert "XYZ" in finding.title
    assert "XYZ's GPU (CUDA) build" in finding.fix
    other = _report("Loading index...\nxyzlib.core.XyzError: the CUDA backend is unavailable in this environment.\n")
    assert all(f.id != "LOG300" for f in other.findings)


def test_versions_of_the_line_reach_the_fix() -> None:
    report = _report("RuntimeError: cuDNN version mismatch: compiled with 8.9, loaded 8.2\n")
    assert report.causes[0].code == "CUDNN_MISMATCH"
    # accversions (session 20): a line that states both versions is judged by the knowledge layer first (LOG191), and
    # LOG185 steps aside; the versions reach that fix.
    finding = next(f for f in report.findings if f.id in ("LOG185", "LOG191") and f.alternative_to is None)
    assert "cuDNN 8.9" in finding.fix and "8.2" in finding.fix
    report = _report("ValueError: CUDA version mismatch: expected 12.1, got 11.8\n")
    finding = next(f for f in report.findings if f.id == "LOG185" and f.alternative_to is None)
    assert "CUDA 12.1" in finding.fix and "11.8" in finding.fix


def test_driver_library_of_another_release_than_the_driver_is_a_mismatch() -> None:
    log = ("NVRM version: NVIDIA UNIX x86_64 Kernel Module  375.66  Mon May  1 15:29:16 PDT 2017\n"
           "| NVIDIA-SMI 375.66                 Driver Version: 375.66                    |\n"
           "ImportError: libnvidia-fatbinaryloader.so.375.88: cannot open shared object file: No such file or directory\n")
    assert _codes(log)[0] == "DRIVER_MISMATCH"


def test_a_signature_finding_keeps_its_place() -> None:
    # The signature reads the driver message; the words reader adds nothing.
    log = ("RuntimeError: The NVIDIA driver on your system is too old (found version 10010).\n"
           "ERROR: fastann was built without CUDA\n")
    report = _report(log)
    assert not any(f.id == "LOG185" for f in report.findings)


def test_quiet_when_the_gpu_is_shown_in_use() -> None:
    log = ("2023-01-01 10:00:00.1: I tensorflow/core/common_runtime/gpu/gpu_device.cc:1616] Created device "
           "/job:localhost/replica:0/task:0/device:GPU:0 with 14626 MB memory:  -> device: 0, name: Tesla T4, "
           "pci bus id: 0000:00:04.0, compute capability: 7.5\n"
           "ERROR: fastann was built without CUDA\n")
    assert "LOG185" not in [f.id for f in _report(log).findings]


def test_fact_keeps_its_line() -> None:
    facts = _facts("first line\nFATAL: nvidia kernel module is not loaded\n")
    assert [s.where for s in facts.error_words] == ["t:2"]


def test_failed_check_stays_an_answer_ranked_by_log104() -> None:
    ids = [f.id for f in _report(">>> import torch\nAssertionError: No GPU found\n").findings]
    assert "LOG185" not in ids
