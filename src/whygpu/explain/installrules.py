"""The log rules that judge the install state of a framework's packages (accpkg, session 21).

Each rule reads facts of ``explain.installstate`` (pip commands shown run) and asks the knowledge layer's one decision
for them (``knowledge.python_layouts.same_import_repair``); none speaks in a log that shows the GPU in use.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain import installstate
from whygpu.explain.judge import LogSubject, alternative_hit
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule


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
    name = installed.value
    from whygpu.knowledge.python_layouts import same_import_groups

    group = next((g for g in same_import_groups() if name in g.members), None)
    both = " ".join(dict.fromkeys([*removed.value.split(), name]))
    yield Hit(
        title=f"{removed.value} removed and {name} installed again: the repair of two packages installed over one module, a CPU one beside {name}",
        evidence=_ev(removed, installed),
        fix=f"Keep {name} alone in the environment: pip uninstall -y {both}, then pip install {name}; find what pulled the other "
        "package in (pip show <package>: Required-by) and keep it out (install that package with --no-deps, or pin "
        f"{name} in its place).",
        confidence=Confidence.MEDIUM,
        scope=group.group if group is not None and group.group in ("onnxruntime", "tensorflow") else "",
        blocks_gpu=True,
    )


INSTALL_RULES: list[Rule[LogSubject]] = [same_import_package_repaired]


# accpairs (session 27): a GPU build shadowed by its CPU twin, for the groups LOG133 (TensorFlow) and LOG160 (onnxruntime)
# do not judge: MXNet's builds, PaddlePaddle's (knowledge/python_layouts.toml [[same_import]]). The counts behind the rank:
# of the labelled logs that name an mxnet-cu or paddlepaddle-gpu build (17 at session 27), every one whose confirmed cause
# was not FRAMEWORK_INSTALL_BROKEN had its own line of that cause (a library not found, a driver too old, a cuDNN
# mismatch, a busy GPU): with no such line, and the framework answering that its build has no CUDA, the copy imported is
# the one left (1 of 1, a GPU build said installed and the program printing "Using CPU").
@rule(
    "LOG370", "log-gpu-build-shadowed-by-twin", "FRAMEWORK_INSTALL_BROKEN", Severity.ERROR,
    RuleDoc(
        what="Finds a framework's GPU build by its name (MXNet's mxnet-cu101 and the other mxnet-cuXXX, paddlepaddle-gpu) shown installed in a log where the framework ran on the CPU, with either another distribution of the same import package shown installed too (mxnet or mxnet-mkl, paddlepaddle: a listing's rows, an install run, the writer's words), or the framework's own answer that its build has no CUDA and no line naming another cause (knowledge.python_layouts.gpu_build_shadowed).",
        why="Every pip build of MXNet writes the one `mxnet` package, and paddlepaddle and paddlepaddle-gpu the one `paddle` package: the one installed last owns the files, so a CPU build a dependency requires, installed after the GPU build, is what imports. A CUDA build of MXNet fails at import without its CUDA runtime and PaddlePaddle's GPU wheel answers is_compiled_with_cuda() True, so neither answers that it has no CUDA: where one is installed and the framework answers so, the copy imported is another one.",
        example="pip list: mxnet 1.5.0 / mxnet-cu101mkl 1.5.0 ... mx.context.num_gpus() -> 0\n(https://pypi.org/project/mxnet-cu101/)",
        fix="pip uninstall -y every build of the framework (pip list | grep -i mxnet), then pip install the one GPU build; keep the CPU build out of the requirements that pulled it in (pip show <package>: Required-by).",
        limits="A listing or a package named from another environment than the one that ran misleads it; with the GPU shown in use, or a line of another cause, it stays silent where only the framework's answer shows the other copy. TensorFlow's and onnxruntime's pairs are LOG133's and LOG160's.",
        references=("https://pypi.org/project/mxnet-cu101/", "https://mxnet.apache.org/versions/1.9.1/get_started",
                    "https://www.paddlepaddle.org.cn/documentation/docs/en/install/pip/linux-pip_en.html"),
    ),
)
def gpu_build_shadowed_by_twin(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.twin_installed or subject.gpu_in_use:
        return
    from whygpu.knowledge.python_layouts import gpu_build_shadowed, same_import_groups, twin_repair

    shown = {s.value: s for s in reversed(facts.twin_installed)}
    said = facts.unused_by_framework()
    for group in ("mxnet", "paddle"):
        cpu_answer = [s for s in said.get(group, [])] + [s for s in facts.cuda_build.get(group, []) if s.value is False]
        others = [fw for fw in said if fw not in (group, "any")]
        unused = cpu_answer or ([] if others else said.get("any", []))
        # accsecond (session 36): the framework's own words, read by a signature, that the build imported is a CPU build
        # ("Cannot use GPU because you have installed CPU version PaddlePaddle", "Please use PaddlePaddle with GPU version")
        # are its answer too.
        own_words = not cpu_answer and _says_cpu_build(subject, group)
        if not unused and not own_words:
            continue
        members = next((g.members for g in same_import_groups() if g.group == group), ())
        twin = gpu_build_shadowed([n for n in shown if n in members], cpu_answer=True)
        # A line of another cause (a signature's, generic ones included: a CUDA library the GPU build could not open) is
        # that cause's; only the pair itself speaks over it.
        other_cause = [f for f in (*subject.matched, *subject.doctor) if f.alternative_to is None and f.severity is Severity.ERROR
                       and not (own_words and f.cause == "FRAMEWORK_CPU_BUILD" and group in (f.scope or "").lower())]
        if twin is None or twin.group.group != group or (not twin.others and other_cause):
            continue
        gpu = shown[twin.gpu]
        evidence = _ev(gpu, *(shown[n] for n in twin.others[:1]), *unused[:1])
        removed = [*twin.others, *(["mxnet"] if group == "mxnet" and "mxnet" not in twin.others else [])]
        yield Hit(
            title=(f"{twin.gpu} is installed beside {', '.join(twin.others)}: both write the `{group}` package, and the build "
                   "installed last is the one that imports" if twin.others else
                   f"{twin.gpu} is a GPU build, yet the framework ran without CUDA: another copy of `{group}` (a CPU build) is what imports"),
            evidence=evidence,
            # accnodev (session 33): the repair with the GPU build's release the log shows and the check that decides
            # (knowledge.python_layouts.twin_repair): "pip uninstall paddlepaddle paddlepaddle-gpu && pip install
            # paddlepaddle-gpu==2.5.1.post117; then check which build imports: python -c "import paddle; paddle.utils.run_check()"".
            fix=(twin_repair(twin.group, twin.gpu, removed, installstate.member_version(gpu.text, twin.gpu))
                 + ". Find what pulled the CPU build in (pip show <package>: Required-by) and keep it out (install that package with --no-deps)."),
            # accnodev (session 33): the pair shown with the framework's own answer that the build imported has no CUDA:
            # the GPU build listed did not import, the twin beside it did (the pair explains the CPU build).
            confidence=(Confidence.HIGH if cpu_answer or _says_cpu_build(subject, group) else Confidence.MEDIUM) if twin.others
            else Confidence.HIGH if own_words else Confidence.LOW,
            scope=group,
            blocks_gpu=True,
            extra={"read_from": twin.why},
        )
        yield alternative_hit("FRAMEWORK_CPU_BUILD", evidence[:1], "FRAMEWORK_INSTALL_BROKEN", scope=group, program=group)
        return


INSTALL_RULES.append(gpu_build_shadowed_by_twin)


def _says_cpu_build(subject: LogSubject, group: str) -> bool:
    """Whether a signature of the framework ``group`` reads its own words that the build imported has no CUDA (PaddlePaddle's
    "Cannot use GPU because you have installed CPU version PaddlePaddle")."""
    return any(f.cause == "FRAMEWORK_CPU_BUILD" and f.alternative_to is None and group in (f.scope or "").lower()
               for f in subject.matched)


def _line_after(where: str, than: str) -> bool:
    """Whether ``where`` is a later line of the same file than ``than`` (``file:line`` places)."""
    file, _, line = where.rpartition(":")
    other_file, _, other_line = than.rpartition(":")
    return file == other_file and line.isdigit() and other_line.isdigit() and int(line) > int(other_line)


# acctwins (session 28): an add-on that requires a framework's CPU twin by its distribution name, installed where the GPU
# build is: pip pulls the twin in over the GPU build's files (knowledge.python_layouts.addon_pulls_cpu_twin). The counts:
# of the labelled logs that show such an add-on installed beside tensorflow-gpu or onnxruntime-gpu (2 at session 28), the
# confirmed cause was FRAMEWORK_INSTALL_BROKEN in both (the CPU twin's files over the GPU build's).
@rule(
    "LOG385", "log-addon-pulls-cpu-twin", "FRAMEWORK_INSTALL_BROKEN", Severity.ERROR,
    RuleDoc(
        what="Finds an add-on package that requires a framework's CPU twin by its distribution name (tensorflow-text, tensorflow-serving-api, tensorflow-decision-forests require plain tensorflow; faster-whisper and chromadb plain onnxruntime: knowledge/python_layouts.toml [[requires_twin]]) shown installed (a pip command shown run, an installer's output) where the log shows the GPU build installed (tensorflow-gpu, onnxruntime-gpu), and the twin pulled is a CPU build: plain onnxruntime always, plain tensorflow where the release pulled (pip's output, or the one the add-on's release fixes) has no CUDA code (before 2.1 except 1.15.0).",
        why="pip meets a requirement by the distribution's name, never by the import package: tensorflow-gpu does not meet 'tensorflow', nor onnxruntime-gpu 'onnxruntime', so the add-on's install pulls the plain distribution in, and it writes the same import package over the GPU build's files: the framework that imports is the CPU build.",
        example="pip install tensorflow-text==2.0.1 (over tensorflow-gpu 2.0.0) ... Successfully installed tensorflow-2.0.0 tensorflow-text-2.0.1\n(https://github.com/tensorflow/text/blob/master/oss_scripts/pip_package/setup.py)",
        fix="pip uninstall -y the CPU twin and the GPU build, then pip install the GPU build again after the add-on (or install the add-on with --no-deps, its other requirements by hand); from TensorFlow 2.1 on plain tensorflow is itself the GPU build on Linux.",
        limits="A GPU build installed after the add-on (a later line) owns the files and is not read; an add-on release whose required twin's release is unknown (tensorflow) stays silent; a listing of another environment misleads it.",
        references=("https://github.com/tensorflow/text/blob/master/oss_scripts/pip_package/setup.py", "https://github.com/SYSTRAN/faster-whisper/blob/master/requirements.txt",
                    "https://onnxruntime.ai/docs/install/"),
    ),
)
def addon_pulls_cpu_twin(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.addon_installed or subject.gpu_in_use or facts.stated_gpu_works:
        return
    from whygpu.knowledge.python_layouts import addon_pulls_cpu_twin as decide

    gpus = [*facts.tf_packages_installed, *facts.ort_packages_installed, *facts.twin_installed]
    releases = {name: version for name, version in (s.value for s in reversed(facts.twin_release_shown))}
    for addon in facts.addon_installed:
        name, version = addon.value
        for gpu in gpus:
            if _line_after(gpu.where, addon.where):
                continue  # the GPU build installed after the add-on owns the files
            pulled = decide(name, gpu.value, addon_version=version, releases=releases)
            if pulled is None:
                continue
            shown = [s for s in facts.twin_release_shown if s.value[0] == pulled.pulled][:1]
            release = f" {pulled.version}" if pulled.version else ""
            evidence = _ev(addon, gpu, *shown)
            yield Hit(
                title=(f"{name} requires plain {pulled.pulled} by name, which {pulled.gpu} does not satisfy: installing it pulled "
                       f"{pulled.pulled}{release} (a CPU build) over {pulled.gpu}'s `{pulled.group.group}` package"),
                evidence=evidence,
                fix=(f"pip uninstall -y {pulled.pulled} {pulled.gpu}, then pip install {pulled.gpu} again after {name} (or install "
                     f"{name} with --no-deps and its other requirements by hand), so that one build owns the `{pulled.group.group}` "
                     f"package. (Source of the requirement: {pulled.source})"),
                confidence=Confidence.MEDIUM,
                scope=pulled.group.group,
                blocks_gpu=True,
                extra={"read_from": "the add-on's requirement of the CPU twin, judged by knowledge.python_layouts.addon_pulls_cpu_twin"},
            )
            yield alternative_hit("FRAMEWORK_CPU_BUILD", evidence[:1], "FRAMEWORK_INSTALL_BROKEN", scope=pulled.group.group)
            return


INSTALL_RULES.append(addon_pulls_cpu_twin)


@rule(
    "LOG221", "log-linux-only-library-on-windows", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Finds a package's Linux-only native library (.so) named at a native-Windows path (a drive letter), for the packages whose wheels carried only Linux libraries before a release (knowledge/python_layouts.toml [[linux_only_libraries]]: bitsandbytes before 0.43.0).",
        why="A Windows Python cannot load a Linux shared library: such a build of the package has no GPU library for Windows and runs on the CPU or fails, whatever GPU, driver and CUDA the machine has.",
        example="bin D:\\ProgramData\\Anaconda3\\envs\\py39\\lib\\site-packages\\bitsandbytes\\libbitsandbytes_cpu.so\n(https://github.com/bitsandbytes-foundation/bitsandbytes/issues/332)",
        fix="Install a release of the package with Windows libraries (bitsandbytes >= 0.43.0: pip install -U bitsandbytes), or run under WSL 2 where the Linux libraries load.",
        limits="Only the packages the knowledge table lists; a path copied from another machine misleads it.",
        references=("https://github.com/bitsandbytes-foundation/bitsandbytes/releases/tag/0.43.0",),
    ),
)
def linux_only_library_on_windows(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.linux_build_on_windows or subject.gpu_in_use:
        return
    from whygpu.knowledge.python_layouts import linux_only_libraries

    seen = facts.linux_build_on_windows[0]
    row = next((r for r in linux_only_libraries() if r.package == seen.value), None)
    since = f" (Windows libraries from {row.windows_from}: {row.source})" if row else ""
    yield Hit(
        title=f"{seen.value} loads a Linux-only library on native Windows: this build of it has no GPU support on Windows",
        evidence=_ev(seen),
        fix=f"Install a release of {seen.value} that ships Windows libraries{since}: pip install -U {seen.value}; or run under WSL 2, where its Linux libraries load.",
        confidence=Confidence.MEDIUM,
        blocks_gpu=True,
    )


INSTALL_RULES.append(linux_only_library_on_windows)


def _twin_build(subject: LogSubject, framework: str, release: str | None) -> tuple[bool | None, str, str]:
    """accsaid (session 29): (cpu, because, decides) for the plain twin of ``framework``'s GPU build on the log's platform, of
    ``release`` or the one release of it the log shows (knowledge.cpu_packages.plain_twin_cpu); (None, "", ...) where the
    framework is not known."""
    from whygpu.knowledge.cpu_packages import gpu_marker_for, plain_twin_cpu

    marker = gpu_marker_for(framework)
    if marker is None:
        return None, "", "the build installed (torch.version.cuda, tf.test.is_built_with_cuda())"
    if release is None:
        versions = sorted({str(s.value).split("+")[0] for s in subject.facts.versions.get(framework, [])})
        release = versions[0] if len(versions) == 1 else None
    name = subject.facts.platform_name()
    platform = "linux" if name in ("linux", "colab", "wsl", "wsl1", "wsl2") or (name is None and subject.facts.in_container) else name
    build = plain_twin_cpu(marker, release=release, platform=platform)
    return build.cpu, build.because, build.decides


# accsaid (session 29): a GPU build replaced by its plain twin, whoever did it (explain.twinsaid): the writer's words in any
# wording ("installing X uninstalls tensorflow-gpu and reinstalls the CPU version", "pip replaced my torch+cu121 with torch
# 2.3.0") or an installer's output (pip's "Successfully uninstalled torch-2.1.0+cu118" then "Successfully installed
# torch-2.1.0"). The counts (bench/explain_rule_precision.py --grep over the labelled logs at session 29): of the logs whose
# writer says an install removed or replaced the GPU build and put the CPU one in (2: a project's requirements.txt that
# "removed my previously installed tensorflow-gpu and installed tensorflow instead", an add-on that "uninstalls whatever
# tensorflow-gpu version I have and reinstalls the CPU version"), the confirmed cause was FRAMEWORK_CPU_BUILD in both; of those
# that say an install brought the CPU build (12), FRAMEWORK_CPU_BUILD 11, FRAMEWORK_INSTALL_BROKEN 1 (the CPU tensorflow put
# beside a tensorflow-gpu still there: LOG385's and LOG133's, which read "beside", not "replaced"). Where the twin has its own
# distribution name (tensorflow beside tensorflow-gpu) pip need not remove the GPU one: FRAMEWORK_INSTALL_BROKEN is listed as
# possible instead.
@rule(
    "LOG395", "log-gpu-build-replaced-by-twin", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Finds a framework's GPU build (named by its marker: tensorflow-gpu, onnxruntime-gpu, paddlepaddle-gpu, mxnet-cu101, a +cuXXX local tag, jax[cuda12]; or in words: the GPU version of tensorflow, my CUDA torch) said or shown removed or replaced by the same framework without the marker (its plain twin) or by its CPU build, whoever did it: the writer's words in any wording (uninstalls ... and reinstalls the CPU version; replaced my torch+cu121 with torch 2.3.0; installed tensorflow 1.14 instead of my tensorflow-gpu) or an installer's output (pip's Successfully uninstalled torch-2.1.0+cu118 then Successfully installed torch-2.1.0; uv's - and + rows; poetry's Updating (2.1.0+cu118 -> 2.3.0)); where the plain twin is a CPU build (knowledge/cpu_packages.toml [[gpu_marker]] and [[plain_install]]).",
        why="pip meets a requirement by name and release only: a package that requires torch==2.3.0 or tensorflow is given the default index's wheel, which replaces the GPU build; that wheel is the CPU build for onnxruntime, paddlepaddle, mxnet and jaxlib, for PyPI's torch on native Windows and macOS, and for pip's tensorflow before 2.1 and on native Windows after 2.10.",
        example="I am trying to install sagemaker_tensorflow, however it uninstalls whatever tensorflow-gpu version I have and reinstalls the CPU version.\n(https://github.com/aws/sagemaker-tensorflow-extensions/issues/20)",
        fix="Install the GPU build again after the package that replaced it (or install that package with --no-deps and its other requirements by hand), and keep its requirement from pulling the plain build (a constraints file pinning the GPU build).",
        limits="Quiet on a question, a condition, advice, a negation, or the writer's own removal of the GPU build (I uninstalled ... and installed ...); where the plain twin is a GPU build on the log's platform and release (PyPI's torch on Linux, pip's tensorflow 2.1+ on Linux) it stays quiet, and where neither is shown it ranks low and says what would decide.",
        references=("https://pip.pypa.io/en/stable/topics/dependency-resolution/", "https://pytorch.org/get-started/locally/",
                    "https://www.tensorflow.org/install/pip", "https://onnxruntime.ai/docs/install/"),
    ),
)
def gpu_build_replaced_by_twin(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.gpu_build_replaced or subject.gpu_in_use:
        return
    from whygpu.explain.judge import log_cause_fix
    from whygpu.knowledge.cpu_packages import gpu_marked_build

    for seen in facts.gpu_build_replaced:
        replaced = seen.value
        framework = replaced.framework or next(iter(sorted(facts.mentioned, key=lambda fw: facts.mentioned[fw])), "")
        cpu: bool | None
        if replaced.cpu_words:
            cpu, because, decides = True, f"{replaced.twin} is named the CPU build", ""
        else:
            cpu, because, decides = _twin_build(subject, framework, replaced.release)
            if cpu is False:
                continue  # the plain twin is a GPU build here (PyPI's torch on Linux)
        title = (f"{replaced.gpu} was replaced by {replaced.twin}, a CPU build: {because}" if cpu
                 else f"{replaced.gpu} was replaced by {replaced.twin}, which may be a CPU build ({decides} decides)")
        yield Hit(
            title=title,
            evidence=_ev(seen),
            fix=("Install the GPU build again after the package that replaced it (or install that package with --no-deps and its other "
                 "requirements by hand), and keep its requirement from pulling the plain build (a constraints file, pip install -c, pinning "
                 "the GPU build). " + log_cause_fix("FRAMEWORK_CPU_BUILD", subject, framework=framework or None)),
            confidence=Confidence.MEDIUM if cpu else Confidence.LOW,
            scope=framework,
            blocks_gpu=bool(cpu),
            severity=Severity.ERROR if cpu else Severity.WARNING,
            extra={"read_from": "the GPU build replaced by its plain twin (explain.twinsaid), judged by knowledge.cpu_packages.plain_twin_cpu"},
        )
        marker = gpu_marked_build(replaced.gpu.split(" -> ")[0])
        if replaced.start != replaced.end and marker is not None and marker.plain_cpu != "platform" and marker.framework != "jax":
            # a twin with its own distribution name: pip need not have removed the GPU one (both installed over one package)
            yield alternative_hit("FRAMEWORK_INSTALL_BROKEN", _ev(seen), "FRAMEWORK_CPU_BUILD", scope=framework)
        return


INSTALL_RULES.append(gpu_build_replaced_by_twin)


# accsaid (session 29): the writer's own words that the GPU build was never installed ("I didn't have tensorflow-gpu
# installed", "I only installed tensorflow, not tensorflow-gpu", "we never installed the GPU version of torch"): what was
# installed is the plain twin. Where the GPU build is named by a distribution of its own whose plain twin is a GPU build on
# the log's platform and release (tensorflow 2.1+ on Linux: tensorflow-gpu is then an alias), the words say nothing of the
# build and the rule stays quiet. Counted over the labelled logs at session 29 (--grep "(?:didn't|did not|never) (?:have|install)
# ... -gpu"): FRAMEWORK_CPU_BUILD 1 of 1.
@rule(
    "LOG396", "log-gpu-build-not-installed-said", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Finds the writer's own words that the framework's GPU build was never installed: I didn't have tensorflow-gpu installed; I only installed tensorflow, not tensorflow-gpu; we never installed the GPU version of torch; tensorflow-gpu was not installed.",
        why="Without its GPU build the framework that runs is its plain twin, a CPU build wherever the twin has no CUDA code (pip's tensorflow before 2.1 and on native Windows after 2.10, onnxruntime, paddlepaddle, mxnet, jaxlib).",
        example="I didn't have tensorflow-gpu installed, only tensorflow 1.13; nvidia-smi showed no process on the GPU.",
        fix="Install the GPU build (tensorflow-gpu of the same release before 2.1, tensorflow[and-cuda] on Linux from 2.14, torch from its CUDA index, onnxruntime-gpu, jax[cuda12]).",
        limits="Quiet on a question, a condition, advice, and where the writer says the GPU build installed afterwards did not help; quiet where the plain twin is a GPU build on the log's platform and release.",
        references=("https://www.tensorflow.org/install/pip", "https://pypi.org/project/tensorflow-gpu/"),
    ),
)
def gpu_build_not_installed_said(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.gpu_build_not_installed or subject.gpu_in_use:
        return
    from whygpu.explain.judge import log_cause_fix
    from whygpu.knowledge.cpu_packages import gpu_marked_build

    for seen in facts.gpu_build_not_installed:
        said = seen.value
        marker = gpu_marked_build(said.twin)
        framework = said.framework or next(iter(sorted(facts.mentioned, key=lambda fw: facts.mentioned[fw])), "")
        if marker is not None and marker.plain_cpu != "always":
            cpu, _because, _decides = _twin_build(subject, marker.framework, said.release)
            if cpu is False:
                continue  # tensorflow-gpu unnamed beside a tensorflow that has CUDA code: not the build
        yield Hit(
            title=f"The writer says {said.twin} was not installed: the framework that ran is its plain build, without CUDA",
            evidence=_ev(seen),
            fix=log_cause_fix("FRAMEWORK_CPU_BUILD", subject, framework=framework or None),
            confidence=Confidence.MEDIUM,
            scope=framework,
            blocks_gpu=True,
        )
        return


INSTALL_RULES.append(gpu_build_not_installed_said)
