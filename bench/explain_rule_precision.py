"""Per-rule precision of ``whygpu explain`` over every labelled case: how often each rule's answer is the confirmed cause.

A rule that leads many wrong answers is a ranking problem, not a reading problem: its line is read, but the
cause it names first is not the one the case was confirmed to have. This runs explain over every labelled case
(``tests/explain/corpus/*/``, ``tests/explain/cases.json``, ``shared/real-logs``; sealed sets are never in
``tests/explain/corpus`` and are not read) and prints, for each rule (finding id):

- ``lead``: the cases where a finding of the rule gave the report's first cause: right (the confirmed primary
  cause), wrong (another), on a negative (a false alarm); and its precision as the lead, right / (right + wrong);
- ``fires``: every case where the rule gave a cause of its own (not an alternative it lists): that cause is the
  confirmed primary one, a confirmed secondary one, or another; and on how many negatives it fired.

    python3 bench/explain_rule_precision.py                  # the table, rules sorted by wrong leads
    python3 bench/explain_rule_precision.py --rule LOG104    # one rule's cases, with expected and given causes
    python3 bench/explain_rule_precision.py --grep REGEX     # the confirmed causes of every labelled log matching
                                                             # REGEX (a line's base rate), with case ids
    python3 bench/explain_rule_precision.py --json

``--grep`` is how a ranking decision is counted over all labelled cases: the confirmed primary cause of every
case whose log has the line, beside what whygpu names first for it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [*sorted((ROOT / "tests" / "explain" / "corpus").glob("*/")), ROOT / "tests" / "explain" / "cases.json",
           ROOT.parent.parent / "shared" / "real-logs", Path("/work/shared/real-logs")]


@dataclass
class Case:
    """One labelled case: where it is from, its kind and confirmed causes, and its log."""

    set: str
    id: str
    kind: str
    causes: list[str]
    log: str

    @property
    def expected(self) -> str | None:
        return self.causes[0] if self.kind == "positive" and self.causes else None


@dataclass
class RuleTally:
    """How one rule did over the labelled cases."""

    lead_right: list[str] = field(default_factory=list)
    lead_wrong: list[str] = field(default_factory=list)
    lead_negative: list[str] = field(default_factory=list)
    fire_primary: int = 0
    fire_secondary: int = 0
    fire_other: int = 0
    fire_negative: int = 0

    @property
    def lead_precision(self) -> float | None:
        n = len(self.lead_right) + len(self.lead_wrong)
        return round(len(self.lead_right) / n, 3) if n else None

    def as_dict(self) -> dict[str, Any]:
        return {"lead_right": len(self.lead_right), "lead_wrong": len(self.lead_wrong),
                "lead_negative": len(self.lead_negative), "lead_precision": self.lead_precision,
                "fire_primary": self.fire_primary, "fire_secondary": self.fire_secondary,
                "fire_other": self.fire_other, "fire_negative": self.fire_negative}


def labelled_cases() -> list[Case]:
    """Every labelled case (positives and negatives) of the open sets, cases.json and the real logs."""
    out: list[Case] = []
    seen: set[Path] = set()
    for source in SOURCES:
        if not source.exists() or source.resolve() in seen:
            continue
        seen.add(source.resolve())
        for path in [source] if source.is_file() else sorted(source.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            for case in data if isinstance(data, list) else [data]:
                if not (isinstance(case, dict) and isinstance(case.get("log"), str)):
                    continue
                causes = [str(c) for c in case.get("causes") or []]
                kind = case.get("kind") if case.get("kind") in ("positive", "negative") else ("positive" if causes else "negative")
                out.append(Case(source.name, str(case.get("id", path.stem)), str(kind), causes, case["log"]))
    return out


def explain(case: Case) -> dict[str, Any]:
    """The case's report as the JSON contract has it."""
    from whygpu.explain import explain_text, to_report

    report = to_report(explain_text(case.log, source=case.id))
    data: dict[str, Any] = json.loads(json.dumps(report.to_json(), default=str))
    return data


def tally(cases: list[Case]) -> tuple[dict[str, RuleTally], list[dict[str, Any]]]:
    """Each rule's tally, and each case's expected and given causes with the rules behind the first."""
    rules: dict[str, RuleTally] = defaultdict(RuleTally)
    rows: list[dict[str, Any]] = []
    for case in cases:
        report = explain(case)
        causes = report.get("causes") or []
        given = [c["code"] for c in causes]
        lead_rules = sorted(set(causes[0].get("findings") or [])) if causes else []
        name = f"{case.set}/{case.id}"
        for rule in lead_rules:
            if case.kind == "negative":
                rules[rule].lead_negative.append(name)
            elif given[0] == case.expected:
                rules[rule].lead_right.append(name)
            else:
                rules[rule].lead_wrong.append(name)
        fired: set[tuple[str, str]] = set()
        for finding in report.get("findings") or []:
            if (finding.get("extra") or {}).get("alternative_to"):
                continue
            key = (finding["id"], finding["cause"])
            if key in fired:
                continue
            fired.add(key)
            t = rules[finding["id"]]
            if case.kind == "negative":
                t.fire_negative += 1
            elif finding["cause"] == case.expected:
                t.fire_primary += 1
            elif finding["cause"] in case.causes:
                t.fire_secondary += 1
            else:
                t.fire_other += 1
        rows.append({"case": name, "kind": case.kind, "expected": case.expected, "given": given[:3], "lead_rules": lead_rules})
    return rules, rows


def grep(cases: list[Case], pattern: str) -> dict[str, Any]:
    """The confirmed primary causes of every labelled positive whose log matches ``pattern``, and what whygpu led with."""
    rx = re.compile(pattern, re.I | re.M)
    by_cause: dict[str, list[str]] = defaultdict(list)
    led: Counter[str] = Counter()
    negatives: list[str] = []
    for case in cases:
        if not rx.search(case.log):
            continue
        name = f"{case.set}/{case.id}"
        if case.kind == "negative":
            negatives.append(name)
            continue
        by_cause[str(case.expected)].append(name)
        given = [c["code"] for c in explain(case).get("causes") or []]
        led[f"{case.expected} <- {given[0] if given else '(none)'}"] += 1
    return {"pattern": pattern, "confirmed": {k: sorted(v) for k, v in sorted(by_cause.items(), key=lambda kv: -len(kv[1]))},
            "confirmed <- given first": dict(led.most_common()), "negatives": sorted(negatives)}


def render(rules: dict[str, RuleTally], minimum: int) -> str:
    """The table, rules with most wrong leads first."""
    head = f"{'rule':<34} {'lead ok':>7} {'wrong':>5} {'neg':>4} {'prec':>5} | {'fires: primary':>14} {'secondary':>9} {'other':>5} {'neg':>4}"
    out = [head, "-" * len(head)]
    for rule, t in sorted(rules.items(), key=lambda kv: (-len(kv[1].lead_wrong), -len(kv[1].lead_right), kv[0])):
        if len(t.lead_wrong) + len(t.lead_right) + len(t.lead_negative) < minimum:
            continue
        prec = "-" if t.lead_precision is None else f"{t.lead_precision:.2f}"
        out.append(f"{rule:<34} {len(t.lead_right):>7} {len(t.lead_wrong):>5} {len(t.lead_negative):>4} {prec:>5} | "
                   f"{t.fire_primary:>14} {t.fire_secondary:>9} {t.fire_other:>5} {t.fire_negative:>4}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Print the per-rule table, one rule's cases, or a line's base rate."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rule", help="list the cases this rule led, with expected and given causes")
    parser.add_argument("--grep", help="count the confirmed causes of every labelled log matching this regex")
    parser.add_argument("--min", type=int, default=2, help="leave out rules that led fewer cases (default 2)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    cases = labelled_cases()
    if args.grep:
        result = grep(cases, args.grep)
        print(json.dumps(result, indent=1))
        return 0
    rules, rows = tally(cases)
    if args.rule:
        chosen = [r for r in rows if args.rule in r["lead_rules"]]
        if args.json:
            print(json.dumps(chosen, indent=1))
        else:
            for r in sorted(chosen, key=lambda r: (r["given"][:1] == [r["expected"]], str(r["expected"]))):
                mark = "ok" if r["given"][:1] == [r["expected"]] else ("NEG" if r["kind"] == "negative" else "xx")
                print(f"{mark:<3} {r['case']}: {r['expected']} <- {', '.join(r['given'])}")
        return 0
    if args.json:
        print(json.dumps({rule: t.as_dict() for rule, t in sorted(rules.items())}, indent=1))
    else:
        pos = [r for r in rows if r["kind"] == "positive"]
        wrong = [r for r in pos if r["given"] and r["given"][0] != r["expected"]]
        print(f"{len(pos)} labelled positives, {len(rows) - len(pos)} negatives; {len(wrong)} positives name another cause first")
        print(render(rules, args.min))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
