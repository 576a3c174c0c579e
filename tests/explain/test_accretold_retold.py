"""accretold (session 38): a program's message retold in the writer's words, read into the same typed facts as the pasted one.

Each reading has a case where it speaks and cases where it stays quiet (asked, supposed, hearsay, another machine, over).
The sentences are written for these tests from the meaning (a program's message retold beside the versions stated).
"""

from __future__ import annotations

from log_text import codes, facts
from whygpu.explain import grammar


def _frame(text: str, words: str) -> str | None:
    m = grammar.retold(text, text.index(words))
    return m.group(0).strip() if m is not None else None


def test_retold_frames_with_the_program_as_subject() -> None:
    assert _frame("When I import tensorflow, it says that tensorflow works only with CUDA 9.0.", "tensorflow works") == "it says that"
    assert _frame("When compiling the model, it prompts that the driver version is too low.", "the driver") == "it prompts that"
    assert _frame("The error message says the driver is too old.", "the driver") is not None
    assert _frame("TensorFlow keeps complaining that it needs CUDA 10.0.", "it needs") is not None


def test_retold_frames_not_of_this_machine_now_stay_quiet() -> None:
    assert _frame("If it says the driver is too old, update it.", "the driver") is None  # supposed
    assert _frame("Does it say that the driver is too low?", "the driver") is None  # asked
    assert _frame("He says the driver is too old.", "the driver") is None  # a person, not the program
    assert _frame("On my colleague's machine it says the driver is too old.", "the driver") is None  # another machine
    assert _frame("It said the driver was too old; I updated it and now it works.", "the driver") is None  # over
    assert _frame("Maybe it would say the driver is too old.", "the driver") is None  # a guess


def test_wanted_release_retold_beside_the_installed_one_reads_a_mismatch() -> None:
    text = "I installed CUDA 9.2 on Windows 10. When I import tensorflow, it says that tensorflow works only with CUDA 9.0."
    assert facts(text).retold_failure
    assert codes(text)[:1] == ["CUDA_LIBS_MISMATCH"]
    assert codes("I have CUDA 10.1 installed. When I import tensorflow it says it needs CUDA 10.0.")[:1] == ["CUDA_LIBS_MISMATCH"]


def test_wanted_release_retold_stays_quiet_when_served_fixed_or_elsewhere() -> None:
    assert codes("I have CUDA 10.0 installed. When I import tensorflow it says it needs CUDA 10.0.") == []  # served
    assert codes("I have CUDA 10.1. It said tensorflow needs CUDA 10.0, but I installed 10.0 and now it works.") == []
    assert codes("I have CUDA 10.1. On my colleague's machine it says tensorflow needs CUDA 10.0.") == []
    assert codes("I have CUDA 10.1. If it says tensorflow needs CUDA 10.0, install that.") == []


def test_driver_said_too_low_retold_reads_driver_too_old() -> None:
    text = "The cluster GPU driver is version 470.82. When compiling the model, it prompts that the driver version is too low."
    assert facts(text).driver_said_too_old and facts(text).retold_failure
    assert codes(text)[:1] == ["DRIVER_TOO_OLD"]


def test_driver_retold_quiet_when_supposed_or_hearsay() -> None:
    assert codes("The cluster driver is 470.82. If it prompts that the driver version is too low, upgrade it.") == []
    assert codes("The cluster driver is 470.82. Someone said the driver version is too low.") == []
    assert not facts("My driver is 535. Does it say that the driver is too old?").retold_failure


def test_a_document_retold_is_not_the_program() -> None:
    assert _frame("It says in the docs that tensorflow needs CUDA 10.0.", "tensorflow needs") is None
    assert codes("I have CUDA 10.1. It says in the docs that tensorflow needs CUDA 10.0.") == []


def test_the_error_is_that_frames_a_retold_message() -> None:
    assert codes("My NVIDIA driver is 390.87. The error is that the driver version is too old.")[:1] == ["DRIVER_TOO_OLD"]


def test_cudnn_wanted_retold_beside_the_cudnn_installed() -> None:
    assert codes("I have cuDNN 7.6 installed. When I run paddle, it says it needs cuDNN 8.")[:1] == ["CUDNN_MISMATCH"]
    assert codes("I have cuDNN 8.1 installed. When I run paddle, it says it needs cuDNN 8.1.") == []


def test_driver_said_insufficient_retold_reads_driver_too_old() -> None:
    assert codes("My driver is 410.48. When I run it, it says the driver version is insufficient.")[:1] == ["DRIVER_TOO_OLD"]
    assert codes("If the driver version is insufficient, update it. My driver is 410.48.") == []
    assert codes("Pytorch tells me my driver is too old (found version 9010). nvidia-smi shows driver 390.")[:1] == ["DRIVER_TOO_OLD"]
