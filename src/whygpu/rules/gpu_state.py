"""Rules about the state of a working GPU, from the driver's report: memory taken, compute mode, faults."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import NamedTuple

from whygpu.facts import Unavailable
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, RuleDoc, rule
from whygpu.snapshot import NvmlDevice, Snapshot

# Above this share of memory held by other processes a framework's start-up allocation fails.
_BUSY_MEMORY_SHARE = 0.9


def _memory_busy(total_mib: int | None, used_mib: int | None) -> bool:
    """Whether other processes hold so much of a GPU's memory that a framework's start-up allocation fails."""
    return bool(total_mib and used_mib is not None and used_mib / total_mib >= _BUSY_MEMORY_SHARE)


@rule(
    "BUSY001", "gpu-memory-taken", "GPU_BUSY", Severity.WARNING,
    RuleDoc(
        what="Reads each GPU's used memory and the processes holding it.",
        why="TensorFlow and JAX reserve most of the memory at start-up; when another process holds it they fail with out-of-memory at initialisation or fall back.",
        example="A forgotten Jupyter kernel holding 79 of 80 GiB.",
        fix="Stop the other processes (see nvidia-smi), or limit their memory (TF_FORCE_GPU_ALLOW_GROWTH=true, XLA_PYTHON_CLIENT_PREALLOCATE=false).",
    ),
)
def gpu_memory_taken(snapshot: Snapshot) -> Iterator[Outcome]:
    report = snapshot.driver.report
    if isinstance(report, Unavailable):
        return
    for device in report.devices:
        if not _memory_busy(device.memory_total_mib, device.memory_used_mib):
            continue
        holders = ", ".join(f"pid {p.pid} {p.name} ({p.used_memory_mib} MiB)" for p in device.processes) or "processes not visible here"
        yield Hit(
            title=f"GPU {device.index} ({device.name}) has {device.memory_used_mib} of {device.memory_total_mib} MiB taken",
            evidence=(f"GPU {device.index}: {device.memory_used_mib}/{device.memory_total_mib} MiB used", f"held by: {holders}"),
            fix="Stop the processes holding the memory (`nvidia-smi` lists them), or run on another GPU.",
        )


@rule(
    "BUSY002", "gpu-compute-mode-blocks", "GPU_BUSY", Severity.ERROR,
    RuleDoc(
        what="Reads each GPU's compute mode.",
        why="'Prohibited' allows no CUDA context; 'Exclusive_Process' allows one, so a second process gets 'all CUDA-capable devices are busy or unavailable'.",
        example="nvidia-smi -c EXCLUSIVE_PROCESS on a shared node, with another job running.",
        fix="Ask the administrator to set the default mode (`nvidia-smi -c DEFAULT`), or wait for the other process.",
    ),
)
def gpu_compute_mode(snapshot: Snapshot) -> Iterator[Outcome]:
    report = snapshot.driver.report
    if isinstance(report, Unavailable):
        return
    for device in report.devices:
        mode = (device.compute_mode or "").lower()
        if "prohibited" in mode or ("exclusive" in mode and device.processes):
            yield Hit(
                title=f"GPU {device.index} ({device.name}) is in compute mode {device.compute_mode}"
                + (" and already used by another process" if device.processes else ""),
                evidence=(f"GPU {device.index}: compute mode {device.compute_mode}",
                          *(f"pid {p.pid} {p.name}" for p in device.processes)),
                fix=f"nvidia-smi -i {device.index} -c DEFAULT (administrator), or run on another GPU.",
            )


@rule(
    "FAULT001", "gpu-reports-fault", "GPU_FAULT", Severity.ERROR,
    RuleDoc(
        what="Reads per-GPU errors from the driver: 'Unknown Error', 'GPU is lost', uncorrected ECC errors.",
        why="A faulted GPU fails every CUDA call; only a reset, reboot or replacement helps.",
        example="nvidia-smi: 'Unable to determine the device handle for GPU 0000:00:1E.0: Unknown Error'.",
        fix="Reboot the machine; on Azure, redeploy or report the node (Azure ML: the node is replaced); if it recurs the GPU needs service.",
        references=("https://docs.nvidia.com/deploy/xid-errors/index.html",),
    ),
)
def gpu_fault(snapshot: Snapshot) -> Iterator[Outcome]:
    report = snapshot.driver.report
    if isinstance(report, Unavailable):
        return
    for device in report.devices:
        evidence: list[str] = []
        if device.error:
            evidence.append(f"GPU {device.index}: {device.error}")
        if device.uncorrected_ecc_errors:
            evidence.append(f"GPU {device.index}: {device.uncorrected_ecc_errors} uncorrected ECC errors")
        if evidence:
            yield Hit(
                title=f"GPU {device.index} ({device.name}) reports a fault",
                evidence=tuple(evidence),
                fix="Reboot; if the error stays, redeploy the VM (Azure: `az vm redeploy`) or have the GPU serviced.",
                confidence=Confidence.HIGH if device.error else Confidence.MEDIUM,
            )


RULES = [gpu_memory_taken, gpu_compute_mode, gpu_fault]

# The per-GPU fields that change from one moment to the next (what is running right now). Only the
# rules in STATE_RULES read them, so two snapshots that differ only in these fields get the same
# findings from every other rule (a test checks it); fleets rely on that to diagnose a node's
# configuration once.
STATE_FIELDS = frozenset({"memory_used_mib", "utilization_percent", "processes"})
STATE_RULES = [gpu_memory_taken, gpu_compute_mode]


def state_signature(memory_total_mib: int | None, compute_mode: str | None, memory_used_mib: int | None,
                    processes: object) -> tuple[int | None, object]:
    """What the rules in STATE_RULES can make of one GPU's current state, given its configuration.

    Two GPUs of one configuration whose signatures are equal get the same findings, word for word,
    from STATE_RULES (a test checks it over every state): utilisation is never read, the memory
    used only once it reaches the busy share, and the processes (``processes``: anything that is
    equal only when they are, such as their JSON text) only then or when the compute mode makes
    them count. A fleet judges a node's state once per signature, not once per node.
    """
    busy = _memory_busy(memory_total_mib, memory_used_mib)
    mode = (compute_mode or "").lower()
    watched = busy or "prohibited" in mode or "exclusive" in mode
    return (memory_used_mib if busy else None, processes if watched else None)


def quiet_below(memory_total_mib: int | None, compute_mode: str | None) -> float | None:
    """The memory used below which a GPU's ``state_signature`` is ``(None, None)`` whatever its processes.

    None when there is no such bound (the compute mode makes the processes count, or a total below
    zero); infinity when no memory used makes the GPU busy (no total known).
    """
    mode = (compute_mode or "").lower()
    if "prohibited" in mode or "exclusive" in mode or (memory_total_mib is not None and memory_total_mib < 0):
        return None
    if not memory_total_mib:
        return math.inf
    least = math.ceil(memory_total_mib * _BUSY_MEMORY_SHARE)
    while _memory_busy(memory_total_mib, least - 1):
        least -= 1
    while not _memory_busy(memory_total_mib, least):
        least += 1
    return least


class StateFinding(NamedTuple):
    """What one state rule found on one GPU, as numbers rather than words: a fleet groups these by rule."""

    code: str  # the rule's code (BUSY001, BUSY002)
    gpu: int  # the GPU's index
    name: str  # the GPU's model
    memory_total_mib: int | None
    compute_mode: str | None
    memory_used_mib: int | None
    processes: int  # how many processes the driver lists on it


def device_state_findings(device: NvmlDevice) -> Iterator[StateFinding]:
    """The state rules' findings on one GPU in numbers: exactly the (rule, GPU) pairs STATE_RULES report (a test checks it)."""
    if _memory_busy(device.memory_total_mib, device.memory_used_mib):
        yield StateFinding(gpu_memory_taken.code, device.index, device.name, device.memory_total_mib, device.compute_mode,
                           device.memory_used_mib, len(device.processes))
    mode = (device.compute_mode or "").lower()
    if "prohibited" in mode or ("exclusive" in mode and device.processes):
        yield StateFinding(gpu_compute_mode.code, device.index, device.name, device.memory_total_mib, device.compute_mode,
                           device.memory_used_mib, len(device.processes))


def state_findings(snapshot: Snapshot) -> tuple[StateFinding, ...]:
    """The state rules' findings on every GPU of ``snapshot``, in numbers (``StateFinding``)."""
    report = snapshot.driver.report
    if isinstance(report, Unavailable):
        return ()
    return tuple(found for device in report.devices for found in device_state_findings(device))
