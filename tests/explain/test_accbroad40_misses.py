"""accbroad40 (session 40): what fresh threads showed whygpu missing, mended by meaning (docs/explain-accuracy.md,
Session 40, branch accbroad40): the machine named with its lack of a GPU in apposition, and a real library's name
that the speller read as a slip for a CUDA one."""

from __future__ import annotations

import pytest

from log_text import codes, first_cause
from whygpu.explain import statements

# https://github.com/facebookresearch/habitat-sim/issues/1377 (a CPU-only virtual machine; the headless build's EGL
# context needs a CUDA device).
_HABITAT = (
    "I dont have CUDA on my laptop (only CPU), the system is Ubuntu 18.04.5 on virtual machine, I create a conda env "
    '"habitat" to install habitat-lab and habit-sim.\n'
    "(habitat) jiayunjie@jiayunjie-virtual-machine:~/robot_sim/habitat-lab$ python examples/example.py\n"
    "Platform::WindowlessEglApplication::tryCreateContext(): unable to find EGL device for CUDA device 0\n"
    "WindowlessContext: Unable to create windowless context\n"
)
# https://github.com/nihui/waifu2x-ncnn-vulkan/issues/127 (a cloud VM without a GPU).
_WAIFU = (
    "How to run it only on cpu? I need to run it on an environment of no gpu\n"
    "I need to shift my code to a cloud VM (no gpu) when I run it, gives an error\n"
    "vkEnumeratePhysicalDevices failed -3\ninvalid gpu device\n"
)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("I dont have CUDA on my laptop (only CPU), the system is Ubuntu 18.04.5", "laptop (only CPU)"),
        ("I need to shift my code to a cloud VM (no gpu) when I run it, gives an error", "VM (no gpu)"),
        ("I need to run it on an environment of no gpu", "an environment of no gpu"),
        ("We train on our server (CPU only) and it takes days.", "server (CPU only)"),
    ],
)
def test_a_machine_named_with_no_gpu_in_apposition_is_read(text: str, words: str) -> None:
    m = statements.no_gpu(text)
    assert m is not None and m.group(0) == words


@pytest.mark.parametrize(
    "text",
    [
        "my laptop (RTX 3060) is not used by the script",  # the parenthesis names a GPU
        "I created a conda environment with no GPU support",  # the packages', not the machine's
        "If you run it on a server (CPU only) it will be very slow.",  # a supposed machine
        "It is no faster than on my old laptop (CPU only).",  # one side of a comparison
        "Does it work in an environment with no GPU?",  # asked
    ],
)
def test_the_same_words_elsewhere_stay_quiet(text: str) -> None:
    assert statements.no_gpu(text) is None


def test_the_machine_without_a_gpu_decides_the_report() -> None:
    assert first_cause(_HABITAT) == "NO_GPU"
    assert first_cause(_WAIFU) == "NO_GPU"


def test_the_same_report_from_a_gpu_machine_is_not_read_as_one_without() -> None:
    assert "NO_GPU" not in codes(_HABITAT.replace("I dont have CUDA on my laptop (only CPU), t", "T"))[:1]


# https://github.com/NVIDIA/cudf/issues/18613 (cuDF's own library missing from a pip install).
_LIBCUDF = "ImportError: libcudf.so: cannot open shared object file: No such file or directory\n"


def test_cudfs_library_is_not_read_as_the_driver_library() -> None:
    ranked = codes(_LIBCUDF)
    assert not {"CUDA_LIBS_NOT_ON_PATH", "DRIVER_MISSING", "CONTAINER_NO_GPU"} & set(ranked)


def test_a_slip_in_a_cuda_librarys_name_is_still_read_and_the_driver_library_too() -> None:
    assert first_cause("ImportError: lincublas.so.9.0: cannot open shared object file: No such file or directory\n") is not None
    assert codes("ImportError: libcuda.so.1: cannot open shared object file: No such file or directory\n")


def test_the_table_names_real_libraries_only() -> None:
    from whygpu.explain.spelling import speller
    from whygpu.knowledge.library_names import proper_names

    assert "libcudf" in proper_names()
    assert speller().right("libcudf") is None
    assert speller().right("libcudaa") == "libcuda"
