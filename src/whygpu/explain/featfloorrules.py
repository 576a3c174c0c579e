"""The log rules that judge a program's refusal of a feature against the GPU the log shows (accfloor, session 34).

LOG550 reads a program's line that refuses a feature below its hardware floor (explain.featfloor: bf16, TF32, FlashAttention,
FP8, int8 matmul, Triton, RAPIDS; the floor the line states, a capability or an architecture, or the feature's floor in
knowledge/feature_floors.toml) and judges the GPU the log shows against it with the knowledge layer's one decision
(``knowledge.feature_floors.floor_verdict``): below the floor, or unknown with nothing in the log that says the program saw
no GPU at all, is GPU_NOT_SUPPORTED with the feature's fallback as the fix. LOG551 is the other side: a GPU shown that meets
the floor the line states (an A100 with "requires Ampere"), where the refusal is not the GPU's age; it notes so and the
report withdraws every GPU_NOT_SUPPORTED finding that cites only that line (explain._merge_judged).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu import lazyre as re
from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.causes import cause_meaning
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Decides, Hit, Outcome, Rule, RuleDoc, rule


def _gpu_capabilities(subject: LogSubject, seen: Seen[Any]) -> tuple[tuple[str, ...], list[Seen[Any]]]:
    """Every capability the GPU that refused may have: the line's own ("Your GPU's capability is 8.6"), else those of every
    GPU the log shows (a capability stated on another line, a model named: knowledge/gpus.toml), with the lines."""
    from whygpu.knowledge.feature_floors import gpu_capabilities

    claim = seen.value
    if claim.machine_cc:
        return (claim.machine_cc,), []
    facts = subject.facts
    found: list[tuple[tuple[str, ...], Seen[Any]]] = []
    for stated in facts.compute_capability:
        if stated.where != seen.where:
            found.append(((stated.value,), stated))
    for model in facts.gpu_model:
        if (caps := gpu_capabilities(model.value)):
            found.append((caps, model))
    for named in facts.gpus_beside_floors:
        found.append((named.value, named))  # a model named on the line itself is the machine's ("... on A800")
    return tuple(cc for caps, _ in found for cc in caps), [s for _, s in found]


def _verdict(subject: LogSubject, seen: Seen[Any]) -> tuple[str, list[Seen[Any]]]:
    """"below", "meets" or "unknown" for one refusal, with the lines that showed the GPU."""
    from whygpu.knowledge.feature_floors import floor_verdict

    capabilities, lines = _gpu_capabilities(subject, seen)
    return floor_verdict(seen.value.floor, capabilities), lines


# The program's own fallback on the line: it runs the feature's alternative and goes on.
_FELL_BACK = re.compile(r"\b(?:(?:is|was|are|were|been|be)\s+(?:disabled|turned\s+off|skipped)|fall(?:ing|s)?\s+back\s+to|fallback\s+to|switching\s+to|will\s+(?:use|run\s+(?:in|with))\s+(?:fp16|float16|half|sdpa|eager|fp32|float32))\b", re.I)


def _read_by_signature(subject: LogSubject, where: str) -> bool:
    return any(any(e.startswith(f"{where}:") for e in f.evidence) for f in subject.matched if f.cause == "GPU_NOT_SUPPORTED")


def _what(seen: Seen[Any]) -> tuple[str, str, str]:
    """(the feature's name, its fix, its check) from knowledge/feature_floors.toml; the program's own floor otherwise."""
    from whygpu.knowledge.feature_floors import feature_by_id

    claim = seen.value
    feature = feature_by_id(claim.feature) if claim.feature else None
    if feature is not None:
        return feature.name, feature.fallback, feature.check
    return ("the program", f"Use a GPU of compute capability {claim.floor} or newer for this program, or a release of it that still "
            "supports this GPU (its release notes name the architectures each release supports).",
            "`nvidia-smi --query-gpu=name,compute_cap --format=csv`")


@rule(
    "LOG550", "log-feature-below-gpu-floor", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Reads a program's line that refuses a feature because the GPU is below the feature's hardware floor, in the program's own words: a feature (bf16, TF32, FlashAttention, FP8, int8 matmul, Triton, RAPIDS: knowledge/feature_floors.toml), a floor as a capability ('compute capability of at least 8.0', '9.x required', 'CUDA Capability >= 7.0') or an architecture ('Ampere or newer', 'using Ampere GPU', 'Pascal or newer architecture'), and a refusal ('does not support', 'only supports', 'requires'); judges the GPU the log shows (the line's own capability, a capability stated, a model named: knowledge/gpus.toml) against the floor (knowledge.feature_floors.floor_verdict).",
        why="A GPU older than a feature's floor runs the framework but not the feature: bf16 and TF32 arithmetic, FlashAttention 2's kernels exist from Ampere (8.0), FP8 from Ada/Hopper (8.9/9.0), bitsandbytes' int8 matmul from Turing (7.5), Triton from Volta (7.0). The program refuses the feature and stops; the feature's fallback (fp16, another attention backend, no compile) or another GPU is the fix.",
        example="ValueError: --tf32 requires Ampere or a newer GPU arch, cuda>=11 and torch>=1.7\n(https://github.com/percent4/embedding_model_exp/issues/3)",
        fix="The feature's fallback on this GPU (knowledge/feature_floors.toml: fp16 instead of bf16, tf32 off, attn_implementation=\"sdpa\" instead of FlashAttention 2, a non-FP8 model, no torch.compile), or a GPU of the floor's compute capability or newer.",
        limits="Speaks where the GPU the log shows is below the floor (high confidence) or where the log shows no GPU and nothing that says the program saw none (medium: the refusal itself decides); quiet where the GPU meets the floor (LOG551), where a signature already read the line, for a writer's sentence (a README pasted, advice, a question), code, a build's architecture list or a CUDA tool's refusal (LOG230-LOG232).",
        references=("https://github.com/huggingface/transformers/blob/main/src/transformers/training_args.py",
                    "https://github.com/Dao-AILab/flash-attention/blob/main/csrc/flash_attn/flash_api.cpp",
                    "https://pytorch.org/docs/stable/notes/cuda.html#tensorfloat-32-tf32-on-ampere-and-later-devices",
                    "https://developer.nvidia.com/cuda-gpus"),
    ),
)
def feature_below_floor(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.feature_floor_said:
        return
    from whygpu.explain.errorwords import is_warning
    for seen in facts.feature_floor_said:
        verdict, lines = _verdict(subject, seen)
        if verdict == "meets":
            continue  # LOG551's
        if _read_by_signature(subject, seen.where):
            continue  # the signature's reading of the line stands
        if verdict == "unknown" and (facts.gpu_unused() or any(s.value is False for v in facts.gpu_answer.values() for s in v)):
            continue  # the program may have refused because it saw no GPU at all ("--tf32 requires Ampere" on the CPU): LOG104's
        warning = is_warning(seen.text) or "Warning:" in seen.text
        if warning and verdict != "below" and not (facts.gpu_unused() or subject.blocking()):
            continue  # a warning the program went on from, with no GPU shown below the floor: nothing failed for it yet
        if _FELL_BACK.search(seen.text):
            continue
        if verdict == "unknown" and any(f.severity is Severity.ERROR and f.alternative_to is None and f.cause != "GPU_NOT_SUPPORTED"
                                        for f in subject.matched):
            continue  # a signature named another failure (CUDA's "unknown error"): the refusal may follow from it
        claim = seen.value
        name, fix, check = _what(seen)
        shown = [s for s in lines if s is not seen][:2]
        capabilities, _ = _gpu_capabilities(subject, seen)
        shown_cc = ", ".join(dict.fromkeys(capabilities))
        gpu = (f"this GPU (compute capability {claim.machine_cc})" if claim.machine_cc
               else f"the GPU the log shows (compute capability {shown_cc})" if shown_cc else "the GPU")
        said = (f"{name[0].upper() + name[1:]} needs compute capability {claim.floor} or newer, and {gpu} is below it" if verdict == "below"
                else f"The program refused {name}, which needs compute capability {claim.floor} or newer, on this GPU")
        yield Hit(
            title=f"{said} ('{claim.words[:120]}'): {cause_meaning('GPU_NOT_SUPPORTED')}",
            evidence=_ev(seen, *shown),
            fix=f"{fix} What decides it: {check}",
            confidence=Confidence.HIGH if verdict == "below" and not warning else Confidence.MEDIUM,
            cause="GPU_NOT_SUPPORTED",
            blocks_gpu=True,
            extra={"read_from": "the program's refusal of a feature (explain.featfloor)", "floor": claim.floor, "verdict": verdict},
        )
        return


@rule(
    "LOG551", "log-feature-floor-met", "GPU_NOT_SUPPORTED", Severity.INFO,
    RuleDoc(
        what="Notes a program's refusal of a feature below its hardware floor (explain.featfloor) where the GPU the log shows meets that floor (an A100 or A800, 8.0, beside 'FlashAttention only supports Ampere GPUs or newer'; an RTX 4090 beside '--tf32 requires Ampere'), and withdraws the report's GPU_NOT_SUPPORTED findings that cite only that line.",
        why="A GPU at or above the floor has the feature; the refusal then comes from something else the check tests (the program saw no GPU, another GPU of the machine, a build or binary without the feature's kernels, a torch or CUDA below the message's other conditions), so the GPU's age is not the cause.",
        example="【RuntimeError: FlashAttention only supports Ampere GPUs or newer. 】on A800\n(https://github.com/Dao-AILab/flash-attention/issues/1485)",
        fix="A note, with nothing to change for the GPU's age. What decides the cause: the device the program ran on (`python -c \"import torch; print(torch.cuda.is_available(), torch.cuda.get_device_name(0), torch.cuda.get_device_capability(0))\"`) and the other conditions the message names.",
        limits="Only where every capability the log shows for its GPUs meets the floor the line states (a name sold on chips of both sides decides nothing).",
        references=("https://developer.nvidia.com/cuda-gpus",),
    ),
    decides=Decides(over="finding", cause="same", by="only_lines", reads="first", alternatives=False),
)
def feature_floor_met(subject: LogSubject) -> Iterator[Outcome]:
    for seen in subject.facts.feature_floor_said:
        verdict, lines = _verdict(subject, seen)
        if verdict != "meets":
            continue
        claim = seen.value
        name, _fix, check = _what(seen)
        shown = [s for s in lines if s is not seen][:2]
        yield Hit(
            title=f"The GPU the log shows meets the floor the line states for {name} (compute capability {claim.floor}): the refusal is not the GPU's age",
            evidence=_ev(seen, *shown),
            fix=f"What decides the cause: the device the program ran on and the message's other conditions. {check}",
            confidence=Confidence.MEDIUM,
            cause="GPU_NOT_SUPPORTED",
            severity=Severity.INFO,
            blocks_gpu=False,
            extra={"read_from": "the program's refusal of a feature against the GPU shown (explain.featfloor)", "withdraws": seen.where},
        )


@rule(
    "LOG552", "log-library-below-gpu-floor", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Reads a library whose hardware floor is the whole library's (knowledge/feature_floors.toml rows with whole = true: RAPIDS cuDF and cuML, Pascal 6.0 and later Volta 7.0) named in a log whose GPUs are all below that floor (a model named, knowledge/gpus.toml; a capability stated), where no line of the program refuses anything (LOG550 reads a refusal).",
        why="A library that ships no code for an older GPU runs none of its work there: RAPIDS' system requirements name Pascal or newer, and its builds hold no PTX or kernels at or below a Kepler's (K80, 3.7) or a Maxwell's capability, so on Colab's K80 nothing of cuDF runs whatever the install does.",
        example="I see that the code won't run if Colab gives you a K80 GPU. [...] Try Now in Colab for RAPIDS\n(https://github.com/rapidsai/cudf/issues/5558)",
        fix="Run the library on a GPU of its floor or newer (on Colab: reset the runtime until a newer GPU is given, or a paid runtime), or its CPU counterpart (pandas, scikit-learn).",
        limits="Only where every GPU the log shows is below the floor (a K80 and a T4 named decide nothing) and no signature read another failure; medium confidence: the GPU is the writer's word, not a device query.",
        references=("https://github.com/rapidsai/cudf#cudagpu-requirements", "https://developer.nvidia.com/cuda-legacy-gpus"),
    ),
)
def library_below_floor(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.library_floor_named or facts.feature_floor_said:
        return
    from whygpu.knowledge.feature_floors import feature_by_id, floor_verdict, gpu_capabilities

    named = facts.library_floor_named[0]
    library = feature_by_id(named.value)
    if library is None:
        return
    found: list[tuple[tuple[str, ...], Seen[Any]]] = [((s.value,), s) for s in facts.compute_capability]
    found += [(caps, s) for s in facts.gpu_model if (caps := gpu_capabilities(s.value))]
    found += [(s.value, s) for s in facts.gpus_beside_floors]
    capabilities = tuple(cc for caps, _ in found for cc in caps)
    if floor_verdict(library.floor, capabilities) != "below":
        return
    if any(f.severity is Severity.ERROR and f.alternative_to is None and f.cause != "GPU_NOT_SUPPORTED" for f in subject.matched):
        return  # a signature read another failure: the GPU's age may not be what stopped it
    shown = ", ".join(dict.fromkeys(capabilities))
    yield Hit(
        title=f"{library.name} needs compute capability {library.floor} or newer for any of its work, and the GPU the log shows "
              f"(compute capability {shown}) is below it: {cause_meaning('GPU_NOT_SUPPORTED')}",
        evidence=_ev(named, *[s for _, s in found][:2]),
        fix=f"{library.fallback} What decides it: {library.check}",
        confidence=Confidence.MEDIUM,
        cause="GPU_NOT_SUPPORTED",
        blocks_gpu=True,
        extra={"read_from": "a library whose floor is the whole library's, against the GPU shown (knowledge.feature_floors)", "floor": library.floor},
    )


FEATFLOOR_RULES: list[Rule[LogSubject]] = [feature_below_floor, feature_floor_met, library_below_floor]
