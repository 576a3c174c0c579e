"""The words of a comparison between a program's need and the machine's value (comparisons.toml), as patterns.

``explain.errorwords.compared`` gives each number of a line a role (the need: a floor or one exact value; the build's; the
machine's) and a subject (the GPU's compute capability, cuDNN, the driver, CUDA) by the words beside it. The words are
data: this module turns each role's and each subject's words into one regular expression, once.
"""

from __future__ import annotations

from functools import cache, lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows

SUBJECTS = ("gpu", "cudnn", "driver", "cuda")


def _word(text: str) -> str:
    """A word or phrase as a pattern: whole word at its letter edges, any run of spaces where it has one."""
    body = r"\s+".join(re.escape(part) for part in text.split())
    start = r"\b" if text[:1].isalnum() else ""
    end = r"\b" if text[-1:].isalnum() else ""
    return start + body + end


def _alternatives(rows: list[dict[str, object]]) -> list[str]:
    words = [str(w) for row in rows for w in row.get("words", ())]  # type: ignore[attr-defined]
    patterns = [str(p) for row in rows for p in row.get("patterns", ())]  # type: ignore[attr-defined]
    # Longest first, so that "cuda driver" is read before "cuda", "compute capability" before "capability".
    return [_word(w) for w in sorted(set(words), key=lambda w: (-len(w), w))] + patterns


@lru_cache(maxsize=1)
def subject_pattern() -> re.Pattern[str]:
    """Every subject's names, one named group per subject (``gpu``, ``cudnn``, ``driver``, ``cuda``), in the file's order."""
    groups = []
    for name in SUBJECTS:
        rows = [row for row in table_rows("comparisons", "subject") if row.get("name") == name]
        groups.append(f"(?P<{name}>" + "|".join(_alternatives(rows)) + ")")
    return re.compile("|".join(groups), re.I)


@cache
def role_pattern(role: str, subject: str | None = None) -> re.Pattern[str] | None:
    """The words of ``role`` (comparisons.toml [[role]]) said of ``subject`` (rows without ``subjects`` are said of every
    subject; ``subject`` None: only those rows), as one pattern; None when the role has no words for it."""
    rows = [row for row in table_rows("comparisons", "role") if row.get("role") == role
            and (not row.get("subjects") or (subject is not None and subject in row.get("subjects", ())))]
    alternatives = _alternatives(rows)
    return re.compile("|".join(alternatives), re.I) if alternatives else None


def role_words(role: str) -> tuple[str, ...]:
    """Every word of ``role``, for a cheap test before the patterns (lower-case)."""
    return tuple(str(w).lower() for row in table_rows("comparisons", "role") if row.get("role") == role for w in row.get("words", ()))


@cache
def cuda_form_subjects() -> frozenset[str]:
    """The subjects (comparisons.toml [[subject]] ``cuda_form``) whose value, when it is in CUDA's form rather than their
    own, is the CUDA release they support: "CUDA driver version is 11020" is the driver's CUDA 11.2 (accnum2, session 34)."""
    return frozenset(str(row["name"]) for row in table_rows("comparisons", "subject") if row.get("cuda_form"))
