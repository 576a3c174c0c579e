"""A failed cuDNN/CUDA library load read against what the log shows present (knowledge.libraries decides; session 18, accrank)."""

from __future__ import annotations

from log_text import codes, report

# CTranslate2's cuDNN 9 loader (https://github.com/m-bain/whisperX/issues/901) beside a PyTorch whose
# CUDA build brings cuDNN 8 (torch 2.0.0+cu118) or cuDNN 9 (torch 2.5.1+cu124).
WANTS_9 = "Unable to load any of {libcudnn_ops.so.9.1.0, libcudnn_ops.so.9.1, libcudnn_ops.so.9, libcudnn_ops.so}\n"


def test_a_cudnn_major_other_than_the_one_torch_brings_is_a_mismatch() -> None:
    text = "pip install torch==2.0.0+cu118 torchvision==0.15.1+cu118\n" + WANTS_9
    assert codes(text)[0] == "CUDNN_MISMATCH"
    assert "PyTorch 2.0.0+cu118 brings it" in report(text).causes[0].title


def test_the_major_torch_brings_is_there_off_the_loader_path() -> None:
    text = "pip install torch==2.5.1+cu124\n" + WANTS_9
    assert codes(text)[0] == "CUDA_LIBS_NOT_ON_PATH"


def test_without_a_torch_build_shown_nothing_is_decided_by_it() -> None:
    first = report(WANTS_9).causes[0]
    assert "brings it" not in first.title


def test_a_line_naming_no_library_follows_the_want_of_the_same_failure() -> None:
    text = "torch 2.0.0+cu118\n" + WANTS_9 + "Invalid handle. Cannot load symbol cudnnCreateTensorDescriptor\n"
    assert codes(text)[0] == "CUDNN_MISMATCH"
