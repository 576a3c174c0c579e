"""Where a platform puts the NVIDIA driver's user-space libraries, and the CUDA compat package's libcuda (accdrvmount,
session 38; knowledge/driver_mounts.toml, every row with its public source).

One decision each: ``mount_reading`` judges a driver library not found on a platform that mounts the driver's libraries
without the NVIDIA container toolkit (GKE: the loader is not told the mounted folder); ``compat_reading`` judges the CUDA
forward-compatibility libcuda loaded ahead of the host's driver (it must be newer than the host's driver, never older).
explain/drvmount.py reads the facts; explain/drvmountrules.py applies the readings.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from whygpu import lazyre as re
from whygpu.knowledge import load
from whygpu.knowledge._util import parse_version, table_rows
from whygpu.records import record

__all__ = ["MountReading", "compat_folder", "compat_reading", "mount_folder", "mount_platform", "mount_reading"]


@record(frozen=True)
class MountReading:
    """What a driver-library state decides: the cause first, the others left open, the confidence, why, the check that
    decides and the source."""

    cause: str
    also: tuple[str, ...]
    confidence: str
    reasoning: str
    decide: str
    source: str


@lru_cache(maxsize=1)
def _platforms() -> tuple[tuple[str, Any, str, bool], ...]:
    return tuple((str(row["key"]), re.compile("|".join(f"(?:{n})" for n in row["names"]), re.I), str(row["mount"]),
                  bool(row.get("loader_told", True)))
                 for row in table_rows("driver_mounts", "platform"))


@lru_cache(maxsize=1)
def _readings() -> dict[str, dict[str, Any]]:
    return {str(row["state"]): row for row in table_rows("driver_mounts", "reading")}


@lru_cache(maxsize=1)
def _compat() -> Any:
    row = load("driver_mounts").get("compat", {})
    return re.compile(f"(?:{row['folder']})|(?:{row['package']})", re.I)


def mount_platform(text: str, *, untold_only: bool = True) -> str | None:
    """The platform a line names (knowledge/driver_mounts.toml [[platform]]), by default only one whose loader is not told
    where the driver's libraries are mounted; None otherwise."""
    for key, names, _mount, told in _platforms():
        if untold_only and told:
            continue
        if names.search(text) is not None:
            return key
    return None


def mount_folder(key: str) -> str | None:
    """The folder a platform mounts the driver's libraries at, as a program sees it; None for an unknown platform."""
    return next((mount for k, _names, mount, _told in _platforms() if k == key), None)


def compat_folder(text: str) -> str | None:
    """The CUDA compat package's folder or package name a line names ("/usr/local/cuda-12.1/compat", "cuda-compat-11-3");
    None otherwise."""
    m = _compat().search(text)
    return m.group(0) if m is not None else None


def _reading(state: str) -> MountReading:
    row = _readings()[state]
    return MountReading(cause=str(row["cause"]), also=tuple(str(c) for c in row.get("also", ())),
                        confidence=str(row.get("confidence", "low")), reasoning=str(row.get("reasoning", "")),
                        decide=str(row.get("decide", "")), source=str(row["source"]))


def mount_reading(platform: str | None, *, library_unloaded: bool, allotted: bool, mount_absent: bool) -> MountReading | None:
    """The one decision for the driver's library on a platform that mounts it: only a platform whose loader is not told the
    folder (``mount_platform``), with the driver library shown not loaded, reads CUDA_LIBS_NOT_ON_PATH; the container shown
    given the GPU (``allotted``) decides it, otherwise a container without the GPU stays open. The mount shown absent, no
    such platform, or no failure: None (the folder named alone decides nothing)."""
    if platform is None or not library_unloaded or mount_absent:
        return None
    if not any(key == platform and not told for key, _names, _mount, told in _platforms()):
        return None
    return _reading("mounted_allotted" if allotted else "mounted")


def compat_reading(*, compat_first: bool, mismatch: bool, compat_driver: str | None = None,
                   host_driver: str | None = None) -> MountReading | None:
    """The one decision for the CUDA compat package's libcuda on the loader's path: with CUDA failing on a driver mismatch,
    the compat libcuda older than the host's driver decides DRIVER_MISMATCH; neither version shown leaves the compat
    libcuda the likeliest (DRIVER_TOO_OLD open); the compat libcuda as new as the host's driver or newer is what lets an
    older driver run, and decides nothing here. No compat on the path, or no mismatch: None."""
    if not compat_first or not mismatch:
        return None
    compat, host = parse_version(compat_driver), parse_version(host_driver)
    if compat is not None and host is not None:
        return _reading("compat_older") if compat < host else None
    return _reading("compat_first")
