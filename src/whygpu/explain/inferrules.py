"""The llama.cpp family's offload setting left at the default that keeps every layer on the CPU (accinfer, session 39).

LOG805: a program of the family (llama.cpp, llama-cpp-python, LocalAI, koboldcpp) whose build has CUDA (its own line:
``ggml_cuda_init: found 1 CUDA devices``; a LocalAI CUDA image; the writer's "Despite building with cuBLAS") ran with
the work on the CPU and no layer count asked for: the program's own setting (CODE_FORCES_CPU, /work/shared/causes.md),
ranked before a CPU build, which the CUDA shown rules out. One decision: knowledge.inference_offload.offload_verdict.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule


@rule(
    "LOG805", "log-inference-offload-left-at-zero", "CODE_FORCES_CPU", Severity.ERROR,
    RuleDoc(
        what="Reads the llama.cpp family's offload setting as typed facts (explain.inferprog): the program named (llama.cpp, llama-cpp-python, LocalAI, koboldcpp, text-generation-webui; knowledge/inference_offload.toml), its build shown with CUDA (ggml_cuda_init / ggml_init_cublas finding a CUDA device, 'using CUDA for GPU acceleration', a LocalAI CUDA image, or the writer's asserted 'built with cuBLAS/CUDA'), and every layer count asked for or shown; where the work went to the CPU and no count other than 0 was asked for, the program's offload setting stayed at its zero default.",
        why="These programs put only as many layers on the GPU as their offload setting asks (-ngl, n_gpu_layers, gpu_layers, --gpulayers), and that setting defaulted to 0 (llama_model_default_params until 2025, Llama(n_gpu_layers=0), LocalAI's unset gpu_layers, koboldcpp before its auto estimate): a CUDA build run without it keeps the model on the CPU with the GPU idle.",
        example="Despite building with cuBLAS, `LocalAI` still uses only my CPU by the looks of it.\n(https://github.com/mudler/LocalAI/issues/586)",
        fix="Ask for the layers on the GPU: -ngl 99 for llama.cpp, n_gpu_layers=-1 for llama-cpp-python, gpu_layers in LocalAI's model YAML, --gpulayers for koboldcpp, n-gpu-layers on text-generation-webui's Model tab.",
        limits="Not where a layer count other than 0 is shown (the setting was given), where the log shows a CPU build (BLAS = 0, a CPU library) or another failure, or for Ollama, whose num_gpu defaults to its own estimate. The writer's words that they built with CUDA can be wrong (a CMAKE_ARGS that did not reach the build): FRAMEWORK_CPU_BUILD is named as the alternative.",
        references=("https://github.com/ggml-org/llama.cpp/blob/master/src/llama-model.cpp",
                    "https://llama-cpp-python.readthedocs.io/en/latest/api-reference/#llama_cpp.Llama.__init__",
                    "https://localai.io/features/gpu-acceleration/"),
        causes=("CODE_FORCES_CPU", "FRAMEWORK_CPU_BUILD"),
    ),
)
def inference_offload_left_at_zero(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.offload_program or not facts.offload_cuda or subject.gpu_in_use or subject.blocking():
        return
    from whygpu.knowledge.inference_offload import offload_verdict

    row = offload_verdict(
        program=facts.offload_program[0].value,
        cuda_build=True,
        cpu_build=bool(facts.stated_cpu_build or facts.app_cpu_library),
        work_on_cpu=bool(facts.gpu_unused()),
        counts=tuple(int(s.value) for s in facts.offload_layers),
    )
    if row is None:
        return
    evidence = _ev(facts.offload_cuda[0], *facts.gpu_unused()[:1], facts.offload_program[0])
    yield Hit(
        title=f"{row.name}'s build has CUDA and no layer count was asked for: {row.setting} at its default 0 keeps every layer on the CPU",
        evidence=evidence,
        fix=(f"{row.fix[0].upper()}{row.fix[1:]} (the default: {row.default_zero}). If the layers still stay on the CPU, the "
             "build itself may lack CUDA: rebuild it with the CUDA backend."),
        confidence=Confidence.MEDIUM,
        blocks_gpu=True,
        extra={"read_from": "explain.inferprog typed facts; knowledge.inference_offload.offload_verdict"},
    )
    from whygpu.explain.ccrules import possible_instead

    yield from possible_instead(subject, ("FRAMEWORK_CPU_BUILD",), evidence, "CODE_FORCES_CPU")


INFER_RULES: list[Rule[LogSubject]] = [inference_offload_left_at_zero]
