"""accunify (session 26): the writer's words that an install brought the CPU build are judged by one decision,
``statements.cpu_build_said``, whichever reader found the words (statements' forms, installstate's). Sentences written
from the forms, a case each way."""

from __future__ import annotations

import pytest

from whygpu.explain.installstate import said_resolved_to_cpu
from whygpu.explain.statements import cpu_build, cpu_build_said


def _said(text: str) -> bool:
    return bool(cpu_build(text) or said_resolved_to_cpu(text))


@pytest.mark.parametrize(
    "text",
    [
        "The requirements.txt installed the cpu version of torch.",
        "pip install jax did not pull in the CUDA dependencies.",
        "I installed the CPU version of PyTorch.",
        # a condition states what the installer does: both readers read it (installstate's skipped it before)
        "If the env is created on a CPU node, pip installs the cpu version of torch.",
    ],
)
def test_a_cpu_build_said_as_a_fact_is_read(text: str) -> None:
    assert _said(text)


@pytest.mark.parametrize(
    "text",
    [
        "Did pip install the cpu version of torch?",  # asked
        "At first pip installed the cpu version of torch, now it works.",  # over
        "I think pip installed the cpu version of torch.",  # a guess
        "Maybe you installed the CPU version of PyTorch.",  # a guess about the reader
    ],
)
def test_a_cpu_build_not_said_as_a_fact_is_not_read(text: str) -> None:
    assert not _said(text)


def test_one_decision_judges_both_readers_words() -> None:
    text = "At first the requirements.txt installed the cpu version of torch, now it works."
    at = text.index("requirements.txt")
    assert not cpu_build_said(text, at, at + len("requirements.txt installed the cpu version"))
    text = "The requirements.txt installed the cpu version of torch."
    at = text.index("requirements.txt")
    assert cpu_build_said(text, at, at + len("requirements.txt installed the cpu version"))
