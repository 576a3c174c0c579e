"""What a program's own message says of its build and of the GPUs it found, read by what the words mean (accmsg, session 24).

Programs tell the same three things in their own words; the signatures know some of them one by one (torch's "Torch not
compiled with CUDA enabled", DGL's, MXNet's, LightGBM's). This module reads the meaning in any program's wording, so a
program no signature knows is read too (the wordings it was built from, each with its source, are
knowledge/build_messages.toml's; a test reads every one):

- ``cpu_build_said``: the build has no GPU code. The message says the program (or "this build", "the library") was
  not compiled / built with CUDA or the GPU, was compiled without it, that CUDA/GPU support is not enabled or
  available in this build, that a device API cuda/gpu is not enabled, or (an error's own message) "GPU is not
  enabled"; or it tells the user to install the program's CUDA/GPU version or to (re)compile it with CUDA. The advice
  is read only as a program's words (an error's or a log's line, or quoted), never as the writer's, who advises too.
  Not read: "compiled with CUDA X.Y" / "not compiled with any CUDA arch <= 610" (a version or an architecture, not the
  GPU support: the second is ``arch_missing_said``), Paddle's "Compiled with WITH_GPU, but no GPU found in runtime" (a
  GPU build that found no GPU), an alternative ("No GPU found or the library is compiled without CUDA support"), code
  that prints or raises the words, a question, a condition or advice in the writer's sentence.
- ``arch_missing_said``: the build has GPU code, but none for this GPU's architecture ("ggml-cuda was compiled without
  support for the current GPU architecture", "ggml was not compiled with any CUDA arch <= 610", "no binary for GPU",
  "not built for this GPU's architecture"). A capability named as unsupported is ``explain.ccsupport``'s.
- ``zero_gpus_printed``: a program's printed count or list of GPUs that is zero or the CPU alone ("Training on 0
  GPUs", "Found 0 GPU(s)", "GPU count: 0", "n_gpu: 0", "Registered devices: [CPU]", "available devices: ['cpu']"): the
  framework's answer that it found no GPU, which LOG104 ranks (``LogFacts.gpu_answer``). Not read where the count is
  an assignment or an option ("num_gpus=0", "--gpus 0": the user's choice) or code.
"""

from __future__ import annotations

from dataclasses import dataclass

from whygpu import lazyre as re
from whygpu.explain import grammar


@dataclass(frozen=True)
class BuildSaid:
    """A program's message about its build: ``kind`` "cpu_build" or "arch_missing", the program it names ("" when
    none), what it tells the user to do ("" when nothing), and the span of the words read."""

    kind: str
    program: str
    advice: str
    start: int
    end: int

    def __str__(self) -> str:
        what = "no GPU support in its build" if self.kind == "cpu_build" else "no code for this GPU's architecture"
        return f"{self.program or 'a program'}: {what}"


_GPU = r"(?:CUDA|GPU|NVIDIA(?:\s+GPU)?|cuBLAS)"
# Words after the GPU word that make it something else than the GPU support: a version, an architecture, a capability.
_NOT_SUPPORT = r"(?!\s*[\d<>=]|\s+(?:arch|architectures?|capabilit|version|toolkit\s+\d|\d)|[-_.]?\d)"
# What may follow the GPU word for the words to be about the GPU support as a whole ("with CUDA support", "with GPU
# enabled", "without CUDA."); not "with CUDA kernel binaries compatible with compute capability 5.3" (TensorFlow's PTX
# notice: a GPU build without one architecture's code), "with CUDA 11.8" or "with CUDA arch".
_WHOLE = (r"(?=\s*(?:$|[.,;:!?)\]\"'`]|\s(?:support|supports|enabled?|backend|acceleration|offload|option|flag|features?|devices?|"
          r"and|or|so|but|please|to|because|since|-+|installed)\b|\s*=\s*(?:1|ON|on|true|yes)\b))")
# The build said to be without GPU code.
_CPU_BUILD = re.compile(
    # "X was not compiled with CUDA (support|enabled)", "not built with GPU support", "hasn't been compiled with CUDA".
    # (lead, session 29: "compile" too, the base form non-native writers and some programs print: "XGBoost version not
    # compile with GPU support".)
    r"(?:\bnot|n[’']t|\bnever)\s+(?:been\s+)?(?:compiled?|built|configured)\s+with(?:\s+the)?\s+" + _GPU + r"\b" + _NOT_SUPPORT + _WHOLE
    # "compiled without CUDA support", "built without GPU".
    + r"|\b(?:compiled|built|configured)\s+without(?:\s+the)?\s+(?:any\s+)?" + _GPU + r"\b" + _NOT_SUPPORT + _WHOLE
    # "CUDA support is not enabled in this build", "GPU Tree Learner was not enabled in this build".
    + r"|\b" + _GPU + r"\b[\w\s-]{0,30}?\b(?:is|was|were|are)\s+not\s+(?:enabled|available|compiled(?:\s+in)?|included|supported|present)\s+in\s+"
    r"(?:this|the\s+current|the\s+installed|your)\s+(?:build|binary|package|installation|version|wheel|distribution|release)\b"
    # DGL's and TVM's device registry: "Device API cuda is not enabled".
    r"|\bDevice\s+API\s+(?:cuda|gpu)\s+is\s+not\s+enabled\b",
    re.I,
)
# MXNet's MXNET_GPU_NOT_ENABLED_ERROR, "GPU is not enabled": only as an error's whole message (the writer's "GPU is not
# enabled in Colab" is a setting of the machine).
_GPU_NOT_ENABLED = re.eager(r"(?:(?:Error|Exception|FATAL|Check failed[^:]{0,40})\s*:|\]|\.(?:cc|cpp|h|cu):\d+:)\s*GPU is not enabled\s*(?:[.\"'`]|$)")
# A program's advice to install its GPU build or to compile it with CUDA: only a program's (or quoted) words.
_ADVICE = re.compile(
    r"\b(?:please\s+)?(?:re)?install\s+(?:the\s+|a\s+)?(?:cuda|gpu)(?:[- ](?:enabled|supported|capable))?[- ](?:version|build|package|variant|wheel|release)\s+of\s+(?P<of>[A-Za-z][\w+-]*(?:\.[\w+-]+)*)"
    r"|\b(?:please\s+)?(?:re)?(?:compile|build)(?:\s+or\s+(?:re)?install)?\s+(?:(?P<subject>[A-Za-z][\w.+-]*)\s+)?with\s+(?:the\s+)?(?:CMake\s+option\s+|option\s+|flag\s+)?"
    r"(?:(?:CUDA|GPU)\b" + _NOT_SUPPORT + r"|(?:USE_CUDA|WITH_GPU|WITH_CUDA|-DUSE_GPU|-DUSE_CUDA|-DGGML_CUDA|-DLLAMA_CUBLAS|-DLLAMA_CUDA|GPU|DLIB_USE_CUDA)\s*=\s*(?:1|ON|on|YES|yes|true)\b)",
    re.I,
)
# A program's line: after a log prefix, an exception's name, a source location or a check; or quoted by the writer.
_PROGRAM_PREFIX = re.compile(
    r"(?:^|[\s(])(?:[\w.]*(?:Error|Exception|Warning|error|warning)\s*:|Check failed:|FATAL\b|what\(\):|\[(?:E|W|F|ERROR|FATAL|WARNING|WARN|error|warning)\b|"
    r"[\w/\\.-]+\.(?:py|cc|cpp|c|cu|cuh|h|hpp|go|rs):\d+|(?:ERROR|WARNING|WARN|FATAL|CRITICAL)\b\s*[:\]-]?)")
_ALTERNATIVE_AFTER = re.compile(r"^(?:\s+(?:support|enabled|backend))?\s*,?\s*or\b", re.I)
# Code that prints or raises the words: ``print("...")``, ``raise RuntimeError("...")``, ``AT_ERROR("...")``,
# ``LOG(FATAL) << "..."``.
_IN_CODE = re.compile(r"\b\w+\s*\(\s*[fFrRbBuU]?[\"'][^\"']*$|<<\s*[\"'][^\"']*$|\braise\s+\w")
# The program a message names: the subject of "X (package|version|build) (is|was) not compiled ...".
_SUBJECT = re.compile(r"(?P<name>[A-Za-z][\w.+-]*)(?:\s+(?:package|version|build|binary|library|installation|wheel|module|python\s+package))?"
                      r"\s+(?:(?:is|was|has|were|are)\s+)?(?:been\s+)?(?:not|n[’']t|never)?\s*$")
# The exception's module or name: "dgl._ffi.base.DGLError", "MXNetError", "xgboost.core.XGBoostError".
_EXC_NAME = re.compile(r"\b(?P<module>[a-z][\w]*)?(?:\.[\w]+)*?\.?(?P<cls>[A-Z]\w*?)(?:Error|Exception)\s*:")
# A program's name before its version in brackets at the line's start: "OpenCV(4.5.1) /.../cuda.hpp:... error: ...".
_PROGRAM_VERSION = re.compile(r"(?<![\w.])(?P<name>[A-Za-z][\w+-]{1,30})\(\d+\.\d+[\w.-]*\)")
# Words that are no program's name.
_NOT_NAMES = frozenset({
    "runtime", "value", "assertion", "type", "os", "import", "attribute", "key", "index", "system", "notimplemented",
    "exception", "error", "check", "invalidargument", "permissiondenied", "unavailable", "internal", "unimplemented",
    "user", "future", "deprecation", "base", "the", "this", "that", "it", "its", "library", "lib", "package", "binary",
    "build", "version", "module", "code", "program", "application", "app", "one", "which", "was", "is", "has", "have",
    "been", "not", "install", "please", "reinstall", "recompile", "compile", "and", "or", "you", "your", "we", "i",
    "fatal", "ffi", "core", "_ffi", "device", "gpu", "cuda", "cpu", "executable", "wheel", "installation",
})


def _name(word: str | None) -> str:
    """A program's name as written, or "" for a word that names none."""
    if not word:
        return ""
    word = word.strip(".,:;'\"`")
    return "" if word.lower() in _NOT_NAMES or len(word) < 2 else word


def _program_of(text: str, start: int, advice: re.Match[str] | None) -> str:
    """The program a message names: in its advice ("the cuda version of dgl"), as the subject before the words, by its
    exception ("DGLError", "mxnet.base.MXNetError") or by its version prefix ("OpenCV(4.5.1)"); "" when none."""
    if advice is not None and (name := _name(advice.group("of") or advice.group("subject"))):
        return name
    subject = _SUBJECT.search(text, max(0, start - 60), start)
    if subject is not None and (name := _name(subject.group("name"))):
        return name
    for exc in _EXC_NAME.finditer(text, 0, start):
        if (name := _name(exc.group("module"))) or (name := _name(exc.group("cls"))):
            return name
    if (prog := _PROGRAM_VERSION.search(text, 0, start)) is not None:
        return _name(prog.group("name"))
    return ""


def _programs_line(text: str, start: int) -> bool:
    """Whether the words at ``start`` are a program's: its line (a log prefix, an exception, a source location, a check)
    or a message the writer quotes."""
    return (_PROGRAM_PREFIX.search(text, 0, start + 1) is not None or grammar.program_line(text)
            or grammar.quoted(text, start))


# A program's informational line (glog's "I" level, an INFO tag): what it tells there is no failure of its run
# (TensorFlow's dlopen checker stub logs "Not built with GPU enabled. Skip GPU library dlopen check." at INFO).
_INFO_LEVEL = re.compile(r"^\W*(?:\d{4}-\d\d-\d\d[ T][\d:.,]+:?\s+)?(?:I\d{4}\s|I\s+[\w/.-]+\.(?:cc|cpp|h):\d+\]|\[?INFO\]?\b)")


def _left_out(text: str, start: int, end: int) -> bool:
    """Whether the words are no finding: code that prints them, an alternative, an informational line, or the writer's
    question, condition, advice or guess (a program's line is asserted as it stands)."""
    if _IN_CODE.search(text, max(0, start - 160), start) or grammar.code_comment(text) or _INFO_LEVEL.match(text):
        return True
    left, right = grammar.sentence_at(text, start, end)
    if grammar.ALTERNATIVE_BEFORE.search(text, left, start) or _ALTERNATIVE_AFTER.search(text[end:right]):
        return True
    if _PROGRAM_PREFIX.search(text, 0, start + 1) is not None or grammar.program_line(text):
        return bool(grammar.asked(text, left, right, start, end))
    if grammar.quoted(text, start):
        # A message the writer quotes: theirs to ask about or suppose ("If you see `... not compiled with CUDA`, ..."),
        # not the message's own advice ("Please install ..."), which is the program's.
        return bool(grammar.asked(text, left, right, start, end) or grammar.supposed(text, left, right, start, end)
                    or grammar.hearsay(text, left, right))
    return not grammar.said(text, start, end, quotes=False)


_CUES = ("compiled", "built", "configured", "enabled", "install", "compile", "build")


def cpu_build_said(text: str) -> BuildSaid | None:
    """A program's own words that its build has no GPU support (and what it says to install), or None."""
    if len(text) > 2000:
        return None
    low = text.lower()
    if not any(c in low for c in _CUES) or not ("cuda" in low or "gpu" in low or "nvidia" in low or "cublas" in low):
        return None
    advice = _ADVICE.search(text)
    if advice is not None and not _programs_line(text, advice.start()):
        advice = None  # the writer's own advice ("you should install the GPU version of X") is no program's message
    found = _CPU_BUILD.search(text) or _GPU_NOT_ENABLED.search(text)
    if found is not None and _left_out(text, found.start(), found.end()):
        return None  # its advice is the same message's, left out with it
    if found is None and advice is not None and _left_out(text, advice.start(), advice.end()):
        advice = None
    if found is None and advice is None:
        return None
    at = found or advice
    assert at is not None
    said = advice.group(0) if advice is not None else ""
    if advice is not None:
        tail = re.match(r"[^.;\n\"'`]{0,80}", text[advice.end():])
        said = (said + (tail.group(0) if tail else "")).strip()
    named_before = at.end() if found is not None and found.re is _GPU_NOT_ENABLED else at.start()  # (its match holds the exception's name)
    return BuildSaid("cpu_build", _program_of(text, named_before, advice), said, at.start(), at.end())


# The build has GPU code but none for this GPU's architecture, said without naming a capability.
_ARCH_MISSING = re.compile(
    r"\b(?:compiled|built)\s+without\s+support\s+for\s+(?:the\s+|this\s+|your\s+)?(?:current\s+)?(?:GPU|CUDA|device)(?:'s)?\s+(?:architecture|arch)\b"
    r"|\bnot\s+(?:compiled|built)\s+(?:with|for)\s+any\s+(?:CUDA\s+|GPU\s+)?(?:arch(?:itecture)?s?|compute\s+capabilit(?:y|ies))\b"
    r"|\bnot\s+(?:compiled|built)\s+for\s+(?:the\s+current|this|your)\s+(?:GPU|CUDA|device)(?:'s)?(?:\s+(?:architecture|arch))?\b"
    r"|\bCUDA_ERROR_NO_BINARY_FOR_GPU\b|\bno\s+binary\s+for\s+(?:the\s+)?GPU\b"
    r"|\bno\s+(?:kernels?|code|binar(?:y|ies))\s+(?:\w+\s+)?for\s+(?:the\s+current|this|your)\s+GPU(?:'s)?\s+architecture\b",
    re.I,
)


def arch_missing_said(text: str) -> BuildSaid | None:
    """A program's own words that its build has no code for this GPU's architecture, or None."""
    if len(text) > 2000:
        return None
    low = text.lower()
    if "arch" not in low and "binary" not in low and "binar" not in low:
        return None
    found = _ARCH_MISSING.search(text)
    if found is None or _left_out(text, found.start(), found.end()):
        return None
    return BuildSaid("arch_missing", _program_of(text, found.start(), None), "", found.start(), found.end())


# --- a printed count or list of GPUs that is zero or the CPU alone ------------------------------------------------

_GPUS = r"(?:(?:CUDA|NVIDIA|available|visible|usable|detected)\s+)?(?:GPUs?|GPU\(s\)|GPU\s+devices?|CUDA\s+devices?|CUDA\s+GPUs?)"
_ZERO_GPUS = re.compile(
    # "Training on 0 GPUs", "Using 0 GPUs", "Found 0 GPU(s)", "Detected 0 CUDA devices", "running with 0 GPUs".
    r"\b(?:training|running|using|used|found|detected|launching|starting|spawning|initiali[sz]ing|loaded|visible|available|run|train)"
    r"\s+(?:on\s+|with\s+|across\s+)?0\s+" + _GPUS + r"(?![\w-])"
    # "0 GPUs found", "0 GPU(s) available", "0 CUDA devices detected".
    r"|(?<![\w.,-])0\s+" + _GPUS + r"\s+(?:(?:were|was|are|is)\s+)?(?:found|detected|available|visible|in\s+use|used)\b"
    # "GPU count: 0", "GPUs available: 0", "Available GPUs: 0", "#GPUs: 0" (not "Number of GPUs: 0": logfacts' own).
    r"|(?<![\w-])(?:available|visible|detected|usable)\s+(?:GPUs|GPU\(s\)|CUDA\s+devices)\s*:\s*0(?![\d.]|,\s*\d)"
    r"|(?<![\w-])(?:GPUs|GPU\(s\)|CUDA\s+devices)\s+(?:available|found|detected|visible|in\s+use)\s*:\s*0(?![\d.]|,\s*\d)"
    r"|\b(?:GPU|CUDA\s+device)s?\s+count\s*:\s*0(?![\d.]|,\s*\d)|#\s?GPUs?\s*:\s*0(?![\d.]|,\s*\d)"
    # A program's own field, printed "key: 0" (Hugging Face's "n_gpu: 0", a config dump's "num_gpus: 0").
    r"|(?<![\w-])(?:n_gpus?|num_gpus?|gpu_count|num_gpu_devices|n_gpu_devices)\s*:\s*0(?![\d.]|,\s*\d)",
    re.I,
)
# TensorFlow's OpKernel error lists the process's devices: "Registered devices: [CPU]" (no GPU device registered).
_TF_REGISTERED_CPU = re.compile(r"\bRegistered devices:\s*\[\s*CPU(?:\s*,\s*XLA_CPU)?\s*\]")
# A program's device list with the CPU alone: "available devices: ['cpu']", "Available devices: [CPU]".
_CPU_DEVICE_LIST = re.compile(r"\bavailable\s+devices\s*(?:are|is)?\s*[:=]?\s*\[\s*['\"]?cpu(?::0)?['\"]?\s*\]", re.I)
# The user's own choice of the count: an assignment, an option, a call's argument ("num_gpus=0", "--gpus 0", "gpus=0").
_COUNT_SET = re.compile(r"(?:--?|\b)(?:n_gpus?|num_gpus?|ngpus?|gpus|gpu_count|num_gpu_devices|devices)\s*(?:=\s*|\s+)['\"]?0\b(?![.\d])", re.I)


def zero_gpus_printed(text: str) -> tuple[str, str] | None:
    """A program's printed count or list of GPUs that is zero or the CPU alone: (the framework it is the answer of, or
    "" for the framework the log names; the words), or None."""
    if len(text) > 1000 or ("0" not in text and "cpu" not in text.lower()):
        return None
    low = text.lower()
    if "registered devices" in low and (m := _TF_REGISTERED_CPU.search(text)) is not None:
        return "tensorflow", m.group(0)
    if "available devices" in low and (m := _CPU_DEVICE_LIST.search(text)) is not None and not _left_out(text, m.start(), m.end()):
        return "", m.group(0)
    if "gpu" not in low and "cuda device" not in low:
        return None
    m = _ZERO_GPUS.search(text)
    if m is None or _COUNT_SET.search(text) or grammar.in_code(text, m.start(), m.end()):
        return None
    if _IN_CODE.search(text, max(0, m.start() - 160), m.start()) or grammar.code_comment(text):
        return None
    left, right = grammar.sentence_at(text, m.start(), m.end())
    if grammar.asked(text, left, right, m.start(), m.end()) or grammar.supposed(text, left, right, m.start(), m.end()):
        return None
    return "", m.group(0)


def gpu_variant_shown(program: str, lines: list[str], at: int) -> tuple[int, str] | None:
    """The program's own GPU package named in the log ("dgl-cu111", "dgl-cuda11.1", "mxnet-cu112", "faiss-gpu",
    "xgboost==2.0.3+cu118") as there before its message (on an earlier line, or on the message's line said to be there
    already: "but I had already installed dgl-cu111"): two builds side by side, and the one imported is the CPU build.
    (line number, the name), or None; a GPU package named only after the message is the remedy, not the state."""
    if not program or len(program) > 40:
        return None
    name = re.escape(program)
    variant = re.compile(rf"(?<![\w.-]){name}[-_](?:cu|cuda)\d[\d.]*\b|(?<![\w.-]){name}[-_]gpu\b|(?<![\w.-]){name}\s*(?:==?|\s)\s*v?\d+(?:\.\d+)+\+cu\d+", re.I)
    for number, line in enumerate(lines[:at], 1):
        if (m := variant.search(line)) is not None and (number < at or re.search(r"\b(?:already|also|both|alongside|as\s+well|still)\b", line, re.I)):
            return number, m.group(0)
    return None


def count_set_to_zero(text: str) -> bool:
    """Whether a log sets the GPU count to zero itself (an option, an assignment, a call's argument): its zero is the user's choice."""
    return _COUNT_SET.search(text) is not None
