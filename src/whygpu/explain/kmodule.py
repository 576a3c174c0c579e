"""The NVIDIA kernel module's state, read from a log as one fact (acckmod, session 32).

Below CUDA the GPU is reached through the nvidia kernel modules; when they are absent for the running kernel, refused,
held off by nouveau or not loaded, every framework answers only that it found no GPU. Reporters show that layer with the
kernel's own lines (dmesg), DKMS's, lspci's and ls's, or describe it ("after a kernel update the NVIDIA module failed to
load"). This reads both into ``KernelModuleSeen`` values (``LogFacts.kernel_module``), each a state of
knowledge/kernel_module.toml:

- a message of the kernel, DKMS, lspci or ls that the signatures do not read (``knowledge.kernel_module.line_message``); a
  message any module prints (DKMS's "Bad return status", Secure Boot's "unsigned module") counts only where the line or one
  of the three lines around it names an NVIDIA module;
- a command whose output is empty: ``lsmod | grep nvidia`` (the module is not loaded) or ``dmesg | grep nvidia`` (it never
  loaded, nor printed why) followed by the next prompt, the end of a code block or the end of the text;
- the writer's words, asserted (``explain.grammar.said``): the module's state ("the nvidia module failed to load",
  "nouveau is loaded"); a kernel update named (``kernel_updated``) or a driver package installed (``reboot_pending``), each
  with whether the same sentence says the GPU, the driver or CUDA fails.

What a state means, its cause and its deciding check are the knowledge layer's (``knowledge.kernel_module.module_state``);
explain/kmodrules.py judges (LOG480-LOG482).
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu import lazyre as re
from whygpu.explain import grammar
from whygpu.knowledge.kernel_module import line_message, words
from whygpu.records import record


@record(frozen=True)
class KernelModuleSeen:
    """One state of the NVIDIA kernel module a log shows: the state's id, how it was read (``line``: a program's message;
    ``empty``: a command's empty output; ``words``: the writer's), the message's own detail (a symbol, a kernel), and for
    words of an event (a kernel update, a driver install) whether the same sentence says the GPU or driver fails."""

    state: str
    how: str
    detail: str = ""
    failing: bool = False

    def __str__(self) -> str:
        return self.state


# Cheap gates: a line holding none of these words cannot hold a module message or the writer's words of one.
_LINE_HINT = re.compile(r"unknown symbol|bad return status|kernel headers|dkms|symvers|unsigned module|unavailable key|driver in use|/dev/nvidia|"
                        r"falling back to nouveau",
                        re.I)
_WORDS_HINT = re.compile(r"kernel|module|nouveau|secure\s*boot|lsmod|dmesg|install|unattended"
                         r"|drivers?\s+(?:did|does|failed|won)", re.I)  # acccont: "nvidia driver did not load"
_NVIDIA = re.compile(r"nvidia", re.I)
# A shell command whose output is the module list or the kernel's messages, filtered to NVIDIA's.
_EMPTY_CMD = re.compile(r"^\s*(?:[$#%>]\s*|\S+@\S+[:$#]\s*\S*\s*[$#]\s*)?(?:sudo\s+)?(?P<cmd>lsmod|dmesg)\s*\|\s*grep\s+(?:-\w+\s+)*['\"]?(?:nvidia|nvrm)['\"]?\s*$",
                        re.I)
_NVIDIA_OR_NVRM = re.compile(r"nvidia|nvrm", re.I)
_PROMPT = re.compile(r"^\s*(?:[$#%]|\S+@\S+[:$#~])")
_FENCE = re.compile(r"^\s*(?:```|~~~)\s*$")


def module_states(lines: list[str]) -> Iterator[tuple[int, KernelModuleSeen, str]]:
    """Each state of the NVIDIA kernel module ``lines`` show: its line number (from 1), the state read, and the line."""
    for index, line in enumerate(lines):
        if len(line) > 2000:
            continue
        if _LINE_HINT.search(line) is not None and (found := line_message(line)) is not None:
            row, m = found
            if not row.nvidia or _nvidia_near(lines, index):
                detail = next((g for g in m.groups() if g), "")
                yield index + 1, KernelModuleSeen(row.state, "line", detail), line.strip()
                continue
        if "grep" in line and (m_cmd := _EMPTY_CMD.match(line)) is not None and _output_empty(lines, index):
            yield index + 1, KernelModuleSeen("not_loaded", "empty", m_cmd.group("cmd").lower()), line.strip()
            continue
        if _WORDS_HINT.search(line) is not None and not grammar.program_line(line):
            for seen in said_states(line):
                yield index + 1, seen, line.strip()


def _nvidia_near(lines: list[str], index: int) -> bool:
    """Whether the line or one of the three lines before or after it names an NVIDIA module (DKMS's build of nvidia/<version>)."""
    return any(_NVIDIA.search(lines[i]) for i in range(max(0, index - 3), min(len(lines), index + 4)))


def _output_empty(lines: list[str], index: int) -> bool:
    """Whether the command on line ``index`` printed nothing: the next line is a prompt, a code block's end, or none (and
    does not hold the word searched for: "# NVRM: API mismatch ..." pasted as a comment is the grep's output)."""
    rest = lines[index + 1:index + 3]
    if not rest:
        return True
    following = rest[0]
    if following.lstrip().startswith("#") and _NVIDIA_OR_NVRM.search(following):
        return False  # "# NVRM: API mismatch ...": grep's output pasted as a comment holds the word it searched for
    if _PROMPT.match(following) or _FENCE.match(following):
        return True
    return not following.strip() and (len(rest) == 1 or _PROMPT.match(rest[1]) is not None or _FENCE.match(rest[1]) is not None)


def said_states(text: str) -> list[KernelModuleSeen]:
    """The states the writer's sentence ``text`` asserts: the module's state in words, a kernel update named, a driver package installed (each with whether the sentence says the GPU fails)."""
    out: list[KernelModuleSeen] = []
    for state, pattern in words("module_state"):
        for m in pattern.finditer(text):
            if grammar.said(text, m.start(), m.end(), quotes=False) and not _negated(text, m.start()):
                out.append(KernelModuleSeen(state, "words", m.group(0).strip()))
                break
    for role, state in (("kernel_update", "kernel_updated"), ("driver_install", "reboot_pending"), ("running_upgrade", "upgraded_running")):
        for _, pattern in words(role):
            for m in pattern.finditer(text):
                if not grammar.said(text, m.start(), m.end(), quotes=False) or _negated(text, m.start()):
                    continue
                left, right = grammar.sentence_at(text, m.start(), m.end())
                out.append(KernelModuleSeen(state, "words", m.group(0).strip(), _failing(text[left:right])))
                break
    return out


def _failing(sentence: str) -> bool:
    """Whether a sentence says the GPU, the driver, CUDA or a framework fails (knowledge/kernel_module.toml, role gpu_failing)."""
    return any(pattern.search(sentence) for _, pattern in words("gpu_failing"))


def _negated(text: str, start: int) -> bool:
    """"I did not update the kernel", "no kernel update", "without updating the kernel": the words before deny the event
    (grammar's decision, one word between: the event's own phrase)."""
    left = grammar.sentence_at(text, start, start)[0]
    return grammar.negated_before(grammar.clause_before(text[left:start]), reach=1)
