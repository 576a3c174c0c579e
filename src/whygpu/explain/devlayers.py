"""Which layer of a machine sees the GPU and which program refuses it (accdevid, session 35).

One typed fact, ``DeviceLayer``: a layer (nvidia-smi's table or ``-L`` list, a program's own device list, a framework's
device creation, the writer's count, a program's refusal) with the program named, whether it sees or refuses the GPU, the
device number it refused or listed last, and the count of GPUs it shows. The refusal forms and the writer's count words are
knowledge (knowledge/device_refusals.toml); the decision what a refusal beside the other layers means is
``knowledge.device_refusals.refusal_cause``'s; LOG605-LOG607 (explain/devlayerrules.py) judge.

Read per line behind cheap substrings (``NEEDLES``); the number a command or code asks for (``--device_id 1``,
``-cd 0 1 2``, ``--nproc_per_node=8``, ``gpu_ids (1,3)``, ``cuda:6``) is read from the same lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from whygpu import lazyre as re
from whygpu.explain import grammar

if TYPE_CHECKING:
    from whygpu.explain.logfacts import LogFacts, Seen

__all__ = ["ASKED_NEEDLES", "NEEDLES", "DeviceLayer", "LayerPicture", "asked_in", "layer_in", "picture"]

# The gate of the line reader: a line holds one of these before any pattern is tried.
NEEDLES = ("device", "gpu", "card", "cuda:", "nproc", "num_process", "-cd ", "build", "|")

# The gate of ``asked_in``: a line names an option, cuda:N, a call with a number or a launcher's count.
ASKED_NEEDLES = ("-d", "-g", "-c", "cuda:", "device!(", "gpu(", "set_device(", "gpu_ids", "nproc", "num_process")

# nvidia-smi's table row of a GPU ("|   0  NVIDIA GeForce RTX 3080  Off | 00000000:01:00.0 Off |"), its -L list
# ("GPU 0: Tesla T4 (UUID: GPU-...)"), PyTorch's collect_env list ("GPU 0: Tesla P40" after "GPU models and configuration:"
# or on its own line).
_SMI_ROW = re.compile(r"^\s*\|\s+(\d{1,2})\s+\S.*?\|\s+(?:[0-9A-Fa-f]{8}|[0-9A-Fa-f]{4}):[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\.\d")
_GPU_LIST = re.compile(r"^\s*(?:GPU models and configuration:\s*)?GPU\s+(\d{1,2}):\s+(?:NVIDIA|GeForce|Tesla|Quadro|TITAN|GRID|RTX|A\d{2,3}\b|H\d{3}\b|L\d{1,2}\b)")
# A program's own device list: CNTK's ("Device[0]: cores = 448; computeCapability = 2.0; type = \"Tesla S2050\""),
# TensorFlow's device creation ("Creating TensorFlow device (/gpu:0) -> (device: 0, name: Tesla K20c, ...").
_CNTK_DEVICE = re.compile(r"\bDevice\[(\d{1,2})\]:\s*cores\s*=\s*\d+;\s*computeCapability\s*=\s*(\d+\.\d)")
_TF_DEVICE = re.compile(r"Creating TensorFlow device \(/(?:job:\w+/replica:\d+/task:\d+/)?(?:device:)?gpu:(\d{1,2})\b", re.I)
# The device number a command, a config or code asks for: --device_id 1, --device 1, -gpuId 1, --gpu 1, --gpu_ids 1,3,
# gpu_ids (1,3), -cd 0 1 2, cuda:6, device!(1), gpu(1), set_device(1); a launcher's process count (--nproc_per_node=8,
# num_processes 8).
# accort40 (session 40): an option stands as its own word, and its number is not a release's start: the "-gpu==1" of a
# distribution's pin ("onnxruntime-gpu==1.27.0", "paddlepaddle-gpu==2.6.1") asks for no device.
_ASKED = re.compile(
    r"(?:(?<![\w-])--?(?:device[_-]?ids?|gpu[_-]?ids?|gpuid|gpu|device|cd|cuda[_-]devices?)\b[=\s]+|\bgpu_ids\s*=?\s*\(?)"
    r"(?P<list>\d{1,2}(?:\s*[, ]\s*\d{1,2})*)(?![\d.]*\.\d)"
    r"|\bcuda:(?P<cuda>\d{1,2})\b|\bdevice!\((?P<jl>\d{1,2})\)|\b(?:gpu|set_device)\((?P<call>\d{1,2})\)"
    r"|(?:--nproc[_-]per[_-]node|\bnum[_-]process(?:es)?)[=\s]+(?P<procs>\d{1,2})\b", re.I)


# Words that deny what a sighting's span says ("nvidia-smi doesn't show", "does not detect", "no GPU").
_DENIED = re.compile(r"\b(?:not|no|never|nothing|cannot|can['’]?t|n['’]t)\b|n['’]t\b", re.I)


@dataclass(frozen=True)
class DeviceLayer:
    """One layer's view of the GPU: ``layer`` ("nvidia-smi", "program", "writer", "refusal"), the ``program`` named
    ("nvidia-smi", "cntk", "tensorflow", "cuda", "writer"), whether it ``sees`` the GPU (False: it refuses it), the device
    number refused (``index``), the count of GPUs it shows (``count``), the compute capability it lists, the refusal row
    and the words."""

    layer: str
    program: str
    sees: bool
    index: int | None = None
    count: int | None = None
    capability: str | None = None
    refusal: str | None = None
    words: str = ""


def layer_in(text: str, low: str, prose: bool) -> DeviceLayer | None:
    """The layer ``text`` shows: a program's refusal, nvidia-smi's or a program's device list, the writer's count (prose
    only, not a question or advice), or None."""
    from whygpu.knowledge.device_refusals import (
        count_patterns,
        count_value,
        refusals,
        seen_patterns,
    )

    if "device ordinal" in low or "device id" in low:
        for row in refusals():
            if row.needle in low and (m := row.pattern.search(text)) is not None:
                groups = m.groupdict()
                index = int(groups["index"]) if groups.get("index") else None
                count = int(groups["last"]) + 1 if groups.get("last") else None
                return DeviceLayer("refusal", row.program, False, index, count, None, row.id, m.group(0))
    if "build" in low:
        for row in refusals():
            if row.gpu_build is not None and (m := row.gpu_build.search(text)) is not None:
                return DeviceLayer("build", row.program, True, None, None, None, None, m.group(0))
    if "|" in text and (m := _SMI_ROW.match(text)) is not None:
        return DeviceLayer("nvidia-smi", "nvidia-smi", True, int(m.group(1)), int(m.group(1)) + 1, None, None, m.group(0).strip())
    if "gpu " in low and (m := _GPU_LIST.match(text)) is not None:
        return DeviceLayer("nvidia-smi", "nvidia-smi", True, int(m.group(1)), int(m.group(1)) + 1, None, None, m.group(0).strip())
    if "device[" in low and (m := _CNTK_DEVICE.search(text)) is not None:
        return DeviceLayer("program", "cntk", True, int(m.group(1)), int(m.group(1)) + 1, m.group(2), None, m.group(0))
    if "tensorflow device" in low and (m := _TF_DEVICE.search(text)) is not None:
        return DeviceLayer("program", "tensorflow", True, int(m.group(1)), int(m.group(1)) + 1, None, None, m.group(0))
    if prose and "nvidia-smi" in low:
        for program, rx in seen_patterns():
            for m in rx.finditer(text):
                left, right = grammar.sentence_at(text, m.start(), m.end())
                if _DENIED.search(m.group(0)) or grammar.asked(text, left, right, m.start(), m.end()):
                    continue
                return DeviceLayer("writer", program, True, None, None, None, None, m.group(0))
    if prose and ("gpu" in low or "card" in low):
        for rx in count_patterns():
            for m in rx.finditer(text):
                left, right = grammar.sentence_at(text, m.start(), m.end())
                if grammar.asked(text, left, right, m.start(), m.end()) or grammar.advised(text, left, m.start(), m.end()):
                    continue
                word = next((g for g in m.groups() if g), None)
                n = count_value(word) if word else None
                if n:
                    return DeviceLayer("writer", "writer", True, None, n, None, None, m.group(0))
    return None


def asked_in(text: str) -> int | None:
    """The highest device number ``text`` asks for (a command's option, a config's list, cuda:N, a launcher's process count
    as its last rank), or None."""
    best: int | None = None
    for m in _ASKED.finditer(text):
        if m.group("list"):
            numbers = [int(n) for n in re.findall(r"\d+", m.group("list"))]
        elif m.group("procs"):
            numbers = [int(m.group("procs")) - 1]
        else:
            numbers = [int(next(g for g in (m.group("cuda"), m.group("jl"), m.group("call")) if g))]
        top = max(numbers)
        best = top if best is None else max(best, top)
    return best


@dataclass(frozen=True)
class LayerPicture:
    """What the log shows of the layers: the refusal (its sighting), the number asked, the count of GPUs, whether a layer
    other than the refusing program sees the GPU, the capabilities listed, and the sightings that show each."""

    refusal: Seen[Any]
    index: int | None
    count: int | None
    seen_elsewhere: bool
    listed_by_program: bool
    capabilities: tuple[str, ...]
    count_shown: tuple[Seen[Any], ...]
    seen_shown: tuple[Seen[Any], ...]


def picture(facts: LogFacts) -> LayerPicture | None:
    """The first refusal the log shows with the other layers beside it, or None where no program refused a device."""
    refused = [s for s in facts.device_layer if not s.value.sees]
    if not refused:
        return None
    first = refused[0]
    program = first.value.program
    listings = [s for s in facts.device_layer if s.value.sees and s.value.layer in ("nvidia-smi", "program")]
    said = [s for s in facts.device_layer if s.value.sees and s.value.layer == "writer" and s.value.count is not None]
    smi_said = [s for s in facts.device_layer if s.value.sees and s.value.layer == "writer" and s.value.program != "writer"]
    stated = [s for s in refused if s.value.count is not None]
    if listings:
        count: int | None = max(s.value.count for s in listings if s.value.count is not None)
        count_shown = tuple(listings[-1:])
    elif stated:
        count, count_shown = stated[0].value.count, (stated[0],)
    elif said:
        count, count_shown = min(s.value.count for s in said if s.value.count is not None), (said[0],)
    else:
        count, count_shown = None, ()
    index = first.value.index
    if index is None:
        asked = [s for s in facts.device_asked]
        if asked:
            index = max(int(s.value) for s in asked)
    others = [s for s in listings if s.value.program != program]
    elsewhere: list[Seen[Any]] = [*others, *smi_said, *facts.gpu_seen(), *facts.stated_gpu_works_other]
    capabilities = tuple(s.value.capability for s in listings if s.value.capability)
    own = any(s.value.program == program for s in listings) or any(
        s.value.layer == "build" and s.value.program == program for s in facts.device_layer)
    return LayerPicture(first, index, count, bool(elsewhere), own, capabilities, count_shown, tuple(elsewhere[:1]))
