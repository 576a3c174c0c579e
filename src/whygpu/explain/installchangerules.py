"""The log rule that judges the writer's account that the GPU stopped working after an install of another package
(accbroken, session 34).

A package's requirement is met by name and release from the default index, which uninstalls the framework's build that
worked (knowledge/install_change.toml): what is left is another release, and on some platforms the CPU build. The facts
are ``explain.installchange``'s; the cause they mean on the log's platform is ``knowledge.install_change``'s one decision.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu import lazyre as re
from whygpu.explain.judge import LogSubject, alternative_hit
from whygpu.explain.logfacts import LogFacts, Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Finding, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

_SOURCE = "https://pip.pypa.io/en/stable/topics/dependency-resolution/"
# A finding's evidence line: "<source>:<line>: <text>".
_EVIDENCE_PLACE = re.compile(r"^(.*?:\d+): ")


def _line(where: str) -> tuple[str, int]:
    source, _, number = where.rpartition(":")
    return source, int(number) if number.isdigit() else -1


def _after(where: str, onset: str) -> bool:
    """Whether ``where`` is the onset's line or a later one of the same file."""
    (file_a, line_a), (file_b, line_b) = _line(where), _line(onset)
    return file_a == file_b and line_a >= line_b >= 0


def _trouble(subject: LogSubject, onset: Seen[Any]) -> list[Any]:
    """What shows the GPU not used or blocked: the framework's answer or the writer's words that it went unused, a library
    said not loaded, a failure line read by a signature (a generic one too: "Could not load dynamic library ...") or a rule; for an account whose
    sentence says no more than the install, only what comes at or after it in the same paste."""
    facts = subject.facts
    unused: list[Any] = [*facts.gpu_unused(), *facts.library_failed, *facts.load_failed]
    failures: list[Finding] = [f for f in (*subject.matched, *subject.doctor)
                               if f.severity is Severity.ERROR and f.alternative_to is None and f.blocks_gpu is not False]
    if onset.value.how != "onset":
        return [*unused, *failures]
    later: list[Any] = [s for s in unused if _after(s.where, onset.where)]
    later += [f for f in failures if any((m := _EVIDENCE_PLACE.match(e)) and _after(m.group(1), onset.where) for e in f.evidence)]
    return later


def _platform(facts: LogFacts) -> str | None:
    name = facts.platform_name()
    return "linux" if name in ("linux", "colab", "wsl", "wsl1", "wsl2") or (name is None and facts.in_container) else name


# Counted over the labelled logs at session 34 (the corpus's cases where the reader finds such an account): see
# docs/explain-accuracy.md, Session 34 (accbroken).
@rule(
    "LOG575", "log-install-changed-framework", "FRAMEWORK_INSTALL_BROKEN", Severity.ERROR,
    RuleDoc(
        what="Reads the writer's account that the trouble started with an install of another package: a clause of time naming the install (after installing mace, as soon as I install tf-models-official, when I install scarlet2) with what changed in the same sentence (it installed torch-2.5.1 instead, the version gets reverted to 0.6.2, now it runs on the CPU only) or the failure on the lines after it; not an install of the framework itself, the driver, CUDA or Python, not a question, advice or supposition, and not where the log shows the GPU in use.",
        why="pip, uv and conda meet a requirement by name and release from the default index and uninstall the build that was there: the framework that worked is replaced by another release (that may need a newer driver, or no longer match its companions and CUDA libraries), or on native Windows and macOS by PyPI's CPU-only torch.",
        example="I am using torch-1.13.0+cu117. However, after installing mace (version 0.3.9), it automatically installed torch-2.5.1 instead. After this the device cannot use CUDA and only uses the CPU.\n(https://github.com/ACEsuit/mace/issues/783)",
        fix="See what the package's requirements replace (pip install --dry-run <package>), reinstall the framework's GPU build, and install the package with a pin that keeps it (a constraints file, pip install -c) or with --no-deps.",
        limits="The words only tell the order things happened in: an install the writer names may not be what changed the framework. Where the build left is the CPU one on the log's platform (PyPI's torch on native Windows), FRAMEWORK_CPU_BUILD leads; an install of the GPU build replaced by its plain twin is LOG395's.",
        references=(_SOURCE, "https://pytorch.org/get-started/locally/", "https://www.tensorflow.org/install/pip"),
    ),
)
def install_changed_framework(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.install_change or subject.gpu_in_use or facts.gpu_build_replaced:
        return
    from whygpu.explain.judge import log_cause_fix
    from whygpu.knowledge.causes import cause_meaning
    from whygpu.knowledge.install_change import install_change_cause

    onset = facts.install_change[0]
    change = onset.value
    trouble = _trouble(subject, onset)
    if not trouble and not (change.how == "changed" and change.cpu_words):
        # (a sentence that says the install put a CPU build of the framework in place says what went wrong by itself)
        return
    mentioned = sorted(facts.mentioned, key=lambda fw: facts.mentioned[fw])
    framework = change.framework or (mentioned[0] if len(mentioned) == 1 else None)
    decided = install_change_cause(framework, platform=_platform(facts), release=change.release, cpu_said=change.cpu_words)
    cause = decided.cause
    also = [c for c in dict.fromkeys(decided.also) if c != cause][:2]
    what = {"changed": f"changed {framework or 'the framework'}" + (f" (to {change.release})" if change.release else ""),
            "gpu_lost": "left the GPU unused", "onset": "came before the failure"}[change.how]
    shown = [t for t in trouble if isinstance(t, Seen)][:1]
    evidence = _ev(onset, *shown)
    yield Hit(
        title=f"The log says installing {change.package} {what}: another package's requirements replaced the framework's build. "
              f"Likeliest: {cause_meaning(cause)}",
        evidence=evidence,
        fix=(f"Run {decided.decides}; reinstall the framework's GPU build and install {change.package} so that it keeps it (a "
             "constraints file pinning the GPU build: pip install -c constraints.txt, or --no-deps and its other requirements by hand). "
             + log_cause_fix(cause, subject, framework=framework)),
        confidence=Confidence.MEDIUM if change.how == "changed" else Confidence.LOW,
        cause=cause,
        scope=framework or "",
        blocks_gpu=True,
        extra={"why": decided.because, "source": _SOURCE},
    )
    for alt in also:
        yield alternative_hit(alt, evidence[:1], cause, scope=framework or "", program=framework)


INSTALL_CHANGE_RULES: list[Rule[LogSubject]] = [install_changed_framework]
