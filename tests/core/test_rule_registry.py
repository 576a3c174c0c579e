"""The rule registry: unique codes, documentation in the fixed shape, and docs/rules.md in step with the code."""

from __future__ import annotations

import os
import re
from pathlib import Path

from whygpu.rules.catalogue import all_rules, describe, removed_codes
from whygpu.rules.docgen import render_rules_markdown
from whygpu.rules.registry import REMOVED_CODES, RULES

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_codes_and_slugs_are_unique_and_well_formed() -> None:
    rules = all_rules()
    codes = [r.code for r in rules]
    slugs = [r.slug for r in rules]
    assert len(codes) == len(set(codes))
    assert len(slugs) == len(set(slugs))
    for rule in rules:
        # Log signature rules keep their stable ids (LOG-TF-DSO-LOAD), and the monitor's findings theirs
        # (MON-NEVER-TOUCHED, from before they were registry rules); every other rule is LETTERS + 3 digits.
        assert re.fullmatch(r"[A-Z]+[0-9]{3}|(?:LOG|MON)-[A-Z0-9]+(?:-[A-Z0-9]+)*", rule.code), rule.code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.slug), rule.slug


def test_removed_codes_are_not_reused() -> None:
    assert not set(REMOVED_CODES) & {r.code for r in all_rules()}
    assert not set(removed_codes()) & {r.code for r in all_rules()}
    assert {"DF000", "DEP000", "AML000", "PY000"} <= set(removed_codes())


def test_every_family_shares_the_one_list_of_removed_codes() -> None:
    """No family keeps a list of its own: what a family names as removed is the catalogue's one dict."""
    import importlib

    from whygpu.rules.catalogue import FAMILIES

    for name in FAMILIES:
        module = importlib.import_module(name)
        for attribute in ("REMOVED_CODES", "REMOVED"):
            assert getattr(module, attribute, REMOVED_CODES) is REMOVED_CODES, f"{name}.{attribute}"


def test_every_rule_is_documented() -> None:
    for rule in all_rules():
        doc = rule.doc
        for part in (doc.what, doc.why, doc.example, doc.fix):
            assert part.strip(), f"{rule.code}: empty documentation field"
        text = describe(rule)
        assert rule.code in text and "Why it matters:" in text


def test_doctor_rules_are_all_in_the_catalogue() -> None:
    assert {r.code for r in RULES} <= {r.code for r in all_rules()}


def test_docs_rules_md_is_up_to_date() -> None:
    expected = render_rules_markdown()
    if os.environ.get("WHYGPU_UPDATE_GOLDEN") == "1":
        DOCS.write_text(expected, encoding="utf-8")
    assert DOCS.read_text(encoding="utf-8") == expected, "run: python -m whygpu.rules.docgen > docs/rules.md"



def test_a_rule_whose_lines_decide_the_cause_says_so_and_a_fixed_one_names_its_cause() -> None:
    from whygpu.knowledge.gpu_status import statuses
    from whygpu.render.sarif import _descriptor
    from whygpu.rules.catalogue import find_rule

    status_rule, fixed = find_rule("LOG-GPU-STATUS"), find_rule("LOG-PT-NOT-COMPILED")
    assert status_rule is not None and fixed is not None
    # The status table's causes, every one of them and nothing else: no placeholder cause is printed as the rule's.
    table = {s.cause for s in statuses() if s.cause}
    assert set(status_rule.doc.causes) == table and len(table) > 3
    head = describe(status_rule).splitlines()[1]
    assert head.startswith("cause: decided by each line: ") and all(cause in head for cause in table)
    assert _descriptor(status_rule.info())["properties"]["causes"] == list(status_rule.doc.causes)
    # A rule with one cause names it, in `whygpu rule`, docs/rules.md's shape and SARIF alike.
    assert fixed.doc.causes == ()
    assert describe(fixed).splitlines()[1].startswith(f"cause: {fixed.cause} ")
    assert _descriptor(fixed.info())["properties"]["cause"] == fixed.cause
