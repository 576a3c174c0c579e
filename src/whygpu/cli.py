"""The command line: parses arguments, runs one command, prints its report, and returns the exit code.

Commands live in ``whygpu.commands.<name>``; each module registers its own sub-parser and keeps
heavy imports inside its ``run`` so that ``whygpu --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Sequence

from whygpu import __version__
from whygpu.errors import ISSUES_URL, ExitCode, UserError

# The order is the order of ``whygpu --help``.
COMMANDS = ("doctor", "snapshot", "explain", "lint", "monitor", "rule")
DEFAULT_COMMAND = "doctor"


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors become ``UserError`` (exit 2, one line)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UserError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with one sub-parser per command."""
    parser = _Parser(
        prog="whygpu",
        description=(
            "Tells you why TensorFlow, PyTorch or JAX is not using the NVIDIA GPU, "
            "and exactly what to change. Run with no command to diagnose this machine."
        ),
        epilog="Exit codes: 0 nothing wrong found, 1 a problem was found, 2 bad usage or "
        "unreadable input, 3 internal error (a bug).",
    )
    parser.add_argument("--version", action="version", version=f"whygpu {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        module = importlib.import_module(f"whygpu.commands.{name}")
        module.register(sub)
    return parser


def _normalise(argv: list[str]) -> list[str]:
    """``whygpu`` alone, or ``whygpu --json``, means ``whygpu doctor``."""
    if not argv:
        return [DEFAULT_COMMAND]
    first = argv[0]
    if first in COMMANDS or first in ("-h", "--help", "--version"):
        return argv
    if first.startswith("-"):
        return [DEFAULT_COMMAND, *argv]
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    """Run whygpu with ``argv`` (default ``sys.argv[1:]``) and return the exit code."""
    args_list = _normalise(list(sys.argv[1:] if argv is None else argv))
    try:
        parser = build_parser()
        args = parser.parse_args(args_list)
        module = importlib.import_module(f"whygpu.commands.{args.command}")
        return int(module.run(args))
    except UserError as exc:
        from whygpu.safetext import strip_controls

        # The message can hold a path or a line from the user's file: never raw on the terminal.
        print(f"whygpu: error: {strip_controls(str(exc))}", file=sys.stderr)
        return ExitCode.BAD_INPUT
    except KeyboardInterrupt:
        print("whygpu: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``whygpu | head``); nothing is lost by stopping.
        return ExitCode.OK
    except SystemExit as exc:  # argparse --help/--version
        return int(exc.code or 0) if isinstance(exc.code, int) or exc.code is None else ExitCode.BAD_INPUT
    except Exception as exc:
        where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        at = f" at {where.filename}:{where.lineno}" if where else ""
        print(
            f"whygpu: internal error: {type(exc).__name__}: {_safe(str(exc))}{at}. This is a bug in whygpu "
            f"{__version__}; please report it at {ISSUES_URL} (set WHYGPU_DEBUG=1 for the traceback).",
            file=sys.stderr,
        )
        import os

        if os.environ.get("WHYGPU_DEBUG"):
            traceback.print_exc()
        return ExitCode.INTERNAL_ERROR


def _safe(text: str) -> str:
    from whygpu.safetext import strip_controls

    return strip_controls(text)


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())
