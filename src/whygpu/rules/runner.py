"""The one rule runner: any list of rules over any subject (a snapshot, a log's facts), outcomes split into findings and unknowns."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from whygpu.model import Finding
from whygpu.rules.interface import Rule, Unknown

S = TypeVar("S")


def run_rule_list(rules: Iterable[Rule[S]], subject: S) -> tuple[list[Finding], list[str]]:
    """Every rule's findings over ``subject``, and the checks that could not be judged (and why)."""
    findings: list[Finding] = []
    unknown: list[str] = []
    for rule in rules:
        for outcome in rule.run(subject):
            if isinstance(outcome, Unknown):
                unknown.append(f"{rule.code} {rule.slug}: {outcome.reason}")
            else:
                findings.append(outcome)
    return findings, unknown


__all__ = ["run_rule_list"]
