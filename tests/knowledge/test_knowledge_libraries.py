"""The one decision between a CUDA/cuDNN library missing, off the loader's path, or of another version (knowledge.libraries)."""

from __future__ import annotations

from whygpu.knowledge.libraries import CudnnPresent, library_failure_cause
from whygpu.knowledge.torch import torch_bundled_cudnn_major

CUDNN_LINE = ("CUDNN_MISSING", ("CUDA_LIBS_NOT_ON_PATH",))


def test_cudnn_of_another_major_present_is_a_mismatch() -> None:
    reading = library_failure_cause(*CUDNN_LINE, file="libcudnn_ops.so.9", wanted="9",
                                    cudnn_present=[CudnnPresent("8", "PyTorch 2.0.0+cu118 brings it")])
    assert reading.cause == "CUDNN_MISMATCH"
    assert reading.basis == "cudnn_other_major" and reading.how == "PyTorch 2.0.0+cu118 brings it"
    assert "CUDNN_MISSING" in reading.alternatives


def test_cudnn_of_the_same_major_present_is_off_the_path() -> None:
    reading = library_failure_cause(*CUDNN_LINE, file="libcudnn_ops_infer.so.8", wanted="8", cudnn_present=[CudnnPresent("8.9.2")])
    assert reading.cause == "CUDA_LIBS_NOT_ON_PATH" and reading.basis == "cudnn_same_major"


def test_nothing_present_leaves_the_family_to_the_base_rates() -> None:
    reading = library_failure_cause(*CUDNN_LINE, file="libcudnn_ops_infer.so.8", wanted="8")
    assert reading.basis in ("", "base_rate")
    assert reading.cause in ("CUDNN_MISSING", "CUDNN_MISMATCH", "CUDA_LIBS_NOT_ON_PATH")


def test_cuda_release_installed_decides_by_its_sonames() -> None:
    same = library_failure_cause("CUDA_LIBS_MISSING", ("CUDA_LIBS_NOT_ON_PATH",), file="libcudart.so.11.0", wanted="11.0",
                                 cuda_installed=["11.8"])
    other = library_failure_cause("CUDA_LIBS_MISSING", ("CUDA_LIBS_NOT_ON_PATH",), file="libcudart.so.11.0", wanted="11.0",
                                  cuda_installed=["12.2"])
    assert (same.cause, same.present) == ("CUDA_LIBS_NOT_ON_PATH", "11.8")
    assert other.cause == "CUDA_LIBS_MISMATCH" and other.basis == "other_release"


def test_a_managed_image_ships_one_cuda() -> None:
    reading = library_failure_cause("CUDA_LIBS_MISSING", (), file="libcudart.so.10.0", wanted="10.0", managed_image=True)
    assert reading.cause == "CUDA_LIBS_MISMATCH"
    assert library_failure_cause("CUDA_LIBS_MISSING", (), file="libcudart.so.10.0", wanted="10.0").basis != "managed_image"


def test_torch_builds_bring_their_cudnn_major() -> None:
    assert torch_bundled_cudnn_major("2.0.0+cu118", "11.8") == "8"
    assert torch_bundled_cudnn_major("2.3.1", "12.1") == "8"
    assert torch_bundled_cudnn_major("2.4.0", "12.4") == "9"
    assert torch_bundled_cudnn_major("2.5.1", None) is None  # a CPU build brings none
    assert torch_bundled_cudnn_major("1.8.1", "10.2") is None  # CUDA 10 builds: not known here


def test_the_unused_ranking_is_conditioned_on_the_driver_shown() -> None:
    from whygpu.knowledge.priors import unused_prior

    shown = unused_prior("torch", "linux", None, driver_shown=True)
    unseen = unused_prior("torch", "linux", None)
    assert shown["causes"][0] == "DRIVER_TOO_OLD" and shown.get("driver") == "shown"
    assert unseen["causes"][0] == "FRAMEWORK_CPU_BUILD" and "driver" not in unseen
    # Every row ranks by counts it records and ends with the check that decides.
    assert all(row["decide"] for row in (shown, unseen)) and "counts" in shown and "counts" in unseen


def test_a_driver_shown_does_not_outrank_a_platform_row() -> None:
    from whygpu.knowledge.priors import unused_prior

    # TensorFlow on native Windows: the platform decides before any driver row.
    assert unused_prior("tensorflow", "windows", "2.12.0", driver_shown=True)["platform"] == "windows"
