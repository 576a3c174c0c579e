"""Loads the lint-only knowledge (image names, index URLs, Python APIs) from the TOML files beside it."""

from __future__ import annotations

from typing import Any

from whygpu.knowledge import data_names, load_data


def load(name: str) -> dict[str, Any]:
    """The parsed data file ``whygpu/lint/<name>.toml``."""
    return load_data("whygpu.lint", name)


def names() -> list[str]:
    """Every lint data file, without the ``.toml`` suffix."""
    return data_names("whygpu.lint")
