"""The container stack below the program (acck8s, session 32): its components and the states in which one does not give
the GPU to a container, job or pod (knowledge/container_stack.toml, every row with its public source).

One reading: ``line_states`` is the only test of "this line shows a state of the stack" (explain's ``container_stack``
fact, value "<component>:<state>"); ``state_row`` and ``component_row`` give a state's meaning, cause, fix and the one
check of its component that decides, for explain's rules (explain/cstackrules.py).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows

# How far above a status line its object's name may stand (kubectl describe pod: Name ... State ... Reason).
NEAR_LINES = 40


@lru_cache(maxsize=1)
def _states() -> list[tuple[dict[str, Any], re.Pattern[str], re.Pattern[str] | None, re.Pattern[str] | None]]:
    out = []
    for row in table_rows("container_stack", "state"):
        needs = re.compile(row["needs"], re.I | re.M) if row.get("needs") else None
        near = re.compile(row["near"], re.I) if row.get("near") else None
        out.append((row, re.compile(row["pattern"], re.I), needs, near))
    return out


def states() -> list[dict[str, Any]]:
    """Every state row, in the file's order."""
    return [row for row, _, _, _ in _states()]


def state_row(value: str) -> dict[str, Any] | None:
    """The state row of a fact value "<component>:<state>" (or of a state id alone), or None."""
    state = value.split(":", 1)[-1]
    return next((row for row in states() if row["id"] == state), None)


def component_row(component: str) -> dict[str, Any] | None:
    """The component row of an id ("device-plugin", "cdi", ...), or None."""
    return next((row for row in table_rows("container_stack", "component") if row["id"] == component), None)


@lru_cache(maxsize=1)
def cues() -> tuple[str, ...]:
    """Lower-case words one of which a log must hold for any state to be read (a cheap test before the line patterns)."""
    return ("nvml init failed", "could not load nvml", "no devices found", "crashloopbackoff", "device plugin", "device-plugin",
            "nvidia.com/gpu", "pending", "stat nvidia.com", "cdi", "stat'ing", "cannot stat", "runtime", "nvidia-container-cli",
            "98-nvidia", "nomad", "daemon-reload", "singularity_", "apptainer_")


_NAME_LINE = re.compile(r"^\s*Name:\s+\S")


def _named_near(lines: list[str], number: int, near: re.Pattern[str]) -> bool:
    """Whether the status on line ``number`` is of the object ``near`` names: on the line itself (kubectl get pods' row), or
    in the nearest "Name:" line above it within NEAR_LINES (kubectl describe pod's block), not another object's."""
    if near.search(lines[number - 1]):
        return True
    for i in range(number - 2, max(-1, number - 2 - NEAR_LINES), -1):
        if _NAME_LINE.match(lines[i]):
            return near.search(lines[i]) is not None
    return False


def line_states(lines: list[str], text: str, asserted: Any = None) -> list[tuple[int, str, str]]:
    """The stack states the log's lines show, each once: (line number, "<component>:<state>", the matched words).

    ``text`` is the whole log (a row's ``needs`` is read there); ``asserted(line, start)`` tells whether words at ``start``
    of ``line`` are asserted (not asked or advised), asked only for ``words`` rows."""
    found: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    for row, rx, needs, near in _states():
        if row["id"] in seen or (needs is not None and needs.search(text) is None) or not re.may_match(rx, text):
            continue  # (a pattern none of whose words the log holds matches none of its lines: not searched line by line)
        for number, line in enumerate(lines, 1):
            m = rx.search(line[:2000])
            if m is None:
                continue
            if near is not None and not _named_near(lines, number, near):
                continue
            if row["kind"] == "words" and asserted is not None and not asserted(line, m.start()):
                continue
            found.append((number, f"{row['component']}:{row['id']}", m.group(0).strip()))
            seen.add(row["id"])
            break
    return found
