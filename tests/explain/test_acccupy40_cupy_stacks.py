"""acccupy40 (session 40): CuPy-based stacks and GPUs outside a PyTorch build's range (docs/explain-accuracy.md, Session 40,
branch acccupy40): Python's AttributeError on the cupy module, Chainer's check_cuda_available message with the import error it
appends, and PyTorch's capability-range warning judged by binary compatibility."""

from __future__ import annotations

import pytest

from log_text import codes, first_cause

# https://github.com/explosion/spaCy/issues/5193 (spacy[cuda100] pulled cupy 8.0.0b1, which removed cupy.scatter_add).
_SPACY_CUPY8 = (
    '  File "ops.pyx", line 1087, in thinc.neural.ops.CupyOps.scatter_add\n'
    "AttributeError: module 'cupy' has no attribute 'scatter_add'\n"
)
# https://github.com/cupy/cupy/issues/4696 (Chainer 7 with a CuPy that no longer has cupy.util; maintainer: CuPy 7 for Chainer 7).
_CHAINER_CUPY_UTIL = (
    "RuntimeError: CUDA environment is not correctly set up\n"
    "(see https://github.com/chainer/chainer#installation).No module named 'cupy.util'\n"
)
# chainer/backends/cuda.py check_cuda_available with the ImportError of a missing CuPy appended (jsk-ros-pkg/jsk_recognition#2269).
_CHAINER_NO_CUPY = (
    "  RuntimeError: CUDA environment is not correctly set up\n"
    "  (see https://github.com/chainer/chainer#installation).No module named cupy\n"
)
# https://github.com/pytorch/pytorch/issues/172629 (GB10, sm_121, beside a build whose list ends at sm_120: the maintainers
# call the warning wrong, fixed by pytorch#166185).
_GB10 = (
    "UserWarning:\n"
    "    Found GPU0 NVIDIA GB10 which is of cuda capability 12.1.\n"
    "    Minimum and Maximum cuda capability supported by this version of PyTorch is\n"
    "    (8.0) - (12.0)\n"
)


def test_a_missing_cupy_attribute_reads_as_a_cupy_that_does_not_go_with_its_caller() -> None:
    assert first_cause(_SPACY_CUPY8) == "FRAMEWORK_INSTALL_BROKEN"


@pytest.mark.parametrize(
    "text",
    [
        "AttributeError: module 'numpy' has no attribute 'float'",
        "AttributeError: 'cupy.ndarray' object has no attribute 'device_id'",
        "AttributeError: module 'cupy_backends' has no attribute 'foo'",
    ],
)
def test_other_modules_and_objects_without_an_attribute_stay_quiet(text: str) -> None:
    assert "FRAMEWORK_INSTALL_BROKEN" not in codes(text)


def test_chainer_with_a_cupy_submodule_missing_reads_as_a_mismatched_cupy() -> None:
    assert first_cause(_CHAINER_CUPY_UTIL) == "FRAMEWORK_INSTALL_BROKEN"


def test_chainer_without_cupy_reads_as_the_cpu_half_only() -> None:
    assert first_cause(_CHAINER_NO_CUPY) == "FRAMEWORK_CPU_BUILD"


def test_chainers_url_alone_names_no_cause() -> None:
    assert codes("See https://github.com/chainer/chainer#installation for the install guide.") == []


def test_a_gpu_above_the_range_in_the_same_major_stays_quiet() -> None:
    assert "GPU_NOT_SUPPORTED" not in codes(_GB10)


# https://github.com/explosion/spaCy/issues/3437 (thinc's CupyOps without the thinc_gpu_ops package).
_THINC_NO_GPU_OPS = (
    "ops.pyx in thinc.neural.ops.CupyOps.hash()\n"
    "NameError: name 'gpu_ops' is not defined\n"
)


def test_thinc_without_its_gpu_kernels_reads_as_a_half_installed_gpu_part() -> None:
    assert first_cause(_THINC_NO_GPU_OPS) == "FRAMEWORK_INSTALL_BROKEN"


def test_another_undefined_name_stays_quiet() -> None:
    assert "FRAMEWORK_INSTALL_BROKEN" not in codes("NameError: name 'gpu_count' is not defined")
