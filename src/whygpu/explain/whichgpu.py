"""Which of the GPUs a log names the failing run used (accsmall38, session 38).

A report often names two GPUs: the one the code ran on before and the one it fails on now ("my code runs successfully on
Cuda 9.0 with Tesla V100 ... our new servers with RTX 2080 Ti": https://github.com/pytorch/pytorch/issues/16034; "I can run
on gtx1080ti, but can't run on rtx 2080ti": https://github.com/uzh-rpg/rpg_vid2e/issues/41). A GPU named as the one the
code worked on is not the failing run's: judged against a build, it would clear the build of a GPU it never ran on. This
orders the named GPUs so the failing run's comes first: a GPU the writer says the code worked on goes after the others. (A
capability the failing message states, "sm_75", comes before any named model: ``explain.rules._gpu_capability``.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from whygpu import lazyre as re
from whygpu.explain import grammar
from whygpu.explain.logfacts import Seen

# The code said to have worked on what is named after the words: "works on", "worked fine with", "can run on", "ran
# successfully on ... with", "was able to train on"; a negation before the verb ("can't run on", "does not work on") is
# the failure. The rest of the clause reaches the GPU's name.
_WORKED = re.compile(
    r"(?P<neg>\b(?:can(?:no|['’])?t|could\s*n['’]?o?t|does\s*n['’]?o?t|did\s*n['’]?o?t|do\s*n['’]?o?t|is\s*n['’]?o?t|not|never|won['’]t|fail(?:s|ed)?\s+to|unable\s+to)\s+)?"
    r"(?P<modal>\b(?:can|could|was\s+able\s+to|is\s+able\s+to|were\s+able\s+to)\s+)?"
    r"\b(?P<verb>works?|worked|working|runs?|ran|running|run|trains?|trained|training)\b(?P<rest>(?:[^.;!?]|(?<=\d)\.(?=\d)){0,90})$", re.I)
_SUCCESS = re.compile(r"\b(?:successfully|fine|well|perfectly|ok|okay|normally|flawlessly|smoothly|without\s+(?:any\s+)?(?:problems?|issues?|errors?))\b", re.I)


def worked_on(text: str, name: str) -> bool:
    """Whether ``text`` names the GPU ``name`` as one the writer's code worked on (not the failing run's)."""
    at = text.lower().find(name.lower())
    if at < 0:
        return False
    left, _right = grammar.sentence_at(text, at, at + len(name))
    clause = grammar.clause_before(text[left:at])
    m = _WORKED.search(clause)
    if m is None or m.group("neg"):
        return False
    verb = m.group("verb").lower()
    return bool(m.group("modal")) or verb in ("works", "worked") or _SUCCESS.search(m.group("rest")) is not None


def failing_run_first(named: Sequence[Seen[Any]]) -> list[Seen[Any]]:
    """The named GPUs (``LogFacts.gpu_model``) in the order to judge them: the failing run's first, a GPU the writer says the
    code worked on after the others (the order of the log otherwise)."""
    if len({s.value for s in named}) < 2:
        return list(named)
    worked = [worked_on(s.text, str(s.value)) for s in named]
    return [s for s, w in zip(named, worked, strict=True) if not w] + [s for s, w in zip(named, worked, strict=True) if w]
