"""The log rule that judges the writer's words that other processes hold the GPU's memory (accmsg, session 22).

Its fact is read by ``explain.progmessages`` (the writer's asserted words, in a log that names an out-of-memory error);
the rule says the cause those words mean: the memory an allocation needed is held by processes other than the run
that failed (GPU_BUSY, causes.md).
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule


@rule(
    "LOG270", "log-oom-memory-held-by-others-stated", "GPU_BUSY", Severity.ERROR,
    RuleDoc(
        what="Finds the writer's own words that other processes (earlier, zombie, stale, background ones, another user's or notebook's) hold the GPU's memory, asserted, in a log that names an out-of-memory error.",
        why="An out-of-memory error while memory is held outside the failing run is the GPU being busy, not the model being too large: the allocation fails because those processes keep the memory (PyTorch's own numbers say the same where it prints them: LOG118).",
        example="The result is a CUDA out-of-memory error ... while the previous inference processes are still holding GPU memory.\n(https://github.com/NVIDIA/gpu-operator/issues/2880)",
        fix="nvidia-smi (or `sudo fuser -v /dev/nvidia*`, which also lists processes nvidia-smi does not show inside a container) names the processes holding the memory: stop them, or run on a free GPU (CUDA_VISIBLE_DEVICES=<free id>).",
        limits="Quiet on questions, conditions, advice and states that are over ('was held before the reboot'); the words are the writer's reading, which nvidia-smi confirms or not.",
        references=("https://pytorch.org/docs/stable/notes/cuda.html#memory-management",),
    ),
)
def oom_memory_held_by_others_stated(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.stated_memory_held:
        return
    seen = facts.stated_memory_held[0]
    yield Hit(
        title="The GPU ran out of memory while, in the log's own words, other processes hold its memory",
        evidence=_ev(seen, *facts.out_of_memory[:1]),
        fix="Run `nvidia-smi` (in a container also `sudo fuser -v /dev/nvidia*` on the host) to see which processes hold the GPU's memory: stop them (a finished job's zombie, an idle notebook kernel), or choose a free GPU (CUDA_VISIBLE_DEVICES=<free id>).",
        confidence=Confidence.MEDIUM,
        blocks_gpu=True,
    )


PROGRAM_RULES: list[Rule[LogSubject]] = [oom_memory_held_by_others_stated]
