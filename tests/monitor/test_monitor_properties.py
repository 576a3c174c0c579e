"""Property tests: no trace reader raises anything but ``TraceError`` or hangs, whatever the bytes."""

from __future__ import annotations

import signal
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from whygpu.monitor.analysis import analyse
from whygpu.monitor.traces import FORMATS, TraceError, TraceReader

HEADS = {
    "nvidia-smi-csv": "timestamp, index, utilization.gpu [%], memory.used [MiB]\n",
    "nvidia-smi-dmon": "# gpu    pwr     sm     fb\n# Idx      W      %     MB\n",
    "dcgmi-dmon": "#Entity   GPUTL  FBUSD\nID\n",
    "dcgm-exporter": '# TYPE DCGM_FI_DEV_GPU_UTIL gauge\nDCGM_FI_DEV_GPU_UTIL{gpu="0"} 5\n',
    "whygpu-jsonl": '{"whygpu_trace": 1}\n',
    "whygpu-csv": "# whygpu trace v1\nt,gpu,util_percent,mem_used_mib,processes,proc_alive\n",
    "whygpu-csv-tail": "",
}
CELLS = st.sampled_from(["0", "45", "45 %", "[N/A]", "N/A", "-", "1234 MiB", "0.5", "GPU 0", "2024/06/24 15:48:31.1",
                         "{", "}", '"', ",", "`", "> ", "$ nvidia-smi", "\x1b[1m", "nan", "1e999", "-1", "GPU-I 3",
                         'DCGM_FI_DEV_FB_USED{gpu="1"}', "3000:12:1:compute", "\x00", "\ufffd", "#"])
BODY = st.lists(st.lists(CELLS, max_size=8).map(lambda cells: " , ".join(cells) if cells and cells[0] != "#" else "  ".join(cells)),
                max_size=30).map("\n".join)


def _alarm(_signum: int, _frame: object) -> None:
    raise TimeoutError("a trace reader hung on this input")


def _read(text: str | bytes) -> None:
    # Never hangs: each example must finish well within 20 s (SIGALRM raises in the reader if not).
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(20)
    try:
        _read_bounded(text)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _read_bounded(text: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "trace"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            reader = TraceReader(str(path))
            analyse(list(reader.chunks()))
        except TraceError:
            pass


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(head=st.sampled_from(sorted(HEADS)), body=BODY)
def test_every_reader_on_structured_junk(head: str, body: str) -> None:
    _read(HEADS[head] + body)


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=2000))
def test_any_bytes(data: bytes) -> None:
    _read(data)


@settings(max_examples=40, deadline=None)
@given(head=st.sampled_from(sorted(HEADS)), data=st.text(max_size=500))
def test_every_reader_on_any_text(head: str, data: str) -> None:
    _read(HEADS[head] + data)


def test_every_format_has_a_head() -> None:
    assert set(FORMATS) <= set(HEADS)
