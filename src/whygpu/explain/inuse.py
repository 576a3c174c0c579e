"""The GPU shown in use by the failing program (accinuse, session 35), read from every kind of evidence a log carries, and
the lines that show why its user believed it idle.

The evidence, each kind with its strength in knowledge/inuse.toml and weighed by the one decision
``knowledge.inuse.shown_in_use``: the process's own line that it created, selected or computed on the device (a positive
signature: "Created device /job:localhost/replica:0/task:0/device:GPU:0 with 10000 MB memory", "Using device: cuda:0",
"Loaded cuDNN version", YOLO's "Using CUDA device0 _CudaDeviceProperties(...)", OpenCV DNN's initCUDABackend), a monitor's
output that lists a compute process holding the GPU's memory (knowledge.utilisation.decide's USED), the framework's answer
listing a GPU (found, not shown used), the writer's sentence that it works.

The belief (``belief_line``): Windows Task Manager named (its graphs follow the 3D engine, not CUDA's), nvidia-smi's
"No running processes found" (WSL 2 and containers list none), one part of the work on the CPU (a layer, a tokenizer, a
decoder), an optional library's warning (TensorRT's libnvinfer); and from the facts already read, a low utilisation share
and the CPU at 100%. Judged by LOG630 (explain.inuserules).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from whygpu.explain.logfacts import Seen

if TYPE_CHECKING:
    from whygpu.explain.logfacts import LogFacts

__all__ = ["belief_line", "evidence_kinds", "in_use"]


def belief_line(text: str) -> str | None:
    """The kind of belief ``text`` shows (knowledge/inuse.toml [[belief]]: "task_manager", "no_processes", "part_on_cpu",
    "optional_library"), or None. Lines over 2,000 characters are not read (a pasted blob, not a monitor's line)."""
    if len(text) > 2000:
        return None
    from whygpu.knowledge.inuse import belief_in

    found = belief_in(text)
    return found.kind if found is not None else None


def evidence_kinds(facts: LogFacts, positive: list[str]) -> dict[str, str]:
    """Each kind of evidence of use the log holds -> one line of it as ``file:line: text`` (``positive``: the process's own
    lines that a positive signature matched, as the collector keeps them). Kinds are knowledge/inuse.toml's."""
    from whygpu.knowledge.utilisation import GPU_PROCESS, SAID

    out: dict[str, str] = {}
    if positive:
        out["created"] = positive[0]
    # A monitor's own row of a compute process on the GPU (nvidia-smi's type C or C+G), not a number in the writer's words.
    held = [s for s in facts.utilisation if s.value.subject == GPU_PROCESS and s.value.low > 0 and s.value.monitor != SAID]
    if held:
        out["monitor"] = held[0].evidence()
    if (seen := facts.gpu_seen()):
        out["found"] = seen[0].evidence()
    if facts.stated_gpu_works:
        out["words"] = facts.stated_gpu_works[0].evidence()
    return out


def in_use(facts: LogFacts, positive: list[str]) -> bool:
    """Whether the log shows the GPU in use by the program (knowledge.inuse.decides_use over ``evidence_kinds``); each
    kind's line is kept on the facts (``LogFacts.inuse_shown``: value the kind, text the line) for LOG630."""
    from whygpu.knowledge.inuse import decides_use, failed_on_gpu

    kinds = evidence_kinds(facts, positive)
    facts.inuse_shown = [Seen(kind, "", line) for kind, line in kinds.items()]
    # The process's own lines that show the run failing on the GPU (out of memory): kept as "failed" for LOG630.
    facts.inuse_shown += [Seen("failed", "", line) for line in positive if failed_on_gpu(line)][:1]
    return decides_use(kinds)
