"""Which driver libraries a container is given by the capabilities it is started with (``driver_capabilities.toml``,
accbroad39, session 39).

One decision: ``compute_given`` is the only judgement of "does this list of capabilities give the container the CUDA
driver library". explain/where.py reads the lists (NVIDIA_DRIVER_CAPABILITIES, ``--gpus capabilities=``, compose's
``capabilities: [...]``) and asks it; the rows hold the meaning, each with its source.
"""

from __future__ import annotations

from functools import lru_cache

from whygpu.knowledge._util import table_rows


@lru_cache(maxsize=1)
def _capabilities() -> dict[str, tuple[bool, bool]]:
    """Each known capability name -> (a driver capability, brings libcuda)."""
    return {str(r["name"]).lower(): (bool(r["driver"]), bool(r["cuda"])) for r in table_rows("driver_capabilities", "capability")}


def known(name: str) -> bool:
    """Whether ``name`` is a capability the NVIDIA runtime or Docker's device request knows."""
    return name.lower() in _capabilities()


def compute_given(listed: set[str] | frozenset[str]) -> bool | None:
    """Whether the capabilities ``listed`` (lower case) give the container the CUDA driver library: True (compute or all among
    the driver capabilities), False (driver capabilities listed, none of them compute or all: nvidia-smi without libcuda), or
    None where the list names no driver capability at all (`[gpu]` alone: the image's own NVIDIA_DRIVER_CAPABILITIES holds)
    or a name this table does not know (not a capability list)."""
    table = _capabilities()
    if not listed or any(name not in table for name in listed):
        return None
    drivers = {name for name in listed if table[name][0]}
    if not drivers:
        return None
    return any(table[name][1] for name in drivers)
