"""accnotcpu (session 35): is this build a CUDA build? One decision over every kind of evidence (knowledge/cuda_build.py),
read from the log's facts (explain/buildshown.py), with lines a program printed from its own CUDA code (explain/cudacode.py).
Real log lines carry their public source."""

from __future__ import annotations

import pytest

from log_text import facts, first_cause
from whygpu.explain.buildshown import KINDS, cuda_build_verdict
from whygpu.explain.cudacode import cuda_code_lines
from whygpu.knowledge.cuda_build import build_verdict, evidence_kinds


def test_every_kind_of_evidence_is_read_and_every_read_kind_is_known() -> None:
    assert set(KINDS) == set(evidence_kinds())


@pytest.mark.parametrize(("kinds", "expected"), [
    (["build_query"], (True, "decides")),
    (["build_query_cpu"], (False, "decides")),
    (["cuda_wheel_index", "pip_cuda_wheels"], (True, "suggests")),
    # a decisive sign outweighs a suggestion of the other side
    (["cuda_called", "cpu_build_stated"], (True, "decides")),
    (["build_query_cpu", "cuda_wheel_index"], (False, "decides")),
])
def test_the_verdict_weighs_each_kind(kinds: list[str], expected: tuple[bool, str]) -> None:
    verdict = build_verdict(kinds)
    assert verdict is not None and (verdict.cuda, verdict.strength) == expected


@pytest.mark.parametrize("kinds", [
    [],
    ["build_query", "build_query_cpu"],  # two builds shown: a mixed install decides nothing
    ["cuda_wheel_index", "cpu_build_stated"],  # suggestions on both sides decide nothing
    ["conda_cuda_pin"],  # a solver's request alone weighs nothing (lead, session 35)
])
def test_the_verdict_stays_open(kinds: list[str]) -> None:
    assert build_verdict(kinds) is None


# https://github.com/lllyasviel/stable-diffusion-webui-forge/issues/521
FORGE = ("[Bug]: Cannot install WebUI-Forge: RuntimeError: Torch is not able to use GPU\n"
         "> Creating venv in directory C:\\SD\\stable-diffusion-webui-forge\\venv using python "
         "\"C:\\Users\\[Me]\\AppData\\Local\\Programs\\Python\\Python310\\python.exe\"\n"
         "> Installing torch and torchvision\n"
         "> Looking in indexes: https://pypi.org/simple, https://download.pytorch.org/whl/cu121\n"
         "> Python 3.10.9 (tags/v3.10.9:1dd9be6, Dec  6 2022, 20:01:21) [MSC v.1934 64 bit (AMD64)]\n")


def test_a_cuda_wheel_index_installed_demotes_the_cpu_build() -> None:
    found = cuda_build_verdict(facts(FORGE), "torch")
    assert found is not None and found[0].cuda and found[0].strength == "suggests"
    assert first_cause(FORGE) == "DRIVER_TOO_OLD"
    # without the index line, the PyTorch-on-Windows row puts the CPU build first
    assert first_cause(FORGE.replace("download.pytorch.org/whl/cu121", "example.org/simple")) == "FRAMEWORK_CPU_BUILD"


def test_a_cpu_wheel_shown_beside_the_index_keeps_the_cpu_build_first() -> None:
    text = FORGE + ">>> torch.__version__\n'2.1.2+cpu'\n"
    found = cuda_build_verdict(facts(text), "torch")
    assert found is not None and found[0].cuda is False
    assert first_cause(text) == "FRAMEWORK_CPU_BUILD"


def test_an_install_command_that_only_asks_for_the_cuda_index_is_no_evidence() -> None:
    text = ("pip install torch --index-url https://download.pytorch.org/whl/cu121\n"
            ">>> torch.cuda.is_available()\nFalse\n")
    assert cuda_build_verdict(facts(text), "torch") is None


@pytest.mark.parametrize(("line", "words"), [
    # https://github.com/langchain-ai/local-deep-researcher/issues/34
    ("/go/src/github.com/ollama/ollama/llm/llama.cpp/ggml/src/ggml-cuda.cu:106: CUDA error", "/go/src/github.com/ollama/ollama/llm/llama.cpp/ggml/src/ggml-cuda.cu:106"),
    # https://github.com/Genesis-Embodied-AI/Genesis/issues/400
    ("the first is  [cuda_driver.cpp:load_lib@36] libcuda.so lib not found.", "cuda_driver.cpp"),
    # https://github.com/Theano/Theano/issues/3874
    ("    WARNING (theano.sandbox.cuda): CUDA is installed, but device gpu is not available  (error: cuda unavailable)",
     "theano.sandbox.cuda"),
    # https://github.com/PaddlePaddle/Paddle/issues/33136
    ("> W0526 17:14:31.400776 21148 device_context.cc:404] Please NOTE: device: 0, GPU Compute Capability: 8.6, Driver API "
     "Version: 11.2, Runtime API Version: 11.2", "Driver API Version: 11.2, Runtime API Version: 11.2"),
])
def test_a_line_from_cuda_code_is_read(line: str, words: str) -> None:
    assert [w for _, w, _ in cuda_code_lines([line])] == [words]


@pytest.mark.parametrize("line", [
    # https://github.com/Rudrabha/Wav2Lip/issues/502: a Python path under torch/cuda is no CUDA code run
    '  File "\\wav2liphp\\lib\\site-packages\\torch\\cuda\\__init__.py", line 239, in _lazy_init',
    "AssertionError: Torch not compiled with CUDA enabled",
    "CUDA Version: 12.4",
])
def test_other_lines_naming_cuda_are_not_read(line: str) -> None:
    assert list(cuda_code_lines([line])) == []


# https://github.com/langchain-ai/local-deep-researcher/issues/34
OLLAMA = ("I'm getting this error after clicking on the submit button in the studio webpage.\n\n"
          "OS: ubuntu 22.04\nGPU: A100 with 40 GB of vram cuda 12.4\n\n"
          "ollama._types.ResponseError: llama runner process has terminated: CUDA error: operation not supported\n"
          "  current device: 0, in function ggml_backend_cuda_get_device_memory at /go/src/github.com/ollama/ollama/llm/llama.cpp/ggml/src/ggml-cuda.cu:3163\n"
          "  cudaMemGetInfo(free, total)\n"
          "/go/src/github.com/ollama/ollama/llm/llama.cpp/ggml/src/ggml-cuda.cu:106: CUDA error (status code: 500)\n\n"
          "I can see that no process is running on the GPU and it's a recurring problem for tools to properly select the GPU on "
          "this machines (vm running nvidia grid driver).\n")


def test_a_program_that_ran_its_cuda_code_is_no_cpu_build() -> None:
    found = cuda_build_verdict(facts(OLLAMA), None)
    assert found is not None and found[0].cuda and found[0].kind == "cuda_code_line"
    assert first_cause(OLLAMA) not in (None, "FRAMEWORK_CPU_BUILD")


# https://github.com/Rudrabha/Wav2Lip/issues/502
WAV2LIP = ('    return self._apply(lambda t: t.cuda(device))\n'
           '  File "\\wav2liphp\\lib\\site-packages\\torch\\cuda\\__init__.py", line 239, in _lazy_init\n'
           '    raise AssertionError("Torch not compiled with CUDA enabled")\n'
           'AssertionError: Torch not compiled with CUDA enabled\n')


def test_torch_not_compiled_with_cuda_keeps_the_cpu_build_first() -> None:
    assert facts(WAV2LIP).cuda_code_line == []
    assert first_cause(WAV2LIP) == "FRAMEWORK_CPU_BUILD"


# https://github.com/jahaniam/Real-time-Video-Mosaic/issues/1
MOSAIC = ("OpenCV Error: No GPU support (The library is compiled without CUDA support) in mallocPitch, file "
          "/tmp/opencv@2-20191004-38911-1selm3v/opencv-2.4.13.7/modules/dynamicuda/include/opencv2/dynamicuda/dynamicuda.hpp, line 126\n"
          "I want to know if I need Nvidia to run the code, My device is Mac book pro 2018\n")


def test_a_mac_book_named_in_two_words_is_a_mac_without_an_nvidia_gpu() -> None:
    assert [s.value for s in facts(MOSAIC).platform][:1] == ["darwin"]
    assert first_cause(MOSAIC) == "NO_GPU"


def test_the_cpu_build_message_alone_keeps_the_cpu_build_first() -> None:
    assert first_cause(MOSAIC.replace("Mac book pro 2018", "desktop")) == "FRAMEWORK_CPU_BUILD"


# https://github.com/kreshuklab/plant-seg/issues/172 (session 35's sealed batch, opened): the pin was asked for, the solve over
# conda-forge ended with a PyTorch without CUDA; the maintainer's command that names pytorch beside the pin fixed it.
PLANTSEG = ('I installed Plantseg using "mamba create -n plant-seg -c pytorch -c nvidia -c conda-forge -c lcerrone plantseg '
            'pytorch-cuda=11.7 cudatoolkit". My cuda version is 11.7. I still have this issue that plantSeg is using CPU, not cuda. '
            "This happened after several reinstallations as well.\n")


def test_a_conda_pin_is_a_hint_that_moves_nothing() -> None:
    assert evidence_kinds()["conda_cuda_pin"].strength == "hints"
    assert build_verdict(["conda_cuda_pin", "cuda_wheel_index"]) == build_verdict(["cuda_wheel_index"])
    assert cuda_build_verdict(facts(PLANTSEG), "torch") is None
    assert first_cause(PLANTSEG) == "FRAMEWORK_CPU_BUILD"
