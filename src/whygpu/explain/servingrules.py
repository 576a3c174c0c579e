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
