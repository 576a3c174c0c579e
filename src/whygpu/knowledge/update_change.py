"""What an update or upgrade most often did where the writer says the GPU stopped being used after it
(knowledge/update_change.toml), for explain.updatechange and rule LOG740 (accupdate, session 37)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from whygpu.knowledge._util import table_rows

__all__ = ["UpdateCause", "thing_updated", "update_change_cause"]


@lru_cache(maxsize=1)
def _things() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((str(r["kind"]), re.compile(str(r["pattern"]), re.I)) for r in table_rows("update_change", "thing"))


def thing_updated(words: str) -> str:
    """The kind of thing the words around an update name: kernel, driver, system, framework, else the program's own
    update (app)."""
    for kind, pattern in _things():
        if pattern.search(words):
            return kind
    return "app"


@dataclass(frozen=True)
class UpdateCause:
    """The cause an update of one kind of thing most often means on the log's platform, the next ones, and what decides."""

    cause: str
    also: tuple[str, ...]
    because: str
    decides: str
    source: str


def _row(kind: str, platform: str | None) -> dict[str, object] | None:
    rows = [r for r in table_rows("update_change", "kind") if r["kind"] == kind]
    for r in rows:
        platforms = [str(p) for p in r.get("platforms", ())]
        if (platform or "*none") in platforms:
            return r
    return next((r for r in rows if "*" in r.get("platforms", ())), None)


def update_change_cause(kind: str, *, platform: str | None, framework: str | None = None, release: str | None = None,
                        cpu_said: bool = False) -> UpdateCause | None:
    """accupdate (session 37): the one decision LOG740 asks. An update of ``kind`` (the writer's account: a driver, a
    system-wide upgrade, the framework, the program itself) came before the GPU went unused:

    - the writer names the build left the CPU one ("back to pytorch CPU", "torch to no cuda"): FRAMEWORK_CPU_BUILD, whatever
      was updated;
    - the framework itself: what another package's install would do to it (knowledge.install_change.install_change_cause:
      the CPU build where the plain build is the CPU one on the platform, the GPU build's twin beside it, else another
      release), with a build for a newer CUDA than the driver (DRIVER_TOO_OLD) next;
    - otherwise the [[kind]] row for the platform: a driver or system upgrade on Linux most often leaves the old module
      loaded under new libraries (DRIVER_MISMATCH); a program's update on Windows most often reinstalls PyPI's CPU torch
      (FRAMEWORK_CPU_BUILD), elsewhere its GPU backend replaced by one that does not load (FRAMEWORK_INSTALL_BROKEN).

    None where the table has no reading (a driver update on Windows or macOS, a kernel update: LOG481's)."""
    row = _row(kind, platform)
    if kind == "kernel" or row is None:
        return None
    decides, source = str(row["decides"]), str(row["source"])
    if cpu_said:
        return UpdateCause("FRAMEWORK_CPU_BUILD", ("FRAMEWORK_INSTALL_BROKEN",),
                           "the writer names the build the update left the CPU one: the updater installed the framework from an "
                           "index whose build for this platform has no CUDA", decides, source)
    if kind == "framework" and framework:
        from whygpu.knowledge.install_change import install_change_cause

        changed = install_change_cause(framework, platform=platform, release=release)
        also = tuple(dict.fromkeys(c for c in (*changed.also, "DRIVER_TOO_OLD") if c != changed.cause))
        return UpdateCause(changed.cause, also, changed.because, decides, source)
    also = tuple(str(c) for c in row.get("also", ()))  # type: ignore[attr-defined]
    return UpdateCause(str(row["cause"]), also, str(row["because"]), decides, source)
