"""A stand-in for nvidia-ml-py's ``pynvml`` module, copied into a temporary directory as ``pynvml.py`` for NVML child-process tests.

The scenario comes from the FAKE_NVML environment variable: healthy, mismatch, hang, lost,
no-ecc, bytes (an old pynvml returning bytes).
"""

from __future__ import annotations

import os
import time
from types import SimpleNamespace
from typing import Any

NVML_ERROR_NOT_SUPPORTED = 3
NVML_ERROR_NO_PERMISSION = 4
NVML_ERROR_DRIVER_NOT_LOADED = 9
NVML_ERROR_GPU_IS_LOST = 15
NVML_ERROR_LIB_RM_VERSION_MISMATCH = 18
NVML_ERROR_UNKNOWN = 999
NVML_MEMORY_ERROR_TYPE_UNCORRECTED = 1
NVML_VOLATILE_ECC = 0

_TEXT = {
    NVML_ERROR_NOT_SUPPORTED: "Not Supported",
    NVML_ERROR_DRIVER_NOT_LOADED: "Driver Not Loaded",
    NVML_ERROR_GPU_IS_LOST: "GPU is lost",
    NVML_ERROR_LIB_RM_VERSION_MISMATCH: "RM has detected an NVML/RM version mismatch.",
    NVML_ERROR_UNKNOWN: "Unknown Error",
}
SCENARIO = os.environ.get("FAKE_NVML", "healthy")
GIB = 1024 * 1024 * 1024


class NVMLError(Exception):
    """Like pynvml's: carries the NVML return code in ``value``."""

    def __init__(self, value: int) -> None:
        super().__init__(value)
        self.value = value

    def __str__(self) -> str:
        return _TEXT.get(self.value, f"NVML Error with code {self.value}")


def _text(value: str) -> Any:
    return value.encode() if SCENARIO == "bytes" else value


def nvmlInit() -> None:
    if SCENARIO == "mismatch":
        raise NVMLError(NVML_ERROR_LIB_RM_VERSION_MISMATCH)
    if SCENARIO == "no-driver":
        raise NVMLError(NVML_ERROR_DRIVER_NOT_LOADED)
    if SCENARIO == "hang":
        time.sleep(60)


def nvmlShutdown() -> None:
    return None


def nvmlSystemGetDriverVersion() -> Any:
    return _text("550.54.15")


def nvmlSystemGetCudaDriverVersion() -> int:
    return 12040


def nvmlDeviceGetCount() -> int:
    return 2 if SCENARIO == "lost" else 1


def nvmlDeviceGetHandleByIndex(index: int) -> int:
    if SCENARIO == "lost" and index == 1:
        raise NVMLError(NVML_ERROR_GPU_IS_LOST)
    return index


def nvmlDeviceGetName(handle: int) -> Any:
    return _text("NVIDIA H100 80GB HBM3")


def nvmlDeviceGetPciInfo(handle: int) -> Any:
    return SimpleNamespace(busId=_text("00000000:1A:00.0"))


def nvmlDeviceGetCudaComputeCapability(handle: int) -> tuple[int, int]:
    return (9, 0)


def nvmlDeviceGetMemoryInfo(handle: int) -> Any:
    return SimpleNamespace(total=80 * GIB, used=2 * GIB, free=78 * GIB)


def nvmlDeviceGetComputeMode(handle: int) -> int:
    return 3


def nvmlDeviceGetUtilizationRates(handle: int) -> Any:
    return SimpleNamespace(gpu=97, memory=40)


def nvmlDeviceGetTotalEccErrors(handle: int, error_type: int, counter: int) -> int:
    if SCENARIO == "no-ecc":
        raise NVMLError(NVML_ERROR_NOT_SUPPORTED)
    return 0


def nvmlDeviceGetComputeRunningProcesses(handle: int) -> list[Any]:
    return [SimpleNamespace(pid=4242, usedGpuMemory=GIB), SimpleNamespace(pid=4343, usedGpuMemory=None)]


def nvmlSystemGetProcessName(pid: int) -> Any:
    if pid == 4343:
        raise NVMLError(NVML_ERROR_NO_PERMISSION)
    return _text("/usr/bin/python3")
