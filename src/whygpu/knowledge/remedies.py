"""What a stated remedy or finding confirms: the action or finding a reporter says worked, mapped to its cause (``remedies.toml``)."""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge import load
from whygpu.knowledge._util import table_rows
from whygpu.records import record


@record(frozen=True)
class RemedyRow:
    """One row of ``remedies.toml``: the words of an action or a finding, and the cause they confirm, with the reasoning and its source."""

    id: str
    kind: str
    pattern: str
    unless: str
    cause: str
    reasoning: str
    source: str


def _expand(pattern: str, words: dict[str, str]) -> str:
    """``pattern`` with each ``@name@`` replaced by the ``[words]`` entry of that name, as a group."""
    return re.sub(r"@(\w+)@", lambda m: f"(?:{words[m.group(1)]})", pattern)


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[RemedyRow, re.Pattern[str], re.Pattern[str] | None], ...]:
    words = {str(k): str(v) for k, v in dict(load("remedies").get("words", {})).items()}
    out = []
    for row in table_rows("remedies", "remedy"):
        item = RemedyRow(
            id=str(row["id"]),
            kind=str(row["kind"]),
            pattern=str(row["pattern"]),
            unless=str(row.get("unless", "")),
            cause=str(row["cause"]),
            reasoning=str(row["reasoning"]),
            source=str(row["source"]),
        )
        unless = re.compile(_expand(item.unless, words), re.I) if item.unless else None
        out.append((item, re.compile(_expand(item.pattern, words), re.I), unless))
    return tuple(out)


def remedy_rows() -> tuple[RemedyRow, ...]:
    """Every row, in the order they are tried."""
    return tuple(row for row, _, _ in _rows())


def remedy_cause(words: str, kind: str) -> tuple[RemedyRow, re.Match[str]] | None:
    """The first row of ``kind`` ("action" or "finding") whose pattern the words match (and whose ``unless`` does not), with the match; None when no row fits."""
    for row, pattern, unless in _rows():
        if row.kind not in (kind, "both"):
            continue
        m = pattern.search(words)
        if m is not None and (unless is None or unless.search(words) is None):
            return row, m
    return None
