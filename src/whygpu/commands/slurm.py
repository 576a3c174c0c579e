"""``whygpu slurm``: an ``sbatch`` script that runs the collector once on every node (``srun``, one task per node)."""

from __future__ import annotations

import argparse

# Not ``typing`` itself: ``whygpu --help`` imports every command module, and typing costs as much
# as argparse. mypy reads any ``TYPE_CHECKING`` name as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def register(sub: Any) -> None:
    from whygpu.commands.fleet_options import add_collector_options, positive_int

    parser = sub.add_parser(
        "slurm",
        help="write an sbatch script that takes one snapshot per node (read them with 'whygpu fleet')",
        description="Write a Slurm batch script: srun starts whygpu's collector (collect.py, from 'whygpu collector') "
        "once on every node, each writing one snapshot into a shared folder. Then: sbatch SCRIPT; whygpu fleet DIR.",
    )
    parser.add_argument("--nodes", type=positive_int, default=1, metavar="N", help="how many nodes (default 1)")
    parser.add_argument("--output-dir", default="whygpu-snapshots", metavar="DIR", help="shared folder for the snapshots, relative to where sbatch runs (default whygpu-snapshots)")
    parser.add_argument("--collector", default="collect.py", metavar="PATH", help="collect.py on a shared filesystem (default: collect.py where sbatch runs)")
    parser.add_argument("--python", default="python3", metavar="PATH", help="the Python 3.8+ on the nodes (default python3); a training env's python inspects that env")
    parser.add_argument("--partition", metavar="NAME", help="the partition (#SBATCH --partition)")
    parser.add_argument("--gres", metavar="SPEC", help="generic resources per node, e.g. gpu:8: where Slurm confines devices, a task sees only the GPUs it asked for")
    parser.add_argument("--time", default="00:15:00", metavar="LIMIT", help="time limit (default 00:15:00)")
    add_collector_options(parser)
    parser.add_argument("-o", "--output", metavar="FILE", help="write the script to FILE (default: stdout)")


def run(args: argparse.Namespace) -> int:
    from whygpu.collector.recipes import CollectorOptions, slurm_script
    from whygpu.commands.collector import write_generated

    options = CollectorOptions(deep=not args.no_deep, deep_timeout_s=args.deep_timeout)
    script = slurm_script(nodes=args.nodes, output_dir=args.output_dir, collector=args.collector, python=args.python,
                          options=options, partition=args.partition, gres=args.gres, time_limit=args.time)
    write_generated(script, args.output, executable=True)
    return 0
