"""Removes secrets (keys, tokens, passwords, connection strings, SAS signatures) from anything printed or saved."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")

REDACTED = "<redacted>"

# Variable names whose values are secrets whatever they contain.
_SECRET_NAME = re.compile(
    r"(KEY|TOKEN|SECRET|PASSW|PASSWD|PWD|CREDENTIAL|CONNECTION_?STRING|SAS|SIGNATURE|AUTH|COOKIE|PRIVATE|CERT)",
    re.IGNORECASE,
)
# Names that match the pattern above but are not secrets (and matter for diagnosis).
_NOT_SECRET = frozenset({"PWD", "OLDPWD", "KEYTIMEOUT", "SSH_AUTH_SOCK"})


def _has_word(text: str, *words: str) -> bool:
    """Whether ``text`` may hold one of ``words`` (lower-case ASCII) for a case-insensitive pattern.

    ASCII text is searched lower-cased; any other text may match through Unicode case folding
    (the Kelvin sign is a ``k`` to ``(?i)``), so it always may.
    """
    if not text.isascii():
        return True
    lower = text.lower()
    return any(word in lower for word in words)


# (pattern, replacement, a test that is true of every text the pattern can match). A pattern is
# compiled the first time its test passes: most texts (a PATH, a device list) need none of them, and
# the six together cost as much to compile as a diagnosis spends reading /proc and /sys.
_VALUE_PATTERNS: tuple[tuple[str, str, Callable[[str], bool]], ...] = (
    # Azure storage / service bus connection strings: AccountKey=...; SharedAccessKey=...;
    (r"(?i)\b(AccountKey|SharedAccessKey|SharedAccessSignature|AccessKey|Password|Pwd)=([^;\s\"']+)", r"\1=" + REDACTED,
     lambda text: "=" in text),
    # SAS tokens and signed URLs: sig=..., also sv/se are kept, the signature goes.
    (r"(?i)([?&](?:sig|signature|token|access_token|code|key|api[-_]?key)=)([^&\s\"']+)", r"\1" + REDACTED,
     lambda text: "=" in text),
    # Credentials in URLs: scheme://user:password@host
    (r"(?i)\b([a-z][a-z0-9+.-]*://[^/\s:@]+:)([^@\s/]+)@", r"\1" + REDACTED + "@",
     lambda text: "://" in text),
    # Authorization headers and bearer tokens.
    (r"(?i)\b(bearer\s+)([A-Za-z0-9._~+/=-]{8,})", r"\1" + REDACTED,
     lambda text: _has_word(text, "bearer")),
    # NAME=value where NAME looks secret (e.g. in an `env` dump pasted into a log).
    (
        r"(?i)\b([A-Z0-9_]*(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|CONNECTION_STRING|SAS_TOKEN)[A-Z0-9_]*\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|[^\s\"',;]+)",
        r"\1" + REDACTED,
        lambda text: ("=" in text or ":" in text)
        and _has_word(text, "key", "token", "secret", "passw", "connection_string"),
    ),
    # GitHub, Hugging Face and Azure-style opaque tokens.
    (r"\b(ghp|gho|ghs|github_pat|hf)_[A-Za-z0-9_]{16,}\b", REDACTED,
     lambda text: any(prefix in text for prefix in ("ghp_", "gho_", "ghs_", "github_pat_", "hf_"))),
)


@lru_cache(maxsize=8)
def _compiled(index: int) -> re.Pattern[str]:
    return re.compile(_VALUE_PATTERNS[index][0])


def is_secret_name(name: str) -> bool:
    """True when an environment variable's name says its value is a secret."""
    return name.upper() not in _NOT_SECRET and bool(_SECRET_NAME.search(name))


def redact_text(text: str) -> str:
    """Replace every secret-looking value in free text."""
    for index, (_pattern, replacement, may_match) in enumerate(_VALUE_PATTERNS):
        if may_match(text):
            text = _compiled(index).sub(replacement, text)
    return text


def redact_deep(value: T) -> T:
    """``value`` (a report, a snapshot's JSON data) with every string inside it redacted, one string at a time.

    Structured output (JSON, SARIF, a snapshot) must be redacted this way, before it is serialised: a pass over the
    serialised text can take an escape's backslash into a secret's value (``\\"TOKEN=abc\\"``) and leave a quote
    unescaped, which is invalid JSON.
    """
    from whygpu.safetext import map_strings

    return map_strings(value, redact_text)


def redact_value(name: str, value: str) -> str:
    """The value of variable ``name`` as it may be shown."""
    if is_secret_name(name):
        return REDACTED
    return redact_text(value)


def redact_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``environ`` with every secret value replaced."""
    return {name: redact_value(name, value) for name, value in environ.items()}
