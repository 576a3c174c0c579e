"""The program ran in a session that keeps the GPU from it (accrdp, session 34): a Windows Remote Desktop (RDP) session,
whose own display driver stands in for the GPU's, or a virtual machine whose only display adapter is the hypervisor's
(knowledge/remote_session.toml).

Two forms: the writer's words that they ran it over Remote Desktop ("When starting up miner over remote desktop I get this
error", "I want to access it using MS remote desktop", "Connecting to a system via Remote Desktop ... prevents BOINC from
detecting any CUDA devices"), and an adapter's name as Windows lists it (Device Manager, dxdiag, wmic, a program's device
list: "Microsoft Hyper-V Video", "VMware SVGA 3D"). The words count only as the writer's report: not a question ("does it
work over RDP?"), advice ("use VNC instead of remote desktop"), or a sentence that says it works; not
"remote" alone (an SSH session, a remote server, Jupyter on a remote GPU machine) and not Chrome Remote Desktop (which
captures the desktop the GPU's own driver draws).

Beside them, the words that a GPU went unseen (``unseen``: grammar.no_device's and the table's own: CudaMiner's "Unable to
query CUDA driver version!", CNTK's "Specified device id (0) is invalid"). Judged by LOG585 (explain.remoterules).
"""

from __future__ import annotations

from dataclasses import dataclass

from whygpu import lazyre as re
from whygpu.explain import grammar

__all__ = ["NEEDLES", "UNSEEN_NEEDLES", "RemoteSession", "session_said", "unseen"]

# The cheap gate of the line reader: a line holds one of these before any pattern is tried.
NEEDLES = ("remote desktop", "remote-desktop", "rdp", "mstsc", "remote display adapter", "hyper-v video", "vmware svga",
           "virtualbox", "virtual box", "vmware workstation", "vmware player", "vmware fusion",
           "parallels")
# The gate of the unseen words.
UNSEEN_NEEDLES = ("detect", "found", "available", "unable to query", "is invalid", "invalid device", "missing", "recogni", "nvidia-smi",
                  "invalid cuda")

# A sentence that says the GPU works in the session, or that the session is the remedy's opposite ("instead of RDP").
_WORKS = re.compile(r"\b(?:works|worked|working|runs?\s+fine|no\s+problems?|is\s+used|was\s+used|uses\s+the\s+gpu|fine)\b", re.I)
_TROUBLE = re.compile(r"\b(?:not|n['’]t|no|fail\w*|error|unable|cannot|invalid|missing|prevent\w*|disabled)\b", re.I)
# "if I try to remote desktop to my work computer", "when I tried to run it over RDP": the attempt that failed, not a plan.
_TRIED = re.compile(r"\b(?:if|when|whenever|once)\s+(?:i|we)\s+(?:try|tried)\s+to\b", re.I)
_INSTEAD = re.compile(r"\b(?:instead\s+of|rather\s+than|other\s+than|without|avoid\w*|not\s+(?:via|over|through|using|with))\s+(?:\w+\s+){0,2}$", re.I)


@dataclass(frozen=True)
class RemoteSession:
    """A session that keeps the GPU from the program: its kind ("rdp", "vm"), the form that showed it ("words",
    "adapter"), and the words."""

    kind: str
    form: str
    words: str


def session_said(text: str) -> RemoteSession | None:
    """The session ``text`` shows the program ran in (the writer's report or an adapter's name), or None."""
    from whygpu.knowledge.remote_session import session_forms

    for form in session_forms():
        for m in form.pattern.finditer(text):
            if form.form == "adapter":
                return RemoteSession(form.kind, form.form, m.group(0))
            if _reported(text, m):
                return RemoteSession(form.kind, form.form, m.group(0))
    return None


def _reported(text: str, m: re.Match[str]) -> bool:
    """Whether the Remote Desktop words at ``m`` are the writer's report that the program ran in such a session."""
    left, right = grammar.sentence_at(text, m.start(), m.end())
    if grammar.in_code(text, m.start(), m.end()) or grammar.asked(text, left, right, m.start(), m.end()):
        return False
    # (A condition is kept: "this occurs if I try to remote desktop to my work computer" tells when it failed.)
    if (grammar.advised(text, left, m.start(), m.end()) and not _TRIED.search(text[left:m.start()])) or grammar.hearsay(text, left, right):
        return False
    if _INSTEAD.search(text[left:m.start()]):
        return False
    sentence = text[left:right]
    return not (_WORKS.search(sentence) and not _TROUBLE.search(sentence))


def unseen(text: str) -> str | None:
    """The words of ``text`` that say a GPU went unseen (no CUDA device found, the driver not answered, a device index
    refused, detection prevented), or None."""
    from whygpu.knowledge.remote_session import unseen_words

    if (m := grammar.no_device(text)) is not None:
        return m.group(0)
    for rx in unseen_words():
        if (u := rx.search(text)) is not None:
            return u.group(0)
    return None
