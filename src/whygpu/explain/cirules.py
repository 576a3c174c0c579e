"""The machine's kind from its context (accci, session 33): a hosted CI runner, a container image build step, a build sandbox.

What the log shows of the machine's kind is read once (``LogFacts.machine_kind``, ``machine_gpu_shown``,
``build_step_where``: knowledge/machine_kinds.toml's markers); what the kind means for a GPU-unavailable message is the
knowledge layer's one decision (``knowledge.machine_kinds.machine_without_gpu``), the same the doctor's HW001 asks.

- LOG510: a GPU-unavailable message (no driver, a driver "too old", no device, the framework's "no GPU") on a hosted CI
  runner, which has no GPU (NO_GPU), where nothing shows a GPU on that runner.
- LOG511: the same in a container image build step (`docker build`), which the builder runs without the GPU
  (CONTAINER_NO_GPU).
- LOG512: the same in a build sandbox that hides the GPU's device files (Bazel's sandbox, Nix's build sandbox: GPU_HIDDEN).
- LOG513: the same in a CI job whose runner the log does not show (GitHub Actions' workflow commands or timestamps, a
  GitLab, Azure Pipelines, CircleCI or Buildkite job): a runner without a GPU only as the alternative to what the message
  names.

``lead`` (called by ``explain.judge.judge`` before the stated remedy's) puts the kind's cause first: the readings the kind
explains (the driver-side causes a message names on a machine that has no GPU) drop from high to medium confidence.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from whygpu.explain.judge import LogSubject, alternative_hit
from whygpu.explain.logfacts import Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Finding, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

if TYPE_CHECKING:
    from whygpu.knowledge.machine_kinds import MachineKind

# The causes a GPU-unavailable message names that the machine's kind explains instead: the GPU absent, the driver absent,
# too old or mismatched, the container or sandbox not given it. A message of another family (a library of another
# version, a CPU build, a compute capability) is a different fault and keeps its place.
_UNAVAILABLE = frozenset({"NO_GPU", "DRIVER_MISSING", "DRIVER_TOO_OLD", "DRIVER_MISMATCH", "CONTAINER_NO_GPU", "GPU_HIDDEN"})
_KIND_RULES = {"ci": "LOG510", "image_build": "LOG511", "sandbox": "LOG512"}


def _where(line: str) -> str:
    """The ``file:line`` of an evidence line ("t:12: text" -> "t:12")."""
    head, _sep, _rest = line.partition(": ")
    return head


def _unavailable(subject: LogSubject) -> tuple[list[Finding], list[Seen[bool]]]:
    """The findings that name a GPU-unavailable cause (not offered only as an alternative) and the framework's or writer's
    "no GPU" answers."""
    named = [f for f in (*subject.matched, *subject.doctor)
             if f.cause in _UNAVAILABLE and f.alternative_to is None and f.severity is not Severity.INFO
             and not f.id.startswith("LOG51")]
    if any(f.cause == "FRAMEWORK_CPU_BUILD" and f.alternative_to is None and f.confidence is Confidence.HIGH for f in subject.matched):
        # acccpubuild (session 37): the framework's own word that it is a CPU-only build ("Torch not compiled with CUDA
        # enabled") is what its "no GPU" answers follow from, on any machine: the machine's kind does not re-read them
        # (a build step without the GPU gives a CUDA build's "no device", never "not compiled with CUDA").
        return named, []
    return named, list(subject.facts.gpu_unused())


def _gpu_shown_families(subject: LogSubject) -> set[str]:
    """The families of machine kinds that the log shows with a GPU: a line of the family's own (a GPU runner label, a
    self-hosted runner, the daemon's default runtime nvidia); for CI also a GPU shown answering (nvidia-smi's header, a
    framework listing a GPU) or a container started with it."""
    facts = subject.facts
    families = {s.value for s in facts.machine_gpu_shown}
    from whygpu.explain.ruleout import _driver_answers, _gpu_listed

    if _driver_answers(facts) is not None or _gpu_listed(facts) is not None or facts.docker_run_with_gpus:
        families.add("ci")
    return families


def _reading(subject: LogSubject) -> tuple[MachineKind, bool, tuple[str, ...]] | None:
    """(the kind's row, whether it decides, the evidence) where the log shows a machine kind and a GPU-unavailable message
    on it, and nothing that shows a GPU on that machine; None otherwise."""
    from whygpu.knowledge.machine_kinds import machine_kind, machine_without_gpu

    facts = subject.facts
    if not facts.machine_kind or subject.gpu_in_use or (facts.stated_gpu_works and not facts.gpu_unused()):
        return None
    named, unused = _unavailable(subject)
    failing = list(facts.machine_kind_fails)
    if not named and not unused and not failing:
        return None
    decided = machine_without_gpu([s.value for s in facts.machine_kind], _gpu_shown_families(subject))
    if decided is None:
        return None
    row, decides = decided
    if not named and not unused and not any(s.value == row.id for s in failing):
        return None
    if row.family == "image_build" and (facts.docker_run_with_gpus or facts.build_output_where):
        # Where the log shows the step's own output lines (BuildKit's "#8 0.895 ...") or a container started with the GPU,
        # only a message on a build step's own line is the step's (not the writer's later "it reverts to the CPU").
        lines = [*(_where(e) for f in named for e in f.evidence[:1]), *(s.where for s in unused)]
        if not any(w in facts.build_step_where for w in lines):
            return None
    kind_seen = next((s for s in failing if s.value == row.id), None) or next(s for s in facts.machine_kind if machine_kind(s.value) is row)
    message = next(iter(named[0].evidence[:1]), None) if named else None
    evidence = (*_ev(kind_seen), *((message,) if message else _ev(*unused[:1])))
    return row, decides, evidence


_TITLES = {
    "ci": "This ran on {name}, which has no GPU: the GPU-unavailable message follows from that",
    "image_build": "This ran in {name}, which the builder runs without the GPU: the GPU-unavailable message follows from that",
    "sandbox": "This ran in {name}, which hides the GPU's device files: the GPU-unavailable message follows from that",
}


def _hit(subject: LogSubject, family: str) -> Iterator[Outcome]:
    reading = _reading(subject)
    if reading is None:
        return
    row, decides, evidence = reading
    if row.family != family or not decides:
        return
    named, _unused = _unavailable(subject)
    said = sorted({f.cause for f in named} - {row.cause})
    yield Hit(
        title=_TITLES[family].format(name=row.name),
        evidence=evidence,
        fix=f"{row.fix}\nCheck: {row.check}\n(source: {row.source})",
        confidence=Confidence.HIGH,
        blocks_gpu=True,
        extra={"read_from": "the machine's kind from the log's context (knowledge.machine_kinds)", "machine_kind": row.id},
    )
    for cause in said[:1]:
        yield alternative_hit(cause, evidence[-1:], row.cause)


_LIMITS = ("Speaks only where the log shows the kind (a marker of knowledge/machine_kinds.toml, or the writer's asserted words) "
           "and a GPU-unavailable message or 'no GPU' answer, and nothing that shows a GPU on that machine (nvidia-smi's header, a "
           "framework listing a GPU, a GPU runner label, a self-hosted runner, `docker run --gpus` or the daemon's default runtime "
           "nvidia); a message of another family (a library of another version, a CPU build) is not re-read.")


@rule(
    "LOG510", "log-hosted-ci-runner-has-no-gpu", "NO_GPU", Severity.ERROR,
    RuleDoc(
        what="Finds a GPU-unavailable message (no NVIDIA driver, 'CUDA driver version is insufficient', no CUDA-capable device, the framework's 'no GPU') in the log of a hosted CI runner (GitHub's 'Runner Image' block or `runs-on: ubuntu-latest`, Travis CI's build log, a GitLab.com shared runner, a Microsoft-hosted Azure Pipelines agent; knowledge/machine_kinds.toml).",
        why="Hosted CI runners are VMs without a GPU unless a GPU runner is asked for: CUDA there finds no device and no driver, and the CUDA runtime reports a missing driver as 'driver version is insufficient', so the message's driver reading is not the cause.",
        example="Runner Image\n  Image: ubuntu-22.04\n...\nRuntimeError: Found no NVIDIA driver on your system.",
        fix="Run the GPU tests on a GPU runner (a GPU larger runner, a GitLab GPU runner, a self-hosted GPU machine), or skip them where no GPU is found.",
        limits=_LIMITS,
        references=("https://docs.github.com/en/actions/using-github-hosted-runners/using-github-hosted-runners/about-github-hosted-runners",
                    "https://github.com/travis-ci/travis-ci/issues/5911", "https://docs.gitlab.com/ci/runners/hosted_runners/linux/",
                    "https://learn.microsoft.com/azure/devops/pipelines/agents/hosted"),
    ),
)
def hosted_ci_runner_has_no_gpu(subject: LogSubject) -> Iterator[Outcome]:
    yield from _hit(subject, "ci")


@rule(
    "LOG511", "log-image-build-step-has-no-gpu", "CONTAINER_NO_GPU", Severity.ERROR,
    RuleDoc(
        what="Finds a GPU-unavailable message or 'no GPU' answer printed by a container image build step (docker's classic 'Step 5/12 : RUN', BuildKit's '#8 [3/7] RUN' and '#8 0.895 ...' lines, 'failed to solve', Podman's 'STEP 3/7: RUN', `cog build`, or the writer's 'during the docker build').",
        why="`docker build` takes no --gpus: a RUN step runs in a container the builder starts without the NVIDIA runtime (BuildKit always; the classic builder unless the daemon's default runtime is nvidia), so the GPU, its device files and libcuda are not there even on a GPU host.",
        example="#0 0.895 RuntimeError: Found no NVIDIA driver on your system.\n...\nERROR: failed to solve: process \"/bin/sh -c python warmup.py\" did not complete successfully",
        fix="Run the GPU work at `docker run --gpus all` time; to compile CUDA code in the build set TORCH_CUDA_ARCH_LIST (or CMAKE_CUDA_ARCHITECTURES) so no GPU is needed.",
        limits=_LIMITS + " Where the log also shows a container started with --gpus, only a message on a build step's own line is read.",
        references=("https://docs.docker.com/reference/cli/docker/buildx/build/", "https://docs.docker.com/reference/cli/docker/container/run/#gpus",
                    "https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/install-guide.html#configuring-docker"),
    ),
)
def image_build_step_has_no_gpu(subject: LogSubject) -> Iterator[Outcome]:
    yield from _hit(subject, "image_build")


@rule(
    "LOG512", "log-build-sandbox-hides-gpu", "GPU_HIDDEN", Severity.ERROR,
    RuleDoc(
        what="Finds a GPU-unavailable message in a build sandbox that does not mount the GPU's device files: Bazel's linux-sandbox (its sandbox/linux-sandbox/N/execroot paths, `bazel test` failing where `bazel run` works), a Nix derivation's build ('building /nix/store/...drv', nix-build failing where nix-shell works).",
        why="These sandboxes build a private /dev with only the basic nodes (null, zero, random...) and mount only declared inputs: /dev/nvidia* and the driver's libcuda are not inside, so CUDA finds no device or no driver although the host has both.",
        example="`bazel run` succeeds, while `bazel test` fails ... the sandbox not mounting devices /dev/nvidia*",
        fix="Run the GPU tests unsandboxed (Bazel: tags = [\"local\"]; Nix: outside the build), or mount the device files into the sandbox (Bazel's --sandbox_add_mount_pair, Nix's extra-sandbox-paths).",
        limits=_LIMITS,
        references=("https://bazel.build/docs/sandboxing", "https://github.com/bazelbuild/bazel/issues/1640",
                    "https://nix.dev/manual/nix/stable/command-ref/conf-file.html#conf-sandbox"),
    ),
)
def build_sandbox_hides_gpu(subject: LogSubject) -> Iterator[Outcome]:
    yield from _hit(subject, "sandbox")


@rule(
    "LOG513", "log-ci-job-runner-not-shown", "NO_GPU", Severity.WARNING,
    RuleDoc(
        what="Finds a GPU-unavailable message in a CI job whose runner the log does not show (GitHub Actions' workflow commands or timestamps, a GitLab, Azure Pipelines, CircleCI or Buildkite job) and offers a runner without a GPU as the alternative to what the message names.",
        why="Hosted runners have no GPU, self-hosted ones may: the CI system alone does not decide, but a driver message on a runner without a GPU is common enough to name what would decide.",
        example="2022-06-19T16:56:33.8428169Z C++ exception with description \"CUDA error: CUDA driver version is insufficient for CUDA runtime version",
        fix="Look at the job's 'Set up job' step: a hosted runner image has no GPU (use a GPU runner); a self-hosted runner's `nvidia-smi` shows its driver.",
        limits=_LIMITS + " Offers the alternative only; the message's own reading stays first.",
        references=("https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/workflow-commands-for-github-actions",),
    ),
)
def ci_job_runner_not_shown(subject: LogSubject) -> Iterator[Outcome]:
    reading = _reading(subject)
    if reading is None:
        return
    row, decides, evidence = reading
    if decides or row.family != "ci":
        return
    named, _unused = _unavailable(subject)
    to = named[0].cause if named else None
    if to == "NO_GPU":
        return
    yield alternative_hit("NO_GPU", evidence, to, extra={"machine_kind": row.id})


def lead(matched: list[Finding], judged: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """The machine kind's cause first where LOG510-LOG512 spoke: the GPU-unavailable readings it explains drop from high to
    medium confidence (the ranking is by confidence first), so the message's own reading follows as the alternative."""
    from dataclasses import replace

    kinds = {f.cause for f in judged if f.id in _KIND_RULES.values() and f.alternative_to is None}
    if not kinds:
        return matched, judged

    def lower(findings: list[Finding]) -> list[Finding]:
        return [replace(f, confidence=Confidence.MEDIUM)
                if f.cause in _UNAVAILABLE and f.cause not in kinds and f.confidence is Confidence.HIGH else f
                for f in findings]

    return lower(matched), lower(judged)


CI_RULES: list[Rule[LogSubject]] = [hosted_ci_runner_has_no_gpu, image_build_step_has_no_gpu, build_sandbox_hides_gpu,
                                    ci_job_runner_not_shown]
