"""The one grammar of the reporter's words (explain/grammar.py) and the classes session 20 (accwords2) reads with it.

Each sentence here is written from what its class means (not copied from a collected log): the grammar's own
decisions (a sentence's bounds, a program's line, a question without a question word, a gerund subject, a
condition on the reporter's own action), and the readers that use it: the environment the reporter describes,
what they saw, what they say worked; each with sentences where it must stay quiet.
"""

from __future__ import annotations

import pytest

from whygpu.explain import grammar, statements
from whygpu.explain.logfacts import FactReader, LogFacts
from whygpu.explain.remedies import stated_remedies


def _facts(line: str) -> LogFacts:
    reader = FactReader()
    reader.read_text("t", line + "\n")
    return reader.facts


def _said(text: str, words: str) -> bool:
    start = text.index(words)
    return grammar.said(text, start, start + len(words))


# --- the grammar's own decisions --------------------------------------------------------------------------------

def test_one_splitter_ends_sentences_at_stops_and_question_marks_but_not_inside_versions_or_urls() -> None:
    line = "Are models run on cpu?how do I fix it. torch 2.1.0 is installed; see https://x.org/a?b=1 now"
    assert [s.strip() for _, s in grammar.sentences(line)] == [
        "Are models run on cpu?", "how do I fix it.", "torch 2.1.0 is installed;", "see https://x.org/a?b=1 now"]
    left, right = grammar.sentence_at(line, line.index("torch"), line.index("installed"))
    assert line[left:right].strip() == "torch 2.1.0 is installed;"


@pytest.mark.parametrize("line", (
    "2024-03-01 12:00:01 INFO using CPU",
    "Feb 28 12:44:32 ai-server ollama[854770]: using CPU instead",
    "worker[1234]: falling back to CPU",
    "W0301 12:00:01.123 gpu.cc:12] no GPU found",
    "RuntimeError: CUDA is not available",
    "$ python train.py --device cpu",
    ">>> torch.cuda.is_available()",
    "# run on the cpu for now",
))
def test_a_programs_line_is_no_ones_sentence(line: str) -> None:
    assert grammar.program_line(line)


@pytest.mark.parametrize("line", ("## My GPU is not used", "# Tensorflow does not see the GPU", "I run it on the CPU, see log below"))
def test_a_markdown_heading_and_prose_are_the_reporters(line: str) -> None:
    assert not grammar.program_line(line)


@pytest.mark.parametrize(("text", "words"), (
    ("Is it because of my driver that it runs on the CPU", "runs on the CPU"),
    ("Does torch run on the CPU here", "run on the CPU"),
    ("Your requirements.txt installs the cpu version of tensorflow, right?", "installs the cpu version"),
    ("Is there a way to make it run on the CPU", "run on the CPU"),
    ("cpu, if no gpu detected ?", "cpu"),
))
def test_questions_without_a_question_word_or_mark_ask(text: str, words: str) -> None:
    assert not _said(text, words), text


@pytest.mark.parametrize("text", ("Any idea? It runs on the CPU.", "Anyone? It runs on the CPU", "Any help is welcome. It runs on the CPU!"))
def test_a_bare_request_for_help_leaves_the_next_sentence_asserted(text: str) -> None:
    assert _said(text, "runs on the CPU"), text
    assert statements.unused(text) is not None, text


@pytest.mark.parametrize("text", (
    "Why does it run on the CPU?",        # presupposes it
    "It runs on the CPU, any idea why?",  # asks about the reason, after saying it
    "Is CUDA available: False",           # a label and its value
))
def test_a_question_that_presupposes_or_a_label_with_its_value_still_asserts(text: str) -> None:
    words = "False" if "False" in text else "run" if "does it run" in text else "runs"
    assert _said(text, words), text


@pytest.mark.parametrize(("text", "words", "said"), (
    ("And if I run this code, it only uses the CPU.", "only uses the CPU", True),  # what happened when they did it
    ("If I install torch from pip, torch.cuda.is_available() returns False.", "returns False", True),
    ("If no GPU is detected, it falls back to the CPU.", "falls back to the CPU", False),
    ("If I had a GPU, it would not run on the CPU.", "run on the CPU", False),  # a hypothetical
    ("If you only have an AMD GPU, use the ROCm build.", "AMD GPU", False),
    ("I had an AMD card before, now it is an RTX 3060.", "AMD card", False),  # over
    ("People said it runs on the CPU for them.", "runs on the CPU", False),  # hearsay
))
def test_conditions_hypotheticals_hearsay_and_a_state_that_is_over(text: str, words: str, said: bool) -> None:
    assert _said(text, words) is said, text


@pytest.mark.parametrize("text", (
    "Running on CPU is slow.",
    "Training on the CPU takes forever, about 10x longer.",
    "Doing inference on the CPU with 8 threads would be fine.",
    "Running it on CPU only is not an option for us.",
))
def test_a_gerund_subject_is_no_claim_that_the_gpu_is_unused(text: str) -> None:
    assert statements.unused(text) is None, text


@pytest.mark.parametrize("text", (
    "Running on CPU instead of GPU",           # a title: the gerund phrase is the report
    "It keeps running on the CPU, which is slow",
    "Training runs on the CPU and is slow",
))
def test_an_ing_form_that_is_not_the_subject_still_reports(text: str) -> None:
    assert statements.unused(text) is not None, text


# --- the reporter's account of the environment -------------------------------------------------------------------

@pytest.mark.parametrize(("text", "platform"), (
    ("I installed tensorflow with pip on Windows", "windows"),
    ("I'm on Windows 11 with an RTX 3060", "windows"),
    ("We run everything under native Windows.", "windows"),
    ("My laptop runs Ubuntu 22.04", "linux"),
    ("I run the notebook inside WSL", "wsl"),
    ("my OS is macOS Sonoma", "darwin"),
    # The platform's name is the same word in every language; the first person and the preposition are each language's.
    ("我在Windows上安装了tensorflow，但是没有用GPU", "windows"),
    ("у меня Windows 10 и RTX 3060", "windows"),
    ("je suis sous Linux", "linux"),
    ("uso Ubuntu en mi portátil", "linux"),
))
def test_the_platform_the_reporter_says_their_machine_runs(text: str, platform: str) -> None:
    assert platform in [s.value for s in _facts(text).platform], text


@pytest.mark.parametrize("text", (
    "On Windows, TensorFlow 2.11 and later has no GPU support.",  # nobody's machine
    "Does it work on Windows?",
    "If you are on Linux, install the CUDA wheel.",
    "I do not run it on Windows.",
    "I used to run it on Windows, now it is fixed.",
    "如果你在Windows上，请用WSL2",
    "我不在Windows上",
    "no uso Windows",
    "je ne suis pas sous Linux",
))
def test_a_platform_not_said_of_the_reporters_machine(text: str) -> None:
    assert [s.value for s in _facts(text).platform] == [], text


@pytest.mark.parametrize("text", (
    "I'm using the CPU version",
    "We are using the cpu-only build of torch for now",
    "I have the CPU package of tensorflow installed",
    "Tengo instalada la versión CPU",  # not read: another language's build words (see docs: a limit)
))
def test_the_build_the_reporter_uses_is_the_cpu_one(text: str) -> None:
    got = [s.value for s in _facts(text).stated_cpu_build]
    assert bool(got) is (not text.startswith("Tengo")), text


@pytest.mark.parametrize("text", (
    "Use the CPU version if you have no GPU",
    "I'm using the CPU version of the model",
    "I don't want to use the CPU version",
    "Are you using the CPU version?",
    "your requirements.txt uses cpu version of tensorflow, right?",
))
def test_the_cpu_build_not_asserted_of_the_reporters_install(text: str) -> None:
    assert [s.value for s in _facts(text).stated_cpu_build] == [], text


@pytest.mark.parametrize(("text", "vendor"), (
    ("If you only have an AMD GPU, use the ROCm build", None),
    ("Do you have an AMD GPU?", None),
    ("You should install the ROCm build of torch", None),
    ("My GPU is an AMD Radeon RX 6800", "amd"),
    ("GPU model: AMD Radeon RX 580", "amd"),
    ("my laptop has only Intel graphics", "intel"),
))
def test_a_gpu_named_in_advice_or_a_question_is_not_the_reporters(text: str, vendor: str | None) -> None:
    assert [s.value for s in _facts(text).gpu_vendor] == ([vendor] if vendor else []), text


# --- what the reporter saw -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", (
    "GPU memory usage stays at 0 the whole time",
    "nvidia-smi shows 0MiB used while it trains",
    "no GPU memory is allocated during training",
    "The VRAM usage remains at zero",
    "训练的时候显存占用一直是0",
    "显存没有被占用",
    "la memoria de la GPU se queda en 0",
))
def test_the_gpu_memory_in_use_said_to_be_none(text: str) -> None:
    assert statements.memory_unused(text) is not None, text


@pytest.mark.parametrize("text", (
    "GPU memory usage is 0 before training starts",
    "GPU memory usage is 0MiB / 8192MiB when idle",
    "If GPU memory stays at 0, the model is on the CPU",
    "Is GPU memory usage 0 for you?",
    "GPU memory is not 0, it is 3000MiB",
    "|  0  Tesla T4   Off | 0MiB / 15360MiB |  0%  Default |",
    "如果显存占用是0，说明没用GPU",
    "显存占用 10240MiB",
    "GPU usage at 0% during training",  # a utilisation, not the memory: a used GPU that idles shows it too
    "Setting affinity for GPU 0 to ffff,ff000000",
))
def test_zero_memory_before_the_work_a_total_a_question_or_a_table_stays_quiet(text: str) -> None:
    assert statements.memory_unused(text) is None, text


# --- what the reporter did that worked -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "cause"), (
    ("Setting LD_LIBRARY_PATH to /usr/local/cuda/lib64 solves the problem.", "CUDA_LIBS_NOT_ON_PATH"),
    ("Adding --gpus all to docker run fixes it.", "CONTAINER_NO_GPU"),
    ("The issue is resolved if I add --gpus all to the docker run command.", "CONTAINER_NO_GPU"),
    ("It works once we installed the GPU build of torch.", "FRAMEWORK_CPU_BUILD"),
    ("I had no idea that I needed to change the runtime type to GPU in Colab.", "NO_GPU"),
    ("I didn't know I had to pass --gpus all to docker run.", "CONTAINER_NO_GPU"),
    ("We weren't aware that we needed to set LD_LIBRARY_PATH.", "CUDA_LIBS_NOT_ON_PATH"),
))
def test_stated_remedies_in_more_forms(text: str, cause: str) -> None:
    assert [r.cause for r in stated_remedies(text)] == [cause], text


@pytest.mark.parametrize("text", (
    "Does setting LD_LIBRARY_PATH solve the problem?",
    "Setting LD_LIBRARY_PATH might fix it.",
    "It would work if I had a GPU.",
    "If you add --gpus all, it works.",
    "I don't know if I need to set LD_LIBRARY_PATH.",
    "Setting LD_LIBRARY_PATH never fixes it.",
    "Adding --gpus all fixes it for others but not for me.",
    "I had no idea why it fails.",
))
def test_stated_remedies_stay_quiet_on_questions_guesses_hypotheticals_and_hearsay(text: str) -> None:
    assert stated_remedies(text) == [], text
