"""``whygpu doctor`` (the default): diagnose this machine, a filesystem tree, or a snapshot."""

from __future__ import annotations

import argparse

# Not ``typing`` itself: ``whygpu --help`` imports every command module, and typing costs as much
# as argparse. mypy reads any ``TYPE_CHECKING`` name as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FORMATS = ("text", "json", "markdown", "html")


def add_selection_options(parser: argparse.ArgumentParser) -> None:
    """What to inspect: ``--python``, ``--root``, ``--offline``; shared with ``snapshot``."""
    from whygpu.commands.common import seconds

    group = parser.add_argument_group("what to inspect")
    group.add_argument("--python", metavar="PATH", help="interpreter of the environment to inspect (a venv, conda env, Jupyter kernel); default: the one running whygpu")
    group.add_argument("--root", metavar="DIR", help="diagnose a filesystem tree (an unpacked container image, a mounted disk) instead of this machine; runs no commands")
    group.add_argument("--offline", action="store_true", help="no network at all (skips the Azure Instance Metadata Service)")
    group.add_argument("--timeout", type=seconds, default=5.0, metavar="S", help="timeout in seconds for each external command (default 5)")


def register(sub: Any) -> None:
    from whygpu.commands.common import add_output_options, seconds

    parser = sub.add_parser(
        "doctor",
        help="diagnose this machine and a Python environment (the default command)",
        description="Diagnose whether TensorFlow, PyTorch and JAX can use the NVIDIA GPU here, and if not, why and what to change.",
    )
    add_selection_options(parser)
    parser.add_argument("--from", dest="from_file", metavar="FILE", help="diagnose a snapshot written by 'whygpu snapshot' instead of this machine")
    parser.add_argument("--deep", action="store_true", help="also start each framework in a child process and ask it for the GPU")
    parser.add_argument("--target", metavar="SIZE_OR_GPU", help="preflight: judge the environment as if it ran on this compute: an Azure VM size (Standard_NC24ads_A100_v4), a GPU (T4, A100) or a GPU with its driver (T4,driver=535)")
    parser.add_argument("--deep-timeout", type=seconds, default=60.0, metavar="S", help="timeout per framework probe with --deep (default 60)")
    add_output_options(parser, FORMATS)


def run(args: argparse.Namespace) -> int:
    from whygpu.api import build_snapshot
    from whygpu.commands.common import emit, exit_code_for, terminal_width, use_color
    from whygpu.diagnose import diagnose
    from whygpu.errors import UserError
    from whygpu.render.interface import Format, render
    from whygpu.snapshot import read_snapshot

    target = _target(args.target)
    if args.from_file:
        if args.root or args.python or args.deep:
            raise UserError("--from diagnoses a saved snapshot; it cannot be combined with --root, --python or --deep")
        snapshot = read_snapshot(args.from_file)
        subject = "snapshot"
    else:
        snapshot = build_snapshot(python=args.python, root=args.root, offline=args.offline, timeout_s=args.timeout,
                                  deep=args.deep, deep_timeout_s=args.deep_timeout)
        subject = "machine"
    if target is not None:
        from whygpu.preflight import diagnose_on_target

        report = diagnose_on_target(snapshot, target, subject_kind=subject)
    else:
        report = diagnose(snapshot, subject_kind=subject)
    # render redacts what it returns: emit need not do it a second time.
    emit(render(report, Format(args.format), verbose=args.verbose, width=terminal_width(), color=use_color(args), page=True), args.output,
         redacted=True)
    return exit_code_for(report.problem_found)


def _target(text: str | None) -> Any:
    """The ``--target`` compute, parsed before any collection so a typo costs nothing; bad text is a one-line usage error."""
    if text is None:
        return None
    from whygpu.errors import UserError
    from whygpu.knowledge.target import TargetError, parse_target

    try:
        return parse_target(text)
    except TargetError as exc:
        raise UserError(str(exc), where="--target") from None
