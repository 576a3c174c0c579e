"""Where a program's loader searches for a library where that differs from what the user sets (knowledge/loader_search.toml).

acclibpath (session 35): Python's importer on Windows from 3.8 resolves an extension module's DLL dependencies without PATH,
and some packages bring and register their own DLL folder. ``knowledge.libraries.library_failure_cause`` decides with these.
"""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import parse_version, table_rows
from whygpu.records import record

__all__ = ["DllSearch", "OwnDlls", "own_dlls_package", "python_dll_search", "searched_by_loader"]


@record(frozen=True)
class DllSearch:
    """A Python release line on Windows that does not use PATH for an extension module's DLLs."""

    python_from: str
    searched: str
    fix: str
    source: str


@record(frozen=True)
class OwnDlls:
    """A package that brings and registers its own DLL folder."""

    package: str
    why: str
    source: str


@lru_cache(maxsize=1)
def _dll_rows() -> tuple[DllSearch, ...]:
    return tuple(DllSearch(r["python_from"], r["searched"], r["fix"], r["source"]) for r in table_rows("loader_search", "python_dll_search"))


@lru_cache(maxsize=1)
def _own_rows() -> tuple[tuple[OwnDlls, re.Pattern[str]], ...]:
    return tuple((OwnDlls(r["package"], r["why"], r["source"]), re.compile(r["module"])) for r in table_rows("loader_search", "own_dlls"))


def python_dll_search(python: str) -> DllSearch | None:
    """The row of a Python version (``"3.8"``, ``"3.10.4"``) whose importer on Windows does not search PATH for an extension
    module's DLLs, or None (an older or unreadable version)."""
    shown = parse_version(python)
    if shown is None:
        return None
    for row in _dll_rows():
        first = parse_version(row.python_from)
        if first is not None and shown.release[:2] >= first.release[:2]:
            return row
    return None


def own_dlls_package(module: str, packages_named: frozenset[str] = frozenset()) -> OwnDlls | None:
    """The package that registers its own DLL folder whose extension ``module`` is ("_C" of torch, TensorFlow's pywrap), or
    None. A bare "_C" is torch's only where the log names torch (``packages_named``)."""
    for row, pattern in _own_rows():
        if pattern.match(module) and (module.startswith(row.package) or "." in module or row.package in packages_named
                                      or not module.startswith("_C")):
            return row
    return None


@lru_cache(maxsize=1)
def _default_dirs() -> frozenset[str]:
    return frozenset(r["dir"] for r in table_rows("loader_search", "default_dir"))


# An `ldconfig -p` row: the loader's cache lists the file ("libcudnn.so.8 (libc6,x86-64) => /usr/lib/.../libcudnn.so.8").
_CACHE_ROW = re.compile(r"\(libc6[^)]*\)\s*=>")


def searched_by_loader(path: str, line: str = "") -> bool:
    """Whether a library file shown at ``path`` lies where the Linux loader searches without being told: a default directory
    (knowledge/loader_search.toml [[default_dir]]), or a file the loader's cache lists (``line`` an ``ldconfig -p`` row).
    A file there that fails to load is not off the loader's path."""
    if _CACHE_ROW.search(line):
        return True
    folder = path.replace("\\", "/").rsplit("/", 1)[0].rstrip("/")
    return folder in _default_dirs()
