"""accpairs (session 27): a framework's GPU build and its CPU twin (LOG370), and stated versions judged against a
framework's tested build.

The lines are written from what pip, conda and the frameworks print (pip list's columns, pip freeze's pins, conda list's
rows, MXNet's and PaddlePaddle's answers) and from how people word an install, not copied from a corpus case.
"""

from __future__ import annotations

import pytest

from log_text import codes, finding_codes, first_cause
from whygpu.explain.installstate import twin_members
from whygpu.knowledge.python_layouts import Installed, gpu_build_shadowed, same_import_conflicts

# --- the knowledge layer's decision ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("names", "gpu", "others"), [
    (["mxnet", "mxnet-cu101"], "mxnet-cu101", ("mxnet",)),
    (["mxnet-mkl", "mxnet-cu92mkl"], "mxnet-cu92mkl", ("mxnet-mkl",)),
    (["mxnet_cu112", "mxnet-native"], "mxnet-cu112", ("mxnet-native",)),     # pip's underscore spelling
    (["paddlepaddle-gpu", "paddlepaddle"], "paddlepaddle-gpu", ("paddlepaddle",)),
])
def test_a_gpu_build_beside_its_twin_is_shadowed(names: list[str], gpu: str, others: tuple[str, ...]) -> None:
    found = gpu_build_shadowed(names, cpu_answer=False)
    assert found is not None and found.gpu == gpu and found.others == others


def test_a_gpu_build_alone_is_shadowed_only_where_the_framework_answers_without_cuda() -> None:
    assert gpu_build_shadowed(["mxnet-cu101mkl"], cpu_answer=False) is None
    found = gpu_build_shadowed(["mxnet-cu101mkl"], cpu_answer=True)
    assert found is not None and found.others == () and found.group.group == "mxnet"
    # onnxruntime-gpu answers with its providers whatever CUDA is there, and torch's names decide nothing.
    assert gpu_build_shadowed(["onnxruntime-gpu"], cpu_answer=True) is None
    assert gpu_build_shadowed(["torch"], cpu_answer=True) is None
    # A CPU build alone is no GPU build shadowed.
    assert gpu_build_shadowed(["mxnet"], cpu_answer=True) is None
    assert gpu_build_shadowed(["mxnet-cu101", "mxnet-model-server"], cpu_answer=False) is None   # another module


def test_doctor_reads_the_mxnet_builds_as_one_import_package() -> None:
    found = same_import_conflicts([Installed("mxnet", "1.9.1"), Installed("mxnet-cu112", "1.9.1")], windows=False)
    assert [g.group for g, _ in found] == ["mxnet"]
    assert same_import_conflicts([Installed("mxnet-cu112", "1.9.1"), Installed("gluoncv", "0.10.5")], windows=False) == []


# --- the reading: which lines show a build installed ---------------------------------------------------------------


@pytest.mark.parametrize(("line", "names"), [
    ("mxnet-cu102mkl            1.6.0", ["mxnet-cu102mkl"]),                          # pip list
    ("mxnet==1.9.1", ["mxnet"]),                                                     # pip freeze
    ("mxnet-mkl                 1.6.0                    pypi_0    pypi", ["mxnet-mkl"]),  # conda list
    ("| paddlepaddle-gpu | 2.6.1 |", ["paddlepaddle-gpu"]),                           # a table
    ("My mxnet package is `mxnet-cu110` version 1.8.0", ["mxnet-cu110"]),
    ("We installed paddlepaddle-gpu following the guide.", ["paddlepaddle-gpu"]),
    ("mxnet-cu92 (1.5.1) is installed on the server", ["mxnet-cu92"]),
])
def test_a_build_shown_installed_is_read(line: str, names: list[str]) -> None:
    assert twin_members(line) == names


@pytest.mark.parametrize("line", [
    "I use MXNet 1.5 for training",                          # the framework's name, not pip's CPU package
    "You should install mxnet-cu101 1.5.0 instead.",         # advice
    "Should I install mxnet-cu101 1.5?",                     # a question
    "If I install paddlepaddle-gpu 2.5 will it work?",       # a condition
    "Do not install mxnet-cu101 1.5.0 beside mxnet.",        # an instruction
    "# install mxnet-cu101 1.5.0 for CUDA 10.1",             # a code comment
])
def test_words_that_do_not_say_a_build_is_installed_are_not_read(line: str) -> None:
    assert twin_members(line) == []


# --- LOG370 --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("log", [
    # pip list with both builds, MXNet answering no GPU
    "$ pip list\nPackage        Version\n-------------- -------\nmxnet          1.6.0\nmxnet-cu102    1.6.0\nnumpy          1.18.5\n"
    ">>> import mxnet as mx\n>>> mx.context.num_gpus()\n0\n",
    # pip freeze with PaddlePaddle's two builds, Paddle on the CPU
    "paddlepaddle==2.6.1\npaddlepaddle-gpu==2.6.1\n>>> import paddle\n>>> paddle.device.get_device()\n'cpu'\n",
    # a GPU build said installed, the program saying it runs on the CPU, no other line
    "I have mxnet-cu110 1.8.0 installed in my environment, but the tool still prints 'Using CPU' and the GPU stays idle.\n",
])
def test_a_gpu_build_shadowed_by_its_twin_is_named_first(log: str) -> None:
    assert first_cause(log) == "FRAMEWORK_INSTALL_BROKEN"
    assert "LOG370" in finding_codes(log)


@pytest.mark.parametrize("log", [
    # both listed, but the GPU is in use
    "mxnet          1.6.0\nmxnet-cu102    1.6.0\n>>> mx.context.num_gpus()\n1\n[10:01:02] src/operator/nn/cudnn/./cudnn_algoreg-inl.h:97: Running performance tests to find the best convolution algorithm, this can take a while...\n",
    # the GPU build alone, failing to import for a CUDA library: that line's cause, not a twin
    "I have mxnet-cu101 1.5.0 installed but it runs on the CPU.\n"
    "OSError: libcudart.so.10.1: cannot open shared object file: No such file or directory\n",
    # the framework's name in words, with a CPU run: no build named
    "I use MXNet 1.5 and it prints 'Using CPU'.\n",
    # advice to install the GPU build, not a build installed
    "The GPU stays idle. You should install mxnet-cu101 1.5.0 and remove mxnet.\n",
])
def test_no_twin_shown_or_another_cause_keeps_log370_quiet(log: str) -> None:
    assert "LOG370" not in finding_codes(log)


# --- stated versions against TensorFlow's tested build: a cuDNN of another CUDA generation ---------------------------


@pytest.mark.parametrize(("cudnn", "cuda", "built"), [
    ("8.5", "10.1", False),     # cuDNN 8.5 was published for CUDA 10.2 and 11.x
    ("8.5.0", "11.2", True),
    ("7.6.5", "10.1", True),
    ("7.6", "11.0", False),     # cuDNN 7 has no CUDA 11 build
    ("8.0.5", "11.1", True),
    ("9.3", "12.4", True),
    ("8.9", "10.2", False),
])
def test_which_cuda_a_cudnn_release_was_built_for_is_the_knowledge_layers(cudnn: str, cuda: str, built: bool) -> None:
    from whygpu.knowledge.cuda import cudnn_built_for_cuda

    assert cudnn_built_for_cuda(cudnn, cuda) is built


def test_an_unknown_cudnn_release_decides_nothing() -> None:
    from whygpu.knowledge.cuda import cudnn_built_for_cuda

    assert cudnn_built_for_cuda("4.0", "7.0") is None
    assert cudnn_built_for_cuda("8.5", "ten") is None


@pytest.mark.parametrize("log", [
    "TensorFlow version: 2.3.0\ncuDNN version: 8.5.0\nGPU model: Tesla T4\ntf.config.list_physical_devices('GPU') returns [] and training runs on the CPU.\n",
    "I am on tensorflow-gpu 2.4.1 with cudnn 7.6.5 and the GPU is not used at all.\n",
])
def test_a_cudnn_of_another_cuda_generation_names_the_cuda_release_first(log: str) -> None:
    causes = codes(log)
    assert causes[:2] == ["CUDA_LIBS_MISMATCH", "CUDNN_MISMATCH"]


def test_a_cudnn_built_for_the_tested_cuda_names_only_cudnn() -> None:
    # TensorFlow 2.3 is tested with CUDA 10.1 and cuDNN 7.6; cuDNN 8.0 has a CUDA 10.1 build: only cuDNN is off.
    log = "TensorFlow version: 2.3.0\ncuDNN version: 8.0.4\ntf.config.list_physical_devices('GPU') returns [] and training runs on the CPU.\n"
    causes = codes(log)
    assert causes[0] == "CUDNN_MISMATCH" and "CUDA_LIBS_MISMATCH" not in causes[:1]


# --- LOG371: the release a program wants, said in words, against the one installed ------------------------------------


@pytest.mark.parametrize(("line", "expected"), [
    ("The install guide says it requires CUDA 10.0, but I have CUDA 10.2 installed.", [("cuda", "10.0", "10.2")]),
    ("I set up CUDA 9.0 instead of the recommended CUDA 8.0.", [("cuda", "8.0", "9.0")]),
    ("I downloaded cuDNN v7.1.4 rather than the suggested cuDNN v6.", [("cudnn", "6", "7.1")]),
    ("The required CUDA version is 11.8 and my CUDA is 12.1", [("cuda", "11.8", "12.1")]),
    ("The library was built for CUDA 10.1; our server has CUDA 11.0.", [("cuda", "10.1", None)]),
])
def test_a_wanted_release_said_as_a_fact_is_read(line: str, expected: list[tuple[str, str, str | None]]) -> None:
    from whygpu.explain.versionfacts import stated_wanted

    assert stated_wanted(line) == expected


@pytest.mark.parametrize("line", [
    "Does it require CUDA 10.0?",
    "If it needs CUDA 11.2, I will upgrade.",
    "You need CUDA 11.2 for this release.",
    "Make sure you have the recommended cuDNN 8.1 installed.",
    "W tensorflow/core/common_runtime/gpu/gpu_device.cc:1934] requires CUDA 11.2",
])
def test_a_wanted_release_asked_supposed_or_advised_is_not_read(line: str) -> None:
    from whygpu.explain.versionfacts import stated_wanted

    assert stated_wanted(line) == []


@pytest.mark.parametrize(("log", "first"), [
    ("The GPU is never used. The project requires CUDA 10.0 but I have CUDA 10.2 installed.\n", "CUDA_LIBS_MISMATCH"),
    ("Training runs on the CPU only. I installed CUDA 9.0 with cuDNN 7.0.5 instead of the recommended CUDA 8.0 and cuDNN 6.\n",
     "CUDA_LIBS_MISMATCH"),
    ("Training runs on the CPU only.\nThe model server needs cuDNN 7, while mine is 8.2.\n", "CUDNN_MISMATCH"),
])
def test_a_stated_requirement_the_installed_release_does_not_serve_is_named(log: str, first: str) -> None:
    assert first_cause(log) == first
    assert "LOG371" in finding_codes(log)


@pytest.mark.parametrize("log", [
    # the installed release serves it (the same major from CUDA 11 on)
    "The GPU is never used. The project requires CUDA 11.2 but I have CUDA 11.8 installed.\n",
    # PyTorch's wheels carry their own CUDA
    "torch.cuda.is_available() returns False. PyTorch 2.1 requires CUDA 12.1 but I have CUDA 11.8 installed.\n",
    # no GPU trouble said
    "The project requires CUDA 10.0 but I have CUDA 10.2 installed; which should I keep?\n",
    # a line of another cause: the library the build could not open
    "The GPU is never used. The project requires CUDA 10.0 but I have CUDA 10.2 installed.\n"
    "OSError: libcudart.so.10.0: cannot open shared object file: No such file or directory\n",
])
def test_log371_stays_quiet_without_a_mismatch_said_of_a_failing_run(log: str) -> None:
    assert "LOG371" not in finding_codes(log)


@pytest.mark.parametrize("line", [
    "The docs say it requires CUDA 9 or above and we have CUDA 10.",     # a floor: a newer release serves it
    "It requires CUDA 10.1+ and I have 10.2.",
    "The package does not support CUDA 11 versions.",                    # what it does not want
])
def test_a_floor_or_a_negated_requirement_is_no_wanted_release(line: str) -> None:
    from whygpu.explain.versionfacts import stated_wanted

    assert stated_wanted(line) == []


def test_a_release_named_by_its_major_is_served_by_any_minor_of_it() -> None:
    log = "TensorFlow finds no GPU. The project requires CUDA 11 and I have CUDA 11.8 installed.\n"
    assert "LOG371" not in finding_codes(log)
