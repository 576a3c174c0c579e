"""The golden-file helper: a missing file fails the test, and only WHYGPU_UPDATE_GOLDEN=1 writes one."""

from __future__ import annotations

from pathlib import Path

import pytest

from golden import check_golden


def test_a_missing_golden_file_fails_and_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("WHYGPU_UPDATE_GOLDEN", raising=False)
    path = tmp_path / "golden" / "new.txt"
    with pytest.raises(AssertionError, match="missing"):
        check_golden(path, "output\n")
    assert not path.exists()


def test_update_switch_writes_and_the_next_run_compares(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "golden" / "new.txt"
    monkeypatch.setenv("WHYGPU_UPDATE_GOLDEN", "1")
    check_golden(path, "output\n")
    monkeypatch.delenv("WHYGPU_UPDATE_GOLDEN")
    check_golden(path, "output\n")
    with pytest.raises(AssertionError, match="differs"):
        check_golden(path, "other\n")
