"""accsoname (session 34): an old soname asked for, missing or another version; and each cause's fix by program.

Real lines carry their public source. The decisions tested live in knowledge.libraries (library_failure_cause,
same_library_present), knowledge/priors.toml (the cuda_none_shown rows) and explain.programfix.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from log_text import codes, facts, report
from whygpu.explain.cudashown import (
    cuda_library_present,
    cuda_shown_said,
    nothing_shown,
    some_cuda_shown,
)
from whygpu.explain.programfix import FRAMEWORK_COMMANDS, foreign_commands, scoped_fix
from whygpu.knowledge.libraries import library_failure_cause, same_library_present

# https://github.com/ctlearn-project/ctlearn/issues/122 (TensorFlow 1.13.1's pip wheel, no CUDA 10.0 on the machine)
CUBLAS_100 = "ImportError: libcublas.so.10.0: cannot open shared object file: No such file or directory"
# https://github.com/facebookresearch/fairseq2/issues/36 (the form of the line; a CUDA 11 build, no CUDA 11 installed)
CUDART_110 = "ImportError: libcudart.so.11.0: cannot open shared object file: No such file or directory"
# https://github.com/tensorflow/tensorflow/issues/34282 (TensorFlow's loader in an NVIDIA CUDA image)
TF_LINE_IMAGE = ("2019-11-14 16:21:07.535467: W tensorflow/stream_executor/platform/default/dso_loader.cc:55] Could not load "
                 "dynamic library 'libcudart.so.10.1'; dlerror: libcudart.so.10.1: cannot open shared object file: No such file "
                 "or directory; LD_LIBRARY_PATH: /usr/local/lib:/usr/local/lib:/usr/local/nvidia/lib:/usr/local/nvidia/lib64")
# https://github.com/Dao-AILab/flash-attention/issues/728 (another libcudart shown on disk)
OTHER_ON_DISK = "/home/ubuntu/miniconda3/envs/ENV_NAME/lib/python3.10/site-packages/nvidia/cuda_runtime/lib/libcudart.so.12"
SMI_HEADER = "| NVIDIA-SMI 460.32.03    Driver Version: 460.32.03    CUDA Version: 11.2     |"


# --- what the log shows of some CUDA installed -------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "Cuda compilation tools, release 10.2, V10.2.89",  # nvcc's banner (https://github.com/opendatacam/opendatacam/issues/214)
    "nvcc -V",
    "export LD_LIBRARY_PATH=/usr/local/cuda-10.0/lib64",
    "- CUDA/cuDNN version: CUDA 10.1, cuDNN 7.6.5",
    "python3.7, CUDA10.1",
    "I installed CUDA and cuDNN following the guide",
    "conda install tensorflow-gpu cudatoolkit=10.1",
    TF_LINE_IMAGE,
])
def test_some_cuda_shown_is_read(line: str) -> None:
    assert cuda_shown_said(line) is not None


@pytest.mark.parametrize("line", [
    SMI_HEADER,  # the driver's CUDA, not a toolkit
    "TensorFlow requires that this DLL be installed in a directory that is named in your %PATH% environment variable. "
    "Download and install CUDA 10.0 from this URL: https://developer.nvidia.com/cuda-90-download-archive",
    "The current TensorFlow needs CUDA 10.0",
    "Should I install CUDA 10.0?",
    "CUDA is not installed on this machine",
    "2020-01-14 14:37:12.950260: I tensorflow/core/common_runtime/gpu/gpu_device.cc:1555] Found device 7 with properties:",
])
def test_no_cuda_shown_where_the_line_is_not_the_machines(line: str) -> None:
    assert cuda_shown_said(line) is None


def test_nothing_shown_beside_nvidia_smi_only() -> None:
    log = f"{CUDART_110}\n{SMI_HEADER}"
    assert nothing_shown(facts(log))
    assert not nothing_shown(facts(f"{CUDART_110}\nCuda compilation tools, release 12.1, V12.1.105"))


@pytest.mark.parametrize(("line", "file"), [
    (OTHER_ON_DISK, "libcudart.so.12"),
    ("\tlibcublas.so.10 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcublas.so.10", "libcublas.so.10"),
    ("C:\\Program Files\\NVIDIA GPU Computing Toolkit\\CUDA\\v10.0\\bin\\cudart64_100.dll", "cudart64_100.dll"),
])
def test_a_cuda_library_shown_on_disk(line: str, file: str) -> None:
    assert cuda_library_present(line) == file
    assert some_cuda_shown(facts(line))


@pytest.mark.parametrize("line", [CUBLAS_100, "/usr/local/cuda/lib64/libcudart.so.10.0: cannot open shared object file"])
def test_a_failing_file_is_not_shown_on_disk(line: str) -> None:
    assert cuda_library_present(line) is None


# --- the decision -------------------------------------------------------------------------------------------------

def test_same_library_present_compares_the_library_and_its_cuda() -> None:
    assert same_library_present("libcudart.so.11.0", ["libcudart.so.12", "libcublas.so.11"]) == ([], ["libcudart.so.12"])
    assert same_library_present("cudart64_110.dll", ["cudart64_110.dll"]) == (["cudart64_110.dll"], [])
    assert same_library_present("libcublas.so.10.0", ["libcudart.so.10.0"]) == ([], [])


def test_the_file_on_disk_decides_the_family() -> None:
    also = ("CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH")
    same = library_failure_cause("CUDA_LIBS_MISSING", also, file="libcublas.so.10.0", wanted="10.0",
                                 library_present=["libcublas.so.10.0"])
    assert (same.cause, same.basis) == ("CUDA_LIBS_NOT_ON_PATH", "file_same")
    other = library_failure_cause("CUDA_LIBS_MISSING", also, file="libcudart.so.11.0", wanted="11.0",
                                  library_present=["libcudart.so.12"])
    assert (other.cause, other.basis, other.present) == ("CUDA_LIBS_MISMATCH", "file_other", "libcudart.so.12")
    unrelated = library_failure_cause("CUDA_LIBS_MISSING", also, file="libcudart.so.11.0", wanted="11.0",
                                      library_present=["libcufft.so.10"])
    assert unrelated.basis not in ("file_same", "file_other")


def test_a_cuda_11_library_with_nothing_shown_ranks_missing_first_with_the_check() -> None:
    rep = report(CUDART_110)
    assert [c.code for c in rep.causes][:2] == ["CUDA_LIBS_MISSING", "CUDA_LIBS_MISMATCH"]
    assert "ldconfig -p" in rep.causes[0].fix and "/usr/local/cuda*/lib64" in rep.causes[0].fix


def test_nvidia_smi_is_not_a_toolkit() -> None:
    assert codes(f"{CUDART_110}\n{SMI_HEADER}")[0] == "CUDA_LIBS_MISSING"


def test_an_old_library_with_nothing_shown_keeps_mismatch_first_and_missing_second() -> None:
    # The counts for CUDA 10 and older (knowledge/priors.toml: MISMATCH 18, MISSING 5, NOT_ON_PATH 5) keep another release first.
    rep = report(CUBLAS_100)
    assert [c.code for c in rep.causes][:2] == ["CUDA_LIBS_MISMATCH", "CUDA_LIBS_MISSING"]
    assert "ldconfig -p" in rep.causes[0].fix


def test_some_cuda_shown_without_a_release_keeps_the_general_row() -> None:
    # An NVIDIA CUDA image (its LD_LIBRARY_PATH) ships a CUDA: another release first, not "nothing installed".
    assert codes(TF_LINE_IMAGE)[0] == "CUDA_LIBS_MISMATCH"
    assert codes(f"{CUDART_110}\nI installed CUDA and cuDNN following the guide")[0] == "CUDA_LIBS_MISMATCH"


def test_a_release_shown_decides_before_the_rows() -> None:
    assert codes(f"{CUDART_110}\nCuda compilation tools, release 12.1, V12.1.105")[0] == "CUDA_LIBS_MISMATCH"


def test_the_library_on_disk_decides_in_a_report() -> None:
    rep = report(f"{CUDART_110}\n```\neven tho libcudart.so is clearly in the conda site packages\n```bash\n{OTHER_ON_DISK}\n```")
    assert rep.causes[0].code == "CUDA_LIBS_MISMATCH"
    assert "libcudart.so.12" in rep.causes[0].title
    assert "None" not in rep.causes[0].fix and "{" not in rep.causes[0].fix


# --- each cause's fix by program ------------------------------------------------------------------------------------

def test_a_fix_line_naming_another_frameworks_command_is_replaced() -> None:
    # https://github.com/microsoft/onnxruntime/issues/2367 (onnxruntime-gpu asking for libcublas.so.10.0)
    log = "OSError: libcublas.so.10.0: cannot open shared object file: No such file or directory\npip install onnxruntime-gpu==1.0.0"
    fix = "Install the CUDA libraries the framework build needs: `pip install 'tensorflow[and-cuda]'` for TensorFlow >= 2.14."
    scoped = scoped_fix("CUDA_LIBS_MISSING", fix, (), facts(log))
    assert "tensorflow" not in scoped.lower() and "CUDA runtime libraries the program's build" in scoped


def test_a_fix_line_is_kept_where_the_log_names_that_framework() -> None:
    fix = "Install a GPU build: `pip install 'tensorflow[and-cuda]'`."
    assert scoped_fix("FRAMEWORK_CPU_BUILD", fix, (), facts("import tensorflow as tf\n" + CUBLAS_100)) == fix


def test_the_commands_read() -> None:
    assert foreign_commands("pip install --force-reinstall torch==2.1.0 --index-url https://download.pytorch.org/whl/cu121",
                            set()) == {"torch"}
    assert foreign_commands('pip install -U "jax[cuda12]"', {"jax"}) == set()
    assert foreign_commands("pip install torchvision-free-text", set()) == set()


_CORPUS = Path(__file__).parent / "corpus"
_NAMES = {"torch": re.compile(r"\btorch\b|pytorch", re.I), "tensorflow": re.compile(r"tensorflow|keras", re.I),
          "jax": re.compile(r"\bjax", re.I)}


def test_no_report_recommends_another_frameworks_install_command() -> None:
    """Over the open corpus: no report on a program that is not PyTorch, TensorFlow or JAX (the case's framework "other")
    recommends `pip install torch`, PyTorch's wheel index, `tensorflow[and-cuda]` or `jax[cuda12]` unless the log names that
    framework."""
    wrong = []
    for path in sorted(_CORPUS.glob("*/*.json")):
        case = json.loads(path.read_text())
        if case.get("framework") != "other":
            continue
        for cause in report(case["log"]).causes:
            for fw, rx in FRAMEWORK_COMMANDS.items():
                if rx.search(cause.fix or "") and not _NAMES[fw].search(case["log"]):
                    wrong.append(f"{path.parent.name}/{path.name} {cause.code} {fw}")
    assert not wrong, wrong
