"""Who chose the CPU, judged (session 35, acccode): LOG610 reports the program's code as the cause where the log shows it
choose the CPU, and ``settle`` keeps every reading of CODE_FORCES_CPU quiet where the CPU is the writer's own goal.

The facts are explain.cpuchoice's (one typed fact, ``cpu_choice``); the decision is knowledge.cpu_choice.verdict's:
  - the writer wants the CPU (a how-to question for a CPU run, a wish, the GPU touched although the CPU was chosen, a
    setting made to keep the GPU free): a setting pinning the CPU is then their choice, and CODE_FORCES_CPU is not what
    keeps the GPU from them (causes.md: "the user's own code keeps the work off the GPU" against their wish);
  - the writer says the program's code chooses the CPU (it defaults to it, it is hard-coded, it is written for the CPU,
    a CPU device named in the code): the cause, said;
  - a line of code shown choosing the CPU with no condition (``device = torch.device('cpu')``) beside the framework's own
    word that it finds the GPU (its answer True, the writer's word that it works): the cause, shown; without that answer a
    CPU build leaves the same line in force, and the framework's answer leads.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import LogFacts, Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.causes import cause_meaning
from whygpu.knowledge.cpu_choice import (
    CODE,
    DEFAULT,
    LINE,
    Verdict,
    said_words,
    shown_setting,
    verdict,
)
from whygpu.knowledge.device_defaults import default_row
from whygpu.knowledge.device_lines import line_says
from whygpu.model import Confidence, Finding, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

_CAUSE = "CODE_FORCES_CPU"
_TORCH_DEVICE = "https://pytorch.org/docs/stable/tensor_attributes.html#torch.device"


def _gpu_found(facts: LogFacts) -> Seen[Any] | None:
    """The framework's own answer that it finds the GPU, or the writer's word that the GPU works for them."""
    found = next((s for values in facts.gpu_answer.values() for s in values if s.value is True), None)
    return found if found is not None else next(iter(facts.stated_gpu_works), None)


def judged(facts: LogFacts, gpu_in_use: bool) -> tuple[Verdict, Seen[Any] | None]:
    """knowledge.cpu_choice.verdict over the log's choices of the CPU, and the sighting of the choice that decided."""
    found = _gpu_found(facts)
    # accprogdev40: a device default decides only with the work shown on the CPU (the writer's word that the GPU went
    # unused, the program's notice that it runs on the CPU) on a machine not shown to lack a GPU.
    ran_on_cpu = bool(facts.counted_unused() or facts.cpu_notice)
    decided = verdict((s.value for s in facts.cpu_choice), gpu_found=found is not None, gpu_in_use=gpu_in_use,
                      ran_on_cpu=ran_on_cpu, no_gpu_machine=bool(facts.cpu_machine))
    seen = next((s for s in facts.cpu_choice if s.value == decided.choice), None) if decided.choice is not None else None
    return decided, seen


@rule(
    "LOG610", "log-code-chooses-cpu", _CAUSE, Severity.ERROR,
    RuleDoc(
        what="Reads who chose the CPU: a program's own line that it found the GPU and kept the work on the CPU (transformers' \"GPU is available in the environment, but no `device` argument is passed to the `Pipeline` object. Model will be on CPU.\", knowledge/device_lines.toml), the writer's word that the program's code chooses it (\"upon reviewing the code, it defaults to running on the CPU\", \".cpu() hardcoded across the scripts\", \"the code is based on CPU\", torch.device('cpu') named in the code), a line of code shown choosing it with no condition (device = torch.device('cpu'), ctx = mx.cpu()) beside the framework's own word that it finds the GPU, or a program's own device setting left at its CPU default with the work shown on the CPU (AllenNLP's cuda_device \"(default = -1)\", MLflow's pyfunc predict \"default device of CPU\", `python -m spacy train` without --gpu-id; knowledge/device_defaults.toml).",
        why="A program runs where its code puts the work: PyTorch keeps a module and its tensors on the device the code names, and a device chosen with no condition stays the CPU whatever GPU the machine has (knowledge/cpu_choice.toml, each form's source). The framework finding the GPU rules out the install and the driver.",
        example="my torch.cuda.is_available() returns true\ndevice = torch.device('cpu')\nthe GPU is not used during training",
        fix="Change the code's device choice to the GPU (device = torch.device('cuda') when torch.cuda.is_available(), then model.to(device) and each batch .to(device); ctx = mx.gpu(0)), or the option the program offers for it; nvidia-smi then lists the process.",
        limits="Quiet where the writer wants the CPU (a how-to question for a CPU run, a wish, the GPU touched although the CPU was chosen, a setting made to keep the GPU free): then no reading of CODE_FORCES_CPU speaks (settle). A choice of the CPU under a condition (the fallback idiom), in a code comment, or asked about is not read; a line of code shown without the framework's answer that it finds the GPU decides nothing (a CPU build leaves the same line in force); where the GPU is shown in use it stays quiet. A device default decides only where the log names the program, shows the work on the CPU, does not show the setting given a GPU, and does not show a machine without a GPU.",
        references=(_TORCH_DEVICE, "https://github.com/zhijian-yang/SurrealGAN/issues/8"),
    ),
)
def code_chooses_cpu(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    decided, seen = judged(facts, subject.gpu_in_use)
    if decided.decision != "cause" or seen is None or decided.choice is None:
        return
    if decided.choice.where == LINE:
        # accsilent40 (session 40): the program's own line (knowledge/device_lines.toml, found = "yes") says its test found
        # the GPU and it kept the work on the CPU.
        yield Hit(
            title=f"The program's own line says the GPU is available and the work stays on the CPU ("
            f"{line_says(decided.choice.form) or 'its device choice'}). Likeliest: {cause_meaning(_CAUSE)}",
            evidence=_ev(seen),
            fix="Give the program the GPU in its own device setting: for transformers, pipeline(..., device=0) (or device='cuda', or "
            "device_map='auto' with accelerate); for another program, its device option or argument; print the model's device "
            "(next(model.parameters()).device, pipe.device) to check, and nvidia-smi then lists the process.",
            confidence=Confidence.MEDIUM,
            blocks_gpu=True,
        )
        return
    if decided.choice.where == DEFAULT:
        # accprogdev40 (session 40): the program's own device setting left at its CPU default (knowledge/device_defaults.toml).
        row = default_row(decided.choice.form)
        program = row.program if row is not None else "the program"
        yield Hit(
            title=f"{program} keeps its work on the CPU until its device setting names the GPU, and the log shows that setting left at "
            f"its CPU default with the work on the CPU. Likeliest: {cause_meaning(_CAUSE)}",
            evidence=_ev(seen),
            fix=(f"Give {program} the GPU in its own setting: {row.moves}; " if row is not None else "Set the program's device option to the GPU; ")
            + "nvidia-smi then lists the process.",
            confidence=Confidence.MEDIUM,
            blocks_gpu=True,
        )
        return
    if decided.choice.where == CODE:
        found = _gpu_found(facts)
        setting = shown_setting(decided.choice.form)
        yield Hit(
            title=f"The code chooses the CPU with no condition ({setting}) while the framework finds the GPU: the program puts the work on "
            f"the CPU. Likeliest: {cause_meaning(_CAUSE)}",
            evidence=_ev(seen, *([found] if found is not None else [])),
            fix="Choose the GPU in the code: device = torch.device('cuda' if torch.cuda.is_available() else 'cpu'), then model.to(device) and "
            "each batch .to(device) (for MXNet ctx = mx.gpu(0)); print next(model.parameters()).device to check.",
            confidence=Confidence.MEDIUM,
            blocks_gpu=True,
        )
        return
    yield Hit(
        title=f"The writer's words put the work's device in the program's own code ({said_words(decided.choice.form)}). "
        f"Likeliest: {cause_meaning(_CAUSE)}",
        evidence=_ev(seen),
        fix="Find the device choice in the program's code (a device or context set to the CPU, a .cpu() call, a default of cpu in its "
        "options, an os.environ['CUDA_VISIBLE_DEVICES'] assignment naming a GPU the machine does not have) and set it to the GPU, or "
        "pass the option the program offers for the GPU; nvidia-smi then lists the process.",
        confidence=Confidence.HIGH if decided.confidence == "high" else Confidence.MEDIUM,
        blocks_gpu=True,
    )


def settle(matched: list[Finding], judged_findings: list[Finding], facts: LogFacts, gpu_in_use: bool) -> tuple[list[Finding], list[Finding]]:
    """The findings less every reading of CODE_FORCES_CPU where the CPU is the writer's own goal (verdict ``quiet``)."""
    if not facts.cpu_choice:
        return matched, judged_findings
    decided, _ = judged(facts, gpu_in_use)
    if decided.decision != "quiet":
        return matched, judged_findings
    return [f for f in matched if f.cause != _CAUSE], [f for f in judged_findings if f.cause != _CAUSE]


CPU_CHOICE_RULES: list[Rule[LogSubject]] = [code_chooses_cpu]
