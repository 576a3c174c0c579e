"""The log rules that judge the build of JAX a log installs and the CUDA wheels it shares with another framework (accjax39,
session 39).

The facts are ``explain.jaxbuild``'s (``LogFacts.jax_build_sign``); what they mean is ``knowledge.jax_builds.situation``'s.
LOG845 speaks for a project's requirements that pin the plain (CPU-only) jaxlib where no line shows JAX's CUDA build,
LOG846 for the writer's words that the install gave JAX without CUDA, LOG847 for the writer's words that installing another
framework that pins its own nvidia-*-cuNN wheels after JAX cost JAX its GPU. None speaks where the log shows the GPU in use.
The writer's words that the GPU is still used beside JAX's CPU-fallback warning set the context tag jax_fallback_harmless
(explain.infer), which quiets LOG-JAX-CPU-FALLBACK: the warning concerns a helper that uses JAX, not the run's GPU work.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu.explain.judge import LogSubject, decided_hits
from whygpu.explain.logfacts import Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.jax_builds import situation
from whygpu.knowledge.situations import SituationCause
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Outcome, Rule, RuleDoc, rule

_JAX_INSTALL = "https://docs.jax.dev/en/latest/installation.html"
_JAX_CUDA_INDEX = "https://storage.googleapis.com/jax-releases/jax_cuda_releases.html"


def _sign(subject: LogSubject, kind: str) -> Seen[Any] | None:
    return next((s for s in subject.facts.jax_build_sign if s.value.kind == kind), None)


def _reading(subject: LogSubject, kind: str, name: str) -> tuple[Seen[Any], SituationCause] | None:
    """The sign of ``kind`` and the situation ``name`` it means, where the log shows the sign and not the GPU in use."""
    seen = _sign(subject, kind)
    if seen is None or subject.gpu_in_use:
        return None
    decided = situation(name)
    return None if decided is None else (seen, decided)


@rule(
    "LOG845", "log-jax-plain-jaxlib-pinned", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Reads a project's requirements or pyproject that pin the plain jaxlib ('jaxlib==0.4.7 ; python_version >= \"3.8\"', 'jaxlib = \"0.3.25\"') where no line of the log shows JAX's CUDA build (a jax[cuda...] extra, a jax-cuda12-plugin, a jaxlib version with +cuda, JAX's CUDA wheel index; knowledge/jax_builds.toml [[cuda_mark]]).",
        why="The jaxlib on PyPI is built for the CPU only: JAX's CUDA support came as a jaxlib wheel with a +cudaNN local version from JAX's own index before 0.4.26, and from 0.4.26 on as the jax-cuda12-plugin and jax-cuda12-pjrt distributions. A project that pins the plain jaxlib installs JAX for the CPU unless its users add the CUDA build themselves.",
        example="jax==0.4.8 ; python_version >= \"3.8\" and python_version < \"3.11\"\njaxlib==0.4.7 ; python_version >= \"3.8\" and python_version < \"3.11\"\n(https://github.com/vwxyzjn/cleanrl/issues/482)",
        fix="After the project's requirements, install JAX's CUDA build of the pinned release: `pip install -U \"jax[cuda12]\"` at that release from 0.4.26 on, before it the jaxlib wheel of that version with a +cuda suffix from JAX's CUDA index.",
        limits="Quiet where any line shows a CUDA build of JAX (the pin may be overridden), where the log shows the GPU in use, and for a jaxlib named only in prose. Which jaxlib ended up installed is not shown: `pip list | grep -i jax` decides.",
        references=(_JAX_INSTALL, _JAX_CUDA_INDEX),
        causes=("FRAMEWORK_CPU_BUILD", "FRAMEWORK_INSTALL_BROKEN"),
    ),
)
def plain_jaxlib_pinned(subject: LogSubject) -> Iterator[Outcome]:
    if (reading := _reading(subject, "plain_pin", "plain_pin")) is None:
        return
    seen, decided = reading
    yield from decided_hits(decided, f"The requirements pin the plain jaxlib {seen.value.detail}, which is built for the CPU only, and nothing installs "
                            "JAX's CUDA build", _ev(seen), Confidence.MEDIUM, fix=decided.fix.replace("@pin@", seen.value.detail), scope="jax")


@rule(
    "LOG846", "log-jax-said-installed-without-cuda", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Reads the writer's words that the install gave JAX without its CUDA build, in a sentence naming JAX or jaxlib: any form of explain.statements' reader of a CPU-only build said obtained ('poetry install doesn't install jax with cuda', 'jax has no GPU version', 'the requirements are for CPU users of JAX', 'it installed the CPU version of jaxlib', 'Jax is not compiled for GPU').",
        why="Only JAX's CUDA build (jax[cuda12]: the jax-cuda12 plugin, or a +cuda jaxlib before 0.4.26) can use the GPU; a project's install that brings the plain jaxlib leaves JAX on the CPU.",
        example="Running `poetry install` doesn't install Jax with cuda for me.\n(https://github.com/vwxyzjn/cleanba/issues/4)",
        fix="Install JAX's CUDA build separately, after the project's own install: `pip install -U \"jax[cuda12]\"`.",
        limits="Quiet on a question, a condition or advice, and where the log shows the GPU in use. The writer's words, not pip's: what was installed is `pip list | grep -i jax`'s to say.",
        references=(_JAX_INSTALL,),
        causes=("FRAMEWORK_CPU_BUILD", "FRAMEWORK_INSTALL_BROKEN"),
    ),
)
def said_installed_without_cuda(subject: LogSubject) -> Iterator[Outcome]:
    if _sign(subject, "plain_pin") is not None:
        return  # a pinned plain jaxlib says the same with the line that decides (LOG845)
    if (reading := _reading(subject, "said_cpu_install", "said_cpu_install")) is None:
        return
    seen, decided = reading
    yield from decided_hits(decided, "The writer says the install gave JAX without its CUDA build", _ev(seen), Confidence.MEDIUM,
                            fix=decided.fix, scope="jax")


@rule(
    "LOG847", "log-jax-cuda-wheels-replaced", "CUDA_LIBS_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Reads the writer's words that installing another framework that pins its own nvidia-*-cuNN wheels (PyTorch, TensorFlow; knowledge/jax_builds.toml [[replacer]]) after JAX cost JAX its GPU or left its CUDA libraries too old: 'when I pip install torch later, I can't use jax with the GPU; cusolver's version is older than jax's'.",
        why="jax[cuda12] and PyTorch (or tensorflow[and-cuda]) install the same nvidia-cublas/cusolver/cudnn-cu12 distributions, each pinned to the versions its own build needs; the framework installed last decides which versions stay, and JAX refuses CUDA libraries older than the ones it was built against (\"Found cuSOLVER version X, but JAX was built against version Y\").",
        example="when I pip the torch(pip install torch) later, I can't use the jax with gpu, it remind me that cuda or cusolver's version is older than jax's\n(https://github.com/jax-ml/jax/issues/18032)",
        fix="Keep the two frameworks in separate virtual environments, install the other framework's CPU build, or install JAX last and check the other still works.",
        limits="Quiet on a question, a condition or advice, where the sentence names no order (installed after JAX) or no loss (JAX unable to use the GPU, a version older), and where the log shows the GPU in use.",
        references=(_JAX_INSTALL, "https://github.com/jax-ml/jax/issues/18032"),
        causes=("CUDA_LIBS_MISMATCH", "FRAMEWORK_INSTALL_BROKEN"),
    ),
)
def cuda_wheels_replaced(subject: LogSubject) -> Iterator[Outcome]:
    if (reading := _reading(subject, "wheels_replaced", "cuda_wheels_replaced")) is None:
        return
    seen, decided = reading
    yield from decided_hits(decided, f"Installing {seen.value.detail} after JAX replaced the CUDA wheels JAX's build needs with the older ones "
                            f"{seen.value.detail} pins", _ev(seen), Confidence.MEDIUM, fix=decided.fix, scope="jax", beside=1)


JAX_BUILD_RULES: list[Rule[LogSubject]] = [plain_jaxlib_pinned, said_installed_without_cuda, cuda_wheels_replaced]
