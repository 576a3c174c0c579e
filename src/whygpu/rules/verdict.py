"""Turns doctor findings into the one-line verdict and a per-framework answer."""

from __future__ import annotations

from typing import Any

from whygpu.facts import Unavailable
from whygpu.model import Cause, Finding, Severity
from whygpu.rules import view
from whygpu.snapshot import Snapshot

_PRETTY = {"tensorflow": "TensorFlow", "torch": "PyTorch", "jax": "JAX"}


def summarise(snapshot: Snapshot, findings: list[Finding], causes: list[Cause]) -> tuple[bool | None, str, dict[str, Any]]:
    """``(gpu_usable, summary, per_framework)`` for a doctor report."""
    deep = _deep_verdicts(snapshot)
    # A framework that really ran an operation on the GPU (--deep) outranks a static error about it.
    proven = {name for (_python, name), ok in deep.items() if ok is True}
    errors = [f for f in findings if f.severity is Severity.ERROR and not (f.scope and f.scope in proven)]
    presence = view.gpus(snapshot)
    report = snapshot.driver.report
    driver_ok = not isinstance(report, Unavailable) and bool(report.devices)

    per_framework: dict[str, Any] = {}
    usable_names: list[str] = []
    for env, fw in snapshot.frameworks():
        blockers = sorted({f.cause for f in errors if f.scope in ("", fw.name)})
        libs_ok = all(r.resolved for r in fw.libraries if r.required)
        ran = deep.get((env.executable, fw.name))
        if ran is True:
            usable: bool | None = True
        elif blockers:
            usable = False
        elif fw.gpu_build is True and libs_ok and presence.present and driver_ok:
            usable = True
        else:
            usable = None
        per_framework[f"{fw.distribution} {fw.version} ({env.executable})"] = {
            "gpu_usable": usable,
            "ran_on_gpu": ran,
            "blocked_by": blockers,
            "cuda": fw.cuda_version,
            "cudnn": fw.cudnn_version,
        }
        if usable:
            usable_names.append(f"{_PRETTY[fw.name]} {fw.version}")

    if errors:
        lead = causes[0] if causes else None
        more = len(causes) - 1
        summary = f"The GPU is not usable here: {lead.title if lead else errors[0].title}."
        if more > 0:
            summary += f" {more} more blocker{'s' if more > 1 else ''} below."
        return False, summary, per_framework
    gpu_name = _gpu_name(snapshot)
    if usable_names:
        return True, f"{' and '.join(usable_names)} can use the {gpu_name}.", per_framework
    if not snapshot.frameworks():
        if presence.present and driver_ok:
            return None, f"The {gpu_name} and its driver are ready, but no TensorFlow, PyTorch or JAX is installed in the inspected environment.", per_framework
        return None, "No TensorFlow, PyTorch or JAX is installed in the inspected environment, and no blocker was found on the machine.", per_framework
    if snapshot.source.mode != "live":
        return None, "No blocker found in the files; whether the GPU works needs the live machine (the driver cannot be asked under --root).", per_framework
    l4t = view.jetson(snapshot)
    if l4t is not None and presence.present:
        # A Jetson's nvgpu driver answers no NVML query before JetPack 6: only running the framework confirms its GPU.
        release = "" if l4t == "unknown" else f" (L4T {l4t})"
        return None, (f"No blocker found on this NVIDIA Jetson{release}, but its GPU could not be confirmed: the nvgpu driver does "
                      "not answer NVML queries before JetPack 6; `whygpu doctor --deep` runs the frameworks to confirm it."), per_framework
    return None, "No blocker found, but the GPU could not be confirmed: the driver did not report a GPU.", per_framework


def _deep_verdicts(snapshot: Snapshot) -> dict[tuple[str, str], bool | None]:
    """``--deep`` answers keyed by (interpreter, framework): did it run an operation on a GPU."""
    if not snapshot.deep:
        return {}
    from whygpu.rules.deep_view import verdicts_by_environment

    return verdicts_by_environment(snapshot)


def _gpu_name(snapshot: Snapshot) -> str:
    report = snapshot.driver.report
    if not isinstance(report, Unavailable) and report.devices:
        names = sorted({d.name for d in report.devices})
        count = len(report.devices)
        return (f"{count} x " if count > 1 else "") + ", ".join(names) + f" (driver {report.driver_version})"
    presence = view.gpus(snapshot)
    if presence.nvidia:
        return presence.nvidia[0].model or "NVIDIA GPU"
    return "NVIDIA GPU"
