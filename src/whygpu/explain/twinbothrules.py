"""The log rule that judges a framework's GPU distribution and its plain twin said installed together (accinstbroken,
session 38).

The fact is ``explain.twintogether``'s one fact (acctwins, session 39; the writer's words: "installed alongside", "both ... installed", "tensorflow-gpu is
ignored when tensorflow is installed"); what it means is ``knowledge.cpu_packages.twin_overlay_cause``, the decision LOG730
asks of the twin installed over the GPU build. LOG775 speaks for it; it stays quiet in a log that shows the GPU in use.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.declarerules import overlay_fix, overlay_marker
from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

_PIP_RESOLVER = "https://pip.pypa.io/en/stable/topics/dependency-resolution/"
_ORT_INSTALL = "https://onnxruntime.ai/docs/install/"
_TF_PIP = "https://www.tensorflow.org/install/pip"


def _read_as_listing(subject: LogSubject) -> bool:
    """Both packages shown installed to LOG160 (onnxruntime) or LOG133 (TensorFlow) as a pair they judge: every name the one
    fact holds is shown installed in the package lists (explain.logfacts), so the pair is judged once, there (acctwins,
    session 39: LOG775 speaks where neither does, e.g. PaddlePaddle's pair, which LOG370 judges only beside a CPU answer)."""
    from whygpu.explain.rules import _both_tensorflow_packages

    facts = subject.facts
    ort = {seen.value for seen in facts.ort_packages_installed}
    return ("onnxruntime" in ort and len(ort) > 1) or _both_tensorflow_packages(facts) is not None


@rule(
    "LOG775", "log-twin-beside-gpu-build-said", "FRAMEWORK_INSTALL_BROKEN", Severity.ERROR,
    RuleDoc(
        what="Reads the writer's words that a framework's GPU distribution and its plain twin are installed together ('onnxruntime-gpu was installed alongside regular onnxruntime', 'pip list shows both onnxruntime and onnxruntime-gpu', 'when there is tensorflow installed, tensorflow-gpu is ignored', 'tensorflow shadows tensorflow-gpu'), for the packages whose CPU and GPU distributions write one import folder (knowledge/cpu_packages.toml [[gpu_marker]] one_folder: tensorflow, onnxruntime, paddle).",
        why="pip removes a distribution only when the same name is reinstalled: tensorflow and tensorflow-gpu (or onnxruntime and onnxruntime-gpu) are two names, so an add-on that requires the plain one installs it beside the GPU one, both stay listed, and the one import folder holds the files of the one installed last; the GPU build is then 'ignored' although it is installed.",
        example="When there is tensorflow installed, tensorflow-gpu is ignored. Then the time for training slows down significantly.\n(https://github.com/bourdakos1/Core-ML-Custom-Object-Detection/issues/2)",
        fix="Uninstall both distributions (pip uninstall -y tensorflow tensorflow-gpu, or onnxruntime onnxruntime-gpu), then install the GPU one alone; install the package that required the plain one with --no-deps, or pin the GPU one in a constraints file.",
        limits="A question, advice, a guess ('it seems like'), a condition ('if tensorflow is installed') or a removal ('I uninstalled both') is not read; torch and jax have no second distribution name of one folder and are not read; the twin said installed over the GPU build is LOG730's, a listing of both LOG133's and LOG160's.",
        references=(_TF_PIP, _ORT_INSTALL, _PIP_RESOLVER, "https://github.com/bourdakos1/Core-ML-Custom-Object-Detection/issues/2"),
    ),
)
def twin_beside_gpu_build_said(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    pairs = [seen for seen in facts.twins_together if seen.value.pair is not None]
    if subject.gpu_in_use or not pairs:
        return
    seen = pairs[0]
    both = seen.value.pair
    if _read_as_listing(subject):
        return
    marker = overlay_marker(both)
    if marker is None:
        return
    yield Hit(
        title=(f"{both.twin} and {both.gpu} are said installed together: both write the one {marker.one_folder} folder, so the "
               f"files imported are those of the one installed last (the plain {both.twin}'s has no CUDA code)"),
        evidence=_ev(seen),
        fix=overlay_fix(both, marker),
        confidence=Confidence.MEDIUM,
        scope=both.framework,
        extra={"read_from": "the GPU build and its plain twin said installed together (explain.twintogether, knowledge.cpu_packages.one_folder_twins), judged by knowledge.cpu_packages.twin_overlay_cause"},
    )


TWIN_BOTH_RULES: list[Rule[LogSubject]] = [twin_beside_gpu_build_said]
