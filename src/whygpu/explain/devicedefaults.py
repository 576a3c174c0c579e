"""accprogdev40 (session 40): the one reader of programs' own device defaults (knowledge/device_defaults.toml): where a log
shows a program whose work stays on the CPU until one of its settings names the GPU, with that setting left at its CPU
default. Two forms, each only in a log that names the row's program and never where the log shows the setting given a GPU:

  - said: the writer's words, or the program's docstring quoted, that the setting defaults to its CPU value, in one
    sentence ("cuda_device : ``int``, optional (default = -1)", "it is set to -1 in trainer.py", "the default device of
    CPU is used", "`device : str | None = None` by default"); not a code comment, not asked, supposed or advised;
  - call: the program's command line shown without the setting's option (`python -m spacy train config.cfg`): a command
    line states every option it is given.

Each yields the typed fact ``cpu_choice`` (where = "default"); whether the log shows the work on the CPU, the GPU in use or
a machine without a GPU is decided with the other choices by knowledge.cpu_choice.verdict.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache

from whygpu import lazyre as re
from whygpu.explain import grammar
from whygpu.knowledge.device_defaults import DeviceDefault, cpu_defaults

_DEFAULT_WORD = r"\b(?:default(?:s|ed)?|is\s+set\s+to|set\s+to|hard-?coded\s+to|fixed\s+to)\b"
_MAX = 2000


@cache
def _said(row_id: str) -> re.Pattern[str]:
    row = next(r for r in cpu_defaults() if r.id == row_id)
    setting, cpu = row.setting_text, row.cpu_text
    end = r"[`'\"]*(?![\w.])"
    forms = (
        # "cuda_device : ``int``, optional (default = -1)", "cuda_device, it is set to -1", "device defaults to cpu"
        rf"(?:{setting})[^.!?\n]{{0,80}}?{_DEFAULT_WORD}[\s(]*(?:=|:|to|is|of)?\s*[`'\"]*(?:{cpu}){end}",
        # "the default device of CPU", "the default cuda_device is -1"
        rf"\bdefault\s+(?:value\s+of\s+)?(?:{setting})[`'\"]*\s+(?:of|is|=|:)\s+[`'\"]*(?:{cpu}){end}",
        # "`device : str | None = None` by default"
        rf"(?:{setting})[`'\"]*\s*(?::\s*[\w\[\]|., ]{{1,40}}?)?\s*=\s*[`'\"]*(?:{cpu})[`'\"]*[^.!?\n]{{0,40}}?\bby\s+default\b",
    )
    return re.compile("|".join(f"(?:{form})" for form in forms), re.I)


def _said_here(line: str, row: DeviceDefault) -> bool:
    m = _said(row.id).search(line)
    if m is None:
        return False
    left, right = grammar.sentence_at(line, m.start(), m.end())
    return not (grammar.asked(line, left, right, m.start(), m.end()) or grammar.supposed(line, left, right, m.start(), m.end())
                or grammar.advised(line, left, m.start(), m.end()))


def _called_without(line: str, row: DeviceDefault) -> bool:
    """The program's command line on ``line`` without the setting's option."""
    if row.call is None:
        return False
    m = row.call.search(line)
    return m is not None and row.setting.search(line, m.end()) is None and not grammar.code_comment(line)


def default_choices(lines: Sequence[str], text: str) -> Iterator[tuple[int, DeviceDefault, str]]:
    """Each line (number, the row, the line) showing a program's CPU default in force, at most one per row, in order."""
    rows = [row for row in cpu_defaults() if row.names.search(text) and row.gpu.search(text) is None]
    if not rows:
        return
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        if len(line) > _MAX or grammar.code_comment(line):
            continue
        for row in rows:
            if row.id in seen or (not row.setting.search(line) and (row.call is None or not row.call.search(line))):
                continue
            if _said_here(line, row) or _called_without(line, row):
                seen.add(row.id)
                yield number, row, line.strip()
