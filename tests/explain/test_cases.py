"""Cases written from other public reports (each with its URL), including logs of runs that used the GPU."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from whygpu.explain import explain_text, to_report

CASES = json.loads((Path(__file__).parent / "cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict) -> None:
    assert case["source"].startswith("https://")
    result = explain_text(case["log"], source=case["id"])
    report = to_report(result)
    codes = [c.code for c in report.causes]
    if not case["causes"]:
        assert codes == []
    else:
        if case.get("known_miss"):
            # A case the base-rate ranking misses on purpose (its reason says why); the cause stays in the first three.
            assert case["causes"][0] in codes[:3] and codes[0] != case["causes"][0]
        else:
            assert codes[0] == case["causes"][0]
        for code in case["causes"]:
            assert code in codes
    assert result.gpu_used is case["gpu_used"]
    assert len(result.benign) >= case.get("benign_at_least", 0)
    if "title_contains" in case:
        assert case["title_contains"] in report.causes[0].title
