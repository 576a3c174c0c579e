"""Session 24: a GPU-Util of zero said to come and go, and a utilisation range from zero, read as a GPU used but idle.

nvidia-smi's GPU-Util is the share of the sample period in which a kernel ran
(https://docs.nvidia.com/deploy/nvidia-smi/index.html): a zero part of the time means kernels the rest of it
(GPU_UNDERUSED, shared/causes.md); a zero always is what a GPU with no work reads too, and stays unread here.
"""

from __future__ import annotations

import pytest

from whygpu.explain import explain_text, statements, to_report, utilread
from whygpu.knowledge.utilisation import GPU, UNDERUSED, decide


def _numbers(sentence: str) -> str:
    """What the one decision over the sentence's numbers says (accutil2: numbers are utilread's, words statements')."""
    return decide([r for r, _ in utilread.said(sentence)]).kind


def _first(log: str) -> str | None:
    causes = to_report(explain_text(log)).causes
    return causes[0].code if causes else None


@pytest.mark.parametrize("sentence", [
    "While training, nvidia-smi shows the GPU-Util is 0% most of the time.",
    "The utilization of the GPU would intermittently drop to 0 during an epoch.",
    "During a few batches the GPU utilization is 0, then it jumps back up.",
    "GPU usage goes to 0 between batches.",
])
def test_a_zero_that_comes_and_goes_is_read_as_idle(sentence: str) -> None:
    assert _numbers(sentence) == UNDERUSED
    assert _first(f"Training my model with PyTorch 2.1 on an RTX 3090.\n{sentence}\n") == "GPU_UNDERUSED"


@pytest.mark.parametrize("sentence", [
    "The Volatile GPU-Util is always 0 in nvidia-smi.",
    "Is the GPU utilization 0% most of the time for you too?",
    "GPU usage is 0 because the model never reaches the GPU.",
])
def test_a_zero_always_or_asked_is_not_read_as_idle(sentence: str) -> None:
    assert statements.underused(sentence) is None
    assert _numbers(sentence) != UNDERUSED


@pytest.mark.parametrize(("sentence", "share"), [
    ("When training, the GPU utilization is almost between 0 and 20%.", "20"),
    ("nvidia-smi: GPU-Util 0-15% the whole run", "15"),
    ("GPU usage goes from 0 to 10% and back.", "10"),
])
def test_a_low_range_from_zero_is_a_low_share(sentence: str, share: str) -> None:
    assert [(r.low, r.high) for r, _ in utilread.said(sentence) if r.subject == GPU] == [(0, float(share))]


@pytest.mark.parametrize("sentence", [
    "GPU utilization is between 0 and 90% while training.",
    "GPU-Util 0-100% as expected.",
])
def test_a_range_reaching_high_is_not_a_low_share(sentence: str) -> None:
    assert all(r.high > 20 for r, _ in utilread.said(sentence) if r.subject == GPU)


def test_a_low_range_on_linux_with_nvidia_smi_is_underused_and_quiet_without_it() -> None:
    log = "Ubuntu 22.04, TensorFlow 2.15, RTX 4090.\nnvidia-smi shows the GPU utilization between 0 and 20% while training.\n"
    assert _first(log) == "GPU_UNDERUSED"
    assert _first("Ubuntu 22.04, TensorFlow 2.15, RTX 4090.\nnvidia-smi shows the GPU utilization between 0 and 90%.\n") is None
