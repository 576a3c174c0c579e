"""The writer's account that the GPU stopped being used after an update (accupdate, session 37).

A writer tells the change and what it did, in that order: an update or upgrade named in a clause of time ("after the
update", "since upgrading via pip", "after I upgraded ollama from 0.1.14 to 0.5.4", "following a driver update", "I ran
the update bat and after it"), or a sentence whose subject is the update ("the latest update to 0.13.1 refuses to use the
GPU", "unattended-upgrades upgraded the NVIDIA packages"), and, in the same sentence or the next one of the line, what it
did:

- the build left named the CPU one ("back to using pytorch CPU", "dumbed down torch to no cuda", "+cpu"): ``effect``
  "cpu_build";
- the GPU lost ("it runs on the CPU", "is not using any GPU", "does not see the GPU", "refuses to use the GPU"):
  "gpu_lost";
- something broken ("it breaks pytorch", "stopped working", "can't run it anymore"): "broke";
- nothing more: "onset" (the rule asks for the GPU unused or a failure in the log).

What was updated (``kind``) is read from the words around the update word with knowledge.update_change.thing_updated:
the kernel, the NVIDIA driver, a system-wide upgrade, the framework itself, else the program's own update ("app"); the
releases before and after where the sentence writes them ("from 0.1.14 to 0.5.4", "0.3.12->0.5.4", "to version 0.14.3").
Not an update asked, supposed, advised or hearsay (explain.grammar), not one the writer made as a remedy ("I updated the
drivers, it did not help": no effect follows), not where the sentence says it works again. Judged by LOG740
(explain.updaterules) with knowledge.update_change.update_change_cause.
"""

from __future__ import annotations

from dataclasses import dataclass

from whygpu import lazyre as re
from whygpu.explain import grammar

__all__ = ["NEEDLES", "UpdateChange", "update_change_said"]

# Cheap substring gate for the per-line reader.
NEEDLES = ("updat", "upgrad")

_DET = r"(?:(?:the|an?|my|our|this|that|today'?s|last|latest|recent|new|newest|most\s+recent|automatic|unattended|minor|big)\s+)*"
_THING = r"(?:[\w.+/-]+\s+){0,3}?"
# A clause of time that an update opens, or the update as the sentence's subject.
_ONSET = re.compile(
    r"\b(?:after|since|following|once|when(?:ever)?|with)\s+(?:i\s+|we\s+|you\s+)?(?:have\s+|had\s+|just\s+|recently\s+|tried\s+)?"
    r"(?:(?:ran|run|running|did|doing|do|performed?|installing|installed|applying|applied)\s+)?"
    r"(?:" + _DET + _THING + r"(?:update|upgrade)s?\b|(?:updat|upgrad)(?:ing|ed|e)\b)"
    r"|\b(?:i|we)\s+(?:just\s+|recently\s+|then\s+)?(?:tried\s+)?(?:ran|run|did|updated|upgraded|updating|upgrading)\b(?:\s+the)?(?:\s+(?:update|upgrade)\b)?"
    r"|\b(?:the|an?|this)\s+(?:latest|recent|last|new|automatic|unattended|minor)\s+(?:[\w.+/-]+\s+){0,2}?(?:update|upgrade)s?\b"
    r"|\bunattended[- ]upgrades?\b|\b(?:automatic|unattended)\s+(?:\w+\s+){0,3}?(?:update|upgrade)s?\b"
    r"|\b(?:updat|upgrad)(?:e|ed)\s+(?:it\s+)?(?:via|through|with|using)\s+",
    re.I,
)
_CPU_BUILD = re.compile(
    r"\b(?:py)?torch\s+cpu\b|\bcpu\s+(?:version|build|wheel|variant)s?\s+of\b|\b(?:the\s+)?cpu\s+(?:version|build|wheel|variant)\b"
    r"|\+cpu\b|\b(?:to|with)\s+no\s+cuda\b|\bnon[- ]cuda\b|\bwithout\s+cuda\b|\bcpu[- ]only\s+(?:version|build|torch|pytorch|backends?)\b"
    r"|\bnot\s+compiled\s+with\s+cuda\b",
    re.I,
)
_GPU_LOST = re.compile(
    r"\b(?:(?:can(?:not|'t)|could\s*n[o']t|no\s+longer|does\s*n[o']t|did\s*n[o']t|do\s+not|does\s+not|won'?t|is\s+not\s+able\s+to|refuses?\s+to|fails?\s+to)"
    r"\s+(?:use|find|detect|see|access|recogni[sz]e|register)\s+(?:the\s+|my\s+|any\s+)?(?:nvidia\s+)?(?:cuda|gpus?)"
    r"|(?:is|are|was|were|'s)\s+not\s+(?:using|used|detect(?:ing|ed)|seeing|found|recogni[sz]ed)\s*(?:any\s+|the\s+|my\s+)?(?:gpus?|cuda)?"
    r"|not\s+using\s+(?:any\s+|the\s+|my\s+)?gpus?|gpus?\s+(?:is\s+)?(?:not|no\s+longer)\s+(?:used|detected|found|recogni[sz]ed|registering)"
    r"|(?:runs?|ran|run|running|rendering'?s?(?:\s+done)?|uses?|using|used|fell\s+back\s+to|falls?\s+back\s+to|goes?\s+back\s+to|went\s+back\s+to)"
    r"\s+(?:only\s+)?(?:on\s+|using\s+|to\s+)?(?:the\s+)?(?:using\s+)?(?:\w+\s+)?cpu\b(?!\s+(?:and|\+)\s+gpu)"
    r"|only\s+(?:the\s+)?cpu\s+is\s+(?:being\s+)?used|only\s+cpu\b|no\s+known\s+devices|\bcuda\s+(?:is\s+)?(?:not\s+available|unavailable|no\s+longer\s+available))",
    re.I,
)
_BROKE = re.compile(
    r"\b(?:br(?:oke|eaks?|oken)|stopped\s+working|stops\s+working|not\s+working|(?:can'?t|cannot|could\s*n[o']t)\s+(?:run|start|open)"
    r"|fail(?:s|ed)?\s+to\s+(?:run|start|load|initiali[sz]e)|no\s+longer\s+works?|does\s*n[o']t\s+work(?:\s+anymore)?)\b",
    re.I,
)
_WORKS = re.compile(r"\b(?:(?:everything|it|all|now\s+it)\s+works|works?\s+(?:again|now|fine|well)|working\s+(?:again|now)|solved|fixed|resolved)\b"
                    r"(?![^.;!?]*\b(?:before|previous(?:ly)?|until)\b)", re.I)
_RELEASES = re.compile(
    r"\bfrom\s+(?:version\s+|v)?(?P<a>\d+(?:\.\d+)+[\w.+-]*)\s+to\s+(?:version\s+|v)?(?P<b>\d+(?:\.\d+)+[\w.+-]*)"
    r"|(?P<a2>\d+(?:\.\d+)+)\s*(?:->|→|=>)\s*(?P<b2>\d+(?:\.\d+)+)"
    r"|\bto\s+(?:version\s+|v)?(?P<b3>\d+(?:\.\d+)+[\w.+-]*)",
    re.I,
)
_REMEDY = re.compile(r"\b(?:did\s*n[o']t|does\s*n[o']t|did\s+not|does\s+not)\s+help|\bno\s+(?:help|luck|difference)|\bto\s+no\s+avail|\bstill\b", re.I)


@dataclass(frozen=True)
class UpdateChange:
    """An update told as the start of the trouble: the words naming it, the kind of thing updated (kernel, driver, system,
    framework, app), the framework named in the sentence, the releases before and after where written, and the effect the
    sentence tells (cpu_build, gpu_lost, broke, onset)."""

    words: str
    kind: str
    framework: str | None
    before: str | None
    after: str | None
    effect: str


def _framework(text: str) -> str | None:
    from whygpu.knowledge.install_change import framework_of

    for m in re.finditer(r"(?<![\w.-])(torch|pytorch|tensorflow(?:-gpu)?|jax(?:lib)?|onnxruntime(?:-gpu)?|paddlepaddle(?:-gpu)?|mxnet)(?![\w-])",
                         text, re.I):
        if (fw := framework_of(m.group(1))) is not None:
            return fw
    if re.search(r"\btensor\s+flow\b", text, re.I):
        return "tensorflow"
    return None


def _effect(rest: str) -> str | None:
    if _CPU_BUILD.search(rest):
        return "cpu_build"
    if _GPU_LOST.search(rest):
        return "gpu_lost"
    if _BROKE.search(rest):
        return "broke"
    return None


def update_change_said(text: str) -> UpdateChange | None:
    """The writer's account in ``text`` (one line) that an update came before the GPU went unused, or None."""
    from whygpu.knowledge.update_change import thing_updated

    for m in _ONSET.finditer(text):
        left, right = grammar.sentence_at(text, m.start(), m.end())
        if grammar.asked(text, left, right, m.start(), m.end()) or grammar.hearsay(text, left, right):
            continue
        if grammar.supposed(text, left, right, m.start(), m.end()) or grammar.advised(text, left, m.start(), m.end()):
            continue
        sentence = text[left:right]
        # the words around the update word name what was updated: up to a few words before it and after it
        around = text[max(left, m.start() - 40):min(right, m.end() + 28)]
        rest = text[m.end():right]
        effect = _effect(sentence)
        if effect is None:
            # the next sentence of the line ("After webui update, gpu is not used anymore."; "... update. Now it runs on the CPU")
            nxt = text[right:right + 200]
            effect = _effect(nxt) if not _REMEDY.search(nxt[:120]) else None
        if _WORKS.search(rest) or (effect is None and _REMEDY.search(rest[:60])):
            continue  # it works again, or an update tried as a remedy
        if effect is None and rest.strip(" ,.:;`*)") and not re.match(r"\s*(?:to|from)\b", rest, re.I):
            effect = None
            if re.match(r"(?:i|we)\b", m.group(0), re.I):
                continue  # "I updated the drivers, changing backends does not help": a step told, no account of a change
        releases = _RELEASES.search(rest[:80]) or _RELEASES.search(text[max(left, m.start() - 60):m.start()])
        before = releases.group("a") or releases.group("a2") if releases else None
        after = (releases.group("b") or releases.group("b2") or releases.group("b3")) if releases else None
        return UpdateChange(m.group(0).strip(), thing_updated(around), _framework(sentence), before, after, effect or "onset")
    return None
