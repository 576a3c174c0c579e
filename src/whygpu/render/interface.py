"""The output formats and the one dispatch point from a format to its renderer."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from whygpu.model import Report


class Format(str, enum.Enum):
    """Every output format; a test checks each one renders."""

    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"
    SARIF = "sarif"


def render(report: Report, fmt: Format, *, verbose: int = 0, width: int = 100, color: bool = False,
           page: bool = False) -> str:
    """Render ``report`` in ``fmt``: control sequences stripped from every string and secrets redacted, before rendering."""
    from whygpu.redact import redact_text
    from whygpu.safetext import map_strings, strip_controls

    # The one place where text read from files and processes is made safe for a terminal, and its secrets redacted,
    # for every format: string by string, before any format escapes it (JSON's `\"` must not become part of a value).
    report = map_strings(report, lambda text: redact_text(strip_controls(text)))

    if fmt is Format.TEXT:
        from whygpu.render.text import render_text

        out = render_text(report, verbose=verbose, width=width, color=color)
    elif fmt is Format.JSON:
        from whygpu.render.json import render_json

        out = render_json(report)
    elif fmt is Format.MARKDOWN:
        from whygpu.render.markdown import render_markdown

        out = render_markdown(report, verbose=verbose)
    elif fmt is Format.HTML:
        from whygpu.render.html import render_html, render_html_page

        # A whole document for a file or a browser (the CLI); the fragment for Jupyter's display.
        out = render_html_page(report, verbose=verbose) if page else render_html(report, verbose=verbose)
    elif fmt is Format.SARIF:
        from whygpu.render.sarif import render_sarif

        out = render_sarif(report)
    else:  # pragma: no cover - the enum is exhaustive, checked by a test
        raise AssertionError(f"unhandled format {fmt}")
    if fmt in (Format.JSON, Format.SARIF):
        return out  # every string was redacted above; a pass over the escaped text could break an escape
    # The text formats once more over what they print (a renderer's own composed line is redacted too).
    return redact_text(out)
