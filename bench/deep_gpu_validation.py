"""Runs ``whygpu doctor --deep`` on a GPU machine in the three situations issue 4 asks for, and saves the outputs.

    python bench/deep_gpu_validation.py --python /path/to/env/bin/python [--wrong-cuda DIR] [--out docs/gpu-validation]

``--python``: an environment with CUDA builds of PyTorch and JAX (e.g. ``pip install torch
"jax[cuda12]"``).  The situations:

1. healthy: expects ``gpu_usable`` true and exit status 0;
2. ``CUDA_VISIBLE_DEVICES=-1``: expects GPU_HIDDEN, confirmed by the frameworks' own answers;
3. ``LD_LIBRARY_PATH`` pointing at another CUDA (``--wrong-cuda``, default the newest
   /usr/local/cuda-*/lib64 whose major differs from torch's): expects the loaded-library
   rules (DEEP010/DEEP011) or a CUDA library cause, with the files the frameworks really loaded.

For each, the JSON and the verbose text report go to ``--out`` as ``<situation>.json`` and
``<situation>.txt``, with the exit status in ``summary.json``.  Needs a machine with an NVIDIA GPU.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import sys
from pathlib import Path


def doctor(python: str, env: dict[str, str], fmt: list[str]) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "whygpu", "doctor", "--deep", "--offline", "--python", python, *fmt]
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=900, check=False)


def torch_cuda_major(python: str) -> str | None:
    done = subprocess.run([python, "-c", "import torch; print(torch.version.cuda or '')"],
                          capture_output=True, text=True, timeout=300, check=False)
    text = done.stdout.strip()
    return text.split(".")[0] if text else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="interpreter of an environment with CUDA torch and jax")
    parser.add_argument("--wrong-cuda", help="a CUDA library directory of another version, for LD_LIBRARY_PATH")
    parser.add_argument("--out", default="docs/gpu-validation")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    wrong = args.wrong_cuda
    if not wrong:
        major = torch_cuda_major(args.python)
        candidates = [d for d in sorted(glob.glob("/usr/local/cuda-*/lib64")) if major is None or f"cuda-{major}." not in d]
        wrong = candidates[-1] if candidates else None
    base = {k: v for k, v in os.environ.items() if k not in ("CUDA_VISIBLE_DEVICES", "LD_LIBRARY_PATH")}
    situations: dict[str, dict[str, str]] = {"healthy": base, "cuda-visible-devices-minus-1": {**base, "CUDA_VISIBLE_DEVICES": "-1"}}
    if wrong:
        situations["ld-library-path-wrong-cuda"] = {**base, "LD_LIBRARY_PATH": wrong}
    else:
        print("no other CUDA found for the LD_LIBRARY_PATH situation (give --wrong-cuda)", file=sys.stderr)
    summary: dict[str, object] = {}
    for name, env in situations.items():
        as_json = doctor(args.python, env, ["--json"])
        as_text = doctor(args.python, env, ["-v"])
        (out / f"{name}.json").write_text(as_json.stdout, encoding="utf-8")
        (out / f"{name}.txt").write_text(as_text.stdout + ("\n--- stderr ---\n" + as_text.stderr if as_text.stderr else ""), encoding="utf-8")
        try:
            report = json.loads(as_json.stdout)
        except ValueError:
            report = {}
        summary[name] = {
            "exit_status": as_json.returncode,
            "gpu_usable": report.get("verdict", {}).get("gpu_usable"),
            "causes": [c["code"] for c in report.get("causes", [])],
            "deep_findings": sorted({f["id"] for f in report.get("findings", []) if f["id"].startswith("DEEP")}),
            "environment": {k: env[k] for k in ("CUDA_VISIBLE_DEVICES", "LD_LIBRARY_PATH") if k in env},
        }
        print(f"{name}: exit {as_json.returncode}, {summary[name]}")
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    healthy = summary.get("healthy", {})
    ok = isinstance(healthy, dict) and healthy.get("exit_status") == 0 and healthy.get("gpu_usable") is True
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
