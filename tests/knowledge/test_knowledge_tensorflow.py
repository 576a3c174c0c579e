"""The TensorFlow knowledge look-ups answer known values from the data files and None for unknown ones."""

from __future__ import annotations

import pytest

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

    # Before 2.1 (from which every tensorflow has the GPU code) it was the GPU build of its line, 1.15.0
    # included (the next 1.15 patches split again); then tensorflow's old name; from 2.12 (stub_from) a stub.
    assert [tensorflow_gpu_package(v) for v in ("1.15.0", "1.15.5", "2.0.0", "2.1.0", "2.11.1", "2.12.0", "2.17")] == [
        "gpu-build", "gpu-build", "gpu-build", "old-name", "old-name", "stub", "stub"]
    assert tensorflow_gpu_package(None) == tensorflow_gpu_package("latest") == "unknown"


def test_tensorflow_on_native_windows_has_a_gpu_build_up_to_2_10() -> None:
    from whygpu.knowledge.tensorflow import latest_tensorflow, tensorflow_gpu_on_native_windows

    assert tensorflow_gpu_on_native_windows("2.10.1") is True
    assert tensorflow_gpu_on_native_windows("2.11.0") is False
    assert tensorflow_gpu_on_native_windows(latest_tensorflow()) is False
    # A release newer than the table is judged as the newest row, not left unknown.
    assert tensorflow_gpu_on_native_windows("9.0") is False
    assert tensorflow_gpu_on_native_windows("not a version") is None


@pytest.mark.parametrize(("version", "gpu"), [
    ("1.14.0", False),  # 1.x before 1.15: tensorflow CPU, tensorflow-gpu GPU
    ("1.15.0", True),   # 1.15.0: one package for both
    ("1.15.2", False),  # 1.15.2 split again (tensorflow#36347)
    ("1.15.5", False),
    ("2.0.0", False),   # 2.0: tensorflow CPU-only
    ("2.0.4", False),
    ("2.1.0", True),    # from 2.1: one package again
    ("2.1.0rc0", True),
    ("2.15.1", True),
    (None, None),
    ("latest", None),
])
def test_which_tensorflow_releases_carry_the_gpu_code(version: str | None, gpu: bool | None) -> None:
    assert tensorflow.tensorflow_pip_has_gpu(version) is gpu


def test_a_minor_alone_is_its_newest_patch() -> None:
    # What `pip install tensorflow==1.15.*` installs is 1.15.5: CPU-only, though 1.15.0 was not.
    assert tensorflow.tensorflow_pip_has_gpu("1.15") is False
    assert tensorflow.tensorflow_pip_has_gpu("2.0") is False
    assert tensorflow.tensorflow_pip_has_gpu("2.1") is True
    assert tensorflow.tensorflow_pip_has_gpu("1.14") is False


def test_every_release_is_covered_once_and_every_row_has_its_source() -> None:
    from whygpu.knowledge._util import in_spec, parse_version, table_rows

    rows = table_rows("tensorflow", "pip_gpu")
    assert rows and all(str(row["source"]).startswith("https://") for row in rows)
    for text in ("0.12.0", "1.0.0", "1.14.9", "1.15.0", "1.15.1", "1.15.3", "2.0.0", "2.0.9", "2.1.0", "2.11.0", "2.21.0", "3.0.0"):
        version = parse_version(text)
        assert version is not None
        assert sum(in_spec(row["versions"], version) for row in rows) == 1, text
    assert tensorflow.tensorflow_pip_gpu_since() == "2.1"


def test_condas_tensorflow_gpu_is_a_metapackage_not_pypis_stub() -> None:
    assert tensorflow.tensorflow_conda_metapackage("tensorflow-gpu") == "gpu"
    assert tensorflow.tensorflow_conda_metapackage("tensorflow_cpu") == "cpu"
    assert tensorflow.tensorflow_conda_metapackage("tensorflow") is None
    assert tensorflow.tensorflow_gpu_package("2.12.0", "conda") == "conda-metapackage"
    assert tensorflow.tensorflow_gpu_package("2.12.0", "pip") == "stub"
    assert tensorflow.tensorflow_gpu_package("2.12.0") == "stub"


def test_tensorflow_for_cuda_is_the_newest_build_the_installed_cuda_serves() -> None:
    """One picker: the build's CUDA no newer than the installed minor, its sonames shipped, the same minor before CUDA 11."""
    from whygpu.knowledge.tensorflow import tensorflow_build, tensorflow_for_cuda

    assert tensorflow_for_cuda("11.8") == "2.14"  # the last release built for CUDA 11
    picked = tensorflow_for_cuda("12.2")
    assert picked is not None and tensorflow_build(picked) is not None
    build = tensorflow_build(picked)
    assert build is not None and build.cuda is not None and build.cuda.startswith("12.")
    # A newer minor of 12 than 12.2 is not served by 12.2: the build the picker names is the newest <= 12.2.
    assert tensorflow_for_cuda("12.2") != tensorflow_for_cuda("12.8")
    # CUDA 11.0 ships libcusolver.so.10; every build for 11.1+ loads libcusolver.so.11: only 2.4 (built for 11.0).
    assert tensorflow_for_cuda("11.0") == "2.4"
    # CUDA 11.1 has neither 11.0's libcusolver.so.10 nor a newer minor's libraries: nothing fits.
    assert tensorflow_for_cuda("11.1") is None
    # Before CUDA 11 each minor has its own sonames: 10.0 serves only builds for 10.0.
    assert tensorflow_for_cuda("10.0") == "2.0" and tensorflow_for_cuda("10.1") == "2.3"
    # A major alone (its minor unknown): the newest build of that major.
    assert tensorflow_for_cuda("11") == "2.14"
    # Native Windows has no GPU build after 2.10; a CUDA that no build used, or no version: None.
    assert tensorflow_for_cuda("12.2", "windows") is None and tensorflow_for_cuda("11.2", "windows") == "2.10"
    assert tensorflow_for_cuda("13.0") is None and tensorflow_for_cuda("x") is None
