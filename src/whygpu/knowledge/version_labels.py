"""The words other languages label a stated version with (knowledge/version_labels.toml; accwords40, session 40): read by
explain.labelwords, which rewrites the label into English so that the readers of stated versions read it."""

from __future__ import annotations

import re
from functools import lru_cache

from whygpu.knowledge._util import table_rows

__all__ = ["KINDS", "alternation", "words"]

KINDS = ("version", "driver", "link", "copula")


@lru_cache(maxsize=16)
def words(kind: str, languages: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Every word of ``kind`` ("version", "driver", "link", "copula") in every language of the table (or in ``languages``,
    ISO 639-1 codes, where given), longest first."""
    out = {str(w) for row in table_rows("version_labels", "label")
           if row.get("kind") == kind and (not languages or row.get("language") in languages) for w in row.get("words", [])}
    return tuple(sorted(out, key=lambda w: (-len(w), w)))


def alternation(kind: str, languages: tuple[str, ...] = ()) -> str:
    """The words of ``kind`` (in ``languages``, where given) as one group of a regular expression, longest first: the one
    form the readers of a labelled version (explain.labelwords, explain.programbuilds, explain.hwstated) build from."""
    return "(?:" + "|".join(re.escape(w) for w in words(kind, languages)) + ")"
