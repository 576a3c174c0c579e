"""The JSON report of the interface contract (``schema_version`` 1)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from whygpu.model import Report


def render_json(report: Report) -> str:
    """One JSON document, keys in contract order.

    Every string of the report was redacted before rendering (``render``); a value JSON has no type for is written as
    its text, redacted here the same way (it was no string to redact before).
    """
    from whygpu.redact import redact_text

    return json.dumps(report.to_json(), indent=2, ensure_ascii=False, default=lambda value: redact_text(str(value))) + "\n"
