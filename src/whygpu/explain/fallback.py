"""A program's own fallback to the CPU, and the reason it gives (accfall, session 31).

The fact: the program decided to run its work on the CPU and said so. Programs built on a framework test for the GPU
before they start and print what they chose, often with why: ``'cuda' if torch.cuda.is_available() else 'cpu'`` and a
notice ("No GPU found, use CPU instead", "CUDA not available - defaulting to CPU", "No NVIDIA GPU detected. ... will run
in CPU-only mode"), a test of the GPU's free memory against the program's own threshold ("GPU 0 has 4095.56 MB memory
left" then "use cpu"; "GPU VRAM is too small. Computing on CPU."; "not enough vram available, falling back to CPU only"),
or of the build ("not compiled with GPU offload support"). One reading for all of them, whatever the program:

- the CHOICE: the program's words that its work goes to the CPU now (a verb of use, running, computing, falling back,
  defaulting or switching with the CPU as its object, "in CPU mode", "CPU-only mode", the same in Chinese: 使用CPU);
- the REASON, in the same line or in the program's line just before it (the two lines a program often prints): no GPU
  found or available (the framework's own "no GPU" answer: which cause is behind it is ranked, ``LogFacts.cpu_notice``
  and LOG104), too little free GPU memory for the program's own threshold (the GPU was found and works: the program chose
  the CPU, CODE_FORCES_CPU, LOG450), or a build without GPU support (a CPU build);
- no reason given: the fallback is still the GPU not used (the program found no GPU it could use), ranked like the
  framework's "no GPU" answer, with the check that decides.

Not read (each its own test below): one part of the work put on the CPU (a tensor, a layer, an operator: ``works.partial``;
the tokenizer or preprocessing); the writer's own words about their run ("I use the CPU") and a CPU run they chose (on
purpose, for a benchmark: ``LogFacts.cpu_is_goal``, knowledge.cpu_choice); code that prints the words (``print("... use CPU")``), a comment or a
condition; a question, advice or a supposition in the writer's sentence ("if no GPU is found it will use the CPU" quoted
from the docs); a utilisation ("using the CPU at 100%"); the GPU used beside it in the same sentence.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from whygpu import lazyre as re
from whygpu.explain import grammar, works

# The choice: the work put on the CPU from now on, in the verbs programs print. The CPU is the verb's object; an
# "instead", "only", "mode" or "device" may follow.
_CPU_TAIL = r"(?:[- ]only)?(?:\s+(?:mode|device|backend|instead|only|for\s+(?:inference|computation|processing|training|generation|transcription)))*"
_CHOICE = re.eager(
    r"(?<![A-Za-z])(?:(?:will|'ll|shall|is\s+going\s+to)\s+(?:now\s+|only\s+)?)?"
    r"(?:use|using|uses|run|running|runs|compute|computing|computes|process|processing|fall(?:ing|s)?\s+back|fallback|"
    r"default(?:ing|s)?|switch(?:ing|ed|es)?|revert(?:ing|ed|s)?|continu(?:e|ing|es))"
    r"\s+(?:to\s+|on\s+|with\s+|in\s+)?(?:the\s+)?cpu\b" + _CPU_TAIL +
    r"|\b(?:in|on)\s+(?:the\s+)?cpu[- ](?:only[- ])?mode\b|\bcpu[- ]only\s+mode\b"
    # The device a program records it chose ("Use pytorch device_name: cpu", sentence-transformers' SentenceTransformer
    # logs it after its own device test: https://github.com/UKPLab/sentence-transformers/blob/master/sentence_transformers/SentenceTransformer.py).
    r"|\b(?:use|using)\s+(?:[a-z]+\s+)?device(?:[_ ]name)?\s*[:=]\s*['\"`]?cpu\b",
    re.I)
# The same in Chinese (使用CPU进行推理, 切换到CPU, CPU模式): read only beside a reason in the same line, since a Chinese sentence has
# no spaces to tell a program's message from the writer's comparison ("用CPU训练正常，用GPU训练报错": a CPU run that works).
_CHOICE_CJK = re.compile(r"(?:使用|采用|改用|切换到|切换至|回退到|回退至)\s*cpu|cpu\s*模式", re.I)

# The reasons, by what they mean.
# The framework found no GPU: "No GPU found", "no GPU or NPU found", "CUDA not available", "Neither CUDA nor MPS are
# available", "torch.cuda.is_available() is False", "No NVIDIA GPU detected", "没有发现支持的N卡": the one pattern of that
# meaning, ``grammar.no_device`` (accnodev, session 33: this module kept a copy of it, of another scope than errorwords').
# The work named on the CPU ("Conversion on CPU is very slow."): a fallback only beside a reason in the same line.
_WORK_ON_CPU = re.compile(
    r"\b(?:conversion|inference|processing|transcription|generation|training|computation|prediction|encoding|decoding)\s+"
    r"(?:will\s+(?:run\s+|be\s+done\s+)?)?(?:on|using)\s+(?:the\s+)?cpu\b", re.I)
# Too little GPU memory for the program's own threshold: a number of MB/GB left or free, or the memory said too small.
_MEMORY = re.compile(
    r"\b(?:gpu\s*\d*\s+has\s+(?:only\s+)?)[\d.,]+\s*[mg]i?b\s+(?:of\s+)?(?:free\s+)?(?:gpu\s+|video\s+)?(?:memory|vram)"
    r"|\b[\d.,]+\s*[mg]i?b\s+(?:of\s+)?(?:free\s+)?(?:gpu\s+|video\s+)?(?:memory|vram)\s+(?:left|free|available|remaining)\b"
    r"|\b(?:vram|gpu\s+memory|video\s+memory|graphics\s+memory|gpu\s+ram)\s+(?:\w+\s+)?(?:is\s+|was\s+)?(?:too\s+(?:small|low|little)|insufficient|not\s+(?:enough|sufficient)|below|less\s+than)\b"
    r"|\b(?:not\s+enough|insufficient|too\s+little|low|only\s+[\d.]+\s*[mg]i?b)\s+(?:free\s+)?(?:vram|gpu\s+memory|video\s+memory|gpu\s+ram)\b"
    r"|显存(?:不足|不够|太小|小于|低于)",
    re.I)
# A build without GPU support: "not compiled with GPU offload support", "built without CUDA", "CPU version of ...".
_BUILD = re.compile(
    r"\bnot\s+(?:compiled|built)\s+with\s+(?:cuda|gpu|cublas)|\b(?:compiled|built)\s+without\s+(?:cuda|gpu)"
    r"|\b(?:using|installed)\s+(?:the\s+|a\s+)?cpu[- ](?:only\s+)?(?:version|build|package)\b",
    re.I)

# The writer's own run: a first person before the choice in its clause ("I use the CPU", "we are running on cpu").
_FIRST_PERSON = re.compile(r"\b(?:i|we|you|i'm|im|we're|you're)\s+(?:(?:am|are|was|were|have|had|been|also|just|then|still|only|now|always|can|could|will|would|want\s+to|need\s+to|try\s+to|tried\s+to)\s+)*$", re.I)
# A verb after the words that makes them its subject.
_SUBJECT_OF = re.compile(r"\s+(?:is|was|are|were|would|will\s+be|should|works?|worked|takes?|took|seems?|seemed|makes?|made|gives?|costs?)\b", re.I)
# A question that asks why presupposes what it asks about ("why does it still show using cpu?", "为什么还是显示using cpu").
_WHY = re.compile(r"\bwhy\b|为什么|为何|怎么回事", re.I)
# Code that prints the words ("print(\"No GPU, using CPU\")", "logger.warning('use cpu')"): the source, not its output.
_IN_CALL_STRING = re.compile(r"\b\w+\s*\(\s*[fFrRbBuU]?[\"'][^\"']*$")
# A utilisation, not a placement: "using CPU at 100%", "the CPU heavily".
_MEASURE = re.compile(r"\s*(?:at\s+|to\s+|up\s+to\s+)?(?:\d+\s*%|100\b|heavily|fully|a\s+lot|intensively)", re.I)
# A condition on the choice ("if no GPU is found, use the CPU", "otherwise use cpu", "else 'cpu'"): a rule, not a run.
_CONDITION = re.compile(r"\b(?:if|when|whenever|unless|otherwise|else|in\s+case|fallback\s+logic|falls?\s+back\s+automatically)\b|如果|若", re.I)
# The GPU's own share in the same sentence ("uses the CPU for decoding and the GPU for the model").
_GPU_WORD = re.compile(r"\b(?:gpus?|cuda|vram|n卡|显卡)\b|n卡|显卡", re.I)
_GPU_LACKING = re.compile(
    r"\b(?:no|not|neither|without|instead|unavailable|absent|missing|cannot|can't|could\s+not|couldn't|fail\w*|n't|small|insufficient|enough|left|less)\b"
    r"|没有|未|无法|找不到|不足", re.I)
# A log level among a record's fields ("10-17 02:46:58.559 - INFO - separator - ..."): the line is a program's.
_LEVEL = re.compile(r"(?:^|[\s\[|:(-])(?:INFO|WARNING|WARN|ERROR|DEBUG|NOTICE)(?=[\s\]|:)-])")
# A log record's prefix before a program's message (a level, a time, a logger's name, a tag) or a separator closing one.
_MESSAGE_START = re.compile(r"(?:^|[:\]|>»-]\s*|\s-\s+|msg=\"?|[\"'`“])\s*$")
# The writer reporting what the program printed, right before its words ("it says it is using CPU", "显示using cpu", "the log
# shows: running in CPU mode"): the words are the program's message, not the writer's own account.
_REPORTED = re.compile(r"(?:\b(?:says?|said|shows?|showed|prints?|printed|displays?|displayed|reports?|reported|outputs?|logs?|logged|tells\s+me|told\s+me)"
                       r"(?:\s+(?:that|me))?\s*:?\s*(?:it(?:'s|\s+is|\s+was|\s+will)?\s+)?|显示|提示|输出|打印|报)\s*$", re.I)
# How many lines above the choice the program's line with its reason may stand (the two lines a program prints).
_REASON_REACH = 2

NO_DEVICE, MEMORY, BUILD, NONE = "no_device", "memory", "build", "none"


@dataclass(frozen=True)
class Fallback:
    """A program's fallback to the CPU: the reason's kind (``NO_DEVICE``, ``MEMORY``, ``BUILD`` or ``NONE``), the line
    number of the choice (1-based), the choice's line and the reason's words as shown."""

    reason: str
    number: int
    line: str
    because: str

    def __str__(self) -> str:
        return self.because or self.line


def _reason(text: str) -> tuple[str, str] | None:
    """The reason a line gives for a fallback: (kind, the words), the build and the memory before the plain "no GPU"."""
    for kind, find in ((BUILD, _BUILD.search), (MEMORY, _MEMORY.search), (NO_DEVICE, grammar.no_device)):
        m = find(text)
        if m is not None and not grammar.code_comment(text) and not _IN_CALL_STRING.search(text, 0, m.start()):
            return kind, m.group(0)
    return None


def _programs_line(text: str, start: int) -> bool:
    """Whether the words at ``start`` are a program's message: on a program's line (a log record), opening the line or
    following a record's prefix or separator, or inside quotation marks (a message the writer quotes)."""
    if grammar.program_line(text) or grammar.quoted(text, start) or _LEVEL.search(text, 0, start) is not None:
        return True
    if _REPORTED.search(text, max(0, start - 40), start) is not None:
        return True
    return _MESSAGE_START.search(text, 0, start) is not None or not text[:start].strip()


def choice(text: str) -> re.Match[str] | None:
    """The words of a line in which a program says its work goes to the CPU now (above), or None."""
    low = text.lower()
    if "cpu" not in low or len(text) > 2000 or grammar.code_comment(text):
        return None
    candidates = list(_CHOICE.finditer(text))
    if _reason(text) is not None:
        candidates += list(_WORK_ON_CPU.finditer(text)) + list(_CHOICE_CJK.finditer(text))
    for m in candidates:
        if _MEASURE.match(text, m.end()) or _IN_CALL_STRING.search(text, 0, m.start()):
            continue
        if works.partial(text, m.group(0)):
            continue  # one tensor, layer or operator on the CPU, not the work
        left, right = grammar.sentence_at(text, m.start(), m.end())
        clause = grammar.clause_before(text[left:m.start()])
        reported = _REPORTED.search(text, max(0, m.start() - 40), m.start()) is not None
        if _FIRST_PERSON.search(clause) or (_CONDITION.search(text[left:m.start()]) and not reported):
            continue
        if m.re is _CHOICE and _SUBJECT_OF.match(text, m.end()):
            continue  # the words are a subject ("using CPU is fine", "running on CPU takes hours"): what such a run is like
        sentence = text[left:right]
        if _GPU_WORD.search(sentence) and not _GPU_LACKING.search(sentence) and _reason(sentence) is None:
            continue  # the GPU has its own share ("the CPU for decoding and the GPU for the model")
        if not _programs_line(text, m.start()):
            # Not a program's line: the writer's words, read as a fallback only when a reason shares the sentence ("No
            # GPU found, use CPU instead" pasted bare) and the sentence is asserted.
            if _reason(sentence) is None or not grammar.said(text, m.start(), m.end(), quotes=False):
                continue
        elif not grammar.program_line(text) and ((grammar.asked(text, left, right, m.start(), m.end()) and not _WHY.search(text, left, m.start()))
                                                 or grammar.advised(text, left, m.start(), m.end())):
            continue
        return m
    return None


# --- a GPU setting given, and the program's own echo of its settings with it off ---------------------------------------

# Programs echo the settings they run with (PaddleOCR's "ppocr DEBUG: Namespace(..., use_gpu=False, ...)", argparse's
# Namespace, a config dump), after their own device test: PaddleOCR turns use_gpu off where Paddle is not compiled with
# CUDA or finds no GPU (ppocr/utils/utility.py check_gpu, https://github.com/PaddlePaddle/PaddleOCR/blob/release/2.7/tools/infer/utility.py).
# A switch the writer set on (use_gpu=True, --use_gpu true, device cuda) echoed off is that test's answer: the framework found
# no GPU it could use, the same "no GPU" answer as a fallback with no reason.
_KEYS = r"(?:use_gpu|use_cuda|gpu|cuda|device)"
_ECHO_OFF = re.compile(r"(?:--|\b)(?P<key>" + _KEYS + r")\s*[=:]\s*['\"]?(?:False|false|cpu)['\"]?(?=[\s,;)}\]]|$)")
_SET_ON = re.compile(r"(?:--|\b)(?P<key>" + _KEYS + r")\b\s*(?:=|:|\s+(?:as|to|is)\s+|\s+)\s*['\"]?(?:True|true|cuda(?::\d)?|gpu)['\"]?(?![\w])")
_ECHO_LINE = re.compile(r"\bNamespace\(|\b(?:DEBUG|INFO)\b|^\s*[{(]|(?:\b\w+=[^,\s]+,\s*){3}")
_CONTRAST = re.compile(r"\b(?:but|however|still|yet|though|although)\b|但是|但|却|仍然|还是", re.I)


def setting_overridden(lines: Sequence[str]) -> Iterator[tuple[int, str]]:
    """Each line where the program's echo of its settings shows a GPU switch off that the writer set on (above):
    (line number, the line). The writer's setting and the echo may share a line when a contrast joins them ("I set
    --use_gpu=true, but it runs with --use_gpu=false")."""
    # The echoes first (rare: a switch's name with False or cpu), then the writer's settings, only where an echo is shown.
    echoes = [(number, line) for number, line in enumerate(lines, 1)
              if len(line) <= 4000 and ("False" in line or "false" in line or "cpu" in line) and _ECHO_OFF.search(line)]
    if not echoes:
        return
    set_on: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        if len(line) > 4000 or not ("rue" in line or "cuda" in line or "gpu" in line):
            continue
        for m in _SET_ON.finditer(line):
            if not grammar.code_comment(line) and not _IN_CALL_STRING.search(line, 0, m.start()):
                set_on.setdefault(m.group("key").lower(), number)
    if not set_on:
        return
    for number, line in echoes:
        for m in _ECHO_OFF.finditer(line):
            at = set_on.get(m.group("key").lower())
            if at is None:
                continue
            if at == number:
                first = _SET_ON.search(line)
                if first is None or first.start() > m.start() or not _CONTRAST.search(line, first.end(), m.start()):
                    continue
            elif not _ECHO_LINE.search(line):
                continue
            yield number, line.strip()
            return


def fallbacks(lines: Sequence[str]) -> Iterator[Fallback]:
    """Each fallback to the CPU a program prints in ``lines``, with the reason it gives (above)."""
    for number, line in enumerate(lines, 1):
        m = choice(line) if "cpu" in line.lower() else None
        if m is None:
            continue
        found = _reason(line)
        if found is None:
            # The reason on the program's line just before ("GPU 0 has 4095.56 MB memory left." then "use cpu").
            above = [lines[i] for i in range(max(0, number - 1 - _REASON_REACH), number - 1) if lines[i].strip()]
            for prior in reversed(above):
                found = _reason(prior)
                if found is not None:
                    at = prior.lower().find(found[1].lower())
                    if grammar.program_line(prior) or grammar.said(prior, at, at + len(found[1]), quotes=False):
                        break
                    found = None
        kind, because = found if found is not None else (NONE, "")
        yield Fallback(kind, number, line.strip(), because)
