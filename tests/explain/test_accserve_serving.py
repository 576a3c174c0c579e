"""Serving programs, deployment images and compiler add-ons (session 28, branch accserve).

torch.compile's inductor finding no Triton (torch/_inductor/exc.py TritonMissing and the RuntimeError before it); the
driver's libcuda.so.1 failing to load in a container, image or pod not shown given the GPU; an NVIDIA image's start-up
check finding no supported GPU while MPS or an exclusive compute mode holds it; TensorRT's CUDA initialisation failing
with a status that only a second CUDA runtime explains; serving images' CPU variants named where the GPU was wanted.
Every line here is written from the programs' source formats and the class (other values, programs and phrasing), none
copied from a corpus case. Each reading fires and stays quiet.
"""

from __future__ import annotations

import pytest

from log_text import codes, facts
from whygpu.explain import explain_text


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


# --- torch.compile without a working Triton ------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    # 2.6+: the exception class, its full sentence
    "Traceback (most recent call last):\n  File \"train.py\", line 88, in <module>\n    loss = model(x)\n"
    "torch._inductor.exc.TritonMissing: Cannot find a working triton installation. Either the package is not installed or "
    "it is too old. More information on installing Triton can be found at: https://github.com/triton-lang/triton\n",
    # 2.1-2.5, wrapped by dynamo
    "torch._dynamo.exc.BackendCompilerFailed: backend='inductor' raised:\nRuntimeError: Cannot find a working triton "
    "installation. Either the package is not installed or it is too old. More information on installing Triton can be "
    "found at https://github.com/openai/triton\n",
    # 2.0's shorter sentence, inside a worker's log line
    "2024-03-02 11:02:03 | ERROR | worker | RuntimeError: Cannot find a working triton installation. More information on "
    "installing Triton can be found at https://github.com/openai/triton\n",
    # the class named alone in a pasted summary
    "The trainer stops at the first step with TritonMissing when compile is on.\n",
])
def test_triton_missing_is_an_incomplete_install(text: str) -> None:
    assert "LOG-INDUCTOR-TRITON-MISSING" in _ids(text)
    assert codes(text)[0] == "FRAMEWORK_INSTALL_BROKEN"


def test_triton_missing_on_native_windows_names_the_windows_build() -> None:
    text = ("OS: Windows 11, torch 2.7.1+cu128\n"
            "torch._inductor.exc.TritonMissing: Cannot find a working triton installation. Either the package is not "
            "installed or it is too old.\n")
    result = explain_text(text)
    finding = next(f for f in result.findings if f.id == "LOG-INDUCTOR-TRITON-MISSING")
    assert "triton-windows" in finding.fix and "Windows" in finding.title


@pytest.mark.parametrize("text", [
    # xFormers' optional Triton, and a bare import error (programs that import triton themselves, often optional)
    "A matching Triton is not available, some optimizations will not be enabled.\nError caught was: No module named 'triton'\n",
    "ModuleNotFoundError: No module named 'triton'\n",
    # dynamo fell back to eager: the run went on, uncompiled, on the GPU
    "[2024-05-01 09:00:00,000] torch._dynamo.convert_frame: [WARNING] WON'T CONVERT forward /srv/app/net.py line 40\n"
    "due to:\nTraceback (most recent call last):\nRuntimeError: Cannot find a working triton installation. More information "
    "on installing Triton can be found at https://github.com/openai/triton\n",
    # Triton compiled and ran inductor's kernels in the same log
    "torch._inductor.exc.TritonMissing: Cannot find a working triton installation.\n(after pip install triton)\n"
    "AUTOTUNE mm(64x1024, 1024x1024)\n  triton_mm_3 0.0101 ms 100.0% BLOCK_K=32, BLOCK_M=64, BLOCK_N=64\n",
])
def test_triton_missing_quiet(text: str) -> None:
    assert "LOG-INDUCTOR-TRITON-MISSING" not in _ids(text)


# --- the driver's libcuda.so.1 inside a container not given the GPU -----------------------------------------------

@pytest.mark.parametrize("text", [
    # a serving binary in an image the writer built
    "We run the model server from our own docker image.\n"
    "/usr/bin/tritonserver: error while loading shared libraries: libcuda.so.1: cannot open shared object file: No such "
    "file or directory\n",
    # a pod's log, the orchestrator named
    "The pod in our kubernetes cluster crashes at start:\n"
    "ImportError: libcuda.so.1: cannot open shared object file: No such file or directory\n",
    # a framework GPU image named, TensorFlow's loader line
    "Image: tensorflow/tensorflow:2.4.1-gpu\n"
    "W tensorflow/stream_executor/platform/default/dso_loader.cc:60] Could not load dynamic library 'libcuda.so.1'; "
    "dlerror: libcuda.so.1: cannot open shared object file: No such file or directory\n",
])
def test_libcuda_in_a_container_not_given_the_gpu(text: str) -> None:
    assert codes(text)[0] == "CONTAINER_NO_GPU"
    assert "DRIVER_MISSING" in codes(text)[1:3]


@pytest.mark.parametrize(("text", "first"), [
    # no container anywhere: the driver's own absence
    ("/usr/bin/tritonserver: error while loading shared libraries: libcuda.so.1: cannot open shared object file: No "
     "such file or directory\n", "DRIVER_MISSING"),
    # the container was started with the GPU: not the launch's doing
    ("$ docker run --gpus all -p 8000:8000 myorg/server:1.2\n"
     "/app/server: error while loading shared libraries: libcuda.so.1: cannot open shared object file: No such file or "
     "directory\n", "DRIVER_MISSING"),
])
def test_libcuda_without_a_container_stays_the_drivers(text: str, first: str) -> None:
    assert codes(text)[0] == first


def test_the_container_tag_needs_a_container() -> None:
    from whygpu.explain.rules import container_without_gpu

    assert container_without_gpu(facts("I built the docker image with CUDA in it.\n"))
    assert not container_without_gpu(facts("I built the model on my laptop.\n"))
    assert not container_without_gpu(facts("$ docker run --gpus all myimage\n"))
    assert not container_without_gpu(facts("Our docker setup runs on a CPU-only node.\n"))


# --- an NVIDIA image's start-up check beside MPS or an exclusive compute mode -------------------------------------

_NGC = "ERROR: No supported GPU(s) detected to run this container\n"


@pytest.mark.parametrize("shown", [
    "$ nvidia-smi\n| N/A   44C    P0    70W / 300W |   2100MiB / 32510MiB |      0%   E. Process |\n",
    "|    0   N/A  N/A      2311      C   nvidia-cuda-mps-server             30MiB |\n",
    "Another team started the MPS daemon on that node last week.\n",
    "    Compute Mode                          : Exclusive_Process\n",
    "Set compute mode to EXCLUSIVE_PROCESS for GPU 00000000:3B:00.0.\n",
])
def test_ngc_no_supported_gpu_with_the_gpu_held_is_busy(shown: str) -> None:
    assert codes(shown + _NGC)[0] == "GPU_BUSY"


@pytest.mark.parametrize("text", [
    _NGC,
    # Apple's MPS (Metal) is no NVIDIA MPS server; a scheduler's own exclusive request is the job's claim
    "PyTorch on my Mac uses the MPS backend.\n" + _NGC,
    '#BSUB -gpu "num=1:mode=exclusive_process"\n' + _NGC,
    "| N/A   44C    P0    70W / 300W |   2100MiB / 32510MiB |      0%      Default |\n" + _NGC,
])
def test_ngc_no_supported_gpu_without_a_holder_keeps_its_reading(text: str) -> None:
    assert codes(text)[0] != "GPU_BUSY"


# --- TensorRT's CUDA check answered with a usage error ------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "[TensorRT] ERROR: Cuda initialization failure with error 1. Please check cuda installation:  http://docs.nvidia.com/cuda/cuda-installation-guide-linux/index.html.",
    "[11/02/2021-08:15:42] [E] [TRT] CUDA initialization failure with error: 1. Please check your CUDA installation:  http://docs.nvidia.com/cuda/cuda-installation-guide-linux/index.html",
])
def test_tensorrt_status_1_is_two_cuda_releases(line: str) -> None:
    assert codes(line + "\n")[0] == "CUDA_LIBS_MISMATCH"


@pytest.mark.parametrize(("line", "first"), [
    # the status table's own readings stay: 35 is a driver too old, 100 no device
    ("[E] [TRT] CUDA initialization failure with error 35. Please check your CUDA installation:  http://docs.nvidia.com/cuda/cuda-installation-guide-linux/index.html", "DRIVER_TOO_OLD"),
    ("[E] [TRT] CUDA initialization failure with error 100. Please check your CUDA installation:  http://docs.nvidia.com/cuda/cuda-installation-guide-linux/index.html", None),
])
def test_tensorrt_other_statuses_keep_the_status_table(line: str, first: str | None) -> None:
    assert "LOG-TRT-CUDA-INIT-USAGE-ERROR" not in _ids(line + "\n")
    if first is not None:
        assert codes(line + "\n")[0] == first


# --- serving images' CPU variants where the GPU was wanted --------------------------------------------------------

@pytest.mark.parametrize("text", [
    "$ docker run --gpus all -p 8501:8501 -e MODEL_NAME=half_plus_two tensorflow/serving:2.13.0\n",
    "$ docker run --gpus all -p 8080:8080 pytorch/torchserve:0.8.2-cpu torchserve --start\n",
    "$ docker run --gpus all -p 8080:80 ghcr.io/huggingface/text-embeddings-inference:cpu-1.2 --model-id BAAI/bge-base-en\n",
    # an image named without a tag on the launch line is latest, TorchServe's CPU build
    "sudo docker run --rm -it --gpus all -p 8080:8080 pytorch/torchserve\n",
    # a KServe predictor's runtimeVersion picks the CPU tag while the pod asks for the GPU
    "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nspec:\n  predictor:\n    model:\n      modelFormat:\n"
    "        name: tensorflow\n      runtimeVersion: 2.6.2\n      resources:\n        limits:\n          nvidia.com/gpu: 1\n",
    # the chart's image in a pod spec, a MIG profile asked for
    "containers:\n  - name: kserve-container\n    image: kserve/huggingfaceserver:v0.15.0\n    resources:\n      limits:\n"
    "        nvidia.com/mig-3g.40gb: 1\n",
])
def test_serving_cpu_image_where_the_gpu_was_wanted(text: str) -> None:
    assert "LOG380" in _ids(text)
    assert codes(text)[0] == "FRAMEWORK_CPU_BUILD"


def test_serving_cpu_image_said_in_words() -> None:
    text = ("Our TorchServe deployment on the GPU node never touches the GPU.\n"
            "It turns out the helm chart deploys the CPU-only image by default.\n"
            "resources:\n  limits:\n    nvidia.com/gpu: 1\n")
    assert "LOG380" in _ids(text)
    assert codes(text)[0] == "FRAMEWORK_CPU_BUILD"


@pytest.mark.parametrize("text", [
    # the GPU variants
    "$ docker run --gpus all -p 8501:8501 tensorflow/serving:2.13.0-gpu\n",
    "$ docker run --gpus all ghcr.io/huggingface/text-embeddings-inference:89-1.2 --model-id BAAI/bge-base-en\n",
    "containers:\n  - image: kserve/huggingfaceserver:v0.15.0-gpu\n    resources:\n      limits:\n        nvidia.com/gpu: 1\n",
    # a CPU image with no GPU wanted anywhere: a CPU deployment
    "$ docker run -p 8501:8501 tensorflow/serving:2.13.0\n",
    # both variants named: the log is about the pair (the writer switched)
    "I had tensorflow/serving:2.13.0 and moved to tensorflow/serving:2.13.0-gpu with --gpus all.\n",
    # before 0.15 KServe's huggingfaceserver had one image
    "containers:\n  - image: kserve/huggingfaceserver:v0.14.1\n    resources:\n      limits:\n        nvidia.com/gpu: 1\n",
    # an untagged name in prose is not the image that ran
    "We followed the tensorflow/serving docs and ran it with --gpus all but nvidia-smi shows no process.\n",
    # the words asked, not said
    "Is the default TorchServe image the CPU-only image? We request nvidia.com/gpu: 1 for the pod.\n",
])
def test_serving_cpu_image_quiet(text: str) -> None:
    assert "LOG380" not in _ids(text)
