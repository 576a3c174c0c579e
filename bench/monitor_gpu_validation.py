"""Records real traces of a small PyTorch training loop under ``whygpu monitor`` on a GPU machine (issue 12's GPU part).

    python bench/monitor_gpu_validation.py --python /path/to/env/bin/python [--out docs/gpu-validation/monitor] [--seconds 40]

``--python``: an environment with a CUDA build of PyTorch. Four jobs, each run as
``whygpu monitor --interval 0.5 --record <name>.jsonl --json -o <name>.json -- python -c ...``:

1. ``gpu_bound``: a matmul training loop with data made on the GPU: expects *healthy*;
2. ``input_bound``: the same model fed by a slow CPU "data loader" (sleep + CPU work per batch):
   expects *input-bound* (GPU_UNDERUSED);
3. ``cpu_only``: the loop on the CPU: expects *never touched* (and the doctor's cause);
4. ``left_gpu``: GPU for the first half, then ``del`` + ``torch.cuda.empty_cache()`` and CPU work:
   expects *left the GPU*.

5. ``shared``: a light job (a small matmul now and then) while another process, started by this
   script outside the job's tree, keeps the same GPU busy: expects *busy* (the other process's
   memory and SM use) and the job judged by its own SM share (NVML per-process utilisation, what
   ``nvidia-smi pmon`` shows): *input-bound* or *allocated but idle*, not *healthy*. Where the GPU
   gives no per-process samples, the report must say so (a note) and the check records it;
   ``nvidia-smi pmon -s u`` output is saved beside it to compare the split with.

It also measures the sampling overhead on the machine: the whole ``whygpu monitor`` tree's CPU
time over wall time for a ``sleep`` at 1 s and 0.1 s. Everything goes to ``--out`` (traces,
reports, ``summary.json`` with expected and actual verdicts). The traces are the fixtures to
commit under tests/monitor/fixtures/real/ afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

PRELUDE = "import os, time, torch\nN = {seconds}\nmodel = torch.nn.Sequential(*[torch.nn.Linear(4096, 4096) for _ in range(4)])\n"
JOBS = {
    "gpu_bound": ("healthy", PRELUDE + (
        "model = model.cuda(); opt = torch.optim.SGD(model.parameters(), lr=1e-3)\nend = time.time() + N\n"
        "while time.time() < end:\n    x = torch.randn(512, 4096, device='cuda')\n"
        "    loss = model(x).square().mean(); opt.zero_grad(); loss.backward(); opt.step()\n"
        "torch.cuda.synchronize()\n")),
    "input_bound": ("input-bound", PRELUDE + (
        "model = model.cuda(); opt = torch.optim.SGD(model.parameters(), lr=1e-3)\nend = time.time() + N\n"
        "while time.time() < end:\n    x = torch.randn(512, 4096)\n    for _ in range(30):\n        x = x * 1.0001 + 0.1  # slow CPU preprocessing\n"
        "    x = x.cuda()\n    loss = model(x).square().mean(); opt.zero_grad(); loss.backward(); opt.step()\n"
        "    torch.cuda.synchronize()\n")),
    "cpu_only": ("never touched the GPU", PRELUDE + (
        "opt = torch.optim.SGD(model.parameters(), lr=1e-3)\nend = time.time() + N\n"
        "while time.time() < end:\n    x = torch.randn(64, 4096)\n"
        "    loss = model(x).square().mean(); opt.zero_grad(); loss.backward(); opt.step()\n")),
    "left_gpu": ("left the GPU", PRELUDE + (
        "model = model.cuda(); opt = torch.optim.SGD(model.parameters(), lr=1e-3)\nend = time.time() + N / 2\n"
        "while time.time() < end:\n    x = torch.randn(512, 4096, device='cuda')\n"
        "    loss = model(x).square().mean(); opt.zero_grad(); loss.backward(); opt.step()\n"
        "torch.cuda.synchronize(); model = model.cpu(); del opt, x, loss; torch.cuda.empty_cache()\n"
        "end = time.time() + N / 2\nwhile time.time() < end:\n    sum(i * i for i in range(100000))\n")),
    "shared": ("input-bound or allocated but idle, and busy", PRELUDE + (
        "model = model.cuda()\nend = time.time() + N\n"
        "while time.time() < end:\n    x = torch.randn(64, 4096, device='cuda')\n    model(x).sum().item()\n"
        "    time.sleep(0.2)\n")),
}
# The other tenant of the ``shared`` check: not in the job's tree, busy on the same GPU.
HOG = ("import time, torch\nx = torch.randn(8192, 8192, device='cuda')\nend = time.time() + {seconds}\n"
       "while time.time() < end:\n    y = x @ x\n    torch.cuda.synchronize()\n")


def monitor(out: Path, name: str, job: list[str], interval: float) -> tuple[int, float, float]:
    """Run one monitored job; (exit code, CPU seconds of the whygpu tree, wall seconds)."""
    import time

    argv = [sys.executable, "-m", "whygpu", "monitor", "--offline", "--interval", str(interval),
            "--record", str(out / f"{name}.jsonl"), "--json", "-o", str(out / f"{name}.json"),
            "--html", str(out / f"{name}.html"), "--", *job]
    start = time.monotonic()
    proc = subprocess.Popen(argv)
    _pid, status, usage = os.wait4(proc.pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime, time.monotonic() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True)
    parser.add_argument("--out", default="docs/gpu-validation/monitor")
    parser.add_argument("--seconds", type=int, default=40)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    summary: dict[str, object] = {}
    for name, (expected, code) in JOBS.items():
        hog = pmon = None
        if name == "shared":
            hog = subprocess.Popen([args.python, "-c", HOG.format(seconds=args.seconds + 20)])
            import time

            time.sleep(10)  # the other tenant is on the GPU before the job starts
            pmon = subprocess.Popen(["nvidia-smi", "pmon", "-s", "u", "-c", str(args.seconds // 2)],
                                    stdout=open(out / "shared.pmon.txt", "w"), stderr=subprocess.STDOUT)  # noqa: SIM115
        rc, _cpu, _wall = monitor(out, name, [args.python, "-c", code.format(seconds=args.seconds)], 0.5)
        if hog is not None and pmon is not None:
            hog.kill()
            hog.wait()
            try:
                pmon.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pmon.kill()
        report = json.loads((out / f"{name}.json").read_text())
        verdicts = [v["verdict"] for v in report["details"]["monitor"]["verdicts"]]
        entry: dict[str, object] = {"expected": expected, "verdicts": verdicts, "exit_code": rc,
                                    "ok": any(v.startswith(expected.split()[0]) for v in verdicts)}
        summary[name] = entry
        if name == "shared":
            gpu = report["details"]["monitor"]["gpus"][0]
            supported = "job_utilization_percent" in gpu
            said = [n for n in report.get("notes", []) if "per-process utilisation" in n]
            entry.update(
                per_process_supported=supported, notes=said, job_utilization=gpu.get("job_utilization_percent"),
                other_processes_utilization=gpu.get("other_processes_utilization_percent"),
                device_utilization=gpu["utilization_percent"],
                # With per-process samples: the job's share judged and the other tenant named; without: said so.
                ok=("busy" in verdicts and bool({"input-bound", "allocated but idle"} & set(verdicts))) if supported else bool(said))
    overhead = {}
    for interval in (1.0, 0.1):
        short = monitor(out, f"sleep_short_{interval:g}", ["sleep", "3"], interval)
        long = monitor(out, f"sleep_long_{interval:g}", ["sleep", "33"], interval)
        overhead[f"{interval:g}"] = (long[1] - short[1]) / (long[2] - short[2])
    summary["sampling_cpu_share_of_one_core"] = overhead
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))
    return 0 if all(v["ok"] for k, v in summary.items() if isinstance(v, dict) and "ok" in v) else 1


if __name__ == "__main__":
    sys.exit(main())
