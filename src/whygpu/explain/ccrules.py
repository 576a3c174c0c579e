"""The log rules that judge a GPU's compute capability against what the build supports (acccc, session 21).

LOG230 reads a line that says, in any program's or the reporter's words, that a compute capability is not supported
(``explain.ccsupport``); what a CUDA tool's refusal means is the knowledge layer's (knowledge/error_words.toml's
``cudatool``/``not_supported`` row). LOG231 judges the GPU the log shows (its compute capability, stated or from its
model) against the PyTorch release and CUDA variant the log shows, with the knowledge layer's one decision
(``knowledge.target.build_runs_on_gpu``, which the doctor's HW003 and preflight's TGT003 ask too).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu.explain.judge import LogSubject, log_cause_fix
from whygpu.explain.logfacts import Seen
from whygpu.knowledge.causes import cause_meaning
from whygpu.model import Confidence, Severity
from whygpu.redact import redact_text
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule


def _ev(*seen: Seen[Any]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(redact_text(s.evidence()) for s in seen))


def _read_by_signature(subject: LogSubject, where: str) -> bool:
    """True when a signature's finding already cites the line at ``where`` (its reading stands)."""
    return any(any(e.startswith(f"{where}:") for e in f.evidence) for f in subject.matched)


def _unused_or_blocked(subject: LogSubject) -> bool:
    return not subject.gpu_in_use and (bool(subject.facts.gpu_unused()) or bool(subject.blocking()))


@rule(
    "LOG230", "log-capability-not-supported", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Reads a line that says a GPU's compute capability is not supported, in any program's or the reporter's words: a negated verb of support before the capability ('does not support CC 12.0', 'no support for compute capability 12.0', 'not compatible with sm_86', 'Unsupported GPU architecture sm_35') or after it ('CC 3.0 is not supported'), or a floor stated above it ('compute capability 3.5 card detected, required 3.7').",
        why="A build without code for the GPU's architecture cannot run on it; programs and people say so in many words. Where a CUDA tool (ptxas, nvcc, the CUDA toolkit) is what does not support the GPU, the toolkit is older than the GPU (knowledge/error_words.toml, cudatool/not_supported).",
        example="2025-04-22 11:29:23.766139: W external/xla/xla/stream_executor/cuda/cuda_asm_compiler.cc:280] Falling back to the CUDA driver for PTX compilation; ptxas does not support CC 12.0\n(https://github.com/google-deepmind/alphafold3/issues/387)",
        fix="Use a build of the framework (or of the program's bundled compiler) that includes the GPU's architecture, or a GPU the build supports; for a CUDA tool, a CUDA toolkit release that knows the GPU.",
        limits="Not read: TensorFlow's PTX JIT warning ('not built with CUDA kernel binaries compatible with ... will be jit-compiled from PTX': the GPU runs through PTX; LOG147 judges where that fails), a question, a condition, advice, hearsay, code, a release's change log ('dropped support for sm_35'), a capability said to be supported. A program's warning counts only where the log shows the GPU unused or failing.",
        references=("https://developer.nvidia.com/cuda-gpus", "https://docs.nvidia.com/cuda/cuda-compiler-driver-nvcc/index.html#gpu-feature-list"),
        causes=("GPU_NOT_SUPPORTED", "CUDA_LIBS_MISMATCH"),
    ),
)
def capability_not_supported(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.cc_unsupported or (subject.gpu_in_use and not subject.blocking()):
        return
    from whygpu.explain import grammar
    from whygpu.explain.errorwords import is_warning

    chosen = None
    for seen in facts.cc_unsupported:
        if _read_by_signature(subject, seen.where):
            continue
        # A program's warning (it went on: XLA falls back to the driver's JIT) speaks only where the log shows the GPU unused or failing.
        if grammar.program_line(seen.text) and is_warning(seen.text) and not _unused_or_blocked(subject):
            continue
        # A build's own refusal before a CUDA tool's: the tool's says less of the build.
        if chosen is None or (chosen.value.subject == "tool" and seen.value.subject == "build"):
            chosen = seen
    if chosen is None:
        return
    claim = chosen.value
    cause, alternatives = "GPU_NOT_SUPPORTED", tuple[str, ...]()
    if claim.subject == "tool":
        from whygpu.knowledge.error_words import pair_meaning

        row = pair_meaning("cudatool", "not_supported")
        if row is not None:
            cause, alternatives = row.cause, tuple(row.alternatives)
    evidence = _ev(chosen)
    said = f"'{claim.said}'"
    title = (f"The CUDA toolkit in use does not know compute capability {claim.cc} ({said}): {cause_meaning(cause)}" if claim.subject == "tool"
             else f"The line says compute capability {claim.cc} is not supported ({said}): {cause_meaning(cause)}")
    yield Hit(
        title=title,
        evidence=evidence,
        fix=log_cause_fix(cause, subject),
        confidence=Confidence.MEDIUM,
        cause=cause,
        blocks_gpu=True,
        extra={"read_from": "the line's words (explain.ccsupport)"},
    )
    for alt in alternatives[:2]:
        yield Hit(
            title=f"Possible instead: {cause_meaning(alt)}",
            evidence=evidence,
            fix=log_cause_fix(alt, subject),
            confidence=Confidence.LOW,
            cause=alt,
            severity=Severity.WARNING,
            alternative_to=cause,
            blocks_gpu=False,
        )


CC_RULES: list[Rule[LogSubject]] = [capability_not_supported]
