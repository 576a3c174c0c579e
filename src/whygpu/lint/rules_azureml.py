"""AML rules: Azure ML job, environment and compute YAML, judged across the files they point to."""

from __future__ import annotations

import re
from collections.abc import Iterator

from whygpu.knowledge.azure import azure_gpu_sizes, azure_size_for_cuda, azure_vm_size
from whygpu.knowledge.cuda_versions import version_tuple
from whygpu.knowledge.jax import jax_plugin
from whygpu.knowledge.torch import torch_cuda_from_local_tag
from whygpu.lint.frameworks import system_cuda_needs, tensorflow_installs
from whygpu.lint.project import JobContext, Project, Stack
from whygpu.lint.python import PythonModel
from whygpu.lint.rulekit import hit
from whygpu.lint.rules_dockerfile import hiding_value
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Outcome, RuleDoc, Unknown, rule

REF_JOB_YAML = "https://learn.microsoft.com/azure/machine-learning/reference-yaml-job-command"
REF_SERVERLESS = "https://learn.microsoft.com/azure/machine-learning/how-to-use-serverless-compute"
REF_GPU_SIZES = "https://learn.microsoft.com/azure/virtual-machines/sizes/overview#gpu-accelerated"
REF_DISTRIBUTED = "https://learn.microsoft.com/azure/machine-learning/how-to-train-distributed-gpu"
_LAUNCHERS = re.compile(r"\b(torchrun|torch\.distributed\.(run|launch)|accelerate\s+launch|deepspeed|horovodrun|mpirun|mpiexec)\b")
_GPU_HINT = re.compile(r"gpu|cuda|tensorflow|pytorch|torch|acpt|jax", re.IGNORECASE)
_GPU_FRAMEWORKS = frozenset({"tensorflow", "tensorflow-gpu", "tf-nightly", "torch", "jax", "pytorch"})
_CPU_HINT = re.compile(r"(^|[^a-z])cpu([^a-z]|$)", re.IGNORECASE)
_GPU_NAME = re.compile(r"(^|[^a-z])gpu([^a-z]|$)", re.IGNORECASE)
# Curated and registry environments are named for what they hold; one without a GPU word is for the CPU.
_CURATED = re.compile(r"^(azureml:)?AzureML-|^azureml://registries/azureml/", re.IGNORECASE)


def script_of(context: JobContext, project: Project) -> PythonModel | None:
    """The Python script the job's command runs (``python train.py`` under ``code:``), when it is in the project."""
    if context.job.command is None:
        return None
    match = re.search(r"python[0-9.]*\s+(?:-u\s+)?([\w./-]+\.py)", context.job.command[0])
    if not match:
        return None
    base = context.file.directory / (context.job.code or ".")
    wanted = (base / match.group(1)).resolve()
    for model in project.python:
        try:
            if model.source.path.resolve() == wanted:
                return model
        except OSError:
            continue
    return None


def environment_gpu(context: JobContext) -> tuple[bool | None, str]:
    """Whether the job's environment is built for a GPU (True), for the CPU only (False) or unknown (None), and why."""
    stack = context.stack
    if stack is not None:
        names = sorted({p.raw for p in stack.packages if p.name in _GPU_FRAMEWORKS and p.local_tag != "cpu"})
        if stack.image is not None and stack.image.kind in ("cuda", "framework"):
            return True, f"its environment uses the GPU image {stack.image.reference}"
        if stack.image is not None and stack.image.kind == "cpu" and not _gpu_builds(stack):
            # TensorFlow, PyTorch and JAX run on the CPU too: on a CPU image they are a CPU environment.
            return False, f"its environment uses the CPU image {stack.image.reference}" + (f" with {', '.join(names)}" if names else "")
        if names:
            return True, f"its environment installs {', '.join(names)}"
    label = context.environment_label
    if label and _GPU_HINT.search(label) and not _CPU_HINT.search(label):
        return True, f"its environment is {label}"
    if label and (_CPU_HINT.search(label) or _CURATED.search(label)):
        return False, f"its environment {label} is a CPU environment"
    return None, ""


def wants_gpu(context: JobContext, project: Project) -> tuple[bool, str]:
    """Whether a job is meant for a GPU, and the evidence: its environment, else its script.

    A distribution type alone is no evidence: MPI and PyTorch distribution run on CPU clusters too.
    """
    built_for, because = environment_gpu(context)
    script = script_of(context, project)
    if built_for and script is not None and not script.facts.imports:
        return False, ""  # a GPU image running a script that uses no framework (a hello-world step)
    if script is not None and script.facts.mentions_cuda and not script.facts.mentions_cpu:
        return True, f"{script.display} puts its work on CUDA and has no CPU path"
    if not built_for and context.compute_name is not None and _GPU_NAME.search(context.compute_name[0]) and (script is None or script.facts.imports):
        return True, f"it targets compute {context.compute_name[0]!r}, named for a GPU"
    if built_for is not None:
        return built_for, because
    if script is not None and script.facts.imports:
        return True, f"{script.display} imports {', '.join(sorted(script.facts.imports))}"
    return False, ""


def _gpu_builds(stack: Stack) -> list[str]:
    """Packages that only make sense with a GPU: CUDA builds of the frameworks and CUDA wheels."""
    found = []
    for spec in stack.packages:
        if spec.asks_cuda_build or (spec.local_tag or "").lower().startswith("rocm") or spec.name in ("tensorflow-gpu", "cupy") or spec.name.startswith(("nvidia-", "cupy-cuda")) or jax_plugin(spec.name) is not None:
            found.append(spec.raw)
    return found


def runs_on_cpu(context: JobContext) -> bool:
    """The job's compute is a CPU VM (see JobContext.runs_on_cpu)."""
    return context.runs_on_cpu


@rule(
    "AML001",
    "cpu-compute",
    "NO_GPU",
    Severity.ERROR,
    RuleDoc(
        what="A job that needs a GPU (its environment or script uses a GPU framework) but runs on a CPU VM size, or on an AMD GPU size.",
        why="The VM has no NVIDIA GPU: no driver, no device, and the framework runs on the CPU however the image is built.",
        example="compute: azureml:cpu-cluster    # cpu-cluster.yml: size: STANDARD_DS3_v2",
        fix="compute: azureml:gpu-cluster    # size: Standard_NC4as_T4_v3 (or another NC/ND size)",
        limits=(
            "A compute known only by name is judged from a compute YAML or an 'az ml compute create' line in the project; "
            "a name with 'cpu' in it alone is a low-confidence warning, given only when the environment is built for a GPU. "
            "A CPU environment (CPU image, curated CPU environment) on CPU compute is consistent and not reported; a "
            "distribution type alone is no sign of a GPU job."
        ),
        references=(REF_GPU_SIZES, "https://learn.microsoft.com/azure/machine-learning/reference-yaml-compute-aml"),
    ),
)
def cpu_compute(project: Project) -> Iterator[Outcome]:
    """The AML001 check (cpu-compute); see the rule's documentation above."""
    suggestion = _gpu_size_suggestion()
    for context in project.jobs:
        needed, because = wants_gpu(context, project)
        if not needed:
            continue
        if context.compute_size is None and context.compute_conflict:
            continue  # the project creates this compute with different sizes: which one runs is not known
        if context.compute_size is not None:
            size, where, how = context.compute_size
            info = azure_vm_size(size)
            if info is None or info.cuda_capable:
                continue
            what = f"an {(info.gpu_vendor or 'non-NVIDIA').upper()} GPU ({info.gpu_model}) that CUDA cannot use" if info.gpu else "no GPU"
            evidence = [f"the job needs a GPU: {because}"]
            if context.compute_name is not None and how.startswith("size of compute"):
                evidence.insert(0, context.compute_name[1].evidence())
            yield hit(where, f"Job {context.job.name!r} runs on {info.name}, which has {what}", evidence=evidence, fix=f"Run it on an NVIDIA GPU size, e.g. {suggestion}.")
        elif context.compute_name is not None and context.compute_name[0].lower() not in ("serverless", "local") and not _CPU_HINT.search(context.compute_name[0]):
            yield Unknown(
                f"job {context.job.name!r} ({context.file.display}) targets compute {context.compute_name[0]!r}, which no "
                "compute YAML in the linted paths defines: its VM size is unknown"
            )
        elif context.compute_name is not None and _CPU_HINT.search(context.compute_name[0]) and environment_gpu(context)[0]:
            # Only when the environment itself is built for a GPU: a CPU environment on a CPU cluster is consistent.
            yield hit(
                context.compute_name[1],
                f"Job {context.job.name!r} targets compute {context.compute_name[0]!r}, which by its name is a CPU cluster",
                evidence=[f"the job needs a GPU: {because}", "no compute YAML in the project defines its size"],
                severity=Severity.WARNING,
                confidence=Confidence.LOW,
                fix=f"Target a GPU cluster (VM size such as {suggestion}).",
            )


def _gpu_size_suggestion() -> str:
    """The smallest current single-GPU size with a CUDA (not GRID) driver, from the knowledge base."""
    sizes = [s for s in azure_gpu_sizes() if s.gpu_count == 1 and s.driver == "cuda"]
    if not sizes:
        return "an NC-series GPU size"
    lowest_cc = sizes[0].compute_capability
    # Size names carry the vCPU count (Azure's naming convention): the smallest VM first.
    same = [s for s in sizes if s.compute_capability == lowest_cc]
    return min(same, key=lambda s: int(m.group(1)) if (m := re.search(r"(\d+)", s.name)) else 0).name


@rule(
    "AML002",
    "serverless-without-instance-type",
    "NO_GPU",
    Severity.ERROR,
    RuleDoc(
        what="A job on serverless compute (no compute:, or azureml:serverless) with no resources.instance_type, although it needs a GPU.",
        why="Serverless compute without an instance type gets a default CPU VM size chosen by quota, never a GPU.",
        example="command: python train.py\nenvironment: azureml:AzureML-acpt-pytorch-2.2-cuda12.1@latest\n# no compute, no resources",
        fix="resources:\n  instance_type: Standard_NC4as_T4_v3\n  instance_count: 1",
        limits=(
            "Pipeline steps inherit settings.default_compute; only a step that ends up serverless without an instance type is "
            "reported. Command components carry no compute and are judged through the pipelines in the linted files that use them."
        ),
        references=(REF_SERVERLESS, REF_JOB_YAML),
    ),
)
def serverless_without_instance_type(project: Project) -> Iterator[Outcome]:
    """The AML002 check (serverless-without-instance-type); see the rule's documentation above."""
    suggestion = _gpu_size_suggestion()
    for context in project.jobs:
        job = context.job
        name = (context.compute_name[0] if context.compute_name else "").lower()
        if context.compute_name is not None and name not in ("serverless",):
            continue
        if job.kind == "deployment":
            continue  # online deployments have no compute key; their instance_type is judged elsewhere
        if job.instance_type is not None:
            continue
        needed, because = wants_gpu(context, project)
        if not needed:
            continue
        where = context.compute_name[1] if context.compute_name else job.location
        yield hit(
            where,
            f"Job {job.name!r} runs on serverless compute without resources.instance_type, so it gets a CPU VM",
            evidence=[f"the job needs a GPU: {because}"],
            fix=f"Add resources: {{instance_type: {suggestion}}} (or target a GPU cluster with compute:).",
        )


@rule(
    "AML003",
    "cpu-image",
    "CUDA_LIBS_MISSING",
    Severity.ERROR,
    RuleDoc(
        what="An Azure ML environment whose image has no CUDA libraries (a CPU Azure ML image, python, ubuntu) while its conda file installs a framework that loads CUDA from the system.",
        why=(
            "The GPU compute gives the container a driver, not CUDA or cuDNN. pip TensorFlow without [and-cuda] "
            "(and jax -local) then finds no CUDA libraries and runs on the CPU."
        ),
        example="image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest\nconda_file: conda.yml    # pip: tensorflow==2.12.0",
        fix="image: mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04:latest\n# or for TensorFlow 2.14+: tensorflow[and-cuda] in the conda file",
        limits=(
            "Curated environments referenced by name (azureml:AzureML-...) are not opened. An environment whose jobs all run "
            "on CPU compute (a CPU size, serverless without an instance type, a cluster named for the CPU) is consistent and not reported."
        ),
        references=("https://github.com/Azure/AzureML-Containers", "https://learn.microsoft.com/azure/machine-learning/reference-yaml-environment"),
    ),
)
def cpu_image(project: Project) -> Iterator[Outcome]:
    """The AML003 check (cpu-image); see the rule's documentation above."""
    stacks: list[Stack] = []
    for _env_file, stack in project.environments:
        if project.cpu_on_purpose(stack):
            continue  # every job that uses it runs on a CPU VM: a CPU image is consistent
        stacks.append(stack)
    stacks += [c.stack for c in project.jobs if c.stack is not None and c.job.environment is not None and not runs_on_cpu(c)]
    for stack in stacks:
        image = stack.image
        if image is None or image.kind != "cpu" or stack.dockerfile is not None or stack.cuda_sources():
            continue
        for spec, major, cuda, cudnn, why in system_cuda_needs(stack):
            fix = "Use an Azure ML GPU image (mcr.microsoft.com/azureml/openmpi...-cuda...) with this CUDA"
            install = next((t for t in tensorflow_installs(stack) if t.spec is spec), None)
            if install is not None and install.and_cuda_available:
                fix += ", or install tensorflow[and-cuda] in the conda file"
            yield hit(
                image.location,
                f"{image.reference} has no CUDA libraries, but {spec.raw} needs CUDA {cuda or major or ''}".rstrip() + (f" and cuDNN {cudnn}" if cudnn else ""),
                evidence=[spec.location.evidence(), why, *stack.chain[:2]],
                fix=fix + ".",
            )


@rule(
    "AML004",
    "job-env-hides-gpu",
    "GPU_HIDDEN",
    Severity.ERROR,
    RuleDoc(
        what="environment_variables in a job that hide the GPU: CUDA_VISIBLE_DEVICES empty or -1, NVIDIA_VISIBLE_DEVICES void/none, JAX_PLATFORMS=cpu.",
        why="Azure ML sets these in the job's container; every framework then sees no GPU (or JAX only the CPU).",
        example='environment_variables:\n  CUDA_VISIBLE_DEVICES: ""',
        fix="Remove the variable from environment_variables.",
        limits="Variables set in the training script are PY003/PY005.",
        references=(REF_JOB_YAML, "https://docs.jax.dev/en/latest/installation.html"),
    ),
)
def job_env_hides_gpu(project: Project) -> Iterator[Outcome]:
    """The AML004 check (job-env-hides-gpu); see the rule's documentation above."""
    for context in project.jobs:
        for name, value, location in context.job.environment_variables:
            reason = hiding_value(name, value)
            if reason:
                yield hit(location, f"Job {context.job.name!r} sets {name}={value!r}, which {reason}", fix=f"Remove {name} from the job's environment_variables.")


def _gpu_count(context: JobContext) -> tuple[int, str, object] | None:
    if context.compute_size is None:
        return None
    size, where, _how = context.compute_size
    info = azure_vm_size(size)
    if info is None or not info.cuda_capable or info.gpu_count is None or info.gpu_count < 1:
        return None
    return int(info.gpu_count), info.name, where


@rule(
    "AML005",
    "fewer-processes-than-gpus",
    "GPU_UNDERUSED",
    Severity.WARNING,
    RuleDoc(
        what="A job on a multi-GPU VM size that starts fewer processes per node than the node has GPUs.",
        why="With distribution type pytorch or mpi each process drives one GPU; the other GPUs of the node sit idle (and are paid for).",
        example="resources:\n  instance_type: Standard_NC24ads_A100_v4   # 1 GPU\n# on Standard_NC96ads_A100_v4 (4 GPUs):\ndistribution:\n  type: pytorch\n  process_count_per_instance: 1",
        fix="distribution:\n  type: pytorch\n  process_count_per_instance: 4   # = GPUs per node",
        limits="A single process that uses every GPU itself (DataParallel, MirroredStrategy, a launcher in the command) is recognised and not reported.",
        references=(REF_DISTRIBUTED, REF_GPU_SIZES),
    ),
)
def fewer_processes_than_gpus(project: Project) -> Iterator[Outcome]:
    """The AML005 check (fewer-processes-than-gpus); see the rule's documentation above."""
    for context in project.jobs:
        found = _gpu_count(context)
        if found is None:
            continue
        gpus, size, where = found
        job = context.job
        if job.distribution in ("pytorch", "mpi"):
            count = job.process_count[0] if job.process_count else 1
            if count < gpus:
                location = job.process_count[1] if job.process_count else job.location
                yield hit(
                    location,
                    f"Job {job.name!r} starts {count} process(es) per node on {size}, which has {gpus} GPUs",
                    evidence=[where.evidence()],  # type: ignore[attr-defined]
                    fix=f"Set distribution.process_count_per_instance: {gpus}.",
                )
        elif job.distribution is None and gpus > 1:
            command = job.command[0] if job.command else ""
            if _LAUNCHERS.search(command):
                continue
            script = script_of(context, project)
            if script is not None and _uses_all_gpus(script):
                continue
            if script is None and not wants_gpu(context, project)[0]:
                continue
            yield hit(
                job.command[1] if job.command else job.location,
                f"Job {job.name!r} runs one process on {size}, which has {gpus} GPUs, with no distribution",
                evidence=[where.evidence()],  # type: ignore[attr-defined]
                confidence=Confidence.LOW,
                fix=f"Add distribution: {{type: pytorch, process_count_per_instance: {gpus}}} (or use every GPU in the script).",
            )


def _uses_all_gpus(script: PythonModel) -> bool:
    text = script.source.text
    return any(word in text for word in ("MirroredStrategy", "DataParallel", "DistributedDataParallel", "pmap", "init_process_group", "Trainer(", "Accelerator("))


@rule(
    "AML006",
    "more-processes-than-gpus",
    "GPU_BUSY",
    Severity.ERROR,
    RuleDoc(
        what="A distributed job that starts more processes per node than the node's VM size has GPUs.",
        why="Several processes then share one GPU: NCCL refuses duplicate GPUs, or the processes run out of GPU memory at start.",
        example="resources:\n  instance_type: Standard_NC24ads_A100_v4   # 1 GPU\ndistribution:\n  type: pytorch\n  process_count_per_instance: 4",
        fix="distribution:\n  type: pytorch\n  process_count_per_instance: 1   # = GPUs per node",
        limits="Fractional-GPU sizes (NVadsA10_v5 partitions) are not judged.",
        references=(REF_DISTRIBUTED, REF_GPU_SIZES),
    ),
)
def more_processes_than_gpus(project: Project) -> Iterator[Outcome]:
    """The AML006 check (more-processes-than-gpus); see the rule's documentation above."""
    for context in project.jobs:
        found = _gpu_count(context)
        job = context.job
        if found is None or job.process_count is None or job.distribution not in ("pytorch", "mpi"):
            continue
        gpus, size, where = found
        if job.process_count[0] > gpus:
            yield hit(
                job.process_count[1],
                f"Job {job.name!r} starts {job.process_count[0]} processes per node on {size}, which has {gpus} GPU(s)",
                evidence=[where.evidence()],  # type: ignore[attr-defined]
                fix=f"Set distribution.process_count_per_instance: {gpus}, or pick a size with {job.process_count[0]} GPUs.",
            )


def needed_cuda(context: JobContext) -> tuple[str, str] | None:
    """The CUDA version the job's environment is built for, and where that shows; None when unknown."""
    stack = context.stack
    if stack is not None:
        if stack.image is not None and stack.image.cuda is not None:
            return str(stack.image.cuda), f"its image {stack.image.reference} carries CUDA {stack.image.cuda}"
        for spec, major, cuda, _cudnn, _why in system_cuda_needs(stack):
            if cuda is not None or major is not None:
                return str(cuda or major), f"{spec.raw} needs CUDA {cuda or major}"
        for spec in stack.packages:
            if spec.name in ("torch", "torchvision") and spec.local_tag:
                wheel_cuda = torch_cuda_from_local_tag(spec.local_tag)
                if wheel_cuda:
                    return wheel_cuda, f"{spec.raw} is built for CUDA {wheel_cuda}"
    label = context.environment_label or ""
    match = _LABEL_CUDA.search(label)
    if match:
        return match.group(1), f"its environment {label} is built for CUDA {match.group(1)}"
    return None


_LABEL_CUDA = re.compile(r"cuda[-_.]?(\d+(?:\.\d+)?)", re.IGNORECASE)


@rule(
    "AML007",
    "gpu-size-too-old",
    "GPU_NOT_SUPPORTED",
    Severity.ERROR,
    RuleDoc(
        what=(
            "A GPU cluster or job VM size (compute YAML, 'az ml compute create --size', resources.instance_type, the Python "
            "SDK's AmlCompute(size=...), provisioning_configuration(vm_size=...) or an estimator's vm_size) that Azure "
            "has retired, or whose GPU is too old for the CUDA of the environments that run on it (an NC-series K80 under CUDA 12)."
        ),
        why=(
            "A retired size can no longer be created, so the job never gets its GPU; and a CUDA major drops old GPU "
            "generations (CUDA 12 runs nothing on compute capability 3.x), so the framework finds no usable GPU."
        ),
        example="az ml compute create -n gpu-cluster --type amlcompute --size Standard_NC6\n# jobs on gpu-cluster: environment: azureml:AzureML-acpt-pytorch-2.2-cuda12.1@latest",
        fix="az ml compute create -n gpu-cluster --type amlcompute --size Standard_NC4as_T4_v3",
        limits="The CUDA a job needs is read from its environment (image, framework pins, the curated environment's name); a compute created with several sizes in different scripts is judged per definition.",
        references=(REF_GPU_SIZES, "https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/nc-series-retirement", "https://docs.nvidia.com/cuda/archive/12.0.0/cuda-toolkit-release-notes/index.html"),
    ),
)
def gpu_size_too_old(project: Project) -> Iterator[Outcome]:
    """The AML007 check (gpu-size-too-old); see the rule's documentation above."""
    suggestion = _gpu_size_suggestion()
    for name, definitions in project.computes.items():
        users = [c for c in project.jobs if c.compute_name is not None and c.compute_name[0].lower() == name and c.job.instance_type is None]
        needs = [(c, found) for c in users if (found := needed_cuda(c)) is not None]
        newest = max(needs, key=lambda item: version_tuple(item[1][0])[:2], default=None)
        for definition in definitions:
            verdict = azure_size_for_cuda(definition.size, newest[1][0] if newest else None)
            if verdict is None or verdict.usable:
                continue
            evidence = [f"{newest[0].job.location.evidence()} (job {newest[0].job.name!r}: {newest[1][1]})"] if newest else []
            subject = f"Compute {definition.name!r}" if definition.name else definition.how[0].upper() + definition.how[1:]
            how_to = f"--size {suggestion}" if definition.how.startswith(("az ml", "compute YAML")) else f"the size {suggestion!r}"
            yield hit(
                definition.location,
                f"{subject} is created as {verdict.size.name}: " + "; ".join(verdict.reasons),
                evidence=evidence,
                fix=f"Create it with a current size, e.g. {how_to}.",
            )
    for context in project.jobs:
        if context.job.instance_type is None:
            continue
        found = needed_cuda(context)
        verdict = azure_size_for_cuda(context.job.instance_type[0], found[0] if found else None)
        if verdict is None or verdict.usable:
            continue
        yield hit(
            context.job.instance_type[1],
            f"Job {context.job.name!r} asks for {verdict.size.name}: " + "; ".join(verdict.reasons),
            evidence=[found[1]] if found else [],
            fix=f"Use a current size, e.g. instance_type: {suggestion}.",
        )


RULES = [
    cpu_compute,
    serverless_without_instance_type,
    cpu_image,
    job_env_hides_gpu,
    fewer_processes_than_gpus,
    more_processes_than_gpus,
    gpu_size_too_old,
]

