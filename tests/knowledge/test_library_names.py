"""The one reading of library file names (knowledge.cuda_versions.parse_library_name), over real soname and DLL spellings."""

from __future__ import annotations

import pytest

from whygpu.knowledge.cuda import cuda_ships_library
from whygpu.knowledge.cuda_versions import (
    cuda_release,
    cudnn_major,
    is_driver_version,
    library_stem,
    library_version,
    parse_library_name,
)

# name -> (stem, version as written, windows, the MAJOR[.MINOR] it stands for, soname major)
NAMES = [
    ("libcudart.so.12", "libcudart", "12", False, "12", "12"),
    ("libcudart.so.12.4.127", "libcudart", "12.4.127", False, "12.4", "12"),
    ("libcudart.so.11.0", "libcudart", "11.0", False, "11.0", "11"),
    ("libcudart.so.10.1", "libcudart", "10.1", False, "10.1", "10"),
    ("libcudart.so", "libcudart", None, False, None, None),
    ("libcublasLt.so.11", "libcublasLt", "11", False, "11", "11"),
    ("libcudnn.so.8.9.7", "libcudnn", "8.9.7", False, "8.9", "8"),
    ("libcudnn_ops_infer.so.8", "libcudnn_ops_infer", "8", False, "8", "8"),
    ("libnvrtc-builtins.so.12.1", "libnvrtc-builtins", "12.1", False, "12.1", "12"),
    ("libnvJitLink.so.12", "libnvJitLink", "12", False, "12", "12"),
    ("libcuda.so.1", "libcuda", "1", False, "1", "1"),
    ("libcuda.so.535.129.03", "libcuda", "535.129.03", False, "535.129", "535"),
    ("libnvidia-ml.so.1", "libnvidia-ml", "1", False, "1", "1"),
    ("libtorch_cuda.so", "libtorch_cuda", None, False, None, None),
    ("libc-2.31.so", "libc-2.31", None, False, None, None),
    ("/usr/local/cuda-11.8/lib64/libcudart.so.11.0", "libcudart", "11.0", False, "11.0", "11"),
    ("cudart64_110.dll", "cudart", "110", True, "11.0", "110"),
    ("cudart64_101.dll", "cudart", "101", True, "10.1", "101"),
    ("cudart64_12.dll", "cudart", "12", True, "12", "12"),
    ("cudart64_90.dll", "cudart", "90", True, "9.0", "90"),
    ("cublas64_11.dll", "cublas", "11", True, "11", "11"),
    ("cudnn64_8.dll", "cudnn", "8", True, "8", "8"),
    ("cudnn_cnn_infer64_8.dll", "cudnn_cnn_infer", "8", True, "8", "8"),
    ("nvrtc64_112_0.dll", "nvrtc", "112", True, "11.2", "112"),
    ("CUDART64_110.DLL", "CUDART", "110", True, "11.0", "110"),
    (r"C:\Program Files\NVIDIA GPU Computing Toolkit\CUDA\v11.2\bin\cusolver64_11.dll", "cusolver", "11", True, "11", "11"),
    ("nvcuda.dll", "nvcuda", None, True, None, None),
    ("libcudart", "libcudart", None, False, None, None),
]


@pytest.mark.parametrize(("name", "stem", "version", "windows", "cuda", "major"), NAMES)
def test_a_library_name_reads_into_its_stem_and_version(
    name: str, stem: str, version: str | None, windows: bool, cuda: str | None, major: str | None
) -> None:
    parsed = parse_library_name(name)
    assert (parsed.stem, parsed.version, parsed.windows) == (stem, version, windows)
    assert parsed.cuda_version == cuda
    assert parsed.major == major
    assert library_version(name) == cuda
    assert library_stem(name) == stem


def test_the_bare_windows_suffix_of_a_build_is_read_too() -> None:
    # TensorFlow's build_info on Windows says cuda_version "64_112" and cudnn_version "64_8".
    assert library_version("64_112") == "11.2"
    assert library_stem("64_112") == "64_112"
    assert cuda_release("64_112") == "11.2"
    assert cudnn_major("64_8") == "8"


@pytest.mark.parametrize(("text", "release"), [("12.5.1", "12.5"), ("11.8", "11.8"), ("11", "11"), ("64_101", "10.1"), ("64_12", "12")])
def test_cuda_release(text: str, release: str) -> None:
    assert cuda_release(text) == release


@pytest.mark.parametrize(("text", "major"), [("8.9.7", "8"), ("9", "9"), ("9.1.0.70", "9"), ("64_8", "8"), ("7.6", "7")])
def test_cudnn_major(text: str, major: str) -> None:
    assert cudnn_major(text) == major


@pytest.mark.parametrize(("text", "driver"), [
    ("535.129.03", True), ("550.54", True), ("470.82.01", True),
    ("1", False), ("535", False), ("12.4", False), ("", False), (None, False), ("535.129.03-1", False),
])
def test_a_driver_version_is_told_from_a_soname_number(text: str | None, driver: bool) -> None:
    assert is_driver_version(text) is driver


def test_a_windows_dll_with_a_build_suffix_is_judged_like_its_soname() -> None:
    # nvrtc64_112_0.dll is libnvrtc.so.11.2: every CUDA 11.x ships it (was unreadable before: None).
    assert cuda_ships_library("11.8", "nvrtc64_112_0.dll") is cuda_ships_library("11.8", "libnvrtc.so.11.2")
    assert cuda_ships_library("11.2", "cusolver64_11.dll") is True
    assert cuda_ships_library("11.2", "cusolver64_10.dll") is False
    # A split cuDNN library is not in the CUDA table: unknown, not absent.
    assert cuda_ships_library("11.2", "cudnn_cnn_infer64_8.dll") is None


@pytest.mark.parametrize(("version", "found"), [
    ("0.4.20+cuda12.cudnn89", (12, "8")),
    ("0.4.7+cuda11.cudnn86", (11, "8")),
    ("cuda12.cudnn89", (12, "8")),        # the bare local tag, as lint reads it from a pin
    ("0.4.13+cuda", (None, None)),         # a CUDA build whose versions the tag does not say
    ("0.4.30", None),
    ("0.4.20+cpu", None),
    ("", None),
])
def test_a_cuda_jaxlib_is_read_from_its_local_version(version: str, found: tuple[int | None, str | None] | None) -> None:
    from whygpu.knowledge.jax import jaxlib_local_cuda

    assert jaxlib_local_cuda(version) == found
