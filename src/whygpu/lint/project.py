"""The parsed project: every file's model, and the cross-file chains (job -> environment -> image/conda -> pins)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from packaging.version import Version

from whygpu.knowledge.distros import image_distro_python
from whygpu.lint.azureml import AzureCliModel, AzureMLModel, EnvironmentSpec, JobSpec
from whygpu.lint.conda import CondaEnvModel
from whygpu.lint.data import load
from whygpu.lint.dockerfile import DockerfileModel, EnvSetting
from whygpu.lint.gpurequest import index_mention
from whygpu.lint.images import BaseImage, classify_image
from whygpu.lint.interface import Location, ParsedFile
from whygpu.lint.packages import (
    IndexOption,
    PackageSpec,
    minor_version,
    parse_conda_spec,
    parse_requirements_text,
)
from whygpu.lint.python import PythonModel
from whygpu.lint.requirements import PyprojectModel, RequirementsModel

TORCH_FAMILY = frozenset({"torch", "torchvision", "torchaudio", "pytorch", "torchtext"})
TENSORFLOW_GPU_CAPABLE = frozenset({"tensorflow", "tensorflow-gpu", "tf-nightly"})


@dataclass(frozen=True)
class CudaSource:
    """One way the environment gets CUDA (or cuDNN) libraries: the image, pip wheels, conda, apt or a runfile."""

    how: str  # image | pip | conda | apt | runfile
    version: Version | None  # major.minor when known (a major alone for wheels)
    major: int | None
    location: Location
    what: str
    cudnn: bool = False


@dataclass
class Stack:
    """One software environment that a job or container runs in: a base image plus what is installed in it."""

    name: str
    origin: Location
    image: BaseImage | None = None
    packages: list[PackageSpec] = field(default_factory=list)
    indexes: list[IndexOption] = field(default_factory=list)
    env: list[EnvSetting] = field(default_factory=list)
    cuda_installers: list[Location] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    python: tuple[Version, Location] | None = None
    # Lines that show how the chain was followed (job -> environment -> file), for evidence.
    chain: list[str] = field(default_factory=list)
    dockerfile: DockerfileModel | None = None

    def named(self, *names: str, manager: str | None = None) -> list[PackageSpec]:
        """The packages of the stack with these names (of one manager when given)."""
        wanted = set(names)
        return [p for p in self.packages if p.name in wanted and (manager is None or p.manager == manager)]

    def cuda_sources(self, *, cudnn: bool = False) -> list[CudaSource]:
        """Every CUDA (``cudnn=False``) or cuDNN (``cudnn=True``) library source in the stack."""
        sources: list[CudaSource] = []
        image = self.image
        if image is not None and image.kind in ("cuda", "framework"):
            if not cudnn and (image.has_cuda_math_libraries or image.kind == "cuda"):
                sources.append(CudaSource("image", image.cuda, image.cuda_major, image.location, image.reference))
            if cudnn and image.has_cudnn:
                sources.append(CudaSource("image", image.cuda, image.cuda_major, image.location, image.reference, cudnn=True))
        for spec in self.packages:
            role = package_role(spec)
            if role is None or role[0] not in ("cuda", "cudnn"):
                continue
            if (role[0] == "cudnn") != cudnn:
                continue
            sources.append(CudaSource(spec.manager, role[1], role[1].major if role[1] else None, spec.location, spec.raw, cudnn=cudnn))
        if not cudnn:
            for location in self.cuda_installers:
                match = re.search(r"cuda_(\d+)\.(\d+)", location.text)
                version = Version(f"{match.group(1)}.{match.group(2)}") if match else None
                sources.append(CudaSource("runfile", version, version.major if version else None, location, "CUDA runfile installer"))
        return sources


@dataclass
class JobContext:
    """An Azure ML job with the compute and the environment stack it resolves to."""

    job: JobSpec
    file: AzureMLModel
    stack: Stack | None
    environment_label: str | None  # the environment as the job names it
    compute_size: tuple[str, Location, str] | None  # (VM size, where, how it was found)
    compute_name: tuple[str, Location] | None
    # Every size the project gives the job's compute name, when they disagree (then compute_size is None).
    compute_conflict: tuple[tuple[str, Location], ...] = ()

    @property
    def runs_on_cpu(self) -> bool:
        """The job's compute is a CPU VM: a known CPU size (every size, when it is created with several), serverless without an instance type, or a cluster named for the CPU."""
        from whygpu.knowledge.azure import azure_vm_size

        if self.compute_size is not None:
            info = azure_vm_size(self.compute_size[0])
            return info is not None and not info.cuda_capable
        if self.compute_conflict:
            # Created with several sizes in different places: a CPU VM whichever is used only when all are CPU sizes.
            infos = [azure_vm_size(size) for size, _where in self.compute_conflict]
            return all(info is not None and not info.cuda_capable for info in infos)
        name = self.compute_name[0].lower() if self.compute_name else "serverless"
        return name == "serverless" or bool(_CPU_NAME.search(name))


_CPU_NAME = re.compile(r"(^|[^a-z])cpu([^a-z]|$)", re.IGNORECASE)
_GPU_NAME = re.compile(r"(^|[^a-z])gpu([^a-z]|$)", re.IGNORECASE)


@dataclass(frozen=True)
class ComputeDefinition:
    """A compute the project defines (compute YAML, ``az ml compute create``, the Python SDK): its name, VM size and where."""

    name: str  # "" for a run-based compute that has no name (an SDK v1 estimator's vm_size)
    size: str
    location: Location
    how: str  # "compute YAML" | "az ml compute create" | "az ml compute create (default size)" | the SDK call


@dataclass
class Project:
    """Everything lint read, by kind, plus the stacks and job chains built across files."""

    root: Path
    files: list[ParsedFile] = field(default_factory=list)
    stacks: list[Stack] = field(default_factory=list)
    jobs: list[JobContext] = field(default_factory=list)
    environments: list[tuple[AzureMLModel, Stack]] = field(default_factory=list)
    computes: dict[str, list[ComputeDefinition]] = field(default_factory=dict)  # lower-case name -> definitions
    imported_cache: set[str] | None = field(default=None, repr=False, compare=False)  # imported_modules(), once
    intent_cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # whygpu.lint.intent's, once

    def users_of(self, stack: Stack) -> list[JobContext]:
        """The jobs that run in ``stack``: an environment file's stack (by the environment's name), or a job's own."""
        users = [c for c in self.jobs if c.stack is stack or (stack.dockerfile is not None and c.stack is not None and c.stack.dockerfile is stack.dockerfile)]
        for env_file, env_stack in self.environments:
            if env_stack is stack or (stack.dockerfile is not None and env_stack.dockerfile is stack.dockerfile):
                name = (env_file.environment.name or "").lower() if env_file.environment else ""
                users += [c for c in self.jobs if name and c.environment_label and name in c.environment_label.lower()]
        return users

    def cpu_on_purpose(self, stack: Stack) -> bool:
        """Every job that runs in ``stack`` runs on a CPU VM (and there is one): a CPU image there is consistent."""
        users = self.users_of(stack)
        return bool(users) and all(c.runs_on_cpu and not (c.compute_name and _GPU_NAME.search(c.compute_name[0])) for c in users)

    def of(self, kind: type[Any]) -> list[Any]:
        """The parsed files of one model type."""
        return [f for f in self.files if isinstance(f, kind)]

    @property
    def dockerfiles(self) -> list[DockerfileModel]:
        """The parsed Dockerfiles."""
        return self.of(DockerfileModel)

    @property
    def conda_envs(self) -> list[CondaEnvModel]:
        """The parsed conda environment files."""
        return self.of(CondaEnvModel)

    @property
    def requirements(self) -> list[RequirementsModel]:
        """The parsed requirements files."""
        return self.of(RequirementsModel)

    @property
    def pyprojects(self) -> list[PyprojectModel]:
        """The parsed pyproject.toml files."""
        return self.of(PyprojectModel)

    @property
    def azureml(self) -> list[AzureMLModel]:
        """The parsed Azure ML YAML files."""
        return self.of(AzureMLModel)

    @property
    def python(self) -> list[PythonModel]:
        """The parsed scripts and notebooks."""
        return self.of(PythonModel)

    def imported_modules(self) -> set[str]:
        """The scripts (display paths) that another script of the project imports: modules, not entry points.

        ``a/b/c.py`` is ``a.b.c`` (or ``b.c``, ``c`` from a source root below the repository); an absolute import of
        one of those names, or a relative one resolved from the importing file's package, reaches it. Computed once."""
        if self.imported_cache is not None:
            return self.imported_cache
        by_name: dict[str, list[str]] = {}
        for script in self.python:
            if script.notebook:
                continue
            parts = PurePosixPath(script.display).with_suffix("").parts
            if parts and parts[-1] == "__init__":
                continue
            for start in range(len(parts)):
                by_name.setdefault(".".join(parts[start:]), []).append(script.display)
        found: set[str] = set()
        for script in self.python:
            package = PurePosixPath(script.display).parent.parts
            for level, name in script.facts.imported:
                if level:
                    base = package[: len(package) - (level - 1)] if level - 1 <= len(package) else ()
                    name = ".".join((*base, name)) if name else ".".join(base)
                found.update(target for target in by_name.get(name, ()) if target != script.display)
        self.imported_cache = found
        return found

    def dependency_files(self) -> list[ParsedFile]:
        """Conda, requirements and pyproject files."""
        return [f for f in self.files if isinstance(f, (CondaEnvModel, RequirementsModel, PyprojectModel))]


# ------------------------------------------------------------------------------------------
# Package roles (lint data)
# ------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _package_rows() -> tuple[tuple[re.Pattern[str], dict[str, Any]], ...]:
    return tuple((re.compile(row["pattern"]), row) for row in load("packages")["package"])


def package_role(spec: PackageSpec) -> tuple[str, Version | None, dict[str, Any]] | None:
    """("cuda" | "cudnn" | "cpu-marker", the CUDA/cuDNN version it brings, the data row) or None."""
    for pattern, row in _package_rows():
        if row["manager"] != spec.manager:
            continue
        match = pattern.match(spec.name)
        if not match:
            continue
        groups = match.groupdict()
        version: Version | None = None
        if groups.get("cudamajor") and groups.get("cudaminor"):
            version = Version(f"{groups['cudamajor']}.{groups['cudaminor']}")
        elif groups.get("cudamajor"):
            version = Version(groups["cudamajor"])
        elif spec.manager in ("conda", "apt") and spec.name != "cuda-compiler":
            exact = spec.exact_version()
            if exact is not None:
                version = Version(".".join(str(p) for p in exact.release[:2]))
        return row["role"], version, row
    return None


@lru_cache(maxsize=1)
def _index_pattern() -> re.Pattern[str]:
    return re.compile(load("packages")["index"][0]["pattern"], re.IGNORECASE)


def index_named(project: Project) -> str | None:
    """Where a file of the project gives pip an index or find-links beyond PyPI (a requirements line, a pip command
    in a Dockerfile, script, README or CI file, pip's environment variables or configuration, a uv/Poetry index), as
    ``path:line``; None when no file does. A pin with a local version (``+cu102``) can come only from such an index
    (packages.toml ``local_version``: PyPI accepts none)."""
    cached = project.intent_cache.get("index_named")
    if isinstance(cached, str) or (cached is None and "index_named" in project.intent_cache):
        return cached
    found = None
    for file in project.files:
        try:
            text = file.source.text
        except OSError:
            continue
        line = index_mention(text)
        if line is not None:
            found = f"{file.display}:{line}"
            break
    project.intent_cache["index_named"] = found
    return found


def torch_index_variant(url: str) -> str | None:
    """``cpu``, ``cu121``, ``rocm6.1`` for a PyTorch wheel index URL; None for any other URL."""
    match = _index_pattern().search(url.strip())
    return match.group("variant").lower() if match else None


def build_project(root: Path, files: list[ParsedFile]) -> Project:
    """Link the files: Dockerfiles to the dependency files they copy in, environments to their
    images, conda files and build contexts, and jobs to their environments and compute."""
    project = Project(root=root, files=files)
    by_path: dict[Path, ParsedFile] = {_key(f.source.path): f for f in files}
    used: set[Path] = set()
    docker_stacks: dict[Path, Stack] = {}
    for dockerfile in project.dockerfiles:
        stack = _dockerfile_stack(dockerfile, by_path, used, context=dockerfile.directory)
        docker_stacks[_key(dockerfile.source.path)] = stack
        project.stacks.append(stack)
    named_envs: dict[str, list[tuple[AzureMLModel, Stack]]] = {}
    for file in project.azureml:
        if file.environment is not None:
            stack = _environment_stack(file.environment, file, by_path, used, docker_stacks)
            project.environments.append((file, stack))
            project.stacks.append(stack)
            if file.environment.name:
                named_envs.setdefault(file.environment.name.lower(), []).append((file, stack))
    computes = project.computes
    for file in project.azureml:
        if file.compute is not None and file.compute.size is not None:
            size, where = file.compute.size
            computes.setdefault(file.compute.name.lower(), []).append(ComputeDefinition(file.compute.name, size, where, "compute YAML"))
    for cli in project.of(AzureCliModel):
        for created in cli.computes:
            how = "az ml compute create" if created.size_given else "az ml compute create (default size)"
            computes.setdefault(created.name.lower(), []).append(ComputeDefinition(created.name, created.size, created.location, how))
    for code in project.python:
        for asked in code.computes:
            # A size without a compute name (an estimator's run-based compute) is kept under "": no job names it.
            computes.setdefault((asked.name or "").lower(), []).append(ComputeDefinition(asked.name or "", asked.size, asked.location, asked.how))
    components = {_key(f.source.path): f for f in project.azureml if f.role == "component" and f.jobs}
    for file in project.azureml:
        if file.role == "component":
            continue  # judged through the pipelines that use it: a component has no compute of its own
        for job in file.jobs:
            owner = file
            if job.component is not None:
                component = components.get(_key(file.directory / job.component))
                if component is None:
                    continue  # a component outside the linted files: its environment is unknown
                job, owner = _with_component(job, component.jobs[0]), component
            project.jobs.append(_job_context(job, owner, by_path, used, docker_stacks, named_envs, computes, project))
    # A notebook that installs packages (``!pip install ...``) is an environment of its own.
    for notebook in project.python:
        if notebook.installs.packages or notebook.installs.indexes:
            stack = Stack(name=notebook.display, origin=notebook.source.location(1))
            stack.files.append(notebook.display)
            stack.packages.extend(notebook.installs.packages)
            stack.indexes.extend(notebook.installs.indexes)
            project.stacks.append(stack)
    # Dependency files that no Dockerfile or environment uses are environments of their own.
    for dep in project.dependency_files():
        if _key(dep.source.path) in used:
            continue
        project.stacks.append(_standalone_stack(dep, by_path))
    return project


def _key(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _deps_of(file: ParsedFile) -> tuple[list[PackageSpec], list[IndexOption], list[tuple[str, Location]]]:
    if isinstance(file, CondaEnvModel):
        return (
            file.conda.packages + file.pip.packages,
            file.pip.indexes,
            file.pip.includes,
        )
    if isinstance(file, (RequirementsModel, PyprojectModel)):
        return file.deps.packages, file.deps.indexes, file.deps.includes
    return [], [], []


def _add_file(stack: Stack, file: ParsedFile, by_path: dict[Path, ParsedFile], used: set[Path], depth: int = 0) -> None:
    """Add a dependency file (and the files it ``-r`` includes) to a stack."""
    key = _key(file.source.path)
    if depth > 10 or file.display in stack.files:
        return
    used.add(key)
    stack.files.append(file.display)
    packages, indexes, includes = _deps_of(file)
    stack.packages.extend(packages)
    stack.indexes.extend(indexes)
    if isinstance(file, CondaEnvModel) and file.python is not None:
        version = minor_version(file.python.specifier or file.python.raw)
        if version is not None:
            stack.python = (version, file.python.location)
    for include, _ in includes:
        target = by_path.get(_key(file.directory / include))
        if target is not None:
            _add_file(stack, target, by_path, used, depth + 1)


def _find_in_context(name: str, context: Path, dockerfile: DockerfileModel, by_path: dict[Path, ParsedFile]) -> ParsedFile | None:
    """The project file a path inside the image came from: via the COPY that brought it, else by name."""
    base = PurePosixPath(name).name
    stages = dockerfile.runtime_stages()
    for stage in stages:
        for copy in stage.copies:
            if copy.from_stage is not None:
                continue
            for src in copy.sources:
                candidate = context / src
                if PurePosixPath(src).name == base:
                    found = by_path.get(_key(candidate))
                    if found is not None:
                        return found
                found = by_path.get(_key(candidate / base))
                if found is not None:
                    return found
                relative = PurePosixPath(name)
                if not relative.is_absolute():
                    found = by_path.get(_key(candidate / relative))
                    if found is not None:
                        return found
    return by_path.get(_key(context / base))


def _dockerfile_stack(dockerfile: DockerfileModel, by_path: dict[Path, ParsedFile], used: set[Path], *, context: Path) -> Stack:
    base = dockerfile.base_image
    stack = Stack(name=dockerfile.display, origin=dockerfile.source.location(1), dockerfile=dockerfile)
    stack.files.append(dockerfile.display)
    if base is not None:
        stack.image = classify_image(base[0], base[1])
        stack.origin = base[1]
        if stack.image.kind == "cpu" and re.search(r"(^|/)python:", base[0].lower()):
            version = minor_version(base[0].split(":", 1)[1]) if ":" in base[0] else None
            if version is not None:
                stack.python = (version, base[1])
    for stage in dockerfile.runtime_stages():
        stack.packages.extend(stage.pip.packages + stage.conda.packages + stage.apt)
        stack.indexes.extend(stage.pip.indexes)
        stack.cuda_installers.extend(stage.cuda_installers)
        for spec in stage.conda.packages:
            if spec.name == "python":
                version = minor_version(spec.specifier or spec.raw)
                if version is not None:
                    stack.python = (version, spec.location)
        for include, location in stage.pip.includes + stage.conda_files:
            found = _find_in_context(include, context, dockerfile, by_path)
            if found is not None:
                _add_file(stack, found, by_path, used)
                stack.chain.append(f"{location.evidence()} -> {found.display}")
    if stack.python is None:
        stack.python = _distro_python(stack, dockerfile)
    # Only the final stage's lineage sets the runtime environment.
    for stage in dockerfile.lineage():
        stack.env.extend(stage.env)
    # ``pip install .`` or ``pip install -e .`` of the project: its pyproject.toml decides.
    return stack


# The apt packages that install the distribution's own Python; and what in a Dockerfile brings another Python
# (conda, pyenv, deadsnakes, uv, an apt python3.N, a python:3.N stage).
_DISTRO_PYTHON_PACKAGES = ("python3", "python3-pip", "python3-dev", "python3-venv", "python-is-python3")
_OTHER_PYTHON = re.compile(r"conda|mamba|pyenv|deadsnakes|\buv\b|python3\.\d|python:\d", re.IGNORECASE)


def _distro_python(stack: Stack, dockerfile: DockerfileModel) -> tuple[Version, Location] | None:
    """The Python pip runs under in a Dockerfile on a plain OS or CUDA image that installs the distribution's python3
    with apt (Ubuntu 20.04's is 3.8: knowledge.distros), with the apt line; None where the image names no known
    release or anything in the Dockerfile brings another Python."""
    image = stack.image
    if image is None or image.kind not in ("cuda", "cpu"):
        return None
    apt = [spec for spec in stack.packages if spec.manager == "apt" and spec.name in _DISTRO_PYTHON_PACKAGES]
    if not apt or _OTHER_PYTHON.search(dockerfile.source.text):
        return None
    found = image_distro_python(image.reference)
    return (Version(found[0]), apt[0].location) if found is not None else None


def _environment_stack(
    env: EnvironmentSpec, file: AzureMLModel, by_path: dict[Path, ParsedFile], used: set[Path], docker_stacks: dict[Path, Stack]
) -> Stack:
    label = env.name or file.display
    origin = env.location or file.source.location(1)
    stack = Stack(name=label, origin=origin)
    stack.files.append(file.display)
    if env.build_path is not None:
        context = file.directory / env.build_path[0]
        dockerfile_stack = docker_stacks.get(_key(context / env.dockerfile_path))
        stack.chain.append(f"{env.build_path[1].evidence()}")
        if dockerfile_stack is not None:
            _merge(stack, dockerfile_stack)
            stack.chain.append(f"{dockerfile_stack.name}: {dockerfile_stack.image.describe() if dockerfile_stack.image else 'no FROM'}")
    if env.image is not None:
        stack.image = classify_image(env.image[0], env.image[1])
        stack.origin = env.image[1]
        stack.chain.append(env.image[1].evidence())
    if env.conda_file is not None:
        target = by_path.get(_key(file.directory / env.conda_file[0]))
        stack.chain.append(env.conda_file[1].evidence())
        if target is not None:
            _add_file(stack, target, by_path, used)
    elif env.conda_inline is not None:
        _inline_conda(stack, env.conda_inline, origin)
    return stack


def _merge(stack: Stack, other: Stack) -> None:
    stack.image = other.image
    stack.packages.extend(other.packages)
    stack.indexes.extend(other.indexes)
    stack.env.extend(other.env)
    stack.cuda_installers.extend(other.cuda_installers)
    stack.files.extend(f for f in other.files if f not in stack.files)
    stack.python = stack.python or other.python
    stack.chain.extend(other.chain)
    stack.dockerfile = other.dockerfile


def _inline_conda(stack: Stack, conda: dict[str, Any], origin: Location) -> None:
    dependencies = conda.get("dependencies")
    if not isinstance(dependencies, list):
        return
    for item in dependencies:
        if isinstance(item, dict) and isinstance(item.get("pip"), list):
            deps = parse_requirements_text([str(x) for x in item["pip"]], lambda _n: origin)
            stack.packages.extend(deps.packages)
            stack.indexes.extend(deps.indexes)
        elif isinstance(item, str):
            parsed = parse_conda_spec(item, origin)
            if isinstance(parsed, PackageSpec):
                stack.packages.append(parsed)
                if parsed.name == "python":
                    version = minor_version(parsed.specifier or parsed.raw)
                    if version is not None:
                        stack.python = (version, origin)


def _standalone_stack(dep: ParsedFile, by_path: dict[Path, ParsedFile]) -> Stack:
    stack = Stack(name=dep.display, origin=dep.source.location(1))
    _add_file(stack, dep, by_path, set())
    if isinstance(dep, PyprojectModel) and dep.requires_python is not None:
        match = re.search(r">=\s*(\d+\.\d+)", dep.requires_python[0])
        if match:
            stack.python = (Version(match.group(1)), dep.requires_python[1])
    return stack


def _with_component(step: JobSpec, component: JobSpec) -> JobSpec:
    """A pipeline step as Azure ML runs it: the component's environment, command and code, the step's compute and resources."""
    from dataclasses import replace

    return replace(
        step,
        environment_ref=step.environment_ref or component.environment_ref,
        environment=step.environment or component.environment,
        command=step.command or component.command,
        code=step.code or component.code,
        distribution=step.distribution or component.distribution,
        process_count=step.process_count or component.process_count,
        environment_variables=[*component.environment_variables, *step.environment_variables],
        kind="job",
    )


def _job_context(
    job: JobSpec,
    file: AzureMLModel,
    by_path: dict[Path, ParsedFile],
    used: set[Path],
    docker_stacks: dict[Path, Stack],
    named_envs: dict[str, list[tuple[AzureMLModel, Stack]]],
    computes: dict[str, list[ComputeDefinition]],
    project: Project,
) -> JobContext:
    stack: Stack | None = None
    label: str | None = None
    if job.environment is not None:
        stack = _environment_stack(job.environment, file, by_path, used, docker_stacks)
        stack.name = f"{file.display} (inline environment)"
        label = "inline environment"
        project.stacks.append(stack)
    elif job.environment_ref is not None:
        label = job.environment_ref[0]
        name, version = parse_environment_ref(label)
        candidates = named_envs.get(name.lower(), []) if name else []
        if version:
            exact = [c for c in candidates if c[0].environment and c[0].environment.version == version]
            candidates = exact or candidates
        if candidates:
            _env_file, env_stack = candidates[0]
            stack = Stack(name=env_stack.name, origin=env_stack.origin)
            _merge(stack, env_stack)
            stack.files = list(env_stack.files)
            stack.chain = [job.environment_ref[1].evidence(), *env_stack.chain]
    compute_size: tuple[str, Location, str] | None = None
    compute_name: tuple[str, Location] | None = None
    conflict: tuple[tuple[str, Location], ...] = ()
    if job.instance_type is not None:
        compute_size = (job.instance_type[0], job.instance_type[1], "resources.instance_type")
    if job.compute is not None:
        name = job.compute[0]
        bare = name.split(":", 1)[1] if name.lower().startswith("azureml:") else name
        compute_name = (bare, job.compute[1])
        known = computes.get(bare.lower(), [])
        sizes = {_size_name(d.size) for d in known}
        if len(sizes) == 1 and compute_size is None:
            first = known[0]
            compute_size = (first.size, first.location, f"size of compute {bare!r} ({first.how})")
        elif len(sizes) > 1:
            conflict = tuple((d.size, d.location) for d in known)
    return JobContext(job, file, stack, label, compute_size, compute_name, conflict)


def _size_name(size: str) -> str:
    key = size.strip().lower()
    return key[len("standard_") :] if key.startswith("standard_") else key


def parse_environment_ref(ref: str) -> tuple[str | None, str | None]:
    """``azureml:name:3`` -> (name, "3"); ``azureml:name@latest`` -> (name, None); registry URIs too."""
    text = ref.strip()
    match = re.match(r"^azureml://registries/[^/]+/environments/([^/]+)(?:/versions/([^/]+))?", text)
    if match:
        return match.group(1), match.group(2)
    if text.lower().startswith("azureml:"):
        text = text[len("azureml:") :]
    if "@" in text:
        return text.split("@", 1)[0] or None, None
    if ":" in text:
        name, version = text.split(":", 1)
        return name or None, version or None
    return text or None, None
