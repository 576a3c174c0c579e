"""The log rule that reads a launcher's own list of the GPUs it gave the process, shown empty (accsched, session 34).

- LOG595: Ray's ``ray.get_gpu_ids()`` answering ``[]``, RLlib's policy device list empty, Slurm's
  ``CUDA_VISIBLE_DEVICES=NoDevFiles``: the launcher assigned the process no GPU although the node has one (GPU_HIDDEN,
  causes.md: "a scheduler or cgroup device limit"). The lists and the decision are knowledge.launcher_lists'; the reading
  explain.launchlist's.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject, alternative_hit
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.launcher_lists import judge
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
    evidence = (*_ev(seen), *(_ev(*sees) if sees else ()))
    if not decided.leads:
        yield alternative_hit("GPU_HIDDEN", evidence[:1], others[0].cause)
        return
    row = decided.row
    yield Hit(
        title=f"{row.launcher} assigned this process no GPU: {row.list} is empty although the machine has one",
        evidence=evidence,
        fix=row.fix,
        confidence=Confidence(decided.confidence),
        blocks_gpu=True,
        extra={"means": row.means, "source": row.source},
    )


SCHED_RULES: list[Rule[LogSubject]] = [launcher_gpu_list_empty]
