"""bench/blind_expert.py: the blind folder hides everything but framework, platform and text; scoring counts what it should."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.bench_scripts import load

blind = load("blind_expert")


def _case(folder: Path, ident: str, causes: list[str], log: str, kind: str = "positive") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    case = {
        "id": ident, "source": f"https://example.org/{ident}", "framework": "pytorch", "platform": "linux", "log": log,
        "causes": causes, "resolution": f"SECRET-RESOLUTION-{ident}", "confidence": "high", "kind": kind,
    }
    (folder / f"{ident}.json").write_text(json.dumps(case), encoding="utf-8")


@pytest.fixture()
def two_sets(tmp_path: Path) -> list[Path]:
    a, b = tmp_path / "holdoutA", tmp_path / "holdoutB"
    _case(a, "a-1", ["DRIVER_TOO_OLD"], "CUDA driver version is insufficient for CUDA runtime version")
    _case(a, "a-2", ["FRAMEWORK_CPU_BUILD", "CODE_FORCES_CPU"], "torch 2.3.0+cpu")
    _case(b, "b-1", [], "Created device /device:GPU:0", kind="negative")
    return [a, b]


def test_make_hides_labels_sources_and_resolutions(tmp_path: Path, two_sets: list[Path]) -> None:
    out, key = tmp_path / "blind", tmp_path / "key.jsonl"
    assert blind.make(out, key, two_sets, seed="s") == 3
    texts = sorted(out.glob("*.txt"))
    assert [t.name for t in texts] == ["001.txt", "002.txt", "003.txt"]
    joined = "\n".join(t.read_text(encoding="utf-8") for t in texts)
    for hidden in ("SECRET-RESOLUTION", "example.org", "DRIVER_TOO_OLD", "FRAMEWORK_CPU_BUILD", "a-1", "holdoutA", "negative"):
        assert hidden not in joined
    assert "CUDA driver version is insufficient" in joined and "framework: pytorch" in joined
    rows = [json.loads(line) for line in key.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["id"] for r in rows) == ["a-1", "a-2", "b-1"]
    assert {r["set"] for r in rows} == {"holdoutA", "holdoutB"}


def test_make_shuffles_by_seed(tmp_path: Path, two_sets: list[Path]) -> None:
    orders = []
    for seed in ("one", "two", "three", "four"):
        key = tmp_path / f"{seed}.jsonl"
        blind.make(tmp_path / seed, key, two_sets, seed=seed)
        orders.append(tuple(json.loads(line)["id"] for line in key.read_text(encoding="utf-8").splitlines()))
    again = tmp_path / "again.jsonl"
    blind.make(tmp_path / "again", again, two_sets, seed="one")
    assert tuple(json.loads(line)["id"] for line in again.read_text(encoding="utf-8").splitlines()) == orders[0]
    assert len(set(orders)) > 1


def _answers(tmp_path: Path, key: Path, by_id: dict[str, list[str]]) -> Path:
    guesses = tmp_path / "guesses.jsonl"
    lines = []
    for row in (json.loads(line) for line in key.read_text(encoding="utf-8").splitlines()):
        if row["id"] in by_id:
            lines.append(json.dumps({"blind_number": row["blind_number"], "top3": by_id[row["id"]], "evidence_kind": "message"}))
    guesses.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return guesses


def test_score_counts_first_three_and_clean(tmp_path: Path, two_sets: list[Path]) -> None:
    out, key, study = tmp_path / "blind", tmp_path / "key.jsonl", tmp_path / "study.jsonl"
    blind.make(out, key, two_sets, seed="s")
    guesses = _answers(tmp_path, key, {"a-1": ["DRIVER_TOO_OLD"], "a-2": ["CODE_FORCES_CPU", "FRAMEWORK_CPU_BUILD"], "b-1": []})
    tally = blind.score(guesses, key, study)
    assert (tally["positives"], tally["first"], tally["three"]) == (2, 1, 2)
    assert (tally["negatives"], tally["clean"], tally["unanswered"], tally["unknown codes"]) == (1, 1, 0, 0)
    rows = {r["id"]: r for r in (json.loads(line) for line in study.read_text(encoding="utf-8").splitlines())}
    assert rows["a-2"]["top3"] == ["CODE_FORCES_CPU", "FRAMEWORK_CPU_BUILD"] and rows["a-1"]["set"] == "holdoutA"


def test_score_names_missing_answers_and_unknown_codes(tmp_path: Path, two_sets: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    out, key, study = tmp_path / "blind", tmp_path / "key.jsonl", tmp_path / "study.jsonl"
    blind.make(out, key, two_sets, seed="s")
    guesses = _answers(tmp_path, key, {"a-1": ["OLD_DRIVER"], "b-1": ["NO_GPU"]})
    tally = blind.score(guesses, key, study)
    err = capsys.readouterr().err
    assert tally["unanswered"] == 1 and "a-2" in err
    assert tally["unknown codes"] == 1 and "OLD_DRIVER" in err
    assert tally["first"] == 0 and tally["clean"] == 0  # a made-up code is never right; a cause on a negative is not clean
