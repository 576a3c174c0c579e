"""Loads the compatibility knowledge shipped as TOML data files, one row per fact, each with a source."""

from __future__ import annotations

import sys
from functools import cache
from importlib import resources
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on older interpreters only
    import tomli as tomllib


@cache
def load(name: str) -> dict[str, Any]:
    """Return the parsed data file ``knowledge/<name>.toml``."""
    text = resources.files(__name__).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def names() -> list[str]:
    """Every data file in the knowledge package, without the ``.toml`` suffix."""
    return sorted(
        entry.name[: -len(".toml")]
        for entry in resources.files(__name__).iterdir()
        if entry.name.endswith(".toml")
    )
