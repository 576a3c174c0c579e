"""Times explain's conclusion step alone (``infer.conclude`` then ``judge.judge``) per log over the labelled corpus.

The scan and the fact reader run once per log; the conclusion is then repeated on the same
inputs, best of ``--repeat``, CPU time (``time.process_time``) beside wall time.  With
``--against DIR`` the same measurement runs alternately in children on another checkout's
``src`` (a baseline such as main, from ``git worktree`` or ``git archive``) and on this one, and
prints the ratio:

    python3 bench/explain_conclude_bench.py --against /work/main --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "explain" / "corpus"


def _logs() -> list[str]:
    logs: list[str] = []
    for path in sorted(CORPUS.glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for case in data if isinstance(data, list) else [data]:
            if isinstance(case, dict) and isinstance(case.get("log"), str):
                logs.append(case["log"])
    return logs


def _inputs(logs: list[str]) -> list[tuple[Any, Any, bool]]:
    """Each log's (facts, collected lines, GPU seen in use) as ``explain`` hands them to the conclusion."""
    import whygpu.explain.infer as infer
    import whygpu.explain.judge as judge_module
    from whygpu.explain import explain_text

    kept: list[tuple[Any, Any, bool]] = []
    real_conclude, real_judge = infer.conclude, judge_module.judge
    box: dict[str, Any] = {}

    def conclude(collected: Any) -> Any:
        box["collected"] = collected
        return real_conclude(collected)

    def judge(facts: Any, messages: Any, gpu_in_use: bool) -> Any:
        kept.append((facts, box["collected"], gpu_in_use))
        return real_judge(facts, messages, gpu_in_use)

    infer.conclude, judge_module.judge = conclude, judge
    try:
        for log in logs:
            explain_text(log)
    finally:
        infer.conclude, judge_module.judge = real_conclude, real_judge
    return kept


def measure(repeat: int) -> dict[str, float]:
    """Best-of-``repeat`` CPU and wall seconds of concluding every corpus log, and the count."""
    from whygpu.explain.infer import conclude
    from whygpu.explain.judge import judge

    inputs = _inputs(_logs())
    for facts, collected, used in inputs:  # warm: lazy imports, caches of data files
        judge(facts, conclude(collected), gpu_in_use=used)
    best_cpu = best_wall = float("inf")
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        for facts, collected, used in inputs:
            judge(facts, conclude(collected), gpu_in_use=used)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return {"logs": len(inputs), "cpu_s": best_cpu, "wall_s": best_wall}


def _child(src: Path, repeat: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run([sys.executable, __file__, "--json", "--repeat", str(repeat)], env=env, check=True,
                         capture_output=True, text=True, timeout=1800)
    result: dict[str, float] = json.loads(out.stdout)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds with --against")
    parser.add_argument("--against", type=Path, help="a baseline checkout (its src/ is used)")
    parser.add_argument("--json", action="store_true", help="print one JSON object (used by the children)")
    args = parser.parse_args()
    if args.against is None:
        result = measure(args.repeat)
        if args.json:
            print(json.dumps(result))
        else:
            n = result["logs"]
            print(f"{n} logs: {1000 * result['cpu_s'] / n:.2f} ms CPU, {1000 * result['wall_s'] / n:.2f} ms wall per log (best of {args.repeat})")
        return 0
    print("| round | baseline ms/log CPU (wall) | this ms/log CPU (wall) | CPU ratio |")
    print("|---|---|---|---|")
    for i in range(1, args.rounds + 1):
        base = _child(args.against / "src", args.repeat)
        this = _child(ROOT / "src", args.repeat)
        n = this["logs"]
        print(f"| {i} | {1000 * base['cpu_s'] / n:.2f} ({1000 * base['wall_s'] / n:.2f}) | "
              f"{1000 * this['cpu_s'] / n:.2f} ({1000 * this['wall_s'] / n:.2f}) | {this['cpu_s'] / base['cpu_s']:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
