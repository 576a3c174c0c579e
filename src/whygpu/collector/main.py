"""The collector's own command line: collect one snapshot and print it or write it, in any Python 3.8+.

This module is what ``whygpu collector`` bundles as the entry point of ``collect.py``, so it may
import only the standard library and the collector modules; the installed package runs the same
code (``whygpu.collector.main.main``), which is how the tests compare the two.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Mapping, Sequence
from typing import Any, Optional

# Environment variables that give this node's index in a multi-node job, first found wins:
# Slurm (https://slurm.schedmd.com/srun.html#SECTION_OUTPUT-ENVIRONMENT-VARIABLES), Kubernetes
# Indexed Jobs (https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode),
# Azure ML's PyTorch distribution (https://learn.microsoft.com/azure/machine-learning/how-to-train-distributed-gpu)
# and Open MPI (https://docs.open-mpi.org/en/main/tuning-apps/environment-var.html).
RANK_VARIABLES = ("SLURM_NODEID", "JOB_COMPLETION_INDEX", "NODE_RANK", "OMPI_COMM_WORLD_NODE_RANK", "OMPI_COMM_WORLD_RANK")


def build_parser() -> argparse.ArgumentParser:
    """The collector's options: what to inspect, the deep probes, and where the snapshot goes."""
    parser = argparse.ArgumentParser(
        prog="collect.py",
        description="Collect every fact whygpu needs about this machine and Python environment into one "
        "snapshot (JSON); read it anywhere with 'whygpu doctor --from FILE' or 'whygpu fleet DIR'.",
    )
    parser.add_argument("--python", metavar="PATH", help="interpreter of the environment to inspect (default: the one running this)")
    parser.add_argument("--root", metavar="DIR", help="inspect a filesystem tree instead of this machine; runs no commands")
    parser.add_argument("--offline", action="store_true", help="no network at all (skips the Azure Instance Metadata Service)")
    parser.add_argument("--timeout", type=float, default=5.0, metavar="S", help="timeout in seconds for each external command (default 5)")
    parser.add_argument("--deep", action="store_true", help="also start each framework in a child process and ask it for the GPU")
    parser.add_argument("--deep-timeout", type=float, default=60.0, metavar="S", help="timeout per framework probe with --deep (default 60)")
    parser.add_argument("--hostname", metavar="NAME", help="the node's name in the snapshot (default: this host's name), e.g. the Kubernetes node a pod runs on")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", metavar="FILE", help="write the snapshot to FILE (default: stdout)")
    where.add_argument("--output-dir", metavar="DIR", help="write the snapshot into DIR as <rank>-<host>.json (one file per node in a shared folder)")
    return parser


def node_rank(environ: Mapping[str, str]) -> Optional[int]:
    """This node's index in a multi-node job, from the first scheduler variable set to a number."""
    for name in RANK_VARIABLES:
        value = environ.get(name, "").strip()
        if value.isdigit():
            return int(value)
    return None


def snapshot_file_name(hostname: Optional[str], rank: Optional[int]) -> str:
    """``0003-node-a.json``: the rank (when known) then the host name, reduced to safe characters."""
    host = re.sub(r"[^A-Za-z0-9._-]+", "_", hostname or "").strip("._") or "node"
    return f"{rank:04d}-{host}.json" if rank is not None else f"{host}.json"


def collect(args: argparse.Namespace, environ: Mapping[str, str]) -> dict[str, Any]:
    """Collect the snapshot the options ask for and return its JSON data (redacted as every snapshot is)."""
    from whygpu.collector.build import build_snapshot

    snapshot = build_snapshot(python=args.python, root=args.root, offline=args.offline, timeout_s=args.timeout,
                              deep=args.deep, deep_timeout_s=args.deep_timeout, environ=dict(environ))
    if args.hostname:
        snapshot.source.hostname = args.hostname
    return snapshot.to_json()


def _write(path: str, text: str) -> None:
    """Write atomically, so a reader of a shared folder never sees half a snapshot."""
    partial = f"{path}.partial-{os.getpid()}"
    with open(partial, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(partial, path)


def main(argv: Optional[Sequence[str]] = None, environ: Optional[Mapping[str, str]] = None) -> int:
    """Run the collector; exit 0 with the snapshot written, 2 for bad usage, 3 for a bug."""
    from whygpu.errors import UserError
    from whygpu.redact import redact_deep

    env = dict(os.environ if environ is None else environ)
    try:
        args = build_parser().parse_args(argv)
        data = collect(args, env)
        text = json.dumps(redact_deep(data), indent=2, ensure_ascii=False) + "\n"  # string by string: escapes stay whole
        if args.output_dir:
            os.makedirs(args.output_dir, exist_ok=True)
            hostname = data.get("source", {}).get("hostname")
            target = os.path.join(args.output_dir, snapshot_file_name(hostname, node_rank(env)))
            _write(target, text)
            print(f"collect.py: wrote {target}", file=sys.stderr)
        elif args.output:
            _write(args.output, text)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
        return 0
    except UserError as exc:
        print(f"collect.py: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"collect.py: error: cannot write: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        print(f"collect.py: internal error: {type(exc).__name__}: {exc}. This is a bug in whygpu's collector; "
              "set WHYGPU_DEBUG=1 for the traceback.", file=sys.stderr)
        if env.get("WHYGPU_DEBUG"):
            import traceback

            traceback.print_exc()
        return 3
