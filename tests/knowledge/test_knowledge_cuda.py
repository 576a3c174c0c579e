"""The CUDA knowledge look-ups answer known values from the data files and None for unknown ones."""

from __future__ import annotations

from whygpu.knowledge import cuda


def test_min_driver_for_cuda() -> None:
    assert cuda.min_driver_for_cuda("12.2") == "535.54.03"
    assert cuda.min_driver_for_cuda("12.2.2") == "535.104.05"
    assert cuda.min_driver_for_cuda("12.2.140") == "535.54.03"  # a component version -> its GA row
    assert cuda.min_driver_for_cuda("12.2", "windows") == "536.25"
    assert cuda.min_driver_for_cuda("12.7") == "560.35.05"  # no 12.7: nearest lower row of CUDA 12
    assert cuda.min_driver_for_cuda("11.0") == "450.51.05"
    assert cuda.min_driver_for_cuda("13.0", "windows") is None  # 13.x bundles no Windows driver
    assert cuda.min_driver_for_cuda("14.0") is None
    assert cuda.min_driver_for_cuda("junk") is None

def test_minor_compat_min_driver() -> None:
    assert cuda.minor_compat_min_driver(12) == "525.60.13"
    assert cuda.minor_compat_min_driver(11, "windows") == "452.39"
    assert cuda.minor_compat_min_driver(13) == "580"
    assert cuda.minor_compat_min_driver(10) is None

def test_max_cuda_for_driver() -> None:
    assert cuda.max_cuda_for_driver("535.104.05", minor_compat=False) == "12.2"
    assert cuda.max_cuda_for_driver("535.104.05") == "12.9"  # any 12.x through minor-version compat
    assert cuda.max_cuda_for_driver("470.82.01", minor_compat=False) == "11.4"
    assert cuda.max_cuda_for_driver("418.39") == "10.1"
    assert cuda.max_cuda_for_driver("520.06", "windows", minor_compat=False) == "11.8"
    assert cuda.max_cuda_for_driver("300.1") is None
    assert cuda.max_cuda_for_driver("garbage") is None

def test_cuda_library_sonames() -> None:
    cuda12 = cuda.cuda_library_sonames("12.2")
    assert cuda12["cudart"] == ["libcudart.so.12"]
    assert cuda12["cufft"] == ["libcufft.so.11"]
    assert cuda12["nvjitlink"] == ["libnvJitLink.so.12"]
    cuda11 = cuda.cuda_library_sonames("11.8")
    assert cuda11["cudart"] == ["libcudart.so.11.0"]
    assert cuda11["cupti"] == ["libcupti.so.11.8"]
    assert cuda.cuda_library_sonames("11.0")["cusolver"] == ["libcusolver.so.10"]
    assert cuda.cuda_library_sonames("10.1")["cublas"] == ["libcublas.so.10"]
    assert cuda.cuda_library_sonames("10.0")["cudart"] == ["libcudart.so.10.0"]
    assert cuda.cuda_library_sonames("13.0")["cublas"] == ["libcublas.so.13"]
    assert cuda.cuda_library_sonames("7.5") == {}
    assert cuda.cuda_library_sonames("nonsense") == {}

def test_cudnn_sonames() -> None:
    assert cuda.cudnn_sonames("8.9.7")[0] == "libcudnn.so.8"
    assert "libcudnn_ops_infer.so.8" in cuda.cudnn_sonames("8")
    assert "libcudnn_engines_precompiled.so.9" in cuda.cudnn_sonames("9.3.0")
    assert cuda.cudnn_sonames("42") == []

def test_cuda_error() -> None:
    insufficient = cuda.cuda_error(35)
    assert insufficient is not None and insufficient.cause == "DRIVER_TOO_OLD"
    assert cuda.cuda_error("35").name == "cudaErrorInsufficientDriver"  # type: ignore[union-attr]
    assert cuda.cuda_error(100).name == "CUDA_ERROR_NO_DEVICE"  # type: ignore[union-attr]
    assert cuda.cuda_error("CUDA_ERROR_SYSTEM_DRIVER_MISMATCH").code == 803  # type: ignore[union-attr]
    assert cuda.cuda_error(803).cause == "DRIVER_MISMATCH"  # type: ignore[union-attr]
    assert cuda.cuda_error(209).cause == "GPU_NOT_SUPPORTED"  # type: ignore[union-attr]
    # CUDA_ERROR_STUB_LIBRARY: the toolkit's stub libcuda found before the driver's, as knowledge.libraries decides (accceiling, session 26)
    assert cuda.cuda_error(34).cause == "CUDA_LIBS_NOT_ON_PATH"  # type: ignore[union-attr]
    assert cuda.cuda_error(18, api="nvml").name == "NVML_ERROR_LIB_RM_VERSION_MISMATCH"  # type: ignore[union-attr]
    assert cuda.cuda_error(0).cause is None  # type: ignore[union-attr]
    assert cuda.cuda_error(12345) is None
    assert cuda.cuda_error("CUDA_ERROR_MADE_UP") is None


def test_cuda_ships_sonames_of() -> None:
    from whygpu.knowledge.cuda import cuda_ships_sonames_of

    # Same major, yet 11.1 dropped 11.0's libcusolver.so.10 (11.1 ships .so.11).
    assert cuda_ships_sonames_of("11.0", "11.1") is False
    assert cuda_ships_sonames_of("10.0", "10.1") is False  # libcudart.so.10.0 against .so.10.1
    # Every start-up library's soname is there (CUPTI's per-minor soname is the profiler's, not compared).
    assert cuda_ships_sonames_of("11.2", "11.8") is True
    assert cuda_ships_sonames_of("12.3", "12.4") is True
    assert cuda_ships_sonames_of("9.9", "99") is None


def test_is_cuda_release_knows_the_releases_that_exist() -> None:
    from whygpu.knowledge.cuda import is_cuda_release

    assert is_cuda_release("11.2") is True and is_cuda_release("10.2.89") is True
    # CUDA 8 had only 8.0, and 12.7 was never released (12.6 then 12.8): numbers of something else.
    assert is_cuda_release("8.6") is False and is_cuda_release("12.7") is False
    # Outside the table's range: unknown, not absent.
    assert is_cuda_release("99.1") is None and is_cuda_release("6.5") is None
