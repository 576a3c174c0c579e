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
from typing import Any

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Finding, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

_SOURCE = "https://devblogs.microsoft.com/directx/gpus-in-the-task-manager/"
# The evidence kinds that decide use, strongest first (knowledge/inuse.toml).
_SHOWN_ORDER = ("created", "monitor")


def _beliefs(subject: LogSubject) -> list[tuple[str, Seen[Any] | None]]:
    """The beliefs the log shows, each with the line that shows it (None where the belief is a decision over numbers)."""
    from whygpu.knowledge.utilisation import CPU, UNDERUSED, thresholds

    facts = subject.facts
    out: list[tuple[str, Seen[Any] | None]] = [(s.value, s) for s in facts.inuse_belief]
    decision = facts.utilisation_decision()
    if decision.kind == UNDERUSED or facts.stated_underused:
        shown = facts.stated_underused[0] if facts.stated_underused else None
        out.append(("low_share", shown))
    busy = [s for s in facts.utilisation if s.value.subject == CPU and s.value.high >= thresholds()["busy_cpu"]]
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
    shown = sorted((s for s in facts.inuse_shown if s.value in _SHOWN_ORDER), key=lambda s: _SHOWN_ORDER.index(s.value))
    # A monitor's reading is the user's own; a program's line (TensorRT's warning, one layer on the CPU) explains a belief
    # only beside the writer's words that the GPU went unused or idle. No belief shown: quiet (nothing to name).
    rows = [(row, seen) for kind, seen in _beliefs(subject) if (row := belief(kind)) is not None and (said or not row.words)]
    if not shown or not rows:
        return
    place = shown[0].text.split(": ", 1)[0]
    seen_lines = [s for _, s in rows if s is not None and s.where != place][:2]  # (not the in-use line again)
    evidence = (shown[0].text, *_ev(*said[:1], *seen_lines))
    row = rows[0][0]
    line = shown[0].text.split(": ", 1)[-1].strip()
    title = (f"The GPU is in use by the program ({line[:120] + ('…' if len(line) > 120 else '')}); what looked idle is "
             f"{row.monitor}: {row.why}")
    fix = f"Nothing to repair: the GPU is in use. To see it: {row.check}."
    yield Hit(
        title=title,
        evidence=tuple(dict.fromkeys(evidence)),
        fix=fix,
        confidence=Confidence.HIGH,
        cause="GPU_UNDERUSED",
        severity=Severity.INFO,
        blocks_gpu=False,
        extra={"beliefs": [r.kind for r, _ in rows], "source": row.source},
    )


def blind_monitor_only(facts: Any) -> Any:
    """The belief row of a monitor blind to CUDA work (knowledge.inuse.blind_monitor: Task Manager's engine graphs) where the
    writer's words are the only sign the GPU went unused (no framework's own answer says so), or None (lead, session 35)."""
    from whygpu.knowledge.inuse import blind_monitor

    if not facts.stated_unused or any(a.value is False for answers in facts.gpu_answer.values() for a in answers):
        return None
    return blind_monitor(s.value for s in facts.inuse_belief)


@rule(
    "LOG631", "log-gpu-unused-read-from-blind-monitor", "GPU_UNDERUSED", Severity.INFO,
    RuleDoc(
        what="Where the only sign that the GPU went unused is the writer's reading of a monitor that does not show CUDA work by default (Windows Task Manager's engine graphs: knowledge/inuse.toml [[belief]] blind_to_cuda), and no framework answer, failure line or sign of use is shown, says that the log decides nothing either way and names the check that does; LOG104 ranks no cause from those words alone.",
        why="Task Manager graphs the 3D, copy and video engines by default and CUDA work shows only on the 'Cuda' or 'Compute' engine, so an idle graph is what a GPU busy with CUDA looks like there: ranking the causes that keep the GPU from a run would be a false alarm as often as not (session 35's negatives26).",
        example="the gpu of my rtx 3060 is not used, and when opening task manager, it does not appear\n(https://github.com/AUTOMATIC1111/stable-diffusion-webui/issues/16843)",
        fix="Look with a monitor that shows CUDA work (Task Manager's 'Cuda' engine, nvidia-smi while the program runs); if it shows none, the framework's own check decides whether it can use the GPU.",
        limits="Only the writer's words and such a monitor: a framework's answer (is_available() False), a failure line or any other cause speaks instead; a sign of use gives LOG630.",
        references=(_SOURCE,),
    ),
)
def gpu_unused_read_from_blind_monitor(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if subject.gpu_in_use or subject.blocking():
        return
    row = blind_monitor_only(facts)
    if row is None:
        return
    seen = next((s for s in facts.inuse_belief if s.value == row.kind), None)
    yield Hit(
        title=(f"Only the writer's reading of {row.monitor} says the GPU went unused; the log shows neither its use nor a reason "
               f"it could not be used: {row.why}"),
        evidence=tuple(dict.fromkeys(_ev(*facts.stated_unused[:1], *([seen] if seen is not None else [])))),
        fix=(f"To decide: {row.check}. If it shows no work, the framework's own check says whether it can use the GPU "
             "(`python -c \"import torch; print(torch.cuda.is_available())\"`, or TensorFlow's "
             "`tf.config.list_physical_devices('GPU')`); whygpu explain on that output says why."),
        confidence=Confidence.MEDIUM,
        cause="GPU_UNDERUSED",
        severity=Severity.INFO,
        blocks_gpu=False,
        extra={"beliefs": [row.kind], "source": row.source},
    )


INUSE_RULES: list[Rule[LogSubject]] = [gpu_in_use_believed_idle, gpu_unused_read_from_blind_monitor]
# The informational findings that speak only where no other rule gives a cause.
_ALONE_IDS = frozenset({"LOG630", "LOG631"})


def alone(findings: list[Finding]) -> list[Finding]:
    """The findings without LOG630's and LOG631's where any other rule gives a cause (a finding that is not informational): a
    report that names a cause beside "the GPU is in use" (or "nothing decides") would say two things at once; the cause,
    with its own evidence, speaks."""
    if any(f.id not in _ALONE_IDS and f.severity is not Severity.INFO for f in findings):
        return [f for f in findings if f.id not in _ALONE_IDS]
    return findings
