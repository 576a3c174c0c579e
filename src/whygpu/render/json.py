"""The JSON report of the interface contract (``schema_version`` 1)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from whygpu.model import Report


def render_json(report: Report) -> str:
    """One JSON document, keys in contract order."""
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False, default=str) + "\n"
