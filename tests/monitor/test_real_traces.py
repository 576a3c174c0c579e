"""``whygpu monitor --from`` on real traces from public repositories (tests/monitor/real/SOURCES.md), and on corrupt copies of them.

What each trace shows is worked out here from the file itself (the csv module, plain text
splitting), then compared with what the reader and the analysis make of it.
"""

from __future__ import annotations

import csv
import re
import statistics
from datetime import datetime
from pathlib import Path

import pytest

from cli_runner import run_whygpu
from whygpu.monitor.analysis import NO_MEMORY, NO_UTILISATION, Analysis, GpuStats, Kind, analyse
from whygpu.monitor.traces import TraceError, TraceReader

REAL = Path(__file__).parent / "real"
ALL_REAL = sorted(p.name for p in REAL.iterdir() if p.name != "SOURCES.md")


def load(path: Path) -> tuple[TraceReader, Analysis]:
    reader = TraceReader(str(path))
    return reader, analyse(list(reader.chunks()))


def by_gpu(analysis: Analysis) -> dict[str, GpuStats]:
    return {s.gpu: s for s in analysis.gpus}


def kinds(analysis: Analysis) -> dict[str | None, Kind]:
    return {v.gpu: v.kind for v in analysis.verdicts}


def number(cell: str) -> float:
    return float(cell.strip().split()[0])


def smi_rows(name: str) -> list[list[str]]:
    """The data rows of a real nvidia-smi CSV (header lines, repeated or not, left out)."""
    with (REAL / name).open(newline="") as handle:
        rows = [row for row in csv.reader(handle) if row]
    return [row for row in rows if row != rows[0]]


# ---------------------------------------------------------------- every real file, end to end


def test_every_real_file_is_listed_in_sources() -> None:
    sources = (REAL / "SOURCES.md").read_text()
    assert ALL_REAL and all(f"`{name}`" in sources for name in ALL_REAL)


@pytest.mark.parametrize("name", ALL_REAL)
def test_every_real_file_is_read_or_refused_in_one_line(name: str) -> None:
    result = run_whygpu(["monitor", "--from", str(REAL / name)])
    assert result.code in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stderr and "\x1b" not in result.stdout + result.stderr
    if result.code == 2:
        assert result.stderr.count("\n") == 1 and name in result.stderr
    else:
        assert "GPU" in result.stdout


# ---------------------------------------------------------------- nvidia-smi CSV


def test_header_before_every_row_is_one_gpu_fed_in_bursts() -> None:
    # nvidia-smi run once a second without -l: the header comes back before every row.
    rows = smi_rows("nvidia-smi.rtx2070-header-every-row.csv")
    util = [number(r[4]) for r in rows]
    memory = [number(r[6]) for r in rows]
    reader, analysis = load(REAL / "nvidia-smi.rtx2070-header-every-row.csv")
    stats = by_gpu(analysis)
    assert list(stats) == ["0"], "a repeated header line must not become a GPU"
    gpu = stats["0"]
    assert gpu.samples == len(rows) and gpu.name == "NVIDIA GeForce RTX 2070"
    assert gpu.util_mean == pytest.approx(statistics.fmean(util)) and gpu.mem_peak_mib == max(memory)
    assert reader.losses.count == 0
    # Memory held from the first sample to the last, utilisation never above half: input-bound.
    assert min(memory) > 500 and max(util) < 50
    assert kinds(analysis) == {"0": Kind.INPUT_BOUND}


def test_rtx4090_busy_until_the_job_ends() -> None:
    rows = smi_rows("nvidia-smi.rtx4090-vlm.csv")
    util = [number(r[2]) for r in rows]
    memory = [number(r[4]) for r in rows]
    held = [u for u, m in zip(util, memory, strict=True) if m > 10_000]
    assert statistics.fmean(held) > 80 and len(held) > 0.9 * len(rows)
    _, analysis = load(REAL / "nvidia-smi.rtx4090-vlm.csv")
    gpu = by_gpu(analysis)["0"]
    assert gpu.samples == len(rows) and gpu.mem_peak_mib == max(memory)
    assert gpu.util_p95 is not None and gpu.util_p95 >= 90
    assert kinds(analysis) == {"0": Kind.HEALTHY}


def test_epoch_timestamps_give_the_real_duration() -> None:
    rows = smi_rows("nvidia-smi.epoch-nounits.rpf.csv")
    stamps = [int(r[0]) for r in rows]
    reader, analysis = load(REAL / "nvidia-smi.epoch-nounits.rpf.csv")
    gpu = by_gpu(analysis)["0"]
    assert gpu.samples == len(rows)
    assert gpu.duration_s == pytest.approx(stamps[-1] - stamps[0])  # 60 s apart, not the default 1 s
    assert not any("timestamps not understood" in note for note in reader.notes)
    assert gpu.mem_total_mib == 24576 and gpu.mem_peak_mib == max(int(r[1]) for r in rows)
    # ~10.5 GB held from the fourth sample on, utilisation 26-96 %: a training run keeping the GPU busy.
    assert kinds(analysis) == {"0": Kind.HEALTHY}


def test_orin_at_99_percent_with_timestamps_it_cannot_read() -> None:
    rows = smi_rows("nvidia-smi.orin-nounits.csv")
    assert {number(r[2]) for r in rows} == {99.0}
    reader, analysis = load(REAL / "nvidia-smi.orin-nounits.csv")
    gpu = by_gpu(analysis)["0"]
    assert gpu.samples == len(rows) and gpu.util_mean == 99.0 and gpu.name == "Orin"
    assert any("timestamps not understood" in note and "03-11-2026" in note for note in reader.notes)
    assert kinds(analysis) == {"0": Kind.HEALTHY}


def test_eight_gpus_told_apart_by_the_gpu_column() -> None:
    rows = smi_rows("nvidia-smi.8gpu-iso-tz.csv")
    per_gpu = {g: sum(1 for r in rows if r[1].strip() == g) for g in {r[1].strip() for r in rows}}
    assert {r[2].strip() for r in rows} == {"0"}  # the column named "index" is the same on every row
    reader, analysis = load(REAL / "nvidia-smi.8gpu-iso-tz.csv")
    stats = by_gpu(analysis)
    assert {g: s.samples for g, s in stats.items()} == per_gpu and len(stats) == 8
    assert all(s.mem_total_mib == 81559 and s.util_mean is None for s in stats.values())
    assert any("'gpu' column" in note for note in reader.notes)
    # The ISO timestamps with a zone are read: one tick a second.
    first = datetime.fromisoformat(rows[0][0])
    last = datetime.fromisoformat(rows[-1][0])
    assert max(s.t_last for s in stats.values()) == pytest.approx((last - first).total_seconds())
    # No utilisation recorded: no verdict, and it says why.
    assert kinds(analysis) == {None: Kind.UNKNOWN}
    assert analysis.verdicts[0].evidence[0].startswith(NO_UTILISATION)


def test_four_gpus_without_an_index_column_and_without_memory() -> None:
    rows = smi_rows("nvidia-smi.4xh200-no-index.ters-gen.log")
    temperatures = [{int(r[4]) for r in rows[k::4]} for k in range(4)]
    assert len(rows) % 4 == 0 and all(len(t) == 1 for t in temperatures[1:])  # four GPUs in turn
    reader, analysis = load(REAL / "nvidia-smi.4xh200-no-index.ters-gen.log")
    stats = by_gpu(analysis)
    assert {g: s.samples for g, s in stats.items()} == {str(k): len(rows) // 4 for k in range(4)}
    assert stats["0"].util_mean == pytest.approx(statistics.fmean(number(r[2]) for r in rows[0::4]))
    assert all(stats[str(k)].util_max == 0.0 for k in (1, 2, 3))
    assert any("4 GPUs in turn" in note for note in reader.notes)
    # No memory column: no "never touched" for the idle three, no "input-bound" for the first.
    assert kinds(analysis) == {str(k): Kind.UNKNOWN for k in range(4)}
    assert all(v.evidence[0].startswith(NO_MEMORY) for v in analysis.verdicts)


def test_h100_held_and_busy_in_bursts_cut_mid_row() -> None:
    data = (REAL / "nvidia-smi.h100nvl-cut-at-8k.thesis-mas.log").read_bytes()
    assert len(data) == 8192 and not data.endswith(b"\n")
    every = smi_rows("nvidia-smi.h100nvl-cut-at-8k.thesis-mas.log")
    assert every[-1][-1] == ""  # the cut row has all its fields but the last, memory.used, which is empty
    rows = every[:-1]
    util = [number(r[3]) for r in rows]
    memory = [number(r[6]) for r in rows]
    held = [u for u, m in zip(util, memory, strict=True) if m > 1024]
    assert statistics.fmean(held) < 50 and max(held) >= 99
    reader, analysis = load(REAL / "nvidia-smi.h100nvl-cut-at-8k.thesis-mas.log")
    gpu = by_gpu(analysis)["0"]
    # The cut row is a sample with its utilisation and without a memory reading.
    assert gpu.samples == len(every) and gpu.name == "NVIDIA H100 NVL" and gpu.mem_peak_mib == max(memory)
    assert gpu.util_mean == pytest.approx(statistics.fmean([*util, number(every[-1][3])]))
    assert reader.losses.count == 0
    assert kinds(analysis) == {"0": Kind.INPUT_BOUND}


def test_pasted_idle_a10_with_prompt() -> None:
    reader, analysis = load(REAL / "nvidia-smi.a10-idle-lms.xuesongtap.txt")
    gpu = by_gpu(analysis)["0"]
    assert reader.losses.count == 0 and gpu.samples == 5 and gpu.util_max == 0.0 and gpu.mem_peak_mib == 21
    assert kinds(analysis) == {None: Kind.NEVER_TOUCHED}


def test_a_csv_that_has_only_power_is_refused() -> None:
    result = run_whygpu(["monitor", "--from", str(REAL / "nvidia-smi.power-only.torch-ex.csv")])
    assert result.code == 2 and "utilization.gpu" in result.stderr and result.stderr.count("\n") == 1


def test_a_table_followed_by_nul_bytes_is_refused() -> None:
    assert b"\x00" * 1000 in (REAL / "nvidia-smi.table-with-nul-run.txt").read_bytes()
    result = run_whygpu(["monitor", "--from", str(REAL / "nvidia-smi.table-with-nul-run.txt")])
    assert result.code == 2 and "binary" in result.stderr


def test_a_watch_capture_is_refused_without_its_escape_codes() -> None:
    assert b"\x1b[" in (REAL / "watch-nvidia-smi.escape-codes.log").read_bytes()
    result = run_whygpu(["monitor", "--from", str(REAL / "watch-nvidia-smi.escape-codes.log")])
    assert result.code == 2 and "not a trace" in result.stderr and "\x1b" not in result.stderr


# ---------------------------------------------------------------- nvidia-smi dmon / pmon


def dmon_rows(name: str) -> list[list[str]]:
    lines = (REAL / name).read_text().splitlines()
    return [line.split() for line in lines if re.match(r"^\s+\d", line)]


def test_dmon_with_date_time_and_a_blank_line() -> None:
    rows = dmon_rows("dmon.mutc-TD-blank-line.xuesongtap.txt")  # date time gpu fb bar1 ccpm sm ...
    reader, analysis = load(REAL / "dmon.mutc-TD-blank-line.xuesongtap.txt")
    gpu = by_gpu(analysis)["0"]
    assert reader.losses.count == 0 and gpu.samples == len(rows) == 6
    assert gpu.duration_s == 5.0 and gpu.util_max == max(float(r[6]) for r in rows)
    assert gpu.mem_peak_mib == max(float(r[3]) for r in rows)
    # sm at most 13 %: whatever ran, it did not keep the GPU busy.
    assert Kind.HEALTHY not in kinds(analysis).values()


def test_dmon_memory_only_on_eight_gpus() -> None:
    rows = dmon_rows("dmon.fb-only-8gpu.xuesongtap.txt")
    reader, analysis = load(REAL / "dmon.fb-only-8gpu.xuesongtap.txt")
    stats = by_gpu(analysis)
    assert set(stats) == {r[0] for r in rows} and sum(s.samples for s in stats.values()) == len(rows)
    assert all(s.util_mean is None and s.mem_peak_mib == 4 for s in stats.values())
    assert reader.losses.count == 1  # the prompt on a line of its own, before the header
    assert analysis.verdicts[0].evidence[0].startswith(NO_UTILISATION)


def test_dmon_pasted_with_prompts_and_prose() -> None:
    reader, analysis = load(REAL / "dmon.puc-3rows-prompt.felixfu.txt")
    assert reader.losses.count == 0 and by_gpu(analysis)["0"].samples == 3
    assert kinds(analysis) == {None: Kind.UNKNOWN}  # three samples are too few for a verdict
    reader, analysis = load(REAL / "dmon.two-gpus-one-busy.felixfu.txt")
    stats = by_gpu(analysis)
    assert stats["0"].util_mean == 0.0 and stats["1"].util_mean == 97.0
    assert reader.losses.count == 1 and "line 7" in (reader.losses.first or "")  # the sentence after the table


def test_pmon_is_refused_with_what_to_record_instead() -> None:
    with pytest.raises(TraceError, match="pmon"):
        load(REAL / "pmon.two-python.felixfu.txt")


# ---------------------------------------------------------------- DCGM exporter


def exporter_values(name: str, metric: str) -> dict[str, float]:
    found = {}
    for line in (REAL / name).read_text().splitlines():
        m = re.match(metric + r'\{gpu="(\d+)",UUID=.*\} (\S+)$', line)
        if m:
            found[m.group(1)] = float(m.group(2))
    return found


def test_dcgm_exporter_busy_t4() -> None:
    name = "dcgm-exporter.t4-busy.ericsson-ccd.md"
    used, free = exporter_values(name, "DCGM_FI_DEV_FB_USED"), exporter_values(name, "DCGM_FI_DEV_FB_FREE")
    reserved = exporter_values(name, "DCGM_FI_DEV_FB_RESERVED")
    _, analysis = load(REAL / name)
    gpu = by_gpu(analysis)["0"]
    assert gpu.name == "Tesla T4" and gpu.samples == 1
    assert gpu.util_mean == exporter_values(name, "DCGM_FI_DEV_GPU_UTIL")["0"] == 91.0
    assert gpu.mem_peak_mib == used["0"] and gpu.mem_total_mib == used["0"] + free["0"] + reserved.get("0", 0.0)
    assert kinds(analysis) == {None: Kind.UNKNOWN}  # one scrape is one sample


@pytest.mark.parametrize(("name", "model", "scrapes"), [
    ("dcgm-exporter.l4-idle-two-scrapes.kops.md", "NVIDIA L4", 2),
    ("dcgm-exporter.t4-idle.rafay.md", "Tesla T4", 1),
    ("dcgm-exporter.l40s-idle.upcloud.md", "NVIDIA L40S", 1),
    ("dcgm-exporter.grid-a100-vgpu.vks.md", "GRID A100-40C", 1),
])
def test_dcgm_exporter_idle_scrapes_in_markdown(name: str, model: str, scrapes: int) -> None:
    text = (REAL / name).read_text()
    assert len(re.findall(r"^DCGM_FI_DEV_GPU_UTIL\{", text, re.MULTILINE)) == scrapes
    _, analysis = load(REAL / name)
    gpu = by_gpu(analysis)["0"]
    assert gpu.name == model and gpu.samples == scrapes and gpu.util_max == 0.0 and gpu.mem_peak_mib == 0.0


def test_dcgm_exporter_with_hand_shortened_labels() -> None:
    name = "dcgm-exporter.l40s-elided-labels.viettel.md"
    shortened = [line for line in (REAL / name).read_text().splitlines()
                 if re.match(r"^DCGM_FI_(DEV_(GPU_UTIL|FB_USED|FB_FREE|POWER_USAGE)|PROF_GR_ENGINE_ACTIVE)\{.*\.\.\.", line)]
    reader, analysis = load(REAL / name)
    stats = by_gpu(analysis)
    # The whole lines (the SM clocks) give the two GPUs; every shortened line is lost, none misread.
    assert set(stats) == {"0", "1"} and all(s.util_mean is None and s.name == "NVIDIA L40S" for s in stats.values())
    assert reader.losses.count >= len(shortened) == 10


# ---------------------------------------------------------------- corrupt copies of real files


def test_truncated_in_the_middle_of_a_row(tmp_path: Path) -> None:
    data = (REAL / "nvidia-smi.rtx4090-vlm.csv").read_bytes()
    cut = data.index(b"\n", len(data) // 2) + 20  # inside the row after the middle
    path = tmp_path / "cut.csv"
    path.write_bytes(data[:cut])
    whole_rows = data[:cut].count(b"\n") - 1
    reader, analysis = load(path)
    assert by_gpu(analysis)["0"].samples == whole_rows
    assert reader.losses.count == 1  # the partial last row


def test_crlf_line_ends_read_the_same(tmp_path: Path) -> None:
    source = REAL / "nvidia-smi.rtx2070-header-every-row.csv"
    path = tmp_path / "crlf.csv"
    path.write_bytes(source.read_bytes().replace(b"\n", b"\r\n"))
    _, original = load(source)
    reader, converted = load(path)
    assert reader.losses.count == 0
    assert by_gpu(converted)["0"].samples == by_gpu(original)["0"].samples
    assert by_gpu(converted)["0"].util_mean == by_gpu(original)["0"].util_mean


@pytest.mark.parametrize("garbage", [b"\x00" * 64, bytes(range(256)) * 4, b"\xff\xfe\x80\x81" * 100])
def test_binary_garbage_in_the_middle(tmp_path: Path, garbage: bytes) -> None:
    data = (REAL / "nvidia-smi.rtx2070-header-every-row.csv").read_bytes()
    at = data.index(b"\n", 30_000) + 1  # past the 8 KiB whygpu sniffs for binary files
    path = tmp_path / "garbage.csv"
    path.write_bytes(data[:at] + garbage + b"\n" + data[at:])
    rows_before = sum(1 for line in data[:at].splitlines() if not line.startswith(b"timestamp"))
    result = run_whygpu(["monitor", "--from", str(path)])
    assert result.code in (0, 1), result.stderr
    assert "could not be read" in result.stderr and result.stderr.count("\n") == 1
    reader, analysis = load(path)
    all_rows = len(smi_rows("nvidia-smi.rtx2070-header-every-row.csv"))
    assert rows_before <= by_gpu(analysis)["0"].samples <= all_rows
    assert reader.losses.count >= 1


def test_rows_with_a_field_missing_are_counted_not_misread(tmp_path: Path) -> None:
    lines = (REAL / "nvidia-smi.orin-nounits.csv").read_text().splitlines(keepends=True)
    damaged = {10, 20, 30}
    for i in damaged:
        cells = lines[i].split(",")
        lines[i] = ",".join(cells[:2] + cells[3:])  # the utilisation cell dropped
    path = tmp_path / "short.csv"
    path.write_text("".join(lines))
    reader, analysis = load(path)
    gpu = by_gpu(analysis)["0"]
    assert gpu.samples == len(lines) - 1 - len(damaged) and gpu.util_mean == 99.0
    assert reader.losses.count == len(damaged)


def test_dcgm_scrape_cut_mid_line(tmp_path: Path) -> None:
    text = (REAL / "dcgm-exporter.l4-idle-two-scrapes.kops.md").read_text()
    second = text.rindex("DCGM_FI_DEV_FB_USED{")
    path = tmp_path / "cut.prom"
    path.write_text(text[: second + 40])  # inside the label set of the second scrape's FB_USED
    reader, analysis = load(path)
    gpu = by_gpu(analysis)["0"]
    assert gpu.samples == 2 and gpu.name == "NVIDIA L4"
    assert reader.losses.count >= 1


def test_dmon_with_a_garbled_row(tmp_path: Path) -> None:
    text = (REAL / "dmon.mutc-TD-blank-line.xuesongtap.txt").read_text()
    lines = text.splitlines(keepends=True)
    lines.insert(6, " 2024\x00104   13:5\ufffd\n")
    path = tmp_path / "garbled.txt"
    path.write_text("".join(lines))
    reader, analysis = load(path)
    assert by_gpu(analysis)["0"].samples == 6 and reader.losses.count == 1


def test_timestamps_with_and_without_a_zone_mixed(tmp_path: Path) -> None:
    lines = (REAL / "nvidia-smi.8gpu-iso-tz.csv").read_text().splitlines(keepends=True)
    # Every other row with its zone cut off (two recordings of different settings appended).
    mixed = [line.replace("+08:00", "", 1) if i % 2 else line for i, line in enumerate(lines)]
    path = tmp_path / "mixed.csv"
    path.write_text("".join(mixed))
    _, analysis = load(path)
    assert sum(s.samples for s in analysis.gpus) == len(lines) - 1


def test_utilisation_without_memory_still_shows_a_busy_gpu(tmp_path: Path) -> None:
    # The H200 trace's layout, with the first GPU kept busy: busy needs no memory reading.
    lines = (REAL / "nvidia-smi.4xh200-no-index.ters-gen.log").read_text().splitlines(keepends=True)
    busy = [lines[0]] + [re.sub(r", \d+ %, ", ", 97 %, ", line, count=1) if i % 4 == 0 else line
                         for i, line in enumerate(lines[1:])]
    path = tmp_path / "busy.csv"
    path.write_text("".join(busy))
    _, analysis = load(path)
    assert kinds(analysis) == {"0": Kind.HEALTHY, "1": Kind.UNKNOWN, "2": Kind.UNKNOWN, "3": Kind.UNKNOWN}


def test_one_gpu_a_second_is_not_split_into_groups(tmp_path: Path) -> None:
    lines = (REAL / "nvidia-smi.a10-idle-lms.xuesongtap.txt").read_text().splitlines(keepends=True)[1:]
    rows = [lines[1].replace("16.977", f"{s:02d}.000").replace("14:44:", f"14:{44 + s // 60}:") for s in range(12)]
    path = tmp_path / "one.csv"
    path.write_text(lines[0] + "".join(r.replace(f"14:{44 + s // 60}:{s:02d}.000", f"14:44:{s:02d}.000")
                                        for s, r in enumerate(rows)))
    reader, analysis = load(path)
    assert list(by_gpu(analysis)) == ["0"] and by_gpu(analysis)["0"].samples == 12
    assert not any("in turn" in note for note in reader.notes)


@pytest.mark.parametrize(("sm", "expected"), [("95", Kind.HEALTHY), ("0", Kind.UNKNOWN)])
def test_default_dmon_has_no_memory_column(tmp_path: Path, sm: str, expected: Kind) -> None:
    # `nvidia-smi dmon` with its default -s puc (the real paste's layout) records no fb: a busy GPU is
    # healthy, an idle one gets no verdict (it was "never touched", a false alarm, before).
    lines = (REAL / "dmon.puc-3rows-prompt.felixfu.txt").read_text().splitlines(keepends=True)
    header, row = lines[1:3], lines[3]
    cells = row.split()
    cells[4] = sm
    path = tmp_path / "dmon.txt"
    path.write_text("".join(header) + ("    " + "  ".join(cells) + "\n") * 20)
    _, analysis = load(path)
    assert kinds(analysis) == {"0": expected}
