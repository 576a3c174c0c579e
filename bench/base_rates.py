"""Counts the base rates behind knowledge/priors.toml: the confirmed primary cause of every labelled case, per situation.

A ranking of causes that the log cannot decide is only as good as the counts behind it. This reads every
labelled case (``tests/explain/corpus/*/`` but the sealed sets, ``tests/explain/cases.json``,
``shared/real-logs``) and prints, for each situation, how often each cause was the confirmed primary one,
with the case ids:

- ``unused``: the cases ``LOG104`` ranks (the GPU shown unused, no line naming a cause), by the
  ``[[unused]]`` row of ``knowledge/priors.toml`` that ranked them (framework, platform, driver shown);
- ``cudnn-sublib``: the cases whose log shows a cuDNN sub-library failing to load (cuDNN 8's and 9's
  loaders) with no cuDNN shown present, the row ``knowledge.libraries`` leaves to the base rate.

    python3 bench/base_rates.py [--situation unused|cudnn-sublib] [--json]

The counts written beside the rows in ``knowledge/priors.toml`` were taken with it; after new labelled
cases arrive, run it and update the rows whose counts changed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# Sets under tests/explain/corpus still sealed (kept unread until a session opens them); none at present: sealed
# sets are collected in their own worktrees and land here only when opened.
SEALED: tuple[str, ...] = ()
SOURCES = [*sorted((ROOT / "tests" / "explain" / "corpus").glob("*/")), ROOT / "tests" / "explain" / "cases.json",
           ROOT.parent.parent / "shared" / "real-logs", Path("/work/shared/real-logs")]
# cuDNN 8's loader ("Could not load library libcudnn_ops_infer.so.8. Error: libcudnn_ops_infer.so.8: ...", Windows
# "Could not locate cudnn_ops_infer64_8.dll") and cuDNN 9's ("Unable to load any of {libcudnn_ops.so.9.1.0, ...}"),
# the sub-library itself failing (not a dependency the error names).
_SUBLIB = re.compile(
    r"Could not load library (?P<a>(?:lib)?cudnn_(?:ops|cnn|adv|graph|engines|heuristic)\w*\.so[.\d]*)\. Error: (?P=a):"
    r"|Could not (?:locate|load library) cudnn_(?:ops|cnn|adv|graph|engines|heuristic)\w*64_\d+\.dll"
    r"|Unable to load any of \{(?:lib)?cudnn_(?:ops|cnn|adv|graph|engines|heuristic)", re.I)


def labelled_cases() -> list[tuple[str, dict[str, Any]]]:
    """Every labelled case outside the sealed sets, with the name of the set it belongs to."""
    out: list[tuple[str, dict[str, Any]]] = []
    seen: set[Path] = set()
    for source in SOURCES:
        if not source.exists() or source.resolve() in seen or source.name in SEALED:
            continue
        seen.add(source.resolve())
        for path in [source] if source.is_file() else sorted(source.glob("*.json")):
            data = json.loads(path.read_text())
            for case in data if isinstance(data, list) else [data]:
                if isinstance(case, dict) and isinstance(case.get("log"), str) and case.get("kind", "positive") == "positive":
                    out.append((source.name, case))
    return out


def _unused_key(case: dict[str, Any]) -> str | None:
    """The [[unused]] row LOG104 ranked this case by, or None when LOG104 did not rank it first."""
    from whygpu.explain import explain_text
    from whygpu.explain.logfacts import FactReader
    from whygpu.explain.rules import _unused_platform
    from whygpu.knowledge.priors import unused_prior

    result = explain_text(case["log"], source=str(case.get("id", "case")))
    lead = [f for f in result.findings if f.alternative_to is None and f.blocks_gpu]
    if not lead or lead[0].id != "LOG104":
        return None
    reader = FactReader()
    reader.read_text("case", case["log"])
    facts = reader.facts
    by_framework = [fw for fw in facts.unused_by_framework() if fw != "any"]
    framework = "several" if len(by_framework) > 1 else (lead[0].scope or "any")
    shown = facts.versions.get(framework, [])
    row = unused_prior(framework, _unused_platform(facts), shown[0].value if shown else None, driver_shown=bool(facts.driver_version))
    extra = ",".join(f"{k}={row[k]}" for k in ("versions", "pip_gpu", "driver") if k in row)
    return f"[[unused]] framework={row['framework']} platform={row['platform']}" + (f" {extra}" if extra else "")


def _cudnn_sublib_key(case: dict[str, Any]) -> str | None:
    """The cuDNN sub-library situation, when the log shows one failing and no cuDNN present decides it."""
    if not _SUBLIB.search(case["log"]):
        return None
    from whygpu.explain.logfacts import FactReader
    from whygpu.knowledge.torch import torch_bundled_cudnn_major

    reader = FactReader()
    reader.read_text("case", case["log"])
    facts = reader.facts
    bundled = [torch_bundled_cudnn_major(v.value, c.value)
               for v, c in zip(facts.versions.get("torch", [])[:1], facts.build_cuda.get("torch", [])[:1], strict=False)]
    if facts.cudnn_installed or any(bundled) or any("cudnn" in name.lower() for name in facts.library_files):
        return None  # a cuDNN shown present decides (knowledge.libraries)
    return "cuDNN sub-library failed to load, no cuDNN shown present"


SITUATIONS = {"unused": _unused_key, "cudnn-sublib": _cudnn_sublib_key}


def count(situation: str) -> dict[str, dict[str, list[str]]]:
    """For each key of the situation, the ids of the cases by confirmed primary cause."""
    key_of = SITUATIONS[situation]
    table: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for set_name, case in labelled_cases():
        key = key_of(case)
        causes = case.get("causes") or []
        if key is not None and causes:
            table[key][str(causes[0])].append(f"{set_name} {case.get('id', '?')}")
    return {k: dict(v) for k, v in table.items()}


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(ROOT / "src"))  # this tree's whygpu, not the installed one (a worktree measures itself)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--situation", choices=sorted(SITUATIONS), action="append")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = {s: count(s) for s in args.situation or sorted(SITUATIONS)}
    if args.json:
        print(json.dumps(result, indent=1, sort_keys=True))
        return 0
    for situation, table in result.items():
        print(f"== {situation}")
        for key in sorted(table):
            tally = Counter({cause: len(ids) for cause, ids in table[key].items()})
            print(f"  {key}: {sum(tally.values())} cases")
            for cause, n in tally.most_common():
                print(f"    {cause} {n}: {', '.join(sorted(table[key][cause]))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
