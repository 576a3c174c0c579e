"""The writer's words that the GPU's memory stays held after the run ended, or while none of the writer's processes runs
(accunder, session 35): a process that has not exited holds it (causes.md's GPU_BUSY). The forms and their sources are
knowledge/memory_left.toml's; the decision over a sentence is knowledge.memory_left's.

Shapes read (public threads of PyTorch, MXNet, PaddleOCR, a CrossE and a VisEdit issue, among others):

- the memory not freed after the run ended, in one sentence or the one before it: "When I interrupt my Pytorch script
  using Ctrl-C occasionally GPU memory is not deallocated" (https://github.com/pytorch/pytorch/issues/4031);
  "kill主进程显卡不会释放显存" (https://github.com/PaddlePaddle/PaddleOCR/issues/2074);
- memory in use while none of the writer's processes runs: "Even when I do not have any CrossE processes running, my GPU
  still seems to have almost 13GB allocated by someone" (https://github.com/wencolani/CrossE/issues/2);
- a zombie or leftover process holding it: "the parent process becomes a zombie process which keeps occupying the GPU
  memory" (https://github.com/apache/mxnet/issues/4242).

Not read: a question ("is the memory not freed after kill?"), advice ("make sure the memory is released"), and the memory
said held by the writer's own running process (a cache, a leak: no other holder).
"""

from __future__ import annotations

from whygpu.explain import grammar
from whygpu.knowledge.memory_left import decides_alone, held_clause, run_ended

# A cheap test before any pattern runs: the text names memory and one of the words every form needs.
_MEMORY_WORDS = ("memory", "vram", "显存", "allocated")
_FORM_WORDS = ("free", "releas", "dealloc", "clear", "still", "zombie", "defunct", "orphan", "leftover", "left-over",
               "dangling", "someone", "something", "释放", "占用", "僵尸")


def _asserted(text: str, left: int, right: int, start: int, end: int) -> bool:
    return not (grammar.asked(text, left, right, start, end) or grammar.advised(text, left, start, end)
                or grammar.hearsay(text, left, right))


def memory_left_held(text: str) -> list[tuple[int, str, str]]:
    """(line number, the line, the form's id) of each sentence of ``text`` that says the GPU's memory stays held by a
    process that is not the writer's running run; at most one per line."""
    low = text.lower()
    if not any(w in low for w in _MEMORY_WORDS) or not any(w in low for w in _FORM_WORDS):
        return []
    out: list[tuple[int, str, str]] = []
    seen_lines: set[int] = set()
    position = 0
    while (found := held_clause(text, position)) is not None:
        ident, m = found
        position = m.end()
        left, right = grammar.sentence_at(text, m.start(), m.end())
        if not _asserted(text, left, right, m.start(), m.end()):
            continue
        if not decides_alone(ident):
            # The run's end said in the same sentence or the one before it (the sentence before, at most 300 characters).
            before = grammar.sentence_at(text, max(0, left - 2), max(0, left - 1))[0] if left > 1 else left
            if run_ended(text, max(before, left - 300), right) is None:
                continue
        number = text.count("\n", 0, m.start()) + 1
        if number in seen_lines:
            continue
        seen_lines.add(number)
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        out.append((number, text[line_start: line_end if line_end >= 0 else len(text)].strip(), ident))
    return out
