"""Markdown for pasting into GitHub issues and support tickets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from whygpu.version import __version__

if TYPE_CHECKING:
    from whygpu.model import Report


def _fence(lines: list[str] | tuple[str, ...]) -> list[str]:
    body = [line.replace("```", "ʼʼʼ") for line in lines]
    return ["```", *body, "```"]


def render_markdown(report: Report, *, verbose: int = 0) -> str:
    """A heading with the verdict, a table of causes, then each cause with evidence and fix."""
    usable = {True: "yes", False: "no", None: "unknown"}[report.verdict.gpu_usable]
    out = [f"## whygpu: {report.verdict.summary}", ""]
    out.append(f"- **GPU usable:** {usable}")
    out.append(f"- **Subject:** {report.subject_kind}")
    out.append(f"- **whygpu:** {__version__}")
    out.append("")
    if report.subject_kind == "files":
        return _file_findings(report, out, verbose)
    if report.causes:
        out += ["| rank | cause | confidence | what |", "|---|---|---|---|"]
        for cause in report.causes:
            title = cause.title.replace("|", "\\|")
            out.append(f"| {cause.rank} | `{cause.code}` | {cause.confidence.value} | {title} |")
        out.append("")
        for cause in report.causes:
            out.append(f"### {cause.rank}. `{cause.code}`: {cause.title}")
            out.append("")
            if cause.evidence:
                out.append("Evidence:")
                out += _fence(cause.evidence)
                out.append("")
            if cause.ranked_lower:
                out.append("Ranked lower:")
                out += _fence([cause.ranked_lower])
                out.append("")
            if cause.fix:
                out.append("Fix:")
                out += _fence(cause.fix.splitlines())
                out.append("")
    notes = [f for f in report.findings if f.severity.value == "info"]
    if notes and verbose:
        out.append("### Notes")
        out.append("")
        for finding in notes:
            out.append(f"- `{finding.id}` {finding.title}")
        out.append("")
    for note in report.notes:
        out.append(f"> {note}")
    if report.details and verbose:
        import json

        out += ["<details><summary>Details</summary>", "", "```json"]
        out.append(json.dumps(report.details, indent=2, default=str))
        out += ["```", "", "</details>", ""]
    return "\n".join(out).rstrip() + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _file_findings(report: Report, out: list[str], verbose: int) -> str:
    """Lint: a table of findings at their file and line, then each fix."""
    shown = [f for f in report.findings if verbose or f.severity.value != "info"]
    shown.sort(key=lambda f: (f.location.sort_key() if f.location else ("", 0), f.id))
    if shown:
        out += ["| where | rule | cause | severity | what |", "|---|---|---|---|---|"]
        for f in shown:
            where = f"{f.location.file}:{f.location.line}" if f.location and f.location.line else (f.location.file if f.location else "")
            out.append(f"| `{_cell(where)}` | `{f.id}` | `{f.cause}` | {f.severity.value} | {_cell(f.title)} |")
        out.append("")
        for f in shown:
            if f.fix:
                out.append(f"**{f.id}** ({_cell(f.location.file if f.location else '')}) fix:")
                out += _fence(f.fix.splitlines())
                out.append("")
    if report.not_checked:
        out += ["### Not checked", "", "whygpu could not read these files; they are not GPU problems.", ""]
        out += [f"- `{_cell(n.where())}`: {_cell(n.reason)}" for n in report.not_checked]
        out.append("")
    for note in report.notes:
        out.append(f"> {note}")
    return "\n".join(out).rstrip() + "\n"
