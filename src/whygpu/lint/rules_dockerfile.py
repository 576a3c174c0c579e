"""DF rules: what a Dockerfile's base image, installs and settings do to GPU use."""

from __future__ import annotations

import re
from collections.abc import Iterator

from packaging.version import Version

from whygpu.knowledge.cuda import cuda_serves_build
from whygpu.knowledge.cuda_versions import cudnn_major, cudnn_satisfies
from whygpu.knowledge.tensorflow import (
    tensorflow_for_cuda,
    tensorflow_gpu_package,
    tensorflow_package,
    tensorflow_pip_gpu_since,
    tensorflow_pip_has_gpu,
)
from whygpu.knowledge.torch import torch_index_url
from whygpu.lint.dockerfile import DockerfileModel, EnvSetting
from whygpu.lint.frameworks import (
    system_cuda_needs,
    tensorflow_install,
    tensorflow_installs,
)
from whygpu.lint.intent import framework_intent, gate, torch_build_intent
from whygpu.lint.packages import IndexOption, PackageSpec
from whygpu.lint.project import TORCH_FAMILY, Project, Stack, package_role, torch_index_variant
from whygpu.lint.rulekit import hit
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, RuleDoc, rule

REF_TF_PIP = "https://www.tensorflow.org/install/pip"
REF_TF_SOURCE = "https://www.tensorflow.org/install/source#gpu"
REF_CUDA_IMAGES = "https://hub.docker.com/r/nvidia/cuda"
REF_TORCH = "https://pytorch.org/get-started/locally/"
REF_DOCKER_ENV = "https://docs.docker.com/reference/dockerfile/#env"


def _docker_stacks(project: Project) -> Iterator[Stack]:
    for stack in project.stacks:
        if stack.dockerfile is not None and stack.name == stack.dockerfile.display:
            yield stack


def _in_dockerfile(location_file: str, stack: Stack) -> bool:
    return stack.dockerfile is not None and location_file == stack.dockerfile.display


def framework_cpu_variant(project: Project, stack: Stack) -> str | None:
    """A note when the base is a framework's own CPU image (tensorflow/tensorflow without -gpu, a pytorch cpu tag) and no
    Azure ML job that uses the stack runs on a GPU: the CPU tag of an image family that has GPU tags is a chosen CPU
    container, so DF001/DF005 there are notes, not errors. None otherwise."""
    image = stack.image
    if image is None or image.kind != "cpu" or image.framework is None:
        return None
    users = [*project.users_of(stack), *(job for job in project.jobs if job.stack is not None and job.stack.dockerfile is stack.dockerfile)]
    if any(not user.runs_on_cpu for user in users):
        return None  # a job builds or runs this container on a GPU VM (or an unknown compute): judged as usual
    return (
        f"{image.reference} is {image.framework}'s own CPU image ({image.note}); nothing the project defines runs it on a "
        "GPU, so a CPU container is taken as chosen: a note, not an error (use the image's GPU tag if it is meant for a GPU)"
    )


def _and_cuda_fix(version: object) -> str:
    return f"pip install 'tensorflow[and-cuda]=={version}.*'" if version else "pip install 'tensorflow[and-cuda]'"


@rule(
    "DF001",
    "cpu-base-image",
    "CUDA_LIBS_MISSING",
    Severity.ERROR,
    RuleDoc(
        what="A base image with no CUDA libraries (python, ubuntu, a CPU Azure ML image) under a framework that loads CUDA from the system.",
        why=(
            "The host's driver reaches the container, but the CUDA runtime, cuBLAS and cuDNN must be in the image. "
            "TensorFlow before 2.14 (no [and-cuda] extra) and jax[cudaNN-local] load them from the system, so on a "
            "CPU image they find nothing and run on the CPU. (torch wheels from PyPI and tensorflow[and-cuda] bring "
            "their own CUDA libraries and are fine on any base.)"
        ),
        example="FROM python:3.10-slim\nRUN pip install tensorflow==2.12.0",
        fix="FROM nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04   # the CUDA/cuDNN of the framework build\nRUN pip install tensorflow==2.12.0",
        limits=(
            "Images from private registries are not known; whygpu says nothing about them. A Dockerfile of an Azure ML "
            "environment whose jobs all run on CPU compute is consistent and not reported. On a framework's own CPU image "
            "(tensorflow/tensorflow without -gpu) that no job runs on a GPU it is a note: the CPU tag is taken as chosen."
            " Gated by GPU intent for the framework (whygpu.lint.intent): an error where the environment states a GPU and the project's code imports the framework (or asks for its GPU build), a note where nothing says or the framework only comes in for a tool, a note where the CPU is chosen on purpose."
        ),
        references=(REF_TF_SOURCE, REF_CUDA_IMAGES, "https://github.com/Azure/AzureML-Containers"),
    ),
)
def cpu_base_image(project: Project) -> Iterator[Outcome]:
    """The DF001 check (cpu-base-image); see the rule's documentation above."""
    for stack in _docker_stacks(project):
        image = stack.image
        if image is None or image.kind != "cpu" or stack.cuda_sources() or project.cpu_on_purpose(stack):
            continue
        chosen = framework_cpu_variant(project, stack)
        for spec, major, cuda, cudnn, why in system_cuda_needs(stack):
            if spec.name in ("tensorflow", "tf-nightly", "tensorflow-gpu") and "and-cuda" not in spec.extras:
                install = next((t for t in tensorflow_installs(stack) if t.spec is spec), None)
                if install is not None and install.and_cuda_available:
                    continue  # DF005 gives the better fix: add the [and-cuda] extra
            want = f"CUDA {cuda}" if cuda else f"CUDA {major}" if major else "CUDA"
            suggestion = _cuda_image_for(cuda, cudnn)
            found = hit(
                image.location,
                f"Base image {image.reference} has no CUDA libraries, but {spec.raw} needs {want}" + (f" and cuDNN {cudnn}" if cudnn else ""),
                evidence=[spec.location.evidence(), why, *([chosen] if chosen else [])],
                fix=f"Start from a CUDA image with cuDNN, e.g. FROM {suggestion}" if suggestion else "Start from an nvidia/cuda image with the CUDA and cuDNN the framework needs.",
                severity=Severity.INFO if chosen else None,
            )
            yield found if chosen else gate(found, framework_intent(project, stack, spec), Severity.ERROR)


def _cuda_image_for(cuda: object, cudnn: str | None) -> str | None:

    from whygpu.lint.images import suggest_cuda_image

    return suggest_cuda_image(Version(str(cuda)), cudnn) if cuda is not None else None


@rule(
    "DF002",
    "cuda-major-mismatch",
    "CUDA_LIBS_MISMATCH",
    Severity.ERROR,
    RuleDoc(
        what="A CUDA base image whose CUDA does not provide the libraries the pinned framework build loads: another major, before CUDA 11 another minor, or a release without one of its sonames (CUDA 11.1+ lacks the libcusolver.so.10 of an 11.0 build).",
        why=(
            "Frameworks load CUDA libraries by major version (libcudart.so.12, libcublas.so.11). A TensorFlow built "
            "for CUDA 12 on a CUDA 11 image finds no libcudart.so.12 and falls back to the CPU."
        ),
        example="FROM nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04\nRUN pip install tensorflow==2.15.0",
        fix="FROM nvidia/cuda:12.2.2-cudnn8-runtime-ubuntu22.04\nRUN pip install tensorflow==2.15.0\n# or keep the image and pin tensorflow==2.14.*, built for CUDA 11.8",
        limits=(
            "Only frameworks that take CUDA from the system are judged (TensorFlow without [and-cuda], jax -local); an unpinned one is DEP009."
            " Gated by GPU intent for the framework (whygpu.lint.intent): an error where the environment states a GPU and the project's code imports the framework (or asks for its GPU build), a note where nothing says or the framework only comes in for a tool, a note where the CPU is chosen on purpose."
        ),
        references=(REF_TF_SOURCE, REF_CUDA_IMAGES),
    ),
)
def cuda_major_mismatch(project: Project) -> Iterator[Outcome]:
    """The DF002 check (cuda-major-mismatch); see the rule's documentation above."""
    for stack in _docker_stacks(project):
        image = stack.image
        if image is None or image.kind != "cuda" or image.cuda_major is None:
            continue
        for spec, major, cuda, _cudnn, why in system_cuda_needs(stack):
            if major is None or spec.unpinned or _serves(cuda, major, image.cuda, image.cuda_major):
                continue
            if any(_serves(cuda, major, s.version, s.major) for s in stack.cuda_sources() if s.how != "image"):
                continue  # another install provides the right CUDA
            newest = tensorflow_for_cuda(str(image.cuda if image.cuda is not None else image.cuda_major)) if spec.name.startswith("tensorflow") else None
            fix = f"Use a CUDA {major} base image (FROM {_cuda_image_for(cuda, _cudnn) or f'nvidia/cuda:{major}.x'})"
            if newest:
                # The tensorflow package of some releases is CPU-only (2.0, 1.x but 1.15.0): then tensorflow-gpu.
                package = "tensorflow" if tensorflow_pip_has_gpu(newest) else "tensorflow-gpu"
                fix += f", or keep this image and pin {package}=={newest}.* (built for CUDA {image.cuda_major})"
            found = hit(
                image.location,
                f"{image.reference} has CUDA {image.cuda}, but {spec.raw} was built for CUDA {cuda or major}",
                evidence=[spec.location.evidence(), why],
                fix=fix + ".",
            )
            yield gate(found, framework_intent(project, stack, spec), Severity.ERROR)


def _serves(wanted: Version | None, wanted_major: int, have: Version | None, have_major: int | None) -> bool:
    """Whether a CUDA of ``have`` provides the libraries a build for ``wanted`` loads (knowledge.cuda_serves_build).

    The releases' sonames where the tables know them (CUDA 11.1 lacks the libcusolver.so.10 of an
    11.0 build), else the soname rule: from CUDA 11 the same major, before it the same minor
    (libcudart.so.10.0 is not in CUDA 10.1). With either minor unknown only the majors can be
    compared, and they are.
    """
    if wanted is None or have is None or len(have.release) < 2:
        return wanted_major == have_major
    return cuda_serves_build(str(wanted), str(have))


@rule(
    "DF003",
    "cuda-image-without-cudnn",
    "CUDNN_MISSING",
    Severity.ERROR,
    RuleDoc(
        what="An nvidia/cuda -base, -runtime or -devel image without cuDNN, under a framework that loads cuDNN from the system.",
        why=(
            "Only the 'cudnn' tags of the CUDA images contain cuDNN (and -base has not even cuBLAS). TensorFlow "
            "without [and-cuda], jax -local and a CUDA jaxlib (+cudaNN.cudnnMM, before the pip extras) need cuDNN from the "
            "image; without it TensorFlow skips the GPU ('Cannot dlopen some GPU libraries'). PyTorch's CUDA wheels, "
            "tensorflow[and-cuda] and the jax cudaNN/cudaNN_pip extras bring their own cuDNN and are not reported."
        ),
        example="FROM nvidia/cuda:11.8.0-runtime-ubuntu22.04\nRUN pip install tensorflow==2.13.0",
        fix="FROM nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04\nRUN pip install tensorflow==2.13.0",
        limits=(
            "A cuDNN installed by a later RUN (apt libcudnn8, pip nvidia-cudnn-cu12, conda cudnn) is recognised; one copied in by hand is not."
            " Reported beside a CUDA major the image lacks (DF002, DEP009): a release built for the image's CUDA would still need cuDNN."
        ),
        references=(REF_CUDA_IMAGES, REF_TF_PIP),
    ),
)
def cuda_image_without_cudnn(project: Project) -> Iterator[Outcome]:
    """The DF003 check (cuda-image-without-cudnn); see the rule's documentation above."""
    for stack in _docker_stacks(project):
        image = stack.image
        if image is None or image.kind != "cuda" or image.has_cudnn:
            continue
        if stack.cuda_sources(cudnn=True):
            continue
        for spec, _major, _cuda, cudnn, _why in system_cuda_needs(stack):
            # A CUDA major the image does not have is DF002's or DEP009's finding; the missing cuDNN is a second
            # problem that a release built for the image's CUDA would still meet.
            flavor = image.flavor or "base"
            suggestion = _cuda_image_for(image.cuda, cudnn) if image.cuda is not None else None
            yield hit(
                image.location,
                f"{image.reference} has no cuDNN, which {spec.raw} needs" + (f" (cuDNN {cudnn})" if cudnn else ""),
                evidence=[spec.location.evidence()] + (["a -base image also lacks cuBLAS, cuFFT and the other CUDA math libraries"] if flavor == "base" else []),
                fix=f"Use an image with cuDNN, e.g. FROM {suggestion}" if suggestion else "Use the variant of the image with 'cudnn' in its tag.",
            )


def _used_later_in_run(setting: EnvSetting) -> bool:
    """The RUN goes on after ``export NAME=value``: the variable is set for the commands that follow."""
    text = setting.location.text
    at = text.find(f"{setting.name}=")
    if at < 0:
        return False
    rest = re.sub(r"^\S*", "", text[at:], count=1).strip()
    return rest.startswith(("&&", ";", "|", "\\")) or bool(re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", rest))


@rule(
    "DF010",
    "cuda-image-wrong-cudnn",
    "CUDNN_MISMATCH",
    Severity.ERROR,
    RuleDoc(
        what="An nvidia/cuda image whose cuDNN does not serve the framework build (TensorFlow before [and-cuda], jax -local): another cuDNN major than the build's, as the image's tag names it.",
        why=(
            "cuDNN is loaded by its major soname (libcudnn.so.5, .so.7, .so.8): a framework built for cuDNN 5 finds "
            "no libcudnn.so.5 in a cudnn7 image and does not use the GPU."
        ),
        example="FROM nvidia/cuda:8.0-cudnn7-devel\nRUN pip install tensorflow-gpu==1.0",
        fix="FROM nvidia/cuda:8.0-cudnn5-devel\nRUN pip install tensorflow-gpu==1.0",
        limits=(
            "Only images whose tag names the cuDNN major, and framework releases whose tested cuDNN is in the knowledge data. The tag names no minor, so an older minor of the right major (which TensorFlow refuses when cuDNN loads) is not seen."
            " Gated by GPU intent for the framework (whygpu.lint.intent): an error where the environment states a GPU and the project's code imports the framework (or asks for its GPU build), a note where nothing says or the framework only comes in for a tool, a note where the CPU is chosen on purpose."
        ),
        references=(REF_CUDA_IMAGES, "https://www.tensorflow.org/install/source#gpu"),
    ),
)
def cuda_image_wrong_cudnn(project: Project) -> Iterator[Outcome]:
    """The DF010 check (cuda-image-wrong-cudnn); see the rule's documentation above."""
    for stack in _docker_stacks(project):
        image = stack.image
        if image is None or image.kind != "cuda" or image.cudnn is None or any(s.how != "image" for s in stack.cuda_sources(cudnn=True)):
            continue
        for spec, major, _cuda, cudnn, _why in system_cuda_needs(stack):
            if cudnn is None or (major is not None and image.cuda_major is not None and major != image.cuda_major):
                continue  # DF002 reports the wrong CUDA major first
            # The knowledge's one cuDNN decision; an image tag names the major alone (cudnn8), so that is what it compares.
            if cudnn_satisfies(cudnn, image.cudnn) is False:
                found = hit(
                    image.location,
                    f"{image.reference} has cuDNN {image.cudnn}, but {spec.raw} needs cuDNN {cudnn}",
                    evidence=[spec.location.evidence()],
                    fix=f"Use the image's cudnn{cudnn_major(cudnn)} variant (or a framework release built for cuDNN {image.cudnn}).",
                )
                yield gate(found, framework_intent(project, stack, spec), Severity.ERROR)


@rule(
    "DF004",
    "tensorflow-gpu-package",
    "FRAMEWORK_INSTALL_BROKEN",
    Severity.ERROR,
    RuleDoc(
        what="A Dockerfile RUN that installs the tensorflow-gpu package.",
        why=(
            "tensorflow-gpu was the GPU package of TensorFlow 1.x. From 2.1 plain tensorflow has the GPU code, and "
            "from 2.12 tensorflow-gpu is a stub whose install fails ('The \"tensorflow-gpu\" package has been removed!')."
        ),
        example="RUN pip install tensorflow-gpu",
        fix="RUN pip install 'tensorflow[and-cuda]'",
        limits="Versions of tensorflow-gpu up to 2.11 still install and use the GPU; they are notes (info), not failures.",
        references=("https://pypi.org/project/tensorflow-gpu/", "https://github.com/tensorflow/tensorflow/releases/tag/v2.12.0"),
    ),
)
def tensorflow_gpu_in_dockerfile(project: Project) -> Iterator[Outcome]:
    """The DF004 check (tensorflow-gpu-package); see the rule's documentation above."""
    for stack in _docker_stacks(project):
        for spec in stack.named("tensorflow-gpu", manager="pip"):
            if _in_dockerfile(spec.location.file, stack):
                yield tensorflow_gpu_hit(spec)


def tensorflow_gpu_hit(spec: PackageSpec) -> Outcome:
    """DF004 and DEP001: a stub from 2.12 (error), deprecated before (warning)."""
    package = tensorflow_package("tensorflow-gpu")
    stub_from = package.stub_from if package and package.stub_from else "2.12"
    install = tensorflow_install(spec)
    version = install.version
    state = tensorflow_gpu_package(str(version)) if not spec.unpinned and version is not None else "unknown"
    pinned_old = state in ("gpu-build", "old-name")
    since = tensorflow_pip_gpu_since()
    if state == "gpu-build":
        # Before 2.1 tensorflow-gpu was the GPU build of its line (plain tensorflow was CPU-only but
        # in 1.15.0): the right package.
        return hit(
            spec.location,
            f"{spec.raw}: the GPU build of TensorFlow {version} (before {since} tensorflow-gpu was the GPU package)",
            severity=Severity.INFO,
            fix=f"Nothing to change for this release; from {since} on install tensorflow instead.",
        )
    if pinned_old:
        # 2.1 to 2.11: the same build as tensorflow under its old name; it installs and uses the GPU.
        return hit(
            spec.location,
            f"{spec.raw}: tensorflow-gpu is deprecated; since {since} tensorflow itself has the GPU code",
            severity=Severity.INFO,
            fix=f"Install tensorflow=={version}.* instead (the same build under its current name).",
        )
    return hit(
        spec.location,
        f"{spec.raw}: tensorflow-gpu is an error stub from {stub_from} on, so the install fails",
        evidence=[package.meaning if package else ""],
        fix=_and_cuda_fix(version if not spec.unpinned else None).replace("pip install", "Install instead:", 1),
    )


@rule(
    "DF005",
    "tensorflow-without-and-cuda",
    "CUDA_LIBS_MISSING",
    Severity.ERROR,
    RuleDoc(
        what="pip TensorFlow 2.14+ installed without the [and-cuda] extra in an image where nothing else provides CUDA.",
        why=(
            "Since 2.14 the tensorflow wheel has the GPU code but not the CUDA libraries: the [and-cuda] extra pulls "
            "them as nvidia-* wheels. On a python or ubuntu base TensorFlow then logs 'Could not find cuda drivers' "
            "or 'Cannot dlopen some GPU libraries' and uses the CPU."
        ),
        example="FROM python:3.11-slim\nRUN pip install tensorflow==2.16.1",
        fix="FROM python:3.11-slim\nRUN pip install 'tensorflow[and-cuda]==2.16.1'",
        limits=(
            "CUDA copied into the image by hand (not by FROM, apt, conda, pip or a runfile) is not seen. On TensorFlow's own "
            "CPU image (tensorflow/tensorflow without -gpu) that no Azure ML job runs on a GPU it is a note: the project chose "
            "the CPU tag of an image that has GPU tags."
            " Gated by GPU intent for the framework (whygpu.lint.intent): an error where the environment states a GPU and the project's code imports the framework (or asks for its GPU build), a note where nothing says or the framework only comes in for a tool, a note where the CPU is chosen on purpose."
        ),
        references=(REF_TF_PIP, "https://github.com/tensorflow/tensorflow/releases/tag/v2.14.0", "https://www.tensorflow.org/install/docker"),
    ),
)
def tensorflow_without_and_cuda(project: Project) -> Iterator[Outcome]:
    """The DF005 check (tensorflow-without-and-cuda); see the rule's documentation above."""
    for stack in _docker_stacks(project):
        image = stack.image
        if image is not None and image.kind in ("cuda", "framework", "unknown"):
            continue  # a CUDA image is judged by DF002/DF003; an unknown one is not judged
        if stack.cuda_sources() or stack.named("tensorflow", "tf-nightly", manager="conda"):
            continue
        chosen = framework_cpu_variant(project, stack)
        for install in tensorflow_installs(stack):
            if install.and_cuda or not install.and_cuda_available or install.spec.name == "tensorflow-gpu":
                continue
            found = hit(
                install.spec.location,
                f"{install.label()} installs no CUDA libraries and {image.reference if image else 'the image'} has none",
                evidence=[image.location.evidence() if image else "", *([chosen] if chosen else [])],
                fix=f"Install it with the CUDA wheels: {_and_cuda_fix(install.version if not install.spec.unpinned else None)}",
                severity=Severity.INFO if chosen else None,
            )
            yield found if chosen else gate(found, framework_intent(project, stack, install.spec), Severity.ERROR)


@rule(
    "DF006",
    "torch-cpu-index",
    "FRAMEWORK_CPU_BUILD",
    Severity.ERROR,
    RuleDoc(
        what="A Dockerfile RUN that installs torch from PyTorch's CPU wheel index or pins a +cpu build (or conda cpuonly).",
        why=(
            "download.pytorch.org/whl/cpu serves builds without CUDA (torch.version.cuda is None). With "
            "--extra-index-url the +cpu wheel even wins over PyPI's CUDA wheel, because 2.1.0+cpu sorts after 2.1.0."
        ),
        example="RUN pip install torch --index-url https://download.pytorch.org/whl/cpu",
        fix="RUN pip install torch --index-url https://download.pytorch.org/whl/cu126",
        limits=(
            "Indexes set through pip.conf or PIP_INDEX_URL in the image are not read."
            " Gated by GPU intent (whygpu.lint.intent): an error where the project states that a GPU is meant, a note where nothing says, a note where the CPU is chosen on purpose."
            " Where the only GPU sign is another framework's GPU image (an NGC TensorFlow container) and no script the image is for asks for CUDA, the GPU is that framework's: a warning."
        ),
        references=(REF_TORCH, "https://pytorch.org/get-started/previous-versions/"),
    ),
)
def torch_cpu_index_in_dockerfile(project: Project) -> Iterator[Outcome]:
    """The DF006 check (torch-cpu-index); see the rule's documentation above."""
    for stack in _docker_stacks(project):
        in_file = [p for p in stack.packages if _in_dockerfile(p.location.file, stack)]
        torch_specs = [p for p in in_file if p.name in TORCH_FAMILY]
        indexes = [i for i in stack.indexes if _in_dockerfile(i.location.file, stack)]
        for outcome in torch_cpu_hits(torch_specs, in_file, indexes):
            at = outcome.location if isinstance(outcome, Hit) else None
            where = next((p.location for p in torch_specs if at is not None and p.location.line == at.line), torch_specs[0].location if torch_specs else None)
            yield gate(outcome, torch_build_intent(project, stack, at=where), Severity.ERROR)


def torch_cpu_hits(torch_specs: list[PackageSpec], packages: list[PackageSpec], indexes: list[IndexOption]) -> Iterator[Outcome]:
    """Shared by DF006 and DEP007: CPU index options, +cpu pins and conda CPU markers."""
    cuda_fix = f"Use a CUDA wheel index instead, e.g. --index-url {torch_index_url('12.6')}, or PyPI's default torch on Linux."
    reported: set[int] = set()
    for index in indexes:
        if torch_index_variant(index.url) == "cpu" and torch_specs and index.location.line not in reported:
            reported.add(index.location.line)
            names = ", ".join(sorted({s.name for s in torch_specs}))
            yield hit(index.location, f"{names} from PyTorch's CPU-only index ({index.option} {index.url})", fix=cuda_fix)
    for spec in torch_specs:
        if spec.local_tag == "cpu" and spec.location.line not in reported:
            reported.add(spec.location.line)
            yield hit(spec.location, f"{spec.raw} is a CPU-only build (+cpu)", fix=cuda_fix.replace("Use a CUDA wheel index instead", "Drop +cpu and install from a CUDA index"))
        if spec.manager == "conda" and spec.build and "cpu" in spec.build.lower():
            yield hit(spec.location, f"{spec.raw} selects the CPU build of {spec.name}", fix="Select a CUDA build, e.g. pytorch-cuda=12.1 from the pytorch and nvidia channels, or pytorch=*=*cuda* on conda-forge.")
    for spec in packages:
        role = package_role(spec)
        if role is not None and role[0] == "cpu-marker" and role[2].get("framework") == "torch":
            yield hit(spec.location, f"{spec.raw} makes conda install the CPU-only PyTorch build", fix="Remove it and ask for a CUDA build, e.g. pytorch-cuda=12.1 (pytorch and nvidia channels) or pytorch-gpu (conda-forge).")


@rule(
    "DF007",
    "env-hides-gpu",
    "GPU_HIDDEN",
    Severity.ERROR,
    RuleDoc(
        what="ENV CUDA_VISIBLE_DEVICES set to -1 or empty, or NVIDIA_VISIBLE_DEVICES set to void, none or empty, in the image that runs.",
        why="Every process in the container inherits ENV. CUDA then enumerates no device and every framework reports no GPU.",
        example='ENV CUDA_VISIBLE_DEVICES=""',
        fix="Delete the ENV line; choose GPUs when the container starts (docker run --gpus, the job's settings).",
        limits="Only the stages that make the final image are read.",
        references=(REF_DOCKER_ENV, "https://docs.nvidia.com/cuda/cuda-c-programming-guide/index.html#env-vars", "https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/docker-specialized.html"),
    ),
)
def env_hides_gpu(project: Project) -> Iterator[Outcome]:
    """The DF007 check (env-hides-gpu); see the rule's documentation above."""
    for stack in _docker_stacks(project):
        for setting in stack.env:
            if setting.how != "ENV":
                continue
            reason = hiding_value(setting.name, setting.value)
            if reason:
                yield hit(setting.location, f"ENV {setting.name}={setting.value!r} {reason}", fix=f"Remove ENV {setting.name} from the Dockerfile.")


def hiding_value(name: str, value: str) -> str | None:
    """Why this variable's value hides the GPU, or None when it does not."""
    text = value.strip().strip("'\"").strip().lower()
    if name == "CUDA_VISIBLE_DEVICES" and (text == "" or text == "-1" or text.startswith("-1,") or text in ("none", "nodevfiles")):
        return "hides every GPU from CUDA"
    if name == "NVIDIA_VISIBLE_DEVICES" and text in ("", "void", "none"):
        return "stops the NVIDIA container runtime from giving the container a GPU"
    if name in ("JAX_PLATFORMS", "JAX_PLATFORM_NAME") and text == "cpu":
        return "makes JAX use only the CPU"
    return None


_LOADER_VARIABLES = ("LD_LIBRARY_PATH", "CUDA_HOME", "CUDA_PATH", "CUDA_ROOT", "PATH", "XLA_FLAGS", "CUDNN_PATH")


@rule(
    "DF008",
    "env-set-in-shell-startup",
    "CUDA_LIBS_NOT_ON_PATH",
    Severity.WARNING,
    RuleDoc(
        what="LD_LIBRARY_PATH, CUDA_HOME (and similar) set with RUN export or written to ~/.bashrc or /etc/profile.",
        why=(
            "A RUN export lasts only for that RUN. ~/.bashrc and /etc/profile are read by interactive or login "
            "shells; a job's process (python train.py, an Azure ML job, docker run CMD) never reads them, so the "
            "loader never sees the CUDA paths."
        ),
        example="RUN echo 'export LD_LIBRARY_PATH=/usr/local/cuda/lib64:$LD_LIBRARY_PATH' >> ~/.bashrc",
        fix="ENV LD_LIBRARY_PATH=/usr/local/cuda/lib64:${LD_LIBRARY_PATH}",
        limits=(
            "Reported as an error when a framework in the image loads CUDA from the system, else as a warning. A RUN export "
            "followed by more commands in the same RUN (export X=... && python setup.py ...) is for those commands and not reported."
        ),
        references=(REF_DOCKER_ENV, "https://www.gnu.org/software/bash/manual/html_node/Bash-Startup-Files.html"),
    ),
)
def env_set_in_shell_startup(project: Project) -> Iterator[Outcome]:
    """The DF008 check (env-set-in-shell-startup); see the rule's documentation above."""
    for stack in _docker_stacks(project):
        needs = any(True for _ in system_cuda_needs(stack))
        for setting in stack.env:
            if setting.how == "ENV" or setting.name not in _LOADER_VARIABLES:
                continue
            if setting.name == "PATH" and "cuda" not in setting.value.lower():
                continue
            if setting.how == "RUN export" and _used_later_in_run(setting):
                continue  # ``export X=... && make``: set for the commands of this RUN, on purpose
            where = f"written to {setting.target}" if setting.how == "startup file" else "exported in a RUN"
            yield hit(
                setting.location,
                f"{setting.name} is {where}; the job's process never sees it",
                severity=Severity.ERROR if needs and setting.name == "LD_LIBRARY_PATH" else None,
                fix=f"ENV {setting.name}={setting.value}",
            )


@rule(
    "DF009",
    "two-cuda-installs",
    "CUDA_LIBS_MISMATCH",
    Severity.WARNING,
    RuleDoc(
        what="Two CUDA toolkits of different versions in one image (a CUDA base image plus apt, conda or a runfile).",
        why=(
            "Which copy a framework loads then depends on LD_LIBRARY_PATH, RPATH and the order of /etc/ld.so.conf.d, "
            "so it may get libraries of the other version, or a mix, and fail with missing symbols."
        ),
        example="FROM nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04\nRUN apt-get install -y cuda-toolkit-12-2",
        fix="Keep one CUDA: pick the base image with the version you need and drop the second install.",
        limits="pip nvidia-* wheels are not counted (frameworks find them through RPATH, not the system paths).",
        references=("https://docs.nvidia.com/cuda/cuda-installation-guide-linux/index.html#handle-conflicting-installation-methods", REF_CUDA_IMAGES),
    ),
)
def two_cuda_installs(project: Project) -> Iterator[Outcome]:
    """The DF009 check (two-cuda-installs); see the rule's documentation above."""
    for stack in _docker_stacks(project):
        sources = [s for s in stack.cuda_sources() if s.how in ("image", "apt", "conda", "runfile")]
        if len(sources) < 2:
            continue
        versions = {str(s.version) if s.version else "?" for s in sources}
        if len(versions) < 2:
            continue
        first, second = sources[0], sources[1]
        described = ", ".join(f"{s.how} {s.what}" + (f" (CUDA {s.version})" if s.version else "") for s in sources)
        yield hit(
            second.location,
            f"Two CUDA installs in one image: {described}",
            evidence=[first.location.evidence()],
            confidence=Confidence.HIGH if "?" not in versions else Confidence.MEDIUM,
            fix="Keep one CUDA version: choose the base image that has it and remove the other install.",
        )


RULES = [
    cpu_base_image,
    cuda_major_mismatch,
    cuda_image_without_cudnn,
    cuda_image_wrong_cudnn,
    tensorflow_gpu_in_dockerfile,
    tensorflow_without_and_cuda,
    torch_cpu_index_in_dockerfile,
    env_hides_gpu,
    env_set_in_shell_startup,
    two_cuda_installs,
]

__all__ = ["RULES", "DockerfileModel"]
