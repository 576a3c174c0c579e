"""Preflight (``doctor --target``): the environment's snapshot judged as if it ran on the target compute.

The doctor rules that judge the environment run unchanged; those that judge the inspecting
machine (its GPU, driver, NVML, container pass-through) are left out, since a CI machine without
a GPU is expected; the TGT rules judge the target. ``gpu_usable`` refers to the target.
"""

from __future__ import annotations

from typing import Any

from whygpu.diagnose import facts_summary
from whygpu.knowledge.target import Target
from whygpu.model import Finding, Report, Severity, Verdict, rank_causes
from whygpu.rules.interface import Rule
from whygpu.rules.runner import run_rule_list
from whygpu.snapshot import Snapshot

_PRETTY = {"tensorflow": "TensorFlow", "torch": "PyTorch", "jax": "JAX"}


def _run(rules: list[Rule[Any]], subject: Any, findings: list[Finding], unknown: list[str]) -> None:
    found, not_judged = run_rule_list(rules, subject)
    findings += found
    unknown += not_judged


def diagnose_on_target(snapshot: Snapshot, target: Target, *, subject_kind: str = "machine") -> Report:
    """The doctor report for ``snapshot`` as if it ran on ``target``."""
    from whygpu.rules.registry import RULES
    from whygpu.rules.target import MACHINE_RULES, Preflight, is_rocm_build
    from whygpu.rules.target import RULES as TARGET_RULES

    findings: list[Finding] = []
    unknown: list[str] = []
    _run([r for r in RULES if r.code not in MACHINE_RULES], snapshot, findings, unknown)
    if target.has_gpu and target.vendor == "amd":
        # A ROCm build has no CUDA, so FW001 calls it a CPU build; on an AMD target it is the right build.
        rocm = {fw.name for _env, fw in snapshot.frameworks() if is_rocm_build(fw)}
        findings = [f for f in findings if not (f.id == "FW001" and f.scope in rocm)]
    _run(list(TARGET_RULES), Preflight(snapshot, target), findings, unknown)
    if snapshot.deep:
        unknown.append("DEEP: the --deep probes ran on the inspecting machine; they are not judged for the target")
    findings.sort(key=lambda f: (f.severity.weight, f.id))
    causes = rank_causes(findings)
    gpu_usable, summary, per_framework = _summarise(snapshot, target, findings, causes)
    subject: dict[str, Any] = {"source": snapshot.source.mode, "root": snapshot.source.root, "target": target.to_json()}
    if snapshot.source.hostname:
        subject["hostname"] = snapshot.source.hostname
    details = {
        "target": target.to_json(),
        "environment (inspected here)": facts_summary(snapshot),
        "frameworks": per_framework,
        "unknown": unknown,
        "not judged for the target": "this machine's GPU, driver, NVML and container pass-through (rules "
        + ", ".join(sorted(MACHINE_RULES)) + ")",
    }
    used = {f.id for f in findings}
    rules = [rule.info() for rule in [*RULES, *TARGET_RULES] if rule.code in used]
    return Report(subject_kind=subject_kind, verdict=Verdict(gpu_usable, summary), causes=causes,
                  findings=findings, subject=subject, details=details, rules=rules)


def _summarise(snapshot: Snapshot, target: Target, findings: list[Finding], causes: list[Any]) -> tuple[bool | None, str, dict[str, Any]]:
    """``(gpu_usable, summary, per_framework)`` for the target."""
    on = f"On {target.describe()}"
    errors = [f for f in findings if f.severity is Severity.ERROR]
    per_framework: dict[str, Any] = {}
    usable_names: list[str] = []
    for env, fw in snapshot.frameworks():
        blockers = sorted({f.cause for f in errors if f.scope in ("", fw.name)})
        libs_ok = all(r.resolved for r in fw.libraries if r.required)
        usable: bool | None
        if blockers:
            usable = False
        elif fw.gpu_build is True and libs_ok and target.cuda_capable:
            usable = True
        else:
            usable = None
        per_framework[f"{fw.distribution} {fw.version} ({env.executable})"] = {
            "gpu_usable_on_target": usable, "blocked_by": blockers, "cuda": fw.cuda_version,
        }
        if usable:
            usable_names.append(f"{_PRETTY[fw.name]} {fw.version}")
    if errors:
        lead = causes[0].title if causes else errors[0].title
        more = len(causes) - 1
        text = f"{on}: the GPU would not be usable: {lead}."
        if more > 0:
            text += f" {more} more blocker{'s' if more > 1 else ''} below."
        return False, text, per_framework
    if usable_names:
        return True, f"{on}: {' and '.join(usable_names)} would use the GPU.", per_framework
    if not snapshot.frameworks():
        return None, f"{on}: no TensorFlow, PyTorch or JAX is installed in the inspected environment.", per_framework
    return None, f"{on}: no blocker found, but no framework build could be confirmed to use the GPU.", per_framework
