"""Programs' own CUDA setup lines, read as marks of that layer's state (accsetup, session 34).

bitsandbytes' CUDA setup and xFormers' check of the torch it was built for print, at start-up, what they found: the CUDA
detected, the binary wanted and whether it was there, the CUDA runtime searched for, what was loaded instead, the torch the
C++/CUDA part was built for beside the one installed. Each such line is a mark (knowledge/program_setup.toml [[line]]: its
expression, a real example and its source); ``setup_marks`` finds them, a program's lines only where the whole log holds one of
its needles and each line only where it holds its row's needle. What the marks mean together is the knowledge layer's
(``knowledge.program_setup.decide``), judged by LOG555 (explain/setuprules.py).

Read from the program's lines wherever they stand (a pasted `python -m bitsandbytes` report, a training log, a quoted line in
the writer's text: the words are the program's own).
"""

from __future__ import annotations

from dataclasses import dataclass

from whygpu.knowledge.program_setup import program_needles, setup_lines

# The marks kept per log (a report repeats its setup lines for each process).
_MAX_MARKS = 48


@dataclass(frozen=True)
class SetupMark:
    """One mark a program's setup line sets: the program, the mark, its value (the line's first group, or the match) and the line number (1-based)."""

    program: str
    mark: str
    value: str
    number: int


def setup_marks(text: str, lines: list[str]) -> list[tuple[SetupMark, str]]:
    """Each setup mark the lines show, with the line that shows it, in the log's order."""
    low = text.lower()
    programs = {name for name, needles in program_needles().items() if any(n in low for n in needles)}
    if not programs:
        return []
    rows = [row for row in setup_lines() if row.program in programs and row.needle in low]
    if not rows:
        return []
    out: list[tuple[SetupMark, str]] = []
    seen: set[tuple[str, str, str]] = set()
    for index, line in enumerate(lines):
        line_low = line.lower()
        for row in rows:
            if row.needle not in line_low:
                continue
            # A warning split over two lines ("xFormers was built for:\n    PyTorch ... (you have ...)") is read with the next one.
            window = line if len(line) > 4000 else (line + "\n" + lines[index + 1][:400] if index + 1 < len(lines) and line.rstrip().endswith(":") else line)
            for m in row.pattern.finditer(window[:4000]):
                groups = [g for g in m.groups() if g is not None]
                value = "|".join(groups) if row.mark == "built_for" else (groups[0] if groups else m.group(0))
                key = (row.program, row.mark, value)
                if key in seen:
                    continue
                seen.add(key)
                out.append((SetupMark(row.program, row.mark, value, index + 1), line))
                if len(out) >= _MAX_MARKS:
                    return out
    return out
