"""accjet (session 31): the Jetson as a platform of its own (knowledge/jetson.toml; explain's one Jetson reading, LOG440, the
empty L4T library signature and the Jetson row of the no-GPU ranking).

Lines are written from the formats of the programs that print them (nvidia-smi, /etc/nv_tegra_release, jetson_release,
docker, pip, the dynamic loader, PyTorch's collect_env), never pasted from a report.
"""

from __future__ import annotations

import pytest
from tests.log_text import codes, facts, finding_codes, first_cause

# --- 1. one reading of the platform --------------------------------------------------------------------------------------


def test_the_platform_and_its_releases_are_read_once() -> None:
    f = facts("Model: NVIDIA Jetson AGX Orin Developer Kit - Jetpack 5.1.2 [L4T 35.4.1]\n"
              "docker run --runtime nvidia -it nvcr.io/nvidia/l4t-pytorch:r35.2.1-pth2.0-py3\n")
    assert f.jetson
    assert {s.value for s in f.l4t_host} == {"JetPack 5.1.2", "L4T 35.4.1"}
    assert {s.value for s in f.l4t_image} == {"L4T 35.2.1"}


def test_no_platform_read_from_an_x86_log() -> None:
    f = facts("Linux box 6.5.0-14-generic x86_64\ntorch 2.3.1+cu121\ntorch.cuda.is_available() False")
    assert not f.jetson and not f.l4t_host and not f.l4t_image


# --- 2. a build without the Tegra CUDA on a Jetson ------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    # PyTorch's own CUDA index on an Orin
    "Jetson Orin Nano, JetPack 6.0\n"
    "pip3 install torch torchvision --index-url https://download.pytorch.org/whl/cu121\n"
    ">>> torch.cuda.is_available()\nFalse",
    # a +cuNNN version in collect_env's shape on the tegra kernel
    "PyTorch version: 2.3.1+cu121\nIs CUDA available: False\nOS: Ubuntu 22.04.4 LTS (aarch64)\n"
    "Python platform: Linux-5.15.136-tegra-aarch64-with-glibc2.35",
    # a plain version, no line says why: the Jetson row ranks the build first, in a container too
    "Running in a docker container on my Jetson Xavier NX\n>>> import torch\n>>> torch.__version__\n'1.13.1'\n"
    ">>> torch.cuda.is_available()\nFalse",
])
def test_a_build_without_tegra_cuda_on_a_jetson_comes_first(text: str) -> None:
    assert first_cause(text) == "FRAMEWORK_CPU_BUILD"


@pytest.mark.parametrize("text", [
    # NVIDIA's own Jetson wheel shown: not a CPU build
    "Jetson AGX Orin, L4T 35.4.1\ntorch 2.1.0a0+41361538.nv23.06\n>>> torch.cuda.is_available()\nFalse",
    # the same CUDA index on an x86 machine: the board's rules do not apply
    "pip3 install torch --index-url https://download.pytorch.org/whl/cu121\n>>> torch.cuda.is_available()\nTrue",
])
def test_no_jetson_cpu_build_where_the_build_is_the_boards_or_the_machine_is_not_one(text: str) -> None:
    assert first_cause(text) != "FRAMEWORK_CPU_BUILD"


def test_a_working_gpu_on_a_jetson_stays_clean() -> None:
    text = ("NVIDIA Jetson Nano (Developer Kit Version) - Jetpack 4.6.1 [L4T 32.7.1]\n"
            "I tensorflow/core/common_runtime/gpu/gpu_device.cc:1418] Created TensorFlow device "
            "(/job:localhost/replica:0/task:0/device:GPU:0 with 1024 MB memory) -> physical GPU (device: 0, name: NVIDIA Tegra X1, "
            "pci bus id: 0000:00:00.0, compute capability: 5.3)")
    assert codes(text) == []


# --- 3. LOG440: a container of a newer JetPack than the host's -------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "cat /etc/nv_tegra_release\n# R32 (release), REVISION: 7.1, GCID: 29818004, BOARD: t210ref, EABI: aarch64\n"
    "docker run --runtime nvidia -it nvcr.io/nvidia/l4t-ml:r35.2.1-py3\n"
    ">>> torch.cuda.is_available()\nFalse",
    "My Xavier NX runs JetPack 4.6 (L4T 32.6.1).\nsudo docker run -it --rm --runtime nvidia dustynv/l4t-pytorch:r36.2.0\n"
    "./deviceQuery\ncudaGetDeviceCount returned 35\n-> CUDA driver version is insufficient for CUDA runtime version\nResult = FAIL",
])
def test_a_newer_jetpack_image_on_an_older_host_is_the_driver_too_old(text: str) -> None:
    assert "LOG440" in finding_codes(text)
    assert first_cause(text) == "DRIVER_TOO_OLD"


@pytest.mark.parametrize("text", [
    # the image of the host's own line
    "Jetson Orin Nano - Jetpack 5.1.2 [L4T 35.4.1]\ndocker run --runtime nvidia nvcr.io/nvidia/l4t-ml:r35.2.1-py3\n"
    ">>> torch.cuda.is_available()\nFalse",
    # an older image on a newer host
    "Jetson AGX Orin - Jetpack 6.0 [L4T 36.3.0]\ndocker run --runtime nvidia nvcr.io/nvidia/l4t-base:r35.4.1\n"
    ">>> torch.cuda.is_available()\nFalse",
    # the newer image works: the GPU is used
    "Jetson Xavier NX, L4T 32.7.1\ndocker run --runtime nvidia nvcr.io/nvidia/l4t-ml:r35.2.1-py3\n"
    ">>> torch.cuda.is_available()\nTrue",
])
def test_no_driver_too_old_where_the_lines_agree_or_the_gpu_works(text: str) -> None:
    assert "LOG440" not in finding_codes(text)


# --- 4. an empty L4T library in a Jetson container -------------------------------------------------------------------------


def test_an_empty_library_without_the_runtime_is_the_container() -> None:
    text = ("NVIDIA Jetson Nano - Jetpack 4.6.1 [L4T 32.7.1]\ndocker run -it dustynv/jetson-inference:r32.7.1\n"
            "./detectnet: error while loading shared libraries: /usr/lib/aarch64-linux-gnu/libnvinfer.so.8: file too short")
    assert first_cause(text) == "CONTAINER_NO_GPU"


def test_an_empty_library_with_the_runtime_is_the_hosts_missing_library() -> None:
    text = ("NVIDIA Jetson Nano - Jetpack 4.6.1 [L4T 32.7.1]\n$ docker/run.sh\n"
            "python3: error while loading shared libraries: libcudnn.so.8: file too short")
    assert first_cause(text) == "CUDA_LIBS_MISSING"


def test_a_library_that_loads_is_no_empty_placeholder() -> None:
    text = ("NVIDIA Jetson Nano - Jetpack 4.6.1 [L4T 32.7.1]\ndocker run -it --runtime nvidia dustynv/jetson-inference:r32.7.1\n"
            "[TRT] loaded /usr/lib/aarch64-linux-gnu/libnvinfer.so.8 (file size 154 MB)")
    assert "LOG-JETSON-EMPTY-LIB" not in finding_codes(text)


# --- 5. LOG441: a library of another JetPack's release ---------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    " - NVIDIA Jetson AGX Xavier - Jetpack 5.1.2 [L4T 35.4.1]\n"
    "./trtexec: error while loading shared libraries: libnvinfer.so.7: cannot open shared object file: No such file or directory",
    "# R35 (release), REVISION: 3.1, GCID: 32827747, BOARD: t186ref, EABI: aarch64\nJetson Orin NX\n"
    "ImportError: libcudart.so.10.2: cannot open shared object file: No such file or directory",
])
def test_a_library_of_another_jetpack_is_a_mismatch(text: str) -> None:
    assert "LOG441" in finding_codes(text)
    assert first_cause(text) == "CUDA_LIBS_MISMATCH"


@pytest.mark.parametrize("text", [
    # the release the host installs: not another JetPack's (missing is another reading)
    " - NVIDIA Jetson AGX Xavier - Jetpack 5.1.2 [L4T 35.4.1]\n"
    "ImportError: libnvinfer.so.8: cannot open shared object file: No such file or directory",
    # the same library on an x86 machine: no JetPack to compare with
    "Ubuntu 22.04 x86_64\nImportError: libnvinfer.so.7: cannot open shared object file: No such file or directory",
    # no host release named: undecided
    "Jetson Xavier NX\nImportError: libnvinfer.so.7: cannot open shared object file: No such file or directory",
])
def test_no_jetpack_mismatch_where_the_release_agrees_or_is_unknown(text: str) -> None:
    assert "LOG441" not in finding_codes(text)


# --- 6. LOG442: an image of a JetPack line the module is not supported by ---------------------------------------------------


def test_an_image_of_a_line_without_the_module_is_not_supported() -> None:
    text = ("I pulled dustynv/pytorch:2.1-r36.2.0 on my Jetson Xavier NX.\n"
            "RuntimeError: CUDA error: no kernel image is available for execution on the device")
    assert "LOG442" in finding_codes(text)
    assert first_cause(text) == "GPU_NOT_SUPPORTED"


@pytest.mark.parametrize("text", [
    "I pulled dustynv/pytorch:2.1-r36.2.0 on my Jetson AGX Orin.\n>>> torch.cuda.is_available()\nFalse",  # JetPack 6 supports Orin
    "I pulled dustynv/pytorch:2.1-r35.4.1 on my Jetson Xavier NX.\n>>> torch.cuda.is_available()\nTrue",  # supported, and it works
    "I pulled dustynv/pytorch:2.1-r36.2.0 on my Jetson Xavier NX\n>>> torch.cuda.is_available()\nTrue",  # the GPU answers
])
def test_no_module_verdict_where_the_line_supports_it_or_the_gpu_works(text: str) -> None:
    assert "LOG442" not in finding_codes(text)


# --- 7. a status code said in prose -----------------------------------------------------------------------------------------


def test_a_return_code_in_prose_with_the_word_error_is_read() -> None:
    assert first_cause("On my TX2 image the deviceQuery sample gives a cudaGetDeviceCount return 35 error.") == "DRIVER_TOO_OLD"


def test_a_count_said_with_returns_is_not_a_status() -> None:
    assert codes("cudaGetDeviceCount returns 1 on this board, so the GPU is there.") == []


# --- 8. /proc/driver/nvidia on a Jetson ---------------------------------------------------------------------------------------

_NO_PROC = ("E tensorflow/stream_executor/cuda/cuda_driver.cc:271] failed call to cuInit: CUDA_ERROR_NO_DEVICE: no CUDA-capable "
            "device is detected\nI tensorflow/stream_executor/cuda/cuda_diagnostics.cc:176] kernel driver does not appear to be "
            "running on this host (box): /proc/driver/nvidia/version does not exist")


def test_no_proc_driver_on_a_jetson_is_not_a_missing_driver() -> None:
    assert first_cause("Jetson Xavier NX, JetPack 5.1.2 [L4T 35.4.1]\n" + _NO_PROC) != "DRIVER_MISSING"
    assert "CONTAINER_NO_GPU" in codes("Jetson Xavier NX, JetPack 5.1.2 [L4T 35.4.1]\n" + _NO_PROC)[:2]


def test_no_proc_driver_elsewhere_is_still_the_driver() -> None:
    assert "DRIVER_MISSING" in codes("Ubuntu 22.04 x86_64\n" + _NO_PROC)[:2]


def test_a_jetson_named_beside_a_discrete_card_is_not_the_platform() -> None:
    text = "It runs on my Jetson Nano, but on the desktop with an RTX 3090:\n>>> torch.cuda.is_available()\nFalse"
    assert not facts(text).on_jetson()
    assert facts("Jetson Nano, JetPack 4.6\n>>> torch.cuda.is_available()\nFalse").on_jetson()
