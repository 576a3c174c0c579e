"""What the copies of a CUDA library a log shows can decide, and the check where they cannot (knowledge/library_copies.toml).

acclibtriad (session 36): ``knowledge.libraries.library_failure_cause`` is the one decision between a library missing, off
the loader's path and of another version; this module holds what it says where the copies shown leave that open.
"""

from __future__ import annotations

from functools import lru_cache

from whygpu.knowledge._util import parse_version, table_rows
from whygpu.records import record

__all__ = ["CopiesCheck", "disagree_check", "release_key"]


@record(frozen=True)
class CopiesCheck:
    """Where the copies shown do not decide: the situation, the commands that decide, why the log does not, the source."""

    situation: str
    check: str
    why: str
    source: str


@lru_cache(maxsize=1)
def disagree_check() -> CopiesCheck:
    """The row for CUDA releases shown that disagree about the library asked for (one has it, another has not)."""
    row = table_rows("library_copies", "disagree")[0]
    return CopiesCheck(row["situation"], row["check"], row["why"], row["source"])


def release_key(release: str) -> str:
    """A CUDA release as major.minor ("12.2.140" -> "12.2", "9.2" -> "9.2", "11" -> "11"), for telling releases apart."""
    parsed = parse_version(release)
    if parsed is None:
        return release.strip()
    return ".".join(str(p) for p in parsed.release[:2])
