"""A CUDA extension's build that finds no toolkit root (lead, session 31).

torch.utils.cpp_extension looks for the CUDA toolkit in CUDA_HOME, then nvcc on PATH, then /usr/local/cuda. With a
toolkit shown installed in the log, the failure means the toolkit is off that search (CUDA_LIBS_NOT_ON_PATH first,
knowledge/priors.toml); with none shown, no toolkit (the signature's CUDA_LIBS_MISSING). Lines written from the message's
format; versions that end a sentence are read as installed like any other.
"""

from __future__ import annotations

import pytest

from log_text import codes as _codes
from log_text import facts as _facts

_FAIL = "OSError: CUDA_HOME environment variable is not set. Please set it to your CUDA install root.\n"


@pytest.mark.parametrize("said", [
    "I installed CUDA 11.8 from NVIDIA's runfile, it is under /usr/local/cuda-11.8.\n",
    "Setup: Ubuntu 20.04 + CUDA 11.3 + PyTorch 1.12.\n",
    "My environment is ubuntu 18.04 + cuda 10.0.\n",
])
def test_toolkit_shown_installed_makes_it_off_the_search(said: str) -> None:
    assert _codes(said + _FAIL)[:2] == ["CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISSING"]


@pytest.mark.parametrize("said", [
    "",
    "Running on a slim Debian image.\n",
    # a need, a plan and a question are no toolkit installed
    "The README says the build needs CUDA 11.8.\n",
    "Should I install CUDA 12.1?\n",
])
def test_no_toolkit_shown_keeps_no_toolkit_first(said: str) -> None:
    assert _codes(said + _FAIL)[:2] == ["CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH"]


@pytest.mark.parametrize(("line", "cuda", "cudnn"), [
    ("My environment is ubuntu 18.04 + cuda 10.0.", ["10.0"], []),
    ("I have CUDA 11.2. It still fails", ["11.2"], []),
    ("cuDNN is 8.1.", [], ["8.1"]),
    ("CUDA 10.0.130 installed", ["10.0"], []),
    ("we need CUDA 11.8.", [], []),
])
def test_a_version_ending_its_sentence_is_read(line: str, cuda: list[str], cudnn: list[str]) -> None:
    facts = _facts(line)
    assert [s.value for s in facts.cuda_installed] == cuda
    assert [s.value for s in facts.cudnn_installed] == cudnn
