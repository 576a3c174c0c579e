"""A program's own device setting that puts its work on the CPU (``device_settings.toml``, session 29): which documented
option, keyword or variable a line sets to the CPU. explain reads where a log shows one set; lint could read a script's."""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.records import record

__all__ = ["CpuPin", "cpu_pin", "cpu_pin_cue", "cpu_work", "pin_completed", "pin_row"]


@record(frozen=True)
class CpuPin:
    """A setting that pins the CPU: its id, kind (option, keyword, env), how a report names it, the fix and the source."""

    id: str
    kind: str
    setting: str
    fix: str
    source: str


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[CpuPin, re.Pattern[str]], ...]:
    return tuple(
        (CpuPin(id=str(row["id"]), kind=str(row["kind"]), setting=str(row["setting"]), fix=str(row["fix"]), source=str(row["source"])),
         re.compile(str(row["pattern"])))
        for row in table_rows("device_settings", "pin")
    )


# The words a line must hold for any row to match it (a cheap gate before the rows' patterns).
_CUES = ("cpu", "-1", "cuda", "gpu", "CPUExecutionProvider", "ngpu", "num_gpu", "tree_method", "extraction.")


def cpu_pin_cue(text: str) -> bool:
    """Whether ``text`` holds a word some row needs (callers skip the rows' patterns on every other line)."""
    low = text.lower()
    return any(cue.lower() in low for cue in _CUES)


def cpu_pin(text: str) -> tuple[CpuPin, re.Match[str]] | None:
    """The first setting on ``text`` that pins the CPU by its program's documentation (the row, where), or None."""
    if not cpu_pin_cue(text):
        return None
    # Each row's own search: a row's pattern searches a line only where a word it requires is in it (whygpu.lazyre), while
    # one alternation of all the rows tried every row at every position of each TensorFlow line that names a GPU or CPU.
    found = [(row, m) for row, rx in _rows() if (m := rx.search(text)) is not None]
    return min(found, key=lambda pair: pair[1].start()) if found else None


def pin_row(pin_id: str) -> CpuPin | None:
    """The row of ``pin_id``, or None."""
    return next((row for row, _ in _rows() if row.id == pin_id), None)


@lru_cache(maxsize=1)
def _work_rows() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    return tuple((str(row["id"]), str(row["program"]), re.compile(str(row["pattern"]))) for row in table_rows("device_settings", "cpu_work"))


def cpu_work(text: str) -> tuple[str, str] | None:
    """accwords (session 33): (the row's id, the program) where ``text`` is a program's own line that it builds its CPU
    implementation ([[cpu_work]]: COLMAP's "Creating SIFT CPU feature extractor"), the log showing CPU work; else None."""
    if "CPU" not in text:
        return None
    return next(((ident, program) for ident, program, rx in _work_rows() if rx.search(text)), None)


@lru_cache(maxsize=1)
def _unless() -> dict[str, re.Pattern[str]]:
    return {str(row["id"]): re.compile(str(row["unless"])) for row in table_rows("device_settings", "pin") if row.get("unless")}


def pin_completed(pin_id: str, text: str) -> bool:
    """accwords (session 33): whether ``text`` (the whole log) shows the setting that makes row ``pin_id``'s setting a GPU one
    (its ``unless``: XGBoost's device='cuda' beside tree_method='hist')."""
    rx = _unless().get(pin_id)
    return rx is not None and rx.search(text) is not None
