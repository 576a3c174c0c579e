"""acctwins (session 39): every rule that runs must be in FACT_RULES, from which ``explain.rules.decisions`` reads the
declarations and the registry (``RULES``: `whygpu rule`, docs/rules.md) reads the rules; a rule appended to SPECIFIC_RULES
after FACT_RULES is built (a copy of the list) would still run (``judge.judge`` runs SPECIFIC_RULES) but without what it
decides and unknown to `whygpu rule` (accjax39's rules were, until the lead moved them)."""

from __future__ import annotations

from whygpu.explain import rules
from whygpu.model import Severity
from whygpu.rules.interface import Decides, RuleDoc, rule


def test_every_rule_that_runs_is_built_into_fact_rules_and_the_registry() -> None:
    assert rules.late_rules() == []
    declared = {r.code for r in rules.SPECIFIC_RULES if r.decides is not None}
    assert declared <= set(rules.decisions())
    registered = {r.code for r in rules.RULES}
    assert {r.code for r in rules.SPECIFIC_RULES} <= registered


def test_a_rule_appended_after_fact_rules_is_caught() -> None:
    @rule("LOG814", "test-late-decider", "FRAMEWORK_INSTALL_BROKEN", Severity.INFO,
          RuleDoc(what="w", why="w", example="e", fix="f", limits="l", references=()),
          decides=Decides(over="generic", cause="any", by="scope"))
    def late(subject):  # type: ignore[no-untyped-def]
        return iter(())

    rules.SPECIFIC_RULES.append(late)
    try:
        assert rules.late_rules() == ["LOG814"]
    finally:
        rules.SPECIFIC_RULES.remove(late)
    assert rules.late_rules() == []


def test_a_rule_without_decides_appended_late_is_caught_too() -> None:
    @rule("LOG814", "test-late-plain", "FRAMEWORK_INSTALL_BROKEN", Severity.INFO,
          RuleDoc(what="w", why="w", example="e", fix="f", limits="l", references=()))
    def plain(subject):  # type: ignore[no-untyped-def]
        return iter(())

    rules.SPECIFIC_RULES.append(plain)
    try:
        assert rules.late_rules() == ["LOG814"]  # it would run, but `whygpu rule LOG814` would not know it
    finally:
        rules.SPECIFIC_RULES.remove(plain)
