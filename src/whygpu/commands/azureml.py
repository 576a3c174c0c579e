"""``whygpu azureml job``: an Azure ML command job that runs the collector once on every node of a cluster."""

from __future__ import annotations

import argparse
import os
import sys

# Not ``typing`` itself: ``whygpu --help`` imports every command module, and typing costs as much
# as argparse. mypy reads any ``TYPE_CHECKING`` name as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

CODE_FOLDER = "whygpu-collector"


def register(sub: Any) -> None:
    from whygpu.collector import AZUREML_DEFAULT_IMAGE
    from whygpu.commands.fleet_options import add_collector_options, positive_int

    parser = sub.add_parser(
        "azureml",
        help="write an Azure ML job that takes one snapshot per node (read them with 'whygpu fleet')",
        description="Recipes for Azure Machine Learning.",
    )
    recipes = parser.add_subparsers(dest="recipe", metavar="RECIPE", required=True, parser_class=type(parser))
    job = recipes.add_parser(
        "job",
        help="a command job running the collector once per node",
        description="Write an Azure ML command job (YAML) that runs whygpu's collector once on every node of a "
        f"compute cluster, one snapshot per node in its 'snapshots' output. collect.py goes into the folder "
        f"'{CODE_FOLDER}' beside the YAML (the job's code). Then: az ml job create -f job.yml; "
        "az ml job download -n JOB --output-name snapshots --download-path DIR; whygpu fleet DIR.",
    )
    job.add_argument("--compute", required=True, metavar="NAME", help="the compute cluster (azureml:NAME)")
    job.add_argument("--nodes", type=positive_int, default=1, metavar="N", help="how many nodes (instance_count; default 1)")
    where = job.add_mutually_exclusive_group()
    where.add_argument("--environment", metavar="ENV", help="a registered environment (NAME:VERSION or NAME@latest): the training job's own, so its frameworks are inspected")
    where.add_argument("--image", metavar="IMAGE", help=f"a Docker image with Python 3.8+ (default: {AZUREML_DEFAULT_IMAGE})")
    job.add_argument("--distribution", choices=("pytorch", "mpi"), default="pytorch", help="how Azure ML starts one process per node (default pytorch)")
    add_collector_options(job)
    job.add_argument("-o", "--output", metavar="FILE", help=f"write the job YAML to FILE and collect.py to {CODE_FOLDER}/ beside it (default: YAML to stdout, collect.py to ./{CODE_FOLDER}/)")


def run(args: argparse.Namespace) -> int:
    from whygpu.collector.bundle import build_collector
    from whygpu.collector.recipes import COLLECTOR_FILE, CollectorOptions, azureml_job, to_yaml
    from whygpu.commands.collector import write_generated

    options = CollectorOptions(deep=not args.no_deep, deep_timeout_s=args.deep_timeout)
    job = azureml_job(compute=args.compute, nodes=args.nodes, environment=args.environment, image=args.image,
                      code=f"./{CODE_FOLDER}", options=options, distribution=args.distribution)
    folder = os.path.join(os.path.dirname(args.output) if args.output else ".", CODE_FOLDER)
    write_generated(build_collector(), os.path.join(folder, COLLECTOR_FILE), executable=True)
    write_generated(to_yaml([job]), args.output)
    print(f"whygpu: wrote {os.path.join(folder, COLLECTOR_FILE)} (the job's code)", file=sys.stderr)
    return 0
