"""Plans and runs the deep probes: one child per framework and one for the driver, concurrently where cores allow."""

from __future__ import annotations

import contextlib
import json
import os
import pkgutil
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from functools import lru_cache
from typing import Any

from whygpu.collect.interface import Machine
from whygpu.facts import Unavailable
from whygpu.gateways.process import ChildRun, kill_all, run_child
from whygpu.probes import (
    FRAMEWORK_PROBES,
    ChildAnswer,
    DeepReport,
    ProbeName,
    ProbeOutcome,
    ProbeStatus,
    StreamCapture,
)
from whygpu.records import record
from whygpu.redact import is_secret_name, redact_text
from whygpu.serde import SchemaError, from_data
from whygpu.snapshot import Snapshot

MARKER = "@@whygpu-deep@@"
DEFAULT_TIMEOUT_S = 60.0

# Set for every child.  Memory: TF and JAX otherwise reserve (nearly) all GPU memory at start,
# which would starve the user's own jobs on a shared GPU
# (https://www.tensorflow.org/guide/gpu#limiting_gpu_memory_growth,
#  https://docs.jax.dev/en/latest/gpu_memory_allocation.html).
# Words: TF and XLA (JAX) hide their INFO lines and, since the loader moved to VLOG, the names of
# the libraries they failed to load; the probe wants the framework to say all of it
# (https://github.com/openxla/xla/blob/main/xla/tsl/platform/default/dso_loader.cc).
CHILD_SETTINGS: dict[str, str] = {
    "TF_FORCE_GPU_ALLOW_GROWTH": "true",
    "XLA_PYTHON_CLIENT_PREALLOCATE": "false",
    "TF_CPP_MIN_LOG_LEVEL": "0",
    "PYTHONUNBUFFERED": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
}
VMODULE = "TF_CPP_VMODULE"
VMODULE_ADDED = ("dso_loader=1", "cuda_diagnostics=1")
# A child must not stop for input or change how Python starts.
CHILD_REMOVED = ("PYTHONINSPECT", "PYTHONSTARTUP")
# Importing TensorFlow creates ~/.keras/keras.json when it is missing; whygpu must not write to the
# user's home, so Keras gets the child's own temporary directory
# (KERAS_HOME in https://github.com/keras-team/keras/blob/master/keras/src/backend/config.py).
SCRATCH_HOMES = ("KERAS_HOME",)


@record(frozen=True)
class PlannedProbe:
    """One child to run: which probe, with which interpreter, under which key in the report."""

    key: str
    probe: ProbeName
    python: str
    scope: str  # the framework it speaks for, "" for the driver


def run_deep(snapshot: Snapshot, machine: Machine, *, timeout_s: float = DEFAULT_TIMEOUT_S,
             parallel: int | None = None) -> dict[str, Any]:
    """Run every deep probe for ``snapshot``'s environments and return the JSON data for ``snapshot.deep``."""
    return collect_deep(snapshot, machine, timeout_s=timeout_s, parallel=parallel).to_json()


def collect_deep(snapshot: Snapshot | None, machine: Machine, *, timeout_s: float = DEFAULT_TIMEOUT_S,
                 parallel: int | None = None, probes: Sequence[PlannedProbe] | None = None) -> DeepReport:
    """Run the probes (planned from ``snapshot`` unless given) and return their outcomes."""
    if timeout_s <= 0:
        raise ValueError("the deep probe timeout must be positive")
    env, settings, removed = child_environment(machine.environ)
    report = DeepReport(timeout_s=timeout_s, environment_set=settings, environment_removed=removed)
    if not machine.live:
        report.notes.append("not run: a filesystem tree (--root) cannot start its frameworks here")
        return report
    if probes is not None:
        planned = list(probes)
    elif snapshot is not None:
        planned = plan_probes(snapshot, machine)
    else:
        raise ValueError("collect_deep needs a snapshot to plan from, or the probes to run")
    heavy = sum(1 for p in planned if p.probe != "driver")
    report.parallel = max(1, min(parallel or usable_cores(), heavy or 1))
    start = time.monotonic()
    slots = threading.BoundedSemaphore(report.parallel)
    cancel = threading.Event()
    workdir = tempfile.mkdtemp(prefix="whygpu-deep-")
    pool = ThreadPoolExecutor(max_workers=max(1, len(planned)), thread_name_prefix="whygpu-deep")
    try:
        with _interruptible():
            futures = [pool.submit(_run_one, p, env, workdir, timeout_s, slots, cancel) for p in planned]
            _wait_interruptibly(futures)
            outcomes = [f.result() for f in futures]
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM): no child may outlive whygpu, started or about to start.
        cancel.set()
        kill_all()
        raise
    finally:
        if sys.version_info >= (3, 9):  # noqa: UP036 - the self-contained collector runs on 3.8
            pool.shutdown(wait=True, cancel_futures=True)
        else:  # Python 3.8 (the self-contained collector): each probe has its own worker, none waits queued
            pool.shutdown(wait=True)
        shutil.rmtree(workdir, ignore_errors=True)
    report.probes = {outcome_key: outcome for outcome_key, outcome in zip((p.key for p in planned), outcomes)}  # noqa: B905 - one outcome per probe; zip(strict=) is 3.10+
    report.seconds = round(time.monotonic() - start, 3)
    return report


# How often the main thread wakes while probes run, at most.
_WAKE_S = 0.1


def _wait_interruptibly(futures: Sequence[Future[ProbeOutcome]]) -> None:
    """Wait for every probe, waking now and then so that Ctrl-C and SIGTERM are acted on at once.

    The kernel may deliver SIGINT or SIGTERM to any thread.  Python runs its handler in the main
    thread only, the next time that thread runs Python code; a main thread blocked without a timeout
    (``Future.result()``) would not, and whygpu would wait for the probes' full timeout with the
    signal pending (the flaky ``test_whygpu_stopped_mid_probe_leaves_nothing[2]``).  A bounded wait
    returns to Python code at least every ``_WAKE_S`` seconds, where the handler then runs.
    """
    pending = set(futures)
    while pending:
        _, pending = wait(pending, timeout=_WAKE_S)


def plan_probes(snapshot: Snapshot, machine: Machine) -> list[PlannedProbe]:
    """A child per framework found in each environment, and one driver child, heaviest first."""
    envs: list[tuple[str, list[ProbeName]]] = []
    pythons = snapshot.pythons
    if isinstance(pythons, Unavailable):
        # The static collector failed: ask the chosen interpreter about every framework anyway.
        envs.append((machine.python or sys.executable, list(FRAMEWORK_PROBES)))
    else:
        for env in pythons:
            names = [p for p in FRAMEWORK_PROBES if any(fw.name == p for fw in env.frameworks)]
            if names:
                envs.append((env.executable, names))
    several = len(envs) > 1
    planned: list[PlannedProbe] = []
    for index, (python, names) in enumerate(envs):
        for name in sorted(names, key=_cost_rank):
            key = f"{name}@{index}" if several else name
            planned.append(PlannedProbe(key, name, python, name))
    driver_python = envs[0][0] if envs else (machine.python or sys.executable)
    # The driver child starts first: it is quick and says most about the machine.
    return [PlannedProbe("driver", "driver", driver_python, ""), *planned]


def _cost_rank(name: str) -> int:
    # Longest first, so concurrent probes finish together (TensorFlow imports slowest).
    return {"tensorflow": 0, "jax": 1, "torch": 2}.get(name, 3)


def usable_cores() -> int:
    """CPU cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def child_environment(environ: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """The children's environment: the user's, with the probe settings added and secrets removed.

    Returns the environment, the settings that were added or changed, and the names removed.
    """
    env: dict[str, str] = {}
    removed: list[str] = []
    for name, value in environ.items():
        if is_secret_name(name) or name in CHILD_REMOVED:
            removed.append(name)
        else:
            env[name] = value
    settings = dict(CHILD_SETTINGS)
    current = [part for part in env.get(VMODULE, "").split(",") if part]
    modules = {part.split("=", 1)[0] for part in current}
    settings[VMODULE] = ",".join(current + [v for v in VMODULE_ADDED if v.split("=", 1)[0] not in modules])
    changed = {k: v for k, v in settings.items() if env.get(k) != v}
    changed.update({name: "<the probe's temporary directory>" for name in SCRATCH_HOMES})
    env.update(settings)
    return env, changed, sorted(removed)


@lru_cache(maxsize=1)
def child_source() -> str:
    """The probe code the children run (``whygpu/deep/child.py``)."""
    # pkgutil asks the module's loader, so the bundled collector (Python 3.8, no files on disk) reads it too.
    data = pkgutil.get_data("whygpu.deep", "child.py")
    if data is None:
        raise RuntimeError("the deep probe code whygpu/deep/child.py is missing from this installation")
    return data.decode("utf-8")


def child_argv(probe: PlannedProbe, timeout_s: float) -> list[str]:
    """The command line of one child: ``python -B -c CODE PROBE DUMP_AFTER LIFETIME WHYGPU_PID``."""
    # The child prints its Python stack a little before the kill, so a hang says where it hangs;
    # and it ends itself a little after the kill, should whygpu have died before killing it.
    dump_after = max(timeout_s * 0.8, timeout_s - 5.0)
    lifetime = timeout_s + 10.0
    return [probe.python, "-B", "-c", child_source(), probe.probe, f"{dump_after:.2f}", f"{lifetime:.2f}", str(os.getpid())]


def _run_one(probe: PlannedProbe, env: Mapping[str, str], workdir: str, timeout_s: float,
             slots: threading.BoundedSemaphore, cancel: threading.Event) -> ProbeOutcome:
    if not _runnable(probe.python, env):
        return ProbeOutcome(probe.probe, probe.python, "not_started", 0.0, timeout_s, scope=probe.scope,
                            detail=f"no such interpreter: {probe.python}")
    cwd = tempfile.mkdtemp(prefix=f"{probe.key}-", dir=workdir)
    env = {**env, **{name: cwd for name in SCRATCH_HOMES}}
    argv = child_argv(probe, timeout_s)
    if probe.probe == "driver":
        run = run_child(argv, env=env, cwd=cwd, timeout_s=timeout_s, marker=MARKER, cancel=cancel)
    else:
        with slots:
            run = run_child(argv, env=env, cwd=cwd, timeout_s=timeout_s, marker=MARKER, cancel=cancel)
    return outcome_of(probe, run, timeout_s)


def _runnable(python: str, env: Mapping[str, str]) -> bool:
    if os.sep in python or (os.altsep and os.altsep in python):
        return os.path.isfile(python) and os.access(python, os.X_OK)
    return shutil.which(python, path=env.get("PATH")) is not None


def outcome_of(probe: PlannedProbe, run: ChildRun, timeout_s: float) -> ProbeOutcome:
    """Turn a finished child into its outcome: status, redacted output, and its answer when readable."""
    phases = [rest.strip() for kind, rest in run.stdout.records if kind == "phase"]
    answer: ChildAnswer | None = None
    detail = ""
    results = [rest for kind, rest in run.stdout.records if kind == "result"]
    if results:
        answer, detail = _read_answer(results[-1])
    libs: list[str] = []
    for kind, rest in run.stdout.records:
        if kind == "libs":
            with contextlib.suppress(ValueError):
                parsed = json.loads(rest)
                if isinstance(parsed, list):
                    libs = [redact_text(str(item)) for item in parsed]
    status: ProbeStatus
    if run.error:
        status, detail = "not_started", run.error
    elif run.timed_out:
        status = "timeout"
    elif answer is not None:
        status = "ok"
    elif run.signal:
        status = "crashed"
    elif run.returncode:
        status = "failed"
    else:
        status = "no_answer"
    if not run.output_complete:
        detail = (detail + "; " if detail else "") + "a process that left the probe's group kept its output open"
    return ProbeOutcome(
        probe=probe.probe,
        python=probe.python,
        status=status,
        seconds=round(run.seconds, 3),
        timeout_s=timeout_s,
        pid=run.pid,
        returncode=run.returncode,
        signal=run.signal,
        phase=phases[-1] if phases else None,
        stdout=_redacted(run.stdout.capture()),
        stderr=_redacted(run.stderr.capture()),
        answer=answer,
        last_mapped_libraries=libs,
        detail=detail,
        survivors=run.survivors,
        scope=probe.scope,
    )


def _read_answer(text: str) -> tuple[ChildAnswer | None, str]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        return None, f"the probe's answer is not valid JSON: {exc}"
    try:
        return from_data(ChildAnswer, _redact_data(data), "$.answer"), ""
    except SchemaError as exc:
        return None, f"the probe's answer has an unexpected shape: {exc}"


def _redact_data(value: Any) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, list):
        return [_redact_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _redact_data(v) for k, v in value.items()}
    return value


def _redacted(capture: StreamCapture) -> StreamCapture:
    capture.lines = [redact_text(line) for line in capture.lines]
    return capture


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """Turn SIGTERM into an exception while probes run, so their process groups are killed, not orphaned."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # pragma: no cover - not in the main interpreter
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
