"""A program's refusal of one feature because the GPU is below the feature's floor, read as what it means (accfloor, session 34).

Programs say it in their own words: transformers' "Your setup doesn't support bf16/gpu. You need torch>=1.10, using Ampere
GPU with cuda>=11.0", "--tf32 requires Ampere or a newer GPU arch"; flash-attn's "FlashAttention only supports Ampere GPUs
or newer"; vLLM's "Bfloat16 is only supported on GPUs with compute capability of at least 8.0"; Transformer Engine's
"Device compute capability 9.x required for FP8 execution"; bitsandbytes' "Your GPU does not support Int8 Matmul!";
PyTorch inductor's "Triton only supports devices of CUDA Capability >= 7.0"; cuDF's "you will need a GPU with NVIDIA
Pascal or newer architecture". The reading is of the meaning, three parts in one program line:

- a FEATURE (knowledge/feature_floors.toml's words: bf16, TF32, FlashAttention, FP8, int8 matmul, Triton, RAPIDS), or a
  GPU the line asks for ("need a GPU with ... Pascal or newer architecture": the program's own floor);
- a FLOOR: a capability ("compute capability >= 8.0", "of at least 8.0", "9.x required", "8.9 or higher", "sm_80 or
  newer"), an architecture's name ("Ampere or newer", "using Ampere GPU", "Ampere+"), or, where the line states none,
  the feature's floor from the table;
- a REFUSAL or requirement: "does not support", "doesn't support", "only supports", "is only supported", "requires",
  "required", "need", "too old", in a program's line (an exception, an ERROR/WARNING record, a traceback's last line).

The GPU's capability is the line's own ("Your GPU's capability is 8.6", "your device is of CUDA capability 6.1"), or the
log's GPUs (a capability stated, a model named: knowledge/gpus.toml), judged by ``knowledge.feature_floors.floor_verdict``.

Not read: a sentence of the writer's (a README pasted, "FlashAttention requires Ampere" as advice or a question), code
(``raise ValueError("...")`` in a traceback), a build's architecture list or a CUDA tool's refusal (explain.ccsupport: a
build without the GPU's code is another reading, LOG230-LOG232), a compile error of a kernel (ptxas' "requires .target
sm_80").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from whygpu import lazyre as re
from whygpu.explain import grammar

# Cheap tests on a lower-cased line: a feature's word, and a floor's or a refusal's.
# The features' own words, shared by the whole text's cheap test and a line's.
_FEATURE_WORDS = ("bf16", "bfloat", "tf32", "tensorfloat", "flash", "fp8", "float8", "f8e", "e4m3", "int8", "8-bit matmul",
                  "igemmlt", "triton", "cudf", "cuml", "rapids")
_FEATURE_CUES = (*_FEATURE_WORDS, "need a gpu with", "requires a gpu with")
# The whole text's cheap test (before any line is read).
TEXT_CUES = (*_FEATURE_WORDS, "pascal or newer", "gpu with nvidia")
_REFUSAL_CUES = ("support", "require", "need", "too old", "must")

_REFUSAL = re.compile(
    r"\b(?:does|do|did|can)(?:\s*n[’']?t|\s+not)\s+support\b|\bcannot\s+support\b|\bnot\s+(?:be\s+)?supported\b|\bunsupported\b"
    r"|\bonly\s+supports?\b|\b(?:is|are)\s+only\s+supported\b|\brequires?\b|\brequired\b|\bneeds?\b|\btoo\s+old\b|\bmust\s+(?:be|have|use)\b",
    re.I)
# A capability floor: "compute capability >= 8.0", "capability of at least 8.0", "CUDA Capability >= 7.0", "capability >= 90",
# "capability 9.x required", "Compute Capability 8.9 or higher", "8.0 (Ampere) or higher", "sm_80 or newer".
_NUM = r"(?P<{g}>\d{{1,2}}\.(?:\d|x)|\d{{2,3}})(?!\d|\.\d)"
_CAP_FLOOR = re.compile(
    r"\bcapabilit(?:y|ies)\s*(?:of\s+)?(?:(?:at\s+least|>=|≥|=>|>|no\s+lower\s+than|minimum(?:\s+of)?)\s*)v?" + _NUM.format(g="a")
    + r"|\bcapabilit(?:y|ies)\s+" + _NUM.format(g="b") + r"\s*(?:\([^()]{1,20}\)\s*)?(?:or\s+(?:higher|newer|above|later|greater|up)|\+|(?:is\s+|are\s+)?required)"
    + r"|\bsm_?(?P<c>\d{2,3})[a-z]?\s+(?:or\s+(?:higher|newer|later|above)|and\s+(?:newer|above|later))",
    re.I)
_ARCH_AFTER = r"\s*(?:™|\(tm\))?\s*(?:\+|(?:gpus?|architecture|arch|cards?|devices?|generation)?\s*(?:or|and)\s+(?:a\s+)?(?:newer|later|above|higher|up|better|greater)\b)"
_ARCH_BEFORE = re.compile(r"\b(?:requires?|required|needs?|only\s+supports?|using|with|at\s+least|minimum)\s+(?:an?\s+|the\s+)?(?:nvidia\s+)?$", re.I)
# The GPU's own capability, in the line: "Your GPU's capability is 8.6", "your device is of CUDA capability 6.1", "Your Tesla
# T4 GPU has compute capability 7.5", "but your GPU has capability (7, 5)".
_MACHINE_CC = re.compile(
    r"\b(?:your|this|the\s+current|current)\s+(?:[\w.-]+\s+){0,5}?(?:gpu|device|card)(?:['’]s)?\s+(?:has|is\s+of|is|with)?\s*(?:a\s+)?"
    r"(?:compute\s+|cuda\s+)?capability\s+(?:is\s+)?(?:(?P<dot>\d{1,2}\.\d)|\((?P<maj>\d{1,2}),\s*(?P<min>\d)\))", re.I)
# A device that is not a GPU, and any word of a GPU's (a refusal naming only the former is about the CPU, a TPU, an NPU...).
_OTHER_DEVICE = re.compile(r"\b(?:cpu|tpu|neuroncore|npu|xpu|hpu|mps|ipu)s?\b", re.I)
_GPU_WORD = re.compile(r"\bgpus?\b|\bcuda\b|\bnvidia\b|\bsm_?\d|\bcapabilit(?:y|ies)\b|\b(?:ampere|hopper|ada|turing|volta|pascal|blackwell)\b", re.I)
# Code, not a message: a raise with its call, a condition, a question.
_CODE = re.compile(r"\braise\s+\w+\(|^\s*(?:if|elif|assert|def|return|#|//)\b|\bif\s+not\b|\?\s*$|\bwarn\(", re.I)


@dataclass(frozen=True)
class FeatureFloor:
    """One line's refusal: the feature (the table's id, or "" for the program's own floor), the floor it states or the
    table's, how the floor was said ("capability", "architecture" or "table"), the GPU capability the line itself states
    (or ""), and the words."""

    feature: str
    floor: str
    said_as: str
    machine_cc: str
    words: str

    def __str__(self) -> str:
        return self.words


def _capability(raw: str) -> str | None:
    """A floor as "MAJOR.MINOR": "8.0", "9.x" (9.0), "90" (packed: 9.0)."""
    from whygpu.knowledge.gpus import architecture_of_capability

    if raw.endswith(".x"):
        raw = raw[:-1] + "0"
    cc = raw if "." in raw else f"{raw[:-1]}.{raw[-1]}"
    return cc if architecture_of_capability(cc) is not None else None


def _stated_floor(text: str) -> tuple[str, str] | None:
    """The floor the line states: (capability, "capability") or (capability, "architecture"); None where it states none."""
    m = _CAP_FLOOR.search(text)
    if m is not None:
        raw = m.group("a") or m.group("b") or m.group("c")
        cc = _capability(raw) if raw else None
        if cc is not None:
            return cc, "capability"
    from whygpu.knowledge.feature_floors import architecture_floor, architecture_pattern

    for a in architecture_pattern().finditer(text):
        after = re.match(_ARCH_AFTER, text[a.end():], re.I)
        before = _ARCH_BEFORE.search(text, max(0, a.start() - 40), a.start())
        if after is None and before is None:
            continue
        if a.group(0).lower() == "ada" and after is None and not re.match(r"\s*(?:lovelace|gpus?|architecture)\b", text[a.end():], re.I):
            continue  # "Ada" alone is a name too: read only as an architecture with its words
        found = architecture_floor(a.group(0))
        if found is not None:
            return found[1], "architecture"
    return None


def feature_floor(text: str) -> FeatureFloor | None:
    """What one line says: a feature refused below a floor (see the module's words), or None."""
    low = text.lower()
    if len(text) > 2000 or not any(c in low for c in _FEATURE_CUES) or not any(c in low for c in _REFUSAL_CUES):
        return None
    if _CODE.search(text) or not grammar.program_line(text):
        return None
    refusal = _REFUSAL.search(text)
    if refusal is None:
        return None
    if _OTHER_DEVICE.search(text) and not _GPU_WORD.search(text):
        # The same check's form for another device ("doesn't support bf16/(cpu, tpu, neuroncore)": transformers' use_cpu
        # path): no GPU's floor is refused.
        return None
    from whygpu.knowledge.feature_floors import feature_of

    feature = feature_of(text)
    stated = _stated_floor(text)
    if feature is None:
        # The program's own floor, a GPU it asks for: "you will need a GPU with NVIDIA Pascal or newer architecture".
        if stated is None or stated[1] != "architecture" or not re.search(r"\b(?:need|requires?)\s+an?\s+(?:nvidia\s+)?gpu\s+with\b", text, re.I):
            return None
        floor, said_as, feature_id = stated[0], stated[1], ""
    elif stated is not None:
        floor, said_as, feature_id = stated[0], stated[1], feature.id
    else:
        # No floor stated: the refusal must say the GPU lacks the feature ("Your GPU does not support Int8 Matmul!").
        if not re.search(r"\b(?:your|this|the)\s+(?:gpu|device|setup|hardware|card)\b[^.;!]{0,30}\b(?:does|do|can)(?:\s*n[’']?t|\s+not)\s+support\b", text, re.I):
            return None
        floor, said_as, feature_id = feature.floor, "table", feature.id
    machine = _MACHINE_CC.search(text)
    machine_cc = ""
    if machine is not None:
        machine_cc = machine.group("dot") or f"{machine.group('maj')}.{machine.group('min')}"
    words = text.strip()
    return FeatureFloor(feature_id, floor, said_as, machine_cc, words[:200])


def read(lines: list[str]) -> Iterator[tuple[int, str, FeatureFloor]]:
    """Each (line number from 1, line, reading) of ``lines`` that refuses a feature below a floor (first 20 distinct lines)."""
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        if len(seen) >= 20:
            return
        if line in seen:
            continue
        claim = feature_floor(line)
        if claim is not None:
            seen.add(line)
            yield number, line.strip(), claim



def gpus_named(lines: list[str]) -> Iterator[tuple[int, str, tuple[str, ...]]]:
    """Each (line number from 1, line, capabilities) of an NVIDIA GPU the log names (explain.errorwords.gpus_named, the one
    reading LOG435 completes a capability need with: not in a question, not an example; knowledge/gpus.toml gives one
    capability, or every one of a name sold on several chips)."""
    from whygpu.explain.errorwords import gpus_named as named

    for number, line, model in named(lines):
        capabilities = (model.compute_capability,) if model.compute_capability else tuple(model.compute_capabilities)
        if capabilities:
            yield number, line, capabilities
