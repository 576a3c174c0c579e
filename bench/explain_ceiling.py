"""Compares ``whygpu explain`` with an expert who read the same logs blind: what the log alone lets one name.

A ceiling study is a JSONL file (``bench/explain_ceiling/*.jsonl``): one row per case of a corpus set,
written by an engineer who saw only each case's framework, platform and log (not its labels, its
thread or whygpu's answer), with ``top3`` (cause codes, likeliest first; [] for "the GPU was used" or
"nothing to go on"), ``decidable`` (yes / partly / no) and ``evidence_kind`` (message / answer / words /
versions / none: what decided it). This script scores the expert's ``top3`` and whygpu's answer on the
same cases against the confirmed causes, and splits whygpu's misses by the expert's evidence kind.

    python3 bench/explain_ceiling.py bench/explain_ceiling/holdout13_14.jsonl [--misses]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from explain_corpus import score_case  # noqa: E402  (the corpus scorer, beside this script)


def _load(study: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in study.read_text(encoding="utf-8").splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    """Print the expert's and whygpu's hit@1 / hit@3 on the study's cases and where whygpu misses what the expert read."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("study", type=Path)
    parser.add_argument("--misses", action="store_true", help="list the cases the expert named and whygpu did not")
    args = parser.parse_args(argv)
    tally: Counter[str] = Counter()
    missed: list[str] = []
    for row in _load(args.study):
        case = json.loads((ROOT / "tests" / "explain" / "corpus" / str(row["set"]) / f"{row['id']}.json").read_text(encoding="utf-8"))
        outcome = score_case(case)
        guesses = [str(c) for c in row["top3"]]  # type: ignore[attr-defined]
        if outcome.kind != "positive":
            tally["negatives"] += 1
            tally["expert clean"] += not guesses
            tally["whygpu clean"] += outcome.clean
            continue
        expected = outcome.expected
        expert1 = bool(guesses) and guesses[0] == expected
        tally["positives"] += 1
        tally["expert hit@1"] += expert1
        tally["expert hit@3"] += expected in guesses[:3]
        tally["whygpu hit@1"] += outcome.hit1
        tally["whygpu hit@3"] += outcome.hit3
        kind = str(row["evidence_kind"])
        tally[f"by evidence {kind}: cases"] += 1
        tally[f"by evidence {kind}: expert first"] += expert1
        tally[f"by evidence {kind}: whygpu first"] += outcome.hit1
        if expert1 and not outcome.hit1:
            tally["expert first, whygpu not"] += 1
            tally["expert first, whygpu silent"] += not outcome.got
            missed.append(f"  {row['id']}: {expected} <- whygpu {outcome.got[:3] or '(none)'} | {kind}: {row['evidence']}")
        if outcome.hit1 and not expert1:
            tally["whygpu first, expert not"] += 1
    pos, neg = tally["positives"], tally["negatives"]
    print(f"{args.study.name}: {pos} positives, {neg} negatives")
    for who in ("expert", "whygpu"):
        print(f"  {who:7} hit@1 {tally[who + ' hit@1']}/{pos}  hit@3 {tally[who + ' hit@3']}/{pos}  negatives clean {tally[who + ' clean']}/{neg}")
    for key in ("expert first, whygpu not", "expert first, whygpu silent", "whygpu first, expert not"):
        print(f"  {key}: {tally[key]}")
    for key in sorted(k for k in tally if k.startswith("by evidence") and k.endswith(": cases")):
        kind = key.removeprefix("by evidence ").removesuffix(": cases")
        print(f"  evidence {kind:9} {tally[key]:3} cases: expert first {tally[f'by evidence {kind}: expert first']}, "
              f"whygpu first {tally[f'by evidence {kind}: whygpu first']}")
    if args.misses:
        print("expert first, whygpu not:")
        print("\n".join(missed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
