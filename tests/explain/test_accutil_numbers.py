"""accutil (session 30): the run's utilisation numbers read as one fact (explain/utilread.py) and decided by one rule
(knowledge.utilisation.decide, read by LOG109 and, for a GPU not used at all, by the framework's causes).

Every line is written from the format of the number's source (the writer's sentence in several orders and languages,
nvidia-smi's table and query CSV, gpustat, nvtop, nvitop, top, htop), not copied from a corpus case.
"""

from __future__ import annotations

import pytest

from whygpu.explain import explain_text, to_report, utilread
from whygpu.explain.logfacts import FactReader, LogFacts
from whygpu.knowledge.utilisation import (
    CPU,
    GPU,
    GPU_MEMORY,
    GPU_PROCESS,
    SAID,
    TASK_MANAGER,
    UNDERUSED,
    UNUSED,
    USED,
    Reading,
    decide,
)


def _facts(text: str) -> LogFacts:
    reader = FactReader()
    reader.read_text("report.txt", text)
    return reader.facts


def _codes(text: str) -> list[str]:
    return [c.code for c in to_report(explain_text(text, source="report.txt")).causes]


def _shares(text: str) -> list[tuple[str, float, float]]:
    return [(r.subject, r.low, r.high) for r, _ in utilread.said(text)]


# --- the writer's numbers, in any order and wording -----------------------------------------------------------------------

@pytest.mark.parametrize(("line", "want"), [
    ("The GPU utilisation sits at 3% the whole time.", [(GPU, 3, 3)]),
    ("I only see 4-6% GPU usage while it trains.", [(GPU, 4, 6)]),
    ("GPU load hovers between 0 and 12 percent, the CPU at 90-99%.", [(GPU, 0, 12), (CPU, 90, 99)]),
    ("nvtop says the card never goes above 8%.", [(GPU, 8, 8)]),
    ("It is using roughly 10% of my GPU and 100% of one CPU core.", [(GPU, 10, 10), (CPU, 100, 100)]),
    ("My GTX 1070 stays at 2% but python.exe takes 400% CPU.", [(GPU, 2, 2), (CPU, 400, 400)]),
    ("显卡利用率只有3%，CPU占用率100%", [(GPU, 3, 3), (CPU, 100, 100)]),
    ("la carga de la GPU está en 4% y la CPU en 97%", [(GPU, 4, 4), (CPU, 97, 97)]),
    ("загрузка GPU 6%, процессор загружен на 100%", [(GPU, 6, 6), (CPU, 100, 100)]),
    ("During training the GPU briefly peaks at 85% and drops back.", [(GPU, 0, 85)]),
    ("The GPU is at 95% while training on 4 workers.", [(GPU, 95, 95)]),
])
def test_the_writers_shares_are_read_with_their_subject(line: str, want: list[tuple[str, float, float]]) -> None:
    assert _shares(line) == want


@pytest.mark.parametrize("line", [
    "I would like to see 100% GPU usage.",                         # a target
    "The GPU should be at 90% for this model.",                    # what it should be
    "On my other machine the GPU runs at 3% with the same code.",  # another machine
    "GPU memory usage is at 95%.",                                 # memory, not work
    "tensorflow-gpu 2.4 installed, 100% of the tests pass.",       # a package name and another measure
    "Loading checkpoint shards: 100%|██████████| 3/3",             # a progress bar
    "The GPU is 40% faster than the CPU.",                         # a comparison
    "Is the GPU usage 5% in your setup too?",                      # a question
    "GPU fan at 30%, temperature 60C.",                            # another measure of the card
])
def test_numbers_that_are_no_reading_of_this_run_stay_quiet(line: str) -> None:
    assert not [s for s in _shares(line) if s[0] == GPU]


def test_a_share_read_off_task_manager_is_kept_as_task_managers() -> None:
    found = utilread.said("In Task Manager the GPU is at 2% during training.")
    assert [r.monitor for r, _ in found] == [TASK_MANAGER]
    words = utilread.said("Task manager shows my graphics card barely doing anything.")
    assert [(r.monitor, r.word) for r, _ in words] == [(TASK_MANAGER, "low")]


def test_the_cuda_engines_share_beside_a_gpu_share_is_the_one_kept() -> None:
    # Task Manager's headline GPU share follows the 3D engine; the CUDA engine's graph is the CUDA work.
    assert _shares("CUDA 98% GPU 3% in the performance tab") == [(GPU, 98, 98)]


# --- the monitors' output -------------------------------------------------------------------------------------------------

def test_nvidia_smi_table_row_and_processes() -> None:
    row = "| 30%   52C    P2    80W / 250W |   7012MiB / 11264MiB |      4%      Default |"
    got = [(r.subject, r.low, r.total) for r, _ in utilread.tool(row, None)]
    assert got == [(GPU_MEMORY, 7012, 11264), (GPU, 4, 0)]
    proc = "|    0   N/A  N/A     20417      C   python3                          7005MiB |"
    assert [(r.subject, r.low) for r, _ in utilread.tool(proc, None)] == [(GPU_PROCESS, 1)]
    desktop = "|    0   N/A  N/A      1201      G   /usr/lib/xorg/Xorg                 95MiB |"
    assert utilread.tool(desktop, None) == []
    none = "|  No running processes found                                                 |"
    assert [(r.subject, r.low) for r, _ in utilread.tool(none, None)] == [(GPU_PROCESS, 0)]


def test_query_csv_gpustat_nvtop_nvitop_top_htop() -> None:
    columns = utilread.csv_header("utilization.gpu [%], memory.used [MiB], memory.total [MiB]")
    assert columns is not None
    assert [(r.subject, r.low) for r, _ in utilread.tool("7 %, 9000 MiB, 16384 MiB", columns)] == [(GPU, 7), (GPU_MEMORY, 9000)]
    gpustat = "[0] NVIDIA GeForce RTX 3090 | 48'C,   6 % | 18000 / 24576 MB | me(17990M)"
    assert {(r.subject, r.low) for r, _ in utilread.tool(gpustat, None)} == {(GPU, 6), (GPU_MEMORY, 18000)}
    nvtop = [(r.subject, r.low) for r, _ in utilread.tool(" GPU[||          9%] MEM[|||||||   9.2Gi/24.0Gi]", None)]
    assert nvtop == [(GPU, 9), (GPU_MEMORY, 9.2 * 1024)]
    assert [(r.subject, r.low) for r, _ in utilread.tool("│ MEM: 17.1GiB / 24GiB │ UTL: ▏ 5 % │", None)] == [(GPU, 5)]
    assert [(r.subject, r.low) for r, _ in utilread.tool("%Cpu(s): 88.0 us,  9.0 sy,  0.0 ni,  3.0 id", None)] == [(CPU, 97)]
    assert [(r.subject, r.low) for r, _ in utilread.tool("  3  [||||||||||||||||||||||||100.0%]", None)] == [(CPU, 100)]


# --- the one decision -----------------------------------------------------------------------------------------------------

def test_decision_low_share_with_the_run_on_the_gpu_and_a_busy_cpu_is_underuse() -> None:
    readings = [Reading(GPU, 3, 3, monitor="nvidia-smi"), Reading(GPU_MEMORY, 7000, 7000, monitor="nvidia-smi", total=11000),
                Reading(CPU, 100, 100, monitor="top")]
    assert decide(readings).kind == UNDERUSED
    # The same snapshot without a busy CPU or input side is a moment of a run, not a finding.
    assert decide(readings[:2]).kind == ""
    # The writer naming the input side in a reading's sentence makes the input side busy (accutil2: Reading.input_named).
    assert decide([*readings[:2], Reading(GPU, 0, 0, input_named=True)]).kind == UNDERUSED


def test_decision_zero_with_no_memory_and_no_process_is_unused_and_a_high_share_is_used() -> None:
    zero = [Reading(GPU, 0, 0), Reading(GPU_MEMORY, 2, 2, monitor="nvidia-smi", total=16000), Reading(GPU_PROCESS, 0, 0, monitor="nvidia-smi")]
    assert decide(zero).kind == UNUSED
    # nvidia-smi under WSL2 or in a container lists no process by design; the memory still shows no context.
    assert decide(zero, processes_hidden=True).kind == UNUSED
    assert decide([Reading(GPU, 0, 0), Reading(GPU_PROCESS, 0, 0, monitor="nvidia-smi")], processes_hidden=True).kind == ""
    assert decide([Reading(GPU, 97, 97, monitor="nvidia-smi")]).kind == USED


def test_decision_the_writers_small_share_needs_the_run_or_a_busy_side() -> None:
    assert decide([Reading(GPU, 5, 7, at_work=True)]).kind == UNDERUSED
    assert decide([Reading(GPU, 5, 7)]).kind == ""
    assert decide([Reading(GPU, 5, 7), Reading(CPU, 95, 95)]).kind == UNDERUSED


def test_decision_windows_share_without_a_cuda_monitor_and_task_manager_stay_off_a_cause() -> None:
    said = [Reading(GPU, 3, 3, at_work=True), Reading(CPU, 100, 100)]
    assert decide(said, windows=True).kind == ""
    assert decide(said, windows=True, cuda_monitor_named=True).kind == UNDERUSED
    task = decide([Reading(GPU, 2, 2, monitor=TASK_MANAGER, at_work=True)])
    assert task.kind == "" and "Cuda" in task.advice


# --- end to end -----------------------------------------------------------------------------------------------------------

def test_underuse_from_numbers_is_named_and_quiet_where_the_numbers_say_the_gpu_works() -> None:
    log = ("Training runs, but the GPU hovers between 0 and 10% while the CPU stays at 95-100%.\n"
           "torch.cuda.is_available() returns True.\n")
    assert _codes(log)[:1] == ["GPU_UNDERUSED"]
    busy = "During training nvidia-smi shows the GPU at 98% and the CPU at 20%.\n"
    assert _codes(busy) == []
    snapshot = ("| 35%   60C    P2   150W / 350W |  20100MiB / 24576MiB |      0%      Default |\n"
                "|    0   N/A  N/A     4242      C   python                          20090MiB |\n")
    assert _codes(snapshot) == []  # one idle moment of a run that holds its GPU


def test_zero_with_nothing_on_the_gpu_is_read_as_not_used_not_underuse() -> None:
    log = ("The GPU usage is 0% while the script runs.\n"
           "| N/A   33C    P0    26W / 250W |      0MiB / 16160MiB |      0%      Default |\n"
           "|  No running processes found                                                 |\n")
    facts = _facts(log)
    assert facts.utilisation_decision().kind == UNUSED
    assert facts.stated_unused
    assert "GPU_UNDERUSED" not in _codes(log)
    # The same zero while the run holds the GPU's memory is no "unused".
    held = log.replace("     0MiB / 16160MiB", " 9000MiB / 16160MiB").replace("No running processes found", "                          ")
    assert _facts(held).utilisation_decision().kind != UNUSED


def test_a_question_about_low_use_after_the_gpu_was_confirmed_busy_stays_quiet() -> None:
    log = ("nvidia-smi showed the GPU at 99% during training, so it works.\n"
           "Is it normal that it drops to 20% when I run evaluation?\n")
    assert "GPU_UNDERUSED" not in _codes(log)


def test_readings_carry_their_source() -> None:
    facts = _facts("During training the GPU sits at 4% and the CPU at 100%.\n")
    assert [(s.value.subject, s.value.monitor) for s in facts.utilisation] == [(GPU, SAID), (CPU, SAID)]
    assert facts.utilisation[0].where == "report.txt:1"
