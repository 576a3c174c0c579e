"""The log rule that judges two numbers a line compares, with no error word (accnum, session 31).

``explain.errorwords.comparisons`` reads a line that states a program's need of one subject (the driver, CUDA, cuDNN, the
GPU's compute capability) and the machine's value of it, and keeps those whose value the knowledge layer puts below the
need. The subject names the cause (knowledge/error_words.toml, predicate ``below_need``). A general reading: it speaks
only where no signature and no specific reader named a cause, and never in a log that shows the GPU in use.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu.explain.errorwords import Compared
from whygpu.explain.judge import LogSubject, alternative_hit, log_cause_fix
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.causes import cause_meaning
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule


@rule(
    # Counted 2026-12-06 (bench/explain_corpus.py over the 90 open sets, start 31e80b5d against this branch): LOG435 speaks
    # first in 2 labelled logs, both DRIVER_TOO_OLD (a driver floor against the driver, and against the CUDA the driver
    # runs); no negative changed. On real held-out text (34 lines of 24 programs, docs/explain-accuracy.md session 31): it
    # fired 11 times, all rightly (GPU_NOT_SUPPORTED 6, DRIVER_TOO_OLD 4, CUDA_LIBS_MISMATCH 1), never wrongly. A
    # signature or a specific reader that named a cause ranks above it (it speaks only where none did).
    # accvocab (session 32): the words are knowledge/comparisons.toml's; a build's architecture is compared with the GPU's
    # capability by binary compatibility; a capability need and the machine's capability a few lines apart; a capability
    # need alone completed by the GPUs the log names. On 30 real threads of 18 programs (docs/explain-accuracy.md, session
    # 32): design half 5/16 -> 12/16, held-out half 9/14 -> 13/14 whole-report first cause.
    # accnum2 (session 34): a driver's value in CUDA's form ("CUDA driver version found: 11.2", cudaDriverGetVersion's
    # "11020") is read as the CUDA the driver supports, CUDA's integer form by knowledge.cuda_versions.cuda_release_code, and
    # a plain "is" before the first number as the machine's value (Isaac Gym's "CUDA driver version is 11020, expected at
    # least 11040"; Warp's "minimum required CUDA driver version is 12.0, but the installed CUDA driver version is 11.4").
    # Corpus: 1620 -> 1621 hit@1 (holdout87's Isaac Gym case), no negative changed; LOG435 5/5 right on the corpus.
    "LOG435", "log-numbers-compared", "DRIVER_TOO_OLD", Severity.ERROR,
    RuleDoc(
        what="Reads a line (or two adjacent lines) that states a program's need of one subject (a floor: required, minimum, at least, >=, X or higher, X and higher, < X not supported; one expected value; or, for the GPU, the architecture a build was compiled for) and the machine's value of it (found, detected, current, runtime, your ... has, installed, or a plain 'is' after the subject with no need's word before it), with no error word, and compares the two numbers with the knowledge layer: the driver (against a driver floor, or the CUDA it runs against a CUDA floor; a driver's value in CUDA's form, 'CUDA driver version is 11020' or '11.2', is the CUDA the driver supports, CUDA's integer form 1000*major+10*minor read as major.minor), CUDA, cuDNN, the GPU's compute capability (a floor: knowledge.gpus; a build: binary compatibility, knowledge.target.build_runs_on_compute_capability). The words are data (knowledge/comparisons.toml). A capability need and the machine's capability a few lines apart are read together; a capability need stated alone is completed by the GPUs the log names. Only where the machine's value is below the need; the subject names the cause (knowledge/error_words.toml, predicate below_need).",
        why="Programs that check the machine print their floor beside what they found and stop (\"Required: driver version >= 580 (CUDA >= 13.0) Detected: 540.4.0\", \"only supported on GPUs with compute capability of at least 8.0. Your Tesla T4 GPU has compute capability 7.5\"); such a line has no error word for the words reader, but its two numbers decide it.",
        example="Your current NVIDIA GPU driver version is not supported. Required: driver version >= 580 (CUDA >= 13.0) Detected: 540.4.0 (CUDA 12.6)\n(https://github.com/modular/mojo-gpu-puzzles/pull/257)",
        fix="The fix of the cause the subject names, with the need the line states (a driver at or above the floor, the CUDA or cuDNN release asked for, a GPU of the capability asked for or a precision it supports).",
        limits="Read from the line's numbers and the words beside them; a question, code, a package tool's line, advice or an install plan is not read, nor a need that is met, nor two numbers of different subjects. Lines apart: within five lines, with no other capability value between. A need alone: only where every GPU the log names (outside questions and examples) fails it. Speaks only where nothing more specific named a cause.",
        references=("https://docs.nvidia.com/deploy/cuda-compatibility/", "https://developer.nvidia.com/cuda-gpus"),
        causes=("DRIVER_TOO_OLD", "CUDA_LIBS_MISMATCH", "CUDNN_MISMATCH", "GPU_NOT_SUPPORTED"),
    ),
)
def numbers_compared(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not (facts.numbers_compared or facts.driver_floor_said or facts.capability_need_said) or subject.gpu_in_use:
        return
    if subject.blocking() or any(f.severity is Severity.ERROR and f.alternative_to is None and not f.generic for f in subject.matched):
        return  # a signature or a specific reader named a cause: its reading stands
    from whygpu.knowledge.error_words import pair_meaning
    from whygpu.knowledge.frameworks import framework_of

    completed = None if facts.numbers_compared else (_driver_completed(facts) or _capability_completed(facts))
    if not facts.numbers_compared and completed is None:
        return
    seen, both = (completed[0], completed[1]) if completed is not None else (facts.numbers_compared[0], facts.numbers_compared[0].value)
    pair = pair_meaning(both.noun, "below_need")
    if pair is None:
        return
    framework = framework_of(seen.text)
    versions: dict[str, str | None] = {}
    if both.subject == "cuda" and not both.of_driver:
        versions = {"wanted_cuda": both.wanted, "installed_cuda": both.found}
    elif both.subject == "cuda":
        versions = {"wanted_cuda": both.wanted}
    elif both.subject == "cudnn":
        versions = {"wanted_cudnn": both.wanted, "installed_cudnn": both.found}
    fix = log_cause_fix(pair.cause, subject, framework=framework, **versions)
    need = both.wanted if both.exact else f"{both.wanted} or newer"
    fix += f"\nThe line asks for {need}; the machine shows {both.found}."
    evidence = _ev(seen)
    if completed is not None:
        evidence = (*evidence, *_ev(completed[2]))
    yield Hit(
        title=f"A program compared what it needs with what the machine has ({both}): {cause_meaning(pair.cause)}",
        evidence=evidence,
        fix=fix,
        confidence=Confidence.MEDIUM,
        scope=framework or "",
        cause=pair.cause,
        blocks_gpu=True,
        extra={"why": pair.why, "source": pair.source, "read_from": "the two numbers the line compares"},
    )
    for alt in pair.alternatives[:2]:
        yield alternative_hit(alt, tuple(evidence), pair.cause, scope=framework or "")


def _driver_completed(facts: Any) -> tuple[Any, Compared, Any] | None:
    """A driver floor a line states alone, completed by the log's own driver version (an nvidia-smi header, a tool's
    "Driver Version:"), where the pairing is sure: one driver version in the log, below the floor (knowledge.cuda.at_least_driver)."""
    from whygpu.knowledge.cuda import at_least_driver
    from whygpu.knowledge.cuda_versions import is_driver_version

    if not facts.driver_floor_said:
        return None
    drivers = {s.value for s in facts.driver_version}
    if len(drivers) != 1:
        return None  # no driver version in the log, or several (two machines, a container and its host): not sure
    machine = next(iter(drivers))
    floor = facts.driver_floor_said[0]
    if not is_driver_version(machine) or at_least_driver(machine, floor.value) is not False:
        return None
    return floor, Compared("driver", floor.value, machine, False), facts.driver_version[0]


def _capability_completed(facts: Any) -> tuple[Any, Compared, Any] | None:
    """A compute capability need a line states alone (a floor, or a build's architectures), completed by the GPUs the log
    names (explain.errorwords.gpus_named, knowledge.gpus: their capabilities), where the pairing is sure: one need, and
    every capability a named GPU may have fails it (knowledge.gpus.compute_capability_below, or binary compatibility). A
    named GPU that meets it, or none named, leaves it quiet."""
    if not facts.capability_need_said or not facts.gpus_named:
        return None
    needs = {seen.value for seen in facts.capability_need_said}
    if len(needs) != 1:
        return None  # two needs (two programs, a build and a floor): not sure which is the run's
    said = facts.capability_need_said[0]
    capabilities = {cc for seen in facts.gpus_named for cc in seen.value}
    compared = [said.value.against(cc) for cc in sorted(capabilities)]
    if not compared or any(both is None or both.met for both in compared):
        return None
    return said, compared[0], facts.gpus_named[0]


COMPARE_RULES: list[Rule[LogSubject]] = [numbers_compared]
