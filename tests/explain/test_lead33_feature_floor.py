"""transformers' bf16 check on a GPU older than Ampere (session 33, after its batch was opened)."""

from __future__ import annotations

from log_text import report


def test_bf16_refused_on_a_gpu_before_ampere_is_the_gpu_not_supported_with_fp16_as_the_fix() -> None:
    # LMFlow #88 (https://github.com/OptimalScale/LMFlow/issues/88), on an RTX 2080 Ti.
    log = ("ValueError: Your setup doesn't support bf16/gpu. You need torch>=1.10, using Ampere GPU with cuda>=11.0\n"
           "GPU: 2080Ti\n")
    cause = report(log).causes[0]
    assert cause.code == "GPU_NOT_SUPPORTED"
    assert "--fp16" in cause.fix and "8.0" in cause.fix


def test_the_cpu_form_of_the_check_is_not_read_as_the_gpu_s() -> None:
    # The same check with use_cpu: bf16 on a CPU without it is no GPU cause.
    log = "ValueError: Your setup doesn't support bf16/(cpu, tpu, neuroncore). You need torch>=1.10\n"
    assert all(c.code != "GPU_NOT_SUPPORTED" for c in report(log).causes)
