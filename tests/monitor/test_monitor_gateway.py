"""The NVML gateway's sampler (through the fake pynvml) and the sampler seam (a fake fed by recorded readings)."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

from conftest import FAKE_NVML
from whygpu.facts import Unavailable
from whygpu.gateways.nvml import NvmlSampler, parse_reading
from whygpu.monitor.analysis import Analyzer, Kind
from whygpu.monitor.live import Monitor
from whygpu.monitor.sampler import FakeSampler


def _sampler(fake_gpu: dict[str, str], monkeypatch: pytest.MonkeyPatch, **kw: float) -> NvmlSampler:
    for key, value in fake_gpu.items():
        monkeypatch.setenv(key, value)
    return NvmlSampler(module_dir=str(FAKE_NVML), **kw)


def test_sampler_reads_devices_memory_processes(fake_gpu: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    Path(fake_gpu["WHYGPU_FAKE_GPU_DIR"], "0", str(os.getpid())).write_text("4096 55")
    sampler = _sampler(fake_gpu, monkeypatch)
    try:
        devices = sampler.start()
        assert not isinstance(devices, Unavailable)
        assert devices[0].name == "NVIDIA A100-SXM4-80GB" and devices[0].memory_total_mib == 81920
        reading = sampler.sample()
        assert not isinstance(reading, Unavailable)
        gpu = reading.gpus[0]
        assert gpu.util_percent == 55 and gpu.mem_used_mib == 4099 and gpu.power_w == 225.0
        assert gpu.processes is not None and [(p.pid, p.used_mib) for p in gpu.processes] == [(os.getpid(), 4096.0)]
        assert gpu.throttle_mask == 0
        # Per-process utilisation: this process's SM share, as nvidia-smi pmon would show it.
        assert gpu.process_util == ((os.getpid(), 55.0),) and gpu.process_util_error is None
    finally:
        sampler.close()


def test_sampler_not_supported_is_a_missing_value(fake_gpu: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    Path(fake_gpu["WHYGPU_FAKE_GPU_DIR"], "gpus.json").write_text(json.dumps(
        {"devices": [{"name": "T4", "memory_total_mib": 15360}], "no_power": True}))
    sampler = _sampler(fake_gpu, monkeypatch)
    try:
        assert not isinstance(sampler.start(), Unavailable)
        reading = sampler.sample()
        assert not isinstance(reading, Unavailable)
        assert reading.gpus[0].power_w is None and reading.gpus[0].errors == ()
        # No process runs: NVML has no samples to give, which is a known zero, not "unsupported".
        assert reading.gpus[0].process_util == ()
    finally:
        sampler.close()


def test_sampler_without_per_process_utilisation_says_why(fake_gpu: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    Path(fake_gpu["WHYGPU_FAKE_GPU_DIR"], "gpus.json").write_text(json.dumps(
        {"devices": [{"name": "GeForce GTX 1080", "memory_total_mib": 8192}], "no_process_util": True}))
    Path(fake_gpu["WHYGPU_FAKE_GPU_DIR"], "0").mkdir(exist_ok=True)
    Path(fake_gpu["WHYGPU_FAKE_GPU_DIR"], "0", str(os.getpid())).write_text("4096 55")
    sampler = _sampler(fake_gpu, monkeypatch)
    try:
        assert not isinstance(sampler.start(), Unavailable)
        reading = sampler.sample()
        assert not isinstance(reading, Unavailable)
        assert reading.gpus[0].process_util is None and "Not Supported" in (reading.gpus[0].process_util_error or "")
        assert reading.gpus[0].util_percent == 55  # the device's own reading is unaffected
    finally:
        sampler.close()


def test_init_failure_is_a_value(fake_gpu: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    Path(fake_gpu["WHYGPU_FAKE_GPU_DIR"], "gpus.json").write_text(json.dumps({"fail": True}))
    started = _sampler(fake_gpu, monkeypatch).start()
    assert isinstance(started, Unavailable) and "NVML_ERROR_LIBRARY_NOT_FOUND" in started.reason


def test_missing_module_is_a_value(tmp_path: Path) -> None:
    started = NvmlSampler(module_dir=str(tmp_path)).start()
    assert isinstance(started, Unavailable) and "import pynvml" in started.reason


def test_hung_driver_costs_a_timeout(fake_gpu: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    Path(fake_gpu["WHYGPU_FAKE_GPU_DIR"], "gpus.json").write_text(json.dumps(
        {"devices": [{"name": "T4", "memory_total_mib": 15360}], "hang": True}))
    sampler = _sampler(fake_gpu, monkeypatch, sample_timeout_s=0.5)
    assert not isinstance(sampler.start(), Unavailable)
    began = time.monotonic()
    reading = sampler.sample()
    assert isinstance(reading, Unavailable) and "within 0.5 s" in reading.reason
    assert time.monotonic() - began < 10
    assert isinstance(sampler.sample(), Unavailable)  # stopped for good: a late answer would be misread


@pytest.mark.parametrize("line", ["", "garbage", "[]", '{"gpus": 3}', '{"gpus": [{"index": "x"}]}'])
def test_parse_reading_never_raises(line: str) -> None:
    result = parse_reading(line)
    assert isinstance(result, Unavailable) or result.gpus == ()


RECORDED = [
    '{"ok": true, "driver_version": "550.90.07", "devices": [{"index": 0, "name": "Tesla T4", "memory_total_mib": 15360}]}',
    *[json.dumps({"t": float(i), "gpus": [{"index": 0, "util": 0, "mem_used_mib": 3.0, "processes": []}]}) for i in range(8)],
]


def test_fake_sampler_from_a_recording_drives_the_monitor() -> None:
    analyzer = Analyzer()
    notes: list[str] = []
    monitor = Monitor(FakeSampler.from_lines(RECORDED), analyzer, interval_s=0.1, note=notes.append)
    assert monitor.start_sampler()
    result = monitor.run_command([sys.executable, "-c", "import time; time.sleep(1.2)"])
    assert result.exit_code == 0 and result.samples >= 5
    analysis = analyzer.finish(attribution=result.attribution)
    assert [v.kind for v in analysis.verdicts] == [Kind.NEVER_TOUCHED]


def test_fake_sampler_failures_are_recorded_not_raised() -> None:
    sampler = FakeSampler([], [Unavailable("no NVML reading within 5 s", "fake")] * 3, repeat_last=True)
    notes: list[str] = []
    monitor = Monitor(sampler, Analyzer(), interval_s=0.1, note=notes.append)
    assert not monitor.start_sampler()  # no GPU: said at once
    assert notes and "NVML sees no GPU" in notes[0]
    result = monitor.run_command([sys.executable, "-c", "raise SystemExit(3)"])
    assert result.exit_code == 3


def test_sampling_lost_midway_is_reported_and_the_job_goes_on() -> None:
    from whygpu.monitor.report import RunInfo, build_report

    good = json.loads(RECORDED[1])
    good["gpus"][0].update(util=97, mem_used_mib=20000.0)
    readings = [parse_reading(json.dumps(good))] * 6 + [Unavailable("no NVML reading within 5 s (the sampler is stopped)", "nvml")]
    analyzer = Analyzer()
    notes: list[str] = []
    monitor = Monitor(FakeSampler.from_lines(RECORDED[:1]), analyzer, interval_s=0.1, note=notes.append)
    monitor.sampler = FakeSampler(monitor.sampler.start(), readings, repeat_last=True)  # type: ignore[attr-defined,arg-type]
    assert monitor.start_sampler()
    result = monitor.run_command([sys.executable, "-c", "import time; time.sleep(1.5); raise SystemExit(5)"])
    assert result.exit_code == 5  # the job ran to its end
    assert result.samples == 6
    assert any("GPU sampling stopped" in n for n in notes)
    report = build_report(analyzer.finish(), RunInfo(mode="command", losses=result.losses, notes=result.notes))
    assert any("lost" in n and "sampler is stopped" in n for n in report.notes)


def test_host_pids_in_a_container_fall_back_to_the_device_level() -> None:
    from whygpu.gateways.nvml import NvmlGpuReading, NvmlProcess, NvmlReading
    from whygpu.monitor.live import LiveResult, reading_to_chunk
    from whygpu.monitor.proctree import TreeSample

    tree = TreeSample(frozenset({10, 11}), 3.0, True)
    result = LiveResult()
    one = NvmlReading(0.0, (NvmlGpuReading(0, 90.0, 9000.0, None, None, None, (NvmlProcess(48213, 8900.0, "compute"),)),))
    chunk = reading_to_chunk(one, 1.0, {}, tree, lambda pid: pid < 1000, result)
    (use,) = chunk.gpus["0"].processes[0]  # type: ignore[index]
    assert use.ours is None and result.attribution == "device"
    assert "one tenant" in result.notes[0] and "device level" in result.notes[0]
    # A visible PID of the tree is the job's, and attribution is by process.
    mine = NvmlReading(0.0, (NvmlGpuReading(0, 90.0, 9000.0, None, None, None, (NvmlProcess(11, 8900.0, "compute"),)),))
    chunk = reading_to_chunk(mine, 1.0, {}, tree, lambda pid: pid < 1000, result)
    assert chunk.gpus["0"].processes[0][0].ours is True and result.attribution == "process"  # type: ignore[index]


def test_per_process_utilisation_is_attributed_only_when_every_pid_is_known() -> None:
    from whygpu.gateways.nvml import NvmlGpuReading, NvmlProcess, NvmlReading
    from whygpu.monitor.live import LiveResult, reading_to_chunk
    from whygpu.monitor.proctree import TreeSample

    tree = TreeSample(frozenset({10, 11}), 3.0, True)
    procs = (NvmlProcess(11, 8000.0, "compute"), NvmlProcess(500, 30000.0, "compute"))
    result = LiveResult()
    shared = NvmlReading(0.0, (NvmlGpuReading(0, 90.0, 38000.0, None, None, None, procs,
                                              process_util=((11, 12.0), (500, 78.0))),))
    cols = reading_to_chunk(shared, 1.0, {}, tree, lambda pid: pid < 1000, result).gpus["0"]
    assert (cols.job_sm, cols.other_sm) == ([12.0], [78.0]) and result.notes == []
    # A sampled PID this container cannot see: the split is unknown for that sample, and said so.
    result = LiveResult()
    hidden = NvmlReading(0.0, (NvmlGpuReading(0, 90.0, 38000.0, None, None, None, (NvmlProcess(48213, 8000.0, "compute"),),
                                              process_util=((48213, 90.0),)),))
    cols = reading_to_chunk(hidden, 1.0, {}, tree, lambda pid: pid < 1000, result).gpus["0"]
    assert cols.job_sm is None and any("per-process utilisation names PIDs this container cannot see" in n
                                       for n in result.notes)
    # Not supported: unknown, and the note says the device's own utilisation is judged.
    result = LiveResult()
    unsupported = NvmlReading(0.0, (NvmlGpuReading(0, 90.0, 38000.0, None, None, None, procs,
                                                   process_util_error="Not Supported (NVML_ERROR_NOT_SUPPORTED)"),))
    cols = reading_to_chunk(unsupported, 1.0, {}, tree, lambda pid: pid < 1000, result).gpus["0"]
    assert cols.job_sm is None and any("no per-process utilisation (Not Supported" in n for n in result.notes)
