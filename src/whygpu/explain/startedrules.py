"""The log rule that judges a run started by a run script, a launcher or a scheduler that gets no GPU while the writer's own
shell finds it, where the run prints no CUDA failure (session 37, acccodecpu).

LOG680 (explain.hiddenrules) reads the same situation where the run prints CUDA's own count of zero ("No CUDA GPUs are
available"); here the run's failure is its own report of no GPU (knowledge/visible_devices.toml [[run_none]]: "n_gpu is
0") or the writer's words that the run does not use or find the GPU ("CUDA is not available", "it won't use my GPU"). The
facts are ``explain.hiddenrun``'s (``LogFacts.hidden_run``) and ``LogFacts.gpu_unused``; what they mean is
``knowledge.visible_devices.hidden_run_cause``'s one decision: a starter outside the program's code and a layer that
honours CUDA_VISIBLE_DEVICES (the framework's True in the writer's shell) -> GPU_HIDDEN, the program's code beside.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject, decided_hits
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.visible_devices import hidden_run_cause, shell_answer_covers_run
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Decides, Outcome, Rule, RuleDoc, rule

_CUDA_ENV = "https://docs.nvidia.com/cuda/cuda-c-programming-guide/index.html#env-vars"


@rule(
    "LOG705", "log-started-run-gets-no-gpu-shell-does", "GPU_HIDDEN", Severity.ERROR,
    RuleDoc(
        what="Reads a run started by a shell run script (bash run.sh, 'when I run the 237.sh'), a launcher (accelerate launch, torchrun, srun, sbatch) or a scheduler's task (Ray) that reports no GPU ('n_gpu is 0', 'CUDA is not available', 'it won't use my GPU') while a layer that honours CUDA_VISIBLE_DEVICES finds the GPU (torch.cuda.is_available() True in the writer's own shell, 'tested whether cuda was available on the console, no errors were reported', other projects using the GPU), where the run prints no CUDA failure of its own (LOG680 reads those). Quiet where nothing starts the run from outside the code, where only nvidia-smi lists the GPU, where a container is named and nvidia-smi is not said to run inside it, where the code is shown setting CUDA_VISIBLE_DEVICES (LOG104 reads that) and where the writer wants the CPU.",
        why="The framework in the writer's own shell honours CUDA_VISIBLE_DEVICES, so where it finds the GPU that shell hides nothing; the run script, launcher or scheduler starts the run in an environment of its own and can set the variable for the run alone (a script's export, Slurm's and Ray's per-task device lists), so what starts the run is the likeliest to hide the GPU, and the program's own code comes second.",
        example="I import torch and use torch.cuda.is_available() it shows True, but when I run the 237.sh the device is cpu and n_gpu is 0\n(https://github.com/THU-KEG/PKGC/issues/2)",
        fix="Print CUDA_VISIBLE_DEVICES from inside the run the script or launcher starts; remove or correct its export in the run script (an id nvidia-smi -L does not list hides the GPU), the launcher's GPU list, or the scheduler's GPU request.",
        limits="The layer that finds the GPU must be the same machine and environment (the writer's shell in the same virtual environment); a script that sets nothing and a program whose own code or config picks the CPU read the same, so the program's code stays beside. A run started by its own code (python x.py) is LOG104's and LOG680's to judge.",
        references=(_CUDA_ENV, "https://docs.ray.io/en/latest/ray-core/scheduling/accelerators.html", "https://github.com/d-ailin/GDN/issues/87"),
        causes=("GPU_HIDDEN", "CODE_FORCES_CPU"),
    ),
    decides=Decides(over="finding", cause="any", by="first_line"),
)
def started_run_gets_no_gpu(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    forms = facts.hidden_run
    if not forms or any(s.value.table == "no_device" for s in forms):
        return  # no starter read, or CUDA's own no-device failure: LOG680's
    if facts.code_sets_visible_devices or facts.code_selects_gpu or facts.cpu_is_goal() or subject.gpu_in_use:
        return
    if facts.scheduler_job and not facts.scheduler_gpu:
        return  # a batch job that requested no GPU: LOG117 says which request is missing
    starters = [s for s in forms if s.value.table == "starter"]
    if shell_answer_covers_run(s.value for s in starters):
        return  # nothing outside the program's code starts the run
    seen = [s for s in forms if s.value.table == "seen"]
    answered = [a for a in facts.gpu_seen() if a.value is True]
    run_none = [s for s in forms if s.value.table == "run_none"]
    failures = [*run_none, *facts.gpu_unused()]
    if not failures:
        return
    decided = hidden_run_cause([s.value for s in seen], [s.value for s in starters], framework_answered=bool(answered),
                               container_named=bool(facts.in_container or facts.container_named),
                               smi_inside=bool(facts.hidden_run_inside or facts.stated_smi_in_container))
    if decided is None or decided.cause != "GPU_HIDDEN" or (not any(s.value.honours for s in seen) and not answered):
        return  # only nvidia-smi lists the GPU: it ignores the variable, which may then be set anywhere
    outside = next(s for s in starters if s.value.outside)
    evidence = _ev(failures[0], *seen[:1], *answered[:1], outside)
    yield from decided_hits(
        decided, f"The run gets no GPU while the framework outside it finds it: {decided.because}", tuple(dict.fromkeys(evidence)),
        Confidence.MEDIUM, fix=f"Find what the {outside.value.id.replace('-', ' ')} sets for the run.", beside=1)


STARTED_RULES: list[Rule[LogSubject]] = [started_run_gets_no_gpu]
