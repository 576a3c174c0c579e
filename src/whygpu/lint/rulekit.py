"""Small helpers the lint rules share to build hits that carry a file, line and column."""

from __future__ import annotations

from collections.abc import Iterable

from whygpu.lint.interface import Location
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit


def hit(
    location: Location,
    title: str,
    *,
    fix: str,
    evidence: Iterable[str] = (),
    severity: Severity | None = None,
    confidence: Confidence = Confidence.HIGH,
) -> Hit:
    """A hit at ``location``: its ``path:line: text`` leads the evidence and its position is the finding's location."""
    lines = [location.evidence()]
    for line in evidence:
        if line and line not in lines:
            lines.append(line)
    where = f"{location.file}:{location.line}" if location.cell is None else f"{location.file}:cell {location.cell}"
    return Hit(
        title=title,
        evidence=tuple(lines),
        fix=fix,
        confidence=confidence,
        scope=where,
        severity=severity,
        location=location.finding_location(),
    )
