"""What whygpu reads from a piece of log text, for the explain tests: the causes, the report, the facts."""

from __future__ import annotations

from whygpu.explain import explain_text, to_report
from whygpu.explain.logfacts import FactReader, LogFacts
from whygpu.model import Report


def report(text: str) -> Report:
    """The report ``whygpu explain`` gives for ``text``."""
    return to_report(explain_text(text))


def codes(text: str) -> list[str]:
    """The cause codes of that report, in rank order."""
    return [c.code for c in report(text).causes]


def facts(text: str) -> LogFacts:
    """The typed facts the log reader takes from ``text``."""
    reader = FactReader()
    reader.read_text("t", text)
    return reader.facts


def first_cause(text: str) -> str | None:
    """The first cause code of that report, or None when it names none."""
    ranked = codes(text)
    return ranked[0] if ranked else None


def finding_codes(text: str) -> set[str]:
    """The rule codes whose findings stand behind any of that report's causes."""
    return {finding for cause in report(text).causes for finding in cause.findings}
