"""Runs the doctor rules over a snapshot and turns their findings into ranked causes and a verdict."""

from __future__ import annotations

from whygpu.model import Finding, Report, Severity, Verdict, rank_causes
from whygpu.rules.interface import Unknown
from whygpu.snapshot import Snapshot


def run_rules(snapshot: Snapshot) -> tuple[list[Finding], list[str]]:
    """Every doctor rule's findings, and the list of checks that could not be judged (and why)."""
    from whygpu.rules.registry import RULES

    rules = list(RULES)
    if snapshot.deep:
        # Only a --deep snapshot has facts for these; skipping the import keeps doctor fast.
        from whygpu.deep.rules import RULES as DEEP_RULES

        rules += DEEP_RULES
    findings: list[Finding] = []
    unknown: list[str] = []
    for rule in rules:
        for outcome in rule.run(snapshot):
            if isinstance(outcome, Unknown):
                unknown.append(f"{rule.code} {rule.slug}: {outcome.reason}")
            else:
                findings.append(outcome)
    return findings, unknown


def diagnose(snapshot: Snapshot, *, subject_kind: str = "machine") -> Report:
    """The doctor report for ``snapshot``."""
    from whygpu.rules.verdict import summarise

    findings, unknown = run_rules(snapshot)
    findings.sort(key=lambda f: (f.severity.weight, f.id))
    causes = rank_causes(findings)
    gpu_usable, summary, per_framework = summarise(snapshot, findings, causes)
    details = {
        "frameworks": per_framework,
        "unknown": unknown,
        "probes": [f"{p.name}: {p.status} in {p.seconds:.3f} s{(' - ' + p.detail) if p.detail else ''}" for p in snapshot.probes],
    }
    subject = {"source": snapshot.source.mode, "root": snapshot.source.root}
    if snapshot.source.hostname:
        subject["hostname"] = snapshot.source.hostname
    return Report(
        subject_kind=subject_kind,
        verdict=Verdict(gpu_usable, summary),
        causes=causes,
        findings=findings,
        subject=subject,
        details=details,
    )


__all__ = ["Severity", "diagnose", "run_rules"]
