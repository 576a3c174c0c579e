"""Benchmark: ``whygpu explain`` against ``grep -c -E`` over the signatures' patterns, on three kinds of log.

Each kind of log is built here, from real line shapes, to the size asked:

- ``tf-quiet``: TensorFlow's own start-up and run-time lines (device placement, XLA, cuDNN,
  allocator, profiler...) that hold a prefilter word (gpu, cuda, cpu, dnn...) but match no
  signature: every line is a candidate and none is a finding;
- ``keras``: 95% Keras progress lines, the rest ordinary training output;
- ``train-benign``: ordinary training output (Keras, tqdm, Hugging Face, Lightning, logging lines)
  with 2% of its lines the harmless TensorFlow and loader lines that benign signatures match,
  repeated all through the file.

A dozen real failure lines are spread through each log, so whygpu has something to find. Both
commands read the same file, warm in the page cache, best of ``--repeat``; the table gives wall
and CPU time (user + system, any child process included), the ratios to grep, and whygpu's peak
RSS. Goal: CPU time within 3x grep's, peak RSS under 100 MB.

whygpu's bytecode is compiled once first, as pip does when it installs a package (a checkout
run with PYTHONDONTWRITEBYTECODE would otherwise compile every module from source on each run,
about 0.05 s of CPU that no installed whygpu pays). ``--engine re2`` hides the ``hyperscan``
package (the ``fast`` extra) from whygpu, to measure the scan without it.

    python3 bench/explain_bench.py --size-mb 200            # all three kinds
    python3 bench/explain_bench.py --size-mb 1024 --repeat 1 --kinds keras
    python3 bench/explain_bench.py --size-mb 200 --engine re2
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Ordinary training output (no GPU words): Keras, Hugging Face, Lightning, plain logging.
TRAINING = (
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
TRAINING_WEIGHTS = (1, 30, 10, 20, 3, 2, 1, 1, 20)

# Keras progress lines (Keras 2 and Keras 3), as a log file captures them.
KERAS = (
    "{s:4d}/1875 [==============================] - {t}s {m}us/step - loss: {a:.4f} - accuracy: {b:.4f}\n",
    "{s:4d}/1875 [=======>......................] - ETA: {t}s - loss: {a:.4f} - accuracy: {b:.4f}\n",
    "\x1b[1m{s:4d}/1875\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m\x1b[37m\x1b[0m \x1b[1m{t}s\x1b[0m {m}us/step - accuracy: {b:.4f} - loss: {a:.4f}\n",
    "1875/1875 [==============================] - {t}s {m}us/step - loss: {a:.4f} - accuracy: {b:.4f} - val_loss: {c:.4f} - val_accuracy: {b:.4f}\n",
)
KERAS_WEIGHTS = (40, 40, 15, 5)

_TS = "2023-0{e1}-1{e2} 1{t1}:{t:02d}:{t:02d}.{u:06d}"
# TensorFlow's own lines that hold a prefilter word but are not signatures (from real TF 2.x logs).
TF_QUIET = (
    _TS + ": I tensorflow/core/common_runtime/executor.cc:1197] [/device:CPU:0] (DEBUG INFO) Executor start aborting (this does not indicate an error and you can ignore this message): INVALID_ARGUMENT: You must feed a value for placeholder tensor 'Placeholder/_0' with dtype int32\n",
    _TS + ": I tensorflow/core/grappler/optimizers/custom_graph_optimizer_registry.cc:114] Plugin optimizer for device_type GPU is enabled.\n",
    _TS + ": I tensorflow/compiler/xla/service/service.cc:168] XLA service 0x{m:x}5c5a0 initialized for platform CUDA (this does not guarantee that XLA will be used). Devices:\n",
    _TS + ": W tensorflow/core/common_runtime/gpu/gpu_bfc_allocator.cc:42] Overriding orig_value setting because the TF_FORCE_GPU_ALLOW_GROWTH environment variable is set. Original config value was 0.\n",
    _TS + ": I tensorflow/core/common_runtime/gpu/gpu_process_state.cc:222] Using CUDA malloc Async allocator for GPU: 0\n",
    _TS + ": W tensorflow/core/kernels/gpu_utils.cc:50] Failed to allocate memory for convolution redzone checking; skipping this check. This is benign and only means that we won't check cudnn for out-of-bounds reads and writes. This message will only be printed once.\n",
    _TS + ": I tensorflow/compiler/xla/stream_executor/cuda/cuda_blas.cc:1760] TensorFloat-32 will be used for the matrix multiplication. This will only be logged once.\n",
    _TS + ": I tensorflow/core/profiler/internal/gpu/cupti_tracer.cc:1414] CUPTI activity buffer flushed\n",
    _TS + ": I tensorflow/core/profiler/internal/gpu/device_tracer.cc:223]  GpuTracer has collected {m} callback api events and {m} activity events.\n",
    _TS + ": I tensorflow/compiler/xla/stream_executor/gpu/asm_compiler.cc:328] ptxas warning : Registers are spilled to local memory in function 'fusion_{m}', 8 bytes spill stores, 8 bytes spill loads\n",
    _TS + ": I tensorflow/core/common_runtime/gpu/gpu_device.cc:1886] Adding visible gpu devices: 0\n",
    _TS + ": I tensorflow/core/common_runtime/gpu/gpu_device.cc:1268] Device interconnect StreamExecutor with strength 1 edge matrix:\n",
    _TS + ": I tensorflow/core/kernels/data/shuffle_dataset_op.cc:{m}] Filling up shuffle buffer (this may take a while): {s} of 10000 on /device:CPU:0\n",
    _TS + ": I tensorflow/core/common_runtime/gpu/gpu_util.cc:{m}] GPU memory usage before step {s}: {c:.2f} GiB in use\n",
    _TS + ": W tensorflow/core/data/root_dataset.cc:286] Optimization loop failed: CANCELLED: Operation was cancelled; running on /job:localhost/replica:0/task:0/device:CPU:0\n",
)
TRAINING_TF = (
    _TS + ": I tensorflow/core/grappler/optimizers/data/replicate_on_split.cc:32] Running replicate on split optimization\n",
    _TS + ": I tensorflow/tsl/profiler/lib/profiler_session.cc:104] Profiler session initializing.\n",
)


def _values(rng: random.Random, step: int) -> dict[str, object]:
    return {
        "e": step % 100, "s": step % 1875, "t": step % 60, "a": rng.random(), "b": rng.random(),
        "c": rng.random() * 5, "d": rng.random() * 1e-4, "f": step / 1000, "p": step % 100,
        "m": step % 1000, "u": rng.randrange(1000000), "e1": 1 + step % 9, "e2": step % 10, "t1": step % 10,
    }


def _benign_lines() -> list[str]:
    """The example lines of the benign signatures, as a training log repeats them."""
    from whygpu.explain.catalogue import catalogue

    return [s.example.strip().strip('"') + "\n" for s in catalogue().signatures if s.kind == "benign"]


def _no_signature(templates: tuple[str, ...]) -> tuple[str, ...]:
    """The templates none of whose lines a signature matches (checked, not assumed)."""
    from whygpu.explain.catalogue import catalogue
    from whygpu.explain.scan import Matcher

    matcher = Matcher(catalogue())
    rng = random.Random(1)
    keep = []
    for template in templates:
        if not any(matcher.match(template.format(**_values(rng, step)).rstrip("\n")) for step in range(1, 40)):
            keep.append(template)
    return tuple(keep)


def block_for(kind: str, rng: random.Random) -> str:
    """About 20,000 lines of one kind of log."""
    lines: list[str] = []
    if kind == "tf-quiet":
        quiet = _no_signature(TF_QUIET)
        for step in range(1, 20001):
            lines.append(rng.choice(quiet).format(**_values(rng, step)))
    elif kind == "keras":
        for step in range(1, 20001):
            if rng.random() < 0.95:
                template = rng.choices(KERAS, KERAS_WEIGHTS)[0]
            else:
                template = rng.choices(TRAINING + TRAINING_TF, (*TRAINING_WEIGHTS, 2, 2))[0]
            lines.append(template.format(**_values(rng, step)))
    elif kind == "train-benign":
        benign = _benign_lines()
        for step in range(1, 20001):
            if rng.random() < 0.02:
                lines.append(rng.choice(benign))
            else:
                lines.append(rng.choices(TRAINING, TRAINING_WEIGHTS)[0].format(**_values(rng, step)))
    else:
        raise ValueError(kind)
    return "".join(lines)


KINDS = ("tf-quiet", "keras", "train-benign")


def generate(path: Path, kind: str, size_mb: int, seed: int = 7) -> int:
    """Write about ``size_mb`` MiB of one kind of log with a dozen real failure lines spread through it."""
    from whygpu.explain.catalogue import catalogue

    rng = random.Random(seed)
    examples = [s.example for s in catalogue().signatures if s.kind == "failure"][:12]
    chunk = block_for(kind, rng).encode()
    target = size_mb << 20
    written = inserted = 0
    with path.open("wb") as out:
        while written < target:
            out.write(chunk)
            written += len(chunk)
            if inserted < len(examples) and written >= (inserted + 1) * target // (len(examples) + 1):
                line = (examples[inserted] + "\n").encode()
                out.write(line)
                written += len(line)
                inserted += 1
    return written


# Python's class escapes as POSIX ERE: outside a bracket expression as one of their own, inside one (where an ERE
# takes no escapes) as the character class's name. A line grep reads holds no newline, so \n and \r inside one are a
# carriage return (a literal character; a newline would split the pattern in two).
_ERE_OUTSIDE = {"d": "[0-9]", "s": "[[:space:]]", "S": "[^[:space:]]"}
_ERE_INSIDE = {"d": "0-9", "s": "[:space:]", "n": "\r", "r": "\r"}


def to_ere(pattern: str) -> str:
    """The rewrite the tests check (tests/explain/test_signatures.py): a signature's Python regex as a POSIX ERE for grep -E."""
    text = re.sub(r"\(\?P<\w+>", "(", pattern).replace("(?:", "(")
    out: list[str] = []
    inside = False
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            escaped = text[i + 1]
            table = _ERE_INSIDE if inside else _ERE_OUTSIDE
            out.append(table.get(escaped, char + escaped))
            i += 2
            continue
        if char == "[" and not inside:
            inside = True
            out.append(char)
            # A ] first in the set (after an optional ^) is a member, not the end.
            for lead in ("^", "]"):
                if text.startswith(lead, i + 1):
                    out.append(lead)
                    i += 1
        elif char == "]" and inside:
            inside = False
            out.append(char)
        else:
            out.append(char)
        i += 1
    return "".join(out)


def measure(cmd: list[str], repeat: int, env: dict[str, str]) -> dict[str, float]:
    """Best wall and best CPU time (user + system of the command and its children) over ``repeat`` runs, and peak RSS."""
    best_wall = best_cpu = float("inf")
    rss_kib = 0
    out = b""
    for _ in range(repeat):
        # A fresh child per run: RUSAGE_CHILDREN's peak RSS is that of the largest child so far,
        # so the wrapper below reports the command's own.
        wrapper = [sys.executable, "-c", _RUN, *cmd]
        start = time.perf_counter()
        done = subprocess.run(wrapper, capture_output=True, env=env, check=False, timeout=7200)
        wall = time.perf_counter() - start
        stats = json.loads(done.stderr.decode().strip().splitlines()[-1])
        best_wall = min(best_wall, wall)
        best_cpu = min(best_cpu, stats["cpu"])
        rss_kib = max(rss_kib, stats["rss"])
        out = done.stdout
    return {"wall": best_wall, "cpu": best_cpu, "rss_mb": rss_kib / 1024, "stdout": out}  # type: ignore[dict-item]


# Runs the command, passes its stdout through, and prints its CPU time and peak RSS as JSON on stderr.
_RUN = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
sys.stdout.buffer.write(done.stdout)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss}), file=sys.stderr)
"""


# whygpu's command line with the ``hyperscan`` package made unimportable (as where it is not installed).
_WITHOUT_HYPERSCAN = "import sys; sys.modules['hyperscan'] = None; sys.argv[0] = 'whygpu'; from whygpu.cli import entry; entry()"


def whygpu_command(engine: str) -> list[str]:
    """``python -m whygpu``, or with ``engine`` "re2" the same entry point without Hyperscan."""
    if engine == "re2":
        return [sys.executable, "-c", _WITHOUT_HYPERSCAN]
    return [sys.executable, "-m", "whygpu"]


def run_kind(kind: str, size_mb: int, repeat: int, workdir: Path, patterns: Path, env: dict[str, str],
             keep: Callable[[str], Path | None], engine: str = "auto") -> dict[str, object]:
    """Generate one kind of log and time both commands on it."""
    log = keep(kind) or workdir / f"{kind}.log"
    size = generate(log, kind, size_mb)
    subprocess.run(["cat", str(log)], stdout=subprocess.DEVNULL, check=False)  # into the page cache
    grep = measure(["grep", "-c", "-E", "-f", str(patterns), str(log)], repeat, env)
    whygpu = measure([*whygpu_command(engine), "explain", "--json", str(log)], repeat, env)
    report = json.loads(whygpu["stdout"] or b"{}")  # type: ignore[arg-type]
    if keep(kind) is None:
        log.unlink()
    return {
        "kind": kind,
        "log_mb": round(size / (1 << 20), 1),
        "grep_wall_s": round(grep["wall"], 3),
        "grep_cpu_s": round(grep["cpu"], 3),
        "grep_matching_lines": int((grep["stdout"] or b"0").strip() or 0),  # type: ignore[union-attr]
        "whygpu_wall_s": round(whygpu["wall"], 3),
        "whygpu_cpu_s": round(whygpu["cpu"], 3),
        "ratio_wall": round(whygpu["wall"] / grep["wall"], 2),
        "ratio_cpu": round(whygpu["cpu"] / grep["cpu"], 2),
        "whygpu_peak_rss_mb": round(whygpu["rss_mb"], 1),
        "whygpu_causes": [c["code"] for c in report.get("causes", [])][:4],
    }


def table(rows: list[dict[str, object]]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| log | MB | grep wall | grep CPU | whygpu wall | whygpu CPU | x grep (wall) | x grep (CPU) | whygpu peak RSS |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['kind']} | {r['log_mb']} | {r['grep_wall_s']} s | {r['grep_cpu_s']} s | {r['whygpu_wall_s']} s | "
            f"{r['whygpu_cpu_s']} s | {r['ratio_wall']} | {r['ratio_cpu']} | {r['whygpu_peak_rss_mb']} MB |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200, help="size of each generated log (default 200)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command; the best time counts (default 3)")
    parser.add_argument("--kinds", default=",".join(KINDS), help=f"comma-separated, of {', '.join(KINDS)}")
    parser.add_argument("--keep", metavar="DIR", help="write the logs here and keep them (default: a temporary folder)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON as well")
    parser.add_argument("--engine", choices=("auto", "re2"), default="auto",
                        help="auto: Hyperscan where installed (the fast extra), else RE2; re2: RE2 alone")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    import compileall

    from whygpu.explain.catalogue import catalogue
    from whygpu.explain.scan import hyperscan_available

    if shutil.which("grep") is None:
        print("grep is not installed", file=sys.stderr)
        return 2
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        print(f"unknown kind(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="whygpu-bench-"))
    keep_dir = Path(args.keep) if args.keep else None
    if keep_dir is not None:
        keep_dir.mkdir(parents=True, exist_ok=True)
    try:
        patterns = workdir / "patterns.txt"
        patterns.write_text("\n".join(to_ere(s.pattern) for s in catalogue().signatures) + "\n")
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), LC_ALL="C")
        # What pip does at install time (see the docstring).
        compileall.compile_dir(str(ROOT / "src" / "whygpu"), quiet=1)
        rows = [
            run_kind(kind, args.size_mb, args.repeat, workdir, patterns, env,
                     lambda k: keep_dir / f"{k}.log" if keep_dir else None, args.engine)
            for kind in kinds
        ]
        engine = "Hyperscan" if args.engine == "auto" and hyperscan_available() else "RE2"
        print(f"{len(catalogue().signatures)} signatures; scan engine {engine}; best of {args.repeat}; "
              "CPU = user + system\n")
        print(table(rows))
        if args.json:
            print(json.dumps(rows, indent=2))
        return 0 if all(float(r["whygpu_peak_rss_mb"]) < 100 for r in rows) else 1  # type: ignore[arg-type]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
