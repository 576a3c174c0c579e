"""Every registered lint rule: unique stable code, full docs, a firing example and a clean example."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lint_cases import CASES, write

from whygpu.knowledge.causes import is_cause_code
from whygpu.lint.engine import lint
from whygpu.lint.policy import LintConfig
from whygpu.lint.registry import REMOVED, RULES
from whygpu.model import Finding, Location, Report
from whygpu.rules.catalogue import describe, find_rule

CODES = [r.code for r in RULES]
CONFIG = LintConfig(azureml_schema=False)


def _loc(finding: Finding) -> Location:
    """The finding's file location; every lint finding has one."""
    assert finding.location is not None, finding.id
    return finding.location



def _lint(root: Path) -> Report:
    return lint(["."], config=CONFIG, cwd=root)


def test_codes_are_unique_stable_and_never_reused() -> None:
    assert len(CODES) == len(set(CODES))
    assert not set(CODES) & set(REMOVED)
    for rule in RULES:
        assert re.fullmatch(r"(DF|DEP|AML|PY)\d{3}", rule.code), rule.code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.slug), rule.slug
        assert is_cause_code(rule.cause)
    assert len({r.slug for r in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=CODES)
def test_rule_has_full_documentation(rule: object) -> None:
    doc = rule.doc  # type: ignore[attr-defined]
    for field in ("what", "why", "example", "fix", "limits"):
        assert len(getattr(doc, field).strip()) > 10, f"{rule.code}: doc.{field} is missing"  # type: ignore[attr-defined]
    assert doc.references and all(ref.startswith("https://") for ref in doc.references)


def test_every_rule_has_a_bad_and_a_good_example() -> None:
    assert sorted(CASES) == sorted(CODES)
    for code, (bad, good) in CASES.items():
        assert bad and good, code


@pytest.mark.parametrize("code", CODES)
def test_bad_example_fires(code: str, tmp_path: Path) -> None:
    report = _lint(write(tmp_path, CASES[code][0]))
    fired = [f for f in report.findings if f.id == code]
    assert fired, f"{code} did not fire; got {[f.id for f in report.findings]}"
    for finding in fired:
        assert isinstance(_loc(finding).file, str) and _loc(finding).line >= 1 and _loc(finding).column >= 1
        assert re.match(rf"^{re.escape(_loc(finding).file)}:(\d+|cell \d+:\d+): ", finding.evidence[0]), finding.evidence
        assert finding.fix


@pytest.mark.parametrize("code", CODES)
def test_good_example_is_clean(code: str, tmp_path: Path) -> None:
    report = _lint(write(tmp_path, CASES[code][1]))
    assert code not in [f.id for f in report.findings], [f.title for f in report.findings if f.id == code]


@pytest.mark.parametrize("code", ["DF001", "DEP007", "AML003", "PY011"])
def test_whygpu_rule_prints_lint_docs(code: str, capsys: pytest.CaptureFixture[str]) -> None:
    from whygpu.cli import main

    found = find_rule(code)
    assert found is not None and found.code == code
    assert main(["rule", code]) == 0
    out = capsys.readouterr().out
    assert out == describe(found) + ("" if describe(found).endswith("\n") else "\n")
    assert "Why it matters:" in out and "Fix:" in out
    assert main(["rule", found.slug]) == 0
