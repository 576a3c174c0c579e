"""``whygpu fleet DIR|FILES...``: aggregate one snapshot per node and point at the odd node out."""

from __future__ import annotations

import argparse

# Not ``typing`` itself: ``whygpu --help`` imports every command module, and typing costs as much
# as argparse. mypy reads any ``TYPE_CHECKING`` name as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FORMATS = ("text", "json", "markdown", "html")


def register(sub: Any) -> None:
    from whygpu.commands.common import add_output_options

    parser = sub.add_parser(
        "fleet",
        help="aggregate snapshots from many nodes and name the odd node out",
        description="Read one snapshot per node (files, or folders of *.json written by 'whygpu snapshot'), "
        "give a verdict per node, group nodes by configuration, and name the nodes that differ and why.",
    )
    parser.add_argument("paths", nargs="+", metavar="DIR|FILE", help="snapshot files, or folders holding them")
    add_output_options(parser, FORMATS)


def run(args: argparse.Namespace) -> int:
    from whygpu.commands.common import emit, exit_code_for, terminal_width
    from whygpu.fleet.analyse import fleet_report, gather
    from whygpu.fleet.read import read_document, snapshot_paths
    from whygpu.render.interface import Format, render

    paths = list(snapshot_paths(args.paths))
    fleet = gather(read_document(path) for path in paths)
    report = fleet_report(fleet)
    fmt = Format(args.format)
    if fmt is Format.JSON:
        text = render(report, fmt)
    elif fmt is Format.MARKDOWN:
        from whygpu.render.fleet import render_fleet_markdown

        text = render_fleet_markdown(report, verbose=args.verbose)
    elif fmt is Format.HTML:
        from whygpu.render.fleet import render_fleet_html

        text = render_fleet_html(report)
    else:
        from whygpu.render.fleet import render_fleet_text

        text = render_fleet_text(report, verbose=args.verbose, width=terminal_width())
    # render redacts JSON string by string; a second pass over the escaped text could break an escape.
    emit(text, args.output, redacted=fmt is Format.JSON)
    if not fleet.nodes:
        from whygpu.errors import UserError

        raise UserError(f"none of the {len(paths)} snapshot files could be read")
    return exit_code_for(report.problem_found)
