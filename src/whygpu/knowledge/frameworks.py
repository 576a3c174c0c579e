"""The framework a free-text scope names: the one reading of "pytorch", "tensorflow (Windows)", "pip (jax)" as a framework key."""

from __future__ import annotations

import re

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
