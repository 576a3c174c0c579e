"""The terminal report: the answer first (a one-line verdict), then each cause with its fix; ``-v`` adds detail."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.theme import Theme

if TYPE_CHECKING:
    from whygpu.model import Report

THEME = Theme(
    {
        "verdict.ok": "bold green",
        "verdict.bad": "bold red",
        "verdict.unknown": "bold yellow",
        "cause.code": "bold magenta",
        "cause.title": "bold",
        "evidence": "dim",
        "fix.label": "bold cyan",
        "fix": "cyan",
        "note": "italic",
        "detail.key": "bold",
    }
)


def render_text(report: Report, *, verbose: int = 0, width: int = 100, color: bool = False) -> str:
    """Render to a string at a fixed width (golden-file tested without colour)."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        theme=THEME,
        force_terminal=color,
        no_color=not color,
        # The theme names the 8 standard colours; whatever TERM says, they are what --color asks for.
        color_system="standard" if color else None,
        highlight=False,
        soft_wrap=False,
        emoji=False,
    )
    style = {True: "verdict.ok", False: "verdict.bad", None: "verdict.unknown"}[report.verdict.gpu_usable]
    mark = {True: "OK", False: "NO", None: "??"}[report.verdict.gpu_usable]
    console.print(f"[{style}]{mark}[/] [{style}]{escape(report.verdict.summary)}[/]", soft_wrap=True)
    if report.subject_kind == "files":
        _file_findings(console, report, verbose)
        return buffer.getvalue()
    for cause in report.causes:
        console.print()
        console.print(
            f"{cause.rank}. [cause.code]{cause.code}[/] [cause.title]{escape(cause.title)}[/]"
            f" [evidence]({cause.confidence.value} confidence)[/]",
            soft_wrap=True,
        )
        shown = cause.evidence if verbose else cause.evidence[:4]
        for line in shown:
            console.print(f"   [evidence]- {escape(line)}[/]", soft_wrap=True)
        if len(shown) < len(cause.evidence):
            console.print(f"   [evidence]  ... {len(cause.evidence) - len(shown)} more (-v)[/]")
        if cause.ranked_lower:
            # What the log shows against this cause, which is why it ranks below the others.
            console.print(f"   [evidence]ranked lower: {escape(cause.ranked_lower)}[/]", soft_wrap=True)
        if cause.fix:
            fix_lines = cause.fix.splitlines()
            # Fixes are commands to copy: never wrapped by us (soft_wrap), the terminal may fold them.
            console.print(f"   [fix.label]fix:[/] [fix]{escape(fix_lines[0])}[/]", soft_wrap=True)
            for line in fix_lines[1:]:
                console.print(f"        [fix]{escape(line)}[/]", soft_wrap=True)
        if verbose:
            console.print(f"   [evidence]findings: {', '.join(cause.findings)}[/]")
    infos = [f for f in report.findings if f.severity.value == "info"]
    if infos and verbose:
        console.print()
        console.print("[detail.key]Notes[/]")
        for finding in infos:
            console.print(f" - [evidence]{finding.id}[/] {escape(finding.title)}")
            for line in finding.evidence:
                console.print(f"     [evidence]{escape(line)}[/]")
    for note in report.notes:
        console.print(f"[note]{escape(note)}[/]", soft_wrap=True)
    if verbose and report.details:
        console.print()
        _details(console, report.details, indent=0)
    return buffer.getvalue()


def _file_findings(console: Console, report: Report, verbose: int) -> None:
    """Lint: one entry per finding, at its file and line, in file order (as linters print them)."""
    shown = [f for f in report.findings if verbose or f.severity.value != "info"]
    shown.sort(key=lambda f: (f.location.sort_key() if f.location else ("", 0), f.id))
    for finding in shown:
        console.print()
        level = {"error": "verdict.bad", "warning": "verdict.unknown", "info": "evidence"}[finding.severity.value]
        console.print(
            f"[detail.key]{escape(finding.location.text() if finding.location else '')}:[/] [{level}]{finding.id}[/] "
            f"[cause.code]{finding.cause}[/] {escape(finding.title)}",
            soft_wrap=True,
        )
        # The first evidence line is the flagged line itself; the rest explain the chain.
        rest = finding.evidence[1:] if verbose else finding.evidence[1:3]
        for line in rest:
            console.print(f"   [evidence]- {escape(line)}[/]", soft_wrap=True)
        if finding.fix:
            fix_lines = finding.fix.splitlines()
            console.print(f"   [fix.label]fix:[/] [fix]{escape(fix_lines[0])}[/]", soft_wrap=True)
            for line in fix_lines[1:]:
                console.print(f"        [fix]{escape(line)}[/]", soft_wrap=True)
    if report.not_checked:
        console.print()
        console.print("[detail.key]Not checked[/] [evidence](whygpu could not read these; not GPU problems)[/]")
        for entry in report.not_checked:
            console.print(f" - [detail.key]{escape(entry.where())}:[/] {escape(entry.reason)}", soft_wrap=True)
    if report.causes:
        console.print()
        console.print("[detail.key]Root causes:[/] " + ", ".join(f"{c.code} ({len(c.findings)} rule{'s' if len(c.findings) > 1 else ''})" for c in report.causes), soft_wrap=True)
    for note in report.notes:
        console.print(f"[note]{escape(note)}[/]", soft_wrap=True)


def _words(value: Any) -> str:
    """A detail value as the rest of the report words it: never a Python literal (``{}``, ``[]``, ``None``, ``True``)."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dict, list, tuple, set)) and not value:
        return "none"
    return str(value)


def _key(key: Any) -> str:
    """``gpu_usable`` -> ``gpu usable``: detail keys in words."""
    return str(key).replace("_", " ")


def _details(console: Console, data: Any, indent: int) -> None:
    pad = " " * indent
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, (dict, list)) and value:
                console.print(f"{pad}[detail.key]{escape(_key(key))}:[/]")
                _details(console, value, indent + 2)
            else:
                console.print(f"{pad}[detail.key]{escape(_key(key))}:[/] {escape(_words(value))}", soft_wrap=True)
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, (dict, list)) and item:
                console.print(f"{pad}-")
                _details(console, item, indent + 2)
            else:
                console.print(f"{pad}- {escape(_words(item))}", soft_wrap=True)
    else:
        console.print(f"{pad}{escape(_words(data))}")
