"""The command line: parses arguments, runs one command, prints its report, and returns the exit code.

Commands live in ``whygpu.commands.<name>``; each module registers its own sub-parser and keeps
heavy imports inside its ``run`` so that ``whygpu --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Sequence

from whygpu.errors import ISSUES_URL, ExitCode, UserError
from whygpu.version import __version__

# The order is the order of ``whygpu --help``.
COMMANDS = ("doctor", "snapshot", "explain", "lint", "monitor", "fleet", "rule", "collector", "azureml", "slurm", "kubernetes")
DEFAULT_COMMAND = "doctor"
# Commands that make one bounded pass over one machine or snapshot: run as the whole process (``entry``),
# they keep the cyclic garbage collector off (see ``entry``); the others turn it back on once parsed.
ONE_PASS_COMMANDS = frozenset({"doctor", "snapshot", "rule"})


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors become ``UserError`` (exit 2, one line), with the closest spelling suggested."""

    # The command line being parsed and each command's parser, set by ``main`` and ``build_parser``,
    # so that an unknown option is matched against the options of the command it was given to.
    argv: list[str] = []  # noqa: RUF012 - set per instance before parsing
    commands: dict[str, argparse.ArgumentParser] = {}  # noqa: RUF012

    # argparse makes a formatter on every add_argument (to check the metavar) and the formatter asks
    # shutil for the terminal's width: importing shutil with bz2 and lzma (about 6.5 M instructions)
    # for a width that only help and usage text use. Those measure the terminal; the checks get 80.
    _measured = False

    def _get_formatter(self) -> argparse.HelpFormatter:
        if self._measured:
            return super()._get_formatter()
        return self.formatter_class(prog=self.prog, width=80)  # type: ignore[call-arg]

    def format_usage(self) -> str:
        self._measured = True
        return super().format_usage()

    def format_help(self) -> str:
        self._measured = True
        return super().format_help()

    def error(self, message: str) -> None:  # type: ignore[override]
        hint = _suggestion(message, self)
        # "unrecognized arguments" is raised by the top parser even for a command's options.
        command = self.argv[0] if self.argv and self.argv[0] in self.commands else None
        prog = f"whygpu {command}" if command and self.prog == "whygpu" else self.prog
        raise UserError(f"{message}{hint} (see '{prog} --help')")


# argparse's messages, read only when there is an error (nothing compiled at start-up).
_INVALID_CHOICE = r"invalid choice: '(?P<given>[^']*)' \(choose from (?P<choices>.*)\)$"
_UNRECOGNISED = r"^unrecognized arguments: (?P<given>.*)$"


def _suggestion(message: str, parser: argparse.ArgumentParser) -> str:
    """"; did you mean 'doctor'?" for a mistyped command, choice or option (argparse 3.11 does not suggest)."""
    import difflib

    choice = re.search(_INVALID_CHOICE, message)
    if choice:
        options = re.findall(r"'([^']*)'", choice.group("choices"))
        near = difflib.get_close_matches(choice.group("given"), options, n=1, cutoff=0.6)
        return f"; did you mean '{near[0]}'?" if near else ""
    unknown = re.match(_UNRECOGNISED, message)
    if unknown:
        argv: list[str] = getattr(parser, "argv", [])
        commands: dict[str, argparse.ArgumentParser] = getattr(parser, "commands", {})
        target = commands[argv[0]] if argv and argv[0] in commands else parser
        known = [s for action in target._actions for s in action.option_strings]
        hints = []
        for token in unknown.group("given").split():
            if token.startswith("-"):
                near = difflib.get_close_matches(token.split("=", 1)[0], known, n=1, cutoff=0.6)
                if near:
                    hints.append(f"'{near[0]}' for '{token}'")
        return f"; did you mean {', '.join(hints)}?" if hints else ""
    return ""


def build_parser(only: str | None = None) -> _Parser:
    """The full parser, with one sub-parser per command (``only``: that command's alone, to run it)."""
    parser = _Parser(
        prog="whygpu",
        description=(
            "Tells you why TensorFlow, PyTorch or JAX is not using the NVIDIA GPU, and exactly\n"
            "what to change. Run with no command to diagnose this machine."
        ),
        usage="whygpu [COMMAND] [OPTIONS]",
        epilog=(
            "Without a command, whygpu runs 'doctor', so doctor's options work on their own:\n"
            "  whygpu                               diagnose this machine and this Python\n"
            "  whygpu --python ~/venv/bin/python    diagnose another environment\n"
            "  whygpu --json                        the answer as JSON (also --format markdown|html)\n"
            "  whygpu -v                            the details behind the answer\n"
            "  whygpu --deep                        also start each framework and ask it for the GPU\n"
            "Every option of a command: whygpu COMMAND --help.  A cause or rule code: whygpu rule NO_GPU.\n"
            "Colour: on at a terminal; --color never, or NO_COLOR=1, turns it off.\n\n"
            "Exit codes: 0 nothing wrong found, 1 a problem was found, 2 bad usage or\n"
            "unreadable input, 3 internal error (a bug)."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"whygpu {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser, prog="whygpu")
    for name in COMMANDS if only is None else (only,):
        module = importlib.import_module(f"whygpu.commands.{name}")
        module.register(sub)
    parser.commands = dict(sub.choices)
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


def main(argv: Sequence[str] | None = None, *, collector_off: bool = False) -> int:
    """Run whygpu with ``argv`` (default ``sys.argv[1:]``) and return the exit code.

    ``collector_off``: the caller (``entry``) turned the cyclic garbage collector off for start-up;
    it is turned back on for a command not in ``ONE_PASS_COMMANDS``.
    """
    args_list = _normalise(list(sys.argv[1:] if argv is None else argv))
    try:
        # Running a command needs its own sub-parser only; the top-level help, --version and a
        # mistyped command (whose suggestion lists them all) build every one.
        parser = build_parser(args_list[0] if args_list[0] in COMMANDS else None)
        parser.argv = args_list
        args = parser.parse_args(args_list)
        if collector_off and args.command not in ONE_PASS_COMMANDS:
            import gc

            gc.enable()
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
        import traceback  # only for a bug: with linecache and tokenize, not loaded on every start

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
    """Console-script entry point: ``main`` as a whole process, which ends when it returns."""
    import gc

    # Start-up (importing the standard library and whygpu, defining their classes) and a one-pass
    # diagnosis create a few hundred thousand objects and free few: the cyclic collector would scan
    # them again and again (about 13 M instructions, 4 % of a diagnosis) to find almost nothing. It stays
    # off for ONE_PASS_COMMANDS; long-running commands (monitor, fleet, explain, lint) get it back.
    gc.disable()
    code = main(collector_off=True)
    # Nothing left is worth collecting at exit: leaving the survivors out of the interpreter's
    # final collection saves its full scan (about 17 M instructions). Finalizers registered with
    # atexit or weakref.finalize still run.
    gc.freeze()
    sys.exit(code)
