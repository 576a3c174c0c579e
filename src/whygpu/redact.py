"""Removes secrets (keys, tokens, passwords, connection strings, SAS signatures) from anything printed or saved."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

REDACTED = "<redacted>"

# Variable names whose values are secrets whatever they contain.
_SECRET_NAME = re.compile(
    r"(KEY|TOKEN|SECRET|PASSW|PASSWD|PWD|CREDENTIAL|CONNECTION_?STRING|SAS|SIGNATURE|AUTH|COOKIE|PRIVATE|CERT)",
    re.IGNORECASE,
)
# Names that match the pattern above but are not secrets (and matter for diagnosis).
_NOT_SECRET = frozenset({"PWD", "OLDPWD", "KEYTIMEOUT", "SSH_AUTH_SOCK"})


@lru_cache(maxsize=1)
def _value_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """(pattern, replacement) for each kind of secret value; compiled on first use (a diagnosis may redact no text)."""
    return (
        # Azure storage / service bus connection strings: AccountKey=...; SharedAccessKey=...;
        (re.compile(r"(?i)\b(AccountKey|SharedAccessKey|SharedAccessSignature|AccessKey|Password|Pwd)=([^;\s\"']+)"), r"\1=" + REDACTED),
        # SAS tokens and signed URLs: sig=..., also sv/se are kept, the signature goes.
        (re.compile(r"(?i)([?&](?:sig|signature|token|access_token|code|key|api[-_]?key)=)([^&\s\"']+)"), r"\1" + REDACTED),
        # Credentials in URLs: scheme://user:password@host
        (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^/\s:@]+:)([^@\s/]+)@"), r"\1" + REDACTED + "@"),
        # Authorization headers and bearer tokens.
        (re.compile(r"(?i)\b(bearer\s+)([A-Za-z0-9._~+/=-]{8,})"), r"\1" + REDACTED),
        # NAME=value where NAME looks secret (e.g. in an `env` dump pasted into a log).
        (
            re.compile(
                r"(?i)\b([A-Z0-9_]*(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|CONNECTION_STRING|SAS_TOKEN)[A-Z0-9_]*\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|[^\s\"',;]+)"
            ),
            r"\1" + REDACTED,
        ),
        # GitHub, Hugging Face and Azure-style opaque tokens.
        (re.compile(r"\b(ghp|gho|ghs|github_pat|hf)_[A-Za-z0-9_]{16,}\b"), REDACTED),
    )


def is_secret_name(name: str) -> bool:
    """True when an environment variable's name says its value is a secret."""
    return name.upper() not in _NOT_SECRET and bool(_SECRET_NAME.search(name))


def redact_text(text: str) -> str:
    """Replace every secret-looking value in free text."""
    for pattern, replacement in _value_patterns():
        text = pattern.sub(replacement, text)
    return text


def redact_value(name: str, value: str) -> str:
    """The value of variable ``name`` as it may be shown."""
    if is_secret_name(name):
        return REDACTED
    return redact_text(value)


def redact_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``environ`` with every secret value replaced."""
    return {name: redact_value(name, value) for name, value in environ.items()}
