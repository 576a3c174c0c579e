"""The log rules that read a spec pasted in a log for the GPU request it lacks (accspec, session 31).

The spec readings themselves are knowledge.gpu_specs (shared with lint): which spec asks for the GPU and how. LOG103
judges a compose file, Kubernetes workload or MLflow project that asks for none; the rule here judges a workload that asks
for the GPU where the cluster's container runtime does not give it:

- LOG445: on k3s or RKE2 a pod requesting nvidia.com/gpu without ``runtimeClassName: nvidia`` (CONTAINER_NO_GPU).
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule


@rule(
    # Counted 2026-12-06 (python3 bench/explain_rule_precision.py --grep '\b(k3s|rke2|K3s|RKE2)\b'): 1 labelled log names
    # k3s or RKE2, CONTAINER_NO_GPU (its writer says k3s pods need runtimeClassName: nvidia), negatives 0; no pasted
    # workload among them, so the decision rests on k3s's documented set-up (below). Medium, and high where the driver's
    # user-space is shown missing inside (what a pod under runc shows).
    "LOG445", "log-pod-without-nvidia-runtime-class", "CONTAINER_NO_GPU", Severity.ERROR,
    RuleDoc(
        what="Finds a Kubernetes workload pasted whole (its containers) that requests nvidia.com/gpu without runtimeClassName: nvidia, or the writer's word that the pods need or lack runtimeClassName ('for k3s we need to add runtimeClassName: nvidia in pod specs'), in a log that names k3s or RKE2 and shows the GPU unused or unreachable inside the pod (no CUDA device, nvidia-smi or libcuda missing), unless the log shows the NVIDIA runtime made containerd's default (--default-runtime nvidia, default_runtime_name = \"nvidia\") or the writer says nvidia-smi works inside the container.",
        why="k3s and RKE2 register the NVIDIA Container Runtime as containerd's runtime \"nvidia\" and keep runc the default: a pod runs under the NVIDIA runtime, which mounts the driver's libraries and nvidia-smi into it, only with runtimeClassName: nvidia. Without it the device plugin still schedules the pod on the GPU node, but the container gets no driver and its framework finds no GPU.",
        example="kind: Pod ... resources: limits: nvidia.com/gpu: 1 (no runtimeClassName) on k3s\nRuntimeError: Found no NVIDIA driver on your system.\n(https://docs.k3s.io/add-ons/gpu)",
        fix="Add `runtimeClassName: nvidia` to the pod spec (the pod template's spec of a Deployment or Job), or start the k3s/RKE2 agent with `--default-runtime nvidia`.",
        limits="Reads the pasted spec and the distribution's name only; another distribution whose containerd keeps runc the default (kubeadm with the toolkit not set as default) is the writer's account's (LOG103), not this rule's.",
        references=("https://docs.k3s.io/add-ons/gpu", "https://docs.rke2.io/add-ons/gpu_operators",
                    "https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/install-guide.html"),
    ),
)
def pod_without_nvidia_runtime_class(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.explain.rules import _blocked_without_gpu, _driver_not_reached

    facts = subject.facts
    pods = facts.pod_without_runtime_class[:1]
    named = facts.cri_distribution[:1]
    if not pods or not named or subject.gpu_in_use or facts.stated_smi_in_container or facts.manifest_without_gpus:
        return
    missing = _driver_not_reached(subject)
    if not (facts.gpu_unused() or _blocked_without_gpu(subject) or facts.smi_not_found or missing):
        return
    yield Hit(
        title=f"On {named[0].value} the pod requests nvidia.com/gpu but names no NVIDIA runtime class: it runs under runc without the driver",
        evidence=_ev(pods[0], named[0], *facts.gpu_unused()[:1], *missing[:1]),
        fix="Add `runtimeClassName: nvidia` to the pod spec (in a Deployment or Job, the template's spec), or start the "
        f"{named[0].value} agent with `--default-runtime nvidia`; then `kubectl exec <pod> -- nvidia-smi` lists the GPU.",
        confidence=Confidence.HIGH if missing else Confidence.MEDIUM,
        blocks_gpu=True,
    )


SPEC_RULES: list[Rule[LogSubject]] = [pod_without_nvidia_runtime_class]
