"""The framework a free-text scope names: the one reading of "pytorch", "tensorflow (Windows)", "pip (jax)" as a framework key."""

from __future__ import annotations

from whygpu import lazyre as re

# The names a scope (a finding's, a signature's ``framework``) calls each framework by.
_KEYS = {"pytorch": "torch", "torch": "torch", "tensorflow": "tensorflow", "tf": "tensorflow", "keras": "tensorflow",
         "jax": "jax", "jaxlib": "jax"}
_NAMED = re.compile(r"\b(" + "|".join(sorted(_KEYS, key=len, reverse=True)) + r")\b", re.IGNORECASE)


def framework_of(scope: str) -> str | None:
    """The framework (``torch``, ``tensorflow``, ``jax``) that ``scope`` names first, or None when it names none.

    A scope that names several ("tensorflow, jax", "pytorch, tensorflow") is the first one's: the
    signatures name the framework whose message it is first.  Words are matched whole ("tf" in
    "tf.keras", not in "pdf"); "any", a tool ("nvidia-smi") or a program ("CTranslate2") names none.
    """
    found = _NAMED.search(scope)
    return _KEYS[found.group(1).lower()] if found else None


def release_in_range(versions: str, release: str | None) -> bool:
    """Whether a framework release falls in a data row's ``versions`` range (a PEP 440 specifier such as ``">=2.11,<2.16"``).

    An empty range holds every release, an unknown release none; a leading ``v`` and a local tag
    (``+cu121``) are read past, and a pre-release counts as its release (``2.16.0rc1`` is in
    ``>=2.16``).  False for a range or a release that cannot be read.  The one reading of a
    ``versions`` column (the ``[[unused]]`` rows of knowledge/priors.toml, the knowledge tables' framework ranges).
    """
    if not versions:
        return True
    from whygpu.knowledge._util import in_spec, parse_version

    parsed = parse_version(release)
    return parsed is not None and in_spec(versions, parsed)
