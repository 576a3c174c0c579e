"""The monitor's rules (``MON-...``) in the one registry: each turns one verdict of a run into its finding.

The verdicts are drawn by ``monitor.analysis`` (the numbers and the thresholds); these rules say
what each verdict means to the user, with its cause code and fix, and document it for
``whygpu rule``, docs/rules.md and SARIF's rule list. They are pure: they read a ``RunView``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from whygpu.model import Confidence, Report, RuleDoc, Severity
from whygpu.monitor.analysis import NO_MEMORY, NO_UTILISATION, Kind, Verdict
from whygpu.rules.interface import Hit, Outcome, Rule, rule

_CONFIDENCE = {"high": Confidence.HIGH, "medium": Confidence.MEDIUM, "low": Confidence.LOW}
_GUIDE = "https://docs.nvidia.com/deploy/nvml-api/group__nvmlDeviceQueries.html"


@dataclass(frozen=True)
class RunView:
    """What a monitor rule reads: one verdict of the run (None for the run as a whole) and what the run knows besides."""

    verdict: Verdict | None
    mode: str = "command"  # "command", "pid" or "trace"
    interpreter: str | None = None
    # The doctor's report on the job's interpreter (never touched) or on the machine (no sampling).
    doctor: Report | None = None
    # Why no GPU could be sampled, when none could.
    sampler_unavailable: str | None = None


def _of(view: RunView, kind: Kind) -> Verdict | None:
    verdict = view.verdict
    return verdict if verdict is not None and verdict.kind is kind else None


def _hit(verdict: Verdict, title: str, fix: str, *, evidence: tuple[str, ...] | None = None,
         confidence: Confidence | None = None, cause: str | None = None) -> Hit:
    """A finding for one verdict: per GPU its title names the GPU and its scope is that GPU."""
    if verdict.gpu is not None:
        title = f"GPU {verdict.gpu}: {title[0].lower()}{title[1:]}"
    return Hit(title=title, evidence=verdict.evidence if evidence is None else evidence, fix=fix,
               confidence=confidence or _CONFIDENCE.get(verdict.confidence, Confidence.MEDIUM),
               scope=f"GPU {verdict.gpu}" if verdict.gpu is not None else "", cause=cause)


NEVER_TOUCHED_FIX = ("Run `whygpu doctor --python <the job's interpreter>` for the environment, and "
                     "`whygpu lint <script>` for code that keeps the work on the CPU.")


@rule(
    "MON-NEVER-TOUCHED", "job-never-touched-gpu", "CODE_FORCES_CPU", Severity.ERROR,
    RuleDoc(
        what=("Whether any process of the monitored job (the command and its children) held memory on any GPU "
              "while it ran: from NVML's process lists, or at the device level (no GPU's memory rose 256 MiB above "
              "its idle floor) when NVML lists no processes or the trace has none."),
        why=("A job that never creates a CUDA context ran on the CPU: it may take many times longer and still "
             "finish without an error. The usual reasons are in the environment (a CPU-only wheel, missing CUDA "
             "libraries), so the doctor runs on the job's own interpreter and its root cause leads the finding."),
        example=("whygpu monitor -- ~/venv/bin/python train.py\n"
                 "  8 GPUs sampled for 612 s; no process of the job held memory on any of them\n"
                 "  the doctor on ~/venv/bin/python: FRAMEWORK_CPU_BUILD: torch 2.5.1+cpu is a CPU-only build"),
        fix=("Fix the doctor's root cause (it names the exact command), for example\n"
             "  ~/venv/bin/python -m pip install torch --index-url https://download.pytorch.org/whl/cu124\n"
             "If the doctor finds nothing wrong, look for code that keeps the work on the CPU: `whygpu lint train.py`."),
        limits=("Its cause is the doctor's top cause when the doctor finds one, else CODE_FORCES_CPU at low confidence. "
                "At the device level (medium confidence) another tenant's memory on the same GPU hides the job; "
                "with --from, the doctor cannot run on the machine the trace came from."),
        references=(_GUIDE,),
    ),
)
def never_touched(view: RunView) -> Iterator[Outcome]:
    """The run: no memory held by the job on any GPU."""
    verdict = _of(view, Kind.NEVER_TOUCHED)
    if verdict is None:
        return
    evidence = list(verdict.evidence)
    fix = NEVER_TOUCHED_FIX
    cause = None
    confidence = None
    doctor = view.doctor
    if doctor is not None and doctor.causes:
        top = doctor.causes[0]
        cause = top.code
        evidence.append(f"the doctor on {view.interpreter or 'this machine'}: {top.code}: {top.title}")
        fix = top.fix or fix
    elif doctor is not None:
        evidence.append(f"the doctor found nothing wrong with {view.interpreter or 'this environment'}: the code "
                        "itself may keep the work on the CPU")
        confidence = Confidence.LOW
    elif view.mode == "trace":
        fix = "Run `whygpu doctor --python <the job's interpreter>` where the job ran, and `whygpu lint <script>`."
    yield _hit(verdict, "The job never touched the GPU: it ran on the CPU", fix, evidence=tuple(evidence),
               confidence=confidence, cause=cause)


@rule(
    "MON-LEFT-GPU", "job-left-gpu", "GPU_UNDERUSED", Severity.WARNING,
    RuleDoc(
        what=("Whether the job held memory on a GPU and then released it at least 10 s and a fifth of the run "
              "before the end, while its processes went on running."),
        why=("A job that frees the GPU and keeps running has moved its work to the CPU: after an out-of-memory "
             "fallback, in a phase pinned to the CPU (evaluation, preprocessing), or after a library reset the "
             "device. The rest of the run is paid GPU time spent idle."),
        example=("whygpu monitor -- python train.py\n"
                 "  the job's processes held memory from 3 s to 1,204 s, then released it while the run went on "
                 "for 2,410 s more\n"
                 "  GPU 0: utilisation mean 31%, median 0%, p95 97%; idle 66% of 3,614 samples"),
        fix=("Look in the job's log at the moment the memory was released: an out-of-memory error caught and "
             "retried on the CPU, an evaluation loop under `with tf.device('/CPU:0')`, a `model.cpu()` call."),
        limits=("A job's normal end (free, then exit) never counts: the release must last 10 s and 20 % of the run "
                "while the job still runs. At the device level (no process lists) the memory of the whole GPU is "
                "judged (medium confidence)."),
        references=(_GUIDE,),
    ),
)
def left_gpu(view: RunView) -> Iterator[Outcome]:
    """A GPU whose memory the job released while it went on running."""
    verdict = _of(view, Kind.LEFT)
    if verdict is not None:
        yield _hit(verdict, "The job left the GPU: it released the GPU's memory and went on running",
                   "Look in the job's log at the moment the memory was released (an out-of-memory fallback, "
                   "a phase that runs on the CPU, evaluation pinned to the CPU).")


@rule(
    "MON-ALLOCATED-IDLE", "gpu-allocated-but-idle", "GPU_UNDERUSED", Severity.WARNING,
    RuleDoc(
        what="Whether the job held memory on a GPU while its utilisation stayed near zero (p95 below 10 %, mean below 5 %).",
        why=("The framework created its context (and perhaps moved the model), but the computation runs elsewhere: "
             "batches left on the CPU, a model copied back, or a loop that waits on something else."),
        example=("whygpu monitor --pid 41822\n"
                 "  memory allocated but utilisation p95 2%\n"
                 "  GPU 0: utilisation mean 0%, median 0%, p95 2%; idle 99% of 1,800 samples; peak memory 2,113 MiB of 81,559"),
        fix=("Check that the model and each batch are on the GPU (`model.to('cuda')`, `batch.to('cuda')`), and that "
             "the training loop is not waiting on something else."),
        limits="Needs at least 5 samples with a utilisation reading; a job that only loads a model and waits is reported the same way.",
        references=(_GUIDE,),
    ),
)
def allocated_idle(view: RunView) -> Iterator[Outcome]:
    """A GPU with the job's memory on it and almost no utilisation."""
    verdict = _of(view, Kind.ALLOCATED_IDLE)
    if verdict is not None:
        yield _hit(verdict, "Memory is allocated on the GPU but it computes almost nothing",
                   "Check that the model and each batch are on the GPU (`.to('cuda')`), and that the "
                   "training loop is not waiting on something else.")


INPUT_BOUND_FIX = ("Feed the GPU faster: more data-loader workers (`DataLoader(num_workers=..., "
                   "pin_memory=True)`, `tf.data` with `.prefetch(tf.data.AUTOTUNE)` and parallel `map`), "
                   "larger batches, preprocessing moved to the GPU or done ahead of time.")


@rule(
    "MON-INPUT-BOUND", "gpu-input-bound", "GPU_UNDERUSED", Severity.WARNING,
    RuleDoc(
        what=("Whether the GPU the job holds memory on was busy less than half the time (mean utilisation below 50 % "
              "while the memory was held), and how busy the job's processes were on the CPU meanwhile."),
        why=("A training step that waits on its input (decoding, augmentation, reading files in the main process) "
             "leaves the GPU idle between bursts: the job takes two to ten times longer than the GPU needs."),
        example=("whygpu monitor -- python train.py\n"
                 "  mean utilisation 23% while memory was held, in bursts (p95 96%); the job's processes kept 1.0 CPU "
                 "cores busy on average\n"
                 "  GPU 0: utilisation mean 23%, median 0%, p95 96%; idle 71% of 900 samples; peak memory 9,874 MiB of 81,559"),
        fix=("Feed the GPU faster:\n"
             "  DataLoader(dataset, batch_size=..., num_workers=8, pin_memory=True, persistent_workers=True)\n"
             "  dataset.map(parse, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)\n"
             "or use larger batches, or preprocess ahead of time or on the GPU."),
        limits=("High confidence when the job kept at least half a core busy; medium when its CPU use is unknown (a "
                "trace); low, with another title, when the job was not busy on the CPU either (it waits on disk, "
                "network or another process). On a GPU other processes also use (5 % of its SM time or more), the "
                "job's own SM utilisation from NVML's per-process samples is judged instead of the GPU's; without "
                "those samples the GPU's own reading is judged and the report says so."),
        references=("https://pytorch.org/docs/stable/data.html#multi-process-data-loading",
                    "https://www.tensorflow.org/guide/data_performance"),
    ),
)
def input_bound(view: RunView) -> Iterator[Outcome]:
    """A GPU busy only in bursts while the job is held up between steps."""
    verdict = _of(view, Kind.INPUT_BOUND)
    if verdict is None:
        return
    if verdict.confidence == "low":
        # The job was not busy on the CPU either: it waits on something else, not on preparing data.
        yield _hit(verdict, "The GPU is underused: idle between bursts while the job waits on something other than its CPU",
                   "Find what the job waits on between steps (reading from disk or network storage, another "
                   "process, a lock); then feed the GPU as for an input pipeline: "
                   + INPUT_BOUND_FIX[0].lower() + INPUT_BOUND_FIX[1:])
        return
    yield _hit(verdict, "The GPU is underused: busy only in bursts while the job prepares data", INPUT_BOUND_FIX)


@rule(
    "MON-GPU-BUSY", "gpu-busy-with-other-processes", "GPU_BUSY", Severity.WARNING,
    RuleDoc(
        what=("Whether processes that are not the job's held 1 GiB or more of a GPU's memory while the job ran, or kept "
              "its SMs 25 % busy or more on average (NVML's per-process utilisation, what `nvidia-smi pmon` shows)."),
        why=("Another tenant on the GPU takes its memory and its compute: the job runs slower, or fails with out of "
             "memory at a batch size that fits an empty GPU."),
        example=("whygpu monitor -- python train.py\n"
                 "  other processes hold memory on GPU 0: PID 3011 38,912 MiB\n"
                 "  other processes kept GPU 0's SMs 78% busy on average (NVML per-process utilisation)"),
        fix=("Stop the other processes, or run the job on a free GPU (`CUDA_VISIBLE_DEVICES=1 python train.py`), or "
             "ask the scheduler for an exclusive GPU (Slurm `--exclusive`, Kubernetes one `nvidia.com/gpu` per pod)."),
        limits=("Needs NVML's process lists with PIDs this PID namespace can see; inside a container NVML reports host "
                "PIDs, and other tenants cannot be told from the job (then no finding). Compute held by others needs "
                "per-process utilisation samples for most of the run; GPUs that do not support them (many GeForce "
                "and older ones) are judged by memory only, and the report says so."),
        references=(_GUIDE,),
    ),
)
def gpu_busy(view: RunView) -> Iterator[Outcome]:
    """A GPU whose memory other processes hold."""
    verdict = _of(view, Kind.BUSY)
    if verdict is not None:
        yield _hit(verdict, "Other processes hold the GPU's memory or compute",
                   "Stop the other processes or run the job on a free GPU (`CUDA_VISIBLE_DEVICES`), or ask the "
                   "scheduler for an exclusive GPU.")


@rule(
    "MON-HEALTHY", "gpu-kept-busy", "GPU_UNDERUSED", Severity.INFO,
    RuleDoc(
        what="A GPU the job held memory on and kept busy (mean utilisation at least 50 % while the memory was held).",
        why="Says the GPU was used well, with its numbers, so a report on several GPUs shows which ones were.",
        example=("whygpu monitor -- python train.py\n"
                 "  GPU 0: utilisation mean 94%, median 98%, p95 100%; idle 2% of 3,600 samples; peak memory 61,220 MiB of 81,559"),
        fix="Nothing to fix.",
        limits="Utilisation is NVML's share of time a kernel ran, not how much of the GPU each kernel used.",
        references=(_GUIDE,),
    ),
)
def healthy(view: RunView) -> Iterator[Outcome]:
    """A GPU the job kept busy."""
    verdict = _of(view, Kind.HEALTHY)
    if verdict is not None:
        yield _hit(verdict, "The GPU was busy", "")


@rule(
    "MON-GPU-UNUSED", "gpu-not-used-by-job", "GPU_UNDERUSED", Severity.INFO,
    RuleDoc(
        what="A GPU the job did not use while it used another one of the same machine.",
        why="A job that should train on every GPU but starts one process uses one GPU of eight; said as information, since many jobs mean to.",
        example=("whygpu monitor -- python train.py\n"
                 "  GPU 3: utilisation mean 0%, median 0%, p95 0%; idle 100% of 600 samples; peak memory 4 MiB of 81,559"),
        fix="If the job should use every GPU, start it with a distributed launcher: `torchrun --nproc-per-node=8 train.py`, or `tf.distribute.MirroredStrategy`.",
        limits="Informational: whether the job was meant to use the GPU is not known.",
        references=("https://pytorch.org/docs/stable/elastic/run.html",),
    ),
)
def gpu_unused(view: RunView) -> Iterator[Outcome]:
    """A GPU the job left alone while it used another."""
    verdict = _of(view, Kind.UNUSED)
    if verdict is not None:
        yield _hit(verdict, "A GPU the job did not use",
                   "If the job should use every GPU, start it with a distributed launcher (torchrun, "
                   "tf.distribute.MirroredStrategy).")


@rule(
    "MON-NO-VERDICT", "too-few-samples", "GPU_UNDERUSED", Severity.INFO,
    RuleDoc(
        what="Whether the run gave at least 5 samples with a utilisation reading on some GPU.",
        why="A handful of samples cannot tell a busy GPU from one that was idle between two readings: no verdict is better than a wrong one.",
        example=("whygpu monitor -- python -c 'import torch'\n"
                 "  only 2 sample(s) with a utilisation reading; at least 5 are needed for a verdict"),
        fix="Monitor for longer, or with a shorter interval: `whygpu monitor --interval 0.2 -- python train.py`.",
        limits=("A trace whose utilisation column is missing or unsupported gives no verdict however long it is; "
                "at device level a GPU whose memory use the trace does not record (default `nvidia-smi dmon`, "
                "a query without memory.used) gets a verdict only when its utilisation shows it busy."),
        references=(_GUIDE,),
    ),
)
def no_verdict(view: RunView) -> Iterator[Outcome]:
    """Too few samples for any verdict."""
    verdict = _of(view, Kind.UNKNOWN)
    if verdict is not None:
        if verdict.evidence and verdict.evidence[0].startswith(NO_MEMORY):
            yield _hit(verdict, "No memory use in the trace", "Record memory too: nvidia-smi --query-gpu with "
                       "memory.used, nvidia-smi dmon -s um, or the exporter's DCGM_FI_DEV_FB_USED.")
        elif verdict.evidence and verdict.evidence[0].startswith(NO_UTILISATION):
            yield _hit(verdict, "No utilisation in the trace", "Record utilisation: nvidia-smi --query-gpu with "
                       "utilization.gpu, nvidia-smi dmon -s u, or the exporter's DCGM_FI_DEV_GPU_UTIL.")
        else:
            yield _hit(verdict, "Too few samples for a verdict", "Monitor for longer, or with a shorter --interval.")


@rule(
    "MON-NO-SAMPLING", "no-gpu-sampled", "GPU_UNDERUSED", Severity.INFO,
    RuleDoc(
        what="Whether NVML could be loaded and asked for the GPUs at all (no driver, no GPU, a container without the GPU).",
        why=("Without NVML nothing about the GPU's use can be measured; the job still runs, and the doctor says why "
             "there is no GPU (its causes lead the report when it could run)."),
        example=("whygpu monitor -- python train.py\n"
                 "  NVML could not be loaded: libnvidia-ml.so.1: cannot open shared object file"),
        fix="Run `whygpu doctor` on this machine: it names the root cause (no GPU, no driver, a container not given the GPU).",
        limits="Reported only when the doctor could not run either; otherwise the doctor's own findings stand for it.",
        references=(_GUIDE,),
    ),
)
def no_sampling(view: RunView) -> Iterator[Outcome]:
    """The run as a whole: no GPU could be sampled, and the doctor gave nothing either."""
    if view.verdict is None and view.sampler_unavailable and view.doctor is None:
        yield Hit(title="No GPU could be sampled", evidence=(view.sampler_unavailable,),
                  fix="Run `whygpu doctor` on this machine.")


# The explicit list (a test checks codes, docs and a firing and a quiet case for each).
RULES: list[Rule[RunView]] = [
    never_touched, left_gpu, allocated_idle, input_bound, gpu_busy, healthy, gpu_unused, no_verdict, no_sampling,
]

__all__ = ["RULES", "RunView"]
