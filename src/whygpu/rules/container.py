"""Rules about containers: was the GPU passed into this one."""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.facts import Unavailable
from whygpu.model import Confidence, Severity
from whygpu.rules import view
from whygpu.rules.interface import Hit, Outcome, RuleDoc, rule
from whygpu.snapshot import Snapshot

_RUN_WITH_GPU = (
    "Start the container with the GPU: `docker run --gpus all ...` (NVIDIA Container Toolkit installed on the host), "
    "`--device nvidia.com/gpu=all` with CDI/podman, or `resources.limits: nvidia.com/gpu: 1` on Kubernetes; "
    "on Azure ML, run the job on a GPU compute (the runtime passes the GPU in)."
)


@rule(
    "CTR001", "container-without-gpu", "CONTAINER_NO_GPU", Severity.ERROR,
    RuleDoc(
        what="Inside a container, checks for the NVIDIA device nodes (/dev/nvidia*) and the driver files the NVIDIA container runtime mounts in (libcuda.so.1, nvidia-smi).",
        why="A container started without --gpus (or the NVIDIA runtime) has neither, so every framework falls back to the CPU even on a GPU host.",
        example="`docker run my-image python train.py` on a GPU VM, without `--gpus all`.",
        fix="docker run --gpus all ... (or the equivalent for podman, Kubernetes, Azure ML).",
        limits="Whether the host has a GPU is often unknown from inside; the rule fires on the missing pass-through either way.",
        references=("https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/docker-specialized.html",),
    ),
)
def container_without_gpu(snapshot: Snapshot) -> Iterator[Outcome]:
    if snapshot.container.in_container is not True:
        return
    nodes = snapshot.driver.device_nodes
    if isinstance(nodes, Unavailable):
        return
    nvidia_nodes = [n for n in nodes if n.startswith("/dev/nvidia")]
    if nvidia_nodes or "/dev/dxg" in nodes:
        return
    if view.gpus(snapshot).present is False and not snapshot.container.nvidia_mounts:
        return  # the host's PCI bus (visible from inside) has no NVIDIA GPU: NO_GPU speaks for it
    runtime = snapshot.container.runtime or "a container"
    evidence = [*snapshot.container.evidence, "no /dev/nvidia* device nodes"]
    if not snapshot.driver.libcuda:
        evidence.append("no libcuda.so.1 mounted in")
    yield Hit(
        title=f"Running in {runtime} that was not given the GPU",
        evidence=tuple(evidence),
        fix=_RUN_WITH_GPU,
        confidence=Confidence.HIGH if not snapshot.driver.libcuda else Confidence.MEDIUM,
    )


@rule(
    "CTR002", "nvidia-visible-devices-void", "CONTAINER_NO_GPU", Severity.ERROR,
    RuleDoc(
        what="Reads NVIDIA_VISIBLE_DEVICES, which tells the NVIDIA container runtime which GPUs to pass in.",
        why="'void', 'none' or an empty value makes the runtime pass no GPU (or no device nodes), even with --gpus.",
        example="ENV NVIDIA_VISIBLE_DEVICES=void in a base image.",
        fix="Set NVIDIA_VISIBLE_DEVICES=all (or the GPU ids) in the image or the run command, or remove it.",
        references=("https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/docker-specialized.html#gpu-enumeration",),
    ),
)
def nvidia_visible_devices_void(snapshot: Snapshot) -> Iterator[Outcome]:
    value = view.env_var(snapshot, "NVIDIA_VISIBLE_DEVICES")
    if value is None or value.strip().lower() not in ("void", "none", ""):
        return
    yield Hit(
        title=f"NVIDIA_VISIBLE_DEVICES={value!r} tells the container runtime to pass no GPU",
        evidence=(f"NVIDIA_VISIBLE_DEVICES={value}",),
        fix="Set NVIDIA_VISIBLE_DEVICES=all (ENV NVIDIA_VISIBLE_DEVICES=all in the Dockerfile) or remove it.",
        confidence=Confidence.HIGH if snapshot.container.in_container is True else Confidence.MEDIUM,
    )


RULES = [container_without_gpu, nvidia_visible_devices_void]
