"""accprec (session 21): classes of logs where the GPU was used and explain must stay quiet, each beside the real failure of the same class.

Every text here is written from the class (varied wording, other programs' phrasing), not copied from
a corpus case: the corpus (tests/explain/corpus/negatives4) measures them.
"""

from __future__ import annotations

import pytest

from whygpu.explain import explain_text
from whygpu.explain.compared import gpu_side_ran


def _causes(text: str) -> list[str]:
    return [f.cause for f in explain_text(text, source="report.txt").findings]


def _unused(text: str) -> bool | None:
    return explain_text(text, source="report.txt").gpu_used


# --- A comparison of two runs the writer made, the problem placed on the GPU --------------------------

COMPARISONS = [
    "The outputs of my model computed on CPU and GPU are quite different, is that expected?",
    "Training is fine on the CPU. The problem only appears when training on the GPU: the loss explodes.",
    "On the CPU everything converges; the loss becomes NaN on the GPU after the first epoch.",
    "I benchmarked CPU vs GPU: the forward pass takes 40 ms on the CPU.",
    "The GPU results differ from the values computed on CPU by about 1e-3.",
    "Die Ergebnisse auf CPU und GPU unterscheiden sich. the tensors computed on cpu and on cuda:0 do not match",
]


@pytest.mark.parametrize("text", COMPARISONS)
def test_a_cpu_run_named_beside_a_run_on_the_gpu_is_a_comparison_not_the_gpu_unused(text: str) -> None:
    assert gpu_side_ran(text)
    assert _causes(text) == []
    assert _unused(text) is not False


NOT_RAN_ON_GPU = [
    "It runs on the CPU instead of the GPU.",
    "Training runs on the CPU and not on the GPU.",
    "The model runs on CPU and GPU is not used at all.",
    "I want it to run on the GPU but it only runs on the CPU.",
    "Everything is computed on CPU, the GPU does nothing.",
    "It keeps running on the CPU rather than the GPU, even though nvidia-smi shows my card.",
]


@pytest.mark.parametrize("text", NOT_RAN_ON_GPU)
def test_a_cpu_run_with_the_gpu_negated_wished_or_replaced_is_still_the_gpu_unused(text: str) -> None:
    assert not gpu_side_ran(text)
    assert _unused(text) is False
    assert _causes(text)


def test_a_comparison_needs_both_devices_on_the_line() -> None:
    assert not gpu_side_ran("The problem only appears when training on the GPU.")
    assert not gpu_side_ran("Training runs normally on CPU.")


# --- CUPTI, which only the profiler loads ----------------------------------------------------------------

PROFILER_CUPTI = [
    "2022-01-04 10:12:01.120000: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library 'libcupti.so.11.2'; dlerror: libcupti.so.11.2: cannot open shared object file: No such file or directory",
    "I tensorflow/stream_executor/platform/default/dso_loader.cc:53] Could not dlopen library 'libcupti.so.10.0'; dlerror: libcupti.so.10.0: cannot open shared object file",
    "Could not load dynamic library 'cupti64_110.dll'; dlerror: cupti64_110.dll not found",
]


@pytest.mark.parametrize("line", PROFILER_CUPTI)
def test_the_profilers_cupti_missing_is_benign_beside_a_working_gpu(line: str) -> None:
    log = "Successfully opened dynamic library libcudart.so.11.0\n" + line + "\nCreated TensorFlow device (/job:localhost/replica:0/task:0/device:GPU:0 with 10000 MB memory)\n"
    result = explain_text(log, source="train.log")
    assert [f.cause for f in result.findings] == []
    assert any("profiler" in b for b in result.benign)


@pytest.mark.parametrize("line", [
    # A library TensorFlow must open before it registers the GPU.
    "W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library 'libcusolver.so.11'; dlerror: libcusolver.so.11: cannot open shared object file: No such file or directory",
    # A framework that links CUPTI at import: the import itself fails.
    "OSError: libcupti.so.12: cannot open shared object file: No such file or directory",
])
def test_a_library_the_gpu_needs_or_an_import_that_fails_on_cupti_is_still_a_cause(line: str) -> None:
    assert _causes(line)
