"""A package manager's sign and a CUDA library said missing (accpkg, session 35; knowledge/package_managers.toml).

Read over the whole head of a log, only where it holds a library-not-found message (``NEEDLES``): the first line of each
manager's sign (a poetry / uv / pdm / pipenv command or lock file, a /nix/store/ path, nix-shell, /run/opengl-driver, a
Flatpak runtime), the library messages (torch's own "libnvrtc.so.*[0-9] not found in the system path", "libcudnn.so.8:
cannot open shared object file", "Could not dlopen library 'libcuda.so.1'", ldd's "libcuda.so.1 => not found"), the lines
that show a host NVIDIA driver, the writer's words that there is no NVIDIA GPU, and the first line naming torch. What they
mean together is ``knowledge.package_managers.package_cause``'s decision; LOG645-LOG647 (explain/pkgmanagerrules.py) judge.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from whygpu import lazyre as re
from whygpu.knowledge.package_managers import (
    Manager,
    PackageCause,
    host_driver_patterns,
    libraries,
    managers,
    no_nvidia_patterns,
    package_cause,
)

if TYPE_CHECKING:
    from whygpu.explain.logfacts import LogFacts, Seen

__all__ = ["NEEDLES", "LibraryMissing", "has_needle", "package_lines", "package_reading"]

# The gate: a text holds one of these (lower-case) before any line is read.
NEEDLES = ("not found in the system path", "cannot open shared object file", "libcuda", "libnvidia-ml")

_TORCH = re.compile(r"\b(?:py)?torch\b", re.I)
_MAX_LINE = 2000


@dataclass(frozen=True)
class LibraryMissing:
    """A library the log says was not found: its name, "toolkit" or "driver", whether the message is torch's own."""

    lib: str
    kind: str
    torch: bool
    form: str


def has_needle(low_text: str) -> bool:
    """Whether the (lower-cased) text holds a library-not-found message worth the line pass."""
    return any(n in low_text for n in NEEDLES)


def package_lines(lines: list[str], low_text: str) -> Iterator[tuple[str, int, object, str]]:
    """(fact name, line number, value, line shown) for each sighting: "pkg_manager" (a manager's id), "pkg_library" (a
    ``LibraryMissing``), "pkg_host_driver", "pkg_no_nvidia" and "pkg_torch" (the line's own words); each manager and each
    library form once. Only the managers and forms whose needles the whole (lower-cased) text holds are tried per line."""
    seen_managers: set[str] = set()
    seen_forms: set[str] = set()
    forms = [f for f in libraries() if f.needle in low_text]
    kinds = [k for k in managers() if any(n in low_text for n in k.needles)]
    if not forms or not kinds:
        return
    host = not any(n in low_text for n, _ in host_driver_patterns())
    no_nvidia = not any(n in low_text for n, _ in no_nvidia_patterns())
    torch = "torch" not in low_text
    for number, raw in enumerate(lines, 1):
        line = raw[:_MAX_LINE]
        low = line.lower()
        shown = line.strip()[:300]
        for manager in kinds:
            if manager.id not in seen_managers and any(n in low for n in manager.needles) and any(s.search(line) for s in manager.signs):
                seen_managers.add(manager.id)
                yield "pkg_manager", number, manager.id, shown
        for form in forms:
            if form.id not in seen_forms and form.needle in low and (m := form.pattern.search(line)) is not None:
                seen_forms.add(form.id)
                yield "pkg_library", number, LibraryMissing(m.group("lib"), form.kind, form.torch, form.id), shown
        if not host and "nvidia" in low and any(n in low and p.search(line) for n, p in host_driver_patterns()):
            host = True
            yield "pkg_host_driver", number, shown, shown
        if not no_nvidia and "nvidia" in low and any(n in low and p.search(line) for n, p in no_nvidia_patterns()):
            no_nvidia = True
            yield "pkg_no_nvidia", number, shown, shown
        if not torch and "torch" in low and _TORCH.search(line):
            torch = True
            yield "pkg_torch", number, shown, shown


def package_reading(facts: LogFacts) -> tuple[Manager, Seen[Any], PackageCause] | None:
    """The first manager and missing library the log shows whose pair ``knowledge.package_managers.package_cause``
    settles, with what it means (None where nothing is settled). LOG645-LOG647 speak from it; explain.ruleout's
    "driver_off_path" is its store or sandbox reading."""
    if not facts.pkg_manager or not facts.pkg_library:
        return None
    by_id = {m.id: m for m in managers()}
    torch = bool(facts.pkg_torch)
    host = bool(facts.pkg_host_driver) or bool(facts.driver_version)
    no_nvidia = bool(facts.pkg_no_nvidia)
    for seen_manager in facts.pkg_manager:
        manager = by_id.get(seen_manager.value)
        if manager is None:
            continue
        for seen_lib in facts.pkg_library:
            lib = seen_lib.value
            decided = package_cause(manager.family, lib.kind, torch or lib.torch, host, no_nvidia, lib.lib.lower().startswith("libcudnn"))
            if decided is not None:
                return manager, seen_lib, decided
    return None
