"""Programs' own lines that record the device they chose for the work (knowledge/device_lines.toml; accsilent40,
session 40): each row one program's line, what its test found (``found``: "no", the program found no usable GPU; "yes",
it found the GPU and still put the work on the CPU) and the program's code that prints it. Read by
explain.devicelines."""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.records import record

__all__ = ["FOUND", "NOT_FOUND", "DeviceLine", "device_line", "line_says", "needles", "shown_in_use"]

FOUND = "yes"
NOT_FOUND = "no"

_MAX = 4000  # longer lines are not read (a paste's run-on line)


@record(frozen=True)
class DeviceLine:
    """One row: its id, the program that prints the line, what the program's test found (``FOUND`` or ``NOT_FOUND``)
    and, for ``FOUND``, what the program did (``says``); ``answers`` (accvoice41, session 41) the framework whose own answer
    the line prints in the program's words (its device count, its is_available), or "" where the line is the program's own
    test."""

    id: str
    program: str
    found: str
    says: str
    answers: str = ""


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[DeviceLine, str, re.Pattern[str], re.Pattern[str] | None], ...]:
    out = []
    for row in table_rows("device_lines", "line"):
        unless = row.get("unless")
        out.append((DeviceLine(id=str(row["id"]), program=str(row["program"]), found=str(row["found"]), says=str(row.get("says", "")),
                               answers=str(row.get("answers", ""))),
                    str(row["needle"]).lower(), re.compile(str(row["pattern"]), re.I),
                    re.compile(str(unless), re.I) if unless else None))
    return tuple(out)


def needles() -> tuple[str, ...]:
    """The substrings (lower case) one of which a line must hold for any row to match it."""
    return tuple(needle for _, needle, _, _ in _rows())


def device_line(text: str) -> tuple[DeviceLine, re.Match[str]] | None:
    """The row whose line ``text`` holds, with the match, or None."""
    if len(text) > _MAX:
        return None
    low = text.lower()
    for row, needle, rx, _ in _rows():
        if needle in low:
            m = rx.search(text)
            if m is not None:
                return row, m
    return None


def shown_in_use(row: DeviceLine, text: str) -> bool:
    """Whether ``text`` (the whole log) holds the row's program line that shows the work on the GPU after all (its ``unless``)."""
    for candidate, _, _, unless in _rows():
        if candidate.id == row.id:
            return unless is not None and unless.search(text) is not None
    return False


def line_says(form: str) -> str | None:
    """What the program did, for the row named ``form`` (its ``says``), or None where no row has that id."""
    for row, _, _, _ in _rows():
        if row.id == form:
            return row.says or None
    return None
