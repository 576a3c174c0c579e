"""The log rule of a program's own compiled extension module missing or built without CUDA (accext39, session 39).

GroundingDINO, SAM 2, apex, mmcv, detectron2, PyTorch3D and maskrcnn-benchmark compile C++/CUDA ops on the user's machine and
import them as a module of their own (knowledge/extension_builds.toml, from each program's install docs). The run says the
module is missing in Python's words or the program's fallback warning (explain.extmodule); what decided it happened when the
program was built: no CUDA toolkit found (CUDA_HOME unset, nvcc missing), no GPU seen by torch while building, or the package
flavour without ops. The one decision is ``knowledge.extension_builds.missing_module_reading``:

- LOG850: the program's module missing, read as the state its build left (built without CUDA, toolkit absent or not found,
  the flavour without ops, never built here), with the causes it leaves open ranked after it.

Quiet where torch itself is a CPU build (torch's build is the cause) and on macOS (no CUDA to build with); a fallback warning of
a program marked optional (it runs its model on the GPU without the module) is not read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu.explain.judge import LogSubject, alternative_hit
from whygpu.explain.logfacts import LogFacts, Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Decides, Hit, Outcome, Rule, RuleDoc, rule

_MEANING = {
    "built_without_cuda": "its compiled module ({module}) is missing: it was built without CUDA",
    "toolkit_absent": "its compiled module ({module}) is missing: its build found no CUDA toolkit",
    "toolkit_not_found": "its compiled module ({module}) is missing: its build did not find the CUDA toolkit that is installed",
    "lite_package": "its compiled ops ({module}) are missing: the package installed is the one without ops",
    "not_built": "its compiled module ({module}) is missing: it was not built in this environment",
}


def _torch_cpu_build(facts: LogFacts) -> bool:
    builds = facts.cuda_build.get("torch", [])
    return bool(builds) and not any(b.value for b in builds)


def _line_number(where: str) -> int:
    tail = where.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _build_seen(subject: LogSubject) -> tuple[Any, list[Seen[Any]]]:
    """What the log shows of the build (knowledge.extension_builds.BuildSeen), and the lines that show it."""
    from whygpu.knowledge.extension_builds import BuildSeen, state_of_signature

    facts = subject.facts
    absent = [m for m in subject.messages if (state := state_of_signature(m.signature)) is not None and state.id == "toolkit_not_found"]
    shown: list[Seen[Any]] = [*facts.cuda_home_none[:1], *facts.ext_build_no_gpu[:1]]
    seen = BuildSeen(toolkit_absent=bool(absent or facts.cuda_home_none), toolkit_present=bool(facts.cuda_installed),
                     no_gpu_at_build=bool(facts.ext_build_no_gpu))
    return seen, shown


@rule(
    "LOG850", "log-program-extension-module-missing", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Reads a program's own compiled extension module said missing (\"No module named 'mmcv._ext'\", \"cannot import name '_C' from 'sam2'\", \"NameError: name '_C' is not defined\" in GroundingDINO's code, its \"Failed to load custom C++ ops. Running on CPU mode Only!\", apex's \"installed without --cuda_ext\") as the state its build left, judged by knowledge.extension_builds.missing_module_reading over the program's install docs (knowledge/extension_builds.toml) and what the log shows of the build (CUDA_HOME unset or nvcc missing, a toolkit installed, torch's 'No CUDA runtime is found' while building).",
        why="These programs compile their CUDA ops at install time and build none (or the C++ part only, or ship a flavour without ops) where the build sees no CUDA: the run's import error is the trace of a build without CUDA, and its fix is a rebuild with the toolkit visible or the package with ops, not a change at run time.",
        example="File \"Grounded-Segment-Anything/GroundingDINO/groundingdino/models/GroundingDINO/ms_deform_attn.py\", line 53, in forward\nNameError: name '_C' is not defined\n(https://github.com/IDEA-Research/Grounded-Segment-Anything/issues/15)",
        fix="The program's own install advice (rebuild with CUDA_HOME set and the toolkit of torch's release, FORCE_CUDA where the build machine has no GPU, the package flavour with ops), and the one check that tells its build saw no CUDA.",
        limits="Quiet where torch is a CPU build, on macOS or an Apple GPU, where the writer says the machine has no GPU, and for the fallback warning of a program that runs on the GPU without its module. A NameError names no program: only a traceback's path through a program that imports its module in a try block names it; without one the reading speaks of the module alone. Which of no toolkit or a toolkit not found decided the build is said only where the build's own lines show it; otherwise both rank after the build without CUDA.",
        references=("https://github.com/IDEA-Research/GroundingDINO#hammer_and_wrench-install", "https://mmcv.readthedocs.io/en/latest/get_started/installation.html",
                    "https://detectron2.readthedocs.io/en/latest/tutorials/install.html", "https://github.com/facebookresearch/sam2/blob/main/INSTALL.md"),
        causes=("FRAMEWORK_CPU_BUILD", "CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH", "FRAMEWORK_INSTALL_BROKEN"),
    ),
    decides=Decides(over="generic", cause="any", by="first_line"),
)
def extension_module_missing(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.knowledge.extension_builds import (
        ExtProgram,
        alternative_words,
        missing_module_reading,
        programs,
    )

    facts = subject.facts
    if not facts.ext_module_missing or _torch_cpu_build(facts) or facts.platform_name() == "darwin" or facts.stated_no_gpu \
            or any(s.value.lower() == "apple" for s in facts.stated_gpu_vendor):
        return
    by_name = {p.name: p for p in programs()}
    for seen in facts.ext_module_missing:
        name, how = seen.value
        path: Seen[str] | None = None
        if not name:
            at = _line_number(seen.where)
            before = [s for s in facts.ext_program_path if _line_number(s.where) <= at]
            path = before[-1] if before else (facts.ext_program_path[0] if facts.ext_program_path else None)
            name = path.value if path is not None else ""
        program = by_name.get(name)
        if program is not None and how == "fallback" and program.optional:
            continue
        if program is None:
            # A NameError of a module named by no path: a compiled module imported in a try block, the program unknown.
            program = ExtProgram("the program", "", ("_C",), "skips", False, False, (), "", "", "")
        build, shown = _build_seen(subject)
        reading = missing_module_reading(program, build)
        module = program.modules[0]
        meaning = _MEANING[reading.state].format(module=module)
        why = meaning.split(": ", 1)[-1]
        if how == "said":
            title = f"{program.name}: it was installed without its CUDA extensions: {why}"
        elif program.source:
            title = f"{program.name}: {meaning}"
        else:
            title = f"A compiled extension module ({module}) is missing: {why}"
        fix = (f"{program.install[:1].upper()}{program.install[1:]}." if program.install else
               "Rebuild the program that imports it with CUDA visible (the CUDA toolkit of torch's release installed, CUDA_HOME set), after removing its build directory.")
        evidence = (seen.text.strip()[:300], *(_ev(path) if path is not None else ()), *_ev(*shown))
        # A fallback warning alone says the module is missing, not that the run failed on the GPU: ranked, not decided.
        confident = how != "fallback" and program.source != ""
        yield Hit(
            title=title,
            evidence=evidence,
            fix=f"{fix}\nWhat decides it: {reading.decide}",
            confidence=Confidence.HIGH if confident else Confidence.MEDIUM,
            # The program's own build, not the framework's (build_of): torch's CUDA build rules out no cause of it
            # (explain._ranked_lower); the scope is its display text.
            scope=f"extension {program.name}",
            build_of=program.name,
            cause=reading.cause,
            blocks_gpu=True,
            extra={"read_from": f"the run's line that {program.name}'s compiled module is missing (state {reading.state}), judged by knowledge.extension_builds.missing_module_reading",
                   **({"source": program.source} if program.source else {})},
        )
        for alternative in reading.alternatives:
            alt_title, alt_fix = alternative_words(alternative, program.name if program.source else "the program")
            yield alternative_hit(alternative, evidence[:2], reading.cause, scope=f"extension {program.name}", title=alt_title, fix=alt_fix,
                                  build_of=program.name)
        return


EXT_MODULE_RULES: list[Rule[LogSubject]] = [extension_module_missing]
