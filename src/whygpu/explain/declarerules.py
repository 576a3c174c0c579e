"""The log rules that judge what a project's dependency declaration put in place (accdeclare, session 37).

The facts are ``explain.declared``'s (the writer's words that a declaration names a framework's plain twin; that the twin
was installed over the GPU build with both left); what they mean is ``knowledge.cpu_packages``'s (``declared_twin_cpu``,
``twin_overlay_cause``). LOG730 speaks for the overlay, LOG731 for the declared twin. Neither speaks in a log that shows
the GPU in use.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.cpu_packages import declared_twin_cpu, gpu_marker_for, twin_overlay_cause
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

if TYPE_CHECKING:
    from whygpu.explain.declared import Overlay
    from whygpu.knowledge.cpu_packages import GpuMarker

_PIP_RESOLVER = "https://pip.pypa.io/en/stable/topics/dependency-resolution/"
_ORT_INSTALL = "https://onnxruntime.ai/docs/install/"
_TF_PIP = "https://www.tensorflow.org/install/pip"


def overlay_marker(overlay: Overlay) -> GpuMarker | None:
    """The [[gpu_marker]] row of ``overlay``'s framework where both its distributions write one folder, so that the two
    installed together are a broken install (``knowledge.cpu_packages.twin_overlay_cause``); None otherwise. LOG730's
    overlay and LOG775's pair (explain.twinbothrules) are judged by it."""
    marker = gpu_marker_for(overlay.framework)
    return marker if marker is not None and twin_overlay_cause(marker) == "FRAMEWORK_INSTALL_BROKEN" else None


def overlay_fix(overlay: Overlay, marker: GpuMarker) -> str:
    """The repair of a GPU distribution and its plain twin both installed into one folder: remove both, install the GPU one
    alone, and keep what required the twin from pulling it again (LOG730, LOG775)."""
    gpu = overlay.gpu.split()[0].split("=")[0]
    return (f"pip uninstall -y {overlay.twin} {gpu}, then install {gpu} alone; "
            f"install the package that required {overlay.twin} with --no-deps (or pin the GPU package in a constraints file) so it does not "
            f"pull {overlay.twin} again ({marker.one_folder_source}).")


@rule(
    "LOG730", "log-twin-installed-over-gpu-build", "FRAMEWORK_INSTALL_BROKEN", Severity.ERROR,
    RuleDoc(
        what="Reads the writer's words that a framework's plain package was installed over its GPU package with both left installed ('installing onnxruntime on top of onnxruntime-gpu', 'it installs onnxruntime over onnxruntime-gpu', 'onnxruntime installs in the same directory, overwriting it'), for the packages whose CPU and GPU distributions write one import folder (knowledge/cpu_packages.toml [[gpu_marker]] one_folder: onnxruntime, tensorflow, paddle).",
        why="pip removes a distribution only when the same name is reinstalled: onnxruntime and onnxruntime-gpu are two names, so installing one after the other keeps both and the shared onnxruntime folder holds the files of the last one (the CPU build's, with no CUDA provider). Uninstalling either then leaves the folder broken for the other.",
        example="If I had already installed onnxruntime-gpu then onnxruntime installs in the same directory overwriting it, and then the GPU execution providers are unavailable.\n(https://github.com/microsoft/onnxruntime-extensions/issues/404)",
        fix="Uninstall both distributions (pip uninstall -y onnxruntime onnxruntime-gpu), then install the GPU one alone, and keep the package that pulled the plain one from doing it again (install it with --no-deps, or a constraints file).",
        limits="A question, advice or a condition on the writer's own act is not read ('do not install onnxruntime on top of onnxruntime-gpu'); torch and jax have no second distribution name and are not read; the GPU package said removed and replaced is LOG395's.",
        references=(_ORT_INSTALL, _PIP_RESOLVER, "https://github.com/microsoft/onnxruntime-extensions/issues/404"),
    ),
)
def twin_installed_over_gpu_build(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if subject.gpu_in_use or not facts.twin_overlay:
        return
    seen = facts.twin_overlay[0]
    overlay = seen.value
    marker = overlay_marker(overlay)
    if marker is None:
        return
    yield Hit(
        title=(f"{overlay.twin} was installed over {overlay.gpu}: both write the one {marker.one_folder} folder, so the files left are "
               f"the plain {overlay.twin}'s (no CUDA code) while both stay installed"),
        evidence=_ev(seen),
        fix=overlay_fix(overlay, marker),
        confidence=Confidence.MEDIUM,
        scope=overlay.framework,
        extra={"read_from": "the plain twin said installed over the GPU build (explain.declared), judged by knowledge.cpu_packages.twin_overlay_cause"},
    )


@rule(
    "LOG731", "log-declared-plain-twin", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Reads the writer's words that a project's declaration (requirements.txt, setup.py's install_requires, a pyproject dependency, 'depends on', 'requires') names a framework's plain package where its GPU package is wanted ('requires tensorflow==1.9.0 (tensorflow for cpu usage only)', 'the requirements install a CPU backed tensorflow instead of a GPU one', 'requirements.txt pins onnxruntime==1.15.0, not onnxruntime-gpu'), where that plain package is a CPU build (knowledge/cpu_packages.toml [[gpu_marker]] and [[plain_install]]: the writer's CPU words, or the declared release).",
        why="pip meets a declared name from the default index: the plain package of onnxruntime and paddlepaddle is always the CPU build, and pip's tensorflow before 2.1 (except 1.15.0) had no CUDA code, its GPU build being tensorflow-gpu.",
        example="I just realized in your file: requirements.txt, requires tensorflow==1.9.0 (tensorflow for cpu usage only) for the system environment.\n(https://github.com/pmcheng/rsna-pneumonia/issues/1)",
        fix="Declare the GPU package instead (tensorflow-gpu of the same release before TensorFlow 2.1, onnxruntime-gpu, paddlepaddle-gpu), or leave the framework out of the declaration and install the GPU build first; uninstall the plain one that was installed.",
        limits="Where the declared package's build is not decided (tensorflow with no release and no CPU words: 2.1 and later carry CUDA; PyPI's torch, a CUDA build on Linux) it stays quiet; a question, advice or a negated statement is not read.",
        references=(_TF_PIP, "https://github.com/tensorflow/tensorflow/releases/tag/v2.1.0", _ORT_INSTALL, _PIP_RESOLVER),
    ),
)
def declared_plain_twin(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if subject.gpu_in_use or not facts.declared_twin:
        return
    from whygpu.explain.judge import log_cause_fix

    for seen in facts.declared_twin:
        said = seen.value
        marker = gpu_marker_for(said.framework)
        if marker is None:
            continue
        if said.spec and not any(g.value == said.framework for g in facts.declared_gpu_named):
            continue  # a declaration's item alone: the log must also name the GPU build it stands against
        build = declared_twin_cpu(marker, release=said.release, cpu_words=said.cpu_words)
        if said.cpu_words and said.release and declared_twin_cpu(marker, release=said.release).cpu is False:
            continue  # the writer's words against the release's own build: not decided
        if build.cpu is not True:
            continue
        yield Hit(
            title=f"The project's declaration names {said.words}: pip installs the plain {marker.plain}, a CPU build ({build.because})",
            evidence=_ev(seen),
            fix=(f"Declare the GPU build instead ({marker.instead}), or leave {marker.plain} out of the declaration and install the GPU build "
                 "first; uninstall the plain one already installed. " + log_cause_fix("FRAMEWORK_CPU_BUILD", subject, framework=said.framework)),
            confidence=Confidence.MEDIUM,
            scope=said.framework,
            extra={"read_from": "a declaration said to name the plain twin (explain.declared), judged by knowledge.cpu_packages.declared_twin_cpu"},
        )
        return


DECLARE_RULES: list[Rule[LogSubject]] = [twin_installed_over_gpu_build, declared_plain_twin]
