"""What a program's error line means when it names a piece of the GPU stack and what is wrong with it (error_words.toml)."""

from __future__ import annotations

from functools import lru_cache

from whygpu.knowledge._util import table_rows
from whygpu.records import record


@record(frozen=True)
class WordPair:
    """One row of error_words.toml: a noun of the GPU stack and a predicate, the cause they name, and why."""

    noun: str
    predicate: str
    cause: str
    alternatives: tuple[str, ...]
    blocks: bool
    in_warning: bool
    why: str
    source: str


@lru_cache(maxsize=1)
def word_pairs() -> tuple[WordPair, ...]:
    """Every row, in the file's order."""
    return tuple(
        WordPair(noun=str(row["noun"]), predicate=str(row["predicate"]), cause=str(row["cause"]),
                 alternatives=tuple(str(a) for a in row.get("alternatives", ())), blocks=bool(row["blocks"]),
                 in_warning=bool(row.get("in_warning", False)),
                 why=str(row["why"]), source=str(row["source"]))
        for row in table_rows("error_words", "pair")
    )


def pair_meaning(noun: str, predicate: str) -> WordPair | None:
    """The row for a noun and a predicate read together on one line, or None when the pair names no cause."""
    return next((row for row in word_pairs() if row.noun == noun and row.predicate == predicate), None)
