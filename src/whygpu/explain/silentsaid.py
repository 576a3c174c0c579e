"""accsilent (session 39): more of the writer's words that the GPU went unused, which the phrases and the grammar of
``explain.statements`` did not read, so that a short report ("Jan decides to use CPU mode", "it doesnt seem to leverage
the GPU", "only CPU were used", "It works just by using cpu") is not met with silence: read as the GPU unused, LOG104's
ranking for the framework and platform answers with what would decide.

Three meanings, each said as a fact (``statements.asserted``: not asked, supposed, advised, hedged or denied):

- the program chose the CPU: a verb of choosing whose subject is the program, not the writer ("Jan decides to use CPU
  mode", "the app chooses to run on the CPU", "it insists on using the CPU"); "I decided to use CPU mode" is the writer's
  own choice (a run made on purpose), not the GPU left unused;
- the GPU not leveraged or utilised by the program, with a verb of use the phrases do not list ("doesnt seem to leverage
  the GPU", "is not utilizing my GPU", "does not make use of the GPU");
- the CPU alone used or working, or the run done with it: "only CPU were used", "it run training loop with cpu", "it only works on the CPU", "It works just by using cpu"; not "it
  works fine on the CPU" (a CPU run that goes well says nothing of the GPU), nor a step that runs on the CPU by design
  ("only the CPU is used for preprocessing");
- the GPU named by its model as the object of a negated verb of use or sight ("I can't get it to use my RTX 3060");
- the GPU ignored by the program, in the active voice ("it uses 100% CPU and seems to ignore the GPU"; accsilent40).

English only; every reading is gated by a cheap substring test, and only a line that holds "cpu" or "gpu" is tried.
"""

from __future__ import annotations

import re

# The subject of the choosing verb is the program: not the writer ("I", "we") nor a reader ("you").
_PERSONAL_BEFORE = re.compile(r"\b(?:i|we|you|i['’]ve|we['’]ve)\s+(?:(?:just|then|also|finally|have|had|already|simply)\s+)*$", re.I)
_CHOSE_CPU = re.compile(
    r"\b(?:decides|decided|chooses|chose|opts|opted|insists|insisted|prefers|preferred|elects|elected)\s+"
    r"(?:on\s+|to\s+)(?:use|using|run|running|go|going|fall\s+back|switch|switching)\s+(?:to\s+|on\s+|in\s+|with\s+)?(?:the\s+)?cpu\b(?:\s+mode)?",
    re.I)
_NOT_LEVERAGED = re.compile(
    r"\b(?:doesn['’]?t|does\s+not|didn['’]?t|did\s+not|isn['’]?t|is\s+not|wasn['’]?t|was\s+not|won['’]?t|not)\s+"
    r"(?:(?:seem|appear)\s+to\s+(?:be\s+)?)?(?:leverag(?:e|es|ing)|utili[sz](?:e|es|ing)|mak(?:e|es|ing)\s+use\s+of|tak(?:e|es|ing)\s+advantage\s+of|touch(?:es|ing)?)\s+"
    r"(?:the\s+|my\s+|any\s+|our\s+)?(?:nvidia\s+)?gpus?\b(?![-_ ]?(?:'?s\s+)?(?:fully|100|memory|usage|utili|more|enough|efficient|effective|at\s+full|to\s+(?:its|the)\s+full))",
    re.I)
_CPU_ALONE = re.compile(
    r"\bonly\s+(?:the\s+)?cpus?\s+(?:were|was|are|is|got|gets)\s+(?:being\s+)?(?:used|utili[sz]ed|working|busy)\b"
    # Not a step that runs on the CPU by design ("only the CPU is used for preprocessing").
    r"(?!\s+(?:for|during|in|while|when)\s+(?:the\s+)?(?:pre|post|data|load|decod|augment|token|read|writ|sav|export|convert|compil|install|build))"
    # The run done with the CPU ("it run training loop with cpu", "training runs with only the CPU").
    r"|\b(?:runs?|ran|running|trains?|trained|training|executes?|executed|starts?|started)\s+(?:[\w-]+\s+){0,3}?with\s+(?:only\s+)?(?:the\s+)?cpus?\b(?!\s*(?:and|&|/|\+|or|,)\s*(?:the\s+)?(?:gpus?|cuda))"
    r"|\b(?:only\s+works?|works?\s+only|works?\s+just)\s+(?:by\s+using|using|with|on|in)\s+(?:the\s+)?cpu\b(?:\s+mode)?",
    re.I)

# The GPU named by its model as the object of a negated verb of use or sight ("I can't get it to use my RTX 3060", "it
# doesn't detect my GTX 1080"): the phrases read only "the GPU" there.
_MODEL_UNUSED = re.compile(
    r"\b(?:can['’]?t|cannot|can\s+not|couldn['’]?t|could\s+not|unable\s+to|doesn['’]?t|does\s+not|didn['’]?t|did\s+not|won['’]?t|isn['’]?t|is\s+not|not)\s+"
    r"(?:(?:seem|appear)\s+to\s+)?(?:get\s+(?:it|this|\w+)\s+to\s+)?(?:use|using|detect|detecting|see|seeing|recogni[sz]e|recogni[sz]ing|find|finding|run\s+on)\s+"
    r"(?:the\s+|my\s+|our\s+)?(?:nvidia\s+)?(?:geforce\s+)?(?:rtx|gtx|quadro|tesla|titan)\s*-?\s*[a-z]?\d{3,4}\b",
    re.I)


# accsilent40 (session 40): the GPU ignored, in the active voice, by a subject that is not the writer ("it uses 100% CPU
# and seems to ignore the GPU", "the program ignores my GPU"; the passive "the GPU is ignored" is statements'). Not a
# message or a setting ignored ("ignores the GPU warning", "ignored the gpu flag"), nor the writer's own act ("I ignored
# the GPU"), nor a plain infinitive ("you can ignore the GPU", a question "does it ignore the GPU?": ``asserted``).
_IGNORES_GPU = re.compile(
    r"\b(?:ignores|ignored|(?:seems?|seemed|appears?|appeared)\s+to\s+(?:be\s+)?ignor(?:e|ing)|(?:keeps?|kept)\s+ignoring|"
    r"(?:is|was|are|were)\s+(?:just\s+|simply\s+|completely\s+|totally\s+)?ignoring)\s+"
    r"(?:the\s+|my\s+|our\s+|any\s+|all\s+|its\s+)?(?:nvidia\s+)?(?:dedicated\s+|discrete\s+)?gpus?\b"
    r"(?![-_ ]?(?:'?s\s+)?(?:warnings?|messages?|errors?|checks?|flags?|options?|settings?|arguments?|args?|params?|parameters?|tests?|"
    r"config\w*|requests?|ids?|index|selection|memory|temps?|fan)\b)",
    re.I)


def unused_said(text: str) -> re.Match[str] | None:
    """The first of these words in ``text`` that say the GPU went unused, said as a fact, or None."""
    low = text.lower()
    if "cpu" not in low and "gpu" not in low and "rtx" not in low and "gtx" not in low and "quadro" not in low and "tesla" not in low and "titan" not in low:
        return None
    from whygpu.explain import grammar
    from whygpu.explain.statements import MAX_LINE, asserted

    text = text[:MAX_LINE]
    if grammar.program_line(text):
        return None
    for rx, needle in ((_CHOSE_CPU, "cpu"), (_NOT_LEVERAGED, "gpu"), (_CPU_ALONE, "cpu"), (_MODEL_UNUSED, ""), (_IGNORES_GPU, "ignor")):
        if needle not in low:
            continue
        for m in rx.finditer(text):
            if rx is _CHOSE_CPU or rx is _IGNORES_GPU:
                left, _ = grammar.sentence_at(text, m.start(), m.end())
                if _PERSONAL_BEFORE.search(text, left, m.start()):
                    continue
            if asserted(text, m.start(), m.end()):
                return m
    return None
