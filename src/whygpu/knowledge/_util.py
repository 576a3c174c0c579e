"""Lenient parsing shared by the knowledge modules: versions, platforms, compute capabilities, ids."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from whygpu import lazyre as re
from whygpu.knowledge import load

if TYPE_CHECKING:
    from packaging.version import Version

# packaging is imported by the functions that parse a version or a specifier: its patterns are
# compiled when it is imported, which a run that compares no version should not pay for.


def table_rows(name: str, table: str) -> list[dict[str, Any]]:
    """The rows of one table of ``knowledge/<name>.toml`` (parsed once, on first use)."""
    rows = load(name).get(table, [])
    return rows if isinstance(rows, list) else []


def parse_version(text: str | None) -> Version | None:
    """Parse a version leniently ("v2.15", "2.7.1+cu126", "12.2.140"); None when unparseable."""
    from packaging.version import InvalidVersion, Version

    if text is None:
        return None
    cleaned = str(text).strip().lstrip("vV")
    if not cleaned:
        return None
    try:
        return Version(cleaned)
    except InvalidVersion:
        return None


def release_parts(version: Version, parts: int) -> tuple[int, ...]:
    """The first ``parts`` numbers of a release, padded with zeros."""
    release = version.release + (0,) * parts
    return tuple(release[:parts])


def minor_key(text: str) -> str | None:
    """"major.minor" of a version text, or None when unparseable."""
    version = parse_version(text)
    if version is None:
        return None
    major, minor = release_parts(version, 2)
    return f"{major}.{minor}"


def in_spec(spec: str, version: Version) -> bool:
    """Whether a version (its base) falls in a PEP 440 specifier; False for a bad specifier."""
    # Imported here: packaging.specifiers pulls in packaging.tags, which explain never needs.
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import Version

    try:
        specifier = SpecifierSet(spec)
    except InvalidSpecifier:
        return False
    return specifier.contains(Version(version.base_version), prereleases=True)


def platform_key(platform: str) -> str:
    """The knowledge tables' platform name ("linux", "windows", "macos") for any common spelling."""
    lowered = platform.strip().lower()
    if lowered in {"win", "win32", "windows", "nt", "win_amd64"}:
        return "windows"
    if lowered in {"darwin", "mac", "macos", "osx"}:
        return "macos"
    return lowered


def cc_tuple(cc: str) -> tuple[int, int] | None:
    """A compute capability ("8.6", "sm_86", "compute_86") as (major, minor), or None."""
    match = re.fullmatch(r"\s*(?:sm_|compute_)?(\d+)(?:\.(\d+))?\s*", str(cc))
    if match is None:
        return None
    major_text, minor_text = match.group(1), match.group(2)
    if minor_text is None:
        # sm_86 style: last digit is the minor.
        if len(major_text) < 2:
            return int(major_text), 0
        return int(major_text[:-1]), int(major_text[-1])
    return int(major_text), int(minor_text)


def hex_id(value: str) -> str | None:
    """A PCI id as four lower-case hex digits ("0x10DE" -> "10de"), or None."""
    text = str(value).strip().lower()
    if text.startswith("0x"):
        text = text[2:]
    if not text or len(text) > 4 or any(ch not in "0123456789abcdef" for ch in text):
        return None
    return text.rjust(4, "0")


def pep503(name: str) -> str:
    """A distribution name normalised as PEP 503 says."""
    return re.sub(r"[-_.]+", "-", name.strip()).lower()
