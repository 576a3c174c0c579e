"""acctwins (session 39): one reader of twins installed together, and small mends (a CPU build asked about, LOG104's
title, cuDNN's archive names, onnxruntime-gpu's CUDA major)."""

from __future__ import annotations

from tests.log_text import codes, facts, first_cause, report

# --- (2) a question about the CPU build is not a statement of it ----------------------------------------------------


def test_cpu_build_asked_with_inverted_auxiliary_is_not_stated() -> None:
    # https://github.com/ArtLabss/tennis-tracking/issues/16
    text = "Is `cu` for cuda?  In which case can I run this with another CPU only version of Torch?"
    assert facts(text).stated_cpu_build == []


def test_cpu_build_said_before_a_question_is_still_read() -> None:
    text = "I have the CPU only version of torch installed, can I change it?"
    assert [s.value for s in facts(text).stated_cpu_build] == ["CPU only version"]
    assert facts("My torch is the CPU only build, how do I switch?").stated_cpu_build


# --- (3) LOG104's title names the cause its ranking puts first ------------------------------------------------------

# https://github.com/snapotter-hq/snapotter/issues/490 (corpus holdout97)
SNAPOTTER = """[python] GPU detected by torch but CUDAExecutionProvider not available in onnxruntime -- install onnxruntime-gpu for GPU acceleration
[python] No GPU detected, processing on CPU"""


def _log104(text: str) -> list[dict]:
    return [f for f in report(text).to_json()["findings"] if f["id"] == "LOG104"]


def test_log104_title_names_the_cause_ranked_first() -> None:
    rep = report(SNAPOTTER).to_json()
    lead = _log104(SNAPOTTER)[0]
    assert rep["causes"][0]["code"] == lead["cause"] == "FRAMEWORK_INSTALL_BROKEN"
    assert "First to check: conflicting" in lead["title"]


def test_log104_title_keeps_the_cpu_build_first_where_nothing_rules_it_out() -> None:
    text = "[python] GPU detected by torch but CUDAExecutionProvider not available in onnxruntime\n[python] No GPU detected, processing on CPU"
    rep = report(text).to_json()
    lead = _log104(text)[0]
    assert rep["causes"][0]["code"] == lead["cause"] == "FRAMEWORK_CPU_BUILD"
