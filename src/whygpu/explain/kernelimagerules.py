"""The log rule that reads CUDA's "no code for this device" statuses against the GPU, the build and the driver (acckernel, session 36).

LOG650 takes each line of the family the log's readers found (explain/kernelimage.py), the facts beside it (the GPU outside a
build the log shows; the driver older than the CUDA the code was made with; the status returned at TensorFlow's runtime
initialisation; a line in CUDA's own form that no signature read) and asks the knowledge layer's one decision
(``knowledge.kernel_images.decide``, the table knowledge/kernel_images.toml). Where the decision names another cause than the
signature that read the line, or the line was read by none, its finding decides over the signature's reading of that line.

Quiet: where the GPU is shown at work; where no reading's facts hold (the signature's own reading stands: "no kernel image"
alone is GPU_NOT_SUPPORTED, JAX's in-memory CUBIN a ptxas or driver older than its code); where the decision agrees with the
signature's cause (nothing to add).
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Decides, Hit, Outcome, Rule, RuleDoc, rule

_CONFIDENCE = {"high": Confidence.HIGH, "medium": Confidence.MEDIUM, "low": Confidence.LOW}


@rule(
    "LOG650", "log-kernel-image-judged", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Reads CUDA's statuses that a binary has no code the device can run (no kernel image 209 / CUDA_ERROR_NO_BINARY_FOR_GPU, device kernel image is invalid 200, invalid device function 98, PTX from an unsupported toolchain 222, PTX JIT compilation failed 218) against the facts beside the line: the GPU's compute capability against each build the log shows (knowledge.target.build_runs_on_gpu, a build's stated architectures), the driver against the CUDA the code was made with (knowledge.cuda.driver_version_runs_cuda: a driver on minor-version compatibility JITs no newer PTX), and where the status came back (TensorFlow's runtime initialisation). One decision: knowledge.kernel_images.decide (knowledge/kernel_images.toml).",
        why="The same status means different layers: 'device kernel image is invalid' is a driver older than the toolkit that made the code under a PyTorch or JAX build, but at TensorFlow's runtime initialisation (TF Java, the C library, a source build) a build without the GPU's architecture; 'invalid device function' from a program's own CUDA code is its build's architecture list; 'a PTX JIT compilation failed' is the driver's JIT older than the PTX.",
        example="Exception in thread \"main\" org.tensorflow.exceptions.TensorFlowException: CUDA runtime implicit initialization on GPU:0 failed. Status: device kernel image is invalid\npciBusID: 0000:01:00.0 name: GeForce GTX 1070 computeCapability: 6.1\n(https://github.com/tensorflow/java/issues/200)",
        fix="The reading's fix: a build whose architectures include the GPU's (or a rebuild for it), or a driver that runs the CUDA the code was made with; with the check that decides.",
        limits="Speaks only where a reading's facts hold (knowledge/kernel_images.toml) and its cause differs from the signature's reading of the line, or no signature read it. 'invalid device function' only in CUDA's own form (HIP prints the same words). The GPU's capability is a program's statement of the device or its model's, never a build flag's. Quiet where the GPU is shown at work.",
        references=("https://docs.nvidia.com/cuda/cuda-runtime-api/group__CUDART__TYPES.html",
                    "https://docs.nvidia.com/cuda/cuda-c-programming-guide/index.html#binary-compatibility",
                    "https://docs.nvidia.com/deploy/cuda-compatibility/minor-version-compatibility.html"),
        causes=("GPU_NOT_SUPPORTED", "DRIVER_TOO_OLD"),
    ),
    decides=Decides(over="signature", cause="any", by="first_line", reads="first"),
)
def kernel_image_judged(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.no_kernel_said and not subject.matched:
        return
    if subject.gpu_in_use and not subject.blocking():
        return
    from whygpu.explain.ccrules import possible_instead
    from whygpu.explain.kernelimage import family_lines, judge_line
    from whygpu.explain.logfacts import Seen
    from whygpu.knowledge.kernel_images import decide, image_kinds

    meanings = {k.id: k.meaning for k in image_kinds()}
    for line in family_lines(subject):
        judge_line(line, subject)
        decision = decide(line.kind, line.facts, line.values)
        if decision is None or decision.reading.cause in line.read_as[:1]:
            continue
        reading = decision.reading
        evidence = _ev(Seen(line.kind, line.where, line.text), *line.shown)
        yield Hit(
            title=f"{meanings[line.kind][:1].upper()}{meanings[line.kind][1:]}: {decision.why}",
            evidence=evidence,
            fix=f"{decision.fix}\nWhat decides it: {decision.decide}",
            confidence=_CONFIDENCE[reading.confidence],
            cause=reading.cause,
            blocks_gpu=True,
            extra={"read_from": f"the {line.kind} status with {', '.join(sorted(line.facts)) or 'nothing'} beside it, judged by knowledge.kernel_images.decide"},
        )
        yield from possible_instead(subject, reading.also, evidence, reading.cause)
        return


KERNEL_IMAGE_RULES: list[Rule[LogSubject]] = [kernel_image_judged]
