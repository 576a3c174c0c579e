"""Ranking causes by what else the log shows, each by a counted base rate (knowledge/priors.toml; session 21, accrank4)."""

from __future__ import annotations

import pytest

from log_text import codes, report
from whygpu.knowledge.priors import undecided_prior

# libcudnn itself, of major 8 or later, failing to load, as different loaders print it (written for the class).
CUDNN_NEW = [
    "ImportError: libcudnn.so.9: cannot open shared object file: No such file or directory\n",
    "OSError: libcudnn.so.8: cannot open shared object file: No such file or directory\n",
    "[E:onnxruntime:Default, provider_bridge_ort.cc:1548 TryGetProviderInfo_CUDA] Failed to load library "
    "libonnxruntime_providers_cuda.so with error: libcudnn.so.9: cannot open shared object file: No such file or directory\n",
    "W dso_loader.cc:64] Could not load dynamic library 'libcudnn.so.8'; dlerror: libcudnn.so.8: cannot open shared object file: No such file or directory\n",
    "Could not load dynamic library 'cudnn64_8.dll'; dlerror: cudnn64_8.dll not found\n",
]
# The same failure for cuDNN 6 and 7: the other half of the count (another major installed, 4 of 4).
CUDNN_OLD = [
    "Could not load dynamic library 'libcudnn.so.7'; dlerror: libcudnn.so.7: cannot open shared object file: No such file or directory\n",
    "ImportError: libcudnn.so.6: cannot open shared object file: No such file or directory\n",
    "Could not load dynamic library 'cudnn64_7.dll'; dlerror: cudnn64_7.dll not found\n",
]


@pytest.mark.parametrize("line", CUDNN_NEW)
def test_cudnn_8_or_later_with_no_cudnn_shown_is_missing_first(line: str) -> None:
    got = codes("Running inference on the server\n" + line)
    assert got[0] == "CUDNN_MISSING"
    assert "CUDNN_MISMATCH" in got[:3]  # still listed: a cuDNN the log does not show may be another major


@pytest.mark.parametrize("line", CUDNN_OLD)
def test_cudnn_7_or_earlier_keeps_another_major_first(line: str) -> None:
    assert codes(line)[0] == "CUDNN_MISMATCH"


@pytest.mark.parametrize("shown", [
    "nvidia-cudnn-cu12        9.1.0.70\n",         # pip's wheel of another major, listed
    "pip install torch==2.5.1+cu124\n",             # a PyTorch build that brings cuDNN 9
])
def test_another_cudnn_major_shown_decides_mismatch(shown: str) -> None:
    line = "OSError: libcudnn.so.8: cannot open shared object file: No such file or directory\n"
    assert codes(shown + line)[0] == "CUDNN_MISMATCH"


def test_the_row_reads_the_soname_major_only() -> None:
    open_ = ("CUDNN_MISMATCH", "CUDA_LIBS_NOT_ON_PATH")
    # Major 8 or later: the line's own reading (missing) stands; earlier or unversioned: the general row (another major first).
    for file in ("libcudnn.so.8", "libcudnn.so.9", "cudnn64_9.dll", "libcudnn.so.10"):
        assert undecided_prior("CUDNN_MISSING", open_, file=file) is None
    for file in ("libcudnn.so.7", "cudnn64_6.dll", "libcudnn.so"):
        row = undecided_prior("CUDNN_MISSING", open_, file=file)
        assert row is not None and row.ranking[0] == "CUDNN_MISMATCH"


@pytest.mark.parametrize("text", [
    "Does onnxruntime-gpu 1.19 need libcudnn.so.9, or is libcudnn.so.8 enough?\n",                # a question
    "Install cuDNN 9 (libcudnn.so.9) before running, onnxruntime-gpu 1.19 loads it.\n",              # advice
    "if not ctypes.util.find_library('cudnn'): print('libcudnn.so.9 missing')\n",                     # a condition in code
    "I tensorflow/stream_executor/platform/default/dso_loader.cc:49] Successfully opened dynamic library libcudnn.so.8\n",  # benign
])
def test_no_cudnn_cause_where_no_load_failed(text: str) -> None:
    assert not any(c.startswith("CUDNN") for c in codes(text))


# TensorFlow answering that it has no GPU, with no line naming a reason (LOG104's tensorflow/any row, recounted).
TF_NO_GPU = [
    ">>> import tensorflow as tf\n>>> tf.config.list_physical_devices('GPU')\n[]\n",
    "print('Num GPUs Available: ', len(tf.config.list_physical_devices('GPU')))\nNum GPUs Available:  0\n",
    ">>> tf.test.is_gpu_available()\nFalse\n",
]


@pytest.mark.parametrize("answer", TF_NO_GPU)
def test_tensorflow_without_a_gpu_build_shown_keeps_the_cpu_build_first(answer: str) -> None:
    assert codes(answer)[:3] == ["FRAMEWORK_CPU_BUILD", "CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH"]


@pytest.mark.parametrize("shown", [
    "$ pip install tensorflow-gpu==2.4.1\n",                                # the GPU package alone
    ">>> tf.test.is_built_with_cuda()\nTrue\n",                             # the build says so
    "pip install tensorflow==2.4.1 on Ubuntu 20.04\n",                      # a Linux pip release that carries CUDA
])
@pytest.mark.parametrize("answer", TF_NO_GPU)
def test_a_gpu_build_shown_ranks_by_its_own_count(shown: str, answer: str) -> None:
    # A fact that rules the CPU build out (knowledge/ruleouts.toml) picks the row counted for such logs.
    report_ = report(shown + answer)
    assert [c.code for c in report_.causes][:3] == ["CUDA_LIBS_MISMATCH", "CUDNN_MISSING", "FRAMEWORK_INSTALL_BROKEN"]
    assert "FRAMEWORK_CPU_BUILD ranked lower" in report_.causes[0].title  # the line that ruled it out is said


def test_the_gpu_build_row_is_tensorflows_only() -> None:
    from whygpu.knowledge.priors import unused_prior

    assert unused_prior("tensorflow", "any", gpu_build_shown=True)["causes"][0] == "CUDA_LIBS_MISMATCH"
    assert unused_prior("tensorflow", "any")["causes"][0] == "FRAMEWORK_CPU_BUILD"
    assert unused_prior("torch", "any", gpu_build_shown=True)["causes"][0] == "FRAMEWORK_CPU_BUILD"


def test_the_recount_leaves_other_platforms_rows_and_conditions_alone() -> None:
    # Colab's own row (another CUDA than the image's first) and a condition in code are not the general row's.
    colab = "/usr/local/lib/python3.10/dist-packages/tensorflow/__init__.py\nIn Google Colab:\n" + TF_NO_GPU[0]
    assert codes(colab)[0] == "CUDA_LIBS_MISMATCH"
    assert codes("if not tf.config.list_physical_devices('GPU'):\n    print('no gpu')\n") == []


# The container toolkit's own check run, then the program's GPU left unused with no line saying why (LOG104), written for
# the class: docker, podman and nerdctl, options before and after the image.
CHECKS = [
    "$ docker run --rm --gpus all nvidia/cuda:12.2.0-base-ubuntu22.04 nvidia-smi\n",
    "sudo docker run --gpus=all -it ubuntu nvidia-smi -L\n",
    "$ podman run --rm --device nvidia.com/gpu=all docker.io/nvidia/cuda:12.4.1-base-ubi9 nvidia-smi\n",
    "nerdctl run --rm --gpus all nvidia/cuda:11.8.0-base-ubuntu22.04 nvidia-smi\n",
]
UNUSED = [
    "My app does not use the GPU at all, training runs on the CPU and is very slow.\n",
    "print(torch.cuda.is_available()) prints False in my service\n",
]


@pytest.mark.parametrize("answer", UNUSED)
@pytest.mark.parametrize("check", CHECKS)
def test_only_the_toolkit_check_given_the_gpu_reads_as_a_container_without_it(check: str, answer: str) -> None:
    assert codes(answer)[0] != "CONTAINER_NO_GPU"  # without the check, no container is shown
    assert codes(check + answer)[0] == "CONTAINER_NO_GPU"


@pytest.mark.parametrize("answer", UNUSED)
@pytest.mark.parametrize("before", [
    # The program's own container run with the GPU: the check is not the only run given it.
    CHECKS[0] + "$ docker run --rm --gpus all -p 8080:8080 myorg/app:latest python serve.py\n",
    "$ docker run --rm --gpus all -it pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime bash\n",
    # A run whose command only mentions nvidia-smi among others is the program's, not the check.
    "docker run --gpus all myorg/app bash -c 'nvidia-smi && python train.py'\n",
])
def test_a_program_run_with_the_gpu_keeps_the_other_rows(before: str, answer: str) -> None:
    assert codes(before + answer)[0] != "CONTAINER_NO_GPU"
