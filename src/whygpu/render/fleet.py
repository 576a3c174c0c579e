"""The fleet report in text, Markdown and a self-contained HTML page: groups, odd nodes out, causes, nodes."""

from __future__ import annotations

import dataclasses
import io
from html import escape as _html
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from whygpu.model import Report

# Beyond this many nodes the text and Markdown node tables are shown only with -v.
_NODE_TABLE_LIMIT = 32
_USABLE = {True: "yes", False: "NO", None: "unknown"}


def _fleet(report: Report) -> dict[str, Any]:
    data: dict[str, Any] = report.details.get("fleet", {})
    return data


def _without_details(report: Report) -> Report:
    return dataclasses.replace(report, details={}, notes=[])


def _group_line(group: dict[str, Any]) -> str:
    config = group["configuration"]
    shown = "; ".join(f"{k} {v}" for k, v in config.items() if k in ("vm size", "gpus", "driver", "frameworks"))
    return f"group {group['group']}: {group['nodes']} node{'s' if group['nodes'] != 1 else ''} ({shown or 'nothing known'})"


def render_fleet_text(report: Report, *, verbose: int = 0, width: int = 100, color: bool = False) -> str:
    """Verdict, then groups, odd nodes out with their reasons, the ranked causes, and (small fleets or -v) every node."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from whygpu.render.text import THEME, render_text

    fleet = _fleet(report)
    base = render_text(_without_details(report), verbose=verbose, width=width, color=color)
    verdict, _, causes = base.partition("\n")
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, theme=THEME, force_terminal=color, no_color=not color,
                      highlight=False, soft_wrap=False, emoji=False)
    console.print()
    console.print(f"[detail.key]Nodes:[/] {len(fleet.get('nodes', []))} read, {len(fleet.get('groups', []))} configuration"
                  f"{'s' if len(fleet.get('groups', [])) != 1 else ''}", soft_wrap=True)
    for group in fleet.get("groups", []):
        console.print(f"  {escape(_group_line(group))}", soft_wrap=True)
    odd = fleet.get("odd_nodes", [])
    if odd:
        console.print()
        console.print("[detail.key]Odd nodes out:[/]")
        for entry in odd:
            console.print(f"  [cause.title]{escape(entry['name'])}[/]")
            for reason in entry["reasons"]:
                console.print(f"   [evidence]- {escape(reason)}[/]", soft_wrap=True)
    nodes = fleet.get("nodes", [])
    if nodes and (verbose or len(nodes) <= _NODE_TABLE_LIMIT):
        console.print()
        table = Table(box=None, pad_edge=False, show_edge=False, header_style="detail.key")
        for column in ("node", "GPU usable", "group", "GPUs", "driver", "causes"):
            table.add_column(column, overflow="fold")
        for node in nodes:
            gpus = "?" if node["gpus"] is None else str(node["gpus"])
            if node.get("expected_gpus") is not None:
                gpus += f"/{node['expected_gpus']}"
            table.add_row(escape(node["name"]), _USABLE[node["gpu_usable"]], str(node["group"]), gpus,
                          escape(node["configuration"].get("driver", "?")), escape(", ".join(node["causes"]) or "-"))
        console.print(table)
    unread = fleet.get("unread", [])
    if unread:
        console.print()
        console.print(f"[detail.key]Not read ({len(unread)}):[/]")
        for line in unread:
            console.print(f"  [note]{escape(line)}[/]", soft_wrap=True)
    return verdict + "\n" + buffer.getvalue() + causes


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_fleet_markdown(report: Report, *, verbose: int = 0) -> str:
    """The Markdown report with the fleet's groups, odd nodes and node table before the causes."""
    from whygpu.render.markdown import render_markdown

    fleet = _fleet(report)
    base = render_markdown(_without_details(report), verbose=verbose)
    head, _, rest = base.partition("\n\n")
    out = ["### Configurations", ""]
    out += [f"- {_cell(_group_line(g))}" for g in fleet.get("groups", [])]
    out.append("")
    if fleet.get("odd_nodes"):
        out += ["### Odd nodes out", ""]
        for entry in fleet["odd_nodes"]:
            out.append(f"- **{_cell(entry['name'])}**: " + "; ".join(_cell(r) for r in entry["reasons"]))
        out.append("")
    nodes = fleet.get("nodes", [])
    if nodes and (verbose or len(nodes) <= _NODE_TABLE_LIMIT):
        out += ["| node | GPU usable | group | GPUs | driver | causes |", "|---|---|---|---|---|---|"]
        for node in nodes:
            out.append(f"| `{_cell(node['name'])}` | {_USABLE[node['gpu_usable']]} | {node['group']} | "
                       f"{'?' if node['gpus'] is None else node['gpus']} | {_cell(node['configuration'].get('driver', '?'))} | "
                       f"{_cell(', '.join(node['causes']) or '-')} |")
        out.append("")
    if fleet.get("unread"):
        out += ["### Not read", ""] + [f"- {_cell(line)}" for line in fleet["unread"]] + [""]
    return head + "\n\n" + "\n".join(out) + "\n" + rest


_STYLE = """
:root { color-scheme: light dark; --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --line: #d1d9e0;
        --bad: #cf222e; --ok: #1a7f37; --unknown: #9a6700; --code-bg: #f6f8fa; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d; --bad: #ff7b72; --ok: #3fb950;
          --unknown: #d29922; --code-bg: #151b23; }
}
body { font-family: system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 1.5rem; line-height: 1.45; }
h1 { font-size: 1.3rem; } h2 { font-size: 1.1rem; margin-top: 1.6rem; }
.verdict { font-weight: 600; }
.verdict.no { color: var(--bad); } .verdict.yes { color: var(--ok); } .verdict.unknown { color: var(--unknown); }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .3rem .6rem; text-align: left; vertical-align: top; }
th { background: var(--code-bg); }
td.no { color: var(--bad); font-weight: 600; }
code, pre { background: var(--code-bg); font-family: ui-monospace, monospace; font-size: .9em; }
pre { padding: .5rem .7rem; white-space: pre; overflow-x: auto; }
.muted { color: var(--muted); }
"""


def render_fleet_html(report: Report) -> str:
    """A whole, self-contained HTML page (no scripts, no network) for the fleet report."""
    from whygpu.redact import redact_text

    def esc(text: object) -> str:
        return _html(redact_text(str(text)))

    fleet = _fleet(report)
    usable = {True: "yes", False: "no", None: "unknown"}[report.verdict.gpu_usable]
    parts = ['<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>whygpu fleet: {esc(report.verdict.summary)}</title><style>{_STYLE}</style></head><body>",
             "<h1>whygpu fleet report</h1>",
             f'<p class="verdict {usable}" id="verdict">{esc(report.verdict.summary)}</p>',
             "<h2>Configurations</h2><ul>"]
    parts += [f"<li>{esc(_group_line(g))}</li>" for g in fleet.get("groups", [])]
    parts.append("</ul>")
    if fleet.get("odd_nodes"):
        parts.append('<h2>Odd nodes out</h2><table id="odd"><thead><tr><th>node</th><th>why</th></tr></thead><tbody>')
        for entry in fleet["odd_nodes"]:
            reasons = "<br>".join(esc(r) for r in entry["reasons"])
            parts.append(f"<tr><td><code>{esc(entry['name'])}</code></td><td>{reasons}</td></tr>")
        parts.append("</tbody></table>")
    if report.causes:
        parts.append('<h2>Causes</h2><table id="causes"><thead><tr><th>#</th><th>cause</th><th>what</th><th>fix</th></tr></thead><tbody>')
        for cause in report.causes:
            evidence = "<br>".join(esc(line) for line in cause.evidence[:6])
            parts.append(f"<tr><td>{cause.rank}</td><td><code>{esc(cause.code)}</code></td>"
                         f'<td>{esc(cause.title)}<div class="muted"><small>{evidence}</small></div></td>'
                         f"<td><pre>{esc(cause.fix)}</pre></td></tr>")
        parts.append("</tbody></table>")
    parts.append('<h2>Nodes</h2><table id="nodes"><thead><tr><th>node</th><th>GPU usable</th><th>group</th>'
                 "<th>GPUs</th><th>driver</th><th>frameworks</th><th>causes</th></tr></thead><tbody>")
    for node in fleet.get("nodes", []):
        state = {True: "yes", False: "no", None: "unknown"}[node["gpu_usable"]]
        gpus = "?" if node["gpus"] is None else str(node["gpus"])
        if node.get("expected_gpus") is not None:
            gpus += f"/{node['expected_gpus']}"
        config = node["configuration"]
        parts.append(f"<tr><td><code>{esc(node['name'])}</code></td><td class=\"{state}\">{state}</td>"
                     f"<td>{node['group']}</td><td>{esc(gpus)}</td><td>{esc(config.get('driver', '?'))}</td>"
                     f"<td>{esc(config.get('frameworks', '?'))}</td><td>{esc(', '.join(node['causes']) or '-')}</td></tr>")
    parts.append("</tbody></table>")
    if fleet.get("unread"):
        parts.append('<h2>Not read</h2><ul id="unread">' + "".join(f"<li>{esc(line)}</li>" for line in fleet["unread"]) + "</ul>")
    parts.append("</body></html>")
    return "".join(parts) + "\n"
