"""The log rule that reads the program's own pasted code for where it puts the model (accinst, session 30).

PyTorch, and Hugging Face's loaders, build a model on the CPU and move it only when the code says so; a model the code
creates and uses without moving it runs on the CPU whatever the machine (``explain.placement``, whose one decision
``unplaced_model`` reads the code; the loaders and the libraries that place a model themselves are
knowledge/placement.toml's).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import LogFacts, Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.causes import cause_meaning
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

_SOURCE = "https://pytorch.org/docs/stable/notes/cuda.html"


# The ranking: the code's own reading speaks where the log holds no line of a failure (the framework's signatures come
# first in the report). Its weight: the code asks for the GPU itself (the inputs moved to a GPU device, or the model's own
# move written and commented out), or the framework is shown to see the GPU (its answer True, the writer's word that the
# GPU is found). Where the framework answers that it has no GPU, or its build has no CUDA, the model's place is not what
# keeps the GPU out, and the rule is quiet. Counts over the labelled logs at session 30 (bench/explain_rule_precision.py
# --grep '^\s*#\s*\w+(\s*=\s*[\w.]+)?\.(to|cuda)\('): a commented-out move in 2 labelled logs, CODE_FORCES_CPU in 1 (the
# other, a GPU-used negative, moves the model live elsewhere in the code, which this reading checks).
def placement_speaks(facts: LogFacts) -> tuple[Seen[Any], list[Seen[Any]]] | None:
    """The model the pasted code leaves on the CPU, and what shows the framework sees the GPU, where that is a reading to
    give (see the ranking above); None otherwise. The one decision LOG430 and LOG109 (an idle GPU beside it is the GPU not
    used, not underuse) ask."""
    if not facts.code_unplaced:
        return None
    if any(s.value is False for values in facts.gpu_answer.values() for s in values):
        return None  # the framework answers that it has no GPU: the model's place is not what keeps it out
    if any(s.value is False for values in facts.cuda_build.values() for s in values):
        return None
    seen = facts.code_unplaced[0]
    found: list[Seen[Any]] = [*facts.gpu_seen(), *facts.code_gpu_found, *facts.stated_gpu_works]
    # accmisc39 (session 39): or the code shown is the whole program that ran (explain.wholecode) and the writer says the run
    # was on the CPU: the model it never moves is the run's placement.
    whole = bool(facts.code_whole_program) and bool(facts.counted_unused())
    if seen.value.kind != "commented" and not seen.value.inputs_moved and not found and not whole:
        return None
    return seen, found


@rule(
    "LOG430", "log-code-leaves-model-on-cpu", "CODE_FORCES_CPU", Severity.ERROR,
    RuleDoc(
        what="Reads the Python the writer pasted (fenced blocks, runs of statements; parsed with Python's ast, fragments line by line) for a model the code creates and uses and never moves to a device, or moves only in a commented-out line (# model.to(device)), where the code moves its inputs to the GPU or the framework is shown to see the GPU, or where the block is the whole program that ran (it parses as it stands, imports, creates the model) and the writer says the run was on the CPU.",
        why="PyTorch builds a module's parameters on the CPU and Hugging Face's from_pretrained builds models and pipelines there too; the work runs on the GPU only after model.to('cuda') (or a device_map). Without it the GPU stays idle on a working machine.",
        example="model = MyNet()\n# model.to(device)\nfor x, y in loader:\n    loss = crit(model(x.to(device)), y.to(device))",
        fix="Move the model to the GPU after creating it (model = model.to('cuda'), or pipe.to('cuda')) and keep each batch on the same device; print(next(model.parameters()).device) shows cuda:0 after the move.",
        limits="Quiet where any placement of the model is shown (a .to/.cuda, a device= or device_map= argument), where a library places it (a Trainer, Lightning, Accelerate, DataParallel, TensorFlow/Keras/JAX code), where the writer says the line was added back, for code introduced as advice, and where the framework answers that it has no GPU or its build has no CUDA. A model moved in code not shown cannot be seen: the rule asks for the inputs moved or the GPU shown found.",
        references=(_SOURCE, "https://huggingface.co/docs/diffusers/using-diffusers/loading"),
    ),
)
def code_leaves_model_on_cpu(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if subject.gpu_in_use or (spoken := placement_speaks(facts)) is None:
        return
    seen, found = spoken
    placement = seen.value
    how = ("its move to the GPU is commented out" if placement.kind == "commented"
           else "it is never moved to a device" + (" while the inputs are" if placement.inputs_moved else ""))
    yield Hit(
        title=f"The pasted code creates {placement.name!r} and {how}, so the model runs on the CPU. Likeliest: {cause_meaning('CODE_FORCES_CPU')}",
        evidence=_ev(seen, *found[:1]),
        fix=f"Move the model to the GPU after creating it: {placement.name} = {placement.name}.to('cuda') (or a device_map / device= "
        "argument of its loader), and keep its inputs on the same device; print(next(model.parameters()).device) then shows cuda:0 "
        "and nvidia-smi lists the process.",
        confidence=Confidence.MEDIUM,
        cause="CODE_FORCES_CPU",
        blocks_gpu=True,
        extra={"why": "PyTorch and Hugging Face's loaders build a model on the CPU until the code moves it", "source": _SOURCE},
    )


PLACEMENT_RULES: list[Rule[LogSubject]] = [code_leaves_model_on_cpu]
