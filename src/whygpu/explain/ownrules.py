"""The log rule that judges a package that is a CPU build by definition (accnogpu, session 23).

Its fact is read by ``explain.ownanswer.cpu_packages`` from an install command, a package listing's row or the writer's
words, and what the name means is ``knowledge/cpu_packages.toml``'s (each row with its public source). The program's
own "no GPU" notices and answers the same module reads go to LOG104 as that framework's answer (``LogFacts.gpu_answer``).
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule


@rule(
    "LOG290", "log-cpu-only-package", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Finds a package that is a CPU build by definition (tensorflow-cpu, intel-tensorflow, apt's tensorflow-model-server, faiss-cpu, conda's cpuonly and pytorch-cpu, jax[cpu], pip's mxnet and paddlepaddle, the OpenCvSharp NuGet packages: knowledge/cpu_packages.toml) installed or in use, in a log that says the GPU went unused and shows no GPU package of the same program.",
        why="Such a package has no CUDA code: whatever the machine has, the program it installs runs on the CPU. The publishers say so (each row's source).",
        example="sudo apt-get install tensorflow-model-server\ntensorflow_model_server --port=9000 --model_config_file=models.config\nit does not use my GPU",
        fix="Install the program's GPU build instead (the row's 'instead').",
        limits="Quiet on a question, advice, an uninstall or a listing that also shows the GPU package, and where the log ties the unused GPU to another framework (faiss-cpu beside a PyTorch that found no GPU).",
        references=("https://www.tensorflow.org/install/pip#package_location", "https://www.tensorflow.org/tfx/serving/setup#installing_using_apt",
                    "https://github.com/facebookresearch/faiss/blob/main/INSTALL.md", "https://github.com/shimat/opencvsharp#readme"),
    ),
)
def cpu_only_package(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if subject.gpu_in_use or not facts.cpu_package or not facts.gpu_unused():
        return
    seen = facts.cpu_package[0]
    package = seen.value
    if facts.gpu_answer.get(package.framework) and any(s.value is True for s in facts.gpu_answer[package.framework]):
        return  # the same framework found a GPU: this package is not what runs
    if any(fw not in ("any", package.framework, *package.kin) for fw in facts.unused_by_framework()):
        return  # the unused GPU is another framework's (faiss-cpu in the requirements of a PyTorch program that found no GPU)
    yield Hit(
        title=f"{package.name} is a CPU-only build: {package.why}",
        evidence=_ev(seen, *facts.gpu_unused()[:1]),
        fix=package.instead + f" ({package.source})",
        confidence=Confidence.HIGH,
        scope=package.framework,
        blocks_gpu=True,
    )


OWN_RULES: list[Rule[LogSubject]] = [cpu_only_package]
