"""Loads the lint-only knowledge (image names, index URLs, Python APIs) from the TOML files beside it."""

from __future__ import annotations

import sys
from functools import cache
from importlib import resources
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - older interpreters only
    import tomli as tomllib


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed data file ``whygpu/lint/<name>.toml``."""
    text = resources.files("whygpu.lint").joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def names() -> list[str]:
    """Every lint data file, without the ``.toml`` suffix."""
    return sorted(e.name[:-5] for e in resources.files("whygpu.lint").iterdir() if e.name.endswith(".toml"))
