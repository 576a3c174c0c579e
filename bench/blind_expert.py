"""Blind expert reading of corpus sets: what the pasted text alone lets an engineer name, beside whygpu's answer.

A sealed set is measured twice: by whygpu and by an engineer who knows the GPU stack but not whygpu, reading
each case blind (framework, platform and pasted text only; no labels, thread, source or resolution; the
cases shuffled and numbered). This script makes the blind folder and its key, prints the instructions the
reader gets, and turns the reader's answers into a ceiling study (``bench/explain_ceiling/*.jsonl``, scored
by ``bench/explain_ceiling.py``). The method, and how sealed sets are collected, is in docs/measuring-explain.md.

    python3 bench/blind_expert.py make OUT KEY SETDIR...     # OUT/NNN.txt for each case, KEY the number -> case map
    python3 bench/blind_expert.py prompt OUT                 # the reader's instructions for that folder
    python3 bench/blind_expert.py score GUESSES KEY STUDY    # STUDY: ceiling rows; prints the reader's figures

SETDIR is a corpus set folder (``tests/explain/corpus/<set>`` or a collector's copy of one); the set's
name is the folder's name. ``score`` finds each case by the key's folder path.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CAUSES = ROOT / "docs" / "causes.md"
KINDS = ("message", "answer", "words", "versions", "none")

PROMPT = """\
You are an engineer who knows the NVIDIA GPU software stack well (drivers, CUDA, cuDNN, PyTorch, TensorFlow, JAX,
containers, WSL2, clusters). You will diagnose real pasted reports BLIND, the way a maintainer reads a user's paste.

Read {causes} first: the cause codes you must use. Apart from the case files in {folder}, do not read the
project's code, tests, docs or corpus, do not run any project code, and do not use search, fetch or web tools:
the point is what the pasted text alone lets an expert name.

The cases are the files {folder}/NNN.txt (framework, platform, then the pasted text). Some are runs where the GPU
was in fact used and the report is about something else, or the alarming lines are benign. For EACH file, decide
and append one JSON line to {folder}/guesses.jsonl:
{{"blind_number": "NNN", "gpu_used": "yes|no|unknown", "top3": ["CODE", ...], "decidable": "yes|partly|no",
 "evidence": "the short quote or fact that decided it", "evidence_kind": "message|answer|words|versions|none",
 "resolution_in_text": true|false}}
- top3: the root cause codes, likeliest first, up to three; [] when you judge the GPU was used (a negative) or
  there is nothing to go on.
- evidence_kind: message = a program's error or warning line; answer = a framework's printed answer
  (is_available False, a device list); words = the writer's prose; versions = versions compared with
  compatibility facts; none.
- resolution_in_text: true when the paste itself already says what fixed it.
There are {count} files; about 20-40 seconds per case. Write the file as you go (one valid JSON line per case).
"""


def _cases(folder: Path) -> list[dict[str, object]]:
    return [json.loads(f.read_text(encoding="utf-8")) for f in sorted(folder.glob("*.json"))]


def make(out: Path, key: Path, sets: list[Path], seed: str | None = None) -> int:
    """Write one blind text per case of ``sets`` into ``out`` (shuffled, numbered 001...) and the key; return the count."""
    cases = [(folder, case) for folder in sets for case in _cases(folder)]
    random.Random(seed if seed is not None else str(out)).shuffle(cases)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for number, (folder, case) in enumerate(cases, 1):
        blind = f"{number:03d}"
        text = f"framework: {case['framework']}\nplatform: {case['platform']}\n--- pasted text ---\n{case['log']}\n"
        (out / f"{blind}.txt").write_text(text, encoding="utf-8")
        rows.append({"blind_number": blind, "set": folder.name, "folder": str(folder.resolve()), "id": case["id"]})
    key.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return len(rows)


def known_codes() -> set[str]:
    """The cause codes of docs/causes.md (the reader must use them)."""
    return set(re.findall(r"`([A-Z][A-Z0-9_]{2,})`", CAUSES.read_text(encoding="utf-8")))


def score(guesses: Path, key: Path, study: Path) -> dict[str, int]:
    """Merge the reader's answers with the key into ceiling rows written to ``study``; return the reader's tally.

    A case without an answer, an answer for no case, or a code outside docs/causes.md is counted and named on
    stderr, never silently dropped or scored as right."""
    answers: dict[str, dict[str, object]] = {}
    for line in guesses.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            answers[str(row["blind_number"])] = row
    codes = known_codes()
    tally = dict.fromkeys(("positives", "first", "three", "negatives", "clean", "unanswered", "unknown codes"), 0)
    rows = []
    for entry in (json.loads(line) for line in key.read_text(encoding="utf-8").splitlines() if line.strip()):
        answer = answers.pop(str(entry["blind_number"]), None)
        if answer is None:
            tally["unanswered"] += 1
            print(f"no answer for {entry['blind_number']} ({entry['set']}/{entry['id']})", file=sys.stderr)
            continue
        case = json.loads((Path(str(entry["folder"])) / f"{entry['id']}.json").read_text(encoding="utf-8"))
        top3 = [str(code) for code in answer.get("top3") or []][:3]  # type: ignore[attr-defined]
        strange = [code for code in top3 if code not in codes]
        if strange:
            tally["unknown codes"] += 1
            print(f"{entry['blind_number']}: not a cause code: {', '.join(strange)}", file=sys.stderr)
        kind = str(answer.get("evidence_kind", "none"))
        rows.append({
            "id": entry["id"], "set": entry["set"], "blind_number": entry["blind_number"],
            "gpu_used": answer.get("gpu_used", "unknown"), "top3": top3, "decidable": answer.get("decidable", "no"),
            "evidence": answer.get("evidence", ""), "evidence_kind": kind if kind in KINDS else "none",
            "resolution_in_text": bool(answer.get("resolution_in_text", False)),
        })
        if case.get("kind") == "negative":
            tally["negatives"] += 1
            tally["clean"] += not top3
        else:
            expected = str(case["causes"][0])
            tally["positives"] += 1
            tally["first"] += bool(top3) and top3[0] == expected
            tally["three"] += expected in top3
    for blind in answers:
        print(f"answer {blind} matches no case of the key", file=sys.stderr)
    study.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return tally


def main(argv: list[str] | None = None) -> int:
    """The three steps: make, prompt, score."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="step", required=True)
    p_make = sub.add_parser("make")
    p_make.add_argument("out", type=Path)
    p_make.add_argument("key", type=Path)
    p_make.add_argument("sets", type=Path, nargs="+")
    p_prompt = sub.add_parser("prompt")
    p_prompt.add_argument("out", type=Path)
    p_score = sub.add_parser("score")
    p_score.add_argument("guesses", type=Path)
    p_score.add_argument("key", type=Path)
    p_score.add_argument("study", type=Path)
    args = parser.parse_args(argv)
    if args.step == "make":
        print(f"{make(args.out, args.key, args.sets)} cases in {args.out}; key {args.key} (keep it from the reader)")
    elif args.step == "prompt":
        count = len(list(args.out.glob("*.txt")))
        print(PROMPT.format(causes=CAUSES, folder=args.out, count=count))
    else:
        t = score(args.guesses, args.key, args.study)
        print(
            f"reader: first {t['first']}/{t['positives']}, in three {t['three']}/{t['positives']}, "
            f"negatives clean {t['clean']}/{t['negatives']}; unanswered {t['unanswered']}, answers with unknown codes {t['unknown codes']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
