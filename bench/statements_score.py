"""Scores the reader of the users' own words (``explain.logfacts``) on the statements corpus.

Each sentence of ``tests/explain/statements/sentences.jsonl`` is read as a one-line log by
``FactReader``; what it reads is ``cpu_build`` when it records ``stated_cpu_build``, else ``unused``
when it records ``stated_unused``, else ``none``. Prints precision and recall per label and split,
and for "positive" (``unused`` or ``cpu_build``, either read as either: both say the GPU is not
used), then the misses of ``dev`` (false alarms first). ``held`` misses are not printed: that split
is for reporting, not for study.

    python3 bench/statements_score.py [--split dev|held|all] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "explain" / "statements" / "sentences.jsonl"
LABELS = ("unused", "cpu_build")


@dataclass(frozen=True)
class Sentence:
    """One labelled sentence of the corpus."""

    text: str
    label: str
    source: str
    lang: str
    split: str


def load(path: Path = CORPUS) -> list[Sentence]:
    """The sentences of the corpus file."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.append(Sentence(row["text"], row["label"], row["source"], row["lang"], row["split"]))
    return out


def read(text: str) -> str:
    """What the reader takes ``text`` (one line) to say: ``cpu_build``, ``unused`` or ``none``."""
    from whygpu.explain.logfacts import FactReader

    reader = FactReader()
    reader.read_text("<sentence>", text)
    if reader.facts.stated_cpu_build:
        return "cpu_build"
    if reader.facts.stated_unused:
        return "unused"
    return "none"


def _ratio(num: int, den: int) -> str:
    return f"{num}/{den} ({100 * num / den:.0f}%)" if den else "0/0 (-)"


def main(argv: list[str] | None = None) -> int:
    """Score the corpus and print the table (and the dev misses)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("dev", "held", "all"), default="all")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    sentences = load(args.corpus)
    splits = ("dev", "held") if args.split == "all" else (args.split,)
    report: dict[str, object] = {}
    for split in splits:
        part = [s for s in sentences if s.split == split]
        got = [read(s.text) for s in part]
        table = {}
        for name in (*LABELS, "positive"):
            members = set(LABELS) if name == "positive" else {name}
            tp = sum(1 for s, g in zip(part, got, strict=True) if g in members and s.label in members)
            predicted = sum(1 for g in got if g in members)
            actual = sum(1 for s in part if s.label in members)
            table[name] = {"tp": tp, "read": predicted, "labelled": actual}
        false_alarms = [(s, g) for s, g in zip(part, got, strict=True) if s.label == "none" and g != "none"]
        missed = [(s, g) for s, g in zip(part, got, strict=True) if s.label != "none" and g == "none"]
        table["none_clean"] = {"clean": sum(1 for s, g in zip(part, got, strict=True) if s.label == "none" and g == "none"),
                               "of": sum(1 for s in part if s.label == "none")}
        report[split] = table
        if args.json:
            continue
        print(f"== {split}: {len(part)} sentences")
        for name in (*LABELS, "positive"):
            row = table[name]
            print(f"  {name:9s} precision {_ratio(row['tp'], row['read']):16s} recall {_ratio(row['tp'], row['labelled'])}")
        print(f"  none      read as none {_ratio(table['none_clean']['clean'], table['none_clean']['of'])}")
        if split == "dev":
            print(f"  -- false alarms ({len(false_alarms)}): none read as positive")
            for s, g in false_alarms:
                print(f"     [{g}] {s.text}  <{s.source}>")
            print(f"  -- missed ({len(missed)}): positive read as none")
            for s, _ in missed:
                print(f"     [{s.label}/{s.lang}] {s.text}")
            wrong = [(s, g) for s, g in zip(part, got, strict=True) if s.label != "none" and g not in ("none", s.label)]
            print(f"  -- other label ({len(wrong)})")
            for s, g in wrong:
                print(f"     [{s.label} read {g}] {s.text}")
    if args.json:
        print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
