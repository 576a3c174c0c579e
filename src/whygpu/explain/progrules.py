"""The log rules that judge memory held outside the failing job: the writer's words (accmsg, session 22), Paddle's numbers (accstatus, session 24).

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


_DECIDE = ("To tell it from a job too large for the GPU: `nvidia-smi` just before the run (its process list and memory use): "
           "memory held by other PIDs means busy; an empty GPU means the batch or model is too large.")


@rule(
    "LOG275", "log-oom-memory-taken-before-paddle", "GPU_BUSY", Severity.ERROR,
    RuleDoc(
        what="Reads Paddle's out-of-memory message by its own numbers ('Cannot allocate X memory on GPU 0, [Y memory has been allocated and] available memory is only Z'): where Paddle's allocator held next to nothing (Y under 0.5 GiB) the memory the GPU lacked was taken by something else; where the message gives no Y (Paddle before 2.x), almost nothing free (Z under 0.25 GiB) with no work of the job seen (no op's tensor, no finished step) is read the same, with low confidence.",
        why="causes.md's GPU_BUSY includes an out-of-memory at initialisation: another process (or a framework's preallocation) holds the GPU's memory before the job starts, and Paddle's message names that first ('Please check whether there is any other process using GPU 0'). An out-of-memory of a job that holds the memory itself, or one that ran steps first, is its own demand (a batch too large), which this rule leaves alone.",
        example="Out of memory error on GPU 0. Cannot allocate 25.002197MB memory on GPU 0, available memory is only 15.187500MB.\n(https://github.com/PaddlePaddle/Paddle/blob/develop/paddle/phi/core/memory/allocation/cuda_allocator.cc)",
        fix="nvidia-smi lists the processes holding the GPU's memory: stop them (or run several workers on separate GPUs: CUDA_VISIBLE_DEVICES per worker), or run on a free GPU.",
        limits="Without Paddle's count of its own allocations the reading rests on no work being seen, which a pasted excerpt may leave out; nvidia-smi before the run decides.",
        references=("https://github.com/PaddlePaddle/Paddle/blob/develop/paddle/phi/core/memory/allocation/cuda_allocator.cc",),
    ),
)
def oom_memory_taken_before_paddle(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.oom_memory_taken:
        return
    seen = facts.oom_memory_taken[0]
    held = seen.value == "held"
    yield Hit(
        title=("The GPU ran out of memory while Paddle itself held next to none of it" if held
               else "The GPU had almost no memory free when Paddle asked, with no work of the job seen before"),
        evidence=_ev(seen),
        fix="Run `nvidia-smi` to see which processes hold the GPU's memory (other workers of the same service, a finished job's "
            "zombie, a notebook kernel): stop them, or give each worker its own GPU (CUDA_VISIBLE_DEVICES).\n" + _DECIDE,
        confidence=Confidence.MEDIUM if held else Confidence.LOW,
        blocks_gpu=True,
    )


PROGRAM_RULES: list[Rule[LogSubject]] = [oom_memory_held_by_others_stated, oom_memory_taken_before_paddle]
