"""The words other languages label a stated version with (knowledge/version_labels.toml; accwords40, session 40): read by
explain.labelwords, which rewrites the label into English so that the readers of stated versions read it."""

from __future__ import annotations

from functools import lru_cache

from whygpu.knowledge._util import table_rows

__all__ = ["KINDS", "words"]

KINDS = ("version", "driver", "link", "copula")


@lru_cache(maxsize=8)
def words(kind: str) -> tuple[str, ...]:
    """Every word of ``kind`` ("version", "driver", "link", "copula") in every language of the table, longest first."""
    out = {str(w) for row in table_rows("version_labels", "label") if row.get("kind") == kind for w in row.get("words", [])}
    return tuple(sorted(out, key=lambda w: (-len(w), w)))
