"""Read-only file helpers for collectors that never raise: a missing, unreadable or odd file reads as None."""

from __future__ import annotations

import fnmatch
import os
import stat

from whygpu.collect.interface import Machine

TYPE_CHECKING = False
if TYPE_CHECKING:
    from os import PathLike
    from typing import Union

    StrPath = Union[str, PathLike[str]]

# sysfs and procfs files are small; a cap keeps a hostile or huge file from costing time.
_MAX_READ = 1 << 20


def read_text(path: StrPath, *, limit: int = _MAX_READ) -> str | None:
    """The file's text (UTF-8, undecodable bytes replaced), or None when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit)
    except (OSError, ValueError):
        return None
    return data.decode("utf-8", "replace")


def read_value(path: StrPath) -> str | None:
    """A one-value file (sysfs attribute): its stripped text, or None when absent, unreadable or empty."""
    text = read_text(path, limit=4096)
    if text is None:
        return None
    text = text.strip().replace("\x00", "")
    return text or None


def exists(path: StrPath) -> bool:
    """True when something (file, directory, device node, even a dangling link) is at ``path``."""
    try:
        os.lstat(path)
    except (OSError, ValueError):
        return False
    return True


def is_dir(path: StrPath) -> bool:
    """True for a directory (following links); never raises."""
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def list_dir(path: StrPath) -> list[str] | None:
    """Sorted entry names, or None when ``path`` is not a readable directory."""
    try:
        return sorted(os.listdir(path))
    except (OSError, ValueError):
        return None


def has_entries(path: StrPath) -> bool:
    """True when ``path`` is a directory with at least one entry (a mounted /proc, /sys, /dev)."""
    try:
        with os.scandir(path) as entries:
            return any(True for _ in entries)
    except (OSError, ValueError):
        return False


def read_link(path: StrPath) -> str | None:
    """The target of a symbolic link, or None."""
    try:
        return os.readlink(path)
    except (OSError, ValueError):
        return None


def resolve_in_root(machine: Machine, absolute: str, *, max_links: int = 40) -> str:
    """``absolute`` with every symbolic link followed as the machine would, absolute targets staying inside the root.

    Under ``--root`` a link such as ``/lib -> /usr/lib`` must not escape to this machine's
    ``/usr/lib``, so links are followed by hand; a loop or a missing part stops the walk.
    """
    parts = [p for p in absolute.split("/") if p not in ("", ".")]
    resolved: list[str] = []
    hops = 0
    while parts:
        part = parts.pop(0)
        if part == "..":
            if resolved:
                resolved.pop()
            continue
        candidate = "/" + "/".join([*resolved, part])
        target = read_link(machine.path(candidate))
        if target is None:
            resolved.append(part)
            continue
        hops += 1
        if hops > max_links:
            return "/" + "/".join([*resolved, part, *parts])
        if target.startswith("/"):
            resolved = []
        parts = [p for p in target.split("/") if p not in ("", ".")] + parts
    return "/" + "/".join(resolved)


def glob_match(name: str, pattern: str) -> bool:
    """``fnmatch.fnmatchcase(name, pattern)``, without compiling a pattern whose one wildcard is a leading or trailing ``*``."""
    body = pattern.strip("*")
    if not any(ch in body for ch in "*?[") and len(pattern) - len(body) <= 1:
        if pattern.endswith("*") and body:
            return name.startswith(body)
        if pattern.startswith("*"):
            return name.endswith(body)
        return name == pattern
    return fnmatch.fnmatchcase(name, pattern)


def glob_in_root(machine: Machine, pattern: str) -> list[str]:
    """Absolute paths (inside the machine) matching a glob whose wildcards are in the last parts only."""
    parts = [p for p in pattern.split("/") if p]
    found = ["/"]
    for part in parts:
        following: list[str] = []
        for base in found:
            if any(ch in part for ch in "*?["):
                for name in list_dir(machine.path(base)) or []:
                    if glob_match(name, part) and not name.startswith("."):
                        following.append(os.path.join(base, name))
            else:
                candidate = os.path.join(base, part)
                if exists(machine.path(candidate)):
                    following.append(candidate)
        found = following
    return sorted(found)
