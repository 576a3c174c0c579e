"""Which loaders build a model on the CPU, and which libraries place a model themselves (knowledge/placement.toml), for
the readers of a program's own code (explain.placement)."""

from __future__ import annotations

from functools import lru_cache

from whygpu.knowledge._util import table_rows


@lru_cache(maxsize=2)
def builds_on_cpu_patterns(*, torch_shown: bool = True) -> tuple[str, ...]:
    """The regular expressions of callees that create a model on the CPU (those that hold only in code showing PyTorch
    itself left out where ``torch_shown`` is False)."""
    return tuple(str(row["pattern"]) for row in table_rows("placement", "builds_on_cpu") if torch_shown or not row.get("needs_torch", False))


@lru_cache(maxsize=1)
def places_itself_patterns() -> tuple[str, ...]:
    """The regular expressions of callees (or a framework's calls) that place the model on the device themselves."""
    return tuple(str(row["pattern"]) for row in table_rows("placement", "places_itself"))


@lru_cache(maxsize=1)
def placing_keywords() -> tuple[str, ...]:
    """The keyword arguments that place what a call creates (device=..., device_map=...)."""
    return tuple(str(row["name"]) for row in table_rows("placement", "placing_keyword"))
