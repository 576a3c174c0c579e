"""accwhere (session 25): the writer's account of what ran where, and what it implies.

Every text here is written from the meaning of the account (the framework sees the GPU and the work is not put on it;
the query's answer differing inside one program; the model's device read as cpu; the GPU busy only in bursts; the GPU's
usage not moving while the CPU's rises), in several wordings and languages, not copied from a corpus case.
"""

from __future__ import annotations

import pytest

from whygpu.explain import explain_text, statements, utilread, works
from whygpu.knowledge.utilisation import UNDERUSED, decide


def _lead(text: str) -> str | None:
    findings = [f for f in explain_text(text, source="report.txt").findings if f.alternative_to is None]
    return findings[0].cause if findings else None


def _codes(text: str) -> list[str]:
    return [f.id for f in explain_text(text, source="report.txt").findings]


# --- the framework's answer True, in any wording -------------------------------------------------------------------------

ANSWER_TRUE = [
    "torch.cuda.is_available()返回True",
    "我的cuda.is_available()已经是true了",
    "is_available() devuelve True en mi equipo",
    "torch.cuda.is_available() gibt True zurück",
    "torch.cuda.is_available() возвращает True",
    "torch.cuda.is_avaliable() returns True",          # the call misspelt as reporters type it
    "cuda.avilable显示为True",
    "torch.cuda.is_available() is already True",
]


@pytest.mark.parametrize("text", ANSWER_TRUE)
def test_the_frameworks_answer_true_is_read_in_other_languages_and_misspelt(text: str) -> None:
    assert works.gpu_works(text) is not None


NOT_ANSWER_TRUE = [
    "is_available()不是True",                           # negated
    "torch.cuda.is_available()返回False",
    "is_available()是True吗？",                          # a question
    "如果is_available()为True就用GPU",                   # a condition
    "print(torch.cuda.is_available())  # 返回True",     # a comment in code
    "is_available() no devuelve True",
]


@pytest.mark.parametrize("text", NOT_ANSWER_TRUE)
def test_a_negated_asked_or_supposed_answer_is_no_statement_that_the_gpu_is_seen(text: str) -> None:
    assert works.gpu_works(text) is None


def test_the_answer_true_beside_the_work_on_the_cpu_names_the_programs_placement() -> None:
    assert _lead("我的torch.cuda.is_available()已经为True，但是模型还是在cpu上运行。") == "CODE_FORCES_CPU"
    assert _lead("torch.cuda.is_avaliable() returns True, but training still runs on the CPU.") == "CODE_FORCES_CPU"
    assert _lead("torch.cuda.is_available() is already True but it still runs on the CPU, GPU usage is 0.") == "CODE_FORCES_CPU"
    # The framework's own answer False beside the same words: the causes that keep the GPU from it stay in the ranking.
    assert _lead(">>> torch.cuda.is_available()\nFalse\n模型还是在cpu上运行。") != "CODE_FORCES_CPU"


# --- the answer True in one place of the program and False in another ---------------------------------------------------

DIFFERS = [
    ("I added print(torch.cuda.is_available()) to the dataset class.",
     "It prints True when I run main.py but it prints False inside the dataset module."),
    ("", "torch.cuda.is_available() returns True before `import helpers`, but False after the import."),
    ("", "在train.py里torch.cuda.is_available()返回True，但是在采样模块里返回False"),
]


@pytest.mark.parametrize(("before", "text"), DIFFERS)
def test_the_answer_differing_between_two_places_of_one_program_is_read(before: str, text: str) -> None:
    assert works.answer_differs(text, before) is not None


NOT_DIFFERS = [
    ("", "torch.cuda.is_available() is True in the notebook but False in the terminal."),          # two interpreters
    ("", "is_available() returns True in my base conda env, but False in the new env."),
    ("", "Why does is_available() return True in main.py but False in the worker?"),               # a question
    ("", "It prints True when I run main.py but it prints False inside the dataset module."),     # no query named
    ("", "torch.cuda.is_available() returns True, but the model is slow."),                        # one answer
]


@pytest.mark.parametrize(("before", "text"), NOT_DIFFERS)
def test_two_interpreters_a_question_or_no_query_named_is_not_one_programs_answer_differing(before: str, text: str) -> None:
    assert works.answer_differs(text, before) is None


def test_the_answer_differing_inside_one_program_names_its_code() -> None:
    text = ("I put print(torch.cuda.is_available()) in the __init__ of my Sampler class.\n"
            "It printed True when I ran train.py, but it printed False when the sampler module ran.\n")
    assert _lead(text) == "CODE_FORCES_CPU"
    assert "LOG212" in _codes(text)
    assert "LOG212" not in _codes("torch.cuda.is_available() prints True in Jupyter, but False when I run the script from the terminal.\n")


# --- the model's device read as cpu while the framework sees the GPU ----------------------------------------------------

DEVICE_CPU = [
    "`print(model.device)` -> cpu",
    "next(model.parameters()).device returns cpu",
    "the tensor.device shows device(type='cpu')",
    "model.device is still cpu after the trainer starts",
]


@pytest.mark.parametrize("text", DEVICE_CPU)
def test_the_models_device_read_as_cpu_is_read(text: str) -> None:
    assert works.device_said_cpu(text) is not None


NOT_DEVICE_CPU = [
    "device = 'cpu'",                     # code that sets it
    "if x.device == 'cpu':",
    "Is model.device cpu?",               # a question
    "I set model.device to cpu",          # no reading
]


@pytest.mark.parametrize("text", NOT_DEVICE_CPU)
def test_code_a_question_or_a_setting_is_no_reading_of_the_device(text: str) -> None:
    assert works.device_said_cpu(text) is None


def test_the_device_cpu_beside_the_gpu_seen_names_the_code_and_alone_names_nothing() -> None:
    seen = "torch.cuda.is_available() returns True.\nBut next(model.parameters()).device returns cpu and training is slow.\n"
    assert _lead(seen) == "CODE_FORCES_CPU"
    # Nothing shows the framework sees the GPU: a CPU build also leaves the device cpu.
    assert "LOG212" not in _codes("next(model.parameters()).device returns cpu and training is slow.\n")
    # The writer's own CPU run.
    assert "LOG212" not in _codes("torch.cuda.is_available() returns True.\nI want it to run on the CPU, and model.device is cpu.\n")


# --- the GPU busy only in bursts -----------------------------------------------------------------------------------------

BURSTS = [
    "The CPU sits at 100% while the GPU utilization only occasionally hits 100%.",
    "GPU usage spikes to 90% and then drops back to nothing.",
    "GPU-Util jumps between 0% and 100% during training",
    "100%CPU，显卡的利用率偶尔到100%，这个情况正常吗？",
    "GPU使用率在0到100%之间来回跳",
]


@pytest.mark.parametrize("text", BURSTS)
def test_the_gpu_busy_only_in_bursts_is_read_as_used_and_mostly_idle(text: str) -> None:
    # accutil2 (session 31): a burst is a number, read by explain/utilread.py and decided by knowledge.utilisation.decide.
    found = [r for r, _ in utilread.said(text)]
    assert any(r.burst for r in found) and decide(found).kind == UNDERUSED


NOT_BURSTS = [
    "Does the GPU utilization only occasionally reach 100%?",
    "If GPU usage sometimes reaches 100% that is fine.",
    "The GPU usage is 100% all the time.",
    "GPU utilization spikes to 100%.",               # a spike, not said to fall back
]


@pytest.mark.parametrize("text", NOT_BURSTS)
def test_a_question_a_condition_or_a_steady_share_is_no_burst(text: str) -> None:
    found = [r for r, _ in utilread.said(text)]
    assert statements.underused(text) is None and not any(r.burst for r in found) and decide(found).kind != UNDERUSED


def test_bursts_name_the_gpu_underused() -> None:
    assert _lead("The CPU sits at 100% while the GPU utilization only occasionally hits 100%.\n") == "GPU_UNDERUSED"


# --- the GPU's usage not moving while the CPU's rises --------------------------------------------------------------------

NO_CHANGE = [
    "When I run inference I see a CPU spike to 100% but no change in the GPU usage.",
    "The CPU goes up to 100% and the GPU load does not go up at all.",
    "CPU占用飙升，GPU利用率没有任何变化",
]


@pytest.mark.parametrize("text", NO_CHANGE)
def test_the_gpus_usage_not_moving_while_the_cpus_rises_is_the_gpu_unused(text: str) -> None:
    assert statements.unused(text) is not None


NOT_NO_CHANGE = [
    "GPU utilization did not increase after I changed the codec.",      # a setting made no difference
    "gpu使用率没有变化，转写耗时4分钟。",
    "Is there no change in GPU usage when the CPU is at 100%?",
]


@pytest.mark.parametrize("text", NOT_NO_CHANGE)
def test_a_usage_that_does_not_change_without_the_cpus_rise_is_not_read(text: str) -> None:
    assert statements.unused(text) is None


# --- the work said generated or rendered by the CPU ----------------------------------------------------------------------

def test_the_work_said_generated_by_the_cpu_is_the_gpu_unused() -> None:
    assert statements.unused("The difference is big: everything is generated by the CPU.") is not None
    assert statements.unused("Each frame is rendered on the CPU.") is not None
    assert statements.unused("Is it all generated by the CPU?") is None
    assert statements.unused("The images can also be generated by the CPU.") is None
