"""A program's words that it caught an error and went on without an optional part (accnoticed39, session 39;
knowledge/caught_fallbacks.toml, every row with its public source).

One decision: ``caught_beside`` says whether a line of a log is the error a program caught beside its own fallback words
(TGI's "Could not import Flash Attention enabled models" after "ImportError: GPU with CUDA capability 7 0 is not
supported"): that line is the optional part's answer, not the program's failure.
"""

from __future__ import annotations

import re
from functools import lru_cache

from whygpu.knowledge._util import table_rows


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[re.Pattern[str], int], ...]:
    return tuple((re.compile(str(row["words"]), re.I), int(row.get("lines", 3))) for row in table_rows("caught_fallbacks", "fallback"))


def caught_beside(lines: list[str], number: int) -> bool:
    """Whether line ``number`` (1-based) of ``lines`` is an error a program caught: its own fallback words on that line or
    within the row's reach of it."""
    for words, reach in _rows():
        low, high = max(1, number - reach), min(len(lines), number + reach)
        if any(words.search(lines[at - 1]) for at in range(low, high + 1)):
            return True
    return False
