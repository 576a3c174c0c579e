"""A writer's words that a CUDA toolkit compiler part is absent (accxla, session 27).

XLA (JAX, TensorFlow) compiles its GPU kernels at run time with parts of the CUDA toolkit's compiler component: libdevice
(nvvm/libdevice/libdevice.10.bc), ptxas and nvlink (xla/stream_executor/cuda/subprocess_compilation.cc,
xla/service/gpu/llvm_gpu_backend). People who meet its errors say what they found in many words: "I cannot find ptxas
anywhere in the container", "ptxas is missing from the image", "there is no libdevice in the environment", "the image
doesn't ship ptxas". This reads the statement: the part as the subject or object, a predicate of absence (not found,
missing, not installed, not shipped), asserted (not a question, a condition, advice or hearsay: explain.grammar). What the
statement means is the reading of explain.xlarules (LOG350).
"""

from __future__ import annotations

from whygpu import lazyre as re
from whygpu.explain import grammar

# The toolkit's compiler parts XLA runs or links at run time.
_PART = r"(?P<part>ptxas|libdevice(?:\.10\.bc)?|nvlink|nvvm(?:/libdevice)?)"
_KIND = r"(?:\s+(?:binary|binaries|executable|file|files|directory|folder|library|compiler|tool))?"
_SAID = re.compile(
    # "cannot find ptxas", "couldn't locate libdevice", "unable to find the ptxas binary", "it fails to find nvlink"
    r"\b(?:can(?:no|['’])?t|could\s*n['’]?o?t|unable\s+to|fail(?:s|ed)?\s+to|did\s*n['’]?o?t|does\s*n['’]?o?t)\s+(?:find|locate|see)\s+"
    r"(?:(?:the|any|a|its|cuda['’]?s?|cuda's)\s+){0,2}" + _PART + r"\b"
    # "ptxas is missing", "libdevice was not installed", "the ptxas binary isn't there", "nvlink seems to be absent"
    r"|\b" + _PART.replace("part", "part2") + _KIND + r"\s+(?:is|was|are|were|seems\s+to\s+be|appears\s+to\s+be|is\s+still)\s+"
    r"(?:(?:completely|simply|also|just)\s+)?(?:missing|absent|gone|removed|not\s+(?:installed|present|there|included|shipped|available|found))\b"
    r"|\b" + _PART.replace("part", "part3") + _KIND + r"\s+(?:isn['’]?t|wasn['’]?t|aren['’]?t)\s+(?:installed|present|there|included|shipped|available|found)\b"
    # "no ptxas anywhere in the container", "there is no libdevice in the image", "no ptxas binary on the PATH"
    r"|\bno\s+" + _PART.replace("part", "part4") + _KIND + r"\s+(?:anywhere|(?:in|inside|on|within)\s+(?:the\s+|my\s+|this\s+|our\s+)?"
    r"(?:container|image|docker|environment|env|conda|venv|path|\$path|system|machine|filesystem|file\s+system))"
    # "the image doesn't include ptxas", "the container does not ship libdevice"
    r"|\b(?:does\s*n['’]?o?t|did\s*n['’]?o?t|no\s+longer)\s+(?:include|contain|ship|have|come\s+with|provide)s?\s+(?:(?:the|any|a|its)\s+)?"
    + _PART.replace("part", "part5") + r"\b",
    re.I,
)
# Quick test before the expression: a line without these words cannot hold the statement.
HINT = re.compile(r"ptxas|libdevice|nvlink|nvvm", re.I)


def tool_missing_said(text: str) -> str | None:
    """The compiler part ("ptxas", "libdevice", "nvlink") a line says is absent, lower case; None when it says nothing of
    the kind or does not assert it (a question, a condition, advice, hearsay)."""
    if len(text) > 2000 or HINT.search(text) is None or grammar.program_line(text):
        return None  # a program's own line (XLA's "Can't find ptxas binary in ${CUDA_DIR}/bin") is its signature's to read
    for m in _SAID.finditer(text):
        part = next(g for g in m.groups() if g)
        if not grammar.said(text, m.start(), m.end(), quotes=True):
            continue
        low = part.lower()
        return "libdevice" if low.startswith(("libdevice", "nvvm")) else low
    return None
