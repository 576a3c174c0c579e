"""Which build of JAX a log shows, and what a project's or another framework's packaging does to it (accjax39, session 39;
knowledge/jax_builds.toml).

Three decisions over what explain/jaxbuild.py reads: ``cuda_marked`` (a line shows a CUDA build of JAX installed or asked
for), ``situation`` (what a reading means: a plain jaxlib pinned, an install said to give JAX without CUDA, another
framework's pinned CUDA wheels installed over JAX's) and ``sequential_work`` (work whose steps are sequential, where a GPU
no faster than the CPU is expected). Judged by LOG845-LOG848 (explain/jaxbuildrules.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

from whygpu.knowledge._util import table_rows
from whygpu.knowledge.situations import SituationCause, situation_cause

__all__ = ["cuda_marked", "replacer_pattern", "sequential_work", "situation"]


@lru_cache(maxsize=1)
def _marks() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{r['pattern']})" for r in table_rows("jax_builds", "cuda_mark")), re.I)


def cuda_marked(line: str) -> bool:
    """Whether ``line`` shows a CUDA build of JAX installed or asked for (a jax[cuda...] extra, a jax-cuda plugin, a +cuda
    jaxlib, JAX's CUDA wheel index)."""
    return _marks().search(line) is not None


@lru_cache(maxsize=1)
def replacer_pattern() -> str:
    """The alternation of the frameworks that pin their own nvidia-*-cuNN wheels (jax_builds.toml [[replacer]])."""
    return "|".join(f"(?:{r['name']})" for r in table_rows("jax_builds", "replacer"))


@lru_cache(maxsize=1)
def _sequential() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{r['pattern']})" for r in table_rows("jax_builds", "sequential")), re.I)


def sequential_work(line: str) -> bool:
    """Whether ``line`` names work whose steps are sequential by nature (MCMC sampling: NUTS, HMC, chains of draws)."""
    return _sequential().search(line) is not None


def situation(name: str) -> SituationCause | None:
    """What reading ``name`` ("plain_pin", "said_cpu_install", "cuda_wheels_replaced") means (jax_builds.toml [[situation]])."""
    return situation_cause("jax_builds", "situation", "situation", name)
