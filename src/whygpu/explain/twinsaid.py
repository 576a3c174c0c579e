"""Which build of a framework an install left in place, in the writer's words and in an installer's own output (accsaid,
session 29).

One fact, two statements of it:

- **A GPU build replaced by its plain twin.** An install (of anything: an add-on, a project's requirements, the writer's
  own command) removed or wrote over the framework's GPU build and put the same framework without the GPU marker in its
  place. pip meets a requirement by name and release only, so a package that requires ``torch==2.3.0`` or ``tensorflow``
  gets it from the default index: what that gives is the plain twin (``knowledge.cpu_packages.plain_twin_cpu``: the CPU
  build always for onnxruntime, paddlepaddle, mxnet and jaxlib; for PyPI's torch on native Windows and macOS; for pip's
  tensorflow before 2.1 and on native Windows after 2.10). It reaches a log as:
    - the writer's words, in any wording: a verb of removing or replacing (uninstall, remove, replace, overwrite, override,
      downgrade, swap, wipe out, get rid of) with the GPU build as its object, and the twin or the CPU build as what was
      put instead ("it uninstalls whatever tensorflow-gpu I have and reinstalls the CPU version", "pip replaced my
      torch+cu121 with torch 2.3.0", "my onnxruntime-gpu got swapped for onnxruntime"), or the twin installed "instead
      of" / "in place of" the GPU build ("the requirements installed tensorflow 1.14 instead of my tensorflow-gpu");
    - an installer's output: pip's "Successfully uninstalled torch-2.1.0+cu118" (or "Uninstalling ...:", "Found existing
      installation: ...") and a later "Successfully installed ... torch-2.1.0"; uv's " - torch==2.1.0+cu118" and
      " + torch==2.3.0"; poetry's "- Updating torch (2.1.0+cu118 -> 2.3.0)" (pip's src/pip/_internal/req/req_uninstall.py
      and commands/install.py; https://docs.astral.sh/uv/; https://python-poetry.org/docs/cli/#install).
  A GPU build is named by its marker (``knowledge.cpu_packages.gpu_marked_build``: tensorflow-gpu, onnxruntime-gpu,
  paddlepaddle-gpu, mxnet-cu101, a +cuXXX local tag, jax[cuda12]) or in words ("the GPU version of tensorflow", "my CUDA
  torch", "the CUDA build").
- **The GPU build never installed.** The writer's own words that they did not have or install the GPU build ("I didn't
  have tensorflow-gpu installed", "I only installed tensorflow, not tensorflow-gpu", "we never installed the GPU version
  of torch"): what was installed is the plain twin.

Each is kept only where said as a fact (``explain.statements.cpu_build_said``: not asked, advised, supposed, quoted or a
state that is over), not negated, and not an act of the writer's own that removed the GPU build on purpose ("I uninstalled
tensorflow-gpu and installed tensorflow-cpu to compare"). Judged by LOG395 and LOG396 (``explain.installrules``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from whygpu import lazyre as re
from whygpu.explain import grammar

__all__ = ["Replaced", "installer_replaced", "said_never_installed", "said_replaced"]

_FW = r"(?:torch|pytorch|tensorflow|tf|jax|jaxlib|onnxruntime|ort|paddle(?:paddle)?|mxnet)"
_FW_NAMES = {"pytorch": "torch", "tf": "tensorflow", "jaxlib": "jax", "ort": "onnxruntime", "paddlepaddle": "paddle"}
# A GPU build in words: "the GPU version of tensorflow", "my CUDA torch", "torch's cuda build", "the CUDA-enabled wheel".
# "CUDA version" with no framework is CUDA's own release ("I did not install the CUDA version 11.8"), not a build.
_GPU_WORD = r"(?:cuda|gpu|nvidia)(?:[- ](?:enabled|accelerated|capable|supported|support))?"
_BUILD_WORD = r"(?:version|build|wheel|variant|package|install(?:ation)?|one)"
_RELEASE_AFTER = r"(?:\s*(?:==|\s)\s*v?\d+(?:\.\d+)+[\w.]*)?"
_GPU_IN_WORDS = (
    r"(?:(?:" + _GPU_WORD + r"[- ]" + _BUILD_WORD + r"s?\s+of\s+(?:the\s+)?(?P<fw1>" + _FW + r")"
    r"|(?P<fw2>" + _FW + r")(?:['’]s)?[- ](?:" + _GPU_WORD + r")(?:[- ]" + _BUILD_WORD + r")?"
    r"|" + _GPU_WORD + r"[- ](?P<fw3>" + _FW + r")"
    # "Torch with CUDA 2.2.1 cu118", "pytorch w/ cuda support"
    r"|(?P<fw4>" + _FW + r")\s+(?:with|w/)\s+(?:cuda|gpu)(?:\s+(?:support|enabled))?(?:\s+v?\d[\w.]*)?(?:\s+cu\d+)?"
    r")" + _RELEASE_AFTER + r"(?![\w-])"
    r"|(?:gpu[- ](?:enabled[- ])?(?:version|build|wheel|variant|package)|cuda[- ](?:enabled[- ])?(?:build|wheel|variant|package))(?![\w-]|\s*\d))")


@lru_cache(maxsize=1)
def _gpu_build() -> re.Pattern[str]:
    """A GPU build named: by its marker (the knowledge table's names) or in words."""
    from whygpu.knowledge.cpu_packages import gpu_marker_patterns

    marked = "|".join(f"(?:{p})" for p in gpu_marker_patterns())
    return re.compile(r"(?<![\w.+-])(?:(?P<marked>" + marked + r")|" + _GPU_IN_WORDS + r")(?![\w+-])", re.I)


# What stands between a verb and its object: "whatever", "my", "the existing", "previously installed".
_FILLER = r"(?:(?:my|the|our|your|their|its|any|all|whatever|existing|previous(?:ly)?|installed|current|working|already|original|old|own)\s+){0,4}[`'\"*]*"
_REMOVE = (r"(?:uninstall(?:s|ed|ing)?|remov(?:e|es|ed|ing)|replac(?:e|es|ed|ing)|overwr(?:ite|ites|ote|itten|iting)|overrid(?:e|es|den|ing)"
           r"|downgrad(?:e|es|ed|ing)|swap(?:s|ped|ping)?(?:\s+out)?|clobber(?:s|ed|ing)?|wip(?:e|es|ed|ing)\s+out|(?:got|gets|get|getting)\s+rid\s+of"
           r"|kick(?:s|ed)?\s+out|delet(?:e|es|ed|ing))")
_REMOVE_RX = re.compile(r"\b" + _REMOVE + r"\s+(?:out\s+)?" + _FILLER, re.I)
# What follows the GPU build (its release, "version I have", a closing quote) before what was put in its place.
_AFTER_GPU = r"[`'\"*]*(?:[^.!?;\n]{0,40}?)"
# The words that bring the replacement: "with", "by", "and reinstalls", ", then installs", "and put in".
_PUT = (r"(?:\s+(?:with|by|for|to|into)\s+|(?:,?\s+and\s+|,\s*)?(?:then\s+)?replac(?:e|es|ed|ing)\s+(?:it|them)\s+(?:with|by)\s+|,?\s+(?:and\s+)?(?:then\s+)?(?:re-?)?(?:install(?:s|ed|ing)?|put(?:s|ting)?|pull(?:s|ed|ing)?(?:\s+in)?"
        r"|br(?:ings|ought)(?:\s+in)?|download(?:s|ed|ing)?|gets?|got|gave|gives|fetch(?:es|ed)?)(?:\s+(?:in|back|instead))?\s+)")
# The CPU build in words ("the CPU version", "a CPU-only build", "torch+cpu", "tensorflow-cpu", "torch without CUDA").
_CPU_WORDS = (r"(?:(?:a|an|the|its|their|my)\s+)?(?:(?:cpu(?:[- ]only)?|non[- ]?(?:cuda|gpu))[- ](?:(?:version|build|wheel|variant|package|one)s?|(?:version|build)\s+of\s+\S+|" + _FW + r")\b"
              r"|" + _FW + r"\s*[-_+]\s*cpu\b(?![- ](?:usage|time|load|core|thread|ram|memory))"
              r"|" + _FW + r"(?:\s*(?:==|\s)\s*v?\d[\w.]*)?\s*\(\s*cpu(?:[- ]only)?\s*\)"
              r"|" + _FW + r"(?:\s+(?:v?\d[\w.]*|from\s+[\w.]+))*\s+(?:without|w/o|with\s+no)\s+(?:any\s+)?(?:cuda|gpu)\b(?!\s+(?:toolkit|drivers?)\b))")
# The plain twin: the framework's name without a GPU marker, with its release where written ("tensorflow 1.14.0", "torch==2.3.0").
_PLAIN = r"(?:(?:a|an|the|its|their|my)\s+)?(?:(?:plain|regular|normal|vanilla|default|standard|pypi)\s+)?[`'\"*]*(?P<plain>" + _FW + r")(?:\s*(?:==|=|-|\s|\s+version\s+|\s+v)\s*v?(?P<release>\d+(?:\.\d+)+[\w.]*))?[`'\"*]*(?![\w+-]|\s*\[)"
_TARGET = re.compile(r"(?:(?P<cpu>" + _CPU_WORDS + r")|" + _PLAIN + r")", re.I)
_PUT_TARGET = re.compile(_AFTER_GPU + _PUT + r"(?:(?:back|in|instead)\s+)?(?:" + _TARGET.pattern + r")", re.I)
# The twin put "instead of" the GPU build: install verb, the target, then "instead of" and the GPU build.
_INSTEAD = re.compile(
    r"\b(?:install(?:s|ed|ing)?|pull(?:s|ed|ing)?(?:\s+in)?|put(?:s|ting)?|download(?:s|ed|ing)?|got|gets|gave|gives|br(?:ings|ought)(?:\s+in)?|choos(?:e|es|ing)|chose|pick(?:s|ed)?|resolv(?:es|ed)\s+to)"
    r"\s+(?:me\s+)?(?:" + _TARGET.pattern + r")\s+(?:instead\s+of|in\s+place\s+of|rather\s+than|replacing|removing|uninstalling)\s+" + _FILLER, re.I)
# The passive: "my torch+cu118 got replaced by torch 2.3.0", "tensorflow-gpu was uninstalled and tensorflow installed".
_PASSIVE = re.compile(
    r"\s*[`'\"*]*\s*(?:\([^)]*\)\s*)?(?:was|is|were|are|got|gets|has\s+been|had\s+been|have\s+been|being)\s+(?:\w+\s+)?"
    r"(?:replaced|overwritten|overridden|swapped(?:\s+out)?|downgraded|uninstalled|removed|clobbered|wiped\s+out)"
    r"(?:\s+(?:with|by|for|to)\s+|,?\s+and\s+(?:then\s+)?(?:re-?)?install(?:ed)?\s+|[^.!?;\n]{0,30}?(?:\s+(?:and|then)\s+)(?:re-?)?install(?:s|ed)\s+)(?:" + _TARGET.pattern + r")",
    re.I)
# "... was uninstalled and jaxlib 0.4.23 installed": the twin before its verb.
_PASSIVE_THEN = re.compile(
    r"\s*[`'\"*]*\s*(?:\([^)]*\)\s*)?(?:was|is|were|are|got|gets|has\s+been|had\s+been|have\s+been)\s+(?:\w+\s+)?(?:uninstalled|removed|wiped\s+out)"
    r",?\s+and\s+(?:then\s+)?(?:" + _TARGET.pattern + r")\s+(?:was\s+|got\s+|were\s+)?(?:re-?)?(?:installed|put\s+in|pulled\s+in)\b",
    re.I)
# The writer's own removal, on purpose: "I uninstalled tensorflow-gpu and installed tensorflow-cpu" (a subject of their own
# right before the verb), not an install that did it.
_OWN_ACT = re.compile(r"\b(?:i|we)\s+(?:\w+\s+){0,2}$", re.I)
_NEGATED = re.compile(r"\b(?:not|never|n['’]t|no\s+longer|without|instead\s+of)\s+(?:\w+\s+){0,2}$", re.I)


@dataclass(frozen=True)
class Replaced:
    """A GPU build said or shown replaced (or never installed): the framework, the GPU build and the twin as written, whether
    the twin is named a CPU build in words, its release where written, and where the words are in the line."""

    framework: str  # "torch", "tensorflow", ... ("" where the words name no framework)
    gpu: str
    twin: str
    cpu_words: bool
    release: str | None
    start: int
    end: int

    @property
    def words(self) -> str:
        return self.twin if not self.gpu else f"{self.gpu} -> {self.twin}"


def _framework(gpu: re.Match[str]) -> str:
    from whygpu.knowledge.cpu_packages import gpu_marked_build

    if gpu.group("marked"):
        marker = gpu_marked_build(gpu.group("marked"))
        return marker.framework if marker else ""
    named = gpu.group("fw1") or gpu.group("fw2") or gpu.group("fw3") or gpu.group("fw4") or ""
    return _FW_NAMES.get(named.lower(), named.lower())


def _twin_fits(framework: str, target: re.Match[str]) -> bool:
    """Whether the target is the framework's twin: the CPU build in words, or the same framework named plain."""
    if target.group("cpu"):
        return True
    plain = target.group("plain").lower()
    return not framework or _FW_NAMES.get(plain, plain) == framework


def _said(text: str, start: int, end: int, verb: int, *, active: bool = True) -> bool:
    from whygpu.explain.statements import cpu_build_said

    left, _right = grammar.sentence_at(text, start, end)
    before = text[left:verb]
    if _NEGATED.search(before) or (active and _OWN_ACT.search(before)):
        return False
    return cpu_build_said(text, verb, end)


def said_replaced(text: str) -> Replaced | None:
    """The writer's words that an install removed or replaced the framework's GPU build with its plain twin or its CPU build
    (said as a fact), or None."""
    if len(text) > 2000 or grammar.program_line(text) or grammar.code_comment(text):
        return None
    low = text.lower()
    if not any(w in low for w in ("gpu", "cuda", "+cu", "-cu", "_cu", "nvidia")):
        return None
    gpu_rx = _gpu_build()
    for gpu in gpu_rx.finditer(text):
        framework = _framework(gpu)
        # "<verb of removing> [filler] <GPU build> ... <with | and reinstalls> <twin>"
        verb = None
        for m in _REMOVE_RX.finditer(text, max(0, gpu.start() - 80), gpu.start()):
            if m.end() == gpu.start():
                verb = m
        put = _PUT_TARGET.match(text, gpu.end()) if verb is not None else None
        if verb is not None and put is not None and _twin_fits(framework, put) and _said(text, verb.start(), put.end(), verb.start()):
            return _replaced(framework, gpu, put, verb.start(), put.end())
        # "<GPU build> was replaced by <twin>", "<GPU build> got uninstalled and <twin> installed"
        passive = _PASSIVE.match(text, gpu.end()) or _PASSIVE_THEN.match(text, gpu.end())
        if passive is not None and _twin_fits(framework, passive) and _said(text, gpu.start(), passive.end(), gpu.start(), active=False):
            return _replaced(framework, gpu, passive, gpu.start(), passive.end())
        # "<installs> <twin> instead of [filler] <GPU build>"
        for m in _INSTEAD.finditer(text, max(0, gpu.start() - 160), gpu.start()):
            if m.end() == gpu.start() and _twin_fits(framework, m) and _said(text, m.start(), gpu.end(), m.start()):
                return _replaced(framework, gpu, m, m.start(), gpu.end())
    return None


def _replaced(framework: str, gpu: re.Match[str], target: re.Match[str], start: int, end: int) -> Replaced:
    cpu = bool(target.group("cpu"))
    twin = target.group("cpu") or target.group("plain")
    release = None if cpu or not target.group("release") else target.group("release").rstrip(".")
    return Replaced(framework, " ".join(gpu.group(0).split()), " ".join(twin.split()), cpu, release, start, end)


# --- the GPU build never installed, in the writer's words ------------------------------------------------------------------
_NEVER = re.compile(
    r"\b(?:i|we)\s+(?:(?:had|have|did|do|has)\s*(?:n['’]?t|not)|never|forgot\s+to|neglected\s+to)\s+(?:even\s+|actually\s+|yet\s+|ever\s+|previously\s+)?"
    r"(?:have|had|install(?:ed)?|get|got|use|used|download(?:ed)?)\s+(?:the\s+|a\s+|any\s+)?[`'\"*]*$", re.I)
_NOT_INSTALLED_AFTER = re.compile(r"[`'\"*]*\s+(?:was|is|were|had\s+been|has\s+been)\s*(?:n['’]t|\s+not|\s+never)\s+(?:even\s+|actually\s+)?installed\b", re.I)
# "I only installed tensorflow, not tensorflow-gpu", "I only had onnxruntime installed, not onnxruntime-gpu", "the problem was that I
# installed tensorflow instead of tensorflow-gpu": the plain twin the writer had, set against the GPU build they had not.
_ONLY_PLAIN = re.eager(
    r"\b(?:i|we)\s+(?:had\s+|have\s+)?(?:only\s+|just\s+)?(?:had|have|got|installed|install|used|use|downloaded)\s+(?:only\s+|just\s+)?" + _PLAIN
    + r"(?:\s+installed)?\s*(?:[,;(]\s*)?(?:(?:and|but)\s+)?(?:not|instead\s+of|rather\s+than)\s+(?:the\s+)?[`'\"*]*$", re.I)
# A fix the writer then made that did not help: the statement is then not the cause.
_DID_NOT_HELP = re.compile(r"\b(?:still|did\s*n['’]?t\s+help|does\s*n['’]?t\s+help|no\s+(?:luck|change|difference)|same\s+(?:error|result|problem|issue))\b", re.I)


def said_never_installed(text: str) -> Replaced | None:
    """The writer's own words that the GPU build was not installed (only its plain twin), said as a fact, or None."""
    if len(text) > 2000 or grammar.program_line(text) or grammar.code_comment(text):
        return None
    low = text.lower()
    if not any(w in low for w in ("gpu", "cuda", "+cu", "-cu", "_cu")) or not any(w in low for w in ("not", "n't", "n’t", "never", "forgot", "neglected", "instead", "rather than")):
        return None
    for gpu in _gpu_build().finditer(text):
        framework = _framework(gpu)
        before = text[max(0, gpu.start() - 160):gpu.start()]
        m = _NEVER.search(before) or _ONLY_PLAIN.search(before)
        # "<GPU build> was not installed" only of a distribution named by its marker (tensorflow-gpu): a program's own notice
        # names the build in words ("a CUDA-enabled jaxlib is not installed. Falling back to cpu": JAX's, read by its signature).
        passive = None if m or not gpu.group("marked") else _NOT_INSTALLED_AFTER.match(text, gpu.end())
        if m is None and passive is None:
            continue
        if m is not None and m.re is _ONLY_PLAIN and (plain := m.group("plain").lower()) and framework and _FW_NAMES.get(plain, plain) != framework:
            continue
        start = gpu.start() - len(before) + m.start() if m else gpu.start()
        end = passive.end() if passive else gpu.end()
        if _DID_NOT_HELP.search(text, end) or grammar.quoted(text, start):
            continue
        # The verb's own negation is the statement itself: judged as said (not asked, supposed, advised, hearsay or over)
        # from its subject on, not by the reading that a negated verb says the opposite.
        if not grammar.said(text, start, end, quotes=False) or _conditional(text, start, end):
            continue
        release = m.group("release").rstrip(".") if m is not None and m.re is _ONLY_PLAIN and m.group("release") else None
        if release is None:
            # the plain twin's release named elsewhere in the sentence ("we never installed tensorflow-gpu; tensorflow 2.10 has
            # the GPU support"): what decides whether its absence matters
            left, right = grammar.sentence_at(text, start, end)
            for other in re.finditer(_PLAIN, text[left:right], re.I):
                named = other.group("plain").lower()
                if other.group("release") and _FW_NAMES.get(named, named) == framework:
                    release = other.group("release").rstrip(".")
                    break
        return Replaced(framework, "", " ".join(gpu.group(0).split()), False, release, start, end)
    return _never_installed_pronoun(text)


_CONDITIONAL = re.compile(r"(?:^|[,;:(]\s*|\b(?:and|but|or|so|then)\s+)\W*(?:if|when|whenever|whether|unless|in\s+case|once)\b", re.I)


def _conditional(text: str, start: int, end: int) -> bool:
    """Whether the words at ``start`` stand in a clause opened by a condition ("if tensorflow-gpu is not installed, ...")."""
    left, _right = grammar.sentence_at(text, start, end)
    return _CONDITIONAL.search(grammar.clause_before(text[left:start])) is not None


# The GPU build named in a sentence and then referred to: "... if I use tensorflow-gpu as a backend. I didn't have this
# installed" (the nearest GPU build named before, within the sentence or the one before it).
_PRONOUN = re.compile(r"(?:this|it|that|them|these|those)(?:\s+(?:package|one|version|build|installed))?\b", re.I)


def _never_installed_pronoun(text: str) -> Replaced | None:
    for m in re.finditer(r"\b(?:i|we)\s+", text, re.I):
        never = _NEVER.match(text, m.start())
        never = re.compile(_NEVER.pattern.removesuffix("$"), re.I).match(text, m.start()) if never is None else never
        if never is None or (pronoun := _PRONOUN.match(text, never.end())) is None:
            continue
        if not re.search(r"\binstalled\b|\binstall(?:ed)?\s*$", text[never.start():pronoun.end()], re.I):
            continue  # "I didn't have this" alone names no install
        window_start = max(0, never.start() - 300)
        sentence_left = grammar.sentence_at(text, never.start(), pronoun.end())[0]
        previous_left = grammar.sentence_at(text, max(window_start, sentence_left - 2), max(window_start, sentence_left - 1))[0] if sentence_left > 1 else sentence_left
        antecedents = list(_gpu_build().finditer(text, max(window_start, previous_left), never.start()))
        if not antecedents:
            continue
        gpu = antecedents[-1]
        if _DID_NOT_HELP.search(text, pronoun.end()) or grammar.quoted(text, never.start()) or not grammar.said(text, never.start(), pronoun.end(), quotes=False):
            continue
        if _conditional(text, never.start(), pronoun.end()):
            continue
        return Replaced(_framework(gpu), "", " ".join(gpu.group(0).split()), False, None, never.start(), pronoun.end())
    return None


# --- an installer's own output: a GPU build removed and its plain twin installed ------------------------------------------
# pip: "Found existing installation: torch 2.1.0+cu118", "Uninstalling torch-2.1.0+cu118:", "Successfully uninstalled
# torch-2.1.0+cu118", then "Successfully installed torch-2.1.0" (src/pip/_internal/req/req_install.py, req_uninstall.py,
# commands/install.py); uv: " - torch==2.1.0+cu118" and " + torch==2.3.0"; poetry: "- Updating torch (2.1.0+cu118 -> 2.3.0)".
_PIP_REMOVED = re.compile(r"^\s*(?:Successfully\s+uninstalled\s+|Uninstalling\s+)([A-Za-z0-9][\w.-]*?)-(\d[\w.!+]*?):?\s*$")
_PIP_FOUND = re.compile(r"^\s*Found\s+existing\s+installation:\s+([A-Za-z0-9][\w.-]*)\s+(\d[\w.!+]*)\s*$")
_PIP_INSTALLED = re.compile(r"^\s*Successfully\s+installed\s+(.+)$")
_UV_ROW = re.compile(r"^\s*([+-])\s+([A-Za-z0-9][\w.-]*)==(\d[\w.!+]*)\s*$")
_POETRY_UPDATE = re.compile(r"^\s*[-•]\s+(?:Updating|Downgrading)\s+([A-Za-z0-9][\w.-]*)\s+\((\d[\w.!+]*)\s+->\s+(\d[\w.!+]*)\)")


def installer_rows(text: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(installed, removed): (name as written, release with its local tag) of each distribution an installer's own output
    line says it installs or removes; empty lists for any other line."""
    if (m := _PIP_REMOVED.match(text)) or (m := _PIP_FOUND.match(text)):
        return [], [(m.group(1), m.group(2))]
    if (m := _PIP_INSTALLED.match(text)) is not None:
        out = []
        for word in m.group(1).split():
            if (row := re.fullmatch(r"([A-Za-z0-9][\w.-]*?)-(\d[\w.!+]*)", word.strip(","))) is not None:
                out.append((row.group(1), row.group(2)))
        return out, []
    if (m := _UV_ROW.match(text)) is not None:
        return ([(m.group(2), m.group(3))], []) if m.group(1) == "+" else ([], [(m.group(2), m.group(3))])
    if (m := _POETRY_UPDATE.match(text)) is not None:
        return [(m.group(1), m.group(3))], [(m.group(1), m.group(2))]
    return [], []


def installer_replaced(removed: list[tuple[str, str]], installed: list[tuple[str, str]]) -> Replaced | None:
    """A GPU build an installer's output removed (``removed``, earlier lines or this one) and its plain twin it installed
    (``installed``), or None."""
    from whygpu.knowledge.cpu_packages import gpu_marked_build, is_plain_twin

    for name, version in removed:
        marker = gpu_marked_build(f"{name}-{version}") or gpu_marked_build(name)
        if marker is None:
            continue
        for new, release in installed:
            base, _, tag = release.partition("+")
            if gpu_marked_build(f"{new}-{release}") is not None or gpu_marked_build(new) is not None or not is_plain_twin(marker, new.lower().replace("_", "-")):
                continue
            if tag and not tag.lower().startswith("cpu"):
                continue  # another local build (+rocm, +xpu): not judged here
            return Replaced(marker.framework, f"{name}-{version}", f"{new}-{release}", tag.lower().startswith("cpu"), base, 0, 0)
    return None


# --- a re-sync that removed packages after a GPU build was installed (accinst, session 30) ---------------------------------
# uv prints a summary of each sync: "Installed 2 packages in 7.19s", "Uninstalled 2 packages in 771ms", then one row per
# change (" - torch==2.11.0+cu128", " + torch==2.11.0") unless its output is cut (crates/uv/src/commands/pip/operations.rs,
# report_changes; https://docs.astral.sh/uv/concepts/projects/sync/). `uv run` syncs the project to its lock's default
# extras before it runs (https://docs.astral.sh/uv/concepts/projects/run/): a GPU build installed by `uv sync --extra cuda`
# or `uv pip install` is removed by the next plain `uv run` when the lock's default resolves the framework from another
# index. The fact read: the log shows a GPU build installed (a "+ name==release+cuNNN" row) and, after it, a sync that
# uninstalled packages without printing which; judged by LOG395 (the twin's build on the log's platform) as possible, since
# the names are not shown.
_UV_PLUS_GPU = re.compile(r"^\s*\+\s+([A-Za-z0-9][\w.-]*)==(\d[\w.!]*\+cu\d+[\w.]*)\s*$")
_UV_UNINSTALLED = re.compile(r"^\s*Uninstalled\s+(\d+)\s+packages?\s+in\s+[\d.]+\s*m?s\b")
_UV_MINUS_ROW = re.compile(r"^\s*-\s+[A-Za-z0-9][\w.-]*==\d")


def resync_removed(lines: list[str]) -> tuple[Replaced, int] | None:
    """The GPU build a uv sync's own rows show installed and a later sync's count-only "Uninstalled N packages" line (no
    "- name==release" rows under it), as a Replaced whose twin is unnamed, with the later line's index; or None."""
    from whygpu.knowledge.cpu_packages import gpu_marked_build

    installed: tuple[str, str] | None = None
    for index, line in enumerate(lines):
        if (m := _UV_PLUS_GPU.match(line)) is not None and gpu_marked_build(f"{m.group(1)}-{m.group(2)}") is not None:
            installed = (m.group(1), m.group(2))
            continue
        if installed is None or (count := _UV_UNINSTALLED.match(line)) is None:
            continue
        rows = [other for other in lines[index + 1:index + 4 + 2 * int(count.group(1))] if other.strip()]
        if any(_UV_MINUS_ROW.match(other) or _UV_PLUS_GPU.match(other) for other in rows):
            continue  # the rows are printed: read by installer_rows (a plain twin put in, or the GPU build put back)
        name, release = installed
        marker = gpu_marked_build(f"{name}-{release}")
        assert marker is not None
        return Replaced(marker.framework, f"{name}-{release}", f"{name} as a later sync resolves it ({line.strip()}, names not printed)",
                        False, release.partition("+")[0], 0, 0), index
    return None
