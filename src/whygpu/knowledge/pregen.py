"""Writes the pre-parsed JSON form of every TOML data file (``python -m whygpu.knowledge.pregen``).

The TOML files are the source of the knowledge; each ``<name>.parsed.json`` beside one holds the
same data parsed, so that a run reads JSON (the C decoder, already imported) instead of importing
a TOML parser and parsing at every start. ``tests/knowledge/test_data_files.py`` checks that every
JSON file is exactly what this module writes from its TOML today.
"""

from __future__ import annotations

import importlib
import json
import os
import sys

from whygpu.knowledge import PARSED_SUFFIX, parse_toml

# Every package whose TOML data files are read through ``whygpu.knowledge.read_data``.
PACKAGES = ("whygpu.knowledge", "whygpu.explain", "whygpu.lint")


def toml_names(package: str) -> list[str]:
    """Every ``<name>.toml`` in ``package``'s directory, without the suffix."""
    directory = _directory(package)
    return sorted(entry[: -len(".toml")] for entry in os.listdir(directory) if entry.endswith(".toml"))


def rendered(package: str, name: str) -> str:
    """The JSON text the pre-parsed file of ``<name>.toml`` in ``package`` must hold (document order kept)."""
    return json.dumps(parse_toml(package, name), ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def parsed_path(package: str, name: str) -> str:
    """Where the pre-parsed file of ``<name>.toml`` in ``package`` lives."""
    return os.path.join(_directory(package), f"{name}{PARSED_SUFFIX}")


def _directory(package: str) -> str:
    where = importlib.import_module(package).__file__
    if where is None:
        raise ValueError(f"{package} is not a package of files")
    return os.path.dirname(where)


def main() -> int:
    """Write every pre-parsed file; print the ones that changed."""
    for package in PACKAGES:
        for name in toml_names(package):
            path = parsed_path(package, name)
            text = rendered(package, name)
            try:
                with open(path, encoding="utf-8") as handle:
                    unchanged = handle.read() == text
            except FileNotFoundError:
                unchanged = False
            if not unchanged:
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(text)
                print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
