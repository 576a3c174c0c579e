"""The log rule that says the GPU is in use where its user believed it idle (accinuse, session 35).

Whether the GPU is shown in use is ``knowledge.inuse.shown_in_use``'s one decision (explain.inuse: the process's own line
that it created or used the device, a monitor's compute process on the GPU); the belief is the writer's words that it went
unused or idle, and what misled them where the log shows it (knowledge/inuse.toml [[belief]]: Task Manager named,
nvidia-smi's empty process list in WSL 2 or a container, a low utilisation share, the CPU at 100%, one part of the work on
the CPU, an optional library's warning). An informational finding: it names no cause, and the causes the use contradicts
stay quiet (each rule that reads ``LogSubject.gpu_in_use``).
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

_SOURCE = "https://devblogs.microsoft.com/directx/gpus-in-the-task-manager/"
# The evidence kinds that decide use, strongest first (knowledge/inuse.toml).
_SHOWN_ORDER = ("created", "monitor")


def _beliefs(subject: LogSubject) -> list[tuple[str, Seen[str] | None]]:
    """The beliefs the log shows, each with the line that shows it (None where the belief is a decision over numbers)."""
    from whygpu.knowledge.utilisation import CPU, UNDERUSED

    facts = subject.facts
    out: list[tuple[str, Seen[str] | None]] = [(s.value, s) for s in facts.inuse_belief]
    decision = facts.utilisation_decision()
    if decision.kind == UNDERUSED or facts.stated_underused:
        shown = facts.stated_underused[0] if facts.stated_underused else None
        out.append(("low_share", shown))
    busy = [s for s in facts.utilisation if s.value.subject == CPU and s.value.high >= 90]
    if busy:
        out.append(("cpu_busy", busy[0]))
    return out


def _belief_said(subject: LogSubject) -> list[Seen[str]]:
    """The writer's words that the GPU went unused or idle (or a question whether it is used), as the facts read them."""
    facts = subject.facts
    return [*facts.stated_unused, *facts.stated_underused]


@rule(
    "LOG630", "log-gpu-in-use-believed-idle", "GPU_UNDERUSED", Severity.INFO,
    RuleDoc(
        what="Says the GPU is in use where the log shows it so (knowledge.inuse.shown_in_use's one decision: the program's own line that it created or used the device, 'Created device ... GPU:0', 'Using device: cuda:0', 'Loaded cuDNN version', YOLO's 'Using CUDA device0 _CudaDeviceProperties(...)', OpenCV DNN's initCUDABackend; or nvidia-smi listing a compute process on the GPU) while the writer believes it idle or unused, and names what misled them where the log shows it: Windows Task Manager, nvidia-smi's empty process list in WSL 2 or a container, a low utilisation share, the CPU at 100%, one part of the work on the CPU, an optional library's warning (TensorRT). Not where a line shows the GPU blocked or a run that fails on it.",
        why="A user who sees no GPU work on a monitor often concludes the program runs on the CPU, while the program's own log shows the device created and used; naming the monitor's limit answers the question that was asked, where a cause would be a false alarm.",
        example="Using CUDA device0 _CudaDeviceProperties(name='GeForce GTX 1050 Ti', total_memory=4096MB)\n(https://github.com/ultralytics/yolov3/issues/212)",
        fix="Nothing to repair in the setup: the GPU is in use. To see its work, use a CUDA monitor (nvidia-smi, or Task Manager's 'Cuda' engine); for speed, profile the input side and the batch size.",
        limits="The decision reads the program's own lines and a monitor's process rows, not the writer's words that it works (weak) nor a framework's answer that lists a GPU (found, not shown used). A second program's failure in the same log is that program's, and a run that falls back after the device was created (out of memory, no kernel image) blocks it.",
        references=(_SOURCE, "https://docs.nvidia.com/cuda/wsl-user-guide/index.html", "https://docs.nvidia.com/deploy/nvidia-smi/index.html"),
    ),
)
def gpu_in_use_believed_idle(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not subject.gpu_in_use or subject.blocking() or any(s.value == "failed" for s in facts.inuse_shown):
        return  # (a run that failed on the GPU, out of memory: the failure is the question, not a monitor's reading)
    from whygpu.knowledge.inuse import belief

    said = _belief_said(subject)
    beliefs = _beliefs(subject)
    if not said and not beliefs:
        return
    shown = sorted((s for s in facts.inuse_shown if s.value in _SHOWN_ORDER), key=lambda s: _SHOWN_ORDER.index(s.value))
    if not shown:
        return
    rows = [(row, seen) for kind, seen in beliefs if (row := belief(kind)) is not None]
    seen_lines = [s for _, s in rows if s is not None][:2]
    evidence = (shown[0].text, *_ev(*said[:1], *seen_lines))
    if rows:
        row = rows[0][0]
        title = (f"The GPU is in use by the program ({shown[0].text.split(': ', 1)[-1][:120]}); what looked idle is {row.monitor}: "
                 f"{row.why}")
        fix = f"Nothing to repair: the GPU is in use. To see it: {row.check}."
    else:
        title = f"The GPU is in use by the program ({shown[0].text.split(': ', 1)[-1][:120]}), although the writer believes it idle"
        fix = "Nothing to repair: the GPU is in use. To see it, run nvidia-smi while the program runs (its process and memory), or pick the 'Cuda' engine in Task Manager."
    yield Hit(
        title=title,
        evidence=tuple(dict.fromkeys(evidence)),
        fix=fix,
        confidence=Confidence.HIGH,
        cause="GPU_UNDERUSED",
        severity=Severity.INFO,
        blocks_gpu=False,
        extra={"beliefs": [r.kind for r, _ in rows], "source": rows[0][0].source if rows else _SOURCE},
    )


INUSE_RULES: list[Rule[LogSubject]] = [gpu_in_use_believed_idle]
