"""The writer's CPU run said beside a GPU run is no statement that the GPU went unused (lead, session 32): the CPU joined to
the GPU ("using CPU and GPU versions"), a contrast with "whereas", and an aim ("To make sure the model is on the CPU").
Found on the negatives' false alarms: catboost-241 and LightGBM-559 (both runs used the GPU; the generic "GPU not used"
ranking fired on the CPU side of the writer's comparison)."""

from __future__ import annotations

import pytest

from log_text import codes
from whygpu.explain.statements import unused

QUIET = [
    # https://github.com/catboost/catboost/issues/241
    "I trained the models using CPU and GPU versions on the same data.",
    # https://github.com/lightgbm-org/LightGBM/issues/559
    "When training on GPUs, the training results give slightly different results on each run even with the random seed "
    "set, whereas training on CPUs with the same exact parameters gives the same results.",
    # https://github.com/huggingface/sentence-transformers/issues/2694
    "To make sure the model is on the CPU",
    "The benchmark runs on GPU and CPU.",
    "It is using CPU/GPU both.",
]

SAID = [
    "It is using the CPU and not the GPU.",
    "My model is using CPU instead of GPU",
    "it only uses CPU / GPU is idle",
    "Training runs on the CPU only.",
]


@pytest.mark.parametrize("sentence", QUIET)
def test_the_cpu_beside_the_gpu_is_no_unused_gpu(sentence: str) -> None:
    assert unused(sentence) is None


@pytest.mark.parametrize("sentence", SAID)
def test_the_cpu_alone_is_still_the_gpu_unused(sentence: str) -> None:
    assert unused(sentence) is not None


def test_the_comparison_raises_no_cause_and_the_statement_does() -> None:
    assert codes(QUIET[0] + "\nBoth models showed a test Logloss of 0.638.\n") == []
    assert codes("PyTorch 2.3.1 on Ubuntu 22.04\nMy model is using CPU instead of GPU\n") != []
