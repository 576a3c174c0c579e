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
