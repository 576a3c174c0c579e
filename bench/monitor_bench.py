"""Benchmarks for ``whygpu monitor``: the CPU cost of sampling, and analysing a day of 8 GPUs against a csv-module baseline.

Run: ``PYTHONPATH=src python3 bench/monitor_bench.py [--quick] [--analysis-only]``. Prints Markdown tables.

1. Sampling cost, as the monitor's CPU time over wall time:
   - the fake sampler in-process (the monitor loop, /proc reading, analysis; no NVML at all);
   - the real gateway's code path end to end (``python -m whygpu monitor -- sleep D``: the NVML child,
     its JSON pipe, attribution, analysis), with the fake ``pynvml`` standing in for the driver
     (no GPU here): the marginal CPU seconds per wall second between a short and a long run, so
     whygpu's start-up is not counted; the children's CPU (the NVML child) is included.
2. Analysis: a generated day of 8 GPUs at 1 s (691,200 rows of ``nvidia-smi --query-gpu`` CSV)
   read and analysed by ``monitor --from``'s reader, beside reading the same file with the
   standard csv module, each in its own process (wall, CPU, peak RSS), interleaved; and the same
   for a 2-hour file, to show the memory stays flat.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAKE_NVML = ROOT / "tests" / "monitor" / "fake_nvml"


def write_day(path: Path, seconds: int, gpus: int = 8) -> int:
    """An nvidia-smi --query-gpu CSV of ``gpus`` GPUs at 1 s; returns the number of data rows."""
    import random

    rnd = random.Random(7)
    rows = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write("timestamp, index, name, utilization.gpu [%], memory.used [MiB], memory.total [MiB], "
                  "power.draw [W], clocks.current.sm [MHz]\n")
        for second in range(seconds):
            hh, rest = divmod(second, 3600)
            mm, ss = divmod(rest, 60)
            stamp = f"2024/06/{24 + hh // 24:02d} {hh % 24:02d}:{mm:02d}:{ss:02d}.{rnd.randint(100, 999)}"
            for gpu in range(gpus):
                util = rnd.randint(80, 100) if (second + gpu) % 7 else rnd.randint(0, 5)
                out.write(f"{stamp}, {gpu}, NVIDIA H100 80GB HBM3, {util} %, {60000 + util} MiB, 81559 MiB, "
                          f"{300 + util:.2f} W, 1980 MHz\n")
                rows += 1
    return rows


BASELINE = "import csv, sys\nn = 0\nfor row in csv.reader(open(sys.argv[1], newline='')):\n    n += 1\nprint(n)\n"
# What ``whygpu monitor --from FILE`` does, without rendering.
OURS = ("import sys\nfrom whygpu.monitor.analysis import Analyzer\nfrom whygpu.monitor.traces import TraceReader, gc_paused\n"
        "a = Analyzer()\nr = TraceReader(sys.argv[1])\nwith gc_paused():\n    for c in r.chunks():\n        a.feed(c)\n"
        "res = a.finish()\nprint(r.rows, [v.kind.value for v in res.verdicts][:2])\n")


def run_measured(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float, str]:
    """(wall s, CPU s of it and its children, peak RSS MiB, stdout) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    out = proc.stdout.read().decode()
    _pid, _status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, out


def analysis_bench(repeats: int, seconds: int) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    lines = ["| file | rows | reader | wall s (median) | CPU s (median) | peak RSS MiB | wall vs csv module | CPU vs csv module |",
             "|---|---|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        for label, secs in (("2 hours", 7200), ("1 day", seconds)):
            path = Path(tmp) / f"{label}.csv"
            rows = write_day(path, secs)
            results: dict[str, list[tuple[float, float, float]]] = {"csv module": [], "whygpu": []}
            for _name, code in (("csv module", BASELINE), ("whygpu", OURS)):  # warm-up (page cache, .pyc)
                run_measured([sys.executable, "-c", code, str(path)], env)
            for _ in range(repeats):
                for name, code in (("csv module", BASELINE), ("whygpu", OURS)):
                    wall, cpu, rss, _out = run_measured([sys.executable, "-c", code, str(path)], env)
                    results[name].append((wall, cpu, rss))
            base = sorted(w for w, _, _ in results["csv module"])[len(results["csv module"]) // 2]
            base_cpu = sorted(c for _, c, _ in results["csv module"])[len(results["csv module"]) // 2]
            for name, values in results.items():
                wall = sorted(w for w, _, _ in values)[len(values) // 2]
                cpu = sorted(c for _, c, _ in values)[len(values) // 2]
                rss = max(r for _, _, r in values)
                lines.append(f"| {label} ({path.stat().st_size / 1e6:.0f} MB) | {rows:,} | {name} | {wall:.2f} | {cpu:.2f} | "
                             f"{rss:.0f} | {wall / base:.2f}x | {cpu / base_cpu:.2f}x |")
    return "\n".join(lines)


def fake_sampler_cost(interval: float, duration: float) -> tuple[float, float]:
    """(CPU s, wall s) of the monitor loop with the in-process fake sampler while ``sleep`` runs."""
    sys.path.insert(0, str(ROOT / "src"))
    from whygpu.gateways.nvml import NvmlDeviceInfo, NvmlGpuReading, NvmlProcess, NvmlReading
    from whygpu.monitor.analysis import Analyzer
    from whygpu.monitor.live import Monitor
    from whygpu.monitor.sampler import FakeSampler

    reading = NvmlReading(0.0, tuple(NvmlGpuReading(i, 95.0, 60000.0, 300.0, 1980.0, 0,
                                                    (NvmlProcess(1, 60000.0, "compute"),)) for i in range(8)))
    sampler = FakeSampler([NvmlDeviceInfo(i, "H100", None, 81559.0, False) for i in range(8)], [reading])
    monitor = Monitor(sampler, Analyzer(), interval_s=interval, note=lambda _line: None)
    monitor.start_sampler()
    cpu0, wall0 = time.process_time(), time.monotonic()
    monitor.run_command(["sleep", str(duration)])
    return time.process_time() - cpu0, time.monotonic() - wall0


def gateway_cost(interval: float, short: float, long: float) -> tuple[float, int]:
    """Marginal CPU seconds per wall second of ``whygpu monitor -- sleep``, children included, and samples taken."""
    with tempfile.TemporaryDirectory() as tmp:
        gpu_dir = Path(tmp)
        (gpu_dir / "gpus.json").write_text(json.dumps({"devices": [{"name": "H100", "memory_total_mib": 81559}] * 8}))
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), WHYGPU_NVML_MODULE_DIR=str(FAKE_NVML),
                   WHYGPU_FAKE_GPU_DIR=str(gpu_dir))
        costs = []
        samples = 0
        for duration in (short, long):
            report = gpu_dir / "r.json"
            wall, cpu, _rss, _ = run_measured([sys.executable, "-m", "whygpu", "monitor", "--interval", str(interval),
                                               "--json", "-o", str(report), "--", "sleep", str(duration)], env)
            costs.append((wall, cpu))
            data = json.loads(report.read_text())
            samples = data["details"]["monitor"]["gpus"][0]["samples"]
        (w1, c1), (w2, c2) = costs
        return (c2 - c1) / (w2 - w1), samples


def main() -> None:
    quick = "--quick" in sys.argv
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; no GPU: the fake pynvml stands in for the driver\n")
    if "--analysis-only" not in sys.argv:
        sampling_bench(quick)
    print("\n## Analysing nvidia-smi CSV (8 GPUs at 1 s) vs reading it with the csv module\n")
    print(analysis_bench(1 if quick else 5, 3 * 3600 if quick else 86400))
    print(f"\n(bench's own peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB)")


def sampling_bench(quick: bool) -> None:
    """The sampling-cost table."""
    print("## Sampling cost (share of one core)\n")
    print("| sampler | interval s | monitor CPU / wall |")
    print("|---|---|---|")
    for interval in (1.0, 0.1):
        cpu, wall = fake_sampler_cost(interval, 5 if quick else 20)
        print(f"| fake, in-process (8 GPUs) | {interval:g} | {cpu / wall * 100:.3f}% |")
    for interval in (1.0, 0.1):
        share, samples = gateway_cost(interval, 2, 6 if quick else 22)
        print(f"| real gateway path: NVML child + fake pynvml (8 GPUs), whole CLI | {interval:g} | {share * 100:.3f}% "
              f"({samples} samples in the long run) |")


if __name__ == "__main__":
    main()
