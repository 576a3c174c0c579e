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


def test_a_secret_inside_an_escaped_quote_of_rendered_json_keeps_the_escape() -> None:
    # Redaction runs over rendered text: in JSON a pasted `--env "HF_TOKEN=hf_..."` is `\"HF_TOKEN=hf_...\"`, and
    # the value must end before the backslash that escapes its closing quote, or the JSON breaks.
    import json

    for line in ['docker run --env "HUGGING_FACE_HUB_TOKEN=abcdefghijklmnop" -p 5000:5000 image',
                 'conn "AccountKey=abcdef123456" and url "https://h/x?sig=abcdef123456"']:
        rendered = json.dumps({"line": line})
        out = redact_text(rendered)
        assert "abcdef" not in out
        assert json.loads(out)["line"].count('"') == line.count('"')
