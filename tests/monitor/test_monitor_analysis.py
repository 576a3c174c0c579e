"""The pure analysis: each verdict fires on its pattern and stays quiet otherwise; statistics are exact and bounded."""

from __future__ import annotations

import pytest

from whygpu.monitor.analysis import Analyzer, Kind, analyse
from whygpu.monitor.samples import Chunk, ProcessSample, ProcessUse


def run(util: list[float], mem: list[float], *, procs: list[tuple[ProcessUse, ...]] | None = None,
        cpu_per_s: float | None = None, attribution: str = "device") -> list[tuple[str | None, Kind]]:
    chunk = Chunk()
    cols = chunk.columns("0")
    for i, (u, m) in enumerate(zip(util, mem, strict=True)):
        cols.append(float(i), u, m, processes=procs[i] if procs else None)
        if cpu_per_s is not None:
            chunk.process.append(ProcessSample(float(i), i * cpu_per_s, True))
    return [(v.gpu, v.kind) for v in analyse([chunk], attribution=attribution).verdicts]


def test_healthy_and_input_bound() -> None:
    assert run([95.0] * 30, [20000.0] * 30) == [("0", Kind.HEALTHY)]
    bursty = [90.0 if i % 4 == 0 else 0.0 for i in range(40)]
    assert run(bursty, [20000.0] * 40, cpu_per_s=2.0) == [("0", Kind.INPUT_BOUND)]


def test_allocated_but_idle_vs_never_touched() -> None:
    assert run([0.0] * 30, [9000.0] * 30) == [("0", Kind.ALLOCATED_IDLE)]
    assert run([0.0] * 30, [3.0] * 30) == [(None, Kind.NEVER_TOUCHED)]


def test_left_the_gpu_fires_only_after_a_long_release() -> None:
    mem = [12000.0] * 30 + [3.0] * 30
    util = [95.0] * 30 + [0.0] * 30
    assert run(util, mem) == [("0", Kind.LEFT)]
    # Released only for the last 3 s of 60: the job ended, it did not leave.
    assert run([95.0] * 57 + [0.0] * 3, [12000.0] * 57 + [3.0] * 3) == [("0", Kind.HEALTHY)]


def test_process_attribution_never_touched_and_busy() -> None:
    other = ProcessUse(999, 20000.0, False)
    procs = [(other,)] * 30
    kinds = run([80.0] * 30, [20003.0] * 30, procs=procs, attribution="process")
    assert kinds == [(None, Kind.NEVER_TOUCHED), ("0", Kind.BUSY)]
    mine = ProcessUse(1, 20000.0, True)
    assert run([80.0] * 30, [20003.0] * 30, procs=[(mine,)] * 30, attribution="process") == [("0", Kind.HEALTHY)]


def test_too_few_samples_gives_no_verdict() -> None:
    assert run([95.0] * 3, [20000.0] * 3) == [(None, Kind.UNKNOWN)]


def test_percentiles_are_exact_for_integers_and_memory_is_bounded() -> None:
    analyzer = Analyzer(max_points=100)
    values = [float(i % 101) for i in range(100_000)]
    for start in range(0, len(values), 7000):
        chunk = Chunk()
        cols = chunk.columns("0")
        for i in range(start, min(start + 7000, len(values))):
            cols.append(float(i), values[i], 1000.0)
        analyzer.feed(chunk)
    acc = analyzer.gpus["0"]
    ordered = sorted(values)
    assert acc.percentile(0.5) == ordered[(len(ordered) + 1) // 2 - 1]
    assert acc.percentile(0.95) == ordered[int(-(-0.95 * len(ordered) // 1)) - 1]
    assert len(acc.series_data) < 100 and len(acc.util_hist) <= 1001 and len(acc.series_data.pend_t) < acc.series_data.bucket
    stats = analyzer.finish().gpus[0]
    assert stats.util_mean == pytest.approx(sum(values) / len(values))
    assert sum(p.n for p in stats.series) == len(values)


def test_empty_process_lists_with_memory_used_fall_back_to_the_device() -> None:
    # NVML listed no process at all while memory was in use (WSL, some containers): not "never touched".
    kinds = run([90.0] * 30, [20000.0] * 30, procs=[()] * 30, attribution="lists")
    assert kinds == [("0", Kind.HEALTHY)]
    # Lists known, nothing of the job's and nothing in use: never touched, at the process level.
    assert run([0.0] * 30, [3.0] * 30, procs=[()] * 30, attribution="lists") == [(None, Kind.NEVER_TOUCHED)]


def test_input_bound_title_follows_the_cpu_evidence() -> None:
    from whygpu.monitor.report import RunInfo, build_report

    bursty = [90.0 if i % 4 == 0 else 0.0 for i in range(40)]
    for cpu_per_s, words in ((2.0, "prepares data"), (0.01, "waits on something other")):
        chunk = Chunk()
        cols = chunk.columns("0")
        for i, u in enumerate(bursty):
            cols.append(float(i), u, 20000.0)
            chunk.process.append(ProcessSample(float(i), i * cpu_per_s, True))
        report = build_report(analyse([chunk]), RunInfo(mode="trace"))
        assert words in report.findings[0].title


def _shared(job: float, other: float, *, samples: int = 30, covered: int | None = None) -> list[tuple[str | None, Kind]]:
    chunk = Chunk()
    cols = chunk.columns("0")
    mine = (ProcessUse(10, 8000.0, True), ProcessUse(20, 500.0, False))
    for i in range(samples):
        split = (job, other) if covered is None or i < covered else None
        cols.append(float(i), min(100.0, job + other), 8503.0, processes=mine, sm_split=split)
        chunk.process.append(ProcessSample(float(i), i * 1.0, True))
    return [(v.gpu, v.kind) for v in analyse([chunk], attribution="process").verdicts]


def test_a_shared_gpu_is_judged_by_the_jobs_own_sm_share() -> None:
    # The device reads 92 % busy, but 90 points are another process's: the job idles.
    assert _shared(2.0, 90.0) == [("0", Kind.ALLOCATED_IDLE), ("0", Kind.BUSY)]
    assert _shared(30.0, 60.0) == [("0", Kind.INPUT_BOUND), ("0", Kind.BUSY)]
    # Others' SM use below 5 % is noise: the GPU is the job's, judged as the device reads it.
    assert _shared(60.0, 3.0) == [("0", Kind.HEALTHY)]
    # A split known for too few samples is not used (NVML stopped answering, PIDs it could not see).
    assert _shared(2.0, 90.0, covered=10) == [("0", Kind.HEALTHY)]
