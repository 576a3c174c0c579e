"""The GPU the writer says they have, in any form they write it (accprose, session 35).

A reader only: it finds the NVIDIA GPU model a writer names as the one they run on ("my 5070ti machine", "my 3090", "I
deploy it on an RTX 4060 laptop", "with two 2080Ti", "running on an H100 node", "a Tesla K80 on Colab") and gives it, with
the words and the form that made it theirs, as the log's ``gpu_model`` fact: the one GPU fact every reader that judges a
GPU against a build, a driver or a feature takes (``explain.rules._gpu_capability``: LOG110, LOG231-LOG234, LOG435,
LOG540-LOG542). What the name means (its model, its compute capability, a laptop or Ti board's family) is the knowledge
layer's (``knowledge.gpus.gpu_named_by_writer``); a device line or nvidia-smi's table, read first, outranks it.

Counted only where the writer asserts it of now (``explain.grammar.said``): not a question, a plan or a wish ("I'm thinking
of buying a 4090", "should I get a 5090?"), a comparison ("faster than my 3090", "unlike the A100"), a board that is over or
another one ("my old 1080", "it used to work on my 2080 Ti", "my other machine has a 3090"). Where the writer names two
GPUs of different compute capabilities as theirs and nothing says which one ran, none is given: an older GPU named beside
a newer one is not read as the one in use without evidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from whygpu import lazyre as re
from whygpu.explain import grammar

__all__ = ["GpuSaid", "one_capability", "writer_gpu", "writer_gpus"]

_MAX_LINE = 2000


@dataclass(frozen=True)
class GpuSaid:
    """One GPU the writer names as theirs: its 1-based line, the table's model name, its compute capability, the form of the words."""

    line: int
    model: str
    compute_capability: str | None
    form: str  # "possessive" ("my 3090") | "on" ("on an H100 node") | "have" ("I have two 2080Ti")
    text: str


# Cheap test before the patterns: a digit and a word that can open the writer's GPU.
_GATE = re.compile(r"\b(?:my|our|on|with|using|have|has|got|use|run|running)\b", re.I)
# The writer's possessive before the name ("my 5070ti machine", "our new H100 node", "my own RTX 4060 laptop").
_POSSESSIVE = re.compile(r"\b(?:my|our)\s+(?:(?:new|current|own|brand[- ]new|nvidia|geforce|single|only)\s+){0,2}(?=(?:[a-z]+\s+){0,2}[\w-]*\d)", re.I)
# A machine, card or node named by its GPU after "on", "with", "using" ("on an H100 node", "with two 2080Ti", "using a Tesla
# K80 on Colab"), and the writer's "I have / we got / the server has" before it.
_ON = re.compile(r"\b(?:(?:run(?:ning)?|train(?:ing)?|deploy(?:ing)?|work(?:ing)?|test(?:ing)?|it)\s+)?(?:on|with|using)\s+(?:an?|one|two|three|four|eight|2|4|8|dual|\d\s*x)\s+(?=(?:[a-z]+\s+){0,2}[\w-]*\d)", re.I)
_HAVE = re.compile(r"\b(?:(?:i|we)\s+(?:also\s+|only\s+|just\s+)?(?:have|own|got|use)|(?:server|machine|node|workstation|pc|laptop|box|instance)\s+has)\s+(?:an?\s+|one\s+|two\s+|2\s+|4\s+|8\s+|dual\s+)?(?=(?:[a-z]+\s+){0,2}[\w-]*\d)", re.I)
# The machine or card noun that makes a number after "on a" a GPU's ("on a 3090 machine").
_GPU_NOUN = re.compile(r"\s*(?:ti\b|super\b)?\s*(?:gpus?|cards?|graphics|machines?|nodes?|laptops?|servers?|workstations?|pcs?|rigs?|boxe?s?|systems?|instances?)\b", re.I)
# Words before the name in its clause that make it no GPU the writer runs on now: a plan, a wish, a comparison, another or
# an earlier board.
_NOT_NOW_BEFORE = re.compile(r"\b(?:buy|buying|bought\s+(?:a\s+)?new|purchas\w*|order\w*|plan\w*|thinking|consider\w*|wish\w*|hop(?:e|ing)|want\w*|upgrad\w*|switch\w*|mov(?:e|ing)\s+to"
                             r"|instead|compar\w*|vs\.?|versus|than|like|such\s+as|e\.g\.|unlike|rather|except"
                             r"|old|older|previous\w*|former\w*|other|another|second|last|used\s+to|before|earlier|friend'?s?|colleague'?s?)\b", re.I)
# Words after the name that make it a comparison or a board that is over ("my 3090 was faster", "a 1080 or a 2080").
_NOT_NOW_AFTER = re.compile(r"\s*(?:ti\b|super\b)?\s*(?:\w+\s+){0,2}?(?:vs\.?|versus|or|than|instead|before|previously|used\s+to|worked|was\s+fine|works?\s+fine)\b", re.I)


# Words that end the name in the window after the opening words.
_NAME_ENDS = frozenset({"and", "or", "with", "on", "in", "for", "but", "vs", "than", "from", "to", "at", "which", "that", "is", "was", "&"})


def _clause_before(text: str, start: int) -> str:
    """The words of the clause before ``start`` (back to a comma, semicolon, colon, parenthesis or the sentence's start)."""
    left, _right = grammar.sentence_at(text, start, start)
    clause = text[left:start]
    cut = max(clause.rfind(","), clause.rfind(";"), clause.rfind(":"), clause.rfind("("), clause.rfind(" but "), clause.rfind(" and "))
    return clause[cut + 1:] if cut >= 0 else clause


def _one_line(text: str, number: int) -> Iterable[GpuSaid]:
    from whygpu.knowledge.gpus import gpu_named_by_writer

    for form, pattern in (("possessive", _POSSESSIVE), ("on", _ON), ("have", _HAVE)):
        for m in pattern.finditer(text):
            words: list[str] = []
            for word in re.sub(r"\d+(?:\.\d+)+", " ", text[m.end():m.end() + 60]).split()[:5]:
                if word.lower().strip(",;:.()") in _NAME_ENDS:
                    break
                words.append(word)
                if word.endswith((",", ";", ".", ")")):
                    break
            window = " ".join(words)
            bare = re.match(r"(?:rtx\s*|gtx\s*)?\d{4}(?:\s?(?:ti|super))?(?!\w|\.\d)", window, re.I) is not None
            # A board written by its number alone is a GPU only after the writer's possessive ("my 3090") or with a machine
            # or card noun after it ("on a 3090 machine"); "with two 1024 batches" names none.
            token = re.match(r"\S+(?:\s?(?:ti|super)\b)?", text[m.end():], re.I)
            board = form == "possessive" or (bare and token is not None and _GPU_NOUN.match(text, m.end() + len(token.group(0))) is not None)
            model = gpu_named_by_writer(window, board_number=board)
            if model is None or model.vendor != "nvidia":
                continue
            first = window.split()[0].lower() if window.split() else ""
            name_words = [w for w in re.findall(r"[a-z0-9]+", model.name.lower()) if w not in ("nvidia", "geforce", "tesla", "quadro")]
            # The name must open the window (its series or number first): "on PyTorch 1.6 and GTX 2080 Ti" names no GPU of "on".
            if not any(first.startswith(w) or w.startswith(re.sub(r"ti$", "", first)) for w in name_words if w) and not (bare and re.sub(r"\D", "", first)[:4] in name_words):
                continue
            if all(w.isdigit() for w in name_words) and model.name.lower() not in window.lower():
                continue  # a number alone the table writes after its brand ("Quadro 410"): no name
            if _NOT_NOW_BEFORE.search(_clause_before(text, m.start()) + " " + m.group(0)):
                continue
            if _NOT_NOW_AFTER.match(text, m.end() + len(window.split()[0])):
                continue
            if form == "possessive":
                # The possessive presupposes the board ("why is it not using my 3090?", "would love to use my 5090"): only a
                # condition or hearsay takes it back.
                left, right = grammar.sentence_at(text, m.start(), m.end())
                if grammar.supposed(text, left, right, m.start(), m.end()) or grammar.hearsay(text, left, right):
                    continue
            elif not grammar.said(text, m.start(), m.end(), quotes=False):
                continue
            yield GpuSaid(number, model.name, model.compute_capability, form, text.strip()[:300])


def writer_gpus(lines: list[str]) -> list[GpuSaid]:
    """Every NVIDIA GPU the writer names as theirs, asserted of now, in the order of the log (one per model)."""
    found: list[GpuSaid] = []
    for number, line in enumerate(lines, start=1):
        text = line[:_MAX_LINE]
        if not re.search(r"\d", text) or _GATE.search(text) is None or grammar.program_line(text):
            continue
        for said in _one_line(text, number):
            if all(s.model != said.model for s in found):
                found.append(said)
    return found


def one_capability(model: str, found: list[GpuSaid]) -> bool:
    """Whether ``model`` (a GPU another reader took as the writer's) has the compute capability of every GPU the writer names
    as theirs: where they name a board of another capability too, nothing decides which one ran."""
    from whygpu.knowledge.gpus import gpu_in_text

    named = gpu_in_text(model)
    cc = named.compute_capability if named is not None else None
    return all(s.compute_capability == cc for s in found)


def writer_gpu(lines: list[str], found: list[GpuSaid] | None = None) -> GpuSaid | None:
    """The one GPU the writer says they run on, or None: none named, or two of different compute capabilities named as
    theirs with nothing to say which one ran (an older board beside a newer one is not read as the one in use)."""
    found = writer_gpus(lines) if found is None else found
    if not found:
        return None
    capabilities = {s.compute_capability for s in found}
    return found[0] if len(capabilities) == 1 else None


# A name in a comparison's second term or a list of boards ("faster than an RTX 4090", "4090 vs 5090", "such as the A100").
_COMPARED_RIGHT_BEFORE = re.compile(r"\b(?:than|vs\.?|versus|like|such\s+as|e\.g\.|unlike|compared\s+(?:to|with)|instead\s+of|rather\s+than)\s+(?:an?\s+|the\s+|my\s+|our\s+)?(?:nvidia\s+|geforce\s+)?$", re.I)
# A plan, a wish or a purchase governing the name in its clause ("I'm thinking of buying an RTX 4090", "planning to upgrade
# to a 5090", "should I get an A100").
_PLAN_BEFORE = re.compile(r"\b(?:buy|buying|purchas\w*|order(?:ing)?|plan(?:ning)?\s+to|thinking\s+(?:of|about)|consider(?:ing)?|wish\w*|hop(?:e|ing)\s+to|upgrad(?:e|ing)\s+to|switch(?:ing)?\s+to|mov(?:e|ing)\s+to|get(?:ting)?\s+(?:an?|the)\s+new)\b", re.I)


def named_not_theirs(text: str, start: int, end: int) -> bool:
    """Whether the words around a GPU name at ``start``..``end`` of a writer's sentence say it is not the board they run on
    now: a plan, a wish or a purchase ("I'm thinking of buying an RTX 4090"), a comparison's other term ("faster than an
    A100"), a question about a board they do not have ("should I get a 5090?"), or a condition ("if I had an H100").
    A name with nothing around it is kept (the reader's own decision)."""
    if grammar.program_line(text):
        return False
    left, right = grammar.sentence_at(text, start, end)
    clause = _clause_before(text, start)
    if _COMPARED_RIGHT_BEFORE.search(text[max(left, start - 40):start]) or _PLAN_BEFORE.search(clause):
        return True
    if re.match(r"\s*(?:\w+\s+){0,1}(?:vs\.?|versus)\b", text[end:right], re.I):
        return True
    return grammar.supposed(text, left, right, start, end) and not re.search(r"\b(?:my|our|i|we)\b", clause, re.I)
