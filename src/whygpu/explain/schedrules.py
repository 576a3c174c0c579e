"""The log rules of batch schedulers and shared clusters (accsched, sessions 34 and 36).

- LOG595: Ray's ``ray.get_gpu_ids()`` answering ``[]``, RLlib's policy device list empty, Slurm's
  ``CUDA_VISIBLE_DEVICES=NoDevFiles``: the launcher assigned the process no GPU although the node has one (GPU_HIDDEN,
  causes.md: "a scheduler or cgroup device limit"). The lists and the decision are knowledge.launcher_lists'; the reading
  explain.launchlist's.
- LOG666-LOG669 (session 36): explain.schedjob's readings (``LogFacts.sched_job``) judged by knowledge.schedulers.decide: a
  node without a GPU the run was on (NO_GPU), one node's own GPU state (GPU_FAULT / GPU_BUSY), a per-task GPU binding
  directive beside a process that sees one GPU or none (GPU_HIDDEN), JAX's Slurm auto-detection giving each process one
  GPU (GPU_HIDDEN).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from whygpu.explain.judge import LogSubject, alternative_hit
from whygpu.explain.logfacts import Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.launcher_lists import judge
from whygpu.knowledge.schedulers import decide
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule


@rule(
    # Counted 2026-12-07 over every labelled case (python3 bench/explain_rule_precision.py --rule LOG595): GPU_HIDDEN 3
    # (holdout87 ray-project-ray-17316, ray-project-ray-17174, holdout72 ray-project-ray-17397), none else; negatives 0.
    "LOG595", "log-launcher-gpu-list-empty", "GPU_HIDDEN", Severity.ERROR,
    RuleDoc(
        what="Reads a launcher's own list of the GPUs it gave the process shown empty: Ray's ray.get_gpu_ids() answering [] ('ray.get_gpu_ids() returns an empty list'), RLlib's policy device list ('self.devices is empty', 'len(self.devices) is 0'), Slurm's CUDA_VISIBLE_DEVICES=NoDevFiles.",
        why="Ray sets each task's or actor's CUDA_VISIBLE_DEVICES, and answers ray.get_gpu_ids(), from the GPUs it assigned from the num_gpus request: a task, actor or driver given none gets [] although torch sees the GPU; Slurm sets CUDA_VISIBLE_DEVICES from the job's GPU allocation, NoDevFiles for a job on a GPU node that requested none.",
        example="`torch.cuda.device_count() == 2` while `ray.get_gpu_ids() == []`\n(https://github.com/ray-project/ray/issues/5940; https://docs.ray.io/en/latest/ray-core/scheduling/accelerators.html)",
        fix="Ask the launcher for the GPU where the work runs: `@ray.remote(num_gpus=1)`, Tune's `tune.with_resources(trainable, {'gpu': 1})`, Ray Train's `ScalingConfig(use_gpu=True)`; Slurm's `#SBATCH --gres=gpu:1` (or `--gpus=1`).",
        limits="Quiet where the work used the GPU or the program's own code sets CUDA_VISIBLE_DEVICES; a test of the list in code ('if len(self.devices) == 0'), a question or a supposition is not read; beside another cause the log shows (a CPU build, no driver) the list only ranks.",
        references=("https://docs.ray.io/en/latest/ray-core/scheduling/accelerators.html", "https://docs.ray.io/en/latest/ray-core/api/doc/ray.get_gpu_ids.html",
                    "https://github.com/ray-project/ray/pull/17444", "https://slurm.schedmd.com/gres.html"),
    ),
)
def launcher_gpu_list_empty(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.launcher_list_empty:
        return
    seen = facts.launcher_list_empty[0]
    others = [f for f in subject.blocking() if f.cause != "GPU_HIDDEN"]
    sees = facts.gpu_seen()[:1] or facts.stated_gpu_works[:1] or facts.stated_gpu_works_other[:1] or facts.ray_works_without[:1]
    decided = judge(seen.value, gpu_in_use=subject.gpu_in_use, program_sets_devices=bool(facts.code_sets_visible_devices),
                    framework_sees_gpu=bool(sees), other_cause_shown=bool(others))
    if decided is None:
        return
    row = decided.row
    yield from _judged_hits(row, "GPU_HIDDEN", decided.confidence, decided.leads, others[0].cause if others else "",
                            f"{row.launcher} assigned this process no GPU: {row.list} is empty although the machine has one",
                            (*_ev(seen), *(_ev(*sees) if sees else ())))


class _JudgedRow(Protocol):
    """A knowledge row a launcher's or scheduler's judgement leads with: its fix, what it means, and the source
    (knowledge.launcher_lists.LauncherListRow, knowledge.schedulers.SchedRow)."""

    @property
    def fix(self) -> str: ...
    @property
    def means(self) -> str: ...
    @property
    def source(self) -> str: ...


def _judged_hits(row: _JudgedRow, cause: str, confidence: str, leads: bool, beside: str, title: str,
                 evidence: tuple[str, ...]) -> Iterator[Outcome]:
    """The findings of one judged reading (knowledge.launcher_lists.judge, knowledge.schedulers.decide), the one builder of
    LOG595 and LOG666-LOG669 (accreview, session 38): where it leads, ``cause`` blocking the GPU with the row's fix, what it
    means and its source, then ``beside`` (if any) as an alternative; where it only ranks, ``cause`` as an alternative to
    ``beside``, the cause the log shows."""
    if not leads:
        yield alternative_hit(cause, evidence[:1], beside)
        return
    yield Hit(
        title=title,
        evidence=evidence,
        fix=row.fix,
        confidence=Confidence(confidence),
        blocks_gpu=True,
        cause=cause,
        extra={"means": row.means, "source": row.source},
    )
    if beside:
        yield alternative_hit(beside, evidence[:1], cause)


def _sched_seen(subject: LogSubject, table: str) -> list[tuple[str, str, Seen[str]]]:
    """(row id, how told, sighting) of each reading of ``table`` in the log."""
    out: list[tuple[str, str, Seen[str]]] = []
    for seen in subject.facts.sched_job:
        parts = str(seen.value).split(":")
        if parts[0] == table:
            out.append((parts[1], parts[2] if len(parts) > 2 else "", seen))
    return out


def _sched_signs(subject: LogSubject) -> tuple[frozenset[str], list[Seen[str]]]:
    signs = [(str(s.value).split(":")[1], s) for s in subject.facts.sched_job if str(s.value).startswith("sign:")]
    return frozenset(sign for sign, _ in signs), [s for _, s in signs]


def _sched_hits(subject: LogSubject, table: str, title: str) -> Iterator[Outcome]:
    readings = _sched_seen(subject, table)
    if not readings:
        return
    signs, sign_seen = _sched_signs(subject)
    other_causes = frozenset(f.cause for f in subject.blocking() if f.cause)
    for row_id, told, seen in readings:
        decided = decide(table, row_id, told, gpu_in_use=subject.gpu_in_use, signs=signs, other_causes=other_causes)
        if decided is None:
            continue
        yield from _judged_hits(decided.row, decided.cause, decided.confidence, decided.leads, decided.beside,
                                title.format(name=decided.row.name), (*_ev(seen), *(_ev(*sign_seen[:1]) if sign_seen else ())))
        return


@rule(
    "LOG666", "log-ran-on-node-without-gpu", "NO_GPU", Severity.ERROR,
    RuleDoc(
        what="Reads a cluster's node without a GPU the run was on: the writer's login, head or submit node told with its lack of a GPU ('My head node lacks a GPU'), a cluster's non-GPU nodes ('crashes at import on the non-gpu machines'), or a run told on the login/head node beside a no-GPU sign (CUDA_ERROR_NO_DEVICE, 'nvidia-smi: command not found').",
        why="A cluster's login, head and submit nodes run shells, builds and submissions, usually without a GPU; the GPUs are on the compute nodes a job is given. A GPU build run there finds no device, or no driver library.",
        example="I can install OpenMM with miniconda on the head node ... CUDA platform error: Error initializing CUDA: CUDA_ERROR_NO_DEVICE (100)\n(https://github.com/aws/aws-parallelcluster/issues/5085)",
        fix="Run the same check inside a job on a GPU compute node: Slurm `srun --gres=gpu:1 --pty nvidia-smi -L`, PBS `qsub -I -l select=1:ngpus=1`, then the program there.",
        limits="Quiet where the GPU was used; a supposition or denial ('if run on the login node', 'not on the head node') is not read; a run told on the node without a no-GPU sign is not read; beside a cause a node without a GPU does not explain (a CPU build) only ranked.",
        references=("https://slurm.schedmd.com/quickstart.html",),
    ),
)
def ran_on_node_without_gpu(subject: LogSubject) -> Iterator[Outcome]:
    yield from _sched_hits(subject, "place", "The run was on a cluster node without a GPU (the login, head or submit node), not on a GPU compute node")


@rule(
    "LOG667", "log-one-node-gpu-state", "GPU_FAULT", Severity.ERROR,
    RuleDoc(
        what="Reads one node's own GPU state told for one node of a cluster: a GPU lost ('gpu-2-12 has lost a GPU', 'came up short a GPU', 'nodes are showing missing GPUs'), one not working ('one of the GPUs on cn110 is not working'), or a job failing on one node only ('The same job on a different node works fine').",
        why="A node that lists fewer GPUs than it has lost one off the bus or to a failed initialisation (a fault of that node); a job that fails on one node and works on the others meets that node's GPU held by another user's process (a memory failure) or faulty.",
        example="gpu-2-12 has lost a GPU\n(https://github.com/cBio/cbio-cluster/issues/39)",
        fix="On that node: `nvidia-smi -L` (count the GPUs), `lspci | grep -i nvidia` ('rev ff' is a GPU off the bus), `dmesg | grep -i -e xid -e NVRM`; `nvidia-smi` shows another user's process holding it; exclude or drain the node meanwhile.",
        limits="GPU_BUSY leads only for a job failing on one node with a memory failure; otherwise GPU_FAULT, the other beside it. Beside another blocking cause only ranked.",
        references=("https://docs.nvidia.com/deploy/xid-errors/index.html", "https://slurm.schedmd.com/sbatch.html#OPT_exclude"),
    ),
)
def one_node_gpu_state(subject: LogSubject) -> Iterator[Outcome]:
    yield from _sched_hits(subject, "node_state", "One node's GPU is faulty or held: the same work runs on the cluster's other nodes")


@rule(
    "LOG668", "log-per-task-gpu-binding", "GPU_HIDDEN", Severity.ERROR,
    RuleDoc(
        what="Reads a scheduler's per-task GPU binding (Slurm's --gpus-per-task, --gpu-bind) beside a process that sees one GPU of several or none ('But your machine only has: [0]', 'No devices found').",
        why="Slurm's --gpus-per-task gives each task its own GPUs and sets each task's CUDA_VISIBLE_DEVICES to them: a program that expects every process to see all of the node's GPUs finds one, and a task the binding skips finds none.",
        example="The error is caused by using the `--gpus-per-task` slurm argument ... But your machine only has: [0]\n(https://github.com/Lightning-AI/pytorch-lightning/issues/16828)",
        fix="Request the GPUs per node (`--gpus-per-node=N` or `--gres=gpu:N`) with `--ntasks-per-node=N` and let the framework pick by local rank; `srun bash -c 'echo $SLURM_PROCID $CUDA_VISIBLE_DEVICES'` shows what each task sees.",
        limits="Only a directive that binds per task, and only beside a sign that a process sees one GPU or none; beside another blocking cause only ranked.",
        references=("https://slurm.schedmd.com/gres.html#GPU_Management",),
    ),
)
def per_task_gpu_binding(subject: LogSubject) -> Iterator[Outcome]:
    yield from _sched_hits(subject, "directive", "The scheduler's per-task GPU binding ({name}) gives each process only its own GPU")


@rule(
    "LOG669", "log-jax-slurm-one-device", "GPU_HIDDEN", Severity.ERROR,
    RuleDoc(
        what="Reads JAX's Slurm auto-detection giving each process one GPU: jax.distributed.initialize() in a Slurm job with the writer's words that each process or host gets one device ('one GPU per process', 'only the 0th GPU on each node is used', local_device_ids).",
        why="Under Slurm jax.distributed.initialize() assumes one process per GPU and gives each process the GPU of its local rank: one process per node drives one GPU of the node, and more processes than GPUs ask for one that does not exist.",
        example="our jobs only see one GPU per node because jax.distributed assumes one GPU per process when used with slurm\n(https://github.com/AI-Hypercomputer/maxtext/issues/865)",
        fix="Run one task per GPU (`--ntasks-per-node` = GPUs per node), or pass `jax.distributed.initialize(local_device_ids=[0, 1, ...])` / set `JAX_LOCAL_DEVICE_IDS`; `print(jax.local_devices())` in each process shows what it drives.",
        limits="Only where the text names jax.distributed (or distributed.initialize) and Slurm; beside another blocking cause only ranked.",
        references=("https://jax.readthedocs.io/en/latest/_autosummary/jax.distributed.initialize.html", "https://github.com/jax-ml/jax/pull/22373"),
    ),
)
def jax_slurm_one_device(subject: LogSubject) -> Iterator[Outcome]:
    yield from _sched_hits(subject, "device_map", "JAX's Slurm auto-detection gives each process one GPU of the node")


SCHED_RULES: list[Rule[LogSubject]] = [launcher_gpu_list_empty, ran_on_node_without_gpu, one_node_gpu_state, per_task_gpu_binding,
                                       jax_slurm_one_device]
