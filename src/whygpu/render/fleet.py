"""The fleet report in text, Markdown and a self-contained HTML page: groups, odd nodes out, causes, nodes."""

from __future__ import annotations

import dataclasses
import io
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


def render_fleet_html(report: Report) -> str:
    """A whole, self-contained HTML page (no scripts, no network): the common report with the fleet's tables."""
    from whygpu.render.html import escape, render_html

    fleet = _fleet(report)
    parts = ['<h3 class="wg-section">Configurations</h3><ul id="groups">']
    parts += [f"<li>{escape(_group_line(g))}</li>" for g in fleet.get("groups", [])]
    parts.append("</ul>")
    if fleet.get("odd_nodes"):
        parts.append('<h3 class="wg-section">Odd nodes out</h3><table class="wg-table" id="odd"><thead><tr>'
                     "<th>node</th><th>why</th></tr></thead><tbody>")
        for entry in fleet["odd_nodes"]:
            reasons = "".join(f"<li>{escape(r)}</li>" for r in entry["reasons"])
            parts.append(f'<tr><td><code>{escape(entry["name"])}</code></td><td><ul class="wg-evidence">{reasons}</ul></td></tr>')
        parts.append("</tbody></table>")
    parts.append('<h3 class="wg-section">Nodes</h3><table class="wg-table" id="nodes"><thead><tr><th>node</th>'
                 "<th>GPU usable</th><th>group</th><th>GPUs</th><th>driver</th><th>frameworks</th><th>causes</th></tr></thead><tbody>")
    for node in fleet.get("nodes", []):
        gpus = "?" if node["gpus"] is None else str(node["gpus"])
        if node.get("expected_gpus") is not None:
            gpus += f"/{node['expected_gpus']}"
        config = node["configuration"]
        parts.append(f"<tr><td><code>{escape(node['name'])}</code></td><td>{_USABLE[node['gpu_usable']]}</td>"
                     f"<td>{node['group']}</td><td>{escape(gpus)}</td><td>{escape(config.get('driver', '?'))}</td>"
                     f"<td>{escape(config.get('frameworks', '?'))}</td><td>{escape(', '.join(node['causes']) or '-')}</td></tr>")
    parts.append("</tbody></table>")
    if fleet.get("unread"):
        parts.append('<h3 class="wg-section">Not read</h3><ul id="unread">'
                     + "".join(f"<li>{escape(line)}</li>" for line in fleet["unread"]) + "</ul>")
    body = render_html(_without_details(report))
    # The common report is one <div class="whygpu-report">; the fleet's tables go inside it, after the causes.
    body = body[: body.rindex("</div>")] + "".join(parts) + "</div>"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark">'
        "<style>body{margin:16px;background:Canvas;color:CanvasText}</style>"
        f"<title>whygpu fleet: {escape(report.verdict.summary)}</title></head><body>{body}</body></html>\n"
    )
