"""Secrets never appear in outputs: connection strings, SAS tokens, credentials in URLs, secret variables."""

from __future__ import annotations

import hypothesis
import pytest
from hypothesis import strategies as st

from whygpu.redact import REDACTED, is_secret_name, redact_environment, redact_text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("DefaultEndpointsProtocol=https;AccountName=acc;AccountKey=c2VjcmV0a2V5MTIz==;EndpointSuffix=core.windows.net", "c2VjcmV0a2V5MTIz=="),
        ("https://acc.blob.core.windows.net/c/f.txt?sv=2022-11-02&se=2026-01-01&sp=r&sig=AbC%2FdEf%3D", "AbC%2FdEf%3D"),
        ("Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=Zm9vYmFy", "Zm9vYmFy"),
        ("git clone https://user:hunter2@example.com/repo.git", "hunter2"),
        ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig", "eyJhbGciOiJIUzI1NiJ9.payload.sig"),
        ("WANDB_API_KEY=0123456789abcdef", "0123456789abcdef"),
        ("token ghp_abcdefghijklmnopqrstuvwxyz0123", "ghp_abcdefghijklmnopqrstuvwxyz0123"),
    ],
)
def test_secrets_in_text_are_redacted(text: str, secret: str) -> None:
    out = redact_text(text)
    assert secret not in out
    assert REDACTED in out


def test_ordinary_text_is_untouched() -> None:
    text = "Could not load dynamic library 'libcudart.so.12'; LD_LIBRARY_PATH=/usr/local/cuda/lib64"
    assert redact_text(text) == text


def test_environment_by_name() -> None:
    env = redact_environment({"AZUREML_RUN_TOKEN": "abc", "CUDA_VISIBLE_DEVICES": "0", "PWD": "/home/u", "MY_SECRET": "s"})
    assert env == {"AZUREML_RUN_TOKEN": REDACTED, "CUDA_VISIBLE_DEVICES": "0", "PWD": "/home/u", "MY_SECRET": REDACTED}
    assert is_secret_name("AZURE_STORAGE_CONNECTION_STRING")
    assert not is_secret_name("LD_LIBRARY_PATH")


_PIECES = ["AccountKey=", "password=", "PWD=", "?sig=", "&token=", "https://", "user:", "pw@host", "Bearer ", "bearer\t",
           "abcdefgh12345678", "API_KEY", "my_secret: ", '"quoted val"', "'q'", "ghp_", "hf_", "github_pat_",
           "0123456789abcdefABCDEF", "_", "=", ":", ";", " ", "/usr/local/cuda/bin", "\u212aey=", "connect\u0131on_string=",
           "\u017fecret=", "SAS_TOKEN=", "x", "KEY", "tok", "en"]


@hypothesis.settings(max_examples=3000, deadline=None)
@hypothesis.given(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join) | st.text(max_size=40))
def test_redaction_skips_only_patterns_that_cannot_match(text: str) -> None:
    # redact_text compiles and runs a pattern only when its quick test passes; running every
    # pattern always must give the same text.
    import re

    from whygpu.redact import _VALUE_PATTERNS

    expected = text
    for pattern, replacement, _may_match in _VALUE_PATTERNS:
        expected = re.sub(pattern, replacement, expected)
    assert redact_text(text) == expected


# --- structured output is redacted string by string, so escapes stay whole ----------------------

_ESCAPED = 'docker run --env \\"HF_TOKEN=hf_abcdefghijklmnopqrstuv\\" --env \\"API_KEY=abc123\\" vllm/vllm-openai\n'


def test_redact_deep_keeps_json_valid_where_a_pass_over_the_text_would_break_it() -> None:
    import json

    from whygpu.redact import redact_deep

    data = {"cmdline": 'docker run -e "WANDB_API_KEY=abc123" -e HF_TOKEN=hf_abcdefghijklmnopqrstuv img',
            "nested": [{"line": _ESCAPED}], "tuple": ("TOKEN=x1",)}
    text = json.dumps(redact_deep(data), indent=2)
    loaded = json.loads(text)  # valid JSON
    assert "abc123" not in text and "hf_abcdefghij" not in text and "x1" not in text
    assert loaded["cmdline"].startswith("docker run -e ")
    # the failure the function exists for: redacting the serialised text takes the escape's backslash into the value
    broken = redact_text(json.dumps(data))
    with pytest.raises(json.JSONDecodeError):
        json.loads(broken)


@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "markdown", "html"])
def test_every_output_format_of_explain_redacts_and_json_stays_valid(tmp_path: object, fmt: str) -> None:
    import json
    from pathlib import Path

    from whygpu.api import explain
    from whygpu.render.interface import Format, render

    log = Path(str(tmp_path)) / "run.log"
    log.write_text(_ESCAPED + ">>> torch.cuda.is_available()\nFalse\n", encoding="utf-8")
    out = render(explain(str(log)), Format(fmt))
    assert "hf_abcdefghij" not in out and "abc123" not in out
    assert REDACTED in out or REDACTED.replace("<", "&lt;").replace(">", "&gt;") in out  # the line was shown, redacted
    if fmt in ("json", "sarif"):
        json.loads(out)


def test_a_value_json_writes_as_its_text_is_redacted_too() -> None:
    import json

    from whygpu.model import Report, Verdict
    from whygpu.render.interface import Format, render

    class Opaque:
        def __str__(self) -> str:
            return "https://acct.blob.core.windows.net/c?sv=2022&sig=abcdef1234567890"

    report = Report(subject_kind="log", verdict=Verdict(gpu_usable=None, summary="s"), causes=[], findings=[],
                    details={"where": Opaque()})
    out = render(report, Format.JSON)
    assert "abcdef1234567890" not in out and json.loads(out)
