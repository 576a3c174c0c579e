"""The deep-probe rules (DEEP001...): what each framework and the driver said in their own processes, merged with the static findings.

Each rule reads ``snapshot.deep`` only (and the static facts beside it), so a snapshot taken with
``--deep`` gives the same findings anywhere.  With no deep section every rule is quiet.  Where
a deep answer agrees with a static blocker it adds the framework's own words to that cause;
where the static checks expected the GPU to work and the framework disagrees, it says so.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from whygpu.model import Cause, Confidence, Severity
from whygpu.probes import DeepReport, FrameworkAnswer, ProbeOutcome
from whygpu.rules import deep_view as view
from whygpu.rules.deep_view import DeepSubject
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, Unknown, rule
from whygpu.snapshot import Snapshot

_DEEP_REFERENCE = "https://www.tensorflow.org/guide/gpu"
_LOWER = {Confidence.HIGH: Confidence.MEDIUM, Confidence.MEDIUM: Confidence.LOW, Confidence.LOW: Confidence.LOW}


def _report(snapshot: Snapshot) -> DeepReport | None:
    return view.load(snapshot).report


def _answered(snapshot: Snapshot) -> Iterator[tuple[ProbeOutcome, FrameworkAnswer]]:
    """Framework probes that answered and whose framework imported."""
    report = _report(snapshot)
    if report is None:
        return
    for outcome in report.probes.values():
        framework = outcome.answer.framework if outcome.answer else None
        if outcome.status != "ok" or framework is None or not framework.installed or framework.import_error:
            continue
        yield outcome, framework


def _probe_name(outcome: ProbeOutcome) -> str:
    """"The CUDA driver probe", "The PyTorch probe": for the start of a sentence."""
    name = view.PRETTY.get(outcome.probe, outcome.probe)
    name = name if name.startswith("the ") else f"the {name}"
    return f"{name[0].upper()}{name[1:]} probe"


def _interpreter_broken(snapshot: Snapshot, outcome: ProbeOutcome) -> str | None:
    """Why the interpreter itself, not the framework or the driver, ended this probe; None when it ran the probe's code.

    A child that stopped before announcing its first step never ran whygpu's probe code: its
    interpreter hung or died while starting (a broken build, a sitecustomize.py, a .pth file).
    """
    if outcome.phase is not None:
        return None
    envs = snapshot.pythons if isinstance(snapshot.pythons, list) else []
    known = next((e.interpreter_error for e in envs if e.executable == outcome.python and e.interpreter_error), None)
    return known or "it stopped before running any of the probe's code"


def _intro(outcome: ProbeOutcome) -> str:
    return f"{view.label(outcome)}, started by the deep probe with {outcome.python},"


def _own_words(outcome: ProbeOutcome, words: view.Words, last: int = 6) -> list[str]:
    """The lines the explain engine cited, plus the error lines among the framework's last lines it did not cite.

    When the engine cited nothing, the last lines themselves are the framework's final words.
    """
    cited = list(words.evidence)
    # The engine may shorten a long line: a line is the same line by its place, or by its message.
    places = {view.log_order(line) for line in cited}
    seen = {view.message_of(line) for line in cited}
    for line in view.tail_evidence(outcome, last):
        if view.log_order(line) in places or view.message_of(line) in seen or (cited and not view.is_error_line(line)):
            continue
        seen.add(view.message_of(line))
        cited.append(line)
    # In the order the framework printed them, stream by stream, Python's import machinery last.
    return view.machinery_last(sorted(cited, key=view.log_order))


def _lists_no_gpu(outcome: ProbeOutcome, framework: FrameworkAnswer) -> list[str]:
    """The first evidence line of a framework that lists no GPU, and its other answers after it."""
    answers = view.said(framework)
    first = f"{_intro(outcome)} lists no GPU" + (f" ({answers[0]})" if answers else "")
    return [first, *answers[1:]]


def _generic_fix(cause: str, snapshot: Snapshot, outcome: ProbeOutcome | None) -> str:
    """The fix for a cause the deep probe found on its own: the snapshot's fix builder for the cause, else the question to ask by hand."""
    from whygpu.rules.fixes import cause_fix

    env, fw = view.environment_of(snapshot, outcome) if outcome is not None else (None, None)
    name = view.PRETTY.get(outcome.probe, "the framework") if outcome is not None else "the framework"
    fix = cause_fix(cause, snapshot, env, fw, name)
    if fix or outcome is None:
        return fix
    return f"Run `{view.ask_command(outcome)}` to see {name}'s own answer."


def _from_words(words: view.Words, snapshot: Snapshot, outcome: ProbeOutcome) -> tuple[Cause, str] | None:
    """The likeliest cause the framework's own lines point to, and its fix."""
    if not words.causes:
        return None
    lead = words.causes[0]
    fix = lead.fix or _generic_fix(lead.code, snapshot, outcome)
    from whygpu.rules.fixes import INSTALL_CAUSES

    if lead.code in INSTALL_CAUSES:
        # The engine's fix is generic; the install line for the versions found here is exact.
        env, fw = view.environment_of(snapshot, outcome)
        if fw is not None:
            from whygpu.rules.fixes import framework_gpu_install

            install = framework_gpu_install(env, fw, snapshot)
            if install and install not in fix:
                fix = f"{install}\n{fix}" if fix else install
    return lead, fix


def _driver_cause(snapshot: Snapshot) -> tuple[str, Confidence, list[str]] | None:
    """What the driver probe says is wrong, when it says something is."""
    report = _report(snapshot)
    if report is None:
        return None
    for outcome in report.probes.values():
        driver = outcome.answer.driver if outcome.answer else None
        if driver is None:
            continue
        if not driver.loaded:
            return "DRIVER_MISSING", Confidence.MEDIUM, [f"the driver probe could not load {driver.library}: {driver.load_error}"]
        for call in driver.calls:
            if call.code:
                known = _cuda_error(call.code)
                cause = known.cause if known is not None and known.cause else "GPU_FAULT"
                return cause, Confidence.MEDIUM, [_call_text(call.function, call.code, call.name, call.message)]
    return None


def _cuda_error(code: int) -> Any:
    from whygpu.knowledge.cuda import cuda_error

    return cuda_error(code, api="driver") or cuda_error(code)


def _call_text(function: str, code: int | None, name: str | None, message: str | None) -> str:
    text = f"{function} returned {code}"
    if name:
        text += f" {name}"
    if message:
        text += f": {message}"
    return text


# --------------------------------------------------------------------------------------------


@rule(
    "DEEP001", "framework-confirms-no-gpu", "NO_GPU", Severity.ERROR,
    RuleDoc(
        what="With --deep: the framework, started in its own process, lists no GPU, and the static checks already found what blocks it. "
             "The framework's own lines join that cause as evidence.",
        why="The framework's own answer is the final word; when it agrees with the static diagnosis, its log lines (cuInit errors, libraries it "
            "could not load) show the user the same cause in the words they will see in their own jobs.",
        example="A CPU VM with tensorflow 2.21: TensorFlow prints 'Could not find cuda drivers on your machine' and 'failed call to cuInit', "
                "and lists no GPU; the static checks found no NVIDIA GPU on the PCI bus.",
        fix="The fix of the cause it confirms.",
        limits="Joins one static cause: the one the framework's own lines name, else the most fundamental; the others stay as the static rules reported them.",
        references=(_DEEP_REFERENCE,),
    ),
)
def framework_confirms_no_gpu(subject: DeepSubject) -> Iterator[Outcome]:
    snapshot = subject.snapshot
    loaded = view.load(snapshot)
    if loaded.error:
        yield Unknown(loaded.error)
        return
    for outcome, framework in _answered(snapshot):
        if framework.lists_gpu:
            continue
        blockers = subject.static_blockers(outcome.scope)
        if not blockers:
            continue
        words = subject.words(outcome)
        # Join the blocker the framework's own words name (torch's "not compiled with CUDA" is
        # the CPU build, not the missing GPU); else the most fundamental one.
        said = {c.code for c in words.causes}
        lead = next((b for b in blockers if b.code in said), blockers[0])
        first, *answers = _lists_no_gpu(outcome, framework)
        evidence = [first, *_own_words(outcome, words), *answers]
        yield Hit(
            title=f"{view.label(outcome)} itself lists no GPU, as expected: {lead.title[:1].lower() + lead.title[1:]}",
            evidence=tuple(evidence),
            cause=lead.code,
            confidence=_LOWER[lead.confidence],
            scope=outcome.scope,
            extra={"probe": outcome.probe, "confirms": list(lead.findings)},
        )


@rule(
    "DEEP002", "framework-contradicts-static", "FRAMEWORK_INSTALL_BROKEN", Severity.ERROR,
    RuleDoc(
        what="With --deep: the static checks found nothing blocking the framework, yet the framework, asked in its own process, lists no GPU. "
             "The cause comes from the framework's own lines (through the explain signatures), then from the driver probe, then from the "
             "framework's own build flag.",
        why="Reading files cannot see everything (a library that fails to initialise, a plugin that does not register, a driver that refuses "
            "the process); when the framework disagrees with the static analysis, its answer wins and the report must say so.",
        example="TensorFlow 2.21 whose [and-cuda] wheels are all present, printing 'Loaded runtime CuDNN library: 9.1.0 but source was compiled "
                "with: 9.3.0' and listing no GPU.",
        fix="The fix for the cause the framework's words point to; when they point nowhere, reinstall the framework in a fresh environment.",
        limits="When neither the framework's output nor the driver names a cause, the finding falls back to FRAMEWORK_INSTALL_BROKEN with low confidence.",
        references=(_DEEP_REFERENCE, "https://pytorch.org/docs/stable/notes/cuda.html"),
    ),
)
def framework_contradicts_static(subject: DeepSubject) -> Iterator[Outcome]:
    snapshot = subject.snapshot
    for outcome, framework in _answered(snapshot):
        if framework.lists_gpu or subject.static_blockers(outcome.scope):
            continue
        words = subject.words(outcome)
        first, *answers = _lists_no_gpu(outcome, framework)
        evidence = [first + ", although the static checks found no blocker"]
        found = _from_words(words, snapshot, outcome)
        driver = _driver_cause(snapshot)
        if found is not None:
            lead, fix = found
            cause, confidence = lead.code, lead.confidence
            evidence += _own_words(outcome, words)
        elif driver is not None:
            cause, confidence, driver_evidence = driver
            fix = _generic_fix(cause, snapshot, outcome)
            evidence += driver_evidence + view.tail_evidence(outcome, 4)
        elif framework.gpu_build is False:
            cause, confidence = "FRAMEWORK_CPU_BUILD", Confidence.HIGH
            fix = _generic_fix(cause, snapshot, outcome)
            evidence += [f"{view.PRETTY[outcome.probe]} says it was built without CUDA"]
        else:
            cause, confidence = "FRAMEWORK_INSTALL_BROKEN", Confidence.LOW
            fix = _generic_fix(cause, snapshot, outcome)
            evidence += view.tail_evidence(outcome, 6)
        yield Hit(
            title=f"The static checks expected {view.label(outcome)} to use the GPU, but it lists none",
            evidence=tuple(dict.fromkeys([*evidence, *answers])),
            fix=fix,
            cause=cause,
            confidence=confidence,
            scope=outcome.scope,
            extra={"probe": outcome.probe},
        )
        # The framework's lines may point to more than one cause: list the others, less sure.
        for other in words.causes[1:]:
            if other.code == cause or other.confidence is Confidence.LOW:
                continue
            yield Hit(
                title=f"{view.label(outcome)}'s output also points to: {other.title}",
                evidence=other.evidence,
                fix=other.fix,
                cause=other.code,
                confidence=_LOWER[other.confidence],
                severity=Severity.WARNING,
                scope=outcome.scope,
                extra={"probe": outcome.probe},
            )


@rule(
    "DEEP003", "gpu-operation-failed", "FRAMEWORK_INSTALL_BROKEN", Severity.ERROR,
    RuleDoc(
        what="With --deep: the framework lists a GPU, but the small operation the probe runs there (a matmul on /GPU:0, a tensor product on "
             "cuda, a jitted product on the first GPU) fails, or runs somewhere else.",
        why="A listed GPU that cannot run a kernel is as useless as none, and the error names the cause: no kernel image for this architecture, "
            "out of memory held by other processes, a cuDNN or cuBLAS that fails to initialise.",
        example="PyTorch on an RTX 5090 with a build whose arch list stops at sm_90: 'CUDA error: no kernel image is available for execution on the device'.",
        fix="The fix for the cause the error points to.",
        limits="One small operation in float32; an operation that only fails at scale (memory, specific kernels) is not tried.",
        references=("https://docs.nvidia.com/cuda/cuda-driver-api/group__CUDA__TYPES.html",),
    ),
)
def gpu_operation_failed(subject: DeepSubject) -> Iterator[Outcome]:
    snapshot = subject.snapshot
    for outcome, framework in _answered(snapshot):
        operation = framework.operation
        if not framework.lists_gpu or not operation.attempted or (operation.ok and operation.on_gpu is not False):
            continue
        gpus = ", ".join(g.details.get("name", g.name) for g in framework.gpus)
        evidence = [f"{_intro(outcome)} lists {gpus}"]
        if operation.error:
            # The error names the cause best; the framework's other lines come second.
            evidence.append(view.find_line(outcome, operation.error) or f"the operation on {operation.requested} failed: {operation.error}")
            words = subject.words_of(operation.error, f"{outcome.probe} probe operation")
            if not words.causes:
                words = subject.words(outcome)
                evidence += _own_words(outcome, words)
        else:
            evidence.append(f"the operation asked for {operation.requested} but ran on {operation.placed_on}")
            words = subject.words(outcome)
            evidence += _own_words(outcome, words)
        found = _from_words(words, snapshot, outcome)
        blockers = subject.static_blockers(outcome.scope)
        if found is not None:
            lead, fix = found
            cause, confidence = lead.code, lead.confidence
        elif blockers:
            cause, confidence, fix = blockers[0].code, _LOWER[blockers[0].confidence], ""
        else:
            cause = "FRAMEWORK_INSTALL_BROKEN"
            confidence = Confidence.LOW if operation.error else Confidence.MEDIUM
            fix = _generic_fix(cause, snapshot, outcome)
        evidence = list(dict.fromkeys(evidence))
        title = (f"{view.label(outcome)} lists the GPU but cannot run an operation on it" if operation.error
                 else f"{view.label(outcome)} lists the GPU but its operation ran on {operation.placed_on}")
        yield Hit(title=title, evidence=tuple(evidence), fix=fix, cause=cause, confidence=confidence,
                  scope=outcome.scope, extra={"probe": outcome.probe})


def _stopped_cause(subject: DeepSubject, outcome: ProbeOutcome, default: str, confidence: Confidence) -> tuple[str, Confidence, list[str], str | None]:
    words = subject.words(outcome)
    if words.causes:
        lead = words.causes[0]
        return lead.code, _LOWER[lead.confidence], words.evidence, lead.fix or None
    return default, confidence, [], None


@rule(
    "DEEP004", "probe-timed-out", "FRAMEWORK_INSTALL_BROKEN", Severity.WARNING,
    RuleDoc(
        what="With --deep: a framework (or the driver) did not answer within the probe timeout, so its process group was killed.",
        why="A framework that hangs while importing or while initialising CUDA will hang the user's job the same way; a process that cannot be "
            "killed at all is stuck in the kernel, which means a hung driver or GPU.",
        example="import torch blocking for minutes on a network file system; cuInit never returning on a GPU that fell off the bus.",
        fix="Run the same question by hand to see where it stops; if it is only slow, raise --deep-timeout.",
        limits="A slow first import (cold caches, network file systems) looks the same as a hang; the step it stopped in and its Python stack "
               "(printed shortly before the kill) tell them apart.",
        references=("https://docs.python.org/3/library/faulthandler.html",),
    ),
)
def probe_timed_out(subject: DeepSubject) -> Iterator[Outcome]:
    snapshot = subject.snapshot
    report = _report(snapshot)
    if report is None:
        return
    for outcome in report.probes.values():
        if outcome.status != "timeout":
            continue
        step = outcome.phase or "start-up"
        broken = _interpreter_broken(snapshot, outcome)
        if broken is not None and not outcome.survivors:
            yield _broken_interpreter_hit(outcome, f"timed out after {outcome.timeout_s:g} s", broken)
            continue
        in_cuda = step not in ("import", "start-up", "build_info")
        cause, confidence, words_evidence, fix = _stopped_cause(
            subject, outcome, "GPU_FAULT" if in_cuda else "FRAMEWORK_INSTALL_BROKEN", Confidence.LOW)
        evidence = [f"{_intro(outcome)} was killed after {outcome.timeout_s:g} s, still in step '{step}'"]
        if outcome.survivors:
            # SIGKILL cannot end a process blocked inside the kernel: the driver itself is stuck.
            cause, confidence = "GPU_FAULT", Confidence.MEDIUM
            evidence.append(f"process {', '.join(map(str, outcome.survivors))} survived SIGKILL: it is blocked inside the kernel (a hung driver or GPU)")
        evidence += words_evidence or view.tail_evidence(outcome, 10)
        if not any(line.strip() for line in outcome.stderr.lines + outcome.stdout.lines):
            evidence.append("it printed nothing")
        advice = f"Run `{view.ask_command(outcome)}` to see where it stops."
        if in_cuda:
            advice += " A framework that hangs while initialising CUDA usually means a hung driver or GPU: check `nvidia-smi` and `dmesg | grep -i xid`."
        advice += f" If it only needs longer (a first import from a slow disk), run `whygpu doctor --deep --deep-timeout {max(outcome.timeout_s * 5, 300):g}`."
        yield Hit(
            title=f"{_probe_name(outcome)} timed out after {outcome.timeout_s:g} s ({step})",
            evidence=tuple(evidence),
            fix=(fix + "\n" + advice) if fix else advice,
            cause=cause,
            confidence=confidence,
            scope=outcome.scope,
            extra={"probe": outcome.probe, "phase": step},
        )


@rule(
    "DEEP005", "probe-crashed", "FRAMEWORK_INSTALL_BROKEN", Severity.ERROR,
    RuleDoc(
        what="With --deep: the framework's process was killed by a signal (SIGSEGV, SIGABRT, SIGBUS...) before it answered.",
        why="The user's own program will crash the same way; a crash while importing usually means binary packages that do not fit together "
            "(two CUDA library sets in one process, a C extension built for another ABI), and the last lines say which.",
        example="import tensorflow ending in 'Fatal Python error: Segmentation fault' after loading a system libcudnn of another major.",
        fix="Reinstall the framework in a fresh environment with its own CUDA wheels, and keep other CUDA directories out of LD_LIBRARY_PATH.",
        limits="The cause is read from the last lines; a crash that prints nothing is reported as a broken install with low confidence.",
        references=("https://docs.python.org/3/library/faulthandler.html",),
    ),
)
def probe_crashed(subject: DeepSubject) -> Iterator[Outcome]:
    snapshot = subject.snapshot
    report = _report(snapshot)
    if report is None:
        return
    for outcome in report.probes.values():
        if outcome.status != "crashed":
            continue
        step = outcome.phase or "start-up"
        broken = _interpreter_broken(snapshot, outcome)
        if broken is not None:
            yield _broken_interpreter_hit(outcome, f"was killed by {outcome.signal}", broken)
            continue
        cause, confidence, words_evidence, fix = _stopped_cause(
            subject, outcome, "FRAMEWORK_INSTALL_BROKEN", Confidence.MEDIUM if step in ("import", "start-up") else Confidence.LOW)
        evidence = [f"{_intro(outcome)} was killed by {outcome.signal} in step '{step}'"]
        cuda = view.mapped_cuda_libraries(snapshot, outcome, report)
        if cuda:
            evidence.append("CUDA libraries it had loaded: " + ", ".join(p for paths in cuda.values() for p in paths))
        evidence += view.tail_evidence(outcome, 10)
        evidence += [line for line in words_evidence if line not in evidence]
        yield Hit(
            title=f"{view.label(outcome)} crashed ({outcome.signal}) while in step '{step}'",
            evidence=tuple(evidence),
            fix=fix or _generic_fix(cause, snapshot, outcome),
            cause=cause,
            confidence=confidence,
            scope=outcome.scope,
            extra={"probe": outcome.probe, "signal": outcome.signal, "phase": step},
        )


def _broken_interpreter_hit(outcome: ProbeOutcome, what: str, why: str) -> Hit:
    """The interpreter that runs the probes is broken: said once per probe, with the interpreter's fix, never the framework's."""
    from whygpu.rules.frameworks import interpreter_fix

    label = view.PRETTY.get(outcome.probe, outcome.probe)
    evidence = [
        f"the deep probe for {label} {what}, before running any of its code: the interpreter is broken, not {label}",
        *view.tail_evidence(outcome, 6),
    ]
    return Hit(
        title=f"The interpreter {outcome.python} {what} at start-up",
        evidence=tuple(dict.fromkeys(evidence)),
        fix=interpreter_fix(outcome.python),
        cause="FRAMEWORK_INSTALL_BROKEN",
        confidence=Confidence.HIGH,
        scope=outcome.scope,
        extra={"probe": outcome.probe, "phase": "start-up", "interpreter": outcome.python, "why": why},
    )


@rule(
    "DEEP006", "framework-import-failed", "FRAMEWORK_INSTALL_BROKEN", Severity.ERROR,
    RuleDoc(
        what="With --deep: importing the framework raised an exception in its own process.",
        why="A framework that cannot be imported cannot use any device; the exception usually names the missing library or the broken package.",
        example="ImportError: libcudart.so.12: cannot open shared object file: No such file or directory",
        fix="The fix for what the exception names; otherwise reinstall the framework in a fresh environment.",
        references=("https://docs.python.org/3/library/exceptions.html#ImportError",),
    ),
)
def framework_import_failed(subject: DeepSubject) -> Iterator[Outcome]:
    snapshot = subject.snapshot
    report = _report(snapshot)
    if report is None:
        return
    for outcome in report.probes.values():
        framework = outcome.answer.framework if outcome.answer else None
        if outcome.status != "ok" or framework is None or not framework.installed or not framework.import_error:
            continue
        words = subject.words_of(framework.import_error, f"{outcome.probe} probe import")
        own = words if words.causes else subject.words(outcome)
        found = _from_words(own, snapshot, outcome)
        if found is not None:
            cause, confidence, fix = found[0].code, found[0].confidence, found[1]
        else:
            cause, confidence = "FRAMEWORK_INSTALL_BROKEN", Confidence.MEDIUM
            fix = _generic_fix(cause, snapshot, outcome)
        evidence = [f"{_intro(outcome)} failed to import: {framework.import_error}"]
        evidence += _own_words(outcome, own if own is not words else view.Words((), (), None, ()), last=4)
        yield Hit(
            title=f"{view.PRETTY[outcome.probe]} cannot be imported in {outcome.python}",
            evidence=tuple(dict.fromkeys(evidence)),
            fix=fix,
            cause=cause,
            confidence=confidence,
            scope=outcome.scope,
            extra={"probe": outcome.probe},
        )


@rule(
    "DEEP007", "probe-gave-no-answer", "FRAMEWORK_INSTALL_BROKEN", Severity.WARNING,
    RuleDoc(
        what="With --deep: the framework's process exited on its own before answering (something in the import called exit).",
        why="A framework whose import ends the process ends the user's program too; its last lines say why.",
        example="A sitecustomize or a plugin that calls os._exit(1) when it cannot find CUDA.",
        fix="Run the same question by hand and read what it prints.",
        limits="A probe that could not start (no interpreter) is reported as unknown, not as a finding.",
    ),
)
def probe_gave_no_answer(subject: DeepSubject) -> Iterator[Outcome]:
    snapshot = subject.snapshot
    report = _report(snapshot)
    if report is None:
        return
    for outcome in report.probes.values():
        if outcome.status == "not_started":
            yield Unknown(f"the {outcome.probe} probe could not start: {outcome.detail}")
            continue
        if outcome.status not in ("failed", "no_answer"):
            continue
        if outcome.detail:
            yield Unknown(f"the {outcome.probe} probe's answer could not be read: {outcome.detail}")
        cause, confidence, words_evidence, fix = _stopped_cause(subject, outcome, "FRAMEWORK_INSTALL_BROKEN", Confidence.LOW)
        evidence = [f"{_intro(outcome)} exited with status {outcome.returncode} in step '{outcome.phase or 'start-up'}' without answering",
                    *view.tail_evidence(outcome, 8), *words_evidence]
        yield Hit(
            title=f"{view.PRETTY.get(outcome.probe, outcome.probe)} ended its process (exit status {outcome.returncode}) before answering",
            evidence=tuple(dict.fromkeys(evidence)),
            fix=fix or f"Run `{view.ask_command(outcome)}` and read what it prints before it exits.",
            cause=cause,
            confidence=confidence,
            scope=outcome.scope,
            extra={"probe": outcome.probe},
        )


@rule(
    "DEEP008", "driver-library-not-loadable", "DRIVER_MISSING", Severity.ERROR,
    RuleDoc(
        what="With --deep: a child process tries to load the CUDA driver library (libcuda.so.1) through ctypes, as every framework does.",
        why="Without a loadable libcuda no framework can reach a GPU; the loader's own message says whether the file is missing or broken.",
        example="libcuda.so.1: cannot open shared object file: No such file or directory (no driver installed, or a container started without the GPU).",
        fix="Install the NVIDIA driver, or start the container with the GPU.",
        limits="When the static checks already found a more fundamental cause (no GPU at all), the finding joins that cause instead.",
        references=("https://docs.nvidia.com/deploy/cuda-compatibility/index.html",),
    ),
)
def driver_library_not_loadable(subject: DeepSubject) -> Iterator[Outcome]:
    snapshot = subject.snapshot
    report = _report(snapshot)
    if report is None:
        return
    for outcome in report.probes.values():
        driver = outcome.answer.driver if outcome.answer else None
        if driver is None or driver.loaded:
            continue
        evidence = [f"the driver probe ({outcome.python}) could not load {driver.library}: {driver.load_error}"]
        blockers = subject.static_blockers("")
        if blockers:
            lead = blockers[0]
            yield Hit(title=f"{driver.library} cannot be loaded, as expected: {lead.title[:1].lower() + lead.title[1:]}",
                      evidence=tuple(evidence), cause=lead.code, confidence=_LOWER[lead.confidence],
                      extra={"probe": "driver", "confirms": list(lead.findings)})
            continue
        in_container = snapshot.container.in_container is True
        cause = "CONTAINER_NO_GPU" if in_container else "DRIVER_MISSING"
        yield Hit(
            title=f"The CUDA driver library {driver.library} cannot be loaded",
            evidence=tuple(evidence),
            fix=_generic_fix(cause, snapshot, None),
            cause=cause,
            confidence=Confidence.MEDIUM,
            extra={"probe": "driver"},
        )


@rule(
    "DEEP009", "driver-call-failed", "GPU_HIDDEN", Severity.ERROR,
    RuleDoc(
        what="With --deep: a child process calls cuInit, cuDriverGetVersion and cuDeviceGetCount in libcuda directly and maps any error "
             "code to its cause (knowledge/cuda.toml).",
        why="The driver's result code is the most direct answer there is: 100 no device visible, 35 driver too old, 803 user-space driver and "
            "kernel module differ, 804 forward compatibility on an unsupported GPU, 999 a faulty GPU or driver state.",
        example="cuInit returned 803 CUDA_ERROR_SYSTEM_DRIVER_MISMATCH: system has unsupported display driver / cuda driver combination",
        fix="The fix for the cause the code points to.",
        limits="Some codes mean several things (100 is hidden GPUs, a container without GPUs, or no GPU); the static facts pick among them.",
        references=("https://docs.nvidia.com/cuda/cuda-driver-api/group__CUDA__TYPES.html",),
    ),
)
def driver_call_failed(subject: DeepSubject) -> Iterator[Outcome]:
    snapshot = subject.snapshot
    report = _report(snapshot)
    if report is None:
        return
    for outcome in report.probes.values():
        driver = outcome.answer.driver if outcome.answer else None
        if driver is None or not driver.loaded:
            continue
        failed = next((c for c in driver.calls if c.code), None)
        if failed is None or failed.code is None:
            continue
        known = _cuda_error(failed.code)
        libcuda = next((p for p in outcome.mapped() if view.library_stem(p) == "libcuda"), None)
        evidence = [_call_text(failed.function, failed.code, failed.name or (known.name if known else None), failed.message),
                    *(_call_text(c.function, c.code, c.name, c.message) + (f" (value {c.value})" if c.value is not None else "")
                      for c in driver.calls if c is not failed)]
        if libcuda:
            evidence.append(f"libcuda loaded from {libcuda}")
        candidates = [known.cause, *known.also] if known is not None and known.cause else []
        blockers = subject.static_blockers("")
        agreeing = next((b for b in blockers if b.code in candidates), None)
        if agreeing is not None:
            cause, confidence, fix = agreeing.code, _LOWER[agreeing.confidence], ""
        elif candidates:
            cause = candidates[0]
            confidence = Confidence.HIGH if len(candidates) == 1 else Confidence.MEDIUM
            fix = _generic_fix(cause, snapshot, None)
        elif blockers:
            cause, confidence, fix = blockers[0].code, Confidence.LOW, ""
        else:
            cause, confidence, fix = "GPU_FAULT", Confidence.LOW, _generic_fix("GPU_FAULT", snapshot, None)
        meaning = known.meaning if known is not None else (failed.message or "an error the driver did not name")
        yield Hit(
            title=f"The CUDA driver refuses: {failed.function} returned {failed.code} ({meaning})",
            evidence=tuple(evidence),
            fix=fix,
            cause=cause,
            confidence=confidence,
            extra={"probe": "driver", "code": failed.code, "also": [c for c in candidates if c != cause]},
        )


@rule(
    "DEEP010", "cuda-library-loaded-twice", "CUDA_LIBS_MISMATCH", Severity.WARNING,
    RuleDoc(
        what="With --deep: reads which files the framework's process really mapped (/proc/<pid>/maps) and looks for two different files of "
             "the same CUDA library (two libcudart, two libcudnn...).",
        why="Two copies of one CUDA library in a process means one CUDA installation shadows another (LD_LIBRARY_PATH, a conda "
            "environment, pip wheels); symbols then resolve against the wrong copy, which fails or crashes in ways far from the cause.",
        example="/usr/local/cuda-11.8/lib64/libcudart.so.11.0 and site-packages/nvidia/cuda_runtime/lib/libcudart.so.12 both mapped into one PyTorch process.",
        fix="Keep one CUDA for the process: remove the other CUDA directories from LD_LIBRARY_PATH (the framework's pip wheels bring their own).",
        limits="Only libraries whose names the snapshot knows as CUDA libraries are compared.",
        references=("https://docs.jax.dev/en/latest/installation.html#nvidia-gpu",),
    ),
)
def cuda_library_loaded_twice(subject: DeepSubject) -> Iterator[Outcome]:
    snapshot = subject.snapshot
    report = _report(snapshot)
    if report is None:
        return
    for outcome in report.probes.values():
        for library, paths in sorted(view.mapped_cuda_libraries(snapshot, outcome, report).items()):
            if len(set(paths)) < 2:
                continue
            yield Hit(
                title=f"{view.label(outcome)} loaded {len(set(paths))} different {library} libraries into one process",
                evidence=(f"{_intro(outcome)} had these {library} files mapped:", *sorted(set(paths))),
                fix=_generic_fix("CUDA_LIBS_NOT_ON_PATH", snapshot, outcome),
                scope=outcome.scope,
                extra={"probe": outcome.probe, "library": library},
            )


@rule(
    "DEEP011", "loaded-library-differs-from-static", "CUDA_LIBS_NOT_ON_PATH", Severity.INFO,
    RuleDoc(
        what="With --deep: compares the CUDA library files the framework really loaded with the files the static loader model predicted.",
        why="When they differ, another copy shadowed the expected one (or the static model missed a search path); the loaded file is the one "
            "that counts.",
        example="static: site-packages/nvidia/cudnn/lib/libcudnn.so.9 (RUNPATH); loaded: /usr/local/cuda/lib64/libcudnn.so.9 (LD_LIBRARY_PATH first).",
        fix="If the loaded copy is not the one you want, remove its directory from LD_LIBRARY_PATH.",
        limits="Paths are compared by directory and library name without resolving symlinked directories, so a symlinked CUDA directory "
               "can show up as a difference.",
    ),
)
def loaded_library_differs_from_static(subject: DeepSubject) -> Iterator[Outcome]:
    snapshot = subject.snapshot
    report = _report(snapshot)
    if report is None:
        return
    for outcome in report.probes.values():
        _env, fw = view.environment_of(snapshot, outcome)
        if fw is None:
            continue
        mapped = view.mapped_cuda_libraries(snapshot, outcome, report)
        for resolution in fw.libraries:
            loaded = mapped.get(resolution.library)
            if not loaded or resolution.resolved is None:
                continue
            expected = (os.path.dirname(resolution.resolved), view.library_stem(resolution.resolved) or "")
            if any((os.path.dirname(p), view.library_stem(p) or "") == expected for p in loaded):
                continue
            yield Hit(
                title=f"{view.label(outcome)} loaded {resolution.library} from another place than expected",
                evidence=(f"expected {resolution.resolved}" + (f" (via {resolution.via})" if resolution.via else ""),
                          *(f"loaded {p}" for p in loaded)),
                fix="If the loaded copy is not the one you want, remove its directory from LD_LIBRARY_PATH.",
                scope=outcome.scope,
                extra={"probe": outcome.probe, "library": resolution.library},
            )


@rule(
    "DEEP012", "static-finding-contradicted", "NO_GPU", Severity.INFO,
    RuleDoc(
        what="With --deep: the framework ran its operation on the GPU, yet a static check reported an error that should have prevented it.",
        why="The framework's answer is the final word: the static finding is probably wrong here (a fact it could not read, a layout it does "
            "not know). The report keeps both, and says which one the framework contradicts.",
        example="The static loader model finds no libcudnn.so.9, but TensorFlow loads one from a path set by a conda activation script and runs its matmul on GPU:0.",
        fix="Nothing to fix for the GPU; please report the static finding to whygpu with the snapshot.",
        limits="Only error findings for the same framework or for the whole machine are compared.",
        references=("https://github.com/whygpu/whygpu/issues",),
    ),
)
def static_finding_contradicted(subject: DeepSubject) -> Iterator[Outcome]:
    snapshot = subject.snapshot
    for outcome, framework in _answered(snapshot):
        operation = framework.operation
        if not (framework.lists_gpu and operation.ok and operation.on_gpu):
            continue
        for finding in subject.static_error_findings(outcome.scope):
            yield Hit(
                title=f"{view.label(outcome)} ran its operation on {operation.placed_on}, although {finding.id} said: {finding.title}",
                evidence=(f"{_intro(outcome)} lists " + ", ".join(g.details.get("name", g.name) for g in framework.gpus),
                          f"the operation on {operation.requested} ran on {operation.placed_on}"),
                cause=finding.cause,
                confidence=Confidence.HIGH,
                scope=outcome.scope,
                extra={"probe": outcome.probe, "contradicts": finding.id},
            )


RULES: list[Rule[DeepSubject]] = [
    framework_confirms_no_gpu,
    framework_contradicts_static,
    gpu_operation_failed,
    probe_timed_out,
    probe_crashed,
    framework_import_failed,
    probe_gave_no_answer,
    driver_library_not_loadable,
    driver_call_failed,
    cuda_library_loaded_twice,
    loaded_library_differs_from_static,
    static_finding_contradicted,
]

# Codes that were used once and must never be reused: the one list is whygpu.rules.catalogue.REMOVED_CODES.
