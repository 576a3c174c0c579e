"""Reads the GPU stack's status code a log line prints: by its name, its library's text for it, or its number with the library named.

The codes and what each means are knowledge (``knowledge/gpu_status.toml``); this module only finds
which code a line shows and whether the line prints it (a message) or merely mentions it (code that
compares against it, a header that defines it, documentation that lists it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from whygpu.knowledge import gpu_status
from whygpu.knowledge.gpu_status import CUDA_LIBRARIES, GpuStatus


@dataclass(frozen=True)
class StatusReading:
    """The status code a line shows and how it showed it (``name``, ``text`` or ``number``)."""

    status: GpuStatus
    form: str


# Before a name: code that compares against it or branches on it, a C++ scope or a Doxygen reference.
# A module or class qualifier may stand between (``== enums.CUDA_ERROR_NO_DEVICE``, ``except cudart.cudaError_t.X``).
_CODE_BEFORE = re.compile(r"(?:==|!=|\bcase|\bexcept|\breturn|\bif|\belif|\bwhile|\bassert|::|#\s*define)\s*\(?\s*(?:[A-Za-z_]\w*\.)*$")
# After a name: an enum definition or a comparison (``cudaErrorNoDevice = 100,``, ``CUDA_ERROR_X) {``).
_CODE_AFTER = re.compile(r"^\s*(?:=(?!=)\s*-?(?:0x)?[0-9]|==|!=|\)\s*(?:\{|:\s*$|&&|\|\|))")
# After "NAME:": the documentation's sentence about the code, not the library's text for it.
_DOC_AFTER = re.compile(r"^\s*:\s*(?:This (?:error )?indicates|Indicates|The API call|This status)", re.I)
# Two names one after the other in a list (a function's documented return values, a table).
_LIST_GAP = re.compile(r"^\s*(?:,|\||/|or|and)\s*$")

# A library's text after words that name the library (the text is then that library's, not any program's).
# NVIDIA's Go bindings (nvidia-docker 1.x, the device plugin, DCGM exporter) print "nvml: <text>"
# (errorString in https://github.com/NVIDIA/gpu-monitoring-tools/blob/master/bindings/go/nvml/bindings.go).
_NVML_FORMS = r"(?:Failed to initialize NVML|NVML error|NVMLError(?:_[A-Za-z]+)?|nvml[A-Za-z0-9_]*(?:\(\))? failed|(?<![\w.])nvml)"
_NVML_PREFIX = re.compile(_NVML_FORMS + r"\s*:\s*")
# THC's and Caffe's check macros print cudaGetErrorString's text after the number ("cuda runtime error (30) :
# unknown error"): the text is the runtime's own, so even its generic words name the code, and they name it
# whichever release's numbering the number is in (CUDA 10.1 renumbered the runtime's codes).
# PyTorch's THCudaCheck printed the same text as "THCudaCheck FAIL file=F line=N error=30 : unknown error"
# (THCGeneral.cpp, PyTorch <= 1.x: https://github.com/pytorch/pytorch/blob/v1.4.0/aten/src/THC/THCGeneral.cpp).
_RUNTIME_PREFIX = re.compile(r"(?:cuda runtime error \(\d+\)|THCudaCheck FAIL file=\S+ line=\d+ error=\d+)\s*:\s*", re.I)
# A number with the library named before it, and the table it is read in.
_NUMBERS = (
    (re.compile(r"cuda runtime error \((\d+)\)", re.I), ("runtime",)),
    (re.compile(r"CUDA driver (?:API )?error(?: code)?:? ?(\d+)\b", re.I), ("driver",)),
    (re.compile(r"CUDA runtime (?:API )?error(?: code)?:? ?(\d+)\b", re.I), ("runtime",)),
    (re.compile(r"\bcuda[A-Z][A-Za-z]* (?:returned|failed with)(?: error)?(?: code)?:? ?(\d+)\b"), ("runtime",)),
    (re.compile(r"\bcu(?:Init|Device[A-Za-z]*)(?:\(\d*\))? (?:returned|failed with)(?: error)?(?: code)?:? ?(\d+)\b"), ("driver",)),
    (re.compile(r"\bCUDA error(?: code)?:? ?(\d+)\b", re.I), ("runtime", "driver")),
)


def mentions_in_code(text: str, start: int, end: int) -> bool:
    """True when the name at ``text[start:end]`` is code or documentation about the code, not a message printing it."""
    before, after = text[:start], text[end:]
    return bool(_CODE_BEFORE.search(before) or _CODE_AFTER.match(after) or _DOC_AFTER.match(after))


def _printed_names(text: str) -> list[GpuStatus]:
    found = gpu_status.names_in(text)
    if len(found) > 1 and any(_LIST_GAP.match(text[a[2]:b[1]]) for a, b in pairwise(found)):
        # A list of codes is documentation (or a table of them), never one call's outcome.
        return []
    return [status for status, start, end in found if not mentions_in_code(text, start, end)]


def _text_after(text: str, prefix: re.Pattern[str], library: str) -> GpuStatus | None:
    """The code of ``library`` whose text follows the words that name the library (``prefix``), generic words included, or None."""
    named = prefix.search(text)
    return None if named is None else gpu_status.status_by_text(text[named.end():], (library,), distinctive=False)


def read_status(text: str, *, number: str | None = None, api: str | None = None) -> StatusReading | None:
    """The status code ``text`` prints: its name first, else its library's text, else ``number`` (or a number the line gives with the library named).

    A success code is passed over; a code that means nothing for using the GPU is still returned
    (its ``status.cause`` is None) so that the line stays quiet rather than read another way.
    """
    for named in _printed_names(text):
        if named.number != 0:
            return StatusReading(named, "name")
    if (nvml_text := _text_after(text, _NVML_PREFIX, "nvml")) is not None:
        return StatusReading(nvml_text, "text")
    cuda_text = gpu_status.status_by_text(text, CUDA_LIBRARIES)
    if cuda_text is not None:
        return StatusReading(cuda_text, "text")
    if (runtime_text := _text_after(text, _RUNTIME_PREFIX, "runtime")) is not None:
        return StatusReading(runtime_text, "text")
    if number is not None:
        tables = (api,) if api else ("driver", "runtime")
        for table in tables:
            found = gpu_status.status_by_number(table, int(number))
            if found is not None:
                return StatusReading(found, "number")
        return None
    for pattern, tables in _NUMBERS:
        m = pattern.search(text)
        if m is None:
            continue
        for table in tables:
            found = gpu_status.status_by_number(table, int(m.group(1)), alone=True)
            # A number alone is read as its code only where the code is distinctive (``by_text``):
            # "CUDA error 999" says no more than "unknown error" does.
            if found is not None:
                return StatusReading(found, "number") if found.by_text else None
        return None
    return None


def _literal(text: str) -> str:
    """``text`` as a regular expression that RE2, Hyperscan and POSIX ERE read alike, its first letter in either case."""
    escaped = re.sub(r"([\\.^$|?*+()\[\]{}])", r"\\\1", text)
    first = text[0]
    return (f"[{first.upper()}{first.lower()}]" + escaped[1:]) if first.isalpha() else escaped


@lru_cache(maxsize=1)
def trigger_pattern() -> str:
    """The pattern of the table-driven signature: every name that means something, every bare text, and the prefixed forms."""
    names = sorted({s.name for s in gpu_status.statuses() if s.cause is not None and s.library != "nccl"})
    texts = [_literal(t) for t in gpu_status.bare_texts()]
    prefixed = [
        r"cuda runtime error \([0-9]+\) ?: ?[A-Za-z]",
        r"THCudaCheck FAIL file=[^ ]+ line=[0-9]+ error=[0-9]+ ?: ?[A-Za-z]",
        r"CUDA failed with error [A-Za-z]",
        r"cuInit failed: [A-Za-z]",
        r"CUDA (?:driver |runtime )?(?:API )?error(?: code)?:? ?[0-9]+",
        r"cuda[A-Z][A-Za-z]* (?:returned|failed with)(?: error)?(?: code)?:? ?[0-9]+",
        r"cu(?:Init|Device[A-Za-z]*)(?:\([0-9]*\))? (?:returned|failed with)(?: error)?(?: code)?:? ?[0-9]+",
        r"(?:Failed to initialize NVML|NVML error|NVMLError(?:_[A-Za-z]+)?|nvml[A-Za-z0-9_]*(?:\(\))? failed|nvml) ?: ?[A-Za-z]",
    ]
    # No word boundaries around the names: they make Hyperscan's database half again as slow to compile
    # (0.06 s a run), and read_status finds each name with its boundaries on the few lines matched.
    return "|".join(["(?:" + "|".join(names) + ")", *texts, *prefixed])
