"""Two launchers of one machine: the writer's word that a launcher does not pass a loader variable on (accshellenv, session 36).

A program that loads CUDA's libraries started one way (a terminal, plain python, an activated environment) and not another
(a notebook's kernel, an IDE, IPython through python.app, a hub's spawner) has the libraries installed; what differs is the
environment the second launcher gives it. The contrast itself is explain.works.launch_env_differs (session 26, widened
here); this module reads the other half of the meaning:

- ``var_dropped``: a sentence that names a loader variable of knowledge/launchers.toml ``[[loader_var]]`` (LD_LIBRARY_PATH,
  DYLD_LIBRARY_PATH, CUDA_PATH, ...) and a launcher other than the shell, and says the variable does not reach it: eaten,
  removed, ignored, overridden, not passed, not imported, not carried, does not survive, not seen, "knows no".
- ``cuda_named``: the first CUDA word or CUDA library name of the log (the decision speaks only where CUDA is at stake).
- ``other_interpreter``: the failing side shows a Python module not found at all, or a kernel package missing: the launcher
  runs another interpreter, not the same one with another search path.

knowledge.launchers.launch_env_cause decides; LOG660 (explain/launchenvrules.py) reports.
"""

from __future__ import annotations

from whygpu import lazyre as re
from whygpu.explain import grammar
from whygpu.knowledge.launchers import env_context_named, loader_var_pattern

__all__ = ["CUDA_WORD", "OTHER_INTERPRETER", "cuda_named", "other_interpreter", "prose_line", "var_dropped"]

# Words that say the variable does not reach the launched program.
_DROPPED = re.compile(
    r"\b(?:eat(?:s|ing)?|eaten|remov(?:es|ed|ing)|strip(?:s|ped|ping)?|drop(?:s|ped|ping)?|purg(?:es|ed|ing)|ignor(?:es|ed|ing)"
    r"|overrid(?:es|den|ing)|overwrit(?:es|ten|ing))\b"
    r"|(?:\bnot|\bnever|n['’]t)\s+(?:\w+\s+){0,2}?(?:pass(?:ed|es|ing)?|import(?:ed|s)?|carr(?:y|ies|ied|ying)|inherit(?:ed|s)?"
    r"|surviv(?:e|es|ed)|sourced|propagat\w*|present|see|seen|added|kept|forwarded|available|there)\b"
    r"|\bknows\s+no\b", re.I)
# A launcher other than the shell (places of [[env_context]] come from the table).
_LAUNCHER = re.compile(r"\b(?:i?python\.app|ipython|kernels?|notebooks?|spawn\w*|ide|app(?:lication)?s?|jupyter\w*|console|interpreter|entry\s+point)\b", re.I)
_CONDITION = re.compile(r"^\W*(?:if|unless|when\s+you|make\s+sure|try|you\s+(?:can|should|may|need))\b", re.I)

# CUDA named: the word or one of its libraries (Linux, macOS and Windows names).
CUDA_WORD = re.compile(
    r"\bCUDA\b|\bcuDNN\b|\blib(?:cudart|cublas\w*|cudnn\w*|cufft|curand|cusolver|cusparse|nvrtc|nvinfer|cuda)\b|\b(?:cudart|cublas|cudnn|cufft|curand|cusolver|cusparse)64_\d+",
    re.I)
# Another interpreter on the failing side: the package is not there at all, or the kernel's own package is missing.
OTHER_INTERPRETER = re.compile(
    r"\bNo module named\b|\bModuleNotFoundError\b|requires the ipykernel package|\bipykernel\b[^.\n]{0,40}\bnot (?:installed|found)",
    re.I)
_WORD = re.compile(r"(?<![\w/.])[A-Za-z][a-z]+(?:['’]t)?(?![\w/.])")
_ERROR_NAME = re.compile(r"\b\w+(?:Error|Exception):")
_LOGGISH = re.compile(r"\s*(?:```|>>>|\.\.\.\s|[IWEF]\d{4}\s|[IWEF]\s+tensorflow/|File\s+\"|Traceback|\$\s|#|\[|\||\d{4}-\d\d-\d\d|[-+=]{3})")


def prose_line(line: str) -> bool:
    """Whether ``line`` reads as the writer's prose rather than a program's output or code (for joining a statement's halves
    across a block of output between them)."""
    if _LOGGISH.match(line) is not None or _ERROR_NAME.search(line) is not None:
        return False
    return len(_WORD.findall(line[:600])) >= 5


def var_dropped(text: str) -> tuple[str, str] | None:
    """A loader variable the writer says a launcher other than the shell does not get, and the sentence: (name, sentence), or None."""
    if "PATH" not in text and "HOME" not in text:
        return None
    for _, sentence in grammar.sentences(text[:4000].replace("\n", " ")):
        var = loader_var_pattern().search(sentence)
        if var is None or _CONDITION.match(sentence):
            continue
        if _DROPPED.search(sentence) is None:
            continue
        if _LAUNCHER.search(sentence) is None and not env_context_named(sentence):
            continue
        return var.group(1), sentence.strip()
    return None


def cuda_named(text: str) -> re.Match[str] | None:
    """The first CUDA word or CUDA library name of ``text``."""
    return CUDA_WORD.search(text)


def other_interpreter(text: str) -> re.Match[str] | None:
    """A module not found at all, or a missing kernel package: the failing launcher runs another interpreter."""
    return OTHER_INTERPRETER.search(text)
