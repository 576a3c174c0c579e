"""Runs a lint: find files, parse each with its file linter, build the project, run the rules, apply the policy."""

from __future__ import annotations

import gc
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from whygpu.errors import UserError
from whygpu.lint.azureml import AzureCliLinter, AzureMLLinter
from whygpu.lint.conda import CondaEnvModel, CondaLinter
from whygpu.lint.dockerfile import DockerfileLinter
from whygpu.lint.gpurequest import GpuRequestLinter
from whygpu.lint.interface import FileLinter, ParsedFile, Source
from whygpu.lint.interface import Location as SourceLocation
from whygpu.lint.policy import LintConfig, apply_policy, find_pyproject, load_config
from whygpu.lint.project import Project, build_project
from whygpu.lint.python import NotebookLinter, PythonLinter
from whygpu.lint.requirements import (
    PyprojectLinter,
    PyprojectModel,
    RequirementsLinter,
    RequirementsModel,
)
from whygpu.lint.setupfiles import SetupCfgLinter, SetupPyLinter
from whygpu.lint.walk import Walker
from whygpu.model import Finding, Location, NotChecked, Report, Severity, Verdict, rank_causes

# Files larger than this are generated data, not environment definitions or scripts.
MAX_FILE_BYTES = 8 * 1024 * 1024


def file_linters(config: LintConfig) -> list[FileLinter]:
    """One linter per file kind; for YAML the Azure ML reader is asked before the conda one."""
    return [
        DockerfileLinter(),
        RequirementsLinter(),
        PyprojectLinter(),
        AzureMLLinter(use_sdk=config.azureml_schema),
        CondaLinter(),
        SetupPyLinter(),
        SetupCfgLinter(),
        PythonLinter(),
        NotebookLinter(),
        AzureCliLinter(),
        GpuRequestLinter(),
    ]


def resolve_config(paths: Sequence[str], cwd: Path, config_file: str | None, isolated: bool) -> LintConfig:
    """The settings in force: ``--config FILE``, else the nearest pyproject.toml with ``[tool.whygpu]``."""
    if isolated:
        return LintConfig()
    if config_file:
        path = Path(config_file)
        if not path.is_file():
            raise UserError("no such file (--config takes a pyproject.toml)", where=config_file)
        return load_config(path)
    start = Path(paths[0]) if paths else cwd
    start = start if start.is_absolute() else cwd / start
    found = find_pyproject(start.resolve()) if start.exists() else None
    return load_config(found) if found else LintConfig()


def parse_files(
    paths: Sequence[str], config: LintConfig, cwd: Path, not_checked: list[NotChecked] | None = None
) -> tuple[list[ParsedFile], list[str]]:
    """Every lintable file under ``paths``, parsed; notes; files that could not be read go to ``not_checked``."""
    skipped = not_checked if not_checked is not None else []
    walker = Walker(cwd=cwd, use_gitignore=config.respect_gitignore, exclude=config.exclude, exclude_base=config.base)
    linters = file_linters(config)
    parsed: list[ParsedFile] = []
    notes: list[str] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        absolute = path if path.is_absolute() else cwd / path
        if not absolute.exists():
            raise UserError("no such file or directory", where=raw)
        explicit_file = absolute.is_file()
        for file_path, display in walker.walk(absolute):
            if file_path in seen:
                continue
            seen.add(file_path)
            pure = PurePosixPath(file_path.name)
            candidates = [linter for linter in linters if linter.wants(pure)]
            if not candidates:
                if explicit_file:
                    notes.append(f"{display}: not a kind of file whygpu lint reads (Dockerfile, conda or Azure ML YAML, requirements, pyproject.toml, setup.py, setup.cfg, .py, .ipynb)")
                continue
            try:
                size = file_path.stat().st_size
                if size > MAX_FILE_BYTES:
                    skipped.append(NotChecked(display, 1, 1, f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB: generated data, not read"))
                    continue
                source = Source(file_path, display)
                source.text  # noqa: B018 - read now so that an unreadable file is reported here
            except OSError as exc:
                if explicit_file:
                    raise UserError(f"cannot read: {exc.strerror or exc}", where=raw) from None
                skipped.append(NotChecked(display, 1, 1, f"cannot read: {exc.strerror or exc}"))
                continue
            for linter in candidates:
                if linter.accepts(source):
                    model = linter.parse(source)
                    source.cache["kind"] = linter.kind.value
                    parsed.append(model)
                    break
    notes.extend(f"{d}: cannot list this directory" for d in walker.unreadable)
    roots = [(Path(raw) if Path(raw).is_absolute() else cwd / raw).resolve() for raw in paths]
    _follow_includes(parsed, walker, [cwd.resolve(), *roots], skipped)
    return parsed, notes


def _includes_of(file: ParsedFile) -> list[tuple[str, SourceLocation]]:
    """The ``-r``/``-c`` files a requirements file (or a conda file's pip list) names."""
    if isinstance(file, (RequirementsModel, PyprojectModel)):
        return file.deps.includes
    if isinstance(file, CondaEnvModel):
        return file.pip.includes
    return []


def _follow_includes(parsed: list[ParsedFile], walker: Walker, roots: list[Path], skipped: list[NotChecked]) -> None:
    """Read the files that ``-r``/``-c`` name, as pip does, whatever they are called; within the linted
    paths only. One that is missing, outside, or a URL is "not checked" at the line that names it."""
    linter = RequirementsLinter()
    known = {_resolved(f.source.path) for f in parsed}
    queue = list(parsed)
    while queue:
        file = queue.pop(0)
        for name, location in _includes_of(file):
            if "$" in name:
                continue  # an environment variable pip expands at install time
            if re.match(r"^[a-z][a-z0-9+.-]*://", name, re.IGNORECASE):
                skipped.append(NotChecked(location.file, location.line, location.column, f"{name}: a URL; whygpu reads no network"))
                continue
            target = _resolved(file.directory / name)
            if target in known:
                continue
            if not target.is_file():
                skipped.append(NotChecked(location.file, location.line, location.column, f"{name}: no such file (named by -r/-c)"))
                continue
            if not any(target.is_relative_to(root) for root in roots):
                skipped.append(NotChecked(location.file, location.line, location.column, f"{name}: outside the linted paths"))
                continue
            try:
                if target.stat().st_size > MAX_FILE_BYTES:
                    continue
                source = Source(target, walker.display(target))
                source.text  # noqa: B018 - read now so that an unreadable file is reported here
            except OSError as exc:
                skipped.append(NotChecked(location.file, location.line, location.column, f"{name}: cannot read: {exc.strerror or exc}"))
                continue
            model = linter.parse(source)
            source.cache["kind"] = linter.kind.value
            known.add(target)
            parsed.append(model)
            queue.append(model)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def not_checked_of(files: Sequence[ParsedFile]) -> list[NotChecked]:
    """One "not checked" entry per file with parse problems: the first place and reason, and how many more."""
    entries: list[NotChecked] = []
    for file in files:
        if not file.problems:
            continue
        first = min(file.problems, key=lambda p: (p.location.line, p.location.column))
        reason = first.message
        if first.location.cell is not None:
            reason = f"cell {first.location.cell}, line {first.location.cell_line}: {reason}"
        more = len(file.problems) - 1
        if more:
            reason += f" (and {more} more place{'s' if more != 1 else ''} not read)"
        entries.append(NotChecked(file.display, first.location.line, first.location.column, reason))
    return entries


def run_rules(project: Project) -> tuple[list[Finding], list[str]]:
    """Every lint rule over the project; duplicates (the same file line reached through two chains) are merged."""
    from whygpu.lint.registry import RULES
    from whygpu.rules.runner import run_rule_list

    found, unknown = run_rule_list(RULES, project)
    findings: list[Finding] = []
    seen: set[tuple[str, Location | None, str]] = set()
    for finding in found:
        key = (finding.id, finding.location, finding.title)
        if key not in seen:
            seen.add(key)
            findings.append(finding)
    return findings, unknown


def lint(paths: Sequence[str] = (".",), *, config: LintConfig | None = None, cwd: Path | None = None) -> Report:
    """Lint ``paths`` (files or directories, searched recursively) and return the report."""
    cwd = (cwd or Path.cwd()).resolve()
    paths = list(paths) or ["."]
    for raw in paths:
        candidate = Path(raw) if Path(raw).is_absolute() else cwd / raw
        if not candidate.exists():
            raise UserError("no such file or directory", where=raw)
    config = config if config is not None else resolve_config(paths, cwd, None, False)
    unread: list[NotChecked] = []
    # Syntax trees hold no reference cycles and are freed by reference counting; the cyclic collector
    # would only re-scan them, again and again, while thousands of files are parsed (mypy does the same).
    collecting = gc.isenabled()
    gc.disable()
    try:
        files, notes = parse_files(paths, config, cwd, unread)
        project = build_project(cwd, files)
        findings, unknown = run_rules(project)
    finally:
        if collecting:
            gc.enable()
    unread.extend(not_checked_of(files))
    unread.sort(key=lambda n: (n.path, n.line, n.column))
    from whygpu.lint.registry import RULES as LINT_RULES

    by_display = {f.display: f for f in files}

    def lines_of(display: str) -> list[str]:
        """The lines of a linted file, for its suppression comments."""
        file = by_display.get(display)
        try:
            return file.source.lines if file is not None else []
        except OSError:  # gone since it was parsed: no suppressions to honour
            return []

    policy = apply_policy(findings, config, lines_of)
    kept = sorted(policy.kept, key=lambda f: (f.severity.weight, f.location.sort_key() if f.location else ("", 0), f.id))
    notes.extend(policy.notes)
    kinds = Counter(str(f.source.cache.get("kind", "other")) for f in files)
    summary, usable = _verdict(kept, len(files))
    if unread:
        summary += f" ({len(unread)} not checked)"
    if policy.suppressed:
        notes.append(f"{len(policy.suppressed)} finding(s) suppressed inline (listed with -v)")
    report = Report(
        subject_kind="files",
        verdict=Verdict(usable, summary),
        causes=rank_causes(kept),
        findings=kept,
        subject={"paths": paths, "files": len(files)},
        details={
            "files": dict(sorted(kinds.items())),
            "suppressed": [{**f.to_json(), "reason": reason} for f, reason in policy.suppressed],
            "unknown": unknown,
            "settings": config.source or "defaults",
            "fail_on": config.fail_on,
            "strict": config.strict,
        },
        notes=notes,
        not_checked=unread,
        rules=[lint_rule.info() for lint_rule in LINT_RULES],
    )
    return report


def _verdict(findings: list[Finding], file_count: int) -> tuple[str, bool | None]:
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
    files = f"{file_count} file{'s' if file_count != 1 else ''}"
    if errors:
        more = f" and {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""
        return f"{errors} problem{'s' if errors != 1 else ''} in {files} would keep the GPU from being used{more}", False
    if warnings:
        return f"{warnings} possible problem{'s' if warnings != 1 else ''} with GPU use in {files}", None
    notes = sum(1 for f in findings if f.severity is Severity.INFO)
    if notes:
        # Notes: what would matter if the project were meant for a GPU, which nothing in it says (or the CPU is chosen).
        return f"No GPU problems found in {files} ({notes} note{'s' if notes != 1 else ''}, shown with -v)", None
    return f"No GPU problems found in {files}", None
