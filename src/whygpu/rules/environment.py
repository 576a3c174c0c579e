"""Rules about environment variables that hide the GPU or misdirect the loader."""

from __future__ import annotations

import os
from collections.abc import Iterator

from whygpu.facts import Unavailable
from whygpu.knowledge.visibility import visible_devices_hide_all
from whygpu.model import Confidence, Severity
from whygpu.rules import view
from whygpu.rules.interface import Hit, Outcome, RuleDoc, rule
from whygpu.snapshot import Snapshot


def _device_count(snapshot: Snapshot) -> int | None:
    report = snapshot.driver.report
    if not isinstance(report, Unavailable):
        return len(report.devices)
    presence = view.gpus(snapshot)
    return len(presence.nvidia) if presence.present else None


@rule(
    "ENV001", "cuda-visible-devices-hides-gpu", "GPU_HIDDEN", Severity.ERROR,
    RuleDoc(
        what="Reads CUDA_VISIBLE_DEVICES: empty, -1, or only ids that do not exist hide every GPU from CUDA.",
        why="CUDA then reports no device (cuInit error 100) and the framework silently uses the CPU; an empty string hides GPUs just like -1.",
        example="export CUDA_VISIBLE_DEVICES=-1 left in a shell profile; CUDA_VISIBLE_DEVICES=\"\" from a scheduler.",
        fix="unset CUDA_VISIBLE_DEVICES, or set it to existing GPU ids (0, 0,1, or GPU UUIDs).",
        references=("https://docs.nvidia.com/cuda/cuda-c-programming-guide/index.html#env-vars",),
    ),
)
def cuda_visible_devices(snapshot: Snapshot) -> Iterator[Outcome]:
    value = view.env_var(snapshot, "CUDA_VISIBLE_DEVICES")
    if value is None:
        return
    # acclibs (session 23): the decision is the knowledge layer's, shared with explain's readings of a log.
    detail = visible_devices_hide_all(value, _device_count(snapshot))
    if detail is not None:
        yield Hit(
            title=f"CUDA_VISIBLE_DEVICES={value!r} hides the GPU",
            evidence=(f"CUDA_VISIBLE_DEVICES={value}", detail),
            fix="unset CUDA_VISIBLE_DEVICES (or set it to existing GPU ids, e.g. CUDA_VISIBLE_DEVICES=0); "
            "also remove it from the job's environment variables or the shell profile that sets it.",
        )


@rule(
    "ENV002", "jax-platforms-env-excludes-gpu", "GPU_HIDDEN", Severity.ERROR,
    RuleDoc(
        what="Reads JAX_PLATFORMS (and the older JAX_PLATFORM_NAME) when JAX is installed.",
        why="JAX_PLATFORMS=cpu makes JAX skip the CUDA backend even when the plugin and GPU are fine.",
        example="JAX_PLATFORMS=cpu exported in a notebook kernel's environment.",
        fix="unset JAX_PLATFORMS, or set JAX_PLATFORMS=cuda to require the GPU.",
        references=("https://docs.jax.dev/en/latest/installation.html",),
    ),
)
def jax_platforms_cpu(snapshot: Snapshot) -> Iterator[Outcome]:
    if not any(fw.name == "jax" for _env, fw in snapshot.frameworks()):
        return
    for name in ("JAX_PLATFORMS", "JAX_PLATFORM_NAME"):
        value = view.env_var(snapshot, name)
        if value is None:
            continue
        platforms = [p.strip().lower() for p in value.split(",") if p.strip()]
        if platforms and not any(p in ("cuda", "gpu") for p in platforms):
            yield Hit(
                title=f"{name}={value} keeps JAX off the GPU",
                evidence=(f"{name}={value}",),
                fix=f"unset {name} (or set JAX_PLATFORMS=cuda).",
                scope="jax",
            )


@rule(
    "ENV003", "cuda-home-invalid", "CUDA_LIBS_NOT_ON_PATH", Severity.WARNING,
    RuleDoc(
        what="Checks that CUDA_HOME / CUDA_PATH points at an existing CUDA toolkit.",
        why="Build steps and some loaders (XLA's ptxas search, custom ops) use CUDA_HOME; a stale value sends them to a CUDA that is not there.",
        example="CUDA_HOME=/usr/local/cuda-11.8 after only CUDA 12.4 was installed.",
        fix="Point CUDA_HOME at the installed toolkit, or unset it when the pip CUDA wheels are used.",
        limits="The framework builds read from wheels do not need CUDA_HOME at run time; this is a warning.",
    ),
)
def cuda_home_invalid(snapshot: Snapshot) -> Iterator[Outcome]:
    home = snapshot.cuda.cuda_home
    if not home:
        return
    known = {os.path.normpath(t.path) for t in snapshot.cuda.toolkits}
    if os.path.normpath(home) in known:
        return
    if snapshot.source.mode != "live" and not known:
        return
    yield Hit(
        title=f"CUDA_HOME points to {home}, where no CUDA toolkit was found",
        evidence=(f"CUDA_HOME={home}", "toolkits found: " + (", ".join(sorted(known)) or "none")),
        fix=("Set CUDA_HOME to " + sorted(known)[-1]) if known else "Unset CUDA_HOME (the frameworks' pip CUDA wheels do not need it).",
        confidence=Confidence.MEDIUM,
    )


RULES = [cuda_visible_devices, jax_platforms_cpu, cuda_home_invalid]
