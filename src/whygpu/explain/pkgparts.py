"""What a log shows of a framework install that is not whole or not consistent (accinstall, session 37).

Two readings, each one line, each behind a cheap substring gate:

- Python's words that a module of a package does not exist, "No module named 'cupy.cuda'" (ModuleNotFoundError, the
  ImportError of Python 2): the package and the dotted module below it. What it means is
  ``knowledge.package_parts.part_missing_cause`` (a module every release ships: the install is not whole).
- pip's resolver naming two packages in one conflict: the "conflict is caused by" rows ("jax[cuda111] 0.2.19 depends on
  jaxlib==0.1.70+cuda111", "jax depends on jaxlib@ https://...", Poetry's "Because jax (0.2.19) depends on jaxlib
  (0.1.70)"), pip's check after an install ("tf-keras 2.18.0 requires tensorflow<2.19,>=2.18, but you have tensorflow 2.15.0
  which is incompatible") and "Cannot install jax and jaxlib==0.1.67 because these package versions have conflicting
  dependencies" (where it lists only releases of one package, the pair is that package with itself). Only the resolver's own forms are read: the requirement after "depends on" must carry a specifier, a URL or
  a marker (prose such as "torchvision depends on torch, so ..." is not pip's). What the pair means is
  ``knowledge.package_parts.skew_cause``.
"""

from __future__ import annotations

import re

__all__ = ["PART_NEEDLE", "SKEW_NEEDLES", "part_missing", "resolver_pairs"]

PART_NEEDLE = "no module named"
SKEW_NEEDLES = (" depends on ", " requires ", "cannot install ")

_PART = re.compile(r"No module named ['\"`]?(?P<package>[A-Za-z_]\w*)\.(?P<module>[A-Za-z_][\w.]*?)['\"`]?(?=$|[\s;,:)])")
_NAME = r"[A-Za-z0-9][A-Za-z0-9_.\-]*"
_DEPENDS = re.compile(r"^\W*(?:because\s+)?(?P<a>" + _NAME + r")(?:\[[^\]]*\])?(?:\s+\(?v?\d[\w.+!\-]*\)?)?\s+depends\s+on\s+"
                      r"(?P<b>" + _NAME + r")(?:\[[^\]]*\])?\s*(?:===?|>=|<=|~=|!=|<|>|@|\(|;)", re.I)
_REQUIRES = re.compile(r"(?P<a>" + _NAME + r")\s+v?\d[\w.+!\-]*\s+requires\s+(?P<b>" + _NAME + r")[^\n]{0,200}?,\s+but\s+you(?:'ll)?\s+have\s+"
                       r"(?P=b)\s+\S+\s+which\s+is\s+incompatible", re.I)
_CANNOT = re.compile(r"Cannot install (?P<names>.+?) because these package versions have conflicting dependencies", re.I)
_LISTED = re.compile(r"(?:^|,\s*|\s+and\s+)(?P<n>" + _NAME + r")")


def part_missing(text: str) -> tuple[str, str] | None:
    """The package and the module below it that ``text`` says Python could not find, or None."""
    if len(text) > 2000:
        return None
    m = _PART.search(text)
    if m is None:
        return None
    return m.group("package").lower(), m.group("module").rstrip(".")


def resolver_pairs(text: str) -> list[tuple[str, str]]:
    """The two packages pip's resolver names in one conflict on ``text`` (the requirer first), in the order found."""
    if len(text) > 2000:
        return []
    out: list[tuple[str, str]] = []
    for pattern in (_DEPENDS, _REQUIRES):
        m = pattern.search(text)
        if m is not None:
            out.append((m.group("a"), m.group("b")))
    m = _CANNOT.search(text)
    if m is not None:
        names = list(dict.fromkeys(n.group("n") for n in _LISTED.finditer(m.group("names"))))
        # Several releases of one package and nothing else ("Cannot install jax[cuda]==0.3.8 and jax[cuda]==0.3.9"): no
        # release's own parts could be fitted; the pair names the package with itself.
        out.extend((a, b) for i, a in enumerate(names) for b in names[i + 1:]) if len(names) > 1 else out.extend((n, n) for n in names)
    return out
