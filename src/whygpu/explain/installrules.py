"""The log rules that judge the install state of a framework's packages (accpkg, session 21).

Each rule reads facts of ``explain.installstate`` (pip commands shown run) and asks the knowledge layer's one decision
for them (``knowledge.python_layouts.same_import_repair``); none speaks in a log that shows the GPU in use.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject
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
