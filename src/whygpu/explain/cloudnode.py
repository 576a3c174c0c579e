"""A cloud or cluster GPU node and its driver, as the log shows them (acccloudnode, session 36).

Reads into typed facts what decides between a GPU node without its driver (DRIVER_MISSING), one whose device plugin or
runtime gives no pod the GPU (CONTAINER_NO_GPU) and a machine without a GPU (NO_GPU, the presence decision's):

- ``driver_absent_said``: the writer's words that the NVIDIA driver is not on the machine ("the drivers have not been
  installed", "the Nvidia driver is not installed", "doesn't have gpu driver installed", "no CUDA drivers", "AKS does not
  install GRID drivers"), asserted (not asked, supposed or advised: explain.grammar);
- ``driver_installer_failed``: a driver installer (knowledge/gpu_presence.toml [[driver_installer]]: GKE's installer
  daemonset, the GPU Operator's driver daemonset, Azure's driver extension) shown failing, crash-looping or not ready, or
  the driver's installation said to fail;
- ``gpu_node_label``: a node labelled as a GPU machine (GKE's gke-accelerator, Karpenter's instance-gpu-count, AKS's
  accelerator label): a presence sign (knowledge.gpu_presence, kind "gpu_node");
- ``node_gpu_zero``: a node counting no GPU: the kubelet's own accelerator row at 0 ("alpha.kubernetes.io/nvidia-gpu: 0",
  whose count is the driver's device files), the writer's "<resource> is 0", a Capacity or Allocatable section listing
  cpu, memory and pods but no GPU resource, or the writer's words that the node lists or exposes no GPU; the value the
  resource named ("alpha.kubernetes.io/nvidia-gpu", "nvidia.com/gpu") or "unnamed";
- ``cloud_node_named``: a cloud or cluster the job's machine belongs to (Azure, AWS, GCP, a Kubernetes node pool, SkyPilot).

The decision is the knowledge layer's (``whygpu.knowledge.gpu_presence.node_reading``); explain/cloudnoderules.py applies it.
"""

from __future__ import annotations

import re

from whygpu.explain import grammar
from whygpu.knowledge.gpu_presence import driver_installer

# The driver named: "the NVIDIA driver", "Nvidia drivers", "gpu driver", "CUDA drivers", "GRID drivers", "the drivers".
_DRIVER = r"(?:(?:nvidia|gpu|cuda|grid|the|its|their)\s+)(?:(?:nvidia|gpu|cuda|grid|kernel|device)\s+)?drivers?"
_ABSENT_SAID = re.compile(
    # "the drivers have not been installed", "the Nvidia driver is not installed", "CUDA drivers indeed does not exist",
    # "drivers aren't installed", "the NVIDIA driver was never installed".
    r"\b" + _DRIVER + r"\b\s+(?:\w+\s+)?(?:is|are|was|were|has|have|had|do|does|did)(?:\s*n['’]?t|\s+not|\s+never)\s+"
    r"(?:(?:yet\s+)?been\s+|get\s+|got\s+)?(?:installed|present|there|exists?|included|shipped)\b"
    # "doesn't have gpu driver installed", "don't have the NVIDIA drivers installed", "has no nvidia driver".
    r"|\b(?:does|do|did)\s*(?:n['’]?t|not)\s+have\s+(?:any\s+|the\s+)?(?:nvidia\s+|gpu\s+|cuda\s+|grid\s+)+drivers?(?:\s+installed)?\b"
    r"|\b(?:has|have|had|with)\s+no\s+(?:nvidia\s+|gpu\s+|cuda\s+|grid\s+)+drivers?\b"
    # "no CUDA drivers found", "without the NVIDIA driver", "missing Nvidia Driver", "NVIDIA drivers are missing".
    r"|\b(?:no|without(?:\s+the|\s+any)?|missing(?:\s+the)?|lacks?(?:\s+the)?)\s+(?:nvidia\s+|gpu\s+|cuda\s+|grid\s+)+drivers?\b(?!\s+(?:on\s+your\s+system|version))"
    r"|\b" + _DRIVER + r"\s+(?:is|are|was|were)\s+missing\b"
    # "due driver not installed properly", "NVIDIA driver not installed": the verb left out.
    r"|\b(?:nvidia\s+|gpu\s+|cuda\s+|grid\s+)?drivers?\s+not\s+(?:yet\s+)?installed\b"
    # "AKS does not currently install GRID drivers", "the image did not install the NVIDIA driver", "never installed the driver".
    r"|\b(?:does|do|did)\s*(?:n['’]?t|not)\s+(?:\w+\s+)?install\s+(?:any\s+|the\s+)?(?:nvidia\s+|gpu\s+|cuda\s+|grid\s+)+drivers?\b"
    r"|\bnever\s+installed\s+(?:the\s+|any\s+)?(?:nvidia\s+|gpu\s+|cuda\s+|grid\s+)*drivers?\b",
    re.I)
# A driver installer failing: a pod's state, a daemonset's row with fewer ready than desired, or the installation said to fail.
_FAILING = re.compile(r"\b(?:CrashLoopBackOff|Init:Error|Init:CrashLoopBackOff|BackOff|Error|ImagePullBackOff|failed|fails|failing)\b")
_DS_ROW = re.compile(r"^\s*(?P<name>[\w.-]+)\s+(?P<desired>\d+)\s+(?P<current>\d+)\s+(?P<ready>\d+)\s+\d+\s+(?P<available>\d+)\b")
_INSTALL_FAILED = re.compile(
    r"\b(?:nvidia|gpu|cuda|grid)\s+drivers?\s+(?:daemonset\s+)?install(?:ation|er|s)?\s+(?:\w+\s+)?(?:fail(?:s|ed)?|crash(?:es|ed)?|errors?)\b"
    r"|\binstalling\s+(?:the\s+)?(?:nvidia|gpu)\s+drivers?\s+(?:fail(?:s|ed)?|does\s*n['’]?o?t\s+work)\b", re.I)
# A node labelled as a GPU machine.
_GPU_LABEL = re.compile(
    r"\bcloud\.google\.com/gke-accelerator\s*[=:]\s*[\"']?(?P<gke>nvidia-[\w-]+)"
    r"|\bkarpenter\.k8s\.aws/instance-gpu-count\s*[=:]\s*[\"']?(?P<count>[1-9]\d*)"
    r"|\bkarpenter\.k8s\.aws/instance-gpu-manufacturer\s*[=:]\s*[\"']?(?P<maker>nvidia)\b"
    r"|\bkubernetes\.azure\.com/accelerator\s*[=:]\s*[\"']?(?P<aks>nvidia)\b", re.I)
# The node's GPU resource at 0: the kubelet's accelerator row, or the writer's "<resource> is 0".
_RESOURCE = r"(?P<res>alpha\.kubernetes\.io/nvidia-gpu|nvidia\\?\.com/gpu)"
_ROW_ZERO = re.compile(r"^\s*" + _RESOURCE + r"\s*:\s*[\"']?0[\"']?\s*$")
_ZERO_SAID = re.compile(_RESOURCE + r"[`'\"]?\s+(?:is|was|are|were|shows?|reports?)\s+(?:only\s+)?(?:0|zero)\b", re.I)
# The writer's words that the node lists or exposes no GPU: "Capacity and Allocatable do not list nvidia.com/gpu", "no gpu
# listed in node capacity", "GPU Capacity as zero", "the GPU is not exposed as an available resource", "nvidia.com/gpu is
# never available", "Node doesn't expose GPU resource".
_NONE_SAID = re.compile(
    r"\b(?:do(?:es)?\s*(?:n['’]?t|not)|never)\s+(?:list|show|expose|advertise|register)s?\s+(?:any\s+|the\s+)?(?:gpus?\b|" + _RESOURCE + r")"
    r"|\bno\s+gpus?\s+(?:is\s+|are\s+)?(?:listed|shown|advertised|exposed)\s+in\s+(?:the\s+)?(?:node(?:'s)?\s+)?(?:capacity|allocatable)"
    r"|\bgpu\s+capacity\s+(?:as|is|of)\s+(?:0|zero)\b"
    r"|\bgpus?\s+(?:is|are)\s+not\s+exposed\s+as\s+an?\s+(?:available\s+)?resource"
    r"|" + _RESOURCE.replace("?P<res>", "?P<res2>") + r"[`'\"]?\s+is\s+never\s+(?:available|advertised|allocatable)", re.I)
_SECTION = re.compile(r"^\s*(Capacity|Allocatable|capacity|allocatable):\s*$")
_SECTION_ROW = re.compile(r"^\s*(?:[\w.-]+/)?(?P<key>[\w.-]+)\s*:\s*[\"']?[\w.]+[\"']?\s*$")
# A cloud or cluster the machine belongs to.
_CLOUD = re.compile(
    r"\b(?:azure|aks|acs-engine|aks-engine|aws|ec2|eks|gcp|gke|google\s+cloud|compute\s+engine|node\s*pools?|kubernetes|k8s|kubectl|"
    r"karpenter|skypilot|sky\s+launch|dstack|sagemaker|vertex\s+ai|ray\s+cluster|ami)\b", re.I)

NEEDLES = ("driver", "nvidia-gpu", "nvidia.com/gpu", "nvidia\\.com/gpu", "gke-accelerator", "instance-gpu", "accelerator=nvidia",
           "accelerator: nvidia", "capacity", "allocatable", "expose")


def _asserted(text: str, m: re.Match[str]) -> bool:
    # A reproduction step's "Observe/Confirm that ..." reports what the writer saw: grammar.said reads it so (accnoticed).
    if text.rstrip().endswith("?"):
        return False
    return grammar.said(text, m.start(), m.end(), quotes=False)


def driver_absent_said(text: str) -> str | None:
    """The writer's words that the NVIDIA driver is not on the machine, asserted; None otherwise."""
    if "driver" not in text.lower() or len(text) > 2000 or grammar.program_line(text):
        return None
    for m in _ABSENT_SAID.finditer(text):
        if _asserted(text, m):
            return m.group(0)
    return None


def installer_failed(text: str) -> str | None:
    """A driver installer shown failing or not ready, or the driver's installation said to fail; None otherwise."""
    low = text.lower()
    if "driver" not in low or len(text) > 2000:
        return None
    name = driver_installer(text)
    if name is not None:
        row = _DS_ROW.match(text)
        if row is not None and name.lower() in row.group("name").lower():
            return text.strip() if int(row.group("ready")) < int(row.group("desired")) else None
        if _FAILING.search(text) is not None and not text.rstrip().endswith("?"):
            return name
    m = _INSTALL_FAILED.search(text)
    if m is not None and _asserted(text, m):
        return m.group(0)
    return None


def read_lines(lines: list[str]) -> list[tuple[int, str, str, str]]:
    """(line number, fact name, value, line) for each fact of this module the lines give (long lines skipped)."""
    out: list[tuple[int, str, str, str]] = []
    section: tuple[int, set[str]] | None = None
    for number, line in enumerate(lines, 1):
        if len(line) > 2000:
            continue
        if section is not None:
            row = _SECTION_ROW.match(line)
            if row is not None and line[:1].isspace():
                section[1].add(row.group("key").lower())
            else:
                keys = section[1]
                if {"cpu", "memory", "pods"} <= keys and not any("gpu" in k for k in keys):
                    out.append((section[0], "node_gpu_zero", "unlisted", lines[section[0] - 1].strip()))
                section = None
        low = line.lower()
        if "driver" in low:
            if (said := driver_absent_said(line)) is not None:
                out.append((number, "driver_absent_said", said, line.strip()))
            if (failed := installer_failed(line)) is not None:
                out.append((number, "driver_installer_failed", failed, line.strip()))
        if "gpu" in low or "accelerator" in low:
            if ("gke-accelerator" in low or "instance-gpu" in low or "accelerator" in low) and (label := _GPU_LABEL.search(line)) is not None:
                out.append((number, "gpu_node_label", label.group(0), line.strip()))
            if "nvidia-gpu" in low or "com/gpu" in low:
                if (row_zero := _ROW_ZERO.match(line)) is not None and "alpha" in row_zero.group("res"):
                    out.append((number, "node_gpu_zero", row_zero.group("res"), line.strip()))
                elif (zero := _ZERO_SAID.search(line)) is not None and _asserted(line, zero):
                    out.append((number, "node_gpu_zero", zero.group("res").replace("\\", ""), line.strip()))
            if ("list" in low or "expose" in low or "capacity" in low or "never" in low or "advertise" in low) \
                    and (none := _NONE_SAID.search(line)) is not None and _asserted(line, none):
                out.append((number, "node_gpu_zero", (none.group("res") or none.group("res2") or "unnamed").replace("\\", ""), line.strip()))
        if ("capacity" in low or "allocatable" in low) and _SECTION.match(line):
            section = (number, set())
    if section is not None and {"cpu", "memory", "pods"} <= section[1] and not any("gpu" in k for k in section[1]):
        out.append((section[0], "node_gpu_zero", "unlisted", lines[section[0] - 1].strip()))
    if out:
        # The cloud or cluster, read once over the whole text, only where this module found something else.
        text = "\n".join(lines)
        if (cloud := _CLOUD.search(text)) is not None:
            number = text.count("\n", 0, cloud.start()) + 1
            out.append((number, "cloud_node_named", cloud.group(0).lower(), lines[number - 1].strip()[:300]))
    return out
