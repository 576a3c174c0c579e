"""The log rule that judges GPU memory left held after the writer's run ended (accunder, session 35).

Its fact is read by ``explain.memleft`` (the writer's asserted words, forms in knowledge/memory_left.toml): the GPU's
memory stays in use after the run ended, was killed or interrupted, or while none of the writer's processes runs, or a
zombie or leftover process holds it. A CUDA context's memory is freed when its process exits, so the holder is a process
that has not exited: causes.md's GPU_BUSY, with or without an out-of-memory error in the log (LOG270 reads the writer's
"other processes hold the memory" beside one).
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule


@rule(
    "LOG625", "log-gpu-memory-left-held-after-run", "GPU_BUSY", Severity.ERROR,
    RuleDoc(
        what="Finds the writer's own words that the GPU's memory stays held after their run ended (killed, interrupted with Ctrl-C, stopped, exited) or while none of their processes runs ('13GB allocated by someone', nvidia-smi showing the memory but no process), or that a zombie or leftover process holds it (knowledge/memory_left.toml's forms, in English and Chinese).",
        why="A CUDA context's memory is freed when its process exits; memory still in use after the run ended is held by a process that has not exited (a zombie, a data-loader worker or child left running, a notebook kernel, another container's job), so the next run finds the GPU taken (causes.md's GPU_BUSY).",
        example="When I interrupt my Pytorch script using Ctrl-C occasionally GPU memory is not deallocated.\n(https://github.com/pytorch/pytorch/issues/4031)",
        fix="`sudo fuser -v /dev/nvidia*` (or `nvidia-smi --query-compute-apps=pid,used_memory --format=csv`) lists the processes holding the GPU, including those nvidia-smi's table does not show; kill the leftover ones (the run's data-loader workers and children too), or restart the container or node.",
        limits="Quiet on questions, advice and hearsay, and on memory said held by the writer's own running process (a cache or a leak, no other holder). The words are the writer's reading: fuser or nvidia-smi confirms which process holds the memory.",
        references=("https://pytorch.org/docs/stable/notes/faq.html#my-gpu-memory-isn-t-freed-properly",),
    ),
)
def gpu_memory_left_held(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.memory_left_held:
        return
    seen = facts.memory_left_held[0]
    yield Hit(
        title="The GPU's memory stays held after the run ended: a process that did not exit holds it",
        evidence=_ev(*facts.memory_left_held[:2]),
        fix="Find the processes holding the GPU with `sudo fuser -v /dev/nvidia*` (it also lists processes nvidia-smi does not show) or `nvidia-smi --query-compute-apps=pid,used_memory --format=csv`, and kill the leftover ones (the run's data-loader workers and child processes too); where they cannot be killed, restart the container or the machine."
            + (" What decides: that list with none of your runs started; memory held by a PID there is the GPU taken." if seen.value != "zombie-holds-memory" else ""),
        confidence=Confidence.MEDIUM,
        # The words say memory is held, not that a run failed for it: the verdict is not "the GPU was not used".
        blocks_gpu=False,
    )


MEMLEFT_RULES: list[Rule[LogSubject]] = [gpu_memory_left_held]
