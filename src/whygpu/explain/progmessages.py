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

import re
from collections.abc import Iterator, Sequence

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
