"""ONNX Runtime's execution providers as a program or the writer shows them, in any layout (accfall, session 31).

The fact: which providers an ONNX Runtime package offers, or a session runs on. What a list means is
``knowledge.onnxruntime.providers_meaning``'s (knowledge/onnxruntime.toml, each provider with its source). Two lists
mean different things, so each reading says which it is:

- AVAILABLE: what the installed package has (``get_available_providers()``, "Available providers: [...]", a program's
  menu of execution providers, argparse's "choose from" for an ``--execution-providers`` option). Without an NVIDIA
  provider the package in place has no CUDA provider: the CPU package (or it shadows onnxruntime-gpu).
- APPLIED: what a session was created with (``session.get_providers()``, InsightFace's "Applied providers: [...]", a
  program's "<model> providers: [...]"). Only the CPU there is the session on the CPU: the package has no CUDA provider, or
  it has one that could not be created (its CUDA or cuDNN libraries), which an AVAILABLE list with CUDA tells apart.

Layouts read: a Python list of quoted names (``['CPUExecutionProvider']``), a quoted comma list (ONNX Runtime's
"Available providers: 'AzureExecutionProvider, CPUExecutionProvider'"), argparse's ``(choose from 'cpu')``, and the
writer's words that the providers are only the CPU (and Azure): "EXECUTION PROVIDERS only azure and cpu", "leaving only
Azure and CPU as the EXECUTION PROVIDERS", "Only CPU shows as execution provider".

Not read: a list in code that asks for providers (``providers=['CPUExecutionProvider']``: a request, judged as a setting),
ONNX Runtime's own retry lines ("when using [...]", "Falling back to [...] and retrying": the error line before them says
why, read by its own signatures), nodes placed on a provider (one part of the graph), and in the writer's sentences a
question, a condition or advice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from whygpu.explain import grammar
from whygpu.knowledge.onnxruntime import providers_meaning

AVAILABLE, APPLIED = "available", "applied"

# A list of provider names: a Python list of quoted names, or a quoted comma list.
_FULL = r"[A-Za-z]+ExecutionProvider"
_LIST = re.compile(
    r"\[\s*(?P<py>['\"]?" + _FULL + r"['\"]?(?:\s*,\s*['\"]?" + _FULL + r"['\"]?)*)\s*,?\s*\]"
    r"|(?P<q>['\"]" + _FULL + r"(?:\s*,\s*" + _FULL + r")*['\"])")
# The label before a list, by which list it is.
_AVAILABLE_LABEL = re.compile(r"\bavailable(?:\s+[\w-]+)?\s+providers?\b|\bget_available_providers\b|\bavailable_providers\b|\bavailable\s+provider\s+names\b", re.I)
_APPLIED_LABEL = re.compile(r"\bapplied\s+providers\b|\.get_providers\b|\bsession\s+providers\b|\b(?:[\w-]+\s+){0,2}providers\s*:\s*$", re.I)
# A list not shown as what a package or a session has.
_NOT_SHOWN = re.compile(r"\bwhen\s+using\s*$|\bfalling\s+back\s+to\s*$|\bplaced\s+on\s*$|\bproviders?\s*=\s*$|\bInferenceSession\([^)]*$|\bnot\s+in\s*$", re.I)
# argparse refusing a choice of an --execution-providers option: the choices are what the program found available.
_CHOICES = re.compile(r"argument\s+--[\w-]*providers?\b[^\n]*?invalid\s+choice:\s*'[^']*'\s*\(choose\s+from\s+(?P<choices>'[^']*'(?:\s*,\s*'[^']*')*)\)", re.I)
# The writer's words that the execution providers are only the CPU's (and Azure's).
_SHORT = r"(?:cpu|azure|cpuexecutionprovider|azureexecutionprovider)"
_ONLY_SAID = re.compile(
    r"\bexecution\s+providers?\b[^.\n]{0,20}?\b(?:only|just)\s+(?P<a>" + _SHORT + r"(?:\s*(?:and|&|,|/)\s*" + _SHORT + r")*)\b"
    r"|\b(?:only|just)\s+(?P<b>" + _SHORT + r"(?:\s*(?:and|&|,|/)\s*" + _SHORT + r")*)\s+(?:(?:is|are|was|were)\s+)?(?:shows?|showed|shown|listed|available|left|remain\w*)?\s*(?:as|in|for|under)\s+(?:the\s+)?(?:available\s+)?execution\s+providers?\b"
    r"|\b(?:only|just)\s+(?P<c>" + _SHORT + r"(?:\s*(?:and|&|,|/)\s*" + _SHORT + r")*)\s+(?:is|are)\s+(?:available|listed|shown)\s+(?:as\s+)?(?:an?\s+)?(?:execution\s+)?providers?\b",
    re.I)


@dataclass(frozen=True)
class ProviderList:
    """A provider list a line shows: which list (``AVAILABLE``/``APPLIED``), what it means
    (``knowledge.onnxruntime.providers_meaning``), its line number and the line."""

    which: str
    meaning: str
    number: int
    line: str

    def __str__(self) -> str:
        return self.line


def _asserted(text: str, start: int, end: int) -> bool:
    """Whether the writer's words at ``start``..``end`` report what they saw: not a question (a question mark ends the
    sentence), a condition or a supposition, advice or hearsay. (A report opening with a bare verb, "Had this problem when
    ...", is no inverted question here: the list is what the writer saw.)"""
    left, right = grammar.sentence_at(text, start, end)
    if "?" in text[left:right] or "？" in text[left:right]:
        return False
    return not (grammar.supposed(text, left, right, start, end) or grammar.advised(text, left, start, end)
                or grammar.hearsay(text, left, right))


def _names(text: str) -> list[str]:
    return [n for n in re.split(r"[\s,'\"&/]+|\band\b", text) if n]


_NEGATED = re.compile(r"\bnot\b|n't\b|\bno\s+longer\b|\bnever\b|\bwithout\b", re.I)
_NO_MORE = re.compile(r"^[\s'\"`.,]*(?:any\s?more|no\s+more|before|earlier|previously)\b", re.I)


def _which(before: str, after: str = "") -> str | None:
    """Which list a label before it names, or None where the words around say it is no list shown now (a negation between
    the label and the list, "any more" after it)."""
    if _NOT_SHOWN.search(before) or _NO_MORE.match(after):
        return None
    for which, label in ((AVAILABLE, _AVAILABLE_LABEL), (APPLIED, _APPLIED_LABEL)):
        found = [m for m in label.finditer(before)]
        if found:
            return None if _NEGATED.search(before, found[-1].end()) else which
    return None


def provider_lists(text: str) -> Iterator[tuple[str, str]]:
    """Each provider list a line shows: (which list, what it means)."""
    if len(text) > 3000 or grammar.code_comment(text):
        return
    low = text.lower()
    if "provider" in text or "Provider" in text:
        for m in _LIST.finditer(text):
            if m.group("q") and (text[m.end():m.end() + 2].lstrip().startswith(":") or not re.search(r"[:=]\s*$", text[:m.start()])):
                continue  # a quoted name is a list only right after its label ("Available providers: '...'"), not a dict's key
            before = text[max(0, m.start() - 60):m.start()]
            which = _which(before, text[m.end():m.end() + 20])
            if which is None:
                continue
            if not grammar.program_line(text) and not _asserted(text, m.start(), m.end()):
                continue
            meaning = providers_meaning(_names(m.group("py") or m.group("q") or ""))
            if meaning is not None:
                yield which, meaning
    if "choose from" in low:
        for m in _CHOICES.finditer(text):
            meaning = providers_meaning(_names(m.group("choices")))
            if meaning is not None:
                yield AVAILABLE, meaning
    if "execution provider" in low:
        for m in _ONLY_SAID.finditer(text):
            if not _asserted(text, m.start(), m.end()):
                continue
            meaning = providers_meaning(_names(m.group("a") or m.group("b") or m.group("c") or ""))
            if meaning is not None:
                yield AVAILABLE, meaning


# A query whose answer a REPL or a print shows on the lines after it, and the list alone there (over several lines too).
_QUERY = re.compile(r"\b(?P<available>get_available_providers)\s*\(\s*\)|\.(?P<applied>get_providers)\s*\(\s*\)")
_BARE_START = re.compile(r"^[\s>`]*(?:Out\[\d+\]:\s*)?\[")
_LIST_REACH = 8  # lines a printed list may span


def _answer_below(lines: Sequence[str], number: int) -> tuple[str, int] | None:
    """The list printed on the lines below a query at line ``number`` (1-based): (the list joined, its last line number)."""
    for i in range(number, min(len(lines), number + 2)):
        if not lines[i].strip():
            continue
        if not _BARE_START.match(lines[i]):
            return None
        joined = ""
        for j in range(i, min(len(lines), i + _LIST_REACH)):
            joined += " " + lines[j].strip()
            if "]" in lines[j]:
                return joined.strip(), j + 1
        return None
    return None


def provider_lists_in(lines: Sequence[str]) -> Iterator[ProviderList]:
    """Each provider list the lines show (above), with its line; and a query's list printed on the lines below it."""
    for number, line in enumerate(lines, 1):
        low = line.lower()
        if "provider" not in low:
            continue
        for which, meaning in dict.fromkeys(provider_lists(line)):
            yield ProviderList(which, meaning, number, line.strip())
        query = _QUERY.search(line) if "get_" in line else None
        if query is None or _LIST.search(line, query.end()) or grammar.code_comment(line):
            continue
        below = _answer_below(lines, number)
        if below is None:
            continue
        m = _LIST.search(below[0])
        if m is None or not m.group("py"):
            continue
        printed = providers_meaning(_names(m.group("py")))
        if printed is not None:
            yield ProviderList(AVAILABLE if query.group("available") else APPLIED, printed, below[1], f"{line.strip()} ⏎ {below[0]}")
