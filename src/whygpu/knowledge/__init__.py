"""The compatibility knowledge: TOML data files (one row per fact, each with a source) and one module per subject.

Each subject module (tensorflow, torch, jax, cuda, gpus, azure, causes, machine_markers,
python_layouts, frameworks) holds its row types beside its accessors and parses its TOML on first use,
never at import time.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from functools import lru_cache
from typing import Any

# The self-contained collector (``whygpu collector``, see ``whygpu/collector/bundle.py``) runs on
# Pythons without tomllib, so it carries the data files it needs already parsed, as JSON text keyed
# "<package>/<name>", and fills this before any data file is read.
EMBEDDED_JSON: dict[str, str] = {}

# The pre-parsed form of each data file: ``<name>.toml`` beside ``<name>.parsed.json``.
PARSED_SUFFIX = ".parsed.json"


def read_data(package: str, name: str) -> dict[str, Any]:
    """A fresh parse of the data file ``<name>.toml`` shipped inside ``package`` (knowledge, lint, explain).

    The TOML is the source; beside it ``<name>.parsed.json`` holds the same data already parsed
    (written by ``python -m whygpu.knowledge.pregen``; a test checks that the two are equal), which
    the C JSON decoder reads in a fraction of what importing a TOML parser alone costs. Without
    the JSON file (removed, or never generated) the TOML is parsed.
    """
    embedded = EMBEDDED_JSON.get(f"{package}/{name}")
    if embedded is None:
        embedded = _read_text(package, f"{name}{PARSED_SUFFIX}", missing_ok=True)
    if embedded is not None:
        parsed: dict[str, Any] = json.loads(embedded)
        return parsed
    return parse_toml(package, name)


def parse_toml(package: str, name: str) -> dict[str, Any]:
    """The data file ``<name>.toml`` inside ``package`` parsed from its TOML (never the pre-parsed JSON)."""
    # Imported here so that ``import whygpu`` and ``whygpu --help`` never load a TOML parser.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on older interpreters only
        import tomli as tomllib

    text = _read_text(package, f"{name}.toml")
    assert text is not None  # not missing_ok: a missing file raised
    return tomllib.loads(text)


def _read_text(package: str, filename: str, missing_ok: bool = False) -> str | None:
    """The text of the data file ``filename`` inside ``package`` (None when missing and ``missing_ok``).

    ``importlib.resources`` costs more to import (zipfile, tempfile, pathlib) than whygpu spends
    diagnosing a machine, so a package installed as files (every pip, conda and editable install)
    is read from its directory; one inside a zip archive goes through ``importlib.resources``.
    """
    where = getattr(importlib.import_module(package), "__file__", None)
    if where and os.path.isdir(os.path.dirname(where)):
        try:
            with open(os.path.join(os.path.dirname(where), filename), encoding="utf-8") as handle:
                return handle.read()
        except FileNotFoundError:
            if missing_ok:
                return None
            raise
    from importlib import resources

    resource = resources.files(package).joinpath(filename)
    if missing_ok and not resource.is_file():
        return None
    return resource.read_text(encoding="utf-8")


@lru_cache(maxsize=None)  # noqa: UP033 - functools.cache is Python 3.9+, and the collector runs on 3.8
def load_data(package: str, name: str) -> dict[str, Any]:
    """``read_data``, parsed once per process; callers must not change what it returns."""
    return read_data(package, name)


def data_names(package: str) -> list[str]:
    """Every TOML data file shipped inside ``package``, without the ``.toml`` suffix."""
    from importlib import resources

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
