"""Benchmark: whygpu's start-up against the bare interpreter, side by side, interleaved.

Usage: python3 bench/startup_bench.py [--repeats N] [--python INTERPRETER] [--instructions]

Runs ``python -c pass`` (the baseline), ``python -m whygpu --help`` and ``python -m whygpu --json
--offline`` (a whole diagnosis of this machine) in turns, and prints medians of wall time and of CPU
time (user + system of the child, from os.wait4) with their ratios to the baseline.  The goal for
``--json --offline`` is at most 5x the bare interpreter.  Run it with PYTHONPATH pointing at the
checkout's ``src``; ``--python`` measures another interpreter (a clean venv holding only whygpu's
dependencies is the fair baseline: a .pth file in the interpreter's site-packages slows ``pass`` and
whygpu alike, and so hides the ratio). ``--instructions`` adds the instructions each command executes
(valgrind's cachegrind, one run each): deterministic, so a change shows even while other work on a
shared machine makes the times noisy.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Timings:
    """Wall and CPU seconds of repeated runs of one command."""

    name: str
    argv: list[str]
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def wall_median(self) -> float:
        return statistics.median(self.wall)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of one run, output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _pid, _status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def instructions(argv: list[str], env: dict[str, str]) -> int:
    """Instructions executed by one run of ``argv`` under cachegrind (no cache simulation)."""
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", *argv],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, check=False, timeout=600,
    )
    match = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if match is None:
        raise SystemExit(f"valgrind gave no instruction count for {argv}: {done.stderr[-500:]}")
    return int(match.group(1).replace(",", ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--python", default=sys.executable, help="the interpreter to measure (default: this one)")
    parser.add_argument("--instructions", action="store_true", help="also count instructions (needs valgrind)")
    args = parser.parse_args()
    src = Path(__file__).resolve().parents[1] / "src"
    # What users run has its bytecode compiled (pip does it); an editable checkout may not.
    compileall.compile_dir(str(src), quiet=1)
    env = {**os.environ, "PYTHONPATH": str(src), "WHYGPU_IMDS_URL": "http://127.0.0.1:9"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    python = args.python
    series = [
        Timings("python -c pass", [python, "-c", "pass"]),
        Timings("whygpu --help", [python, "-m", "whygpu", "--help"]),
        Timings("whygpu --json --offline", [python, "-m", "whygpu", "--json", "--offline"]),
    ]
    for timing in series:  # warm-up: page cache, bytecode
        run_once(timing.argv, env)
    for _ in range(args.repeats):
        for timing in series:
            wall, cpu = run_once(timing.argv, env)
            timing.wall.append(wall)
            timing.cpu.append(cpu)
    base = series[0]
    print(f"{args.repeats} interleaved runs each, medians; {python}, {os.cpu_count()} CPUs")
    print("| command | wall s | wall vs python | CPU s | CPU vs python |")
    print("|---|---|---|---|---|")
    for timing in series:
        print(f"| {timing.name} | {timing.wall_median:.3f} | {timing.wall_median / base.wall_median:.2f}x "
              f"| {timing.cpu_median:.3f} | {timing.cpu_median / base.cpu_median:.2f}x |")
    if args.instructions:
        if shutil.which("valgrind") is None:
            raise SystemExit("--instructions needs valgrind on PATH")
        counts = [instructions(timing.argv, env) for timing in series]
        print()
        print("| command | instructions | vs python |")
        print("|---|---|---|")
        for timing, count in zip(series, counts, strict=True):
            print(f"| {timing.name} | {count / 1e6:.1f} M | {count / counts[0]:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
