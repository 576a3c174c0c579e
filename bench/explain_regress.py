"""Saves ``whygpu explain`` reports over every labelled case and compares them with a saved baseline.

A refactoring of explain's reasoning must leave every report as it was, except where a change is
meant; this runs the same logic as ``whygpu explain --format json`` (and SARIF and verbose text)
over every case of ``tests/explain/corpus/*/``, ``tests/explain/cases.json`` and the real logs
(``../shared/real-logs`` when present), and writes one JSON file of reports.

    python3 bench/explain_regress.py save BASELINE.json
    python3 bench/explain_regress.py diff BASELINE.json      # exit 1 and the differing cases when any
    python3 bench/explain_regress.py diff BASELINE.json --ignore slug   # a key added on purpose

Only timings (and keys named with ``--ignore``) are dropped before comparing.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [*sorted((ROOT / "tests" / "explain" / "corpus").glob("*/")), ROOT / "tests" / "explain" / "cases.json",
           ROOT.parent.parent / "shared" / "real-logs", Path("/work/shared/real-logs")]
_TIMING_KEYS = {"timings", "duration_s", "elapsed_s", "generated_at", "started_at", "took_s", "timing"}


def _cases() -> dict[str, str]:
    """Every case's log by a stable key (folder/file[#index])."""
    out: dict[str, str] = {}
    seen: set[Path] = set()
    for source in SOURCES:
        if not source.exists() or source.resolve() in seen:
            continue
        seen.add(source.resolve())
        files = [source] if source.is_file() else sorted(source.glob("*.json"))
        for path in files:
            data = json.loads(path.read_text())
            entries = data if isinstance(data, list) else [data]
            for i, case in enumerate(entries):
                if isinstance(case, dict) and isinstance(case.get("log"), str):
                    key = f"{source.name}/{path.name}" + (f"#{i}" if isinstance(data, list) else "")
                    out[key] = case["log"]
    return out


def _strip(value: Any, drop: frozenset[str] = frozenset(_TIMING_KEYS)) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v, drop) for k, v in value.items() if k not in drop}
    if isinstance(value, list):
        return [_strip(v, drop) for v in value]
    return value


def reports() -> dict[str, Any]:
    """Each case's JSON report, SARIF and verbose text."""
    from whygpu.explain import explain_text, to_report
    from whygpu.render.interface import Format, render

    out: dict[str, Any] = {}
    for key, log in _cases().items():
        report = to_report(explain_text(log, source=key.split("/")[-1]))
        out[key] = {
            "json": _strip(json.loads(render(report, Format.JSON))),
            "sarif": _strip(json.loads(render(report, Format("sarif")))),
            "text": render(report, Format.TEXT, verbose=True, width=120, color=False).splitlines(),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(ROOT / "src"))  # this tree's whygpu, not the installed one (a worktree measures itself)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("save", "diff"))
    parser.add_argument("baseline")
    parser.add_argument("--ignore", action="append", default=[], help="a JSON key to leave out of the comparison")
    args = parser.parse_args(argv)
    now = reports()
    if args.action == "save":
        Path(args.baseline).write_text(json.dumps(now, indent=1, sort_keys=True))
        print(f"saved {len(now)} cases to {args.baseline}")
        return 0
    drop = frozenset(args.ignore)
    base, now = _strip(json.loads(Path(args.baseline).read_text()), drop), _strip(now, drop)
    changed = 0
    for key in sorted(set(base) | set(now)):
        old = json.dumps(base.get(key), indent=1, sort_keys=True).splitlines()
        new = json.dumps(now.get(key), indent=1, sort_keys=True).splitlines()
        if old != new:
            changed += 1
            print(f"=== {key}")
            print("\n".join(list(difflib.unified_diff(old, new, lineterm="", n=2))[2:80]))
    print(f"{changed} of {len(set(base) | set(now))} cases differ")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
