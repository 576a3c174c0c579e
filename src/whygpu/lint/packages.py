"""Package specifications as pip and conda write them, parsed with ``packaging`` into one shape."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from packaging.markers import InvalidMarker, Marker, UndefinedComparison, UndefinedEnvironmentName
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from whygpu.lint.interface import Location, ParseProblem


@dataclass(frozen=True)
class PackageSpec:
    """One package asked for by pip, conda or apt, with where it was asked for."""

    name: str  # canonical (PEP 503) name
    raw: str
    location: Location
    manager: str = "pip"  # pip | conda | apt
    extras: frozenset[str] = frozenset()
    specifier: str = ""  # a PEP 440 specifier set ("" = any version)
    local_tag: str | None = None  # "cpu", "cu121" from "==2.1.0+cu121"
    channel: str | None = None  # conda channel, e.g. "nvidia"
    build: str | None = None  # conda build string, e.g. "*cuda*"
    url: str | None = None  # a direct URL or wheel file reference
    # False when an environment marker leaves the package out on Linux x86-64, where GPU jobs run
    # (``torch==2.1.0+cpu; sys_platform == "darwin"``): the rules then ignore it.
    on_linux: bool = True

    @property
    def asks_cuda_build(self) -> bool:
        """True when the spec itself asks for a CUDA build: a ``+cuNNN`` local version or a CUDA extra (``[and-cuda]``, ``[cuda12]``)."""
        return (self.local_tag or "").lower().startswith("cu") or any(e.lower() == "and-cuda" or e.lower().startswith("cuda") for e in self.extras)

    @property
    def unpinned(self) -> bool:
        """True when any version may be installed (pip then takes the newest)."""
        return not self.specifier and self.url is None

    def specifier_set(self) -> SpecifierSet:
        """The specifier as a ``SpecifierSet`` (empty when unreadable)."""
        try:
            return SpecifierSet(self.specifier)
        except InvalidSpecifier:
            return SpecifierSet()

    def allows(self, version: Version) -> bool:
        """True when ``version`` satisfies the specifier (pre-releases allowed only when named)."""
        return self.specifier_set().contains(version, prereleases=True)

    def resolve(self, candidates: Iterable[Version]) -> Version | None:
        """The newest of ``candidates`` this spec allows: what an install would pick among them."""
        if self.url is not None:
            return self.url_version()
        allowed = [v for v in candidates if self.allows(v)]
        return max(allowed) if allowed else self.exact_version()

    def exact_version(self) -> Version | None:
        """The version of an ``==X`` or ``==X.*`` pin (``X`` for the latter), else None."""
        for spec in self.specifier_set():
            if spec.operator in ("==", "==="):
                text = spec.version[:-2] if spec.version.endswith(".*") else spec.version
                try:
                    return Version(text.split("+", 1)[0])
                except InvalidVersion:
                    return None
        return None

    def url_version(self) -> Version | None:
        """The version in a wheel file name (``torch-2.1.0+cu121-cp310-...whl``)."""
        if not self.url:
            return None
        match = re.search(r"/?[A-Za-z0-9_.]+?-(\d+(?:\.\d+)*[^-]*)-", self.url.rsplit("/", 1)[-1])
        if not match:
            return None
        try:
            return Version(match.group(1).replace("%2B", "+").split("+", 1)[0])
        except InvalidVersion:
            return None


@dataclass(frozen=True)
class IndexOption:
    """A package index or find-links URL given to pip (``--index-url``, ``--extra-index-url``, ``-f``)."""

    url: str
    option: str
    location: Location


@dataclass
class Dependencies:
    """Everything one file (or one RUN line) asks an installer for."""

    packages: list[PackageSpec] = field(default_factory=list)
    indexes: list[IndexOption] = field(default_factory=list)
    # ``-r other.txt`` / ``-c constraints.txt`` / ``conda env create -f env.yml``: files to follow.
    includes: list[tuple[str, Location]] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)

    def extend(self, other: Dependencies) -> None:
        """Add another reading's packages, indexes, includes and problems."""
        self.packages.extend(other.packages)
        self.indexes.extend(other.indexes)
        self.includes.extend(other.includes)
        self.problems.extend(other.problems)


_LOCAL_TAG = re.compile(r"\+([A-Za-z0-9.]+)")
_PIP_VALUE_OPTIONS = {
    "-i": "index-url",
    "--index-url": "index-url",
    "--extra-index-url": "extra-index-url",
    "-f": "find-links",
    "--find-links": "find-links",
}
# pip options that take a value we do not need (their value must not be read as a package).
_PIP_SKIP_VALUE = {
    "-c", "--constraint", "-t", "--target", "--prefix", "--root", "--platform", "--python-version",
    "--implementation", "--abi", "--src", "--upgrade-strategy", "--progress-bar", "--cache-dir",
    "--log", "--trusted-host", "--timeout", "--retries", "--proxy", "--cert", "--client-cert",
    "--global-option", "--config-settings", "-C", "--install-option", "--hash", "--only-binary",
    "--no-binary", "--python", "--report", "--exists-action", "--root-user-action", "-d", "--dest",
    "--index", "--default-index", "--group", "--prefix-path",
}


def parse_pip_requirement(text: str, location: Location, *, manager: str = "pip") -> PackageSpec | ParseProblem | None:
    """One PEP 508 requirement (``torch==2.1.0+cu121``, ``tensorflow[and-cuda]``), or why it is not one;
    None for a valid pip target that names no package whygpu can tell (a local directory, ``.[extra]``,
    a VCS URL without ``#egg=``)."""
    text = text.strip()
    if (
        re.match(r"^[a-z][a-z0-9+.-]*:(//|/)", text, re.IGNORECASE)
        or text.endswith((".whl", ".tar.gz", ".zip"))
        or text.startswith((".", "/", "~", "\\"))
        or re.match(r"^[A-Za-z]:[\\/]", text)
    ):
        return _url_spec(text, location, manager)
    try:
        requirement = Requirement(text)
    except (InvalidRequirement, InvalidSpecifier) as exc:
        # packaging lets InvalidSpecifier escape for some inputs ('torch====,torch'): just as bad.
        # A local version (``==2.1.0+cpu``) is valid PEP 440 and parses; what remains is really bad.
        return ParseProblem(location, f"not a valid requirement: {text!r} ({str(exc).splitlines()[0]})")
    local = None
    for spec in requirement.specifier:
        match = _LOCAL_TAG.search(spec.version)
        if match:
            local = match.group(1).lower()
    return PackageSpec(
        name=canonicalize_name(requirement.name),
        raw=text,
        location=location,
        manager=manager,
        extras=frozenset(canonicalize_name(e) for e in requirement.extras),
        specifier=str(requirement.specifier),
        local_tag=local,
        url=requirement.url,
        on_linux=marker_allows_linux(requirement.marker),
    )


LINUX_ENVIRONMENT = {"sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64", "os_name": "posix", "extra": ""}


def marker_allows_linux(marker: Marker | None) -> bool:
    """True unless the environment marker is false on Linux x86-64 (unknown markers count as true)."""
    if marker is None or "extra" in str(marker):
        return True  # an extra is chosen by whoever installs; it may well be chosen on Linux
    try:
        return bool(marker.evaluate(LINUX_ENVIRONMENT))
    except (UndefinedEnvironmentName, UndefinedComparison, InvalidMarker, TypeError, ValueError):
        return True


def _url_spec(text: str, location: Location, manager: str) -> PackageSpec | None:
    """A requirement given as a URL or a wheel path: the name and version come from the file name."""
    target = text.split("#", 1)[0].split(";", 1)[0].strip()
    name_match = re.search(r"#egg=([A-Za-z0-9_.-]+)", text)
    filename = re.split(r"[/\\]", target.rstrip("/\\"))[-1]
    archive = filename.endswith((".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz"))
    name = name_match.group(1) if name_match else (filename.split("-", 1)[0] if archive else "")
    if not name or not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", name):
        return None  # pip builds it to learn its name: a local project, a VCS checkout, a directory
    local = None
    match = re.search(r"-\d[^-]*?(?:\+|%2B)([A-Za-z0-9.]+)-", filename)
    if match:
        local = match.group(1).lower()
    return PackageSpec(name=canonicalize_name(name), raw=text, location=location, manager=manager, local_tag=local, url=target)


def strip_comment(line: str) -> str:
    """A requirements line without its comment, as pip's ``(^|\\s+)#.*$`` removes it: a ``#`` at the start or
    after whitespace, with the whitespace before it (written without that pattern, which is quadratic on
    long runs of spaces)."""
    index = line.find("#")
    while index != -1:
        if index == 0 or line[index - 1].isspace():
            return line[:index].rstrip()
        index = line.find("#", index + 1)
    return line


def _is_comment_line(line: str) -> bool:
    return line.lstrip().startswith("#")


def logical_lines(lines: list[str]) -> Iterator[tuple[int, str]]:
    """Lines joined and stripped of comments in pip's order: a line ending in a backslash continues (unless it
    is a comment line), then comments go; yields (first line number, text)."""
    start = 0
    buffer: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.endswith("\\") or _is_comment_line(line):
            if _is_comment_line(line):
                line = " " + line
            if buffer:
                buffer.append(line)
                yield start, strip_comment("".join(buffer)).strip()
                buffer = []
            else:
                yield number, strip_comment(line).strip()
        else:
            if not buffer:
                start = number
            buffer.append(line.strip("\\"))
    if buffer:
        yield start, strip_comment("".join(buffer)).strip()


def parse_requirements_text(lines: list[str], locate: Callable[[int], Location], *, manager: str = "pip") -> Dependencies:
    """A requirements file's lines (also a conda file's ``pip:`` list): packages, indexes and includes."""
    deps = Dependencies()
    for number, text in logical_lines(lines):
        if not text:
            continue
        location = locate(number)
        if text.startswith("-"):
            try:
                words = shlex.split(text, posix=True)
            except ValueError:
                words = text.split()
            deps.extend(parse_pip_arguments(words, location, manager=manager))
            continue
        # ``pkg --hash=sha256:...`` and ``pkg ; marker`` keep only the requirement.
        option = re.search(r"\s--?[a-z]", text)
        requirement_text = text[: option.start()] if option else text
        parsed = parse_pip_requirement(requirement_text, location, manager=manager)
        if isinstance(parsed, ParseProblem):
            deps.problems.append(parsed)
        elif parsed is not None and parsed.on_linux:
            deps.packages.append(parsed)
    return deps


def parse_pip_arguments(words: list[str], location: Location, *, manager: str = "pip") -> Dependencies:
    """The arguments after ``pip install`` (or an option line of a requirements file)."""
    deps = Dependencies()
    i = 0
    while i < len(words):
        word = words[i]
        value: str | None = None
        option = word
        if word.startswith("--") and "=" in word:
            option, value = word.split("=", 1)
        elif word.startswith("-") and not word.startswith("--") and len(word) > 2 and word[:2] in ("-r", "-c", "-i", "-f", "-e"):
            option, value = word[:2], word[2:]
        if option in ("-r", "--requirement", "-c", "--constraint"):
            if value is None:
                i += 1
                value = words[i] if i < len(words) else None
            if value:
                deps.includes.append((value, location))
        elif option in _PIP_VALUE_OPTIONS:
            if value is None:
                i += 1
                value = words[i] if i < len(words) else None
            if value:
                deps.indexes.append(IndexOption(value, _PIP_VALUE_OPTIONS[option], location))
        elif option in ("-e", "--editable"):
            if value is None:
                i += 1
                value = words[i] if i < len(words) else None
            # An editable VCS checkout names its package with #egg=; a local project does not.
            parsed = parse_pip_requirement(value, location, manager=manager) if value and "$" not in value else None
            if isinstance(parsed, PackageSpec) and parsed.on_linux:
                deps.packages.append(parsed)
        elif option in _PIP_SKIP_VALUE:
            if value is None:
                i += 1
        elif word.startswith("-"):
            pass  # a flag such as --upgrade, --no-cache-dir, -q, --pre
        elif "$" in word or word in (".", "./"):
            pass  # a shell variable or the local project: nothing to read
        else:
            parsed = parse_pip_requirement(word, location, manager=manager)
            if isinstance(parsed, PackageSpec) and parsed.on_linux:
                deps.packages.append(parsed)
        i += 1
    return deps


_CONDA_SPEC = re.compile(
    r"""^(?:(?P<channel>[A-Za-z0-9_./:-]+?)::)?
        (?P<name>[A-Za-z0-9_][A-Za-z0-9_.-]*)
        \s*(?:\[(?P<brackets>[^\]]*)\])?
        \s*(?P<rest>.*)$""",
    re.VERBOSE,
)


def parse_conda_spec(text: str, location: Location) -> PackageSpec | ParseProblem:
    """A conda match spec (``cudatoolkit=11.2``, ``conda-forge::cudnn=8.1.0``, ``pytorch=2.1=*cuda*``)."""
    text = text.strip().strip("'\"")
    match = _CONDA_SPEC.match(text)
    if not match:
        return ParseProblem(location, f"not a conda package spec: {text!r}")
    rest = match.group("rest").strip()
    brackets = match.group("brackets") or ""
    version_text = ""
    build: str | None = None
    if rest:
        if " " in rest and not rest.startswith(("=", "<", ">", "!", "~")):
            parts = rest.split()
            version_text, build = parts[0], (parts[1] if len(parts) > 1 else None)
        elif rest.startswith("==") and "=" in rest[2:]:
            version_text, build = rest.rsplit("=", 1)
        elif rest.startswith("==") or rest[0] in "<>!~":
            version_text = rest
        elif rest.startswith("="):
            body = rest[1:]
            if "=" in body and not body.startswith(("=", "<", ">")):
                version_text, build = body.split("=", 1)
                version_text = "=" + version_text
            else:
                version_text = rest
        else:
            version_text = rest
    for item in re.finditer(r"(\w+)\s*=\s*['\"]?([^,'\"]+)['\"]?", brackets):
        if item.group(1) == "version":
            version_text = item.group(2)
        elif item.group(1) == "build":
            build = item.group(2)
    specifier = conda_version_to_specifier(version_text.strip())
    if specifier is None:
        return ParseProblem(location, f"cannot read the version in conda spec {text!r}")
    return PackageSpec(
        name=canonicalize_name(match.group("name")),
        raw=text,
        location=location,
        manager="conda",
        specifier=specifier,
        channel=match.group("channel"),
        build=build,
    )


# A conda version as real packages write them: a digit first, then letters, digits and . _ + ! (no "-",
# which separates a package file's fields).
_CONDA_VERSION = re.compile(r"^[0-9][0-9A-Za-z_.+!]*$")


def conda_version_to_specifier(text: str) -> str | None:
    """A conda version constraint as a PEP 440 specifier set (``=11.2`` means any 11.2.x); None if unreadable."""
    text = text.strip()
    if not text or text == "*":
        return ""
    if "|" in text:
        return ""  # an alternative of versions: any of them; treat as not pinned
    parts = []
    for piece in text.split(","):
        piece = piece.strip()
        if not piece:
            continue
        if piece.startswith("=="):
            op, version = "==", piece[2:]
        elif piece[:2] in (">=", "<=", "!="):
            op, version = piece[:2], piece[2:]
        elif piece[0] in "<>":
            op, version = piece[0], piece[1:]
        elif piece.startswith("~="):
            op, version = "~=", piece[2:]
        elif piece.startswith("="):
            op, version = "fuzzy", piece[1:]
        else:
            op, version = "fuzzy", piece
        version = version.strip()
        fuzzy = op == "fuzzy"
        if fuzzy:
            version = version.rstrip("*").rstrip(".")
            if not version:
                continue
            op, version = "==", version + ".*"
        try:
            Version(version[:-2] if version.endswith(".*") else version)
        except InvalidVersion:
            # conda orders versions its own way and allows letters (openssl 1.1.1n, jpeg 9d, tzdata 2021a):
            # an exact pin of one is kept as PEP 440's string equality; a range over one is not read.
            exact = version[:-2] if fuzzy else version
            if op == "==" and _CONDA_VERSION.match(exact):
                parts.append(f"==={exact}")
                continue
            return None
        parts.append(f"{op}{version}")
    try:
        return str(SpecifierSet(",".join(parts)))
    except InvalidSpecifier:
        return None


def minor_version(text: str) -> Version | None:
    """``3.10`` from ``3.10``, ``3.10.4``, ``=3.10``, ``3.10.*`` or ``3.10-slim``; None when unreadable."""
    match = re.search(r"(\d+)\.(\d+)", text)
    if not match:
        return None
    return Version(f"{match.group(1)}.{match.group(2)}")
