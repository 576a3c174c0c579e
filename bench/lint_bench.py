"""Benchmark: `whygpu lint` on a large tree of Python files against `python -m compileall -q` on a copy of it.

Both have to read and parse every file. The tree is an installed site-packages (thousands of files),
copied twice into a temporary directory; compileall's __pycache__ folders are removed before each
of its runs so that every run compiles everything. Runs are interleaved; medians are compared.

Usage: python3 bench/lint_bench.py [--tree DIR] [--repeats N]
Goal: whygpu lint within 2x the time of compileall (ratio <= 2.0).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _measure import Series, run_once, table


def _count(tree: Path) -> tuple[int, int]:
    files = [p for p in tree.rglob("*.py") if "__pycache__" not in p.parts]
    return len(files), sum(p.stat().st_size for p in files)


def _drop_bytecode(tree: Path) -> None:
    for cache in list(tree.rglob("__pycache__")):
        shutil.rmtree(cache, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", default=sysconfig.get_paths()["purelib"], help="tree to copy (default: this Python's site-packages)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    whygpu = shutil.which("whygpu") or sys.exit("whygpu is not installed (pip install -e .)")
    source = Path(args.tree)
    with tempfile.TemporaryDirectory(prefix="whygpu-lint-bench-") as tmp:
        lint_tree, compile_tree = Path(tmp) / "lint", Path(tmp) / "compile"
        # Shared libraries are neither linted nor compiled: leaving them out saves copying gigabytes.
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.so", "*.so.*", "*.a", "*.dylib", "*.pyd")
        shutil.copytree(source, lint_tree, symlinks=True, ignore=ignore)
        shutil.copytree(source, compile_tree, symlinks=True, ignore=ignore)
        count, size = _count(lint_tree)
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        report = Path(tmp) / "report.json"
        lint = Series(
            "whygpu lint --isolated --no-gitignore --no-azureml-schema --json",
            [whygpu, "lint", str(lint_tree), "--isolated", "--no-gitignore", "--no-azureml-schema", "--fail-on", "never", "--json", "-o", str(report)],
        )
        compile_ = Series("python -m compileall -q", [sys.executable, "-m", "compileall", "-q", str(compile_tree)])
        # Warm-up: page cache for both copies, whygpu's own bytecode.
        run_once(lint.argv, env)
        _drop_bytecode(compile_tree)
        run_once(compile_.argv)
        for _ in range(args.repeats):
            seconds, peak, code = run_once(lint.argv, env)
            lint.times.append(seconds)
            lint.peak_mib.append(peak)
            lint.exit_codes.append(code)
            _drop_bytecode(compile_tree)
            seconds, peak, code = run_once(compile_.argv)
            compile_.times.append(seconds)
            compile_.peak_mib.append(peak)
            compile_.exit_codes.append(code)
        if any(lint.exit_codes):
            sys.exit(f"whygpu lint failed (exit codes {lint.exit_codes})")
        import json

        findings = len(json.loads(report.read_text())["findings"])
    print(f"tree: {source} ({count} .py files, {size / 1e6:.1f} MB); repeats: {args.repeats} (median); {os.cpu_count()} cores")
    print(f"whygpu lint reported {findings} findings on it\n")
    print(table([compile_, lint], compile_))
    ratio = lint.median / compile_.median
    print(f"\nwhygpu lint / compileall = {ratio:.2f}x (goal <= 2.0x): {'met' if ratio <= 2.0 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
