"""The compatibility knowledge: TOML data files (one row per fact, each with a source) and one module per subject.

Each subject module (tensorflow, torch, jax, cuda, gpus, azure, causes, machine_markers,
python_layouts) holds its row types beside its accessors and parses its TOML on first use,
never at import time.
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from importlib import resources
from typing import Any

# The self-contained collector (``whygpu collector``, see ``whygpu/collector/bundle.py``) runs on
# Pythons without tomllib, so it carries the data files it needs already parsed, as JSON text keyed
# "<package>/<name>", and fills this before any data file is read.
EMBEDDED_JSON: dict[str, str] = {}


def read_data(package: str, name: str) -> dict[str, Any]:
    """A fresh parse of the data file ``<name>.toml`` shipped inside ``package`` (knowledge, lint, explain)."""
    embedded = EMBEDDED_JSON.get(f"{package}/{name}")
    if embedded is not None:
        parsed: dict[str, Any] = json.loads(embedded)
        return parsed
    # Imported here so that ``import whygpu`` and ``whygpu --help`` never load a TOML parser.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on older interpreters only
        import tomli as tomllib

    text = resources.files(package).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=None)  # noqa: UP033 - functools.cache is Python 3.9+, and the collector runs on 3.8
def load_data(package: str, name: str) -> dict[str, Any]:
    """``read_data``, parsed once per process; callers must not change what it returns."""
    return read_data(package, name)


def data_names(package: str) -> list[str]:
    """Every TOML data file shipped inside ``package``, without the ``.toml`` suffix."""
    return sorted(
        entry.name[: -len(".toml")]
        for entry in resources.files(package).iterdir()
        if entry.name.endswith(".toml")
    )


def load(name: str) -> dict[str, Any]:
    """Return the parsed data file ``knowledge/<name>.toml``."""
    return load_data(__name__, name)


def names() -> list[str]:
    """Every data file in the knowledge package, without the ``.toml`` suffix."""
    return data_names(__name__)
