"""``requirements*.txt`` files and ``pyproject.toml`` dependencies, read with ``packaging.requirements``."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from whygpu.lint.interface import FileKind, FileLinter, Location, ParsedFile, ParseProblem, Source
from whygpu.lint.packages import (
    Dependencies,
    IndexOption,
    PackageSpec,
    parse_pip_requirement,
    parse_requirements_text,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - older interpreters only
    import tomli as tomllib


@dataclass
class RequirementsModel(ParsedFile):
    """A pip requirements file: packages, index options and ``-r`` includes, each with its line."""

    deps: Dependencies = field(default_factory=Dependencies)


@dataclass
class PyprojectModel(ParsedFile):
    """The dependencies a ``pyproject.toml`` declares (PEP 621, dependency groups, Poetry), and its index settings."""

    deps: Dependencies = field(default_factory=Dependencies)
    requires_python: tuple[str, Location] | None = None
    # ``[tool.whygpu]``: read by the lint policy, not by the rules.
    whygpu_settings: dict[str, Any] = field(default_factory=dict)


def is_requirements_name(path: PurePosixPath) -> bool:
    """``requirements.txt``, ``requirements-gpu.txt``, ``dev-requirements.in``, ``requirements/base.txt``."""
    name = path.name.lower()
    if path.suffix.lower() not in (".txt", ".in"):
        return False
    return "requirements" in name or "constraints" in name or path.parent.name.lower() == "requirements"


class RequirementsLinter(FileLinter):
    """Reads pip requirements files."""

    kind = FileKind.REQUIREMENTS

    def wants(self, path: PurePosixPath) -> bool:
        """True when a file with this name may be of this kind."""
        return is_requirements_name(path)

    def parse(self, source: Source) -> RequirementsModel:
        """This file's model; syntax errors become parse problems."""
        model = RequirementsModel(source)
        model.deps = parse_requirements_text(source.lines, source.location)
        model.problems.extend(model.deps.problems)
        return model


class PyprojectLinter(FileLinter):
    """Reads ``pyproject.toml``."""

    kind = FileKind.PYPROJECT

    def wants(self, path: PurePosixPath) -> bool:
        """True when a file with this name may be of this kind."""
        return path.name == "pyproject.toml"

    def parse(self, source: Source) -> PyprojectModel:
        """This file's model; syntax errors become parse problems."""
        return parse_pyproject(source)


def _line_of_text(source: Source, needle: str, default: int = 1) -> int:
    """TOML parsers give no positions: find the line that holds ``needle`` as a quoted string or key."""
    for quote in ('"', "'"):
        quoted = f"{quote}{needle}"
        for number, line in enumerate(source.lines, start=1):
            if quoted in line:
                return number
    for number, line in enumerate(source.lines, start=1):
        if re.match(rf"^\s*{re.escape(needle)}\s*=", line):
            return number
    return default


def parse_pyproject(source: Source) -> PyprojectModel:
    """PEP 621 ``dependencies`` and extras, PEP 735 groups, Poetry dependencies and uv/Poetry indexes."""
    model = PyprojectModel(source)
    try:
        data = tomllib.loads(source.text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+), column (\d+)", str(exc))
        line, column = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
        model.problems.append(ParseProblem(source.location(line, column), f"TOML syntax error: {exc}"))
        return model
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    assert isinstance(tool, dict)
    if isinstance(tool.get("whygpu"), dict):
        model.whygpu_settings = tool["whygpu"]
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    assert isinstance(project, dict)
    strings: list[str] = []
    if isinstance(project.get("dependencies"), list):
        strings += [s for s in project["dependencies"] if isinstance(s, str)]
    optional = project.get("optional-dependencies")
    if isinstance(optional, dict):
        for values in optional.values():
            if isinstance(values, list):
                strings += [s for s in values if isinstance(s, str)]
    groups = data.get("dependency-groups")
    if isinstance(groups, dict):
        for values in groups.values():
            if isinstance(values, list):
                strings += [s for s in values if isinstance(s, str)]
    strings += _pdm_and_hatch(tool)
    for text in strings:
        location = source.location(_line_of_text(source, text))
        parsed = parse_pip_requirement(text, location)
        if isinstance(parsed, ParseProblem):
            model.problems.append(parsed)
        elif parsed is not None and parsed.on_linux:
            model.deps.packages.append(parsed)
    requires = project.get("requires-python")
    if isinstance(requires, str):
        model.requires_python = (requires, source.location(_line_of_text(source, "requires-python")))
    _read_poetry(model, source, tool)
    _read_indexes(model, source, tool)
    return model


def _pdm_and_hatch(tool: dict[str, Any]) -> list[str]:
    """PEP 508 strings from PDM's dev-dependencies and Hatch's environments (``dependencies``, ``extra-dependencies``)."""
    strings: list[str] = []
    pdm = tool.get("pdm")
    if isinstance(pdm, dict) and isinstance(pdm.get("dev-dependencies"), dict):
        for values in pdm["dev-dependencies"].values():
            if isinstance(values, list):
                strings += [s for s in values if isinstance(s, str)]
    hatch = tool.get("hatch")
    envs = hatch.get("envs") if isinstance(hatch, dict) else None
    if isinstance(envs, dict):
        for env in envs.values():
            if not isinstance(env, dict):
                continue
            for key in ("dependencies", "extra-dependencies"):
                if isinstance(env.get(key), list):
                    strings += [s for s in env[key] if isinstance(s, str)]
    return strings


def _read_poetry(model: PyprojectModel, source: Source, tool: dict[str, Any]) -> None:
    poetry = tool.get("poetry")
    if not isinstance(poetry, dict):
        return
    tables: list[dict[str, Any]] = []
    if isinstance(poetry.get("dependencies"), dict):
        tables.append(poetry["dependencies"])
    for group in (poetry.get("group") or {}).values() if isinstance(poetry.get("group"), dict) else ():
        if isinstance(group, dict) and isinstance(group.get("dependencies"), dict):
            tables.append(group["dependencies"])
    for table in tables:
        for name, constraint in table.items():
            location = source.location(_line_of_text(source, name))
            if name.lower() == "python":
                if isinstance(constraint, str) and model.requires_python is None:
                    model.requires_python = (constraint, location)
                continue
            version = constraint if isinstance(constraint, str) else (constraint.get("version", "") if isinstance(constraint, dict) else "")
            extras = constraint.get("extras", []) if isinstance(constraint, dict) else []
            text = name + (f"[{','.join(extras)}]" if extras else "") + _poetry_specifier(str(version))
            parsed = parse_pip_requirement(text, location)
            if isinstance(parsed, PackageSpec):
                model.deps.packages.append(parsed)
            if isinstance(constraint, dict) and isinstance(constraint.get("source"), str):
                _source_index(model, source, poetry.get("source"), constraint["source"], "url", location)


def _poetry_specifier(version: str) -> str:
    """Poetry's ``^2.1`` and ``~2.1`` as PEP 440 (caret: same major; tilde: same minor)."""
    version = version.strip()
    if not version or version == "*":
        return ""
    if version[0] in "^~" and not version.startswith("~="):
        base = version[1:].strip()
        parts = base.split(".")
        if not all(p.isdigit() for p in parts):
            return ""
        if version[0] == "^":
            upper = f"{int(parts[0]) + 1}" if parts[0] != "0" else f"0.{int(parts[1]) + 1 if len(parts) > 1 else 1}"
        else:
            upper = f"{parts[0]}.{int(parts[1]) + 1}" if len(parts) > 1 else f"{int(parts[0]) + 1}"
        return f">={base},<{upper}"
    if version[0].isdigit():
        return f"=={version}"
    return version


def _read_indexes(model: PyprojectModel, source: Source, tool: dict[str, Any]) -> None:
    """uv's ``[[tool.uv.index]]`` with ``[tool.uv.sources]``, and pip-style index settings."""
    uv = tool.get("uv")
    if not isinstance(uv, dict):
        return
    indexes = uv.get("index")
    if isinstance(indexes, list):
        sources = uv.get("sources") if isinstance(uv.get("sources"), dict) else {}
        assert isinstance(sources, dict)
        for index in indexes:
            if not isinstance(index, dict) or not isinstance(index.get("url"), str):
                continue
            used = any(_source_uses(v, index.get("name")) for v in sources.values())
            if used or index.get("default") or not index.get("explicit"):
                url = index["url"]
                model.deps.indexes.append(IndexOption(url, "index", source.location(_line_of_text(source, url))))
    for key in ("index-url", "extra-index-url"):
        value = uv.get(key)
        for url in [value] if isinstance(value, str) else value if isinstance(value, list) else []:
            if isinstance(url, str):
                model.deps.indexes.append(IndexOption(url, key, source.location(_line_of_text(source, url))))


def _source_uses(value: Any, index_name: Any) -> bool:
    """True when a ``[tool.uv.sources]`` entry takes a package from the index on Linux x86-64."""
    from packaging.markers import InvalidMarker, Marker

    from whygpu.lint.packages import marker_allows_linux

    for entry in value if isinstance(value, list) else [value]:
        if not isinstance(entry, dict) or entry.get("index") != index_name:
            continue
        marker = entry.get("marker")
        try:
            if marker is None or marker_allows_linux(Marker(str(marker))):
                return True
        except InvalidMarker:
            return True
    return False


def _source_index(model: PyprojectModel, source: Source, sources: Any, name: str, key: str, location: Location) -> None:
    if not isinstance(sources, list):
        return
    for entry in sources:
        if isinstance(entry, dict) and entry.get("name") == name and isinstance(entry.get(key), str):
            url = entry[key]
            model.deps.indexes.append(IndexOption(url, "index", source.location(_line_of_text(source, url))))
