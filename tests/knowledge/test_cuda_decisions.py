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


def test_one_driver_release_trailing_zero_parts_aside() -> None:
    from whygpu.knowledge.cuda_versions import same_driver_version

    assert same_driver_version("375.66.0", "375.66") is True  # libcuda to TensorFlow against NVRM's line
    assert same_driver_version("535.104.05", "535.104.5") is True
    assert same_driver_version("535.104.05", "535.104.12") is False  # two releases of one branch
    assert same_driver_version("375.66.0", "384.130.0") is False
    assert same_driver_version("", "384.130") is None


def test_a_driver_runs_a_build_with_its_own_cuda_or_through_minor_version_compatibility() -> None:
    assert driver_runs_cuda("12.2", "12.4") is True
    assert driver_runs_cuda("12.2", "12.4", minor_compat=False) is False  # only through minor-version compatibility
    assert driver_runs_cuda("12.4", "12.1", minor_compat=False) is True
    assert driver_runs_cuda("11.4", "12.1", minor_compat=False) is False


def test_cuda_satisfies_compares_the_minor_before_cuda_11_only() -> None:
    """Before CUDA 11 each minor had its own sonames (libcudart.so.10.0, .10.1) and no minor-version compatibility."""
    assert not cuda_satisfies("10.0", "10.1") and not cuda_satisfies("9.2", "9.0")
    assert cuda_satisfies("9.0.176", "9.0") and cuda_satisfies("10.2", "10.2.89")
    assert cuda_satisfies("11.0", "11.2") and cuda_satisfies("12.1", "12.8")  # from 11: the major
    # A pre-11 CUDA named by its major alone (its minor unknown): only the majors can be compared.
    assert cuda_satisfies("10", "10.2") and not cuda_satisfies("10", "11.0")


def test_cuda_serves_library_asks_the_release_sonames_before_the_soname_rule() -> None:
    """libcublas.so.10 names CUDA 10 only by its major: CUDA 10.1 and 10.2 ship it, 10.0 (libcublas.so.10.0) does not."""
    from whygpu.knowledge.cuda import cuda_serves_library

    assert cuda_serves_library("10.1", "libcublas.so.10", "10") and cuda_serves_library("10.2", "libcublas.so.10", "10")
    assert not cuda_serves_library("10.0", "libcublas.so.10", "10")
    assert cuda_serves_library("11.8", "libcudart.so.11.0", "11.0") and not cuda_serves_library("12.2", "libcudart.so.11.0", "11.0")
    # A release the table does not know: the soname rule.
    assert cuda_serves_library("9.0", "libcudart.so.9.0", "9.0") and not cuda_serves_library("9.1", "libcudart.so.9.0", "9.0")
