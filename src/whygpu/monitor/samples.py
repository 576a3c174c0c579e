"""The plain data a monitor run is made of: GPU samples in columns, process-tree samples, and what was lost."""

from __future__ import annotations

from dataclasses import dataclass, field

from whygpu.safetext import strip_controls


def printable(text: str, limit: int = 200) -> str:
    """``text`` from a trace or NVML made safe to print (``safetext.strip_controls``) and cut to ``limit`` characters."""
    cleaned = strip_controls(text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


@dataclass(frozen=True)
class ProcessUse:
    """One process seen on a GPU: its PID as NVML reports it, its memory, and whether it is the monitored job's.

    ``ours`` is None when it cannot be told (host PIDs inside a container, or a trace without it).
    """

    pid: int
    used_mib: float | None
    ours: bool | None
    kind: str = "compute"  # "compute" or "graphics"


@dataclass
class GpuColumns:
    """Samples of one GPU in columns (one entry per sample); a missing value is None.

    ``processes`` is None when the source cannot know them (nvidia-smi CSV, dmon, DCGM), else one
    tuple per sample.
    """

    gpu: str
    t: list[float] = field(default_factory=list)
    util: list[float | None] = field(default_factory=list)
    mem_used_mib: list[float | None] = field(default_factory=list)
    mem_total_mib: float | None = None
    power_w: list[float | None] = field(default_factory=list)
    sm_clock_mhz: list[float | None] = field(default_factory=list)
    throttle: list[tuple[str, ...]] = field(default_factory=list)
    processes: list[tuple[ProcessUse, ...]] | None = None
    name: str = ""
    # NVML's per-process utilisation split: the job's processes' SM utilisation and the other
    # processes', per sample (None where it could not be attributed); None when never known.
    job_sm: list[float | None] | None = None
    other_sm: list[float | None] | None = None

    def append(
        self, t: float, util: float | None, mem_used_mib: float | None, *, power_w: float | None = None,
        sm_clock_mhz: float | None = None, throttle: tuple[str, ...] = (),
        processes: tuple[ProcessUse, ...] | None = None, sm_split: tuple[float | None, float | None] | None = None,
    ) -> None:
        """Add one sample (``sm_split``: the job's and the others' SM utilisation, when NVML could tell)."""
        self.t.append(t)
        self.util.append(util)
        self.mem_used_mib.append(mem_used_mib)
        self.power_w.append(power_w)
        self.sm_clock_mhz.append(sm_clock_mhz)
        self.throttle.append(throttle)
        if processes is not None:
            if self.processes is None:
                self.processes = [()] * (len(self.t) - 1)
            self.processes.append(processes)
        elif self.processes is not None:
            self.processes.append(())
        if sm_split is not None:
            if self.job_sm is None or self.other_sm is None:
                self.job_sm = [None] * (len(self.t) - 1)
                self.other_sm = [None] * (len(self.t) - 1)
            self.job_sm.append(sm_split[0])
            self.other_sm.append(sm_split[1])
        elif self.job_sm is not None and self.other_sm is not None:
            self.job_sm.append(None)
            self.other_sm.append(None)

    def __len__(self) -> int:
        return len(self.t)


@dataclass(frozen=True)
class ProcessSample:
    """The monitored process tree at one moment: its CPU seconds so far, whether it is alive, how many processes."""

    t: float
    cpu_seconds: float | None
    alive: bool
    processes: int = 1


@dataclass
class Chunk:
    """A batch of samples as a reader or the live sampler hands them on: per-GPU columns and process samples."""

    gpus: dict[str, GpuColumns] = field(default_factory=dict)
    process: list[ProcessSample] = field(default_factory=list)

    def columns(self, gpu: str) -> GpuColumns:
        """The columns of ``gpu``, created empty on first use."""
        found = self.gpus.get(gpu)
        if found is None:
            found = self.gpus[gpu] = GpuColumns(gpu)
        return found


@dataclass
class Losses:
    """What could not be read or sampled, counted, with the first example kept for the report."""

    count: int = 0
    first: str = ""
    gaps_s: float = 0.0

    def add(self, what: str, n: int = 1) -> None:
        """Count ``n`` lost items; the first reason is kept."""
        if not self.first:
            self.first = printable(what)
        self.count += n
