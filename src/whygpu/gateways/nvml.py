"""Asks NVML (through nvidia-ml-py) about the driver and GPUs in a child process, so a hung driver costs a timeout, not whygpu."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from typing import Any

from whygpu.facts import Fact, Unavailable
from whygpu.gateways.process import CommandRunner
from whygpu.records import record
from whygpu.snapshot import DriverReport, GpuProcess, NvmlDevice

PROBE = "nvml"

# Runs in a fresh interpreter. NVML initialisation can block forever on a wedged driver, and a
# crash inside libnvidia-ml would take the caller with it, so whygpu never loads NVML itself.
# The child prints one JSON object on stdout; every NVML failure becomes data in it.
CHILD_CODE = r"""
import json, os, sys
# Run with -I -S (no site, no working directory): only the directory holding pynvml is added,
# which keeps the start fast and a pynvml.py or json.py in the user's directory out.
sys.path[:] = [p for p in sys.path if p not in ("", ".", os.getcwd())]
if len(sys.argv) > 1 and sys.argv[1]:
    sys.path.insert(0, sys.argv[1])

def emit(obj):
    sys.stdout.write(json.dumps(obj))
    sys.stdout.flush()

try:
    import pynvml as N
except Exception as exc:
    emit({"ok": False, "stage": "import pynvml", "error": "%s: %s" % (type(exc).__name__, exc)})
    sys.exit(0)

CODE_NAMES = {getattr(N, n): n for n in dir(N) if n.startswith("NVML_ERROR_") and isinstance(getattr(N, n), int)}
QUIET = {getattr(N, "NVML_ERROR_NOT_SUPPORTED", 3), getattr(N, "NVML_ERROR_NO_PERMISSION", 4),
         getattr(N, "NVML_ERROR_FUNCTION_NOT_FOUND", 13)}
MODES = {0: "Default", 1: "Exclusive_Thread", 2: "Prohibited", 3: "Exclusive_Process"}

def text(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)

def failure(stage, exc):
    code = getattr(exc, "value", None)
    return {"ok": False, "stage": stage, "error": str(exc), "code": code, "code_name": CODE_NAMES.get(code)}

def describe(exc):
    code = getattr(exc, "value", None)
    name = CODE_NAMES.get(code)
    return "%s (%s)" % (exc, name) if name else str(exc)

def device(index):
    entry = {"index": index}
    errors = []
    try:
        handle = N.nvmlDeviceGetHandleByIndex(index)
    except N.NVMLError as exc:
        entry["name"] = ""
        entry["error"] = describe(exc)
        return entry

    def field(key, get):
        try:
            entry[key] = get()
        except N.NVMLError as exc:
            if getattr(exc, "value", None) not in QUIET:
                errors.append("%s: %s" % (key, describe(exc)))
        except Exception as exc:
            errors.append("%s: %s: %s" % (key, type(exc).__name__, exc))

    field("name", lambda: text(N.nvmlDeviceGetName(handle)))
    field("pci_bus_id", lambda: text(N.nvmlDeviceGetPciInfo(handle).busId))
    field("compute_capability", lambda: "%d.%d" % tuple(N.nvmlDeviceGetCudaComputeCapability(handle)))
    def memory():
        info = N.nvmlDeviceGetMemoryInfo(handle)
        entry["memory_used_mib"] = int(info.used) // (1024 * 1024)
        return int(info.total) // (1024 * 1024)
    field("memory_total_mib", memory)
    field("compute_mode", lambda: MODES.get(N.nvmlDeviceGetComputeMode(handle), "unknown"))
    field("utilization_percent", lambda: int(N.nvmlDeviceGetUtilizationRates(handle).gpu))
    field("uncorrected_ecc_errors", lambda: int(N.nvmlDeviceGetTotalEccErrors(
        handle, N.NVML_MEMORY_ERROR_TYPE_UNCORRECTED, N.NVML_VOLATILE_ECC)))
    def processes():
        found = []
        for proc in N.nvmlDeviceGetComputeRunningProcesses(handle):
            try:
                name = text(N.nvmlSystemGetProcessName(proc.pid))
            except Exception:
                name = ""
            used = getattr(proc, "usedGpuMemory", None)
            found.append({"pid": int(proc.pid), "name": name,
                          "used_memory_mib": None if used is None else int(used) // (1024 * 1024)})
        return found
    field("processes", processes)
    entry.setdefault("name", "")
    if errors:
        entry["error"] = "; ".join(errors)
    return entry

try:
    N.nvmlInit()
except Exception as exc:
    emit(failure("nvmlInit", exc))
    sys.exit(0)
result = {"ok": True}
try:
    result["driver_version"] = text(N.nvmlSystemGetDriverVersion())
except Exception as exc:
    emit(failure("nvmlSystemGetDriverVersion", exc))
    sys.exit(0)
try:
    result["cuda_driver_version"] = int(N.nvmlSystemGetCudaDriverVersion())
except Exception:
    result["cuda_driver_version"] = None
try:
    count = int(N.nvmlDeviceGetCount())
except Exception as exc:
    emit(failure("nvmlDeviceGetCount", exc))
    sys.exit(0)
result["devices"] = [device(i) for i in range(count)]
try:
    N.nvmlShutdown()
except Exception:
    pass
emit(result)
"""


def pynvml_dir() -> str | None:
    """The directory nvidia-ml-py's ``pynvml`` module is in (found without importing it), or None."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("pynvml")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    return os.path.dirname(spec.origin)


def query_nvml(
    runner: CommandRunner, *, timeout_s: float, python: str | None = None, module_dir: str | None = None,
) -> Fact[DriverReport]:
    """What NVML reports about the driver and every GPU, or why it could not say (its exact error kept)."""
    module_dir = module_dir or pynvml_dir()
    if module_dir is None:
        return Unavailable("nvidia-ml-py (the pynvml module) is not installed with whygpu", PROBE)
    executable = python or sys.executable
    if not executable:
        return Unavailable("no Python interpreter to run the NVML child process with", PROBE)
    # -I -S: the interpreter starts without site-packages scanning (tens of milliseconds).
    argv = [executable, "-I", "-S", "-c", CHILD_CODE, module_dir]
    result = runner.run(argv, timeout_s=timeout_s)
    if result.error is not None:
        return Unavailable(f"NVML child process {result.error}" + _tail(result.stderr), PROBE)
    if result.returncode != 0:
        return Unavailable(f"NVML child process exited with status {result.returncode}" + _tail(result.stderr), PROBE)
    return parse_child_output(result.stdout)


def parse_child_output(stdout: str) -> Fact[DriverReport]:
    """Turn the child's JSON into a ``DriverReport``; malformed output becomes ``Unavailable``."""
    try:
        data = json.loads(stdout)
    except (json.JSONDecodeError, ValueError):
        return Unavailable(f"NVML child process printed no JSON: {stdout.strip()[:200]!r}", PROBE)
    if not isinstance(data, dict):
        return Unavailable("NVML child process printed unexpected JSON", PROBE)
    if data.get("ok") is not True:
        stage = _str(data.get("stage")) or "NVML"
        error = _str(data.get("error")) or "unknown error"
        code_name = _str(data.get("code_name"))
        return Unavailable(f"{stage} failed: {error}" + (f" ({code_name})" if code_name else ""), PROBE)
    driver_version = _str(data.get("driver_version"))
    if not driver_version:
        return Unavailable("NVML reported no driver version", PROBE)
    devices_data = data.get("devices")
    devices = [_device(item, i) for i, item in enumerate(devices_data)] if isinstance(devices_data, list) else []
    return DriverReport(
        source="nvml",
        driver_version=driver_version,
        cuda_driver_version=cuda_version_text(data.get("cuda_driver_version")),
        devices=[d for d in devices if d is not None],
    )


def cuda_version_text(value: object) -> str | None:
    """NVML's CUDA driver version integer (12020) as "12.2"."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return None
    return f"{value // 1000}.{(value % 1000) // 10}"


def normalise_bus_id(bus_id: str | None) -> str | None:
    """NVML's "00000000:3B:00.0" in the sysfs spelling "0000:3b:00.0", so devices can be matched."""
    if not bus_id:
        return None
    text = bus_id.strip().lower()
    domain, sep, rest = text.partition(":")
    if sep and len(domain) > 4 and set(domain[:-4]) <= {"0"}:
        text = domain[-4:] + ":" + rest
    return text


def _device(item: Any, position: int) -> NvmlDevice | None:
    if not isinstance(item, dict):
        return None
    index = item.get("index")
    processes: list[GpuProcess] = []
    for proc in item.get("processes") or []:
        if isinstance(proc, dict) and _int(proc.get("pid")) is not None:
            processes.append(GpuProcess(
                pid=_int(proc.get("pid")) or 0,
                name=_str(proc.get("name")) or "",
                used_memory_mib=_int(proc.get("used_memory_mib")),
            ))
    return NvmlDevice(
        index=index if isinstance(index, int) and not isinstance(index, bool) else position,
        name=_str(item.get("name")) or "",
        pci_bus_id=normalise_bus_id(_str(item.get("pci_bus_id"))),
        compute_capability=_str(item.get("compute_capability")),
        memory_total_mib=_int(item.get("memory_total_mib")),
        memory_used_mib=_int(item.get("memory_used_mib")),
        compute_mode=_str(item.get("compute_mode")),
        processes=processes,
        utilization_percent=_int(item.get("utilization_percent")),
        uncorrected_ecc_errors=_int(item.get("uncorrected_ecc_errors")),
        error=_str(item.get("error")),
    )


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _tail(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return f": {lines[-1].strip()[:200]}" if lines else ""


# ---------------------------------------------------------------------------------------------
# Sampling for ``whygpu monitor``: one long-lived child process that answers one request line
# with one JSON line of readings, so a sample costs a pipe round trip, not an interpreter start.
# NVML stays out of whygpu's own process for the same reasons as above; a hung read costs the
# sample its timeout, and the monitored job never waits on it.

SAMPLER_CODE = r"""
import json, os, sys, time
sys.path[:] = [p for p in sys.path if p not in ("", ".", os.getcwd())]
if len(sys.argv) > 1 and sys.argv[1]:
    sys.path.insert(0, sys.argv[1])
out = sys.stdout

def emit(obj):
    out.write(json.dumps(obj, separators=(",", ":")) + "\n")
    out.flush()

try:
    import pynvml as N
except Exception as exc:
    emit({"ok": False, "stage": "import pynvml", "error": "%s: %s" % (type(exc).__name__, exc)})
    sys.exit(0)

CODE_NAMES = {getattr(N, n): n for n in dir(N) if n.startswith("NVML_ERROR_") and isinstance(getattr(N, n), int)}
QUIET = {getattr(N, "NVML_ERROR_NOT_SUPPORTED", 3), getattr(N, "NVML_ERROR_NO_PERMISSION", 4),
         getattr(N, "NVML_ERROR_FUNCTION_NOT_FOUND", 13)}

def text(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)

def describe(exc):
    name = CODE_NAMES.get(getattr(exc, "value", None))
    return "%s (%s)" % (exc, name) if name else "%s: %s" % (type(exc).__name__, exc)

try:
    N.nvmlInit()
except Exception as exc:
    emit({"ok": False, "stage": "nvmlInit", "error": describe(exc), "code_name": CODE_NAMES.get(getattr(exc, "value", None))})
    sys.exit(0)

handles = []
inventory = []
try:
    count = int(N.nvmlDeviceGetCount())
except Exception as exc:
    emit({"ok": False, "stage": "nvmlDeviceGetCount", "error": describe(exc)})
    sys.exit(0)
for i in range(count):
    entry = {"index": i}
    try:
        h = N.nvmlDeviceGetHandleByIndex(i)
    except Exception as exc:
        entry["error"] = describe(exc)
        inventory.append(entry)
        handles.append(None)
        continue
    handles.append(h)
    for key, get in (("name", lambda: text(N.nvmlDeviceGetName(h))), ("uuid", lambda: text(N.nvmlDeviceGetUUID(h))),
                     ("memory_total_mib", lambda: int(N.nvmlDeviceGetMemoryInfo(h).total) / 1048576.0),
                     ("mig", lambda: bool(N.nvmlDeviceGetMigMode(h)[0]))):
        try:
            entry[key] = get()
        except Exception:
            pass
    inventory.append(entry)
try:
    driver = text(N.nvmlSystemGetDriverVersion())
except Exception:
    driver = None
emit({"ok": True, "driver_version": driver, "devices": inventory})

SM = getattr(N, "NVML_CLOCK_SM", 1)
REASONS = getattr(N, "nvmlDeviceGetCurrentClocksEventReasons", None) or getattr(N, "nvmlDeviceGetCurrentClocksThrottleReasons", None)
failed_once = set()
# Per-process utilisation (what nvidia-smi pmon shows): the driver keeps recent samples, each a
# process's SM use over one of its sampling periods; each reading asks for those newer than the
# newest already seen (microsecond timestamps), so a sample is counted once.
PROCESS_UTIL = getattr(N, "nvmlDeviceGetProcessUtilization", None)
NOT_FOUND = getattr(N, "NVML_ERROR_NOT_FOUND", 6)
last_seen = {}

def process_util(i, h):
    if PROCESS_UTIL is None:
        return None, "this pynvml has no nvmlDeviceGetProcessUtilization"
    since = last_seen.get(i, 0)
    try:
        samples = PROCESS_UTIL(h, since)
    except Exception as exc:
        if getattr(exc, "value", None) == NOT_FOUND:
            return [], None  # no process ran on the GPU since the last reading
        return None, describe(exc)
    by_pid = {}
    for s in samples:
        stamp = int(s.timeStamp)
        if stamp <= since:
            continue
        last_seen[i] = max(last_seen.get(i, 0), stamp)
        by_pid.setdefault(int(s.pid), []).append(min(100, int(s.smUtil)))
    return [{"pid": pid, "sm": sum(v) / float(len(v))} for pid, v in sorted(by_pid.items())], None

for i, h in enumerate(handles):
    if h is not None:
        process_util(i, h)  # only samples taken after the start count

def read(i, h):
    g = {"index": i}
    errors = []
    def field(key, get):
        try:
            g[key] = get()
        except Exception as exc:
            if getattr(exc, "value", None) in QUIET:
                return
            if key not in failed_once:
                failed_once.add(key)
                errors.append("%s: %s" % (key, describe(exc)))
    field("util", lambda: int(N.nvmlDeviceGetUtilizationRates(h).gpu))
    field("mem_used_mib", lambda: int(N.nvmlDeviceGetMemoryInfo(h).used) / 1048576.0)
    field("power_w", lambda: N.nvmlDeviceGetPowerUsage(h) / 1000.0)
    field("sm_clock_mhz", lambda: int(N.nvmlDeviceGetClockInfo(h, SM)))
    if REASONS is not None:
        field("throttle_mask", lambda: int(REASONS(h)))
    procs = []
    for kind, get in (("compute", "nvmlDeviceGetComputeRunningProcesses"), ("graphics", "nvmlDeviceGetGraphicsRunningProcesses")):
        fn = getattr(N, get, None)
        if fn is None:
            continue
        try:
            for p in fn(h):
                used = getattr(p, "usedGpuMemory", None)
                procs.append({"pid": int(p.pid), "mib": None if used is None else int(used) / 1048576.0, "kind": kind})
        except Exception as exc:
            if getattr(exc, "value", None) not in QUIET and kind not in failed_once:
                failed_once.add(kind)
                errors.append("%s processes: %s" % (kind, describe(exc)))
            g.setdefault("processes_unknown", True)
    g["processes"] = procs
    split, why = process_util(i, h)
    if split is not None:
        g["process_util"] = split
    else:
        g["process_util_error"] = why
    if errors:
        g["errors"] = errors
    return g

for line in sys.stdin:
    if not line.strip():
        break
    emit({"t": time.monotonic(), "gpus": [read(i, h) for i, h in enumerate(handles) if h is not None]})
try:
    N.nvmlShutdown()
except Exception:
    pass
"""

ENV_MODULE_DIR = "WHYGPU_NVML_MODULE_DIR"


@record(frozen=True)
class NvmlDeviceInfo:
    """What does not change during a run: a GPU's index, name, UUID, memory size and MIG mode."""

    index: int
    name: str
    uuid: str | None
    memory_total_mib: float | None
    mig: bool | None
    error: str | None = None


@record(frozen=True)
class NvmlProcess:
    """A process NVML lists on a GPU (its PID as the driver sees it: a host PID inside a container)."""

    pid: int
    used_mib: float | None
    kind: str


@record(frozen=True)
class NvmlGpuReading:
    """One GPU at one moment; a value NVML could not give is None, and ``errors`` says why (once per field)."""

    index: int
    util_percent: float | None
    mem_used_mib: float | None
    power_w: float | None
    sm_clock_mhz: float | None
    throttle_mask: int | None
    processes: tuple[NvmlProcess, ...] | None
    errors: tuple[str, ...] = ()
    # (PID, SM utilisation %) per process NVML sampled since the last reading (mean of its samples);
    # () when no process ran; None when NVML cannot say (``process_util_error`` says why).
    process_util: tuple[tuple[int, float], ...] | None = None
    process_util_error: str | None = None


@record(frozen=True)
class NvmlReading:
    """All GPUs at one moment (``t`` on the child's monotonic clock)."""

    t: float
    gpus: tuple[NvmlGpuReading, ...]


class NvmlSampler:
    """A long-lived NVML child process: ``start`` once, ``sample`` each interval, ``close`` at the end; never raises."""

    def __init__(self, *, python: str | None = None, module_dir: str | None = None,
                 start_timeout_s: float = 15.0, sample_timeout_s: float = 5.0,
                 environ: dict[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self.python = python or sys.executable
        self.module_dir = module_dir or env.get(ENV_MODULE_DIR) or pynvml_dir()
        self.start_timeout_s = start_timeout_s
        self.sample_timeout_s = sample_timeout_s
        self.devices: list[NvmlDeviceInfo] = []
        self.driver_version: str | None = None
        self._proc: Any = None
        self._buffer = b""
        self.dead: str | None = None

    def start(self) -> Fact[list[NvmlDeviceInfo]]:
        """Start the child and initialise NVML; the GPUs found, or why sampling is impossible."""
        from whygpu.gateways.process import start_helper

        if self.module_dir is None:
            return Unavailable("nvidia-ml-py (the pynvml module) is not installed with whygpu", PROBE)
        try:
            self._proc = start_helper([self.python, "-I", "-S", "-c", SAMPLER_CODE, self.module_dir])
        except OSError as exc:
            return Unavailable(f"could not start the NVML sampler: {exc.strerror or exc}", PROBE)
        line = self._readline(self.start_timeout_s)
        if line is None:
            reason = self.dead or "no answer"
            self.close()
            return Unavailable(f"NVML sampler: {reason}", PROBE)
        try:
            data = json.loads(line)
        except ValueError:
            self.close()
            return Unavailable(f"NVML sampler printed no JSON: {line[:200]!r}", PROBE)
        if not isinstance(data, dict) or data.get("ok") is not True:
            self.close()
            info = data if isinstance(data, dict) else {}
            stage = _str(info.get("stage")) or "NVML"
            return Unavailable(f"{stage} failed: {_str(info.get('error')) or 'unknown error'}", PROBE)
        self.driver_version = _str(data.get("driver_version"))
        self.devices = [_device_info(d, i) for i, d in enumerate(data.get("devices") or []) if isinstance(d, dict)]
        return list(self.devices)

    def sample(self) -> Fact[NvmlReading]:
        """One reading of every GPU, or why there is none this time (the child hung, died or printed garbage)."""
        if self._proc is None or self.dead:
            return Unavailable(self.dead or "the NVML sampler is not running", PROBE)
        try:
            self._proc.stdin.write(b"s\n")
            self._proc.stdin.flush()
        except (OSError, ValueError) as exc:
            self.dead = f"the NVML sampler went away ({exc})"
            return Unavailable(self.dead, PROBE)
        line = self._readline(self.sample_timeout_s)
        if line is None:
            return Unavailable(self.dead or f"no NVML reading within {self.sample_timeout_s:g} s", PROBE)
        return parse_reading(line)

    def close(self) -> None:
        """Stop the child (it exits on end of input; killed if it does not)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        from whygpu.gateways.process import kill_group, wait_exit

        with contextlib.suppress(OSError):
            proc.stdin.close()
        if wait_exit(proc, 2.0) is None:
            kill_group(proc)  # a child stuck in the driver: its session goes
            wait_exit(proc, 2.0)
        for stream in (proc.stdout,):
            with contextlib.suppress(OSError):
                stream.close()

    def _readline(self, timeout_s: float) -> str | None:
        import select
        import time

        deadline = time.monotonic() + timeout_s
        fd = self._proc.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                # A reading that comes late would answer the wrong request: this sampler is done.
                self.dead = f"no NVML reading within {timeout_s:g} s (the sampler is stopped)"
                self.close()
                return None
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            data = os.read(fd, 1 << 16)
            if not data:
                code = self._proc.poll()
                self.dead = "the NVML sampler exited" + (f" with status {code}" if code is not None else "")
                self.close()
                return None
            self._buffer += data
            if len(self._buffer) > 1 << 22:
                self.dead = "the NVML sampler printed an over-long line"
                self.close()
                return None
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line.decode("utf-8", "replace")


def parse_reading(line: str) -> Fact[NvmlReading]:
    """The sampler child's JSON line as an ``NvmlReading``; anything malformed becomes ``Unavailable``."""
    try:
        data = json.loads(line)
    except ValueError:
        return Unavailable(f"NVML sampler printed no JSON: {line[:200]!r}", PROBE)
    if not isinstance(data, dict) or not isinstance(data.get("gpus"), list):
        return Unavailable("NVML sampler printed unexpected JSON", PROBE)
    t = data.get("t")
    gpus = []
    for item in data["gpus"]:
        if not isinstance(item, dict) or _int(item.get("index")) is None:
            continue
        procs: tuple[NvmlProcess, ...] | None = None
        if isinstance(item.get("processes"), list) and not item.get("processes_unknown"):
            procs = tuple(NvmlProcess(int(p["pid"]), _float(p.get("mib")), _str(p.get("kind")) or "compute")
                          for p in item["processes"] if isinstance(p, dict) and _int(p.get("pid")) is not None)
        errors = item.get("errors")
        split: tuple[tuple[int, float], ...] | None = None
        if isinstance(item.get("process_util"), list):
            split = tuple((int(p["pid"]), min(100.0, max(0.0, _float(p.get("sm")) or 0.0)))
                          for p in item["process_util"] if isinstance(p, dict) and _int(p.get("pid")) is not None)
        gpus.append(NvmlGpuReading(
            index=_int(item.get("index")) or 0, util_percent=_float(item.get("util")),
            mem_used_mib=_float(item.get("mem_used_mib")), power_w=_float(item.get("power_w")),
            sm_clock_mhz=_float(item.get("sm_clock_mhz")), throttle_mask=_int(item.get("throttle_mask")),
            processes=procs,
            errors=tuple(str(e)[:200] for e in errors) if isinstance(errors, list) else (),
            process_util=split,
            process_util_error=None if split is not None else (_str(item.get("process_util_error")) or "not reported")[:200],
        ))
    return NvmlReading(t=float(t) if isinstance(t, (int, float)) and not isinstance(t, bool) else 0.0, gpus=tuple(gpus))


def _device_info(item: dict[str, Any], position: int) -> NvmlDeviceInfo:
    mig = item.get("mig")
    return NvmlDeviceInfo(
        index=_int(item.get("index")) if _int(item.get("index")) is not None else position,  # type: ignore[arg-type]
        name=_str(item.get("name")) or "", uuid=_str(item.get("uuid")),
        memory_total_mib=_float(item.get("memory_total_mib")), mig=mig if isinstance(mig, bool) else None,
        error=_str(item.get("error")),
    )


def _float(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)
