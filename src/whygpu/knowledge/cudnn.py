"""cuDNN as one layer with states (``cudnn.toml``; acccudnn, session 33): the cause each state means, its fix and the one check
that decides it; each framework's rule of compatibility between the cuDNN a build was compiled with and the one loaded; when the
free memory beside a failed cuDNN handle shows the memory taken; and the cuDNN a framework version's build names.

The decisions here: ``cudnn_state`` (a state's cause, fix and check), ``compatible`` (a loaded cuDNN against a build's),
``memory_taken`` (the free memory XLA prints), ``build_cudnn`` (the cuDNN a framework version was built with, from the
framework's own table). explain/cudnnrules.py reads the log's facts and asks these.
"""

from __future__ import annotations

from functools import lru_cache

from whygpu.knowledge._util import parse_version, table_rows
from whygpu.records import record


@record(frozen=True)
class CudnnState:
    """One state of the cuDNN layer: its id, the cause it means, what it means in words, the fix, the one check that decides it,
    and a real line that shows it with its source."""

    id: str
    cause: str
    meaning: str
    fix: str
    decide: str
    example: str
    source: str


@lru_cache(maxsize=1)
def _states() -> dict[str, CudnnState]:
    return {str(row["id"]): CudnnState(id=str(row["id"]), cause=str(row["cause"]), meaning=str(row["meaning"]), fix=str(row["fix"]),
                                       decide=str(row["decide"]), example=str(row["example"]), source=str(row["source"]))
            for row in table_rows("cudnn", "state")}


def cudnn_state(state: str) -> CudnnState:
    """The state ``state`` of the table; KeyError for an id the table lacks."""
    return _states()[state]


def states() -> tuple[CudnnState, ...]:
    """Every state of the table."""
    return tuple(_states().values())


def signature_texts(state: str, fix: str, decide: str) -> tuple[str, str]:
    """The fix and deciding check of a signature that means ``state``: the state's, except where the signature writes its own
    (it knows more: a value of its line). KeyError for a state the table lacks."""
    row = cudnn_state(state)
    return fix or row.fix, decide or row.decide


def _numbers(version: str) -> tuple[int, int] | None:
    """(major, minor) of a cuDNN version as frameworks print it: "8.1.0", "8.1", "(8, 5, 0)", or the packed 8906 / 7605 /
    90501 (major*1000 + minor*100 + patch before cuDNN 9; major*10000 + minor*100 + patch from 9 on)."""
    text = version.strip().strip("()").replace(", ", ".").replace(",", ".")
    if text.isdigit():
        number = int(text)
        if number >= 90000:
            return number // 10000, (number % 10000) // 100
        if number >= 1000:
            return number // 1000, (number % 1000) // 100
        return None
    parsed = parse_version(text)
    if parsed is None or not parsed.release:
        return None
    release = (*parsed.release, 0)
    return release[0], release[1]


def compatible(framework: str, built: str, loaded: str) -> bool | None:
    """Whether a cuDNN ``loaded`` works with a ``framework`` build compiled against ``built``, by the framework's own rule
    (``[[compat]]``); None where a version cannot be read or the framework has no row."""
    rule = next((str(r["rule"]) for r in table_rows("cudnn", "compat") if r["framework"] == framework), None)
    want, have = _numbers(built), _numbers(loaded)
    if rule is None or want is None or have is None:
        return None
    if rule == "same_major_newer_minor":
        return have[0] == want[0] and have[1] >= want[1]
    return have >= want


def mismatch_state(built: str, loaded: str) -> str | None:
    """The state a loaded cuDNN is in against a build's: another major, or older; None where they are compatible by every
    rule or a version cannot be read."""
    want, have = _numbers(built), _numbers(loaded)
    if want is None or have is None:
        return None
    if want[0] != have[0]:
        return "version_other_major"
    if have[1] < want[1]:
        return "version_older"
    return None


def memory_taken(free: int, total: int) -> bool | None:
    """Whether the free memory XLA prints beside a cuDNN handle it could not create shows the GPU's memory taken (less than
    the ``[[memory]]`` row's share free); None for a total of zero."""
    if total <= 0:
        return None
    rows = table_rows("cudnn", "memory")
    below = float(rows[0]["taken_below"]) if rows else 0.10
    return free < below * total


def build_cudnn(framework: str, version: str) -> str | None:
    """The cuDNN a ``framework`` version's GPU build was made with, from the framework's own table: TensorFlow's tested build
    configurations (knowledge/tensorflow.toml), a CUDA jaxlib's local version (+cuda11.cudnn86: knowledge.jax); None where the
    table does not say."""
    if framework == "tensorflow":
        from whygpu.knowledge.tensorflow import tensorflow_build

        build = tensorflow_build(version)
        return build.cudnn if build is not None and build.cudnn else None
    if framework == "jax":
        import re

        from whygpu.knowledge.jax import jaxlib_local_cuda

        if jaxlib_local_cuda(version) is None:
            return None
        match = re.search(r"cudnn(\d)(\d+)", version.lower())
        return f"{match.group(1)}.{match.group(2)}" if match else None
    return None
