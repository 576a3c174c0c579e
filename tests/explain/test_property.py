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


FACT_LINES = [
    ">>> torch.cuda.is_available()", "False", "True", "None", "[]", "### TensorFlow version", "2.18.0",
    "Windows 11", "4.4.0-19041-Microsoft", "CUDA/cuDNN version: 11.8/8.6", "$ docker run img",
    "| NVIDIA-SMI 470.86  Driver Version: 470.86  CUDA Version: 11.4 |", "torch 2.1.0+cpu", "  15514MiB / 16130MiB |",
    "Could not load dynamic library 'libcudart.so.1", "0.1'; dlerror", "tf.test.is_gpu_available()", "AMD Radeon RX 580",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=80), st.sampled_from(FACT_LINES)), max_size=40))
def test_the_fact_reader_never_raises_and_every_fact_points_at_a_line(lines: list[str]) -> None:
    from whygpu.explain.logfacts import FactReader

    text = "\n".join(lines)
    reader = FactReader()
    reader.read_text("p.log", text)
    count = len(text.split("\n"))
    for name, value in vars(reader.facts).items():
        if name in ("joined", "mentioned"):
            continue
        sightings = [s for v in value.values() for s in v] if isinstance(value, dict) else value
        for seen in sightings:
            source, _, number = seen.where.rpartition(":")
            assert source == "p.log" and 1 <= int(number) <= count
    result = explain_text(text)
    assert result.gpu_used in (True, False, None)
