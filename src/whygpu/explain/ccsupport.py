"""A line that says a GPU's compute capability is not supported, in any program's or the reporter's wording (acccc, session 21).

Programs say it in many words: XLA's "ptxas does not support CC 12.0", a reporter's "jaxlib 0.4.34 and its bundled
Triton compiler do not support Compute Capability 12.0", "No support for compute capability 12.0 GPUs", "this version
of PyTorch does not support the new SM120 architecture", "compute capability 3.5 card detected, required 3.7",
"Unsupported GPU architecture sm_35", "CC 3.0 is not supported". The reading is of what the words mean, not of one
program's message:

- a CAPABILITY: "compute capability 12.0", "CUDA capability 8.6", "CC 5.2", "sm_120", "SM120", "SM 8.6", "compute_90",
  an architecture "sm_86" (only values NVIDIA gave an architecture: knowledge/gpus.toml);
- said NOT SUPPORTED in its clause: a negated verb of support before it ("does not support", "doesn't support",
  "no longer supports", "cannot run on", "not compatible with", "no support for", "unsupported"), or after it ("is
  not supported", "is unsupported", "not compatible"); or a floor the line states above the capability it names
  ("3.5 card detected, required 3.7", "requires compute capability >= 7.0, found 6.1");
- of a SUBJECT: a CUDA tool (ptxas, nvcc, nvlink, the CUDA toolkit or a "CUDA X.Y" release: the toolkit is older than
  the GPU) or anything else (a framework, its build, a library, a compiler bundled in a wheel: the build has no code
  for it).

Not read: the PTX JIT warning ("... not built with CUDA kernel binaries compatible with compute capability 9.0. CUDA
kernels will be jit-compiled from PTX"): the GPU runs through PTX, and whether that fails is a compatibility fact
(LOG147, knowledge/tensorflow.toml); a question, a condition, advice or hearsay (explain.grammar decides); code; a
capability said to be supported; a change log's "dropped support for sm_35" (a release's general fact, with no machine).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from whygpu import lazyre as re
from whygpu.explain import grammar


@dataclass(frozen=True)
class CapabilityClaim:
    """What one line says: the capability not supported (and the floor it states, if any), and whose support it is.

    ``subject`` is "tool" for a CUDA tool or toolkit (ptxas, nvcc, "CUDA 11.0") and "build" for anything else.
    """

    cc: str
    subject: str
    said: str
    required: str | None = None
    gpu: str | None = None  # the GPU named as what is not supported, where the line names it rather than a capability
    # accarch (session 28): a kernel that found no code of its own for the device it ran on ("is for sm80, but was built for
    # sm75", "has no device code compatible with CUDA arch 610"): the line is itself the failure, whatever else ran on the GPU.
    kernel: bool = False

    def __str__(self) -> str:
        what = self.gpu if self.gpu and not self.cc else f"compute capability {self.cc}"
        return f"{what} not supported" + (f" (required {self.required})" if self.required else "")


# A capability as programs print it: its value is in ``dotted`` ("12.0") or ``packed`` ("120", "86", "90a").
_CAP = (
    r"(?:(?:\b(?:cuda|compute|gpu)[\s_-]+)?\bcapabilit(?:y|ies)(?:\s+(?:of|is|version))?\s*[:=]?\s*v?(?:(?P<dotted>\d{1,2}\.\d)|(?P<spmajor>\d{1,2})\s(?P<spminor>\d))(?!\d|\.\d)"
    r"|\bCC\s*[:=]?\s*(?P<ccdot>\d{1,2}\.\d)(?!\d|\.\d)"
    r"|\b(?:sm|compute)_(?P<packed>\d{2,3})[af]?\b"
    r"|\bSM\s?(?P<smpacked>\d{2,3})[af]?\b"
    r"|\bSM\s(?P<smdot>\d{1,2}\.\d)(?!\d|\.\d))"
)
_CAP_RX = re.compile(_CAP, re.I)
# accquiet (session 38): what every match of _CAP_RX holds (each branch's letters and digits without its word boundaries), a
# cheaper first test: TensorFlow's source positions ("gpu_device.cc:1886]") pass HINT's "cc" on every line of its log.
_CAP_CUE = re.compile(r"capabilit|cc\s*[:=]?\s*\d{1,2}\.\d|(?:sm|compute)_\d|sm\s?\d", re.I)
# Cheap tests for the whole text before any line is read: a capability; a GPU said too old or unsupported.
HINT = re.compile(r"capabilit|\bcc\s*[:=]?\s*\d|\bsm_?\s?\d|compute_\d|arch_list|cuda_architectures|\bcuda\s+arch\b", re.I)
GPU_HINT = re.compile(r"(?:gpu|card|geforce|quadro|tesla|titan|rtx|gtx|gt|grid)\b[^\n]{0,60}?\b(?:too\s+old|supported|compatible)", re.I)

_NOT = r"(?:\*\*|__|`)?"  # markdown emphasis around the words
# A negated verb of support, or a noun of support negated, before the capability (in its clause).
_NEGATED_BEFORE = re.compile(
    r"\b(?:(?:(?:does|do|did|is|are|was|were|will|would|can|could)(?:\s*n[’']?t|\s+not)|cannot)" + _NOT + r"\s+(?:yet\s+|currently\s+|even\s+|officially\s+)?"
    r"(?:support(?:s|ed)?|(?:be\s+)?compatible\s+with|run\s+on|work\s+(?:on|with)|handle|recogni[sz]e|know(?:\s+about)?|include|contain)"
    r"|(?:no\s+longer|not)" + _NOT + r"\s+(?:support(?:s|ed)?|compatible\s+with)"
    r"|\bno\s+(?:\w+\s+)?support\s+(?:for|of)"
    r"|\b(?:un|not[\s-])supported\s+(?:(?:gpu|cuda|device|nvidia)\s+)*(?:architecture|arch|compute\s+capability|capability|cc|sm)?"
    r"|\bincompatible\s+with"
    r"|\bnot\s+compiled\s+for|\bnot\s+built\s+for)"
    r"[^,;.!?]{0,80}$",
    re.I,
)
# The same said after the capability: "CC 3.0 is not supported", "sm_35 is unsupported", "12.0 not yet supported".
_NEGATED_AFTER = re.compile(
    r"[^,;.!?]{0,40}?\b(?:(?:is|are|was|were)\s+)?(?:not" + _NOT + r"\s+(?:yet\s+|currently\s+|officially\s+)?(?:supported|compatible)|unsupported|incompatible)\b",
    re.I,
)
# A floor the line states: "required 3.7", "requires compute capability >= 7.0", "minimum (required) ... is 3.5".
_FLOOR = re.compile(
    r"\b(?:required|requires|require|minimum(?:\s+required)?|at\s+least|or\s+(?:higher|newer|above))\b[^.;!?]{0,40}?(?:>=?\s*)?(?P<floor>\d{1,2}\.\d)(?!\d|\.\d)"
    r"|(?P<floor2>\d{1,2}\.\d)(?!\d|\.\d)\s*(?:or\s+(?:higher|newer|above)|\+)"
    r"|(?:>=|≥)\s*(?P<floor3>\d{1,2}\.\d)(?!\d|\.\d)",
    re.I,
)
# A capability NOT said of the machine: PTX JIT (the build still runs it), a release's change log, support said to exist.
_JIT = re.compile(r"\bjit[\s-]*compil|\bfrom\s+PTX\b", re.I)
_CHANGELOG = re.compile(r"\b(?:drop(?:s|ped|ping)?|remov(?:e|es|ed|ing)|deprecat\w*|will\s+be)\b[^.;]{0,40}\bsupport\b|\bsupport\b[^.;]{0,20}\b(?:dropped|removed|deprecated)\b", re.I)
# A CUDA tool or toolkit as the subject: the toolkit is older than the GPU (its own cause in knowledge/error_words.toml).
_TOOL = re.compile(r"\b(?:ptxas|nvcc|nvlink|nvrtc|fatbinary|cuobjdump|(?:the\s+)?cuda\s+(?:toolkit|compiler)|cuda\s+\d{1,2}(?:\.\d)?)\b", re.I)
# A feature's floor ("Bfloat16 is only supported on GPUs with compute capability of at least 8.0", "FP8 requires 8.9"):
# the GPU runs the build; one data type or kernel does not (a setting, such as --dtype=half, decides).
_FEATURE = re.compile(r"\b(?:b(?:float)?16|bf16|fp8|float8|e4m3|int8|int4|tf32|fp16|float16|half\s+precision|mixed\s+precision|tensor\s*cores?|(?:flash|paged)[\s_-]?attention|cutlass|wgmma|tma|marlin|awq|gptq)\b", re.I)
_OTHER_VERSION = re.compile(r"\b(?:cuda|cudnn|driver|python|torch|tensorflow|tf|jax|jaxlib|version|toolkit|nvcc|gcc|v)\b", re.I)
_REASON = re.compile(r"(?:,\s*|\s)(?:as|because|since)\s+(?=\S)|\bdue\s+to\s+", re.I)
_CODE = re.compile(r"^\s*(?:>>>|#|//|raise\b|assert\b|if\b|elif\b|print\s*\()|\b(?:raise|throw)\s+\w+\s*\(|\blogger\.\w+\s*\(|warnings\.warn\s*\(", re.I)


def _value(m: re.Match[str]) -> str | None:
    """The capability a match names, as "MAJOR.MINOR"; None for a value NVIDIA gave no architecture."""
    from whygpu.knowledge.gpus import architecture_of_capability

    # accvocab (session 32): major and minor apart ("GPU with CUDA capability 7 0 is not supported", TGI's format).
    spaced = f"{m.group('spmajor')}.{m.group('spminor')}" if m.group("spmajor") else None
    dotted = m.group("dotted") or m.group("ccdot") or m.group("smdot") or spaced
    packed = m.group("packed") or m.group("smpacked")
    cc = dotted if dotted else f"{packed[:-1]}.{packed[-1]}" if packed else None
    if cc is None or architecture_of_capability(cc) is None:
        return None
    return cc


def _asserted(text: str, left: int, start: int, end: int) -> bool:
    """Whether the words at ``start``..``end`` are a program's line or a sentence the writer asserts (explain.grammar)."""
    if grammar.program_line(text):
        return True
    # Judged from the sentence's start, or from the reason clause that holds the words.
    return grammar.said(text[left:], start - left, end - left, quotes=False)


# --- a kernel without code for the device it runs on (accarch, session 28) -------------------------------------------
# A library's own kernels check the architecture they were compiled for against the one they need, and print both when
# they differ; what the words mean is that the binary holds no code of its own for this GPU (it ran code compiled for
# another architecture, or PTX of an older one), so the build cannot serve it:
# - xformers' generated CUTLASS kernels (xformers/csrc/attention/cuda/fmha/kernels/*.cu, generate_kernels.py): "FATAL:
#   kernel `fmha_cutlassF_f16_aligned_64x64_rf_sm80` is for sm80-sm100, but was built for sm75" and, before, "FATAL: this
#   function is for sm80, but was built for sm700" (__CUDA_ARCH__ printed undivided: 700 is 7.0);
# - llama.cpp's ggml-cuda (ggml/src/ggml-cuda/common.cuh, NO_DEVICE_CODE): "ERROR: CUDA kernel mul_mat_q has no device code
#   compatible with CUDA arch 610. ggml-cuda.cu was compiled for: 750,800", and its abort "ggml was not compiled with any
#   CUDA arch <= 610";
# - in any program's words: "compiled for sm_70, but the device is sm_80", "built for compute capability 7.5 but running on 8.6".
# An architecture is written packed ("sm80", "sm_120") or as __CUDA_ARCH__ ("700", "1200"), read by ``_arch_number``.
KERNEL_HINT = re.compile(r"\bbut\s+(?:was\s+|it\s+was\s+)?(?:built|compiled)\s+for|\bno\s+device\s+code\s+compatible|not\s+compiled\s+with\s+any\s+cuda\s+arch"
                         r"|\b(?:built|compiled)\s+for\b[^;!?]{0,40}\bbut\b", re.I)
_KERNEL_FOR = re.compile(
    r"\b(?:is|are)\s+(?:only\s+)?for\s+sm_?(?P<want>\d{2,4})[af]?(?:\s*-\s*sm_?\d{2,4}[af]?)?\s*,?\s+but\s+(?:was|were|is|it\s+was)\s+"
    r"(?:built|compiled)\s+for\s+sm_?(?P<built>\d{2,4})[af]?\b", re.I)
_NO_DEVICE_CODE = re.compile(
    r"\bhas\s+no\s+device\s+code\s+compatible\s+with\s+(?:cuda\s+)?arch(?:itecture)?\s+(?P<built>\d{2,4})\b"
    r"|\bnot\s+compiled\s+with\s+any\s+cuda\s+arch(?:itecture)?\s*<=?\s*(?P<upto>\d{2,4})\b", re.I)
_BUILT_BUT_DEVICE = re.compile(
    r"\b(?:built|compiled)\s+(?:only\s+)?for\s+(?:sm_?(?P<built>\d{2,4})[af]?|compute\s+capability\s+(?P<builtdot>\d{1,2}\.\d))\b[^.;]{0,12}?"
    r",?\s*but\s+(?:the\s+)?(?:current\s+)?(?:device|gpu|card|hardware)(?:\s+\d)?\s+(?:is|has)\s+(?:an?\s+)?"
    r"(?:sm_?(?P<device>\d{2,4})[af]?|(?:compute\s+capability\s+)?(?P<devicedot>\d{1,2}\.\d))\b"
    r"|\b(?:built|compiled)\s+(?:only\s+)?for\s+(?:sm_?(?P<built2>\d{2,4})[af]?|compute\s+capability\s+(?P<builtdot2>\d{1,2}\.\d))\b[^.;]{0,12}?"
    r",?\s*but\s+(?:it\s+is\s+)?running\s+on\s+(?:an?\s+)?(?:sm_?(?P<device2>\d{2,4})[af]?|(?:compute\s+capability\s+)?(?P<devicedot2>\d{1,2}\.\d))\b",
    re.I)


# A message explained rather than seen: "... appears when xformers was built for another GPU", "if you see it, rebuild".
_EXPLAINED = re.compile(r"\b(?:appears?|happens?|occurs?|shows?\s+up|is\s+(?:printed|shown|raised))\s+(?:when|if|whenever)\b|\bif\s+you\s+(?:see|get|hit)\b", re.I)


def _arch_number(number: str) -> str | None:
    """An architecture number as a capability "MAJOR.MINOR": packed ("80", "120": sm_80, sm_120) or as __CUDA_ARCH__ prints
    it ("700", "1200": 7.0, 12.0, NVIDIA's nvcc guide, "__CUDA_ARCH__"); None where neither names an architecture NVIDIA gave."""
    from whygpu.knowledge.gpus import architecture_of_capability

    packed = f"{number[:-1]}.{number[-1]}"
    undivided = f"{number[:-2]}.{number[-2]}" if len(number) >= 3 and number.endswith("0") else None
    if len(number) <= 3 and architecture_of_capability(packed) is not None:
        return packed
    if undivided is not None and architecture_of_capability(undivided) is not None:
        return undivided
    return None


def kernel_without_code(text: str) -> CapabilityClaim | None:
    """A line that says a kernel found no code of its own for the device it ran on (see above), as a claim on the build;
    None otherwise. Not read: code, a question, a condition, advice, hearsay (explain.grammar)."""
    if _CODE.search(text):
        return None
    m = _KERNEL_FOR.search(text) or _NO_DEVICE_CODE.search(text) or _BUILT_BUT_DEVICE.search(text)
    if m is None:
        return None
    groups = {k: v for k, v in m.groupdict().items() if v}
    if groups.get("upto"):
        # "not compiled with any CUDA arch <= 610": the number is the device's, and the build holds nothing at or below it.
        device_cc = _arch_number(groups["upto"])
        if device_cc is None:
            return None
    else:
        built = groups.get("built") or groups.get("built2")
        built_cc = _arch_number(built) if built else groups.get("builtdot") or groups.get("builtdot2")
        device = groups.get("device") or groups.get("device2")
        device_cc = _arch_number(device) if device else groups.get("devicedot") or groups.get("devicedot2")
        want = _arch_number(groups["want"]) if groups.get("want") else None
        if built_cc is None or (device_cc is not None and device_cc == built_cc) or (want is not None and want == built_cc):
            return None  # an architecture NVIDIA never gave, or the same on both sides: no mismatch said
    if not grammar.program_line(text):
        left, _right = grammar.sentence_at(text, m.start(), m.end())
        if not grammar.said(text[left:], m.start() - left, m.end() - left, quotes=False) or _EXPLAINED.search(text, m.end()):
            return None
    words = text.strip() if len(text.strip()) <= 160 else text[m.start():m.end()].strip()
    return CapabilityClaim(device_cc or "", "build", words[:160], kernel=True)


def capability_claims(text: str) -> list[CapabilityClaim]:
    """The capabilities ``text`` says are not supported (at most one per capability), with whose support it is."""
    if KERNEL_HINT.search(text) and (kernel := kernel_without_code(text)) is not None:
        return [kernel]
    if _CAP_CUE.search(text) is None:
        return []  # no capability named (accquiet: the same answer as below, where _CAP_RX finds none)
    if _CODE.search(text) or _JIT.search(text) or _CHANGELOG.search(text) or _FEATURE.search(text):
        return []
    # accinfer (session 39): a capability printed with its major and minor apart ("GPU with CUDA capability 7 0 is not
    # supported") is text-generation-inference's flash-attention check (server/text_generation_server/utils/flash_attn.py
    # raises it as an ImportError that models/__init__.py catches into "Could not import Flash Attention enabled models",
    # then serves the non-flash implementations on the same GPU: https://github.com/huggingface/text-generation-inference/
    # blob/v1.0.3/server/text_generation_server/models/__init__.py). It refuses one kernel, not the GPU: not read here; a run
    # that stops for it (a model that needs flash attention) says so in lines of its own.
    found = [(m, cc) for m in _CAP_RX.finditer(text) if (cc := _value(m)) is not None and not m.group("spmajor")]
    if not found:
        return []
    from whygpu.knowledge.gpus import architecture_of_capability, compute_capability_below

    out: list[CapabilityClaim] = []
    for m, cc in found:
        if any(c.cc == cc for c in out):
            continue
        left, _right = grammar.sentence_at(text, m.start(), m.end())
        # A reason clause ("..., as X does not support CC 12.0", "because ...") is asserted whatever condition came before it.
        reasons = list(_REASON.finditer(text, left, m.start()))
        if reasons:
            left = reasons[-1].end()
        before = _NEGATED_BEFORE.search(text, left, m.start())
        after = _NEGATED_AFTER.match(text, m.end())
        floor = None
        for f in _FLOOR.finditer(text):
            group = next(g for g in ("floor", "floor2", "floor3") if f.group(g))
            value = f.group(group)
            # A floor is a capability: not a version of CUDA, the driver or another product named just before it ("CUDA >= 11.8").
            if (value and value != cc and architecture_of_capability(value) is not None and not (m.start() <= f.start(group) < m.end())
                    and not _OTHER_VERSION.search(text, max(0, f.start(group) - 16), f.start(group))):
                floor = value
                break
        below = floor is not None and compute_capability_below(cc, floor) is True
        if not (before or after or below):
            continue
        start = before.start() if before else m.start()
        if not _asserted(text, left, start, m.end()):
            continue
        words = text[start:(after.end() + m.end()) if after else m.end()].strip()
        subject = "tool" if _TOOL.search(text[max(0, left):m.start()]) and not below else "build"
        out.append(CapabilityClaim(cc, subject, words[:160], floor if below else None))
    return out


# --- the architectures a build states it contains ------------------------------------------------------------------
# PyTorch's "The current PyTorch install supports CUDA capabilities sm_50 sm_60 ... compute_120." and any program's
# "compiled for: sm_70, sm_80" / "supported architectures: ..."; the answer of torch.cuda.get_arch_list(), a bracketed
# list of quoted architectures ("['sm_50', 'sm_60', 'sm_86']").
_ARCH = r"(?:sm|compute)_\d{2,3}[af]?"
_ARCH_LIST = re.compile(
    r"\b(?:supports?|supported|compiled\s+(?:for|with)|built\s+(?:for|with)|contains?|includes?)\s+(?:(?:the\s+)?(?:following\s+)?(?:cuda\s+|gpu\s+)?"
    r"(?:capabilities|architectures|archs?)\s*:?\s*)?(?P<list>" + _ARCH + r"(?:[\s,;]+(?:and\s+)?" + _ARCH + r")+)"
    r"|(?P<answer>\[\s*['\"]" + _ARCH + r"['\"](?:\s*,\s*['\"]" + _ARCH + r"['\"])+\s*\])",
    re.I,
)


# accxla (session 27): the architectures a build is told to compile for, as its flags set them. Each names what the
# build's code will hold, read as NVIDIA's and the build tools' documents define them:
# - nvcc's -gencode arch=compute_XX,code=sm_XX (SASS for sm_XX), code=compute_XX (PTX), code=[sm_XX,compute_XX] (both);
#   -arch=sm_XX alone is shorthand for arch=compute_XX,code=[sm_XX,compute_XX] (the nvcc guide, "GPU compilation");
#   mmcv's MMCV_CUDA_ARGS and a project's NVCC_FLAGS carry these flags;
# - PyTorch's TORCH_CUDA_ARCH_LIST="6.1 7.0+PTX": SASS for each X.Y, PTX too for those with +PTX (torch.utils.cpp_extension
#   CUDAExtension); an extension whose own nvcc flags hold -gencode/-arch does not take it (_get_cuda_arch_flags);
# - CMake's CMAKE_CUDA_ARCHITECTURES="61;70": each number both SASS and PTX, -real SASS only, -virtual PTX only
#   (cmake.org CUDA_ARCHITECTURES); "all", "all-major", "native" name no list;
# - TensorFlow's TF_CUDA_COMPUTE_CAPABILITIES=6.1,7.0 (configure.py), read as SASS and PTX for each (the lenient reading).
# A list with a name this cannot read (PyTorch's "Volta", "Ampere") is no list.
_FLAG_GENCODE = re.compile(r"-gencode[=; ]\s*arch=compute_(?P<arch>\d{2,3}[af]?),\s*code=(?P<code>\[[^\]]*\]|\"[^\"]*\"|[\w,]+)", re.I)
_FLAG_ARCH = re.compile(r"(?<![\w-])-arch[= ]\s*sm_(?P<arch>\d{2,3}[af]?)\b", re.I)
_FLAG_LIST = re.compile(
    r"(?:(?<=-D)|\b)(?P<name>TORCH_CUDA_ARCH_LIST|CMAKE_CUDA_ARCHITECTURES|CUDA_ARCHITECTURES|TF_CUDA_COMPUTE_CAPABILITIES)\s*[= ]\s*"
    r"(?P<value>\"[^\"]*\"|'[^']*'|[^\s\"';`]+)", re.I)
_FLAG_AT_START = re.compile(r"^\s*(?:[-*>$]\s*)?(?:ENV|ARG|export|set|RUN|-D|cmake|nvcc|python|pip)\b|^\s*(?:[-*>$]\s*)?[A-Z_]+=", re.I)


# The CUDA answers that a build holds no code for the device: the runtime's cudaErrorNoKernelImageForDevice (its text "no kernel
# image is available for execution on the device"), the driver's CUDA_ERROR_NO_BINARY_FOR_GPU, and the "invalid device
# function" a launch of a kernel without code for the device returns (cudaErrorInvalidDeviceFunction).
NO_KERNEL = re.compile(r"no kernel image (?:is )?available|cudaErrorNoKernelImageForDevice|CUDA_ERROR_NO_BINARY_FOR_GPU|no binary for gpu"
                        r"|invalid device function|cudaErrorInvalidDeviceFunction", re.I)


def build_arch_flags(text: str) -> list[str] | None:
    """The architectures a line's build flags tell the build to compile for ("sm_61", "compute_70"); None when it sets none
    or one this cannot read. Flags in prose count only where they are asserted (not advice, a question or a condition)."""
    low = text.lower()
    if not ("gencode" in low or "-arch" in low or "arch_list" in low or "architectures" in low or "compute_capabilities" in low):
        return None
    archs: list[str] = []
    found: list[re.Match[str]] = []
    for m in _FLAG_GENCODE.finditer(text):
        found.append(m)
        for code in re.findall(r"(?:sm|compute)_\d{2,3}[af]?", m.group("code"), re.I):
            archs.append(code.lower())
    if not found:
        for m in _FLAG_ARCH.finditer(text):
            found.append(m)
            archs += [f"sm_{m.group('arch')}", f"compute_{m.group('arch')}"]
    if not found:
        m_list = _FLAG_LIST.search(text)
        if m_list is None:
            return None
        found.append(m_list)
        name, value = m_list.group("name").upper(), m_list.group("value").strip("\"'")
        for item in re.split(r"[\s,;]+", value):
            if not item:
                continue
            m_item = re.fullmatch(r"(?:sm_|compute_)?(\d)\.?(\d)(\+ptx)?|(\d{2,3})(-real|-virtual)?|(sm|compute)_(\d{2,3})", item, re.I)
            if m_item is None:
                return None
            if m_item.group(6):
                archs.append(f"{m_item.group(6).lower()}_{m_item.group(7)}")
                continue
            number = f"{m_item.group(1)}{m_item.group(2)}" if m_item.group(1) else m_item.group(4)
            if name == "TORCH_CUDA_ARCH_LIST":
                archs.append(f"sm_{number}")
                if m_item.group(3):
                    archs.append(f"compute_{number}")
            elif m_item.group(5) == "-real":
                archs.append(f"sm_{number}")
            elif m_item.group(5) == "-virtual":
                archs.append(f"compute_{number}")
            else:
                archs += [f"sm_{number}", f"compute_{number}"]
    if not archs:
        return None
    if not _FLAG_AT_START.search(text) and not grammar.said(text, found[0].start(), found[0].end(), quotes=False):
        return None
    return list(dict.fromkeys(archs))


def names_build_targets(text: str) -> bool:
    """Whether ``text`` is a build's flags (``-gencode``, ``-arch``, an architecture list): a capability read from it is a
    target of the build, never the GPU's (accnoticed: the one test kernelimage's and the rules' GPU capability ask)."""
    return build_arch_flags(text) is not None or "gencode" in text.lower()


def build_arch_list(text: str) -> list[str] | None:
    """The architectures a line says a build contains ("sm_50", "compute_120"), at least two; None when it states none.
    accxla (session 27): also the architectures the build's flags name (``build_arch_flags``), one or more.

    Not read: a question, a condition, advice (explain.grammar), or code.
    """
    if "_" not in text or _CODE.search(text):
        return None
    flags = build_arch_flags(text)
    if flags is not None:
        return flags
    m = _ARCH_LIST.search(text)
    if m is None:
        return None
    if not grammar.program_line(text) and m.group("answer") is None and not grammar.said(text, m.start(), m.end(), quotes=False):
        return None
    return re.findall(_ARCH, m.group("list") or m.group("answer"), re.I)


# accfam41 (session 41): PyTorch's newer capability warning (torch/cuda/__init__.py ``_warn_unsupported_code``, 2.9 and
# later): "Found GPU0 <name> which is of compute capability (CC) 12.0." then "The following list shows the CCs this version of
# PyTorch was built for and the hardware CCs it supports:" and one line per code CC, "- 9.0 which supports hardware CC
# >=9.0,<10.0". It names the GPU's capability and the build's whole list, so the list is the build's architectures (judged
# by LOG232 with NVIDIA's binary compatibility), never a need of the program: torch's own table excludes Tegra boards from
# their major ("except {8.7}") and its later form warns on GB10 (12.1) beside 12.0 code, both said harmless by their users
# and PyTorch's maintainers (pytorch#172629), which the binary-compatibility judgement keeps quiet.
TORCH_CC_HEAD = re.compile(r"\bwhich is of compute capability \(CC\) (?P<cc>\d{1,2}\.\d)\.")
TORCH_CC_ROW = re.compile(r"^\s*-\s*(?P<cc>\d{1,2}\.\d) which supports hardware CC\b")


def torch_code_list(lines: Sequence[str], start: int) -> tuple[str, list[str], int] | None:
    """PyTorch's newer capability warning read from ``lines[start]`` (the head line, "... which is of compute capability (CC)
    X.Y."): the GPU's capability, the build's code CCs as architectures ("sm_90"), and the index of the last row read; None
    when the line is not the head or no row follows."""
    m = TORCH_CC_HEAD.search(lines[start])
    if m is None:
        return None
    if start + 1 >= len(lines) or "list shows the CCs" not in lines[start + 1]:
        return None
    archs: list[str] = []
    end = start + 1
    for index in range(start + 2, min(len(lines), start + 22)):
        row = TORCH_CC_ROW.match(lines[index])
        if row is None:
            break
        archs.append("sm_" + row.group("cc").replace(".", ""))
        end = index
    return (m.group("cc"), archs, end) if archs else None


# --- the GPU itself said too old or not supported ------------------------------------------------------------------
# "My GPU (GT 730) is too old for this build", "Your graphics card is not supported", "The Quadro K4000 is not
# supported by jax", ollama's "CUDA GPU is too old": the subject is the GPU (a model the table knows, or the GPU as a
# noun with nothing between it and its verb but a parenthesis), the predicate its age or support. Counted over every
# labelled case but the sealed sets: 28 logs hold a GPU said too old, not supported or not compatible in a line, all
# confirmed GPU_NOT_SUPPORTED (the program messages among them are read by their signatures; the reading stands).
_GPU_NOUN = r"(?:(?:my|this|the|your|our|a|an)\s+)?(?:(?:cuda|nvidia)\s+)?(?:gpu|graphics\s+card|video\s+card|graphic\s+card|card)"
_GPU_MODEL = r"(?:NVIDIA\s+)?(?:GeForce|Tesla|Quadro|TITAN|RTX|GTX|GT|GRID)[ -]?[A-Za-z]?\d{2,4}[A-Za-z]*(?:\s?(?:Ti|SUPER|M))?"
_GPU_SAID = re.compile(
    r"(?P<subject>(?<![\w-])" + _GPU_NOUN + r"|(?<![\w-])" + _GPU_MODEL + r")(?:\s*\([^()]{1,40}\))?\s+"
    r"(?P<verb>is|was|seems(?:\s+to\s+be)?|appears(?:\s+to\s+be)?)\s+(?:(?:probably|simply|just|now|still)\s+)?"
    r"(?P<predicate>(?:too|very)\s+old|no\s+longer\s+supported|not\s+(?:yet\s+)?supported|unsupported|not\s+compatible|incompatible)\b",
    re.I,
)


_CHANGED_SINCE = re.compile(r"\b(?:now|fixed|solved|resolved|after|replaced|upgraded|switched|works?|worked)\b", re.I)


def gpu_said_unsupported(text: str) -> CapabilityClaim | None:
    """The GPU a line says is too old or not supported, with its capability where the model is in the table; None otherwise.

    Not read: a question, a condition, advice, a hedge ("maybe it's too old"), code, a feature's floor (bf16...).
    """
    low = text.lower()
    if not ("old" in low or "support" in low or "compatib" in low) or _CODE.search(text) or _FEATURE.search(text) or _CHANGELOG.search(text):
        return None
    m = _GPU_SAID.search(text)
    if m is None:
        return None
    left, _right = grammar.sentence_at(text, m.start(), m.end())
    reasons = list(_REASON.finditer(text, left, m.start()))
    if reasons:
        left = reasons[-1].end()
    if not _asserted(text, left, m.start(), m.end()):
        return None
    if m.group("verb").lower() == "was" and _CHANGED_SINCE.search(text, m.end()):
        return None  # "my gpu was too old, after upgrading to a 3060 it works now": a state that is over
    from whygpu.knowledge.gpus import gpu_in_text

    subject = m.group("subject")
    model = gpu_in_text(subject) if re.search(r"\d", subject) else None
    around = gpu_in_text(text[m.start():m.end()]) if model is None else model
    cc = around.compute_capability if around is not None and around.compute_capability else ""
    return CapabilityClaim(cc, "build", m.group(0).strip()[:160], None, around.name if around is not None else subject.strip())


# --- a program's verdict that it found no GPU it can use, because of the GPU (accunsup, session 26) ------------------
# "No compatible GPU found. Using the CPU", "no supported GPUs detected", "No compatible CUDA devices were found", "there
# is no compatible GPU available": the program looked at the GPU and judged it; a program that found no GPU at all says
# "no GPU found" / "no CUDA-capable device" (other readings). What decides the cause is the GPU named beside it
# (knowledge.target.gpu_outside_builds: outside what the builds cover, or not); the line alone is a possibility.
_NO_COMPATIBLE = re.compile(
    # A device only where it is named a GPU's: XLA's "no supported devices found for platform CUDA" is its word for no GPU
    # at all (a failed CUDA start), not a judgement of one.
    r"\bno\s+(?:(?:other|more)\s+)?(?:compatible|supported)\s+(?:(?:(?:nvidia|discrete)\s+)?(?:gpus?|graphics\s+cards?|video\s+cards?|cards?)"
    r"|(?:nvidia|cuda(?:[\s-]capable)?|gpu)\s+devices?)\b",
    re.I,
)
NO_COMPATIBLE_HINT = re.compile(r"\bno\s+(?:(?:other|more)\s+)?(?:compatible|supported)\s", re.I)


def no_compatible_gpu(text: str) -> str | None:
    """The words of a line that say no compatible (or supported) GPU was found, as a program prints it or a writer quotes it;
    None otherwise. Not read: code, a feature's support (bf16, FP8: LOG230's limits), a question, a condition, advice."""
    low = text.lower()
    if not ("compatible" in low or "supported" in low) or _CODE.search(text) or _FEATURE.search(text):
        return None
    m = _NO_COMPATIBLE.search(text)
    if m is None:
        return None
    left, _right = grammar.sentence_at(text, m.start(), m.end())
    if not grammar.program_line(text) and not grammar.said(text[left:], m.start() - left, m.end() - left, quotes=True):
        return None
    return m.group(0)


# --- a compute type the device cannot run (accunsup, session 26) -----------------------------------------------------
# CTranslate2's resolve_compute_type (src/types.cc): "Requested float16 compute type, but the target device or backend do
# not support efficient float16 computation." An error that stops the model's load; its warning form ("The compute type
# inferred from the saved model is float16, but ...": the weights are converted and the model runs) is not read.
COMPUTE_TYPE_HINT = re.compile(r"compute\s+type,\s+but\s+the\s+target\s+device", re.I)
_COMPUTE_TYPE_REFUSED = re.compile(
    r"\bRequested\s+(?P<type>[a-z0-9_]+)\s+compute\s+type,\s+but\s+the\s+target\s+device\s+or\s+backend\s+do(?:es)?\s+not\s+support\s+efficient\s+(?P=type)\s+computation",
    re.I,
)


def compute_type_refused(text: str) -> str | None:
    """The compute type a line says the device cannot run (CTranslate2's refusal), lower case; None otherwise."""
    if _CODE.search(text):
        return None
    m = _COMPUTE_TYPE_REFUSED.search(text)
    return m.group("type").lower() if m else None


def torch_answer_from_refusal(facts: Any) -> tuple[Any, str] | None:
    """accvoice41 (session 41): CTranslate2's refusal of a compute type read as PyTorch's answer that it found no GPU: the
    refusal (the first ``compute_type_refused``) in a log whose traceback shows a program's code that hands CTranslate2 the
    device PyTorch chose (``torch_device_frame``, knowledge/programs.toml [[torch_device]]), where the GPU the log names runs
    the refused type (knowledge.programs.program_compute_type_on_gpu True): that device was the CPU, which PyTorch picks only
    when torch.cuda.is_available() is False. Returns the refusal's sighting and the words the answer is read with; None
    where any part is missing, where the GPU named is below CTranslate2's floor for the type (LOG316 reads that), or where
    PyTorch's own answer is in the log already."""
    if not facts.compute_type_refused or not facts.torch_device_frame or facts.gpu_answer.get("torch"):
        return None
    from whygpu.explain.rules import _gpu_capability
    from whygpu.knowledge.programs import program_compute_type_on_gpu

    found = _gpu_capability(facts)
    refused = facts.compute_type_refused[0]
    if found is None or program_compute_type_on_gpu("ctranslate2", refused.value, found[0]) is not True:
        return None
    program = facts.torch_device_frame[0].value
    return refused, (f"{refused.text.strip()} ({program} hands CTranslate2 the device PyTorch chose; the GPU named, compute "
                     f"capability {found[0]}, runs {refused.value}: the device was the CPU, torch.cuda.is_available() False)")
