"""The log rule of two launchers on one machine: CUDA loads in one and not in the other (accshellenv, session 36).

LOG660 reads the writer's contrast (the program works from a shell, plain python or an activated environment, and fails in
a notebook's kernel, an IDE, IPython through python.app, a hub's spawner: explain.works.launch_env_differs) or the writer's
word that such a launcher does not get a loader variable (explain.launchdiff), in a log that names CUDA, and judges it with
the knowledge layer's one decision (``knowledge.launchers.launch_env_cause``): the same install loads in one launcher, so
what the other lacks is the search path (CUDA_LIBS_NOT_ON_PATH). Quiet where the failing side shows a module not found at
all (another interpreter) and where the log names no CUDA.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule


@rule(
    "LOG660", "log-launcher-without-loader-path", "CUDA_LIBS_NOT_ON_PATH", Severity.ERROR,
    RuleDoc(
        what="Reads the writer's word that the same program loads CUDA (or imports the framework) started one way and not another on the same machine (a terminal, plain python or an activated environment against a Jupyter kernel, an IDE, IPython through python.app, a hub's spawner: explain.works.launch_env_differs), or that such a launcher does not get LD_LIBRARY_PATH, DYLD_LIBRARY_PATH, CUDA_PATH or PATH (explain.launchdiff), in a log that names CUDA, and judges it with knowledge.launchers.launch_env_cause.",
        why="A launcher passes the program the environment it was itself started with plus its own settings: a notebook server, a kernel spec, an IDE started from the desktop or a hub's spawner does not read the variables a shell's ~/.bashrc or `conda activate` set, and macOS removes DYLD_* from processes started through protected executables. The library the shell's run loaded is installed; it is off the other launcher's search path.",
        example="The current Anaconda Python on Mac OS X is eating the `DYLD_LIBRARY_PATH` environment variable when calling `ipython`.\n(https://github.com/apache/mxnet/issues/411)",
        fix="Set the variable where that launcher reads it (the kernel spec's env, the IDE's run configuration or env file, the spawner's env_keep), or start the launcher from the shell where it is set; on Windows add the CUDA folder with os.add_dll_directory.",
        limits="Quiet where the failing side shows a module not found at all (the launcher runs another interpreter: another environment, a CPU build) and where the log names no CUDA; the writer's contrast is read, not verified.",
        references=("https://jupyter-client.readthedocs.io/en/stable/kernels.html#kernel-specs", "https://man7.org/linux/man-pages/man8/ld.so.8.html"),
    ),
)
def launcher_without_loader_path(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.knowledge.launchers import launch_env_cause

    facts = subject.facts
    if not (facts.stated_launch_env or facts.launch_var_dropped) or not facts.launch_cuda_named:
        return
    place = facts.stated_launch_env[0].value if facts.stated_launch_env else None
    var = facts.launch_var_dropped[0].value if facts.launch_var_dropped else None
    platform = facts.platform[0].value if facts.platform else None
    reading = launch_env_cause(place, var, cuda_named=True, other_interpreter=bool(facts.launch_other_interpreter), platform=platform)
    if reading is None:
        return
    where = reading.place.label if reading.place is not None else "the launcher where it fails"
    said = [*facts.stated_launch_env[:1], *facts.launch_var_dropped[:1]]
    evidence = _ev(*said, *facts.launch_cuda_named[:1])
    if reading.var is not None:
        title = f"{reading.var.name} does not reach {where}: CUDA's libraries are off the search path the program gets there"
    else:
        title = f"The program loads CUDA when started from a shell but not in {where}: the libraries are off that launcher's search path"
    fix_lines = [reading.place.fix if reading.place is not None else
                 "Set the variable where the failing launcher reads it (its own environment settings), or start that launcher from the shell where it is set."]
    if reading.place is not None:
        fix_lines.append(f"Why: {reading.place.gets} ({reading.place.source}).")
    if reading.var is not None:
        fix_lines.append(f"{reading.var.name}: {reading.var.means} ({reading.var.source}).")
    fix_lines.append(f"What decides: {reading.decides}.")
    yield Hit(
        title=title,
        evidence=evidence,
        fix="\n".join(fix_lines),
        confidence=Confidence.MEDIUM,
        cause=reading.cause,
        blocks_gpu=True,
        extra={"read_from": "two launchers of one machine (knowledge.launchers.launch_env_cause)", "basis": reading.basis},
    )


LAUNCHENV_RULES: list[Rule[LogSubject]] = [launcher_without_loader_path]
