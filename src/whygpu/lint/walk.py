"""Finds the files to lint under the given paths, honouring .gitignore files (with pathspec) and excludes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Directories that never hold the user's own environment definitions or code.
DEFAULT_EXCLUDED_DIRS = frozenset(
    {".git", ".hg", ".svn", "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".tox", ".nox",
     ".venv", "venv", ".eggs", "node_modules", ".ipynb_checkpoints", ".hypothesis", ".idea", ".vscode"}
)


@dataclass(frozen=True)
class _Matcher:
    base: Path
    spec: object  # pathspec.GitIgnoreSpec

    def check(self, path: Path, is_dir: bool) -> bool | None:
        """True: ignored; False: re-included by a ``!`` pattern; None: no pattern matched."""
        try:
            relative = path.relative_to(self.base).as_posix()
        except ValueError:
            return None
        if is_dir:
            relative += "/"
        result = self.spec.check_file(relative)  # type: ignore[attr-defined]
        include: bool | None = result.include
        return include


def _spec_from(path: Path) -> object | None:
    import pathspec

    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _repository_root(start: Path) -> Path | None:
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


class Walker:
    """Yields (path, shown path) for every file under the roots that is not ignored or excluded."""

    def __init__(self, *, cwd: Path, use_gitignore: bool = True, exclude: tuple[str, ...] = (), exclude_base: Path | None = None) -> None:
        self.cwd = cwd
        self.use_gitignore = use_gitignore
        self.skipped_large: list[str] = []
        self.unreadable: list[str] = []
        self._exclude: _Matcher | None = None
        if exclude:
            import pathspec

            self._exclude = _Matcher((exclude_base or cwd).resolve(), pathspec.GitIgnoreSpec.from_lines(list(exclude)))

    def display(self, path: Path) -> str:
        """The path as the user will see it: relative to the working directory when it is below it."""
        try:
            return path.relative_to(self.cwd).as_posix()
        except ValueError:
            relative = os.path.relpath(path, self.cwd)
            return Path(relative).as_posix() if not relative.startswith("..") else path.as_posix()

    def _parent_matchers(self, directory: Path) -> list[_Matcher]:
        """.gitignore files from the repository root down to ``directory`` (and .git/info/exclude)."""
        if not self.use_gitignore:
            return []
        root = _repository_root(directory)
        if root is None:
            return []
        matchers: list[_Matcher] = []
        info = root / ".git" / "info" / "exclude"
        if info.is_file():
            spec = _spec_from(info)
            if spec is not None:
                matchers.append(_Matcher(root, spec))
        chain = [directory, *directory.parents]
        for folder in reversed(chain[: chain.index(root) + 1] if root in chain else []):
            if folder == directory:
                continue
            spec = _spec_from(folder / ".gitignore")
            if spec is not None:
                matchers.append(_Matcher(folder, spec))
        return matchers

    def _ignored(self, path: Path, is_dir: bool, matchers: list[_Matcher]) -> bool:
        decision = False
        for matcher in matchers:
            result = matcher.check(path, is_dir)
            if result is not None:
                decision = result
        if not decision and self._exclude is not None:
            decision = bool(self._exclude.check(path, is_dir))
        return decision

    def walk(self, root: Path) -> Iterator[tuple[Path, str]]:
        """Every lintable file under ``root`` (or ``root`` itself when it is a file)."""
        absolute = (root if root.is_absolute() else self.cwd / root).resolve()
        if absolute.is_file():
            yield absolute, self.display(absolute)
            return
        matchers = self._parent_matchers(absolute)
        if matchers and self._ignored(absolute, True, matchers):
            return
        yield from self._walk_dir(absolute, matchers)

    def _walk_dir(self, directory: Path, matchers: list[_Matcher]) -> Iterator[tuple[Path, str]]:
        if self.use_gitignore and (directory / ".gitignore").is_file():
            spec = _spec_from(directory / ".gitignore")
            if spec is not None:
                matchers = [*matchers, _Matcher(directory, spec)]
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            self.unreadable.append(self.display(directory))
            return
        subdirs: list[Path] = []
        for entry in entries:
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                is_file = entry.is_file()
            except OSError:
                continue
            if is_dir:
                if entry.name in DEFAULT_EXCLUDED_DIRS or self._ignored(path, True, matchers):
                    continue
                subdirs.append(path)
            elif is_file and not self._ignored(path, False, matchers):
                yield path, self.display(path)
        for subdir in subdirs:
            yield from self._walk_dir(subdir, matchers)
