"""The writer's account that the GPU stopped working after an install of another package (accbroken, session 34).

pip, uv and conda meet a package's requirement by name and release only (knowledge/install_change.toml): installing a
package that requires ``torch>=2``, ``jax==0.6.2`` or ``tensorflow`` uninstalls the framework's build that worked and puts
the default index's release in its place. A writer reports it in the order it happened: an install named in a clause of
time ("after installing mace", "as soon as I install using pip install tf-models-official", "when I install scarlet2")
and, in the same sentence or the lines after it, what changed:

- the framework itself ("it automatically installed torch-2.5.1 instead", "the version gets reverted to 0.6.2", "it
  downgraded tensorflow"): ``how`` "changed";
- the GPU lost ("now my model started running on CPU only", "the device cannot use CUDA", "CUDA availability is removed"):
  ``how`` "gpu_lost";
- nothing more in that sentence, the failure pasted on the lines after it: ``how`` "onset" (the rule asks for a failure or
  the GPU unused after it).

Not an install of the framework itself (the writer's own reinstall: "after installing torch 2.1 with cu118"), nor of
something outside the Python environment (the driver, CUDA, cuDNN, Python: knowledge.install_change.python_package); not
asked, supposed, advised or hearsay (explain.grammar); not where the same sentence says it works or was fixed. A build
named in words as the CPU one ("a non-CUDA version of Torch", "the CPU version") is kept as ``cpu_words``. Judged by LOG575
(explain.installchangerules) with knowledge.install_change.install_change_cause.
"""

from __future__ import annotations

from dataclasses import dataclass

from whygpu import lazyre as re
from whygpu.explain import grammar

__all__ = ["NEEDLES", "InstallChange", "install_change_said"]

# Cheap substring gate for the per-line reader: a clause of time that an install opens.
NEEDLES = ("after ", "when ", "once ", "as soon as", "since ", "whenever ")

_ONSET = re.compile(
    r"\b(?:after|when(?:ever)?|once|as\s+soon\s+as|since)\s+(?:i\s+|we\s+|you\s+)?(?:have\s+|had\s+|just\s+)?"
    r"(?:(?:pip3?|conda|mamba|uv(?:\s+pip)?|poetry)\s+)?(?:install(?:ed|ing)?|add(?:ed|ing)?)\s+"
    r"(?:(?:it\s+)?(?:using|with|via)\s*[-:]?\s*(?:(?:pip3?|conda|mamba|uv(?:\s+pip)?|poetry)\s+(?:install|add)\s+)?)?"
    r"(?:the\s+|this\s+|an?\s+|my\s+|your\s+|our\s+)?(?P<pkg>`?[A-Za-z][\w.\-]*(?:\[[\w,\-]+\])?`?)",
    re.I,
)
_FW_WORD = (r"(?<![\w.-])(?P<fw>torch|pytorch|tensorflow(?:[-_]gpu)?|jax(?:lib)?|onnxruntime(?:[-_]gpu)?|paddlepaddle(?:[-_]gpu)?|mxnet)"
            r"(?:[-=\s]+v?(?P<release>\d+(?:\.\d+)+)[\w.+-]*)?")
_CHANGE_VERB = (r"(?:auto(?:matically)?[- ]?install(?:ed|s)?|(?:re)?install(?:ed|s)|downgrad(?:ed|es)|upgrad(?:ed|es)|replac(?:ed|es)|revert(?:ed|s)"
                r"|uninstall(?:ed|s)|overr(?:ode|ides|idden)|overwr(?:ote|ites|itten)|pull(?:ed|s)\s+in|br(?:ought|ings)\s+in)")
_CHANGED = re.compile(r"\b" + _CHANGE_VERB + r"\b[^.;!?\n]{0,40}?" + _FW_WORD + r"|" + _FW_WORD.replace("fw>", "fw2>").replace("release>", "release2>")
                      + r"[^.;!?\n]{0,20}?\b(?:(?:was|got|gets|is|has\s+been)\s+)?" + _CHANGE_VERB + r"\b", re.I)
_THE_VERSION = re.compile(r"\bthe\s+version\s+(?:gets?|got|was|is|has\s+been)\s+(?:reverted|downgraded|changed|rolled\s+back)\b"
                          r"(?:\s+to\s+v?(?P<release>\d+(?:\.\d+)+))?", re.I)
_GPU_LOST = re.compile(
    r"\b(?:(?:can(?:not|'t)|could\s*n[o']t|no\s+longer|does\s*n[o']t|did\s*n[o']t|won't|is\s+not\s+able\s+to)\s+(?:use|find|detect|see|access|recogni[sz]e)"
    r"\s+(?:the\s+|my\s+|any\s+)?(?:cuda|gpus?)"
    r"|(?:only|now|started|starts)\s+(?:uses?|using|running|runs?|ran)\s+(?:on\s+)?(?:the\s+)?cpu|running\s+on\s+(?:the\s+)?cpu"
    r"|only\s+(?:uses?\s+)?(?:the\s+)?cpu|cuda\s+(?:availability\s+)?(?:is\s+)?(?:removed|gone|lost|broken|no\s+longer\s+available|not\s+available|unavailable)"
    r"|(?:gpu|cuda)\s+(?:support\s+)?(?:stopped|stops)\s+working|(?:lose|loses|lost)\s+(?:contact\s+with\s+|access\s+to\s+)?(?:the\s+)?gpus?)\b",
    re.I,
)
_CPU_BUILD = re.compile(r"\((?:cpu|cpu[- ]only)\)|\b(?:cpu[- ]only|non[- ]cuda|cpu)\s+(?:version|build|wheel|variant)|\b(?:cpu[- ]only|non[- ]cuda)\s+(?:torch|pytorch|tensorflow)\b"
                        r"|\+cpu\b", re.I)
_WORKS = re.compile(r"\b(?:works?|worked|working\s+(?:fine|again|now)|solved|fixed|resolved)\b", re.I)
# What the clause's object may be that is no package: the installer or the way ("via pip", "using conda"), a release
# ("version 3.0.0", "v1.0.5"), an adjective before the real object ("native cuda-toolkit").
_NOT_A_PACKAGE = {"it", "them", "pip", "pip3", "conda", "mamba", "uv", "poetry", "source", "native", "version", "latest", "new", "newest",
                  "older", "old", "upgraded", "updated", "newer", "locally", "manually", "again", "everything", "from", "all", "both", "cuda-toolkit"}
_RELEASE = re.compile(r"^v?\d")
_BESIDE = re.compile(r"\b(?:already\s+(?:present|installed|there)|alongside|beside|on\s+top\s+of|together\s+with|in\s+addition\s+to)\b", re.I)
_FUNCTION_WORDS = {"to", "in", "into", "on", "for", "from", "with", "and", "as", "via", "using", "through", "onto"}
_GENERIC = {"package", "packages", "module", "modules", "library", "libraries", "extension", "plugin", "node", "requirements",
            "dependencies", "project", "repo", "repository", "it", "them", "everything"}


@dataclass(frozen=True)
class InstallChange:
    """An install of another package told as the start of the trouble: the package as written, how the sentence says the
    framework changed ("changed", "gpu_lost", "onset"), the framework and release named, and whether a CPU build is named."""

    package: str
    how: str
    framework: str | None
    release: str | None
    cpu_words: bool


def _framework(name: str | None) -> str | None:
    from whygpu.knowledge.install_change import framework_of

    return framework_of(name) if name else None


def install_change_said(text: str) -> InstallChange | None:
    """The writer's account in ``text`` that an install of another package started the trouble, or None."""
    from whygpu.knowledge.install_change import framework_of, python_package

    for m in _ONSET.finditer(text):
        pkg = m.group("pkg").strip("`")
        if pkg.lower() in _FUNCTION_WORDS:
            # "after adding this to ComfyUI": the determiner was the object, not the package's article
            if not re.search(r"\bthis\s+$", text[m.start():m.start("pkg")], re.I):
                continue
            pkg = "this"
        if framework_of(pkg) is not None or not python_package(pkg) or pkg.lower().rstrip(".,:") in _NOT_A_PACKAGE or _RELEASE.match(pkg):
            continue
        left, right = grammar.sentence_at(text, m.start(), m.end())
        if grammar.asked(text, left, right, m.start(), m.end()) or grammar.hearsay(text, left, right):
            continue
        if grammar.supposed(text, left, right, m.start(), m.end()) or grammar.advised(text, left, m.start(), m.end()):
            continue
        rest = text[m.end():right]
        if _BESIDE.search(text[left:right]):
            continue  # the GPU build said to stay beside what the install added: both installed, LOG133/LOG160/LOG385's reading
        if _WORKS.search(rest) and not _GPU_LOST.search(rest):
            continue
        cpu_words = bool(_CPU_BUILD.search(rest))
        if (c := _CHANGED.search(rest)) is not None:
            fw = c.group("fw") or c.group("fw2")
            release = c.group("release") or c.group("release2")
            return InstallChange(pkg, "changed", _framework(fw), release, cpu_words)
        if (v := _THE_VERSION.search(rest)) is not None:
            return InstallChange(pkg, "changed", None, v.group("release"), cpu_words)
        if _GPU_LOST.search(rest) or cpu_words:
            return InstallChange(pkg, "gpu_lost", None, None, cpu_words)
        if not rest.strip(" ,.:;`*"):
            # the sentence ends at the package: what followed the install is on the lines after it (not "it reports the
            # following error", the install's own failure)
            return InstallChange(pkg, "onset", None, None, False)
    return None
