"""An optional add-on's failure on a run that used the GPU is no cause of the run (accprec, session 31).

xFormers, bitsandbytes, Triton, FlashAttention, Apex and TensorRT are add-ons a program imports for speed or memory; when one
fails to load, the program goes on without it (knowledge/optional_addons.toml: each row's effect, from the add-on's source).
A finding read only from such lines says the add-on is unavailable; with evidence that the run used the GPU it loses the lead
and stays as an "also noticed" note that leaves the verdict alone. Without that evidence the finding keeps its place, ranked
below findings the log gives from the framework's own lines (the add-on's own threads, where its line is the confirmed cause:
5 labelled positives, see the table's header).
"""

from __future__ import annotations

import dataclasses

from whygpu import lazyre as re
from whygpu.explain.logfacts import LogFacts
from whygpu.knowledge.addons import Addon, addon_failure
from whygpu.model import Confidence, Finding, Severity

_EVIDENCE = re.compile(r"^.*?:\d+: ")


def _addon_of(finding: Finding) -> Addon | None:
    """The add-on whose failure lines are the finding's whole evidence, or None (evidence of anything else, or none)."""
    found: Addon | None = None
    for line in finding.evidence:
        addon = addon_failure(_EVIDENCE.sub("", line, count=1))
        if addon is None:
            return None
        found = found or addon
    return found


def run_used_gpu(facts: LogFacts, positive_lines: int) -> bool:
    """Whether the log shows the run on the GPU: a line of GPU use the scan counted, a framework's answer that lists the GPU,
    or a program's line placing the run's work on a CUDA device."""
    return positive_lines > 0 or bool(facts.gpu_seen()) or bool(facts.run_on_cuda)


def addon_findings_placed(findings: list[Finding], facts: LogFacts, positive_lines: int) -> list[Finding]:
    """``findings`` with those read only from an optional add-on's failure moved: to an "also noticed" note (INFO, not
    blocking the GPU) where the run used the GPU, else after every finding the log gives from other lines."""
    addon_of = {id(f): _addon_of(f) for f in findings if f.severity is not Severity.INFO}
    if not any(addon_of.values()):
        return findings
    if run_used_gpu(facts, positive_lines):
        out = []
        for f in findings:
            addon = addon_of.get(id(f))
            if addon is None:
                out.append(f)
                continue
            out.append(dataclasses.replace(
                f, severity=Severity.INFO, confidence=Confidence.LOW, blocks_gpu=False,
                title=f"Also noticed: {addon.name} did not load ({addon.effect}); the run used the GPU without it",
                extra={**f.extra, "optional_addon": addon.name, "addon_source": addon.source}))
        return out
    return [f for f in findings if addon_of.get(id(f)) is None] + [f for f in findings if addon_of.get(id(f)) is not None]
