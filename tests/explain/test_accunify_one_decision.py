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


# --- one parser of install commands (explain.installstate.install_commands) for judge, ruleout and rules ------------------


@pytest.mark.parametrize(
    ("name", "line", "shown"),
    [
        ("tensorflow-gpu", "python -m pip install --upgrade tensorflow_gpu", True),
        ("tensorflow-gpu", "conda install -c anaconda tensorflow-gpu", True),
        ("tensorflow-gpu", "pip uninstall -y tensorflow-gpu", False),  # removed, not installed
        ("tensorflow-gpu", "pip install tensorflow; python -c 'import tensorflow_gpu'", False),  # after the command ends
        ("tensorflow-gpu", "the tensorflow-gpu package works", False),
    ],
)
def test_an_install_commands_argument_shows_the_package(name: str, line: str, shown: bool) -> None:
    from whygpu.explain.judge import _shown_as_package

    assert _shown_as_package(name, line) is shown


@pytest.mark.parametrize(
    ("line", "installed"),
    [
        ("pip install jaxlib==0.4.7+cuda11.cudnn82 -f https://storage.googleapis.com/jax-releases/jax_cuda_releases.html", False),
        ("conda install pytorch=1.13=py3.9_cuda11.7_cudnn8.5.0_0", False),
        ("jaxlib                    0.4.7+cuda11.cudnn82", True),
        ("Successfully installed jaxlib-0.4.7+cuda11.cudnn82", True),
    ],
)
def test_a_build_on_an_install_command_is_asked_for_not_installed(line: str, installed: bool) -> None:
    from whygpu.explain.logfacts import Seen
    from whygpu.explain.ruleout import _installed

    assert _installed(Seen(True, "log:1", line)) is installed


@pytest.mark.parametrize(
    ("line", "installer"),
    [
        ("conda install -c conda-forge tensorflow-gpu=2.4", "conda"),
        ("mamba create -n tf tensorflow-gpu", "conda"),
        ("pip3 install tensorflow-gpu==2.4.0", "pip"),
        ("python -m pip install tensorflow-gpu", "pip"),
        ("tensorflow-gpu            2.4.0", None),
    ],
)
def test_the_installer_a_line_uses_is_its_commands(line: str, installer: str | None) -> None:
    from whygpu.explain.rules import _installer

    assert _installer(line) == installer
