"""Asks NVML (through nvidia-ml-py) about the driver and GPUs in a child process, so a hung driver costs a timeout, not whygpu."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from whygpu.facts import Fact, Unavailable
from whygpu.gateways.process import CommandRunner
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
