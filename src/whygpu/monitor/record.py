"""``--record FILE``: writes samples as they come (CSV or JSONL by the file's extension), one flush per interval."""

from __future__ import annotations

import contextlib
import csv
import json
from typing import IO

from whygpu.monitor.samples import Chunk, GpuColumns

CSV_FIELDS = ("t", "gpu", "name", "util_percent", "mem_used_mib", "mem_total_mib", "power_w", "sm_clock_mhz",
              "throttle", "processes", "proc_cpu_s", "proc_alive", "proc_n", "lost", "sm_split")


class Recorder:
    """Appends each chunk to the trace file and flushes; a write failure stops recording, never the job."""

    def __init__(self, path: str, *, interval_s: float, command: str = "") -> None:
        self.path = path
        self.csv = path.lower().endswith(".csv")
        self.error: str | None = None
        self._handle: IO[str] | None = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - kept open for the run
        if self.csv:
            self._handle.write(f"# whygpu trace v1 interval={interval_s:g}\n")
            self._writer = csv.writer(self._handle)
            self._writer.writerow(CSV_FIELDS)
        else:
            self._handle.write(json.dumps({"whygpu_trace": 1, "interval_s": interval_s, "command": command}) + "\n")
        self._handle.flush()

    def write(self, chunk: Chunk, lost: str | None = None, t: float | None = None) -> None:
        """Write one tick (every GPU at one moment, the process sample, or what was lost)."""
        if self._handle is None:
            return
        try:
            if self.csv:
                self._write_csv(chunk, lost, t)
            else:
                self._write_jsonl(chunk, lost, t)
            self._handle.flush()
        except (OSError, ValueError) as exc:  # ValueError: the file was closed under us
            self.error = f"recording to {self.path} stopped: {getattr(exc, 'strerror', None) or exc}"
            self.close()

    def _write_jsonl(self, chunk: Chunk, lost: str | None, t: float | None) -> None:
        assert self._handle is not None
        proc = chunk.process[-1] if chunk.process else None
        gpus = []
        stamp = t
        for gpu, cols in chunk.gpus.items():
            for i in range(len(cols)):
                stamp = cols.t[i]
                item: dict[str, object] = {
                    "gpu": gpu, "util": cols.util[i], "mem_used_mib": cols.mem_used_mib[i], "power_w": cols.power_w[i],
                    "sm_clock_mhz": cols.sm_clock_mhz[i], "throttle": list(cols.throttle[i]),
                }
                if cols.name:
                    item["name"] = cols.name
                if cols.mem_total_mib is not None:
                    item["mem_total_mib"] = cols.mem_total_mib
                if cols.processes is not None:
                    item["processes"] = [{"pid": p.pid, "mib": p.used_mib, "ours": p.ours, "kind": p.kind}
                                         for p in cols.processes[i]]
                split = _split(cols, i)
                if split is not None:
                    item["sm_split"] = list(split)
                gpus.append(item)
        if proc is not None:
            stamp = proc.t
        record: dict[str, object] = {"t": round(stamp or 0.0, 3), "gpus": gpus}
        if proc is not None:
            record["proc"] = {"cpu_s": proc.cpu_seconds, "alive": proc.alive, "n": proc.processes}
        if lost:
            record["lost"] = lost
        self._handle.write(json.dumps(record, separators=(",", ":")) + "\n")

    def _write_csv(self, chunk: Chunk, lost: str | None, t: float | None) -> None:
        proc = chunk.process[-1] if chunk.process else None
        pcols = ["", "", ""] if proc is None else [
            "" if proc.cpu_seconds is None else f"{proc.cpu_seconds:.2f}", "1" if proc.alive else "0", str(proc.processes)]
        wrote = False
        for gpu, cols in chunk.gpus.items():
            for i in range(len(cols)):
                procs = ""
                if cols.processes is not None:
                    procs = ";".join(f"{p.pid}:{'' if p.used_mib is None else f'{p.used_mib:.0f}'}:"
                                     f"{'' if p.ours is None else int(p.ours)}:{p.kind}" for p in cols.processes[i]) or "-"
                self._writer.writerow([f"{cols.t[i]:.3f}", gpu, cols.name, _cell(cols.util[i]), _cell(cols.mem_used_mib[i]),
                                       _cell(cols.mem_total_mib), _cell(cols.power_w[i]), _cell(cols.sm_clock_mhz[i]),
                                       ";".join(cols.throttle[i]), procs, *pcols, lost or "",
                                       "" if (split := _split(cols, i)) is None else f"{split[0]:g}:{split[1]:g}"])
                wrote = True
        if not wrote and lost:
            self._writer.writerow([f"{(t or 0.0):.3f}", "", "", "", "", "", "", "", "", "", *pcols, lost, ""])

    def close(self) -> None:
        """Close the file."""
        handle, self._handle = self._handle, None
        if handle is not None:
            with contextlib.suppress(OSError):
                handle.close()


def _split(cols: GpuColumns, i: int) -> tuple[float, float] | None:
    """Sample ``i``'s split of SM utilisation between the job and the others, when NVML told it."""
    if cols.job_sm is None or cols.other_sm is None:
        return None
    job, other = cols.job_sm[i], cols.other_sm[i]
    return None if job is None or other is None else (job, other)


def _cell(value: float | None) -> str:
    return "" if value is None else f"{value:g}"
