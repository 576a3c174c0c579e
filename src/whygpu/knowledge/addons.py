"""Optional add-ons (``optional_addons.toml``): libraries a program goes on without when they fail to load (accprec, session 31)."""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.records import record


@record(frozen=True)
class Addon:
    """An optional add-on: its name, what the program does without it, and the source of its failure line."""

    name: str
    effect: str
    source: str


@lru_cache(maxsize=1)
def _addons() -> tuple[tuple[Addon, re.Pattern[str]], ...]:
    return tuple((Addon(name=str(row["name"]), effect=str(row["effect"]), source=str(row["source"])), re.compile(str(row["lines"]), re.I))
                 for row in table_rows("optional_addons", "addon"))


def addons() -> tuple[Addon, ...]:
    """Every optional add-on of the table."""
    return tuple(addon for addon, _ in _addons())


def addon_failure(line: str) -> Addon | None:
    """The optional add-on whose failure or fallback ``line`` prints, or None."""
    for addon, pattern in _addons():
        if pattern.search(line):
            return addon
    return None
