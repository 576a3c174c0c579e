"""Golden-file comparison for renderer tests; set WHYGPU_UPDATE_GOLDEN=1 to rewrite the files."""

from __future__ import annotations

import os
from pathlib import Path


def check_golden(path: Path, actual: str) -> None:
    """Assert ``actual`` equals the golden file (or rewrite it when updating)."""
    if os.environ.get("WHYGPU_UPDATE_GOLDEN") == "1" or not path.exists():
        if not path.exists() and os.environ.get("CI"):
            raise AssertionError(f"golden file {path} is missing (run with WHYGPU_UPDATE_GOLDEN=1 and commit it)")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path} differs; rerun with WHYGPU_UPDATE_GOLDEN=1 if the change is intended"
