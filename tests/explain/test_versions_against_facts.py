"""Versions and hardware a report states, judged by the knowledge layer the doctor uses (accversions, session 24).

Each form of stating a version has a line where it is read and one where it is not; each judgement a report where it
names the cause and one where it stays quiet. The lines are written from the forms (an issue template's key: value list,
the writer's prose in English or Chinese, Windows' driver details), not pasted from any corpus case.
"""

from __future__ import annotations

from log_text import codes, facts, report
from whygpu.knowledge.cuda_versions import nvidia_driver_from_windows
from whygpu.knowledge.gpus import gpu_in_text
from whygpu.knowledge.programs import program_build_needs
from whygpu.knowledge.torch import torch_release_runs_on

# --- knowledge ----------------------------------------------------------------------------------------------------------


def test_a_windows_driver_version_names_its_nvidia_version_by_its_last_five_digits() -> None:
    assert nvidia_driver_from_windows("23.21.13.9135") == "391.35"
    assert nvidia_driver_from_windows("27.21.14.5671") == "456.71"
    assert nvidia_driver_from_windows("31.0.15.3623") == "536.23"
    # Intel's and AMD's versions have a longer third field; NVIDIA's own form is no Windows version.
    assert nvidia_driver_from_windows("27.20.100.8681") is None
    assert nvidia_driver_from_windows("30.0.13002.1001") is None
    assert nvidia_driver_from_windows("536.23") is None


def test_a_torch_version_with_its_local_tag_names_the_variant_judged() -> None:
    runs, why = torch_release_runs_on("2.8.0+cu129", None, "6.1")
    assert runs is False and "sm_61" in why
    assert torch_release_runs_on("2.8.0+cu126", None, "6.1")[0] is True
    assert torch_release_runs_on("2.8.0+cpu", None, "6.1")[0] is None
    # Without the tag, the variants differ (cu126 runs a 6.1, cu128 does not): not decided.
    assert torch_release_runs_on("2.8.0", None, "6.1")[0] is None


def test_paddles_default_wheel_cuda_per_release() -> None:
    for version, cuda in (("2.1.0", "10.2"), ("2.2.2", "10.2"), ("2.4.2", "10.2"), ("2.6.1", "11.8")):
        build = program_build_needs("paddlepaddle-gpu", version, None)
        assert build is not None and build.cuda == cuda, version
    post = program_build_needs("paddlepaddle-gpu", "2.1.0", "post101")
    assert post is not None and post.cuda == "10.1"
    assert program_build_needs("paddlepaddle-gpu", "1.8.5", None) is None


def test_a_geforce_board_written_without_its_series_word() -> None:
    model = gpu_in_text("NVIDIA GeForce 3090")
    assert model is not None and model.name == "GeForce RTX 3090"
    gtx = gpu_in_text("geforce 1080")
    assert gtx is not None and gtx.name == "GeForce GTX 1080"
    assert gpu_in_text("GeForce 9999") is None


# --- the forms a driver version is stated in ----------------------------------------------------------------------------


def _drivers(text: str) -> list[str]:
    found = facts(text)
    return [s.value for s in (*found.driver_stated, *found.driver_version)]


def test_a_driver_in_a_key_value_list_with_a_full_width_colon() -> None:
    assert _drivers("   cuda  : 11.2\n   driver：450.80.02\n") == ["450.80.02"]
    assert _drivers("- 显卡驱动版本：470.199.02\n") == ["470.199.02"]
    assert _drivers("ドライバー バージョン: 536.23\n") == ["536.23"]


def test_a_driver_version_only_asked_about_or_wanted_is_not_read() -> None:
    assert _drivers("应该安装哪个驱动版本：525.60？\n") == []
    assert _drivers("我打算把驱动升级到 535.104\n") == []


def test_a_windows_driver_version_under_nvidias_driver_files() -> None:
    text = "显卡：GeForce GTX 1060\n驱动程序：nvldumdx.dll, nvldumdx.dll\n版本：27.21.14.5671\n"
    assert _drivers(text) == ["456.71"]
    english = "Display adapter: NVIDIA GeForce GTX 1650\nDriver Version: 26.21.14.4122\n"
    assert _drivers(english) == ["441.22"]


def test_a_windows_version_of_another_maker_or_without_a_driver_is_not_read() -> None:
    assert _drivers("Intel(R) UHD Graphics 630\nDriver Version: 26.20.16.4627\n") == []
    assert _drivers("NVIDIA GeForce GTX 1060\nbuild 27.21.14.5671 of the tool\n") == []


# --- the judgements -----------------------------------------------------------------------------------------------------

_PADDLE_NO_DEVICE = (
    "W0101 10:00:00.000000 100 init.cc:136] Compiled with WITH_GPU, but no GPU found in runtime.\n"
    "UserWarning: You are using GPU version Paddle, but your CUDA device is not set properly. CPU device will be used by default.\n"
)


def test_paddles_default_build_against_the_driver_stated() -> None:
    text = "环境:\n   driver：430.50\n   paddlepaddle 2.1.0\n" + _PADDLE_NO_DEVICE
    assert codes(text)[0] == "DRIVER_TOO_OLD"
    # A driver that runs CUDA 10.2: the release's CUDA is no reason.
    assert "DRIVER_TOO_OLD" not in codes("环境:\n   driver：450.80.02\n   paddlepaddle 2.1.0\n" + _PADDLE_NO_DEVICE)


def test_paddle_without_sign_of_its_gpu_build_is_not_judged() -> None:
    # "paddlepaddle" is also the CPU package's name: with nothing of a GPU build shown, its CUDA is unknown.
    found = facts("driver: 430.50\npaddlepaddle 2.1.0\n")
    assert not found.program_builds
    assert [s.value.program for s in facts("driver: 430.50\npaddlepaddle 2.1.0\n" + _PADDLE_NO_DEVICE).program_builds] == ["paddlepaddle-gpu"]


def test_a_torch_wheel_without_the_gpus_architecture_in_a_template() -> None:
    text = "## System Information\n- **PyTorch Version:** 2.8.0+cu129\n## Devices\n- **Name:** cuda:0 NVIDIA GeForce GTX 1070 : cudaMallocAsync\n"
    got = report(text)
    assert got.causes and got.causes[0].code == "GPU_NOT_SUPPORTED"
    # The cu126 wheel of the same release has code for the GPU.
    assert "GPU_NOT_SUPPORTED" not in codes(text.replace("+cu129", "+cu126"))
    # The GPU shown at work: the versions are another machine's or misread.
    assert "GPU_NOT_SUPPORTED" not in codes(text + "Using device: cuda:0\nGPU utilization 97% during training, it works fine on the GPU.\n")


def test_a_gpu_newer_than_the_cuda_toolkit_installed() -> None:
    text = "Training gives NaN losses. I'm on an NVIDIA GeForce 3090 GPU. I have CUDA 10.0 installed.\n"
    assert codes(text)[:1] == ["GPU_NOT_SUPPORTED"]
    # A toolkit that knows the GPU, or a framework that brings its own CUDA (a PyTorch CUDA wheel): no reason.
    assert "GPU_NOT_SUPPORTED" not in codes(text.replace("CUDA 10.0", "CUDA 11.2"))
    assert "GPU_NOT_SUPPORTED" not in codes(text + "torch 1.7.1+cu110\n")
    # Two toolkits stated: which one loads decides.
    assert "GPU_NOT_SUPPORTED" not in codes(text + "I also have CUDA 11.1 installed.\n")


def test_an_images_cuda_above_the_host_driver() -> None:
    smi = "| NVIDIA-SMI 470.199.02   Driver Version: 470.199.02   CUDA Version: 11.4 |\n"
    text = "$ docker run --gpus all -it nvidia/cuda:12.2.0-runtime-ubuntu22.04 python3 train.py\n" + smi + "RuntimeError: Found no NVIDIA driver on your system.\n"
    got = report(text)
    assert got.causes[0].code == "DRIVER_TOO_OLD" and "525.60.13" in got.causes[0].fix
    # An image of the driver's own major runs through minor-version compatibility: no reason.
    assert "DRIVER_TOO_OLD" not in codes(text.replace("12.2.0-runtime", "11.8.0-runtime"))
    # A tag only asked about is no image run.
    asked = "Should I use nvidia/cuda:12.2.0-runtime-ubuntu22.04?\n" + smi + "RuntimeError: Found no NVIDIA driver on your system.\n"
    assert "DRIVER_TOO_OLD" not in codes(asked)


def test_a_release_and_gpu_only_asked_about_are_not_judged() -> None:
    stated = "- PyTorch Version: 2.6.0+cu124\n- GPU: NVIDIA GeForce RTX 5090\n"
    assert codes(stated)[:1] == ["GPU_NOT_SUPPORTED"]
    assert "GPU_NOT_SUPPORTED" not in codes("Will torch 2.6.0+cu124 work with an RTX 5090?\n")


# --- the forms the toolkit installed is stated in -----------------------------------------------------------------------


def test_the_cuda_installed_in_any_form_with_a_gpu_newer_than_it() -> None:
    for text in (
        "My setup: RTX 3090 with CUDA 10.0, training stays on the CPU.\n",
        "- GPU: RTX 3090\n- CUDA: 10.0\n- OS: Ubuntu 18.04\nThe GPU is not used.\n",
        "显卡：RTX 3090\nCUDA版本：10.0\n训练时GPU没有被使用\n",
        "nvcc: NVIDIA (R) Cuda compiler driver\nCuda compilation tools, release 10.0, V10.0.130\nGPU: GeForce RTX 3080\n",
    ):
        assert codes(text)[:1] == ["GPU_NOT_SUPPORTED"], text
    # Wanted, not installed; the driver's CUDA (nvidia-smi's header) is no toolkit.
    assert "GPU_NOT_SUPPORTED" not in codes("I want to install CUDA 10.0 for my RTX 3090, is that ok?\n")
    smi = "| NVIDIA-SMI 418.87   Driver Version: 418.87   CUDA Version: 10.1 |\nGPU: RTX 3090\n"
    assert "GPU_NOT_SUPPORTED" not in codes(smi)


def test_cuda_stated_in_chinese_key_value_form() -> None:
    assert [s.value for s in facts("CUDA版本：11.2\n").found_stated.get("cuda", [])] == ["11.2"]
    assert [s.value for s in facts("我的主机装的cuda版本是11.4\n").found_stated.get("cuda", [])] == ["11.4"]
    assert not facts("CUDA版本：11.2 需要安装吗？\n").found_stated.get("cuda")


def test_a_windows_driver_version_in_a_video_controller_listing() -> None:
    listing = "PS C:\\> Get-CimInstance Win32_VideoController | Select Name, DriverVersion\nName                        DriverVersion\n----                        -------------\nNVIDIA GeForce RTX 3060      31.0.15.3623\n"
    assert _drivers(listing) == ["536.23"]
    wmic = "C:\\> wmic path win32_videocontroller get name,driverversion\nDriverVersion  Name\n27.20.100.8681  Intel(R) UHD Graphics 620\n"
    assert _drivers(wmic) == []
