"""A writer's words that no CUDA toolkit or CUDA libraries are installed on the machine (acclibs, session 29).

A program that cannot load ``libcudart.so.11.0`` or ``cublas64_12.dll`` leaves three readings open: the library is not
installed at all (CUDA_LIBS_MISSING), installed where the loader does not look (CUDA_LIBS_NOT_ON_PATH), or installed in
another release (CUDA_LIBS_MISMATCH). The line cannot tell them apart; a writer who says no CUDA is installed can: "I have
not installed CUDA", "the CUDA toolkit is not installed", "there is no CUDA installed on this machine", "pip did not install
the CUDA runtime DLLs", "CUDA isn't installed". This reads that statement: CUDA (the toolkit, its runtime or libraries) as
the object of a negated install, or as the subject of a predicate of absence, asserted (not a question, a condition, advice,
hearsay, a quoted message or a state the writer says is over: explain.grammar).

Not read: cuDNN alone (its own family), a named release said absent beside another ("CUDA 11.8 is not installed, only
12.1": the release installed decides first, knowledge.libraries), "without CUDA" (PyTorch's wheels run without a system
CUDA, so the words often describe what works), and a program's own line (onnxruntime's "Please ... make sure CUDA is
installed" is its advice, not the machine's state).
"""

from __future__ import annotations

import re

from whygpu.explain import grammar

# CUDA as what is installed: the toolkit, its runtime or its libraries ("the required CUDA/cuDNN runtime DLLs").
_CUDA = (r"(?:(?:the|any|a|an|nvidia(?:'s)?|required|needed|necessary|separate|system|standalone)\s+){0,3}"
         r"cuda(?:[\s_-]*(?:toolkit|tool\s*kit|runtime|libraries|libs|dlls?|sdk))?(?:\s*(?:/|and|&|\+)\s*cudnn)?"
         r"(?:\s+(?:toolkit|runtime|libraries|libs|dlls?|sdk|packages?))*")
_SAID = re.compile(
    # "I have not installed CUDA", "we didn't install the CUDA toolkit", "pip did not install the required CUDA runtime DLLs"
    r"\b(?:have\s*n['’]?o?t|has\s*n['’]?o?t|had\s*n['’]?o?t|did\s*n['’]?o?t|does\s*n['’]?o?t|never)\s+(?:yet\s+|even\s+|ever\s+)?"
    r"install(?:ed)?\s+(?P<a>" + _CUDA + r")(?![\w.])(?!\s*\d)"
    # "CUDA is not installed", "the CUDA toolkit isn't installed", "CUDA was never installed", "cuda toolkit is missing"
    r"|(?<![\w-])(?P<b>" + _CUDA + r")\s+(?:is|was|are|were|seems\s+to\s+be|appears\s+to\s+be)\s+(?:(?:also|simply|still|just)\s+)?"
    r"(?:not\s+(?:installed|present|there)|never\s+installed|missing|absent)\b"
    r"|(?<![\w-])(?P<c>" + _CUDA + r")\s+(?:isn['’]?t|wasn['’]?t|aren['’]?t|weren['’]?t)\s+(?:installed|present|there)\b"
    # "there is no CUDA installed", "no CUDA toolkit is installed on the machine", "no cuda installed"
    r"|\bno\s+(?P<d>" + _CUDA + r")\s+(?:(?:is|was|are|were)\s+)?installed\b"
    # "CUDA: not installed", "CUDA toolkit - not installed" (an environment list; not nvidia-smi's "CUDA Version: N/A", the
    # driver's field, nor "N/A", which also means not applicable)
    r"|^\W*(?P<e>cuda(?:[\s_-]*toolkit)?)\s*[:=-]\s*(?:not\s+installed|none)\s*$",
    re.I,
)
# Quick test before the expression: a line without these words cannot hold the statement.
HINT = re.compile(r"cuda", re.I)
_ABSENCE = re.compile(r"not|n['’]t|never|missing|absent|\bno\b|none|n/?a", re.I)
# "not installed properly", "not installed correctly": installed, badly (another statement).
_HOW = re.compile(r"\s+(?:properly|correctly|right|successfully|completely|fully)\b", re.I)
# The writer installed it afterwards ("CUDA was not installed, so I installed it, and it still fails"): no longer absent.
_INSTALLED_AFTER = re.compile(r"\b(?:i|we)\s+(?:have\s+|then\s+|later\s+|also\s+)?(?:re)?install(?:ed)?\s+(?:it|them|cuda|the\s+(?:cuda|toolkit))"
                              r"|\bafter\s+(?:re)?installing\b", re.I)


def cuda_absent_said(text: str) -> str | None:
    """The words of a line that say no CUDA toolkit or CUDA libraries are installed; None when it says nothing of the kind,
    names a release (a version's absence is another statement), or does not assert it (a question, a condition, advice,
    hearsay, a quoted message, a state over)."""
    if len(text) > 2000 or HINT.search(text) is None or _ABSENCE.search(text) is None or grammar.program_line(text):
        return None
    for m in _SAID.finditer(text):
        if re.match(r"\s*(?:v(?:ersion)?\s*)?\d", text[m.end():]) or re.search(r"\d\s*$", m.group(0)):
            continue  # "CUDA 11.8 is not installed": a release's absence, read against the releases installed
        if re.search(r"\bif\b|\bwhether\b|\bunless\b|\bin\s+case\b", text[max(0, m.start() - 40):m.start()], re.I):
            continue  # "if CUDA is not installed, ...": a condition
        if _HOW.match(text, m.end()) or _INSTALLED_AFTER.search(text, m.end()):
            continue
        if not grammar.said(text, m.start(), m.end(), quotes=True):
            continue
        return m.group(0).strip()
    return None
