"""Benchmark: the self-contained collector (collect.py) against the installed ``whygpu snapshot``, side by side, interleaved.

Usage: PYTHONPATH=src python3 bench/collector_bench.py [--repeats N] [--python38 PATH]

Runs, in turns: ``python -m whygpu snapshot --offline`` (the baseline: the installed collector),
``python3.8 -I collect.py --offline`` and ``python -I collect.py --offline`` (this interpreter), and
prints the median wall and CPU time (user + system, children included, from os.wait4) of each with
its ratio to the baseline, and the size of collect.py.  Both collectors inspect the same Python (the
one running this script), so they do the same work.
"""

from __future__ import annotations

import argparse
import glob
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import run_measured


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10)
    found = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.8*/bin/python3")))
    parser.add_argument("--python38", default=found[-1] if found else None)
    args = parser.parse_args()

    from whygpu.collector.bundle import build_collector

    with tempfile.TemporaryDirectory() as folder:
        collect = Path(folder) / "collect.py"
        collect.write_text(build_collector(), encoding="utf-8")
        target = ["--offline", "--python", sys.executable]
        commands = {"whygpu snapshot (installed)": [sys.executable, "-m", "whygpu", "snapshot", *target]}
        if args.python38:
            commands["collect.py on Python 3.8 -I"] = [args.python38, "-I", str(collect), *target]
        commands[f"collect.py on Python {sys.version_info[0]}.{sys.version_info[1]} -I"] = [sys.executable, "-I", str(collect), *target]
        results: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in commands}
        for argv in commands.values():  # warm-up: page cache, .pyc files
            run_measured(argv)
        for _ in range(args.repeats):
            for name, argv in commands.items():
                wall, cpu, _peak, code = run_measured(argv)
                if code != 0:
                    raise SystemExit(f"{name} exited {code}")
                results[name][0].append(wall)
                results[name][1].append(cpu)
        size = collect.stat().st_size
    base_wall, base_cpu = (statistics.median(v) for v in results["whygpu snapshot (installed)"])
    print(f"collect.py: {size / 1024:.0f} KiB; {args.repeats} interleaved rounds; medians")
    print(f"{'command':34} {'wall s':>7} {'ratio':>6} {'CPU s':>7} {'ratio':>6}")
    for name, (walls, cpus) in results.items():
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        print(f"{name:34} {wall:7.3f} {wall / base_wall:6.2f} {cpu:7.3f} {cpu / base_cpu:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
