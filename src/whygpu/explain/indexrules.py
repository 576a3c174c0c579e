"""The log rules that judge where pip/uv was told to look for the framework (accindex, session 38).

The facts are ``explain.indexcfg``'s (each index named in a role: main, extra, find-links, a uv backend); what an index
gives and which build pip takes between two is ``knowledge.package_index``'s (``index_build``, ``backend_build``,
``pip_takes_cpu``). LOG750 speaks for a CPU index that wins over the other index pip was given, LOG751 for uv told to use
the CPU backend. Neither speaks in a log that shows the GPU in use or a CUDA build of torch.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

_PIP_FINDING = "https://pip.pypa.io/en/stable/cli/pip_install/#finding-packages"
_PEP440_LOCAL = "https://peps.python.org/pep-0440/#local-version-identifiers"
_PEP440_PRE = "https://peps.python.org/pep-0440/#pre-releases"
_TORCH_LOCALLY = "https://pytorch.org/get-started/locally/"
_UV_TORCH = "https://docs.astral.sh/uv/guides/integration/pytorch/#automatic-backend-selection"


def _torch_cuda_shown(subject: LogSubject) -> bool:
    """A CUDA build of torch shown in the log (a +cuNNN version, a CUDA build reading) or the GPU in use: a CPU index named
    beside it did not decide what runs."""
    facts = subject.facts
    if subject.gpu_in_use or any(s.value is True for s in facts.cuda_build.get("torch", [])):
        return True
    return any("+cu" in s.value for s in facts.torch_printed)


def _torch_indexes(subject: LogSubject) -> list[Seen[Any]]:
    return [s for s in subject.facts.package_index if s.value.role != "backend" and (s.value.build is None or s.value.build.framework == "torch")]


@rule(
    "LOG750", "log-cpu-index-wins", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Reads the indexes pip was given (install commands' --index-url/--extra-index-url/-f, pip's 'Looking in indexes:' line, PIP_INDEX_URL/PIP_EXTRA_INDEX_URL in a Dockerfile or CI, pip.conf/pyproject keys) and finds a PyTorch CPU index (download.pytorch.org/whl/cpu or a mirror's .../whl/cpu/) given as an extra index beside PyPI, or beside a CUDA index that holds only pre-releases (nightly, test), where pip takes the CPU build (knowledge/package_index.toml, knowledge.package_index.pip_takes_cpu).",
        why="pip gives its indexes no order: it takes the highest version any of them offers. A release with a local label ('2.5.1+cpu') sorts above the same release without one (PyPI's), and a final release ('2.12.0+cpu') above a pre-release ('2.12.0.dev20260501+cu130'), so the CPU wheel is installed on a GPU machine.",
        example="PIP_EXTRA_INDEX_URL=http://pypi-cache-cpu.pypi-cache.svc.cluster.local:8080/whl/cpu/\npip install torch --index-url https://download.pytorch.org/whl/nightly/cu130\n(https://github.com/pytorch/ci-infra/issues/661)",
        fix="Give pip the CUDA index alone for torch: clear the CPU extra index for this install (PIP_EXTRA_INDEX_URL= pip install ..., or remove --extra-index-url .../whl/cpu) and pin the CUDA build (torch==X.Y.Z+cu126 --index-url https://download.pytorch.org/whl/cu126); check torch.version.cuda afterwards.",
        limits="Two final releases from a CPU and a CUDA index are ranked by their numbers first and are not judged; a CPU index given as the only index is the CPU-index reading's (torch_cpu_index); a log that shows a CUDA build of torch or the GPU in use keeps it quiet.",
        references=(_PIP_FINDING, _PEP440_LOCAL, _PEP440_PRE, "https://github.com/pytorch/ci-infra/issues/661", "https://github.com/pytorch/pytorch/issues/26340"),
    ),
)
def cpu_index_wins(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.knowledge.package_index import pip_takes_cpu

    if _torch_cuda_shown(subject):
        return
    indexes = _torch_indexes(subject)
    cpu = [s for s in indexes if s.value.build is not None and s.value.build.kind == "cpu" and s.value.role in ("extra", "links")]
    if not cpu:
        return
    cuda = [s for s in indexes if s.value.build is not None and s.value.build.kind == "cuda"]
    seen_cpu = cpu[0]
    if cuda:
        pre = [s for s in cuda if pip_takes_cpu(seen_cpu.value.build, s.value.build)]
        if not pre or len(pre) != len(cuda):
            return  # a final CUDA release beside it (or a README's table of commands): not decided
        other: Seen[Any] | None = pre[0]
        why = (f"pip takes the highest version of the two indexes: the CPU index's final release ranks above the {pre[0].value.build.tag} "
               "index's pre-release (PEP 440), so the CPU build is installed")
    else:
        if not subject.facts.gpu_unused() and not any(s.value.endswith("+cpu") for s in subject.facts.torch_printed):
            return  # a CPU CI or a deliberate CPU install: the GPU is not said to be wanted
        if not pip_takes_cpu(seen_cpu.value.build, None):
            return
        other = None
        why = "pip takes the highest version of all its indexes, and '+cpu' sorts above the same release on PyPI (PEP 440), so the CPU build is installed"
    printed = [s for s in subject.facts.torch_printed if s.value.endswith("+cpu")][:1]
    yield Hit(
        title=f"A PyTorch CPU index is given as an extra index ({seen_cpu.value.url}): {why}",
        evidence=_ev(seen_cpu, *([other] if other else []), *printed, *subject.facts.gpu_unused()[:1]),
        fix=("Install torch from the CUDA index alone: clear the CPU extra index for this install (PIP_EXTRA_INDEX_URL= pip install ..., "
             "or drop --extra-index-url .../whl/cpu) and pin the CUDA build, e.g. pip install --force-reinstall torch==X.Y.Z+cu126 "
             "--index-url https://download.pytorch.org/whl/cu126 (the variant your driver supports); torch.version.cuda must then print a CUDA version."),
        confidence=Confidence.MEDIUM,
        scope="torch",
        blocks_gpu=True,
        extra={"read_from": "index configuration (explain.indexcfg), judged by knowledge.package_index.pip_takes_cpu"},
    )


@rule(
    "LOG751", "log-uv-torch-backend-cpu", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Finds uv told to use PyTorch's CPU backend (--torch-backend=cpu, UV_TORCH_BACKEND=cpu, torch-backend = \"cpu\") in a log that shows the GPU unused (knowledge/package_index.toml [[backend]]).",
        why="With a torch backend set, uv ignores the configured indexes for torch and its companions and takes them from PyTorch's index of that name: 'cpu' is the CPU-only build.",
        example="uv pip install torch torchvision --torch-backend=cpu",
        fix="Set the backend to the CUDA variant the driver supports (--torch-backend=cu126) or to auto, and reinstall torch (uv pip install --reinstall torch ...).",
        limits="'auto' is decided by uv from the driver it finds and is not judged; a log that shows a CUDA build of torch or the GPU in use keeps it quiet.",
        references=(_UV_TORCH,),
    ),
)
def uv_torch_backend_cpu(subject: LogSubject) -> Iterator[Outcome]:
    if _torch_cuda_shown(subject) or not subject.facts.gpu_unused():
        return
    backends = [s for s in subject.facts.package_index if s.value.role == "backend"]
    if not backends or any(s.value.build.kind != "cpu" for s in backends):
        return
    seen = backends[0]
    yield Hit(
        title="uv was told to take torch from PyTorch's CPU backend (torch-backend cpu): the CPU-only build was installed",
        evidence=_ev(seen, *subject.facts.gpu_unused()[:1]),
        fix="Set uv's torch backend to the CUDA variant your driver supports (--torch-backend=cu126, or auto) and reinstall torch: uv pip install --reinstall torch --torch-backend=cu126.",
        confidence=Confidence.MEDIUM,
        scope="torch",
        blocks_gpu=True,
        extra={"read_from": "uv's torch backend (explain.indexcfg), judged by knowledge.package_index.backend_build"},
    )


@rule(
    "LOG752", "log-uv-source-marker-leaves-out-windows", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Reads a uv source that pins torch to a PyTorch CUDA index under an environment marker ({ index = \"pytorch-cu128\", marker = \"sys_platform == 'linux'\" }) and evaluates the marker with the variables Windows reports (knowledge/package_index.toml [[platform_env]]: sys_platform win32, platform_machine AMD64), in a log from Windows that shows the GPU unused.",
        why="A source whose marker does not match the platform is skipped and the package falls through to the default index: PyPI's torch wheel for Windows has no CUDA, so `uv sync` on Windows installs the CPU build while Linux gets the CUDA one.",
        example="{ index = \"pytorch-cu128\", extra = \"torch-cuda128\", marker = \"platform_machine == 'x86_64' and sys_platform != 'darwin'\" }\n(https://github.com/talmolab/sleap-nn/pull/479)",
        fix="Widen the source's marker to include Windows (sys_platform == 'win32', or platform_machine == 'AMD64' beside 'x86_64'), then run uv lock and uv sync again; torch.version.cuda must then print a CUDA version.",
        limits="Only where the log's platform is Windows alone and no other CUDA source for torch matches Windows; a marker that cannot be parsed, a source gated by an extra that was not asked for, or a log that shows a CUDA build of torch or the GPU in use keeps it quiet.",
        references=("https://docs.astral.sh/uv/guides/integration/pytorch/", "https://peps.python.org/pep-0508/#environment-markers", "https://github.com/pytorch/pytorch/issues/52662"),
    ),
)
def uv_source_marker_leaves_out_windows(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.knowledge.package_index import marker_excludes
    from whygpu.knowledge.torch import torch_pypi_wheel_cpu_only

    facts = subject.facts
    if _torch_cuda_shown(subject) or {s.value for s in facts.platform} != {"windows"} or not torch_pypi_wheel_cpu_only("windows"):
        return
    cuda = [s for s in facts.uv_source if s.value.build is not None and s.value.build.kind == "cuda"]
    if not cuda or any(marker_excludes(s.value.marker, "windows") is not True for s in cuda):
        return
    if not facts.gpu_unused() and not any(s.value.endswith("+cpu") for s in facts.torch_printed) \
            and not any(s.value is False for s in facts.cuda_build.get("torch", [])):
        return
    seen = cuda[0]
    yield Hit(
        title=(f"The uv source that takes torch from the {seen.value.index} index has a marker Windows does not meet ({seen.value.marker}): "
               "on Windows uv falls through to PyPI, whose torch wheel is CPU-only"),
        evidence=_ev(seen, *facts.gpu_unused()[:1]),
        fix=(f"Widen the marker of the {seen.value.index} source to include Windows (sys_platform == 'win32', or platform_machine == 'AMD64' "
             "beside 'x86_64'), then uv lock and uv sync again; torch.version.cuda must then print a CUDA version."),
        confidence=Confidence.MEDIUM,
        scope="torch",
        blocks_gpu=True,
        extra={"read_from": "a uv source's marker (explain.indexcfg), judged by knowledge.package_index.marker_excludes"},
    )


@rule(
    "LOG753", "log-index-gave-cpu-build-said", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Reads the writer's finding, in one sentence, that an index or channel gave the framework's CPU build ('Channel order causes CPU pytorch to be installed', 'the base torch resolved from plain PyPI: the CPU wheel on Windows', 'conda-forge installs the cpu version'), said as a fact (statements.cpu_build_said: not asked, advised, guessed, negated, quoted or under a condition).",
        why="Where pip, uv or conda was pointed (PyPI on Windows, conda-forge's pytorch solved without CUDA, a channel listed ahead of pytorch's, a mirror that carries only CPU wheels) decides which build is installed, and the writer who traced it names it.",
        example="Channel order causes CPU pytorch to be installed\n(https://github.com/RosettaCommons/RFdiffusion/issues/119)",
        fix="Point the install at the source of the CUDA build: for pip/uv, PyTorch's CUDA index for torch (--index-url https://download.pytorch.org/whl/cu126, a uv source without a marker that leaves your platform out); for conda, pytorch and nvidia ahead of conda-forge with pytorch-cuda, or conda-forge's pytorch-gpu (CONDA_OVERRIDE_CUDA where the solver runs without a GPU); then reinstall and check torch.version.cuda.",
        limits="A question, advice, a guess or a condition is not read; a log that shows a CUDA build of torch or the GPU in use keeps it quiet.",
        references=(_TORCH_LOCALLY, "https://conda-forge.org/docs/user/tipsandtricks/#installing-cuda-enabled-packages-like-tensorflow-and-pytorch", _PIP_FINDING),
    ),
)
def index_gave_cpu_build_said(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if _torch_cuda_shown(subject) or not facts.index_cpu_said:
        return
    seen = facts.index_cpu_said[0]
    yield Hit(
        title="The writer traces the CPU build to where the installer looked (an index or channel)",
        evidence=_ev(seen, *facts.gpu_unused()[:1]),
        fix=("Point the install at the source of the CUDA build: for pip/uv, PyTorch's CUDA index for torch (--index-url "
             "https://download.pytorch.org/whl/cu126, the variant your driver supports; a uv source without a marker that leaves your "
             "platform out); for conda, the pytorch and nvidia channels ahead of conda-forge with pytorch-cuda, or conda-forge's "
             "pytorch-gpu (with CONDA_OVERRIDE_CUDA where the solver runs on a machine without a GPU); then reinstall and check torch.version.cuda."),
        confidence=Confidence.MEDIUM,
        scope="torch",
        blocks_gpu=True,
        extra={"read_from": "the writer's words (explain.indexcfg.index_cpu_said, statements.cpu_build_said)"},
    )


INDEX_RULES: list[Rule[LogSubject]] = [cpu_index_wins, uv_torch_backend_cpu, uv_source_marker_leaves_out_windows, index_gave_cpu_build_said]
