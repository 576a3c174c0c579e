"""A stand-in for nvidia-ml-py's ``pynvml`` that the NVML gateway's sampler child loads in tests.

It simulates GPUs from a directory (``WHYGPU_FAKE_GPU_DIR``): ``gpus.json`` lists the devices;
a job "allocates" GPU memory by writing ``<gpu>/<pid>`` with "MIB UTIL"; a listed process that no
longer exists is dropped, as NVML does. ``fail`` in gpus.json makes nvmlInit fail. Per-process
utilisation samples (``nvmlDeviceGetProcessUtilization``) give each process its UTIL; with
``no_process_util`` the GPU does not support them, as many consumer and older GPUs do not.
"""

import json
import os

NVML_ERROR_NOT_SUPPORTED = 3
NVML_ERROR_NOT_FOUND = 6
NVML_ERROR_LIBRARY_NOT_FOUND = 12
NVML_CLOCK_SM = 1


class NVMLError(Exception):
    def __init__(self, value):
        self.value = value
        super().__init__({3: "Not Supported", 6: "Not Found", 12: "NVML Shared Library Not Found"}.get(value, "Unknown Error"))


_DIR = os.environ.get("WHYGPU_FAKE_GPU_DIR", "")


_CACHE = []


def _config():
    # Read once per sampler child (tests write gpus.json before whygpu starts).
    if not _CACHE:
        with open(os.path.join(_DIR, "gpus.json")) as handle:
            _CACHE.append(json.load(handle))
    return _CACHE[0]


class _Obj:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def nvmlInit():
    if not _DIR or _config().get("fail"):
        raise NVMLError(NVML_ERROR_LIBRARY_NOT_FOUND)


def nvmlShutdown():
    pass


def nvmlSystemGetDriverVersion():
    return "550.90.07"


def nvmlDeviceGetCount():
    return len(_config()["devices"])


def nvmlDeviceGetHandleByIndex(index):
    return index


def nvmlDeviceGetName(handle):
    return _config()["devices"][handle]["name"]


def nvmlDeviceGetUUID(handle):
    return f"GPU-{handle:08d}-0000-0000-0000-000000000000"


def nvmlDeviceGetMigMode(handle):
    raise NVMLError(NVML_ERROR_NOT_SUPPORTED)


def _procs(handle):
    folder = os.path.join(_DIR, str(handle))
    found = []
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        if not name.isdigit() or not os.path.exists(f"/proc/{name}"):
            continue
        try:
            with open(os.path.join(folder, name)) as handle_file:
                mib, util = ([*handle_file.read().split(), "0", "0"])[:2]
        except OSError:
            continue
        found.append((int(name), float(mib), float(util)))
    return found


def nvmlDeviceGetMemoryInfo(handle):
    total = _config()["devices"][handle]["memory_total_mib"] * 1048576
    used = (3 + sum(m for _, m, _ in _procs(handle))) * 1048576
    return _Obj(total=total, used=int(used), free=int(total - used))


def nvmlDeviceGetUtilizationRates(handle):
    if _config().get("hang"):
        import time

        time.sleep(60)
    return _Obj(gpu=int(min(100, sum(u for _, _, u in _procs(handle)))), memory=0)


def nvmlDeviceGetPowerUsage(handle):
    if _config().get("no_power"):
        raise NVMLError(NVML_ERROR_NOT_SUPPORTED)
    return 60000 + 3000 * int(min(100, sum(u for _, _, u in _procs(handle))))


def nvmlDeviceGetClockInfo(handle, kind):
    return 1410


def nvmlDeviceGetCurrentClocksEventReasons(handle):
    return 0x1 if not _procs(handle) else 0x0


def nvmlDeviceGetComputeRunningProcesses(handle):
    return [_Obj(pid=pid, usedGpuMemory=int(mib * 1048576)) for pid, mib, _ in _procs(handle)]


def nvmlDeviceGetGraphicsRunningProcesses(handle):
    return []


def nvmlDeviceGetProcessUtilization(handle, timeStamp):
    # One sample per process with kernels running, stamped now (microseconds, as NVML's CPU timestamps).
    if _config().get("no_process_util"):
        raise NVMLError(NVML_ERROR_NOT_SUPPORTED)
    import time

    now = int(time.time() * 1e6)
    samples = [_Obj(pid=pid, timeStamp=now, smUtil=int(util), memUtil=0, encUtil=0, decUtil=0)
               for pid, _, util in _procs(handle) if util > 0 and now > timeStamp]
    if not samples:
        raise NVMLError(NVML_ERROR_NOT_FOUND)
    return samples
