"""Session 24: TensorFlow's GPU memory allocator (GPU_<id>_bfc) exists only for a GPU device it created: its lines show the GPU in use."""

from __future__ import annotations

import pytest

from whygpu.explain import explain_text, to_report

_SUSPECTED = "I use TensorFlow 2.10 on Windows with an RTX A5000. It seems it is not using the GPU; training is not faster than on the CPU.\n"


@pytest.mark.parametrize("line", [
    "2023-06-27 11:28:24.870769: W tensorflow/core/common_runtime/gpu/gpu_bfc_allocator.cc:42] Overriding orig_value setting because the "
    "TF_FORCE_GPU_ALLOW_GROWTH environment variable is set. Original config value was 0.",
    "2020-09-24 21:35:23.363348: W tensorflow/core/common_runtime/bfc_allocator.cc:246] Allocator (GPU_0_bfc) ran out of memory trying to "
    "allocate 1.02GiB with freed_by_count=0. The caller indicates that this is not a failure, but may mean that there could be performance "
    "gains if more memory were available.",
])
def test_the_gpu_allocator_answers_a_suspicion_that_the_gpu_is_unused(line: str) -> None:
    report = to_report(explain_text(_SUSPECTED + line + "\n"))
    assert report.causes == []
    assert report.verdict.gpu_usable is not False


def test_without_the_allocator_line_the_suspicion_is_still_read() -> None:
    assert to_report(explain_text(_SUSPECTED)).causes != []


def test_a_cpu_allocator_line_is_not_the_gpu_in_use() -> None:
    line = ("2020-09-24 21:35:23.363348: W tensorflow/core/common_runtime/bfc_allocator.cc:246] Allocator (mklcpu) ran out of memory trying "
            "to allocate 1.02GiB with freed_by_count=0. The caller indicates that this is not a failure.")
    assert to_report(explain_text(_SUSPECTED + line + "\n")).causes != []
