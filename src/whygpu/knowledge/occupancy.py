"""Who holds the GPU: taken by another process, used but starved, or neither (accslow, session 36).

The one decision (:func:`decide`) over what a log shows of the GPU's occupancy, with the rows of knowledge/occupancy.toml:

- GPU_BUSY (causes.md: "the GPU's memory or compute is taken by something else") where the run failed where it starts on the
  GPU (the device refused the context, a context or a library handle could not be created, the memory ran out: a
  [[failure]] row) and the log shows another holder: the writer's words that another process, program, user or notebook
  kernel is on the GPU ([[holder]]), or a monitor's row of a GPU in an exclusive compute mode already running work
  ([[compute_mode]], the taken_memory_share threshold or utilisation.toml's high_share). Either alone decides nothing: a run
  fails for its own demand (a batch too large) and GPUs are shared every day.
- GPU_UNDERUSED where the run's own utilisation numbers say so (knowledge.utilisation.decide's UNDERUSED, passed in): the
  GPU is the run's and idles. Not where a holder and a failure say another process has it.
- no cause otherwise (the GPU used normally, or nothing decides).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.records import record

BUSY = "busy"
UNDERUSED = "underused"

# What stands for a holder.
WORDS = "words"  # the writer's sentence that another process, program, user or kernel is on the GPU
EXCLUSIVE = "exclusive"  # a monitor's row of a GPU in an exclusive compute mode already running work
MESSAGE = "message"  # a program's own message that another process holds its lock on the GPU ([[failure]] kind "held")


@record(frozen=True)
class ModeRow:
    """One GPU's row of a monitor that shows its compute mode: the mode, its GPU-Util (-1 when N/A) and memory in MiB."""

    mode: str
    util: float
    used_mib: float
    total_mib: float

    def __str__(self) -> str:
        util = "N/A" if self.util < 0 else f"{self.util:g}%"
        return f"{self.mode}, {util} GPU-Util, {self.used_mib:g}/{self.total_mib:g} MiB"


@record(frozen=True)
class Holder:
    """Evidence of another holder: its kind (WORDS or EXCLUSIVE) and how the log names it."""

    kind: str
    named: str


@record(frozen=True)
class Verdict:
    """The decision: ``kind`` BUSY, UNDERUSED or "" (no cause); ``holder`` the evidence that names who holds the GPU;
    ``failure`` the kind of the run's failure; ``why`` in words; ``decides`` what would show it."""

    kind: str
    holder: Holder | None = None
    failure: str = ""
    why: str = ""
    decides: str = ""


@lru_cache(maxsize=1)
def failures() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """Every [[failure]] row: (id, kind, compiled pattern)."""
    return tuple((str(r["id"]), str(r["kind"]), re.compile(str(r["pattern"]), re.I)) for r in table_rows("occupancy", "failure"))


@lru_cache(maxsize=1)
def holders() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Every [[holder]] row: (id, compiled pattern)."""
    return tuple((str(r["id"]), re.compile(str(r["pattern"]), re.I)) for r in table_rows("occupancy", "holder"))


@lru_cache(maxsize=1)
def exclusive_modes() -> frozenset[str]:
    """The compute modes ([[compute_mode]]) that let one context (or none) use the GPU at a time, lower-cased."""
    return frozenset(str(r["name"]).lower() for r in table_rows("occupancy", "compute_mode") if r["exclusive"])


@lru_cache(maxsize=1)
def _thresholds() -> dict[str, float]:
    return {str(r["name"]): float(r["value"]) for r in table_rows("occupancy", "threshold")}


# The words one of the [[failure]] rows needs (one search a line; most lines of a log hold none).
_FAILURE_CUE = re.compile(r"busy|unavailable|context|streamexecutor|memory|resource_exhausted|not_initialized|cudnn handle|lock", re.I)


def failure_possible(text: str) -> bool:
    """False only where no line of ``text`` can name a failure (``failure_of`` is "" for each: none holds a word of the
    cue), asked once of a whole log before its lines."""
    return re.may_match(_FAILURE_CUE, text)


def failure_of(line: str) -> str:
    """The kind of failure at the GPU's start that ``line`` names ([[failure]]), or ""."""
    if _FAILURE_CUE.search(line) is None:
        return ""
    return next((kind for _, kind, rx in failures() if rx.search(line)), "")


@lru_cache(maxsize=1)
def _outcomes() -> dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]]:
    """Per [[holder]] row that names the other holder only by its removal (accunderused, session 37): (``worked``, the words
    that the run went through after it, needed in the line; ``still``, the words that it did not, which refute it)."""
    return {str(r["id"]): (re.compile(str(r["worked"]), re.I) if r.get("worked") else None,
                           re.compile(str(r["still"]), re.I) if r.get("still") else None)
            for r in table_rows("occupancy", "holder")}


def holder_form(sentence: str) -> re.Match[str] | None:
    """The first [[holder]] form in ``sentence`` (the caller asks whether the sentence asserts it), or None. A form that names
    the other holder by its removal ("I closed some software in the background", "reduce the number of running jobs") counts
    only beside the words that the run then went through ("it worked", "solved") and not beside "still" or "didn't help":
    the writer's own test that the other process held what the run needed."""
    for ident, rx in holders():
        if (m := rx.search(sentence)) is None:
            continue
        worked, still = _outcomes().get(ident, (None, None))
        if worked is not None and worked.search(sentence) is None:
            continue
        if still is not None and still.search(sentence) is not None:
            continue
        return m
    return None


def taken_row(row: ModeRow) -> bool:
    """Whether a GPU's row shows an exclusive compute mode already running another context's work (busy, or its memory
    mostly in use)."""
    from whygpu.knowledge.utilisation import thresholds as util_thresholds

    if row.mode.lower() not in exclusive_modes():
        return False
    if row.mode.lower() == "prohibited":
        return True
    share = 100.0 * row.used_mib / row.total_mib if row.total_mib > 0 else 0.0
    return row.util >= util_thresholds()["high_share"] or share >= _thresholds()["taken_memory_share"]


def decide(failure_kinds: Sequence[str], holder_seen: Sequence[Holder], utilisation_kind: str = "") -> Verdict:
    """The one decision (the module's docstring). ``failure_kinds``: the kinds of the run's failures at the GPU's start;
    ``holder_seen``: the evidence of another holder; ``utilisation_kind``: knowledge.utilisation.decide's kind."""
    from whygpu.knowledge.utilisation import UNDERUSED as UTIL_UNDERUSED

    failed = [k for k in failure_kinds if k]
    if "held" in failed and not holder_seen:
        # The program's message says another process holds its lock on the GPU: the holder is in the failure itself.
        holder_seen = [Holder(MESSAGE, "the program's lock on the GPU is held by another process")]
    if failed and holder_seen:
        # An exclusive mode's row decides the busy refusal outright; the writer's words stand beside any failure at start.
        exclusive = [h for h in holder_seen if h.kind == EXCLUSIVE]
        holder = exclusive[0] if exclusive and "busy" in failed else holder_seen[0]
        failure = "busy" if "busy" in failed else "held" if "held" in failed else failed[0]
        why = {
            "busy": "the device refused a new context: a GPU in an exclusive compute mode that another process's context holds, or one kept busy by another's work",
            "context": "a context could not be created on the GPU while another process held it",
            "memory": "the memory the run asked for was held by another process",
            "handle": "a cuDNN or cuBLAS handle could not be created: its workspace is device memory another process held",
            "held": "the program could not take its exclusive lock on the GPU, which another process (another run, or a stale one left by an interrupted run) held, and fell back to the CPU",
        }[failure]
        decides = ("`nvidia-smi` (its Processes table and Compute M. column) or `nvidia-smi --query-compute-apps=pid,process_name,used_memory "
                   "--format=csv` at the time of the failure, and `sudo fuser -v /dev/nvidia*`: a process other than the run on the GPU is the holder")
        return Verdict(BUSY, holder, failure, why, decides)
    if utilisation_kind == UTIL_UNDERUSED:
        return Verdict(UNDERUSED, None, "", "the run's GPU ran kernels only a small share of the time",
                       "`nvidia-smi dmon -s u` (SM share per second) beside the step's own timing, or the framework's profiler "
                       "(torch.profiler, TensorBoard's input-pipeline analyzer): most of a step spent waiting for its batch is the input side")
    return Verdict("")
