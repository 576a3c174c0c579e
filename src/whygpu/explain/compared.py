"""A comparison the writer ran on both devices (accprec, session 21): the CPU run it names is not the GPU going unused.

A reporter whose GPU works often compares it with the CPU: "the results computed on CPU and GPU do not
match", "training runs normally on CPU ... the problem only appears when training on GPU", "NaN on GPU but
not on CPU". The words that name the CPU run ("runs on CPU", "computed on CPU") are the same words a
reporter uses when the GPU went unused, but here the same sentence (or the next one on the line) places a
run, a result or the problem ON the GPU as a fact: both devices ran, the comparison is the report. A run
merely wished for, negated or replaced ("instead of the GPU", "not on the GPU", "should run on the GPU",
"the GPU is not used") places nothing on the GPU.

``gpu_side_ran(text)`` is the one question: does ``text`` assert a run, result or problem on the GPU as
one side of a comparison with the CPU?  It is asked only of a line already read as "the GPU unused"
(explain.logfacts), so that line's CPU words are read as the comparison's other side.
"""

from __future__ import annotations

from whygpu import lazyre as re

__all__ = ["gpu_side_ran"]

_GPU = r"(?:GPUs?|cuda(?::\d)?|CUDA)"
_CPU = r"CPUs?"
# Both devices joined as the places of one run or result: "computed on CPU and GPU", "between CPU and GPU",
# "CPU vs GPU", "on GPU and on CPU". The GPU may not be the subject of a new clause that follows ("runs on
# CPU and GPU is not used": "GPU is ..." starts a second statement about the GPU, read by itself).
_BOTH = re.compile(
    rf"\b(?:on|between|in|with|across)\s+(?:the\s+)?(?:{_CPU}|{_GPU})\s+(?:and|&|vs\.?|versus|or)\s+(?:on\s+|the\s+)*(?:{_CPU}|{_GPU})\b"
    rf"(?!\s*(?:(?:is|was|are|were|does|did|do)(?:n'?t|\s+not|\s+never)|can'?t|cannot|won'?t|not|never|still)\b(?!\s*(?:equal|the\s+same|identical|close|match|consistent)\b))"
    rf"|\b(?:{_CPU}\s*(?:vs\.?|versus|/)\s*{_GPU}|{_GPU}\s*(?:vs\.?|versus|/)\s*{_CPU})\b",
    re.I,
)
# The problem (or a result) placed on the GPU as a fact: "the problem only appears when training on GPU",
# "loss becomes NaN on the GPU", "the GPU results differ", "NaN only with cuda".
_PROBLEM = r"(?:problem|issue|error|bug|nan|nans|inf|difference|discrepanc(?:y|ies)|mismatch|crash|divergence)"
_RUN = r"(?:training|running|computing|evaluating|inferring|inference|predicting|executing|testing|trained|run|ran|computed|executed)"
_ON_GPU = re.compile(
    rf"\b{_PROBLEM}s?\b[^.;!?\n]{{0,40}}?\b(?:appears?|appeared|occurs?|occurred|happens?|happened|shows?\s+up|showed\s+up|arises?|arose|exists?|comes?|came)\b"
    rf"[^.;!?\n]{{0,30}}?\b(?:on|with|using)\s+(?:the\s+)?{_GPU}\b"
    rf"|\b(?:loss|losses|outputs?|results?|values?|predictions?|gradients?)\b[^.;!?\n]{{0,25}}?\b(?:become|becomes|became|is|are|was|were|goes|went|turns?|turned)\s+(?:\w+\s+){{0,2}}?(?:nan|inf|wrong|different|incorrect|garbage)\b[^.;!?\n]{{0,30}}?\b(?:on|with|using)\s+(?:the\s+)?{_GPU}\b"
    rf"|\b{_GPU}\s+(?:results?|outputs?|values?|predictions?|computations?)\b(?!\s+(?:is|are|was|were)\s+(?:not|never)\b)"
    rf"|\b(?:only|just)\s+(?:when|while|if)\s+{_RUN}\s+(?:\w+\s+){{0,2}}?(?:on|with|using)\s+(?:the\s+)?{_GPU}\b",
    re.I,
)
# The other half of a contrast placed on the GPU: "works on CPU but crashes on GPU", "the one trained on GPU only reaches
# 60%", "runs fine on CPU; on GPU I get RuntimeError: CUDA error ...", a next sentence opening "On GPU ...". The GPU named there is where something ran, not
# one of its measures ("but with GPU memory full", "while GPU usage is 0%": read by the utilisation readers).
_CONTRAST = re.compile(
    rf"(?:(?:\bbut|\bwhile|\bwhereas|\byet|\bhowever|;|,)\s+(?:\w+\s+){{0,5}}?|[.!]\s+)(?:on|with|using)\s+(?:the\s+|my\s+)?{_GPU}\b"
    r"(?!\s*(?:memory|usage|utili[sz]ation|util|load|power|fan|temperature|machine|server|driver|installed|available|present|detected|card|idle|0\s*%))",
    re.I,
)
# A clause's negation: a negating word, or a contraction with its apostrophe or written whole (not a word that merely ends
# in -nt: "it went fine on GPU", "the current loss").
_NEGATED = re.compile(r"\b(?:not|no|nothing|never|none|nobody)\b|n['’]t\b"
                      r"|\b(?:didnt|doesnt|dont|isnt|wasnt|werent|arent|cant|wont|couldnt|hasnt|havent)\b", re.I)
# The contrast's own verb negated ("but it did not run on GPU"), with the apostrophe or a whole contracted word (not a word
# that merely ends in -nt: "current metric is on GPU").
_NEGATED_RUN = re.compile(r"\b(?:not|never)\b|n['’]t\b|\b(?:didnt|doesnt|dont|isnt|wasnt|cant|wont|couldnt)\b", re.I)
# A run placed on the CPU (the half the contrast sets the GPU half against).
_CPU_RUN = re.compile(rf"\b(?:on|with|using)\s+(?:the\s+|my\s+)?{_CPU}\b|\bdevice\s*=\s*['\"]?cpu\b", re.I)
# Words that take the GPU side away: a wish, a negation or a replacement of the GPU run.
_NOT_RAN = re.compile(
    rf"\b(?:instead\s+of|rather\s+than|not\s+on|not\s+the|not|never\s+on|without\s+(?:the\s+|a\s+|any\s+)?)\s*(?:the\s+)?{_GPU}\b"
    rf"|\b(?:would|could|might|should|will)\s+(?:\w+\s+){{0,4}}?(?:on|with|using)\s+(?:the\s+|my\s+)?{_GPU}\b"
    rf"|\b(?:on|with|using)\s+(?:the\s+|a\s+|my\s+)?{_GPU}\b[^.;!?\n]{{0,25}}\b(?:would|could|might|should)\b"
    rf"|\b(?:should|want|wanted|would\s+like|expect(?:ed)?|supposed|trying|tried|need|needs)\s+(?:\w+\s+){{0,4}}?(?:on|to\s+use|using|with)\s+(?:the\s+|my\s+)?{_GPU}\b"
    rf"|\b{_GPU}\s+(?:(?:is|was|are|were)(?:n'?t|\s+not|\s+never)|(?:does|did|do)(?:n'?t|\s+not))\b(?!\s*(?:equal|the\s+same|identical|close|match|agree|consistent)\b)",
    re.I,
)


def gpu_side_ran(text: str) -> bool:
    """Whether ``text`` asserts a run, a result or the problem on the GPU beside the CPU (a comparison of two runs, both made)."""
    low = text.lower()
    if "cpu" not in low or not ("gpu" in low or "cuda" in low):
        return False
    if _NOT_RAN.search(text):
        return False
    if _BOTH.search(text) or _ON_GPU.search(text):
        return True
    if not _CPU_RUN.search(text):
        return False
    # The GPU half of a contrast says the GPU ran only where its own clause negates nothing ("with the GPU nothing
    # happens", "on GPU it is not used" are the GPU unused said again).
    # accquiet (session 36): nor where the contrast's own words negate the GPU run ("but it did not run on GPU. It just run on
    # CPU": the GPU unused said twice, not a second run).
    return any(not _NEGATED.search(_clause_after(text, m.end())) and not _NEGATED_RUN.search(m.group(0)) for m in _CONTRAST.finditer(text))


def _clause_after(text: str, start: int) -> str:
    """The words of ``text`` from ``start`` to the end of their sentence."""
    end = re.search(r"[.;!?\n]", text[start:])
    return text[start:start + end.start()] if end else text[start:]
