"""Who chose the CPU, and where (``cpu_choice.toml``, session 35, acccode): one typed fact for each form (the writer's wish
for the CPU, the writer's word that the program's code chooses it, a line of code shown that chooses it) and the one
function that judges the facts of a log (``verdict``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.records import record

__all__ = ["CODE", "DEFAULT", "LINE", "PROGRAM", "SAID", "SETTING_UNQUESTIONED", "UNQUESTIONED", "CpuChoice", "Verdict", "asks_gpu", "choice_said", "choice_shown", "cpu_goal", "cpu_wanted", "placement_scoped", "said_words", "shown_setting", "verdict", "wanted_on"]

# Where the choice was seen.
SAID = "said"  # the writer's words
CODE = "code"  # a line of code shown in the log
LINE = "line"  # accsilent40 (session 40): a program's own line that it found the GPU and kept the work on the CPU
               # (knowledge/device_lines.toml, found = "yes")
DEFAULT = "default"  # accprogdev40 (session 40): a program's own device setting left at its CPU default
                     # (knowledge/device_defaults.toml: said to default to the CPU, or the command line without the option)
# Whose choice it is.
WRITER = "writer"
PROGRAM = "program"


@record(frozen=True)
class CpuChoice:
    """A choice of the CPU a log shows: the form (a row's id of cpu_choice.toml), where it was seen (``said``: the writer's
    words; ``code``: a line of code), whose choice (``writer``: the writer's own wish; ``program``: the program's code),
    and whether the CPU is wanted (the writer's goal) rather than what keeps the GPU from them."""

    form: str
    where: str
    owner: str
    wanted: bool


@record(frozen=True)
class Verdict:
    """What the choices of one log decide: ``quiet`` (the CPU is the writer's goal: no reading of CODE_FORCES_CPU speaks),
    ``cause`` (the program's code chooses the CPU: CODE_FORCES_CPU leads), or ``none`` (nothing decided); with the choice
    that decided and the confidence it carries ("high", "medium")."""

    decision: str
    choice: CpuChoice | None = None
    confidence: str = "medium"


# The words a line must hold for any [[said]] row to match it (a cheap gate before the rows' patterns).
_SAID_CUES = ("cpu", "never", "cuda_visible_devices", "this code", "the code", "your code", "this script", "the script")


@lru_cache(maxsize=1)
def _rows(table: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((str(row["id"]), re.compile(str(row["pattern"]), re.I)) for row in table_rows("cpu_choice", table))


@lru_cache(maxsize=2)
def _wanted_rows(scope: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The [[wanted]] rows that decide for ``scope`` ("run": the writer's goal for the work; "setting": the purpose of the
    setting on the same line): a row's own scope, or "both"."""
    return tuple((str(row["id"]), re.compile(str(row["pattern"]), re.I)) for row in table_rows("cpu_choice", "wanted")
                 if str(row.get("scope", "run")) in (scope, "both"))


@lru_cache(maxsize=1)
def _settings() -> dict[str, str]:
    return {str(row["id"]): str(row["setting"]) for row in table_rows("cpu_choice", "shown")}


def _first(table: str, text: str, rows: tuple[tuple[str, re.Pattern[str]], ...] | None = None) -> tuple[str, re.Match[str]] | None:
    found = [(ident, m) for ident, rx in (_rows(table) if rows is None else rows) if (m := rx.search(text)) is not None]
    return min(found, key=lambda pair: pair[1].start()) if found else None


_GATE = ("cpu", "gpu", "vram", "visible_devices", "purpose", "intentional", "deliberate")


def cpu_wanted(text: str, scope: str = "run") -> tuple[CpuChoice, re.Match[str]] | None:
    """The writer's words on ``text`` that the CPU is what they want ([[wanted]] rows of ``scope``: "run", the goal for the
    work; "setting", the purpose of a setting on the same line), as a choice of the writer's, or None."""
    low = text.lower()
    if not any(cue in low for cue in _GATE):
        return None
    hit = _first("wanted", text, _wanted_rows(scope))
    return None if hit is None else (CpuChoice(form=hit[0], where=SAID, owner=WRITER, wanted=True), hit[1])


# accprec40 (session 40): the form of the writer's own CPU setting that no words of theirs question (explain.cpuchoice
# .setting_unquestioned): the CPU is the run they asked for.
SETTING_UNQUESTIONED = "setting-unquestioned"


# The fact for it: the writer's choice, wanted (knowledge.cpu_choice.cpu_goal: verdict decides ``quiet``).
UNQUESTIONED = CpuChoice(form=SETTING_UNQUESTIONED, where=SAID, owner=WRITER, wanted=True)


@lru_cache(maxsize=1)
def _asks_rows() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(str(row["pattern"]), re.I) for row in table_rows("cpu_choice", "asks"))


def asks_gpu(words: str) -> bool:
    """Whether the writer's ``words`` ask about the GPU or the run's speed ([[asks]] rows: a GPU, its memory or CUDA named
    as a word of a sentence, not inside code; the run called slow)."""
    return any(rx.search(words) is not None for rx in _asks_rows())


def wanted_on(line: str) -> bool:
    """Whether the words of one line say the setting made there is for a CPU run the writer chose ([[wanted]] rows of scope
    "setting" or "both": on purpose, the GPU they disabled or hid, a setting made to force or compare the CPU): the one test
    a reader asks of the line that makes a setting (a CUDA_VISIBLE_DEVICES that hides the GPU, a pin of the CPU, a statement
    of where the work ran), so that the setting is their choice, not what keeps the GPU from them (acconpurpose)."""
    return cpu_wanted(line, "setting") is not None


def choice_said(text: str) -> tuple[CpuChoice, re.Match[str]] | None:
    """The writer's words on ``text`` that the program's code chooses the CPU ([[said]]), or None."""
    low = text.lower()
    if not any(cue in low for cue in _SAID_CUES):
        return None
    hit = _first("said", text)
    return None if hit is None else (CpuChoice(form=hit[0], where=SAID, owner=PROGRAM, wanted=False), hit[1])


def choice_shown(line: str) -> CpuChoice | None:
    """A line of code that chooses the CPU unconditionally ([[shown]]: ``device = torch.device('cpu')``), or None."""
    if "cpu" not in line.lower() or len(line) > 200:
        return None
    hit = _first("shown", line)
    return None if hit is None else CpuChoice(form=hit[0], where=CODE, owner=PROGRAM, wanted=False)


@lru_cache(maxsize=1)
def _said() -> dict[str, tuple[str, str]]:
    return {str(row["id"]): (str(row["says"]), str(row.get("confidence", "medium"))) for row in table_rows("cpu_choice", "said")}


def said_words(form: str) -> str:
    """What a [[said]] row's words say (its ``says``), or the form itself."""
    return _said().get(form, (form, "medium"))[0]


def shown_setting(form: str) -> str:
    """How a report names the code of a [[shown]] row (the row's ``setting``), or the form itself."""
    return _settings().get(form, form)


def cpu_goal(choices: Iterable[CpuChoice]) -> CpuChoice | None:
    """The choice among a log's that says the CPU is the writer's own goal (the first ``wanted``), or None: the decision
    ``verdict`` makes first (``quiet``), asked alone by the readers of a whole log (a CPU notice, a fallback, the
    application's choice of the CPU, a printed count of zero GPUs) before the log is judged (acconpurpose)."""
    return next((c for c in choices if c.wanted), None)


def verdict(choices: Iterable[CpuChoice], *, gpu_found: bool, gpu_in_use: bool, ran_on_cpu: bool = False,
            no_gpu_machine: bool = False) -> Verdict:
    """The one decision over a log's choices of the CPU.

    The writer's wish for the CPU decides first: a setting that pins the CPU is then their choice, and no reading of
    CODE_FORCES_CPU speaks (``quiet``). Where the GPU is shown in use nothing is decided. The writer's word that the
    program's code chooses the CPU is the cause (``cause``, at its row's confidence: high where the words rule out the
    other causes, else medium). A line of code shown choosing the CPU is the cause only
    where the log shows the framework finds the GPU (``gpu_found``: its answer True, the writer's word that it works), since
    with a CPU build the same line is in force and not the reason (medium); a program's own line that its test found the GPU
    and it kept the work on the CPU (``LINE``, knowledge/device_lines.toml) is the cause by itself (medium: the line says
    both); a program's device setting left at its CPU default (``DEFAULT``, knowledge/device_defaults.toml) is the cause
    only where the log shows the work on the CPU (``ran_on_cpu``: the writer's word that the GPU is not used, the program's
    notice) and not a machine without a GPU (``no_gpu_machine``), since the default says where the work goes, not that a
    GPU was there to take it (medium); else nothing is decided.
    """
    listed = list(choices)
    wanted = cpu_goal(listed)
    if wanted is not None:
        return Verdict("quiet", wanted)
    if gpu_in_use:
        return Verdict("none")
    said = next((c for c in listed if c.where == SAID and c.owner == PROGRAM), None)
    if said is not None:
        return Verdict("cause", said, _said().get(said.form, (said.form, "medium"))[1])
    line = next((c for c in listed if c.where == LINE and c.owner == PROGRAM), None)
    if line is not None:
        # accsilent40: the program's own line says both halves: its test found the GPU, and it put the work on the CPU.
        return Verdict("cause", line, "medium")
    default = next((c for c in listed if c.where == DEFAULT and c.owner == PROGRAM), None)
    if default is not None and ran_on_cpu and not no_gpu_machine:
        # accprogdev40: the program's setting left at its CPU default, and the work shown on the CPU.
        return Verdict("cause", default, "medium")
    shown = next((c for c in listed if c.where == CODE and c.owner == PROGRAM), None)
    if shown is not None and gpu_found:
        return Verdict("cause", shown, "medium")
    return Verdict("none")


# --- a placement scoped to one part of the work (accsmall, session 37) ---------------------------------------------------
_FENCE = re.compile(r"^\s*(?:```|~~~)")
_SPAN = 30  # code lines looked at around the setting


@lru_cache(maxsize=1)
def _scoped_rows() -> tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]:
    out = []
    for row in table_rows("cpu_choice", "scoped"):
        kind = str(row["kind"])
        other = str(row["work"] if kind == "block" else row["before"])
        out.append((kind, re.compile(str(row["opens"]), re.I), re.compile(other, re.I | re.M)))
    return tuple(out)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _block_scoped(lines: Sequence[str], at: int, work: re.Pattern[str]) -> bool:
    """The block opened on ``lines[at]`` does none of the model's work, and a line after it in the same code does."""
    base = _indent(lines[at])
    body = True
    seen_body = False
    for line in lines[at + 1:at + 1 + _SPAN]:
        if _FENCE.match(line):
            break
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if body and _indent(line) <= base:
            body = False
        if body:
            seen_body = True
            if work.search(line):
                return False
        elif work.search(line):
            return seen_body
    return False


def _after_work(lines: Sequence[str], at: int, before: re.Pattern[str]) -> bool:
    """A line above ``lines[at]`` in the same code already ran work."""
    for line in reversed(lines[max(0, at - _SPAN):at]):
        if _FENCE.match(line):
            break
        if not line.lstrip().startswith("#") and before.search(line):
            return True
    return False


def placement_scoped(lines: Sequence[str], number: int) -> bool:
    """Whether the CPU placement set on line ``number`` (1-based) applies, by the code shown around it, to one part of the
    work only ([[scoped]] rows): a device block around the input's preparation with the model's work after it, a platform
    switch made after work already ran. The writer placed that part on the CPU on purpose: the setting is not what keeps the
    run off the GPU, so the readers of a setting (LOG400, LOG280) leave it."""
    if not 0 < number <= len(lines):
        return False
    line = lines[number - 1]
    if "cpu" not in line.lower() and "platform" not in line.lower():
        return False
    for kind, opens, other in _scoped_rows():
        if not opens.search(line):
            continue
        if kind == "block" and _block_scoped(lines, number - 1, other):
            return True
        if kind == "switch" and _after_work(lines, number - 1, other):
            return True
    return False
