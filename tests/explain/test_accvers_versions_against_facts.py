"""accvers (session 33): a build's CUDA wherever a log writes it, judged against the driver's CUDA and the GPU (LOG540-542)."""

from __future__ import annotations

import pytest
from tests.log_text import codes, facts, finding_codes, first_cause

from whygpu.explain.buildcuda import build_cudas, driver_cuda_said

# https://github.com/mudler/LocalAI/issues/9948
LOCALAI_V100 = """the "latest" containers für cuda13 dont work with my V100. I run Nvidia GPU operator with 580x drivers and cuda13. This works with llama.cpp (natively installed without localAI), but fails to load any backend with localAI.
The cuda12 images however work.
Make the cuda13 images work with older volta architecture, they are SM70."""

# https://github.com/artokun/comfyui-mcp/issues/2016
COMFY_CU128 = """The stock comfyui-mcp RunPod image is a CUDA 12.8 build and explicitly requires a host driver compatible with CUDA 12.8 [...] In the observed incident the assigned host supported CUDA 12.6 and the stock container refused to start, leaving the pod billed but without a usable runtime.
- default image uses cu128
- host driver must be >= 570 (CUDA 12.8)"""

# https://github.com/jamiepine/voicebox/issues/994
VOICEBOX_PASCAL = ("My GTX1070 card stopped working with version 4.0; I understand this is due to the implementation of cu128 (which no "
                   "longer supports Pascal), whereas version 3.0 was the last to use cu126 (which does have support).")

SMI_126 = "| NVIDIA-SMI 560.35.03              Driver Version: 560.35.03      CUDA Version: 12.6     |"
SMI_128 = "| NVIDIA-SMI 570.124.06             Driver Version: 570.124.06     CUDA Version: 12.8     |"


@pytest.mark.parametrize(("line", "cuda", "form"), [
    ("docker run --gpus all pytorch/pytorch:2.7.0-cuda12.8-cudnn9-runtime", "12.8", "image"),
    ("FROM nvidia/cuda:12.8.0-cudnn-runtime-ubuntu22.04", "12.8", "image"),
    ("docker run tensorflow/tensorflow:2.15.0-gpu python train.py", "12.2", "image"),
    ("pip install torch==2.7.0+cu128", "12.8", "torch"),
    ("pip install torch --index-url https://download.pytorch.org/whl/cu128", "12.8", "torch"),
    ('pip install -U "jax[cuda13]"', "13", "jax"),
    ("conda install pytorch pytorch-cuda=12.1 -c pytorch -c nvidia", "12.1", "torch"),
    ("conda install cudatoolkit=11.8 cupy", "11.8", "conda"),
    ("The cuda12 images however work.", "12", "image"),
    ("The image is a CUDA 12.8 build.", "12.8", "said"),
])
def test_build_cuda_forms(line: str, cuda: str, form: str) -> None:
    found = build_cudas(line)
    assert found and found[0].cuda == cuda and found[0].form == form


@pytest.mark.parametrize("line", [
    "Should I use the cuda13 image?",
    "If you use a cu128 build, update the driver first.",
    "Dynamic LLM libraries [cpu cpu_avx cpu_avx2 cuda_v11 rocm_v60002]",
    "export CUDA_HOME=/usr/local/cuda-12.8",
])
def test_build_cuda_not_read(line: str) -> None:
    assert build_cudas(line) == []


def test_driver_cuda_in_words() -> None:
    assert driver_cuda_said("In the observed incident the assigned host supported CUDA 12.6 and it failed") == "12.6"
    assert driver_cuda_said("my driver only supports CUDA 12.2") == "12.2"
    assert driver_cuda_said("the host driver must be >= 570 (CUDA 12.8), it supports CUDA 12.8") is None


def test_cuda13_images_on_a_v100_gpu_not_supported() -> None:
    assert first_cause(LOCALAI_V100) == "GPU_NOT_SUPPORTED"
    assert "LOG541" in finding_codes(LOCALAI_V100)


def test_cuda13_image_on_a_turing_gpu_quiet() -> None:
    text = LOCALAI_V100.replace("V100", "RTX 2080 Ti").replace("volta architecture, they are SM70", "cards")
    assert "LOG541" not in finding_codes(text)


def test_cuda13_image_on_a_v100_healthy_quiet() -> None:
    # Versions printed, nothing failing: no reading.
    text = "Running the cuda13 image on a Tesla V100-SXM2-32GB.\nModel loaded."
    assert facts(text).build_cuda_said
    assert "LOG541" not in finding_codes(text)


def test_cu128_words_on_pascal() -> None:
    assert "LOG541" in finding_codes(VOICEBOX_PASCAL)
    assert first_cause(VOICEBOX_PASCAL) == "GPU_NOT_SUPPORTED"


def test_cu128_image_on_a_cuda_12_6_host_driver_too_old() -> None:
    assert first_cause(COMFY_CU128) == "DRIVER_TOO_OLD"
    assert "LOG540" in finding_codes(COMFY_CU128)


def test_image_tag_against_smi_header() -> None:
    text = f"docker run --gpus all pytorch/pytorch:2.7.0-cuda12.8-cudnn9-runtime python train.py\n{SMI_126}\nthe container fails to start"
    assert "LOG540" in finding_codes(text)
    fine = text.replace(SMI_126, SMI_128)
    assert "LOG540" not in finding_codes(fine)


def test_image_and_driver_healthy_quiet() -> None:
    text = f"docker run --gpus all pytorch/pytorch:2.7.0-cuda12.8-cudnn9-runtime python train.py\n{SMI_126}"
    assert "LOG540" not in finding_codes(text)


def test_wheel_runs_on_an_older_minor_driver_quiet() -> None:
    # A cu128 wheel's runtime runs on a 12.6 driver (minor-version compatibility): not the driver.
    text = f"pip install torch==2.7.0+cu128\n{SMI_126}\nthe training fails with an error"
    assert "LOG540" not in finding_codes(text)


def test_two_drivers_quiet() -> None:
    text = (f"docker run --gpus all pytorch/pytorch:2.7.0-cuda12.8-cudnn9-runtime python train.py\n{SMI_126}\n{SMI_128}\n"
            "the container fails to start")
    assert "LOG540" not in finding_codes(text)


def test_blackwell_under_a_cu124_variant() -> None:
    text = "My RTX 5080 stopped working: the app ships the cu124 wheels."
    assert "LOG542" in finding_codes(text)
    assert codes(text)[0] == "GPU_NOT_SUPPORTED"


def test_blackwell_under_a_cu128_variant_quiet() -> None:
    text = "My RTX 5080 stopped working: the app ships the cu128 wheels."
    assert "LOG542" not in finding_codes(text)
    assert "LOG541" not in finding_codes(text)


def test_same_major_gpu_under_an_older_minor_image_quiet() -> None:
    # sm_80 machine code of CUDA 11.0 runs on an 8.6 GPU (binary compatibility within a major): not newer than the build.
    text = "docker run --rm --gpus all nvidia/cuda:11.0-base nvidia-smi\nmy RTX 3060 is seen but the app doesn't use it"
    assert "LOG542" not in finding_codes(text)


def test_inferred_newer_gpu_needs_a_no_code_line() -> None:
    # An H100 beside a conda cudatoolkit=11.0 pin: newer than CUDA 11.0, but PTX may serve; nothing says the build has no code.
    text = "- cudatoolkit=11.0\nI'm attempting to run it on an H100 and the GPU isn't being recognized."
    assert "LOG542" not in finding_codes(text)
    said = "- cudatoolkit=11.0\nOn my H100 it fails: no kernel image is available for execution on the device"
    assert "GPU_NOT_SUPPORTED" in codes(said)
