"""Scores ``whygpu explain`` on a corpus of real cases: hit@1, hit@3 and the negative clean rate.

A case is one JSON file in the format of ``shared/real-logs`` (``id``, ``source``, ``framework``,
``platform``, ``log``, ``causes`` with the confirmed primary cause first) plus ``"kind"``:
``"positive"`` (the GPU was not used, or was misused, for the confirmed cause) or ``"negative"``
(a run that used the GPU, or says nothing against it: no cause may be reported and ``gpu_usable``
must not be false).  A case file without ``kind`` is a positive when it lists causes.  A JSON file
holding a list (``tests/explain/cases.json``) contributes each of its entries.

    python3 bench/explain_corpus.py                        # tests/explain/corpus/dev and cases.json
    python3 bench/explain_corpus.py DIR_OR_FILE [...] [--json]

Prints, overall and per framework and per platform: positives with the primary cause first
(hit@1) and among the first three causes (hit@3), negatives clean; then the confusion list
(confirmed cause -> whygpu's first cause) of every miss.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = (ROOT / "tests" / "explain" / "corpus" / "dev", ROOT / "tests" / "explain" / "cases.json")


@dataclass
class Outcome:
    """How whygpu did on one case."""

    id: str
    kind: str
    framework: str
    platform: str
    expected: str | None
    got: list[str]
    gpu_usable: bool | None

    @property
    def hit1(self) -> bool:
        return self.kind == "positive" and bool(self.got) and self.got[0] == self.expected

    @property
    def hit3(self) -> bool:
        return self.kind == "positive" and self.expected in self.got[:3]

    @property
    def clean(self) -> bool:
        return self.kind == "negative" and not self.got and self.gpu_usable is not False


@dataclass
class Tally:
    """Counts for one slice of the corpus."""

    positives: int = 0
    hit1: int = 0
    hit3: int = 0
    negatives: int = 0
    clean: int = 0
    misses: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        if outcome.kind == "positive":
            self.positives += 1
            self.hit1 += outcome.hit1
            self.hit3 += outcome.hit3
        else:
            self.negatives += 1
            self.clean += outcome.clean

    def as_dict(self) -> dict[str, Any]:
        return {
            "positives": self.positives,
            "hit@1": self.hit1,
            "hit@3": self.hit3,
            "negatives": self.negatives,
            "clean": self.clean,
            "hit@1_rate": _rate(self.hit1, self.positives),
            "hit@3_rate": _rate(self.hit3, self.positives),
            "clean_rate": _rate(self.clean, self.negatives),
        }


def _rate(n: int, total: int) -> float | None:
    return round(n / total, 4) if total else None


def load_cases(paths: list[Path]) -> list[dict[str, Any]]:
    """Every case in the given folders and files (a folder's ``*.json``, a file's object or list)."""
    cases: list[dict[str, Any]] = []
    for path in paths:
        files = sorted(path.glob("*.json")) if path.is_dir() else [path] if path.is_file() else []
        for file in files:
            data = json.loads(file.read_text(encoding="utf-8"))
            for case in data if isinstance(data, list) else [data]:
                if isinstance(case, dict) and "log" in case:
                    cases.append(case)
    return cases


def _kind(case: dict[str, Any]) -> str:
    kind = case.get("kind")
    if kind in ("positive", "negative"):
        return str(kind)
    return "positive" if case.get("causes") else "negative"


def score_case(case: dict[str, Any]) -> Outcome:
    """Explain one case's log and record what came first."""
    from whygpu.explain import explain_text, to_report

    report = to_report(explain_text(case["log"], source=str(case.get("id", "case"))))
    kind = _kind(case)
    causes = case.get("causes") or []
    return Outcome(
        id=str(case.get("id", "?")),
        kind=kind,
        framework=str(case.get("framework", "unknown")),
        platform=str(case.get("platform", "unknown")),
        expected=str(causes[0]) if kind == "positive" and causes else None,
        got=[c.code for c in report.causes],
        gpu_usable=report.verdict.gpu_usable,
    )


def score(cases: list[dict[str, Any]]) -> dict[str, Any]:
    """The tallies overall, per framework and per platform, and the misses."""
    overall = Tally()
    by_framework: dict[str, Tally] = defaultdict(Tally)
    by_platform: dict[str, Tally] = defaultdict(Tally)
    misses: list[Outcome] = []
    for case in cases:
        outcome = score_case(case)
        for tally in (overall, by_framework[outcome.framework], by_platform[outcome.platform]):
            tally.add(outcome)
        if (outcome.kind == "positive" and not outcome.hit1) or (outcome.kind == "negative" and not outcome.clean):
            misses.append(outcome)
    return {
        "overall": overall.as_dict(),
        "framework": {k: v.as_dict() for k, v in sorted(by_framework.items())},
        "platform": {k: v.as_dict() for k, v in sorted(by_platform.items())},
        "misses": [
            {"id": m.id, "kind": m.kind, "expected": m.expected, "got": m.got[:3], "gpu_usable": m.gpu_usable}
            for m in misses
        ],
    }


def _line(name: str, t: dict[str, Any]) -> str:
    def pct(n: int, total: int) -> str:
        return f"{n}/{total} ({n / total:.0%})" if total else "-"

    return (f"  {name:<12} hit@1 {pct(t['hit@1'], t['positives']):<14} hit@3 {pct(t['hit@3'], t['positives']):<14} "
            f"negatives clean {pct(t['clean'], t['negatives'])}")


def render(result: dict[str, Any]) -> str:
    """The figures as a few lines of text."""
    out = ["overall", _line("all", result["overall"]), "per framework"]
    out += [_line(k, v) for k, v in result["framework"].items()]
    out.append("per platform")
    out += [_line(k, v) for k, v in result["platform"].items()]
    out.append("confusion (misses: confirmed -> first three causes given)")
    for m in result["misses"]:
        expected = m["expected"] or "(nothing: negative)"
        out.append(f"  {m['id']}: {expected} -> {', '.join(m['got']) or '(none)'}"
                   + (f"  gpu_usable={m['gpu_usable']}" if m["kind"] == "negative" else ""))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Score the corpus in the given folders/files (default: the dev corpus and cases.json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    cases = load_cases(args.paths or list(DEFAULT))
    if not cases:
        print("no cases found", file=sys.stderr)
        return 2
    result = score(cases)
    print(json.dumps(result, indent=1) if args.json else render(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
