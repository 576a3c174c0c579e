"""The log rule that judges the writer's account that the GPU went unused after an update (accupdate, session 37).

What the update most often did depends on what was updated and where (knowledge/update_change.toml): a driver package or a
system-wide upgrade on Linux leaves the old kernel module loaded under new libraries; a program's updater reinstalls its
framework from the default index (PyPI's torch for Windows is the CPU build); the framework itself updated is another
release, sometimes the CPU build or one for a newer CUDA. The facts are ``explain.updatechange``'s; the cause they mean is
``knowledge.update_change``'s one decision.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu.explain.judge import LogSubject, alternative_hit
from whygpu.explain.logfacts import LogFacts, Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Finding, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

_SOURCE = "https://pip.pypa.io/en/stable/topics/dependency-resolution/"
# Which account leads where several are told: the most specific thing updated first.
_KIND_ORDER = ("driver", "system", "framework", "app")


def _platform(facts: LogFacts) -> str | None:
    name = facts.platform_name()
    return "linux" if name in ("linux", "colab", "wsl", "wsl1") else ("docker" if name is None and facts.in_container else name)


def _failures(subject: LogSubject) -> list[Finding]:
    return [f for f in (*subject.matched, *subject.doctor)
            if f.severity is Severity.ERROR and f.alternative_to is None and f.blocks_gpu is not False and not f.generic]


@rule(
    "LOG740", "log-update-changed-gpu", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Reads the writer's account that the GPU went unused after an update: an update or upgrade named as the start (after the update, since upgrading via pip, I ran the update bat and after it, unattended-upgrades upgraded the NVIDIA packages) with what it did in the same sentence or the next (it runs on the CPU, back to pytorch CPU, torch to no cuda, it breaks pytorch) or the GPU unused in the log; what was updated (the driver, the system, the framework, the program) decides the likeliest cause. Not a question, advice, a supposition, an update tried as a remedy, a kernel update (LOG481's), nor where a line of the log names the cause or shows the GPU at work.",
        why="A driver package upgraded on Linux leaves the old kernel module loaded under new libraries until a reboot; a program's updater reinstalls its framework from the default index, whose torch for Windows is the CPU build; a framework updated from the default index is another build, sometimes the CPU one or one for a newer CUDA than the driver supports.",
        example="Previously, it run on the GPU by default, but after the update, it run on the CPU.\n(https://github.com/ollama/ollama/issues/8349)",
        fix="Check the build and the driver the update left (python -c \"import torch; print(torch.__version__, torch.version.cuda)\", nvidia-smi); reinstall the framework's GPU build or reboot after a driver upgrade.",
        limits="The words give the order things happened in, not what changed: the update named may not be what broke it. Speaks at low confidence unless the writer names the CPU build or the driver updated; quiet where a line of the log names a cause.",
        references=(_SOURCE, "https://pytorch.org/get-started/locally/",
                    "https://download.nvidia.com/XFree86/Linux-x86_64/550.54.14/README/commonproblems.html"),
        causes=("FRAMEWORK_CPU_BUILD", "FRAMEWORK_INSTALL_BROKEN", "DRIVER_MISMATCH", "DRIVER_MISSING", "DRIVER_TOO_OLD"),
    ),
)
def update_changed_gpu(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    accounts = [s for s in facts.update_change if s.value.kind != "kernel"]
    if not accounts or subject.gpu_in_use or _failures(subject):
        return  # a line of the log (or the doctor) names the cause: it speaks, not the order of events
    from whygpu.explain.judge import log_cause_fix
    from whygpu.knowledge.causes import cause_meaning
    from whygpu.knowledge.update_change import update_change_cause

    def told(s: Seen[Any]) -> bool:
        change = s.value
        if change.effect == "cpu_build":
            return True  # the writer names the build the update left
        if change.kind == "framework":
            # the framework updated, its build not named: LOG104's ranking over the labelled logs of that framework reads
            # it better than the order of events (a TensorFlow release for another CUDA, a torch CPU build)
            return False
        if change.effect == "gpu_lost":
            return True
        if change.kind not in ("driver", "system"):
            return False  # a program's update told with no more than trouble after it: the words say only the order
        # "the driver upgrade broke pytorch": the driver layer is what the sentence names
        return change.effect == "broke" or bool(facts.gpu_unused() or facts.stated_trouble)

    accounts = [s for s in accounts if told(s)]
    if not accounts:
        return
    accounts.sort(key=lambda s: (s.value.effect != "cpu_build", _KIND_ORDER.index(s.value.kind)))
    seen = accounts[0]
    change = seen.value
    mentioned = sorted(facts.mentioned, key=lambda fw: facts.mentioned[fw])
    framework = change.framework or (mentioned[0] if len(mentioned) == 1 else None)
    decided = update_change_cause(change.kind, platform=_platform(facts), framework=framework, release=change.after,
                                  cpu_said=change.effect == "cpu_build")
    if decided is None:
        return
    cause = decided.cause
    also = [c for c in dict.fromkeys(decided.also) if c != cause][:2]
    thing = {"driver": "the NVIDIA driver", "system": "a system-wide upgrade", "framework": framework or "the framework",
             "app": "the program"}[change.kind]
    releases = (f" from {change.before} to {change.after}" if change.before and change.after
                else f" to {change.after}" if change.after else "")
    did = {"cpu_build": "left a CPU build", "gpu_lost": "left the GPU unused", "broke": "broke it",
           "onset": "came before the trouble"}[change.effect]
    sure = change.effect == "cpu_build" or (change.kind == "driver" and cause == "DRIVER_MISMATCH")
    evidence = _ev(seen)
    yield Hit(
        title=f"The log says an update of {thing}{releases} {did}. Likeliest: {cause_meaning(cause)}",
        evidence=evidence,
        fix=f"Run {decided.decides}. " + log_cause_fix(cause, subject, framework=framework),
        confidence=Confidence.MEDIUM if sure else Confidence.LOW,
        cause=cause,
        scope=framework or "",
        blocks_gpu=True,
        extra={"why": decided.because, "source": decided.source, "updated": change.kind},
    )
    for alt in also:
        yield alternative_hit(alt, evidence[:1], cause, scope=framework or "", program=framework)


UPDATE_RULES: list[Rule[LogSubject]] = [update_changed_gpu]
