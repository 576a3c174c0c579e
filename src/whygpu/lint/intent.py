"""GPU intent: whether an environment or a program is MEANT for a GPU, decided in one place from facts the files
state, with a confidence and the evidence; and how that intent gates the findings that only matter if a GPU is meant.

Facts of GPU intent (each with where it was read):
- the environment itself: a CUDA or GPU framework base image, CUDA libraries (conda, pip, apt, a runfile), a CUDA
  build of a framework (``+cu121``, a CUDA wheel index, ``jax[cuda12]``, ``tensorflow[and-cuda]``, ``tensorflow-gpu``);
- what runs it: an Azure ML job meant for a GPU (its compute, environment or script), a Compose service with the
  NVIDIA runtime or a GPU device reservation, a Kubernetes ``nvidia.com/gpu`` limit, a CI job on a GPU runner,
  ``docker run --gpus`` in a script or Makefile (high), or in a README (medium);
- the code: a notebook saved with a GPU accelerator (high); a script that puts work on CUDA (medium).
Facts of CPU intent: only Azure ML jobs on CPU compute use the environment; and what the files state at the place,
decided in ``stated_cpu_choice`` before any GPU fact (it holds in a GPU image too): a comment on the line (or the line
above, in a notebook the cell's own) that says CPU or turns the GPU off; a file or folder named for the CPU beside its
GPU variant; JAX asked for several host devices; a CPU pin with its CUDA alternative commented out beside it.
Scope (``request_scope``, ``environment_home``, ``speaks_for``): a statement speaks for the code at and below its
folder; a notebook that never mentions CUDA, a GPU or NVIDIA takes only its own folder's.

The gate (``gate``): a finding that keeps work off the GPU is an error where a GPU is meant, a warning where nothing
says so, and a note where the CPU is chosen on purpose; a weighing finding (the GPU waits: GPU_UNDERUSED) keeps its
warning only where a GPU is meant and is a note elsewhere. Under the default ``fail-on = "error"`` only stated intent
fails a run.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Literal

from whygpu.lint.azureml import AzureCliModel
from whygpu.lint.frameworks import jax_cuda_install
from whygpu.lint.gpurequest import GpuRequest, GpuRequestModel, find_requests
from whygpu.lint.interface import Location
from whygpu.lint.packages import PackageSpec
from whygpu.lint.project import Project, Stack, torch_index_variant
from whygpu.lint.python import PythonModel, device_managers, notebook_cell_lines
from whygpu.model import Confidence, Severity
from whygpu.model import Location as FindingLocation
from whygpu.rules.interface import Hit, Outcome

State = Literal["gpu", "cpu", "unknown"]

# A comment that says the line is CPU on purpose: "# cpu", "# CPU-only for the AWS host", "# disable gpu (OOM)".
_CPU_COMMENT = re.compile(r"#.*?(\bcpu\b|\b(disable[sd]?|disabling|hide[sd]?|hiding|turn(s|ed)? off)\s+(the\s+|all\s+)?gpus?\b)", re.IGNORECASE)
# A comment that calls the line a leftover or a to-do is no statement of intent ("left over from debugging").
_NOT_INTENT = re.compile(r"\b(todo|fixme|xxx|hack|left\s*over|temporar\w*|debug\w*|remove|revert)\b", re.IGNORECASE)
# A commented-out requirement or install line that asks for a CUDA build: the CUDA alternative of a CPU pin.
_COMMENTED_CUDA = re.compile(r"^\s*#.*(\+cu\d{2,3}\b|/whl/cu\d{2,3}\b|\bcudatoolkit\b|\bpytorch-cuda\b|\[cuda\d*\]|\[and-cuda\])", re.IGNORECASE)
# Another accelerator a program moves its work to (Apple's MPS, Intel's XPU, torch.accelerator): the GPU it waits on.
_ACCELERATOR = re.compile(r"torch\.backends\.mps\.is_available|torch\.accelerator\.\w+|torch\.xpu\.is_available")
_NOTEBOOK_GPU = re.compile(r"\"accelerator\"\s*:\s*\"GPU\"")


@dataclass(frozen=True)
class GpuIntent:
    """Whether a GPU is meant (``gpu``), the CPU is chosen (``cpu``), or nothing says (``unknown``); how sure; why."""

    state: State
    confidence: Confidence
    evidence: str

    @property
    def gpu(self) -> bool:
        """True when a GPU is meant."""
        return self.state == "gpu"


# The evidence of the one CPU statement that removes a finding rather than lowering it (DEP007, DEP002's history):
# an environment used only by Azure ML jobs on CPU compute needs its CPU build.
CPU_JOBS_ONLY = "only Azure ML jobs on CPU compute use this environment"
# The module a framework's scripts import, by package name (what a script of the project would show).
_FRAMEWORK_MODULES = (("tensorflow", ("tensorflow", "keras")), ("tf-", ("tensorflow", "keras")), ("jax", ("jax",)), ("torch", ("torch",)), ("pytorch", ("torch",)))

UNKNOWN = GpuIntent(
    "unknown",
    Confidence.LOW,
    "nothing in the project says this is meant for a GPU (no CUDA image or CUDA build, no GPU runtime, device "
    "reservation or GPU compute, and the code asks for no CUDA)",
)


def environment_sign(stack: Stack) -> str | None:
    """What in the environment itself shows it is built for a GPU, or None: a CUDA or GPU framework image, CUDA
    libraries, a CUDA build of a framework or a CUDA wheel index."""
    if stack.image is not None and stack.image.kind in ("cuda", "framework"):
        return f"the environment is built on the GPU image {stack.image.reference}"
    sources = stack.cuda_sources() + stack.cuda_sources(cudnn=True)
    if sources:
        return f"the environment has CUDA from {sources[0].what}"
    for spec in stack.packages:
        if spec.name == "tensorflow-gpu" or spec.asks_cuda_build:
            return f"the environment also installs {spec.raw}"
    jax = jax_cuda_install(stack)
    if jax is not None:
        return f"the environment installs {jax}"
    for index in stack.indexes:
        variant = torch_index_variant(index.url)
        if variant is not None and variant.startswith("cu"):
            return f"{index.location.evidence()} (a CUDA wheel index)"
    return None


def _requests(project: Project) -> list[GpuRequest]:
    """Every GPU request the project's Compose, Kubernetes, CI, script and README files make (read once)."""
    cached = project.intent_cache.get("requests")
    if isinstance(cached, list):
        return cached
    found: list[GpuRequest] = []
    for file in project.files:
        if isinstance(file, GpuRequestModel):
            found.extend(file.requests)
        elif isinstance(file, AzureCliModel):
            found.extend(find_requests(file.source))
    found.sort(key=lambda r: (r.documentation, r.location.file, r.location.line))
    project.intent_cache["requests"] = found
    return found


def request_scope(project: Project, display: str) -> PurePosixPath:
    """The folder a GPU request in the file ``display`` speaks for: the nearest folder at or above the file's own that
    holds any script or notebook. A README, script or Compose file beside code speaks for that code (a README in
    ``gputest/`` for ``gputest/``, not for the tutorials in sibling folders); one in a folder without code (``docker/``,
    ``scripts/``, ``.github/workflows/``, ``docs/``) is about the project above it."""
    key = f"scope:{display}"
    cached = project.intent_cache.get(key)
    if isinstance(cached, PurePosixPath):
        return cached
    folder = PurePosixPath(display).parent
    programs = [PurePosixPath(p.display) for p in project.python]
    while folder != folder.parent and not any(p.is_relative_to(folder) for p in programs):
        folder = folder.parent
    project.intent_cache[key] = folder
    return folder


def _request_intent(project: Project, folder: PurePosixPath) -> GpuIntent | None:
    """The GPU intent the project's requests state for the code or environment in ``folder``: the first request
    whose scope (``request_scope``) holds it, or None."""
    for request in _requests(project):
        if folder.is_relative_to(request_scope(project, request.location.file)):
            confidence = Confidence.MEDIUM if request.documentation else Confidence.HIGH
            return GpuIntent("gpu", confidence, f"{request.location.evidence()} ({request.what})")
    return None


def _cpu_comment(lines: list[str], line: int) -> str | None:
    """The comment on ``line`` (1-based) or the line above it that says the CPU is chosen, or None."""
    for number in (line, line - 1):
        if 1 <= number <= len(lines):
            text = lines[number - 1]
            match = _CPU_COMMENT.search(text)
            if match and not _NOT_INTENT.search(text[match.start() :]) and (number == line or text.lstrip().startswith("#")):
                return f"line {number} says so: {' '.join(text.split())[:120]}"
    return None


def _commented_cuda_alternative(lines: list[str]) -> str | None:
    """A commented-out line of the same file that asks for a CUDA build: the CUDA alternative left beside a CPU pin."""
    for number, text in enumerate(lines, 1):
        if _COMMENTED_CUDA.search(text):
            return f"the CUDA alternative is commented out at line {number}: {' '.join(text.split())[:120]}"
    return None


# A file or folder named for the CPU (Dockerfile.cpu, requirements-cpu.txt, configs/cpu/): the CPU variant of a set.
_CPU_NAME = re.compile(r"(?<![a-z0-9])cpu(?![a-z0-9])", re.IGNORECASE)
# A file or folder named for the GPU (Dockerfile.gpu, docker/cuda/): an environment meant for it.
_GPU_NAME = re.compile(r"(?<![a-z0-9])(gpu|cuda)(?![a-z0-9])", re.IGNORECASE)
# XLA asked for several host (CPU) devices: a multi-device program simulated on the CPU.
_HOST_DEVICES = re.compile(r"--xla_force_host_platform_device_count\b")


def _gpu_sibling(project: Project, display: str) -> str | None:
    """The GPU variant beside a file or folder named for the CPU: the same path with ``cpu`` read as ``gpu`` or
    ``cuda`` (Dockerfile.cpu beside Dockerfile.gpu; dockerfiles/cpu/ beside dockerfiles/gpu/), or None."""
    displays = project.intent_cache.get("displays")
    if not isinstance(displays, frozenset):
        displays = frozenset(file.display for file in project.files) | frozenset(p.display for p in project.python)
        project.intent_cache["displays"] = displays
    name_start = display.rfind("/") + 1
    for match in _CPU_NAME.finditer(display):
        for word in ("gpu", "cuda"):
            word = word.upper() if match.group(0).isupper() else word
            other = display[: match.start()] + word + display[match.end() :]
            if match.start() >= name_start:
                if other in displays:
                    return other
            else:
                folder = other[: other.find("/", match.start()) + 1]
                if any(d.startswith(folder) for d in displays):
                    return folder
    return None


def stated_cpu_choice(project: Project, at: Location | FindingLocation, *, environment: str | None = None) -> str | None:
    """THE decision: do the files themselves state that the CPU placement or CPU build at ``at`` is deliberate?
    Said, in this order: a comment on the line or the line above that says CPU or turns the GPU off (not one that
    calls it a leftover or a to-do; in a notebook, the cell's own lines); a file, or a folder, named for the CPU
    beside its GPU variant (Dockerfile.cpu beside Dockerfile.gpu: the project keeps a CPU variant on purpose); a
    file that asks XLA for several host devices (``--xla_force_host_platform_device_count``: a multi-device JAX
    program simulated on the CPU); a CPU pin whose CUDA alternative is commented out in the same file. None when
    nothing says so. A finding where this says so is a note that says why, never an error. ``environment``: the file
    that defines the environment the place is installed into; a CPU-named file installed by one named for the GPU
    (Dockerfile.gpu running ``pip install -r requirements-cpu.txt``) is no CPU variant but a mix-up."""
    key = f"stated:{at.file}:{at.line}:{at.cell}:{at.cell_line}:{environment}"
    if key in project.intent_cache:
        cached = project.intent_cache[key]
        return cached if isinstance(cached, str) else None
    lines = _lines_of(project, at.file)
    said: str | None = None
    if at.cell is not None and at.cell_line is not None:
        program = next((p for p in project.python if p.display == at.file), None)
        cell = notebook_cell_lines(program.source, at.cell) if program is not None else []
        comment = _cpu_comment(cell, at.cell_line)
        said = comment.replace("line ", f"cell {at.cell} line ", 1) if comment else None
    else:
        said = _cpu_comment(lines, at.line or 1)
    if said is None:
        gpu_named = environment is not None and any(_GPU_NAME.search(part) for part in PurePosixPath(environment).parts)
        sibling = None if gpu_named else _gpu_sibling(project, at.file)
        if sibling is not None:
            said = f"{at.file} is the CPU variant beside {sibling}"
    if said is None:
        flag = next((n for n, text in enumerate(lines, 1) if _HOST_DEVICES.search(text)), None)
        if flag is not None:
            said = f"line {flag} asks XLA for several host devices, a multi-device program simulated on the CPU"
    if said is None:
        said = _commented_cuda_alternative(lines)
    project.intent_cache[key] = said
    return said


def _lines_of(project: Project, display: str) -> list[str]:
    by_display = project.intent_cache.get("files")
    if not isinstance(by_display, dict):
        by_display = {file.display: file for file in (*project.files, *project.python)}
        project.intent_cache["files"] = by_display
    file = by_display.get(display)
    try:
        return file.source.lines if file is not None else []
    except OSError:
        return []


def environment_home(project: Project, stack: Stack, home: PurePosixPath | None = None) -> PurePosixPath:
    """The code an environment is for: a notebook that installs its own packages (``!pip install``) is its own
    environment and speaks for itself alone, not for the notebooks beside it; any other environment is for the
    folder of its file (or ``home`` where the caller knows better: a Dockerfile's build context)."""
    origin = stack.origin.file
    if any(program.display == origin for program in project.python):
        return PurePosixPath(origin)
    return home if home is not None else PurePosixPath(origin).parent


def _code_on_cuda(project: Project, home: PurePosixPath) -> str | None:
    """A script at or below ``home`` that puts its work on CUDA with no CPU path (the code the environment runs)."""
    key = f"code:{home}"
    if key in project.intent_cache:
        cached = project.intent_cache[key]
        return cached if isinstance(cached, str) else None
    found = None
    for script in project.python:
        if PurePosixPath(script.display).is_relative_to(home) and script.facts.imports and script.facts.mentions_cuda and not script.facts.mentions_cpu:
            found = f"{script.display} puts its work on CUDA and has no CPU path"
            break
    project.intent_cache[key] = found
    return found


def environment_intent(project: Project, stack: Stack, *, at: Location | None = None, home: PurePosixPath | None = None) -> GpuIntent:
    """THE decision for an environment: is ``stack`` meant for a GPU? ``at`` is the place a finding points at (its
    comments and its file count as statements); ``home`` the folder whose scripts the environment runs (the
    folder of its file when not given). Environment facts first, then the jobs that run it, a statement at the
    place, the project's GPU requests, and last the code."""
    from whygpu.lint.rules_azureml import wants_gpu

    if at is not None:
        said = stated_cpu_choice(project, at, environment=stack.origin.file)
        if said:
            return GpuIntent("cpu", Confidence.HIGH, f"the CPU is chosen on purpose: {said}")
    sign = environment_sign(stack)
    if sign:
        return GpuIntent("gpu", Confidence.HIGH, sign)
    users = project.users_of(stack)
    for user in users:
        wanted, because = wants_gpu(user, project)
        if wanted:
            return GpuIntent("gpu", Confidence.HIGH, f"job {user.job.name!r} is meant for a GPU: {because}")
    if users and all(user.runs_on_cpu for user in users):
        return GpuIntent("cpu", Confidence.HIGH, CPU_JOBS_ONLY)
    folder = environment_home(project, stack, home)
    requested = _request_intent(project, folder)
    if requested is not None:
        return requested
    code = _code_on_cuda(project, folder)
    if code:
        return GpuIntent("gpu", Confidence.MEDIUM, code)
    return UNKNOWN


def _gpu_of_another_framework(project: Project, stack: Stack, modules: tuple[str, ...], intent: GpuIntent) -> GpuIntent | None:
    """Where the only GPU sign is another framework's GPU image (an NGC TensorFlow image for torch) and none of the
    scripts the environment is for asks for CUDA, the GPU is that framework's: this one's CPU build is not in its way."""
    image = stack.image
    theirs = image.framework if image is not None and image.kind == "framework" else None
    if theirs not in ("tensorflow", "torch", "jax") or theirs in modules or intent.evidence != environment_sign(stack):
        return None
    # The code the environment is for: the scripts below the nearest folder above its file that holds any
    # (a Dockerfile in <app>/docker/ builds <app>'s scripts).
    folder = PurePosixPath(stack.origin.file).parent
    scripts = [s for s in project.python if PurePosixPath(s.display).is_relative_to(folder)]
    while not scripts and folder != folder.parent:
        folder = folder.parent
        scripts = [s for s in project.python if PurePosixPath(s.display).is_relative_to(folder)]
    if not scripts or any(script.facts.mentions_cuda for script in scripts):
        return None
    return GpuIntent("unknown", Confidence.MEDIUM,
                     f"{intent.evidence}, a {theirs} image, and no script under {folder.as_posix() or '.'}/ asks for CUDA: the GPU is {theirs}'s")


def torch_build_intent(project: Project, stack: Stack, *, at: Location | None = None, home: PurePosixPath | None = None) -> GpuIntent:
    """Is the GPU meant for PyTorch in ``stack`` (DF006, DEP007: a CPU torch build)? The environment's intent, unless
    its GPU is another framework's image that nothing in the project asks CUDA of (torchvision resizing images
    beside an NGC TensorFlow image)."""
    intent = environment_intent(project, stack, at=at, home=home)
    if not intent.gpu:
        return intent
    return _gpu_of_another_framework(project, stack, ("torch",), intent) or intent


def framework_intent(project: Project, stack: Stack, spec: PackageSpec) -> GpuIntent:
    """Is the GPU meant for this framework (``spec``) in ``stack``? The environment's intent, narrowed to the
    framework: where the project has scripts and none imports it, and it is not asked for as a GPU build
    (tensorflow-gpu, an [and-cuda] or [cudaNN] extra, a +cuNNN build), it is there for a tool (a CLI a helper
    runs) and the GPU the environment states is another framework's."""
    intent = environment_intent(project, stack)
    if not intent.gpu:
        return intent
    if spec.name.endswith("-gpu") or spec.asks_cuda_build:
        return intent
    modules = next((m for prefix, m in _FRAMEWORK_MODULES if spec.name.startswith(prefix)), None)
    if modules is None or not project.python:
        return intent
    if any(module in script.facts.imports for script in project.python for module in modules):
        return intent
    return GpuIntent(
        "unknown",
        Confidence.MEDIUM,
        f"{intent.evidence}, but no script or notebook of the project imports {modules[0]}: {spec.raw} comes in for a tool, "
        "and the GPU is meant for another framework",
    )


def program_intent(project: Project, program: PythonModel, *, line: int | None = None, done_by: int | None = None, at: Location | FindingLocation | None = None) -> GpuIntent:
    """THE decision for a program: is the script or notebook meant to run on a GPU? A statement at ``line`` first
    (a comment choosing the CPU), then the program's own words (a notebook saved with a GPU accelerator, work put
    on CUDA), then the environments that cover it (a GPU environment at or above its folder, the project's GPU
    requests whose scope holds it). ``done_by``: the last line of the work a finding is about (a model's training);
    a notebook runs top to bottom, so CUDA it first asks for in a later cell (a profiling section after the
    training) says nothing of that work. Cached per program for the parts that do not depend on ``line``."""
    if at is None and line is not None and not program.notebook:
        at = program.source.location(line)
    if at is not None:
        said = stated_cpu_choice(project, at)
        if said:
            return GpuIntent("cpu", Confidence.HIGH, f"the CPU is chosen on purpose: {program.display} {said}")
    first = program.facts.first_cuda_line
    later = program.notebook and done_by is not None and first is not None and first > done_by
    key = f"program:{program.display}{':before-cuda' if later else ''}"
    cached = project.intent_cache.get(key)
    if isinstance(cached, GpuIntent):
        return cached
    intent = _program_intent(project, program, own_cuda=not later)
    if later and intent is UNKNOWN:
        intent = replace(UNKNOWN, evidence=f"{UNKNOWN.evidence}; {program.display} first asks for CUDA at line {first}, after this work (a notebook runs top to bottom)")
    project.intent_cache[key] = intent
    return intent


def _program_intent(project: Project, program: PythonModel, *, own_cuda: bool = True) -> GpuIntent:
    if program.notebook and _NOTEBOOK_GPU.search(program.source.text):
        return GpuIntent("gpu", Confidence.HIGH, f"{program.display} is saved with a GPU accelerator (Colab/Kaggle metadata)")
    if own_cuda and program.facts.mentions_cuda:
        return GpuIntent("gpu", Confidence.MEDIUM, f"{program.display} asks for CUDA")
    accelerator = _ACCELERATOR.search(program.source.text) if program.facts.device_moves else None
    if accelerator:
        return GpuIntent("gpu", Confidence.MEDIUM, f"{program.display} moves its work to an accelerator ({accelerator.group(0)})")
    placers = sorted(program.facts.modules & device_managers())
    if placers:
        return GpuIntent("gpu", Confidence.MEDIUM, f"{program.display} hands device placement to {placers[0]}, which takes the GPU when there is one")
    from whygpu.lint.rules_azureml import script_of, wants_gpu

    for job in project.jobs:
        if script_of(job, project) is program:
            wanted, because = wants_gpu(job, project)
            if wanted:
                return GpuIntent("gpu", Confidence.HIGH, f"job {job.job.name!r} runs it and is meant for a GPU: {because}")
    folder = PurePosixPath(program.display).parent
    unlinked: str | None = None
    for home, origin, sign in _gpu_environments(project):
        if PurePosixPath(program.display).is_relative_to(home):
            if speaks_for(project, program, home):
                return GpuIntent("gpu", Confidence.HIGH, f"{origin}: {sign}")
            unlinked = unlinked or origin
    for request in _requests(project):
        scope = request_scope(project, request.location.file)
        if folder.is_relative_to(scope):
            if speaks_for(project, program, scope):
                confidence = Confidence.MEDIUM if request.documentation else Confidence.HIGH
                return GpuIntent("gpu", confidence, f"{request.location.evidence()} ({request.what})")
            unlinked = unlinked or request.location.file
    if unlinked is not None:
        return replace(UNKNOWN, evidence=f"{program.display} is a notebook that asks for no GPU itself, and nothing links it to the GPU "
                       f"that {unlinked} states for the project's other code")
    return UNKNOWN


# A notebook's own words about a GPU, in its code or its text (not its outputs): a word that starts with cuda, gpu or
# nvidia (CUDA_VISIBLE_DEVICES, torch.cuda, GPUs, nvidia-smi).
_GPU_WORDS = re.compile(r"\b(cuda|gpu|nvidia)", re.IGNORECASE)


def speaks_for(project: Project, program: PythonModel, scope: PurePosixPath) -> bool:
    """THE decision of scope for a program: does a GPU intent stated elsewhere for ``scope`` (an environment built for
    a GPU, a GPU request) speak for this script or notebook? For a script, yes when it lies at or below the scope
    (a project's scripts are run in its environment). A notebook is opened and run by hand, cell by cell: one that
    never mentions CUDA, a GPU or NVIDIA in its own cells (code or text) takes a GPU intent only from an environment
    or request of its own folder (its own ``!pip install``, a Dockerfile or README beside it), not from one at the top
    of the project that is about the project's other code (a reading group's tutorial notebooks in a GPU repository)."""
    if not program.notebook:
        return True
    display = PurePosixPath(program.display)
    if scope in (display, display.parent):
        return True
    key = f"gpu_words:{program.display}"
    cached = project.intent_cache.get(key)
    if isinstance(cached, bool):
        return cached
    said = any(_GPU_WORDS.search(text) for text in _cell_texts(program))
    project.intent_cache[key] = said
    return said


def _gpu_environments(project: Project) -> list[tuple[PurePosixPath, str, str]]:
    """(folder, file, sign) of every environment built for a GPU, read once: it covers the programs at or below its folder."""
    cached = project.intent_cache.get("gpu_environments")
    if isinstance(cached, list):
        return cached
    found = []
    for stack in project.stacks:
        sign = environment_sign(stack)
        if sign:
            found.append((environment_home(project, stack), stack.origin.file, sign))
    project.intent_cache["gpu_environments"] = found
    return found


def gated_severity(base: Severity, intent: GpuIntent, *, weighing: bool = False, explicit: bool = False) -> Severity:
    """The severity of a finding that only matters if a GPU is meant: ``base`` where one is; a note where the CPU
    is chosen on purpose; where nothing says, a warning for code that explicitly puts the work on the CPU or hides
    the GPU (``explicit``: tf.device('/CPU:0'), CUDA_VISIBLE_DEVICES=-1, JAX_PLATFORMS=cpu, torch.device('cpu')),
    a note for the rest (a CPU build, an image without CUDA, a model never moved to CUDA, a weighing rule): in a
    project that says nothing of a GPU those describe a CPU environment, and a healthy project stays silent."""
    if intent.gpu:
        return base
    if weighing or intent.state == "cpu" or not explicit:
        return Severity.INFO
    return Severity.WARNING if base is Severity.ERROR else base


def gate(outcome: Outcome, intent: GpuIntent, base: Severity, *, weighing: bool = False, explicit: bool = False) -> Outcome:
    """``outcome`` with its severity gated by ``intent`` (never raised above what the rule gave) and the intent as
    its last evidence line."""
    if not isinstance(outcome, Hit):
        return outcome
    current = outcome.severity or base
    gated = gated_severity(base, intent, weighing=weighing, explicit=explicit)
    severity = gated if gated.weight > current.weight else current
    if intent.gpu:
        note = f"GPU intent ({intent.confidence.value}): {intent.evidence}"
    elif intent.state == "cpu":
        note = f"{intent.evidence}: a note, not a failure"
    else:
        note = f"{intent.evidence}: {'a note' if severity is Severity.INFO else 'a warning'}, not an error"
    evidence = outcome.evidence if note in outcome.evidence else (*outcome.evidence, note)
    return replace(outcome, severity=None if severity is base else severity, evidence=evidence)


def _cell_texts(program: PythonModel) -> list[str]:
    """The source of every cell of a notebook (code and text, not outputs); none when it cannot be read."""
    try:
        data = json.loads(program.source.text)
    except (ValueError, RecursionError, OSError):
        return []
    if not isinstance(data, dict):
        return []
    cells = data.get("cells")
    if not isinstance(cells, list):
        sheets = data.get("worksheets")
        cells = [c for sheet in sheets if isinstance(sheet, dict) and isinstance(sheet.get("cells"), list) for c in sheet["cells"]] if isinstance(sheets, list) else []
    texts: list[str] = []
    for cell in cells:
        content = (cell.get("source") or cell.get("input") or "") if isinstance(cell, dict) else ""
        texts.append(content if isinstance(content, str) else "".join(p for p in content if isinstance(p, str)) if isinstance(content, list) else "")
    return texts
