"""The program's own device setting as the cause (accdevice, session 29).

LOG400: a setting that pins the CPU by its program's documentation (knowledge/device_settings.toml: `--device cpu`,
`--no-cuda`, `--gpu_ids -1`, `--ngpu 0`, accelerator='cpu', use_cpu=True, pipeline(device=-1), easyocr's gpu=False,
`PARAMETER num_gpu 0`, JAX_PLATFORM_NAME=cpu; and the calls LOG280 reads, jax_platform_name / numpyro's set_platform set
to the CPU and the llama.cpp family's zero GPU layers), set for a run whose GPU went unused. The setting is the program's,
so it is the cause, and the framework's own "no GPU" answer beside it follows from it (a hidden or unasked GPU is not
found) or says nothing against it: it leads unless another line of the log names a failure of its own (a library that
did not load, a driver error), which then keeps its place and the setting ranks with the rest.

Counted over the labelled corpus (bench/explain_rule_precision.py --grep, session 29): a program's generic CPU notice
("Using device: cpu", "Running on CPU", "Device set to use cpu") is printed after the program's own device test and is
CODE_FORCES_CPU in 3 of 33 labelled logs, so it stays the framework's answer (LOG104); a setting pinning the CPU is
CODE_FORCES_CPU in the labelled logs where it was the cause (holdout55's jax_platform_name, holdout54's OpenNMT run
without -gpu_ranks), and the logs where a pin stood beside another confirmed cause (holdout14's jaxlib install,
holdout25's JAX_PLATFORMS in the environment) each showed that cause's own line.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.apprules import _FIXES as _CALL_FIXES
from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.device_settings import CpuPin, pin_row
from whygpu.model import Confidence, Finding, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

# The calls LOG280 reads that set the CPU (its own fix text, so that the report gives one fix for the cause).
_CALL_SETTINGS = {"platform cpu": "jax_platform_name='cpu'", "no GPU layers": "0 GPU layers"}
# Settings under which the framework still initialises CUDA (TensorFlow opens its CUDA libraries and calls cuInit whatever
# device a block is placed on): a CUDA error beside them is no sign that the setting was not in force.
_CUDA_STILL_CALLED = frozenset({"tf-device-cpu"})


def _answer_lines(subject: LogSubject) -> set[str]:
    """The places ("source:line") of the frameworks' and programs' own "no GPU" answers (not the writer's words: no failure
    line rests on those)."""
    facts = subject.facts
    return {s.where for values in facts.gpu_answer.values() for s in values if s.value is False} | {s.where for s in facts.cpu_notice}


# The causes a framework's "found no GPU" message leaves open when it names no reason (JAX's "No GPU/TPU found, falling back
# to CPU", Lightning's "GPU available: False"): a signature whose reading spans two or more of them is such an answer, which
# a setting that pins the CPU explains; one that names a single cause (a library that did not load) is a failure of its own.
_NO_GPU_FAMILY = frozenset({"FRAMEWORK_CPU_BUILD", "NO_GPU", "DRIVER_MISSING", "CUDA_LIBS_MISSING", "GPU_HIDDEN", "CONTAINER_NO_GPU", "CODE_FORCES_CPU"})


def _no_gpu_messages(subject: LogSubject) -> set[str]:
    """The ids of the matched messages that say only that the framework found no GPU (their reading spans the family above)."""
    spans: dict[str, set[str]] = {}
    for finding in subject.matched:
        spans.setdefault(finding.id, set()).add(finding.cause)
    return {ident for ident, causes in spans.items() if len(causes) >= 2 and causes <= _NO_GPU_FAMILY}


def _own_failure(subject: LogSubject, answers: set[str]) -> list[Finding]:
    """The findings of another cause that rest on a line of their own, not on the "no GPU" answers the setting explains."""
    out = []
    no_gpu = _no_gpu_messages(subject)
    for finding in (*subject.matched, *subject.doctor):
        if finding.id in no_gpu:
            continue
        # Generic lines too (a library that did not load, read by its words): a failure of its own whatever its confidence.
        if not (finding.blocks_gpu if finding.blocks_gpu is not None else finding.severity is Severity.ERROR):
            continue
        if finding.severity is Severity.INFO or finding.alternative_to is not None or finding.cause in ("CODE_FORCES_CPU", "GPU_HIDDEN"):
            continue
        places = {":".join(line.split(":", 2)[:2]) for line in finding.evidence}
        if not places or not places <= answers:
            out.append(finding)
    return out


@rule(
    "LOG400", "log-setting-pins-cpu", "CODE_FORCES_CPU", Severity.ERROR,
    RuleDoc(
        what="Finds a documented setting that pins the CPU, set for the run (a command line with --device cpu, --cpu, --no-cuda, --gpu_ids -1 or --ngpu 0; accelerator='cpu', use_cpu=True, pipeline(device=-1), easyocr.Reader(gpu=False), device='cpu' in a model's call, providers=['CPUExecutionProvider'], `with tf.device('/cpu:0')`, Ollama's num_gpu 0, JAX_PLATFORM_NAME=cpu, jax_platform_name set to cpu, zero GPU layers), in a log whose GPU went unused; it leads over the framework's own \"no GPU\" answer, which the setting explains.",
        why="Each setting's own documentation says it runs the work on the CPU whatever GPU the machine has (knowledge/device_settings.toml, each row's source): the program did what it was told. A framework answer of no GPU beside it follows from the setting (a GPU hidden from it or never asked for); a program's generic notice (\"Using device: cpu\") is not such a setting, it follows the framework's own test.",
        example="python detect.py --weights best.pt --source video.mp4 --device cpu\nit only runs on the CPU, the GPU is not used",
        fix="Remove the setting or set it to the GPU (each row's fix).",
        limits="Quiet on an option's definition, a help or usage listing, a commented-out line, a condition or the fallback idiom, a question, advice, a CPU run the writer says works (a workaround or a comparison), one made on purpose, and where the GPU is shown in use; beside another cause's own failure line it does not lead.",
        references=("https://github.com/openai/whisper/blob/main/whisper/transcribe.py", "https://lightning.ai/docs/pytorch/stable/common/trainer.html#accelerator",
                    "https://huggingface.co/docs/transformers/main_classes/pipelines#transformers.pipeline", "https://jax.readthedocs.io/en/latest/config_options.html"),
    ),
)
def setting_pins_cpu(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    # accwords (session 33): or the program's own line that it built its CPU implementation (COLMAP's "Creating SIFT CPU
    # feature extractor"): the log shows the CPU work the setting chose.
    shown_cpu = facts.gpu_unused() or facts.cpu_notice or facts.cpu_work
    if subject.gpu_in_use or not shown_cpu:
        return
    pins: list[tuple[Seen[str], str, str, str]] = []
    for seen in facts.cpu_pin:
        row: CpuPin | None = pin_row(seen.value)
        if row is not None:
            pins.append((seen, row.id, row.setting, row.fix + f" ({row.source})"))
    for seen in facts.app_cpu_choice:
        if seen.value in _CALL_SETTINGS:
            pins.append((seen, seen.value, _CALL_SETTINGS[seen.value], _CALL_FIXES[seen.value]))
    if not pins:
        return
    seen, pin, setting, fix = pins[0]
    answers = _answer_lines(subject)
    other: list[object] = list(_own_failure(subject, answers))
    if pin not in _CUDA_STILL_CALLED:
        # A CUDA call that returned an error (cuInit's CUDA_ERROR_NO_DEVICE, cudaGetDeviceCount failing): that run asked CUDA
        # for the GPU, so the setting did not keep it off; what the call answered is a failure of its own.
        other += facts.cuda_called
    framework_said = any(s.value is False for values in facts.gpu_answer.values() for s in values) or bool(facts.cpu_notice)
    yield Hit(
        title=f"The program's own setting puts the work on the CPU ({setting})"
        + ("; the framework's finding no GPU follows from it" if framework_said and not other else ""),
        evidence=_ev(seen, *shown_cpu[:1]),
        fix=fix,
        confidence=Confidence.MEDIUM if other else Confidence.HIGH,
        blocks_gpu=True,
    )


DEVICE_RULES: list[Rule[LogSubject]] = [setting_pins_cpu]
