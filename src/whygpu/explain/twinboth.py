"""The writer's words that a framework's GPU distribution and its plain twin are installed together (accinstbroken,
session 38).

TensorFlow (tensorflow and tensorflow-gpu), ONNX Runtime (onnxruntime and onnxruntime-gpu) and PaddlePaddle (paddlepaddle
and paddlepaddle-gpu) each ship a CPU and a GPU build as two distribution names that write one import folder
(knowledge/cpu_packages.toml [[gpu_marker]] one_folder). pip removes a distribution only when the same name is installed
again, so an add-on that requires the plain name installs it beside the GPU one: both stay listed and the folder holds the
files of whichever came last. The writer says it in words the listing and install readers do not read:

- **together**: "installed alongside", "along with", "next to", "together with", "as well as", "at the same time" between
  the two names ("onnxruntime_gpu was installed alongside regular onnxruntime"), or "both" with a verb of having or showing
  ("pip list shows both onnxruntime and onnxruntime-gpu");
- **the GPU build passed over**: the GPU name "is ignored", "is shadowed", "is overridden", "is not used" where the plain
  name is said installed in the same sentence ("When there is tensorflow installed, tensorflow-gpu is ignored"), or the
  plain name "shadows" / "masks" / "overrides" the GPU one.

Each is kept only where said as a fact (``explain.statements.cpu_build_said``: not asked, advised, negated, quoted or
over) and not in a clause of removing ("I uninstalled both tensorflow and tensorflow-gpu"). What it means is
``knowledge.cpu_packages.twin_overlay_cause`` (the same decision as LOG730's overlay); LOG775 (``explain.twinbothrules``)
speaks it.
"""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.explain import grammar
from whygpu.explain.declared import Overlay

__all__ = ["NEEDLES", "both_said"]

# A line is read only where it holds one of these (a cheap gate before any pattern); the caller also needs "gpu".
NEEDLES = ("both", "alongside", "along with", "next to", "together", "as well as", "same time", "ignored", "shadow", "overrid", "mask",
           "interfer", "conflict", "clash", "precedence", "wins over")

_TWIN = r"(?:tensorflow|onnxruntime|paddlepaddle)"
_PLAIN_RX = re.compile(r"(?<![\w.+/-])[`'\"*]*(?P<plain>" + _TWIN + r")(?![\w+-]|\[)(?:\s*(?:==|\s)\s*v?\d+(?:\.\d+)+[\w.]*)?[`'\"*]*", re.I)
# Between the two names: the words that put them side by side.
_BESIDE = re.compile(r"[\s,`'\"*]*(?:(?:is|was|are|were|got|gets|has\s+been|have\s+been|being)\s+)?(?:(?:also|still)\s+)?(?:installed\s+)?"
                     r"(?:alongside|along\s+with|next\s+to|together\s+with|as\s+well\s+as|beside|besides|in\s+addition\s+to|on\s+the\s+same\s+(?:env|environment|machine|venv))"
                     r"(?:\s+(?:the|a|an|my|regular|plain|normal|cpu|standard|default|existing|original|old|vanilla|usual)){0,3}[\s`'\"*]*$", re.I)
_AND = re.compile(r"[\s`'\"*]*(?:,|and|&|\+|/)[\s`'\"*]*(?:the\s+)?$", re.I)
# "both" with what makes it a state: installed, have, shows, listed, present, at the same time.
_BOTH_BEFORE = re.compile(r"\bboth\s+(?:the\s+)?(?:packages\s+)?[`'\"*]*$", re.I)
_BOTH_AFTER = re.compile(r"[`'\"*]*\s+(?:(?:are|were|got|get|being)\s+)?both\b", re.I)
_STATE = re.compile(r"\b(?:install(?:ed)?|have|has|had|having|show(?:s|ed|n)?|list(?:s|ed)?|present|there|exist(?:s|ed)?|coexist\w*|at\s+the\s+same\s+time|simultaneously|together)\b", re.I)
# The GPU name passed over: "tensorflow-gpu is ignored", "tensorflow-gpu gets shadowed".
_PASSED_OVER = re.compile(r"[`'\"*]*\s+(?:is|was|are|were|gets|got|will\s+be|would\s+be)\s+(?:simply\s+|just\s+|then\s+|always\s+)?"
                          r"(?:ignored|shadowed|overridden|overriden|masked|not\s+used|not\s+imported|never\s+used)\b", re.I)
_PLAIN_INSTALLED = re.compile(r"[`'\"*]*\s+(?:is|was|gets|got)\s+(?:also\s+)?installed\b|^\s*there\s+is\s+$", re.I)
_SHADOWS = re.compile(r"[`'\"*]*\s+(?:(?:will|would|does|did|can)\s+)?(?:shadows?|shadowed|masks?|masked|overrides?|overrode|overridden|takes\s+precedence\s+over|wins\s+over)\s+(?:the\s+|my\s+)?[`'\"*]*$", re.I)
# "onnxruntime AND onnxruntime-gpu interfering", "tensorflow and tensorflow-gpu conflict": the two said at odds.
_AT_ODDS = re.compile(r"[`'\"*]*\s+(?:(?:are|were|is|keep|kept)\s+)?(?:(?:both|still)\s+)?(?:interfer\w*|conflict(?:s|ed|ing)?|clash\w*|fight\w*)\b", re.I)
# A clause of removing governs the names: "uninstalled both", "remove tensorflow and tensorflow-gpu".
_REMOVED = re.compile(r"\b(?:uninstall\w*|remov\w*|delet\w*|purg\w*|get\s+rid\s+of|got\s+rid\s+of|instead\s+of|rather\s+than)\b", re.I)


@lru_cache(maxsize=1)
def _gpu_build() -> re.Pattern[str]:
    from whygpu.knowledge.cpu_packages import gpu_marker_patterns

    return re.compile(r"(?<![\w.+-])[`'\"*]*(?P<marked>" + "|".join(f"(?:{p})" for p in gpu_marker_patterns()) + r")(?![\w+-])[`'\"*]*", re.I)


def _framework(name: str) -> str:
    low = name.lower()
    return "paddle" if low == "paddlepaddle" else low


def _said(text: str, start: int, end: int) -> bool:
    from whygpu.explain.statements import cpu_build_said

    left, right = grammar.sentence_at(text, start, end)
    if _REMOVED.search(text, left, start) or _REMOVED.search(text, start, end):
        return False
    if "?" in text[end:right + 1]:
        return False  # any question, "why" ones too ("Why do we need to install both tensorflow-gpu as well as tensorflow?")
    return cpu_build_said(text, start, end)


def both_said(text: str) -> Overlay | None:
    """The writer's words that a framework's GPU distribution and its plain twin are installed together (said as a fact),
    or None."""
    if len(text) > 2000 or grammar.program_line(text) or grammar.code_comment(text):
        return None
    from whygpu.knowledge.cpu_packages import gpu_marked_build, is_plain_twin

    for gpu in _gpu_build().finditer(text):
        marker = gpu_marked_build(gpu.group("marked").strip("`'\"* "))
        if marker is None or not marker.one_folder:
            continue
        left, right = grammar.sentence_at(text, gpu.start(), gpu.end())
        for plain in _PLAIN_RX.finditer(text, left, right):
            name = plain.group("plain")
            if name != name.lower() or _framework(name) != marker.framework or not is_plain_twin(marker, name):
                continue  # a plain name counts as a package manager writes it, in lower case ("TensorFlow" names the framework)
            first, second = (plain, gpu) if plain.end() <= gpu.start() else (gpu, plain)
            between = text[first.end():second.start()]
            if len(between) > 60:
                continue
            start, end = first.start(), second.end()
            together = _BESIDE.match(between) is not None
            if not together and _AND.match(between):
                both = _BOTH_BEFORE.search(text, max(left, first.start() - 20), first.start()) or _BOTH_AFTER.match(text, second.end())
                if both is not None and _STATE.search(text, left, right):
                    together = True
                    start, end = min(start, both.start()), max(end, both.end())
            if not together and plain.end() <= gpu.start():
                # "When there is tensorflow installed, tensorflow-gpu is ignored"; "tensorflow shadows tensorflow-gpu"
                passed = _PASSED_OVER.match(text, gpu.end())
                installed = _PLAIN_INSTALLED.match(text, plain.end()) or re.search(r"\bthere\s+is\s+$", text[left:plain.start()], re.I)
                if passed is not None and installed is not None and len(between) <= 40:
                    together, end = True, passed.end()
                elif _SHADOWS.fullmatch(between):
                    together = True
            if not together and _AND.match(between) and (odds := _AT_ODDS.match(text, second.end())) is not None:
                together, end = True, odds.end()
            if together and _said(text, start, end):
                return Overlay(marker.framework, name, " ".join(gpu.group("marked").strip("`'\"* ").split()))
    return None


# accnoticed38 (session 38): pip's report of conflicts names, at the head of each line, a distribution that IS installed, with
# its release ("tensorflow-gpu 2.2.0 requires gast==0.3.3, but you have gast 0.3.0 which is incompatible."; pip < 20.3:
# "ERROR: tensorflow-gpu 1.15.2 has requirement gast==0.2.2, but you'll have gast 0.3.3 which is incompatible."). Two such
# lines of one twin pair show both installed (https://github.com/apple/turicreate/issues/3405).
_CONFLICT_ROW = re.compile(r"^\s*(?:ERROR:\s+)?(?P<name>[A-Za-z][\w.-]*)\s+v?(?P<release>\d[\w.+!]*)\s+(?:requires|has\s+requirement)\s+\S.*"
                           r"\bbut\s+you(?:'ll|\s+will)?\s+have\b.*\bwhich\s+is\s+incompatible", re.I)


def conflict_installed(line: str) -> tuple[str, str] | None:
    """The distribution (lower case) and its release a line of pip's conflict report shows installed, or None."""
    if len(line) > 600:
        return None
    row = _CONFLICT_ROW.match(line)
    return (row.group("name").lower().replace("_", "-"), row.group("release")) if row is not None else None


def conflict_pair(installed: dict[str, str]) -> Overlay | None:
    """A framework's GPU distribution and its plain twin (one import folder) both among the distributions pip's conflict
    report shows installed (name -> release), or None. Two of one release whose plain twin is not the CPU build
    (tensorflow and tensorflow-gpu 2.11.0: the same files) leave the folder whole and are not read."""
    from whygpu.knowledge.cpu_packages import gpu_marked_build, is_plain_twin, plain_twin_cpu

    for gpu in sorted(installed):
        marker = gpu_marked_build(gpu)
        if marker is None or not marker.one_folder:
            continue
        for plain in sorted(installed):
            if plain == gpu or not is_plain_twin(marker, plain):
                continue
            if installed[plain] == installed[gpu] and plain_twin_cpu(marker, release=installed[plain]).cpu is not True:
                continue
            return Overlay(marker.framework, plain, gpu)
    return None
