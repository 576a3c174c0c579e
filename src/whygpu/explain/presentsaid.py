"""A writer's words that the CUDA or cuDNN library a program cannot find is there all the same (acconpath, session 38).

A program that cannot load ``libcudnn.so.9`` or ``cudnn64_8.dll`` leaves three readings open: not installed
(CUDA_LIBS_MISSING / CUDNN_MISSING), installed in another version (..._MISMATCH) or installed where the loader does not
look (CUDA_LIBS_NOT_ON_PATH). The mirror of ``explain.cudasaid`` (the writer saying none is installed): a writer who
sets the library's presence against the failure has said which reading is theirs:

- "even though I've properly installed them all", "this happens even when the appropriate version of cuDNN (installed via
  PyPI, i.e., nvidia-cudnn-cu12) is already present", "although cudnn64_8.dll is there" (a concession: the library is
  there, and the program still does not find it);
- "I put `cudnn64_7.dll` into the `cudnn_data` folder, yet it still says it's not found" (the file placed, the failure
  after it).

Not read: the library said absent ("even though cuDNN is not installed"), a question, a condition, advice or hearsay
(explain.grammar), a program's own line, and a sentence that also says the search path is already set ("although the file
is there and LD_LIBRARY_PATH is correctly set"): the writer then says both halves of NOT_ON_PATH are not the case, and the
likelier reading left is another version (holdout4 visual-behavior-detr-tensorflow-8: libcusolver.so.10 wanted, CUDA 11.2's
.so.11 there). The words are read, not verified: a writer may hold another version than the one the program asks for,
which is why the decision keeps the mismatch as the next reading (knowledge.libraries.library_failure_cause).
"""

from __future__ import annotations

from whygpu import lazyre as re
from whygpu.explain import grammar

__all__ = ["HINT", "LIB_HINT", "library_present_said", "locate_fix"]

# The library the writer speaks of: a CUDA or cuDNN library by name or file, a pip wheel of NVIDIA's, or the files/DLLs
# of one (the sentence must name such a library somewhere: "even though I installed them all" of "the CUDnn files").
_LIB_NAMED = (r"(?:cudnn\w*|cublas\w*|cusolver\w*|cusparse\w*|cufft\w*|curand\w*|nvrtc\w*|libcudart\S*|cudart\w*"
              r"|cuda\s+(?:runtime|librar(?:y|ies)|dlls?|libs?|toolkit)|nvidia-[\w-]+-cu1\d"
              r"|[\w.-]*(?:cud|cublas|cusolver|cusparse|cufft|curand|nvrtc)[\w.-]*\.(?:so(?:\.\d+)*|dll))")
_LIB_WORD = re.compile(_LIB_NAMED, re.I)

# A concession that sets presence against the failure.
_CONCESSION = r"(?:even\s+(?:though|when|if)|although|though|despite)"
# The library's presence: installed, present, there, placed somewhere.
_PRESENT = (r"(?:(?:is|are|was|were|'s|'re)\s+(?:(?:already|definitely|clearly|actually|properly|correctly|all|also|really)\s+)*"
            r"(?:installed|present|there|available|in\s+(?:the|that|this)\s+(?:same\s+)?(?:folder|directory|dir))\b"
            r"|exists?\b"
            r"|(?:i|we)\s*(?:'ve|have|had)?\s+(?:(?:already|properly|correctly|also|successfully)\s+)*"
            r"(?:installed|put|copied|placed|downloaded)\b)")
_SAID = re.compile(
    # "even though I've properly installed them all", "even when ... cuDNN (installed via PyPI) is already present"
    r"\b" + _CONCESSION + r"\b(?P<a>(?:[^.!?;\n]|\.(?!\s)){0,90}?)" + _PRESENT + r"(?P<a2>[^.!?;\n]{0,40})"
    # "I put `cudnn64_7.dll` into the `cudnn_data` folder, yet it still says it's not found"
    r"|\b(?:i|we)\s*(?:'ve|have|had)?\s+(?:(?:already|also)\s+)*(?:installed|put|copied|placed)\s+(?:the\s+)?`?(?P<b>" + _LIB_NAMED
    + r")`?(?:[^.!?;\n]|\.(?!\s)){0,80}?\b(?:yet|but|still)\b[^.!?;\n]{0,40}?(?:not\s+(?:be\s+)?found|can(?:'|no)?t\s+(?:find|load|locate|open)"
    r"|could\s*(?:n't|not)\s+(?:find|load|locate|open)|unable\s+to\s+(?:find|load|locate|open))",
    re.I,
)
# Quick test before the expression: a line without these words cannot hold the statement.
HINT = ("though", "even when", "even if", "despite", "yet", "still")
# ... and one of these (lower case) for the library: each name of _LIB_NAMED holds one.
LIB_HINT = ("cud", "cublas", "cusolver", "cusparse", "cufft", "curand", "nvrtc", "nvidia-")
_NEGATED = re.compile(r"\b(?:not|never|no)\b|n['’]t\b", re.I)
# The search path said set in the same sentence: both halves of the reading denied.
_PATH_SET = re.compile(r"\b(?:LD_LIBRARY_PATH|%?PATH%?|environment\s+variables?|env\s+vars?)\b[^.!?;\n]{0,40}?\b(?:is|are|was|were|'s)?\s*"
                       r"(?:correctly\s+|properly\s+|already\s+)*(?:set|correct|right|includes?|contains?|points?)\b"
                       r"|\bset\s+(?:the\s+|my\s+)?(?:LD_LIBRARY_PATH|PATH|environment\s+variables?)\b", re.I)


def library_present_said(text: str) -> str | None:
    """The words of a line in which the writer says the CUDA or cuDNN library the program cannot find is there all the same
    (a concession, or the file placed and the failure after it); None when the line says nothing of the kind, says it
    absent, does not assert it (a question, a condition, advice, hearsay, a quoted message) or also says the search path
    is already set."""
    if len(text) > 2000 or grammar.program_line(text):
        return None
    low = text.lower()
    if not any(h in low for h in HINT) or not any(h in low for h in LIB_HINT):
        return None
    for m in _SAID.finditer(text):
        left, right = grammar.sentence_at(text, m.start(), m.end())
        sentence = text[left:right]
        if _LIB_WORD.search(sentence) is None:
            continue  # "even though I installed it": no CUDA or cuDNN library named in the sentence
        if m.group("b") is None:
            middle = m.group("a") or ""
            if _NEGATED.search(middle) or _NEGATED.match((m.group("a2") or "").lstrip()):
                continue  # "even though cuDNN is not installed"
        if _PATH_SET.search(sentence):
            continue  # "although the file is there and LD_LIBRARY_PATH is correctly set"
        if not grammar.said(text, m.start(), m.end(), quotes=True):
            continue
        return m.group(0).strip()
    return None


def locate_fix(named: str) -> str:
    """The fix where the writer says the library ``named`` (a file name, or words for it) is there: find it, put its directory
    where the loader looks (Windows: PATH or beside the program; elsewhere LD_LIBRARY_PATH), and the check for a copy of
    another version."""
    if named.lower().endswith(".dll"):
        find = f"Find where {named} is (`where /r C:\\ {named}` in a Command Prompt) and put that folder on PATH, or copy the DLL beside the program's executable,"
    elif ".so" in named:
        find = f"Find where {named} is (`find / -name '{named}*' 2>/dev/null`) and put that directory on LD_LIBRARY_PATH (or register it with ldconfig)"
    else:
        find = "Find where the library is and put that directory on LD_LIBRARY_PATH (Windows: PATH, or beside the program's executable)"
    return (f"{find} where the program starts; if the copy found is of another version than the one the program names, install "
            "the one named instead.")
