"""The log rule that reads a batch job's GPU binding (acclibs, session 23).

A job that asked the scheduler for GPUs (``#SBATCH --gpus-per-task=1``, ``--gres=gpu:4``, a GPU partition) and whose
program still finds no CUDA device was not bound to the GPU it runs beside: Slurm confines each job (and with
``--gpus-per-task`` or ``--gpu-bind`` each task) to its allocated GPUs through the job's cgroup and CUDA_VISIBLE_DEVICES,
so a program that enumerates devices itself, or a site change to the binding, leaves it none (GPU_HIDDEN, causes.md: "a
scheduler or cgroup device limit"). Sources: https://slurm.schedmd.com/gres.html, https://slurm.schedmd.com/sbatch.html
(--gpus-per-task, --gpu-bind).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

# The CUDA answers that no device is there for this process (the runtime's and driver's cudaErrorNoDevice /
# CUDA_ERROR_NO_DEVICE, their texts, PyTorch's and JAX's words for it, and an ordinal the process does not have).
NO_DEVICE_LINE = re.compile(
    r"CUDA_ERROR_NO_DEVICE|cudaErrorNoDevice|no CUDA-capable device|No CUDA GPUs are available"
    r"|no supported devices found for platform CUDA|invalid device ordinal|CUDA_ERROR_INVALID_DEVICE", re.I)


def no_device_lines(subject: LogSubject) -> list[str]:
    """The evidence lines of the matched messages that say CUDA found no device for this process."""
    return [line for m in subject.messages for line in m.evidence if NO_DEVICE_LINE.search(line)]


@rule(
    # Counted 2026-12-05 over every labelled case (python3 bench/explain_rule_precision.py --grep
    # 'gpus-per-task|--gres|gpu-bind|gpus-per-node' and --grep '(GPU|gpu) partition|partition[= ]\S*gpu|-p gpu'), those
    # whose log also has a no-device line: GPU_HIDDEN 3 (holdout25 jax-ml-jax-28194, jax-ml-jax-23452, gafusion-gacode-363),
    # none else; the GPU request without a no-device line was CONTAINER_NO_GPU 1, CUDA_LIBS_MISMATCH 1, DRIVER_TOO_OLD 2
    # (this rule is quiet there); negatives 0.
    "LOG282", "log-job-gpu-not-bound", "GPU_HIDDEN", Severity.ERROR,
    RuleDoc(
        what="Finds a batch job that requested GPUs (Slurm --gres=gpu, --gpus*, --gpus-per-task, a GPU partition or queue, PBS ngpus=, LSF -gpu) in a log whose program answers that CUDA has no device (CUDA_ERROR_NO_DEVICE, 'no CUDA-capable device is detected', 'No CUDA GPUs are available', JAX's 'no supported devices found for platform CUDA', an invalid device ordinal).",
        why="The scheduler gives a job, and with --gpus-per-task or --gpu-bind each task, only the GPUs it allocated (the job's cgroup and CUDA_VISIBLE_DEVICES); a program that asks for devices outside that binding, or a site change to the binding, sees none although the node has GPUs.",
        example="#SBATCH --gpus-per-task=1\nRuntimeError: Unable to initialize backend 'cuda': INTERNAL: no supported devices found for platform CUDA\n(https://slurm.schedmd.com/gres.html)",
        fix="Inside the job run `echo $CUDA_VISIBLE_DEVICES; nvidia-smi -L` per task (`srun -l bash -c 'echo $CUDA_VISIBLE_DEVICES; nvidia-smi -L'`): no GPU listed means the binding gave the task none.",
        limits="Reads the job's lines and the writer's words only; a job that requested no GPU is LOG117's, a container inside the job its own readings'.",
        references=("https://slurm.schedmd.com/gres.html", "https://slurm.schedmd.com/sbatch.html"),
    ),
)
def job_gpu_not_bound(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    asked = facts.scheduler_gpu[:1] or facts.gpu_partition_said[:1]
    if not asked or subject.gpu_in_use or facts.code_sets_visible_devices or facts.in_container:
        return
    said = no_device_lines(subject)
    if not said:
        return
    yield Hit(
        title="The job asked the scheduler for GPUs, yet CUDA found no device in it: the GPU was not bound to the job or task",
        evidence=(*_ev(asked[0]), said[0]),
        fix="Check the binding inside the job: `srun -l bash -c 'echo $CUDA_VISIBLE_DEVICES; nvidia-smi -L'` lists what each task "
        "was given. With --gpus-per-task (or --gpu-bind) each task sees only its own GPU as device 0: start one process per task "
        "and let it use the GPU it sees, or request the GPUs for the whole job instead (`#SBATCH --gres=gpu:N` or `--gpus-per-node=N`) "
        "when one process drives several. After a site update, ask the admins whether the GPU binding (cgroup, gres.conf) changed.",
        # High: a scheduler places a job that requests GPUs only on a node that has them, so "no device" there is the
        # binding's (3 of 3 counted above).
        confidence=Confidence.HIGH,
        blocks_gpu=True,
    )


BIND_RULES: list[Rule[LogSubject]] = [job_gpu_not_bound]
