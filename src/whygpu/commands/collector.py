"""``whygpu collector``: write ``collect.py``, the snapshot collector as one standard-library Python 3.8+ file."""

from __future__ import annotations

import argparse
import os
import sys

# Not ``typing`` itself: ``whygpu --help`` imports every command module, and typing costs as much
# as argparse. mypy reads any ``TYPE_CHECKING`` name as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "collector",
        help="write collect.py: the snapshot collector as one file that runs in any Python 3.8+ with nothing installed",
        description="Write the snapshot collector as one standard-library Python file (collect.py). Run it on a "
        "machine where whygpu is not installed (a job's own image, a conda env with a broken pip): "
        "'python collect.py -o snap.json', then 'whygpu doctor --from snap.json' or 'whygpu fleet DIR'. "
        "For fleets, see 'whygpu azureml job', 'whygpu slurm' and 'whygpu kubernetes'.",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="where to write collect.py (default: stdout)")


def write_generated(text: str, output: str | None, *, executable: bool = False) -> None:
    """Write a generated file (no report, nothing to redact) to ``output`` or stdout; unwritable is bad input."""
    from whygpu.errors import UserError

    if not output:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        parent = os.path.dirname(output)
        if parent:
            os.makedirs(parent, exist_ok=True)
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
        if executable:
            os.chmod(output, 0o755)
    except OSError as exc:
        raise UserError(f"cannot write: {exc.strerror or exc}", where=output) from None


def run(args: argparse.Namespace) -> int:
    from whygpu.collector.bundle import build_collector

    write_generated(build_collector(), args.output, executable=True)
    return 0
