"""Reads a program's own error or warning line by its words: a noun of the GPU stack and what the line says is wrong with it.

A fallback for the messages no signature knows (an application's, a wrapper's, a tool's): "XYZ version not
compiled with GPU support", "CUDA support was not enabled in this build", "ptxas does not support CC 8.9",
"requires CUDA driver >= 525", "libnvidia-fatbinaryloader.so.375.88: cannot open shared object file", "cuDNN
version mismatch: compiled with 8.9, loaded 8.2". The grammar is small: on one line that is a program's error or
warning (an exception line ``SomethingError: ...``, an ERROR/WARNING/FATAL level, a glog or TensorFlow ``E``/``W``/``F``
prefix, a tool's ``error:``, a line that starts by saying what failed), a PREDICATE (not built with, not found, not
loaded, too old, mismatch, not supported) and the GPU-stack NOUN it is said of, the nearest in the same clause
(before it, or after it for the predicates whose object is the noun: "built without CUDA", "requires CUDA driver >=
525", "does not support CC 8.9"). What the pair means is knowledge (``knowledge/error_words.toml``: the cause, the
alternatives and the reasoning); this module only finds the pair and the versions the line shows.

Never read: prose, a question, quoted code (a ``raise``, a logging call, an ``if``), a line that says the thing IS
found or built with CUDA, and any line a signature or the status-code table reads (benign ones included: their
reading stands). The rule that turns a reading into a finding (``LOG185``) speaks only where no other reader named
a cause, and never in a log that shows the GPU in use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from whygpu.explain.scan import Matcher
    from whygpu.knowledge.error_words import WordPair


@dataclass(frozen=True)
class WordsReading:
    """What one error line says: the noun and predicate found, the knowledge row they map to, and the versions shown.

    ``wanted`` is the version the line says is needed or compiled against, ``found`` the one it says is present;
    ``library`` a library file the line names.
    """

    noun: str
    predicate: str
    noun_text: str
    predicate_text: str
    pair: WordPair
    wanted: str | None = None
    found: str | None = None
    library: str | None = None

    @property
    def said(self) -> str:
        """The noun and the predicate as the line wrote them, quoted (the predicate alone where it holds the noun)."""
        return repr(self.predicate_text) if self.noun_text == self.predicate_text else f"{self.noun_text!r}: {self.predicate_text!r}"

    def __str__(self) -> str:
        return f"{self.said} -> {self.pair.cause}"


# ---------------------------------------------------------------------------------------------
# The line's form: a program's error or warning, not prose, not code.
# ---------------------------------------------------------------------------------------------

_STAMP = r"(?:[\[(]?\d[\d\-/:.,TZ ]{5,}[\])]?\s*:?\s*)?"
_LEVEL = r"(?:ERROR|FATAL|CRITICAL|WARNING|WARN|Error|Fatal|Warning|error|fatal|warning)"
_PROGRAM_LINE = re.compile(
    r"^\s*" + _STAMP + r"(?:"
    # An exception line (a traceback's last line): RuntimeError: ..., xgboost.core.XGBoostError: ..., UserWarning: ...
    r"(?:[A-Za-z_][\w]*\.)*[A-Z]\w*(?:Error|Exception|Warning|Failure|Fault)\s*:\s*\S"
    # A level first: "ERROR: ...", "[WARNING] ...", "WARN - ...", "error: ..."
    # (a capitalised or lower-case level only with its punctuation: "Error occurs when ..." is prose)
    r"|\[?\s*(?:ERROR|FATAL|CRITICAL|WARNING|WARN)\s*\]?\s*(?:[:\]|-]|\s\S)"
    r"|\[?\s*(?:Error|Fatal|Warning|error|fatal|warning)\s*\]?\s*[:\]|-]"
    # "Error loading onnxruntime_providers_cuda.dll: ...", "Error while initialising X: ...": what failed, then a colon
    r"|(?:Error|error|ERROR)\s+(?:\w+ing|in|while|during|when)\b[^\n:]{0,80}:\s*\S"
    # glog and TensorFlow's C++ logging: "E0101 12:00:00.1 123 file.cc:12] ...", "E tensorflow/...cc:12] ..."
    r"|[EFW]\d{4}\s+\d[^\]]{0,80}\]\s"
    r"|[EFW]\s+[\w/.-]+:\d+\]\s"
    # accgram (session 30): a one-letter level in brackets (TensorRT's and others' "[E] ...", "[F] ...", "[W] ...").
    r"|\[[EFW]\]\s"
    # accgram (session 30): a failed assertion ("Assertion failed: ...", glibc's "prog: file.c:12: main: Assertion `x' failed."),
    # a C++ exception's message under "terminate called ..." ("  what():  ..."), a CHECK macro's "Check failed: ...".
    r"|(?:[\w./\\+-]+(?:\s*:\s*\d+)*\s*:\s*)*(?:[\w:~<>]+\s*:\s*)?Assertion\b[^\n]{0,120}?\bfailed\b"
    r"|what\(\)\s*:\s*\S|(?:Check|CHECK)\s+failed\s*:"
    # A notice framed in asterisks on both sides, as CMake scripts print one ("*** cuDNN V5.0 OR GREATER NOT FOUND ***", after
    # CMake's "-- "; a paste's Markdown leaves one asterisk of each frame); a bullet ("* cuDNN not found") is not framed.
    r"|(?:--\s+)?\*+\s*\w(?=[^\n]*\S\s*\*+\s*$)"
    # A logger's name, then the level: "root - ERROR - ...", "ERROR:root:...", "myapp | WARNING | ...", "[app][ERROR]"
    r"|(?:[\w.\[\]-]+\s*[-|:]?\s*){1,3}[-|\[]\s*" + _LEVEL + r"\s*[\]|:-]"
    r"|" + _LEVEL + r":[\w.]+:"
    r"|(?:[\w.\[\]-]+\s+){1,3}(?:ERROR|FATAL|CRITICAL|WARNING|WARN)\s*[-|:\]]"
    # Python's warnings module: "/path/to/module.py:33: UserWarning: ..."; a program's tag, then the level: "CUDA_SETUP: WARNING! ..."
    r"|\S+\.pyw?:\d+:\s*(?:[A-Za-z_]\w*\.)*[A-Z]\w*(?:Warning|Error)\s*:\s*\S"
    r"|[\w.-]+:\s*" + _LEVEL + r"\s*[!:]"
    # A tool's error: "nvcc fatal   : ...", "ptxas error   : ...", "foo.cpp:12:3: error: ...", "CMake Error at ..."
    r"|[\w./\\+-]+(?:\s*:\s*\d+)*\s*:?\s*(?:fatal\s*)?(?:" + _LEVEL + r"|fatal)\s*(?::|at\b)"
    # A line that starts by saying what failed: "Failed to load ...", "[app] failed to ...", "Unable to ...", "Cannot ..."
    # (with what failed named after a colon or as a file: "Failed to load libcudnn.so.8: ...", not a bare title that a
    # user could write: "cannot find cuda")
    r"|(?:\[[\w .:-]+\]\s*)?(?:[\w.-]+:\s*)?(?:Failed|failed|FAILED|Unable|unable|Cannot|cannot|Could not|could not)\b"
    r"(?=[^\n]*(?::\s*\S|\.(?:so|dll|dylib)\b))"
    r")"
)
# A warning's level: the program went on, so only what stops the GPU by itself is read there (``in_warning``).
_WARNING = re.compile(r"^\s*" + _STAMP + r"(?:\[?\s*(?:WARNING|WARN|Warning|warning)\b|\[W\]\s|W\d{4}\s|W\s+\S+:\d+\]|(?:[A-Za-z_]\w*\.)*\w*Warning\s*:"
                      r"|(?:[\w.\[\]-]+\s+){1,3}(?:WARNING|WARN)\s*[-|:\]]|\S+\.pyw?:\d+:\s*(?:[A-Za-z_]\w*\.)*\w*Warning\s*:|[\w.-]+:\s*(?:WARNING|WARN|Warning|warning)\s*[!:]"
                      r"|(?:[\w.\[\]-]+\s*[-|:]?\s*){1,3}[-|\[]\s*(?:WARNING|WARN)\b|(?:WARNING|WARN):)")
# Code, a prompt, a comment, a shell command or a quoted instruction: not a program's line.
_CODE = re.compile(
    r"^\s*(?:>>>|\.\.\.\s|#|//|\$\s|raise\b|assert\b|if\b|elif\b|except\b|print\s*\(|return\b|throw\b|warnings\.warn)"
    r"|\b(?:raise|throw)\s+(?:new\s+)?\w+\s*\(|\.(?:error|warning|warn|fatal|critical|exception)\s*\(|\bprintf?\s*\("
    r"|\)\s*[:;{]\s*$|[\"']\s*\)\s*;?\s*$"
)
# Letters that every form of ``_PROGRAM_LINE`` holds (a level, a failure, an exception, a glog prefix).
_HINT = re.compile(r"rror|RROR|arn|ARN|atal|ATAL|RITICAL|ail|AIL|nable|annot|ould not|xception|ault|what\(\)|\[[EFW]\]|\*\s*$|^\s*[EFW]\d{4}|\s[EFW]\s+\S+:\d+\]")
# Words that every predicate holds (a cheap test before ``_PREDICATES``).
_PRED_WORDS = re.compile(r"not|n't|without|only|equested|match|expected|old|insufficient|require|need|support|compatib|missing|such file|[Uu]nable|[Ff]ailed|[Nn]o |[Pp]lease|higher|newer|later|greater|below")
# A question about the line is prose.
_QUESTION = re.compile(r"\?\s*[\"'`*)]*\s*$")


def is_warning(text: str) -> bool:
    """Whether ``text`` is a warning (the program went on), not an error."""
    return _WARNING.match(text) is not None


def program_line(text: str) -> bool:
    """Whether ``text`` is a program's own error or warning line (not prose, code or a question)."""
    if len(text) > 400 or _QUESTION.search(text) or _CODE.search(text):
        return False
    return _PROGRAM_LINE.match(text) is not None


# ---------------------------------------------------------------------------------------------
# The nouns of the GPU stack and the predicates.
# ---------------------------------------------------------------------------------------------

_LIB_VERSION = r"(?:\.so(?:\.[\w.]+)?|\d*\.dll|\.dylib)"
_NOUNS = re.compile(
    r"(?P<driverlib>\b(?:lib)?(?:cuda|nvidia-[\w-]+|nvcuda)" + _LIB_VERSION + r")"
    r"|(?P<cudnn>\b(?:lib)?cudnn[\w]*" + _LIB_VERSION + r"?|\bcuDNN\b|\bCUDNN\b)"
    r"|(?P<cudalib>\b(?:lib)?(?:cudart|cublas(?:Lt)?|cufft|curand|cusolver|cusparse|nvrtc|nvJitLink|nvjitlink)\w*" + _LIB_VERSION + r")"
    # accgram (session 30): the build's CUDA as a target, a backend or a device type ("Target cuda", "the 'CUDA' backend",
    # "device type cuda") or the program's GPU edition ("the GPU version of X"); the GPU's memory.
    r"|(?P<build>\b(?:[Tt]arget|[Bb]ackend|[Dd]evice\s+type)\s+['\"`]?(?:cuda|CUDA|gpu|GPU)\b['\"`]?|['\"`]?\b(?:CUDA|cuda)['\"`]?\s+backend\b"
    r"|\b(?:GPU|gpu|CUDA)[- ](?:version|package|wheel|variant|edition)\s+of\b|\b(?:GPU|gpu)[- ](?:version|package|wheel|variant|edition)\b)"
    r"|(?P<memory>\b(?:GPU|gpu|CUDA|cuda|[Vv]ideo|[Dd]evice|[Gg]raphics(?:\s+card)?)\s+memory\b|\b(?:VRAM|vram)\b)"
    r"|(?P<driver>\b(?:(?:NVIDIA|nvidia|Nvidia|CUDA|cuda|GPU|gpu|display)\s+)?(?:kernel\s+)?(?:driver|drivers|kernel\s+module)\b"
    r"|\bnvidia(?:\.ko)?\s+(?:kernel\s+)?module\b)"
    r"|(?P<gpu>\b(?:[Cc]ompute\s+[Cc]apability|(?:CUDA\s+)?[Cc]apability|CC\s*\d+\.\d|sm_\d+\w?|compute_\d+|(?:GPU|gpu)\s+architecture|SM(?:\s*_?\d{2,3})?(?=\W|$)"
    r"|(?:this\s+|your\s+|the\s+)?(?:GPU|gpu|graphics\s+card)(?!\s+(?:support|build|version|acceleration|memory|driver|processes)))\b)"
    r"|(?P<cuda>\bCUDA(?:\s+(?:toolkit|runtime|libraries|library|version|support|Toolkit|Runtime))?\b|\bcuda(?:\s+(?:toolkit|runtime))?\b(?![._/(])"
    r"|\b(?:nvcc|ptxas)\b|(?:GPU|gpu)\s+(?:support|build|acceleration)\b)",
)
_PREDICATES = re.compile(
    r"(?P<no_device>\b[Nn]o\s+(?:[\w-]+\s+){0,3}?(?:devices?|GPUs?|gpus?)\s+(?:(?:was|were|is|are)\s+)?(?:found|detected|available|present)\b"
    # accgram (session 30): "no devices supporting CUDA", "no device that supports CUDA".
    r"|\b[Nn]o\s+(?:[\w-]+\s+)?(?:devices?|GPUs?|gpus?)\s+(?:supporting|that\s+supports?)\s+(?:CUDA|cuda)\b"
    r"|\b(?:[Uu]nable|[Ff]ailed|[Cc]ould\s+not|[Cc]annot|[Cc]an't)\s+(?:to\s+)?(?:find|detect)\s+(?:any\s+|a\s+)?(?:[\w-]+\s+){0,2}?(?:devices?|GPUs?|gpus?)\b)|"
    r"(?P<not_built>\b(?:not|n't|never)\s+(?:been\s+)?(?:compiled|built|enabled|configured)\s+(?:with|for|in)\b"
    r"|\b(?:compiled|built)\s+without\b|\bnot\s+(?:enabled|available|supported)\s+in\s+this\s+(?:build|version|binary|install\w*)"
    r"|\bCPU[- ]only\s+(?:build|version|package|binary|wheel)|\bwas\s+not\s+enabled\b)"
    # accgram (session 30): what a build's target, backend or device type is said to be ("Target cuda is not enabled");
    # an operator with no kernel for the backend named after it ("Could not run 'ns::op' with arguments from the 'CUDA'
    # backend"); a program's advice to use or install its GPU edition ("Please use X with GPU version").
    r"|(?P<not_enabled>\b(?:is|are)\s+not\s+(?:enabled|registered)\b|\b(?:isn't|aren't)\s+(?:enabled|registered)\b)"
    r"|(?P<no_kernel>\b[Cc]ould\s+not\s+run\s+'[^'\n]{1,80}'\s+with\s+arguments\s+from\s+the\b)"
    r"|(?P<advise_gpu>\b[Pp]lease\s+(?:use|install|reinstall|switch\s+to|try)\b[^.;:!?\n]{0,40}?(?=\b(?:GPU|gpu|CUDA)[- ](?:version|package|wheel|variant|edition)\b))"
    # A program's own need of a GPU ("This program needs a CUDA-enabled GPU", "requires an NVIDIA GPU", "A CUDA-capable
    # GPU is required"); a GPU "with" a capability, memory or a count is another requirement (too_old, memory).
    r"|(?P<needs_gpu>\b(?:needs?|requires?)\s+(?:a|an|at\s+least\s+one)\s+(?:(?:CUDA|NVIDIA|cuda|nvidia|Nvidia)(?:[- ](?:[Ee]nabled|[Cc]apable|[Cc]ompatible|[Ss]upported))?[- ]){0,2}"
    r"(?:GPU|gpu|graphics\s+card|video\s+card)s?\b(?!\s*(?:with|>|<|=|\d|of|memory|for\s+\w+ing))"
    r"|\b(?:CUDA|NVIDIA|cuda)[- ](?:[Ee]nabled|[Cc]apable|[Cc]ompatible)\s+(?:GPU|gpu|device|graphics\s+card)\s+(?:is\s+)?required\b)"
    # More GPUs asked for than the machine shows, some shown ("You requested gpu: [1] But your machine only has: [0]",
    # "requested 4 GPUs but only 2 are available"); none shown is the framework's "no GPU" answer (LOG104), not read here.
    r"|(?P<short_count>\b[Rr]equested\s+(?:(?:GPUs?|gpus?|devices?)\s*:?\s*\[[^\]\n]*\]|\d+\s+(?:CUDA\s+)?(?:GPUs?|gpus?|devices?))"
    r"[^\n]{0,40}?\bonly\s+(?:has\s*:?\s*\[\s*\d[^\]\n]*\]|(?:has\s+)?[1-9]\d*\b(?!\s*(?:GB|GiB|MB|MiB|%))))"
    r"|(?P<mismatch>\bmis-?match(?:ed)?\b|\bdoes\s+not\s+match\b|\bdoesn't\s+match\b"
    r"|\b(?:compiled|built)\s+(?:with|against|for)\s+[^,;]{1,30}?\s*,?\s*but\s+(?:loaded|found|got|have|runtime|the\s+installed)"
    r"|\bexpected\s+[^,;]{1,30}?,?\s*(?:but\s+)?(?:got|found)\b)"
    r"|(?P<too_old>\btoo\s+old\b|\binsufficient\b|\bolder\s+than\b|\boutdated\b"
    # accgram (session 30): below a floor the line names ("less than the required (5.0)", "5.3 or higher required",
    # "3.0 or higher", "not enough GPU memory").
    r"|\b(?:is\s+)?(?:less\s+than|lower\s+than|below)\s+(?:the\s+)?(?:required|minimum)\b|\b[Nn]ot\s+enough\b"
    r"|\b[Vv]?\d+(?:\.\d+)*\s+or\s+(?:higher|newer|later|above|greater)\b(?!\s+(?:(?:is|was|were|are)\s+)?(?:not|n't|missing)\b)(?:\s+(?:is\s+|are\s+)?required\b)?"
    r"|\b(?:requires?|needs?)\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,3}?(?:version\s+)?(?:>=|>|at\s+least|version\s+\d|[\d.]+\s+or\s+(?:newer|higher|later|above))"
    r"|\b(?:or\s+(?:newer|higher|later)\s+is\s+required))"
    r"|(?P<not_supported>\b[Nn]ot\s+(?:supported|compatible)\b|\b[Uu]nsupported\b|\b[Ii]ncompatible\b|\bdoes\s+not\s+support\b|\bdoesn't\s+support\b"
    r"|\bno\s+longer\s+supported\b"
    # accgram (session 30): no build of a part for what follows ("Could not find compatible X extension for compute capability 75").
    r"|\b(?:[Cc]ould\s+not|[Cc]annot|[Cc]an't|[Uu]nable\s+to|[Ff]ailed\s+to)\s+find\s+(?:a\s+|any\s+)?compatible\b[^.;:\n]{0,50}?\bfor\b)"
    r"|(?P<not_loaded>\b(?:is\s+|are\s+|was\s+)?not\s+(?:loaded|running|installed)\b|\bisn't\s+(?:loaded|running|installed)\b)"
    r"|(?P<not_found>\bnot\s+found\b|\bcannot\s+(?:open|find|locate|load)\b|\bcan't\s+(?:open|find|locate|load)\b"
    r"|\bcould\s+not\s+(?:be\s+)?(?:found|find|load(?:ed)?|open(?:ed)?|locate(?:d)?)\b|\b(?:failed|unable)\s+to\s+(?:load|open|find|locate|dlopen)\b"
    r"|\bno\s+such\s+file\b|\bis\s+missing\b|\bmissing\b)",
)
# Predicates whose object is the noun ("built without CUDA", "requires CUDA driver >= 525", "does not support CC 8.9").
_OBJECT_FIRST = frozenset({"not_built"})
_NEAR = 60

_VERSION = r"v?(\d+(?:\.\d+){0,3})"
_WANTED = re.compile(r"(?:>=|>|at\s+least|compiled\s+(?:with|against)|built\s+(?:with|against|for)|expected|requires?)\s+(?:\w+\s+){0,3}?" + _VERSION + r"|" + _VERSION + r"\s+or\s+(?:newer|higher|later)", re.I)
_FOUND = re.compile(r"(?:loaded|found|got|have|installed|current(?:ly)?|detected|is)\s+(?:\w+\s+){0,2}?" + _VERSION, re.I)


def _noun_kind(m: re.Match[str]) -> str:
    kind = m.lastgroup or ""
    return "cuda" if kind == "cudalib" else kind


# Words that name the GPU stack: a bare "driver" is NVIDIA's only on a line that names one (an ODBC, audio or other
# tool's driver is not: "initialization error: driver not loaded").
_STACK = re.compile(r"cuda|nvidia|gpu|nvml|cudnn|nvcc|ptxas", re.I)
_BARE_DRIVER = re.compile(r"(?:kernel\s+)?(?:driver|drivers)$", re.I)


def _nouns(text: str) -> list[tuple[str, int, int, str]]:
    nouns = [(_noun_kind(m), m.start(), m.end(), m.group(0)) for m in _NOUNS.finditer(text)]
    if any(n[0] == "driver" and _BARE_DRIVER.match(n[3]) for n in nouns) and _STACK.search(text) is None:
        nouns = [n for n in nouns if not (n[0] == "driver" and _BARE_DRIVER.match(n[3]))]
    return nouns


# What may stand between a noun and the predicate said of it: a version, a file name, a copula, an article, a
# quote or a colon ("cuDNN 8.2 is too old", "libcublasLt64_13.dll is missing", "compute capability 3.0 is not
# supported", "requires the CUDA driver >= 525"). Another word there is another subject ("NVML doesn't support ...",
# "GPU interconnect information not available"): the noun is then a modifier, not what the predicate is said of.
_LINK = re.compile(
    r"^(?:[\s:,'\"`()\[\]=<>~]|[vV]?\d[\w.+-]*|[\w.+-]*\.(?:so|dll|dylib)[\w.]*"
    r"|\b(?:is|are|was|were|has|have|had|been|be|being|the|a|an|any|this|that|its|your|version|versions|ver|release"
    r"|library|libraries|file|files|module|found|installed|detected|with|for|of|CUDA|cuda)\b"
    # accgram (session 30): a bracketed aside ("Capability (3.0) of the GPU device (GeForce GT 730) is ..."), the device the
    # noun is of, the vendor, and a floor ("cuDNN V5.0 or greater not found").
    r"|\([^()]{0,40}\)|\b(?:device|NVIDIA|nvidia|at\s+least|or\s+(?:greater|newer|higher|later|above))\b)*$"
)


_GPU_DEVICE = re.compile(r"\b(?:CUDA|cuda|NVIDIA|nvidia|Nvidia|GPUs?|gpus?)\b")
_OBJECT_END = re.compile(r"\s*(?:support(?:ed)?|enabled|acceleration|backend)?\s*(?:[.,;:!)'\"\]]|$|\s+(?:and|but|so|please|enabled|support|on|in|at|to|for)\b)")


def _linked(gap: str) -> bool:
    return len(gap) <= _NEAR and _LINK.match(gap) is not None


def _noun_for(text: str, predicate: str, start: int, end: int, nouns: list[tuple[str, int, int, str]]) -> list[tuple[str, int, int, str]]:
    """The nouns the predicate at ``start``..``end`` is said of, in the order to try: the nearest before it (its
    subject) or the first after it (its object), each only when nothing but linking words stands between."""
    if predicate in ("no_device", "needs_gpu", "short_count"):
        # "no CUDA-capable device is detected", "No NVIDIA GPU found", "needs a CUDA-enabled GPU": the noun is in the
        # predicate's words; an audio or input device is not the GPU.
        said = text[start:end]
        return [("device", start, end, said)] if _GPU_DEVICE.search(said) else []
    if predicate in ("no_kernel", "advise_gpu"):
        # accgram: "... with arguments from the 'CUDA' backend", "Please use X with GPU version": the object follows.
        return [n for n in nouns if n[1] >= end and _linked(text[end:n[1]])][:1]
    if predicate == "not_enabled":
        # "Target cuda is not enabled": said of the subject right before it.
        return [n for n in nouns if n[2] <= start and _linked(text[n[2]:start])][-1:]
    verb = re.match(r"requires?|needs?", text[start:end]) if predicate == "too_old" else None
    requires = verb is not None
    # "requires CUDA driver >= 525": the noun stands inside the predicate's words.
    first = start + len(verb.group(0)) if verb is not None else end
    before = [n for n in nouns if n[2] <= start and _linked(text[n[2]:start])][-1:]
    after = [n for n in nouns if n[1] >= first and _linked(text[first:n[1]])][:1]
    if predicate in _OBJECT_FIRST and re.search(r"(?:with|for|without)$", text[start:end]):
        # "not compiled with GPU support." / "built without CUDA": the object ends the clause; "not built with CUDA
        # kernel binaries compatible with ..." is about other things the build lacks.
        return [n for n in after if _OBJECT_END.match(text, n[2])]
    if predicate in _OBJECT_FIRST:
        return before  # "CUDA support was not enabled in this build"
    if requires:
        return after + before
    if predicate == "not_supported" and after and after[0][0] == "gpu":
        # "ptxas does not support CC 8.9": the capability after it is what is not supported; a CUDA tool before it
        # is what does not support it (the toolkit is older than the GPU).
        if before and before[0][0] == "cuda":
            return [("cudatool", *before[0][1:])]
        return after
    return before + after


@lru_cache(maxsize=1)
def _matcher() -> Matcher:
    """The signatures' matcher (needle prefilter, no RE2 set: only the few lines read here are matched)."""
    from whygpu.explain.catalogue import catalogue
    from whygpu.explain.scan import Matcher

    return Matcher(catalogue(), use_re2=False)


def read_by_signature(text: str) -> bool:
    """Whether a signature of the catalogue (any kind: failure, context, benign, the status table's) reads ``text``."""
    from whygpu.explain.scan import normalise

    matcher = _matcher()
    plain = normalise(text)
    return bool(matcher.match(plain) or matcher.arms(plain))


# accgram (session 30): a line in capitals: at least five words, nearly every letter a capital (dlib's CMake notice
# "cuDNN V5.0 OR GREATER NOT FOUND."); a program's shout, which the forms above do not show.
def _shouted(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 15 or len(re.findall(r"[A-Za-z]{2,}", text)) < 5:
        return False
    return sum(c.isupper() for c in letters) >= 0.85 * len(letters)


# A program naming itself as what needs the GPU ("This program needs a CUDA-enabled GPU to run"): a program's notice (a
# reporter says "my program", "the code"); read only for the need of a GPU.
_SELF_NAMED = re.compile(r"^\W*(?:this|the)\s+(?:program|application|app|software|executable|binary|plugin|engine)\s+(?:needs|requires)\s+(?:a|an|at\s+least)\b", re.I)


# A line offering causes to choose from: a failure, then "or" ("not compiled or ... incompatible", "missing or too old").
_OFFERS_ALTERNATIVES = re.compile(r"\b(?:not\s+(?:been\s+)?(?:compiled|built|found|installed|loaded|supported|enabled)|missing|unavailable|too\s+old|incompatible)\b[^.;:!?\n]{0,40}?\s+or\s+(?!(?:newer|higher|later|above|greater)\b)", re.I)


# What needs the GPU is a feature, a precision or a mode of the run, not the run itself ("fp16 mixed precision requires a GPU",
# "This feature requires an NVIDIA GPU", "quantization needs a CUDA GPU").
_FEATURE_NEED = re.compile(r"\b(?:precision|fp16|fp8|bf16|bfloat16|float16|half|quantiz\w*|feature|option|mode|flag|setting|dtype|kernels?|operators?|ops?|extension|plugin)\b[^,;:.!?]{0,20}$", re.I)


# A GPU named as found or in use (the need of a GPU met): "found: NVIDIA GeForce RTX 3090", "Using device 0: NVIDIA ...".
_NEED_MET = re.compile(r"\b(?:found|detected|using|selected|running\s+on)\b[^.;!?\n]{0,30}?\b(?:NVIDIA|GeForce|Quadro|Tesla|RTX|GTX|TITAN)\b", re.I)


_PROSE = re.compile(r"\b(?:I|I'm|I've|my|anyone|someone|how\s+(?:do|can|to))\b")


def read_line(text: str, *, exits: bool = False) -> WordsReading | None:
    """What ``text`` says is wrong with a piece of the GPU stack, when it is a program's error or warning line that
    no signature reads and its words name a pair the knowledge table maps; None otherwise.

    ``exits``: the program stopped right after the line (an abort, a non-zero exit): the line is its last word, an error
    whatever its form (accgram, session 30: ``sys.exit(message)`` prints the message bare)."""
    from whygpu.explain.answers import failed_check
    from whygpu.explain.fallback import choice as fallback_choice
    from whygpu.explain.ownanswer import cpu_notice
    from whygpu.knowledge.error_words import pair_meaning

    # accgram (session 30): a line in capitals is read in lower case (its words are the program's; a shouted line is
    # a program's notice, as is a line where the program names itself as needing the GPU).
    shouted = _shouted(text)
    if shouted:
        text = text.lower()
    self_named = _SELF_NAMED.match(text) is not None
    # The cheap tests first: a predicate's words, a level's or failure's letters, then the line's form.
    if (_HINT.search(text) is None and not shouted and not self_named and not exits) or _PRED_WORDS.search(text) is None or _PREDICATES.search(text) is None:
        return None
    formed = not shouted and (program_line(text) or (exits and len(text) <= 400 and not _QUESTION.search(text) and not _CODE.search(text)))
    if not (formed or shouted or self_named) or _PROSE.search(text) or (shouted and _QUESTION.search(text)):
        return None
    nouns = _nouns(text)
    if not nouns and "equested" not in text:
        return None  # (a count asked for holds its own noun: "requested 4 GPUs")
    warning = _WARNING.match(text) is not None
    for m in _PREDICATES.finditer(text):
        predicate = m.lastgroup or ""
        for kind, _start, _end, said in _noun_for(text, predicate, m.start(), m.end(), nouns):
            if kind == "driverlib" and predicate not in ("not_found", "not_loaded"):
                kind = "driver"
            pair = pair_meaning(kind, predicate)
            if pair is None or (warning and not pair.in_warning):
                continue
            if _OFFERS_ALTERNATIVES.search(text) or text[_start - 1:_start] == "/" or text[_end:_end + 1] == "/":
                # accgram: "Module was not compiled or CUDA version/driver is incompatible": the line offers causes to
                # choose from (a disjunction, one predicate said of a list), and does not say which holds.
                return None
            if not formed and not shouted and predicate != "needs_gpu":
                continue  # a line that names the program as its subject is read only for that program's need of a GPU
            if predicate == "needs_gpu" and _FEATURE_NEED.search(text[max(0, m.start() - 60):m.start()]):
                continue  # "fp16 mixed precision requires a GPU (not 'mps')": a feature's need, an optional component's
            if predicate == "needs_gpu" and _NEED_MET.search(text, m.end()):
                continue  # "requires a CUDA-capable GPU; found: NVIDIA GeForce RTX 3090": the need stated, and met
            if predicate in ("no_device", "needs_gpu") and failed_check(text) is not None:
                return None  # a program's failed GPU check: read as its "no GPU" answer (explain.answers), ranked by LOG104
            if predicate in ("no_device", "needs_gpu") and (cpu_notice(text) is not None or fallback_choice(text) is not None):
                # (accfall, session 31: and every form of a program's fallback explain.fallback reads, "No GPU found, use
                # CPU instead", "No NVIDIA GPU detected ... will run in CPU-only mode".)
                # accwords (session 28): "no GPU detected, will be using CPU", "No CUDA device found, falling back to CPU": the
                # program's own device test and its fallback, the framework's "no GPU" answer (explain.ownanswer's cpu_notice,
                # ranked by LOG104), not CUDA's cudaErrorNoDevice from code that needed the GPU (this pair's row).
                return None
            if read_by_signature(text):
                return None
            return WordsReading(kind, predicate, said, m.group(0), pair, *_versions(text, m.start()),
                                library=said if kind in ("driverlib", "cudnn", "cuda") and re.search(_LIB_VERSION + r"$", said) else None)
    return None


def _versions(text: str, start: int) -> tuple[str | None, str | None]:
    """The version the line says is wanted (needed, compiled against) and the one it says is present."""
    wanted = _WANTED.search(text, max(0, start - 40))
    found = _FOUND.search(text, max(0, start - 40))
    wanted_v = (wanted.group(1) or wanted.group(2)) if wanted else None
    found_v = found.group(1) if found else None
    return wanted_v, (found_v if found_v != wanted_v else None)


def readings(lines: Any) -> list[tuple[int, str, WordsReading]]:
    """Every (line number, line, reading) among ``lines`` (numbered from 1), at most one reading per distinct line."""
    out: list[tuple[int, str, WordsReading]] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        if not _CHEAP.search(line) or line in seen:
            continue
        seen.add(line)
        text = line.strip()
        if number >= 2 and _CONTINUED.match(text):
            # accgram: "You requested GPUs: [1]" / "But your machine only has: [0]", under an exception's name on its own line
            before = [b.strip() for b in lines[max(0, number - 3):number - 1] if b.strip()]
            if before and "equested" in before[-1]:
                text = " ".join([*before[-2:], text] if len(before) > 1 and before[-2].endswith(":") else [before[-1], text])
        reading = read_line(text, exits=_exit_follows(lines, number))
        if reading is not None and reading.predicate == "needs_gpu" and any(_NEED_MET.search(after) for after in lines[number:number + 3]):
            continue  # accgram: the need of a GPU, then a GPU in use on the lines after it (a banner of requirements)
        if reading is not None:
            out.append((number, line.strip(), reading))
            if len(out) >= 20:
                break
    return out


# accgram (session 30): the program's end right after a line: an abort or a crash, a non-zero exit status as a shell, an IDE
# or a launcher prints it ("Aborted (core dumped)", "Process finished with exit code 1", "exited with code 2").
_EXIT = re.compile(r"^\s*(?:Aborted|Segmentation fault|Killed)\b(?:\s*\(core dumped\))?\s*$"
                   r"|\b(?:exit(?:ed)?|terminated|finished)\s+(?:with\s+)?(?:exit\s+)?(?:code|status)\s*:?\s*-?[1-9]\d*\b", re.I)


def _exit_follows(lines: Any, number: int) -> bool:
    """Whether one of the two lines after line ``number`` (numbered from 1) that hold text says the program stopped."""
    after = [line for line in lines[number:number + 4] if line.strip()][:2]
    return any(_EXIT.search(line) for line in after)


# A message's second line that goes on from the first ("But your machine only has: [0]").
_CONTINUED = re.compile(r"^[Bb]ut\s+(?:your\s+|the\s+)?(?:machine|system|node|host)\s+only\s+has\b")


# A cheap test before the grammar: a noun's letters on the line.
_CHEAP = re.compile(r"only\s+has|cuda|cudnn|driver|gpu|nvidia|capabilit|sm_\d|(?-i:\bSM\b)|CC\s*\d|nvcc|ptxas|cublas|cudart|module", re.I)
