"""The log rule that judges two GPU frameworks loaded in one process (accmisc, session 27).

A process that loads TensorFlow (often only for its data pipeline: tensorflow_datasets, tf.data) beside JAX or PyTorch, or
JAX beside PyTorch, holds two allocators on one GPU. TensorFlow reserves nearly all of the GPU's memory when it first touches
the GPU and JAX 75% of it (knowledge/memory_prealloc.toml, from each framework's documentation), so the framework that
starts second finds too little left: its cuDNN or cuBLAS handle cannot be created, XLA's convolution autotuning finds no
algorithm that runs, or its first allocation fails. causes.md calls that GPU_BUSY (the memory taken by something else),
even though the something else is the same process. The facts are read by ``explain.logfacts`` (imports of pasted code, the
frames of a traceback, TensorFlow's GPU device created with its memory); which frameworks reserve memory is the knowledge
layer's one decision (``knowledge.memory_prealloc.memory_rivals``).
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import LogFacts, Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Finding, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

# Two frameworks' lines at most this many lines apart in one file are read as one program: the imports of one pasted
# script, the frames of one traceback. Farther apart (or in two files) they may be two programs the writer ran.
_NEAR = 60


def _place(seen: Seen[str]) -> tuple[str, int]:
    """(file, line number) of a sighting's ``file:line``."""
    source, _, number = seen.where.rpartition(":")
    return source, int(number) if number.isdigit() else -1


def frameworks_together(facts: LogFacts) -> tuple[Seen[str], Seen[str]] | None:
    """Two sightings of two different GPU frameworks close enough to be one process (``_NEAR`` lines in one file), or None."""
    names = sorted(facts.framework_in_process)
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            for a in facts.framework_in_process[first]:
                for b in facts.framework_in_process[second]:
                    (file_a, line_a), (file_b, line_b) = _place(a), _place(b)
                    if file_a == file_b and line_a >= 0 and line_b >= 0 and abs(line_a - line_b) <= _NEAR:
                        return (a, b) if line_a <= line_b else (b, a)
    return None


def _memory_failures(subject: LogSubject) -> list[Finding]:
    """The log's failures that a lack of free memory at start-up explains: a reading whose cause, or one of whose
    alternatives, is GPU_BUSY (a cuDNN or cuBLAS handle not created, cuBLAS not initialised, DNN initialisation failed, an
    allocation failed at start-up: the signatures' and the status table's own readings)."""
    return [f for f in subject.matched if f.cause == "GPU_BUSY" and f.severity is not Severity.INFO]


def _version_read(subject: LogSubject, failure: Finding) -> bool:
    """accnoticed38 (session 38): GPU_BUSY only as another reading of a failure where another line of the log reads, first
    and at medium or better, a cuDNN of another release than the one wanted (a library of another major asked for beside
    the one installed: "libcudnn.so.8: cannot open shared object file" with cuDNN 9's wheel there): the versions shown
    explain the failure, not memory taken by a second framework."""
    if failure.alternative_to != "CUDNN_MISMATCH":
        return False
    return any(f.cause == "CUDNN_MISMATCH" and f.alternative_to is None and f.confidence is not Confidence.LOW and f.id != failure.id
               for f in subject.matched)


@rule(
    "LOG355", "log-two-frameworks-one-process-memory", "GPU_BUSY", Severity.ERROR,
    RuleDoc(
        what="Finds two GPU frameworks loaded in one process (imports of one pasted script or frames of one traceback within 60 lines: TensorFlow, also through tensorflow_datasets or tf_keras, beside JAX/Flax or PyTorch; JAX beside PyTorch; TensorFlow's 'Created device ... GPU:0 with N MB memory' counts as TensorFlow holding it), at least one of which reserves the GPU's memory at start-up (knowledge/memory_prealloc.toml), in a log whose failure a lack of free memory explains: XLA's 'Failed to determine best cudnn convolution algorithm', or a line read as GPU_BUSY or with GPU_BUSY among its readings (a cuDNN or cuBLAS handle not created, DNN library initialisation failed, an out-of-memory at start-up).",
        why="TensorFlow maps nearly all of the GPU's memory when it first uses the GPU, and JAX preallocates 75% of it; the other framework in the same process then cannot create its cuDNN/cuBLAS handles or allocate its first buffers. JAX's documentation names running JAX and GPU TensorFlow together as a cause of its out-of-memory errors and advises hiding the GPU from TensorFlow when it only loads data.",
        example="import jax.numpy as jnp\nimport tensorflow_datasets as tfds\ntrain_ds = tfds.load(\"cifar10\", split=\"train\")\n...\nRuntimeError: UNKNOWN: Failed to determine best cudnn convolution algorithm for:\n(https://github.com/jax-ml/jax/issues/9454)",
        fix="Keep TensorFlow off the GPU where it only loads data (tf.config.set_visible_devices([], 'GPU') before it touches the GPU, or tensorflow-cpu), or let each framework allocate on demand (TF_FORCE_GPU_ALLOW_GROWTH=true; XLA_PYTHON_CLIENT_PREALLOCATE=false).",
        limits="Quiet where the log shows a setting that stops the reservation (set_visible_devices([]), set_memory_growth, allow_growth, TF_FORCE_GPU_ALLOW_GROWTH, XLA_PYTHON_CLIENT_*), where only one framework is loaded, where the frameworks' lines are far apart (two programs), and where no failure a lack of memory explains is shown. PyTorch reserves nothing at start-up (its caching allocator grows on demand), so two frameworks of which only PyTorch touches the GPU stay quiet.",
        references=("https://docs.jax.dev/en/latest/gpu_memory_allocation.html", "https://www.tensorflow.org/guide/gpu#limiting_gpu_memory_growth"),
    ),
)
def two_frameworks_one_process(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.explain.answers import FRAMEWORK_NAMES
    from whygpu.knowledge.memory_prealloc import memory_rivals

    facts = subject.facts
    if not facts.framework_in_process or facts.memory_setting_shown:
        return
    rivals = memory_rivals(facts.framework_in_process)
    together = frameworks_together(facts) if rivals else None
    if together is None:
        return
    failures = [f for f in _memory_failures(subject) if not _version_read(subject, f)]
    if not facts.conv_autotune_failed and not failures:
        return
    if any(f.confidence is Confidence.HIGH and f.cause != "GPU_BUSY" and f.alternative_to is None and f.severity is Severity.ERROR
           for f in subject.matched):
        return  # a line that names its own cause surely (a cuDNN of another version loaded, no driver) explains the failure

    def pretty(name: str) -> str:
        return FRAMEWORK_NAMES.get(name, name)

    names = " and ".join(pretty(n) for n in sorted(facts.framework_in_process))
    holder = "; ".join(f"{pretty(r.name)}: {r.share}" for r in rivals)
    failed = facts.conv_autotune_failed[:1]
    evidence = (*_ev(*together, *failed), *(failures[0].evidence[:1] if failures and not failed else ()))
    settings = "; ".join(f"{pretty(r.name)}: {r.hide}, or {r.grow}" if r.grow else f"{pretty(r.name)}: {r.hide}" for r in rivals)
    yield Hit(
        title=f"{names} are loaded in one process and reserve the GPU's memory at start-up ({holder}): the framework that starts second finds it taken",
        evidence=tuple(dict.fromkeys(evidence)),
        fix=f"Keep the framework that needs no GPU off it, or let each allocate on demand ({settings}).",
        confidence=Confidence.HIGH,
        blocks_gpu=True,
        extra={"read_from": "the frameworks a process loads (explain.logfacts), judged by knowledge.memory_prealloc.memory_rivals"},
    )


MIX_RULES: list[Rule[LogSubject]] = [two_frameworks_one_process]
