"""accutil2 (session 31): every number of utilisation is one reading (explain/utilread.py) judged by one decision
(knowledge.utilisation.decide); statements reads only the words without a number.

Every line is written from what the number means (nvidia-smi's GPU-Util: the share of the sample period with a kernel
running) and the shapes a writer gives it (a burst now and then, a zero part of the time, the input side or a busy CPU named
beside it, the writer calling it small, a sentence mixing languages), not copied from a corpus case.
"""

from __future__ import annotations

import pytest

from whygpu.explain import explain_text, grammar, statements, to_report, utilread
from whygpu.knowledge.utilisation import CPU, GPU, UNDERUSED, Reading, decide


def _readings(line: str) -> list[Reading]:
    return [r for r, _ in utilread.said(line)]


def _kind(line: str) -> str:
    return decide(_readings(line)).kind


def _lead(log: str) -> str | None:
    causes = to_report(explain_text(log, source="report.txt")).causes
    return causes[0].code if causes else None


# --- a sentence mixing languages is read by its parts ---------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "GPU memory已经用完了，但是utilization一直在3%左右",      # English nouns, Chinese clauses, the use noun alone in the second
    "显卡的usage只有4%，显存占满了",                           # a Chinese subject, an English use noun
    "训练的时候GPU的utilization只有5%",
])
def test_a_share_in_a_sentence_mixing_languages_is_read(line: str) -> None:
    assert any(r.subject == GPU and 0 < r.high <= 5 for r in _readings(line)), line
    assert _kind(line) == UNDERUSED, line


def test_a_mixed_sentence_without_the_gpu_or_with_memory_only_stays_quiet() -> None:
    assert not [r for r in _readings("内存用掉了，但是utilization一直在3%左右") if r.subject == GPU]  # no GPU named
    assert not [r for r in _readings("GPU memory占用了95%") if r.subject == GPU]                   # a share of memory


# --- "to" before a number is a preposition, not a plan --------------------------------------------------------------------

def test_to_before_a_number_is_no_infinitive() -> None:
    text = "During training the GPU once in a while climbs to 95%."
    at = text.index("95")
    assert grammar.said(text, at, at + 3)
    assert any(r.burst for r in _readings(text)) and _kind(text) == UNDERUSED
    # A wish stays a wish: "to" after a verb of wanting is still read as the plan it is.
    assert _kind("I would like the GPU usage to go to 95% during training.") != UNDERUSED


# --- bursts and zeros part of the time --------------------------------------------------------------------------------------

def test_a_zero_part_of_the_time_beside_a_higher_share_is_one_range_in_bursts() -> None:
    found = [r for r in _readings("GPU usage stays at 0% most of the time, occasionally going to 60%.") if r.subject == GPU]
    assert [(r.low, r.high, r.burst) for r in found] == [(0, 60, True)]
    assert decide(found).kind == UNDERUSED


def test_a_burst_that_tops_out_at_a_few_per_cent_is_no_run_at_work() -> None:
    line = "GPU usage stays at 0% most of the time, occasionally going to 4%."
    assert [(r.low, r.high) for r in _readings(line) if r.subject == GPU] == [(0, 4)]
    assert _kind(line) != UNDERUSED


@pytest.mark.parametrize(("line", "want"), [
    ("The dataloader is slow and GPU-Util is 0.", UNDERUSED),              # a bare zero, the input side named
    ("GPU利用率一直为0，数据读取太慢", UNDERUSED),
    ("GPU-Util is 0 before the dataloader starts.", ""),                   # before the work: no reading
    ("GPU-Util is 0.", ""),                                                # a zero alone: a GPU with no work reads so too
])
def test_a_bare_zero_is_read_after_its_noun(line: str, want: str) -> None:
    assert _kind(line) == want


@pytest.mark.parametrize(("line", "want"), [
    ("In nvidia-smi the memory usage is full but GPU-Util shows 0%.", UNDERUSED),   # the run holds the card, no kernel runs
    ("GPU memory 7000MiB / 8000MiB, GPU-Util 0%", UNDERUSED),
    ("GPU memory 300MiB / 8000MiB, GPU-Util 0%", ""),                             # no run's memory beside the zero
])
def test_the_writers_zero_beside_the_runs_memory(line: str, want: str) -> None:
    assert _kind(line) == want


def test_a_device_index_is_no_zero() -> None:
    assert _readings("GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-1234)") == []
    assert _readings("GPU usage 0.5 GB of 16 GB") == []


def test_a_range_written_with_chinese_or_a_tilde_is_one_range() -> None:
    assert [(r.low, r.high) for r in _readings("GPU-Util 0~15% the whole run")] == [(0, 15)]
    found = _readings("GPU利用率在0到90%之间波动")
    assert [(r.low, r.high, r.burst) for r in found] == [(0, 90, True)] and decide(found).kind == UNDERUSED


# --- the share called small, and a busy CPU beside it ---------------------------------------------------------------------

@pytest.mark.parametrize(("line", "want"), [
    ("The GPU usage is only 4% during training.", UNDERUSED),  # tied to the run's work
    ("The GPU usage is only 4%.", ""),                         # "only" alone: as often a GPU-used run's moment (utilisation.py)
    ("Is the GPU usage only 4% during training?", ""),         # asked
])
def test_a_share_the_writer_calls_small_needs_the_run_tied_to_it(line: str, want: str) -> None:
    assert _kind(line) == want


@pytest.mark.parametrize(("line", "want"), [
    ("The GPU sits at 35% while one CPU core is pegged.", UNDERUSED),
    ("GPU (a 3060) only 40% busy, CPU at 100%", UNDERUSED),            # an aside in brackets is read past
    ("The GPU sits at 35%.", ""),
    ("The GPU sits at 90% while one CPU core is pegged.", "used"),     # the GPU busy whatever the CPU does
    ("The GPU sits at 35% and the CPU at 30%.", ""),                   # the CPU not saturated
])
def test_a_partial_share_beside_a_saturated_cpu(line: str, want: str) -> None:
    assert _kind(line) == want


def test_the_cpu_saturated_in_words_is_a_cpu_reading() -> None:
    found = _readings("One CPU core is maxed out and GPU usage is low.")
    assert any(r.subject == CPU and r.high == 100 for r in found)
    assert any(r.subject == GPU and r.word == "low" and r.cpu_beside == 100 for r in found)


# --- statements keeps the words, never a number ---------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "GPU usage is only 95%",                        # a number, now utilread's: no longer read as low by the words' reader
    "memory usage is full but GPU-Util is 0%",
    "GPU utilization only occasionally hits 100%",
    "GPU-Util is 0 most of the time because of the data loader",
])
def test_statements_decides_no_number(line: str) -> None:
    assert statements.underused(line) is None


def test_the_words_still_speak_and_reach_the_report() -> None:
    assert statements.underused("The GPU usage is very low during training.") is not None
    assert _lead("PyTorch 2.3 on an RTX 4070.\nGPU-Util is 0 most of the time while training.\n") == "GPU_UNDERUSED"
    assert _lead("PyTorch 2.3 on an RTX 4070.\nGPU-Util is 0.\n") != "GPU_UNDERUSED"
