"""Resolves the CUDA and cuDNN libraries a framework asks for the way glibc's dynamic loader would, without loading anything.

For a name without a slash, ``dlopen`` searches (ld.so(8), https://man7.org/linux/man-pages/man8/ld.so.8.html):
the calling object's DT_RPATH (only when it has no DT_RUNPATH), ``LD_LIBRARY_PATH``, the calling
object's DT_RUNPATH, ``/etc/ld.so.cache``, then the default directories. Frameworks add their own
step: JAX's CUDA plugin loads the pip wheels by absolute path before anything else asks, and torch
loads them from ``site-packages`` when the loader's own search failed. The result says which file
would be loaded and how, or that none would, plus the copies the search passed over.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import field

from whygpu.collect import fsread
from whygpu.collect.cudalibs import default_dirs
from whygpu.collect.interface import Machine
from whygpu.facts import Unavailable
from whygpu.gateways.elf import ElfDynamic, read_dynamic
from whygpu.records import record
from whygpu.snapshot import CudaFacts, LibraryFile, LibraryResolution

VIA_LD_LIBRARY_PATH = "LD_LIBRARY_PATH"
VIA_CACHE = "ld.so.cache"
VIA_DEFAULT = "default directories"


@record(frozen=True)
class LoaderObject:
    """A framework shared object that loads CUDA, with the dynamic section read from it."""

    path: str  # inside the machine
    dynamic: ElfDynamic


@record
class SearchStep:
    """One place the loader looks, in order: a list of directories and how to name it in ``via``."""

    via: str
    dirs: list[str]
    own: bool = False  # part of the framework's own layout (its RUNPATH, its pip wheels)
    cache: dict[str, str] = field(default_factory=dict)  # soname -> path, for the ld.so.cache step


def read_loader_objects(machine: Machine, paths: Iterable[str]) -> tuple[list[LoaderObject], list[str]]:
    """The dynamic sections of the given shared objects that exist, and notes for those that could not be read."""
    objects: list[LoaderObject] = []
    notes: list[str] = []
    for path in paths:
        host = machine.path(path)
        if not fsread.exists(host):
            continue
        dynamic = read_dynamic(host)
        if isinstance(dynamic, Unavailable):
            notes.append(f"{path}: {dynamic.reason}")
            continue
        objects.append(LoaderObject(path, dynamic))
    return objects, notes


def expand_origin(entry: str, origin: str) -> str | None:
    """A RUNPATH entry with ``$ORIGIN`` replaced; None for entries the loader would not use as a path here."""
    value = entry.replace("${ORIGIN}", origin).replace("$ORIGIN", origin)
    if "$" in value or not value.startswith("/"):
        # $LIB/$PLATFORM depend on the loader build, and relative entries on the working directory.
        return None
    return value


def _canonical(machine: Machine, path: str) -> str:
    if str(machine.root) == "/":
        return os.path.realpath(path)
    return fsread.resolve_in_root(machine, path)


def _is_file(machine: Machine, path: str) -> bool:
    """True when ``path`` (following links inside the machine) is a file the loader could open."""
    # Links are followed by _canonical (inside the root); what is left must be a plain file.
    try:
        return stat.S_ISREG(os.lstat(machine.path(_canonical(machine, path))).st_mode)
    except (OSError, ValueError):
        return False


def search_steps(
    machine: Machine,
    cuda: CudaFacts,
    objects: Sequence[LoaderObject],
    *,
    wheel_dirs: Sequence[str] = (),
    preload: str | None = None,
    framework: str = "",
) -> list[SearchStep]:
    """The loader's search order for a ``dlopen`` issued from ``objects``, with a framework's wheel preload."""
    steps: list[SearchStep] = []
    preload_step = SearchStep(f"site-packages/nvidia (preloaded by {framework})" if framework else "site-packages/nvidia",
                              _dirs(machine, wheel_dirs), own=True)
    if preload == "first" and preload_step.dirs:
        steps.append(preload_step)
    for obj in objects:
        if obj.dynamic.rpath and not obj.dynamic.runpath:
            origin = os.path.dirname(obj.path)
            steps.append(SearchStep(f"RPATH of {obj.path}", _dirs(machine, (expand_origin(e, origin) for e in obj.dynamic.rpath)), own=True))
    steps.append(SearchStep(VIA_LD_LIBRARY_PATH, _dirs(machine, cuda.ld_library_path)))
    for obj in objects:
        if obj.dynamic.runpath:
            origin = os.path.dirname(obj.path)
            steps.append(SearchStep(f"RUNPATH of {obj.path}", _dirs(machine, (expand_origin(e, origin) for e in obj.dynamic.runpath)), own=True))
    cache: dict[str, str] = {}
    if not isinstance(cuda.ld_cache, Unavailable):
        for path in cuda.ld_cache:
            cache.setdefault(os.path.basename(path), path)
    steps.append(SearchStep(VIA_CACHE, [], cache=cache))
    steps.append(SearchStep(VIA_DEFAULT, _dirs(machine, default_dirs())))
    if preload == "fallback" and preload_step.dirs:
        steps.append(preload_step)
    return steps


def _dirs(machine: Machine, entries: Iterable[str | None]) -> list[str]:
    out: list[str] = []
    for entry in entries:
        if not entry or not entry.startswith("/"):
            continue
        canonical = _canonical(machine, entry.rstrip("/") or "/")
        if canonical not in out and fsread.is_dir(machine.path(canonical)):
            out.append(canonical)
    return out


def _find(machine: Machine, steps: Sequence[SearchStep], soname: str) -> tuple[str, SearchStep] | None:
    for step in steps:
        if step.via == VIA_CACHE:
            hit = step.cache.get(soname)
            if hit and _is_file(machine, hit):
                return _canonical_file(machine, hit), step
            continue
        for directory in step.dirs:
            candidate = f"{directory}/{soname}"
            if _is_file(machine, candidate):
                return candidate, step
    return None


def _canonical_file(machine: Machine, path: str) -> str:
    """``dir/name`` with the directory's links followed but the file name kept (the soname link)."""
    return f"{_canonical(machine, os.path.dirname(path))}/{os.path.basename(path)}"


def resolve_library(
    machine: Machine,
    steps: Sequence[SearchStep],
    known: Sequence[LibraryFile],
    library: str,
    wanted: Sequence[str],
    *,
    required: bool,
) -> LibraryResolution:
    """Where the loader would find ``library`` (trying each soname of ``wanted`` in turn), and what it passed over."""
    resolved: str | None = None
    via: str | None = None
    hit_step: SearchStep | None = None
    for soname in wanted:
        found = _find(machine, steps, soname)
        if found is not None:
            resolved, hit_step = found
            via = hit_step.via
            break
    searched = {d for step in steps for d in step.dirs}
    cached = {_canonical_file(machine, p) for step in steps for p in step.cache.values()}
    real_resolved = _canonical(machine, resolved) if resolved else None
    wanted_set = set(wanted)

    unreachable: list[str] = []
    other_versions: list[str] = []
    for lib in known:
        if lib.soname in wanted_set or os.path.basename(lib.path) in wanted_set:
            if os.path.dirname(lib.path) in searched or lib.path in cached:
                continue
            if real_resolved is not None and _canonical(machine, lib.path) == real_resolved:
                continue
            unreachable.append(lib.path)
        elif lib.name == library:
            other_versions.append(lib.path)

    shadows: list[str] = []
    if resolved is not None and hit_step is not None and not hit_step.own:
        for step in steps:
            if not step.own:
                continue
            for directory in step.dirs:
                for soname in wanted:
                    candidate = f"{directory}/{soname}"
                    if candidate not in shadows and _is_file(machine, candidate) and _canonical(machine, candidate) != real_resolved:
                        shadows.append(candidate)
    return LibraryResolution(
        library=library,
        wanted=list(wanted),
        required=required,
        resolved=resolved,
        via=via,
        other_versions=sorted(dict.fromkeys(other_versions)),
        unreachable=sorted(dict.fromkeys(unreachable)),
        shadows=shadows,
    )
