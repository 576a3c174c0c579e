"""The log rule that reads the writer's account of where the work ran (accwhere, session 25).

Two accounts name the program's own code as what keeps the work on the CPU, with the machine, the driver and the
framework's GPU build all shown working:

- the framework's GPU query answered True in one place of the program and False in another ("it printed True in
  train.py but False inside the sampler", "True before ``import foo``, False after"): one installation cannot answer
  both unless the process's environment changed between the calls, which is code that ran in between
  (``explain.works.answer_differs``);
- the model's or a tensor's ``.device`` read as cpu ("print(self.device) -> cpu") while the framework sees the GPU
  (its answer True, the writer's word that the GPU is found, or a trainer's "GPU available: True"): PyTorch puts a
  module's parameters on the CPU until the code moves them (``explain.works.device_said_cpu``).

The facts are read by ``explain.logfacts`` (``stated_answer_differs``, ``stated_device_cpu``); what each means is
argued beside its reader in ``explain.works``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu.explain import works
from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import LogFacts, Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.causes import cause_meaning
from whygpu.knowledge.cpu_choice import wanted_on
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

_SOURCE = "https://pytorch.org/docs/stable/notes/cuda.html"
_ENV_SOURCE = "https://docs.nvidia.com/cuda/cuda-c-programming-guide/index.html#env-vars"


def _gpu_seen(subject: LogSubject, framework: str | None) -> Seen[Any] | None:
    """What shows the framework sees the GPU in this run: its own answer True, or the writer's word that the GPU is found
    or works (not of another framework); None where the log shows none, or shows the framework's answer False."""
    facts = subject.facts
    answers = [a for fw, values in facts.gpu_answer.items() if framework is None or fw in (framework, "any") for a in values]
    if any(a.value is False for a in answers):
        return None
    true = next((a for a in answers if a.value is True), None)
    if true is not None:
        return true
    return next((s for s in facts.stated_gpu_works if framework is None or not works.of_other_framework(s.value, framework)), None)


def _chosen(facts: LogFacts, seen: Seen[str]) -> bool:
    """Whether the writer says the CPU is their choice on the line (a CPU run made on purpose, the GPU taken away), or the
    line sits in the CPU run of a log laid out as a CPU/GPU comparison."""
    return wanted_on(seen.text) or facts.in_cpu_run(seen.where)


@rule(
    "LOG212", "log-code-keeps-work-on-cpu-stated", "CODE_FORCES_CPU", Severity.ERROR,
    RuleDoc(
        what="Reads the writer's account of where the work ran: the framework's GPU query (torch.cuda.is_available()) said to answer True in one place of the program's code and False in another (a module, a file, an import between them), or the model's or a tensor's .device read as cpu while the log shows the framework sees the GPU (its answer True, the writer's word that it is found, a trainer's 'GPU available: True').",
        why="One installation answers the query the same wherever it is asked, unless the process's environment changes between the two calls (CUDA_VISIBLE_DEVICES rewritten by an imported module or a launcher); and PyTorch keeps a module's parameters on the CPU until the code moves them. Either way the GPU, the driver and the framework's build work, and the program's own code puts the work on the CPU.",
        example="print(torch.cuda.is_available()) in train.py gives True, but inside the sampler module (after `from pkg.samplers import *`) it prints False.",
        fix="Find what the code does between the two places or before the model is built: an imported module that sets CUDA_VISIBLE_DEVICES, a device chosen from a config value or flag, a model or batch never moved with .to('cuda').",
        limits="Quiet where the two places are two interpreters or installations (a notebook and a terminal, two environments, sudo, a container, another machine), on a question, where the writer chose the CPU on purpose, in the CPU run of a CPU/GPU comparison, and for a device of cpu where nothing shows the framework sees the GPU (a CPU build also leaves the device cpu).",
        references=(_SOURCE, _ENV_SOURCE),
    ),
)
def code_keeps_work_on_cpu_stated(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    differs = [s for s in facts.stated_answer_differs if not _chosen(facts, s)]
    if differs:
        said = differs[0]
        yield Hit(
            title="The framework's GPU query answers True in one place of the program and False in another: code that runs "
            f"between them hides the GPU. Likeliest: {cause_meaning('CODE_FORCES_CPU')}",
            evidence=_ev(said),
            fix="Print os.environ.get('CUDA_VISIBLE_DEVICES') beside each of the two checks: where it changes, search the code that ran "
            "in between (the imported modules, a launcher's start-up) for CUDA_VISIBLE_DEVICES, torch.cuda.set_device or a device chosen "
            "from a flag or config value, and set it before the first CUDA call (or pass the flag that selects the GPU).",
            confidence=Confidence.MEDIUM,
            cause="CODE_FORCES_CPU",
            blocks_gpu=True,
            extra={"why": "one installation answers the query the same in one process unless its environment changes between the calls",
                   "source": _ENV_SOURCE},
        )
        return
    device = [s for s in facts.stated_device_cpu if not _chosen(facts, s)]
    if not device:
        return
    seen = _gpu_seen(subject, None)
    if seen is None and not subject.gpu_in_use:
        return  # (a positive line is the framework's own word that it found the GPU: "GPU available: True, used: True")
    said = device[0]
    yield Hit(
        title="The model's device reads cpu while the framework sees the GPU: the program's code keeps the work on the CPU. "
        f"Likeliest: {cause_meaning('CODE_FORCES_CPU')}",
        evidence=_ev(said, *([seen] if seen is not None else [])),
        fix="Move the model and each batch to the GPU in the code (model.to('cuda'), batch.to('cuda')) and check what chooses the device "
        "(a config value or flag read as the CPU, a trainer option not passed): print next(model.parameters()).device after the move; "
        "nvidia-smi then lists the process.",
        confidence=Confidence.MEDIUM,
        cause="CODE_FORCES_CPU",
        blocks_gpu=True,
        extra={"why": "PyTorch keeps a module's parameters on the CPU until the code moves them", "source": _SOURCE},
    )


WHERE_RULES: list[Rule[LogSubject]] = [code_keeps_work_on_cpu_stated]
