"""The TensorFlow knowledge look-ups answer known values from the data files and None for unknown ones."""

from __future__ import annotations

from whygpu.knowledge import tensorflow


def test_tensorflow_build_maps_a_patch_release_to_its_minor_row() -> None:
    build = tensorflow.tensorflow_build("2.15.1")
    assert build is not None
    assert (build.cuda, build.cudnn, build.python_min, build.python_max) == (
        "12.2",
        "8.9",
        "3.9",
        "3.11",
    )
    assert build.source.startswith("https://www.tensorflow.org/")
    assert tensorflow.tensorflow_build("2.16.2").cuda == "12.3"  # type: ignore[union-attr]
    assert tensorflow.tensorflow_build("2.21.0").cudnn == "9.3"  # type: ignore[union-attr]
    assert tensorflow.tensorflow_build("1.15.0").package == "tensorflow_gpu"  # type: ignore[union-attr]
    assert tensorflow.tensorflow_build("2.1.0").python_also == ("2.7",)  # type: ignore[union-attr]

def test_tensorflow_build_on_windows_ends_gpu_support_at_2_10() -> None:
    assert tensorflow.tensorflow_build("2.10.1", "windows").cuda == "11.2"  # type: ignore[union-attr]
    cpu_only = tensorflow.tensorflow_build("2.12.0", "win32")
    assert cpu_only is not None and cpu_only.gpu is False and cpu_only.cuda is None

def test_tensorflow_build_unknown_values() -> None:
    assert tensorflow.tensorflow_build("3.0") is None
    assert tensorflow.tensorflow_build("not a version") is None
    assert tensorflow.tensorflow_build("2.15", "solaris") is None

def test_tensorflow_packages() -> None:
    stub = tensorflow.tensorflow_package("tensorflow_gpu")
    assert stub is not None and stub.stub_from == "2.12" and stub.is_stub
    cpu = tensorflow.tensorflow_package("TensorFlow-CPU")
    assert cpu is not None and cpu.gpu is False
    assert tensorflow.tensorflow_package("tensorflow").gpu is None  # type: ignore[union-attr]
    assert tensorflow.tensorflow_package("tensorflow-metal").accelerator == "metal"  # type: ignore[union-attr]
    assert tensorflow.tensorflow_package("tensorflow-rocm").gpu is False  # type: ignore[union-attr]
    assert tensorflow.tensorflow_package("numpy") is None

def test_tensorflow_and_cuda_pins() -> None:
    pins = tensorflow.tensorflow_and_cuda_pins("2.15.0")
    assert pins is not None
    assert pins["nvidia-cudnn-cu12"] == "==8.9.4.25"
    assert pins["nvidia-cuda-runtime-cu12"] == "==12.2.140"
    assert tensorflow.tensorflow_and_cuda_pins("2.14.1")["nvidia-cudnn-cu11"] == "==8.7.0.84"  # type: ignore[index]
    assert tensorflow.tensorflow_and_cuda_pins("2.21")["nvidia-cudnn-cu12"] == ">=9.3.0.75,<10.0"  # type: ignore[index]
    assert tensorflow.tensorflow_and_cuda_pins("2.13.0") is None
    assert tensorflow.tensorflow_and_cuda_pins("9.9") is None

def test_tensorflow_compute_capability() -> None:
    assert tensorflow.tensorflow_min_compute_capability("2.17.0") == "6.0"
    assert tensorflow.tensorflow_min_compute_capability("2.16.1") == "5.0"
    assert tensorflow.tensorflow_min_compute_capability("2.10.0") == "3.5"
    assert tensorflow.tensorflow_min_compute_capability("2.21.0rc1") == "6.0"
    row = tensorflow.tensorflow_compute_capability("2.19")
    assert row is not None and "compute_90" in row.archs
    assert tensorflow.tensorflow_min_compute_capability("0.5") is None

def test_tensorflow_compute_capability_lists_match_the_wheels() -> None:
    assert "sm_35" in tensorflow.tensorflow_compute_capability("2.14.0").archs  # type: ignore[union-attr]
    assert tensorflow.tensorflow_compute_capability("2.15.0").archs == (  # type: ignore[union-attr]
        "sm_50",
        "sm_60",
        "sm_70",
        "sm_75",
        "compute_80",
    )
    assert tensorflow.tensorflow_compute_capability("2.3.1").archs[-1] == "compute_70"  # type: ignore[union-attr]

def test_latest_tensorflow() -> None:
    assert tensorflow.latest_tensorflow() == "2.21"


def test_what_tensorflow_gpu_is_at_each_version() -> None:
    from whygpu.knowledge.tensorflow import tensorflow_gpu_package

    # Before 2.1 (tensorflow's gpu_from) it was the GPU build; then tensorflow's old name; from 2.12 (stub_from) a stub.
    assert [tensorflow_gpu_package(v) for v in ("1.15.5", "2.0.0", "2.1.0", "2.11.1", "2.12.0", "2.17")] == [
        "gpu-build", "gpu-build", "old-name", "old-name", "stub", "stub"]
    assert tensorflow_gpu_package(None) == tensorflow_gpu_package("latest") == "unknown"


def test_tensorflow_on_native_windows_has_a_gpu_build_up_to_2_10() -> None:
    from whygpu.knowledge.tensorflow import latest_tensorflow, tensorflow_gpu_on_native_windows

    assert tensorflow_gpu_on_native_windows("2.10.1") is True
    assert tensorflow_gpu_on_native_windows("2.11.0") is False
    assert tensorflow_gpu_on_native_windows(latest_tensorflow()) is False
    # A release newer than the table is judged as the newest row, not left unknown.
    assert tensorflow_gpu_on_native_windows("9.0") is False
    assert tensorflow_gpu_on_native_windows("not a version") is None
