"""Benchmark: `whygpu doctor --target SIZE` against the same `whygpu doctor` without a target, side by side, on the same input.

Usage: python3 bench/preflight_bench.py [--repeats N] [--tf-venv DIR]
Runs each command interleaved (N rounds after a warm-up) and reports the median wall and CPU
time (user + system, from os.wait4) and the ratio to the baseline without --target: what
preflight adds to a doctor run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _pid, _status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def main() -> int:
    venvs = Path(os.environ.get("WHYGPU_VENV_DIR", Path(__file__).resolve().parents[1] / ".venvs"))
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--tf-venv", default=str(venvs / "tf221"))
    args = parser.parse_args()
    whygpu = shutil.which("whygpu") or sys.exit("whygpu is not installed (pip install -e .)")
    tf_py = Path(args.tf_venv) / "bin" / "python"
    if not tf_py.exists():
        sys.exit(f"tensorflow venv not found at {tf_py.parent.parent} (run .ci/build-venvs)")
    env = {**os.environ, "WHYGPU_IMDS_URL": "http://127.0.0.1:9"}
    with tempfile.TemporaryDirectory() as tmp:
        snap = Path(tmp) / "snap.json"
        subprocess.run([whygpu, "snapshot", "--offline", "--python", str(tf_py), "-o", str(snap)], check=True, env=env)
        json.loads(snap.read_text())
        pairs = [
            ("--from snap.json", [whygpu, "doctor", "--from", str(snap), "--json"]),
            ("--python <tf venv> --offline", [whygpu, "doctor", "--offline", "--python", str(tf_py), "--json"]),
        ]
        target = ["--target", "Standard_NC24ads_A100_v4"]
        rows = []
        for name, argv in pairs:
            series: dict[str, list[tuple[float, float]]] = {"baseline": [], "target": []}
            commands = {"baseline": argv, "target": [*argv, *target]}
            for cmd in commands.values():
                _run(cmd, env)  # warm-up
            for _ in range(args.repeats):
                for key, cmd in commands.items():
                    series[key].append(_run(cmd, env))
            base_wall = statistics.median(w for w, _ in series["baseline"])
            base_cpu = statistics.median(c for _, c in series["baseline"])
            wall = statistics.median(w for w, _ in series["target"])
            cpu = statistics.median(c for _, c in series["target"])
            rows.append(f"| {name} | {base_wall:.3f} / {base_cpu:.3f} | {wall:.3f} / {cpu:.3f} | {wall / base_wall:.2f}x | {cpu / base_cpu:.2f}x |")
    print(f"repeats: {args.repeats} (median), machine: {os.cpu_count()} cores\n")
    print("| input | doctor: wall / CPU s | doctor --target: wall / CPU s | wall ratio | CPU ratio |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
