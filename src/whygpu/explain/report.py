"""Turns an explain result into the common ``Report`` (subject "logs") that every renderer prints."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from whygpu.model import Report, Verdict, rank_causes

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
    causes = rank_causes(result.findings, by_likelihood=True)
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
        findings=list(result.findings),
        subject={"paths": list(result.sources)},
        details=details,
        notes=notes,
    )
