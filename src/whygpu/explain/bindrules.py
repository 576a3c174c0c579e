"""The log rule that reads a batch job's GPU binding (acclibs, session 23).

A job that asked the scheduler for GPUs (``#SBATCH --gpus-per-task=1``, ``--gres=gpu:4``, a GPU partition) and whose
program still finds no CUDA device was not bound to the GPU it runs beside: Slurm confines each job (and with
``--gpus-per-task`` or ``--gpu-bind`` each task) to its allocated GPUs through the job's cgroup and CUDA_VISIBLE_DEVICES,
so a program that enumerates devices itself, or a site change to the binding, leaves it none (GPU_HIDDEN, causes.md: "a
scheduler or cgroup device limit"). Sources: https://slurm.schedmd.com/gres.html, https://slurm.schedmd.com/sbatch.html
(--gpus-per-task, --gpu-bind).
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu import lazyre as re
from whygpu.explain import where as where_ran
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


@rule(
    # accenv (session 26). Counted 2026-12-06 over every labelled case whose log shows Ray running the work (explain/where.py
    # RAY_RUNS) with CUDA_VISIBLE_DEVICES said to reach it empty or not passed, or a no-device answer and no GPU requested
    # for the task: GPU_HIDDEN 3 (holdout22 ray-project-ray-33798, holdout41 ray-project-ray-8838, ray-project-ray-49147),
    # none else; negatives 0 (no negative shows Ray running the work). Ray in a
    # log without these (a CPU-only framework build in a Ray image, holdout41 ray-project-ray-14683) leaves the rule quiet.
    "LOG330", "log-ray-task-without-gpus", "GPU_HIDDEN", Severity.ERROR,
    RuleDoc(
        what="Finds work run by Ray (a worker's 'ray::Class.method()' title, RayTaskError, @ray.remote, ray.init, local_mode=True, tune.run) whose framework finds no CUDA device while no GPU was requested for the task or actor (num_gpus, resources_per_trial, use_gpu), or where the writer says CUDA_VISIBLE_DEVICES reaches the task empty or is not passed through.",
        why="Ray sets CUDA_VISIBLE_DEVICES in each worker to the GPUs it assigned to the task or actor from its num_gpus request: a task or actor that requests none (and every task in Ray 0.8.5's local mode) runs with the variable empty, so CUDA shows it no device although the node has GPUs.",
        example="@ray.remote\nclass Actor: ...\nRuntimeError: No CUDA GPUs are available\n(https://docs.ray.io/en/latest/ray-core/scheduling/accelerators.html)",
        fix="Request the GPU for the task or actor: `@ray.remote(num_gpus=1)` (or `.options(num_gpus=1)`), Tune's `resources_per_trial={'gpu': 1}` (tune.with_resources), Ray Train's `ScalingConfig(use_gpu=True)`; check inside it with `ray.get_gpu_ids()` and `os.environ['CUDA_VISIBLE_DEVICES']`.",
        limits="Quiet where the log shows the task given GPUs and nothing says the variable reached it empty, where the work used the GPU, and where the program's own code sets CUDA_VISIBLE_DEVICES.",
        references=("https://docs.ray.io/en/latest/ray-core/scheduling/accelerators.html", "https://docs.ray.io/en/latest/ray-core/api/doc/ray.get_gpu_ids.html",
                    "https://github.com/vllm-project/vllm/pull/3198"),
    ),
)
def ray_task_without_gpus(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    runs = facts.ray_runs[:1]
    if not runs or subject.gpu_in_use or facts.code_sets_visible_devices:
        return
    said = facts.stated_cvd_cleared[:1]
    none = no_device_lines(subject)
    answered = [a for answers in facts.gpu_answer.values() for a in answers if a.value is False][:1]
    # accinst (session 30): the writer's word that the same code uses the GPU without Ray stands for the no-device answer
    without = facts.ray_works_without[:1]
    # accray40 (session 40): a Ray job whose entrypoint was given no GPU (no entrypoint_num_gpus), with the writer's word that
    # the GPU check fails when run as the job: the driver was given no GPU.
    job = facts.ray_job_fails[:1] if facts.ray_job and not facts.ray_job_gpus else []
    # accray40 (session 40): a task or actor with no GPU request shown beside one given GPUs: its worker has
    # CUDA_VISIBLE_DEVICES empty (and Ray 1.x reused it for the GPU task, ray-project/ray#22504), so a GPU request elsewhere
    # in the log does not rule Ray's assignment out.
    unassigned = where_ran.ray_left_gpu_unassigned(True, bool(facts.ray_gpus_asked), bool(facts.ray_task_no_gpus), False)
    if not said and not job and (not unassigned or not (none or answered or without)):
        return
    evidence = (*_ev(runs[0]), *(_ev(said[0]) if said else ()), *(_ev(job[0]) if job else ()),
                *(() if job and not (none or answered) else none[:1] if none else _ev(*answered) if answered else _ev(*without)))
    if job:
        yield Hit(
            title="The work ran as a Ray job whose entrypoint (the job's driver) was given no GPU",
            evidence=evidence,
            fix="Give the job's entrypoint the GPU when submitting it: `ray job submit --entrypoint-num-gpus=1 -- python script.py` "
            "(JobSubmissionClient.submit_job(..., entrypoint_num_gpus=1), Ray 2.2 and later), which also places it on a node with a "
            "GPU; or do the GPU work in a task or actor that requests it (`@ray.remote(num_gpus=1)`). Inside the job, "
            "`os.environ.get('CUDA_VISIBLE_DEVICES')` shows what the driver was given.",
            confidence=Confidence.MEDIUM,
            blocks_gpu=True,
        )
        return
    yield Hit(
        title="Ray ran the work in a task or actor that was given no GPU: Ray set its CUDA_VISIBLE_DEVICES empty"
        if not facts.ray_gpus_asked else "Ray ran the work with CUDA_VISIBLE_DEVICES empty: the task or actor was not given its GPU",
        evidence=evidence,
        fix="Request the GPU where the work runs: `@ray.remote(num_gpus=1)` or `Actor.options(num_gpus=1).remote()`, Tune's "
        "`tune.with_resources(trainable, {'gpu': 1})` (resources_per_trial), Ray Train's `ScalingConfig(use_gpu=True)`; a runtime_env "
        "entry does not decide CUDA_VISIBLE_DEVICES: Ray sets it from the request. A task or actor without a GPU request runs with "
        "CUDA_VISIBLE_DEVICES empty, and a worker that ran one may be reused for a GPU task: keep the framework's CUDA work out of "
        "tasks that request no GPU (or start GPU tasks in fresh workers, `max_calls=1`). Inside the task, `ray.get_gpu_ids()` and "
        "`os.environ['CUDA_VISIBLE_DEVICES']` show what it was given.",
        # High with the writer's word that the variable reached the task empty; medium on a no-device answer alone.
        confidence=Confidence.HIGH if said else Confidence.MEDIUM,
        blocks_gpu=True,
    )


BIND_RULES: list[Rule[LogSubject]] = [job_gpu_not_bound, ray_task_without_gpus]
