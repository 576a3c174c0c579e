"""Reads who chose the CPU, and where (session 35, acccode): each line of a log that shows a choice of the CPU, as the one
typed fact ``cpu_choice`` (knowledge.cpu_choice.CpuChoice: the form, where it was seen, whose choice, whether wanted).

Three readings, each a form of knowledge/cpu_choice.toml:
  - the writer's words that the CPU is what they want (a how-to question for a CPU run, a wish, a complaint that the GPU is
    touched although the CPU was chosen, a setting made to keep the GPU free): read wherever the writer says them (a
    question is the form itself), not in code, a program's line or a code comment;
  - the writer's words that the program's code chooses the CPU ("upon reviewing the code, it defaults to running on the
    CPU", ".cpu() hardcoded across the scripts"), asserted (not asked, advised or supposed: ``grammar.said``);
  - a line of code that chooses the CPU with no condition (``device = torch.device('cpu')``), not commented out and not the
    branch of a condition (a line under ``else:``, ``except:`` or an ``if``: the fallback idiom).
The knowledge layer judges the facts (``knowledge.cpu_choice.verdict``); explain/cpuchoicerules.py reports.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from whygpu import lazyre as re
from whygpu.explain import grammar
from whygpu.knowledge.cpu_choice import CpuChoice, asks_gpu, choice_said, choice_shown, cpu_wanted

# The head of a branch: the line above a choice that makes it conditional (the fallback idiom's else, an except, an if).
_BRANCH_HEAD = re.compile(r"^\s*(?:else|elif\b[^\n]*|if\b[^\n]*|except\b[^\n]*|try)\s*:\s*(?:#.*)?$")
# A cheap gate: a line is looked at only where it names the CPU, the GPU's memory or (zh) the CPU in Chinese words.
# acconpurpose: and the words of the writer's own act or intent (a GPU they disabled or hid, a CPU run made on purpose).
_CUE = ("cpu", "vram", "gpu memory", "cuda memory", "grabb", "never mov", "this code", "this script", "不用", "只用", "仅用", "怎么", "如何",
        "purpose", "intentional", "deliberate", "by design", "disabled", "hid", "turned off", "switched off", "visible_devices")


def _writer_words(line: str) -> bool:
    """Whether ``line`` may be the writer's words (not code, a code comment or a program's own line)."""
    return not (grammar.code_comment(line) or grammar.program_line(line))


def choices(lines: list[str]) -> Iterator[tuple[int, CpuChoice, str]]:
    """Each choice of the CPU the lines show: (line number, the choice, the line)."""
    above = ""
    for number, line in enumerate(lines, 1):
        low = line.lower()
        if not any(cue in low for cue in _CUE):
            if line.strip():
                above = line
            continue
        shown = choice_shown(line)
        if shown is not None:
            if not _BRANCH_HEAD.match(above):
                yield number, shown, line.strip()
        elif _writer_words(line):
            wanted = cpu_wanted(line)
            if wanted is not None and not grammar.quoted(line, wanted[1].start()):
                yield number, wanted[0], line.strip()
            else:
                said = choice_said(line)
                if said is not None and grammar.said(line, said[1].start(), said[1].end(), quotes=False):
                    yield number, said[0], line.strip()
        if line.strip():
            above = line



def setting_unquestioned(lines: Sequence[str]) -> bool:
    """Whether no words of the writer's in ``lines`` ask about the GPU or the run's speed (knowledge.cpu_choice.asks_gpu),
    asked of a log where the writer's own command or code sets a documented CPU pin (knowledge/device_settings.toml:
    EasyOCR's ``gpu=False``, whisper's ``--device cpu``). Such a setting is the writer's choice of the CPU for a report about
    something else (an empty result, a crash, a warning), not what keeps the GPU from them (CODE_FORCES_CPU is that against
    their wish, causes.md). Not the writer's words: code and code comments, a program's line (explain.works.program_said),
    and the program's own CPU notice or fallback line, which follows from the setting (EasyOCR's "Using CPU. Note: This
    module is much faster with a GPU.", restated as the issue's title too). False where the writer says nothing at all: no line of prose (explain.launchdiff.prose_line with three plain words in a row, grammar.prose_run), only commands,
    code and output."""
    from whygpu.explain import fallback, launchdiff, ownanswer, works

    program = {number for number, _ in ownanswer.cpu_notices(list(lines))} | {seen.number for seen in fallback.fallbacks(list(lines))}
    reported = False
    for number, line in enumerate(lines, 1):
        if number in program or len(line) > 2000 or not line.strip():
            continue
        if not _writer_words(line) or works.program_said(line):
            continue
        if asks_gpu(line):
            return False
        reported = reported or (launchdiff.prose_line(line) and grammar.prose_run(line))
    # A log of commands and program output alone, with no words of the writer's, reports nothing else: it is pasted to ask
    # why the work ran where it did, and the setting is read as the cause (COLMAP's `--SiftExtraction.use_gpu 0` beside its
    # "Creating SIFT CPU feature extractor", tests/explain/test_accwords_options_and_utilisation.py).
    return reported
