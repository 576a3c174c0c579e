"""The user's lint policy, applied in one place after the rules ran: settings from ``[tool.whygpu]`` and the
command line (select, ignore, severity overrides, ``--fail-on``) and inline ``# whygpu: ignore[CODE] reason``."""

from __future__ import annotations

import fnmatch
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from whygpu.errors import UserError
from whygpu.model import Finding, Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - older interpreters only
    import tomli as tomllib

FAIL_ON = ("error", "warning", "info", "never")
_KEYS = {"select", "ignore", "severity", "fail-on", "exclude", "respect-gitignore", "azureml-schema", "relaxed-paths", "strict"}
# Tests, documentation builds and their requirements run CPU-only paths on purpose: what lint finds
# there is reported as info, which never fails a run by default. ``relaxed-paths = []`` turns it off.
DEFAULT_RELAXED = ("tests/", "test/", "testing/", "docs/", "doc/", "test_*.py", "*_test.py", "conftest.py")
_SUPPRESSION = re.compile(r"#\s*whygpu:\s*ignore\[([^\]]*)\]([^\n]*)", re.IGNORECASE)
_CODE = re.compile(r"^[A-Z]+[0-9]*$")


@dataclass(frozen=True)
class LintConfig:
    """Which rules run, how severe they are, what fails the run, and which paths are skipped."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_on: str = "error"
    exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    azureml_schema: bool = True
    relaxed_paths: tuple[str, ...] = DEFAULT_RELAXED
    # ``strict``: a file whygpu could not read ("not checked") fails the run too (exit code 1).
    strict: bool = False
    source: str | None = None  # the pyproject.toml the settings came from
    base: Path | None = None  # the directory exclude patterns are relative to

    def enabled(self, code: str) -> bool:
        """select/ignore by code prefix; the longer matching prefix wins (``--select DF --ignore DF008``)."""
        selected = [len(p) for p in self.select if code.startswith(p)] if self.select else [0]
        if not selected:
            return False
        ignored = [len(p) for p in self.ignore if code.startswith(p)]
        return not ignored or max(selected) > max(ignored)

    def relaxed(self, file: str) -> bool:
        """True when ``file`` (as lint shows it) is under a relaxed path: its findings are at most info."""
        if not self.relaxed_paths:
            return False
        path = Path(file)
        if path.is_absolute():
            for base in (self.base, Path.cwd()):
                if base is not None:
                    try:
                        path = path.relative_to(base.resolve())
                        break
                    except ValueError:
                        continue
        return _relaxed_match(self.relaxed_paths, path.as_posix())

    def fails(self, findings: Iterable[Finding]) -> bool:
        """True when a finding reaches the ``fail_on`` threshold (exit code 1)."""
        if self.fail_on == "never":
            return False
        threshold = Severity(self.fail_on).weight
        return any(f.severity.weight <= threshold for f in findings)


def _relaxed_match(patterns: tuple[str, ...], path: str) -> bool:
    """gitignore-style matching of the relaxed paths (``*`` stays within one path segment): ``dir/`` is a directory
    at any depth, or anchored when it has a slash inside; a pattern without a slash matches any segment (a file or
    a directory name); one with a slash matches from the linted root."""
    parts = path.split("/")
    for pattern in patterns:
        body = pattern.strip("/")
        if not body:
            continue
        if "/" in body:
            anchored = body.split("/")
            if all(fnmatch.fnmatchcase(part, wanted) for part, wanted in zip(parts, anchored, strict=False)) and (
                len(parts) > len(anchored) or (len(parts) == len(anchored) and not pattern.endswith("/"))
            ):
                return True
        elif any(fnmatch.fnmatchcase(part, body) for part in (parts[:-1] if pattern.endswith("/") else parts)):
            return True
    return False


def _codes(value: Any, what: str, where: str, known: set[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [part for part in re.split(r"[,\s]+", value) if part]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UserError(f"{what} must be a list of rule codes or prefixes", where=where)
    codes = tuple(v.strip().upper() for v in value if v.strip())
    for code in codes:
        if code == "ALL":
            continue
        if not _CODE.match(code) or not any(k.startswith(code) for k in known):
            raise UserError(f"{what}: {code!r} is not a lint rule code or prefix (run 'whygpu rule' to list them)", where=where)
    return tuple("" if c == "ALL" else c for c in codes)


def _severity_table(value: Any, where: str, known: set[str]) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise UserError("severity must be a table of CODE = \"error\" | \"warning\" | \"info\"", where=where)
    table: dict[str, Severity] = {}
    for code, level in value.items():
        code_text = str(code).upper()
        if code_text not in known:
            raise UserError(f"severity: {code!r} is not a lint rule code", where=where)
        try:
            table[code_text] = Severity(str(level).lower())
        except ValueError:
            raise UserError(f"severity.{code}: {level!r} is not one of error, warning, info", where=where) from None
    return table


def _fail_on(value: Any, where: str) -> str:
    text = str(value).lower()
    if text not in FAIL_ON:
        raise UserError(f"fail-on: {value!r} is not one of {', '.join(FAIL_ON)}", where=where)
    return text


def known_codes() -> set[str]:
    """Every lint rule code, and the removed ones (a setting naming one still loads; it matches nothing)."""
    from whygpu.lint.registry import REMOVED, RULES

    return {r.code for r in RULES} | set(REMOVED)


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml with a ``[tool.whygpu]`` table, from ``start`` up to the repository root."""
    start = start if start.is_dir() else start.parent
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
                data = {}
            if isinstance(data.get("tool"), dict) and "whygpu" in data["tool"]:
                return candidate
        if (folder / ".git").exists():
            break
    return None


def load_config(path: Path) -> LintConfig:
    """Settings from ``[tool.whygpu.lint]`` (or lint keys directly in ``[tool.whygpu]``) of ``path``."""
    where = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UserError(f"cannot read: {exc.strerror or exc}", where=where) from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"not valid TOML: {exc}", where=where) from None
    tool = data.get("tool", {}).get("whygpu", {}) if isinstance(data.get("tool"), dict) else {}
    if not isinstance(tool, dict):
        raise UserError("[tool.whygpu] must be a table", where=where)
    table: dict[str, Any] = {k: v for k, v in tool.items() if k in _KEYS}
    lint = tool.get("lint")
    if lint is not None:
        if not isinstance(lint, dict):
            raise UserError("[tool.whygpu.lint] must be a table", where=where)
        unknown = sorted(set(lint) - _KEYS)
        if unknown:
            raise UserError(f"[tool.whygpu.lint]: unknown setting {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})", where=where)
        table.update(lint)
    return config_from_mapping(table, where=where, base=path.parent)


def config_from_mapping(table: dict[str, Any], *, where: str, base: Path | None = None) -> LintConfig:
    """A ``LintConfig`` from already-parsed settings, each value checked."""
    known = known_codes()
    config = LintConfig(source=where, base=base)
    if "select" in table:
        config = replace(config, select=_codes(table["select"], "select", where, known))
    if "ignore" in table:
        config = replace(config, ignore=_codes(table["ignore"], "ignore", where, known))
    if "severity" in table:
        config = replace(config, severity=_severity_table(table["severity"], where, known))
    if "fail-on" in table:
        config = replace(config, fail_on=_fail_on(table["fail-on"], where))
    if "exclude" in table:
        value = table["exclude"]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise UserError("exclude must be a list of gitignore-style patterns", where=where)
        config = replace(config, exclude=tuple(value))
    if "relaxed-paths" in table:
        value = table["relaxed-paths"]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise UserError("relaxed-paths must be a list of gitignore-style patterns", where=where)
        config = replace(config, relaxed_paths=tuple(value))
    for key, attr in (("respect-gitignore", "respect_gitignore"), ("azureml-schema", "azureml_schema"), ("strict", "strict")):
        if key in table:
            if not isinstance(table[key], bool):
                raise UserError(f"{key} must be true or false", where=where)
            config = replace(config, **{attr: table[key]})
    return config


def with_cli(config: LintConfig, *, select: str | None = None, ignore: str | None = None, extend_ignore: str | None = None,
             fail_on: str | None = None, no_gitignore: bool = False, no_azureml_schema: bool = False,
             strict: bool = False) -> LintConfig:
    """Command-line options over the file's settings (``--select`` replaces, ``--extend-ignore`` adds)."""
    known = known_codes()
    if select is not None:
        config = replace(config, select=_codes(select, "--select", "command line", known))
    if ignore is not None:
        config = replace(config, ignore=_codes(ignore, "--ignore", "command line", known))
    if extend_ignore is not None:
        config = replace(config, ignore=config.ignore + _codes(extend_ignore, "--extend-ignore", "command line", known))
    if fail_on is not None:
        config = replace(config, fail_on=_fail_on(fail_on, "command line"))
    if no_gitignore:
        config = replace(config, respect_gitignore=False)
    if no_azureml_schema:
        config = replace(config, azureml_schema=False)
    if strict:
        config = replace(config, strict=True)
    return config


# ------------------------------------------------------------------------------------------
# Applying it
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suppression:
    """An inline ``# whygpu: ignore[CODES] reason`` comment."""

    codes: tuple[str, ...]
    reason: str
    file: str
    line: int


def find_suppression(lines: list[str], line: int) -> Suppression | None:
    """The suppression comment on ``line``, or on the comment lines right above it."""
    candidates = [line]
    number = line - 1
    while number >= 1 and lines[number - 1].lstrip().startswith(("#", '"#', "'#")):
        candidates.append(number)
        number -= 1
    for candidate in candidates:
        if not 1 <= candidate <= len(lines):
            continue
        match = _SUPPRESSION.search(lines[candidate - 1])
        if match:
            codes = tuple(c.strip().upper() for c in match.group(1).split(",") if c.strip())
            reason = match.group(2)
            # A notebook keeps source lines as JSON strings: drop the escaped newline and quote.
            reason = re.sub(r'(\\n)?"\s*,?\s*$', "", reason).strip().strip("'\"").strip()
            return Suppression(codes, reason, "", candidate)
    return None


@dataclass
class PolicyResult:
    """Findings kept, findings suppressed (with their reasons), and notes about the policy itself."""

    kept: list[Finding] = field(default_factory=list)
    suppressed: list[tuple[Finding, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def apply_policy(findings: list[Finding], config: LintConfig, lines_of: Any) -> PolicyResult:
    """Select, override severities, then honour inline suppressions that give a reason.

    ``lines_of(file)`` returns the lines of a linted file (for its suppression comments).
    """
    result = PolicyResult()
    known = known_codes()
    warned: set[tuple[str, int]] = set()
    for finding in findings:
        if not config.enabled(finding.id):
            continue
        if finding.id in config.severity:
            finding = replace(finding, severity=config.severity[finding.id])
        file = finding.location.file if finding.location is not None else None
        line = finding.location.line if finding.location is not None else None
        if isinstance(file, str) and finding.severity.weight < Severity.INFO.weight and config.relaxed(file):
            finding = replace(
                finding,
                severity=Severity.INFO,
                extra={**finding.extra, "relaxed": f"{finding.severity.value} lowered to info: {file} is under relaxed-paths (tests, docs)"},
            )
        suppression = None
        if isinstance(file, str) and isinstance(line, int):
            lines = lines_of(file)
            if lines:
                suppression = find_suppression(lines, line)
        if suppression is not None and (finding.id in suppression.codes or "ALL" in suppression.codes):
            if suppression.reason:
                result.suppressed.append((finding, suppression.reason))
                continue
            if (str(file), suppression.line) not in warned:
                warned.add((str(file), suppression.line))
                result.notes.append(
                    f"{file}:{suppression.line}: suppression of {finding.id} not honoured: give a reason, "
                    f"e.g. '# whygpu: ignore[{finding.id}] this image only runs CPU tests'"
                )
        elif suppression is not None:
            for code in suppression.codes:
                if code != "ALL" and code not in known and (str(file), suppression.line) not in warned:
                    warned.add((str(file), suppression.line))
                    result.notes.append(f"{file}:{suppression.line}: suppression names unknown rule code {code!r}")
        result.kept.append(finding)
    return result
