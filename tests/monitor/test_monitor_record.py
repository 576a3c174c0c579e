"""``--record``: both formats read back to the same statistics, and a write failure stops recording, not the job."""

from __future__ import annotations

from pathlib import Path

import pytest

from whygpu.monitor.analysis import analyse
from whygpu.monitor.record import Recorder
from whygpu.monitor.samples import Chunk, ProcessSample, ProcessUse
from whygpu.monitor.traces import TraceReader


def _ticks() -> list[Chunk]:
    chunks = []
    for t in range(12):
        chunk = Chunk()
        for gpu in ("0", "1"):
            cols = chunk.columns(gpu)
            cols.name, cols.mem_total_mib = "Tesla T4", 15360.0
            procs = (ProcessUse(100, 5000.0, True), ProcessUse(7, None, None, "graphics")) if gpu == "0" else ()
            cols.append(float(t), 90.0 if gpu == "0" else None, 5003.0 if gpu == "0" else 3.0, power_w=70.5,
                        throttle=("sw_power_cap",) if t % 3 == 0 else (), processes=procs,
                        sm_split=(20.0, 60.5) if gpu == "0" and t else None)
        chunk.process.append(ProcessSample(float(t), t * 1.5, True, 2))
        chunks.append(chunk)
    return chunks


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_record_round_trip(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"run{suffix}"
    recorder = Recorder(str(path), interval_s=1.0, command="python train.py")
    for chunk in _ticks():
        recorder.write(chunk)
        # Flushed per tick: what is on disk now reads back (a crash loses at most this interval).
        assert path.read_text().count("\n") >= 2
    recorder.write(Chunk(), "no NVML reading within 5 s", 12.0)
    recorder.close()
    direct = analyse(_ticks(), attribution="process")
    reader = TraceReader(str(path))
    again = analyse(list(reader.chunks()), attribution="process")
    assert [s.to_json() for s in again.gpus] == [s.to_json() for s in direct.gpus]
    # NVML's per-process split of utilisation survives the round trip (11 of 12 samples carry it).
    assert again.gpus[0].to_json()["job_utilization_percent"] == {"mean": 20.0, "median": 20.0, "p95": 20.0}
    assert again.gpus[0].other_util_mean == 60.5 and "job_utilization_percent" not in again.gpus[1].to_json()
    assert again.cpu_cores == pytest.approx(1.5)
    assert reader.losses.count == 1 and "no NVML reading" in reader.losses.first


def test_write_failure_stops_recording(tmp_path: Path) -> None:
    recorder = Recorder(str(tmp_path / "run.jsonl"), interval_s=1.0)
    assert recorder._handle is not None
    recorder._handle.close()  # as if the disk went away
    recorder.write(_ticks()[0])
    assert recorder.error is not None and "recording" in recorder.error
    recorder.write(_ticks()[1])  # no exception afterwards either
