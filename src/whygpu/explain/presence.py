"""The machine's NVIDIA GPU, present or absent, as the log shows it (accnodriver, session 36).

Reads two kinds of lines into typed facts (``LogFacts.display_adapter``: lspci's display adapter rows by maker, and
``LogFacts.cpu_instance``: a cloud instance type of a family without a GPU) and gathers every sign the facts already hold
(the machine named CPU-only, the report's "No GPU", a driver version or the kernel module's fields, an NVIDIA model named
as the machine's, a cloud GPU machine) into the sign kinds of knowledge/gpu_presence.toml. The verdict is the knowledge
layer's one decision (``whygpu.knowledge.gpu_presence.presence_verdict``); explain/contplace.py applies it where a
driver-side reading is ranked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from whygpu import lazyre as re
from whygpu.knowledge.gpu_presence import PresenceVerdict, cpu_instance_family, presence_verdict

if TYPE_CHECKING:
    from whygpu.explain.logfacts import LogFacts

# lspci's row of a display adapter (class 03xx: "VGA compatible controller", "3D controller", "Display controller"), with
# or without the domain and `-nn`'s class and ids: "01:00.0 3D controller [0302]: NVIDIA Corporation GP107M [10de:1c8d]".
_ADAPTER = re.compile(
    r"^[\s>$#|`]*(?:[0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]\s+(?:VGA compatible controller|3D controller|Display controller)"
    r"(?:\s*\[03[0-9a-f]{2}\])?\s*:\s*(?P<device>\S.*)$", re.I)
_NVIDIA_DEVICE = re.compile(r"\bnvidia\b|\[10de:[0-9a-f]{4}\]", re.I)
# lspci filtered to VGA rows only ("lspci | grep VGA"): a hybrid laptop's NVIDIA GPU is a "3D controller" it leaves out.
_VGA_FILTER = re.compile(r"\blspci\b.*\bgrep\b.*\bvga\b", re.I)

# A cloud instance type named as the job's machine: SageMaker's "instance_type='ml.m4.xlarge'", EC2's "--instance-type
# m5.large", "an m5.2xlarge instance", "InstanceType: c5.4xlarge".
_INSTANCE = re.compile(
    r"(?<![\w.-])((?:ml\.)?[a-z][a-z0-9]{0,5}\.(?:nano|micro|small|medium|\d{0,2}x?large|metal))(?![\w-])", re.I)
_INSTANCE_CONTEXT = re.compile(r"instance|\binstance_type\b|\binstancetype\b|\bec2\b|sagemaker|\bnode\s*type\b", re.I)


def read_line(text: str, low: str) -> list[tuple[str, str]]:
    """The (fact name, value) pairs one line gives: ``display_adapter`` ("nvidia", "other" or "vga_filter") and
    ``cpu_instance`` (the instance type). Cheap: callers gate on the substrings "controller", "lspci", "large", "ml.",
    "medium", "micro", "small" and "nano"."""
    out: list[tuple[str, str]] = []
    if "controller" in low and (m := _ADAPTER.match(text)) is not None:
        out.append(("display_adapter", "nvidia" if _NVIDIA_DEVICE.search(m.group("device")) else "other"))
    elif "lspci" in low and "vga" in low and _VGA_FILTER.search(text):
        out.append(("display_adapter", "vga_filter"))
    if "." in low and not text.rstrip().rstrip("`'\"").endswith("?") and _INSTANCE_CONTEXT.search(text):
        for m in _INSTANCE.finditer(text):
            if cpu_instance_family(m.group(1)) is not None:
                out.append(("cpu_instance", m.group(1)))
    return out


def read_lines(lines: list[str]) -> list[tuple[int, str, str, str]]:
    """(line number, fact name, value, line) for every line ``read_line`` gives a fact of (long lines skipped)."""
    out: list[tuple[int, str, str, str]] = []
    for number, line in enumerate(lines, 1):
        if len(line) > 2000:
            continue
        low = line.lower()
        if not ("controller" in low or "lspci" in low or "large" in low or "ml." in low or any(w in low for w in _SIZES)):
            continue
        out.extend((number, name, value, line.strip()) for name, value in read_line(line, low))
    return out


_SIZES = (".medium", ".micro", ".small", ".nano")


def _nvidia_model(facts: LogFacts) -> bool:
    """Whether an NVIDIA GPU is named as the machine's: a model of NVIDIA's (knowledge/gpus.toml), NVIDIA named as the
    machine's GPU maker, a framework that listed a GPU, or a cloud machine that carries one."""
    from whygpu.explain.infer import _cloud_gpu_named as cloud_gpu_named
    from whygpu.knowledge.gpus import gpu_in_text

    if any((model := gpu_in_text(s.value)) is not None and model.vendor == "nvidia" for s in facts.gpu_model):
        return True
    if any(s.value == "nvidia" for s in facts.gpu_vendor) or facts.gpu_seen() or facts.ec2_instance:
        return True
    return cloud_gpu_named(facts)


def machine_signs(facts: LogFacts) -> tuple[str, ...]:
    """The sign kinds (knowledge/gpu_presence.toml [[sign]]) the facts show of the machine's NVIDIA GPU."""
    kinds: list[str] = []
    if facts.cpu_machine:
        kinds.append("cpu_machine")
    if facts.stated_no_gpu:
        kinds.append("stated_no_gpu")
    if facts.cpu_instance:
        kinds.append("cpu_instance")
    adapters = {s.value for s in facts.display_adapter}
    if "nvidia" in adapters:
        kinds.append("nvidia_adapter")
    elif "other" in adapters and "vga_filter" not in adapters:
        kinds.append("other_adapters_only")
    if facts.driver_version or facts.driver_stated or facts.driver_module_shown or facts.driver_cuda:
        kinds.append("driver_shown")
    if _nvidia_model(facts):
        kinds.append("nvidia_model")
    if facts.gpu_node_label:
        kinds.append("gpu_node")  # acccloudnode (session 36): a node labelled as a GPU machine
    return tuple(kinds)


def machine_gpu(facts: LogFacts) -> PresenceVerdict:
    """The knowledge layer's verdict on the machine's NVIDIA GPU from the signs the log shows."""
    return presence_verdict(machine_signs(facts))
