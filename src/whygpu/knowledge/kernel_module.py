"""The NVIDIA kernel module's states (``kernel_module.toml``; acckmod, session 32): the cause each state means, the check that
decides it, the kernel's, DKMS's and lspci's messages of a state, and the writer's words by role.

One decision here: ``module_state`` (a state's cause, fix and deciding check); the readers (explain/kmodule.py) find the
lines and sentences, the rules (explain/kmodrules.py) judge them.
"""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.records import record


@record(frozen=True)
class ModuleState:
    """One state of the NVIDIA kernel module: its id, the cause it means, what it means in words, the fix and the one check that decides it."""

    id: str
    cause: str
    meaning: str
    fix: str
    decide: str
    source: str


@record(frozen=True)
class ModuleLine:
    """A message of the kernel, DKMS, lspci or ls that shows a state; ``nvidia``: the message is any module's, so it counts only beside an NVIDIA module's name."""

    id: str
    state: str
    nvidia: bool
    source: str


@lru_cache(maxsize=1)
def _states() -> dict[str, ModuleState]:
    return {str(row["id"]): ModuleState(id=str(row["id"]), cause=str(row["cause"]), meaning=str(row["meaning"]), fix=str(row["fix"]),
                                        decide=str(row["decide"]), source=str(row["source"]))
            for row in table_rows("kernel_module", "state")}


@lru_cache(maxsize=1)
def _lines() -> tuple[tuple[ModuleLine, re.Pattern[str]], ...]:
    return tuple((ModuleLine(id=str(row["id"]), state=str(row["state"]), nvidia=bool(row.get("nvidia", False)), source=str(row["source"])),
                  re.compile(str(row["pattern"]), re.I))
                 for row in table_rows("kernel_module", "line"))


@lru_cache(maxsize=1)
def _words() -> dict[str, tuple[tuple[str, re.Pattern[str]], ...]]:
    out: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for row in table_rows("kernel_module", "words"):
        out.setdefault(str(row["role"]), []).append((str(row.get("state", "")), re.compile(str(row["pattern"]), re.I)))
    return {role: tuple(rows) for role, rows in out.items()}


def module_state(state: str) -> ModuleState:
    """The state ``state`` of the table (its cause, fix and deciding check); KeyError for an id the table lacks."""
    return _states()[state]


def signature_texts(state: str, fix: str, decide: str) -> tuple[str, str]:
    """The fix and deciding check of a signature that means ``state``: the state's, except where the signature has its own
    (it knows more: a value of its line, a check only its message allows). KeyError for a state the table lacks."""
    row = module_state(state)
    return fix or row.fix, decide or row.decide


def states() -> tuple[ModuleState, ...]:
    """Every state of the table."""
    return tuple(_states().values())


def line_message(line: str) -> tuple[ModuleLine, re.Match[str]] | None:
    """The module message ``line`` holds (the first row whose pattern it matches), with the match; None when it holds none."""
    for row, pattern in _lines():
        if (m := pattern.search(line)) is not None:
            return row, m
    return None


def words(role: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The writer's-words patterns of one role (``kernel_update``, ``driver_install``, ``gpu_failing``, ``module_state``), each with the state it says (empty where the role names none)."""
    return _words().get(role, ())
