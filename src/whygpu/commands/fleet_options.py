"""Options shared by the fleet recipe commands (azureml, slurm, kubernetes): the deep probes and node counts."""

from __future__ import annotations

import argparse


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def positive_float(text: str) -> float:
    """An argparse type: a number of seconds above 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be above 0: {text}")
    return value


def add_collector_options(parser: argparse.ArgumentParser) -> None:
    """``--no-deep`` and ``--deep-timeout``: what the collector does on each node."""
    parser.add_argument("--no-deep", action="store_true", help="skip the deep probes (by default each node also starts its frameworks in child processes and asks them for the GPU)")
    parser.add_argument("--deep-timeout", type=positive_float, default=60.0, metavar="S", help="timeout per deep probe on each node (default 60)")
