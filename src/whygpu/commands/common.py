"""Options and output handling shared by the commands that print a report."""

from __future__ import annotations

import argparse
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
    """Width for the text report: ``COLUMNS`` when set, else the terminal's, else 100."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError):
        return 100
