"""Every knowledge data file parses, every row cites an https source, and no row is duplicated."""

from __future__ import annotations

import sys
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from whygpu import knowledge
from whygpu.knowledge import load, names, parse_toml, pregen, read_data

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on older interpreters only
    import tomli as tomllib

# causes.toml is the project's own list of cause codes (shared/causes.md), not external facts.
EXEMPT_FROM_SOURCES = {"causes"}

# Fields that together identify a row in each table; a second row with the same key would make
# a look-up ambiguous.
ROW_KEYS: dict[tuple[str, str], tuple[str, ...]] = {
    ("tensorflow", "build"): ("version", "platform"),
    ("tensorflow", "package"): ("name",),
    ("tensorflow", "and_cuda"): ("tensorflow", "package"),
    ("tensorflow", "compute_capability"): ("versions",),
    ("torch", "release"): ("version",),
    ("torch", "arch_list"): ("torch", "cuda"),
    ("jax", "cuda_variant"): ("jax", "cuda_major"),
    ("cuda", "toolkit"): ("version",),
    ("cuda", "minor_compat"): ("cuda_major",),
    ("cuda", "architecture"): ("cuda_major",),
    ("cuda", "newest_cc"): ("cuda",),
    ("cuda", "library"): ("cuda", "library"),
    ("cuda", "cudnn"): ("major",),
    ("gpu_status", "status"): ("library", "number"),
    ("gpu_status", "library"): ("library",),
    ("gpu_status", "printed"): ("text",),
    ("gpu_status", "qualifier"): ("name", "words"),
    ("gpus", "gpu"): ("name",),
    ("gpus", "chip"): ("prefix",),
    ("gpus", "vendor"): ("id",),
    ("gpus", "architecture_driver"): ("architecture",),
    ("azure", "vm_size"): ("name",),
    ("azure", "size_pattern"): ("pattern",),
    ("azure", "azureml_image"): ("name",),
    ("azure", "size_driver"): ("series",),
    ("azure", "size_successor"): ("series",),
    ("azure", "image_driver"): ("name", "cpu_arch"),
    ("azure", "curated_environment"): ("name",),
}

DATA_FILES = [name for name in names() if name not in EXEMPT_FROM_SOURCES]


def _rows(value: Any, path: str) -> list[tuple[str, dict[str, Any]]]:
    """Every table row (a dict inside an array of tables) with its path, found generically."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_rows(item, f"{path}.{key}"))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                found.append((f"{path}[{index}]", item))
                found.extend(_rows(item, f"{path}[{index}]"))
    return found


def test_the_expected_data_files_ship() -> None:
    assert {"tensorflow", "torch", "jax", "cuda", "gpus", "azure"} <= set(names())


@pytest.mark.parametrize("name", names())
def test_data_file_parses_strictly(name: str) -> None:
    text = resources.files("whygpu.knowledge").joinpath(f"{name}.toml").read_text("utf-8")
    # tomllib rejects duplicate keys inside one table, so a clean parse rules those out.
    assert isinstance(tomllib.loads(text), dict)


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_row_has_an_https_source(name: str) -> None:
    rows = _rows(load(name), name)
    assert rows, f"{name}.toml has no rows"
    missing = [path for path, row in rows if not str(row.get("source", "")).startswith("https://")]
    assert missing == []


def test_source_check_catches_a_row_without_source() -> None:
    data = {"gpu": [{"name": "x", "source": "https://example.org"}, {"name": "y"}]}
    bad = [p for p, r in _rows(data, "f") if not str(r.get("source", "")).startswith("https://")]
    assert bad == ["f.gpu[1]"]


@pytest.mark.parametrize(("name", "table"), sorted(ROW_KEYS))
def test_no_duplicate_rows(name: str, table: str) -> None:
    fields = ROW_KEYS[(name, table)]
    rows = load(name).get(table, [])
    assert rows, f"{name}.{table} is empty"
    keys = Counter(tuple(str(row.get(f, "")).lower() for f in fields) for row in rows)
    assert [key for key, count in keys.items() if count > 1] == []


def test_pci_ids_are_unique_per_vendor() -> None:
    seen = Counter((row["vendor"], pci) for row in load("gpus")["gpu"] for pci in row["pci_ids"])
    assert [key for key, count in seen.items() if count > 1] == []


def test_status_causes_are_known_codes_or_none() -> None:
    codes = {row["code"] for row in load("causes")["cause"]}
    rows = load("gpu_status")["status"]
    assert len(rows) > 300
    for row in rows:
        assert row["cause"] == "none" or row["cause"] in codes, (row["name"], row["cause"])
        for cause in row.get("also", []):
            assert cause in codes and row["cause"] != "none", (row["name"], cause)
        # A code read by its text alone must have a text, and mean something.
        assert not row.get("by_text") or (row["description"] and row["cause"] != "none"), row["name"]


_EVERY_DATA_FILE = [(package, name) for package in pregen.PACKAGES for name in pregen.toml_names(package)]


@pytest.mark.parametrize(("package", "name"), _EVERY_DATA_FILE)
def test_pre_parsed_json_is_the_toml_of_today(package: str, name: str) -> None:
    # A run reads <name>.parsed.json, not the TOML: an edit to the TOML must be regenerated.
    path = Path(pregen.parsed_path(package, name))
    assert path.is_file(), f"{path} is missing: run python -m whygpu.knowledge.pregen"
    assert path.read_text(encoding="utf-8") == pregen.rendered(package, name), "run: python -m whygpu.knowledge.pregen"
    assert read_data(package, name) == parse_toml(package, name)


def test_every_toml_data_file_has_its_pre_parsed_form() -> None:
    assert ("whygpu.knowledge", "causes") in _EVERY_DATA_FILE
    assert ("whygpu.explain", "signatures") in _EVERY_DATA_FILE
    assert len(_EVERY_DATA_FILE) >= 14


def test_without_the_pre_parsed_json_the_toml_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(knowledge, "PARSED_SUFFIX", ".no-such-file.json")
    assert knowledge.read_data("whygpu.knowledge", "causes") == parse_toml("whygpu.knowledge", "causes")


def test_a_stale_pre_parsed_file_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The check above compares text: a TOML edit that the JSON does not have makes it fail.
    package = tmp_path / "fakedata"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "rows.toml").write_text('[[row]]\nname = "a"\nsource = "https://example.org"\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "fakedata", raising=False)
    (package / f"rows{knowledge.PARSED_SUFFIX}").write_text(pregen.rendered("fakedata", "rows"))
    assert read_data("fakedata", "rows") == {"row": [{"name": "a", "source": "https://example.org"}]}
    (package / "rows.toml").write_text('[[row]]\nname = "b"\nsource = "https://example.org"\n')
    assert pregen.rendered("fakedata", "rows") != (package / f"rows{knowledge.PARSED_SUFFIX}").read_text()
