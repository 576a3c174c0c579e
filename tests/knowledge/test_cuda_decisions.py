"""The CUDA compatibility decisions of knowledge.cuda, each one function that doctor, deep, explain and lint call."""

from __future__ import annotations

import pytest

from whygpu.knowledge.cuda import (
    cuda_from_driver_code,
    cuda_satisfies,
    cudnn_satisfies,
    dll_version,
    driver_runs_cuda,
    library_stem,
    library_version,
)
from whygpu.knowledge.cuda_versions import version_major
from whygpu.knowledge.gpus import gpu_in_text


@pytest.mark.parametrize(("name", "version"), [
    ("libcudart.so.11.0", "11.0"), ("/usr/local/cuda/lib64/libcublas.so.12", "12"), ("cudart64_101.dll", "10.1"),
    ("cudart64_110.dll", "11.0"), ("cudart64_90.dll", "9.0"), ("cudart64_12.dll", "12"), ("cudnn64_8.dll", "8"),
    ("libcudart.so", None), ("nvcuda.dll", None),
])
def test_library_version_reads_sonames_and_windows_dll_names(name: str, version: str | None) -> None:
    assert library_version(name) == version


def test_dll_digits_and_stems() -> None:
    assert (dll_version("112"), dll_version("80"), dll_version("12")) == ("11.2", "8.0", "12")
    assert library_stem("/x/libcudart.so.11.0") == "libcudart" and library_stem("cudart64_110.dll") == "cudart"


def test_soname_equivalence_is_same_major_from_cuda_11_and_exact_before() -> None:
    assert cuda_satisfies("11.0", "11.8") and cuda_satisfies("12", "12.4")
    assert not cuda_satisfies("11.0", "12.1")
    assert cuda_satisfies("10.1", "10.1.243") and not cuda_satisfies("10.1", "10.2")
    assert not cuda_satisfies("", "11.2")


def test_cudnn_is_the_same_major_with_a_minor_at_least_the_builds() -> None:
    assert cudnn_satisfies("8.6", "8.9.7") is True and cudnn_satisfies("9.3.0", "9.3.0") is True
    assert cudnn_satisfies("9.3.0", "9.1.0") is False  # XLA: equal or higher minor
    assert cudnn_satisfies("8.6", "9.1") is False and cudnn_satisfies("9", "8.9") is False
    assert cudnn_satisfies("8.6", "8") is True  # the minor is not known: the soname's major serves
    assert cudnn_satisfies("?", "8.9") is None


def test_cudnn_for_the_loader_is_the_sonames_major() -> None:
    # A failed load names libcudnn.so.8: any installed 8.x has that file, whatever its minor.
    assert cudnn_satisfies("8.9", "8.6", loader=True) is True
    assert cudnn_satisfies("8.9", "8.6") is False  # but TensorFlow refuses it once loaded
    assert cudnn_satisfies("8", "9.1", loader=True) is False
    assert cudnn_satisfies("8", "", loader=True) is None
    assert version_major("8.9.4") == "8" and version_major("cudnn") == "cudnn"


def test_driver_runs_cuda_with_minor_version_compatibility() -> None:
    assert driver_runs_cuda("12.2", "12.4") is True  # same major from 11 on
    assert driver_runs_cuda("11.4", "12.1") is False
    assert driver_runs_cuda("10.1", "10.2") is False  # before 11: major.minor
    assert driver_runs_cuda("12.0", "11.8") is True
    assert driver_runs_cuda("?", "11.8") is None


def test_driver_codes_and_gpu_names() -> None:
    assert cuda_from_driver_code(11040) == "11.4" and cuda_from_driver_code("12020") == "12.2"
    assert cuda_from_driver_code("abc") is None
    k40 = gpu_in_text("Tesla K40m")
    assert k40 is not None and k40.compute_capability == "3.5"
    assert gpu_in_text("Some Unknown Card 9000") is None
