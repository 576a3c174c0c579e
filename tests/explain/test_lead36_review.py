"""The lead's review of session 36's branches: small meanings noticed while merging."""

from __future__ import annotations

import pytest

from whygpu.explain.compared import gpu_side_ran


@pytest.mark.parametrize("text", [
    "It trains fine on CPU, but on GPU it went twice as fast.",
    "It runs on CPU, but on GPU the current loss is nan.",
])
def test_a_gpu_half_with_a_word_ending_in_nt_is_still_a_run(text: str) -> None:
    # "went", "current": words that end in -nt negate nothing.
    assert gpu_side_ran(text)


@pytest.mark.parametrize("text", [
    "It runs on CPU, but on GPU it does not run.",
    "It runs on CPU, but on GPU it doesnt start.",
    "It runs on CPU, but on GPU it won't start.",
])
def test_a_gpu_half_that_negates_its_run_is_not_a_run(text: str) -> None:
    assert not gpu_side_ran(text)
