"""Reads the install state of a framework's packages from the package commands a log shows (accpkg, session 21).

A package command is read by what it does, whatever the program around it: pip's, ``python -m pip``'s and ``uv pip``'s
``install`` and ``uninstall`` with the distributions they name, whether they force an install over the copy there
(``--force-reinstall``, ``--ignore-installed``) and whether they name another build (a version, an index, a wheel).
Only a command that was run counts: one on a line of its own (a shell or notebook prompt, a numbered step, a code
block), or in the reporter's sentence said as a fact ("I used this command `pip install ...`"); a command in advice
("you should run ...", "try ..."), a question or a condition is not read.

What the commands mean is the knowledge layer's decision (``knowledge.python_layouts.same_import_repair``): removing two
distributions of one import package, or removing one and forcing the GPU build over what is there, shows them installed
together (FRAMEWORK_INSTALL_BROKEN, judged by LOG220 in ``explain.installrules``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whygpu.explain import grammar

__all__ = ["PackageCommand", "package_commands"]

# pip run any way (pip, pip3, pip3.11, python -m pip, a venv's python.exe -m pip, py -m pip, uv pip), with sudo or a
# notebook's "!" before it; then the verb and its arguments up to the end of the command (a shell separator or a quote).
_COMMAND = re.compile(
    r"(?<![\w./\\-])(?:sudo\s+(?:-\S+\s+)*)?"
    r"(?:(?:[\w.~:/\\-]*[\\/])?(?:python(?:\d(?:\.\d+)?)?|py)(?:\.exe)?\s+(?:-\S+\s+)*-m\s+pip\d?|pip\d?(?:\.\d+)?(?:\.exe)?|uv\s+pip)"
    r"\s+(?P<verb>uninstall|install)\b(?P<args>[^\n`;&|]*)",
    re.I,
)
# Options whose value is the next word (not a package).
_VALUE_OPTIONS = frozenset({"-r", "--requirement", "-c", "--constraint", "-i", "--index-url", "--extra-index-url", "-f",
                            "--find-links", "-t", "--target", "--prefix", "--root", "--python", "-p", "--src", "--platform",
                            "--python-version", "--implementation", "--abi", "-e", "--editable", "--trusted-host", "--proxy"})
# Options that name another build than the default one: an index or a wheel location.
_BUILD_OPTIONS = frozenset({"-i", "--index-url", "--extra-index-url", "-f", "--find-links"})
# Options that install over the copy already there.
_FORCE_OPTIONS = frozenset({"--force-reinstall", "--ignore-installed", "-I"})
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
# What may stand before a command on its own line: a list mark or numbered step, a virtual environment's name, a shell,
# PowerShell or notebook prompt, a quote or backtick opening a code span.
_PROMPT = re.compile(
    r"^\s*(?:[-*>]\s+)?(?:(?:step\s*)?\d+[.):]\s*)?(?:\([\w.-]+\)\s*)?"
    r"(?:PS\s+[^>\n]*>\s*|In\s*\[\d*\]:\s*|[\w.@~:/\\-]*\s*[$#%>]\s*)?[!`'\"]*\s*$", re.I)


# An instruction to run the command: an imperative verb opening the clause before it ("Try", "then run", "please do").
_IMPERATIVE = re.compile(r"(?:^|[,:;(]\s*|\b(?:then|and|just|please|simply|so)\s+)(?:try|run|do|use|execute|type|reinstall)\b[^.!?]*$", re.I)
# The writer saying they did it ("I ran", "we used", "I tried to run").
_DONE = re.compile(r"\b(?:i|we)\b[^.!?]*\b(?:ran|used|did|typed|executed|tried|installed|uninstalled|had\s+to)\b", re.I)


@dataclass(frozen=True)
class PackageCommand:
    """One pip command a line shows run: its verb, the distributions it names (in order), and how it installs them."""

    verb: str  # "install" or "uninstall"
    names: tuple[str, ...]
    forced: bool  # --force-reinstall / --ignore-installed
    other_build: bool  # a version, an index or a wheel location named: not simply the same build again


def _parse(verb: str, args: str) -> PackageCommand:
    names: list[str] = []
    forced = other_build = False
    words = args.split()
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        option = word.split("=", 1)[0]
        if word.startswith("-"):
            forced = forced or option in _FORCE_OPTIONS
            other_build = other_build or option in _BUILD_OPTIONS
            skip = option in _VALUE_OPTIONS and "=" not in word
            continue
        token = word.strip("'\"")
        m = _NAME.match(token)
        if m is None or "/" in token or "\\" in token or token.endswith((".whl", ".txt", ".tar.gz", ".zip")):
            other_build = other_build or token.endswith((".whl", ".tar.gz", ".zip"))
            continue
        rest = token[m.end():]
        if re.match(r"\[[^\]]*\]", rest):
            rest = rest[rest.index("]") + 1:]
        other_build = other_build or bool(re.match(r"\s*(?:[=<>!~]=?|@)", rest))
        names.append(m.group(0).lower().replace("_", "-"))
    return PackageCommand(verb.lower(), tuple(names), forced, other_build)


def run_command(text: str, start: int, end: int) -> bool:
    """Whether the command at ``start``..``end`` of ``text`` is shown run: alone on its line after at most a prompt, or
    in the writer's own sentence said as a fact (not advice, a question, a condition or a plan)."""
    if _PROMPT.match(text[:start]):
        return True
    from whygpu.explain.statements import asserted

    left, _right = grammar.sentence_at(text, start, end)
    before = text[left:start]
    if _IMPERATIVE.search(before) and not _DONE.search(before):
        return False  # an instruction ("try `pip uninstall ...`", "then run pip install ..."), not what was done
    return asserted(text, start, end)


def package_commands(text: str) -> list[PackageCommand]:
    """The pip commands ``text`` shows run, in their order on the line (``pip uninstall -y x && pip install x`` gives two)."""
    low = text.lower()
    if "install" not in low or "pip" not in low:
        return []
    out: list[PackageCommand] = []
    for m in _COMMAND.finditer(text):
        if not run_command(text, m.start(), m.end()):
            continue
        command = _parse(m.group("verb"), m.group("args"))
        if command.names:
            out.append(command)
    return out
