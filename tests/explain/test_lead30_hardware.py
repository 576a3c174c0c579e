"""Session 30 (lead): a GPU name sold with several compute capabilities decides against a floor above all of them."""

from __future__ import annotations

import pytest
from tests.log_text import finding_codes, report

from whygpu.knowledge.gpus import gpu_in_text


def test_a_name_of_two_boards_keeps_every_capability_and_no_single_one() -> None:
    model = gpu_in_text("NVIDIA GeForce GT 730")
    assert model is not None and model.compute_capability is None
    assert set(model.compute_capabilities) == {"2.1", "3.5"}


@pytest.mark.parametrize("log", [
    "Windows 10, GeForce GT 730, torch 2.1.0+cu121. training fails with an error\n",
    "Ubuntu 22.04, GeForce GT 640, torch 2.2.0+cu118, torch.cuda.is_available() is False\n",
])
def test_every_board_below_the_builds_floor_is_the_gpu_not_supported(log: str) -> None:
    rep = report(log)
    first = rep.causes[0]
    assert first.code == "GPU_NOT_SUPPORTED" and "LOG110" in first.findings, log
    assert "at most 3.5" in first.title and "by its board" in first.evidence[0]


@pytest.mark.parametrize("log", [
    # TensorFlow 2.10's floor is 3.5: one board of the name reaches it, so the name does not decide.
    "Windows 10, GeForce GT 730, tensorflow 2.10, tf.config.list_physical_devices('GPU') returns []\n",
    # A name with no row (GTX 860M: 3.0 or 5.0) gives nothing to compare.
    "Windows 10, GeForce GTX 860M, torch 2.1.0+cu121, training fails\n",
    # The board works with an old CUDA: no failure, no floor shown.
    "GeForce GT 730 with CUDA 8 and theano, it works fine\n",
])
def test_a_floor_between_the_boards_or_no_failure_stays_quiet(log: str) -> None:
    assert "LOG110" not in finding_codes(log), log
