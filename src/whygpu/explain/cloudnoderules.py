"""Rules of a cloud or cluster GPU node and its driver (acccloudnode, session 36; explain/cloudnode.py reads the facts,
knowledge.gpu_presence.node_reading decides).

LOG685 reads a GPU node (a GPU VM size or instance type, a node labelled as a GPU machine, or a cloud or cluster node
nothing shows without a GPU) whose driver the log shows absent (the writer's words, its installer failing, the kubelet
counting 0 of the accelerator it counts from the driver's device files) as DRIVER_MISSING. LOG686 reads a node whose
driver is shown working while the cluster lists no GPU on it as the device plugin or runtime not giving the GPU to pods
(CONTAINER_NO_GPU). A machine shown without a GPU is the presence decision's (NO_GPU), not these rules'.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu.explain.judge import LogSubject, reading_hits
from whygpu.explain.logfacts import LogFacts
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.causes import cause_meaning
from whygpu.knowledge.gpu_presence import NodeReading
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

# A driver-side cause a signature's line already names, other than the one these rules give: that line decides.
_OTHER_DRIVER_SIDE = frozenset({"DRIVER_MISMATCH", "DRIVER_TOO_OLD", "GPU_FAULT", "GPU_NOT_SUPPORTED"})


def _driver_shown(facts: LogFacts) -> list[Any]:
    """The lines that show a driver working on the machine: nvidia-smi's header, a driver version, the kernel module."""
    return [*facts.driver_cuda[:1], *facts.driver_version[:1], *facts.driver_module_shown[:1]]


def _cloud_context(facts: LogFacts, gpu: str) -> bool:
    """Whether the machine is a cloud or cluster GPU node: shown with an NVIDIA GPU (a GPU size, type or label), or a
    node of a cloud or cluster named, counted or installed by one."""
    return gpu == "present" or bool(facts.cloud_node_named or facts.node_gpu_zero or facts.driver_installer_failed
                                    or facts.k8s_gpu_capacity or facts.k8s_no_gpu_said or facts.vm_size)


def node_decision(subject: LogSubject) -> tuple[NodeReading, list[Any]] | None:
    """The knowledge layer's reading of the log's GPU node and the lines that decided it; None where nothing decides."""
    from whygpu.explain.presence import machine_gpu
    from whygpu.knowledge.gpu_presence import node_reading, node_resource_counted_by

    facts = subject.facts
    if subject.gpu_in_use:
        return None
    kubelet_zero = [s for s in facts.node_gpu_zero if node_resource_counted_by(s.value) == "driver"]
    absent = [*facts.driver_absent_said[:1], *facts.driver_installer_failed[:1], *kubelet_zero[:1]]
    none_advertised = [*facts.node_gpu_zero[:1], *[s for s in facts.k8s_gpu_capacity if s.value == "0"][:1],
                       *[s for s in facts.k8s_gpu_allocatable if s.value == "0"][:1], *facts.k8s_no_gpu_said[:1]]
    if facts.k8s_gpu_advertised():
        none_advertised = []
    shown = _driver_shown(facts)
    if not absent and not none_advertised:
        return None
    gpu = machine_gpu(facts).gpu
    if not _cloud_context(facts, gpu):
        return None
    reading = node_reading(gpu, driver_absent=bool(absent), driver_shown=bool(shown), none_advertised=bool(none_advertised))
    if reading is None:
        return None
    if any(f.cause in _OTHER_DRIVER_SIDE and f.alternative_to is None and f.severity is Severity.ERROR for f in subject.matched):
        return None
    return reading, (absent if reading.cause == "DRIVER_MISSING" else [*none_advertised[:1], *shown[:1]])


def _machine_line(facts: LogFacts) -> list[Any]:
    """The line that names the node's GPU machine (a size, a type, a label), where the log shows one."""
    return [*facts.vm_size[:1], *facts.ec2_instance[:1], *facts.gpu_node_label[:1]][:1]


@rule(
    "LOG685", "log-cloud-gpu-node-without-driver", "DRIVER_MISSING", Severity.ERROR,
    RuleDoc(
        what="Reads a cloud or cluster GPU node whose NVIDIA driver the log shows absent: the writer's words ('SSHing into the "
             "machine reveals the drivers have not been installed', 'the Nvidia driver is not installed', 'AKS does not install "
             "GRID drivers'), the driver's installer failing (GKE's nvidia-driver-installer in CrashLoopBackOff, the GPU "
             "Operator's nvidia-driver-daemonset with none ready), or the kubelet's own accelerator count at 0 "
             "('alpha.kubernetes.io/nvidia-gpu: 0', counted from the driver's device files), on a node given a GPU (an N-series "
             "size, a GPU instance type, a GPU node label) or a cloud or cluster node nothing shows without one; the decision is "
             "knowledge.gpu_presence.node_reading.",
        why="A cloud GPU machine gets its driver only from its image, a VM extension or an installer daemonset; where none of "
            "them put it there, the GPU is on the bus but nothing can use it: the kubelet counts no accelerator, the device "
            "plugin finds no GPU through NVML, and every framework finds no driver.",
        example="when I start an instance with the resulting AMI, running `nvidia-smi` reports that the drivers aren't installed.\n"
                "(https://github.com/azavea/raster-vision/issues/233)",
        fix="Install the NVIDIA driver the node's size needs: Azure's NVIDIA GPU driver extension (the GRID driver for NVads A10 "
            "v5 and other vGPU sizes), GKE's driver installer or gpu-driver-version, the GPU Operator, or a node image that "
            "carries the driver; then `nvidia-smi` on the node lists the GPU.",
        limits="A machine shown without a GPU (a CPU size or type, lspci without NVIDIA) is NO_GPU, not read here; the driver "
               "shown working on the node (nvidia-smi's table) is LOG686's; quiet where the GPU is shown in use or a driver-side "
               "line names another cause.",
        references=("https://learn.microsoft.com/azure/virtual-machines/linux/n-series-driver-setup",
                    "https://cloud.google.com/kubernetes-engine/docs/how-to/gpus#installing_drivers",
                    "https://v1-8.docs.kubernetes.io/docs/tasks/manage-gpus/scheduling-gpus/"),
    ),
)
def cloud_gpu_node_without_driver(subject: LogSubject) -> Iterator[Outcome]:
    decided = node_decision(subject)
    if decided is None or decided[0].cause != "DRIVER_MISSING":
        return
    reading, lines = decided
    machine = _machine_line(subject.facts)
    evidence = _ev(*machine, *lines)
    named = f" ({machine[0].value})" if machine else ""
    yield from reading_hits(subject, "DRIVER_MISSING", reading,
                            f"The GPU node{named} has no NVIDIA driver installed: nothing on it can use the GPU", evidence,
                            Confidence(reading.confidence), reading.also[:2])


@rule(
    "LOG686", "log-gpu-node-driver-works-none-advertised", "CONTAINER_NO_GPU", Severity.ERROR,
    RuleDoc(
        what="Reads a cluster node whose NVIDIA driver the log shows working (nvidia-smi's table, a driver version) while the "
             "cluster lists no GPU on it (a Capacity or Allocatable section with cpu, memory and pods but no nvidia.com/gpu, "
             "nvidia.com/gpu at 0, the writer's words that the node exposes no GPU); the decision is "
             "knowledge.gpu_presence.node_reading.",
        why="The device plugin advertises nvidia.com/gpu only for the GPUs it finds through NVML from inside its own container; "
            "with the driver working on the node, none advertised means the plugin is not running there or runs without the "
            "NVIDIA runtime, so no pod is given the GPU.",
        example="I have installed nvidia driver ... Driver Version: 535.183.01 ... Capacity: cpu: 48 memory: ... pods: 110 "
                "(no nvidia.com/gpu)\n(https://github.com/NVIDIA/k8s-device-plugin/issues/834)",
        fix="Deploy the NVIDIA device plugin (or the GPU Operator) and make the node's container runtime the NVIDIA one "
            "(`nvidia-ctk runtime configure --runtime=containerd --set-as-default`, restart containerd), then restart the plugin's pod.",
        limits="The driver shown may be another machine's (a laptop's beside the cluster's); quiet where the cluster shows a "
               "node advertising GPUs, where LOG190 or LOG581 already read the node's rows or the writer's words, or the GPU in use.",
        references=("https://github.com/NVIDIA/k8s-device-plugin", "https://kubernetes.io/docs/tasks/manage-gpus/scheduling-gpus/"),
    ),
)
def gpu_node_driver_works_none_advertised(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if any(s.value == "0" for s in (*facts.k8s_gpu_capacity, *facts.k8s_gpu_allocatable)) or facts.k8s_no_gpu_said:
        return  # LOG190 and LOG581 read these
    decided = node_decision(subject)
    if decided is None or decided[0].cause != "CONTAINER_NO_GPU":
        return
    reading, lines = decided
    yield from reading_hits(subject, "CONTAINER_NO_GPU", reading,
                            "The node's NVIDIA driver works but the cluster lists no GPU on it: the device plugin gives no pod the GPU",
                            _ev(*lines), Confidence(reading.confidence), reading.also[:1])


@rule(
    "LOG687", "log-driver-said-short-of-cuda", "DRIVER_TOO_OLD", Severity.ERROR,
    RuleDoc(
        what="Reads the writer's words that the machine's driver does not run a CUDA release ('this version of nvidia drivers "
             "does not support CUDA 11.8') where the driver the log shows agrees (nvidia-smi's header or its version runs an "
             "older CUDA at most: knowledge.cuda_versions.driver_runs_cuda) and a framework is named; the CUDA the framework "
             "needs is the one said.",
        why="A driver runs CUDA builds up to its own CUDA release; a cloud image or a node pool whose driver is older than the "
            "CUDA of the framework's current builds leaves every such build without the GPU until the driver is updated.",
        example="NVIDIA-SMI 495.29.05    Driver Version: 495.29.05    CUDA Version: 11.5\nThis version of nvidia drivers does "
                "not support CUDA 11.8 ... the latest pytorch supporting only CUDA 11.8+\n(https://github.com/skypilot-org/skypilot/issues/2751)",
        fix="Update the machine's NVIDIA driver (or the cloud image or node pool's, to one whose driver runs the CUDA said), or "
            "install the framework's build for the CUDA the driver runs.",
        limits="Quiet where the driver shown runs the release said (the words and the header disagree), where no framework is "
               "named, the GPU is shown in use, or a signature names a cause.",
        references=("https://docs.nvidia.com/deploy/cuda-compatibility/",),
    ),
)
def driver_said_short_of_cuda(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.driver_short_of or subject.gpu_in_use or not facts.mentioned:
        return
    if any(f.alternative_to is None and f.severity is Severity.ERROR and f.cause != "UNKNOWN" for f in subject.matched):
        return
    from whygpu.knowledge.cuda import max_cuda_for_driver, min_driver_for_cuda
    from whygpu.knowledge.cuda_versions import driver_runs_cuda

    said = facts.driver_short_of[0]
    shown: tuple[str, Any] | None = None
    if facts.driver_cuda:
        shown = (facts.driver_cuda[0].value, facts.driver_cuda[0])
    elif facts.driver_version and (top := max_cuda_for_driver(facts.driver_version[0].value, minor_compat=False)) is not None:
        shown = (top, facts.driver_version[0])
    if shown is None or driver_runs_cuda(shown[0], said.value, minor_compat=False) is not False:
        return  # nothing shows the driver, or the driver shown runs the release said: the words decide nothing
    floor = min_driver_for_cuda(said.value if "." in said.value else f"{said.value}.0")
    yield Hit(
        title=f"The driver runs CUDA {shown[0]} at most, short of the CUDA {said.value} the framework needs: {cause_meaning('DRIVER_TOO_OLD')}",
        evidence=_ev(shown[1], said),
        fix=f"Update the machine's NVIDIA driver to {floor or 'one that runs CUDA ' + said.value} or newer (the lowest that runs "
            f"CUDA {said.value}; on a cloud machine, an image or node pool that carries it), or install the framework's build for "
            f"CUDA {shown[0]} or older.",
        confidence=Confidence.MEDIUM,
        cause="DRIVER_TOO_OLD",
        blocks_gpu=True,
    )


CLOUD_NODE_RULES: list[Rule[LogSubject]] = [cloud_gpu_node_without_driver, gpu_node_driver_works_none_advertised,
                                            driver_said_short_of_cuda]
