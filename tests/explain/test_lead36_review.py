"""The lead's review of session 36's branches: small meanings noticed while merging."""

from __future__ import annotations

import pytest

from log_text import facts
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


@pytest.mark.parametrize(("form", "platform"), [
    # ollama's bug report form (https://github.com/ollama/ollama/issues/7801): its "### OS" dropdown answered "Windows".
    ("### OS\n\nWindows\n\n### GPU\n\nNvidia\n", "windows"),
    ("### OS\n\nmacOS\n", "darwin"),
])
def test_an_issue_forms_bare_os_heading_answer_is_the_platform(form: str, platform: str) -> None:
    assert facts(form).platform_name() == platform


def test_an_issue_forms_several_os_choices_name_no_platform() -> None:
    assert facts("### OS\n\nLinux, Windows\n").platform_name() is None
