"""The log rule that judges a run finding no CUDA device while another layer lists the GPU (acchidden, session 36).

The facts are ``explain.hiddenrun``'s (``LogFacts.hidden_run``: a no-device failure of a CUDA build, the layers that list
the GPU, how the run was started) and the framework's own answers that found the GPU; what they mean together —
the program's own code or defaults (CODE_FORCES_CPU), the environment, a launcher, a run script or a scheduler
(GPU_HIDDEN), or nothing decided — is ``knowledge.visible_devices.hidden_run_cause``'s one decision.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject, decided_hits
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.visible_devices import hidden_run_cause
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Decides, Outcome, Rule, RuleDoc, rule

_CUDA_ENV = "https://docs.nvidia.com/cuda/cuda-c-programming-guide/index.html#env-vars"


@rule(
    "LOG680", "log-run-finds-no-device-another-layer-sees", "GPU_HIDDEN", Severity.ERROR,
    RuleDoc(
        what="Reads a CUDA build's failure that says the driver answered and no device was left ('No CUDA GPUs are available', 'no CUDA-capable device is detected', CUDA_ERROR_NO_DEVICE) beside another layer of the same machine that lists the GPU (the framework's True in the writer's own shell, 'yet tensorflow from cli does it', the framework's own answer, 'nvidia-smi works fine' inside the container), and how the failing run was started (a shell run script, a launcher, a scheduler's task, python x.py, a notebook cell). Quiet where nothing lists the GPU, where a container is named and nvidia-smi is not said to run inside it, and where the log shows the code setting CUDA_VISIBLE_DEVICES (LOG104 reads that).",
        why="The driver and a CUDA build are there, since the message is CUDA's own count of zero; the GPU is listed elsewhere on the machine, so something hides it from this run only. The framework in the writer's own shell honours CUDA_VISIBLE_DEVICES, so where it finds the GPU that shell hides nothing: what the run adds does — a launcher, run script or scheduler that starts it (GPU_HIDDEN), else the program's own code or defaults (CODE_FORCES_CPU). nvidia-smi ignores the variable, so where only it lists the GPU the variable may be set anywhere: GPU_HIDDEN first.",
        example="torch.cuda.is_available()的结果是True，nvidia-smi也都显示正常\nRuntimeError: cuda runtime error (38) : no CUDA-capable device is detected at /opt/conda/conda-bld/pytorch_1535491974311/work/aten/src/THC/THCGeneral.cpp:74\n(https://github.com/doublechenching/brats_segmentation-pytorch/issues/1)",
        fix="Print CUDA_VISIBLE_DEVICES from inside the failing run; where it is empty, -1 or an id nvidia-smi -L does not list, remove or correct it where it is set (the program's code, its run script, the launcher's config, the scheduler's GPU request).",
        limits="The layer that lists the GPU must be on the same machine and in the same environment: a True from another virtual environment or from the host of a container misleads it (a container named is read only with nvidia-smi said to run inside it). Who starts the run is what the log shows: a script run by a wrapper the log does not show reads as the program's own code.",
        references=(_CUDA_ENV, "https://docs.nvidia.com/cuda/cuda-runtime-api/group__CUDART__TYPES.html",
                    "https://github.com/thuml/Time-Series-Library/issues/698"),
        causes=("GPU_HIDDEN", "CODE_FORCES_CPU"),
    ),
    decides=Decides(over="signature", cause="any", by="first_line"),
)
def run_finds_no_device(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    failures = [s for s in facts.hidden_run if s.value.table == "no_device"]
    if not failures or facts.code_sets_visible_devices or facts.code_selects_gpu or facts.cpu_is_goal():
        return
    seen = [s for s in facts.hidden_run if s.value.table == "seen"]
    starters = [s for s in facts.hidden_run if s.value.table == "starter"]
    answered = facts.gpu_seen()
    decided = hidden_run_cause([s.value for s in seen], [s.value for s in starters], framework_answered=bool(answered),
                               container_named=bool(facts.in_container or facts.container_named),
                               smi_inside=bool(facts.hidden_run_inside or facts.stated_smi_in_container))
    if decided is None:
        return
    evidence = _ev(failures[0], *seen[:1], *answered[:1], *starters[:1])
    # The failure's line as a signature cited it, where one did (the scanner's and the fact reader's spellings of a line
    # can differ in spacing): the same line then yields to this reading (``decides``).
    place = failures[0].where + ":"
    cited = next((f.evidence[0] for f in subject.matched if f.evidence and f.evidence[0].startswith(place)), None)
    if cited is not None:
        evidence = (cited, *evidence[1:])
    # acccodecpu (session 37): where nothing shows how the run was started the decision is a tie, said as such (LOW).
    undecided = "" if decided.decided else " (the log does not decide between the program's code and its launch)"
    yield from decided_hits(
        decided, f"The run finds no CUDA device while another layer lists the GPU{undecided}: {decided.because}", evidence,
        Confidence.MEDIUM if decided.decided else Confidence.LOW, fix="Find what hides the GPU from this run.", beside=1)


HIDDEN_RULES: list[Rule[LogSubject]] = [run_finds_no_device]
