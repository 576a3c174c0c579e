"""Benchmark: aggregating a fleet of snapshots against plain ``json.load`` of the same files, side by side.

Usage: python3 bench/fleet_bench.py [--nodes 10000] [--repeats 3] [--varied | --busy]

It writes a fleet of node snapshots (a real snapshot of this machine, given 8 GPUs and a driver
report), then runs, interleaved, each in its own child process: (a) ``json.load`` of every file,
(b) whygpu's fleet aggregation (read, diagnose, group, rules, report). It prints CPU time (user +
system) beside wall time, the ratio to the baseline, time per 1,000 snapshots and peak RSS.
``--varied`` gives every node its own GPU memory use and utilisation (no two nodes alike), as a
fleet busy with a job has. ``--busy`` also fills every GPU's memory past the share at which the
doctor reports it taken, held by a process of the node's own (every node then has findings of
its own words: memory used and processes).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASELINE = """
import json, sys
from pathlib import Path
for path in sorted(Path(sys.argv[1]).glob("*.json")):
    with open(path, "rb") as handle:
        json.load(handle)
"""

WHYGPU = """
import sys
from whygpu.fleet.analyse import fleet_report, gather
from whygpu.fleet.read import read_document, snapshot_paths
report = fleet_report(gather(read_document(p) for p in snapshot_paths([sys.argv[1]])))
assert report.subject["nodes"] > 0
"""


def write_fleet(directory: Path, nodes: int, varied: bool, busy: bool = False) -> None:
    """A fleet from this machine's real snapshot, with an 8-GPU driver report and one odd node in 100."""
    done = subprocess.run([sys.executable, "-m", "whygpu", "snapshot", "--offline"], capture_output=True, text=True,
                          env={**os.environ, "WHYGPU_IMDS_URL": "http://127.0.0.1:9"}, check=True)
    template = json.loads(done.stdout)
    template["cloud"]["vm_size"] = "Standard_ND96asr_v4"
    for index in range(nodes):
        doc = json.loads(json.dumps(template))
        doc["source"]["hostname"] = f"node-{index:05d}"
        doc["source"]["created"] = f"2026-12-04T00:{index // 60 % 60:02d}:{index % 60:02d}+00:00"
        driver = "535.104.05" if index % 100 == 7 else "560.35.03"
        devices = 7 if index % 100 == 42 else 8
        doc["driver"]["report"] = {
            "source": "nvml", "driver_version": driver, "cuda_driver_version": "12.6",
            "devices": [
                {"index": i, "name": "NVIDIA A100-SXM4-80GB", "pci_bus_id": f"00000000:{i:02X}:00.0",
                 "compute_capability": "8.0", "memory_total_mib": 81920,
                 "memory_used_mib": 1000 + index + i if varied else 0, "compute_mode": "Default",
                 "processes": [], "utilization_percent": (index * 7 + i) % 100 if varied else 0,
                 "uncorrected_ecc_errors": 0, "error": None}
                for i in range(devices)
            ],
        }
        if busy:
            for device in doc["driver"]["report"]["devices"]:
                device["memory_used_mib"] = 74000 + (index * 13 + device["index"]) % 7000
                device["processes"] = [{"pid": 1000 + index, "name": "python", "used_memory_mib": device["memory_used_mib"] - 500}]
        (directory / f"node-{index:05d}.json").write_text(json.dumps(doc, indent=2), encoding="utf-8")


def run(code: str, directory: Path) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MiB) of one child process running ``code`` over ``directory``."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, str(directory)])
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"a benchmark child failed (exit {os.waitstatus_to_exitcode(status)})")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=10000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--varied", action="store_true", help="per-node GPU memory use and utilisation differ")
    parser.add_argument("--busy", action="store_true", help="every GPU's memory taken by a process of the node's own")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="whygpu-fleet-bench-") as tmp:
        directory = Path(tmp)
        write_fleet(directory, args.nodes, args.varied or args.busy, args.busy)
        results: dict[str, list[tuple[float, float, float]]] = {"json.load": [], "whygpu fleet": []}
        for code in (BASELINE, WHYGPU):
            run(code, directory)  # warm-up: page cache, bytecode
        for _ in range(args.repeats):
            results["json.load"].append(run(BASELINE, directory))
            results["whygpu fleet"].append(run(WHYGPU, directory))
    base_cpu = statistics.median(r[1] for r in results["json.load"])
    base_wall = statistics.median(r[0] for r in results["json.load"])
    kind = " (busy GPUs, each node's own)" if args.busy else " (varied GPU state)" if args.varied else ""
    print(f"{args.nodes} snapshots{kind}, median of {args.repeats}, each in its own process")
    print("| reader | wall s | CPU s | CPU vs json.load | wall vs json.load | CPU s per 1,000 | peak RSS MiB |")
    print("|---|---|---|---|---|---|---|")
    for name, rows in results.items():
        wall = statistics.median(r[0] for r in rows)
        cpu = statistics.median(r[1] for r in rows)
        peak = max(r[2] for r in rows)
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {cpu / base_cpu:.2f}x | {wall / base_wall:.2f}x | "
              f"{cpu / args.nodes * 1000:.3f} | {peak:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
