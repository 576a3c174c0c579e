"""Azure ML job, environment and compute YAML (CLI v2), read with PyYAML; azure-ai-ml's schema when installed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from whygpu.lint.conda import YAML_SUFFIXES, read_yaml
from whygpu.lint.interface import FileKind, FileLinter, Location, ParsedFile, ParseProblem, Source
from whygpu.lint.yamldoc import YamlDoc, YamlError

_SCHEMA_KIND = (
    (re.compile(r"commandjob|sweepjob|pipelinejob|sparkjob|\bjob\.schema", re.I), "job"),
    # A component carries no compute: the pipeline that uses it does (and is where it is judged).
    (re.compile(r"component", re.I), "component"),
    # A batch deployment runs on a cluster like a job; an online one on its instance_type.
    (re.compile(r"deployment", re.I), "deployment"),
    (re.compile(r"environment", re.I), "environment"),
    (re.compile(r"amlcompute|computeinstance|compute", re.I), "compute"),
)
# What ``az ml compute create`` gives a cluster with no --size (the CLI's documented default).
AZ_CLI_DEFAULT_SIZE = "Standard_DS3_v2"
AZ_CLI_REFERENCE = "https://learn.microsoft.com/cli/azure/ml/compute#az-ml-compute-create"


@dataclass
class EnvironmentSpec:
    """An Azure ML environment: an image, a conda file, or a Docker build context, each with its line."""

    name: str | None = None
    version: str | None = None
    image: tuple[str, Location] | None = None
    conda_file: tuple[str, Location] | None = None  # a path relative to the YAML file
    conda_inline: dict[str, Any] | None = None
    build_path: tuple[str, Location] | None = None
    dockerfile_path: str = "Dockerfile"
    location: Location | None = None


@dataclass
class JobSpec:
    """One command job (a standalone job, a sweep trial, or a step of a pipeline) and what decides its GPU."""

    name: str
    location: Location
    compute: tuple[str, Location] | None = None
    instance_type: tuple[str, Location] | None = None
    instance_count: int | None = None
    environment_ref: tuple[str, Location] | None = None  # ``azureml:name:version`` / ``name@latest``
    environment: EnvironmentSpec | None = None  # an inline environment
    environment_variables: list[tuple[str, str, Location]] = field(default_factory=list)
    distribution: str | None = None
    process_count: tuple[int, Location] | None = None
    command: tuple[str, Location] | None = None
    code: str | None = None
    in_pipeline: bool = False
    kind: str = "job"  # job | component | deployment: the file's role
    component: str | None = None  # a pipeline step's ``component: ./file.yml`` (relative to the pipeline)
    code_base: object | None = None  # the directory ``code`` is relative to, when not the job's own file (a component's)


@dataclass
class ComputeSpec:
    """An AmlCompute cluster or compute instance definition."""

    name: str
    type: str
    size: tuple[str, Location] | None
    location: Location


@dataclass
class AzureMLModel(ParsedFile):
    """What an Azure ML YAML file defines: jobs, an environment, or a compute target."""

    role: str = "unknown"  # job | component | deployment | environment | compute
    jobs: list[JobSpec] = field(default_factory=list)
    environment: EnvironmentSpec | None = None
    compute: ComputeSpec | None = None


def azureml_role(data: Any) -> str | None:
    """``job``, ``environment`` or ``compute`` for an Azure ML YAML mapping; None for anything else."""
    if not isinstance(data, dict):
        return None
    schema = str(data.get("$schema", ""))
    if "azureml" in schema.lower():
        for pattern, role in _SCHEMA_KIND:
            if pattern.search(schema.rsplit("/", 1)[-1]):
                return role
        return None  # data, model, endpoint, schedule, registry, workspace...: nothing that runs code on a GPU
    kind = str(data.get("type", "")).lower()
    if (kind in ("amlcompute", "computeinstance", "kubernetes", "virtualmachine") and "size" in data) or kind == "amlcompute":
        return "compute"
    # Without $schema, ask for the keys only Azure ML uses together (a compose file or a Helm
    # values.yaml also has ``command`` or ``image``).
    if isinstance(data.get("command"), str) and _JOB_KEYS & set(data):
        return "job"
    if kind in ("sweep", "pipeline") and ("trial" in data or isinstance(data.get("jobs"), dict)):
        return "job"
    build = data.get("build")
    if "name" in data and "services" not in data and "dependencies" not in data and (
        isinstance(data.get("image"), str) or isinstance(data.get("conda_file"), (str, dict)) or (isinstance(build, dict) and "path" in build)
    ):
        return "environment"
    return None


_JOB_KEYS = frozenset({"environment", "compute", "code", "resources", "inputs", "outputs", "distribution", "environment_variables", "experiment_name"})


class AzureMLLinter(FileLinter):
    """Reads Azure ML CLI v2 YAML; with ``use_sdk`` (and azure-ai-ml installed) also checks it against the SDK's schema."""

    kind = FileKind.AZUREML

    def __init__(self, *, use_sdk: bool = True) -> None:
        self.use_sdk = use_sdk

    def wants(self, path: PurePosixPath) -> bool:
        """True when a file with this name may be of this kind."""
        return path.suffix.lower() in YAML_SUFFIXES

    def accepts(self, source: Source) -> bool:
        """True when the YAML content confirms this kind."""
        doc = read_yaml(source)
        if isinstance(doc, YamlError):
            lower = source.name.lower()
            return any(word in lower for word in ("job", "pipeline", "sweep", "compute", "azureml", "aml"))
        return azureml_role(doc.data) is not None

    def parse(self, source: Source) -> AzureMLModel:
        """This file's model; syntax errors become parse problems."""
        model = parse_azureml(source)
        if model.role not in ("job", "environment", "compute"):
            return model  # the SDK's schema check below is for these; a component or deployment has its own
        if self.use_sdk and not model.problems:
            model.problems.extend(validate_with_sdk(source, model.role))
        return model


def parse_azureml(source: Source) -> AzureMLModel:
    """The jobs, environment or compute the file defines, each value with its line."""
    model = AzureMLModel(source)
    doc = read_yaml(source)
    if isinstance(doc, YamlError):
        model.problems.append(ParseProblem(source.location(doc.line, doc.column), f"YAML syntax error: {doc.message}"))
        return model
    data = doc.data
    role = azureml_role(data)
    if role is None or not isinstance(data, dict):
        model.problems.append(ParseProblem(source.location(1), "not an Azure ML job, environment or compute definition"))
        return model
    model.role = role
    if role == "environment":
        model.environment = _environment(doc, source, ())
    elif role == "compute":
        size = data.get("size")
        model.compute = ComputeSpec(
            name=str(data.get("name", PurePosixPath(source.display).stem)),
            type=str(data.get("type", "amlcompute")),
            size=(str(size), _at(doc, source, "size")) if size else None,
            location=source.location(1),
        )
    else:
        model.jobs = _jobs(doc, source)
        for job in model.jobs:
            job.kind = role
    return model


# ``az ml compute create -n gpu-cluster --type amlcompute --size Standard_NC6 ...`` in a script, a
# README or a notebook cell: the cluster's VM size as the project creates it.
_AZ_CREATE = re.compile(r"\baz\s+ml\s+compute\s+create\b((?:[^\n\\]|\\\n)*)")
_AZ_OPTION = re.compile(r"(?:^|\s)(--name|-n|--size|--type|-t|--file|-f)(?:\s+|=)(\"[^\"]*\"|'[^']*'|\S+)")


@dataclass
class CliCompute:
    """A compute that an ``az ml compute create`` line creates: its name, VM size (or the CLI default) and place."""

    name: str
    size: str
    size_given: bool
    location: Location


@dataclass
class AzureCliModel(ParsedFile):
    """A script, README or notebook that creates Azure ML compute with the az CLI."""

    computes: list[CliCompute] = field(default_factory=list)


class AzureCliLinter(FileLinter):
    """Reads ``az ml compute create`` lines in shell scripts, Markdown and notebooks (only files that have one)."""

    kind = FileKind.AZURE_CLI

    def wants(self, path: PurePosixPath) -> bool:
        """True when a file with this name may be of this kind."""
        return path.suffix.lower() in (".sh", ".bash", ".md", ".ps1") or path.name.lower() == "readme"

    def accepts(self, source: Source) -> bool:
        """True when the file has an ``az ml compute create`` line."""
        return "compute create" in source.text

    def parse(self, source: Source) -> AzureCliModel:
        """The computes the file creates; names or sizes held in shell variables are left out."""
        return parse_az_cli(source)


def parse_az_cli(source: Source) -> AzureCliModel:
    """Each ``az ml compute create`` with a literal name: its --size, or the CLI's default size."""
    model = AzureCliModel(source)
    text = source.text
    for match in _AZ_CREATE.finditer(text):
        options: dict[str, str] = {}
        for option in _AZ_OPTION.finditer(match.group(1).replace("\\\n", " ")):
            key = {"-n": "--name", "-t": "--type", "-f": "--file"}.get(option.group(1), option.group(1))
            options.setdefault(key, option.group(2).strip("\"'"))
        name, size = options.get("--name"), options.get("--size")
        if not name or "$" in name or "{" in name or "--file" in options:
            continue
        if size is not None and ("$" in size or "{" in size):
            continue  # a size held in a variable: not known here
        kind = options.get("--type", "amlcompute").lower()
        if kind not in ("amlcompute", "computeinstance"):
            continue
        line = text.count("\n", 0, match.start()) + 1
        model.computes.append(CliCompute(name, size or AZ_CLI_DEFAULT_SIZE, size is not None, source.location(line, 1)))
    return model


def _at(doc: YamlDoc, source: Source, *path: Any) -> Location:
    return source.location(doc.line_of(*path), doc.column_of(*path))


def _environment(doc: YamlDoc, source: Source, path: tuple[Any, ...]) -> EnvironmentSpec:
    data = doc.get(*path) or {}
    env = EnvironmentSpec(location=_at(doc, source, *path) if path else source.location(1))
    if not isinstance(data, dict):
        return env
    env.name = str(data["name"]) if data.get("name") is not None else None
    env.version = str(data["version"]) if data.get("version") is not None else None
    if isinstance(data.get("image"), str):
        env.image = (data["image"], _at(doc, source, *path, "image"))
    conda = data.get("conda_file")
    if isinstance(conda, str):
        env.conda_file = (conda, _at(doc, source, *path, "conda_file"))
    elif isinstance(conda, dict):
        env.conda_inline = conda
    build = data.get("build")
    if isinstance(build, dict) and isinstance(build.get("path"), str):
        env.build_path = (build["path"], _at(doc, source, *path, "build", "path"))
        if isinstance(build.get("dockerfile_path"), str):
            env.dockerfile_path = build["dockerfile_path"]
    return env


def _jobs(doc: YamlDoc, source: Source) -> list[JobSpec]:
    data = doc.data
    assert isinstance(data, dict)
    if isinstance(data.get("jobs"), dict):
        default_compute = doc.get("settings", "default_compute")
        jobs: list[JobSpec] = []
        top = _job(doc, source, (), "pipeline")
        for key, child in data["jobs"].items():
            if not isinstance(child, dict):
                continue
            job = _job(doc, source, ("jobs", key), str(key))
            job.in_pipeline = True
            if job.compute is None:
                if top.compute is not None:
                    job.compute = top.compute
                elif isinstance(default_compute, str):
                    job.compute = (default_compute, _at(doc, source, "settings", "default_compute"))
            component = child.get("component")
            if isinstance(component, str) and not component.startswith(("azureml:", "azureml://")):
                job.component = component[len("file:") :] if component.startswith("file:") else component
            elif job.environment_ref is None and job.environment is None and str(child.get("type", "command")) != "command":
                continue  # a registered component: its environment is not in the linted files
            jobs.append(job)
        return jobs
    job = _job(doc, source, (), str(data.get("name") or data.get("display_name") or PurePosixPath(source.display).stem))
    if str(data.get("type", "")).lower() == "sweep" and isinstance(data.get("trial"), dict):
        trial = _job(doc, source, ("trial",), job.name)
        job.environment_ref = job.environment_ref or trial.environment_ref
        job.environment = job.environment or trial.environment
        job.command = job.command or trial.command
        job.environment_variables += trial.environment_variables
    return [job]


def _job(doc: YamlDoc, source: Source, path: tuple[Any, ...], name: str) -> JobSpec:
    data = doc.get(*path)
    job = JobSpec(name=name, location=_at(doc, source, *path))
    if not isinstance(data, dict):
        return job
    if isinstance(data.get("compute"), str):
        job.compute = (data["compute"], _at(doc, source, *path, "compute"))
    if data.get("instance_type") is not None:  # an online deployment's VM size
        job.instance_type = (str(data["instance_type"]), _at(doc, source, *path, "instance_type"))
    resources = data.get("resources")
    if isinstance(resources, dict):
        if resources.get("instance_type") is not None:
            job.instance_type = (str(resources["instance_type"]), _at(doc, source, *path, "resources", "instance_type"))
        if isinstance(resources.get("instance_count"), int):
            job.instance_count = resources["instance_count"]
    environment = data.get("environment")
    if isinstance(environment, str):
        job.environment_ref = (environment, _at(doc, source, *path, "environment"))
    elif isinstance(environment, dict):
        job.environment = _environment(doc, source, (*path, "environment"))
    variables = data.get("environment_variables")
    if isinstance(variables, dict):
        for key, value in variables.items():
            job.environment_variables.append((str(key), "" if value is None else str(value), _at(doc, source, *path, "environment_variables", key)))
    distribution = data.get("distribution")
    if isinstance(distribution, dict):
        job.distribution = str(distribution.get("type", "")).lower() or None
        count = distribution.get("process_count_per_instance")
        if isinstance(count, int) and not isinstance(count, bool):
            job.process_count = (count, _at(doc, source, *path, "distribution", "process_count_per_instance"))
    if isinstance(data.get("command"), str):
        job.command = (data["command"], _at(doc, source, *path, "command"))
    if isinstance(data.get("code"), str):
        job.code = data["code"]
    return job


def sdk_available() -> bool:
    """True when the ``azureml`` extra (azure-ai-ml) is importable."""
    import importlib.util

    try:
        return importlib.util.find_spec("azure.ai.ml") is not None
    except (ImportError, ValueError):
        return False


def validate_with_sdk(source: Source, role: str) -> list[ParseProblem]:
    """azure-ai-ml's own schema check of the file (``load_job``/``load_environment``/``load_compute``); no network."""
    if role not in ("job", "environment", "compute") or not sdk_available():
        return []
    import logging
    import warnings

    # The SDK logs "experimental class" notices while it loads its schemas (through loggers it
    # configures itself): not the user's problem, and not for whygpu's output.
    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                from azure.ai import ml
            except Exception:  # a broken optional install must not stop the lint
                return []
            loader = {"job": ml.load_job, "environment": ml.load_environment, "compute": ml.load_compute}[role]
            loader(source=str(source.path))
    except Exception as exc:  # every SDK validation error becomes one finding
        field_name, message = sdk_error_summary(str(exc))
        line = _line_of_field(field_name, source) if field_name else 1
        return [ParseProblem(source.location(line), f"azure-ai-ml schema: {message}")]
    finally:
        logging.disable(previous)
    return []


def sdk_error_summary(text: str) -> tuple[str | None, str]:
    """The first field and message in azure-ai-ml's nested validation report (JSON inside JSON strings)."""
    for _ in range(4):
        text = text.replace("\\\\", "\\").replace('\\"', '"').replace("\\n", "\n")
    pairs = list(dict.fromkeys(re.findall(r'"([A-Za-z_][A-Za-z0-9_]*)":\s*\[\s*"([^"]+)"', text)))
    if pairs:
        field_name, message = pairs[0]
        more = f" (and {len(pairs) - 1} more problem{'s' if len(pairs) > 2 else ''})" if len(pairs) > 1 else ""
        return field_name, f"{field_name}: {message}{more}"
    first = next((line.strip() for line in text.splitlines() if line.strip()), "invalid")
    return None, first[:300]


def _line_of_field(field_name: str, source: Source) -> int:
    for number, line in enumerate(source.lines, start=1):
        if re.match(rf"^\s*{re.escape(field_name)}\s*:", line):
            return number
    return 1
