"""A launcher's own list of the GPUs it gave the process, shown empty (session 34, accsched).

Ray's ``ray.get_gpu_ids()`` answering ``[]``, RLlib's policy device list empty ("self.devices is empty", "len(self.devices)
is 0"), Slurm's ``CUDA_VISIBLE_DEVICES=NoDevFiles``: the launcher assigned this process no GPU (knowledge.launcher_lists
holds the lists and decides). A line that only tests the list (``if len(self.devices) == 0:``), asks about it or supposes
it, or a code comment, shows nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from whygpu import lazyre as re
from whygpu.explain import grammar
from whygpu.knowledge.launcher_lists import empty_answer_after, empty_list_said, list_cues

__all__ = ["TEXT_CUES", "read"]

TEXT_CUES: tuple[str, ...] = list_cues()

# A test of the list in code, or the writer's supposition: the words before the name in its sentence.
_CONDITION = re.compile(r"\b(?:if|elif|while|assert|whether|unless|when(?:ever)?|in\s+case)\b[^.;:\n]*$", re.I)


def read(lines: Iterable[str]) -> Iterator[tuple[int, str, str]]:
    """(line number, line, row id) of each line that shows a launcher's list of GPUs empty (the first of each row)."""
    seen: set[str] = set()
    lines = list(lines)
    for number, line in enumerate(lines, 1):
        if len(line) > 4000:
            continue
        low = line.lower()
        if not any(cue in low for cue in TEXT_CUES) or grammar.code_comment(line.strip()):
            continue
        found = empty_list_said(line)
        if found is None and (printed := empty_answer_after(line, [s for s in lines[number:number + 4] if s.strip()][:2])) is not None:
            found = printed[:2]
        if found is None or found[0].id in seen:
            continue
        row, m = found
        left, right = grammar.sentence_at(line, m.start(), m.end())
        if _CONDITION.search(line[left:m.start()]) or re.search(r"[?？]\W*$", line[left:right]):
            continue
        seen.add(row.id)
        yield number, line.strip(), row.id
