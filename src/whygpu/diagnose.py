"""Runs the doctor rules over a snapshot and turns their findings into ranked causes and a verdict."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from whygpu.facts import Unavailable
from whygpu.model import Finding, Report, RuleInfo, Severity, Verdict, rank_causes
from whygpu.rules.runner import run_rule_list
from whygpu.snapshot import Snapshot

if TYPE_CHECKING:
    from whygpu.rules.deep_view import DeepSubject, Words


def run_rules(snapshot: Snapshot) -> tuple[list[Finding], list[str]]:
    """Every doctor rule's findings, and the list of checks that could not be judged (and why)."""
    from whygpu.rules.registry import RULES

    findings, unknown = run_rule_list(RULES, snapshot)
    if snapshot.deep:
        # Only a --deep snapshot has facts for these; skipping the import keeps doctor fast. The
        # static rules ran once, above; the deep rules compare the frameworks' answers with them.
        from whygpu.rules.deep import RULES as DEEP_RULES

        deep_findings, deep_unknown = run_rule_list(DEEP_RULES, deep_subject(snapshot, findings))
        findings += deep_findings
        unknown += deep_unknown
    return findings, unknown


def deep_subject(snapshot: Snapshot, static: list[Finding] | None = None) -> DeepSubject:
    """What the deep rules judge: ``snapshot``, the static rules' findings (run here when not given) and explain as the log reader."""
    from whygpu.rules.deep_view import DeepSubject

    if static is None:
        from whygpu.rules.registry import RULES

        static, _unknown = run_rule_list(RULES, snapshot)
    return DeepSubject(snapshot, tuple(static), read_framework_log)


@lru_cache(maxsize=64)
def read_framework_log(source: str, lines: tuple[str, ...]) -> Words:
    """The explain engine's reading of lines a framework printed (a deep probe's stream, an exception's text)."""
    from whygpu.explain import explain_lines
    from whygpu.rules.deep_view import Words

    result = explain_lines(list(lines), source=source)
    return Words(tuple(result.findings), tuple(rank_causes(result.findings, by_likelihood=True)), result.gpu_used,
                 tuple(str(line) for line in result.positive_evidence))


def diagnose(snapshot: Snapshot, *, subject_kind: str = "machine") -> Report:
    """The doctor report for ``snapshot``."""
    from whygpu.rules.verdict import summarise

    findings, unknown = run_rules(snapshot)
    findings.sort(key=lambda f: (f.severity.weight, f.id))
    causes = rank_causes(findings)
    gpu_usable, summary, per_framework = summarise(snapshot, findings, causes)
    details = {
        "machine": facts_summary(snapshot),
        "frameworks": per_framework,
        "unknown": unknown,
        "probes": [f"{p.name}: {p.status} in {p.seconds:.3f} s{(' - ' + p.detail) if p.detail else ''}" for p in snapshot.probes],
    }
    if snapshot.deep:
        from whygpu.rules.deep_view import details as deep_details

        details["deep"] = deep_details(snapshot)
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
        rules=_rules_used(snapshot, findings),
    )


def rediagnose_state(base: Report, snapshot: Snapshot, state: tuple[list[Finding], list[str]] | None = None) -> Report | None:
    """The doctor report for ``snapshot``, from ``base``: the report of a snapshot that differs from it only in its GPUs' current state.

    Only the rules that read that state (``rules.gpu_state.STATE_RULES``; a test checks that no other
    rule does) run again; the other findings are kept, then causes and verdict are made as
    ``diagnose`` makes them. The subject and the details other than the frameworks' are ``base``'s.
    None for a ``--deep`` snapshot (its deep rules read every finding) or when a state rule could
    not judge: diagnose it then. ``state``: what ``run_rule_list(STATE_RULES, snapshot)`` gave, when the caller ran it.
    """
    from whygpu.rules.gpu_state import STATE_RULES
    from whygpu.rules.verdict import summarise

    codes = {rule.code for rule in STATE_RULES}
    found, unknown = state if state is not None else run_rule_list(STATE_RULES, snapshot)
    if snapshot.deep or unknown or any(str(line).split(" ", 1)[0] in codes for line in base.details.get("unknown", ())):
        return None
    findings = [f for f in base.findings if f.id not in codes] + found
    findings.sort(key=lambda f: (f.severity.weight, f.id))
    causes = rank_causes(findings)
    gpu_usable, summary, per_framework = summarise(snapshot, findings, causes)
    return Report(
        subject_kind=base.subject_kind,
        verdict=Verdict(gpu_usable, summary),
        causes=causes,
        findings=findings,
        subject=dict(base.subject),
        details={**base.details, "frameworks": per_framework},
        rules=_rules_used(snapshot, findings),
    )


def _rules_used(snapshot: Snapshot, findings: list[Finding]) -> list[RuleInfo]:
    """What the report carries about the rules behind its findings (SARIF's rule list)."""
    from whygpu.rules.registry import RULES

    rules = list(RULES)
    if snapshot.deep:
        from whygpu.rules.deep import RULES as DEEP_RULES

        rules += DEEP_RULES
    used = {f.id for f in findings}
    return [rule.info() for rule in rules if rule.code in used]


def _fact(value: object) -> object:
    return str(value) if isinstance(value, Unavailable) else value


def facts_summary(snapshot: Snapshot) -> dict[str, Any]:
    """The facts behind the answer, in a compact form for ``-v`` and Markdown details."""
    drv = snapshot.driver
    report = drv.report
    gpus = snapshot.hardware.gpus
    summary: dict[str, Any] = {
        "platform": f"{snapshot.platform.system} {snapshot.platform.machine}, kernel {_fact(snapshot.platform.kernel_release)}, "
        f"{_fact(snapshot.platform.distro)}" + (", WSL2" if snapshot.platform.wsl is True else ""),
        "pci gpus": _fact(gpus) if isinstance(gpus, Unavailable)
        else [f"{d.address} {d.vendor} {d.model or d.device_id} (driver {d.kernel_driver or 'none'})" for d in gpus] or "none",
        "kernel module": _fact(drv.kernel_module) if isinstance(drv.kernel_module, Unavailable)
        else (f"loaded {drv.kernel_module.version}" if drv.kernel_module.loaded else "not loaded"),
        "device nodes": _fact(drv.device_nodes) if isinstance(drv.device_nodes, Unavailable) else (drv.device_nodes or "none"),
        "libcuda": [f"{lib.path} ({lib.version or '?'})" for lib in drv.libcuda] or "none",
        "driver report": _fact(report) if isinstance(report, Unavailable)
        else f"{report.source}: driver {report.driver_version}, CUDA {report.cuda_driver_version}, "
        + (", ".join(f"GPU {d.index} {d.name} cc {d.compute_capability}" for d in report.devices) or "no GPU"),
        "container": _fact(snapshot.container.in_container) if isinstance(snapshot.container.in_container, Unavailable)
        else (f"yes ({snapshot.container.runtime or 'unknown runtime'})" if snapshot.container.in_container else "no"),
        "azure": _fact(snapshot.cloud.azure),
        "vm size": _fact(snapshot.cloud.vm_size),
        "azure ml": snapshot.cloud.azureml.kind or "no",
        "cuda toolkits": [f"{t.path} ({t.version or '?'})" for t in snapshot.cuda.toolkits] or "none",
        "cuda libraries found": len(snapshot.cuda.libraries),
        "environment": {k: v for k, v in snapshot.environment.items() if k != "PATH"} or "none of the variables that matter is set",
    }
    if isinstance(snapshot.pythons, list):
        for env in snapshot.pythons:
            for fw in env.frameworks:
                key = f"{fw.distribution} {fw.version} in {env.executable}"
                # Libraries the build needs first; optional ones it can run without (NCCL, TensorRT) only when found,
                # and the missing optional ones on one line, so that a NOT FOUND always means a needed library.
                shown = [
                    f"{r.wanted[0] if r.wanted else r.library}: {r.resolved or 'NOT FOUND'}" + (f" (via {r.via})" if r.via else "")
                    for r in fw.libraries if r.required or r.resolved
                ]
                absent = [r.wanted[0] if r.wanted else r.library for r in fw.libraries if not r.required and not r.resolved]
                if absent:
                    shown.append("optional, not installed (not needed to use the GPU): " + ", ".join(absent))
                gpu_build = fw.gpu_build if isinstance(fw.gpu_build, Unavailable) else ("yes" if fw.gpu_build else "no")
                summary[key] = shown or f"gpu build: {_fact(gpu_build)}"
    else:
        summary["python"] = _fact(snapshot.pythons)
    return summary


__all__ = ["Severity", "deep_subject", "diagnose", "facts_summary", "read_framework_log", "rediagnose_state", "run_rule_list", "run_rules"]
