"""What a log shows of who holds the GPU (accslow, session 36): the run's failure where it starts on the GPU, the writer's
words that another process, program, user or notebook kernel is on it, and a monitor's rows of GPUs in an exclusive compute
mode. The forms and their sources are knowledge/occupancy.toml's; the decision over them is knowledge.occupancy.decide.

Shapes read (public threads):

- the writer's words of another holder: "I have set CUDA_VISIBLE_DEVICES=0, but actually, the program is always trying to use
  gpu 2, which is used by anther user at the same time" (https://github.com/dbolya/yolact/issues/369); "The GPUs 0, 1, and
  2 on my server are occupied by other programs" (https://github.com/pytorch/serve/issues/2515); "it only comes up if I
  have 2 kernels running and I am using cudf in both" (https://github.com/NVIDIA/cudf/issues/6773);
- nvidia-smi's row of a GPU in exclusive-process mode already busy: "| N/A 66C P0 253W / 300W | 9000MiB / 16152MiB | 98%
  E. Process |" (https://github.com/jade-hpc-gpu/jade-hpc-gpu.github.io/issues/59);
- the failure: "all CUDA-capable devices are busy or unavailable", "failed initializing StreamExecutor for CUDA device
  ordinal 0", "CUDA out of memory", "CUDNN_STATUS_NOT_INITIALIZED".

Not read as a holder: a question ("is another process using the GPU?"), advice and a program's hint ("Please check whether
there is any other process using GPU 0"), a supposition, and a negation ("no other application is using the GPU").
"""

from __future__ import annotations

import re

from whygpu.explain import grammar
from whygpu.knowledge.occupancy import ModeRow, failure_of, holder_form

# Cheap tests before any pattern runs.
_HOLDER_WORDS = ("other", "someone", "somebody", "anther", "two ", "2 ", "several", "multiple", "both ", "second", "其他", "别的", "其它", "他人", "别人")
_HOLDER_NOUNS = ("user", "process", "program", "job", "app", "kernel", "notebook", "instance", "container", "training", "script",
                 "someone", "somebody", "people", "person", "session", "task", "model", "else", "其他", "别的", "其它", "他人", "别人")
# A negation, a hypothesis or a hint before the form in its clause: "no other application is using", "check whether there
# is any other process using", "if another process holds".
# (Not "only ... if": "it only comes up if I have 2 kernels running" reports when the failure happens.)
_NOT_ASSERTED_BEFORE = re.compile(r"(?:\b(?:no|not|n't|never|nothing|none|without|any|whether|unless|might|may|could|maybe|perhaps|possibly|probably)|(?<!\bonly\s)(?<!\bup\s)\bif)\b[^.;!?\n]{0,40}$", re.I)
# nvidia-smi's table row with the compute-mode column: "| 9000MiB / 16152MiB | 98% E. Process |".
_MODE_ROW = re.compile(r"\|\s*(\d+)\s*MiB\s*/\s*(\d+)\s*MiB\s*\|\s*(N/A|\d{1,3}\s*%)\s+(E\.\s?Process|E\.\s?Thread|Prohibited|Default)\s*\|", re.I)


def failures(lines: list[str]) -> list[tuple[int, str, str]]:
    """(line number, the failure's kind, the line) of each line that names a failure at the GPU's start; one per kind."""
    out: list[tuple[int, str, str]] = []
    kinds: set[str] = set()
    for number, line in enumerate(lines, 1):
        if len(line) > 2000:
            continue
        kind = failure_of(line)
        if kind and kind not in kinds:
            kinds.add(kind)
            out.append((number, kind, line.strip()))
    return out


def holders_said(text: str) -> list[tuple[int, str, str]]:
    """(line number, the words, the line) of each sentence of ``text`` in which the writer says another process, program,
    user or notebook kernel is on the GPU; at most one per line."""
    low = text.lower()
    if not any(w in low for w in _HOLDER_WORDS) or not any(w in low for w in _HOLDER_NOUNS):
        return []
    out: list[tuple[int, str, str]] = []
    start_of_line = 0
    for number, line in enumerate(text.split("\n"), 1):
        here = start_of_line
        start_of_line += len(line) + 1
        line_low = line.lower()
        if len(line) > 1000 or not any(w in line_low for w in _HOLDER_WORDS) or grammar.code_comment(line):
            continue
        found = holder_form(line)
        if found is None or grammar.in_code(text, here + found.start(), here + found.end()):
            continue
        left, right = grammar.sentence_at(line, found.start(), found.end())
        if (_NOT_ASSERTED_BEFORE.search(line[left:found.start()]) is not None or grammar.asked(line, left, right, found.start(), found.end())
                or grammar.advised(line, left, found.start(), found.end()) or grammar.hearsay(line, left, right)
                or grammar.supposed(line, left, right, found.start(), found.end()) or grammar.quoted_from(line, found.start())):
            continue
        out.append((number, found.group(0).strip(), line.strip()))
    return out


def mode_rows(lines: list[str]) -> list[tuple[int, ModeRow, str]]:
    """(line number, the row, the line) of each monitor row that shows a GPU's compute mode beside its use."""
    out: list[tuple[int, ModeRow, str]] = []
    for number, line in enumerate(lines, 1):
        if "MiB" not in line or "|" not in line:
            continue
        if (m := _MODE_ROW.search(line)) is not None:
            util = -1.0 if m.group(3).upper() == "N/A" else float(m.group(3).rstrip("% "))
            out.append((number, ModeRow(" ".join(m.group(4).split()), util, float(m.group(1)), float(m.group(2))), line.strip()))
    return out
