"""Rules of the place a driver-side answer was given (acccont, session 34; explain/contplace.py, knowledge/driver_reach.toml).

LOG580 reads nvidia-smi found missing on a host (no container shown or named, Linux) as the driver not installed. Inside a
container not given the GPU the same line is the container's (LOG103 reads it there); the ranking of a framework's
driver-side answers by the place is applied to the signatures' readings themselves (explain.infer via contplace.reach_ranked).
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.contplace import driver_place, presence_ranked, reading_for
from whygpu.explain.judge import LogSubject, alternative_hit, reading_hits
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

# The causes a driver-side line already names: where one of them leads, its own line decides and LOG580 adds nothing.
_DRIVER_SIDE = frozenset({"DRIVER_MISSING", "DRIVER_MISMATCH", "DRIVER_TOO_OLD", "CONTAINER_NO_GPU", "NO_GPU", "GPU_FAULT"})


@rule(
    "LOG580", "log-nvidia-smi-missing-on-host", "DRIVER_MISSING", Severity.ERROR,
    RuleDoc(
        what="Finds nvidia-smi not found where a command ran ('bash: nvidia-smi: command not found', 'nvidia-smi not found') in "
             "a log that shows or names no container, image, pod or container runtime at all, on Linux (not Windows, macOS, "
             "WSL or Colab), with no driver version shown and nothing showing the GPU in use; the place and its meaning are "
             "the knowledge layer's one decision (knowledge/driver_reach.toml, place \"host\").",
        why="nvidia-smi is installed by the NVIDIA driver (every driver package and the .run installer put it beside libcuda.so.1), "
            "not by the CUDA toolkit or a framework: on a machine's own system its absence means the driver's user-space is not "
            "installed. Inside a container the runtime mounts it in only for a container given the GPU, which is LOG103's reading.",
        example="$ nvidia-smi\nbash: nvidia-smi: command not found\n(nvidia-smi ships with the driver: https://docs.nvidia.com/deploy/nvidia-smi/index.html)",
        fix="Install the NVIDIA driver for the GPU (`sudo ubuntu-drivers install`, or the distribution's nvidia-driver package), "
            "reboot, and check that `nvidia-smi` lists the GPU.",
        limits="A container the log does not mention reads the same (the alternatives name it); a machine without an NVIDIA GPU "
               "has no nvidia-smi either (NO_GPU, the first alternative); Windows drivers before 2020 left nvidia-smi off the PATH "
               "(Windows is not read).",
        references=("https://docs.nvidia.com/deploy/nvidia-smi/index.html",
                    "https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/arch-overview.html"),
    ),
)
def nvidia_smi_missing_on_host(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.smi_not_found or subject.gpu_in_use:
        return
    seen = next((s for s in facts.smi_not_found if "not recognized" not in s.text and not s.text.rstrip().endswith("?")), None)
    if seen is None:
        return  # Windows' "is not recognized" (a PATH question there), or a question
    if any(f.cause in _DRIVER_SIDE and f.alternative_to is None for f in (*subject.matched, *subject.doctor)):
        return  # a driver-side line of the log decides by itself
    where = driver_place(facts)
    reading = reading_for(where, fact="smi_not_found")
    if reading is None or reading.place != "host":
        return
    # accnodriver (session 36): the machine's NVIDIA GPU as the log shows it orders NO_GPU against the driver
    # (knowledge.gpu_presence): shown without one, there is no driver to install.
    first, others, confidence = presence_ranked(reading.ranking[0], tuple(reading.ranking[1:]), Confidence(reading.confidence), where)
    evidence = _ev(seen)
    title = ("nvidia-smi is not installed on this machine: the NVIDIA driver (which installs it) is not installed"
             if first != "NO_GPU" else
             "nvidia-smi is not installed on a machine the log shows without an NVIDIA GPU: there is no GPU for a driver to drive")
    yield from reading_hits(subject, first, reading, title, evidence, confidence, [*others, "CONTAINER_NO_GPU"][:2])


@rule(
    "LOG581", "log-k8s-nodes-said-to-advertise-no-gpu", "CONTAINER_NO_GPU", Severity.ERROR,
    RuleDoc(
        what="Reads the writer's words that the cluster's nodes advertise no nvidia.com/gpu ('sets `nvidia.com/gpu: 0` on the "
             "node', 'pods don't get scheduled due to a lack of nvidia.com/gpu', 'I see no GPUs available with `kubectl get nodes "
             "... nvidia.com/gpu`'), asserted, where no node is shown advertising GPUs and LOG190 did not read the node's own rows.",
        why="A pod is given a GPU only through the nvidia.com/gpu resource the NVIDIA device plugin advertises on its node; none "
            "advertised means the plugin is not running there, or runs without the GPUs (the node's container runtime not the "
            "NVIDIA one, so it loads no NVML), or the node's driver is not loaded: no pod can be given the GPU.",
        example="the daemonset deploys but sees 0 graphics cards and thus sets ` nvidia.com/gpu:     0` on the node.\n"
                "(https://github.com/NVIDIA/k8s-device-plugin/issues/107)",
        fix="Make the device plugin see the GPUs: the node's runtime must be the NVIDIA one (`nvidia-ctk runtime configure "
            "--runtime=containerd --set-as-default`, or the GPU Operator), then restart the plugin's pod.",
        limits="The scheduler's own 'Insufficient nvidia.com/gpu' (GPUs maybe taken: LOG-K8S-INSUFFICIENT-GPU) and a question are "
               "not read; a node without a GPU also advertises none.",
        references=("https://kubernetes.io/docs/tasks/manage-gpus/scheduling-gpus/", "https://github.com/NVIDIA/k8s-device-plugin"),
    ),
)
def k8s_nodes_said_to_advertise_no_gpu(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.k8s_no_gpu_said or subject.gpu_in_use or facts.k8s_gpu_advertised() or facts.k8s_gpu_capacity:
        return
    from whygpu.explain.cloudnoderules import node_decision

    if (decided := node_decision(subject)) is not None and decided[0].cause == "DRIVER_MISSING":
        return  # acccloudnode (session 36): the node's driver shown absent decides (LOG685)
    from whygpu.knowledge.container_stack import component_row

    seen = facts.k8s_no_gpu_said[0]
    evidence = _ev(seen)
    plugin = component_row("device-plugin") or {}
    check = str(plugin.get("check", ""))
    yield Hit(
        title=f"The report says the nodes advertise no nvidia.com/gpu ('{seen.value}'): the NVIDIA device plugin gives no pod a GPU",
        evidence=evidence,
        fix="Make the device plugin see the GPUs: the node's container runtime must be the NVIDIA one (`nvidia-ctk runtime "
            "configure --runtime=containerd --set-as-default`, or deploy the GPU Operator), then restart the plugin's pod."
            + (f"\nTo tell the causes apart: {check}; then `nvidia-smi` on the node itself (failing there: the node's driver)." if check else ""),
        confidence=Confidence.MEDIUM,
        blocks_gpu=True,
    )
    yield alternative_hit("DRIVER_MISSING", evidence, "CONTAINER_NO_GPU")


CONT_RULES: list[Rule[LogSubject]] = [nvidia_smi_missing_on_host, k8s_nodes_said_to_advertise_no_gpu]
