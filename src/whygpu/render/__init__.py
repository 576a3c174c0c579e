"""Renderers: one module per output format, each a function from a report to a string.

Loading this package hands the HTML renderer to the model, for Jupyter's display of a report
(the model itself does not import renderers).
"""

from whygpu.model import Report, use_html_renderer


def _html(report: Report) -> str:
    """The HTML report through the one dispatch point, which strips control sequences and redacts."""
    from whygpu.render.interface import Format, render

    return render(report, Format.HTML)


use_html_renderer(_html)
