"""``whygpu explain``: read logs (a file, an Azure ML job folder, or stdin) and name the root cause."""

from __future__ import annotations

import argparse

# Not ``typing`` itself: ``whygpu --help`` imports every command module, and typing costs as much
# as argparse. mypy reads any ``TYPE_CHECKING`` name as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FORMATS = ("text", "json", "markdown", "html", "sarif")


def register(sub: Any) -> None:
    from whygpu.commands.common import add_output_options

    parser = sub.add_parser(
        "explain",
        help="explain logs: was the GPU used, and if not, why",
        description=(
            "Read the log of a run (a file, a gzip'd file, a downloaded Azure ML job folder with "
            "user_logs/ and system_logs/, or '-' for stdin) and say whether the GPU was used and, "
            "if not, the ranked root causes with their evidence lines and the fix."
        ),
    )
    parser.add_argument("path", metavar="FILE|DIR|-", help="log file, job log folder, or '-' to read stdin")
    add_output_options(parser, FORMATS)


def run(args: argparse.Namespace) -> int:
    from whygpu.commands.common import emit, exit_code_for, terminal_width, use_color
    from whygpu.explain import explain_path, to_report
    from whygpu.render.interface import Format, render

    report = to_report(explain_path(args.path))
    # render redacts what it returns (JSON string by string): emit must not pass over it again.
    emit(render(report, Format(args.format), verbose=args.verbose, width=terminal_width(), color=use_color(args), page=True), args.output,
         redacted=True)
    return exit_code_for(bool(report.causes))
