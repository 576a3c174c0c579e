"""Who keeps the GPU out of the run's sight (``visible_devices.toml``, session 36, acchidden): the program's own code or
defaults (CODE_FORCES_CPU), the environment, a launcher, a run script or a scheduler (GPU_HIDDEN), or neither.

Two decisions, each in one function:

- ``setter_cause``: a visibility variable the log shows set, by whom (the program's code, or the environment) -> the cause
  first and the one beside it. LOG104 asks it where it ranks the variable it read.
- ``hidden_run_cause``: a CUDA build whose driver answered with no device ([[no_device]]) beside a layer that lists the GPU
  ([[seen]]), and how the run was started ([[starter]]): something hides the GPU from this run only. Where a layer that
  honours CUDA_VISIBLE_DEVICES (the framework in the writer's own shell, other programs on the machine) sees the GPU, the
  shell hides nothing, so what the run adds does: a launcher, run script or scheduler shown starting it (GPU_HIDDEN), else
  the program's own code (CODE_FORCES_CPU; the same reading as ruleouts.toml's available_stated row, asked through
  ``shell_answer_covers_run``).
  Where only nvidia-smi, which honours no such variable, lists it, the variable may be the shell's as well as the code's:
  GPU_HIDDEN first. A container named with nvidia-smi not said
  to run inside it leaves the container's own GPU (CONTAINER_NO_GPU) open: no decision.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.records import record

__all__ = ["HiddenRun", "RunForm", "VisibleVariable", "hidden_run_cause", "program_check_cause", "run_forms", "setter_cause", "shell_answer_covers_run", "variables"]

FRAMEWORK = "framework"
SMI = "nvidia-smi"


@record(frozen=True)
class VisibleVariable:
    """A variable that restricts the GPUs a process or a container gets, and what its values mean."""

    name: str
    stack: str
    empty: str
    minus_one: str
    unset: str
    ordinal: str
    uuid: str
    source: str


@record(frozen=True)
class RunForm:
    """One form the reader looks for: its table (``no_device``, ``seen``, ``starter``), id, the layer it speaks for (seen:
    "framework" or "nvidia-smi"), whether the layer honours CUDA_VISIBLE_DEVICES, whether a starter is outside the program's
    code, and the source."""

    table: str
    id: str
    layer: str
    honours: bool
    outside: bool
    source: str


@record(frozen=True)
class HiddenRun:
    """What a hidden run decides: the cause first, the one beside it, why, what would decide otherwise, and the source."""

    cause: str
    also: tuple[str, ...]
    because: str
    decides: str
    source: str
    # acccodecpu (session 37): False where the log leaves the choice between the two open (no starter of the run shown);
    # the first is then the older reading kept as a tie, and ``decides`` asks what would tell them apart.
    decided: bool = True


@lru_cache(maxsize=1)
def variables() -> tuple[VisibleVariable, ...]:
    """The [[variable]] rows."""
    return tuple(VisibleVariable(**{k: str(row[k]) for k in VisibleVariable.__dataclass_fields__}) for row in table_rows("visible_devices", "variable"))


@lru_cache(maxsize=1)
def run_forms() -> tuple[tuple[RunForm, re.Pattern[str]], ...]:
    """Every [[no_device]], [[seen]], [[starter]] and [[run_none]] row with its compiled pattern (case-insensitive)."""
    forms: list[tuple[RunForm, re.Pattern[str]]] = []
    for table in ("no_device", "seen", "starter", "run_none"):
        for row in table_rows("visible_devices", table):
            form = RunForm(table=table, id=str(row["id"]), layer=str(row.get("layer", "")), honours=bool(row.get("honours", False)),
                           outside=bool(row.get("outside", False)), source=str(row["source"]))
            forms.append((form, re.compile(str(row["pattern"]), re.I)))
    return tuple(forms)


def setter_cause(setter: str) -> tuple[str, ...]:
    """The causes, first then beside it, of a visibility variable set by ``setter`` ("code": the program's own code;
    "environment": the shell, a run script, a launcher, a scheduler)."""
    for row in table_rows("visible_devices", "setter"):
        if row["id"] == setter:
            return (str(row["cause"]), *(str(c) for c in row.get("also", [])))
    raise KeyError(setter)


def shell_answer_covers_run(starters: Iterable[RunForm]) -> bool:
    """Whether the framework's answer in the writer's own shell speaks for the failing run's environment: not where a run
    script, a launcher or a scheduler's task starts the run (each can set CUDA_VISIBLE_DEVICES for the run alone: the
    Slurm, Ray and Accelerate pages cited in [[starter]])."""
    return not any(s.outside for s in starters)


def _source(table: str, id_: str) -> str:
    return next(f.source for f, _ in run_forms() if f.table == table and f.id == id_)


def hidden_run_cause(seen: Iterable[RunForm], starters: Iterable[RunForm], *, framework_answered: bool = False,
                     container_named: bool = False, smi_inside: bool = False) -> HiddenRun | None:
    """What a no-device failure of a CUDA build means beside the layers ``seen`` that list the GPU (and a framework's own
    answer that found it, ``framework_answered``) and the ``starters`` of the run; None where nothing lists the GPU, or a
    container is named and nvidia-smi is not said to run inside it (the layer that saw the GPU may be the host's)."""
    seen = list(seen)
    starters = list(starters)
    if not seen and not framework_answered:
        return None
    honouring = [s for s in seen if s.honours]
    outside = [] if shell_answer_covers_run(starters) else [s for s in starters if s.outside]
    code = [s for s in starters if not s.outside]
    if container_named and not smi_inside:
        return None
    decides = ("print CUDA_VISIBLE_DEVICES (and NVIDIA_VISIBLE_DEVICES) from inside the failing run: empty, -1 or an id "
               "nvidia-smi -L does not list hides the GPU; then find who sets it (grep the program for CUDA_VISIBLE_DEVICES, "
               "read its run script or launcher config)")
    framework_source = honouring[0].source if honouring else _source("seen", "framework-true-in-shell")
    if outside:
        starter = outside[0]
        layer = "the framework in your own shell" if honouring or framework_answered else "nvidia-smi"
        return HiddenRun(
            cause="GPU_HIDDEN", also=("CODE_FORCES_CPU",),
            because=(f"{layer} lists the GPU, while the run started by a {starter.id.replace('-', ' ')} finds no CUDA device: "
                     "what starts the run gives it a device list that leaves the GPU out"),
            decides=decides, source=starter.source)
    if honouring or framework_answered:
        # The same decision as knowledge/ruleouts.toml's available_stated row (GPU_HIDDEN demoted where the framework
        # answers True in the writer's environment): what the run adds, when no run script, launcher or scheduler is shown
        # starting it, is the program's own code. Counted on the labelled logs (docs/explain-accuracy.md, session 36): a
        # script the log does not show is as common, and CODE_FORCES_CPU's fix names it.
        started = f", started as its own code ({code[0].id.replace('-', ' ')})," if code else ""
        if not code:
            # acccodecpu (session 37, study 36's 'Next' 3): nothing shows how the run was started, and the labelled logs split
            # evenly between the program's own code and a run script the writer never pasted (docs/explain-accuracy.md,
            # sessions 36 and 37): the older reading stays first as a tie, undecided, and the writer is asked what decides.
            return HiddenRun(
                cause="CODE_FORCES_CPU", also=("GPU_HIDDEN",),
                because=("the framework finds the GPU outside this run, so your shell hides nothing; what the run adds hides "
                         "it, and the log does not show how the run was started: the program's own code (python x.py, a "
                         "notebook) or a run script, launcher or scheduler that sets CUDA_VISIBLE_DEVICES for it"),
                decides=("how was the failing run started? Directly (python x.py, a notebook cell): grep the program for "
                         "CUDA_VISIBLE_DEVICES and device ids (the code hides the GPU); through a run script (bash run.sh), "
                         "a launcher (accelerate launch, torchrun, srun) or a scheduler: read its export of "
                         "CUDA_VISIBLE_DEVICES or its GPU request (the launch hides it). Then " + decides),
                source=framework_source, decided=False)
        return HiddenRun(
            cause="CODE_FORCES_CPU", also=("GPU_HIDDEN",),
            because=(f"the framework finds the GPU outside this run, so your shell hides nothing; the program's run{started} "
                     "finds no CUDA device: its code, defaults or a run script of its own choose devices that leave the GPU out"),
            decides=decides, source=framework_source)
    return HiddenRun(
        cause="GPU_HIDDEN", also=("CODE_FORCES_CPU",),
        because=("nvidia-smi lists the GPU and the driver answers, yet CUDA in the run finds no device; nvidia-smi ignores "
                 "CUDA_VISIBLE_DEVICES, CUDA honours it: a device list set for the run leaves the GPU out"),
        decides=decides, source=_source("seen", "nvidia-smi-works"))


# accbroad38 (session 38): a public example of a program's own GPU check failing in its run while the framework's own answer
# in the writer's shell found the GPU (cellpose's "TORCH CUDA version not installed/working." beside torch's True; the
# thread's cause was cellpose's own check).
_PROGRAM_CHECK_SOURCE = "https://github.com/MouseLand/cellpose/issues/184"


def program_check_cause(framework_found: bool, program_said_no: bool) -> HiddenRun | None:
    """accbroad38 (session 38): what a program's own check that finds no usable GPU in its run means where the framework's own
    answer, printed before it in the same paste, found the GPU (``framework_found``): the machine's driver, device and (in that
    shell) the framework work, so what differs is the program's run. Either the program's own check or device choice keeps it
    off (CODE_FORCES_CPU: a check that fails on its own, a default, a setting), or the run uses another interpreter or
    environment than the shell whose framework answered (its framework a CPU build: FRAMEWORK_CPU_BUILD). The paste does not
    say which, so the decision is a tie (``decided`` False) with the program's own check first (the run the log shows is the
    program's) and the test that tells them apart. None unless both are shown."""
    if not (framework_found and program_said_no):
        return None
    return HiddenRun(
        cause="CODE_FORCES_CPU", also=("FRAMEWORK_CPU_BUILD",),
        because=("the framework's own answer in your shell finds the GPU, so the driver and the device work; the program's own "
                 "check in its run says it cannot use CUDA: its check, default or setting keeps the work off the GPU, "
                 "or its run uses another interpreter or environment than that shell"),
        decides=("run the framework's check with the program's own interpreter (the one its launcher or venv uses): "
                 "<its python> -c \"import torch; print(torch.__file__, torch.__version__, torch.cuda.is_available())\"; "
                 "True there: the program's own check or device setting decides (read where it chooses the device); False or "
                 "a +cpu version there: that environment's framework is a CPU build, install the GPU build into it"),
        source=_PROGRAM_CHECK_SOURCE, decided=False)
