"""The Hyperscan databases shipped beside the signatures (explain/hsdb.py): current, equal to a compile, never required."""

from __future__ import annotations

from pathlib import Path

import pytest

hyperscan = pytest.importorskip("hyperscan")

from whygpu.explain import hsdb, scan  # noqa: E402
from whygpu.explain.catalogue import catalogue  # noqa: E402


def test_the_shipped_file_holds_todays_patterns() -> None:
    # Signatures changed without the file rewritten: every big log would compile again (results stay right).
    assert hsdb.current(), "run: python -m whygpu.explain.hsdb"


def _ends(database: object, data: bytes) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    database.scan(data, match_event_handler=lambda pattern, start, end, flags, context: found.append((pattern, end)) and None)  # type: ignore[attr-defined]
    return found


def test_a_shipped_database_finds_what_a_fresh_compile_finds() -> None:
    patterns = hsdb.variants()[1]
    shipped = hsdb.shipped(patterns)
    if shipped is None:
        pytest.skip("the shipped database does not load on this machine (another CPU or Hyperscan release): it compiles")
    compiled = scan.compile_database(patterns)
    data = "\n".join(sig.example for sig in catalogue().signatures).encode("utf-8", "replace") + b"\n"
    assert _ends(shipped, data) == _ends(compiled, data)
    assert len(_ends(shipped, data)) > len(catalogue().signatures) // 2


def test_another_patterns_key_a_stale_or_corrupt_file_means_a_compile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    patterns = hsdb.variants()[1]
    # Patterns the file has no database of (one pattern more): not loaded, so a scan compiles them.
    assert hsdb.shipped((*patterns, "one more pattern")) is None
    corrupt = tmp_path / "signatures.hsdb"
    corrupt.write_bytes(b"not a zlib stream")
    monkeypatch.setattr(hsdb, "PATH", str(corrupt))
    assert hsdb.shipped(patterns) is None
    assert not hsdb.current()
    assert scan.hyperscan_database(patterns) is not None  # compiled, as without the file
    monkeypatch.setattr(hsdb, "PATH", str(tmp_path / "absent.hsdb"))
    assert hsdb.shipped(patterns) is None
