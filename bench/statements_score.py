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
    # accwords3 (session 21): the statement's type, for the readers of explain/reported.py and the stated fixes
    # ("no_faster", "no_nvidia", "accelerator", "old_os", "fix"), or "" when it states none of them.
    type: str = ""


def load(path: Path = CORPUS) -> list[Sentence]:
    """The sentences of the corpus file."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.append(Sentence(row["text"], row["label"], row["source"], row["lang"], row["split"], row.get("type", "")))
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


TYPES = ("no_faster", "no_nvidia", "accelerator", "old_os", "fix")


def read_types(text: str) -> set[str]:
    """The statement types the reader records for ``text`` (one line): accwords3's types, read from the same facts explain uses."""
    from whygpu.explain.logfacts import FactReader

    reader = FactReader()
    reader.read_text("<sentence>", text)
    facts = reader.facts
    found = {
        "no_faster": bool(facts.stated_no_faster),
        "no_nvidia": bool(facts.cpu_machine),
        "accelerator": any(s.value == "other" for s in facts.gpu_vendor),
        "old_os": bool(facts.os_last_driver),
        "fix": bool(facts.stated_remedy),
    }
    return {name for name, yes in found.items() if yes}


def _types_table(part: list[Sentence]) -> dict[str, dict[str, int]]:
    """Per type: sentences read as it that are labelled it, read as it, labelled it; and sentences of no type read as none."""
    got = [read_types(s.text) for s in part]
    table = {}
    for name in TYPES:
        table[name] = {"tp": sum(1 for s, g in zip(part, got, strict=True) if name in g and s.type == name),
                       "read": sum(1 for g in got if name in g),
                       "labelled": sum(1 for s in part if s.type == name)}
    table["no_type_clean"] = {"clean": sum(1 for s, g in zip(part, got, strict=True) if not s.type and not g),
                              "of": sum(1 for s in part if not s.type)}
    table["_false"] = {f"{s.text}": 0 for s, g in zip(part, got, strict=True) if g and s.type not in g}  # type: ignore[dict-item]
    return table


def _ratio(num: int, den: int) -> str:
    return f"{num}/{den} ({100 * num / den:.0f}%)" if den else "0/0 (-)"


def main(argv: list[str] | None = None) -> int:
    """Score the corpus and print the table (and the dev misses)."""
    sys.path.insert(0, str(ROOT / "src"))  # this tree's whygpu, not the installed one (a worktree measures itself)
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
        types = _types_table(part)
        false_types = list(types.pop("_false"))
        table["types"] = types  # type: ignore[assignment]
        if args.json:
            continue
        print(f"== {split}: {len(part)} sentences")
        for name in (*LABELS, "positive"):
            row = table[name]
            print(f"  {name:9s} precision {_ratio(row['tp'], row['read']):16s} recall {_ratio(row['tp'], row['labelled'])}")
        print(f"  none      read as none {_ratio(table['none_clean']['clean'], table['none_clean']['of'])}")
        for name in TYPES:
            row = types[name]
            print(f"  type {name:11s} precision {_ratio(row['tp'], row['read']):16s} recall {_ratio(row['tp'], row['labelled'])}")
        print(f"  type none   read as no type {_ratio(types['no_type_clean']['clean'], types['no_type_clean']['of'])}")
        if split == "dev" and false_types:
            print(f"  -- type false alarms ({len(false_types)})")
            for text in false_types:
                print(f"     {text}")
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
