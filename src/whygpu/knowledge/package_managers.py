"""Package managers that leave CUDA's libraries, or the driver's, out of a program's reach (accpkg, session 35;
knowledge/package_managers.toml).

The managers (Poetry, PDM, uv, pip-tools and Pipenv locks; Nix and Guix stores; Flatpak and Snap sandboxes; Arch, conda,
Spack and Homebrew named for their signs), the messages that a CUDA library or the driver's was not found, the lines that
show a host driver or deny an NVIDIA GPU, and the one decision (``package_cause``): what a missing library under a
manager's family means. Read by explain/pkgmanagers.py, judged by LOG645-LOG647 (explain/pkgmanagerrules.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.knowledge.situations import SituationCause, situation_cause

__all__ = ["LibraryForm", "Manager", "PackageCause", "host_driver_patterns", "libraries", "managers", "no_nvidia_patterns",
           "package_cause"]


@dataclass(frozen=True)
class Manager:
    """One package manager (a row of the table)."""

    id: str
    name: str
    family: str
    needles: tuple[str, ...]
    signs: tuple[re.Pattern[str], ...]
    does: str
    fix: str
    source: str


@dataclass(frozen=True)
class LibraryForm:
    """One form of a message that a library was not found."""

    id: str
    kind: str
    torch: bool
    needle: str
    pattern: re.Pattern[str]
    source: str


@lru_cache(maxsize=1)
def managers() -> tuple[Manager, ...]:
    """The managers, in the table's order."""
    return tuple(Manager(str(r["id"]), str(r["name"]), str(r["family"]), tuple(str(n) for n in r["needles"]),
                         tuple(re.compile(str(s), re.I) for s in r["signs"]), str(r["does"]), str(r["fix"]), str(r["source"]))
                 for r in table_rows("package_managers", "manager"))


@lru_cache(maxsize=1)
def libraries() -> tuple[LibraryForm, ...]:
    """The forms of a library-not-found message, the most specific first (the table's order)."""
    return tuple(LibraryForm(str(r["id"]), str(r["kind"]), bool(r.get("torch", False)), str(r["needle"]),
                             re.compile(str(r["pattern"]), re.I), str(r["source"]))
                 for r in table_rows("package_managers", "library"))


def _patterns(table: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((str(r["needle"]), re.compile(str(r["pattern"]), re.I)) for r in table_rows("package_managers", table))


@lru_cache(maxsize=1)
def host_driver_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(needle, pattern) of the lines that show the host has the NVIDIA driver."""
    return _patterns("host_driver")


@lru_cache(maxsize=1)
def no_nvidia_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(needle, pattern) of the writer's words that the machine has no NVIDIA GPU."""
    return _patterns("no_nvidia")


# The cause a missing library under a manager means (knowledge.situations: the record the situation tables share).
PackageCause = SituationCause


def _row(situation: str) -> PackageCause | None:
    return situation_cause("package_managers", "cause", "situation", situation)


def package_cause(family: str, kind: str, torch_shown: bool, host_driver: bool, no_nvidia: bool, cudnn: bool = False) -> PackageCause | None:
    """accpkg (session 35): the one decision LOG645-LOG647 ask. ``family`` is the family of the manager the log shows
    ("lockfile", "store", "sandbox", ...), ``kind`` the kind of library the log says was not found ("toolkit": one of the
    libraries torch's nvidia-* packages ship; "driver": libcuda / libnvidia-ml), ``torch_shown`` whether the program is
    torch (its own preload message, or torch named beside the failure), ``host_driver`` whether the log shows the host's
    NVIDIA driver (nvidia-smi's banner, a driver version, a Flatpak GL.nvidia extension), ``no_nvidia`` whether the writer
    says the machine has no NVIDIA GPU, ``cudnn`` whether the missing library is cuDNN's.

    - A toolkit library torch loads, missing under a lock-file manager: its nvidia-* packages were not installed
      (CUDA_LIBS_MISSING; CUDNN_MISSING where the library is cuDNN's).
    - The driver's library missing under Nix or Guix (and no NVIDIA GPU not denied): the driver's libraries are outside the
      store program's search path (CUDA_LIBS_NOT_ON_PATH).
    - The driver's library missing in a Flatpak or Snap sandbox on a host shown to have the driver: outside the sandbox's
      search path (CUDA_LIBS_NOT_ON_PATH).
    - Anything else (a manager not shown, a toolkit library of another framework under a lock, a sandbox with no host
      driver shown, a machine said to have no NVIDIA GPU): None; the existing readings stay.
    """
    if no_nvidia:
        return None
    if family == "lockfile" and kind == "toolkit" and torch_shown:
        return _row("lockfile_cudnn" if cudnn else "lockfile_toolkit")
    if family == "store" and kind == "driver":
        return _row("store_driver")
    if family == "sandbox" and kind == "driver" and host_driver:
        return _row("sandbox_driver")
    return None
