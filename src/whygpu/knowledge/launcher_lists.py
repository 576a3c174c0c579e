"""A launcher's own list of the GPUs it gave the process (``launcher_lists.toml``): Ray's ray.get_gpu_ids(), RLlib's policy
device list, Slurm's NoDevFiles placeholder; and the one decision of what such a list shown empty means (``judge``)."""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.records import record

__all__ = ["EmptyListJudgement", "LauncherListRow", "empty_answer_after", "empty_list_said", "judge", "list_cues", "list_row"]


@record(frozen=True)
class LauncherListRow:
    """One launcher's list of the GPUs it assigned: its id, the launcher, the list's name, the gate, the patterns, the fix, what it means, the source."""

    id: str
    launcher: str
    list: str
    cue: str
    named: str
    empty: str
    answer: str
    fix: str
    means: str
    source: str


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[LauncherListRow, re.Pattern[str], re.Pattern[str] | None], ...]:
    out = []
    for row in table_rows("launcher_lists", "list"):
        item = LauncherListRow(id=str(row["id"]), launcher=str(row["launcher"]), list=str(row["list"]), cue=str(row["cue"]).lower(),
                               named=str(row["named"]), empty=str(row["empty"]), answer=str(row.get("answer", "")), fix=str(row["fix"]), means=str(row["means"]),
                               source=str(row["source"]))
        out.append((item, re.compile(item.named, re.I), re.compile(item.empty, re.I) if item.empty else None))
    return tuple(out)


def list_cues() -> tuple[str, ...]:
    """The lower-case substrings a line must hold for any row to read it (the cheap gate)."""
    return tuple(row.cue for row, _, _ in _rows())


def list_row(row_id: str) -> LauncherListRow | None:
    """The row named ``row_id``, or None."""
    return next((row for row, _, _ in _rows() if row.id == row_id), None)


def empty_list_said(line: str) -> tuple[LauncherListRow, re.Match[str]] | None:
    """The first launcher list ``line`` shows empty (its name followed by the words that show it empty, or a name whose
    value is the empty placeholder), with the name's match, or None."""
    low = line.lower()
    for row, named, empty in _rows():
        if row.cue not in low:
            continue
        for m in named.finditer(line):
            if empty is None or empty.search(line[m.end():m.end() + 120]) is not None:
                return row, m
    return None


_PRINTED = re.compile(r"\bprint\s*\(|^\s*(?:>>>|In\s*\[\d+\]:)", re.I)


def empty_answer_after(line: str, following: list[str]) -> tuple[LauncherListRow, re.Match[str], int] | None:
    """Where ``line`` prints a launcher's list (``print(ray.get_gpu_ids())``, a REPL's ``>>> ray.get_gpu_ids()``) and one of
    ``following`` (the next lines) is the row's empty answer: the row, the name's match, and the answer's offset in
    ``following``; or None."""
    if _PRINTED.search(line) is None:
        return None
    low = line.lower()
    for row, named, _ in _rows():
        if not row.answer or row.cue not in low or (m := named.search(line)) is None:
            continue
        answer = re.compile(row.answer)
        for offset, later in enumerate(following):
            if answer.search(later):
                return row, m, offset
    return None


@record(frozen=True)
class EmptyListJudgement:
    """What a launcher's list shown empty means in its log: the row, the confidence ("high", "medium" or "low": the model's
    Confidence values; the knowledge layer sits below the model), and whether it leads or only ranks."""

    row: LauncherListRow
    confidence: str
    leads: bool


def judge(row_id: str, *, gpu_in_use: bool, program_sets_devices: bool, framework_sees_gpu: bool,
          other_cause_shown: bool) -> EmptyListJudgement | None:
    """The decision: a launcher's list of the GPUs it gave the process, shown empty, means the launcher assigned this process
    no GPU (GPU_HIDDEN) unless the work used the GPU (the list belongs to another process, or is read wrongly) or the
    program's own code sets CUDA_VISIBLE_DEVICES (its own reading). High where the framework sees the GPU in the same log
    (the node has it, the launcher withheld it), medium on the list alone; where the log shows another cause that keeps
    the GPU away (a CPU build, no driver), the list only ranks beside it: a launcher also lists no GPU on a node where none works."""
    row = list_row(row_id)
    if row is None or gpu_in_use or program_sets_devices:
        return None
    if other_cause_shown:
        return EmptyListJudgement(row=row, confidence="low", leads=False)
    return EmptyListJudgement(row=row, confidence="high" if framework_sees_gpu else "medium", leads=True)
