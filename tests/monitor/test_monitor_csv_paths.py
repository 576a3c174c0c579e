"""nvidia-smi CSV read two ways, the same samples out: whole lines by the header's pattern, or rows by the csv module."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from whygpu.monitor import traces
from whygpu.monitor.traces import TraceError, TraceReader

HEADER = ("timestamp, index, name, utilization.gpu [%], memory.used [MiB], memory.total [MiB], power.draw [W], "
          "clocks_throttle_reasons.active\n")


def _samples(path: Path, *, text_blocks: bool, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Every GPU's samples concatenated over the chunks, with what was lost: independent of how the file was cut."""
    with monkeypatch.context() as patch:
        if not text_blocks:
            patch.setattr(traces._SmiCsv, "use_text_blocks", lambda self, first_lines: False)
        used: list[bool] = []
        original = traces._SmiCsv.text_block

        def spy(self: Any, text: str) -> Any:
            chunk = original(self, text)
            used.append(chunk is not None)
            return chunk

        patch.setattr(traces._SmiCsv, "text_block", spy)
        reader = TraceReader(str(path))
        gpus: dict[str, dict[str, Any]] = {}
        try:
            for chunk in reader.chunks():
                for gpu, cols in chunk.gpus.items():
                    into = gpus.setdefault(gpu, {"t": [], "util": [], "mem": [], "power": [], "throttle": []})
                    into["t"] += cols.t
                    into["util"] += cols.util
                    into["mem"] += cols.mem_used_mib
                    into["power"] += cols.power_w
                    into["throttle"] += cols.throttle
                    into["name"] = cols.name or into.get("name", "")
                    if cols.mem_total_mib is not None:
                        into["total"] = cols.mem_total_mib
        except TraceError as exc:
            return {"error": str(exc)}
    return {"gpus": gpus, "lost": reader.losses.count, "rows": reader.rows, "notes": reader.notes,
            "text_blocks_taken": any(used)}


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "smi.csv"
        path.write_bytes(text.encode("utf-8"))
        fast = _samples(path, text_blocks=True, monkeypatch=monkeypatch)
        slow = _samples(path, text_blocks=False, monkeypatch=monkeypatch)
    fast.pop("text_blocks_taken", None)
    assert slow.pop("text_blocks_taken", False) is False
    return fast, slow


def _row(second: int, gpu: int, util: str = "", mem: str = "", name: str = "NVIDIA H100 80GB HBM3") -> str:
    util = util or f"{(second * 7 + gpu * 13) % 101} %"
    mem = mem or f"{1000 + second % 50} MiB"
    return (f"2024/06/24 {second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}.250, {gpu}, {name}, {util}, {mem}, "
            f"81559 MiB, {100 + second % 9}.50 W, 0x{(4 if second % 5 else 0):016x}\n")


def test_a_clean_file_is_read_by_lines_with_the_same_samples(monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEADER + "".join(_row(s, g) for s in range(3000) for g in range(4))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "smi.csv"
        path.write_text(text)
        fast = _samples(path, text_blocks=True, monkeypatch=monkeypatch)
    assert fast.pop("text_blocks_taken") is True
    _fast, slow = _both(text, monkeypatch)
    assert fast == slow
    assert fast["rows"] == 12000 and fast["gpus"]["3"]["util"][:2] == [(13 * 3) % 101, (7 + 39) % 101]
    assert fast["gpus"]["0"]["throttle"][0] == () and fast["gpus"]["0"]["throttle"][1] == ("sw_power_cap",)


@pytest.mark.parametrize("variant", ["nounits", "crlf", "no-final-newline", "na-cells", "short-row", "blank-line",
                                     "repeated-header", "quotes", "name-changes", "irregular-order"])
def test_odd_files_give_the_same_samples_both_ways(variant: str, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [_row(s, g) for s in range(2500) for g in range(2)]
    if variant == "nounits":
        rows = [r.replace(" %", "").replace(" MiB", "").replace(" W", "") for r in rows]
    if variant == "na-cells":
        rows[1200] = _row(600, 0, util="[N/A]")
        rows[4001] = _row(2000, 1, mem="[Not Supported]")
    if variant == "short-row":
        rows[3000] = rows[3000][:40] + "\n"
    if variant == "blank-line":
        rows.insert(2222, "\n")
    if variant == "repeated-header":
        rows.insert(3333, HEADER)
    if variant == "quotes":
        rows[4100] = rows[4100].replace("NVIDIA H100 80GB HBM3", '"NVIDIA H100, 80GB"')
    if variant == "name-changes":
        rows[-1] = _row(2499, 1, name="")
        rows[-3] = _row(2498, 1, name="NVIDIA H100 NVL")
    if variant == "irregular-order":
        rows = [_row(s, g) for s in range(2500) for g in ((0, 1) if s % 3 else (1, 0, 2))]
    text = HEADER + "".join(rows)
    if variant == "crlf":
        text = text.replace("\n", "\r\n")
    if variant == "no-final-newline":
        text = text.rstrip("\n")
    fast, slow = _both(text, monkeypatch)
    assert fast == slow
    if variant in ("short-row", "na-cells", "quotes"):
        assert "gpus" in fast and sum(len(g["t"]) for g in fast["gpus"].values()) >= 4999 - (variant == "short-row")
    if variant == "name-changes":
        assert fast["gpus"]["1"]["name"] == "NVIDIA H100 NVL"


CELL = st.sampled_from(["0", "45", "45 %", "100 %", "[N/A]", "N/A", "", "1234 MiB", "0.5", "7 W", "0x4", "1e3",
                        "nan", '"', ",", "\r", "GPU-1", "2024/06/24 10:00:00.5", "2024/06/24 10:00:01.5"])
LINE = st.one_of(
    st.tuples(st.sampled_from(["2024/06/24 10:00:00.5", "2024/06/24 10:00:01.5", "x"]), st.sampled_from(["0", "1", " 2"]),
              CELL, CELL, CELL, CELL, CELL, CELL).map(lambda cells: ", ".join(cells) + "\n"),
    st.lists(CELL, max_size=9).map(lambda cells: ", ".join(cells) + "\n"),
    st.just(HEADER), st.just("\n"),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(LINE, min_size=1, max_size=40), block=st.integers(min_value=40, max_value=400))
def test_any_lines_give_the_same_samples_both_ways(lines: list[str], block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # Small text blocks, so a file of a few lines is cut in several places, mid-line too.
    monkeypatch.setattr(traces, "TEXT_BLOCK_CHARS", block)
    fast, slow = _both(HEADER + _row(0, 0) + "".join(lines), monkeypatch)
    assert repr(fast) == repr(slow)  # repr: a NaN reading equals itself
