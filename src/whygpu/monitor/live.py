"""Running (or attaching to) the job and sampling while it runs: the only part of monitor that touches processes.

The job is started, signalled and waited for through ``gateways.process`` (``start_job``,
``SignalForwarder``, ``ExitWaiter``). Its output is never touched (it inherits whygpu's stdin,
stdout and stderr); SIGINT and SIGTERM sent to whygpu are forwarded; sampling failures are recorded as losses and never stop
the job.
"""

from __future__ import annotations

import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from whygpu.facts import Unavailable
from whygpu.gateways.nvml import NvmlDeviceInfo, NvmlGpuReading, NvmlReading
from whygpu.gateways.process import ExitWaiter, SignalForwarder, start_job
from whygpu.monitor.analysis import Analyzer
from whygpu.monitor.proctree import ProcessTree, TreeSample
from whygpu.monitor.record import Recorder
from whygpu.monitor.sampler import Sampler
from whygpu.monitor.samples import Chunk, Losses, ProcessSample, ProcessUse
from whygpu.monitor.traces import throttle_names


@dataclass
class LiveResult:
    """What a live run leaves for the report."""

    exit_code: int | None = None
    signal_name: str | None = None
    wall_s: float = 0.0
    samples: int = 0
    losses: Losses = field(default_factory=Losses)
    notes: list[str] = field(default_factory=list)
    attribution: str = "device"  # "process" once a job's process is seen in NVML's lists
    lists_seen: bool = False  # NVML gave process lists at all
    hidden_pids: bool = False  # some listed PIDs are not visible here (host PIDs in a container)
    interpreter: str | None = None
    sampler_unavailable: str | None = None
    devices: list[NvmlDeviceInfo] = field(default_factory=list)
    monitor_cpu_s: float = 0.0


def reading_to_chunk(reading: NvmlReading, t: float, devices: dict[int, NvmlDeviceInfo],
                     tree: TreeSample | None, visible: Callable[[int], bool], result: LiveResult) -> Chunk:
    """One NVML reading as a chunk, each process marked as the job's, another's, or unknown (a host PID)."""
    chunk = Chunk()
    for g in reading.gpus:
        info = devices.get(g.index)
        cols = chunk.columns(str(g.index))
        if info is not None:
            cols.name = info.name
            cols.mem_total_mib = info.memory_total_mib
        procs: tuple[ProcessUse, ...] | None = None
        if g.processes is not None:
            result.lists_seen = True
            uses = []
            hidden = [p for p in g.processes if not visible(p.pid)]
            if hidden:
                result.hidden_pids = True
            for p in g.processes:
                if p in hidden:
                    ours: bool | None = None
                else:
                    ours = tree is not None and p.pid in tree.pids
                    if ours:
                        result.attribution = "process"
                uses.append(ProcessUse(p.pid, p.used_mib, ours, p.kind))
            if hidden:
                note = (f"GPU {g.index}: NVML reports PIDs this container cannot see (host PIDs); "
                        + ("it has one tenant, so its use is taken at the device level" if len(g.processes) == 1
                           else "with several tenants the job's share cannot be told apart"))
                if note not in result.notes:
                    result.notes.append(note)
            procs = tuple(uses)
        for err in g.errors:
            result.losses.add(f"GPU {g.index}: {err}")
        cols.append(t, g.util_percent, g.mem_used_mib, power_w=g.power_w, sm_clock_mhz=g.sm_clock_mhz,
                    throttle=throttle_names(g.throttle_mask) if g.throttle_mask else (), processes=procs,
                    sm_split=_sm_split(g, tree, visible, result))
    if tree is not None:
        chunk.process.append(ProcessSample(t, tree.cpu_seconds, tree.alive, len(tree.pids)))
    return chunk


def _sm_split(g: NvmlGpuReading, tree: TreeSample | None, visible: Callable[[int], bool],
              result: LiveResult) -> tuple[float, float] | None:
    """The job's and the other processes' SM utilisation from NVML's per-process samples; None when it cannot be told.

    Never guessed: a GPU without per-process samples, or a sampled PID that is not visible here (a
    host PID in a container, or a process that has ended), leaves the split unknown for the sample.
    """
    if g.process_util is None:
        note = (f"NVML gives no per-process utilisation ({g.process_util_error or 'not reported'}): "
                "each GPU's own utilisation is judged, not the job's share of it")
        if note not in result.notes and len(result.notes) < 20:
            result.notes.append(note)
        return None
    if tree is None:
        return None
    job = other = 0.0
    for pid, sm in g.process_util:
        if not visible(pid):
            if result.hidden_pids:
                note = (f"GPU {g.index}: NVML's per-process utilisation names PIDs this container cannot see: "
                        "the job's share of the GPU's utilisation is not known")
                if note not in result.notes:
                    result.notes.append(note)
            return None
        if pid in tree.pids:
            job += sm
        else:
            other += sm
    return min(100.0, job), min(100.0, other)


class Monitor:
    """Samples every ``interval_s`` into an analyser (and a recorder), until the watched process ends."""

    def __init__(self, sampler: Sampler, analyzer: Analyzer, *, interval_s: float, recorder: Recorder | None = None,
                 note: Callable[[str], None] | None = None) -> None:
        self.sampler = sampler
        self.analyzer = analyzer
        self.interval_s = interval_s
        self.recorder = recorder
        self.note = note or (lambda line: print(f"whygpu: {line}", file=sys.stderr, flush=True))
        self.result = LiveResult()
        self.devices: dict[int, NvmlDeviceInfo] = {}
        self.sampling = False
        self.last_tree: TreeSample | None = None

    def start_sampler(self) -> bool:
        """Start the sampler; False (and said at once on stderr) when there is no GPU to sample."""
        started = self.sampler.start()
        if isinstance(started, Unavailable):
            self.result.sampler_unavailable = started.reason
            self.note(f"no GPU sampling: {started.reason}; the job runs unmonitored")
            return False
        if not started:
            self.result.sampler_unavailable = "NVML sees no GPU"
            self.note("no GPU sampling: NVML sees no GPU; the job runs unmonitored")
            return False
        self.devices = {d.index: d for d in started}
        self.result.devices = list(started)
        self.sampling = True
        return True

    def tick(self, t0: float, tree: ProcessTree | None) -> None:
        """Take one sample (GPU and process tree) and hand it on."""
        t = time.monotonic() - t0
        tree_sample = tree.sample() if tree is not None else None
        self.last_tree = tree_sample
        lost: str | None = None
        if self.sampling:
            reading = self.sampler.sample()
            if isinstance(reading, Unavailable):
                lost = reading.reason
                self.result.losses.add(f"at {t:.1f} s: {reading.reason}")
                self.result.losses.gaps_s += self.interval_s
                if "stopped" in reading.reason or "exited" in reading.reason or "went away" in reading.reason:
                    self.sampling = False
                    self.note(f"GPU sampling stopped at {t:.0f} s ({reading.reason}); the job goes on")
                chunk = Chunk()
                if tree_sample is not None:
                    chunk.process.append(ProcessSample(t, tree_sample.cpu_seconds, tree_sample.alive, len(tree_sample.pids)))
            else:
                visible = tree.visible if tree is not None else (lambda pid: True)
                chunk = reading_to_chunk(reading, t, self.devices, tree_sample, visible, self.result)
                self.result.samples += 1
        else:
            chunk = Chunk()
            if tree_sample is not None:
                chunk.process.append(ProcessSample(t, tree_sample.cpu_seconds, tree_sample.alive, len(tree_sample.pids)))
        self.analyzer.feed(chunk)
        if self.recorder is not None and (chunk.gpus or lost):
            self.recorder.write(chunk, lost, t)
            if self.recorder.error:
                self.result.notes.append(self.recorder.error)
                self.note(self.recorder.error)
                self.recorder = None

    def run_command(self, argv: list[str]) -> LiveResult:
        """Run ``argv`` to its end while sampling; the job's exit code in the result."""
        forwarder = SignalForwarder()
        forwarder.install()
        cpu0 = time.process_time()
        t0 = time.monotonic()
        try:
            try:
                job = start_job(argv)
            except FileNotFoundError:
                raise JobNotStarted(f"no such command: {argv[0]}") from None
            except PermissionError:
                raise JobNotStarted(f"permission denied: {argv[0]}") from None
            except OSError as exc:
                raise JobNotStarted(f"cannot run {argv[0]}: {exc.strerror or exc}") from None
            forwarder.attach(job.pid)
            tree = ProcessTree(job.pid)
            waiter = ExitWaiter(job)
            next_tick = time.monotonic()
            while True:
                if job.poll() is not None:
                    break
                try:
                    self.tick(t0, tree)
                except Exception as exc:  # a bug in sampling must not cost the job
                    self.result.losses.add(f"sampling error {type(exc).__name__}: {exc}")
                    self.sampling = False
                next_tick += self.interval_s
                delay = next_tick - time.monotonic()
                if delay < 0:
                    next_tick = time.monotonic()
                    delay = 0
                waiter.wait(delay)
            code = job.wait()
            waiter.close()
            self.result.interpreter = tree.interpreter()
        finally:
            forwarder.restore()
            self.sampler.close()
            if self.recorder is not None:
                self.recorder.close()
        self.result.wall_s = time.monotonic() - t0
        self.result.monitor_cpu_s = time.process_time() - cpu0
        if code < 0:
            self.result.signal_name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
            self.result.exit_code = 128 - code
        else:
            self.result.exit_code = code
        return self.result

    def attach(self, pid: int) -> LiveResult:
        """Watch an already running process until it ends (or whygpu is interrupted)."""
        tree = ProcessTree(pid)
        if not tree.visible(pid):
            raise JobNotStarted(f"no process with PID {pid}")
        stop: list[int] = []
        old = {sig: signal.signal(sig, lambda s, _f: stop.append(s)) for sig in SignalForwarder.signals()}
        cpu0 = time.process_time()
        t0 = time.monotonic()
        try:
            next_tick = time.monotonic()
            while not stop and tree.visible(pid) and (self.last_tree is None or self.last_tree.alive):
                try:
                    self.tick(t0, tree)
                except Exception as exc:
                    self.result.losses.add(f"sampling error {type(exc).__name__}: {exc}")
                    self.sampling = False
                next_tick += self.interval_s
                delay = next_tick - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                else:
                    next_tick = time.monotonic()
            self.result.interpreter = tree.interpreter()
        finally:
            for sig, handler in old.items():
                signal.signal(sig, handler)
            self.sampler.close()
            if self.recorder is not None:
                self.recorder.close()
        self.result.wall_s = time.monotonic() - t0
        self.result.monitor_cpu_s = time.process_time() - cpu0
        if stop:
            self.result.notes.append(f"monitoring stopped by {signal.Signals(stop[0]).name}; PID {pid} still runs")
        return self.result


class JobNotStarted(Exception):
    """The command could not be started (exit 2, one line)."""
