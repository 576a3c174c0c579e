"""A situation's cause, read from a knowledge table's rows: the one record and lookup that the situation tables share.

Several tables decide a cause by the situation a log shows (knowledge/device_refusals.toml's [[cause]]: which layers see or
refuse the GPU; package_managers.toml's [[cause]]: a library missing under a package manager; remote_session.toml's
[[kind]]: a Remote Desktop session or a virtual machine). Each row gives the cause, the causes left possible beside it, why,
what would decide, the fix and its source (lead's review, session 35: three modules had copied the record and the lookup).
"""

from __future__ import annotations

from dataclasses import dataclass

from whygpu.knowledge._util import table_rows


@dataclass(frozen=True)
class SituationCause:
    """The cause a situation means, the causes left possible beside it, why, what would decide, the fix, its source, and the
    situation's key in its table."""

    cause: str
    also: tuple[str, ...]
    because: str
    decides: str
    fix: str
    source: str
    situation: str


def situation_cause(table: str, section: str, key: str, situation: str) -> SituationCause | None:
    """The row of ``table``'s ``section`` whose ``key`` field is ``situation``, as a SituationCause; None where none is."""
    for r in table_rows(table, section):
        if r[key] == situation:
            return SituationCause(str(r["cause"]), tuple(str(c) for c in r.get("also", ())), str(r["because"]),
                                  str(r["decides"]), str(r["fix"]), str(r["source"]), situation)
    return None
