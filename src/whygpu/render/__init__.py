"""Renderers: one module per output format, each a function from a report to a string.

Loading this package hands the HTML renderer to the model, for Jupyter's display of a report
(the model itself does not import renderers).
"""

from whygpu.model import use_html_renderer
from whygpu.render.html import render_html

use_html_renderer(render_html)
