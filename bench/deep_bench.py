"""Benchmark: ``whygpu doctor --deep`` against the bare import times of the same frameworks, side by side in one run.

The goal (issue 4) is at most 1.2 times the sum of ``python -c "import tensorflow"`` and
``python -c "import torch"``: the probes run concurrently, so on enough cores the deep run costs
about the slowest import, not the sum.  Both frameworks live in one environment made for the
run (a venv whose .pth file adds the TensorFlow and the torch venvs' site-packages), so one
``doctor --deep`` probes both, as it would in a user's environment.

    python bench/deep_bench.py [--tf VENV] [--torch VENV] [--repeats N] [--goal 1.2]

Venvs default to $WHYGPU_TEST_TF_VENV and $WHYGPU_TEST_TORCH_VENV, else .venvs/tf221 and
.venvs/torchcpu.  Runs are interleaved round by round; medians are reported.  Exit status 1
when the ratio misses the goal.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _measure import Series, interleave, table


def site_packages(venv: Path) -> Path:
    found = sorted(venv.glob("lib/python*/site-packages"))
    if not found:
        raise SystemExit(f"{venv}: no lib/python*/site-packages (is it a venv?)")
    return found[0]


def combined_env(root: Path, venvs: list[Path]) -> str:
    """A venv without pip that sees the site-packages of every venv in ``venvs``."""
    base = Path(os.path.realpath(venvs[0] / "bin" / "python"))
    subprocess.run([str(base), "-m", "venv", "--without-pip", str(root)], check=True, timeout=120)
    pth = site_packages(root) / "whygpu_bench.pth"
    pth.write_text("".join(f"{site_packages(v)}\n" for v in venvs), encoding="utf-8")
    return str(root / "bin" / "python")


def main(argv: list[str] | None = None) -> int:
    venvs = Path(os.environ.get("WHYGPU_VENV_DIR", Path(__file__).resolve().parents[1] / ".venvs"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tf", default=os.environ.get("WHYGPU_TEST_TF_VENV", str(venvs / "tf221")), help="venv with tensorflow")
    parser.add_argument("--torch", default=os.environ.get("WHYGPU_TEST_TORCH_VENV", str(venvs / "torchcpu")), help="venv with torch")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--goal", type=float, default=1.2, help="maximum ratio: doctor --deep / sum of the bare imports")
    args = parser.parse_args(argv)
    tf_venv, torch_venv = Path(args.tf), Path(args.torch)
    for name, venv in (("tensorflow", tf_venv), ("torch", torch_venv)):
        if not (venv / "bin" / "python").exists():
            sys.exit(f"{name} venv not found at {venv} (run .ci/build-venvs, or give --tf/--torch)")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["WHYGPU_IMDS_URL"] = "http://127.0.0.1:9"
    # Benchmark this checkout's whygpu, whatever an editable install points at (the frameworks
    # never import it, so it costs the baseline nothing).
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1] / "src")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    with tempfile.TemporaryDirectory(prefix="whygpu-deep-bench-") as tmp:
        python = combined_env(Path(tmp) / "both", [tf_venv, torch_venv])
        import_tf = Series('python -c "import tensorflow"', [python, "-c", "import tensorflow"])
        import_torch = Series('python -c "import torch"', [python, "-c", "import torch"])
        static = Series("whygpu doctor --json --offline", [sys.executable, "-m", "whygpu", "doctor", "--json", "--offline", "--python", python])
        deep = Series("whygpu doctor --deep --json --offline", [*static.argv, "--deep"])
        interleave([import_tf, import_torch, static, deep], args.repeats, env)
        for series in (import_tf, import_torch):
            if any(series.exit_codes):
                sys.exit(f"{series.name} failed (exit codes {series.exit_codes})")
        report = subprocess.run(deep.argv, capture_output=True, text=True, env=env, timeout=900, check=False)
    baseline = Series("sum of the bare imports", [], times=[import_tf.median + import_torch.median], peak_mib=[0.0])
    ratio = deep.median / baseline.median
    print(f"cores: {cores}   repeats: {args.repeats}   (medians of wall-clock time, same machine, same run)\n")
    print(table([import_tf, import_torch, baseline, static, deep], baseline))
    try:
        probes = json.loads(report.stdout).get("details", {}).get("deep", {}).get("probes", {})
    except ValueError:
        probes = {}
    for key, probe in probes.items():
        print(f"  probe {key:<11} {probe.get('status', '?'):<9} {probe.get('seconds', 0):6.2f} s")
    verdict = "PASS" if ratio <= args.goal else "MISS"
    print(f"\n{verdict}: doctor --deep took {ratio:.2f}x the sum of the bare imports (goal <= {args.goal:g})")
    return 0 if ratio <= args.goal else 1


if __name__ == "__main__":
    sys.exit(main())
