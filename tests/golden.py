"""Golden-file comparison for renderer tests; set WHYGPU_UPDATE_GOLDEN=1 to write or rewrite the files."""

from __future__ import annotations

import os
from pathlib import Path


def check_golden(path: Path, actual: str) -> None:
    """Assert ``actual`` equals the golden file; only WHYGPU_UPDATE_GOLDEN=1 writes it (a missing file fails)."""
    if os.environ.get("WHYGPU_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    if not path.exists():
        raise AssertionError(f"golden file {path} is missing: run with WHYGPU_UPDATE_GOLDEN=1, check it and commit it")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path} differs; rerun with WHYGPU_UPDATE_GOLDEN=1 if the change is intended"
