"""``whygpu kubernetes``: a ConfigMap holding collect.py and an Indexed Job running it once on each of N GPU nodes."""

from __future__ import annotations

import argparse

# Not ``typing`` itself: ``whygpu --help`` imports every command module, and typing costs as much
# as argparse. mypy reads any ``TYPE_CHECKING`` name as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def register(sub: Any) -> None:
    from whygpu.collector import KUBERNETES_DEFAULT_IMAGE
    from whygpu.commands.fleet_options import add_collector_options, positive_int

    parser = sub.add_parser(
        "kubernetes",
        help="write a Kubernetes Job that takes one snapshot per GPU node (read them with 'whygpu fleet')",
        description="Write Kubernetes manifests: a ConfigMap holding whygpu's collector and an Indexed Job whose "
        "N pods run on N different nodes (anti-affinity by host name), each requesting nvidia.com/gpu and "
        "printing its node's snapshot. Then: kubectl apply -f FILE; gather each pod's log as a .json file "
        "(or pass --pvc); whygpu fleet DIR.",
    )
    parser.add_argument("--nodes", type=positive_int, default=1, metavar="N", help="how many nodes (completions = parallelism = N; default 1)")
    # Required: a pod sees only the GPUs it requests, and a node seen through fewer than it has
    # would look like a node whose GPUs fell off the bus.
    parser.add_argument("--gpus-per-node", type=positive_int, required=True, metavar="G", help="nvidia.com/gpu per pod: the nodes' GPU count (a container sees only the GPUs it requests)")
    parser.add_argument("--image", default=KUBERNETES_DEFAULT_IMAGE, metavar="IMAGE", help=f"image with Python 3.8+ (default {KUBERNETES_DEFAULT_IMAGE}); the training image inspects its frameworks")
    parser.add_argument("--python", default="python3", metavar="PATH", help="the Python in the image (default python3)")
    parser.add_argument("--name", default="whygpu-fleet", metavar="NAME", help="the Job's name (default whygpu-fleet)")
    parser.add_argument("--namespace", metavar="NS", help="the namespace (default: kubectl's current one)")
    parser.add_argument("--pvc", metavar="CLAIM", help="write the snapshots to this PersistentVolumeClaim (ReadWriteMany) instead of each pod's log")
    add_collector_options(parser)
    parser.add_argument("-o", "--output", metavar="FILE", help="write the manifests to FILE (default: stdout)")


def run(args: argparse.Namespace) -> int:
    from whygpu.collector.bundle import build_collector
    from whygpu.collector.recipes import CollectorOptions, kubernetes_manifests, to_yaml
    from whygpu.commands.collector import write_generated
    from whygpu.errors import UserError

    if args.name != args.name.lower() or not args.name.replace("-", "").isalnum() or len(args.name) > 52:
        raise UserError(f"--name {args.name!r}: a Job name is lower-case letters, digits and '-', at most 52 characters")
    options = CollectorOptions(deep=not args.no_deep, deep_timeout_s=args.deep_timeout)
    documents = kubernetes_manifests(nodes=args.nodes, image=args.image, gpus_per_node=args.gpus_per_node,
                                     collector_source=build_collector(), options=options, name=args.name,
                                     namespace=args.namespace, pvc=args.pvc, python=args.python)
    write_generated(to_yaml(documents), args.output)
    return 0
