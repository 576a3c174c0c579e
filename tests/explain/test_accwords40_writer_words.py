"""accwords40 (session 40): the writer's own words about the machine and the GPU.

- A version labelled in another language (explain.labelwords, knowledge/version_labels.toml) is read as its English form
  by the readers of stated versions; the sentence's grammar (a question, a need) still decides.
- An environment list written on one line ("Mac 12.4, M1, No GPU") states no GPU in one of its fragments.
- A virtual machine or cloud instance the writer ran on said to have no GPU ("the VM has no GPU", "... on a virtual machine,
  but it failed because there was no GPU").
- A program's message that the GPU went unused (a warning pasted, or restated as the issue's title) is the program's
  answer, which the writer's own word that the GPU works for the run answers (works.program_said, LogFacts.counted_unused).

Real lines carry the public thread they come from.
"""

from __future__ import annotations

import pytest
from tests.log_text import codes

from whygpu.explain import hwstated, statements, works
from whygpu.explain.labelwords import in_english
from whygpu.explain.logfacts import LogFacts, read_head


def _facts(text: str) -> LogFacts:
    facts = LogFacts()
    read_head("<t>", text.splitlines(), facts)
    return facts


# --- labels of other languages ------------------------------------------------------------------------------------
ENGLISH = [
    ("CUDA版本为11.8", "CUDA version is 11.8"),
    # https://github.com/PeterH0323/Smart_Construction/issues/39 (the label after the version stays as written)
    ("torch==1.5.1，cuda是10.0版本", "cuda version is 10.0"),
    # https://github.com/Comfy-Org/ComfyUI/issues/6719
    ("pytorch版本：2.7.0.dev20250204", "pytorch version: 2.7.0"),
    ("CUDAのバージョンは12.1です", "CUDA version is 12.1 です"),
    ("CUDA 버전은 11.8입니다", "CUDA version is 11.8 입니다"),
    ("версия драйвера 535.104", "driver version 535.104"),
    ("CUDA версии 11.8", "CUDA version 11.8"),
    ("la versión de CUDA es 11.8", "CUDA version is 11.8"),
    ("versão do driver: 535.54", "driver version: 535.54"),
    ("version du pilote 535.98", "driver version 535.98"),
    ("显卡驱动 535.98", "driver version 535.98"),
]


@pytest.mark.parametrize(("line", "english"), ENGLISH)
def test_label_read_in_english(line: str, english: str) -> None:
    assert english in in_english(line)


@pytest.mark.parametrize("line", [
    "CUDA version: 11.8",  # English already: left as written
    "my torch version is 2.0",
    "torchvision版本0.15",  # another package's name, not torch's
    "这个版本的模型效果更好",  # no name, no version
])
def test_line_left_as_written(line: str) -> None:
    assert in_english(line) == line


def test_labelled_cuda_is_read_installed() -> None:
    assert [s.value for s in _facts("CUDA版本为11.8").cuda_installed] == ["11.8"]
    assert [s.value for s in _facts("CUDAのバージョンは12.1です").cuda_installed] == ["12.1"]


def test_labelled_framework_and_driver_are_read() -> None:
    assert [s.value for s in _facts("pytorch版本：1.13.1").versions.get("torch", [])] == ["1.13.1"]
    assert [s.value for s in _facts("версия драйвера 535.104").driver_stated] == ["535.104"]


def test_labelled_version_asked_is_not_installed() -> None:
    # The question stays the writer's: "is the CUDA version 11.8?"
    assert not _facts("请问CUDA版本是11.8吗？").cuda_installed


def test_evidence_stays_as_written() -> None:
    seen = _facts("CUDA版本为11.8").cuda_installed[0]
    assert seen.text == "CUDA版本为11.8"


# --- an environment list on one line ----------------------------------------------------------------------------
def test_inline_list_states_no_gpu() -> None:
    # The form of accext39's held-out title (docs/explain-accuracy.md, session 39): a Mac's release, its chip, no GPU.
    stated = list(hwstated.hardware_statements(["Mac 12.4, M1, No GPU"]))
    assert [(s.kind, s.value) for s in stated] == [("no_gpu", "none")]
    assert [s.value for s in _facts("Mac 12.4, M1, No GPU").platform] == ["darwin"]


@pytest.mark.parametrize("line", [
    "I tried, but no GPU was found, sadly",  # a sentence runs on past the comma
    "GPU or no GPU?",
    "CUDA 11.8, cuDNN 8.6, RTX 3090",  # a list without the words
    "Works on the GPU server, no GPU needed for the tests, see the docs",
])
def test_inline_list_quiet(line: str) -> None:
    assert not [s for s in hwstated.hardware_statements([line]) if s.kind == "no_gpu"]


# --- a virtual machine without a GPU ----------------------------------------------------------------------------
@pytest.mark.parametrize("line", [
    # tf-gqn#77 (accmisc39's design thread, docs/explain-accuracy.md, session 39)
    "I tried to run on a virtual machine, but it failed because there was no GPU.",
    "the VM has no GPU",
    "This instance doesn't have a GPU, so torch runs on the CPU.",
])
def test_vm_without_gpu_read(line: str) -> None:
    assert statements.no_gpu(line) is not None
    assert codes(line)[:1] == ["NO_GPU"]


@pytest.mark.parametrize("line", [
    "Is there no GPU on my VM?",
    "If there is no GPU, the VM falls back to CPU",
    "I run it in a VM and it says there was no GPU",  # the program's words retold
    "There was no GPU in the list, maybe the driver is missing?",  # no VM named
    "this machine does not have a GPU",  # Keras's own warning
])
def test_vm_without_gpu_quiet(line: str) -> None:
    assert statements.no_gpu(line) is None


# --- a program's message restated -------------------------------------------------------------------------------------
@pytest.mark.parametrize("line", [
    "UserWarning: CUDA is not available, falling back to CPU",  # a warning's class: a program's line
    # JAX's own fallback warning (jax/_src/xla_bridge.py) restated as an issue's title, which LOG-JAX-CPU-FALLBACK reads
    "No GPU/TPU found, falling back to CPU. (Set TF_CPP_MIN_LOG_LEVEL=0 and rerun for more info.)",
])
def test_program_message_is_the_programs(line: str) -> None:
    assert works.program_said(line)


@pytest.mark.parametrize("line", [
    "the training falls back to the CPU on my machine",
    "My GPU is not used at all, only the CPU",
])
def test_writers_sentence_is_the_writers(line: str) -> None:
    assert not works.program_said(line)


def test_program_message_yields_to_the_writers_word_that_the_gpu_works() -> None:
    log = ("No GPU/TPU found, falling back to CPU. (Set TF_CPP_MIN_LOG_LEVEL=0 and rerun for more info.)\n\n"
           "I use PyTorch for the model and the GPU is used fine; the warning comes from a helper that imports jax.")
    facts = _facts(log)
    assert facts.stated_unused and facts.stated_gpu_works
    assert facts.counted_unused() == []


def test_writers_own_words_still_count_beside_a_program_message() -> None:
    # The writer's own finding is not a program's message: it stays counted.
    log = "My GPU is not used at all, only the CPU.\nLater the GPU is used fine when I run the other script."
    facts = _facts(log)
    assert [s.value for s in facts.counted_unused()]
