"""How much of a GPU a run used, decided from numbers (accutil, session 30).

The numbers come from the writer's sentences ("GPU at 3%", "between 0 and 15%", "the CPU is at 80-95%") and from the
monitors' own output (nvidia-smi's table and query CSV, gpustat, nvtop, nvitop, top and htop); explain/utilread.py reads them
into :class:`Reading` records. :func:`decide` is the one decision over them, for explain's LOG109 and for anything else
(doctor, monitor) that holds the same numbers: a GPU running kernels a small share of the time while the run holds its
memory or a process on it, or the writer says so of the run, is used but idle (causes.md's GPU_UNDERUSED); a GPU at 0% with
no context's memory and no process of the run was not used at all (the framework's causes); a high share is the GPU used.
The bounds are knowledge/utilisation.toml's, with their sources.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.records import record

# What a reading is of.
GPU = "gpu"  # the share of time a kernel ran, in per cent
CPU = "cpu"  # the CPU's share (one core, a process's %CPU, or the whole), in per cent
GPU_MEMORY = "gpu_memory"  # MiB in use (``total`` the card's MiB, 0 when not shown)
GPU_PROCESS = "gpu_process"  # the number of compute processes a monitor lists on the GPU

# Where a reading came from: the writer's words, or a monitor's output.
SAID = "said"
TASK_MANAGER = "task-manager"

UNDERUSED = "underused"
UNUSED = "unused"
USED = "used"


@record(frozen=True)
class Reading:
    """One number of utilisation: its subject, its range (``low`` = ``high`` for one value), where it came from."""

    subject: str
    low: float
    high: float
    monitor: str = SAID
    total: float = 0.0
    word: str = ""  # a share said in words without a number ("barely used": "low")
    at_work: bool = False  # the writer's sentence ties the share to the run's work ("during training", "while running inference")
    # accutil2 (session 31): what else the writer's sentence says of the number.
    burst: bool = False  # said to come and go: "occasionally hits 100%", "0 most of the time", "spikes to 90% then drops"
    input_named: bool = False  # the input side named in the same sentence ("the data loader", "preprocessing", "IO")
    cpu_beside: float = 0.0  # the highest CPU share said in the same sentence (100 for "maxed out"), 0 when none
    memory_beside: float = 0.0  # the share of the card's memory said in use on the same line (100 for "full"), 0 when none
    # accutil40 (session 40): the writer's words on the same line that the run holds GPU memory, of no stated amount ("the code
    # takes up some memory of the GPU", "GPU memory is allocated"): a context of the run is on the GPU.
    memory_taken: bool = False

    def __str__(self) -> str:
        unit = " MiB" if self.subject == GPU_MEMORY else "" if self.subject == GPU_PROCESS else "%"
        value = self.word or (f"{self.low:g}" if self.low == self.high else f"{self.low:g}-{self.high:g}")
        of = f"/{self.total:g}" if self.total else ""
        return f"{self.subject} {value}{of}{unit if not self.word else ''} ({self.monitor})"


@record(frozen=True)
class Decision:
    """What the readings say of the GPU: ``kind`` is UNDERUSED, UNUSED, USED or "" (nothing decided); ``used`` the indexes of
    the readings it rests on; ``why`` the reason in words; ``advice`` what would decide where a monitor misleads."""

    kind: str
    used: tuple[int, ...] = ()
    why: str = ""
    advice: str = ""


@lru_cache(maxsize=1)
def thresholds() -> dict[str, float]:
    """Every bound of knowledge/utilisation.toml by name."""
    return {str(row["name"]): float(row["value"]) for row in table_rows("utilisation", "threshold")}


@lru_cache(maxsize=1)
def monitors() -> dict[str, tuple[bool, str]]:
    """Each monitor's row: whether its share is of CUDA work, and the advice where it is not."""
    return {str(row["name"]): (bool(row["cuda_work"]), str(row.get("advice", ""))) for row in table_rows("utilisation", "monitor")}


def cuda_share(reading: Reading, *, windows: bool, cuda_monitor_named: bool) -> bool:
    """Whether a GPU reading is a share of CUDA work: not Task Manager's, nor on Windows a share said with no CUDA monitor named
    in the log (the Task Manager's or an overlay's, which follow the 3D engine: 3 of 7 negatives with a small share said, at
    session 23, were such readings on Windows or WSL)."""
    if reading.monitor == TASK_MANAGER:
        return False
    return not (windows and reading.monitor == SAID and not cuda_monitor_named)


# The words of a share of use: what a monitor's percentage measures (Task Manager's "Utilization", "GPU usage", "load",
# 利用率/使用率/占用), as opposed to the words of waiting (a data loader, the CPU named busy), which no monitor shows.
_SHARE_WORDS = re.compile(r"\butili[sz]\w*|\busage\b|\bload\b|利用率|使用率|占用|使用量|負荷", re.I)
# (and the CPU named busy beside it, "high cpu utilization and low gpu utilization", "CPU usage is at 100%": the side the GPU
# waits for, which decide() counts as ``busy`` for a share said with a number)
_WAIT_WORDS = re.compile(r"\bwait\w*|\bstarv\w*|\bdata ?loader\b|\binput pipeline\b|\bpreprocess\w*|\bnum_workers\b|"
                         r"等待|数据加载|\bhigh\s+cpu\b|\bcpu\b[^.;,\n]*?(?:\b(?:100|9\d)\s*%|\b(?:high|maxed|pegged)\b)|"
                         r"cpu\s*(?:利用率|使用率|占用)\D{0,4}(?:100|9\d)", re.I)


def words_share_counted(text: str, *, windows: bool, cuda_monitor_named: bool) -> bool:
    """accneg41 (session 41): whether the writer's words that the GPU is underused count as a share of CUDA work. What
    ``cuda_share`` says of a share said with a number holds for one said in words ("extremely low GPU utilization", "GPU
    usage is less than 10%", "GPU利用率很低"): on Windows or WSL with no CUDA monitor named in the log, the utilisation the
    writer watched is the Task Manager's (or an overlay's), whose default graphs follow the 3D engine, not CUDA's compute
    (https://devblogs.microsoft.com/directx/gpus-in-the-task-manager/). Words that name what the GPU waits for (the data loader,
    the CPU named busy beside it) count wherever they are said: the share is then tied to the run's work, as decide() ties
    a share said with a number to a busy CPU."""
    if not windows or cuda_monitor_named or not _SHARE_WORDS.search(text):
        return True
    return _WAIT_WORDS.search(text) is not None


def decide(readings: Sequence[Reading], *, windows: bool = False, cuda_monitor_named: bool = False,
           processes_hidden: bool = False, input_side: bool = False, learner: str = "") -> Decision:
    """The one decision over a run's utilisation numbers (the module's docstring).

    ``windows``: the log is of Windows or WSL; ``cuda_monitor_named``: it names nvidia-smi, nvtop, gpustat, nvitop or DCGM;
    ``processes_hidden``: its nvidia-smi cannot list processes (WSL2, a container); ``input_side``: a program's message names
    the input side as a bottleneck. A reading's ``input_named`` is the writer
    naming the input side (data loader, preprocessing) as what the GPU waits for. ``learner``: the [[step_learner]] the
    log names (a learner that runs one step of each iteration on the GPU by design), or "".
    """
    bound = thresholds()
    low_share, high_share, busy_cpu = bound["low_share"], bound["high_share"], bound["busy_cpu"]
    no_context, run_memory = bound["no_context_mib"], bound["run_memory_mib"]
    flicker_top, partial_share = bound["flicker_top"], bound["partial_share"]
    gpu = [(i, r) for i, r in enumerate(readings) if r.subject == GPU]
    counted = [(i, r) for i, r in gpu if cuda_share(r, windows=windows, cuda_monitor_named=cuda_monitor_named)]
    advice = monitors().get(TASK_MANAGER, (False, ""))[1] if any(r.monitor == TASK_MANAGER for _, r in gpu) else ""
    if not counted:
        return Decision("", advice=advice)
    cpu = [(i, r) for i, r in enumerate(readings) if r.subject == CPU and r.high >= busy_cpu]
    memory = [(i, r) for i, r in enumerate(readings) if r.subject == GPU_MEMORY]
    run_mem = [(i, r) for i, r in memory if r.low >= run_memory or (r.total > 0 and r.low >= r.total / 2)]
    no_mem = [(i, r) for i, r in memory if r.low <= no_context]
    procs = [(i, r) for i, r in enumerate(readings) if r.subject == GPU_PROCESS]
    run_proc = [(i, r) for i, r in procs if r.low > 0]
    no_proc = [(i, r) for i, r in procs if r.low == 0 and not processes_hidden]
    held = run_mem + run_proc
    # (``input_side``, accwords, session 33: a program's own message elsewhere in the log that the input side may be the
    # bottleneck, Lightning's few-workers warning: [[input_message]] rows that do not decide alone.)
    busy = bool(cpu) or input_side or any(r.input_named for r in readings)

    steady_high = [(i, r) for i, r in counted if r.low >= high_share and not r.word]
    bursts = [(i, r) for i, r in counted if r.low <= 5 and r.high >= high_share and not r.word]
    # A burst whose top is a few per cent ("mostly 0%, occasionally 10%") is no run's work (flicker_top): not a small share.
    small = [(i, r) for i, r in counted if (0 < r.high <= low_share and not (r.burst and r.high <= flicker_top)) or r.word == "low"]
    zero = [(i, r) for i, r in counted if r.high == 0 and not r.word]
    # The writer's share counts by itself where the sentence ties it to the run's work ("5-7% GPU usage during training") or the
    # CPU or input side is named busy, or the run's memory is on the GPU: a share said bare ("my GPU usage can only be about 5%", "nvidia-smi shows GPU-util around
    # 20%") was, in the labelled logs, as often a GPU-used run's reading taken at another moment or off Task Manager.
    # (Not the writer calling it small, "only 3%", "never above 5%", which statements read as underuse by itself until session
    # 31: over the labelled corpus such a share said with no run, CPU or memory tied to it is 4 GPU_UNDERUSED, 4 GPU-used
    # negatives and 1 CPU build, accutil2's count; utilisation.toml's low_share.)
    said_small = [(i, r) for i, r in small if r.monitor == SAID and (r.at_work or busy or held)]
    said_bursts = [(i, r) for i, r in bursts if r.monitor != SAID or r.at_work or busy or held]
    # The writer's words that the share comes and goes ("only occasionally hits 100%", "0 most of the time", "jumps between
    # 0% and 100%"): kernels in bursts with waits between, used and idle most of the time; a zero said so ran kernels the rest
    # of the time. Not a burst that tops out at a few per cent (flicker_top).
    said_bursts += [(i, r) for i, r in counted if r.burst and not r.word and (r.high == 0 or r.high > flicker_top)]
    # The writer's zero or small share with the input side named in the same sentence ("GPU-Util is 0, the data loader is
    # slow"); or a share up to partial_share beside a saturated CPU in the same sentence ("the GPU is at 30% while one core
    # is at 100%"): the GPU waits for its input.
    said_small += [(i, r) for i, r in counted if r.monitor == SAID and not r.word and r.high <= low_share and r.input_named
                   and not (r.burst and 0 < r.high <= flicker_top)]
    # The writer's zero beside the run's memory said on the same line, half the card or more ("Memory-Usage is full but
    # GPU-Util is 0%"): the run holds the GPU and runs no kernel, waiting (1 labelled line, of a GPU_UNDERUSED log; a
    # monitor's table with the same two columns splits, knowledge above, and is not read so).
    # accutil40 (session 40): the same with the memory said held in words of no amount ("even though the code takes up some memory
    # of the GPU, the GPU utility stays 0"): the run made its context on the GPU, so the GPU is the run's, and it runs no
    # kernel: the work is elsewhere (the CPU steps of the program, its input). A GPU not used at all holds no context of the
    # run; the writer's words that the work runs on the CPU are read apart (LOG109 yields to them, LogFacts.counted_unused).
    said_small += [(i, r) for i, r in zero if r.monitor == SAID and (r.memory_beside >= 50 or r.memory_taken)]
    said_small += [(i, r) for i, r in counted if r.monitor == SAID and r.cpu_beside >= busy_cpu
                   and ((0 < r.high <= partial_share and not r.burst) or r.word == "low")]
    if learner:
        # accgbdt41 (session 41): a learner that runs one step on the GPU by design (LightGBM's histograms): the writer's share
        # of it below high_share is that learner at work, idle between its GPU steps (knowledge/utilisation.toml [[step_learner]]).
        said_small += [(i, r) for i, r in counted if r.monitor == SAID and not r.word and 0 < r.high < high_share
                       and not (r.burst and r.high <= flicker_top)]

    def out(kind: str, rows: Sequence[tuple[int, Reading]], why: str) -> Decision:
        return Decision(kind, tuple(sorted({i for i, _ in rows})), why, advice)

    if steady_high and not (small or zero or bursts):
        return out(USED, steady_high, "the GPU's share is high: it ran kernels most of the time")
    if said_small or said_bursts:
        # The writer's small share of the run, or kernels in bursts between waits: used, idle most of the time.
        return out(UNDERUSED, (said_small or said_bursts) + cpu + held, "the GPU ran kernels only a small share of the time"
                   + (" while the CPU was busy" if cpu else ""))
    if (small or zero) and held and busy:
        # A monitor's low share, or the writer's zero, while the run holds the GPU (its memory, a compute process) and the CPU
        # or the input side is busy: the brief's one rule for a GPU waiting on its input.
        return out(UNDERUSED, (small or zero) + held + cpu, "the run holds the GPU but it runs kernels only a small share of the time"
                   + (" while the CPU is busy" if cpu else " while the input side works"))
    said_zero = [(i, r) for i, r in zero if r.monitor == SAID]
    if said_zero and (no_mem or no_proc) and not held and not steady_high:
        return out(UNUSED, said_zero + no_mem + no_proc, "the GPU ran no kernel and holds no context of the run")
    return Decision("", advice=advice)


@lru_cache(maxsize=1)
def _input_rows() -> tuple[tuple[str, bool, re.Pattern[str]], ...]:
    return tuple((str(row["id"]), bool(row["alone"]), re.compile(str(row["pattern"]))) for row in table_rows("utilisation", "input_message"))


def input_message(line: str) -> tuple[str, bool] | None:
    """accwords (session 33): (the row's id, whether it decides by itself) where ``line`` is a program's own message that the
    run waits on its input (knowledge/utilisation.toml [[input_message]]); else None."""
    low = line.lower()
    if "input" not in low and "workers" not in low:
        return None
    return next(((ident, alone) for ident, alone, rx in _input_rows() if rx.search(line)), None)


def input_bound_alone(ident: str) -> bool:
    """Whether the [[input_message]] row ``ident`` decides GPU_UNDERUSED by itself."""
    return any(i == ident and alone for i, alone, _ in _input_rows())


@record(frozen=True)
class CpuSteps:
    """accfam41 (session 41): a program whose defaults run one step on the GPU and the others on the CPU
    (knowledge/utilisation.toml [[cpu_steps]])."""

    program: str
    gpu_step: str
    cpu_steps: str
    fix: str
    source: str


@lru_cache(maxsize=1)
def _cpu_steps_rows() -> tuple[tuple[re.Pattern[str], CpuSteps], ...]:
    return tuple((re.compile(str(row["named"]), re.I), CpuSteps(str(row["id"]), str(row["gpu_step"]), str(row["cpu_steps"]),
                                                                    str(row["fix"]), str(row["source"])))
                 for row in table_rows("utilisation", "cpu_steps"))


def cpu_steps_program(text: str) -> CpuSteps | None:
    """The program of knowledge/utilisation.toml [[cpu_steps]] that ``text`` names (the first row that matches); else None."""
    return next((steps for named, steps in _cpu_steps_rows() if named.search(text)), None)


@lru_cache(maxsize=1)
def cpu_steps_needles() -> tuple[str, ...]:
    """The programs' ids of [[cpu_steps]] in lower case: a text without any of them names none (the readers' cheap gate)."""
    return tuple(steps.program.lower() for _, steps in _cpu_steps_rows())
@lru_cache(maxsize=1)
def _step_rows() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    return tuple((str(row["name"]), str(row["advice"]), re.compile(str(row["pattern"]))) for row in table_rows("utilisation", "step_learner"))


def step_learner(text: str) -> str:
    """accgbdt41 (session 41): the name of the [[step_learner]] (knowledge/utilisation.toml) that ``text`` names, or ""."""
    return next((name for name, _advice, rx in _step_rows() if rx.search(text)), "")


def step_learner_advice(name: str) -> str:
    """The [[step_learner]] row's advice for ``name``, or ""."""
    return next((advice for row, advice, _rx in _step_rows() if row == name), "")

