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


# --- the llama.cpp family's offload setting (knowledge/inference_offload.toml) ---------------------------------------
# Cheap substrings before any pattern is tried: a name of the family, a CUDA word, an offload count.
_PROGRAM_CUES = ("llama", "local", "kobold", "text-generation", "text_generation", "oobabooga")
_CUDA_CUES = ("cuda", "cublas", "gpu")
_LAYER_CUES = ("layer", "ngl", "num_gpu")


def offload_facts(lines: list[str]) -> list[tuple[str, str, int, str]]:
    """The typed facts of the family's offload setting in ``lines``: ("program", its row's name), ("cuda", the words that
    show or say its build has CUDA), ("layers", an offload count asked for or shown); each with its line number and line."""
    from whygpu.explain import grammar
    from whygpu.knowledge import inference_offload as offload

    out: list[tuple[str, str, int, str]] = []
    named = False
    for number, line in enumerate(lines, 1):
        if len(line) > 2000:
            continue
        low = line.lower()
        if not named and any(c in low for c in _PROGRAM_CUES) and (m := offload.program_pattern().search(line)) is not None:
            row = offload.program_of(m.group(1))
            if row is not None:
                out.append(("program", row.name, number, line.strip()))
                named = True
        if any(c in low for c in _CUDA_CUES):
            shown = offload.cuda_line(line)
            if shown is not None:
                out.append(("cuda", shown, number, line.strip()))
            elif (said := offload.cuda_said(line)) is not None and not line.rstrip().endswith("?") \
                    and grammar.said(line, said.start(), said.end(), quotes=False):
                out.append(("cuda", said.group(0), number, line.strip()))
        if any(c in low for c in _LAYER_CUES):
            for count in offload.layers_asked(line):
                out.append(("layers", str(count), number, line.strip()))
    return out
