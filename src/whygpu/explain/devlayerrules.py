"""The log rules that judge a program refusing a GPU that another layer of the machine sees (accdevid, session 35).

A program refuses a device number (CUDA's "invalid device ordinal" in its own words, TensorFlow's ordinal past its valid
range, CNTK's "Specified GPU device id (0) is invalid"); beside it the log may show the count of GPUs (nvidia-smi's rows,
a program's device list, the writer's "only one GPU") and other layers that list the GPU. The facts are
``explain.devlayers``'s (one typed ``DeviceLayer`` per layer); what the pattern means is
``knowledge.device_refusals.refusal_cause``'s one decision; each rule below speaks for one of its causes.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.devlayers import LayerPicture, picture
from whygpu.explain.judge import LogSubject, decided_hits
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.device_refusals import RefusalCause, refusal_cause, refusals
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Outcome, Rule, RuleDoc, rule

_CNTK = "https://github.com/microsoft/CNTK/issues/1235"
_CUDA = "https://docs.nvidia.com/cuda/cuda-runtime-api/group__CUDART__TYPES.html"


def _decided(subject: LogSubject) -> tuple[LayerPicture, RefusalCause] | None:
    """The layers the log shows around the first refusal, and what they mean (None where the decision leaves it open)."""
    shown = picture(subject.facts)
    if shown is None:
        return None
    if subject.gpu_in_use and (shown.index is None or shown.count is None or shown.index < shown.count):
        return None  # a run that used a GPU: only a number asked past the count shown still says the process lacked it
    row = next((r for r in refusals() if r.id == shown.refusal.value.refusal), None)
    if row is None:
        return None
    decided = refusal_cause(row, shown.index, shown.count, shown.seen_elsewhere, shown.capabilities, shown.listed_by_program)
    return (shown, decided) if decided is not None else None


def _hit(subject: LogSubject, cause: str, title: str, confidence: Confidence) -> Iterator[Outcome]:
    decided = _decided(subject)
    if decided is None or decided[1].cause != cause:
        return
    shown, why = decided
    evidence = _ev(shown.refusal, *shown.count_shown, *shown.seen_shown)
    refused = shown.refusal.value
    asked = f"device {shown.index}" if shown.index is not None else "a device number"
    count = f"{shown.count} GPU" + ("s" if (shown.count or 0) != 1 else "") if shown.count is not None else "the GPU"
    yield from decided_hits(why, title.format(program=refused.program, asked=asked, count=count, because=why.because), evidence,
                            confidence, fix=why.fix, beside=1)


# Counted over the labelled logs at session 35: see docs/explain-accuracy.md, Session 35 (accdevid).
@rule(
    "LOG605", "log-device-number-beyond-gpu-count", "GPU_HIDDEN", Severity.ERROR,
    RuleDoc(
        what="Reads a program's refusal of a device number (CUDA's 'invalid device ordinal' in any program's words, TensorFlow's 'Invalid device ordinal value (1). Valid range is [0, 0]') where the log also shows how many GPUs the machine or process has (nvidia-smi's rows or -L list, a program's device list, the range the message states, the writer's 'only one GPU') and the number asked is at or past that count (a command's --device_id, a config's gpu list, cuda:N, a launcher's process count), or any ordinal is refused on a machine shown to have one GPU. Not where the count is not shown, or several GPUs are shown and no number asked.",
        why="Device numbers start at 0: a one-GPU machine has only device 0, and a process restricted by CUDA_VISIBLE_DEVICES has only as many as it lists. A number past the count is a device the process does not have: the option, config or launcher that gave it (GPU_HIDDEN), or the code's own cuda:N (CODE_FORCES_CPU).",
        example="I have one GPU, and I tried different command lines, such as \"funakoshiMiner.exe ... -cd 0 1 2\", but always was not able to run.\nCUDA error 'invalid device ordinal' at line 61\n(https://github.com/funakoshi2718/funakoshi-miner/issues/6)",
        fix="Give the program a device it has (device 0 on a one-GPU machine, --nproc_per_node=1 for a launcher), or set CUDA_VISIBLE_DEVICES to ids nvidia-smi -L lists.",
        limits="The count is what the log shows: a writer's 'one GPU' on a machine that has more, or an nvidia-smi pasted from another machine, misleads it. Where several GPUs are shown and no number is asked, the refusal stays with the status code's own reading.",
        references=(_CUDA, "https://docs.nvidia.com/cuda/cuda-c-programming-guide/index.html#cuda-environment-variables"),
    ),
)
def device_beyond_count(subject: LogSubject) -> Iterator[Outcome]:
    yield from _hit(subject, "GPU_HIDDEN", "{program} refused {asked}, and the log shows {count}: {because}", Confidence.MEDIUM)


@rule(
    "LOG606", "log-program-refuses-gpu-another-layer-sees", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Reads a program whose CPU-only build refuses every device number (CNTK's 'Specified GPU device id (0) is invalid') refusing device 0 (or a number below the count shown) while another layer of the same log lists the GPU (nvidia-smi's table or -L list, another framework's device answer True, the writer's words that another program uses the GPU), and the program's own device list does not show it.",
        why="The program's own check enumerates the GPUs its build knows; a CPU-only package knows none and refuses gpu(0) on a machine whose nvidia-smi lists the GPU (FRAMEWORK_CPU_BUILD). The alternatives: the program's environment hides the GPU (GPU_HIDDEN), or the GPU is below the build's floor (GPU_NOT_SUPPORTED).",
        example="The gpu (Tesla K80) looks ok, when checking with nvidia-smi.exe.\nRuntimeError: Specified GPU device id (0) is invalid.\n(https://github.com/microsoft/CNTK/issues/1235)",
        fix="Install the program's GPU package in the environment that runs it (for CNTK the cntk-gpu wheel with its CUDA and cuDNN).",
        limits="Only programs whose CPU build refuses every id are read (knowledge/device_refusals.toml's cpu_build_refuses_every_id); CUDA's own 'invalid device ordinal' is not, since a GPU build prints it for a number past the count.",
        references=(_CNTK, "https://learn.microsoft.com/en-us/cognitive-toolkit/setup-gpu-specific-packages"),
    ),
)
def refuses_gpu_seen_elsewhere(subject: LogSubject) -> Iterator[Outcome]:
    yield from _hit(subject, "FRAMEWORK_CPU_BUILD", "{program} refused {asked} while another layer lists the GPU: {because}",
                    Confidence.MEDIUM)


@rule(
    "LOG607", "log-program-refuses-gpu-below-its-floor", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Reads a program that refuses device 0 (CNTK's 'Specified GPU device id (0) is invalid') where the log lists the GPU with a compute capability below the lowest the program's GPU build takes (CNTK: 3.0), in the program's own device list or another layer's.",
        why="The program's GPU build leaves out GPUs below its floor: the GPU is listed by the driver and even by the program's own enumeration, yet refused (GPU_NOT_SUPPORTED).",
        example="Device[0]: cores = 448; computeCapability = 2.0; type = \"Tesla S2050\"\nValueError: Specified GPU device id (0) is invalid.\n(https://github.com/microsoft/CNTK/issues/2460)",
        fix="Run on a GPU the program supports, or an older release that still supports this one.",
        limits="Needs the compute capability in the log (a program's device list); a GPU named without it is not judged here.",
        references=("https://learn.microsoft.com/en-us/cognitive-toolkit/setup-gpu-specific-packages",),
    ),
)
def refuses_gpu_below_floor(subject: LogSubject) -> Iterator[Outcome]:
    yield from _hit(subject, "GPU_NOT_SUPPORTED", "{program} refused {asked}, a GPU below its floor: {because}", Confidence.MEDIUM)


DEVLAYER_RULES: list[Rule[LogSubject]] = [device_beyond_count, refuses_gpu_seen_elsewhere, refuses_gpu_below_floor]
