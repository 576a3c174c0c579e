"""What a project's dependency declaration put in place, in the writer's words (accdeclare, session 37).

Two statements of it, each read from one sentence of prose:

- **The declaration names the plain twin.** A requirements file, setup.py's install_requires, a pyproject dependency or
  "X depends on / requires" names a framework without its GPU marker (``tensorflow``, ``onnxruntime``, ``paddlepaddle``),
  and the writer sets it against the GPU build ("requires tensorflow==1.9.0 (tensorflow for cpu usage only)", "the
  requirement should be onnxruntime-gpu rather than onnxruntime", "requirements.txt installs a CPU backed tensorflow
  instead of a GPU one"). pip meets the declared name from the default index, so what is installed is the plain twin;
  whether that twin is a CPU build is ``knowledge.cpu_packages.declared_twin_cpu``'s (the writer's CPU words, or the
  declared release: pip's tensorflow before 2.1, onnxruntime and paddlepaddle always).
- **The twin installed over the GPU build, both left.** "installing onnxruntime on top of onnxruntime-gpu", "onnxruntime
  installs in the same directory, overwriting it (onnxruntime-gpu)": where both distributions write one import folder
  (``knowledge.cpu_packages.twin_overlay_cause``) pip removes neither and the folder holds the last one's files.

Both are kept only where said as a fact (``explain.statements.cpu_build_said``: not asked, advised, negated or quoted).
Judged by LOG730 and LOG731 (``explain.declarerules``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from whygpu import lazyre as re
from whygpu.explain import grammar

__all__ = ["NEEDLES", "Declared", "Overlay", "already_there", "declared_spec", "declared_twin", "gpu_named", "overlay_said"]

# A line is read only where it holds one of these (a cheap gate before any pattern).
NEEDLES = ("requir", "setup.py", "depend", "pyproject", "on top of", "same dir", "same folder", "over ")

_FW = r"(?:tensorflow|onnxruntime|paddlepaddle|paddle|mxnet|jaxlib|torch|pytorch)"
_FW_NAMES = {"pytorch": "torch", "paddlepaddle": "paddle", "jaxlib": "jax"}
# The plain twin as written, with a release where pinned: "tensorflow==1.9.0", "`onnxruntime`", "'tensorflow==2.0.0b0'".
_PLAIN = (r"[`'\"*]*(?P<plain>" + _FW + r")(?![\w+-]|\[)(?:\s*(?:==|>=|~=|=|\s)\s*v?(?P<release>\d+(?:\.\d+)+[\w.]*))?[`'\"*]*")
# The declaration: a requirements file, setup.py's install_requires, a pyproject dependency, "depends on", "requires".
_DECLARE = re.compile(r"\b(?:requirements?(?:[._-]\w+)?(?:\.txt)?|setup\.py|install_requires|pyproject(?:\.toml)?|dependenc(?:y|ies)"
                      r"|depends?\s+on|requires?|required)\b", re.I)
# The writer's words that the declared twin is the CPU build: "(tensorflow for cpu usage only)", "a CPU backed tensorflow",
# "the CPU version of tensorflow", "tensorflow (cpu only)".
_CPU_AFTER = re.compile(r"\s*\(\s*(?:[\w-]+\s+){0,2}(?:for\s+)?cpu(?:[- ]only|\s+(?:usage|use)\s+only|\s+only|\s+version)?\s*\)", re.I)
_CPU_BEFORE = re.compile(r"\b(?:a|an|the)\s+(?:cpu(?:[- ](?:only|backed|based))?)\s+(?:(?:version|build|package)\s+of\s+)?$", re.I)
# The GPU build set against the twin: "rather than", "instead of", "not", "but", "should be", "in place of".
_CONTRAST = r"(?:rather\s+than|instead\s+of|in\s+place\s+of|not|but|should\s+be|over)"
_GPU_ONE = re.compile(r"\b(?:a|the)\s+(?:gpu|cuda)(?:[- ](?:enabled|backed))?\s+(?:one|version|build|package)\b", re.I)


@lru_cache(maxsize=1)
def _gpu_build() -> re.Pattern[str]:
    from whygpu.knowledge.cpu_packages import gpu_marker_patterns

    return re.compile(r"(?<![\w.+-])[`'\"*]*(?P<marked>" + "|".join(f"(?:{p})" for p in gpu_marker_patterns()) + r")(?![\w+-])", re.I)


_PLAIN_RX = re.compile(r"(?<![\w.+/-])" + _PLAIN, re.I)


@dataclass(frozen=True)
class Declared:
    """A project's declaration said to name a framework's plain twin: the framework, the twin and its release as written,
    the GPU build set against it ("" where the writer names the twin the CPU build instead), and whether the writer's words
    name it the CPU build."""

    framework: str
    twin: str
    release: str | None
    gpu: str
    cpu_words: bool
    spec: bool = False  # a declaration's own item ("'tensorflow==2.0.0b0',"), not the writer's words about one

    @property
    def words(self) -> str:
        return f"{self.twin}{'==' + self.release if self.release else ''}" + (f" (not {self.gpu})" if self.gpu else " (the CPU build)")


@dataclass(frozen=True)
class Overlay:
    """The plain twin said installed over the GPU build with both left: the framework, the twin and the GPU build as written."""

    framework: str
    twin: str
    gpu: str

    @property
    def words(self) -> str:
        return f"{self.twin} over {self.gpu}"


def _framework(name: str) -> str:
    low = name.lower()
    return _FW_NAMES.get(low, low)


def _marker(gpu: str):  # type: ignore[no-untyped-def]
    from whygpu.knowledge.cpu_packages import gpu_marked_build

    return gpu_marked_build(gpu.strip("`'\"* "))


# "If I had installed onnxruntime-gpu then onnxruntime installs ...": the consequent of a condition on the GPU build being
# there states what the install does (the condition is the overlay's own premise), judged from after "then".
_IF_THEN = re.compile(r"\b(?:if|when(?:ever)?|once)\b[^.!?;\n]{3,120}?\bthen\s+", re.I)


def _said(text: str, start: int, end: int) -> bool:
    from whygpu.explain.statements import cpu_build_said

    left, _right = grammar.sentence_at(text, start, end)
    cond = None
    for m in _IF_THEN.finditer(text, left, start):
        cond = m
    if cond is not None and cond.end() <= start:
        return cpu_build_said(text[cond.end():], start - cond.end(), end - cond.end())
    return cpu_build_said(text, start, end)


def declared_twin(text: str) -> Declared | None:
    """The writer's words that a project's declaration names a framework's plain twin where its GPU build is wanted (said
    as a fact), or None."""
    if len(text) > 2000 or grammar.program_line(text) or grammar.code_comment(text):
        return None
    low = text.lower()
    if not any(w in low for w in ("gpu", "cuda", "cpu")):
        return None
    for plain in _PLAIN_RX.finditer(text):
        left, right = grammar.sentence_at(text, plain.start(), plain.end())
        declare = _DECLARE.search(text, left, right)
        if declare is None:
            continue
        framework = _framework(plain.group("plain"))
        # the twin named the CPU build: "tensorflow==1.9.0 (tensorflow for cpu usage only)", "a CPU backed tensorflow"
        cpu = _CPU_AFTER.match(text, plain.end()) or _CPU_BEFORE.search(text, left, plain.start())
        if cpu is not None and _said(text, min(cpu.start(), plain.start()), max(cpu.end(), plain.end())):
            return Declared(framework, plain.group("plain"), plain.group("release"), "", True)
        # the GPU build set against it, on either side: "tensorflow-gpu rather than tensorflow", "tensorflow, not tensorflow-gpu"
        for gpu in _gpu_build().finditer(text, left, right):
            marker = _marker(gpu.group("marked"))
            if marker is None or marker.framework != framework:
                continue
            first, second = (plain, gpu) if plain.end() <= gpu.start() else (gpu, plain)
            between = text[first.end():second.start()]
            if len(between) > 40 or re.fullmatch(r"[\s,;:`'\"*)(]*" + _CONTRAST + r"[\s,;:`'\"*)(]*(?:\w+\s+){0,2}?", between, re.I) is None:
                continue
            if _said(text, min(declare.start(), first.start()), second.end()):
                return Declared(framework, plain.group("plain"), plain.group("release"), " ".join(gpu.group("marked").split()), False)
    return None


# "installing onnxruntime on top of onnxruntime-gpu", "installs onnxruntime over onnxruntime-gpu"
_OVER = re.compile(r"\b(?:install(?:s|ed|ing)?|put(?:s|ting)?|pull(?:s|ed|ing)?\s+in)\s+" + _PLAIN
                   + r"\s+(?:on\s+top\s+of|over|into\s+the\s+same\s+(?:directory|folder)\s+as)\s+(?:(?:my|the|an?|existing|installed|already)\s+){0,3}", re.I)
# "onnxruntime installs in the same directory, overwriting it": the GPU build named before, in the same sentence.
_SAME_DIR = re.compile(_PLAIN + r"\s+(?:(?:then|also|just)\s+)?(?:installs|is\s+installed|gets\s+installed|goes)\s+(?:in|into|to)\s+the\s+same\s+(?:directory|folder|place|path)\b"
                       r"[^.!?;\n]{0,20}?\boverwrit(?:e|es|ing)\b", re.I)


def overlay_said(text: str) -> Overlay | None:
    """The writer's words that a framework's plain twin was installed over its GPU build with both left installed (said as
    a fact), or None."""
    if len(text) > 2000 or grammar.program_line(text) or grammar.code_comment(text):
        return None
    for m in _OVER.finditer(text):
        gpu = _gpu_build().match(text, m.end())
        if gpu is None:
            continue
        marker = _marker(gpu.group("marked"))
        if marker is not None and marker.framework == _framework(m.group("plain")) and _said(text, m.start(), gpu.end()):
            return Overlay(marker.framework, m.group("plain"), " ".join(gpu.group("marked").split()))
    for m in _SAME_DIR.finditer(text):
        left, _right = grammar.sentence_at(text, m.start(), m.end())
        framework = _framework(m.group("plain"))
        for gpu in _gpu_build().finditer(text, left, m.start()):
            marker = _marker(gpu.group("marked"))
            if marker is not None and marker.framework == framework and _said(text, m.start(), m.end()):
                return Overlay(framework, m.group("plain"), " ".join(gpu.group("marked").split()))
    return None


# A declaration's own item: a quoted requirement in a Python or TOML list ("'tensorflow==2.0.0b0',", "\"onnxruntime>=1.15\"").
# Only the quoted form: a bare "name==release" line is as often pip freeze's listing of what is installed.
_SPEC_ITEM = re.compile(r"\s*(?:install_requires\s*=\s*\[\s*|dependencies\s*=\s*\[\s*)?(?P<q>['\"])" + r"(?P<plain>" + _FW + r")\s*(?:==|~=|<=|<|>=)\s*v?(?P<release>\d+(?:\.\d+)+[\w.]*)"
                        r"(?:\s*,\s*<\s*[\d.]+)?\s*(?P=q)\s*,?\s*\]?\s*$", re.I)


def declared_spec(text: str) -> Declared | None:
    """A declaration's own quoted item naming a framework's plain twin with a release (setup.py's install_requires, a
    pyproject dependency list), or None."""
    if (m := _SPEC_ITEM.match(text)) is None:
        return None
    return Declared(_framework(m.group("plain")), m.group("plain"), m.group("release"), "", False, spec=True)


def gpu_named(text: str) -> str | None:
    """The framework whose GPU build (by its marker: tensorflow-gpu, onnxruntime-gpu) the line names, or None."""
    for gpu in _gpu_build().finditer(text):
        if (marker := _marker(gpu.group("marked"))) is not None:
            return str(marker.framework)
    return None


# The GPU build said there before the declared twin came: "even when tensorflow-gpu is already present", "I already had
# onnxruntime-gpu installed": the twin went in over it (an overlay), not in its place.
_ALREADY_AFTER = re.compile(r"[`'\"*]*\s+(?:is|was|were|are|had\s+been|has\s+been)\s+already\s+(?:present|installed|there)\b", re.I)
_ALREADY_BEFORE = re.compile(r"\balready\s+(?:have|had|installed|has)\s+(?:(?:my|the|an?)\s+)?[`'\"*]*$", re.I)


def already_there(text: str, said: Declared) -> Overlay | None:
    """The declared twin as an overlay where the same sentence says the GPU build was already installed, or None."""
    for gpu in _gpu_build().finditer(text):
        marker = _marker(gpu.group("marked"))
        if marker is None or marker.framework != said.framework:
            continue
        if _ALREADY_AFTER.match(text, gpu.end()) or _ALREADY_BEFORE.search(text, max(0, gpu.start() - 40), gpu.start()):
            return Overlay(said.framework, said.twin, " ".join(gpu.group("marked").split()))
    return None
