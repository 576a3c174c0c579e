"""Inference programs that run another program's GPU build (accinfer, session 39).

faster-whisper and whisperX run CTranslate2's builds (knowledge/programs.toml, ``[[named_as]]``). A log that names one of
them names the CUDA major the driver must run at most (``knowledge.programs.newest_build_cuda``): where the runtime inside
a container answers that the driver is insufficient while the driver shown runs that major, the driver is not what the
runtime measured (explain.contplace reads it as the runtime's CUDA, knowledge.driver_reach decides).
"""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re

# The cheap substrings a line must hold before the pattern is tried (every name of the [[named_as]] rows holds one).
NEEDLES = ("whisper", "ctranslate2")


@lru_cache(maxsize=1)
def _names() -> re.Pattern[str]:
    from whygpu.knowledge._util import table_rows

    names = sorted({str(n) for row in table_rows("programs", "named_as") for n in row.get("names", ())}, key=len, reverse=True)
    return re.compile(r"(?<![\w.-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])", re.I)


def build_program_named(text: str) -> str | None:
    """The program of knowledge/programs.toml whose build the line's program runs ("ctranslate2" for a line naming
    faster-whisper or whisperX), or None."""
    from whygpu.knowledge.programs import program_called

    m = _names().search(text)
    return program_called(m.group(1)) if m is not None else None
