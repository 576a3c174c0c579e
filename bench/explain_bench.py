"""Benchmark: ``whygpu explain`` against ``grep -c -E`` with the signatures' patterns, on one generated log.

Generates a log of ordinary training output (Keras and tqdm progress, Hugging Face and Lightning
lines, logging lines) with a few signature lines spread through it, then times, side by side on
the same file, ``grep -c -E -f patterns`` and ``whygpu explain --json`` (each best of --repeat),
and reports both times, their ratio and whygpu's peak RSS.  Goal: ratio <= 3, RSS < 100 MB.
On a machine with a second core whygpu reads a big plain file in two processes
(whygpu.explain.split): the wall-time ratio then counts both, and ``ratio_cpu`` compares the CPU
time of all of them with grep's; ``--one-core`` pins both commands to one core.

    python bench/explain_bench.py --size-mb 1024
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TEMPLATES = (
    "Epoch {e}/100\n",
    "{s:4d}/1875 [==============================] - ETA: {t}s - loss: {a:.4f} - accuracy: {b:.4f}\n",
    "{{'loss': {a:.4f}, 'grad_norm': {c:.3f}, 'learning_rate': {d:.2e}, 'epoch': {f:.2f}}}\n",
    "Epoch {e}:  {p:3d}%|#####     | {s}/938 [00:{t:02d}<01:{t:02d}, 14.{t:02d}it/s, loss={a:.3f}, v_num=3]\n",
    "2024-05-01 12:{t:02d}:{t:02d},{m:03d} - INFO - __main__ - ***** Running evaluation on step {s} *****\n",
    "[2024-05-01 12:{t:02d}:{t:02d}] INFO trainer.py:{m}: Saving model checkpoint to ./outputs/checkpoint-{s}\n",
    "/opt/conda/lib/python3.10/site-packages/transformers/optimization.py:411: FutureWarning: This implementation of AdamW is deprecated and will be removed in a future version.\n",
    "  eval_loss = {a:.4f}\n  eval_accuracy = {b:.4f}\n  eval_runtime = {c:.2f}\n",
    "train: step {s} | loss {a:.5f} | lr 3.0e-04 | tokens/s {m} | mem 21.3GiB\n",
)
WEIGHTS = (1, 30, 10, 20, 3, 2, 1, 1, 20)


def generate(path: Path, size_mb: int, seed: int = 7) -> int:
    """Write about ``size_mb`` MiB of training output with a dozen signature examples; return its size."""
    from whygpu.explain.catalogue import catalogue

    rng = random.Random(seed)
    examples = [s.example for s in catalogue().signatures if s.kind == "failure"][:12]
    target = size_mb << 20
    block: list[str] = []
    for step in range(1, 20001):
        template = rng.choices(TEMPLATES, WEIGHTS)[0]
        block.append(template.format(e=step % 100, s=step % 1875, t=step % 60, a=rng.random(), b=rng.random(),
                                     c=rng.random() * 5, d=rng.random() * 1e-4, f=step / 1000, p=step % 100, m=step % 1000))
    chunk = "".join(block).encode()
    written = 0
    inserted = 0
    with path.open("wb") as out:
        while written < target:
            out.write(chunk)
            written += len(chunk)
            # A few signature lines spread through the file.
            if inserted < len(examples) and written >= (inserted + 1) * target // (len(examples) + 1):
                line = (examples[inserted] + "\n").encode()
                out.write(line)
                written += len(line)
                inserted += 1
    return written


def to_ere(pattern: str) -> str:
    """The same rewrite the tests check: Python regex -> POSIX ERE for grep -E."""
    out = re.sub(r"\(\?P<\w+>", "(", pattern).replace("(?:", "(")
    return out.replace(r"\d", "[0-9]").replace(r"\s", "[[:space:]]").replace(r"\S", "[^[:space:]]")


def best_of(cmd: list[str], repeat: int, env: dict[str, str] | None = None) -> tuple[float, float, subprocess.CompletedProcess[bytes], int]:
    """Best wall time and best CPU time (user + system, with any worker) over ``repeat`` runs, the last result, and the peak RSS in KiB."""
    best = best_cpu = float("inf")
    done: subprocess.CompletedProcess[bytes] | None = None
    rss = 0
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, env=env, check=False, timeout=3600)
        best = min(best, time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best_cpu = min(best_cpu, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        rss = max(rss, after.ru_maxrss, before.ru_maxrss)
    assert done is not None
    return best, best_cpu, done, rss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="size of the generated log (default 1024)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command; the best time counts (default 3)")
    parser.add_argument("--keep", metavar="FILE", help="write the log here and keep it (default: a temporary file)")
    parser.add_argument("--one-core", action="store_true",
                        help="pin both commands to one core (taskset): whygpu then reads big files in one process")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from whygpu.explain.catalogue import catalogue

    grep = shutil.which("grep")
    if grep is None:
        print("grep is not installed", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="whygpu-bench-"))
    try:
        log = Path(args.keep) if args.keep else workdir / "train.log"
        size = generate(log, args.size_mb)
        patterns = workdir / "patterns.txt"
        patterns.write_text("\n".join(to_ere(s.pattern) for s in catalogue().signatures) + "\n")
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), LC_ALL="C")
        # Warm the page cache so both read the file from memory.
        subprocess.run(["cat", str(log)], stdout=subprocess.DEVNULL, check=False)
        pin: list[str] = []
        if args.one_core:
            taskset = shutil.which("taskset")
            if taskset is None:
                print("taskset is not installed", file=sys.stderr)
                return 2
            pin = [taskset, "-c", str(min(os.sched_getaffinity(0)))]
        g_time, g_cpu, g_done, _ = best_of([*pin, grep, "-c", "-E", "-f", str(patterns), str(log)], args.repeat, env)
        w_time, w_cpu, w_done, w_rss = best_of([*pin, sys.executable, "-m", "whygpu", "explain", "--json", str(log)], args.repeat, env)
        report = json.loads(w_done.stdout or b"{}")
        result = {
            "log_mb": round(size / (1 << 20), 1),
            "signatures": len(catalogue().signatures),
            "grep_s": round(g_time, 3),
            "grep_matching_lines": int(g_done.stdout.strip() or 0),
            "whygpu_s": round(w_time, 3),
            "whygpu_causes": [c["code"] for c in report.get("causes", [])][:6],
            "ratio": round(w_time / g_time, 2),
            "grep_cpu_s": round(g_cpu, 3),
            "whygpu_cpu_s": round(w_cpu, 3),
            "ratio_cpu": round(w_cpu / g_cpu, 2),
            "one_core": args.one_core,
            "whygpu_peak_rss_mb": round(w_rss / 1024, 1),
            "goal": "ratio <= 3, peak RSS < 100 MB",
        }
        print(json.dumps(result, indent=2))
        ok = result["whygpu_peak_rss_mb"] < 100
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
