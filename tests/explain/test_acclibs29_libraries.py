"""Which CUDA library is absent, and why (acclibs, session 29).

Each reading is written from what the evidence means and from the programs' own message formats (TensorFlow's dso_loader
lines, nvidia-smi's header, numba's driver setting and its "driver missing function" error), in several layouts, not pasted
from any corpus case. Each has logs where it fires and logs where it stays quiet.
"""

from __future__ import annotations

import pytest

from log_text import codes, facts, finding_codes, first_cause
from whygpu.explain.cudasaid import cuda_absent_said
from whygpu.knowledge.libraries import driver_setting_wrong_file, library_failure_cause
from whygpu.knowledge.priors import unused_prior

DSO = ("2024-03-01 10:00:00.000001: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic "
       "library 'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot open shared object file: No such file or directory\n")
DLL = ("2024-03-01 10:00:00.000001: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic "
       "library 'cudart64_110.dll'; dlerror: cudart64_110.dll not found\n")


# --- the writer says no CUDA is installed ------------------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "I have not installed CUDA on this box, only the NVIDIA driver.",
    "We haven't installed the CUDA toolkit yet.",
    "pip pulled onnxruntime-gpu but did not install the required CUDA/cuDNN runtime libraries.",
    "The CUDA toolkit isn't installed on the server.",
    "There is no CUDA installed on this machine",
    "CUDA: not installed",
    "Note that cuda was never installed here",
])
def test_cuda_absent_said_in_many_forms(line: str) -> None:
    assert cuda_absent_said(line) is not None


@pytest.mark.parametrize("line", [
    "Do I need to install CUDA?",
    "If CUDA is not installed, the provider falls back to the CPU.",
    "Please make sure CUDA is installed.",
    "Is the CUDA toolkit not installed?",
    "CUDA 11.8 is not installed, I only have 12.1",
    "I didn't install CUDA 11.8",
    "CUDA is not installed properly, I think",
    "CUDA was not installed, so I installed it and it still fails",
    "PyTorch runs without installing CUDA",
    "I have installed CUDA 11.2 and cuDNN 8.1",
    "CUDA Version: N/A",
])
def test_cuda_absent_quiet_on_questions_conditions_versions_and_fixes(line: str) -> None:
    assert cuda_absent_said(line) is None


def test_a_library_failing_with_cuda_said_absent_reads_missing_first() -> None:
    assert codes("I have not installed the CUDA toolkit, just the driver.\n" + DSO)[:3] == [
        "CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISMATCH"]
    assert codes("Windows 10, RTX 3060. There is no CUDA installed on this PC.\n" + DLL)[0] == "CUDA_LIBS_MISSING"


def test_a_library_failing_alone_keeps_the_counted_base_rate() -> None:
    # Nothing shown installed and nothing said: a counted row ranks it. accsoname (session 34): for a CUDA 11 file with nothing
    # of CUDA shown the counts are MISSING 10, MISMATCH 9 (knowledge/priors.toml's cuda_none_shown row): MISSING first, MISMATCH
    # next; a question is not CUDA shown.
    assert codes(DSO)[:2] == ["CUDA_LIBS_MISSING", "CUDA_LIBS_MISMATCH"]
    assert codes("Do I need to install CUDA separately?\n" + DSO)[:2] == ["CUDA_LIBS_MISSING", "CUDA_LIBS_MISMATCH"]


def test_a_cuda_shown_installed_decides_before_the_absence_words() -> None:
    # "no CUDA installed" beside nvcc's CUDA 12.1: the release installed is what the loader cannot use (another release).
    text = "I think there is no CUDA installed in this env\nCuda compilation tools, release 12.1, V12.1.105\n" + DSO
    assert first_cause(text) == "CUDA_LIBS_MISMATCH"


def test_the_knowledge_decision_needs_the_family_open_and_nothing_installed() -> None:
    said = frozenset({"cuda_absent_said"})
    reading = library_failure_cause("CUDA_LIBS_MISSING", ("CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH"), file="libcudart.so.11.0",
                                    wanted="11.0", tags=said)
    assert (reading.cause, reading.basis) == ("CUDA_LIBS_MISSING", "absent_said")
    assert "CUDA_LIBS_MISSING" not in reading.alternatives
    shown = library_failure_cause("CUDA_LIBS_MISSING", ("CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH"), file="libcudart.so.11.0",
                                  wanted="11.0", cuda_installed=["12.1"], tags=said)
    assert shown.cause == "CUDA_LIBS_MISMATCH"
    cudnn = library_failure_cause("CUDNN_MISSING", ("CUDNN_MISMATCH", "CUDA_LIBS_NOT_ON_PATH"), file="libcudnn.so.8", tags=said)
    assert cudnn.basis != "absent_said"


# --- nvidia-smi's header pasted one field a line -------------------------------------------------------------------------


def test_split_smi_header_cuda_is_the_drivers() -> None:
    seen = facts("NVIDIA-SMI 535.104.05\nDriver Version: 535.104.05\nCUDA Version: 12.2\n")
    assert [s.value for s in seen.driver_cuda] == ["12.2"]
    assert not seen.cuda_installed
    listed = facts("- NVIDIA-SMI 550.54.14\n- Driver Version: 550.54.14\n- CUDA Version: 12.4\n")
    assert [s.value for s in listed.driver_cuda] == ["12.4"] and not listed.cuda_installed


def test_a_cuda_version_line_apart_from_the_driver_stays_the_writers() -> None:
    seen = facts("Driver Version: 535.104.05\nPython 3.10\nCUDA Version: 11.8\n")
    assert [s.value for s in seen.cuda_installed] == ["11.8"]
    assert [s.value for s in facts("CUDA Version: 11.8\n").cuda_installed] == ["11.8"]


# --- a build's architectures side by side are not the GPU's capability ---------------------------------------------------


def test_a_table_row_of_architectures_names_no_compute_capability() -> None:
    row = "| 0.4.30 | sm_50 sm_60 sm_70 sm_75 sm_80 sm_86 sm_90 |\n"
    assert not facts("| jaxlib | archs |\n|---|---|\n" + row).compute_capability
    assert not facts("kernels for sm_80, sm_86, sm_89 and sm_90 are included\n").compute_capability


def test_one_architecture_named_is_still_the_gpus() -> None:
    assert [s.value for s in facts("My card is sm_86 (an RTX 3080)\n").compute_capability] == ["8.6"]


# --- TensorFlow finds no GPU where PyTorch, in the same log, finds it ----------------------------------------------------

TF_EMPTY = ">>> import tensorflow as tf\n>>> tf.__version__\n'2.12.0'\n>>> tf.config.list_physical_devices('GPU')\n[]\n"
TORCH_TRUE = ">>> import torch\n>>> torch.cuda.is_available()\nTrue\n"
TORCH_FALSE = ">>> import torch\n>>> torch.cuda.is_available()\nFalse\n"


def test_tf_empty_beside_torch_finding_the_gpu_reads_tf_cuda_libraries_missing() -> None:
    ranked = codes(TF_EMPTY + TORCH_TRUE)
    assert ranked[0] == "CUDA_LIBS_MISSING"
    assert "NO_GPU" not in ranked and "DRIVER_MISSING" not in ranked
    assert codes(TORCH_TRUE + "\n" + TF_EMPTY)[0] == "CUDA_LIBS_MISSING"


def test_tf_empty_with_torch_not_finding_it_keeps_the_general_rows() -> None:
    assert codes(TF_EMPTY + TORCH_FALSE)[0] != "CUDA_LIBS_MISSING"
    assert codes(TF_EMPTY)[0] != "CUDA_LIBS_MISSING"


def test_the_row_needs_another_frameworks_answer() -> None:
    assert unused_prior("tensorflow", "linux", "2.12.0", seen_by=frozenset({"torch"}))["causes"][0] == "CUDA_LIBS_MISSING"
    assert unused_prior("tensorflow", "linux", "2.12.0")["causes"][0] != "CUDA_LIBS_MISSING"
    # Native Windows TensorFlow 2.11+ has no GPU build: the Windows row stands before it.
    assert unused_prior("tensorflow", "windows", "2.12.0", seen_by=frozenset({"torch"}))["causes"][0] == "FRAMEWORK_CPU_BUILD"


# --- a driver-library setting that names another file --------------------------------------------------------------------

NUMBA_ERR = "numba.cuda.cudadrv.error.CudaDriverError: driver missing function: cuInit.\nRequires CUDA 9.2 or above.\n"


@pytest.mark.parametrize("value", ["/usr/local/cuda-10.1/lib64/libcudart.so", "/opt/cuda/lib64/libcudart.so.10.1",
                                   "/usr/local/cuda/lib64/stubs/libcuda.so", "C:\\CUDA\\v10.0\\bin\\cudart64_100.dll"])
def test_driver_setting_naming_another_file(value: str) -> None:
    assert driver_setting_wrong_file(value) is not None


@pytest.mark.parametrize("value", ["/usr/lib/x86_64-linux-gnu/libcuda.so.1", "/usr/lib64/libcuda.so", "C:\\Windows\\System32\\nvcuda.dll",
                                   "/usr/lib/x86_64-linux-gnu/", "$CUDA_HOME/lib64/libcudart.so"])
def test_driver_setting_quiet_for_the_driver_a_folder_or_a_variable(value: str) -> None:
    assert driver_setting_wrong_file(value) is None


def test_numba_driver_setting_to_the_runtime_reads_not_on_path() -> None:
    for setting in ("export NUMBAPRO_CUDA_DRIVER=/usr/local/cuda-10.1/lib64/libcudart.so\n",
                    "NUMBA_CUDA_DRIVER=/opt/cuda/lib64/libcudart.so python run.py\n"):
        text = setting + NUMBA_ERR
        assert first_cause(text) == "CUDA_LIBS_NOT_ON_PATH"
        assert "LOG405" in finding_codes(text)


def test_numba_driver_setting_quiet_when_it_names_the_driver_or_is_asked() -> None:
    assert "LOG405" not in finding_codes("export NUMBA_CUDA_DRIVER=/usr/lib/x86_64-linux-gnu/libcuda.so.1\n" + NUMBA_ERR)
    assert "LOG405" not in finding_codes("Should I set NUMBA_CUDA_DRIVER=/usr/local/cuda/lib64/libcudart.so?\n" + NUMBA_ERR)
