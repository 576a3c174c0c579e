"""CUDA's statements that a binary has no code the GPU can run, read against the GPU, the build and the driver (``kernel_images.toml``;
acckernel, session 36).

"no kernel image is available", "device kernel image is invalid", "invalid device function", "the provided PTX was compiled
with an unsupported toolchain", "a PTX JIT compilation failed": the same words mean a GPU outside the build's architectures, a
driver older than the toolkit that made the code, or a toolchain that did not match. The table holds each status (``[[kind]]``)
and what it means where given facts hold (``[[reading]]``); ``decide`` is the one decision: a status's kind and the facts the log
shows (the GPU's fit to the build, as ``knowledge.target.build_runs_on_gpu`` judges it; the driver against the CUDA the code was
made with, as ``knowledge.cuda.driver_version_runs_cuda`` judges it; where the status came back) to the cause, its confidence and
words, or None where no reading's facts hold (the signature's own reading stands). The reader is explain/kernelimage.py, the rule
explain/kernelimagerules.py (LOG650).
"""

from __future__ import annotations

import re
from functools import lru_cache

from whygpu.knowledge import load
from whygpu.knowledge._util import table_rows
from whygpu.records import record

FACTS = frozenset({"gpu_outside", "driver_older", "runtime_init", "cuda_form", "unread"})


@record(frozen=True)
class ImageKind:
    """A CUDA status that says the binary's code does not fit the device: its id, how a line says it and what it means."""

    id: str
    pattern: re.Pattern[str]
    needles: tuple[str, ...]
    meaning: str
    example: str
    source: str


@record(frozen=True)
class ImageReading:
    """What a status means where every fact of ``when`` holds: the cause, those left open, the confidence and the words."""

    kind: str
    when: frozenset[str]
    cause: str
    also: tuple[str, ...]
    confidence: str
    why: str
    fix: str
    decide: str
    source: str


@record(frozen=True)
class ImageDecision:
    """The reading that decided, with its words filled in from the values the log shows."""

    reading: ImageReading
    why: str
    fix: str
    decide: str


@lru_cache(maxsize=1)
def image_kinds() -> tuple[ImageKind, ...]:
    """Every status of the table, in its order."""
    return tuple(ImageKind(id=str(r["id"]), pattern=re.compile(str(r["pattern"]), re.I), needles=tuple(str(n).lower() for n in r["needles"]),
                           meaning=str(r["meaning"]), example=str(r["example"]), source=str(r["source"]))
                 for r in table_rows("kernel_images", "kind"))


@lru_cache(maxsize=1)
def image_readings() -> tuple[ImageReading, ...]:
    """Every reading of the table, in the order they are tried."""
    return tuple(ImageReading(kind=str(r["kind"]), when=frozenset(str(w) for w in r["when"]), cause=str(r["cause"]),
                              also=tuple(str(a) for a in r.get("also", ())), confidence=str(r["confidence"]), why=str(r["why"]),
                              fix=str(r["fix"]), decide=str(r["decide"]), source=str(r["source"]))
                 for r in table_rows("kernel_images", "reading"))


def image_kind_of(text: str) -> ImageKind | None:
    """The status a line states (the first of the table's order whose needle and pattern it holds), or None."""
    low = text.lower()
    for kind in image_kinds():
        if any(n in low for n in kind.needles) and kind.pattern.search(text):
            return kind
    return None


class _Values(dict[str, str]):
    """Template values; a name the log did not give reads as a neutral phrase, never "None"."""

    def __missing__(self, key: str) -> str:
        return _DEFAULTS.get(key, "")


# The words a reading may use whether or not the log gives them: a neutral phrase, or the placeholder a fix names.
_DEFAULTS = {"gpu_named": "", "cc_named": "", "build": "the build", "build_name": "the program", "arch": "XY", "arch_dot": "X.Y"}


def decide(kind: str, facts: set[str] | frozenset[str], values: dict[str, str] | None = None) -> ImageDecision | None:
    """The one decision: a status's ``kind`` and the facts that hold (``FACTS``) to the first reading whose facts all hold, its
    words filled from ``values`` (cc, cc_packed, build, build_name, fit_why, cuda, driver_why, driver_needed, gpu_named,
    cc_named); None where none holds (the signature's reading stands)."""
    unknown = set(facts) - FACTS
    if unknown:
        raise ValueError(f"kernel_images.decide: unknown facts {sorted(unknown)}")
    filled = _Values(values or {})
    for reading in image_readings():
        if reading.kind == kind and reading.when <= set(facts):
            needed = set(re.findall(r"\{(\w+)\}", reading.why + reading.fix + reading.decide))
            if any(name not in filled and name not in _DEFAULTS for name in needed):
                continue  # a reading whose words need a value the log did not give is not this log's
            return ImageDecision(reading, reading.why.format_map(filled), reading.fix.format_map(filled), reading.decide.format_map(filled))
    return None


@lru_cache(maxsize=1)
def _runtime_init() -> tuple[str, re.Pattern[str]]:
    row = load("kernel_images").get("runtime_init", {})
    return str(row["needle"]).lower(), re.compile(str(row["pattern"]), re.I)


def at_runtime_init(text: str) -> bool:
    """Whether a line says the status came back from the runtime's start on the device (TensorFlow's implicit initialisation)."""
    needle, pattern = _runtime_init()
    return needle in text.lower() and pattern.search(text) is not None
