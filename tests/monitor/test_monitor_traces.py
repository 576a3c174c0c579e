"""``whygpu monitor --from``: every trace format, real-world mess, and corrupt files, end to end and through the reader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_runner import run_whygpu
from conftest import FIXTURES
from whygpu.monitor.analysis import Kind, analyse
from whygpu.monitor.traces import TraceError, TraceReader, clean_line, read_text


def verdicts(path: Path, **options: object) -> dict[str | None, Kind]:
    reader = TraceReader(str(path), **options)  # type: ignore[arg-type]
    own = "whygpu" in path.name
    analysis = analyse(list(reader.chunks()), attribution="process" if own else "device")
    return {v.gpu: v.kind for v in analysis.verdicts}


@pytest.mark.parametrize(("name", "expected"), [
    ("gpu_bound.nvidia-smi.csv", {"0": Kind.HEALTHY, "1": Kind.HEALTHY}),
    ("input_bound.dmon.txt", {"0": Kind.INPUT_BOUND}),
    ("input_bound.whygpu.csv", {"0": Kind.INPUT_BOUND}),
    ("never_touched.dcgmi.txt", {None: Kind.NEVER_TOUCHED}),
    ("left_gpu.dcgm-exporter.prom", {"0": Kind.LEFT}),
    ("mig.dcgm-exporter.prom", {"0/mig7": Kind.HEALTHY, "0/mig8": Kind.UNUSED}),
])
def test_fixture_verdicts(name: str, expected: dict[str | None, Kind]) -> None:
    assert verdicts(FIXTURES / name) == expected


def test_busy_trace_names_the_other_process() -> None:
    reader = TraceReader(str(FIXTURES / "busy.whygpu.jsonl"))
    analysis = analyse(list(reader.chunks()), attribution="process")
    kinds = [v.kind for v in analysis.verdicts]
    assert kinds == [Kind.HEALTHY, Kind.BUSY]
    assert "PID 4242" in analysis.verdicts[1].evidence[0]


def test_input_bound_with_cpu_samples_is_high_confidence() -> None:
    analysis = analyse(list(TraceReader(str(FIXTURES / "input_bound.whygpu.csv")).chunks()), attribution="process")
    verdict = analysis.verdicts[0]
    assert verdict.confidence == "high" and "3.6 CPU cores" in verdict.evidence[0]
    # The same pattern from dmon (no CPU samples) is only medium.
    dmon = analyse(list(TraceReader(str(FIXTURES / "input_bound.dmon.txt")).chunks()))
    assert dmon.verdicts[0].confidence == "medium"


@pytest.mark.parametrize(("name", "code", "summary"), [
    ("gpu_bound.nvidia-smi.csv", 0, "kept the GPU busy"),
    ("input_bound.dmon.txt", 1, "input-bound"),
    ("never_touched.dcgmi.txt", 1, "never touched"),
    ("left_gpu.dcgm-exporter.prom", 1, "left the GPU"),
    ("busy.whygpu.jsonl", 1, "busy"),
])
def test_cli_from_fixture_json(name: str, code: int, summary: str) -> None:
    result = run_whygpu(["monitor", "--from", str(FIXTURES / name), "--json"])
    assert result.code == code, result.stderr
    doc = json.loads(result.stdout)
    assert doc["schema_version"] == 1 and doc["subject"]["kind"] == "run"
    assert summary in doc["verdict"]["summary"]
    codes = {c["code"] for c in doc["causes"]}
    assert codes <= {"GPU_UNDERUSED", "GPU_BUSY", "CODE_FORCES_CPU"}
    assert bool(codes) == (code == 1)
    gpu0 = doc["details"]["monitor"]["gpus"][0]
    assert set(gpu0["utilization_percent"]) == {"mean", "median", "p95", "max"}


def test_nvidia_smi_csv_mess(tmp_path: Path) -> None:
    lines = ["user@gpu-node:~$ nvidia-smi --query-gpu=index,utilization.gpu,memory.used,memory.total --format=csv -l 1",
             "index, utilization.gpu [%], memory.used [MiB], memory.total [MiB]"]
    for i in range(20):
        lines.append(f"0, {'[N/A]' if i == 3 else '97 %'}, 30.5 GiB, 80 GiB")
        lines.append(f"1, {'N/A' if i == 4 else '0 %'}, 3 MiB, 81920 MiB")
    lines.append("1, 0 %, 3 Mi")  # truncated last line
    path = tmp_path / "pasted.txt"
    path.write_text("```\n" + "\n".join("> " + line for line in lines) + "\n```\n")
    reader = TraceReader(str(path))
    analysis = analyse(list(reader.chunks()))
    by_gpu = {s.gpu: s for s in analysis.gpus}
    assert by_gpu["0"].mem_peak_mib == 30.5 * 1024 and by_gpu["0"].mem_total_mib == 80 * 1024
    assert by_gpu["0"].samples == 20 and by_gpu["0"].util_mean == 97.0
    assert {v.gpu: v.kind for v in analysis.verdicts} == {"0": Kind.HEALTHY, "1": Kind.UNUSED}
    assert reader.losses.count == 1


def test_headerless_csv_needs_columns(tmp_path: Path) -> None:
    path = tmp_path / "noheader.csv"
    path.write_text("".join(f"0, {u}, 1200\n" for u in [90, 95, 99, 97, 93, 96]))
    result = run_whygpu(["monitor", "--from", str(path)])
    assert result.code == 2 and "--columns" in result.stderr and "Traceback" not in result.stderr
    stats = analyse(list(TraceReader(str(path), columns=["index", "utilization.gpu", "memory.used"]).chunks())).gpus
    assert stats[0].util_mean == pytest.approx(95.0) and stats[0].samples == 6


def test_dmon_with_date_columns_and_dashes() -> None:
    text = "#Date       Time        gpu    pwr     sm    mem     fb\n#YYYYMMDD   HH:MM:SS    Idx      W      %      %     MB\n"
    text += "".join(f" 20240624   15:48:{s:02d}      0     -      {0 if s % 2 else 80}      -   9000\n" for s in range(20))
    analysis = analyse(read_text(text))
    stats = analysis.gpus[0]
    assert stats.duration_s == 19.0 and stats.power_mean_w is None and stats.util_p95 == 80.0


def test_dcgmi_fractions_from_gract() -> None:
    text = "#Entity   GRACT  FBUSD\nID\n" + "".join("GPU 0     0.750  5000\n" for _ in range(10))
    reader_chunks = read_text(text)
    assert analyse(reader_chunks).gpus[0].util_mean == pytest.approx(75.0)


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02\xff" * 5000, b"hello world\nthis is not a trace\n",
                                     b"index, utilization.gpu [%]\n"])
def test_unreadable_files_exit_2_one_line(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = run_whygpu(["monitor", "--from", str(path)])
    assert result.code == 2
    assert result.stderr.count("\n") == 1 and str(path) in result.stderr and "Traceback" not in result.stderr


def test_missing_file_exit_2(tmp_path: Path) -> None:
    result = run_whygpu(["monitor", "--from", str(tmp_path / "nope.csv")])
    assert result.code == 2 and "no such file" in result.stderr


def test_corrupt_middle_reports_the_loss_and_analyses_the_rest(tmp_path: Path) -> None:
    good = (FIXTURES / "busy.whygpu.jsonl").read_text().splitlines()
    good[10] = good[10][:25]  # a crash mid-write
    good.insert(20, "\x1b[31mgarbage\x1b[0m")
    path = tmp_path / "run.jsonl"
    path.write_text("\n".join(good) + "\n")
    result = run_whygpu(["monitor", "--from", str(path)])
    assert result.code == 1
    assert "2 line(s) could not be read" in result.stderr and "\x1b" not in result.stderr + result.stdout
    assert "busy" in result.stdout


def test_clean_line() -> None:
    assert clean_line("> > ```") is None
    assert clean_line("$ nvidia-smi dmon") is None
    assert clean_line("root@host:/# nvidia-smi dmon -s u") is None
    assert clean_line("> # gpu   sm") == "# gpu   sm"
    assert clean_line("`0, 45 %`") == "0, 45 %"


def test_trace_error_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "x.prom"
    path.write_text("# HELP nothing\n")
    with pytest.raises(TraceError):
        list(TraceReader(str(path)).chunks())


def test_mixed_file_reads_the_first_format_and_counts_the_rest(tmp_path: Path) -> None:
    csv_part = (FIXTURES / "gpu_bound.nvidia-smi.csv").read_text().splitlines()[:41]
    dmon_part = (FIXTURES / "input_bound.dmon.txt").read_text().splitlines()[2:12]
    path = tmp_path / "mixed.txt"
    path.write_text("\n".join(csv_part + dmon_part) + "\n")
    reader = TraceReader(str(path))
    analysis = analyse(list(reader.chunks()))
    assert reader.format == "nvidia-smi-csv"
    assert [s.samples for s in analysis.gpus] == [20, 20]
    assert reader.losses.count == 10  # the dmon part: its two '#' header lines and eight rows


JSON_CONTRACT = {
    "type": "object",
    "required": ["schema_version", "tool", "subject", "verdict", "causes", "findings"],
    "properties": {
        "schema_version": {"const": 1},
        "subject": {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "run"}}},
        "verdict": {"type": "object", "required": ["gpu_usable", "summary"],
                    "properties": {"gpu_usable": {"type": ["boolean", "null"]}, "summary": {"type": "string"}}},
        "causes": {"type": "array", "items": {"type": "object", "required": ["code", "rank", "confidence", "title",
                                                                              "evidence", "fix", "findings"]}},
        "findings": {"type": "array", "items": {"type": "object", "required": ["id", "cause", "severity", "title",
                                                                                "evidence", "fix"]}},
    },
}


def test_json_follows_the_contract() -> None:
    import jsonschema

    from whygpu.knowledge.causes import cause_codes

    for name in ("never_touched.dcgmi.txt", "busy.whygpu.jsonl", "gpu_bound.nvidia-smi.csv"):
        doc = json.loads(run_whygpu(["monitor", "--from", str(FIXTURES / name), "--json"]).stdout)
        jsonschema.validate(doc, JSON_CONTRACT)
        assert all(c["code"] in cause_codes() for c in doc["causes"])
        assert [c["rank"] for c in doc["causes"]] == list(range(1, len(doc["causes"]) + 1))
