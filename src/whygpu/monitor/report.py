"""From verdicts to the contract's ``Report`` (subject kind ``run``): the MON rules' findings, with cause codes from causes.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from whygpu.model import Finding, Report, RuleInfo, Severity, Verdict, rank_causes
from whygpu.monitor.analysis import NO_MEMORY, NO_UTILISATION, Analysis, Kind
from whygpu.monitor.analysis import Verdict as MonitorVerdict
from whygpu.monitor.rules import RULES, RunView
from whygpu.monitor.samples import Losses
from whygpu.rules.runner import run_rule_list


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
    # The MON rules, verdict by verdict (each verdict is one rule's): the findings keep the verdicts' order.
    for verdict in verdicts:
        findings.extend(run_rule_list(RULES, _view(verdict, run))[0])
    doctor = run.doctor
    if doctor is not None:
        findings.extend(f for f in doctor.findings if f.severity is not Severity.INFO)
    findings.extend(run_rule_list(RULES, _view(None, run))[0])
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
        if any(v.evidence and v.evidence[0].startswith(NO_UTILISATION) for v in verdicts):
            summary = "The trace records no GPU utilisation: no verdict."
        elif any(v.evidence and v.evidence[0].startswith(NO_MEMORY) for v in verdicts):
            summary = "The trace records no GPU memory use, and utilisation alone cannot decide: no verdict."
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
                  subject=subject, details=details, notes=notes, rules=rule_infos())


def rule_infos() -> list[RuleInfo]:
    """What a monitor report carries about its rules (SARIF's rule list), every MON rule."""
    return [r.info() for r in RULES]


def _view(verdict: MonitorVerdict | None, run: RunInfo) -> RunView:
    return RunView(verdict=verdict, mode=run.mode, interpreter=run.interpreter, doctor=run.doctor,
                   sampler_unavailable=run.sampler_unavailable)


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
