"""accort40 (session 40): ONNX Runtime, what session 39 left.

- knowledge/programs.toml: onnxruntime-gpu 1.24 and later (CUDA 12 builds through 1.26 on PyPI, CUDA 13 from 1.27; each
  release's other CUDA build from ONNX Runtime's own feed), read by LOG840 and LOG240 through program_build_needs.
- explain.answers.printed_pair: "ort.get_device(): GPU" is onnxruntime's printed answer, as the REPL pair's next line is.
- explain.listedonly: a framework named only by package listing rows beside ONNX Runtime at work is not the runtime.
- explain.devlayers: a distribution's pin ("onnxruntime-gpu==1.27.0") asks for no device.
- explain.statements: "cant load cuda" is the writer's stated trouble.
"""

from __future__ import annotations

import pytest

from log_text import facts, finding_codes, first_cause
from whygpu.explain import answers
from whygpu.explain.devlayers import asked_in
from whygpu.explain.programbuilds import program_builds
from whygpu.knowledge.programs import program_build_needs

# https://github.com/hacksider/Deep-Live-Cam/issues/1862 (the environment block of the issue, as written).
DLC_1862 = """### Environment
OS: Windows 10 10.0.19045 x64
GPU: NVIDIA GeForce RTX 5080, 16GB VRAM
NVIDIA Driver: 596.36
CUDA Version shown by nvidia-smi: 13.2
Python: 3.11.0
### Main Dependency Versions
numpy==1.26.4
onnx==1.18.0
onnxruntime-gpu==1.27.0
insightface==0.7.3
tensorflow==2.19.1
torch==2.11.0+cu128
torchvision==0.26.0+cu128

### ONNX Runtime Info
onnxruntime-gpu: 1.27.0
available providers: ['TensorrtExecutionProvider', 'CUDAExecutionProvider', 'CPUExecutionProvider']
ort.get_device(): GPU

When I start Deep-Live-Cam with the CUDA execution provider, CPU usage reaches 100%, but GPU `Compute_0` / `Compute_1` usage stays at 0%.

It looks like the program detects the CUDA provider, but the actual inference/compute workload is not running on the GPU compute engine.

Command : python run.py --execution-provider cuda"""


@pytest.mark.parametrize(("version", "variant", "cuda"), [
    ("1.24.1", None, "12"), ("1.26.0", None, "12"), ("1.25.0", "cuda13", "13"),   # microsoft/onnxruntime#27130
    ("1.27.0", None, "13"), ("1.28.0", "cuda12", "12"), ("1.27.0", "cuda13", "13"),  # #29032, #29831, #27944
    ("1.23.2", None, "12"),  # the requirements table's row, unchanged
])
def test_later_releases_have_rows(version: str, variant: str | None, cuda: str) -> None:
    build = program_build_needs("onnxruntime-gpu", version, variant)
    assert build is not None and build.cuda == cuda and build.cudnn == "9"


def test_the_cuda_13_feed_and_archives_name_their_variant() -> None:
    # microsoft/onnxruntime#27130's install line; darktable's ort_gpu.json names the archives gpu_cuda12-{version}.
    feed = "pip install --pre --index-url https://aiinfra.pkgs.visualstudio.com/PublicPackages/_packaging/ort-cuda-13-nightly/pypi/simple/ onnxruntime-gpu==1.24.0.dev20260127002"
    assert [b.variant for b in program_builds(feed.replace(".dev20260127002", ""))] == ["cuda13"]
    assert [(b.version, b.variant) for b in program_builds("onnxruntime-linux-x64-gpu_cuda12-1.24.1.tgz")] == [("1.24.1", "cuda12")]


def test_release_against_cuda_shown_for_later_releases() -> None:
    assert "LOG840" in finding_codes("onnxruntime-gpu==1.25.0\nI have CUDA 13.0 installed and onnxruntime only uses the CPU")
    assert "LOG840" in finding_codes("onnxruntime-gpu==1.27.0\nI have CUDA 12.4 installed and onnxruntime only uses the CPU")
    # The build that fits the CUDA shown, and the CUDA 12 build of 1.27 from its feed, stay quiet.
    assert "LOG840" not in finding_codes("onnxruntime-gpu==1.27.0\nI have CUDA 13.1 installed and onnxruntime only uses the CPU")
    feed12 = ("pip install onnxruntime-gpu==1.27.0 --index-url https://aiinfra.pkgs.visualstudio.com/PublicPackages/_packaging/"
              "onnxruntime-cuda-12/pypi/simple/\nI have CUDA 12.4 installed and onnxruntime only uses the CPU")
    assert "LOG840" not in finding_codes(feed12)


@pytest.mark.parametrize("line", ["ort.get_device(): GPU", "get_device() -> GPU", "onnxruntime.get_device() = GPU",
                                  "print(ort.get_device())  # GPU"])
def test_get_device_printed_pair_is_onnxruntimes_answer(line: str) -> None:
    assert [s.value for s in facts(line).gpu_answer.get("onnxruntime", [])] == [True]


def test_get_device_in_prose_or_on_the_next_line() -> None:
    # A "GPU found" answer in prose is not read (it is often of another run); the print's value on the next line is.
    assert not facts("ort.get_device() returns GPU but the session runs on the CPU").gpu_answer.get("onnxruntime")
    assert [s.value for s in facts("print(ort.get_device())\nGPU").gpu_answer["onnxruntime"]] == [True]
    # A tensor's .get_device() and paddle's are not onnxruntime's.
    assert not answers.read_line("x.get_device() -> 0")
    assert all(a.framework == "paddle" for a in answers.read_line("paddle.get_device(): gpu:0"))


def test_framework_only_listed_beside_onnxruntime_does_not_lead() -> None:
    got = facts(DLC_1862)
    assert set(got.listed_only) == {"tensorflow", "torch"}
    codes_found = finding_codes(DLC_1862)
    assert "LOG147" not in codes_found and "FW002" not in codes_found
    # What leads is ONNX Runtime's own: its 1.27 build (CUDA 13) against the CUDA 12.8 PyTorch's build brings.
    assert first_cause(DLC_1862) == "CUDA_LIBS_MISMATCH"


def test_framework_listed_and_running_still_counts() -> None:
    # The program imports TensorFlow: it runs, and its readings stay.
    ran = DLC_1862.replace("### ONNX Runtime Info", "import tensorflow as tf\n### ONNX Runtime Info")
    assert "tensorflow" not in facts(ran).listed_only
    # No ONNX Runtime at work: a listing of TensorFlow alone is the environment's framework.
    alone = "OS: Windows 10\ntensorflow==2.19.1\nnumpy==1.26.4\nGPU: NVIDIA GeForce RTX 5080\nIt does not use my GPU"
    assert not facts(alone).listed_only
    assert "FW002" in finding_codes(alone)


def test_a_pin_asks_for_no_device() -> None:
    assert asked_in("onnxruntime-gpu==1.27.0") is None
    assert asked_in("pip install paddlepaddle-gpu==2.6.1") is None
    assert asked_in("python train.py --gpu 1") == 1
    assert asked_in("python main.py -gpu 0,1") == 1
    assert not facts(DLC_1862).device_asked


def test_cannot_load_cuda_is_stated_trouble() -> None:
    # https://github.com/microsoft/onnxruntime/issues (the example of LOG840's documentation, session 39).
    text = "which version of cuda will be fine with onnxruntime-gpu 1.12\nmy cuda version is 10.2, but onnxruntime cant load cuda"
    assert [s.value for s in facts(text).stated_trouble] == ["cant load cuda"]
    assert first_cause(text) == "CUDA_LIBS_MISMATCH"
    assert not facts("If it cannot load cuda, reinstall the toolkit").stated_trouble
    assert not facts("the program can load cuda fine").stated_trouble


def test_a_pin_tried_is_not_the_build_installed() -> None:
    assert program_builds("I tried pip install onnxruntime-gpu==1.27.0 but it failed") == []
    assert program_builds("I tried to install onnxruntime-gpu==1.27.0") == []
    # pip freeze's row and pip's own install line are the build.
    assert [b.version for b in program_builds("onnxruntime-gpu==1.27.0")] == ["1.27.0"]
    assert [b.version for b in program_builds("Successfully installed onnxruntime-gpu-1.27.0")] == ["1.27.0"]
