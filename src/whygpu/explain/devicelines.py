"""accsilent40 (session 40): the one reader of programs' own device lines (knowledge/device_lines.toml): the line a
program printed after its own test of the machine, which records that it put the work on the CPU, and what that test
found (no usable GPU, or the GPU found and the work kept on the CPU all the same).

Read as the program printed it, pasted or quoted by the writer. Not read: the code that prints it (``print("...")``,
``warnings.warn('...')``, ``logger.warning("...")``: the program's source, as Python's warnings module echoes it under
the warning), a code comment, the line under a condition or supposition in the writer's sentence ("if no device is given
you will see ... Model will be on CPU"), advice, or hearsay; nor a row whose program line showing the work on the GPU
after all (its ``unless``) is in the log.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from whygpu import lazyre as re
from whygpu.explain import grammar
from whygpu.knowledge.device_lines import DeviceLine, device_line, needles, shown_in_use

# The program's source that prints the words: a call's open string before them.
_IN_CALL_STRING = re.compile(r"\b[\w.]+\s*\(\s*[fFrRbBuU]?[\"'][^\"']*$")


def device_lines(lines: Sequence[str]) -> Iterator[tuple[int, DeviceLine, str]]:
    """Each line (number, the row, the line) holding a program's own device line, in order."""
    cues = needles()
    whole: str | None = None
    for number, line in enumerate(lines, 1):
        low = line.lower()
        if not any(cue in low for cue in cues):
            continue
        hit = device_line(line)
        if hit is None or grammar.code_comment(line):
            continue
        row, m = hit
        if _IN_CALL_STRING.search(line, 0, m.start()):
            continue
        left, right = grammar.sentence_at(line, m.start(), m.end())
        if grammar.supposed(line, left, right, m.start(), m.end()) or grammar.advised(line, left, m.start(), m.end()):
            continue
        if grammar.hearsay(line, left, right):
            continue
        if whole is None:
            whole = "\n".join(lines)
        if shown_in_use(row, whole):
            continue
        yield number, row, line.strip()
