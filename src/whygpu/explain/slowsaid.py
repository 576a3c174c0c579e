"""The writer's words that a run is slow, and the machine's GPUs they name beside it (accenvdump, session 37).

A learner's report often gives no error at all: training "is awfully slow", "has been running for more than 30 minutes",
"takes forever", beside the machine's hardware in prose or a list ("MacBook Pro ... Radeon Pro 560X, Intel UHD Graphics
630"). Where every GPU named is one no CUDA build can use, the slowness is the CPU doing the work
(explain.envdumprules.LOG735). This module reads only the first half: that the run is said to be slow, as what happened
(not asked, supposed, advised or heard), and not negated ("it is not slow").
"""

from __future__ import annotations

from whygpu import lazyre as re
from whygpu.explain import grammar

# Cheap test: a line without one of these words cannot say a run is slow.
NEEDLES = ("slow", "forever", "hour", "minute", "been", "cpu")

_DEGREE = r"(?:very|really|so|awfully|extremely|painfully|incredibly|super|too|quite|pretty|terribly|insanely|unbearably|ridiculously|much)"
_RUN = (r"(?:training|train(?:s|ed)?|fine[-_ ]?tun\w*|epochs?|inference|it|everything|learning|learner"
        r"|the\s+(?:model|run|notebook|code|script|process|example|lesson|fit(?:ting)?))")
_SLOW_RUN = re.compile(
    # "training is awfully slow", "the notebook runs very slowly", "it was slow"
    rf"\b{_RUN}\b[^.;!?\n]{{0,40}}?\b(?:is|was|are|were|runs?|ran|running|goes|went|seems?|feels?|being|getting|got)\s+(?:{_DEGREE}\s+)?(?:slow(?:ly)?|sluggish)\b"
    # "awfully slow", "extremely slow training"
    rf"|\b{_DEGREE}\s+slow(?:ly)?\b"
    # "takes forever", "took ages", "it is running for more than 30 minutes", "training takes hours"
    r"|\b(?:takes?|took|taking|run(?:s|ning)?|ran|train(?:s|ing|ed)?)\s+(?:for\s+)?(?:forever"
    r"|(?:more\s+than\s+|over\s+|about\s+|almost\s+|around\s+|nearly\s+)?(?:an?\s+|\d+\s*|several\s+|many\s+)?(?:hours?|hrs?)\b"
    r"|(?:more\s+than|over|almost|nearly)\s+(?:an?\s+|\d+\s*)(?:minutes?|mins?|hours?|hrs?)\b)"
    # "it has been about 9 hours for the training", "it's been running for 3 hours"
    r"|\b(?:has|have|had|it'?s)\s+been\s+(?:running\s+|training\s+)?(?:for\s+)?(?:about\s+|around\s+|almost\s+|over\s+|more\s+than\s+|nearly\s+)?(?:\d+|several|many)\s*(?:hours?|hrs?|days?)\b"
    # The CPU doing the work while the GPU idles: "the CPUs are fully utilized and the GPU usage remains insignificant",
    # "CPU at 100% and GPU at 0%".
    r"|\bCPUs?\s+(?:(?:are|is|was|were|being|gets?|got)\s+)?(?:fully|completely|heavily)\s+(?:utili[sz]ed|used|loaded|busy)\b"
    r"|\bCPUs?\s+(?:(?:usage|utili[sz]ation|load)\s+)?(?:is\s+|was\s+|goes\s+|went\s+|at\s+|to\s+)+100\s?%",
    re.I,
)


def slow_run(text: str) -> re.Match[str] | None:
    """The words of ``text`` saying that a run is slow or takes very long, or that the CPU is doing the work at full load, said
    as what happened; else None."""
    low = text.lower()
    if not any(n in low for n in NEEDLES):
        return None
    for m in _SLOW_RUN.finditer(text):
        # accjaxgram (session 40): explain.grammar's one decision that the words are said as what happened (not asked,
        # supposed, advised, hearsay, over) and not negated in their clause, in place of this module's own copies.
        left, _right = grammar.sentence_at(text, m.start(), m.end())
        if grammar.negated(text, left, m.start(), m.end()) or not grammar.said(text, m.start(), m.end(), quotes=False):
            continue
        return m
    return None


# A CUDA call's failure in the runtime's own words: PyTorch's THC "cuda runtime error (11) : invalid argument", ATen's
# "CUDA error: invalid argument", the driver API's CUDA_ERROR_INVALID_VALUE, the runtime's cudaErrorInvalidValue.
_CUDA_CALL_FAILED = re.compile(r"\bcuda runtime error \(\d+\)\s*:\s*[a-z][\w ]*|\bCUDA error:\s*[a-z][\w ]*|\bCUDA_ERROR_[A-Z_]+|\bcudaError[A-Z]\w+"
                               # the CUDA libraries' own: "cublas runtime error : the GPU program failed to execute", CUBLAS_STATUS_EXECUTION_FAILED, CUDNN_STATUS_EXECUTION_FAILED
                               r"|\bcublas runtime error\s*:\s*[a-z][\w ]*|\bCUBLAS_STATUS_[A-Z_]+|\bCUDNN_STATUS_[A-Z_]+", re.I)


def cuda_call_failed(text: str) -> str | None:
    """The words of a CUDA call's failure on ``text`` ("cuda runtime error (11) : invalid argument at"), or None."""
    if "error" not in text.lower() and "_STATUS_" not in text:
        return None
    m = _CUDA_CALL_FAILED.search(text)
    return m.group(0).strip() if m else None
