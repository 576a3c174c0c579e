"""A session that keeps the GPU from the program (knowledge/remote_session.toml): a Windows Remote Desktop session, whose
display driver stands in for the GPU's, and a virtual machine with only its hypervisor's display adapter (accrdp, session
34; read by explain.remotesession, judged by LOG585)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from whygpu.knowledge._util import table_rows
from whygpu.knowledge.situations import SituationCause, situation_cause


@dataclass(frozen=True)
class SessionForm:
    """One way a log shows such a session: its kind ("rdp", "vm"), form ("words", "adapter") and pattern."""

    kind: str
    form: str
    pattern: re.Pattern[str]
    source: str


@lru_cache(maxsize=1)
def session_forms() -> tuple[SessionForm, ...]:
    return tuple(SessionForm(str(r["kind"]), str(r["form"]), re.compile(str(r["pattern"]), re.I), str(r["source"]))
                 for r in table_rows("remote_session", "session"))


@lru_cache(maxsize=1)
def unseen_words() -> tuple[re.Pattern[str], ...]:
    """The words that a GPU went unseen, beyond grammar.no_device's (the driver not answered, a device index refused)."""
    return tuple(re.compile(str(r["pattern"]), re.I) for r in table_rows("remote_session", "unseen"))


# The cause such a session means (knowledge.situations: the record the situation tables share).
SessionCause = SituationCause


def session_cause(kind: str) -> SessionCause | None:
    """accrdp (session 34): the one decision LOG585 asks. A program that found no GPU while it ran in a Remote Desktop
    session ("rdp") had the GPU hidden by the session's own display driver (GPU_HIDDEN: the GPU and its driver are there,
    the session keeps them from the program); in a virtual machine whose display adapter is the hypervisor's ("vm"), the
    guest has no NVIDIA GPU at all (NO_GPU). None for a kind the table does not know."""
    return situation_cause("remote_session", "kind", "kind", kind)
