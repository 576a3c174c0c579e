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

# A Jetson's GPU reaches a container through the NVIDIA runtime's Tegra mode (knowledge/jetson.toml): `--runtime nvidia`.
_RUN_WITH_JETSON_GPU = (
    "Start the container with the NVIDIA runtime: `docker run --runtime nvidia ...` (jetson-containers' `run` does it); "
    "for `docker build` steps and compose, set \"default-runtime\": \"nvidia\" in /etc/docker/daemon.json and restart "
    "docker. Check: inside the container `ls /dev/nvhost-ctrl-gpu` (or /dev/nvgpu) exists."
)


@rule(
    "CTR001", "container-without-gpu", "CONTAINER_NO_GPU", Severity.ERROR,
    RuleDoc(
        what="Inside a container, checks for the NVIDIA device nodes (/dev/nvidia*, or a Jetson's /dev/nvhost-*-gpu and /dev/nvgpu) and the driver files the NVIDIA container runtime mounts in (libcuda.so.1, nvidia-smi).",
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
    # Every node device_nodes lists is a GPU's: /dev/nvidia*, a Jetson's integrated-GPU nodes, WSL2's /dev/dxg.
    if nodes:
        return
    if view.gpus(snapshot).present is False and not snapshot.container.nvidia_mounts:
        return  # the host's PCI bus (visible from inside) has no NVIDIA GPU: NO_GPU speaks for it
    runtime = snapshot.container.runtime or "a container"
    on_jetson = view.jetson(snapshot) is not None
    evidence = [*snapshot.container.evidence,
                "no /dev/nvhost-*-gpu or /dev/nvgpu device nodes (a Jetson's GPU)" if on_jetson else "no /dev/nvidia* device nodes"]
    if not snapshot.driver.libcuda:
        evidence.append("no libcuda.so.1 mounted in")
    yield Hit(
        title=f"Running in {runtime} that was not given the GPU",
        evidence=tuple(evidence),
        fix=_RUN_WITH_JETSON_GPU if on_jetson else _RUN_WITH_GPU,
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
