"""Conda environment files (``environment.yml``, ``conda.yml``), read with PyYAML keeping line numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from whygpu.lint.interface import FileKind, FileLinter, Location, ParsedFile, ParseProblem, Source
from whygpu.lint.packages import (
    Dependencies,
    PackageSpec,
    parse_conda_spec,
    parse_requirements_text,
)
from whygpu.lint.yamldoc import YamlDoc, YamlError, load_yaml

YAML_SUFFIXES = (".yml", ".yaml")
# YAML keys that make a file an Azure ML definition rather than a conda environment.
AZUREML_KEYS = frozenset({"$schema", "command", "compute", "conda_file", "image", "build", "jobs", "size", "inference_config"})


@dataclass
class CondaEnvModel(ParsedFile):
    """A conda environment: its channels, conda packages, ``pip:`` packages and Python pin."""

    name: str | None = None
    channels: list[tuple[str, Location]] = field(default_factory=list)
    conda: Dependencies = field(default_factory=Dependencies)
    pip: Dependencies = field(default_factory=Dependencies)

    @property
    def python(self) -> PackageSpec | None:
        """The ``python=...`` entry, if the file pins Python."""
        for spec in self.conda.packages:
            if spec.name == "python":
                return spec
        return None


def read_yaml(source: Source) -> YamlDoc | YamlError:
    """The file's YAML, parsed once per source and shared by the conda and Azure ML readers."""
    cached = source.cache.get("yaml")
    if isinstance(cached, (YamlDoc, YamlError)):
        return cached
    try:
        result: YamlDoc | YamlError = load_yaml(source.text)
    except YamlError as exc:
        result = exc
    source.cache["yaml"] = result
    return result


def looks_like_conda(data: Any, name: str) -> bool:
    """A mapping with a ``dependencies`` list and none of the Azure ML keys."""
    if not isinstance(data, dict):
        return False
    if AZUREML_KEYS & set(map(str, data)) or "type" in data:
        return False
    if "build_dependencies" in data or ("python" in data and "channels" not in data and set(map(str, data)) <= {"python", "build_dependencies", "dependencies"}):
        return False  # MLflow's python_env.yaml: pip requirement lines for virtualenv, not conda specs
    return isinstance(data.get("dependencies"), list) and (
        "channels" in data or "name" in data or "prefix" in data or _conda_name(name)
    )


def _conda_name(name: str) -> bool:
    lower = name.lower()
    return any(word in lower for word in ("conda", "environment", "env"))


class CondaLinter(FileLinter):
    """Reads conda environment YAML; YAML that does not parse is reported only when the name says conda."""

    kind = FileKind.CONDA

    def wants(self, path: PurePosixPath) -> bool:
        """True when a file with this name may be of this kind."""
        return path.suffix.lower() in YAML_SUFFIXES

    def accepts(self, source: Source) -> bool:
        """True when the YAML content confirms this kind."""
        doc = read_yaml(source)
        if isinstance(doc, YamlError):
            return _conda_name(source.name)
        return looks_like_conda(doc.data, source.name)

    def parse(self, source: Source) -> CondaEnvModel:
        """This file's model; syntax errors become parse problems."""
        return parse_conda_env(source)


def parse_conda_env(source: Source) -> CondaEnvModel:
    """The environment's packages with the line of each; bad entries become parse problems."""
    model = CondaEnvModel(source)
    doc = read_yaml(source)
    if isinstance(doc, YamlError):
        model.problems.append(ParseProblem(source.location(doc.line, doc.column), f"YAML syntax error: {doc.message}"))
        return model
    data = doc.data
    if not isinstance(data, dict):
        model.problems.append(ParseProblem(source.location(1), "a conda environment file must be a mapping with 'dependencies'"))
        return model
    model.name = str(data["name"]) if data.get("name") is not None else None
    channels = data.get("channels") or []
    if isinstance(channels, list):
        for i, channel in enumerate(channels):
            model.channels.append((str(channel), source.location(doc.line_of("channels", i))))
    dependencies = data.get("dependencies")
    if not isinstance(dependencies, list):
        model.problems.append(ParseProblem(source.location(doc.line_of("dependencies")), "'dependencies' must be a list"))
        return model
    for i, item in enumerate(dependencies):
        line = doc.line_of("dependencies", i)
        if isinstance(item, dict):
            pip_items = item.get("pip")
            if isinstance(pip_items, list):
                lines = [str(x) for x in pip_items]
                lines_at = [doc.line_of("dependencies", i, "pip", j) for j in range(len(lines))]
                model.pip.extend(
                    parse_requirements_text(lines, lambda n, at=lines_at: source.location(at[n - 1]))  # type: ignore[misc]
                )
            continue
        if item is None:
            continue
        parsed = parse_conda_spec(str(item), source.location(line))
        if isinstance(parsed, ParseProblem):
            model.problems.append(parsed)
        else:
            model.conda.packages.append(parsed)
    return model
