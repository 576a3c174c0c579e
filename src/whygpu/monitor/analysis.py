"""Pure analysis: a stream of sample chunks in, per-GPU statistics and verdicts out, in bounded memory.

Nothing here touches the system. Statistics are kept online: sums and counts, a histogram of
utilisation rounded to 0.1 percentage point (at most 1,001 bins, so median and p95 are exact for
the integer percentages NVML, nvidia-smi and dmon print, and within 0.05 point otherwise), and
a downsampled series of at most ``max_points`` points per GPU for the plot and for the timing
verdicts (merged pairwise as it fills, so its resolution is the run's length / ``max_points``).
"""

from __future__ import annotations

import enum
import operator
from collections import Counter
from dataclasses import dataclass, field
from itertools import repeat
from typing import cast

from whygpu.monitor.samples import Chunk, GpuColumns, Losses, ProcessSample


@dataclass(frozen=True)
class Thresholds:
    """Where the verdicts draw their lines; one place, each with the reason in the design doc."""

    idle_util_percent: float = 5.0  # a sample below this is idle
    allocated_idle_p95: float = 10.0  # memory held and p95 below this: allocated but idle
    underused_mean: float = 50.0  # memory held and mean below this (with bursts): underused
    held_mib: float = 256.0  # device-level memory above the idle floor that counts as held
    left_min_s: float = 10.0  # memory released at least this long before the end...
    left_min_share: float = 0.2  # ...and for at least this share of the run: left the GPU
    cpu_busy_cores: float = 0.5  # the job's processes used at least this many cores on average
    busy_other_mib: float = 1024.0  # other processes holding this much memory make the GPU busy
    shared_other_sm: float = 5.0  # other processes' mean SM use from this on: the job's own share is judged
    busy_other_sm: float = 25.0  # other processes' mean SM use from this on makes the GPU busy
    split_coverage: float = 0.8  # share of samples NVML's per-process utilisation must cover to be used
    min_samples: int = 5  # fewer samples than this: no verdict


@dataclass
class Point:
    """One point of the downsampled series: a time span and what the GPU did in it."""

    t0: float
    t1: float
    n: int
    util_sum: float
    util_n: int
    util_max: float | None
    mem_max: float | None
    mem_min: float | None
    ours_mib: float | None  # None: no process of the job seen in the span (or unknown)

    @property
    def util_mean(self) -> float | None:
        """Mean utilisation in the span, None when no sample carried one."""
        return self.util_sum / self.util_n if self.util_n else None

    def merge(self, other: Point) -> Point:
        """The span covering both points."""
        return Point(
            self.t0, other.t1, self.n + other.n, self.util_sum + other.util_sum, self.util_n + other.util_n,
            _max(self.util_max, other.util_max), _max(self.mem_max, other.mem_max),
            _min(self.mem_min, other.mem_min), _max(self.ours_mib, other.ours_mib),
        )


def _present(values: list[float | None]) -> list[float]:
    """The values that are not None (the common case, none missing, costs one C-level scan)."""
    if None not in values:
        return values  # type: ignore[return-value]
    return [v for v in values if v is not None]


def _present_sum(values: list[float | None]) -> tuple[list[float], float]:
    """The readings present and their sum; a missing one (None) makes ``sum`` raise, so no scan for None first."""
    try:
        return cast("list[float]", values), sum(cast("list[float]", values))
    except TypeError:
        present = [v for v in values if v is not None]
        return present, sum(present)


def _present_max_min(values: list[float | None]) -> tuple[float, float] | None:
    """The largest and smallest reading present, None when none is (a missing one makes ``max`` raise)."""
    if len(values) > 1:
        try:
            return max(cast("list[float]", values)), min(cast("list[float]", values))
        except TypeError:
            pass
    present = [v for v in values if v is not None]
    return (max(present), min(present)) if present else None


def _max(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else max(a, b)


def _min(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else min(a, b)


_NONE = float("-inf")  # "no value" inside the series columns (max() of it and a value is the value)


class Series:
    """A downsampled series in columns, at most ``max_points`` long: full buckets of ``bucket`` samples each.

    When it fills, neighbouring points merge pairwise and the bucket doubles; the merges and, when
    no value is missing, the bucket sums are C-level ``map`` calls (a day at 1 s is 86,400 samples
    per GPU).
    """

    def __init__(self, max_points: int) -> None:
        self.max_points = max(4, max_points - max_points % 2)
        self.bucket = 1
        self.t0: list[float] = []
        self.t1: list[float] = []
        self.n: list[int] = []
        self.usum: list[float] = []
        self.un: list[int] = []
        self.mmax: list[float] = []
        self.omax: list[float] = []
        self.pend_t: list[float] = []
        self.pend_u: list[float | None] = []
        self.pend_m: list[float | None] = []
        self.pend_o: list[float | None] = []
        self.any_ours = False

    def __len__(self) -> int:
        return len(self.t0)

    def extend(self, t: list[float], util: list[float | None], mem: list[float | None],
               ours: list[float | None] | None) -> None:
        """Add samples; full buckets become points."""
        self.pend_t.extend(t)
        self.pend_u.extend(util)
        self.pend_m.extend(mem)
        if ours is not None:
            self.any_ours = True
            self.pend_o.extend(ours)
        else:
            self.pend_o.extend([None] * len(t))
        self._flush()

    def _flush(self) -> None:
        while True:
            size = self.bucket
            room = self.max_points - len(self.t0)
            k = min(len(self.pend_t) // size, room)
            if k <= 0:
                return
            end = k * size
            u, m, o = self.pend_u[:end], self.pend_m[:end], self.pend_o[:end]
            self.t0.extend(self.pend_t[0:end:size])
            self.t1.extend(self.pend_t[size - 1:end:size])
            self.n.extend([size] * k)
            sums: list[float] | None = None
            maxes: list[float] | None = None
            if not self.any_ours and (size > 1 or None not in m):
                cuts = list(map(slice, range(0, end, size), range(size, end + 1, size)))
                try:
                    # A missing reading makes sum() or max() raise: no separate scan for None.
                    sums = list(map(sum, map(cast("list[float]", u).__getitem__, cuts)))
                    maxes = list(map(max, map(cast("list[float]", m).__getitem__, cuts)))
                except TypeError:
                    sums = maxes = None
            if sums is not None and maxes is not None:
                self.usum.extend(sums)
                self.un.extend([size] * k)
                self.mmax.extend(maxes)
                self.omax.extend([_NONE] * k)
            else:
                for start in range(0, end, size):
                    us = _present(u[start:start + size])
                    ms = _present(m[start:start + size])
                    os_ = _present(o[start:start + size])
                    self.usum.append(sum(us))
                    self.un.append(len(us))
                    self.mmax.append(max(ms) if ms else _NONE)
                    self.omax.append(max(os_) if os_ else _NONE)
            for pend in (self.pend_t, self.pend_u, self.pend_m, self.pend_o):
                del pend[:end]
            if len(self.t0) >= self.max_points:
                self._halve()

    def _halve(self) -> None:
        add = operator.add
        self.t0 = self.t0[::2]
        self.t1 = self.t1[1::2]
        self.n = list(map(add, self.n[::2], self.n[1::2]))
        self.usum = list(map(add, self.usum[::2], self.usum[1::2]))
        self.un = list(map(add, self.un[::2], self.un[1::2]))
        self.mmax = list(map(max, self.mmax[::2], self.mmax[1::2]))
        self.omax = list(map(max, self.omax[::2], self.omax[1::2]))
        self.bucket *= 2

    def points(self) -> list[Point]:
        """The series as points, the samples not yet making a full bucket as a last point."""
        out = [Point(a, b, n, us, un, None, None if mm == _NONE else mm, None, None if om == _NONE else om)
               for a, b, n, us, un, mm, om in zip(self.t0, self.t1, self.n, self.usum, self.un, self.mmax, self.omax,
                                                  strict=True)]
        if self.pend_t:
            us = _present(self.pend_u)
            ms = _present(self.pend_m)
            os_ = _present(self.pend_o)
            out.append(Point(self.pend_t[0], self.pend_t[-1], len(self.pend_t), sum(us), len(us), None,
                             max(ms) if ms else None, None, max(os_) if os_ else None))
        return out


class GpuAccumulator:
    """Online statistics of one GPU; memory stays bounded whatever the length of the run."""

    def __init__(self, gpu: str, max_points: int = 2000) -> None:
        self.gpu = gpu
        self.name = ""
        self.samples = 0
        self.t_first: float | None = None
        self.t_last: float | None = None
        self.util_n = 0
        self.util_sum = 0.0
        self.util_hist: Counter[float] = Counter()
        self.mem_peak: float | None = None
        self.mem_min: float | None = None
        self.mem_total: float | None = None
        self.power_sum = 0.0
        self.power_n = 0
        self.throttle: Counter[str] = Counter()
        self.with_processes = 0
        self.ours_seen = False
        self.ours_unknown = 0
        self.ours_peak_mib: float | None = None
        self.others: dict[int, float] = {}  # pid -> peak MiB, at most 20 kept
        self.series_data = Series(max_points)
        # NVML's per-process utilisation: samples where the job's and the others' SM use were told apart.
        self.split_n = 0
        self.job_sm_sum = 0.0
        self.job_sm_hist: Counter[float] = Counter()
        self.other_sm_sum = 0.0

    def add(self, cols: GpuColumns) -> None:
        """Take in a batch of this GPU's samples."""
        count = len(cols.t)
        if not count:
            return
        if cols.name:
            self.name = cols.name
        if cols.mem_total_mib is not None:
            self.mem_total = cols.mem_total_mib
        self.samples += count
        if self.t_first is None:
            self.t_first = cols.t[0]
        self.t_last = cols.t[-1]
        utils, util_total = _present_sum(cols.util)
        if utils:
            self.util_n += len(utils)
            self.util_sum += util_total
            if all(map(float.is_integer, utils)):
                self.util_hist.update(utils)  # whole percentages: at most 101 keys
            else:
                self.util_hist.update(map(round, utils, repeat(1)))
        extremes = _present_max_min(cols.mem_used_mib)
        if extremes is not None:
            self.mem_peak = _max(self.mem_peak, extremes[0])
            self.mem_min = _min(self.mem_min, extremes[1])
        powers, power_total = _present_sum(cols.power_w)
        if powers:
            self.power_n += len(powers)
            self.power_sum += power_total
        for reasons in filter(None, cols.throttle):
            self.throttle.update(reasons)
        ours = [self._processes(procs) for procs in cols.processes] if cols.processes is not None else None
        self.series_data.extend(cols.t, cols.util, cols.mem_used_mib, ours)
        if cols.job_sm is not None and cols.other_sm is not None:
            for job, other in zip(cols.job_sm, cols.other_sm, strict=True):
                if job is not None and other is not None:
                    self.split_n += 1
                    self.job_sm_sum += job
                    self.other_sm_sum += other
                    self.job_sm_hist[round(job, 1)] += 1

    def _processes(self, procs: tuple[object, ...]) -> float | None:
        from whygpu.monitor.samples import ProcessUse

        self.with_processes += 1
        ours: float | None = None
        for proc in procs:
            if not isinstance(proc, ProcessUse):
                continue
            mib = proc.used_mib
            if proc.ours is True:
                self.ours_seen = True
                ours = (ours or 0.0) + (mib or 0.0)
            elif proc.ours is None:
                self.ours_unknown += 1
            else:
                if proc.pid in self.others or len(self.others) < 20:
                    self.others[proc.pid] = max(self.others.get(proc.pid, 0.0), mib or 0.0)
        if ours is not None:
            self.ours_peak_mib = _max(self.ours_peak_mib, ours)
        return ours

    def series(self) -> list[Point]:
        """The downsampled series (see ``Series``)."""
        return self.series_data.points()

    def percentile(self, q: float) -> float | None:
        """The nearest-rank ``q`` quantile (0..1) of utilisation, from the histogram."""
        return _percentile(self.util_hist, self.util_n, q)

    def idle_share(self, threshold: float) -> float | None:
        """Share of the samples with utilisation below ``threshold``."""
        if not self.util_n:
            return None
        idle = sum(count for value, count in self.util_hist.items() if value < threshold)
        return idle / self.util_n


def _percentile(hist: Counter[float], n: int, q: float) -> float | None:
    """The nearest-rank ``q`` quantile (0..1) of ``n`` values counted in ``hist``."""
    if not n:
        return None
    rank = max(1, int(-(-q * n // 1)))
    seen = 0
    for value in sorted(hist):
        seen += hist[value]
        if seen >= rank:
            return value
    return max(hist)


class ProcessAccumulator:
    """Online view of the monitored process tree: CPU use and how long it stayed alive."""

    def __init__(self) -> None:
        self.first: ProcessSample | None = None
        self.last_cpu: ProcessSample | None = None
        self.first_cpu: ProcessSample | None = None
        self.last_alive_t: float | None = None
        self.max_processes = 0

    def add(self, sample: ProcessSample) -> None:
        """Take in one process-tree sample."""
        if self.first is None:
            self.first = sample
        if sample.cpu_seconds is not None:
            if self.first_cpu is None:
                self.first_cpu = sample
            self.last_cpu = sample
        if sample.alive:
            self.last_alive_t = sample.t
            self.max_processes = max(self.max_processes, sample.processes)

    def cpu_cores(self) -> float | None:
        """Mean number of cores the tree kept busy, None when unknown."""
        first, last = self.first_cpu, self.last_cpu
        if first is None or last is None or last.t <= first.t:
            return None
        assert first.cpu_seconds is not None and last.cpu_seconds is not None
        return max(0.0, (last.cpu_seconds - first.cpu_seconds) / (last.t - first.t))


class Analyzer:
    """Feeds chunks to per-GPU accumulators; ``finish`` gives the statistics and the verdicts."""

    def __init__(self, thresholds: Thresholds | None = None, max_points: int = 2000) -> None:
        self.thresholds = thresholds or Thresholds()
        self.max_points = max_points
        self.gpus: dict[str, GpuAccumulator] = {}
        self.process = ProcessAccumulator()

    def feed(self, chunk: Chunk) -> None:
        """Take in one chunk of samples."""
        for gpu, cols in chunk.gpus.items():
            acc = self.gpus.get(gpu)
            if acc is None:
                acc = self.gpus[gpu] = GpuAccumulator(gpu, self.max_points)
            acc.add(cols)
        for sample in chunk.process:
            self.process.add(sample)

    def finish(self, *, attribution: str = "device") -> Analysis:
        """Statistics and verdicts for everything fed so far."""
        stats = [gpu_stats(acc, self.thresholds, attribution) for acc in _ordered(self.gpus)]
        cores = self.process.cpu_cores()
        verdicts = judge(stats, cores, self.thresholds, attribution, self.process.last_alive_t)
        return Analysis(gpus=stats, verdicts=verdicts, cpu_cores=cores, attribution=attribution,
                        thresholds=self.thresholds)


def _ordered(gpus: dict[str, GpuAccumulator]) -> list[GpuAccumulator]:
    def key(gpu: str) -> tuple[int, str]:
        head = gpu.split("/", 1)[0]
        return (int(head), gpu) if head.isdigit() else (1 << 30, gpu)

    return [gpus[k] for k in sorted(gpus, key=key)]


@dataclass
class GpuStats:
    """What one GPU did over the run (the numbers every verdict carries)."""

    gpu: str
    name: str
    samples: int
    duration_s: float
    util_mean: float | None
    util_median: float | None
    util_p95: float | None
    util_max: float | None
    idle_share: float | None
    mem_peak_mib: float | None
    mem_total_mib: float | None
    power_mean_w: float | None
    throttle: dict[str, int]
    processes_known: bool
    ours_seen: bool
    ours_peak_mib: float | None
    others_mib: dict[int, float]
    held_from_t: float | None  # first moment the job (or, at device level, anything) held memory
    held_until_t: float | None  # last such moment
    released_for_s: float | None  # how long before the end the memory had been released
    held_util_mean: float | None  # mean utilisation while memory was held (series resolution)
    t_first: float
    t_last: float
    series: list[Point] = field(default_factory=list)
    # The job's own SM utilisation and the other processes' (NVML per-process samples), when they
    # covered the run; None otherwise (not supported, host PIDs, a trace without them).
    job_util_mean: float | None = None
    job_util_median: float | None = None
    job_util_p95: float | None = None
    other_util_mean: float | None = None

    def to_json(self) -> dict[str, object]:
        """The statistics as JSON (the series left out; the plot carries it)."""
        return {
            "gpu": self.gpu, "name": self.name, "samples": self.samples, "duration_s": _r(self.duration_s),
            "utilization_percent": {"mean": _r(self.util_mean), "median": _r(self.util_median),
                                    "p95": _r(self.util_p95), "max": _r(self.util_max)},
            "idle_share": _r(self.idle_share, 3), "memory_peak_mib": _r(self.mem_peak_mib),
            "memory_total_mib": _r(self.mem_total_mib), "power_mean_w": _r(self.power_mean_w),
            "throttle_reasons": dict(self.throttle), "job_seen": self.ours_seen if self.processes_known else None,
            "job_memory_peak_mib": _r(self.ours_peak_mib),
            "other_processes_mib": {str(k): _r(v) for k, v in self.others_mib.items()},
            "released_for_s": _r(self.released_for_s),
            **({"job_utilization_percent": {"mean": _r(self.job_util_mean), "median": _r(self.job_util_median),
                                            "p95": _r(self.job_util_p95)},
                "other_processes_utilization_percent": _r(self.other_util_mean)}
               if self.job_util_mean is not None else {}),
        }


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def gpu_stats(acc: GpuAccumulator, th: Thresholds, attribution: str) -> GpuStats:
    """Close one GPU's accumulator into its statistics."""
    series = acc.series()
    t_first = acc.t_first if acc.t_first is not None else 0.0
    t_last = acc.t_last if acc.t_last is not None else t_first
    floor = min(acc.mem_min if acc.mem_min is not None else 0.0, th.held_mib)
    device_held = [p for p in series if p.mem_max is not None and p.mem_max - floor >= th.held_mib]
    by_process = attribution in ("process", "lists") and acc.with_processes > 0 and not acc.ours_unknown
    if by_process and not acc.ours_seen and not acc.others and device_held:
        # Memory was used but NVML listed no process at all (WSL, some containers): not attributable.
        by_process = False
    held = [p for p in series if p.ours_mib is not None] if by_process else device_held
    held_from = held[0].t0 if held else None
    held_until = held[-1].t1 if held else None
    released = t_last - held_until if held_until is not None else None
    util_n = sum(p.util_n for p in held)
    held_util = sum(p.util_sum for p in held) / util_n if util_n else None
    return GpuStats(
        gpu=acc.gpu, name=acc.name, samples=acc.samples, duration_s=t_last - t_first,
        util_mean=acc.util_sum / acc.util_n if acc.util_n else None,
        util_median=acc.percentile(0.5), util_p95=acc.percentile(0.95),
        util_max=max(acc.util_hist) if acc.util_hist else None,
        idle_share=acc.idle_share(th.idle_util_percent), mem_peak_mib=acc.mem_peak, mem_total_mib=acc.mem_total,
        power_mean_w=acc.power_sum / acc.power_n if acc.power_n else None,
        throttle=dict(acc.throttle.most_common(5)), processes_known=by_process, ours_seen=acc.ours_seen,
        ours_peak_mib=acc.ours_peak_mib, others_mib=dict(acc.others), held_from_t=held_from,
        held_until_t=held_until, released_for_s=released, held_util_mean=held_util,
        t_first=t_first, t_last=t_last, series=series, **_split_stats(acc, th),
    )


def _split_stats(acc: GpuAccumulator, th: Thresholds) -> dict[str, float | None]:
    """The job's and the others' SM utilisation, when NVML's per-process samples covered the run."""
    if acc.split_n < max(th.min_samples, th.split_coverage * acc.samples):
        return {}
    return {"job_util_mean": acc.job_sm_sum / acc.split_n, "job_util_median": _percentile(acc.job_sm_hist, acc.split_n, 0.5),
            "job_util_p95": _percentile(acc.job_sm_hist, acc.split_n, 0.95), "other_util_mean": acc.other_sm_sum / acc.split_n}


class Kind(str, enum.Enum):
    """The verdicts of issue 12, plus the two a careful tool needs (a GPU the job did not use; too little data)."""

    NEVER_TOUCHED = "never touched the GPU"
    LEFT = "left the GPU"
    ALLOCATED_IDLE = "allocated but idle"
    INPUT_BOUND = "input-bound"
    BUSY = "busy"
    HEALTHY = "healthy"
    UNUSED = "not used by the job"
    UNKNOWN = "not enough data"


@dataclass(frozen=True)
class Verdict:
    """One verdict on one GPU (or, for never touched, on the run), with its evidence."""

    kind: Kind
    gpu: str | None
    evidence: tuple[str, ...]
    confidence: str = "high"


@dataclass
class Analysis:
    """Per-GPU statistics and the verdicts drawn from them."""

    gpus: list[GpuStats]
    verdicts: list[Verdict]
    cpu_cores: float | None
    attribution: str
    thresholds: Thresholds


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}%"


# The evidence of a no-verdict on a trace that records no utilisation at all starts with this.
NO_UTILISATION = "no utilisation reading"
# ...and of one on a GPU whose memory use the trace does not record.
NO_MEMORY = "no memory reading"


def numbers(s: GpuStats) -> str:
    """The numbers every verdict carries, in one line."""
    idle = "n/a" if s.idle_share is None else f"{s.idle_share * 100:.0f}%"
    peak = "n/a" if s.mem_peak_mib is None else f"{s.mem_peak_mib:,.0f} MiB"
    if s.mem_peak_mib is not None and s.mem_total_mib:
        peak += f" of {s.mem_total_mib:,.0f}"
    return (f"GPU {s.gpu}: utilisation mean {_pct(s.util_mean)}, median {_pct(s.util_median)}, "
            f"p95 {_pct(s.util_p95)}; idle {idle} of {s.samples} samples; peak memory {peak}")


def judge(stats: list[GpuStats], cpu_cores: float | None, th: Thresholds, attribution: str,
          last_alive_t: float | None) -> list[Verdict]:
    """The verdicts for a run, most important first."""
    usable = [s for s in stats if s.samples >= th.min_samples and s.util_mean is not None]
    if not usable:
        total = sum(s.samples for s in stats if s.util_mean is not None)
        if not total:
            # Samples without any utilisation reading: more of them would not help.
            count = sum(s.samples for s in stats)
            return [Verdict(Kind.UNKNOWN, None, (
                f"{NO_UTILISATION} in {count} sample(s): the trace does not record utilisation "
                "(nvidia-smi utilization.gpu, dmon -s u, DCGM_FI_DEV_GPU_UTIL)",))]
        return [Verdict(Kind.UNKNOWN, None, (f"only {total} sample(s) with a utilisation reading; "
                                             f"at least {th.min_samples} are needed for a verdict",))]
    by_process = attribution in ("process", "lists") and all(s.processes_known for s in usable)
    verdicts: list[Verdict] = []
    if not by_process:
        # A GPU whose memory use the trace does not record: utilisation alone shows a busy GPU, but
        # cannot tell an idle job from one that never used the GPU (no "never touched" without memory).
        blind = [s for s in usable if s.mem_peak_mib is None]
        for s in blind:
            if (s.util_mean or 0.0) >= th.underused_mean:
                verdicts.append(Verdict(Kind.HEALTHY, s.gpu, (numbers(s),)))
            else:
                verdicts.append(Verdict(Kind.UNKNOWN, s.gpu, (
                    f"{NO_MEMORY} for GPU {s.gpu}: utilisation alone (mean {_pct(s.util_mean)}, p95 "
                    f"{_pct(s.util_p95)}) cannot tell a job that fed the GPU slowly from one that did not use it "
                    "(record memory.used, dmon -s um, DCGM_FI_DEV_FB_USED)", numbers(s))))
        usable = [s for s in usable if s.mem_peak_mib is not None]
        if not usable:
            return verdicts
    used = [s for s in usable if (s.ours_seen if by_process else s.held_from_t is not None)]
    busy = [s for s in usable if (s.others_mib and max(s.others_mib.values()) >= th.busy_other_mib)
            or (s.other_util_mean is not None and s.other_util_mean >= th.busy_other_sm)]
    if not used:
        where = "the job's processes" if by_process else "anything (device level: no process information)"
        ev = [f"no memory held by {where} on any GPU during {max(s.duration_s for s in usable):.0f} s"]
        ev += [numbers(s) for s in usable]
        verdicts.append(Verdict(Kind.NEVER_TOUCHED, None, tuple(ev), "high" if by_process else "medium"))
    for s in used:
        verdicts.append(_judge_one(s, cpu_cores, th, by_process, last_alive_t))
    for s in busy:
        ev = []
        if s.others_mib and max(s.others_mib.values()) >= th.busy_other_mib:
            others = ", ".join(f"PID {pid} {mib:,.0f} MiB" for pid, mib in sorted(s.others_mib.items(), key=lambda kv: -kv[1])[:5])
            ev.append(f"other processes hold memory on GPU {s.gpu}: {others}")
        if s.other_util_mean is not None and s.other_util_mean >= th.busy_other_sm:
            ev.append(f"other processes kept GPU {s.gpu}'s SMs {_pct(s.other_util_mean)} busy on average "
                      "(NVML per-process utilisation)")
        verdicts.append(Verdict(Kind.BUSY, s.gpu, (*ev, numbers(s))))
    if used:
        for s in usable:
            if s not in used and s not in busy:
                verdicts.append(Verdict(Kind.UNUSED, s.gpu, (numbers(s),)))
    return verdicts


def _judge_one(s: GpuStats, cpu_cores: float | None, th: Thresholds, by_process: bool,
               last_alive_t: float | None) -> Verdict:
    ev = [numbers(s)]
    released = s.released_for_s or 0.0
    if (s.held_until_t is not None and released >= th.left_min_s and released >= th.left_min_share * s.duration_s
            and (last_alive_t is None or last_alive_t >= s.held_until_t + th.left_min_s)):
        who = "the job's processes" if by_process else "the GPU's memory use"
        held_from = s.held_from_t if s.held_from_t is not None else s.t_first
        ev.insert(0, f"{who} held memory from {held_from - s.t_first:.0f} s to {s.held_until_t - s.t_first:.0f} s, "
                     f"then released it while the run went on for {released:.0f} s more")
        return Verdict(Kind.LEFT, s.gpu, tuple(ev), "high" if by_process else "medium")
    mean = s.held_util_mean if s.held_util_mean is not None else s.util_mean
    p95 = s.util_p95 or 0.0
    what, held = "utilisation", "mean utilisation {} while memory was held"
    if s.job_util_mean is not None and (s.other_util_mean or 0.0) >= th.shared_other_sm:
        # A shared GPU: its utilisation is partly another's; the job's own share decides.
        mean, p95 = s.job_util_mean, s.job_util_p95 or 0.0
        what, held = "the job's own SM utilisation", "the job's own mean SM utilisation {}"
        ev.insert(0, f"GPU {s.gpu} is shared: other processes kept its SMs {_pct(s.other_util_mean)} busy on average; "
                     f"the job's own SM utilisation (NVML per-process samples): mean {_pct(mean)}, "
                     f"median {_pct(s.job_util_median)}, p95 {_pct(p95)}")
    if p95 < th.allocated_idle_p95 and (mean or 0.0) < th.idle_util_percent:
        return Verdict(Kind.ALLOCATED_IDLE, s.gpu, (f"memory allocated but {what} p95 {_pct(p95)}", *ev))
    if mean is not None and mean < th.underused_mean:
        if cpu_cores is None:
            cpu, conf = "the job's CPU use is unknown (a trace without process samples)", "medium"
        elif cpu_cores >= th.cpu_busy_cores:
            cpu, conf = f"the job's processes kept {cpu_cores:.1f} CPU cores busy on average", "high"
        else:
            cpu, conf = (f"the job's processes used only {cpu_cores:.2f} CPU cores on average: it waits on "
                         "something other than its own CPU work (disk, network, another process)"), "low"
        shape = f"in bursts (p95 {_pct(p95)})" if p95 >= th.underused_mean else f"never high (p95 {_pct(p95)})"
        return Verdict(Kind.INPUT_BOUND, s.gpu, (f"{held.format(_pct(mean))}, {shape}; {cpu}", *ev), conf)
    return Verdict(Kind.HEALTHY, s.gpu, tuple(ev))


def analyse(chunks: list[Chunk] | None = None, *, attribution: str = "device",
            thresholds: Thresholds | None = None) -> Analysis:
    """Convenience for tests and the library: analyse a list of chunks."""
    analyzer = Analyzer(thresholds)
    for chunk in chunks or []:
        analyzer.feed(chunk)
    return analyzer.finish(attribution=attribution)


__all__ = ["NO_MEMORY", "NO_UTILISATION", "Analysis", "Analyzer", "GpuStats", "Kind", "Losses", "Thresholds", "Verdict", "analyse", "judge"]
