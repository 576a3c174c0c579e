"""The log rules that read what conda installed and what its solver said about the driver (accconda, session 36).

The facts are ``explain.condasolve``'s (conda's rows with their build strings and channels, the solver's words on __cuda,
`conda info`'s virtual packages, the writer's words); the build string's verdict is ``knowledge.cuda_build.conda_build``'s
(each channel's convention), and what a situation means is ``knowledge.conda_solver``'s. Each rule speaks for one situation:
LOG670 a CPU build installed beside the CUDA pin the command asked for, LOG671 the solver's "__cuda is missing", LOG672 a
CPU build where conda listed no __cuda, LOG673 a transaction that replaced a CUDA build with a CPU one, LOG674 the writer's
words that conda installed the CPU build.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu.explain.judge import LogSubject, decided_hits
from whygpu.explain.logfacts import LogFacts, Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.conda_solver import no_driver_situation, solver_situation
from whygpu.knowledge.cuda_build import CondaBuild, conda_build
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Decides, Outcome, Rule, RuleDoc, rule

_CONDA_VIRTUAL = "https://docs.conda.io/projects/conda/en/latest/user-guide/tasks/manage-virtual.html"
_CF_CUDA = "https://conda-forge.org/docs/user/tipsandtricks/#installing-cuda-enabled-packages-like-tensorflow-and-pytorch"
_PYTORCH_FILES = "https://anaconda.org/pytorch/pytorch/files"
# The selectors that name a variant for the whole channel, read after the framework's own package.
_SELECTORS = frozenset({"pytorch-mutex", "_pytorch_select", "_tflow_select"})
_PINS = {"pytorch-cuda": "torch", "cudatoolkit": None, "cuda-version": None, "tensorflow-gpu": "tensorflow"}


def _builds(facts: LogFacts) -> list[tuple[Seen[Any], CondaBuild]]:
    """Each conda row whose build string names a variant, the framework's own packages before the channel's selectors."""
    rows = [(seen, decided) for seen in facts.conda_row if (decided := conda_build(seen.value.package, seen.value.build)) is not None]
    return sorted(rows, key=lambda pair: pair[0].value.package in _SELECTORS)


def _cpu_only(facts: LogFacts) -> tuple[Seen[Any], CondaBuild] | None:
    """The first CPU build row of a framework no row shows a CUDA build of; None where every framework shown has one."""
    builds = _builds(facts)
    cuda = {decided.framework for _, decided in builds if decided.cuda}
    return next(((seen, decided) for seen, decided in builds if not decided.cuda and decided.framework not in cuda), None)


def _pin(facts: LogFacts, framework: str) -> Seen[Any] | None:
    """A CUDA pin of ``framework`` the log shows: a pin package installed beside it (pytorch-cuda, cudatoolkit, cuda-version,
    the tensorflow-gpu metapackage), or a conda command's pin (explain.buildcuda's conda forms)."""
    for seen in facts.conda_row:
        of = _PINS.get(seen.value.package, "")
        if seen.value.package in _PINS and of in (None, framework) and conda_build(seen.value.package, seen.value.build) is None:
            return seen
    for said in facts.build_cuda_said:
        words = said.value.words.lower()
        if said.value.form in ("conda", "torch") and words.startswith(("pytorch-cuda", "cudatoolkit", "cuda-version")) \
                and (framework == "torch" or not words.startswith("pytorch-cuda")):
            return said
    return None


# Counted over the labelled logs at session 36: see docs/explain-accuracy.md, Session 36 (accconda).
@rule(
    "LOG670", "log-conda-cpu-build-beside-cuda-pin", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Reads the framework's installed conda package with a CPU build string ('pytorch 2.1.0 py3.10_cpu_0 pytorch', conda-forge's 'cpu_generic_py311h...', TensorFlow's 'mkl_py39h...', jaxlib's 'cpu_py311h...' in `conda list`, conda's plan or download table, mamba's transaction table) where the log also shows the CUDA pin the command asked for (a pytorch-cuda, cudatoolkit or cuda-version package beside it, or the pin in a conda command), and no CUDA build of that framework. The build string decides: knowledge.cuda_build.conda_build by each channel's convention (cuda_build.toml [[conda_build]]).",
        why="pytorch-cuda and cudatoolkit are packages of their own: the solver installs them and still picks the CPU build of the framework where no CUDA build fits the other pins (a release, a Python, cpuonly or another channel's package), so the pin is what was asked and the build string is what was installed (FRAMEWORK_CPU_BUILD).",
        example="pytorch-2.0.0.dev20221216  |      py3.8_cpu_0        84.2 MB  pytorch-nightly\npytorch-cuda-11.6          |       h867d48c_1           3 KB  pytorch-nightly\n(https://github.com/pytorch/pytorch/issues/91009)",
        fix="Ask for the CUDA build by its build string, so that the solve fails instead of falling back (conda install pytorch=*=*cuda* pytorch-cuda=12.1 -c pytorch -c nvidia), removing cpuonly if it is there.",
        limits="Quiet where any row shows a CUDA build of the same framework (two environments or a mixed listing), where the GPU was used, and for packages whose build string names no variant (a metapackage's h7e8668a_5). Rows of a `conda search` listing and a REMOVED section are not read.",
        references=(_PYTORCH_FILES, _CF_CUDA),
    ),
)
def conda_cpu_build_beside_pin(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    found = _cpu_only(facts)
    if found is None or subject.gpu_in_use:
        return
    seen, decided = found
    pin = _pin(facts, decided.framework)
    situation = solver_situation("cpu_build_beside_pin")
    if pin is None or situation is None:
        return
    row = seen.value
    yield from decided_hits(situation, f"conda installed the CPU build of {row.package} ({row.build}) beside the CUDA pin the command asked for",
                            _ev(seen, pin), Confidence.HIGH, fix=situation.fix, scope=decided.framework)


@rule(
    "LOG671", "log-conda-solver-saw-no-driver", "DRIVER_MISSING", Severity.ERROR,
    RuleDoc(
        what="Reads the solver's own words that the __cuda virtual package is missing ('nothing provides __cuda needed by tensorflow-2.7.0-cuda102py310hcf4adbc_0', libmamba's '__cuda =* *, which is missing on the system', conda's 'pytorch-cuda=11.8 -> __cuda' beside 'Your installed version is: not available') and where the solve ran: an image build (a Dockerfile's RUN of conda, a BuildKit step, the writer's 'build a docker image'), a machine the writer says has no GPU (a login node, a CPU platform), or neither. knowledge.conda_solver.no_driver_situation decides.",
        why="conda defines __cuda only where it loads an NVIDIA driver; conda-forge's CUDA builds require it. Without it the CUDA build cannot be installed: in an image build no GPU is visible (CONTAINER_NO_GPU), on a machine without a GPU there is none (NO_GPU), elsewhere conda found no driver (DRIVER_MISSING).",
        example="I am trying to install pytorch with CUDA supports on the login node of our cluster (without any GPUs) ... this tiny line `__cuda =* *, which is missing on the system;`\n(https://github.com/conda-forge/pytorch-cpu-feedstock/issues/364)",
        fix="Where the solve ran in an image build or on a machine without a GPU, set CONDA_OVERRIDE_CUDA to the CUDA version the target driver supports; elsewhere install the NVIDIA driver (nvidia-smi must list the GPU) and solve again.",
        limits="Quiet where the log shows a working driver on the same machine (nvidia-smi's table, a driver version): conda not loading a driver that is there (WSL's library path) is not decided here; and where the GPU was used.",
        references=(_CONDA_VIRTUAL, _CF_CUDA),
        causes=("DRIVER_MISSING", "CONTAINER_NO_GPU", "NO_GPU"),
    ),
    decides=Decides(over="signature", cause="any", by="first_line"),
)
def conda_solver_saw_no_driver(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.conda_no_cuda or subject.gpu_in_use:
        return
    where = {s.value: s for s in facts.conda_where}
    no_gpu = where.get("no_gpu") or next(iter(facts.stated_no_gpu), None) or next(iter(facts.cpu_machine), None)
    image = where.get("image_build")
    situation = no_driver_situation(image_build=image is not None, no_gpu_said=no_gpu is not None,
                                    driver_shown=bool(facts.driver_version) or bool(facts.driver_cuda))
    if situation is None:
        return
    beside = [s for s in (no_gpu if situation.cause == "NO_GPU" else image,) if s is not None]
    confidence = Confidence.HIGH if beside else Confidence.MEDIUM
    yield from decided_hits(situation, f"The conda solver found no NVIDIA driver (__cuda is missing): {situation.because}",
                            _ev(facts.conda_no_cuda[0], *beside), confidence, fix=situation.fix)


@rule(
    "LOG672", "log-conda-cpu-build-without-cuda-virtual-package", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Reads `conda info`'s (or pixi info's) virtual packages listed on Linux or Windows without __cuda, beside the framework's installed conda package with a CPU build string and no CUDA build of it.",
        why="conda offers the driver it detects to the solver as __cuda; conda-forge's CUDA builds of pytorch, tensorflow and jaxlib require it, so a solve without it resolves the framework to its CPU build (FRAMEWORK_CPU_BUILD): the listing shows why the CPU build was picked.",
        example="       virtual packages : __linux=5.4.0=0\n                          __glibc=2.31=0\n                          __unix=0=0\npytorch-1.11.0             |cpu_py37h14e09b7_1        49.7 MB  conda-forge\n(https://github.com/conda-forge/pytorch-cpu-feedstock/issues/102)",
        fix="Make the driver visible to conda (conda info must list __cuda) or set CONDA_OVERRIDE_CUDA, and ask for the CUDA build by its build string (conda install -c conda-forge pytorch=*=cuda*).",
        limits="Quiet where the listing holds __cuda (the solver saw the driver: another reason picked the CPU build), on macOS, where no CPU build row is shown, and where the GPU was used.",
        references=(_CONDA_VIRTUAL, _CF_CUDA),
    ),
)
def conda_cpu_build_without_cuda_virtual(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    found = _cpu_only(facts)
    if found is None or subject.gpu_in_use or not facts.conda_virtual or any(s.value for s in facts.conda_virtual):
        return
    situation = solver_situation("cpu_build_no_cuda_virtual")
    if situation is None:
        return
    seen, decided = found
    yield from decided_hits(situation, f"conda saw no NVIDIA driver (no __cuda) and installed the CPU build of {seen.value.package} ({seen.value.build})",
                            _ev(seen, facts.conda_virtual[0]), Confidence.HIGH, fix=situation.fix, scope=decided.framework)


@rule(
    "LOG673", "log-conda-cuda-build-replaced-by-cpu-build", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Reads a row of conda's transaction written 'old --> new' (the SUPERSEDED, UPDATED or DOWNGRADED sections of its plan) whose old build string is the framework's CUDA build and whose new one its CPU build ('pytorch::pytorch-2.0.1-py3.9_cuda11.8_cudnn8.7.0_0 --> conda-forge::pytorch-2.0.1-cpu_py39h...').",
        why="A higher-priority channel's package, or an update or downgrade to a release without a fitting CUDA build, replaces the CUDA build with the CPU one in the same environment that used to work (FRAMEWORK_CPU_BUILD).",
        example="The following packages will be SUPERSEDED by a higher-priority channel:\n  pytorch            pytorch::pytorch-1.7.1-py3.8_cuda10.2~ --> pkgs/main::pytorch-1.7.1-cpu_py38h6a09485_0\n(https://github.com/ContinuumIO/anaconda-issues/issues/12302)",
        fix="Install the CUDA build back from its channel and keep it (conda install pytorch::pytorch=*=*cuda*, or conda-forge's pytorch=*=cuda*), with that channel first or channel_priority strict.",
        limits="Reads conda's plan written with '-->' only (mamba's Change and Downgrade sections print the old and new rows apart, and are read as installed rows by LOG670 and LOG672); quiet where the GPU was used.",
        references=("https://docs.conda.io/projects/conda/en/latest/user-guide/concepts/channels.html", _PYTORCH_FILES),
    ),
)
def conda_cuda_build_replaced(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if subject.gpu_in_use:
        return
    for seen in facts.conda_row:
        row = seen.value
        if not row.replaces:
            continue
        old, new = conda_build(row.package, row.replaces), conda_build(row.package, row.build)
        if old is None or new is None or not old.cuda or new.cuda:
            continue
        situation = solver_situation("cuda_build_replaced")
        if situation is None:
            return
        channel = f" from {row.channel}" if row.channel else ""
        yield from decided_hits(situation, f"conda replaced the CUDA build of {row.package} ({row.replaces}) with its CPU build{channel} ({row.build})",
                                _ev(seen), Confidence.HIGH, fix=situation.fix, scope=new.framework)
        return


@rule(
    "LOG674", "log-conda-cpu-build-said", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Reads the writer's words that conda, mamba or an environment file installed, picked or fell back to the CPU build ('This command installs cpu version instead of cuda', 'conda will fallback on cpu builds', 'conda defaults to installing pytorch in CPU mode') where no conda row shows a CUDA build.",
        why="Without a CUDA build string in the request, or a driver conda sees (__cuda), the solver can pick the framework's CPU variant: the writer's words name the layer that chose it (FRAMEWORK_CPU_BUILD).",
        example="In current environment.yml conda not install cuda related package, that lead pytorch choose cpu version instead cuda version.\n(https://github.com/hpcaitech/FastFold/pull/27)",
        fix="Ask for the CUDA build by its build string (conda install pytorch=*=*cuda* pytorch-cuda=12.1 -c pytorch -c nvidia; conda-forge: pytorch=*=cuda*, jaxlib=*=*cuda*, tensorflow=*=cuda*).",
        limits="Quiet where a conda row shows a CUDA build, where the GPU was used, and where another reading blocks the GPU first.",
        references=(_CF_CUDA, _PYTORCH_FILES),
    ),
)
def conda_cpu_build_said(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.conda_cpu_said or subject.gpu_in_use or any(decided.cuda for _, decided in _builds(facts)):
        return
    situation = solver_situation("cpu_build_said")
    if situation is None:
        return
    yield from decided_hits(situation, "The writer says conda installed the framework's CPU build", _ev(facts.conda_cpu_said[0]), Confidence.MEDIUM,
                            fix=situation.fix)


CONDASOLVE_RULES: list[Rule[LogSubject]] = [conda_cpu_build_beside_pin, conda_solver_saw_no_driver, conda_cpu_build_without_cuda_virtual,
                                            conda_cuda_build_replaced, conda_cpu_build_said]
