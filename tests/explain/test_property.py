"""The log engine never raises on arbitrary text or bytes (logs are untrusted input)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from whygpu.explain import explain_lines, explain_path, explain_text, to_report
from whygpu.explain.catalogue import catalogue
from whygpu.render.interface import Format, render

EXAMPLES = [s.example for s in catalogue().signatures]
pieces = st.one_of(st.text(max_size=200), st.sampled_from(EXAMPLES), st.sampled_from(["\n", "\r", "\x1b[31m", "\x00", "\ufffd"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(pieces, max_size=30))
def test_text_never_raises(parts: list[str]) -> None:
    text = "".join(parts)
    report = to_report(explain_text(text))
    for fmt in (Format.TEXT, Format.JSON, Format.MARKDOWN):
        assert isinstance(render(report, fmt, verbose=1), str)
    assert explain_lines(text.splitlines()).gpu_used in (True, False, None)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=4000), st.sampled_from([b"", b"\x1f\x8b", b"BZh", b"\xff\xfe", b"\xef\xbb\xbf"]))
def test_bytes_never_raise_anything_but_user_errors(tmp_path: Path, data: bytes, head: bytes) -> None:
    from whygpu.errors import UserError

    path = tmp_path / "fuzz.log"
    path.write_bytes(head + data)
    try:
        result = explain_path(str(path))
    except UserError:
        return
    assert result.gpu_used in (True, False, None)
