"""The log rule that reads a writer's words that the CUDA toolkit's compiler parts XLA needs are absent (accxla, session 27).

XLA (JAX, TensorFlow) compiles its GPU kernels at run time with the CUDA toolkit's compiler component: libdevice
(nvvm/libdevice), ptxas and nvlink, which a pip environment gets from nvidia-cuda-nvcc-cu12 (the jax[cuda12] and
tensorflow[and-cuda] extras), conda from cuda-nvcc, and a Docker image only from a -devel base or the cuda-nvcc package
(xla/stream_executor/cuda/subprocess_compilation.cc FindCudaExecutable; TensorFlow's pip install guide, "install NVCC").
A writer who says a part is nowhere ("I cannot find ptxas anywhere in the container") states the component absent where
the framework runs: CUDA_LIBS_MISSING, with a toolkit installed where XLA does not look (CUDA_LIBS_NOT_ON_PATH) the
alternative. The program's own messages about the same parts are read by their signatures (LOG-XLA-LIBDEVICE,
LOG-XLA-PTXAS-NOT-STARTED, LOG-XLA-CUDA-TOOL-NOT-FOUND, LOG-SHELL-PTXAS-NOT-FOUND): this rule speaks only where none did.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.ccrules import possible_instead
from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

# The signatures that read the program's own words about these parts (their reading stands).
_TOOLCHAIN_SIGNATURES = frozenset({
    "LOG-XLA-LIBDEVICE", "LOG-XLA-PTXAS-NOT-STARTED", "LOG-XLA-CUDA-TOOL-NOT-FOUND", "LOG-SHELL-PTXAS-NOT-FOUND",
    "LOG-PTXAS-VERSION", "LOG-PTXAS-UNKNOWN-GPU-ARCH", "LOG-PTXAS-FUTURE-ARCH", "LOG-XLA-PTX-KERNEL-NOT-FOUND",
    "LOG-CUDATK-NVLINK-NEWER",
})


@rule(
    # Counted 2026-12-06 over every labelled case (bench/explain_rule_precision.py --grep with the statement forms of
    # explain/toolchain.py): 1 log states a part absent without a program message that names it, CUDA_LIBS_MISSING
    # (holdout42 iot-salzburg-gpu-jupyter-93: ptxas nowhere in the container); negatives 0.
    "LOG350", "log-cuda-compiler-part-said-missing", "CUDA_LIBS_MISSING", Severity.ERROR,
    RuleDoc(
        what="Reads the writer's statement that a part of the CUDA toolkit's compiler component that XLA needs at run time is absent: 'I cannot find ptxas anywhere in the container', 'ptxas is missing from the image', 'there is no libdevice in the environment', 'the image does not ship nvlink'.",
        why="JAX and TensorFlow's XLA compile their GPU kernels at run time with libdevice, ptxas and nvlink from the CUDA toolkit's compiler component (pip's nvidia-cuda-nvcc-cu12, conda's cuda-nvcc, a -devel image); where none is installed XLA cannot compile for the GPU and the work fails or falls back to the CPU.",
        example="I get an error saying it cannot find ptxas. Looking at the filesystem, I cannot find ptxas anywhere in the container filesystem.\n(https://github.com/jax-ml/jax/discussions/6843)",
        fix="Install the compiler component of the framework's CUDA release where it runs: `pip install -U \"jax[cuda12]\"` (brings nvidia-cuda-nvcc-cu12), `conda install -c nvidia cuda-nvcc`, or a -devel CUDA image; if a toolkit is installed elsewhere, put its bin on PATH or set XLA_FLAGS=--xla_gpu_cuda_data_dir=<toolkit root>.",
        limits="Quiet on a question, a condition, advice or hearsay; where a program message about the same parts is read by its signature; where the log shows the GPU in use and nothing failing.",
        references=("https://github.com/openxla/xla/blob/main/xla/stream_executor/cuda/subprocess_compilation.cc",
                    "https://docs.jax.dev/en/latest/installation.html"),
        causes=("CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH"),
    ),
)
def compiler_part_said_missing(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    said = facts.stated_tool_missing[:1]
    if not said or (subject.gpu_in_use and not subject.blocking()):
        return
    if any(m.signature in _TOOLCHAIN_SIGNATURES for m in subject.messages):
        return
    part = said[0].value
    evidence = _ev(said[0])
    yield Hit(
        title=f"The writer finds no {part} (the CUDA toolkit's compiler component, which XLA needs to compile GPU kernels) where the framework runs",
        evidence=evidence,
        fix=f"Install the CUDA toolkit's compiler component ({part} comes with it) of the framework's CUDA release where the framework runs: "
        "`pip install -U \"jax[cuda12]\"` (brings nvidia-cuda-nvcc-cu12) or `pip install nvidia-cuda-nvcc-cu12`, `conda install -c nvidia cuda-nvcc`, "
        "or a -devel CUDA image (or the cuda-nvcc package in the image); if a toolkit is installed elsewhere, put its bin on PATH or set "
        "XLA_FLAGS=--xla_gpu_cuda_data_dir=<toolkit root>.",
        # Medium: the writer's search, not the program's; a toolkit elsewhere reads the same (below).
        confidence=Confidence.MEDIUM,
        blocks_gpu=True,
        extra={"read_from": "the writer's words (explain.toolchain)"},
    )
    yield from possible_instead(subject, ("CUDA_LIBS_NOT_ON_PATH",), evidence, "CUDA_LIBS_MISSING")


XLA_RULES: list[Rule[LogSubject]] = [compiler_part_said_missing]
