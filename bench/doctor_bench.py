"""Benchmark: `whygpu --json` against `python -m torch.utils.collect_env` and `python -c "import tensorflow"`, side by side.

Usage: python3 bench/doctor_bench.py [--repeats N] [--torch-venv DIR] [--tf-venv DIR]
Reports medians, ratios (baseline / whygpu: how many times faster whygpu is) and peak RSS.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _measure import Series, interleave, table


def main() -> int:
    venvs = Path(os.environ.get("WHYGPU_VENV_DIR", Path(__file__).resolve().parents[1] / ".venvs"))
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--torch-venv", default=str(venvs / "torchcpu"))
    parser.add_argument("--tf-venv", default=str(venvs / "tf221"))
    args = parser.parse_args()
    whygpu = shutil.which("whygpu") or sys.exit("whygpu is not installed (pip install -e .)")
    # An installed package has its bytecode compiled by pip; an editable checkout may not
    # (PYTHONDONTWRITEBYTECODE), so compile it once to measure what users run.
    import compileall

    import whygpu as package

    compileall.compile_dir(str(Path(package.__file__).parent), quiet=1)
    env = {**os.environ, "WHYGPU_IMDS_URL": "http://127.0.0.1:9"}

    torch_py = Path(args.torch_venv) / "bin" / "python"
    tf_py = Path(args.tf_venv) / "bin" / "python"
    for name, py in (("torch", torch_py), ("tensorflow", tf_py)):
        if not py.exists():
            sys.exit(f"{name} venv not found at {py.parent.parent} (run .ci/build-venvs)")

    torch_doctor = Series("whygpu --json --offline --python <torch venv>", [whygpu, "--json", "--offline", "--python", str(torch_py)])
    collect_env = Series("python -m torch.utils.collect_env", [str(torch_py), "-m", "torch.utils.collect_env"])
    tf_doctor = Series("whygpu --json --offline --python <tf venv>", [whygpu, "--json", "--offline", "--python", str(tf_py)])
    import_tf = Series('python -c "import tensorflow"', [str(tf_py), "-c", "import tensorflow"])
    help_ = Series("whygpu --help", [whygpu, "--help"])
    all_series = [torch_doctor, collect_env, tf_doctor, import_tf, help_]
    interleave(all_series, args.repeats, env)

    print(f"repeats: {args.repeats} (median of each), machine: {os.cpu_count()} cores\n")
    print("torch environment:")
    print(table([torch_doctor, collect_env], torch_doctor))
    print(f"\ncollect_env / whygpu = {collect_env.median / torch_doctor.median:.1f}x (goal >= 10x)\n")
    print("tensorflow environment:")
    print(table([tf_doctor, import_tf], tf_doctor))
    print(f"\nimport tensorflow / whygpu = {import_tf.median / tf_doctor.median:.1f}x\n")
    print(f"whygpu --help: median {help_.median:.3f} s, peak {help_.peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
