"""The monitor's renderers: text and Markdown with the per-GPU table, a self-contained HTML page with an inline SVG chart.

JSON goes through the shared contract renderer (``whygpu.render.json``); these add what only a
run has: the numbers per GPU and the chart. Everything printed is redacted and free of control
characters.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence

from whygpu.model import Report, Severity
from whygpu.monitor.analysis import Analysis, GpuStats
from whygpu.monitor.samples import printable
from whygpu.redact import redact_text

FORMATS = ("text", "json", "markdown", "html")


def _f(value: object, unit: str = "", digits: int = 0) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, (int, float)):
        return f"{value:,.{digits}f}{unit}"
    return str(value)


def table_rows(analysis: Analysis | None) -> list[list[str]]:
    """One row per GPU: the numbers every verdict carries."""
    rows = []
    verdict_of = {v.gpu: v.kind.value for v in (analysis.verdicts if analysis else []) if v.gpu is not None}
    for s in analysis.gpus if analysis else []:
        rows.append([s.gpu, printable(s.name, 40) or "-", str(s.samples), _f(s.util_mean, "%"), _f(s.util_median, "%"),
                     _f(s.util_p95, "%"), _f(None if s.idle_share is None else s.idle_share * 100, "%"),
                     _f(s.mem_peak_mib, " MiB"), verdict_of.get(s.gpu, "-")])
    return rows


HEADER = ["GPU", "name", "samples", "mean", "median", "p95", "idle", "peak memory", "verdict"]


def render_text(report: Report, analysis: Analysis | None) -> str:
    """The terminal report: the verdict, the table, the causes with evidence and fix, the notes."""
    out = [report.verdict.summary, ""]
    rows = table_rows(analysis)
    if rows:
        widths = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(len(HEADER))]
        for r in [HEADER, *rows]:
            out.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
        out.append("")
    for cause in report.causes:
        out.append(f"{cause.rank}. {cause.code} {cause.title} ({cause.confidence.value} confidence)")
        out.extend(f"   - {line}" for line in cause.evidence)
        if cause.fix:
            fix_lines = cause.fix.splitlines()
            out.append(f"   fix: {fix_lines[0]}")
            out.extend(f"        {line}" for line in fix_lines[1:])
        out.append("")
    for f in report.findings:
        if f.severity is Severity.INFO:
            out.append(f"- {f.title}: {'; '.join(f.evidence)}")
    for note in report.notes:
        out.append(f"note: {note}")
    return redact_text(printable("\n".join(out).rstrip() + "\n", 1 << 20).replace("\x00", ""))


def render_markdown(report: Report, analysis: Analysis | None) -> str:
    """Markdown for an issue or a ticket."""
    out = ["## whygpu monitor", "", f"**{_md(report.verdict.summary)}**", ""]
    rows = table_rows(analysis)
    if rows:
        out.append("| " + " | ".join(HEADER) + " |")
        out.append("|" + "---|" * len(HEADER))
        out.extend("| " + " | ".join(_md(c) for c in r) + " |" for r in rows)
        out.append("")
    for cause in report.causes:
        out.append(f"{cause.rank}. **`{cause.code}`** {_md(cause.title)} ({cause.confidence.value} confidence)")
        out.extend(f"   - {_md(line)}" for line in cause.evidence)
        if cause.fix:
            out.append(f"   - fix: {_md(cause.fix)}")
    for note in report.notes:
        out.append(f"> note: {_md(note)}")
    return redact_text("\n".join(out).rstrip() + "\n")


def _md(text: str) -> str:
    return printable(text, 2000).replace("|", "\\|").replace("\n", " ")


COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")


def _axis(value: float, unit: str) -> str:
    if unit == " MiB" and value >= 1024:
        return f"{value / 1024:,.1f} GiB"
    return f"{value:,.0f}{unit}"


def svg_chart(stats: Sequence[GpuStats], *, width: int = 800, height: int = 360) -> str:
    """An inline SVG of utilisation (top) and memory (bottom) over time, one line per GPU; no script, no fonts fetched."""
    pad_l, pad_r, pad_t, gap = 56, 16, 20, 36
    panel = (height - pad_t - gap - 30) // 2
    t0 = min((s.t_first for s in stats), default=0.0)
    t1 = max((s.t_last for s in stats), default=1.0)
    span = (t1 - t0) or 1.0
    mem_top = max([s.mem_total_mib or s.mem_peak_mib or 0.0 for s in stats] + [1.0])
    plot_w = width - pad_l - pad_r

    def x(t: float) -> float:
        return pad_l + (t - t0) / span * plot_w

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" id="whygpu-chart" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="GPU utilisation and memory over time" '
             'font-family="sans-serif" font-size="11">',
             f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>']
    for row, (label, top, unit) in enumerate((("utilisation", 100.0, "%"), ("memory", mem_top, " MiB"))):
        y0 = pad_t + row * (panel + gap)
        parts.append(f'<rect x="{pad_l}" y="{y0}" width="{plot_w}" height="{panel}" fill="none" stroke="#999"/>')
        parts.append(f'<text x="{pad_l}" y="{y0 - 5}">{label}</text>')
        for frac in (0.0, 0.5, 1.0):
            yy = y0 + panel - frac * panel
            parts.append(f'<text x="{pad_l - 4}" y="{yy + 4:.1f}" text-anchor="end">{_axis(top * frac, unit)}</text>')
        for i, s in enumerate(stats):
            pts = []
            for p in s.series:
                value = p.util_mean if row == 0 else p.mem_max
                if value is None:
                    continue
                yy = y0 + panel - min(value / top, 1.0) * panel
                pts.append(f"{x((p.t0 + p.t1) / 2):.1f},{yy:.1f}")
            if pts:
                parts.append(f'<polyline class="gpu-line" fill="none" stroke="{COLORS[i % len(COLORS)]}" '
                             f'stroke-width="1.5" points="{" ".join(pts)}"/>')
    base = height - 8
    parts.append(f'<text x="{pad_l}" y="{base}">0 s</text>')
    parts.append(f'<text x="{width - pad_r}" y="{base}" text-anchor="end">{span:,.0f} s</text>')
    for i, s in enumerate(stats):
        parts.append(f'<text x="{pad_l + 80 + i * 90}" y="{base}" fill="{COLORS[i % len(COLORS)]}">'
                     f'GPU {html.escape(printable(s.gpu, 20))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_html(report: Report, analysis: Analysis | None, *, png: bytes | None = None) -> str:
    """A self-contained page (inline CSS and chart; nothing fetched) with the verdict, table, chart and causes."""
    esc = html.escape
    rows = table_rows(analysis)
    chart = ""
    if analysis is not None and analysis.gpus:
        if png is not None:
            chart = (f'<img id="whygpu-chart" alt="GPU utilisation and memory over time" width="800" '
                     f'src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}">')
        else:
            chart = svg_chart(analysis.gpus)
    table = ""
    if rows:
        table = ("<table><thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in HEADER) + "</tr></thead><tbody>"
                 + "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows)
                 + "</tbody></table>")
    causes = "".join(
        f'<li><b>{esc(c.code)}</b> {esc(c.title)} <i>({esc(c.confidence.value)} confidence)</i><ul>'
        + "".join(f"<li>{esc(printable(e, 2000))}</li>" for e in c.evidence)
        + (f"<li>fix: <code>{esc(c.fix)}</code></li>" if c.fix else "") + "</ul></li>" for c in report.causes)
    notes = "".join(f"<li>{esc(printable(n, 2000))}</li>" for n in report.notes)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>whygpu monitor</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<style>body{{font-family:sans-serif;max-width:900px;margin:1em auto;color:#222}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:2px 6px;text-align:left}}
code{{white-space:pre-wrap}}</style></head>
<body><h1>whygpu monitor</h1><p id="verdict"><b>{esc(report.verdict.summary)}</b></p>
{table}
<figure>{chart}</figure>
<ol id="causes">{causes}</ol>
<ul id="notes">{notes}</ul>
</body></html>
"""
    return redact_text(page)
