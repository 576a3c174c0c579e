"""The log rules that judge the install state of a framework's packages (accpkg, session 21).

Each rule reads facts of ``explain.installstate`` (pip commands shown run) and asks the knowledge layer's one decision
for them (``knowledge.python_layouts.same_import_repair``); none speaks in a log that shows the GPU in use.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import Seen
from whygpu.model import Confidence, Severity
from whygpu.redact import redact_text
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule


def _ev(*seen: Seen[Any]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(redact_text(s.evidence()) for s in seen))


_GPU_PACKAGE = {"onnxruntime": "onnxruntime-gpu", "paddle": "paddlepaddle-gpu", "tensorflow": "the GPU TensorFlow package"}


@rule(
    "LOG220", "log-same-import-package-repaired", "FRAMEWORK_INSTALL_BROKEN", Severity.ERROR,
    RuleDoc(
        what="Finds pip commands shown run that remove distributions of one import package and then install its GPU build in a way that shows both were installed: two of them removed at once (pip uninstall onnxruntime onnxruntime-gpu), one removed and the GPU build forced over the copy there (--force-reinstall, --ignore-installed), or the GPU build removed and installed again as it was (knowledge/python_layouts.toml [[same_import]] gpu_by_name).",
        why="onnxruntime and onnxruntime-gpu, paddlepaddle and paddlepaddle-gpu, tensorflow-cpu/tensorflow and tensorflow-gpu write the same import package; a dependency that pulls the CPU one in overwrites the GPU build's files, and removing the CPU one and reinstalling the GPU build is the repair. Removing only the CPU package and installing the GPU one plainly is also how a CPU-only install is replaced, so that alone is not read.",
        example="python -m pip uninstall onnxruntime onnxruntime-gpu\npython -m pip install onnxruntime-gpu==1.15.1\n(https://github.com/microsoft/onnxruntime/issues/7748)",
        fix="pip uninstall -y <both packages>, then pip install the GPU package alone, and remove the CPU package from the requirements that pulled it in (pip show <cpu package> lists them under Required-by).",
        limits="A command in advice, a question or a condition is not read; a command block of someone else's advice, pasted without words, reads as run. With the GPU shown in use the rule stays silent.",
        references=("https://github.com/microsoft/onnxruntime/issues/7748", "https://onnxruntime.ai/docs/install/",
                    "https://www.paddlepaddle.org.cn/documentation/docs/en/install/pip/linux-pip_en.html"),
    ),
)
def same_import_package_repaired(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.same_import_repair or subject.gpu_in_use:
        return
    installed, removed = facts.same_import_repair[0], facts.same_import_removed[0]
    package = _GPU_PACKAGE.get(installed.value, "the GPU package")
    yield Hit(
        title=f"The {installed.value} packages were repaired by removing one and reinstalling {package}: a CPU package had been installed beside the GPU one, over the same module",
        evidence=_ev(removed, installed),
        fix=f"Keep {package} alone in the environment: pip uninstall -y the CPU package and {package}, then pip install {package}; "
        "find what pulled the CPU package in (pip show <cpu package>: Required-by) and keep it out (install that package with --no-deps, or pin the GPU package in its place).",
        confidence=Confidence.MEDIUM,
        scope=installed.value if installed.value in ("onnxruntime", "tensorflow") else "",
        blocks_gpu=True,
    )


INSTALL_RULES: list[Rule[LogSubject]] = [same_import_package_repaired]
