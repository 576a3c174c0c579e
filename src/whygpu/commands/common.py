"""Options and output handling shared by the commands that print a report."""

from __future__ import annotations

import argparse
import io
import os
import sys

from whygpu.errors import ExitCode


def add_output_options(parser: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    """``--json``, ``--format`` and ``-v``: how a report is printed."""
    group = parser.add_argument_group("output")
    group.add_argument("--format", choices=formats, default="text", help="output format (default: text)")
    group.add_argument("--json", action="store_const", const="json", dest="format", help="same as --format json")
    group.add_argument("-v", "--verbose", action="count", default=0, help="show the details behind the answer")
    group.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")
    add_color_option(group)


def add_color_option(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """``--color auto|always|never`` (auto: on a terminal, honouring NO_COLOR and FORCE_COLOR)."""
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text report: auto (on a terminal unless NO_COLOR is set; FORCE_COLOR forces it), always, never",
    )


def use_color(args: argparse.Namespace) -> bool:
    """Whether to colour the text report: --color, else rich's own reading of the terminal, NO_COLOR and FORCE_COLOR."""
    choice = getattr(args, "color", "auto")
    if choice in ("always", "never"):
        return choice == "always"
    if getattr(args, "format", "text") != "text":
        return False
    from rich.console import Console

    if getattr(args, "output", None):
        # A report written to a file is coloured only when FORCE_COLOR asks for it.
        probe = Console(file=io.StringIO(), force_terminal=None)
    else:
        probe = Console(file=sys.stdout)
    return probe.is_terminal and not probe.no_color and probe.color_system is not None


def seconds(text: str) -> float:
    """An argparse type: a timeout in seconds, a finite number above zero."""
    import math

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"a timeout must be more than 0 seconds, not {text}")
    return value


def emit(text: str, output: str | None = None, *, redacted: bool = False) -> None:
    """Print text to stdout or a file, secrets redacted (``redacted=True``: ``render`` already did it, once)."""
    if not redacted:
        from whygpu.redact import redact_text

        text = redact_text(text)
    if output:
        from whygpu.errors import UserError

        try:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text if text.endswith("\n") else text + "\n")
        except OSError as exc:
            raise UserError(f"cannot write: {exc.strerror or exc}", where=output) from None
        return
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def exit_code_for(problem_found: bool) -> int:
    """0 when nothing wrong was found, 1 when a problem was."""
    return ExitCode.PROBLEM_FOUND if problem_found else ExitCode.OK


def terminal_width() -> int:
    """Width for the text report: ``COLUMNS`` when set, else the terminal's, else 100 (also for a terminal of no size)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        try:
            columns = os.get_terminal_size(sys.stdout.fileno()).columns
        except (OSError, ValueError):
            columns = 0
    # A pseudo-terminal nobody sized (script, CI runners, ssh without a pty size) reports 0 columns.
    return columns if columns >= 20 else 100
