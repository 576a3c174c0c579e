"""Runs every collector against a ``Machine`` and assembles the ``Snapshot``; a crashing collector becomes a fact."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TypeVar

from whygpu.collect.interface import Machine
from whygpu.facts import Unavailable
from whygpu.snapshot import (
    CloudFacts,
    ContainerFacts,
    CudaFacts,
    DriverFacts,
    HardwareFacts,
    PlatformFacts,
    ProbeRecord,
    Snapshot,
    SnapshotSource,
)
from whygpu.version import __version__

T = TypeVar("T")


def _timed(name: str, probes: list[ProbeRecord], collect: Callable[[], T], fallback: Callable[[str], T]) -> T:
    """Run one collector; an exception in it is recorded and replaced by the fallback facts."""
    start = time.perf_counter()
    try:
        value = collect()
    except Exception as exc:
        reason = f"collector failed: {type(exc).__name__}: {exc}"
        probes.append(ProbeRecord(name, round(time.perf_counter() - start, 4), "error", reason))
        return fallback(reason)
    probes.append(ProbeRecord(name, round(time.perf_counter() - start, 4), "ok"))
    return value


def collect_snapshot(machine: Machine) -> Snapshot:
    """Collect every fact about ``machine``."""
    from whygpu.collect import azure, container, cudalibs, driver, environ, pci, platform, pyenv

    probes: list[ProbeRecord] = []
    plat = _timed("platform", probes, lambda: platform.collect_platform(machine),
                  lambda r: PlatformFacts("other", "unknown", Unavailable(r, "platform"), Unavailable(r, "platform"), Unavailable(r, "platform")))
    hardware = _timed("pci", probes, lambda: pci.collect_hardware(machine),
                      lambda r: HardwareFacts(Unavailable(r, "pci")))
    drv = _timed("driver", probes, lambda: driver.collect_driver(machine),
                 lambda r: DriverFacts(Unavailable(r, "driver"), Unavailable(r, "driver")))
    ctr = _timed("container", probes, lambda: container.collect_container(machine),
                 lambda r: ContainerFacts(Unavailable(r, "container")))
    cloud = _timed("cloud", probes, lambda: azure.collect_cloud(machine),
                   lambda r: CloudFacts(Unavailable(r, "cloud")))
    cuda = _timed("cuda", probes, lambda: cudalibs.collect_cuda(machine), lambda r: CudaFacts())
    pythons = _timed("python", probes, lambda: pyenv.collect_pythons(machine, cuda),
                     lambda r: Unavailable(r, "python"))
    if isinstance(pythons, list):
        broken = [p for p in pythons if p.interpreter_error]
        if broken:
            # The collector ran, but the interpreter it asked did not answer: say so, never "ok".
            record = next(r for r in probes if r.name == "python")
            record.status = "timeout" if "timed out" in (broken[0].interpreter_error or "") else "unavailable"
            record.detail = f"{broken[0].executable}: {broken[0].interpreter_error}"
    env = _timed("environment", probes, lambda: environ.collect_environment(machine), lambda r: {})
    hostname = _hostname() if machine.live else None
    return Snapshot(
        source=SnapshotSource(
            mode="live" if machine.live else "root",
            root=str(machine.root),
            hostname=hostname,
            # datetime.now(timezone.utc).isoformat(timespec="seconds"), without importing datetime.
            created=time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
        ),
        platform=plat,
        hardware=hardware,
        driver=drv,
        container=ctr,
        cloud=cloud,
        cuda=cuda,
        pythons=pythons,
        environment=env,
        probes=probes,
        tool_version=__version__,
    )


def _hostname() -> str:
    """``socket.gethostname()``, which on POSIX is ``uname``'s node name: ``socket`` is imported only elsewhere."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()
