"""The explicit list of doctor rules, in the order of the physical chain (a test checks codes, docs and examples)."""

from __future__ import annotations

from typing import Any

from whygpu.rules import container, cudalibs, driver, environment, frameworks, gpu_state, hardware
from whygpu.rules.interface import Rule

RULES: list[Rule[Any]] = [
    *hardware.RULES,
    *driver.RULES,
    *container.RULES,
    *cudalibs.RULES,
    *frameworks.RULES,
    *environment.RULES,
    *gpu_state.RULES,
]

# Codes that were used once and must never be reused: the one list of every family.
from whygpu.rules.catalogue import REMOVED_CODES  # noqa: E402

__all__ = ["REMOVED_CODES", "RULES"]
