"""tf.distribute's and tf.data's notices of a distributed run that is going (knowledge/dist_notices.toml; accmisc39,
session 39): read by explain.distnotice, decided here."""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge import load
from whygpu.knowledge._util import table_rows

__all__ = ["NEEDLES", "notice_in", "version_guess_stands"]

# The cheap gate of the reader: a line holds one of these before any pattern is tried (each notice's words hold one).
NEEDLES = ("sharding policy", "unshardable", "efficient allreduce", "then broadcast to")


@lru_cache(maxsize=1)
def _notices() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((str(r["id"]), re.compile(str(r["pattern"]), re.I)) for r in table_rows("dist_notices", "notice"))


def notice_in(text: str) -> str | None:
    """The id of the notice ``text`` holds, or None (lines over 4,000 characters are not read)."""
    if len(text) > 4000:
        return None
    low = text.lower()
    if not any(n in low for n in NEEDLES):
        return None
    for key, rx in _notices():
        if rx.search(text):
            return key
    return None


def version_guess_stands(notices: int, failing: bool, unused: bool) -> bool:
    """Whether a reading resting only on versions compared stands beside ``notices`` such notices: always without them;
    with them only when a line of the run fails (``failing``) or the GPU is shown unused (``unused``)."""
    if not notices:
        return True
    decision = load("dist_notices").get("decision", {})
    if not (isinstance(decision, dict) and decision.get("quiets_version_guess")):
        return True
    return failing or unused
