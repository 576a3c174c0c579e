"""Turns an explain result into the common ``Report`` (subject "logs") that every renderer prints."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from whygpu.model import (
    Cause,
    Confidence,
    Finding,
    Location,
    Report,
    RuleInfo,
    Verdict,
    rank_causes,
)

if TYPE_CHECKING:
    from whygpu.explain import ExplainResult


def _summary(result: ExplainResult, first_title: str | None) -> str:
    if result.gpu_used is True:
        if first_title:
            return f"The GPU was used, but the logs show a problem: {first_title}"
        return "The GPU was used; nothing in the logs points to a problem."
    if result.gpu_used is False:
        return f"The GPU was not used: {first_title}" if first_title else "The GPU was not used."
    if first_title:
        return f"The logs do not show whether the GPU was used; they point to: {first_title}"
    return "The logs say nothing about the GPU either way."


def build_report(result: ExplainResult) -> Report:
    """The report: verdict, causes ranked most likely first, findings, and with -v the details."""
    findings = [_located(f, result.places) for f in result.findings]
    causes = _against_facts(rank_causes(findings, by_likelihood=True), result.ranked_lower)
    summary = _summary(result, causes[0].title if causes else None)
    details: dict[str, Any] = {"sources": list(result.sources)}
    if result.positive_evidence:
        details["gpu_used_evidence"] = list(result.positive_evidence)
    if result.benign:
        details["harmless_lines"] = list(result.benign)
    details.update(result.details)
    notes = list(result.notes)
    return Report(
        subject_kind="logs",
        verdict=Verdict(gpu_usable=result.gpu_used, summary=summary),
        causes=causes,
        findings=findings,
        subject={"paths": list(result.sources)},
        details=details,
        notes=notes,
        rules=_rules_used(findings),
    )


def _against_facts(causes: list[Cause], lower: dict[str, tuple[str, str]]) -> list[Cause]:
    """accrank2: the ranked causes with those a fact of the log demotes after every other, and those it rules out
    last (``knowledge.ruleouts.order_by_effect``), each saying what moved it.

    A cause given with high confidence keeps its place: a framework's own statement (``Torch not compiled with
    CUDA enabled``) contradicted by another line means two environments, not a ruled-out cause.  A cause offered
    only as an alternative that comes first this way is titled by its meaning, not "Possible instead".
    """
    from whygpu.explain import EXPLAINED
    from whygpu.knowledge.causes import cause_meaning
    from whygpu.knowledge.ruleouts import DEMOTES, order_by_effect

    movable = {c.code: lower[c.code] for c in causes
               if c.code in lower and (c.confidence is not Confidence.HIGH or lower[c.code][0] == EXPLAINED)}
    if not movable:
        return causes
    order = order_by_effect([c.code for c in causes],
                            {code: DEMOTES if effect == EXPLAINED else effect for code, (effect, _) in movable.items()})
    by_code = {c.code: c for c in causes}
    out = []
    for rank, code in enumerate(order, start=1):
        cause = by_code[code]
        title = cause.title
        if rank == 1 and code != causes[0].code and title.startswith("Possible instead: "):
            meaning = cause_meaning(code)
            title = meaning[:1].upper() + meaning[1:]
        # Said where the cause moved down (one ruled out with nothing to rank above it stays where it was).
        lowered = code in movable and rank > cause.rank
        out.append(replace(cause, rank=rank, title=title, ranked_lower=movable[code][1] if lowered else ""))
    return out


def _located(finding: Finding, places: dict[str, str]) -> Finding:
    """The finding at the file and line of its first evidence line cited from a file (``name:N: text``)."""
    if finding.location is not None or not places:
        return finding
    for line in finding.evidence:
        for name, path in places.items():
            if not line.startswith(name + ":"):
                continue
            number = line[len(name) + 1 :].split(":", 1)[0]
            if number.isdigit() and int(number) >= 1:
                return replace(finding, location=Location(file=path, line=int(number)))
    return finding


def _rules_used(findings: list[Finding]) -> list[RuleInfo]:
    """What the report carries about the rules behind its findings (SARIF's rule list): log rules, and the doctor's judged on the log's facts."""
    wanted = {f.id for f in findings}
    if not wanted:
        return []
    from whygpu.explain.rules import FACT_RULES, signature_rules

    rules: list[Any] = [*FACT_RULES, *signature_rules()]
    if any(not code.startswith("LOG") for code in wanted):
        from whygpu.rules.registry import RULES

        rules += RULES
    return [rule.info() for rule in rules if rule.code in wanted]
