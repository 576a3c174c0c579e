"""The one reading of a free-text scope as a framework, shared by explain's reading, judging and merging."""

from __future__ import annotations

from typing import Any

import pytest

from whygpu.explain.catalogue import catalogue
from whygpu.explain.infer import MatchedMessage
from whygpu.explain.judge import _scope
from whygpu.knowledge.frameworks import framework_of


@pytest.mark.parametrize(
    ("scope", "framework"),
    [
        ("pytorch", "torch"),
        ("PyTorch", "torch"),
        ("tensorflow (Windows)", "tensorflow"),
        ("tf.keras", "tensorflow"),
        ("keras", "tensorflow"),
        ("jax (XLA)", "jax"),
        ("pip (jax)", "jax"),
        ("jaxlib", "jax"),
        # Several named: the first one's (the signatures name the framework whose message it is first).
        ("tensorflow, jax", "tensorflow"),
        ("pytorch, tensorflow, jax", "torch"),
        ("pip (jax, torch)", "jax"),
    ],
)
def test_a_scope_that_names_a_framework_is_that_framework(scope: str, framework: str) -> None:
    assert framework_of(scope) == framework


@pytest.mark.parametrize("scope", ["any", "", "nvidia-smi", "CTranslate2 (faster-whisper, whisperX)", "pdf", "jaxson"])
def test_a_scope_that_names_no_framework_is_none(scope: str) -> None:
    # Whole words only: "pdf" holds no "tf", a made-up "jaxson" no "jax".
    assert framework_of(scope) is None


def test_explain_reads_every_signature_scope_one_way() -> None:
    # The judge's scope (which findings block which framework; also which generic lines yield to LOG104) is this reading.
    for sig in catalogue().signatures:
        assert _scope(sig.framework) == (framework_of(sig.framework) or "any")


def test_a_matched_message_is_for_the_framework_its_scope_names(monkeypatch: pytest.MonkeyPatch) -> None:
    # "pip (jax)": the message is JAX's (its fix's framework), not none because the scope's first word is pip's.
    import whygpu.explain.judge as judge_module
    from whygpu.explain import explain_text

    seen: list[MatchedMessage] = []
    real = judge_module.judge

    def judge(facts: Any, messages: list[MatchedMessage], gpu_in_use: bool) -> Any:
        seen.extend(messages)
        return real(facts, messages, gpu_in_use)

    monkeypatch.setattr(judge_module, "judge", judge)
    explain_text("ERROR: No matching distribution found for jaxlib==0.4.7+cuda11.cudnn82\n")
    assert [(m.signature, m.framework) for m in seen] == [("LOG-PIP-NO-CUDA-JAXLIB", "jax")]
    seen.clear()
    explain_text("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. "
                 "Make sure that the latest NVIDIA driver is installed and running.\n")
    assert [(m.scope, m.framework) for m in seen] == [("nvidia-smi", None)]


def test_release_in_range_reads_a_versions_column() -> None:
    """One reading of a data row's ``versions`` range: empty holds all, local tags and a leading v read past."""
    from whygpu.knowledge.frameworks import release_in_range

    assert release_in_range("", None) and release_in_range("", "2.1")
    assert release_in_range(">=2.11", "2.16.1") and not release_in_range(">=2.11", "2.10.1")
    assert release_in_range("<2.1", "v2.0.0") and release_in_range(">=2.0", "2.3.1+cu121")
    assert release_in_range(">=2.16", "2.16.0rc1")  # a pre-release counts as its release
    assert not release_in_range(">=2.11", None) and not release_in_range(">=2.11", "nightly")
    assert not release_in_range("not a range", "2.16.1")
