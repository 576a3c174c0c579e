"""The root-cause codes of causes.md, in the order of the physical chain."""

from __future__ import annotations

from functools import lru_cache

from whygpu.knowledge import load


@lru_cache(maxsize=1)
def _codes() -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in load("causes")["cause"]}


def cause_codes() -> list[str]:
    """All cause codes, most fundamental first."""
    return list(_codes())


def is_cause_code(code: str) -> bool:
    """True for a code listed in causes.md."""
    return code in _codes()


def cause_order(code: str) -> int:
    """Position of ``code`` along the chain; lower is more fundamental."""
    return list(_codes()).index(code)


def cause_meaning(code: str) -> str:
    """One line saying what the cause code means."""
    return _codes()[code]["meaning"]


def cause_advice(code: str) -> str:
    """The cause's general advice: what the one fix builder (``whygpu.rules.fixes.cause_fix``) says when the versions found do not make its fix exact ("" when there is none)."""
    return _codes()[code].get("fix", "")


# accnoticed (session 37): the loader's search path is the platform's own. A library cause's advice and check name Linux's
# (LD_LIBRARY_PATH, ldconfig, find /); causes.toml's [[platform_advice]] rows say what is true on Windows (PATH, and
# os.add_dll_directory for Python 3.8+, which no longer searches PATH for an extension's DLLs) and on macOS (no CUDA after
# 10.2: a path variable cannot give a framework an NVIDIA GPU there).
def platform_advice(code: str, system: str) -> tuple[str, str] | None:
    """(fix, check) of library cause ``code`` on ``system`` ("windows", "darwin"), in place of the Linux advice and check;
    None where the Linux text holds (Linux, an unknown platform, a cause whose advice names no loader path)."""
    for row in load("causes").get("platform_advice", []):
        if row["cause"] == code and row["system"] == system:
            return str(row["fix"]), str(row["check"])
    return None


def cause_advice_any(code: str) -> str:
    """The cause's general advice where the program is not known: one that names no framework's command (``fix_any``;
    accnodev, session 33), else the general advice."""
    return _codes()[code].get("fix_any", "") or cause_advice(code)


def cause_check(code: str) -> str:
    """What would show ``code`` and not another cause (a command and what it prints): said with a cause offered only as an alternative ("" when there is none)."""
    return _codes()[code].get("check", "")
