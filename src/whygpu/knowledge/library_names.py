"""Real library names a log writes right that lie one typing error from a known message's word (accbroad40, session 40;
data: knowledge/library_names.toml): explain/spelling.py keeps them as written."""

from __future__ import annotations

from functools import lru_cache

from whygpu.knowledge import load


@lru_cache(maxsize=1)
def proper_names() -> frozenset[str]:
    """The lower-cased words of knowledge/library_names.toml: each is a real file's name, never a misspelling."""
    rows = load("library_names").get("name", [])
    return frozenset(str(row["word"]).lower() for row in rows if isinstance(row, dict) and row.get("word"))
