"""``whygpu lint``: find the GPU blockers in Dockerfiles, conda/requirements files, Azure ML YAML and code."""

from __future__ import annotations

import argparse

# Not ``typing`` itself: ``whygpu --help`` imports every command module, and typing costs as much
# as argparse. mypy reads any ``TYPE_CHECKING`` name as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FORMATS = ("text", "json", "markdown", "html", "sarif")


def register(sub: Any) -> None:
    """Add the ``lint`` sub-command and its options."""
    from whygpu.commands.common import add_output_options

    parser = sub.add_parser(
        "lint",
        help="check Dockerfiles, conda/requirements files, Azure ML YAML and code for GPU blockers",
        description=(
            "Read the files that define a training environment and job (Dockerfiles, conda environment files, "
            "requirements*.txt, pyproject.toml, Azure ML job/environment/compute YAML, Python scripts and "
            "notebooks) and report what would keep TensorFlow, PyTorch or JAX off the GPU. Directories are "
            "searched recursively, honouring .gitignore. Settings: [tool.whygpu.lint] in pyproject.toml. "
            "Suppress a finding with '# whygpu: ignore[CODE] reason' on its line or the line above."
        ),
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or directories to lint (default: the current directory)")
    rules = parser.add_argument_group("rules")
    rules.add_argument("--select", metavar="CODES", help="only these rule codes or prefixes, comma-separated (e.g. DF,DEP001)")
    rules.add_argument("--ignore", metavar="CODES", help="skip these rule codes or prefixes (replaces the configured list)")
    rules.add_argument("--extend-ignore", metavar="CODES", help="skip these as well as the configured ones")
    rules.add_argument(
        "--fail-on",
        choices=("error", "warning", "info", "never"),
        help="lowest severity that makes the exit code 1 (default: error: a warning or a note never fails a run unless you ask)",
    )
    rules.add_argument(
        "--strict",
        action="store_true",
        help="files whygpu could not read ('not checked') also make the exit code 1 (default: they are listed only)",
    )
    files = parser.add_argument_group("files and settings")
    files.add_argument("--config", metavar="FILE", help="read settings from this pyproject.toml instead of the nearest one")
    files.add_argument("--isolated", action="store_true", help="ignore every pyproject.toml setting")
    files.add_argument("--no-gitignore", action="store_true", help="also lint files that .gitignore excludes")
    files.add_argument("--no-azureml-schema", action="store_true", help="skip azure-ai-ml's schema check even when it is installed")
    add_output_options(parser, FORMATS)


def run(args: argparse.Namespace) -> int:
    """Lint the paths, print the report, and return the exit code."""
    from pathlib import Path

    from whygpu.commands.common import emit, terminal_width, use_color
    from whygpu.errors import ExitCode, UserError
    from whygpu.lint.engine import lint, resolve_config
    from whygpu.lint.policy import with_cli
    from whygpu.render.interface import Format, render

    if args.config and args.isolated:
        raise UserError("--config and --isolated cannot be combined")
    cwd = Path.cwd()
    paths = list(args.paths) or ["."]
    from whygpu.inputs import check_input, refuse_binary

    for raw in paths:
        # Relative paths are relative to the working directory, which is ``cwd``.
        if check_input(raw, what="a path to lint", directories=True, empty_ok=True).kind == "file":
            refuse_binary(raw, "a file whygpu lint reads (Dockerfile, conda or Azure ML YAML, requirements, Python, notebook)")
    config = resolve_config(paths, cwd, args.config, args.isolated)
    config = with_cli(
        config,
        select=args.select,
        ignore=args.ignore,
        extend_ignore=args.extend_ignore,
        fail_on=args.fail_on,
        no_gitignore=args.no_gitignore,
        no_azureml_schema=args.no_azureml_schema,
        strict=args.strict,
    )
    report = lint(paths, config=config, cwd=cwd)
    emit(render(report, Format(args.format), verbose=args.verbose, width=terminal_width(), color=use_color(args), page=True),
         args.output, redacted=True)
    failed = config.fails(report.findings) or (config.strict and bool(report.not_checked))
    return ExitCode.PROBLEM_FOUND if failed else ExitCode.OK
