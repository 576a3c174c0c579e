"""Builds deep-probe outcomes for rule tests, without running any process."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from builders import PY
from whygpu.probes import (
    ChildAnswer,
    DeepReport,
    Device,
    DriverAnswer,
    DriverCall,
    FrameworkAnswer,
    OperationResult,
    ProbeOutcome,
    StreamCapture,
)
from whygpu.snapshot import Snapshot

VERSIONS = {"tensorflow": "2.21.0", "torch": "2.7.1+cu128", "jax": "0.6.2"}
CHECK = {"tensorflow": "list_physical_devices('GPU')", "torch": "torch.cuda.is_available()", "jax": "jax.devices('gpu')"}


def lines(*text: str) -> StreamCapture:
    return StreamCapture(lines=list(text), total_lines=len(text))


def answered(
    probe: str,
    *,
    gpus: Sequence[str] = (),
    stderr: Sequence[str] = (),
    stdout: Sequence[str] = (),
    build: dict[str, Any] | None = None,
    gpu_build: bool | None = True,
    operation: OperationResult | None = None,
    mapped: Sequence[str] = (),
    import_error: str | None = None,
    installed: bool = True,
    python: str = PY,
) -> ProbeOutcome:
    """A framework probe that answered."""
    devices = [Device(name, "GPU") for name in gpus]
    framework = FrameworkAnswer(
        module=probe,
        installed=installed,
        import_error=import_error,
        version=None if import_error or not installed else VERSIONS[probe],
        build=build or {},
        gpu_build=gpu_build,
        gpus=devices,
        devices=[Device("CPU:0", "CPU"), *devices],
        checks={CHECK[probe]: bool(gpus) if probe == "torch" else len(gpus)},
        operation=operation or OperationResult(),
    )
    answer = ChildAnswer(probe=probe, python_version="3.11.7", executable=python, framework=framework,
                         mapped_libraries=list(mapped), phases=["import", "build_info", "list_devices"])
    return ProbeOutcome(probe=probe, python=python, status="ok", seconds=1.0, timeout_s=60.0, pid=4242, returncode=0,  # type: ignore[arg-type]
                        phase="list_devices", stdout=lines(*stdout), stderr=lines(*stderr), answer=answer, scope=probe)


def ran_on_gpu(probe: str, gpu: str = "NVIDIA A100-SXM4-40GB", **kw: Any) -> ProbeOutcome:
    placed = {"tensorflow": "/job:localhost/replica:0/task:0/device:GPU:0", "torch": "cuda:0", "jax": "cuda:0"}[probe]
    return answered(probe, gpus=[gpu], operation=OperationResult(True, "/GPU:0", True, placed, True), **kw)


def stopped(probe: str, status: str, *, phase: str | None = "import", signal: str | None = None,
            stderr: Sequence[str] = (), stdout: Sequence[str] = (), survivors: Sequence[int] = (),
            returncode: int | None = None, detail: str = "", mapped: Sequence[str] = ()) -> ProbeOutcome:
    """A probe that ended without answering."""
    return ProbeOutcome(probe=probe, python=PY, status=status, seconds=60.0, timeout_s=60.0, pid=4242,  # type: ignore[arg-type]
                        returncode=returncode, signal=signal, phase=phase, stdout=lines(*stdout), stderr=lines(*stderr),
                        survivors=list(survivors), detail=detail, last_mapped_libraries=list(mapped),
                        scope="" if probe == "driver" else probe)


def driver(*, loaded: bool = True, codes: tuple[int, int, int] = (0, 0, 0), names: Sequence[str | None] = (None, None, None),
           load_error: str | None = None, libcuda: str = "/usr/lib/x86_64-linux-gnu/libcuda.so.550.54.15") -> ProbeOutcome:
    """The driver probe: ``codes`` are the results of cuInit, cuDriverGetVersion and cuDeviceGetCount."""
    calls = []
    if loaded:
        values = (None, 12040, 1 if codes[2] == 0 else None)
        calls = [DriverCall(f, c, n, None, v if c == 0 else None)
                 for f, c, n, v in zip(("cuInit", "cuDriverGetVersion", "cuDeviceGetCount"), codes, names, values, strict=True)]
    answer = ChildAnswer(probe="driver", driver=DriverAnswer("libcuda.so.1", loaded, load_error, calls),
                         mapped_libraries=[libcuda] if loaded else [])
    stderr = () if loaded else (f"could not load libcuda.so.1: {load_error}",)
    return ProbeOutcome(probe="driver", python=PY, status="ok", seconds=0.1, timeout_s=60.0, pid=4343, returncode=0,
                        phase="cuInit" if loaded else "load", stderr=lines(*stderr), answer=answer)


def with_deep(snapshot: Snapshot, *outcomes: ProbeOutcome) -> Snapshot:
    """``snapshot`` with a deep section holding ``outcomes`` (keyed by probe name)."""
    snapshot.deep = DeepReport(probes={o.probe: o for o in outcomes})
    return snapshot
