"""From verdicts to the contract's ``Report`` (subject kind ``run``): findings with cause codes from causes.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from whygpu.model import Confidence, Finding, Report, Severity, Verdict, rank_causes
from whygpu.monitor.analysis import Analysis, Kind
from whygpu.monitor.analysis import Verdict as MonitorVerdict
from whygpu.monitor.samples import Losses

# Verdict → (finding id, cause code, severity, title, fix).
FINDINGS: dict[Kind, tuple[str, str, Severity, str, str]] = {
    Kind.NEVER_TOUCHED: ("MON-NEVER-TOUCHED", "CODE_FORCES_CPU", Severity.ERROR,
                         "The job never touched the GPU: it ran on the CPU",
                         "Run `whygpu doctor --python <the job's interpreter>` for the environment, and "
                         "`whygpu lint <script>` for code that keeps the work on the CPU."),
    Kind.LEFT: ("MON-LEFT-GPU", "GPU_UNDERUSED", Severity.WARNING,
                "The job left the GPU: it released the GPU's memory and went on running",
                "Look in the job's log at the moment the memory was released (an out-of-memory fallback, "
                "a phase that runs on the CPU, evaluation pinned to the CPU)."),
    Kind.ALLOCATED_IDLE: ("MON-ALLOCATED-IDLE", "GPU_UNDERUSED", Severity.WARNING,
                          "Memory is allocated on the GPU but it computes almost nothing",
                          "Check that the model and each batch are on the GPU (`.to('cuda')`), and that the "
                          "training loop is not waiting on something else."),
    Kind.INPUT_BOUND: ("MON-INPUT-BOUND", "GPU_UNDERUSED", Severity.WARNING,
                       "The GPU is underused: busy only in bursts while the job prepares data",
                       "Feed the GPU faster: more data-loader workers (`DataLoader(num_workers=..., "
                       "pin_memory=True)`, `tf.data` with `.prefetch(tf.data.AUTOTUNE)` and parallel `map`), "
                       "larger batches, preprocessing moved to the GPU or done ahead of time."),
    Kind.BUSY: ("MON-GPU-BUSY", "GPU_BUSY", Severity.WARNING,
                "Other processes hold the GPU's memory or compute",
                "Stop the other processes or run the job on a free GPU (`CUDA_VISIBLE_DEVICES`), or ask the "
                "scheduler for an exclusive GPU."),
    Kind.HEALTHY: ("MON-HEALTHY", "GPU_UNDERUSED", Severity.INFO, "The GPU was busy", ""),
    Kind.UNUSED: ("MON-GPU-UNUSED", "GPU_UNDERUSED", Severity.INFO, "A GPU the job did not use",
                  "If the job should use every GPU, start it with a distributed launcher (torchrun, "
                  "tf.distribute.MirroredStrategy)."),
    Kind.UNKNOWN: ("MON-NO-VERDICT", "GPU_UNDERUSED", Severity.INFO, "Too few samples for a verdict",
                   "Monitor for longer, or with a shorter --interval."),
}
_CONF = {"high": Confidence.HIGH, "medium": Confidence.MEDIUM, "low": Confidence.LOW}


@dataclass
class RunInfo:
    """What the report says about the run itself besides the samples."""

    mode: str  # "command", "pid" or "trace"
    command: list[str] = field(default_factory=list)
    pid: int | None = None
    source: str | None = None
    source_format: str | None = None
    exit_code: int | None = None
    signal_name: str | None = None
    wall_s: float | None = None
    interval_s: float = 1.0
    losses: Losses = field(default_factory=Losses)
    notes: list[str] = field(default_factory=list)
    sampler_unavailable: str | None = None
    interpreter: str | None = None
    doctor: Report | None = None


def build_report(analysis: Analysis | None, run: RunInfo) -> Report:
    """The monitor's report: one finding per verdict, the doctor's causes when the GPU was never touched."""
    findings: list[Finding] = []
    verdicts = analysis.verdicts if analysis is not None else []
    for verdict in verdicts:
        findings.append(_finding(verdict, run))
    doctor = run.doctor
    if doctor is not None:
        findings.extend(f for f in doctor.findings if f.severity is not Severity.INFO)
    if run.sampler_unavailable and doctor is None:
        findings.append(Finding("MON-NO-SAMPLING", "GPU_UNDERUSED", Severity.INFO, "No GPU could be sampled",
                                (run.sampler_unavailable,), "Run `whygpu doctor` on this machine."))
    causes = rank_causes(findings)
    kinds = {v.kind for v in verdicts}
    if Kind.NEVER_TOUCHED in kinds:
        usable: bool | None = False
        summary = "The job never touched the GPU: it ran on the CPU."
        if doctor is not None and doctor.causes:
            summary += f" The environment's root cause: {doctor.causes[0].title}."
    elif run.sampler_unavailable:
        usable = doctor.verdict.gpu_usable if doctor is not None else None
        summary = f"No GPU was sampled ({run.sampler_unavailable})."
        if doctor is not None:
            summary += " " + doctor.verdict.summary
    elif not verdicts or kinds <= {Kind.UNKNOWN}:
        usable, summary = None, "Too few samples to judge how the GPU was used."
    else:
        usable = True
        problems = [v for v in verdicts if v.kind not in (Kind.HEALTHY, Kind.UNUSED, Kind.UNKNOWN)]
        if problems:
            summary = "The job used the GPU, but " + "; ".join(
                f"GPU {v.gpu}: {v.kind.value}" if v.gpu is not None else v.kind.value for v in problems) + "."
        else:
            summary = "The job kept the GPU busy."
    notes = list(run.notes)
    if run.losses.count:
        notes.append(f"{run.losses.count} sample(s) or line(s) lost (first: {run.losses.first})")
    details: dict[str, Any] = {"monitor": _details(analysis, run)}
    subject: dict[str, Any] = {"mode": run.mode}
    if run.command:
        subject["command"] = run.command
    if run.pid is not None:
        subject["pid"] = run.pid
    if run.source:
        subject["source"] = run.source
        subject["format"] = run.source_format
    if run.exit_code is not None:
        subject["exit_code"] = run.exit_code
    return Report(subject_kind="run", verdict=Verdict(usable, summary), causes=causes, findings=findings,
                  subject=subject, details=details, notes=notes)


def _finding(verdict: MonitorVerdict, run: RunInfo) -> Finding:
    fid, cause, severity, title, fix = FINDINGS[verdict.kind]
    evidence = list(verdict.evidence)
    confidence = _CONF.get(verdict.confidence, Confidence.MEDIUM)
    if verdict.kind is Kind.NEVER_TOUCHED:
        doctor = run.doctor
        if doctor is not None and doctor.causes:
            top = doctor.causes[0]
            cause = top.code
            evidence.append(f"the doctor on {run.interpreter or 'this machine'}: {top.code}: {top.title}")
            fix = top.fix or fix
        elif doctor is not None:
            evidence.append(f"the doctor found nothing wrong with {run.interpreter or 'this environment'}: the code "
                            "itself may keep the work on the CPU")
            confidence = Confidence.LOW
        elif run.mode == "trace":
            fix = "Run `whygpu doctor --python <the job's interpreter>` where the job ran, and `whygpu lint <script>`."
    if verdict.kind is Kind.INPUT_BOUND and verdict.confidence == "low":
        # The job was not busy on the CPU either: it waits on something else, not on preparing data.
        title = "The GPU is underused: idle between bursts while the job waits on something other than its CPU"
        fix = ("Find what the job waits on between steps (reading from disk or network storage, another "
               "process, a lock); then feed the GPU as for an input pipeline: " + fix[0].lower() + fix[1:])
    if verdict.gpu is not None:
        title = f"GPU {verdict.gpu}: {title[0].lower()}{title[1:]}"
    return Finding(id=fid, cause=cause, severity=severity, title=title, evidence=tuple(evidence), fix=fix,
                   confidence=confidence, scope=f"GPU {verdict.gpu}" if verdict.gpu is not None else "")


def _details(analysis: Analysis | None, run: RunInfo) -> dict[str, Any]:
    data: dict[str, Any] = {
        "interval_s": run.interval_s,
        "gpus": [s.to_json() for s in analysis.gpus] if analysis is not None else [],
        "verdicts": [{"gpu": v.gpu, "verdict": v.kind.value, "confidence": v.confidence}
                     for v in (analysis.verdicts if analysis is not None else [])],
        "attribution": analysis.attribution if analysis is not None else None,
        "lost": {"count": run.losses.count, "first": run.losses.first, "gap_s": round(run.losses.gaps_s, 1)},
    }
    if analysis is not None and analysis.cpu_cores is not None:
        data["job_cpu_cores"] = round(analysis.cpu_cores, 2)
    if run.wall_s is not None:
        data["wall_s"] = round(run.wall_s, 1)
    if run.signal_name:
        data["killed_by"] = run.signal_name
    if run.interpreter:
        data["interpreter"] = run.interpreter
    return data
