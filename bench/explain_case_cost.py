"""Benchmark: what one short log costs ``explain_text`` in a process that explains many (the monitor, a library caller,
the test suite), with the signature matcher shared (as whygpu runs) and rebuilt for each log (as before session 33).

Each of ``--cases`` corpus logs (a fixed sample: the same every run) is explained once to warm the process, then the
sample is explained ``--repeat`` times each way, alternating, in the same run; the table gives CPU time per log (user +
system of this process) and wall time, and the ratio shared / rebuilt.

    python3 bench/explain_case_cost.py                 # 200 cases, 2 rounds each way
    python3 bench/explain_case_cost.py --cases 500 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _logs(count: int) -> list[str]:
    files = sorted((ROOT / "tests" / "explain" / "corpus").glob("*/*.json"))
    random.Random(33).shuffle(files)
    return [json.loads(p.read_text(encoding="utf-8"))["log"] for p in files[:count]]


def _round(logs: list[str], rebuild: bool) -> tuple[float, float]:
    from whygpu.explain import explain_text, scan

    cpu, wall = time.process_time(), time.perf_counter()
    for log in logs:
        if rebuild:
            scan._MATCHERS.clear()  # as before: a new matcher (the RE2 set and filter compiled) for every log
        explain_text(log, source="bench")
    return time.process_time() - cpu, time.perf_counter() - wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200, help="corpus logs in the sample (default 200)")
    parser.add_argument("--repeat", type=int, default=2, help="rounds each way; the best counts (default 2)")
    args = parser.parse_args(argv)
    logs = _logs(args.cases)
    _round(logs, rebuild=False)  # warm: imports, knowledge tables, compiled patterns
    best = {True: (9e9, 9e9), False: (9e9, 9e9)}
    for _ in range(args.repeat):
        for rebuild in (True, False):
            cpu, wall = _round(logs, rebuild)
            best[rebuild] = (min(best[rebuild][0], cpu), min(best[rebuild][1], wall))
    n = len(logs)
    print(f"{n} corpus logs; best of {args.repeat}; CPU = user + system of this process\n")
    print("| matcher | CPU per log | wall per log |")
    print("|---|---|---|")
    for label, rebuild in (("rebuilt for each log (before)", True), ("shared (now)", False)):
        cpu, wall = best[rebuild]
        print(f"| {label} | {1000 * cpu / n:.1f} ms | {1000 * wall / n:.1f} ms |")
    print(f"\nshared / rebuilt: CPU {best[False][0] / best[True][0]:.2f}, wall {best[False][1] / best[True][1]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
