"""Self-contained HTML, used for Jupyter's rich display of a report."""

from __future__ import annotations

from html import escape as _escape
from typing import TYPE_CHECKING

from whygpu.redact import redact_text

if TYPE_CHECKING:
    from whygpu.model import Report

_COLOURS = {True: "#1a7f37", False: "#cf222e", None: "#9a6700"}


def escape(text: str) -> str:
    """Redact first (the patterns need the raw text, e.g. '&sig='), then escape for HTML."""
    return _escape(redact_text(text))


def render_html(report: Report) -> str:
    """A verdict banner, then a table of ranked causes with evidence and fix."""
    colour = _COLOURS[report.verdict.gpu_usable]
    parts = [
        '<div class="whygpu-report" style="font-family:sans-serif">',
        f'<p style="font-weight:bold;color:{colour}">{escape(report.verdict.summary)}</p>',
    ]
    if report.causes:
        parts.append('<table style="border-collapse:collapse"><thead><tr>'
                     "<th>#</th><th>cause</th><th>what</th><th>evidence</th><th>fix</th></tr></thead><tbody>")
        for cause in report.causes:
            evidence = "<br>".join(escape(line) for line in cause.evidence)
            fix = "<br>".join(escape(line) for line in cause.fix.splitlines())
            parts.append(
                f'<tr style="vertical-align:top;border-top:1px solid #ddd"><td>{cause.rank}</td>'
                f"<td><code>{escape(cause.code)}</code></td><td>{escape(cause.title)}</td>"
                f"<td><small><code>{evidence}</code></small></td><td><code>{fix}</code></td></tr>"
            )
        parts.append("</tbody></table>")
    if report.not_checked:
        items = "".join(f"<li><code>{escape(n.where())}</code>: {escape(n.reason)}</li>" for n in report.not_checked)
        parts.append(f"<p><strong>Not checked</strong> (whygpu could not read these; not GPU problems)</p><ul>{items}</ul>")
    for note in report.notes:
        parts.append(f"<p><em>{escape(note)}</em></p>")
    parts.append("</div>")
    return "".join(parts)
