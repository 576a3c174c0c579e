"""Self-contained HTML for Jupyter's rich display of a report and ``--format html``.

The styles live in ``report.css`` beside this module and are inlined, so the report needs nothing
from the network; they follow the notebook's light or dark theme.  Fix commands are kept whole
(one line each, scrolling sideways when long) so that they can be copied as they are.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape as _escape
from importlib import resources
from typing import TYPE_CHECKING

from whygpu.redact import redact_text

if TYPE_CHECKING:
    from whygpu.model import Cause, Finding, Report

_VERDICT = {True: ("wg-ok", "OK"), False: ("wg-bad", "NO"), None: ("wg-unknown", "??")}


def escape(text: str) -> str:
    """Redact first (the patterns need the raw text, e.g. '&sig='), then escape for HTML."""
    return _escape(redact_text(text))


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The report's CSS (``whygpu/render/report.css``)."""
    return resources.files("whygpu.render").joinpath("report.css").read_text(encoding="utf-8")


def _is_prose(line: str) -> bool:
    """A sentence around the commands ("Run on a machine with an NVIDIA GPU.", "(The other CUDA ... can stay.)")."""
    text = line.strip()
    return bool(text) and (text[0].isupper() or text[0] == "(") and text.endswith((".", ":", ")")) and text.count(" ") >= 4


def _fix(fix: str) -> str:
    """Each command line of a fix kept whole and unwrapped (the box scrolls sideways); sentences wrap."""
    if not fix:
        return ""
    lines = []
    for line in fix.splitlines():
        if _is_prose(line):
            lines.append(f'<p class="wg-prose">{escape(line)}</p>')
        else:
            lines.append(f'<code class="wg-cmd">{escape(line) or "&#8203;"}</code>')
    return f'<div class="wg-fix">{"".join(lines)}</div>'


def _evidence(lines: tuple[str, ...] | list[str]) -> str:
    if not lines:
        return ""
    return '<ul class="wg-evidence">' + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"


def _causes(causes: list[Cause]) -> str:
    rows = []
    for cause in causes:
        rows.append(
            "<tr>"
            f'<td class="wg-rank">{cause.rank}</td>'
            f'<td><code class="wg-code">{escape(cause.code)}</code><br>'
            f'<span class="wg-confidence">{escape(cause.confidence.value)} confidence</span></td>'
            f"<td>{escape(cause.title)}{_evidence(cause.evidence)}"
            + (f'<br><span class="wg-confidence">ranked lower: {escape(cause.ranked_lower)}</span>' if cause.ranked_lower else "")
            + "</td>"
            f"<td>{_fix(cause.fix)}</td>"
            "</tr>"
        )
    return (
        '<table class="wg-table"><colgroup><col style="width:3em"><col style="width:15em"><col><col style="width:42%">'
        "</colgroup><thead><tr><th>#</th><th>cause</th><th>what, and the evidence</th><th>fix</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _findings(findings: list[Finding]) -> str:
    """Lint: one row per finding at its file and line."""
    rows = []
    for finding in sorted(findings, key=lambda f: (f.location.sort_key() if f.location else ("", 0), f.id)):
        place = finding.location
        where = (f"{place.file}:{place.line}" if place.line else place.file) if place is not None else ""
        rows.append(
            "<tr>"
            f"<td><code>{escape(where)}</code></td>"
            f'<td><code class="wg-code">{escape(finding.id)}</code><br>'
            f'<span class="wg-confidence">{escape(finding.cause)}, {escape(finding.severity.value)}</span></td>'
            f"<td>{escape(finding.title)}{_evidence(finding.evidence[1:])}</td>"
            f"<td>{_fix(finding.fix)}</td>"
            "</tr>"
        )
    return (
        '<table class="wg-table"><colgroup><col style="width:14em"><col style="width:15em"><col><col style="width:38%">'
        "</colgroup><thead><tr><th>where</th><th>rule</th><th>what</th><th>fix</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def render_html(report: Report, *, verbose: int = 0) -> str:
    """A verdict banner, then a table of ranked causes (or, for lint, findings) with evidence and fix."""
    kind, mark = _VERDICT[report.verdict.gpu_usable]
    parts = [
        f'<div class="whygpu-report"><style>{stylesheet()}</style>',
        f'<p class="wg-verdict {kind}"><span class="wg-mark">{mark}</span>{escape(report.verdict.summary)}</p>',
    ]
    if report.subject_kind == "files":
        shown = [f for f in report.findings if verbose or f.severity.value != "info"]
        if shown:
            parts.append(_findings(shown))
    elif report.causes:
        parts.append(_causes(report.causes))
    if report.not_checked:
        items = "".join(f"<li><code>{escape(n.where())}</code>: {escape(n.reason)}</li>" for n in report.not_checked)
        parts.append(f'<p class="wg-notes"><strong>Not checked</strong> (whygpu could not read these; not GPU problems)</p><ul>{items}</ul>')
    parts.extend(f'<p class="wg-notes">{escape(note)}</p>' for note in report.notes)
    parts.append("</div>")
    return "".join(parts)


def render_html_page(report: Report, *, verbose: int = 0) -> str:
    """A whole HTML document holding the report (``--format html``), readable in any browser without a network."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark">'
        "<style>body{margin:16px;background:Canvas;color:CanvasText}</style>"
        f"<title>whygpu: {escape(report.verdict.summary)}</title></head>"
        f"<body>{render_html(report, verbose=verbose)}</body></html>\n"
    )
