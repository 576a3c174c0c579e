"""Every module of the package has its place in the layers contract of pyproject.toml (docs/design.md, checked by lint-imports)."""

from __future__ import annotations

import pkgutil
import re
import sys
from pathlib import Path

import whygpu

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def _contracts() -> list[dict[str, object]]:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    contracts: list[dict[str, object]] = config["tool"]["importlinter"]["contracts"]
    return contracts


def test_every_top_level_module_is_in_a_layer() -> None:
    layers = next(c for c in _contracts() if c["id"] == "layers")["layers"]
    assert isinstance(layers, list)
    placed = {name for layer in layers for name in re.split(r"\s*[:|]\s*", str(layer))}
    modules = {m.name for m in pkgutil.iter_modules(whygpu.__path__) if not m.name.startswith("_")}
    assert modules - placed == set(), "give these modules a layer in pyproject.toml and docs/design.md"
    assert placed - modules == set(), "layers name modules that do not exist"


def test_no_contract_ignores_an_import_but_the_process_gateways() -> None:
    """The only listed exception is the one gateway importing subprocess (docs/design.md says so)."""
    ignored = {str(i) for c in _contracts() for i in c.get("ignore_imports", [])}  # type: ignore[attr-defined]
    assert ignored == {"whygpu.gateways.process -> subprocess"}
