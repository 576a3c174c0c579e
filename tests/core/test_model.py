"""Ranking of causes, the contract JSON shape, and finding validation."""

from __future__ import annotations

from dataclasses import replace

import pytest

from whygpu.knowledge.causes import cause_codes
from whygpu.model import Confidence, Finding, Report, Severity, Verdict, rank_causes

CAUSES_MD = "../shared/causes.md"


def test_cause_codes_match_causes_md() -> None:
    import pathlib
    import re

    path = pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "causes.md"
    if not path.exists():
        pytest.skip("shared/causes.md is not beside this checkout")
    listed = re.findall(r"^\| `([A-Z_]+)` \|", path.read_text(), flags=re.M)
    assert listed == cause_codes()


def test_unknown_cause_code_is_rejected() -> None:
    with pytest.raises(ValueError):
        Finding("X", "NOT_A_CAUSE", Severity.ERROR, "t")


def test_chain_order_ranks_no_gpu_before_cpu_build() -> None:
    causes = rank_causes([
        Finding("FW001", "FRAMEWORK_CPU_BUILD", Severity.ERROR, "cpu torch"),
        Finding("HW001", "NO_GPU", Severity.ERROR, "no gpu"),
    ])
    assert [c.code for c in causes] == ["NO_GPU", "FRAMEWORK_CPU_BUILD"]
    assert [c.rank for c in causes] == [1, 2]


def test_errors_rank_before_warnings_and_info_makes_no_cause() -> None:
    causes = rank_causes([
        Finding("A", "NO_GPU", Severity.WARNING, "maybe"),
        Finding("B", "GPU_FAULT", Severity.ERROR, "fault"),
        Finding("C", "GPU_BUSY", Severity.INFO, "fyi"),
    ])
    assert [c.code for c in causes] == ["GPU_FAULT", "NO_GPU"]


def test_likelihood_ranking_puts_confidence_first() -> None:
    findings = [
        Finding("A", "DRIVER_MISSING", Severity.ERROR, "driver?", confidence=Confidence.LOW),
        Finding("B", "CUDA_LIBS_MISSING", Severity.ERROR, "libs", confidence=Confidence.HIGH),
    ]
    assert rank_causes(findings)[0].code == "DRIVER_MISSING"
    assert rank_causes(findings, by_likelihood=True)[0].code == "CUDA_LIBS_MISSING"


def test_a_line_two_findings_quote_with_and_without_its_indent_is_evidence_once() -> None:
    row = "pytorch            pytorch::pytorch-1.7.1-py3.8_cuda10.2~ --> pkgs/main::pytorch-1.7.1-cpu_py38h6a09485_0"
    (cause,) = rank_causes([
        Finding("FW001", "FRAMEWORK_CPU_BUILD", Severity.ERROR, "cpu torch", evidence=(f"log.txt:3:   {row}",)),
        Finding("LOG673", "FRAMEWORK_CPU_BUILD", Severity.ERROR, "replaced", evidence=(f"log.txt:3: {row}", f"log.txt:4: {row}")),
    ])
    assert cause.evidence == (f"log.txt:3:   {row}", f"log.txt:4: {row}")


def _alternative(rule: str, cause: str, lead: str) -> Finding:
    return Finding(rule, cause, Severity.WARNING, "possible instead", confidence=Confidence.LOW, alternative_to=lead)


def test_likelihood_ranking_keeps_the_order_alternatives_were_given_in() -> None:
    # Given against the chain order (CUDA_LIBS_MISSING comes before CUDA_LIBS_NOT_ON_PATH in causes.md):
    # the rule that offered them decided (a base rate's counts), and the report keeps its order.
    findings = [
        Finding("A", "CUDA_LIBS_MISMATCH", Severity.ERROR, "another release", confidence=Confidence.MEDIUM),
        _alternative("A", "CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISMATCH"),
        _alternative("A", "CUDA_LIBS_MISSING", "CUDA_LIBS_MISMATCH"),
        # Not an alternative: it keeps the slot the chain order gives it among the equally likely.
        Finding("B", "NO_GPU", Severity.WARNING, "a warning", confidence=Confidence.LOW),
    ]
    ranked = [c.code for c in rank_causes(findings, by_likelihood=True)]
    assert ranked == ["CUDA_LIBS_MISMATCH", "NO_GPU", "CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISSING"]
    # The physical chain (a machine's report) is not a likelihood ranking: it keeps the chain order.
    chain = [c.code for c in rank_causes(findings)]
    assert chain.index("CUDA_LIBS_MISSING") < chain.index("CUDA_LIBS_NOT_ON_PATH")


def test_the_likelier_readings_order_of_alternatives_comes_first() -> None:
    # Two readings offer the same alternatives in opposite orders; the one whose cause ranks first
    # decides, whichever line came first in the log.
    findings = [
        Finding("B", "DRIVER_MISSING", Severity.ERROR, "less likely", confidence=Confidence.MEDIUM),
        _alternative("B", "CUDA_LIBS_MISSING", "DRIVER_MISSING"),
        _alternative("B", "CUDA_LIBS_NOT_ON_PATH", "DRIVER_MISSING"),
        Finding("A", "CUDA_LIBS_MISMATCH", Severity.ERROR, "likeliest", confidence=Confidence.HIGH),
        _alternative("A", "CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISMATCH"),
        _alternative("A", "CUDA_LIBS_MISSING", "CUDA_LIBS_MISMATCH"),
    ]
    ranked = [c.code for c in rank_causes(findings, by_likelihood=True)]
    assert ranked == ["CUDA_LIBS_MISMATCH", "DRIVER_MISSING", "CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISSING"]


def test_alternatives_of_different_confidence_still_sort_by_confidence() -> None:
    findings = [
        Finding("A", "CUDA_LIBS_MISMATCH", Severity.ERROR, "another release", confidence=Confidence.HIGH),
        _alternative("A", "CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISMATCH"),
        replace(_alternative("A", "CUDA_LIBS_MISSING", "CUDA_LIBS_MISMATCH"), confidence=Confidence.MEDIUM),
        _alternative("A", "DRIVER_MISSING", "CUDA_LIBS_MISMATCH"),
    ]
    ranked = [c.code for c in rank_causes(findings, by_likelihood=True)]
    assert ranked == ["CUDA_LIBS_MISMATCH", "CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH", "DRIVER_MISSING"]


def test_findings_of_one_cause_merge_evidence_and_fixes() -> None:
    causes = rank_causes([
        Finding("X1", "CUDA_LIBS_MISSING", Severity.ERROR, "first", ("a", "b"), "fix 1"),
        Finding("X2", "CUDA_LIBS_MISSING", Severity.ERROR, "second", ("b", "c"), "fix 2"),
    ])
    assert len(causes) == 1
    assert causes[0].evidence == ("a", "b", "c")
    assert causes[0].fix == "fix 1\nfix 2"
    assert causes[0].findings == ("X1", "X2")


def test_report_json_follows_the_contract() -> None:
    finding = Finding("HW001", "NO_GPU", Severity.ERROR, "no gpu", ("PCI: none",), "use a GPU VM")
    report = Report("machine", Verdict(False, "no"), rank_causes([finding]), [finding])
    data = report.to_json()
    assert data["schema_version"] == 1
    assert data["tool"]["name"] == "whygpu"
    assert data["subject"] == {"kind": "machine"}
    assert data["verdict"] == {"gpu_usable": False, "summary": "no"}
    cause = data["causes"][0]
    assert {"code", "rank", "confidence", "title", "evidence", "fix", "findings"} <= set(cause)
    assert cause["findings"] == ["HW001"]
    f = data["findings"][0]
    assert {"id", "cause", "severity", "title", "evidence", "fix"} <= set(f)
    assert report.problem_found


def test_info_only_report_is_not_a_problem() -> None:
    finding = Finding("FW006", "FRAMEWORK_INSTALL_BROKEN", Severity.INFO, "no framework")
    assert not Report("machine", Verdict(None, "x"), [], [finding]).problem_found


def test_typed_finding_fields_reach_json_extra_and_stay_out_of_extra() -> None:
    from whygpu.model import Location

    finding = Finding(
        id="DF001",
        cause="FRAMEWORK_CPU_BUILD",
        severity=Severity.ERROR,
        title="t",
        location=Location("Dockerfile", 2, 1),
        blocks_gpu=True,
        alternative_to="NO_GPU",
        generic=True,
        extra={"slug": "cpu-base-image"},
    )
    assert finding.to_json()["extra"] == {
        "file": "Dockerfile",
        "line": 2,
        "column": 1,
        "slug": "cpu-base-image",
        "alternative_to": "NO_GPU",
        "blocks_gpu": True,
        "generic": True,
    }
    assert "extra" not in Finding(id="X", cause="NO_GPU", severity=Severity.INFO, title="t").to_json()
    with pytest.raises(ValueError, match="typed fields"):
        Finding(id="X", cause="NO_GPU", severity=Severity.INFO, title="t", extra={"blocks_gpu": True})
    with pytest.raises(ValueError, match="typed fields"):
        Finding(id="X", cause="NO_GPU", severity=Severity.INFO, title="t", extra={"generic": True})
