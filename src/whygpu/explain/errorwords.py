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

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from whygpu import lazyre as re
from whygpu.explain import grammar

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


def is_warning(text: str) -> bool:
    """Whether ``text`` is a warning (the program went on), not an error."""
    return _WARNING.match(text) is not None


def program_line(text: str) -> bool:
    """Whether ``text`` is a program's own error or warning line (not prose, code or a question)."""
    if len(text) > 400 or grammar.ends_asking(text) or _CODE.search(text):  # (a question about the line is prose)
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
    # accnodev (session 33): no device found, the one pattern of that meaning (``grammar.NO_DEVICE_WORDS``, which the
    # fallback reader shares); this reader reads only the devices found absent (``read_line``).
    r"(?P<no_device>" + grammar.NO_DEVICE_WORDS + r")|"
    r"(?P<not_built>\b(?:not|n't|never)\s+(?:been\s+)?(?:compiled|built|enabled|configured)\s+(?:with|for|in)\b"
    r"|\b(?:compiled|built)\s+without\b|\bnot\s+(?:enabled|available|supported)\s+in\s+this\s+(?:build|version|binary|install\w*)"
    r"|\bCPU[- ]only\s+(?:build|version|package|binary|wheel)|\bwas\s+not\s+enabled\b)"
    # accgram (session 30): what a build's target, backend or device type is said to be ("Target cuda is not enabled");
    # a program's advice to use or install its GPU edition ("Please use X with GPU version"). PyTorch's dispatcher
    # ("Could not run 'ns::op' with arguments from the 'CUDA' backend") is read by its two signatures, torch's own
    # operators (LOG-PT-ATEN-NO-CUDA-KERNEL) and an extension's (LOG-PT-OP-NO-CUDA-KERNEL), not here.
    r"|(?P<not_enabled>\b(?:is|are)\s+not\s+(?:enabled|registered)\b|\b(?:isn't|aren't)\s+(?:enabled|registered)\b)"
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
    if predicate == "advise_gpu":
        # accgram: "Please use X with GPU version": the object follows.
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


_ASCII_UPPER = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ASCII_LOWER = b"abcdefghijklmnopqrstuvwxyz"


# accgram (session 30): a line in capitals: at least five words, nearly every letter a capital (dlib's CMake notice
# "cuDNN V5.0 OR GREATER NOT FOUND."); a program's shout, which the forms above do not show.
def _shouted(text: str) -> bool:
    if text.isascii():
        # accquiet (session 38): the same counts without a loop over the characters (in ASCII a letter is A-Z or a-z).
        raw = text.encode("ascii")
        upper = len(raw) - len(raw.translate(None, _ASCII_UPPER))
        count = upper + len(raw) - len(raw.translate(None, _ASCII_LOWER))
        if count < 15 or upper < 0.85 * count:
            return False
        return len(re.findall(r"[A-Za-z]{2,}", text)) >= 5
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


# The writer's words in the line: a first person, a question's "how". accnodev (session 33): in any case but the bare "I" (a
# lone capital I is the first person; a lone "i" is an index or an abbreviation, "i.e."), so that a sentence that starts
# "My GPU ..." or "How to fix ..." is prose as its lower-case form is (the review noted the capitalised forms escaped it).
_PROSE = re.compile(r"\b(?:I|(?i:i['’]m|i['’]ve|my|anyone|someone|how\s+(?:do|can|to)))\b")


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
    formed = not shouted and (program_line(text) or (exits and len(text) <= 400 and not grammar.ends_asking(text) and not _CODE.search(text)))
    if not (formed or shouted or self_named) or _PROSE.search(text) or (shouted and grammar.ends_asking(text)):
        return None
    nouns = _nouns(text)
    if not nouns and "equested" not in text:
        return None  # (a count asked for holds its own noun: "requested 4 GPUs")
    warning = _WARNING.match(text) is not None
    for m in _PREDICATES.finditer(text):
        predicate = m.lastgroup or ""
        if predicate == "no_device" and m.group("nd_unavailable") is not None:
            # accnodev: "CUDA is not available", "is_available() returned False": the framework's own "no GPU" answer, whose
            # causes LOG104 ranks (explain.answers, ownanswer), not CUDA's cudaErrorNoDevice of code that asked for devices
            # (this pair's row); the shared pattern reads both, this reader only the devices found absent.
            continue
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
        if reading is not None and reading.predicate in _NUMBERED and (both := compared(text)) is not None and both.met \
                and reading.noun in (both.noun, both.subject):
            continue  # accnum (session 31): "only support CUDA 10.0 or higher, but got CUDA version: 12.8": the numbers show the need met
        if reading is not None and reading.predicate == "needs_gpu" and any(_NEED_MET.search(after) for after in lines[number:number + 3]):
            continue  # accgram: the need of a GPU, then a GPU in use on the lines after it (a banner of requirements)
        if reading is not None:
            out.append((number, line.strip(), reading))
            if len(out) >= 20:
                break
    return out


# The predicates whose words a comparison of the line's numbers can contradict (accnum, session 31).
_NUMBERED = frozenset({"too_old", "not_supported", "mismatch"})


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


# ---------------------------------------------------------------------------------------------
# accnum (session 31): two numbers compared on one line, with no error word.
# ---------------------------------------------------------------------------------------------
# A program that checks the machine states its floor (or its exact need) for a subject and the value it found, and stops:
# "Required: driver version >= 580 (CUDA >= 13.0) Detected: 540.4.0", "requires a minimum driver version of 550 and CUDA
# version 12.4. The driver version MAX detected is: 12.2", "only supported on GPUs with compute capability of at least 8.0.
# Your Tesla T4 GPU has compute capability 7.5", "GPU compute capability 7.5 is below the minimum required 8.0", "Found
# unsuitable version "6.5", but required is at least "7.5"", "Minimum supported: 9100 / Installed version: 8907". The
# fact: the machine's value is below what the program needs. The words around the numbers only say which number is the
# need and which the machine's; the numbers decide, compared by the knowledge layer's version helpers (a driver against a
# driver floor or against the CUDA a driver runs: knowledge.cuda; a compute capability: knowledge.gpus; cuDNN's codes:
# knowledge.cuda_versions). A need that is met ("only support CUDA 10.0 or higher, but got CUDA version: 12.8") is no
# error, whatever the words say: ``compared`` reports it met, and ``read_line`` then drops a "too old" reading of the
# same line.


@dataclass(frozen=True)
class Compared:
    """A line's need and the machine's value of one subject ("driver", "cuda", "cudnn", "gpu"), and whether the need is met.

    ``of_driver``: the machine's value is the CUDA its driver runs ("the driver version ... detected is: 12.2", "driver
    reports CUDA 13.2"), so a CUDA below the need is the driver's. ``exact``: the line names one value needed, not a floor.
    """

    subject: str
    wanted: str
    found: str
    met: bool
    exact: bool = False
    of_driver: bool = False

    @property
    def noun(self) -> str:
        """The error_words.toml noun whose row names the cause."""
        return "driver" if self.subject == "driver" or (self.subject == "cuda" and self.of_driver) else self.subject

    def __str__(self) -> str:
        if self.subject == "gpu" and self.exact and self.wanted.startswith(("sm_", "compute_")):
            return f"a build for {self.wanted}, compute capability {self.found} found"
        need = self.wanted if self.exact else f">= {self.wanted}"
        label = {"driver": "driver", "cuda": "CUDA", "cudnn": "cuDNN", "gpu": "compute capability"}[self.subject]
        return f"{label} {need} needed, {self.found} found" + (" (the driver's CUDA)" if self.of_driver and self.subject == "cuda" else "")


# The subjects and the roles' words are data (knowledge/comparisons.toml, accvocab session 32): the last subject named in the
# words before a number names its subject ("CUDA capability" and "CUDA driver" before a bare "CUDA").
def _cmp_subject() -> re.Pattern[str]:
    from whygpu.knowledge.comparisons import subject_pattern

    return subject_pattern()


def _cmp_role(role: str, subject: str | None = None) -> re.Pattern[str] | None:
    from whygpu.knowledge.comparisons import role_pattern

    return role_pattern(role, subject)


@cache
def _cmp_roles(role: str, subject: str | None) -> tuple[re.Pattern[str], ...]:
    """The patterns of ``role``'s words said of every subject and of ``subject``."""
    return tuple(p for p in dict.fromkeys((_cmp_role(role), _cmp_role(role, subject) if subject else None)) if p is not None)


def _cmp_search(role: str, text: str, subject: str | None = None) -> re.Match[str] | None:
    """The first of ``role``'s words (those said of every subject, and of ``subject``) in ``text``."""
    hits = [m for p in _cmp_roles(role, subject) if (m := p.search(text))]
    return min(hits, key=lambda m: m.start()) if hits else None


def _cmp_match_after(role: str, text: str, at: int) -> bool:
    """Whether ``role``'s words follow position ``at`` of ``text`` (after an opening quote or spaces)."""
    pattern = _cmp_role(role)
    if pattern is None:
        return False
    lead = re.match(r"\s*['\"`]?\s*", text[at:])
    start = at + (lead.end() if lead else 0)
    return pattern.match(text, start) is not None


# A number: dotted, a bare integer (a driver branch "580", a capability "75", a cuDNN code "8907"), sm_NN, compute_NN, SM5.0,
# in quotes or not; a "v" only before a dotted version ("v12.4", not the "v100" of a Tesla V100's name).
_CMP_VALUE = re.compile(r"(?<![\w.])(?:sm_|compute_|SM(?=\d)|v(?=\d+\.\d))?(\d{1,5}(?:\.\d{1,3}){0,3})(?![\w.]*\d)(?!\s*(?:%|GB|GiB|MB|MiB|W\b|x\b|ms\b|s\b))")
# A negation or a bound just before a build's words or its number: "not compiled with any CUDA arch <= 750" states no build.
_CMP_NOT_BUILT = re.compile(r"\b(?:not|n't|never|without|no)\s+(?:\w+\s+){0,1}$", re.I)
_CMP_BOUND = re.compile(r"(?:<=|>=|<|>|≤|≥|=>|=<)\s*['\"`]?\s*$")
_CMP_CONTINUE = re.compile(r"^\s*['\"`]?\s*(?:[(,/]|and\b|or\b|with\b)", re.I)
# Not a program's comparison: a package tool's lines (pip's resolver and requirement lines), a shell command, an install plan.
_CMP_NOT = re.compile(r"Requirement already|dependency resolver|which is incompatible|Requires-Dist|^\s*(?:\$|RUN\b|pip3?\s|conda\s|apt(?:-get)?\s|sudo\s|python3?\s+-m\s+pip)", re.I)
# Advice, a condition or a recommendation before the numbers: the line is not a statement of this machine (after them, a
# program's advice on what to do: "... has compute capability 7.5. You can use float16 instead").
_CMP_ADVICE = re.compile(r"\b(?:recommend\w*|suggest\w*|should|if|whether|unless)\b|\b(?:you\s+)?(?:could|would|can|may)\s+(?:install|use|upgrade|update|try|downgrade)\b", re.I)


def _cmp_value(subject: str, raw: str) -> str | None:
    """``raw`` as a value of ``subject`` ("570.211.01", "12.4", "8.9.7", "7.5"), or None when it is no value of it."""
    from whygpu.knowledge.cuda_versions import cudnn_version_text
    from whygpu.knowledge.gpus import architecture_of_capability

    if subject == "driver":
        return raw if re.fullmatch(r"[2-9]\d{2}(?:\.\d{1,3}){0,2}", raw) else None
    if subject == "cuda":
        from whygpu.knowledge.cuda import was_cuda_release
        from whygpu.knowledge.cuda_versions import cuda_release_code

        raw = cuda_release_code(raw) or raw  # CUDA's own integer form, "11020" (accnum2, session 34)
        if re.fullmatch(r"(?:[1-9]|1[0-9])\.\d{1,2}(?:\.\d+)?", raw) and was_cuda_release(".".join(raw.split(".")[:2])) is not False:
            return raw
        return None  # a number no CUDA release bore ("2.7.0": a framework's version beside the CUDA it needs)
    if subject == "cudnn":
        text = cudnn_version_text(raw)
        return text if text is not None and re.fullmatch(r"[1-9]\.\d+(?:\.\d+)?", text) else None
    if subject == "gpu":
        cc = raw if "." in raw else (f"{raw[:-1]}.{raw[-1]}" if re.fullmatch(r"\d{2,3}", raw) else None)
        return cc if cc is not None and re.fullmatch(r"\d{1,2}\.\d", cc) and architecture_of_capability(cc) is not None else None
    return None


def _cmp_read(subject: str, raw: str) -> tuple[str, str | None, bool]:
    """``raw`` read as a value of ``subject``: the subject, the value (None when it is none) and whether it is the CUDA a
    driver supports (a driver's value in CUDA's form, "CUDA driver version found: 11.2", "... is 11020"; the subjects that
    take it are comparisons.toml's ``cuda_form``)."""
    from whygpu.knowledge.comparisons import cuda_form_subjects

    value = _cmp_value(subject, raw)
    if value is None and subject in cuda_form_subjects() and (cuda := _cmp_value("cuda", raw)) is not None:
        return "cuda", cuda, True
    return subject, value, False


def _cmp_below(subject: str, found: str, wanted: str) -> bool | None:
    """Whether ``found`` is below the floor ``wanted`` for ``subject``, by the knowledge layer's comparisons; None when unreadable."""
    from whygpu.knowledge._util import parse_version
    from whygpu.knowledge.cuda import at_least_driver
    from whygpu.knowledge.gpus import compute_capability_below

    if subject == "driver":
        ok = at_least_driver(found, wanted)
        return None if ok is None else not ok
    if subject == "gpu":
        return compute_capability_below(found, wanted)
    have, need = parse_version(found), parse_version(wanted)
    if have is None or need is None:
        return None
    # A floor of MAJOR.MINOR is met by any patch of it ("CUDA 12.4" by "12.4.1"); compare as many parts as the floor has.
    parts = len(need.release)
    return have.release[:parts] < need.release[:parts]


def _cmp_driver_cuda(driver: str, cuda: str, *, driver_is_need: bool) -> bool | None:
    """A driver floor against the CUDA a driver runs, or a CUDA floor against a driver (knowledge.cuda's driver table):
    whether the machine's side is below; None when the table cannot say."""
    from whygpu.knowledge._util import parse_version
    from whygpu.knowledge.cuda import driver_version_runs_cuda, max_cuda_for_driver

    if driver_is_need:
        # "requires a minimum driver version of 550 ... the driver version detected is: 12.2": the CUDA that floor runs.
        top = max_cuda_for_driver(driver if "." in driver else f"{driver}.0", minor_compat=False)
        have, need = parse_version(cuda), parse_version(top)
        return None if have is None or need is None else have.release[:2] < need.release[:2]
    fit = driver_version_runs_cuda(driver, cuda)
    return None if fit.runs is None else not fit.runs


def _cmp_gate(text: str, spans: list[re.Match[str]]) -> bool:
    """Whether ``text`` holds a need's words: a floor's or an exact need's before a number, a floor's after one, a build's
    beside a capability, or a capability "< X not supported"."""
    if _cmp_search("floor", text) or _cmp_search("exact", text):
        return True
    if any(_cmp_match_after("floor_after", text, m.end()) for m in spans):
        return True
    gpu_named = _cmp_subject().search(text) is not None and any(m.lastgroup == "gpu" for m in _cmp_subject().finditer(text))
    gpu_named = gpu_named or any(m.group(0).lower().startswith(("sm", "compute_")) for m in spans)
    return gpu_named and (_cmp_search("build", text) is not None or _cmp_search("floor_unsupported", text, "gpu") is not None)


@cache
def _cmp_is_pattern() -> re.Pattern[str] | None:
    pattern = _cmp_role("machine_is")
    return None if pattern is None else re.compile(r"(?:" + pattern.pattern + r")\s*[:=]?\s*['\"`]?\s*$", re.I)


def _cmp_machine_is(segment: str) -> bool:
    """A plain "is" just before a number ("CUDA driver version is 11020, expected at least 11040"): the machine's value,
    where the caller has seen a subject and no need's or build's word before it (comparisons.toml ``machine_is``)."""
    pattern = _cmp_is_pattern()
    return pattern is not None and pattern.search(segment[-60:]) is not None


def _cmp_floor_unsupported(segment: str, after: str) -> bool:
    """A capability floor said by what is below it not being supported ("compute capability < 8.0 are not supported")."""
    pattern = _cmp_role("floor_unsupported", "gpu")
    unsupported = _cmp_role("unsupported")
    if pattern is None or unsupported is None:
        return False
    tail = re.search(r"(?:" + pattern.pattern + r")\s*['\"`]?\s*$", segment, re.I)
    return tail is not None and unsupported.search(after[:40]) is not None


# One number of a compared line: its role ("wanted", "found", "built" or ""), the subject named before it (or None), the
# number, whether it is a found CUDA said of the driver, whether the need is one exact value, and whether it is PTX (compute_NN).
_CmpValue = tuple[str, str | None, str, bool, bool, bool]


def _cmp_values(text: str, least: int = 2) -> list[_CmpValue] | None:
    """The numbers of a line that states a need (``_CmpValue`` each); None for a line with fewer than ``least`` numbers, no
    need's word, or a question, code, a package tool's line, advice or prose. The words are knowledge/comparisons.toml's."""
    if len(text) > 600 or grammar.ends_asking(text) or _CODE.search(text) or _CMP_NOT.search(text) or _PROSE.search(text):
        return None
    spans = list(_CMP_VALUE.finditer(text))
    if len(spans) < least or _CMP_ADVICE.search(text, 0, spans[-1].start()) or not _cmp_gate(text, spans):
        return None
    values: list[_CmpValue] = []
    previous_end = 0
    role: str | None = None
    for m in spans:
        segment = text[previous_end:m.start()]
        after = text[m.end():m.end() + 40]
        previous_end = m.end()
        nouns = list(_cmp_subject().finditer(segment))
        noun = nouns[-1].lastgroup if nouns else None
        prefix = m.group(0).lower()
        if prefix.startswith(("sm", "compute_")):
            noun = "gpu"
        want = _cmp_search("floor", segment, noun)
        exact_word = _cmp_search("exact", segment, noun)
        need = min((x for x in (want, exact_word) if x is not None), key=lambda x: x.start(), default=None)
        machine = [f for p in _cmp_roles("machine", noun) for f in p.finditer(segment) if need is None or f.start() > need.start()]
        built = _cmp_search("build", segment, noun)
        floor_after = _cmp_match_after("floor_after", text, m.end())
        if built is not None and (_CMP_NOT_BUILT.search(segment, 0, built.start()) or _CMP_BOUND.search(segment)):
            role = None  # "not compiled with any CUDA arch <= 750": no build stated
        elif built is not None and not [f for f in machine if f.start() > built.end()]:
            role = "built"
        elif machine or (noun is not None and need is None and built is None and _cmp_machine_is(segment)):
            role = "found"
        elif need is not None or floor_after or (noun == "gpu" and _cmp_floor_unsupported(segment, after)):
            role = "wanted"
        elif _cmp_match_after("machine_after", text, m.end()):
            role = "found"
        elif not _CMP_CONTINUE.match(segment) and segment.strip(" \t,;/") != "":
            role = None
        if floor_after and role != "found":
            role = "wanted"
        of_driver = role == "found" and any(n.lastgroup == "driver" for n in nouns)
        exact = role == "wanted" and exact_word is not None and want is None
        values.append((role or "", noun, m.group(1), of_driver, exact, prefix.startswith("compute_")))
    return values


def _arch(raw: str, ptx: bool) -> str | None:
    """A capability value as an architecture name ("8.0" -> "sm_80", PTX -> "compute_80"); None when it is none."""
    cc = _cmp_value("gpu", raw)
    return None if cc is None else ("compute_" if ptx else "sm_") + cc.replace(".", "")


def _cmp_build_runs(archs: list[str], cc: str) -> bool | None:
    """Whether code built for ``archs`` runs on a GPU of capability ``cc``: the knowledge layer's one decision of binary
    compatibility (knowledge.target.build_runs_on_compute_capability: same-major SASS, older PTX JIT-compiled)."""
    from whygpu.knowledge.target import build_runs_on_compute_capability

    return build_runs_on_compute_capability(archs, cc).runs


@lru_cache(maxsize=4096)
def compared(text: str, *, subject_before: str | None = None) -> Compared | None:
    """The need and the machine's value a line compares, of one subject, with whether the need is met; None when the line
    does not state both (or is a question, code, a package tool's line, advice or a plan).

    ``subject_before``: the subject a line just above names, for a line that shows only numbers ("Minimum supported: 9100").
    A build's architectures and the GPU's capability ("Runtime compute cap 75 is not compatible with compile time compute
    cap 80") are compared by binary compatibility, not as a floor: code for sm_80 runs on 8.6, not on 7.5 or 12.0.
    """
    values = _cmp_values(text)
    if values is None:
        return None
    line_subjects = [s for _, s, _, _, _, _ in values if s] or ([subject_before] if subject_before else [])
    founds = [(s, v, d) for r, s, v, d, _, _ in values if r == "found"]
    if not founds:
        return None
    archs = [a for r, s, v, _, _, ptx in values if r == "built" and (s or (line_subjects[0] if line_subjects else None)) == "gpu"
             and (a := _arch(v, ptx)) is not None]
    if archs:
        for f_subject, f_raw, _ in founds:
            if (f_subject or "gpu") == "gpu" and (cc := _cmp_value("gpu", f_raw)) is not None and (runs := _cmp_build_runs(archs, cc)) is not None:
                return Compared("gpu", "/".join(archs), cc, runs, True)
    wanted = [(s, v, x) for r, s, v, _, x, _ in values if r == "wanted"]
    if not wanted:
        return None
    met_seen: Compared | None = None
    for w_subject, w_raw, exact in wanted:
        w_subject = w_subject or (line_subjects[0] if line_subjects else None)
        if w_subject is None or (w_subject == "driver" and _STACK.search(text) is None):
            continue
        named = w_subject
        w_subject, w_value, w_of_driver = _cmp_read(named, w_raw)
        if w_value is None:
            continue
        for f_subject, f_raw, of_driver in founds:
            f_subject, f_read, f_of_driver = _cmp_read(f_subject or named, f_raw)
            below: bool | None = None
            if f_subject == w_subject and (f_value := f_read) is not None:
                below = (f_value != w_value) if exact else _cmp_below(w_subject, f_value, w_value)
                result = Compared(w_subject, w_value, f_value, below is False, exact, of_driver or w_of_driver or f_of_driver)
            elif {f_subject, w_subject} <= {"driver", "cuda"} and (
                    (w_subject == "driver" and (f_value := _cmp_value("cuda", f_raw)) is not None)
                    or (w_subject == "cuda" and (f_value := _cmp_value("driver", f_raw)) is not None)):
                # The driver's floor against the CUDA the driver runs, or a CUDA floor against the driver (knowledge.cuda).
                below = _cmp_driver_cuda(w_value if w_subject == "driver" else f_value, f_value if w_subject == "driver" else w_value,
                                         driver_is_need=w_subject == "driver")
                result = Compared("driver", w_value, f_value, below is False, False, True)
            else:
                continue
            if below is None:
                continue
            if below:
                return result
            met_seen = met_seen or result
            break
    return met_seen


@dataclass(frozen=True)
class CapabilityNeed:
    """A program's need of the GPU's compute capability that a line states with no machine value beside it: a floor
    ("Only CUDA devices with SM 5.0 and higher are supported") or the architectures a build holds ("compiled for sm_87")."""

    floor: str | None = None
    archs: tuple[str, ...] = ()

    def runs_on(self, cc: str) -> bool | None:
        """Whether a GPU of capability ``cc`` meets the need (the floor: knowledge.gpus; a build: binary compatibility)."""
        from whygpu.knowledge.gpus import compute_capability_below

        if self.archs:
            return _cmp_build_runs(list(self.archs), cc)
        below = compute_capability_below(cc, self.floor) if self.floor else None
        return None if below is None else not below

    def against(self, cc: str) -> Compared | None:
        """The comparison with the machine's capability ``cc`` (None when the knowledge layer cannot say)."""
        runs = self.runs_on(cc)
        if runs is None:
            return None
        return Compared("gpu", "/".join(self.archs) if self.archs else str(self.floor), cc, runs, bool(self.archs))

    def __str__(self) -> str:
        return f"a build for {'/'.join(self.archs)}" if self.archs else f"compute capability {self.floor} or newer"


# Letters every capability need holds (a cheap test before ``capability_need``).
_GPU_HINT = re.compile(r"capab|\bcc\b|\bsm|compute_|compute\s+cap|arch", re.I)


@lru_cache(maxsize=4096)
def capability_need(text: str) -> CapabilityNeed | None:
    """The compute capability need ``text`` states with no machine value of it on the line: one floor, or a build's
    architectures; None otherwise (a line with a machine value is read by ``compared``; a line with two floors or a
    floor and a build is not sure)."""
    if _GPU_HINT.search(text) is None:
        return None
    values = _cmp_values(text, least=1)
    if values is None or any(r == "found" and (s or "gpu") == "gpu" for r, s, *_ in values):
        return None
    subjects = {s for _, s, *_ in values if s}
    if subjects - {"gpu"}:
        return None  # numbers of another subject beside it ("CUDA 12 needs compute capability 5.0"): not sure which is whose
    floors = {c for r, s, v, _, x, _ in values if r == "wanted" and not x and s == "gpu" and (c := _cmp_value("gpu", v))}
    archs = tuple(a for r, s, v, _, _, ptx in values if r == "built" and (s or "gpu") == "gpu" and "gpu" in subjects
                  and (a := _arch(v, ptx)) is not None)
    if archs and not floors:
        return CapabilityNeed(archs=archs)
    if len(floors) == 1 and not archs:
        return CapabilityNeed(floor=next(iter(floors)))
    return None


# A line that reports the machine's capability: a property listing ("SM version: 3.0", "GPU Compute Capability: 6.1") or a
# device listing ("Device 0: NVIDIA A100-SXM4-80GB, compute capability 8.0").
_CMP_LABEL = re.compile(r"[:=]\s*['\"`]?\s*$")
_CMP_NOUN_TAIL = re.compile(r"\s*(?:version|ver\.?|level|is|of)?\s*[:=,]?\s*['\"`(]?\s*$", re.I)
_CMP_DEVICE_LIST = re.compile(r"\b(?:device|gpu)\s*#?\s*\d+\s*[:,(]", re.I)


@lru_cache(maxsize=4096)
def machine_capability(text: str) -> str | None:
    """The GPU's compute capability ``text`` reports as the machine's (one value, no need's words on the line), or None."""
    text = re.sub(r"^\s*#\d+\s", "device ", text)  # a device's index ("#0 GeForce GTX 680 | SM version: 3.0"), not a comment
    if len(text) > 400 or grammar.ends_asking(text) or _CODE.search(text) or _CMP_NOT.search(text) or _PROSE.search(text):
        return None
    spans = list(_CMP_VALUE.finditer(text))
    if not spans or _cmp_gate(text, spans):
        return None
    found: set[str] = set()
    previous_end = 0
    for m in spans:
        segment = text[previous_end:m.start()]
        previous_end = m.end()
        nouns = list(_cmp_subject().finditer(segment))
        if not ((nouns and nouns[-1].lastgroup == "gpu" and _CMP_NOUN_TAIL.match(segment, nouns[-1].end()))
                or m.group(0).lower().startswith("sm")):
            continue
        machine = _cmp_search("machine", segment, "gpu")
        if machine is None and not _CMP_LABEL.search(segment) and not _CMP_DEVICE_LIST.search(text):
            continue
        if (cc := _cmp_value("gpu", m.group(1))) is not None:
            found.add(cc)
    return next(iter(found)) if len(found) == 1 else None


@lru_cache(maxsize=4096)
def _gpu_values(text: str) -> bool:
    """Whether ``text`` holds any value of the GPU's capability (a need's or the machine's)."""
    for m in _CMP_VALUE.finditer(text):
        segment = text[max(0, m.start() - 40):m.start()]
        nouns = list(_cmp_subject().finditer(segment))
        if ((nouns and nouns[-1].lastgroup == "gpu") or m.group(0).lower().startswith(("sm", "compute_"))) and _cmp_value("gpu", m.group(1)):
            return True
    return False


# How many lines apart a capability need and the machine's capability are read together.
_CMP_WINDOW = 5


def _machine_capability_near(lines: Any, index: int) -> tuple[int, str, str] | None:
    """The machine's capability a line near ``lines[index]`` reports (within ``_CMP_WINDOW`` lines, the nearest on each
    side, with no other capability value between): (line number, line, capability); None when none or two disagree."""
    seen: list[tuple[int, str, str]] = []
    for step in (1, -1):
        for offset in range(1, _CMP_WINDOW + 1):
            at = index + step * offset
            if at < 0 or at >= len(lines):
                break
            line = lines[at].strip()
            if not line or not any(c.isdigit() for c in line):
                continue
            if (cc := machine_capability(line)) is not None:
                seen.append((at + 1, line, cc))
                break
            if _gpu_values(line):
                break  # another capability value between: the pairing is not sure
    values = {cc for _, _, cc in seen}
    return min(seen, key=lambda s: abs(s[0] - 1 - index)) if len(values) == 1 else None


@cache
def _cmp_cheap() -> tuple[tuple[str, ...], re.Pattern[str]]:
    """A need's words (lower case, found as substrings: far cheaper than one alternation of them all) and its signs."""
    from whygpu.knowledge.comparisons import role_words

    words = tuple(sorted({w.lower() for role in ("floor", "floor_after", "exact", "build") for w in role_words(role)}))
    return words, re.compile(r">=|≥|\d\+|<\s*\d|\bbelow\s+\d", re.I)


_DIGIT = re.compile(r"\d")  # one search, not a Python loop over the line's characters


@lru_cache(maxsize=1 << 15)  # the three readers of comparisons ask it of the same lines (a head's lines: more than 4,096 made each reader miss)
def _cheap(line: str) -> bool:
    """A need's letters and a digit on the line (a cheap test before ``compared``)."""
    if _DIGIT.search(line) is None:
        return False
    words, signs = _cmp_cheap()
    low = line.lower()
    return any(w in low for w in words) or signs.search(line) is not None


def _subject_named(text: str) -> str | None:
    """The last comparison subject ``text`` names (for the line under it that shows only numbers)."""
    nouns = list(_cmp_subject().finditer(text))
    return nouns[-1].lastgroup if nouns else None


def comparisons(lines: Any) -> list[tuple[int, str, Compared]]:
    """Every (line number, line, comparison) among ``lines`` (numbered from 1) whose machine value is below the need it
    states, on lines no signature reads; a need on one line and the machine's value on the next are read together
    ("Minimum supported: 9100" / "Installed version: 8907", the subject named by the line above), and a capability need
    with the machine's capability a few lines apart ("Only CUDA devices with SM 5.0 and higher are supported" ... "SM
    version: 3.0"). At most 10."""
    out: list[tuple[int, str, Compared]] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        if len(out) >= 10:
            break
        if not _cheap(line) or line in seen:
            continue
        seen.add(line)
        text = line.strip()
        found = compared(text)
        shown = text
        if found is None and number < len(lines):
            below = lines[number].strip()
            if below and len(below) <= 200 and len(text) <= 200 and _cmp_search("machine", below) and any(c.isdigit() for c in below):
                above = lines[number - 2].strip() if number >= 2 else ""
                joined = f"{text} {below}"
                found = compared(joined, subject_before=_subject_named(text) or _subject_named(above))
                shown = joined
        if found is None and (need := capability_need(text)) is not None and (near := _machine_capability_near(lines, number - 1)) is not None:
            found = need.against(near[2])
            shown = f"{text} ... {near[1]}"
        if found is None or found.met or read_by_signature(text) or read_line(text) is not None:
            continue  # a line the words reader reads keeps its reading (LOG185, with the versions in its fix): the numbers agree
        out.append((number, shown, found))
    return out


# A GPU's name on a line (a cheap test before knowledge.gpus.gpu_in_text).
_GPU_BRAND = re.compile(r"geforce|tesla|quadro|titan|\b[GR]TX\s?\d|\b[AHLTVPK]\d{2,3}\b|\bRTX\b|jetson|nvidia", re.I)


_EXAMPLE = re.compile(r"\b(?:e\.g\.|for\s+example|for\s+instance|such\s+as)", re.I)


def gpus_named(lines: Any) -> list[tuple[int, str, Any]]:
    """Every (line number, line, knowledge.gpus.GpuModel) of an NVIDIA GPU ``lines`` name, one per line (first 400 lines);
    a GPU named in a question or as an example ("does it support GPUs with compute capability 6.0, e.g., P100?") is not
    the machine's."""
    from whygpu.knowledge.gpus import gpu_in_text

    out: list[tuple[int, str, Any]] = []
    for number, line in enumerate(lines[:400], 1):
        if "?" in line or _EXAMPLE.search(line):
            continue
        if len(line) <= 1000 and _GPU_BRAND.search(line) and (model := gpu_in_text(line)) is not None and model.vendor.lower() in ("nvidia", "0x10de"):
            out.append((number, line.strip(), model))
    if not out:
        # accprose (session 35): the GPU the writer names as theirs in a form without its brand ("my 5070ti machine", "my
        # 3090"), the same fact the build readers take (explain.gpusaid).
        from whygpu.explain.gpusaid import writer_gpu

        if (said := writer_gpu(list(lines[:400]))) is not None and (model := gpu_in_text(said.model)) is not None:
            out.append((said.line, said.text, model))
    return out


def capability_needs(lines: Any) -> list[tuple[int, str, CapabilityNeed]]:
    """Every (line number, line, need) among ``lines`` that states a compute capability need with no machine capability
    on it or near it, on lines no signature or words reading reads (at most 4): for the GPU the log names to complete."""
    out: list[tuple[int, str, CapabilityNeed]] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        if len(out) >= 4:
            break
        if line in seen or not _cheap(line):
            continue
        seen.add(line)
        text = line.strip()
        if (need := capability_need(text)) is None or _machine_capability_near(lines, number - 1) is not None:
            continue
        if read_by_signature(text) or read_line(text) is not None:
            continue
        out.append((number, text, need))
    return out


def driver_floor(text: str) -> str | None:
    """The NVIDIA driver floor a line states with no value of the machine beside it ("Invalid NVIDIA driver version.
    Minimum is 458.00", "requires NVIDIA driver 535 or newer"), for the log's own driver version to complete; None otherwise."""
    values = _cmp_values(text, least=1)
    if values is None or _STACK.search(text) is None or any(role == "found" for role, *_ in values):
        return None
    floors = [raw for role, subject, raw, _, exact, _ in values if role == "wanted" and subject == "driver" and not exact]
    numbers = [raw for _, _, raw, *_ in values]
    if len(floors) != 1 or len(numbers) != 1:
        return None  # one number, the driver's floor: a line with more numbers is read by ``compared`` or is a table
    return _cmp_value("driver", floors[0])


def driver_floors(lines: Any) -> list[tuple[int, str, str]]:
    """Every (line number, line, driver floor) among ``lines`` that states a driver floor alone, on lines no signature reads (at most 4)."""
    out: list[tuple[int, str, str]] = []
    for number, line in enumerate(lines, 1):
        if len(out) >= 4:
            break
        if not _cheap(line) or "river" not in line:
            continue
        text = line.strip()
        if (floor := driver_floor(text)) is not None and not read_by_signature(text):
            out.append((number, text, floor))
    return out
