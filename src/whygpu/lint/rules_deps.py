"""DEP rules: conda environment files, requirements files and pyproject dependencies."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import PurePosixPath

from packaging.version import Version

from whygpu.knowledge.cpu_packages import plain_install_cpu_build
from whygpu.knowledge.cuda import (
    cuda_library_sonames,
    cuda_serves_build,
    cuda_sonames_missing,
    cudnn_satisfies,
)
from whygpu.knowledge.jax import jax_cuda_requirements, jax_plugin
from whygpu.knowledge.tensorflow import (
    tensorflow_and_cuda_pins,
    tensorflow_for_cuda,
    tensorflow_package,
    tensorflow_pip_gpu_since,
)
from whygpu.knowledge.torch import torch_index_url
from whygpu.lint.dockerfile import DockerfileModel
from whygpu.lint.frameworks import (
    jax_cuda_install,
    jax_has_cuda_plugin,
    jax_installs,
    python_supported,
    tensorflow_install,
    tensorflow_installs,
    torch_python_fit,
)
from whygpu.lint.intent import (
    CPU_JOBS_ONLY,
    environment_sign,
    framework_intent,
    gate,
    torch_build_intent,
)
from whygpu.lint.packages import PackageSpec
from whygpu.lint.project import TORCH_FAMILY, CudaSource, Project, Stack, index_named, package_role
from whygpu.lint.rulekit import hit
from whygpu.lint.rules_dockerfile import tensorflow_gpu_hit, torch_cpu_hits
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, RuleDoc, rule

REF_TF_PIP = "https://www.tensorflow.org/install/pip"
REF_TF_SOURCE = "https://www.tensorflow.org/install/source#gpu"


def _dep_files(project: Project) -> set[str]:
    """Files whose installs the DEP rules judge: dependency files and notebooks with install lines."""
    files = {f.display for f in project.dependency_files()}
    return files | {f.display for f in project.python if f.installs.packages or f.installs.indexes}


def _dockerfiles(project: Project) -> set[str]:
    return {f.display for f in project.files if isinstance(f, DockerfileModel)}


@rule(
    "DEP001",
    "tensorflow-gpu-pin",
    "FRAMEWORK_INSTALL_BROKEN",
    Severity.ERROR,
    RuleDoc(
        what="A pip requirement on tensorflow-gpu in a requirements file, a conda file's pip list, pyproject.toml or a notebook's !pip install.",
        why=(
            "From TensorFlow 2.12 tensorflow-gpu is a stub that fails to install ('The \"tensorflow-gpu\" package has "
            "been removed!'); before that it was the same as tensorflow. The GPU build is the tensorflow package."
        ),
        example="tensorflow-gpu==2.12.0",
        fix="tensorflow[and-cuda]==2.12.*   # 2.14+; before 2.14: tensorflow==X plus CUDA/cuDNN from the image or conda",
        limits="conda's own tensorflow-gpu (a conda-forge metapackage that selects the CUDA build) is fine and not reported.",
        references=("https://pypi.org/project/tensorflow-gpu/", "https://github.com/tensorflow/tensorflow/releases/tag/v2.12.0"),
    ),
)
def tensorflow_gpu_pin(project: Project) -> Iterator[Outcome]:
    """The DEP001 check (tensorflow-gpu-pin); see the rule's documentation above."""
    files = _dep_files(project)
    for stack in project.stacks:
        for spec in stack.named("tensorflow-gpu", manager="pip"):
            if spec.location.file in files:
                yield tensorflow_gpu_hit(spec)


@rule(
    "DEP002",
    "tensorflow-cpu-pin",
    "FRAMEWORK_CPU_BUILD",
    Severity.ERROR,
    RuleDoc(
        what=(
            "tensorflow-cpu (pip or conda), or a pip tensorflow release whose tensorflow package is CPU-only "
            "(before 1.15, the 1.15 patches from 1.15.2, and 2.0: their GPU build is tensorflow-gpu), both CPU-only builds."
        ),
        why="A CPU-only TensorFlow has no CUDA code at all: tf.config.list_physical_devices('GPU') is empty on any machine.",
        example="tensorflow-cpu==2.15.0",
        fix="tensorflow[and-cuda]==2.15.0",
        limits=(
            "tensorflow-cpu beside JAX or PyTorch in the same environment is not reported: TensorFlow then feeds data "
            "(tf.data, TFDS) while the other framework owns the GPU. A tensorflow-cpu for a CPU-side service is reported; "
            "suppress it with a reason. A pinned tensorflow release whose package is CPU-only is an error where the "
            "environment shows it is meant for a GPU (a GPU image, CUDA libraries from conda, pip or apt, tensorflow-gpu), "
            "a note (info) where nothing says so, and not reported where only Azure ML jobs on CPU compute use it."
        ),
        references=(
            REF_TF_PIP,
            "https://github.com/tensorflow/tensorflow/releases/tag/v2.1.0",
            "https://github.com/tensorflow/tensorflow/releases/tag/v1.15.0",
            "https://github.com/tensorflow/tensorflow/issues/36347",
        ),
    ),
)
def tensorflow_cpu_pin(project: Project) -> Iterator[Outcome]:
    """The DEP002 check (tensorflow-cpu-pin); see the rule's documentation above."""
    for stack in project.stacks:
        owner = _gpu_owner(stack)
        for spec in stack.packages:
            if owner is not None and spec.name in ("tensorflow-cpu", "tf-nightly-cpu"):
                continue  # TensorFlow for input pipelines beside the framework that owns the GPU
            if spec.manager in ("pip", "conda") and spec.name in ("tensorflow-cpu", "tf-nightly-cpu"):
                package = tensorflow_package(spec.name)
                version = tensorflow_install(spec).version
                pin = f"=={version}.*" if version and not spec.unpinned else ""
                has_extra = version is None or tensorflow_and_cuda_pins(str(version)) is not None
                extra = "[and-cuda]" if spec.manager == "pip" and has_extra else ""
                yield hit(
                    spec.location,
                    f"{spec.raw} is a CPU-only TensorFlow build",
                    evidence=[package.meaning if package else ""],
                    fix=f"Replace it with {'tensorflow' + extra + pin}" + ("" if spec.manager == "pip" else " (conda-forge: tensorflow-gpu)") + ".",
                )
            elif spec.manager == "pip" and spec.name == "tensorflow" and not spec.unpinned and not _cpu_jobs_only(project, stack):
                install = tensorflow_install(spec)
                if install.version is not None and install.pip_gpu is False:
                    since = tensorflow_pip_gpu_since()
                    gpu_sign = _gpu_sign(stack)
                    yield hit(
                        spec.location,
                        f"{spec.raw}: the tensorflow package of TensorFlow {install.version} is CPU-only (its GPU build is tensorflow-gpu)",
                        evidence=[gpu_sign or "nothing in this environment says it is meant for a GPU: a note, not an error"],
                        fix=f"For TensorFlow {install.version} install tensorflow-gpu=={install.version}.*"
                        + (f" (or move to tensorflow {since} or newer, where tensorflow itself has the GPU code)." if since else "."),
                        severity=Severity.ERROR if gpu_sign else Severity.INFO,
                    )


def _gpu_sign(stack: Stack) -> str | None:
    """What shows an environment is meant for a GPU (whygpu.lint.intent.environment_sign)."""
    return environment_sign(stack)


def _cpu_jobs_only(project: Project, stack: Stack) -> bool:
    """True when Azure ML jobs run in this environment and every one runs on CPU compute: a CPU TensorFlow is then what they need."""
    users = project.users_of(stack)
    return bool(users) and all(user.runs_on_cpu for user in users)


def _gpu_owner(stack: Stack) -> str | None:
    """JAX or PyTorch in the environment: the framework that owns the GPU when TensorFlow only feeds data."""
    cpu_index = any("/whl/cpu" in index.url for index in stack.indexes)
    cpu_marker = any((role := package_role(spec)) is not None and role[0] == "cpu-marker" for spec in stack.packages)
    for spec in stack.packages:
        role = package_role(spec)
        if role is None or role[0] != "gpu-framework":
            continue
        framework = role[2].get("framework")
        if framework == "torch" and (spec.local_tag == "cpu" or cpu_index or cpu_marker or "cpu" in (spec.url or "")):
            continue  # a CPU-only PyTorch owns nothing
        return str(framework)
    return None


def _conda_cuda(stack: Stack) -> list[tuple[PackageSpec, Version]]:
    found: list[tuple[PackageSpec, Version]] = []
    for spec in stack.packages:
        if spec.manager != "conda":
            continue
        role = package_role(spec)
        if role is not None and role[0] == "cuda" and role[1] is not None and spec.name != "pytorch-cuda":
            found.append((spec, role[1]))
    return found


def _sonames(cuda: Version) -> set[str]:
    return set(cuda_library_sonames(str(cuda)).get("cudart", []))


@rule(
    "DEP003",
    "cudatoolkit-mismatch",
    "CUDA_LIBS_MISMATCH",
    Severity.ERROR,
    RuleDoc(
        what="A conda cudatoolkit (or cuda-version, cuda-toolkit) whose CUDA does not provide the libraries the pinned pip TensorFlow was built against.",
        why=(
            "pip TensorFlow without [and-cuda] loads libcudart.so.<N> of its build's CUDA. A conda CUDA of another "
            "major (or, before CUDA 11, another minor) has other file names, so TensorFlow finds nothing and skips the GPU."
        ),
        example="dependencies:\n  - cudatoolkit=10.1\n  - pip:\n    - tensorflow==2.5.0",
        fix="dependencies:\n  - cudatoolkit=11.2\n  - cudnn=8.1\n  - pip:\n    - tensorflow==2.5.0",
        limits="Compared by the library file names (sonames) each release ships (knowledge.cuda_serves_build: CUDA 11.1 lacks the libcusolver.so.10 of a build for 11.0), else by the soname rule; an older CUDA minor of the same major is a warning, since minor-version compatibility usually holds.",
        references=(REF_TF_SOURCE, "https://docs.nvidia.com/deploy/cuda-compatibility/minor-version-compatibility.html"),
    ),
)
def cudatoolkit_mismatch(project: Project) -> Iterator[Outcome]:
    """The DEP003 check (cudatoolkit-mismatch); see the rule's documentation above."""
    for stack in project.stacks:
        toolkits = _conda_cuda(stack)
        if not toolkits:
            continue
        for tf in tensorflow_installs(stack):
            if not tf.needs_system_cuda or tf.cuda is None or tf.spec.exact_version() is None:
                continue
            for spec, cuda in toolkits:
                wanted, have = _sonames(tf.cuda), _sonames(cuda)
                if wanted and have and not cuda_serves_build(str(tf.cuda), str(cuda)):
                    if wanted != have:
                        names = f"({', '.join(sorted(have))}), but {tf.spec.raw} was built for CUDA {tf.cuda} ({', '.join(sorted(wanted))})"
                    else:  # the same runtime soname; another library's differs (11.0's libcusolver.so.10 is not in 11.1)
                        names = f"without {', '.join(cuda_sonames_missing(str(tf.cuda), str(cuda)) or ())}, which {tf.spec.raw} (built for CUDA {tf.cuda}) loads"
                    yield hit(
                        spec.location,
                        f"{spec.raw} provides CUDA {cuda} {names}",
                        evidence=[tf.spec.location.evidence()],
                        fix=f"Pin the conda CUDA to {tf.cuda} (e.g. cudatoolkit={tf.cuda})"
                        + (f", or pin tensorflow=={other}.* (the newest that CUDA {cuda} serves)." if (other := tensorflow_for_cuda(str(cuda)))
                           else f"; no TensorFlow release's tested build is served by CUDA {cuda}."),
                    )
                elif cuda.major == tf.cuda.major and cuda < tf.cuda:
                    yield hit(
                        spec.location,
                        f"{spec.raw} is CUDA {cuda}, older than the CUDA {tf.cuda} that {tf.spec.raw} was built with",
                        evidence=[tf.spec.location.evidence()],
                        severity=Severity.WARNING,
                        confidence=Confidence.MEDIUM,
                        fix=f"Pin the conda CUDA to {tf.cuda} or newer within CUDA {tf.cuda.major}.",
                    )


@rule(
    "DEP004",
    "cudnn-mismatch",
    "CUDNN_MISMATCH",
    Severity.ERROR,
    RuleDoc(
        what="A conda cudnn pin whose major differs from, or whose minor is older than, the cuDNN the pinned pip TensorFlow was built with.",
        why=(
            "TensorFlow loads libcudnn.so.<major> and refuses an older minor at start-up ('Loaded runtime CuDNN "
            "library: 8.0.5 but source was compiled with: 8.1.0'), then runs without the GPU."
        ),
        example="dependencies:\n  - cudatoolkit=11.2\n  - cudnn=8.0\n  - pip:\n    - tensorflow==2.6.0",
        fix="dependencies:\n  - cudatoolkit=11.2\n  - cudnn=8.1\n  - pip:\n    - tensorflow==2.6.0",
        limits="Only conda cudnn pins with a version are judged; apt and pip cuDNN are not compared.",
        references=(REF_TF_SOURCE, "https://github.com/openxla/xla/blob/main/xla/stream_executor/cuda/cuda_dnn.cc"),
    ),
)
def cudnn_mismatch(project: Project) -> Iterator[Outcome]:
    """The DEP004 check (cudnn-mismatch); see the rule's documentation above."""
    for stack in project.stacks:
        cudnns = [s for s in stack.packages if s.manager == "conda" and s.name == "cudnn" and s.exact_version() is not None]
        if not cudnns:
            continue
        for tf in tensorflow_installs(stack):
            if not tf.needs_system_cuda or not tf.cudnn or tf.spec.exact_version() is None:
                continue
            built = Version(tf.cudnn)
            for spec in cudnns:
                have = spec.exact_version()
                assert have is not None
                if cudnn_satisfies(str(built), str(have)) is not False:
                    continue
                if have.major != built.major:
                    reason = f"cuDNN {have.major}, not the cuDNN {built.major} that {tf.spec.raw} loads"
                else:
                    reason = f"older than the cuDNN {built} that {tf.spec.raw} was compiled with"
                yield hit(
                    spec.location,
                    f"{spec.raw} is {reason}",
                    evidence=[tf.spec.location.evidence()],
                    fix=f"Pin cudnn={built} (or a newer {built.major}.x).",
                )


@rule(
    "DEP005",
    "pip-conda-cuda-mixed",
    "FRAMEWORK_INSTALL_BROKEN",
    Severity.WARNING,
    RuleDoc(
        what="CUDA libraries from conda (cudatoolkit, cuda-*, cudnn) and from pip (nvidia-* wheels, tensorflow[and-cuda], jax[cudaNN]) in one environment.",
        why=(
            "Two copies of CUDA and cuDNN, often of different versions: which one a framework loads depends on "
            "LD_LIBRARY_PATH, RPATH and activation scripts, and a mix ends in missing symbols or version errors."
        ),
        example="dependencies:\n  - cudatoolkit=11.8\n  - pip:\n    - tensorflow[and-cuda]==2.15.0",
        fix="dependencies:\n  - python=3.11\n  - pip:\n    - tensorflow[and-cuda]==2.15.0   # CUDA only from pip",
        limits="torch's own nvidia-* dependencies are not counted, since torch loads them by RPATH.",
        references=(REF_TF_PIP, "https://docs.jax.dev/en/latest/installation.html#nvidia-gpu"),
    ),
)
def pip_conda_cuda_mixed(project: Project) -> Iterator[Outcome]:
    """The DEP005 check (pip-conda-cuda-mixed); see the rule's documentation above."""
    for stack in project.stacks:
        conda = [s for s in stack.packages if s.manager == "conda" and (role := package_role(s)) is not None and role[0] in ("cuda", "cudnn")]
        if not conda:
            continue
        pip_sources = [s for s in stack.packages if s.manager == "pip" and (role := package_role(s)) is not None and role[0] in ("cuda", "cudnn")]
        if any(s.manager == "pip" and s.name == "torch" for s in stack.packages):
            # ``conda env export`` lists pip torch's own nvidia-* dependencies; torch loads them by RPATH.
            pip_sources = [s for s in pip_sources if not s.name.startswith("nvidia-")]
        pip_sources += [t.spec for t in tensorflow_installs(stack) if t.and_cuda]
        pip_sources += [j.spec for j in jax_installs(stack) if j.bundled]
        for spec in pip_sources:
            yield hit(
                spec.location,
                f"{spec.raw} brings CUDA libraries from pip while conda also installs {conda[0].raw}",
                evidence=[conda[0].location.evidence()],
                fix=f"Take CUDA from one place: drop {', '.join(sorted({c.raw for c in conda}))} from the conda list (pip's wheels are enough), or drop the pip CUDA wheels.",
            )


@rule(
    "DEP006",
    "python-without-gpu-wheel",
    "FRAMEWORK_INSTALL_BROKEN",
    Severity.ERROR,
    RuleDoc(
        what="A pinned TensorFlow or PyTorch release with no wheel for the environment's Python (conda python=, a python:X image, requires-python).",
        why="pip finds no wheel for that Python: the install fails, or a resolver falls back to another build or version than the one pinned.",
        example="dependencies:\n  - python=3.12\n  - pip:\n    - tensorflow==2.15.0   # wheels for 3.9-3.11",
        fix="dependencies:\n  - python=3.11\n  - pip:\n    - tensorflow==2.15.0",
        limits="Unpinned frameworks are not judged: pip then picks the newest release that has a wheel for the Python.",
        references=(REF_TF_SOURCE, "https://github.com/pytorch/pytorch/blob/main/RELEASE.md#release-compatibility-matrix"),
    ),
)
def python_without_gpu_wheel(project: Project) -> Iterator[Outcome]:
    """The DEP006 check (python-without-gpu-wheel); see the rule's documentation above."""
    for stack in project.stacks:
        if stack.python is None:
            continue
        python, where = stack.python
        floor = where.file.endswith("pyproject.toml")
        for tf in tensorflow_installs(stack):
            if tf.spec.exact_version() is None or tf.python_range is None:
                continue
            supported = python_supported(tf, python)
            too_new = Version(tf.python_range[1]) < python
            if supported is False and (not floor or too_new):
                yield hit(
                    tf.spec.location,
                    f"{tf.spec.raw} has wheels for Python {tf.python_range[0]}-{tf.python_range[1]}, not Python {python}",
                    evidence=[where.evidence()],
                    fix=f"Use Python {tf.python_range[1]} for TensorFlow {tf.version}, or pin a TensorFlow release that supports Python {python}.",
                )
        for spec in stack.packages:
            if spec.manager != "pip" or spec.name != "torch":
                continue
            # accunify (session 26): whether pip finds a wheel is knowledge.torch.torch_python_support's answer ("none"), the
            # one decision explain asks too; a Python the matrix calls experimental has wheels (2.2.0 on 3.12) and installs.
            fit = torch_python_fit(spec, python)
            if fit is None or fit.support != "none":
                continue
            low, high = fit.wheels
            if not floor or Version(high) < python:
                yield hit(
                    spec.location,
                    f"{spec.raw}: torch {fit.version} has wheels for Python {low}-{high}, not Python {python}",
                    evidence=[where.evidence()],
                    fix=f"Use Python {fit.supported_max} for torch {fit.version}, or pin a torch release that supports Python {python}.",
                )


@rule(
    "DEP007",
    "torch-cpu-pin",
    "FRAMEWORK_CPU_BUILD",
    Severity.ERROR,
    RuleDoc(
        what="A torch +cpu pin, PyTorch's CPU index (--index-url/--extra-index-url, a uv index), or conda cpuonly/pytorch-cpu in a dependency file.",
        why="These select the CPU-only PyTorch build: torch.version.cuda is None and torch.cuda.is_available() is False on any machine.",
        example="--extra-index-url https://download.pytorch.org/whl/cpu\ntorch==2.3.1",
        fix="--extra-index-url https://download.pytorch.org/whl/cu121\ntorch==2.3.1",
        limits=(
            "A CPU index configured outside the project (pip.conf, PIP_INDEX_URL) is not seen. An explicit CPU build is an "
            "error where the environment shows it is meant for a GPU (a GPU image, CUDA libraries from conda, pip or apt, "
            "tensorflow-gpu), a note (info) where nothing says so, and not reported where only Azure ML jobs on CPU compute use it. "
            "Beside a CUDA JAX in the same environment (jax[cuda12], a jax-cudaNN plugin, a CUDA jaxlib) it is a note: JAX owns "
            "the GPU and PyTorch feeds data, so a PyTorch script there that wants CUDA is not judged. Where the only GPU sign is "
            "another framework's GPU image (an NGC TensorFlow container) and no script the environment is for asks for CUDA, "
            "the GPU is that framework's: not an error."
        ),
        references=(
            "https://pytorch.org/get-started/locally/",
            "https://docs.astral.sh/uv/guides/integration/pytorch/",
            "https://docs.jax.dev/en/latest/notebooks/Neural_Network_and_Data_Loading.html",
        ),
    ),
)
def torch_cpu_pin(project: Project) -> Iterator[Outcome]:
    """The DEP007 check (torch-cpu-pin); see the rule's documentation above."""
    files = _dep_files(project)
    for stack in project.stacks:
        packages = [p for p in stack.packages if p.location.file in files]
        torch_specs = [p for p in packages if p.name in TORCH_FAMILY]
        indexes = [i for i in stack.indexes if i.location.file in files]
        if not torch_specs:
            continue
        intent = torch_build_intent(project, stack, at=torch_specs[0].location, home=PurePosixPath(torch_specs[0].location.file).parent)
        if intent.evidence == CPU_JOBS_ONLY:
            continue  # only Azure ML jobs on CPU compute that need no GPU use this environment: a CPU build is what they need
        sign = intent.evidence if intent.gpu else None
        jax = jax_cuda_install(stack)
        if jax is not None:
            # JAX with CUDA owns the GPU here; a CPU PyTorch beside it feeds data (datasets, DataLoader), as in
            # JAX's own tutorial on PyTorch data loading. The CUDA libraries in the environment are JAX's.
            sign = None
        # An explicit CPU build is a chosen one: an error where the environment is meant for a GPU, a note elsewhere
        # (a CPU serving or training environment may say so only in files lint does not read).
        for outcome in torch_cpu_hits(torch_specs, packages, indexes):
            if isinstance(outcome, Hit):
                note = sign or (
                    f"{jax} puts JAX on the GPU in this environment; a CPU PyTorch beside it only feeds data: a note, not an error"
                    if jax is not None
                    else f"{intent.evidence}: a note, not an error"
                )
                outcome = replace(outcome, evidence=(*outcome.evidence, note), severity=None if sign else Severity.INFO)
            yield outcome


@rule(
    "DEP008",
    "jax-without-cuda",
    "FRAMEWORK_CPU_BUILD",
    Severity.ERROR,
    RuleDoc(
        what="jax installed from pip without a CUDA extra (jax[cuda12], jax[cuda13]) and without a jax-cudaNN plugin.",
        why="Plain jax installs the CPU jaxlib; on a GPU machine JAX warns 'a CUDA-enabled jaxlib is not installed. Falling back to cpu.'",
        example="jax==0.4.30",
        fix='jax[cuda12]==0.4.30',
        limits=(
            "jax[tpu] is not reported (it is meant for TPUs), nor jax in pyproject.toml (package metadata: the installer "
            "chooses jax[cuda12]), nor when another file of the project installs the CUDA jaxlib (a Dockerfile that installs "
            "the requirements and then jaxlib+cuda)."
        ),
        references=("https://docs.jax.dev/en/latest/installation.html#nvidia-gpu",),
    ),
)
def jax_without_cuda(project: Project) -> Iterator[Outcome]:
    """The DEP008 check (jax-without-cuda); see the rule's documentation above."""
    completed = _jax_cuda_elsewhere(project)
    for stack in project.stacks:
        if jax_has_cuda_plugin(stack.packages):
            continue
        for jax in jax_installs(stack):
            if jax.tpu:
                continue  # meant for TPUs
            # accunify (session 26): whether this pip install gets the CPU jaxlib is the knowledge layer's one decision
            # (knowledge/cpu_packages.toml [[plain_install]]), the one explain's LOG291 asks.
            build = plain_install_cpu_build(jax.spec.name, "pip", extras=",".join(sorted(jax.spec.extras)), spec=jax.spec.specifier)
            if build is None or build.cpu is not True:
                continue
            if jax.spec.location.file.endswith("pyproject.toml"):
                continue  # package metadata: a library names jax and leaves the CUDA plugin to the installer
            if completed is not None:
                continue  # another install in the project adds the CUDA jaxlib (a Dockerfile after pip install -r)
            version = jax.spec.exact_version()
            requirements = jax_cuda_requirements(str(version)) if version else None
            extra = requirements.variants[0].extra if requirements and requirements.variants else "cuda12"
            pin = str(jax.spec.specifier_set()) if not jax.spec.unpinned else ""
            yield hit(
                jax.spec.location,
                f"{jax.spec.raw} installs the CPU-only jaxlib",
                evidence=[requirements.cpu_only_meaning] if requirements else [],
                fix=f"Install jax[{extra}]{pin}.",
            )


def _jax_cuda_elsewhere(project: Project) -> PackageSpec | None:
    """A CUDA jaxlib anywhere in the project: jax[cudaNN], a jax-cudaNN plugin, or a jaxlib wheel tagged +cuda."""
    for stack in project.stacks:
        for spec in stack.packages:
            tag = (spec.local_tag or "").lower()
            if spec.name == "jaxlib" and "cuda" in tag:
                return spec
            if jax_plugin(spec.name) is not None or (spec.name == "jax" and any(e.lower().startswith("cuda") for e in spec.extras)):
                return spec
    return None


def _fixed_cuda(stack: Stack) -> CudaSource | None:
    """The CUDA the environment pins: the image's, else a conda or apt toolkit with a version."""
    sources = [s for s in stack.cuda_sources() if s.version is not None and s.how in ("image", "conda", "apt", "runfile")]
    for how in ("image", "conda", "apt", "runfile"):
        for source in sources:
            if source.how == how:
                return source
    return None


@rule(
    "DEP009",
    "unpinned-framework-newer-cuda",
    "CUDA_LIBS_MISMATCH",
    Severity.ERROR,
    RuleDoc(
        what="An unpinned (or open-ended) TensorFlow or jax -local whose newest release needs a newer CUDA major than the image or conda environment has.",
        why=(
            "pip installs the newest release. Its build wants libcudart of a newer CUDA major than the one in the "
            "image, so the framework finds no matching CUDA and uses the CPU, from the day a new release comes out."
        ),
        example="FROM nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04\nRUN pip install tensorflow",
        fix="FROM nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04\nRUN pip install 'tensorflow==2.14.*'   # the last release built for CUDA 11",
        limits=(
            "The newest release is the newest in whygpu's knowledge base with wheels for the environment's Python (a python:3.X"
            " image, a conda python pin, or the distribution's python3 that a Dockerfile on an Ubuntu or Debian image installs"
            " with apt: Ubuntu 20.04's is 3.8, where TensorFlow stops at 2.13); a newer one may exist. A release built for a"
            " newer minor of the same CUDA major is not reported (it loads the major's libraries)."
            " Gated by GPU intent for the framework (whygpu.lint.intent): an error where the environment states a GPU and the project's code imports the framework (or asks for its GPU build), a note where nothing says or the framework only comes in for a tool, a note where the CPU is chosen on purpose."
        ),
        references=(REF_TF_SOURCE, "https://docs.jax.dev/en/latest/installation.html#nvidia-gpu"),
    ),
)
def unpinned_framework_newer_cuda(project: Project) -> Iterator[Outcome]:
    """The DEP009 check (unpinned-framework-newer-cuda); see the rule's documentation above."""
    for stack in project.stacks:
        fixed = _fixed_cuda(stack)
        if fixed is None or fixed.major is None:
            continue
        for tf in tensorflow_installs(stack):
            if not tf.needs_system_cuda or tf.cuda is None or tf.spec.exact_version() is not None:
                continue
            if tf.cuda.major <= fixed.major:
                continue
            have = str(fixed.version if fixed.version is not None else fixed.major)
            newest = tensorflow_for_cuda(have)
            found = hit(
                tf.spec.location,
                f"{tf.label()} needs CUDA {tf.cuda}, but the environment has CUDA {fixed.version}",
                evidence=[fixed.location.evidence()],
                fix=(f"Pin tensorflow=={newest}.* (the newest that CUDA {have} serves), " if newest else "Pin a TensorFlow release built for this CUDA, ")
                + "or move the environment to the newer CUDA.",
            )
            yield gate(found, framework_intent(project, stack, tf.spec), Severity.ERROR)
        for jax in jax_installs(stack):
            if not jax.local or jax.cuda_major is None or jax.cuda_major <= fixed.major:
                continue
            yield hit(
                jax.spec.location,
                f"{jax.spec.raw} uses the system's CUDA {jax.cuda_major}, but the environment has CUDA {fixed.version}",
                evidence=[fixed.location.evidence()],
                fix=f"Install jax[cuda{jax.cuda_major}] (CUDA from pip wheels) or move the environment to CUDA {jax.cuda_major}.",
            )


@rule(
    "DEP010",
    "local-version-without-index",
    "FRAMEWORK_INSTALL_BROKEN",
    Severity.ERROR,
    RuleDoc(
        what="A pip pin with a local version (torch==1.10.0+cu102, torchvision==0.11.0+cpu) in an environment, with no index or find-links anywhere in the repository that pip could take it from.",
        why=(
            "PyPI accepts no version with a local label: a +cu102 or +cpu build is only on the framework's own index. "
            "Without --index-url, --extra-index-url or -f pip answers 'No matching distribution found' and the "
            "environment is never built."
        ),
        example="# requirements.txt\ntorch==1.10.0+cu102\ntorchvision==0.11.0+cu102",
        fix="# requirements.txt\n-f https://download.pytorch.org/whl/torch_stable.html\ntorch==1.10.0+cu102\ntorchvision==0.11.0+cu102",
        limits=(
            "Any index or find-links named in any file of the repository (a requirements line, a pip command in a Dockerfile, "
            "script, README or CI file, PIP_INDEX_URL/PIP_FIND_LINKS, a pip.conf, a uv or Poetry index) keeps it quiet, "
            "wherever it is: lint does not follow which command reads which file. An index configured only on the machine "
            "(a global pip.conf) is not seen."
        ),
        references=("https://packaging.python.org/en/latest/specifications/version-specifiers/#local-version-identifiers", "https://pytorch.org/get-started/previous-versions/"),
    ),
)
def local_version_without_index(project: Project) -> Iterator[Outcome]:
    """The DEP010 check (local-version-without-index); see the rule's documentation above."""
    seen: set[tuple[str, int]] = set()
    for stack in project.stacks:
        if stack.indexes:
            continue
        for spec in stack.packages:
            version = spec.exact_version()
            local = _local_label(spec)
            if spec.manager != "pip" or spec.url is not None or version is None or local is None:
                continue
            key = (spec.location.file, spec.location.line)
            if key in seen or index_named(project) is not None:
                continue
            seen.add(key)
            variant = local if spec.name in TORCH_FAMILY and (local == "cpu" or local.startswith("cu")) else None
            fix = (f"Give pip PyTorch's index: --extra-index-url {torch_index_url(variant if variant != 'cpu' else None)} "
                   "(or -f https://download.pytorch.org/whl/torch_stable.html for old releases) on the line above, or drop the +" + local
                   if variant else f"Give pip the index that publishes {spec.name} {version}+{local} (--extra-index-url or -f), or drop the +{local}")
            yield hit(
                spec.location,
                f"{spec.raw}: a local version (+{local}) is never on PyPI, and nothing in the repository gives pip another index",
                evidence=[f"{stack.name}: no --index-url, --extra-index-url or -f for this install, and no file of the repository names one"],
                fix=fix + ".",
            )


def _local_label(spec: PackageSpec) -> str | None:
    """The local label of an ``==X+label`` pin (``cu102``, ``cpu``), or None."""
    for clause in spec.specifier_set():
        if clause.operator in ("==", "===") and "+" in clause.version:
            return clause.version.split("+", 1)[1].lower()
    return None


RULES = [
    tensorflow_gpu_pin,
    tensorflow_cpu_pin,
    cudatoolkit_mismatch,
    cudnn_mismatch,
    pip_conda_cuda_mixed,
    python_without_gpu_wheel,
    torch_cpu_pin,
    jax_without_cuda,
    unpinned_framework_newer_cuda,
    local_version_without_index,
]
