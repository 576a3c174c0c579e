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

from whygpu import lazyre as re
from whygpu.explain import grammar
from whygpu.knowledge.occupancy import ModeRow, failure_of, failure_possible, holder_form
from whygpu.knowledge.utilisation import CPU, GPU, Reading

# Cheap tests before any pattern runs.
_HOLDER_WORDS = ("other", "someone", "somebody", "anther", "two ", "2 ", "several", "multiple", "both ", "second", "其他", "别的", "其它", "他人", "别人",
                 "background", "number of", "first", "1st")
_HOLDER_WORD = re.compile("|".join(re.escape(w) for w in _HOLDER_WORDS))
_HOLDER_NOUNS = ("user", "process", "program", "job", "app", "kernel", "notebook", "instance", "container", "training", "script",
                 "someone", "somebody", "people", "person", "session", "task", "model", "else", "其他", "别的", "其它", "他人", "别人", "software", "server")
# A negation, a hypothesis or a hint before the form in its clause: "no other application is using", "check whether there
# is any other process using", "if another process holds".
# (Not "only ... if": "it only comes up if I have 2 kernels running" reports when the failure happens; nor "I found that if":
# "I found that if two mxnet programs run on the same GPU and one of them cause out of memory error" reports what was seen.)
_NOT_ASSERTED_BEFORE = re.compile(r"(?:\b(?:no|not|n't|never|nothing|none|without|any|whether|unless|might|may|could|maybe|perhaps|possibly|probably)|(?<!\bonly\s)(?<!\bup\s)(?<!\bfound\sthat\s)\bif)\b[^.;!?\n]{0,40}$", re.I)
# What the writer saw happen when: "I found that if two mxnet programs run on the same GPU ..." is a report, not a supposition.
_OBSERVED_IF = re.compile(r"\b(?:found|noticed|observed|saw|realized|realised)\s+that\s+(?:if|when(?:ever)?)\s+$", re.I)
# Advice the writer says was followed is the writer's own act: "I followed the recommendation given in [this issue] to reduce
# the number of running jobs" (facebookresearch/muss#37).
_FOLLOWED = re.compile(r"\b(?:I|we)\s+(?:have\s+)?(?:followed|took|applied|tried)\s+(?:the|your|this|that|his|her|their)\s+(?:recommendation|advice|suggestion|tip)s?\b", re.I)
_CLAUSE_CAUSE = re.compile(r"\b(?:because|since)\b", re.I)
# nvidia-smi's table row with the compute-mode column: "| 9000MiB / 16152MiB | 98% E. Process |".
_MODE_ROW = re.compile(r"\|\s*(\d+)\s*MiB\s*/\s*(\d+)\s*MiB\s*\|\s*(N/A|\d{1,3}\s*%)\s+(E\.\s?Process|E\.\s?Thread|Prohibited|Default)\s*\|", re.I)


def failures(lines: list[str], text: str | None = None) -> list[tuple[int, str, str]]:
    """(line number, the failure's kind, the line) of each line that names a failure at the GPU's start; one per kind.
    ``text``: the text ``lines`` were split from, where the caller has it (then read only where a line can name one)."""
    out: list[tuple[int, str, str]] = []
    if text is not None and not failure_possible(text):
        return out
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
    """(line number, the writer's sentence, the line) of each sentence of ``text`` in which the writer says another process,
    program, user or notebook kernel is on the GPU; at most one per line."""
    low = text.lower()
    if not any(w in low for w in _HOLDER_WORDS) or not any(w in low for w in _HOLDER_NOUNS):
        return []
    out: list[tuple[int, str, str]] = []
    start_of_line = 0
    for number, line in enumerate(text.split("\n"), 1):
        here = start_of_line
        start_of_line += len(line) + 1
        line_low = line.lower()
        if len(line) > 1000 or _HOLDER_WORD.search(line_low) is None or grammar.code_comment(line):
            continue
        found = holder_form(line)
        if found is None:
            continue
        left, right = grammar.sentence_at(line, found.start(), found.end())
        observed = _OBSERVED_IF.search(line, left, found.start()) is not None  # "I found that if ...": prose, not an `if` of code
        if not observed and grammar.in_code(text, here + found.start(), here + found.end()):
            continue
        # A negation of an earlier clause stops at "because" / "since": "the gpu is not available because someone else is
        # running a job on it" asserts the holder (cbio-cluster-220).
        before = _CLAUSE_CAUSE.split(line[left:found.start()])[-1]
        if (_NOT_ASSERTED_BEFORE.search(before) is not None or grammar.asked(line, left, right, found.start(), found.end())
                or (grammar.advised(line, left, found.start(), found.end()) and _FOLLOWED.search(line, left, found.start()) is None) or grammar.hearsay(line, left, right)
                or (grammar.supposed(line, left, right, found.start(), found.end()) and not observed) or grammar.quoted_from(line, found.start())):
            continue
        # The holder named in the writer's own sentence (the clause the form sits in, at most 160 characters around it).
        sentence = line[left:right].strip()
        words = sentence if len(sentence) <= 160 else line[max(left, found.start() - 60):min(right, found.end() + 60)].strip()
        out.append((number, words, line.strip()))
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


# --- the run's own GPU, starved: forms of the writer's words utilread does not read ---------------------------------
# The GPU's use called light or not high in words ("It seems that GPU is under a very light load", "the GPU usage is not
# high"), read as utilread's low-words reading; with the CPU said full in the same sentence ("while CPU usage is almost
# full(100% used for a core)") the GPU waits for the CPU side (knowledge.utilisation.decide's cpu_beside).
_GPU_LIGHT = re.compile(
    r"\bGPUs?(?:[- ](?:usage|util\w*|utili[sz]ation|load))?\s+(?:is|was|are|were|seems?\s+to\s+be|remains?|stays?)\s+(?:still\s+|often\s+|always\s+|only\s+)?"
    r"(?:not\s+(?:very\s+)?(?:high|full|maxed(?:\s+out)?|saturated|fully\s+(?:used|utili[sz]ed|loaded))|under\s+(?:a\s+)?(?:very\s+)?(?:light|low|small)\s+load)\b",
    re.I)
_CPU_FULL = re.compile(
    r"\bCPU(?:\s+(?:usage|utili[sz]ation|load))?\s+(?:is|was|are|stays?|remains?)\s+(?:often\s+|always\s+|almost\s+|nearly\s+|constantly\s+)?(?:full\b|at\s+100\s*%|100\s*%)"
    r"|\b100\s*%\s+used\s+for\s+(?:a|one)\s+(?:single\s+)?core\b", re.I)
# A share said to fluctuate and to touch zero at times ("the GPU-Util index has been fluctuating, sometimes even 0%"): kernels
# in bursts with waits between (utilread's burst reading, across the comma its subject-binding stops at).
_ZERO_AT_TIMES = re.compile(
    r"\bGPU[- ]?(?:util\w*|usage|load|utili[sz]ation)\b[^.;!?\n]{0,40}?\bfluctuat\w*[^.;!?\n]{0,20}?\b(?:sometimes|occasionally|often|at\s+times)\s+"
    r"(?:even\s+|down\s+to\s+|drops?\s+to\s+|goes\s+to\s+)?0\s*%?(?![\d.])", re.I)

# accunderused (session 37): the GPU's share said zero of the run's work, and the writer's words that the input side is slow
# in the sentences around it ("When I used yolov8 to train cityscapes datasets, GPU utilization was always zero. Then I found
# ... my data enhancement being extremely slow during the training", ultralytics#9843): the zero of a GPU that waits for its
# input, read as utilread's zero with the input side named (knowledge.utilisation.decide's input_named), which utilread reads
# only within one sentence. The input side said slow alone, or a zero alone, is not read here.
_GPU_ZERO_AT_WORK = re.compile(
    r"\bGPU[- ]?(?:util\w*|usage|load|utili[sz]ation)\b[^.;!?\n]{0,30}?\b(?:is|was|were|are|stays?|stayed|remains?|remained)\s+"
    r"(?:always\s+|constantly\s+|still\s+|only\s+|mostly\s+)?(?:zero\b|0(?!\d|\.\d)\s*%?)", re.I)
_INPUT_SLOW = re.compile(
    r"\b(?:data\s*(?:loading|loader|enhancement|augmentation|pre-?processing|reading|pipeline)|dataloader|input\s+pipeline|(?:data\s+)?pre-?processing|augmentation)"
    r"\s+(?:is\s+|was\s+|being\s+|are\s+|were\s+)?(?:extremely\s+|very\s+|really\s+|too\s+|so\s+|quite\s+)?(?:slow(?:er)?\b|the\s+bottleneck\b)", re.I)
_AROUND = 400  # characters between the zero and the input side said slow: the sentences around it in one post


def _zero_beside_slow_input(text: str) -> list[tuple[int, Reading, str]]:
    low = text.lower()
    if "slow" not in low and "bottleneck" not in low:
        return []
    slow = [m for m in _INPUT_SLOW.finditer(text) if grammar.said(text, m.start(), m.end())
            and not grammar.asked(text, *grammar.sentence_at(text, m.start(), m.end()), m.start(), m.end())]
    if not slow:
        return []
    for zero in _GPU_ZERO_AT_WORK.finditer(text):
        left, right = grammar.sentence_at(text, zero.start(), zero.end())
        if not grammar.said(text, zero.start(), zero.end()) or grammar.asked(text, left, right, zero.start(), zero.end()):
            continue
        if any(abs(m.start() - zero.start()) <= _AROUND for m in slow):
            number = text.count("\n", 0, zero.start()) + 1
            line = text.split("\n")[number - 1]
            return [(number, Reading(GPU, 0.0, 0.0, at_work=True, input_named=True), line.strip())]
    return []


def starved_said(text: str) -> list[tuple[int, Reading, str]]:
    """(line number, the reading, the line) of each sentence of ``text`` in which the writer says the GPU's use is light
    (with the CPU said full beside it) or that it fluctuates down to zero at times: knowledge.utilisation's readings, in
    forms explain/utilread.py does not read."""
    low = text.lower()
    if "gpu" not in low:
        return []
    out: list[tuple[int, Reading, str]] = _zero_beside_slow_input(text) if ("zero" in low or "0" in low) else []
    if not ("not " in low or "light" in low or "under" in low or "fluctuat" in low):
        return out
    start_of_line = 0
    for number, line in enumerate(text.split("\n"), 1):
        here = start_of_line
        start_of_line += len(line) + 1
        if len(line) > 1000 or "gpu" not in line.lower() or grammar.code_comment(line):
            continue
        for rx in (_GPU_LIGHT, _ZERO_AT_TIMES):
            m = rx.search(line)
            if m is None or grammar.in_code(text, here + m.start(), here + m.end()) or grammar.quoted_from(line, m.start()):
                continue
            left, right = grammar.sentence_at(line, m.start(), m.end())
            if not grammar.said(line, m.start(), m.end()) or grammar.asked(line, left, right, m.start(), m.end()):
                continue
            if rx is _ZERO_AT_TIMES:
                out.append((number, Reading(GPU, 0.0, 0.0, burst=True), line.strip()))
                break
            cpu = _CPU_FULL.search(line, left, right)
            if cpu is not None:
                out.append((number, Reading(GPU, 0.0, 0.0, word="low", cpu_beside=100.0), line.strip()))
                out.append((number, Reading(CPU, 100.0, 100.0, word="full"), line.strip()))
                break
    return out
