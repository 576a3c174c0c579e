"""Programs' own checks of the framework's GPU answer, read by what a failed check means (session 22, branch accmsg).

A program that asserts the framework's GPU query (``assert torch.cuda.is_available(), "CPU training is not allowed"``)
and fails says the framework answered "no GPU": Python raises ``AssertionError`` only when the condition is false, and
its traceback prints the failing statement's source line just above the exception line. The message the program gives
its assertion is its own wording and says nothing more (any language, any words), so the reader keys on the statement
and the exception, not on the message. A program that exits saying it found no GPU ("No GPU found, exiting") reports
the same answer in its own words. Either is the framework's "no GPU" answer, which the generic no-GPU reading (LOG104)
ranks; this module only finds it.

Not read: the statement quoted without its exception (code shown, not run), a negated or compound condition (``assert
not ...``, ``... and x``: the other term may be the one that failed), a count compared with more than one GPU (``>= 2``
fails on a one-GPU machine that works).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from whygpu import lazyre as re
from whygpu.explain import answers

# The failing statement as a traceback prints it: indented source, ``assert`` and its condition, an optional message.
_ASSERT = re.compile(r"^[\s>|`]*(?:\d+\s+)?(?:-+>\s*)?assert\s+(?P<cond>.+?)\s*$")
# The exception line that follows it (a traceback's last line, pytest's "E   " prefix, a logger's prefix).
_ASSERTION_ERROR = re.compile(r"^[\s>|`]*(?:E\s+)?(?:[\w.]+:\s*)?(?:\w+\.)*AssertionError\b")
# A condition that is the query alone or says it found at least one GPU.
_AT_LEAST_ONE = re.compile(r"^\s*(?:(?:==|is)\s*True|>\s*0|>=\s*1|!=\s*0|(?:is\s+not|!=)\s*(?:False|None|\[\]))?\s*$")
_LEN = re.compile(r"^len\s*\((?P<inner>.+)\)(?P<rest>[^()]*)$")

# A program's own words that it found no GPU and stops: "No GPU found, exiting", "no CUDA device detected. Aborting".
_EXITS_ON_NO_GPU = re.compile(
    r"\bno\s+(?:CUDA[- ](?:capable\s+)?|NVIDIA\s+|available\s+|usable\s+)?(?:GPUs?|CUDA\s+devices?|GPU\s+devices?)\s+"
    r"(?:was\s+|were\s+|is\s+|are\s+)?(?:found|detected|available)\b[\s,.;:!-]*(?:so\s+)?"
    r"(?:exiting|aborting|quitting|stopping|terminating|exit(?:s|ed)?|abort(?:s|ed)?|will\s+(?:now\s+)?(?:exit|abort|stop))\b",
    re.I,
)
_HOW_LONG = 4  # lines from the statement to its exception: a traceback may print a caret line and a blank between


def _message_split(cond: str) -> str:
    """The condition without the assertion's message (after the first comma outside brackets and quotes)."""
    depth, quote = 0, ""
    for i, ch in enumerate(cond):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            return cond[:i]
    return cond


def asserted_query(statement: str) -> str | None:
    """The framework whose GPU query an ``assert`` statement's whole condition is (``torch`` for ``assert
    torch.cuda.is_available()``), or None when the line is no such statement."""
    m = _ASSERT.match(statement)
    if m is None:
        return None
    cond = _message_split(m.group("cond")).strip().strip("()").strip()
    if re.search(r"\bnot\b|\band\b|\bor\b|\bif\b|\blambda\b", cond):
        return None
    inner = _LEN.match(cond)
    if inner is not None:
        cond, rest = inner.group("inner"), inner.group("rest")
    else:
        rest = ""
    queries = list(answers._QUERY.finditer(cond))
    if len(queries) != 1:
        return None
    query = queries[0]
    kind = query.lastgroup or ""
    if kind in ("prefix", "count_prefix", "mx"):
        kind = next(k for k in ("bool", "count") if query.group(k))
    if kind not in ("bool", "count", "paddle_count", "gpu_list"):
        return None  # a device string or the whole device list asserts something else
    if cond[: query.start()].strip() and not re.fullmatch(r"[A-Za-z_][\w.]*\.", cond[: query.start()].strip()):
        return None  # the query's module path (``tf.test.``) may stand before it, nothing else
    tail = cond[query.end():] + rest
    if not _AT_LEAST_ONE.match(tail):
        return None
    return answers._framework(kind, query, cond)


def failed_gpu_assertions(lines: Sequence[str]) -> Iterator[tuple[int, str, str]]:
    """Each ``assert`` of a framework's GPU query followed by its ``AssertionError``: (1-based line, framework, text)."""
    for i, line in enumerate(lines):
        if "assert" not in line or "AssertionError" in line:
            continue
        framework = asserted_query(line)
        if framework is None:
            continue
        for j in range(i + 1, min(len(lines), i + 1 + _HOW_LONG)):
            if _ASSERTION_ERROR.match(lines[j]):
                yield i + 1, framework, f"{line.strip()} ⏎ {lines[j].strip()}"
                break
            if lines[j].strip() and not re.match(r"^[\s^~]*$", lines[j]) and "File " in lines[j]:
                break  # another frame: the statement was not the one that raised


# What a program's own line may carry before its message: tags in brackets, a level, a time stamp, a logger's name.
_LINE_PREFIX = re.compile(r"^[\s>`*]*(?:(?:\[[^\]]{0,60}\]|\(\w+\)|[A-Z]{3,8}:?|[\d/:.,T-]{6,}|[\w.-]+:(?:\d+:?)?\]?|[\w.]+\s*-)\s*)*$")


def exits_on_no_gpu(text: str) -> re.Match[str] | None:
    """A program's own line that it found no GPU and stops (the message opens the line after at most a log prefix;
    not asked, supposed or advised), or None."""
    m = _EXITS_ON_NO_GPU.search(text)
    if m is None or not _LINE_PREFIX.match(text[: m.start()]) or not answers.said_of_now(text, m.start(), m.end()):
        return None
    return m


# --- the writer's words that other processes hold the GPU's memory (GPU_BUSY, with an out-of-memory error) -----------

# Who holds it: processes, jobs, kernels... that are not the failing run (an adjective of other-ness is required).
_OTHER = (r"(?:other|another|previous|earlier|old|older|stale|zombie|dead|defunct|orphan(?:ed)?|dangling|leftover|"
          r"hung|background|finished|completed|killed|idle|unused|no-longer-used|abandoned)")
_HOLDER = (r"\b" + _OTHER + r"(?:\s+[\w-]+){0,3}?\s+(?:process(?:es|\(es\))?|jobs?|kernels?|instances?|sessions?|workers?|"
           r"containers?|pods?|users?|programs?|notebooks?)")
_HOLD_VERB = (r"(?:hold|holds|holding|held|use|uses|using|occupy|occupies|occupying|consume|consumes|consuming|retain|"
              r"retains|retaining|take|takes|taking|hog|hogs|hogging|keep|keeps|keeping|reserve|reserves|reserving|eat|eats|eating)")
_MEMORY = r"(?:(?:up|all|most|much|some|almost|nearly|about|around|over|a\s+lot|of|the|their|its|[\d.,]+\s*(?:[GM]i?B|G|M))\s+){0,4}(?:(?:GPU|gpu|VRAM|vram|CUDA|cuda|video|device)(?:'s)?\s*memory|VRAM\b|vram\b)"
_HELD_BY_OTHERS = re.compile(
    _HOLDER + r"(?:\s*\([^)]{0,40}\))?\s+(?:(?:are|is|were|was|have\s+been|has\s+been|seem\s+to\s+be|still|also|can|continue\s+to|continues\s+to|keep|keeps)\s+){0,3}"
    + _HOLD_VERB + r"\s+(?:on\s+)?" + _MEMORY
    + r"|(?:GPU|gpu|VRAM|vram)\s*memory\s+(?:is|was|are|were|remains|stays)\s+(?:still\s+)?(?:being\s+)?"
    r"(?:held|used|occupied|taken|allocated|reserved|consumed)\s+by\s+(?:an?\s+|the\s+|some\s+)?(?:" + _OTHER + r"|someone|something)",
    re.I,
)
# Words before the holder that make it no statement of fact: a negated holder, an instruction to check.
_NOT_SAID = re.compile(r"\b(?:no|not|never|without)\s+(?:\w+\s+)?$|\b(?:make\s+sure|ensure|check\s+(?:that|whether|if)|verify|see\s+if)\b", re.I)
_OOM_WORDS = re.compile(r"out[- ]of[- ]memory|\bOOM\b|OutOfMemoryError|CUDA_ERROR_OUT_OF_MEMORY|RESOURCE_EXHAUSTED", re.I)


def memory_held_by_others(text: str) -> re.Match[str] | None:
    """The writer's words that other (earlier, zombie, background) processes hold the GPU's memory, asserted, or None."""
    m = _HELD_BY_OTHERS.search(text)
    if m is None or not answers.said_of_now(text, m.start(), m.end()):
        return None
    if _NOT_SAID.search(text[max(0, m.start() - 60):m.start()]):
        return None  # "no background process is ...", "make sure no other process holds ..."
    return m


def out_of_memory_said(text: str) -> bool:
    """Whether the text names an out-of-memory error in any of the frameworks' or the writers' usual words."""
    return _OOM_WORDS.search(text) is not None
