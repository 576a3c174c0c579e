"""Hyperscan's compiled form of the signatures' patterns, shipped beside them (``python -m whygpu.explain.hsdb`` writes it).

Compiling the patterns costs Hyperscan about 0.3-0.4 s of CPU at every run that engages it (a log of 64 MiB or
more), a third or more of whygpu's whole CPU time on 200 MB of log. Hyperscan can serialise a compiled database and
load it back in well under a millisecond (``hs_serialize_database``/``hs_deserialize_database``,
https://intel.github.io/hyperscan/dev-reference/serialization.html), so the package carries the databases compiled
when the signatures were last changed, in ``signatures.hsdb``, each under a key of the Hyperscan release and the
exact patterns. A run uses one only when its key matches the patterns it would compile; a database Hyperscan will
not load here (another release, or one built for CPU features this machine lacks) or a stale key means it compiles
as before: the shipped file only ever saves time, it never changes a result.

The file: zlib over records of (64 hex characters of key, 8-byte big-endian length, the serialised database).
"""

from __future__ import annotations

import hashlib
import os
import struct
import sys
import zlib
from typing import Any

PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "signatures.hsdb")


def key(patterns: tuple[str, ...]) -> str:
    """The key of a database: the Hyperscan release that compiles it and the exact patterns, in order."""
    import hyperscan

    # The binding's release pins the Hyperscan library it bundles; Hyperscan itself refuses a database of another
    # release at load (HS_DB_VERSION_ERROR), so a wrong guess here only costs a compile.
    digest = hashlib.sha256(str(getattr(hyperscan, "__version__", "")).encode())
    for pattern in patterns:
        digest.update(b"\0" + pattern.encode("utf-8"))
    return digest.hexdigest()


def _records(blob: bytes) -> dict[str, bytes]:
    records: dict[str, bytes] = {}
    at = 0
    while at + 72 <= len(blob):
        name = blob[at : at + 64].decode("ascii")
        (size,) = struct.unpack(">Q", blob[at + 64 : at + 72])
        records[name] = blob[at + 72 : at + 72 + size]
        at += 72 + size
    return records


def shipped(patterns: tuple[str, ...]) -> Any:
    """The shipped database of exactly ``patterns``, loaded and usable here (a scratch space allocates), or None."""
    import hyperscan

    try:
        with open(PATH, "rb") as handle:
            records = _records(zlib.decompress(handle.read()))
        data = records.get(key(patterns))
        if data is None:
            return None
        database = hyperscan.loadb(data, hyperscan.HS_MODE_BLOCK)
        # A database built for CPU features this machine lacks fails here; given its scratch, it scans as a
        # freshly compiled one does (the binding allocates one at compile).
        database.scratch = hyperscan.Scratch(database)
        return database
    except (OSError, ValueError, zlib.error, struct.error, hyperscan.error):
        return None  # no file, a damaged one, another Hyperscan release or CPU: the scan compiles, as without it


def render(variants: list[tuple[str, ...]]) -> bytes:
    """The file's bytes for the databases of ``variants`` (each compiled here)."""
    import hyperscan

    from whygpu.explain.scan import compile_database

    out = bytearray()
    for patterns in variants:
        database = compile_database(patterns)
        if database is None:
            continue
        data = hyperscan.dumpb(database)
        out += key(patterns).encode("ascii") + struct.pack(">Q", len(data)) + data
    return zlib.compress(bytes(out), 9)


def variants() -> list[tuple[str, ...]]:
    """The pattern tuples a scan compiles: every filter pattern, and all but the colour-code one."""
    from whygpu.explain.catalogue import catalogue
    from whygpu.explain.scan import Matcher

    patterns = Matcher(catalogue()).filter_patterns
    return [patterns, patterns[:-1]]


def current() -> bool:
    """Whether the shipped file holds a database for every variant the signatures give today."""
    try:
        with open(PATH, "rb") as handle:
            records = _records(zlib.decompress(handle.read()))
    except (OSError, zlib.error):
        return False
    return all(key(patterns) in records for patterns in variants())


def main() -> int:
    """Write signatures.hsdb for today's signatures."""
    with open(PATH, "wb") as handle:
        handle.write(render(variants()))
    print(f"wrote {PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
