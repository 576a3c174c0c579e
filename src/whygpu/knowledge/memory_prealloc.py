"""What each GPU framework does with the GPU's memory at start-up, and which of two frameworks loaded in one process holds it.

The rows are knowledge/memory_prealloc.toml's; the decision (:func:`memory_rivals`) is the one reading of "two frameworks
in one process" for explain, and for lint or the doctor where they see the imports of one script.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from whygpu.knowledge._util import table_rows
from whygpu.records import record


@record(frozen=True)
class Preallocation:
    """One framework's start-up use of the GPU's memory: whether it reserves most of it, and how to keep it from doing so."""

    name: str
    modules: tuple[str, ...]
    preallocates: bool
    share: str
    hide: str
    grow: str
    source: str


@lru_cache(maxsize=1)
def frameworks() -> dict[str, Preallocation]:
    """Every framework's row by its key (``tensorflow``, ``jax``, ``torch``)."""
    return {
        str(row["name"]): Preallocation(
            name=str(row["name"]),
            modules=tuple(str(m) for m in row.get("modules", ())),
            preallocates=bool(row.get("preallocates", False)),
            share=str(row.get("share", "")),
            hide=str(row.get("hide", "")),
            grow=str(row.get("grow", "")),
            source=str(row["source"]),
        )
        for row in table_rows("memory_prealloc", "framework")
    }


def framework_of_module(module: str) -> str | None:
    """The framework an imported module loads (``tensorflow_datasets`` -> ``tensorflow``, ``flax`` -> ``jax``), or None."""
    top = module.split(".", 1)[0].lower()
    return next((row.name for row in frameworks().values() if top in row.modules), None)


def memory_rivals(loaded: Iterable[str]) -> tuple[Preallocation, ...]:
    """The frameworks among ``loaded`` (framework keys seen in one process) that reserve the GPU's memory at start-up while
    another GPU framework shares the process: each leaves the other too little; empty when fewer than two GPU frameworks
    are loaded or none of them preallocates."""
    rows = frameworks()
    present = sorted({name for name in loaded if name in rows})
    if len(present) < 2:
        return ()
    return tuple(rows[name] for name in present if rows[name].preallocates)
