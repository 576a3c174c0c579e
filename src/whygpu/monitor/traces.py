"""Readers for recorded traces: whygpu's own CSV/JSONL, nvidia-smi CSV, nvidia-smi dmon, dcgmi dmon, DCGM exporter text.

Every reader streams: it yields ``Chunk`` batches and never holds the whole file. Pasted
output is cleaned first (quote prefixes ``> ``, backticks, shell prompts, colour codes); a line
that cannot be read is counted in ``losses`` (the first kept as the example) and the rest is
analysed. Only ``TraceError`` (a ``UserError``: exit 2, one line) ever leaves a reader.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import itertools
import json
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timedelta, timezone
from itertools import islice, repeat
from typing import IO, TypeVar

from whygpu.errors import UserError
from whygpu.monitor.samples import Chunk, Losses, ProcessSample, ProcessUse, printable

CHUNK_ROWS = 8192
# nvidia-smi CSV goes through in smaller blocks: fewer rows held at once means cheaper garbage
# collection passes (measured in bench/monitor_bench.py).
CSV_BLOCK_ROWS = 512
# A clean nvidia-smi CSV is read this many characters at a time (whole lines; about 2,600 rows).
TEXT_BLOCK_CHARS = 1 << 18
SNIFF_LINES = 64
MAX_LINE = 1 << 16  # a longer "line" is not a trace line (a binary file): it is cut and counted

FORMATS = ("whygpu-jsonl", "whygpu-csv", "nvidia-smi-csv", "nvidia-smi-dmon", "dcgmi-dmon", "dcgm-exporter")

# NVML clock-event (throttle) reason bits, as nvml.h defines them
# (https://docs.nvidia.com/deploy/nvml-api/group__nvmlClocksEventReasons.html).
THROTTLE_BITS = (
    (0x1, "gpu_idle"), (0x2, "applications_clocks_setting"), (0x4, "sw_power_cap"), (0x8, "hw_slowdown"),
    (0x10, "sync_boost"), (0x20, "sw_thermal_slowdown"), (0x40, "hw_thermal_slowdown"),
    (0x80, "hw_power_brake_slowdown"), (0x100, "display_clock_setting"),
)
# Reasons that mean nothing is wrong: an idle GPU runs its clocks down, and these are settings.
BENIGN_THROTTLE = frozenset({"gpu_idle", "applications_clocks_setting", "display_clock_setting"})


class TraceError(UserError):
    """A trace file that cannot be read at all (exit 2, one line)."""


def throttle_names(mask: int) -> tuple[str, ...]:
    """The reason names set in an NVML clock-event bitmask, benign ones left out."""
    return tuple(name for bit, name in THROTTLE_BITS if mask & bit and name not in BENIGN_THROTTLE)


# ---------------------------------------------------------------- cleaning pasted text

_PROMPT = re.compile(
    r"^(?:\(?[\w.-]+\)?\s+)?(?:[\w.-]+@[\w.-]+(?::\S*)?\s*[#$%>]|\$|PS [^>]*>|>>>|In \[\d+\]:)\s*"
    r"(?:sudo\s+)?(?:nvidia-smi|dcgmi|curl|wget|watch|docker|kubectl|cat|head|tail|python\S*|whygpu)\b")
_BARE_COMMAND = re.compile(r"^\s*(?:\$\s*)?(?:sudo\s+)?(?:(?:nvidia-smi|dcgmi|curl|wget|watch|kubectl)\s+-"
                           r"|nvidia-smi(?:\s+(?:dmon|pmon))?\s*$|dcgmi\s+dmon\b)")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def clean_line(line: str) -> str | None:
    """The trace content of one line of pasted text, or None for a line that is only decoration."""
    if "\x1b" in line:
        line = _ANSI.sub("", line)
    line = line.rstrip("\r\n")
    stripped = line.lstrip()
    while stripped.startswith(">"):
        stripped = stripped[1:].lstrip()
    if "`" in stripped:
        stripped = stripped.replace("`", "")
        if stripped.strip().lower() in ("", "text", "csv", "console", "shell", "bash", "sh", "txt", "log"):
            return None
    if not stripped.strip():
        return None
    if _PROMPT.match(stripped) or _BARE_COMMAND.match(stripped):
        return None
    return stripped


# ---------------------------------------------------------------- opening and sniffing


def _open_text(path: str) -> IO[str]:
    # inputs.open_input never blocks on a FIFO or a device swapped in for the file.
    from whygpu.inputs import open_input

    try:
        binary = open_input(path)
    except TraceError:
        raise
    except UserError as exc:
        raise TraceError(exc.message, where=exc.where) from None
    return io.TextIOWrapper(binary, encoding="utf-8", errors="replace", newline="")


def _bounded_lines(handle: IO[str], losses: Losses) -> Iterator[tuple[int, str]]:
    number = 0
    while True:
        try:
            line = handle.readline(MAX_LINE)
        except OSError as exc:
            losses.add(f"read error after line {number}: {exc.strerror or exc}")
            return
        if not line:
            return
        number += 1
        if len(line) >= MAX_LINE and not line.endswith("\n"):
            # Skip the rest of an over-long line without holding it.
            while True:
                rest = handle.readline(MAX_LINE)
                if not rest or rest.endswith("\n"):
                    break
            losses.add(f"line {number}: longer than {MAX_LINE} characters (not trace text)")
            continue
        yield number, line


def sniff(lines: list[str]) -> str | None:
    """The format of a trace from its first cleaned lines, None when no reader recognises it."""
    for line in lines:
        text = line.strip()
        low = text.lower()
        if text.startswith("{") and '"whygpu_trace"' in text:
            return "whygpu-jsonl"
        if low.startswith("# whygpu trace"):
            return "whygpu-csv"
        if "DCGM_FI_" in text:
            return "dcgm-exporter"
        if re.match(r"^#\s*entity\b", low):
            return "dcgmi-dmon"
        if re.match(r"^#\s*(?:date\s+time\s+)?gpu\s+\S", low) or re.match(r"^#\s*idx\b", low):
            return "nvidia-smi-dmon"
        if "utilization.gpu" in low or "memory.used" in low or re.match(r"^(timestamp|index|name|pci\.bus_id|uuid)\s*,", low):
            return "nvidia-smi-csv"
    return None


class TraceReader:
    """Reads one trace file into chunks; ``losses`` and ``notes`` say what could not be read and what was assumed."""

    def __init__(self, path: str, *, interval_s: float = 1.0, columns: list[str] | None = None,
                 fmt: str | None = None) -> None:
        self.path = path
        self.interval_s = interval_s
        self.columns = columns
        self.format = fmt
        self.losses = Losses()
        self.notes: list[str] = []
        self.rows = 0

    def chunks(self) -> Iterator[Chunk]:
        """The trace's samples, chunk by chunk."""
        handle = _open_text(self.path)
        with handle:
            lines = _bounded_lines(handle, self.losses)
            head: list[tuple[int, str]] = list(islice(lines, SNIFF_LINES))
            cleaned = [c for c in (clean_line(text) for _, text in head) if c is not None]
            fmt = self.format or sniff(cleaned)
            if fmt is None and self.columns:
                fmt = "nvidia-smi-csv"
            if fmt is None:
                if not cleaned:
                    raise TraceError("empty: no trace lines in the file", where=self.path)
                raise TraceError(
                    "not a trace whygpu can read (expected whygpu --record output, nvidia-smi --query-gpu CSV, "
                    "nvidia-smi dmon, dcgmi dmon or DCGM exporter metrics; a headerless nvidia-smi CSV needs "
                    "--columns)", where=self.path)
            self.format = fmt
            noisy = any(clean_line(text) != text.rstrip("\r\n") for _, text in head)
            stream: Iterator[tuple[int, str]] = _chain(head, lines)
            if fmt == "nvidia-smi-csv":
                yield from self._nvidia_smi_csv(stream, handle, head, noisy)
            elif fmt == "nvidia-smi-dmon":
                yield from self._dmon(self._clean(stream))
            elif fmt == "dcgmi-dmon":
                yield from self._dcgmi(self._clean(stream))
            elif fmt == "dcgm-exporter":
                yield from self._prometheus(self._clean(stream))
            elif fmt == "whygpu-jsonl":
                yield from self._own_jsonl(self._clean(stream))
            elif fmt == "whygpu-csv":
                yield from self._own_csv(self._clean(stream))
            else:  # pragma: no cover - FORMATS is exhaustive
                raise AssertionError(fmt)
        if self.rows == 0:
            detail = f" ({self.losses.count} unreadable line(s), first: {self.losses.first})" if self.losses.count else ""
            raise TraceError(f"no GPU samples found in this {fmt} trace{detail}", where=self.path)

    def _clean(self, stream: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
        for number, text in stream:
            cleaned = clean_line(text)
            if cleaned is not None:
                yield number, cleaned

    def _lost(self, number: int, why: str, text: str) -> None:
        self.losses.add(f"line {number}: {why}: {text.strip()[:80]!r}")

    # ------------------------------------------------------------ nvidia-smi --query-gpu CSV

    def _nvidia_smi_csv(self, stream: Iterator[tuple[int, str]], handle: IO[str], head: list[tuple[int, str]],
                        noisy: bool) -> Iterator[Chunk]:
        rows: Iterator[list[str]]
        header: list[str] | None = None
        fast_rest: list[str] | None = None
        if self.columns:
            header = [_csv_key(c) for c in self.columns]
            rows = csv.reader(_texts(self._clean(stream)))
        elif not noisy and (at := _header_at(head)) is not None:
            # A clean file: the rest of it goes straight into the C csv reader, no per-line Python work.
            header = [_csv_key(f) for f in next(csv.reader([head[at][1]]))]
            rest = [text for _, text in head[at + 1:]]
            rows = itertools.chain(csv.reader(rest), csv.reader(handle))
            fast_rest = rest
        else:
            cleaned = self._clean(stream)
            for number, text in cleaned:
                fields = [f.strip() for f in next(csv.reader([text]), [])]
                if fields and _csv_key(fields[0]) in _CSV_HEADER_WORDS:
                    header = [_csv_key(f) for f in fields]
                    break
                self._lost(number, "before the CSV header", text)
            rows = csv.reader(_texts(cleaned))
        if header is None:
            raise TraceError("nvidia-smi CSV without a header line (pass --columns with the --query-gpu list)",
                             where=self.path)
        parser = _SmiCsv(header, self)
        if fast_rest is not None and parser.use_text_blocks(fast_rest):
            yield from self._smi_text_blocks(parser, fast_rest, handle)
        else:
            yield from self._smi_rows(parser, rows)

    def _smi_rows(self, parser: _SmiCsv, rows: Iterator[list[str]]) -> Iterator[Chunk]:
        """nvidia-smi CSV rows from the csv module, in blocks of ``CSV_BLOCK_ROWS``."""
        while True:
            try:
                block = list(islice(rows, CSV_BLOCK_ROWS))
            except csv.Error as exc:
                self.losses.add(f"after row {parser.row_count}: unreadable CSV ({exc}); the rest of the file is skipped")
                return
            if not block:
                return
            chunk = parser.block(block)
            if chunk.gpus:
                yield chunk

    def _smi_text_blocks(self, parser: _SmiCsv, rest: list[str], handle: IO[str]) -> Iterator[Chunk]:
        """A clean nvidia-smi CSV read in blocks of whole lines, each taken by ``_SmiCsv.text_block``.

        A block it cannot take (an ``[N/A]`` cell, a short row, a repeated header, a blank line) goes
        through the csv module instead, so the samples are the same either way; a quote (a field
        that may span lines) hands the rest of the file to the csv module as one stream.
        """
        pending = "".join(rest)
        while True:
            data = handle.read(TEXT_BLOCK_CHARS)
            if data:
                text = pending + data
                cut = text.rfind("\n") + 1
                if cut == 0:
                    if len(text) > MAX_LINE:  # no line end in sight: let the csv module judge it
                        yield from self._smi_rows(parser, csv.reader(_lines_then(io.StringIO(text, newline=""), handle)))
                        return
                    pending = text
                    continue
                text, pending = text[:cut], text[cut:]
            elif pending:
                text, pending = pending + "\n", ""
            else:
                return
            chunk = parser.text_block(text)
            if chunk is None:
                if '"' in text:
                    lines = _lines_then(io.StringIO(text + pending, newline=""), handle)
                    yield from self._smi_rows(parser, csv.reader(lines))
                    return
                try:
                    block = list(csv.reader(io.StringIO(text, newline="")))
                except csv.Error as exc:
                    self.losses.add(f"after row {parser.row_count}: unreadable CSV ({exc}); the rest of the file is skipped")
                    return
                chunk = parser.block(block)
            if chunk.gpus:
                yield chunk

    # ------------------------------------------------------------ nvidia-smi dmon

    def _dmon(self, stream: Iterable[tuple[int, str]]) -> Iterator[Chunk]:
        names: list[str] | None = None
        chunk = Chunk()
        tick = _Ticks(self.interval_s)
        for number, text in stream:
            if text.startswith("#"):
                words = text[1:].split()
                if words and words[0].lower() in ("gpu", "date"):
                    names = [w.lower() for w in words]
                    if "pid" in names:
                        raise TraceError(
                            "nvidia-smi pmon output (one row per process, not per GPU) is not read: record "
                            "`nvidia-smi dmon -s um` or `nvidia-smi --query-gpu=... --format=csv -l 1`", where=self.path)
                continue
            if names is None:
                self._lost(number, "a dmon row before its '# gpu ...' header", text)
                continue
            cells = text.split()
            if len(cells) != len(names):
                self._lost(number, f"{len(cells)} columns where the header has {len(names)}", text)
                continue
            row = dict(zip(names, cells, strict=False))
            gpu = row.get("gpu", "")
            if not gpu.isdigit():
                self._lost(number, "no GPU index in the first column", text)
                continue
            stamp = _dmon_time(row.get("date"), row.get("time"))
            t = tick.at(gpu, stamp)
            util = _num(row.get("sm"))
            mem = _num(row.get("fb"))
            chunk.columns(gpu).append(t, util, mem, power_w=_num(row.get("pwr")), sm_clock_mhz=_num(row.get("pclk")))
            self.rows += 1
            if self.rows % CHUNK_ROWS == 0:
                yield chunk
                chunk = Chunk()
        if names is not None and "sm" not in names:
            self.notes.append("the dmon trace has no 'sm' column (utilisation): record with -s u (or the default -s pucvmet)")
        if names is not None and "fb" not in names:
            self.notes.append("the dmon trace has no 'fb' column (memory used): record with -s um for memory verdicts")
        if chunk.gpus:
            yield chunk

    # ------------------------------------------------------------ dcgmi dmon

    def _dcgmi(self, stream: Iterable[tuple[int, str]]) -> Iterator[Chunk]:
        names: list[str] | None = None
        chunk = Chunk()
        tick = _Ticks(self.interval_s)
        for number, text in stream:
            words = text.split()
            if text.startswith("#"):
                if (words and words[0].lstrip("#").lower() == "entity") or (len(words) > 1 and words[1].lower() == "entity"):
                    names = [w.upper() for w in text.lstrip("#").split()[1:]]
                continue
            if len(words) == 1 and words[0].upper() == "ID":
                continue
            if names is None:
                self._lost(number, "a dcgmi row before its '#Entity ...' header", text)
                continue
            if len(words) < 2 or not words[0].upper().startswith("GPU"):
                self._lost(number, "not an entity row (GPU n ...)", text)
                continue
            entity, ident, cells = words[0].upper(), words[1], words[2:]
            if len(cells) != len(names):
                self._lost(number, f"{len(cells)} values where the header has {len(names)}", text)
                continue
            gpu = ident if entity == "GPU" else f"{entity.lower()}{ident}"
            row = dict(zip(names, cells, strict=False))
            util = _num(row.get("GPUTL"))
            if util is None and _num(row.get("GRACT")) is not None:
                util = _fraction_to_percent(_num(row.get("GRACT")))
            elif util is not None and "GPUTL" in row and util <= 1.0 and "." in row["GPUTL"]:
                util *= 100.0
            t = tick.at(gpu, None)
            cols = chunk.columns(gpu)
            cols.append(t, util, _num(row.get("FBUSD")), power_w=_num(row.get("POWER")),
                        sm_clock_mhz=_num(row.get("SMCLK")))
            total = _num(row.get("FBTTL"))
            if total is not None:
                cols.mem_total_mib = total
            self.rows += 1
            if self.rows % CHUNK_ROWS == 0:
                yield chunk
                chunk = Chunk()
        if names is not None and "GPUTL" not in names and "GRACT" in names:
            self.notes.append("utilisation taken from GRACT (graphics engine active, a fraction) because GPUTL is absent")
        if chunk.gpus:
            yield chunk

    # ------------------------------------------------------------ DCGM exporter (Prometheus text)

    def _prometheus(self, stream: Iterable[tuple[int, str]]) -> Iterator[Chunk]:
        from prometheus_client.parser import text_string_to_metric_families

        wanted = {"DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_PROF_GR_ENGINE_ACTIVE", "DCGM_FI_DEV_FB_USED",
                  "DCGM_FI_DEV_FB_FREE", "DCGM_FI_DEV_FB_RESERVED", "DCGM_FI_DEV_POWER_USAGE",
                  "DCGM_FI_DEV_SM_CLOCK", "DCGM_FI_DEV_CLOCK_THROTTLE_REASONS", "DCGM_FI_DEV_CLOCKS_EVENT_REASONS"}
        scrape: dict[str, dict[str, float]] = {}
        names: dict[str, str] = {}
        stamps: dict[str, float] = {}
        index = 0
        chunk = Chunk()
        used_gract = False

        def flush() -> None:
            nonlocal index, used_gract
            for gpu, values in scrape.items():
                util = values.get("DCGM_FI_DEV_GPU_UTIL")
                if util is None and "DCGM_FI_PROF_GR_ENGINE_ACTIVE" in values:
                    util = _fraction_to_percent(values["DCGM_FI_PROF_GR_ENGINE_ACTIVE"])
                    used_gract = True
                used = values.get("DCGM_FI_DEV_FB_USED")
                free = values.get("DCGM_FI_DEV_FB_FREE")
                cols = chunk.columns(gpu)
                cols.name = names.get(gpu, cols.name)
                if used is not None and free is not None:
                    cols.mem_total_mib = used + free + values.get("DCGM_FI_DEV_FB_RESERVED", 0.0)
                mask = values.get("DCGM_FI_DEV_CLOCKS_EVENT_REASONS", values.get("DCGM_FI_DEV_CLOCK_THROTTLE_REASONS"))
                t = stamps.get(gpu, index * self.interval_s)
                cols.append(t, util, used, power_w=values.get("DCGM_FI_DEV_POWER_USAGE"),
                            sm_clock_mhz=values.get("DCGM_FI_DEV_SM_CLOCK"),
                            throttle=throttle_names(int(mask)) if mask is not None and mask >= 0 else ())
                self.rows += 1
            scrape.clear()
            stamps.clear()
            index += 1

        for number, text in stream:
            if text.startswith("#"):
                continue
            metric = text.split("{", 1)[0].split(" ", 1)[0]
            if not metric.startswith("DCGM_FI_"):
                if not re.match(r"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{|\s)", text):
                    self._lost(number, "not a Prometheus sample line", text)
                continue
            if metric not in wanted:
                continue
            try:
                samples = [s for family in text_string_to_metric_families(text + "\n") for s in family.samples]
            except Exception as exc:  # the parser raises ValueError and others on malformed lines
                self._lost(number, f"malformed sample ({type(exc).__name__})", text)
                continue
            for sample in samples:
                labels = sample.labels
                gpu = labels.get("gpu", "")
                if not gpu:
                    self._lost(number, "no gpu label", text)
                    continue
                if labels.get("GPU_I_ID"):
                    gpu = f"{gpu}/mig{labels['GPU_I_ID']}"
                    if labels.get("GPU_I_PROFILE"):
                        names[gpu] = f"MIG {printable(labels['GPU_I_PROFILE'], 40)}"
                elif labels.get("modelName"):
                    names[gpu] = printable(labels["modelName"], 80)
                value = float(sample.value)
                if value != value:  # NaN: the exporter's "no value"
                    continue
                if gpu in scrape and sample.name in scrape[gpu]:
                    flush()
                scrape.setdefault(gpu, {})[sample.name] = value
                if sample.timestamp is not None:
                    stamps[gpu] = float(sample.timestamp)
            if self.rows and self.rows % CHUNK_ROWS == 0 and chunk.gpus:
                yield chunk
                chunk = Chunk()
        if scrape:
            flush()
        if used_gract:
            self.notes.append("utilisation taken from DCGM_FI_PROF_GR_ENGINE_ACTIVE (MIG instances report no GPU_UTIL)")
        if chunk.gpus:
            yield chunk

    # ------------------------------------------------------------ whygpu's own formats

    def _own_jsonl(self, stream: Iterable[tuple[int, str]]) -> Iterator[Chunk]:
        chunk = Chunk()
        for number, text in stream:
            try:
                record = json.loads(text)
            except ValueError:
                self._lost(number, "not a JSON line (truncated?)", text)
                continue
            if not isinstance(record, dict) or "whygpu_trace" in record:
                continue
            try:
                self._own_record(record, chunk)
            except (TypeError, ValueError, KeyError, AttributeError) as exc:
                self._lost(number, f"unexpected record ({type(exc).__name__})", text)
                continue
            if self.rows >= CHUNK_ROWS and self.rows % CHUNK_ROWS < 8:
                yield chunk
                chunk = Chunk()
        if chunk.gpus or chunk.process:
            yield chunk

    def _own_record(self, record: dict[str, object], chunk: Chunk) -> None:
        t = float(record["t"])  # type: ignore[arg-type]
        if "lost" in record:
            self.losses.add(f"at {t:.1f} s sampling failed: {printable(str(record['lost']), 120)}")
        proc = record.get("proc")
        if isinstance(proc, dict):
            cpu = proc.get("cpu_s")
            chunk.process.append(ProcessSample(t, float(cpu) if cpu is not None else None, bool(proc.get("alive", True)),
                                               int(proc.get("n", 1))))
        gpus = record.get("gpus") or []
        if not isinstance(gpus, list):
            raise TypeError("gpus")
        for g in gpus:
            procs = g.get("processes")
            uses = None if procs is None else tuple(
                ProcessUse(int(p["pid"]), _opt(p.get("mib")), p.get("ours") if p.get("ours") in (True, False) else None,
                           str(p.get("kind", "compute"))) for p in procs)
            cols = chunk.columns(printable(str(g["gpu"]), 40))
            if g.get("name"):
                cols.name = printable(str(g["name"]), 80)
            if g.get("mem_total_mib") is not None:
                cols.mem_total_mib = float(g["mem_total_mib"])
            split = g.get("sm_split")
            cols.append(t, _opt(g.get("util")), _opt(g.get("mem_used_mib")), power_w=_opt(g.get("power_w")),
                        sm_clock_mhz=_opt(g.get("sm_clock_mhz")),
                        throttle=tuple(str(x) for x in g.get("throttle") or ()), processes=uses,
                        sm_split=_split_of(split[0], split[1]) if isinstance(split, list) and len(split) == 2 else None)
            self.rows += 1

    def _own_csv(self, stream: Iterable[tuple[int, str]]) -> Iterator[Chunk]:
        header: list[str] | None = None
        chunk = Chunk()
        seen_proc_t: float | None = None
        for number, text in stream:
            if text.startswith("#"):
                continue
            fields = next(csv.reader([text]), [])
            if header is None:
                if fields and fields[0] == "t":
                    header = fields
                else:
                    self._lost(number, "before the CSV header", text)
                continue
            if len(fields) != len(header):
                self._lost(number, f"{len(fields)} fields where the header has {len(header)} (truncated?)", text)
                continue
            row = dict(zip(header, fields, strict=False))
            try:
                t = float(row["t"])
                if not row.get("gpu"):  # a tick with no GPU reading: only what was lost
                    if row.get("lost"):
                        self.losses.add(f"at {t:.1f} s sampling failed: {printable(row['lost'], 120)}")
                    continue
                procs = _parse_procs(row.get("processes", ""))
                cols = chunk.columns(printable(row["gpu"], 40))
                if row.get("name"):
                    cols.name = printable(row["name"], 80)
                if _num(row.get("mem_total_mib")) is not None:
                    cols.mem_total_mib = _num(row.get("mem_total_mib"))
                cols.append(t, _num(row.get("util_percent")), _num(row.get("mem_used_mib")),
                            power_w=_num(row.get("power_w")), sm_clock_mhz=_num(row.get("sm_clock_mhz")),
                            throttle=tuple(x for x in (row.get("throttle") or "").split(";") if x), processes=procs,
                            sm_split=_split_of(*(row.get("sm_split") or "").split(":", 1)) if ":" in (row.get("sm_split") or "") else None)
                if row.get("proc_alive") and t != seen_proc_t:
                    seen_proc_t = t
                    chunk.process.append(ProcessSample(t, _num(row.get("proc_cpu_s")), row["proc_alive"] == "1",
                                                       int(_num(row.get("proc_n")) or 1)))
                if row.get("lost"):
                    self.losses.add(f"at {t:.1f} s sampling failed: {printable(row['lost'], 120)}")
            except (ValueError, KeyError) as exc:
                self._lost(number, f"unexpected value ({type(exc).__name__})", text)
                continue
            self.rows += 1
            if self.rows % CHUNK_ROWS == 0:
                yield chunk
                chunk = Chunk()
        if chunk.gpus or chunk.process:
            yield chunk


def _chain(head: list[tuple[int, str]], rest: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    yield from head
    yield from rest


def _texts(stream: Iterable[tuple[int, str]]) -> Iterator[str]:
    for _, text in stream:
        yield text


def _header_at(head: list[tuple[int, str]]) -> int | None:
    for i, (_, text) in enumerate(head):
        first = text.split(",", 1)[0]
        if _csv_key(first) in _CSV_HEADER_WORDS:
            return i
    return None


def _opt(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    return _num(str(value))


def _split_of(job: object, other: object) -> tuple[float, float] | None:
    """A recorded split of SM utilisation (the job's, the others'), None unless both are numbers from 0 to 100."""
    values = (_opt(job), _opt(other))
    if values[0] is None or values[1] is None or not all(0.0 <= v <= 100.0 for v in values):  # type: ignore[operator]
        return None
    return values[0], values[1]


def _parse_procs(text: str) -> tuple[ProcessUse, ...] | None:
    if text == "":
        return None
    if text == "-":
        return ()
    uses = []
    for item in text.split(";"):
        pid, mib, ours, kind = ([*item.split(":"), "", "", "", ""])[:4]
        uses.append(ProcessUse(int(pid), _num(mib), True if ours == "1" else False if ours == "0" else None,
                               kind or "compute"))
    return tuple(uses)


_NA = frozenset({"", "-", "n/a", "[n/a]", "na", "nan", "[not supported]", "not supported", "[unknown error]",
                 "[insufficient permissions]", "[gpu is lost]", "[no data]", "err!", "error"})
_UNIT = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(%|mib|mb|gib|gb|w|mhz|c|kib)?\s*$", re.I)


def _num(cell: str | None) -> float | None:
    """A number from a cell like ``45``, ``45 %``, ``1234 MiB``, ``56.7 W``; None for N/A, ``-`` and the like."""
    if cell is None:
        return None
    try:
        return float(cell)
    except ValueError:
        pass
    if cell.strip().lower() in _NA:
        return None
    match = _UNIT.match(cell)
    if not match:
        return None
    value = float(match.group(1))
    unit = (match.group(2) or "").lower()
    if unit in ("gib", "gb"):
        value *= 1024.0
    elif unit == "kib":
        value /= 1024.0
    return value


def _fraction_to_percent(value: float | None) -> float | None:
    return None if value is None else value * 100.0


def _dmon_time(date: str | None, clock: str | None) -> float | None:
    if not date or not clock:
        return None
    try:
        stamp = datetime.strptime(f"{date} {clock}", "%Y%m%d %H:%M:%S")
    except ValueError:
        return None
    return (stamp - _EPOCH).total_seconds()


_EPOCH = datetime(1970, 1, 1)


class _Ticks:
    """Time for rows without a usable timestamp: a new tick each time a GPU repeats."""

    def __init__(self, interval_s: float) -> None:
        self.interval_s = interval_s
        self.tick = 0
        self.seen: set[str] = set()

    def at(self, gpu: str, stamp: float | None) -> float:
        """The time of a row of ``gpu``: its own timestamp, else its tick times the interval."""
        if gpu in self.seen:
            self.tick += 1
            self.seen.clear()
        self.seen.add(gpu)
        return stamp if stamp is not None else self.tick * self.interval_s


# ---------------------------------------------------------------- nvidia-smi CSV columns

_CSV_HEADER_WORDS = frozenset({
    "timestamp", "index", "name", "uuid", "pci.bus_id", "utilization.gpu", "memory.used", "memory.total",
    "memory.free", "power.draw", "clocks.sm", "clocks.current.sm", "temperature.gpu", "utilization.memory",
    "driver_version", "count", "pstate", "fan.speed", "clocks.gr", "clocks.mem", "gpu_name", "gpu_bus_id",
    "power.draw.instant", "power.draw.average", "clocks_throttle_reasons.active", "clocks_event_reasons.active",
})
# Columns that name the GPU of a row, in order of preference. nvidia-smi has no ``gpu`` field: a
# recorder that writes its own header uses it for the index.
_ID_COLUMNS = ("index", "uuid", "pci.bus_id", "gpu")
_CSV_ALIASES = {"gpu_name": "name", "gpu_bus_id": "pci.bus_id", "clocks.current.sm": "clocks.sm",
                "power.draw.instant": "power.draw", "clocks_event_reasons.active": "clocks_throttle_reasons.active",
                "gpu_uuid": "uuid"}


def _csv_key(name: str) -> str:
    key = name.strip().split(" [", 1)[0].split("[", 1)[0].strip().lower()
    return key


class _SmiCsv:
    """Turns blocks of nvidia-smi CSV rows into chunks, column-wise.

    Two ways in, with the same samples out: ``block`` takes rows the csv module split; ``text_block``
    takes whole lines of a clean file and lets one regular expression, built from the header,
    pick out only the columns the analysis reads (units left outside the groups), so no row
    becomes a Python list and no cell is stripped of its unit one by one.
    """

    def __init__(self, header: list[str], reader: TraceReader) -> None:
        self.reader = reader
        keys = [_CSV_ALIASES.get(k, k) for k in header]
        self.width = len(keys)
        self.pos = {k: i for i, k in reversed(list(enumerate(keys)))}
        if "utilization.gpu" not in self.pos and "memory.used" not in self.pos:
            raise TraceError("nvidia-smi CSV has neither utilization.gpu nor memory.used: nothing to judge",
                             where=reader.path)
        self.id_col = next((self.pos[k] for k in _ID_COLUMNS if k in self.pos), None)
        self.id_checked = False
        self.stamp_noted = False
        self.first_key = keys[0] if keys else ""
        self.base: datetime | None = None
        self.row_count = 0
        self.gpus_per_tick: int | None = None
        self.throttle_cache: dict[str, tuple[str, ...]] = {}
        self.header_words = frozenset(header)
        self.line: re.Pattern[str] | None = None
        self.groups: dict[str, int] = {}
        self.util_cells = _CellFloats()
        self.mem_cells = _CellFloats()

    # -------------------------------------------------------- the two ways in

    def block(self, block: list[list[str]]) -> Chunk:
        """One block of CSV rows as a chunk (rows of another width counted as lost, repeated headers skipped)."""
        width = self.width
        if set(map(len, block)) == {width}:
            good = block
        else:
            good = [r for r in block if len(r) == width]
            for r in block:
                if len(r) != width and r and any(c.strip() for c in r):
                    if _csv_key(r[0]) in _CSV_HEADER_WORDS:
                        continue  # a repeated header (two recordings appended)
                    self.reader.losses.add(f"a row with {len(r)} fields where the header has {width}: "
                                           f"{','.join(r)[:80]!r}")
        if good and self._has_header_rows(good):
            # Header lines repeated through the file (nvidia-smi run once per sample, without -l).
            good = [r for r in good if _csv_key(r[0]) not in _CSV_HEADER_WORDS]
        if not good:
            return Chunk()
        if not self.id_checked:
            self.choose_id(good)
        columns = list(zip(*good, strict=False))
        n = len(good)
        pos = self.pos

        def column(key: str) -> tuple[str, ...] | None:
            return columns[pos[key]] if key in pos else None

        util = column("utilization.gpu")
        mem = column("memory.used")
        power = column("power.draw")
        return self._chunk(
            n, tuple(map(str.strip, columns[self.id_col])) if self.id_col is not None else None,
            column("timestamp"), _floats(util) if util is not None else None,
            _floats(mem) if mem is not None else None, _floats(power) if power is not None else None,
            column("clocks_throttle_reasons.active"), lambda i: good[i])

    def _has_header_rows(self, rows: list[list[str]]) -> bool:
        """Whether any row is a header line: its first cell is the header's first column name."""
        if _csv_key(rows[0][0]) in _CSV_HEADER_WORDS:
            return True
        # One search through the first cells joined (no per-row Python work); the rows are then filtered.
        return bool(self.first_key) and self.first_key in "\n".join([r[0] for r in rows]).lower()

    def choose_id(self, rows: list[list[str]]) -> None:
        """Keep the GPU id column that tells the GPUs of one timestamp apart.

        A recorder that writes its own header may label the GPU index ``gpu`` and give the name
        ``index`` to another column; when the chosen column repeats within one timestamp and
        another candidate does not, the other one is the GPU id.
        """
        self.id_checked = True
        ts = self.pos.get("timestamp")
        candidates = [self.pos[k] for k in _ID_COLUMNS if k in self.pos]
        if ts is None or len(candidates) < 2 or self.id_col is None:
            return

        def unique(col: int) -> bool:
            pairs = [(r[ts], r[col].strip()) for r in rows if len(r) > max(ts, col)]
            return len(set(pairs)) == len(pairs)

        if unique(self.id_col):
            return
        better = next((c for c in candidates if c != self.id_col and unique(c)), None)
        if better is not None:
            names = {i: k for k, i in self.pos.items()}
            self.reader.notes.append(
                f"the '{names.get(self.id_col, '?')}' column repeats within one timestamp: GPUs told apart "
                f"by the '{names.get(better, '?')}' column")
            self.id_col = better

    def use_text_blocks(self, first_lines: list[str]) -> bool:
        """Whether ``text_block`` can take this file: it has timestamps and GPU ids, and the header's units.

        The unit after each number (``97 %``, or ``97`` with ``nounits``) is taken from the first data
        line; lines that differ go through ``block``.
        """
        samples = [row for row in csv.reader(first_lines) if len(row) == self.width]
        if not self.id_checked and samples:
            self.choose_id(samples)
        if "timestamp" not in self.pos or self.id_col is None:
            return False
        wanted = {self.pos["timestamp"]: "timestamp", self.id_col: "id"}
        for name in ("utilization.gpu", "memory.used", "power.draw", "clocks_throttle_reasons.active"):
            if name in self.pos:
                wanted.setdefault(self.pos[name], name)
        cell = r"[^,\r\n]*"
        word = r"[^ ,\r\n]*"  # a number or an id has no space: the match never backtracks into it
        parts = []
        for index in range(self.width):
            key = wanted.get(index)
            if key is None:
                parts.append(cell)
                continue
            self.groups[key] = len(self.groups)
            unit = _unit_of((row[index].strip() for row in samples), _NUMBER_UNITS[key]) if key in _NUMBER_UNITS else ""
            parts.append(f"({cell if key == 'timestamp' else word}){re.escape(unit)}")
        self.line = re.compile("^" + ", ".join(parts) + r"\r?\n", re.MULTILINE)
        return True

    def text_block(self, text: str) -> Chunk | None:
        """Whole lines of a clean file as a chunk; None when a line is not of the usual shape (then ``block``)."""
        if self.line is None or '"' in text or "\x00" in text or ("\r" in text and text.count("\r") != text.count("\r\n")):
            return None
        found = self.line.findall(text)
        n = len(found)
        # Each match is one whole line (no group crosses a comma or a line end): all lines matched.
        if not n or n != text.count("\n"):
            return None
        columns = list(zip(*found, strict=True))
        groups = self.groups

        def column(key: str) -> tuple[str, ...] | None:
            return columns[groups[key]] if key in groups else None

        try:
            # Utilisation is a whole percentage and memory in use changes seldom: few distinct cells,
            # each converted once; power varies with every reading and is converted cell by cell.
            util = self.util_cells.floats(column("utilization.gpu"))
            mem = self.mem_cells.floats(column("memory.used"))
            power_cells = column("power.draw")
            power: list[float | None] | None = list(map(float, power_cells)) if power_cells is not None else None
        except ValueError:
            return None
        lines: list[str] | None = None

        def row(i: int) -> list[str]:
            # Only the last rows of each GPU are read whole (for its name and total memory).
            nonlocal lines
            back = n - i
            if lines is None or len(lines) < back:
                want = max(back, 64)
                lines = text.split("\n")[:-1] if want >= n else text.rsplit("\n", want + 1)[1:-1]
            return next(csv.reader([lines[len(lines) - back]]))

        return self._chunk(n, tuple(map(str.strip, columns[groups["id"]])), column("timestamp"), util, mem, power,
                           column("clocks_throttle_reasons.active"), row)

    # -------------------------------------------------------- shared

    def _chunk(self, n: int, ids: tuple[str, ...] | None, stamps: tuple[str, ...] | None,
               util: list[float | None] | None, mem: list[float | None] | None, power: list[float | None] | None,
               throttle_cells: tuple[str, ...] | None, row: Callable[[int], Sequence[str]]) -> Chunk:
        chunk = Chunk()
        if ids is None:
            ids = self._positional_ids(stamps, n)
        times = self._times(stamps, ids, n)
        throttle = self._throttle(throttle_cells) if throttle_cells is not None else None
        self.row_count += n
        self.reader.rows += n
        pos = self.pos
        for gpu, rows in _group(ids):
            cols = chunk.columns(_gpu_label(gpu))
            cols.t = _take(times, rows)
            count = len(cols.t)
            cols.util = _take(util, rows) if util is not None else [None] * count
            cols.mem_used_mib = _take(mem, rows) if mem is not None else [None] * count
            cols.power_w = _take(power, rows) if power is not None else [None] * count
            # The SM clock is not used by any verdict: not parsed from CSV (it would cost a column).
            cols.sm_clock_mhz = [None] * count
            cols.throttle = _take(throttle, rows) if throttle is not None else [()] * count
            # The GPU's name and total memory from its last row in the block that has them.
            if "memory.total" in pos or "name" in pos:
                need_total, need_name = "memory.total" in pos, "name" in pos
                for i in (range(len(ids))[rows] if isinstance(rows, slice) else rows)[::-1]:
                    cells = row(i)
                    if need_total and (total := _num(cells[pos["memory.total"]])) is not None:
                        cols.mem_total_mib, need_total = total, False
                    if need_name and (name := printable(cells[pos["name"]].strip(), 80)):
                        cols.name, need_name = name, False
                    if not (need_total or need_name):
                        break
        return chunk

    def _positional_ids(self, stamps: tuple[str, ...] | None, n: int) -> tuple[str, ...]:
        if self.gpus_per_tick is None:
            per = 1
            if stamps is not None:
                while per < n and stamps[per] == stamps[0]:
                    per += 1
            how = "equal timestamps"
            if per == 1 and stamps is not None and (grouped := _rows_per_tick(stamps[:256])) > 1:
                per, how = grouped, "timestamps that come in groups"
            self.gpus_per_tick = per
            if per > 1:
                self.reader.notes.append(f"no index column: rows taken as {per} GPUs in turn (by {how})")
        per = self.gpus_per_tick
        start = self.row_count
        return tuple(str((start + i) % per) for i in range(n))

    def _times(self, raw: tuple[str, ...] | None, ids: tuple[str, ...], n: int) -> list[float]:
        if raw is not None:
            # Several GPUs share one timestamp per query: parse each distinct one once.
            unique = list(dict.fromkeys(raw))
            parsed: list[datetime | None]
            try:
                parsed = list(map(datetime.fromisoformat, map(str.strip, map(str.replace, unique, repeat("/"), repeat("-")))))
            except ValueError:
                parsed = [_stamp(x) for x in unique]
            if self.base is None:
                self.base = next((s for s in parsed if s is not None), None)
            base = self.base
            if base is not None:
                if None in parsed:
                    self.reader.losses.add("rows with an unreadable timestamp (their time was estimated)")
                    self.base = base = _naive_utc(base)
                    seconds = [(_naive_utc(s) - base).total_seconds() if s is not None else 0.0 for s in parsed]
                else:
                    try:
                        seconds = list(map(timedelta.total_seconds, map(operator.sub, parsed, repeat(base))))
                    except TypeError:  # timestamps with a zone mixed with ones without: all taken as UTC
                        self.base = base = _naive_utc(base)
                        seconds = [(_naive_utc(p) - base).total_seconds() for p in parsed if p is not None]
                lookup = dict(zip(unique, seconds, strict=True))
                return list(map(lookup.__getitem__, raw))
            if not self.stamp_noted:
                self.stamp_noted = True
                self.reader.notes.append(
                    f"timestamps not understood (first: {printable(unique[0].strip(), 40)!r}): samples taken "
                    f"{self.reader.interval_s:g} s apart (--interval)")
        per = len(set(ids[: min(n, 4096)])) or 1
        start = self.row_count
        return [((start + i) // per) * self.reader.interval_s for i in range(n)]

    def _throttle(self, col: tuple[str, ...]) -> list[tuple[str, ...]]:
        cache = self.throttle_cache
        out = []
        for cell in col:
            found = cache.get(cell)
            if found is None:
                try:
                    found = throttle_names(int(cell.strip(), 16))
                except ValueError:
                    found = ()
                if len(cache) < 1024:
                    cache[cell] = found
            out.append(found)
        return out


class _CellFloats:
    """Numbers from cells that repeat (whole percentages, memory in use): each distinct cell converted once.

    At most ``limit`` cells are kept; a column with more distinct values is converted cell by cell.
    """

    def __init__(self, limit: int = 4096) -> None:
        self.cache: dict[str, float] = {}
        self.limit = limit

    def floats(self, cells: tuple[str, ...] | None) -> list[float | None] | None:
        """The cells as floats (``ValueError`` for one that is not a number), None for no column."""
        if cells is None:
            return None
        cache = self.cache
        if len(cache) < self.limit:
            try:
                return list(map(cache.__getitem__, cells))
            except KeyError:
                for cell in set(cells).difference(cache):
                    cache[cell] = float(cell)
                if len(cache) <= self.limit:
                    return list(map(cache.__getitem__, cells))
        return list(map(float, cells))


# The units nvidia-smi prints after the numbers the analysis reads (none with ``--format=csv,nounits``).
_NUMBER_UNITS = {"utilization.gpu": (" %",), "memory.used": (" MiB",), "power.draw": (" W",)}


def _unit_of(cells: Iterable[str], units: tuple[str, ...]) -> str:
    """The unit the first number among ``cells`` is printed with ("" for none, or when no cell holds a number)."""
    for cell in cells:
        for unit in (*units, ""):
            number = cell[: len(cell) - len(unit)] if unit and cell.endswith(unit) else cell if not unit else None
            if number is None:
                continue
            try:
                float(number)
            except ValueError:
                continue
            return unit
    return ""


def _lines_then(first: Iterable[str], handle: IO[str]) -> Iterator[str]:
    """The lines of ``first`` and then the rest of ``handle``, a partial last line of ``first`` joined to its end."""
    last = ""
    for line in first:
        if last:
            yield last
        last = line
    if last and not last.endswith(("\n", "\r")):
        last += handle.readline()
    if last:
        yield last
    yield from handle


def _rows_per_tick(stamps: Sequence[str]) -> int:
    """How many rows one query gives, from timestamps that come in tight groups (1 when they do not).

    ``nvidia-smi --query-gpu`` stamps each GPU's row on its own (``-lms`` shows it: a few ms apart),
    so GPUs without an index column still come as groups: gaps inside a group under a tenth of the
    gaps between groups, the same group size all through.
    """
    parsed = [_stamp(x) for x in stamps]
    known = [p for p in parsed if p is not None]
    if len(known) < 8 or len(known) != len(parsed):
        return 1
    try:
        gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(known)]
    except TypeError:
        return 1
    big = max(gaps)
    if big <= 0:
        return 1
    cuts = [i for i, gap in enumerate(gaps) if gap > big / 10]
    per = cuts[0] + 1
    if per == 1 or len(cuts) < 2:
        return 1
    # Every cut where a group of ``per`` ends, and no other.
    if cuts != list(range(per - 1, len(gaps), per)):
        return 1
    return per


def _naive_utc(stamp: datetime) -> datetime:
    """A timestamp without a zone: one with a zone converted to UTC, one without taken as it is."""
    return stamp.astimezone(timezone.utc).replace(tzinfo=None) if stamp.tzinfo is not None else stamp


def _stamp(text: str) -> datetime | None:
    text = text.strip()
    try:
        return datetime.fromisoformat(text.replace("/", "-"))
    except ValueError:
        pass
    # Seconds (or milliseconds) since the epoch, as recorders that write `date +%s` or time.time() give.
    if text[:1].isdigit() and text.replace(".", "", 1).isdigit():
        value = float(text)
        if value > 1e11:
            value /= 1000.0
        if 1e8 < value < 1e10:
            return datetime.fromtimestamp(value, timezone.utc).replace(tzinfo=None)
    return None


def _floats(col: tuple[str, ...]) -> list[float | None]:
    try:
        return list(map(float, col))
    except ValueError:
        pass
    try:
        return list(map(float, map(str.rstrip, col, repeat(" %MiBWHz"))))
    except ValueError:
        return [_num(c) for c in col]


def _group(ids: tuple[str, ...]) -> list[tuple[str, slice | list[int]]]:
    """Rows per GPU: slices when the GPUs come in a fixed turn (the usual case), else index lists."""
    n = len(ids)
    distinct = list(dict.fromkeys(ids[: min(n, 256)]))
    per = len(distinct)
    if per and ids[:per] == tuple(distinct):
        pattern = ids[:per]
        full = pattern * (n // per) + pattern[: n % per]
        if full == ids:
            return [(gpu, slice(i, None, per)) for i, gpu in enumerate(pattern)]
    groups: dict[str, list[int]] = {}
    for i, gpu in enumerate(ids):
        groups.setdefault(gpu, []).append(i)
    return list(groups.items())


_T = TypeVar("_T")


def _take(values: Sequence[_T], rows: slice | list[int]) -> list[_T]:
    if isinstance(rows, slice):
        return list(values[rows])
    return [values[i] for i in rows]


def _gpu_label(raw: str) -> str:
    return printable(raw.strip(), 40) or "0"


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a trace streams through.

    Reading creates a list per row and nothing that forms a cycle, so reference counting frees
    it all; the collector would only rescan the rows of the current block over and over (about
    a fifth of the reading time on a large CSV, measured in bench/monitor_bench.py).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_trace(path: str, *, interval_s: float = 1.0, columns: list[str] | None = None) -> TraceReader:
    """A reader for the trace at ``path`` (its ``chunks()`` streams the samples)."""
    return TraceReader(path, interval_s=interval_s, columns=columns)


def read_text(text: str, **options: object) -> list[Chunk]:
    """Read a whole trace given as text (tests and small pastes); streams like ``read_trace`` underneath."""
    import os
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".trace", delete=False, encoding="utf-8") as handle:
        handle.write(text)
        path = handle.name
    try:
        return list(TraceReader(path, **options).chunks())  # type: ignore[arg-type]
    finally:
        os.unlink(path)


__all__ = ["FORMATS", "TraceError", "TraceReader", "clean_line", "io", "read_trace", "sniff", "throttle_names"]
