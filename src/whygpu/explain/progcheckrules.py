"""The log rule that judges a program's own check finding no usable GPU after the framework's own answer in the same paste
found it (accbroad38, session 38).

A writer shows the framework answering True in their shell (``torch.cuda.is_available()`` printing True) and then the
program's run saying, in the program's own words, that CUDA is not available and it uses the CPU (cellpose's "TORCH CUDA
version not installed/working.", EasyOCR's "CUDA not available - defaulting to CPU"). The facts are the framework's answers
(``LogFacts.gpu_answer``: the shell's True and the program's line read as that framework's "no" by its signature or by the
fallback reader, explain.fallback); ``knowledge.visible_devices.program_check_cause`` decides what they mean together.

Quiet where another reading speaks for the same contrast: a run LOG680/LOG705 read (``LogFacts.hidden_run``), a launcher
the writer names (LOG660), the code's own device choice or visibility (LOG104 and the placement rules), a CPU run on purpose,
the GPU in use; and where the "no" answer comes first or is the framework's own printed False (two prints of one call: the
launcher and update readings).
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu import lazyre as re
from whygpu.explain.judge import LogSubject, decided_hits
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.visible_devices import program_check_cause
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Decides, Outcome, Rule, RuleDoc, rule

# The framework's own printed answer (a call and its True/False): the line is the framework's, not a program's words.
# The program's "no" is a check that failed ("CUDA not available", "not installed/working", "no usable GPU"), not a device
# line that only names the CPU ("Use pytorch device_name: cpu"): a device chosen beside the framework's True is the
# program's setting, which the GPU-in-use and device-choice readings judge (tests/explain/test_app_messages.py).
_CHECK_FAILED = re.compile(r"\b(?:not|no|cannot|unavailable|unable|without|disabled|failed)\b|n't", re.IGNORECASE)
_OWN_PRINT = re.compile(r"is_available|is_gpu_available|list_physical_devices|device_count|\bjax\.devices\b|^\W*(?:True|False)\W*$")


def _line(where: str) -> tuple[str, int]:
    source, _, number = where.rpartition(":")
    return source, int(number) if number.isdigit() else -1


@rule(
    "LOG770", "log-program-check-fails-framework-finds-gpu", "CODE_FORCES_CPU", Severity.ERROR,
    RuleDoc(
        what="Reads the framework's own answer that finds the GPU (torch.cuda.is_available() printing True in the writer's shell) and, after it in the same paste, the program's own words that its run cannot use CUDA and uses the CPU (cellpose's 'TORCH CUDA version not installed/working.', EasyOCR's 'CUDA not available - defaulting to CPU'), and judges them together with knowledge.visible_devices.program_check_cause.",
        why="The True shows the driver, the device and a CUDA build of the framework working in that shell; the program's line is its own check in its own run. The two disagree only where the run differs from the shell: the program's check, default or setting keeps it off the GPU, or the run uses another interpreter whose framework is a CPU build. The paste does not say which, so both are given, the program's check first, with the test that decides.",
        example="1.7.1+cu110\n>>> print(torch.cuda.is_available())\nTrue\npython -m cellpose\nTORCH CUDA version not installed/working.\n(https://github.com/MouseLand/cellpose/issues/184)",
        fix="Run the framework's check with the program's own interpreter; True there: read where the program chooses its device; False there: install the GPU build into that environment.",
        limits="Quiet where the program's line only names the CPU as its device (no failed check in its words), where the program's 'no' comes before the True (a fix in between), where the 'no' is the framework's own printed False (two calls: the launcher and update readings), and where another reading speaks (a hidden run, a named launcher, the code's device choice, a CPU run on purpose, the GPU in use).",
        references=("https://github.com/MouseLand/cellpose/issues/184", "https://github.com/MouseLand/cellpose/blob/main/cellpose/core.py",
                    "https://docs.pytorch.org/docs/stable/generated/torch.cuda.is_available.html"),
        causes=("CODE_FORCES_CPU", "FRAMEWORK_CPU_BUILD"),
    ),
    decides=Decides(over="signature", cause="any", by="first_line"),
)
def program_check_fails_framework_finds_gpu(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if subject.gpu_in_use or facts.hidden_run or facts.code_sets_visible_devices or facts.code_selects_gpu or facts.cpu_is_goal():
        return
    if facts.stated_launch_env or facts.launch_var_dropped:
        return  # the writer names a launcher that differs: LOG660 reads it
    for answers in facts.gpu_answer.values():
        found = [a for a in answers if a.value is True and _OWN_PRINT.search(a.text)]
        said_no = [a for a in answers if a.value is False and not _OWN_PRINT.search(a.text) and _CHECK_FAILED.search(a.text)]
        if not found or not said_no:
            continue
        first = found[0]
        source, at = _line(first.where)
        later = [n for n in said_no if _line(n.where)[0] == source and _line(n.where)[1] > at]
        if not later or any(a.value is True and _line(a.where)[0] == source and _line(a.where)[1] > _line(later[0].where)[1] for a in answers):
            continue  # the program's "no" must follow the shell's True, and no later True answer it
        decided = program_check_cause(True, True)
        if decided is None:
            return
        evidence = _ev(later[0], first)
        yield from decided_hits(
            decided, f"The program's own check finds no usable GPU while the framework's answer before it finds one: {decided.because}",
            tuple(dict.fromkeys(evidence)), Confidence.LOW, fix="Find what the program's run does differently from your shell.", beside=1)
        return


PROGCHECK_RULES: list[Rule[LogSubject]] = [program_check_fails_framework_finds_gpu]
