"""Session 29 (lead): the GPU unused told through its monitor, and a framework's answer followed by what the writer draws from it."""

from __future__ import annotations

import pytest
from tests.log_text import codes, facts, report

from whygpu.explain import normalize, statements

# --- no process of the run on the GPU (statements.no_process) ---------------------------------------------------


@pytest.mark.parametrize("line", [
    "there is no process running on my GPU when I run train.py",
    "Using nvidia-smi, there are no processes on the GPU while the model trains.",
    "nvidia-smi shows no processes while training",
    "nvidia-smi.exe still lists no python process during the epoch",
    "python doesn't show up in nvidia-smi at all",
    "my script is never listed in nvidia-smi",
    "Also, during the training there is no memory/GPU consumption as reported by nvidia-smi.",
])
def test_no_process_on_the_gpu_is_the_gpu_unused(line: str) -> None:
    assert [s.value for s in facts(f"Ubuntu 22.04, RTX 3090.\n{line}\n").stated_unused], line
    assert codes(f"Ubuntu 22.04, RTX 3090, tensorflow 2.15.\n{line}\n"), line


@pytest.mark.parametrize("log", [
    "WSL2, Ubuntu 22.04.\nnvidia-smi shows no processes while training",      # WSL2's nvidia-smi lists none by design
    "I run it in docker.\nnvidia-smi shows no processes",                       # nor does a container's
    "Inside the container nvidia-smi shows no processes but training is fast",
    'my log shows "Beginning training on CUDA/GPU! Device: 0", but nvidia-smi shows No running processes found.',
    "If nvidia-smi shows no processes, the GPU is not used by the job.",     # a condition
    "Does nvidia-smi show no processes for you too?",                          # a question
    'The FAQ says "nvidia-smi shows no processes" on some drivers.',           # quoted
])
def test_no_process_stays_quiet_where_the_monitor_cannot_decide(log: str) -> None:
    assert not facts(log + "\n").stated_unused, log


def test_the_reading_is_the_writers_not_a_programs_line() -> None:
    assert statements.no_process("[2024-01-01 10:00:00] INFO no processes on the GPU, waiting") is None
    assert statements.no_process("there is no process running on my GPU", contained=True) is None
    assert statements.no_process("there is no process running on my GPU") is not None


# --- the framework's answer told under the call, then what the writer draws from it ----------------------------


@pytest.mark.parametrize("tail", [
    "it prints False so clearly I am doing something wrong here.",
    "It returns False, which means no GPU for me",
    "I get False, so the GPU is not found",
])
def test_an_answer_with_its_consequence_is_the_answer(tail: str) -> None:
    log = f"Windows 10.\n\n`print(torch.cuda.is_available())`\n\n{tail}\n"
    assert [s.value for s in facts(log).gpu_answer.get("torch", [])] == [False], tail


@pytest.mark.parametrize("tail", [
    "it prints False so I reinstalled and now it works",        # a later state follows
    "it printed False until I installed the cu121 wheel",       # the value is over
    "it prints False but it prints True in a new shell",        # a doubt
])
def test_an_answer_that_is_over_or_doubted_is_not_read(tail: str) -> None:
    log = f"`print(torch.cuda.is_available())`\n\n{tail}\n"
    assert not [s for s in facts(log).gpu_answer.get("torch", []) if s.value is False], tail


# --- the writer's release said before the contrast, and an error said as what something caused --------------------


@pytest.mark.parametrize("line", [
    "Google colab has CUDA 10, whereas tensorflow-gpu 1.12.0 is built against CUDA 9, causing an import error.",
    "I have CUDA 10 installed but tensorflow-gpu 1.12.0 is built against CUDA 9. import tensorflow fails.",
    "My machine has cuDNN 8.1 but the package requires cuDNN 7.6 and I can't import tensorflow",
])
def test_the_release_before_the_contrast_against_the_wanted_one_is_a_mismatch(line: str) -> None:
    assert codes(line + "\n")[:1] in (["CUDA_LIBS_MISMATCH"], ["CUDNN_MISMATCH"]), line


@pytest.mark.parametrize("line", [
    "I have CUDA 9.2 but tensorflow is built against CUDA 9, and import tensorflow fails.",   # the same major: undecided
    "If you have CUDA 10 but tensorflow is built against CUDA 9, you get an import error.",   # advice
    "I have CUDA 10 and tensorflow-gpu 1.12.0 is built against CUDA 9.",                     # no contrast, no failure
])
def test_no_mismatch_without_another_major_a_statement_or_a_failure(line: str) -> None:
    assert "CUDA_LIBS_MISMATCH" not in codes(line + "\n")[:1], line


@pytest.mark.parametrize("line", [
    "The update caused an import error in tensorflow.", "import tensorflow fails with the GPU package",
    "I can't import torch after the upgrade", "Python fails to import jaxlib now",
])
def test_an_error_said_as_caused_or_an_import_said_to_fail_is_trouble(line: str) -> None:
    assert facts(line + "\n").stated_trouble, line


@pytest.mark.parametrize("line", [
    "import tensorflow works fine", "It didn't cause any error.", "Does import torch fail for you?", "import torch\n",
])
def test_an_import_that_works_or_is_asked_is_no_trouble(line: str) -> None:
    assert not facts(line + "\n").stated_trouble, line


def test_a_build_said_not_compile_with_gpu_support_is_a_cpu_build() -> None:
    assert codes("XGBoost version not compile with GPU support.\n")[:1] == ["FRAMEWORK_CPU_BUILD"]
    assert codes("you should not compile with CUDA if you have no GPU\n") == []   # advice, not the build's state


# --- a retyped message's misspelt words (explain.normalize.respell) --------------------------------------------------


@pytest.mark.parametrize("line, code", [
    ("CUDA error: no kernal image is available for excution on the device", "GPU_NOT_SUPPORTED"),
    ("CUDA driver version is insufficent for CUDA runtime version", "DRIVER_TOO_OLD"),
])
def test_a_retyped_message_with_misspelt_words_reads_as_the_message(line: str, code: str) -> None:
    log = f"RTX 3080, Ubuntu 20.04, torch 1.7.1\n{line}\n"
    assert codes(log)[:1] == [code], line
    evidence = report(log).causes[0].evidence
    assert any("kernal" in e or "insufficent" in e for e in evidence), evidence   # shown as written


def test_respell_changes_only_the_listed_words_and_keeps_their_case() -> None:
    assert normalize.respell("No Kernal image AVALIABLE") == "No Kernel image AVAILABLE"
    same = "the kernel image is available"
    assert normalize.respell(same) is same
    assert normalize.respell("kernalx availablee") == "kernalx availablee"   # whole words only


def test_a_misspelt_word_outside_a_message_reads_as_nothing() -> None:
    assert codes("the kernal of my linux is 5.15 and the devcie is fine\n") == []
