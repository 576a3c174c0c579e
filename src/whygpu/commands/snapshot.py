"""``whygpu snapshot``: collect every fact into one redacted JSON file to diagnose anywhere with ``doctor --from``."""

from __future__ import annotations

import argparse

# Not ``typing`` itself: ``whygpu --help`` imports every command module, and typing costs as much
# as argparse. mypy reads any ``TYPE_CHECKING`` name as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def register(sub: Any) -> None:
    from whygpu.commands.common import seconds
    from whygpu.commands.doctor import add_selection_options

    parser = sub.add_parser(
        "snapshot",
        help="write every fact to one JSON file (diagnose it later with 'whygpu doctor --from FILE')",
        description="Collect every fact about this machine and Python environment into one versioned, redacted JSON document.",
    )
    add_selection_options(parser)
    parser.add_argument("--deep", action="store_true", help="include the framework probes of 'doctor --deep'")
    parser.add_argument("--deep-timeout", type=seconds, default=60.0, metavar="S", help="timeout per framework probe with --deep")
    parser.add_argument("-o", "--output", metavar="FILE", help="where to write the snapshot (default: stdout)")


def run(args: argparse.Namespace) -> int:
    import json

    from whygpu.api import build_snapshot
    from whygpu.commands.common import emit

    snapshot = build_snapshot(python=args.python, root=args.root, offline=args.offline, timeout_s=args.timeout,
                              deep=args.deep, deep_timeout_s=args.deep_timeout)
    from whygpu.redact import redact_deep

    # Redacted string by string before serialising: a pass over the JSON text could break an escape.
    emit(json.dumps(redact_deep(snapshot.to_json()), indent=2, ensure_ascii=False), args.output, redacted=True)
    return 0
