"""Benchmark: `whygpu lint` against `python -m compileall -q` on the same tree, side by side.

Both read and parse every file. The default tree is generated: N framework-heavy training scripts
(PyTorch, TensorFlow/Keras and JAX, each with models, data loaders and training loops), the case
where lint does the most work per file. ``--tree DIR`` copies a real tree instead (an installed
site-packages, a repository). Two copies are made, one per tool; compileall's __pycache__ folders
are removed before each of its runs so that every run compiles everything. Runs are interleaved;
medians of wall time and of CPU time (user + system of the child) are compared, with peak RSS.
``--scaling`` also lints a tree four times as large, to show how memory grows with the file count.

``--before SRC`` adds a third series: whygpu from another checkout's src/ (e.g. main), in the same runs.

Usage: python3 bench/lint_bench.py [--scripts N | --tree DIR] [--repeats N] [--scaling] [--before SRC]
Goal: whygpu lint within 1.5x the time of compileall.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _measure import run_measured

GOAL = 1.5

TORCH = '''"""Training script {i}."""
import argparse
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
import numpy as np


class Block{i}(nn.Module):
    def __init__(self, width: int = {w}) -> None:
        super().__init__()
        self.fc1 = nn.Linear(width, width * 2)
        self.fc2 = nn.Linear(width * 2, width)
        self.norm = nn.LayerNorm(width)

    def forward(self, x):
        return self.norm(x + self.fc2(F.gelu(self.fc1(x))))


class Data{i}(Dataset):
    def __init__(self, n: int) -> None:
        self.x = np.random.randn(n, {w}).astype("float32")

    def __len__(self) -> int:
        return len(self.x)

    def __getitem__(self, index):
        return torch.from_numpy(self.x[index]), torch.tensor(index % 10)


def evaluate(model, loader, device):
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            correct += (model(x).argmax(-1) == y).sum().item()
    return correct / len(loader.dataset)


def train(args):
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model = nn.Sequential(*[Block{i}() for _ in range({d})], nn.Linear({w}, 10)).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr)
    loader = DataLoader(Data{i}(1024), batch_size=64, shuffle=True, num_workers=4, pin_memory=True)
    for epoch in range(args.epochs):
        model.train()
        for step, (x, y) in enumerate(loader):
            x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            loss = F.cross_entropy(model(x), y)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if step % 100 == 0:
                print(f"epoch {{epoch}} step {{step}} loss {{loss.item():.4f}}")
        print("accuracy", evaluate(model, loader, device))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--epochs", type=int, default=3)
    train(parser.parse_args())
'''

KERAS = '''"""Keras training {i}."""
import os
import tensorflow as tf


def dataset(batch: int = {w}) -> tf.data.Dataset:
    (x, y), _ = tf.keras.datasets.mnist.load_data()
    ds = tf.data.Dataset.from_tensor_slices((x / 255.0, y)).shuffle(10000).batch(batch)
    return ds.map(lambda a, b: (tf.expand_dims(a, -1), b), num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)


def build(depth: int = {d}) -> tf.keras.Model:
    layers = [tf.keras.layers.Conv2D(32, 3, activation="relu", input_shape=(28, 28, 1))]
    for _ in range(depth):
        layers += [tf.keras.layers.Conv2D(64, 3, padding="same", activation="relu"), tf.keras.layers.BatchNormalization()]
    layers += [tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Dense(10)]
    return tf.keras.Sequential(layers)


def main() -> None:
    print("GPUs:", tf.config.list_physical_devices("GPU"))
    strategy = tf.distribute.MirroredStrategy()
    with strategy.scope():
        model = build()
        model.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    callbacks = [tf.keras.callbacks.ModelCheckpoint(os.path.join("ckpt", "model_{{epoch}}.keras"))]
    model.fit(dataset(), epochs={d}, callbacks=callbacks)


if __name__ == "__main__":
    main()
'''

JAX = '''"""JAX training {i}."""
import jax
import jax.numpy as jnp
import optax
from flax import linen as nn


class MLP{i}(nn.Module):
    features: int = {w}

    @nn.compact
    def __call__(self, x):
        for _ in range({d}):
            x = nn.relu(nn.Dense(self.features)(x))
        return nn.Dense(10)(x)


def loss_fn(params, model, x, y):
    logits = model.apply(params, x)
    return optax.softmax_cross_entropy_with_integer_labels(logits, y).mean()


@jax.jit
def update(params, opt_state, x, y):
    loss, grads = jax.value_and_grad(loss_fn)(params, MLP{i}(), x, y)
    updates, opt_state = optax.adam(1e-3).update(grads, opt_state)
    return optax.apply_updates(params, updates), opt_state, loss


def main() -> None:
    print(jax.devices())
    key = jax.random.PRNGKey({i})
    x = jax.random.normal(key, (256, {w}))
    y = jnp.zeros((256,), dtype=jnp.int32)
    params = MLP{i}().init(key, x)
    opt_state = optax.adam(1e-3).init(params)
    for step in range(100):
        params, opt_state, loss = update(params, opt_state, x, y)
        if step % 10 == 0:
            print(step, float(loss))


if __name__ == "__main__":
    main()
'''


def generate(root: Path, count: int) -> None:
    """``count`` framework-heavy scripts in 20 packages (half PyTorch, a quarter Keras, a quarter JAX);
    one in eight keeps its model on the CPU, so that lint has findings to report."""
    rng = random.Random(1)
    for i in range(count):
        template = (TORCH, TORCH, KERAS, JAX)[i % 4]
        folder = root / f"pkg{i % 20}"
        folder.mkdir(parents=True, exist_ok=True)
        text = template.format(i=i, w=rng.choice([64, 128, 256]), d=rng.randint(1, 6))
        if i % 8 == 0:
            # One script in eight never moves its model to the GPU: real findings, so the report is not empty.
            text = re.sub(r"\.to\(device[^)]*\)", "", text).replace(", num_workers=4", "")
        (folder / f"train_{i}.py").write_text(text, encoding="utf-8")


@dataclass
class Runs:
    """Repeated runs of one command."""

    name: str
    argv: list[str]
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak: list[float] = field(default_factory=list)

    def add(self, env: dict[str, str] | None = None) -> None:
        wall, cpu, peak, code = run_measured(self.argv, env)
        # compileall exits 1 when some file does not compile (real trees hold a few); it still read them all.
        if code and not (self.name.startswith("python -m compileall") and code == 1):
            sys.exit(f"{self.name} failed with exit code {code}")
        self.wall.append(wall)
        self.cpu.append(cpu)
        self.peak.append(peak)


def _drop_bytecode(tree: Path) -> None:
    for cache in list(tree.rglob("__pycache__")):
        shutil.rmtree(cache, ignore_errors=True)


def _lint_argv(tree: Path, report: Path) -> list[str]:
    # The same interpreter start as compileall's: ``python -m``, not a console-script shim.
    return [sys.executable, "-m", "whygpu", "lint", str(tree), "--isolated", "--no-gitignore", "--no-azureml-schema", "--fail-on", "never", "--json", "-o", str(report)]


def _count(tree: Path) -> tuple[int, int]:
    files = [p for p in tree.rglob("*.py") if "__pycache__" not in p.parts]
    return len(files), sum(p.stat().st_size for p in files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scripts", type=int, default=1000, help="generate this many framework-heavy scripts (default)")
    parser.add_argument("--tree", help="copy this tree instead (e.g. a site-packages)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--scaling", action="store_true", help="also lint a tree 4x as large and compare peak memory")
    parser.add_argument("--before", metavar="SRC", help="another checkout's src/ directory to run side by side (e.g. /work/main/src)")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    with tempfile.TemporaryDirectory(prefix="whygpu-lint-bench-") as tmp:
        lint_tree, compile_tree = Path(tmp) / "lint", Path(tmp) / "compile"
        if args.tree:
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.so", "*.so.*", "*.a", "*.dylib", "*.pyd")
            shutil.copytree(args.tree, lint_tree, symlinks=True, ignore=ignore)
            described = args.tree
        else:
            generate(lint_tree, args.scripts)
            described = f"{args.scripts} generated framework-heavy scripts"
        shutil.copytree(lint_tree, compile_tree, symlinks=True)
        count, size = _count(lint_tree)
        report = Path(tmp) / "report.json"
        lint = Runs("python -m whygpu lint --json", _lint_argv(lint_tree, report))
        compile_ = Runs("python -m compileall -q", [sys.executable, "-m", "compileall", "-q", str(compile_tree)])
        before: Runs | None = None
        before_env = {**env, "PYTHONPATH": str(Path(args.before).resolve())} if args.before else env
        if args.before:
            before = Runs(f"python -m whygpu lint --json ({args.before})", _lint_argv(lint_tree, Path(tmp) / "before.json"))
            run_measured(before.argv, before_env)
        # Warm-up: page cache for both copies, whygpu's own bytecode.
        run_measured(lint.argv, env)
        _drop_bytecode(compile_tree)
        run_measured(compile_.argv)
        for _ in range(args.repeats):
            lint.add(env)
            _drop_bytecode(compile_tree)
            compile_.add()
            if before is not None:
                before.add(before_env)
        data = json.loads(report.read_text(encoding="utf-8"))
        scaled: Runs | None = None
        if args.scaling:
            big = Path(tmp) / "big"
            for k in range(4):
                shutil.copytree(lint_tree, big / f"copy{k}", symlinks=True)
            scaled = Runs("whygpu lint --json (4x the files)", _lint_argv(big, Path(tmp) / "big.json"))
            for _ in range(max(1, args.repeats // 2)):
                scaled.add(env)
    print(f"tree: {described} ({count} .py files, {size / 1e6:.1f} MB); repeats: {args.repeats} (median); {os.cpu_count()} cores")
    print(f"whygpu lint reported {len(data['findings'])} findings and {len(data.get('not_checked', []))} not-checked files on it\n")
    base_wall, base_cpu = statistics.median(compile_.wall), statistics.median(compile_.cpu)
    print("| command | median wall s | vs compileall | median CPU s | vs compileall | peak RSS MiB |")
    print("|---|---|---|---|---|---|")
    for runs in [compile_, lint] + ([before] if before else []) + ([scaled] if scaled else []):
        wall, cpu = statistics.median(runs.wall), statistics.median(runs.cpu)
        print(f"| {runs.name} | {wall:.3f} | {wall / base_wall:.2f}x | {cpu:.3f} | {cpu / base_cpu:.2f}x | {max(runs.peak):.0f} |")
    wall_ratio = statistics.median(lint.wall) / base_wall
    cpu_ratio = statistics.median(lint.cpu) / base_cpu
    print(f"\nwhygpu lint / compileall: wall {wall_ratio:.2f}x, CPU {cpu_ratio:.2f}x (goal <= {GOAL}x): {'met' if max(wall_ratio, cpu_ratio) <= GOAL else 'NOT met'}")
    if scaled is not None:
        grown = max(scaled.peak) - max(lint.peak)
        print(f"memory: {count} -> {4 * count} files adds {grown:.0f} MiB peak RSS ({grown * 1024 / (3 * count):.1f} KiB per file)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
