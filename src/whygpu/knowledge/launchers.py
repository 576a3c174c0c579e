"""How each container launcher or workload spec is asked for the GPU (``launchers.toml``): the flag or field a writer names when they tell how a container was started."""

from __future__ import annotations

import re
from functools import lru_cache

from whygpu.knowledge._util import table_rows
from whygpu.records import record

__all__ = ["EnvContextRow", "GpuRequestRow", "env_context_cues", "env_context_named", "env_context_row", "gpu_request_named", "plain_runtime_id", "plain_runtime_named", "plain_runtime_pattern", "request_row"]


@record(frozen=True)
class GpuRequestRow:
    """A launcher's GPU request: its id, the launcher, the pattern of its name, what a launch without it lacks, the fix, what it does, and the source."""

    id: str
    launcher: str
    named: str
    lacks: str
    fix: str
    means: str
    source: str


def _row(row: dict[str, object], named: str, launcher: str, means: str) -> GpuRequestRow:
    return GpuRequestRow(id=str(row["id"]), launcher=launcher, named=named, lacks=str(row["lacks"]), fix=str(row["fix"]), means=means,
                         source=str(row["source"]))


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[GpuRequestRow, re.Pattern[str]], ...]:
    out = []
    for row in table_rows("launchers", "request"):
        item = _row(row, str(row["named"]), str(row["launcher"]), str(row["means"]))
        out.append((item, re.compile(item.named, re.I)))
    return tuple(out)


@lru_cache(maxsize=1)
def _plain_rows() -> tuple[GpuRequestRow, ...]:
    return tuple(_row(row, str(row["name"]), "containerd", "a CRI runtime without the NVIDIA hook") for row in table_rows("launchers", "plain_runtime"))


@lru_cache(maxsize=1)
def _plain() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{row.named})" for row in _plain_rows()), re.I)


def gpu_request_named(words: str) -> tuple[GpuRequestRow, re.Match[str]] | None:
    """The first GPU request (a launcher's flag or a spec's field) ``words`` name, with where, or None."""
    found = [(row, m) for row, rx in _rows() if (m := rx.search(words)) is not None]
    return min(found, key=lambda pair: pair[1].start()) if found else None


def plain_runtime_named(words: str) -> re.Match[str] | None:
    """Where ``words`` name a container runtime that starts containers without the NVIDIA hook (runc), or None."""
    return _plain().search(words)


def plain_runtime_pattern() -> str:
    """The runtimes that start containers without the NVIDIA hook, as one alternation (for a reader's own frame around it)."""
    return _plain().pattern


def plain_runtime_id() -> str:
    """The id of the plain runtime's row."""
    return _plain_rows()[0].id


def request_row(row_id: str) -> GpuRequestRow | None:
    """The row of a GPU request (or of the plain runtime) by its id."""
    return next((row for row, _ in _rows() if row.id == row_id), None) or next((row for row in _plain_rows() if row.id == row_id), None)


@record(frozen=True)
class EnvContextRow:
    """A place a program is started from without the login shell's environment (``[[env_context]]``): its id, label, pattern, cue words, where its environment comes from, the fix and the source."""

    id: str
    label: str
    name: str
    cue: tuple[str, ...]
    gets: str
    fix: str
    source: str


@lru_cache(maxsize=1)
def _env_rows() -> tuple[tuple[EnvContextRow, re.Pattern[str]], ...]:
    out = []
    for row in table_rows("launchers", "env_context"):
        item = EnvContextRow(id=str(row["id"]), label=str(row["label"]), name=str(row["name"]), cue=tuple(str(c) for c in row["cue"]),
                             gets=str(row["gets"]), fix=str(row["fix"]), source=str(row["source"]))
        out.append((item, re.compile(item.name, re.I)))
    return tuple(out)


@lru_cache(maxsize=1)
def env_context_cues() -> tuple[str, ...]:
    """The lower-case words one of which a line must hold to name a place started without the login shell's environment."""
    return tuple(dict.fromkeys(c for row, _ in _env_rows() for c in row.cue))


def env_context_named(words: str) -> list[tuple[EnvContextRow, re.Match[str]]]:
    """Each place started without the login shell's environment (an IDE, a server's session, a service, sudo, a batch job) ``words`` name, in order."""
    low = words.lower()
    found = [(row, m) for row, rx in _env_rows() if any(c in low for c in row.cue) for m in rx.finditer(words)]
    return sorted(found, key=lambda pair: pair[1].start())


def env_context_row(row_id: str) -> EnvContextRow | None:
    """The row of a place started without the login shell's environment, by its id."""
    return next((row for row, _ in _env_rows() if row.id == row_id), None)
