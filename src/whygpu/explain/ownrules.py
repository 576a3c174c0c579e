"""The log rule that judges a package that is a CPU build by definition (accnogpu, session 23).

Its fact is read by ``explain.ownanswer.cpu_packages`` from an install command, a package listing's row or the writer's
words, and what the name means is ``knowledge/cpu_packages.toml``'s (each row with its public source). The program's
own "no GPU" notices and answers the same module reads go to LOG104 as that framework's answer (``LogFacts.gpu_answer``).

accinstall (session 25): LOG291 judges a framework's plain install shown run (``explain.ownanswer.plain_installs``) by what
that install gives on the log's platform and release (``knowledge.cpu_packages.plain_install_build``).
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


# What a platform the log shows is, for a framework's plain install: a container, Colab and WSL run Linux wheels.
_LINUX_LIKE = ("linux", "colab", "wsl", "wsl1", "wsl2")
# The causes of a framework's own message that only its CUDA build prints (a driver, library or device error from its
# CUDA code): beside one, the installed build is a CUDA build whatever the install command said.
_BUILD_CAUSES = ("FRAMEWORK_CPU_BUILD", "FRAMEWORK_INSTALL_BROKEN")


def _platform(subject: LogSubject) -> str | None:
    """"windows" (native), "darwin", "linux" (Linux, WSL, Colab, a container) or None where the log does not show it."""
    name = subject.facts.platform_name()
    if name in _LINUX_LIKE or (name is None and subject.facts.in_container):
        return "linux"
    return name


@rule(
    "LOG291", "log-plain-install-cpu-build", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Finds a framework's plain install shown run (a command on its own line, a Dockerfile RUN step, or the writer's words that they ran it) whose registry gives the CPU build for it: pip's jax or jaxlib without a CUDA extra, PyPI's torch on native Windows or macOS, pip's tensorflow of a release without CUDA code (before 2.1 except 1.15.0) or on native Windows after 2.10, and llama-cpp-python built without CUDA flags (knowledge/cpu_packages.toml [[plain_install]]), in a log that says the GPU went unused.",
        why="The registry publishes only the CPU build under that plain name on that platform or for that release: what the command installs has no CUDA code, whatever the machine has. The publishers say so (each row's source).",
        example="C:\\Users\\me> pip install torch torchvision\ntorch.cuda.is_available() returns False on my RTX 3060",
        fix="Install the GPU build instead (the row's 'instead').",
        limits="Quiet on a question, advice, a condition or an uninstall; where the log shows the same framework's GPU build anywhere (a later install from a CUDA index, jax[cuda12], tensorflow-gpu, CMAKE_ARGS), its GPU in use, or a message only its CUDA build prints; and where the platform makes the plain install a GPU build (Linux's PyPI torch). Where the platform or release that decides is not shown it ranks low and says what would decide.",
        references=("https://pytorch.org/get-started/locally/", "https://docs.jax.dev/en/latest/installation.html",
                    "https://www.tensorflow.org/install/pip#windows-native", "https://github.com/abetlen/llama-cpp-python#installation"),
    ),
)
def plain_install_cpu_build(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if subject.gpu_in_use or not facts.plain_install or not facts.gpu_unused():
        return
    from whygpu.knowledge.cpu_packages import plain_install_build

    shown = _platform(subject)
    for seen in facts.plain_install:
        package, written, spec = seen.value.package, seen.value.written, seen.value.spec
        # A build step (a Dockerfile's RUN) builds a Linux image where the log names no platform.
        platform = "linux" if shown is None and seen.value.build_step else shown
        framework = package.framework
        if any(s.value is True for s in (*facts.gpu_answer.get(framework, []), *facts.cuda_build.get(framework, []))):
            continue  # the same framework found a GPU, or the log shows its CUDA build
        if any(f.cause not in _BUILD_CAUSES and f.scope and framework in f.scope.lower() for f in subject.blocking(framework) if f in subject.matched):
            continue  # its own message from its CUDA code: the build installed has CUDA
        if any(fw not in ("any", framework) for fw in facts.unused_by_framework()):
            continue  # the unused GPU is another framework's
        versions = sorted({str(s.value).split("+")[0] for s in facts.versions.get(framework, [])})
        build = plain_install_build(package, spec=spec, platform=platform, version=versions[0] if len(versions) == 1 else None)
        if build is None:
            continue
        if build.cpu:
            title = f"The plain install of {written} gives the CPU build of {framework}: {build.because}"
        else:
            title = f"The plain install of {written} may have given the CPU build of {framework} ({build.because}); {build.decides} decides"
        yield Hit(
            title=title,
            evidence=_ev(seen, *facts.gpu_unused()[:1]),
            fix=package.instead + f" ({package.source})",
            confidence=Confidence.HIGH if build.cpu else Confidence.LOW,
            scope=framework,
            blocks_gpu=bool(build.cpu),
            severity=Severity.ERROR if build.cpu else Severity.WARNING,
        )
        return


OWN_RULES: list[Rule[LogSubject]] = [cpu_only_package, plain_install_cpu_build]
