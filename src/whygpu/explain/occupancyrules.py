"""The log rule that names another holder of the GPU a run could not start on (accslow, session 36).

Its facts are read by ``explain.occupancy`` (knowledge/occupancy.toml's forms): the run's failure where it starts on the
GPU, the writer's words that another process, program, user or notebook kernel is on it, and a monitor's rows of GPUs in an
exclusive compute mode. The decision is knowledge.occupancy.decide's: GPU_BUSY needs the failure and a holder together.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.occupancy import Holder
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Decides, Hit, Outcome, Rule, RuleDoc, rule


def _holders(subject: LogSubject) -> tuple[list[Holder], list[Seen[Any]]]:
    """The evidence of another holder, as (knowledge.occupancy.Holder records, the Seen lines behind them)."""
    from whygpu.knowledge.occupancy import EXCLUSIVE, WORDS, taken_row

    facts = subject.facts
    found: list[Holder] = []
    lines: list[Seen[Any]] = []
    for seen in facts.compute_mode_row:
        row = seen.value
        if taken_row(row):
            util = "N/A" if row.util < 0 else f"{row.util:g}%"
            found.append(Holder(EXCLUSIVE, f"a GPU in {row.mode} compute mode already running another context's work ({util} GPU-Util, {row.used_mib:g} of {row.total_mib:g} MiB in use)"))
            lines.append(seen)
    for seen in facts.holder_said:
        found.append(Holder(WORDS, seen.value))
        lines.append(seen)
    return found, lines


@rule(
    "LOG665", "log-gpu-held-by-another", "GPU_BUSY", Severity.ERROR,
    RuleDoc(
        what="Finds a run that failed where it starts on the GPU (all CUDA-capable devices busy or unavailable, a context or StreamExecutor not created, out of memory, a cuDNN or cuBLAS handle not created) in a log that also shows another holder of the GPU: the writer's words that another process, program, user or notebook kernel is on it ('used by another user', 'occupied by other programs', '2 kernels running'), or nvidia-smi's row of a GPU in an exclusive compute mode (E. Process, E. Thread, Prohibited) already busy or with most of its memory in use (knowledge/occupancy.toml; the one decision is knowledge.occupancy.decide).",
        why="A context's memory and, in an exclusive compute mode, the device itself belong to the process that created it until it exits; a second process then finds the memory gone or the device refused (CUDA's cudaErrorDevicesUnavailable: 'often busy/unavailable due to use of cudaComputeModeProhibited, cudaComputeModeExclusiveProcess'): causes.md's GPU_BUSY.",
        example="I have set CUDA_VISIBLE_DEVICES=0, but actually, the program is always trying to use gpu 2, which is used by anther user at the same time. ... RuntimeError: cuDNN error: CUDNN_STATUS_NOT_INITIALIZED\n(https://github.com/dbolya/yolact/issues/369)",
        fix="List who holds the GPU: `nvidia-smi` (Processes table, Compute M. column), `nvidia-smi --query-compute-apps=pid,process_name,used_memory --format=csv`, `sudo fuser -v /dev/nvidia*`; then run on a free GPU (CUDA_VISIBLE_DEVICES, with CUDA_DEVICE_ORDER=PCI_BUS_ID so the index matches nvidia-smi's), stop the other process, or ask the admin to set the compute mode to Default (`nvidia-smi -c 0`).",
        limits="Quiet on a failure with no holder shown (a run fails for its own demand) and on a holder with no failure (GPUs are shared every day); the writer's words are read only where asserted, not asked, advised, supposed or negated ('no other application is using the GPU', a program's hint 'check whether there is any other process using GPU 0').",
        references=("https://docs.nvidia.com/cuda/cuda-runtime-api/group__CUDART__TYPES.html", "https://docs.nvidia.com/cuda/cuda-c-programming-guide/index.html#compute-modes"),
    ),
    # The failure line it judged beside the holder is read for GPU_BUSY: a signature's other reading of that line (a cuDNN
    # handle not created read as a cuDNN mismatch) yields.
    decides=Decides(over="signature", cause="any", by="first_line", reads="first"),
)
def gpu_held_by_another(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.knowledge.occupancy import BUSY, EXCLUSIVE, decide

    facts = subject.facts
    held = any(s.value == "held" for s in facts.start_failure)
    if not facts.start_failure or not (facts.holder_said or facts.compute_mode_row or held):
        return
    found, lines = _holders(subject)
    if not found and not held:
        return
    verdict = decide([s.value for s in facts.start_failure], found, facts.utilisation_decision().kind)
    if verdict.kind != BUSY or verdict.holder is None:
        return
    failure = next((s for s in facts.start_failure if s.value == verdict.failure), facts.start_failure[0])
    holder_line = lines[found.index(verdict.holder)] if verdict.holder in found else failure
    yield Hit(
        title=f"Another process holds the GPU: {verdict.holder.named}" if verdict.holder.kind == EXCLUSIVE
        else f"Another process holds the GPU (the log says: \"{verdict.holder.named}\")",
        evidence=_ev(failure, holder_line),
        fix=f"The run failed because {verdict.why}. List the holders with `nvidia-smi --query-compute-apps=pid,process_name,used_memory --format=csv` and `sudo fuser -v /dev/nvidia*`; run on a free GPU (CUDA_VISIBLE_DEVICES=N with CUDA_DEVICE_ORDER=PCI_BUS_ID so N is nvidia-smi's index), stop the other process, or have the admin set the compute mode to Default (`nvidia-smi -c 0`)."
            f" What decides: {verdict.decides}.",
        confidence=Confidence.HIGH if verdict.holder.kind == EXCLUSIVE and verdict.failure == "busy" else Confidence.MEDIUM,
        blocks_gpu=True,
    )


OCCUPANCY_RULES: list[Rule[LogSubject]] = [gpu_held_by_another]
