"""A framework's own packages and parts, and what a break between them means (accinstall, session 37;
knowledge/package_parts.toml).

Two decisions over what explain/pkgparts.py reads: ``part_missing_cause`` (Python says a module every release of a GPU
framework's package ships is missing from it: the install is not whole) and ``skew_cause`` (pip's resolver names two packages
of one framework in a conflict: where the framework refuses to start its GPU back end on a skew between them, JAX's, the
install is inconsistent; an add-on's skew, torchvision's or tensorflow-text's, is left quiet). Judged by LOG695-LOG696
(explain/pkgpartsrules.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from whygpu.knowledge._util import table_rows
from whygpu.knowledge.situations import SituationCause, situation_cause

__all__ = ["Skew", "canonical_name", "family_member", "part_missing_cause", "shipped_part", "skew_cause"]


def canonical_name(name: str) -> str:
    """A distribution's name as the tables spell it: lower case, '-' for '_' and '.', without an extra ("jax[cuda12]")."""
    return name.split("[", 1)[0].strip().lower().replace("_", "-").replace(".", "-")


@lru_cache(maxsize=1)
def _parts() -> dict[tuple[str, str], str]:
    return {(str(r["package"]), str(r["part"])): str(r["source"]) for r in table_rows("package_parts", "part")}


def shipped_part(package: str, module: str) -> bool:
    """Whether ``module`` (dotted, below ``package``) or the module it lies in is one every release of ``package`` ships."""
    parts = _parts()
    head = module.split(".", 1)[0]
    return (package, module) in parts or (package, head) in parts


def part_missing_cause(package: str, module: str) -> SituationCause | None:
    """What "No module named '<package>.<module>'" means: FRAMEWORK_INSTALL_BROKEN where every release ships that module
    (package_parts.toml [[part]]), the row's texts naming the package; None for a module only some releases have (the code
    wants another release)."""
    if not shipped_part(package, module):
        return None
    row = situation_cause("package_parts", "situation", "situation", "part_missing")
    if row is None:
        return None
    return replace(row, because=row.because.replace("<package>", package), decides=row.decides.replace("<package>", package),
                   fix=row.fix.replace("<package>", package))


@dataclass(frozen=True)
class Skew:
    """What a resolver conflict between two packages of one framework means: its family's framework, whether the framework
    refuses its GPU back end on it (``blocks``), and the row's cause with why, what decides, the fix and its source."""

    framework: str
    blocks: bool
    decided: SituationCause


@lru_cache(maxsize=1)
def _families() -> tuple[tuple[frozenset[str], Skew], ...]:
    out = []
    for r in table_rows("package_parts", "family"):
        decided = SituationCause(str(r["cause"]), tuple(str(c) for c in r.get("also", ())), str(r["because"]), str(r["decides"]),
                                 str(r["fix"]), str(r["source"]), f"skew:{r['framework']}")
        out.append((frozenset(canonical_name(m) for m in r["members"]), Skew(str(r["framework"]), r["skew"] == "blocks", decided)))
    return tuple(out)


def family_member(name: str) -> bool:
    """Whether ``name`` is a package of any framework family (a cheap test before pairing)."""
    key = canonical_name(name)
    return any(key in members for members, _ in _families())


def skew_cause(first: str, second: str) -> Skew | None:
    """What pip's resolver naming ``first`` and ``second`` in one conflict means: the family both belong to (two different
    packages of one framework, or one package with itself where pip could fit none of its releases), or None where they do
    not share one."""
    a, b = canonical_name(first), canonical_name(second)
    for members, skew in _families():
        if a in members and b in members:
            return skew
    return None
