"""The log rule that judges the serving or framework image that ran against a GPU that was wanted (accserve, session 28).

Serving programs and the frameworks' own images come in a CPU and a GPU variant told apart by the tag
(knowledge/serving_images.toml; explain/serving.py reads the references, a KServe predictor's runtimeVersion and the
writer's words that the image in use or the default one is the CPU variant). The CPU variant has no CUDA code: started
with --gpus, in a pod given nvidia.com/gpu, or where the writer says the GPU went unused, it serves on the CPU without
an error (FRAMEWORK_CPU_BUILD).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import LogFacts, Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule


def gpu_wanted(facts: LogFacts) -> list[Seen[Any]]:
    """The lines that show the GPU was wanted for the run: a container launched with it, a manifest or pod resource asking
    for it (nvidia.com/gpu, a MIG profile), or a framework's or the writer's word that it went unused."""
    from whygpu.explain.rules import launch_with_gpu_shown_lines

    return [*launch_with_gpu_shown_lines(facts), *facts.gpu_resource_requested, *facts.gpu_unused()]


@rule(
    "LOG380", "log-serving-cpu-image", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Finds a serving or framework image named in its CPU variant (tensorflow/serving:2.14.1 rather than 2.14.1-gpu, pytorch/torchserve:latest or -cpu, kserve/huggingfaceserver from v0.15 without -gpu, text-embeddings-inference's cpu- tags, text-generation-inference's intel-cpu tags, tensorflow/tensorflow without -gpu), a KServe predictor's runtimeVersion that picks that variant, or the writer's words that the image in use or the default one is the CPU (non-GPU) variant, in a log that shows the GPU was wanted (a launch with --gpus, a manifest or pod asking for nvidia.com/gpu or a MIG profile, the GPU said unused).",
        why="These programs publish their CPU and GPU builds as two variants of one image, the tag telling them apart (knowledge/serving_images.toml cites each); the CPU variant has no CUDA code, so given the GPU it serves on the CPU without an error.",
        example="docker run --gpus all -p 8501:8501 -v /models/resnet:/models/resnet -e MODEL_NAME=resnet tensorflow/serving:2.14.1\n(https://www.tensorflow.org/tfx/serving/docker)",
        fix="Run the image's GPU variant (the -gpu tag; KServe: runtimeVersion or the chart's tag with -gpu).",
        limits="Quiet where the same image's GPU variant is named too (the log is about both), where nothing shows the GPU was wanted, and where the GPU is shown in use. An image named without a tag is read only on a launch, pull or image: line. Triton's NGC images have no CPU variant and are not read.",
        references=("https://www.tensorflow.org/tfx/serving/docker", "https://github.com/pytorch/serve/blob/master/docker/README.md",
                    "https://github.com/kserve/kserve/blob/master/charts/kserve-resources/README.md"),
    ),
)
def serving_cpu_image(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if subject.gpu_in_use or not (facts.serving_image or facts.serving_cpu_said):
        return
    wanted = gpu_wanted(facts)
    if not wanted:
        return
    gpu_keys = {s.value.image.key for s in facts.serving_image if s.value.variant == "gpu"}
    cpu = [s for s in facts.serving_image if s.value.variant == "cpu" and s.value.image.key not in gpu_keys]
    if cpu:
        found = cpu[0].value
        named = f"{found.image.program}'s image" + (f" (tag {found.tag})" if found.tag else " without a tag (latest)")
        yield Hit(
            title=f"{named} is its CPU variant, where the GPU was asked for: it has no CUDA code and serves on the CPU",
            evidence=_ev(cpu[0], wanted[0]),
            fix=f"Run the GPU variant of the image ({found.image.gpu_example}); with KServe set the predictor's runtimeVersion (or the "
                f"serving runtime's image tag) to the -gpu tag. Why: {found.image.why} ({found.image.source}).",
            confidence=Confidence.HIGH,
            blocks_gpu=True,
            extra={"read_from": "the image's tag (explain.serving), judged by knowledge.serving_images"},
        )
        return
    if facts.serving_cpu_said and facts.serving_named and not gpu_keys:
        yield Hit(
            title="The writer says the serving image in use (or its default) is the CPU variant, where the GPU was asked for",
            evidence=_ev(facts.serving_cpu_said[0], wanted[0]),
            fix="Select the image's GPU variant explicitly (its -gpu tag: tensorflow/serving:2.14.1-gpu, pytorch/torchserve:latest-gpu, "
                "kserve/huggingfaceserver:v0.15.2-gpu; with KServe the predictor's runtimeVersion or the chart's serving-runtime tag).",
            confidence=Confidence.MEDIUM,
            blocks_gpu=True,
            extra={"read_from": "the writer's words (explain.serving.cpu_image_said)"},
        )


SERVING_RULES: list[Rule[LogSubject]] = [serving_cpu_image]


def _capability(model: str) -> str | None:
    """The compute capability of a GPU model as the log names it ("M40 (24 GB)", "Tesla K80"), from knowledge/gpus.toml."""
    from whygpu import lazyre as re
    from whygpu.knowledge.gpus import gpu_by_name

    found = gpu_by_name(model) or gpu_by_name(re.sub(r"\s*\([^()]*\)", "", model).strip())
    return found.compute_capability if found is not None and found.compute_capability else None


@rule(
    # accray40 (session 40). Counted 2026-12-07 over every labelled case naming Triton / TRTIS with an NGC release and a GPU
    # model: GPU_NOT_SUPPORTED 1 (holdout107 triton-inference-server-server-1246, an M40 under 19.08-20.03), none else;
    # negatives 0.
    "LOG851", "log-serving-gpu-below-floor", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Finds a serving program with its own floor of compute capability (Triton Inference Server / TRTIS from release 19.08: 6.0; knowledge/serving_images.toml [[gpu_floor]]) run at a release that has the floor, on a GPU the log names whose compute capability is below it (knowledge/gpus.toml), where the GPU is said not found or unused ('no GPUs are available').",
        why="The server checks each GPU's compute capability at start and uses only those at or above its minimum (TRTIS_MIN_COMPUTE_CAPABILITY, 6.0 from 19.08): on a machine whose GPU is older, a model asking for the GPU finds no GPUs available although the driver and the container's GPU access work.",
        example="TRTIS container 19.08 ~ 20.02, GPU : M40 (24GB) ... it fails to load with \"no GPUs are available\"\n(https://github.com/triton-inference-server/server/pull/474)",
        fix="Run a release from before the floor (a TRTIS container up to 19.07 for a Maxwell GPU), or a GPU of compute capability 6.0 or newer, or build the server's backends for the older GPU and set TRITON_MIN_COMPUTE_CAPABILITY (TRTIS_MIN_COMPUTE_CAPABILITY) lower.",
        limits="Quiet where no release at or after the floor is shown, where no GPU model is named or one named meets the floor, and where the GPU is shown in use.",
        references=("https://github.com/triton-inference-server/server/pull/474", "https://developer.nvidia.com/cuda-gpus"),
    ),
)
def serving_gpu_below_floor(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.explain.bindrules import no_device_lines
    from whygpu.knowledge.serving_images import gpu_below_floor

    facts = subject.facts
    if subject.gpu_in_use or not facts.serving_floor or not facts.serving_release:
        return
    floor = facts.serving_floor[0].value
    models: list[tuple[Seen[Any], str]] = [(s, cc) for s in facts.gpu_model if (cc := _capability(str(s.value))) is not None]
    if gpu_below_floor(floor, [s.value for s in facts.serving_release], [cc for _, cc in models]) is not True:
        return
    signs: list[Seen[Any]] = [*facts.gpu_unseen_said, *facts.gpu_unused()]
    none = no_device_lines(subject)
    if not signs and not none:
        return
    seen, cc = models[0]
    yield Hit(
        title=f"{floor.program} {facts.serving_release[0].value} takes only GPUs of compute capability {floor.min_cc} and newer; "
              f"the {seen.value} is {cc}",
        evidence=(*_ev(facts.serving_floor[0], facts.serving_release[0], seen), *(_ev(signs[0]) if signs else (none[0],))),
        fix=f"Run the server on a GPU of compute capability {floor.min_cc} or newer, or a release from before {floor.from_release} "
            f"that still takes this GPU; building its backends for the older GPU and lowering TRITON_MIN_COMPUTE_CAPABILITY is the "
            f"other way. Why: {floor.why} ({floor.source}).",
        confidence=Confidence.HIGH,
        blocks_gpu=True,
        extra={"read_from": "the program and release (explain.serving), the GPU model (knowledge/gpus.toml), judged by knowledge.serving_images.gpu_below_floor"},
    )


SERVING_RULES += [serving_gpu_below_floor]
