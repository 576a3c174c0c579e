"""The log rules that judge a deep-learning library used from another language (accbind, session 35).

What a log shows of each binding (tch-rs, TensorFlow Java, DJL, ND4J, TorchSharp, ONNX Runtime's NuGet and Rust
packages, torch for R, tfjs-node, Candle) is read by explain.langbind from knowledge/bindings.toml; the decision is
``knowledge.bindings.judge``: its CPU artifact or its CPU default download with its own answer that CUDA is not available
(FRAMEWORK_CPU_BUILD, LOG635), or its words that no native flavour matches the CUDA it found (CUDA_LIBS_MISMATCH, LOG636).
A binding named with its GPU artifact or a CUDA selector stays quiet, and so does a log that shows the GPU in use.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule


def _verdicts(subject: LogSubject, cause: str) -> Iterator[tuple[object, list[str]]]:
    """Each named binding whose decision gives ``cause``, with its evidence lines (the binding's, then the writer's)."""
    from whygpu.knowledge.bindings import CPU_BUILD, NAMED, judge

    facts = subject.facts
    named = list(dict.fromkeys(s.value[0] for s in facts.binding_lines if s.value[1] == NAMED))
    said = [s.value for s in facts.binding_said]
    for ident in named:
        lines = [s for s in facts.binding_lines if s.value[0] == ident]
        verdict = judge(ident, (s.value[1] for s in lines), said, (s.value[2] for s in lines if s.value[1] == "flavour"))
        if verdict is None or verdict.cause != cause:
            continue
        # The lines that decide first (not the binding's name alone), then the name, then the writer's words.
        order = ("flavour", "built_cpu", "cpu", "no_cuda", NAMED)
        shown = sorted(lines, key=lambda s: order.index(s.value[1]) if s.value[1] in order else len(order))
        evidence = [s.evidence() for s in shown[:2]]
        if cause == CPU_BUILD:
            evidence += [s.evidence() for s in facts.binding_said[:2]]
        yield verdict, list(dict.fromkeys(evidence))


@rule(
    # Counted 2026-12-07 over every labelled case (python3 bench/explain_rule_precision.py --rule LOG635): see
    # docs/explain-accuracy.md, session 35 (branch accbind).
    "LOG635", "log-binding-cpu-artifact", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Finds a deep-learning library used from another language (tch-rs, TensorFlow Java, TorchSharp, ND4J, ONNX Runtime's NuGet package or Rust crate, torch for R, tfjs-node, Candle; knowledge/bindings.toml) whose CPU variant is in use: its CPU artifact shown (TorchSharp-cpu, nd4j-native, Microsoft.ML.OnnxRuntime, tfjs-node, tensorflow-core-platform) beside its answer that CUDA is not available or the writer's words that only the CPU is used; its own words that the library it loaded was built without CUDA; its words that no native flavour matches a CUDA older than any its flavours were built for or no CUDA release (DJL's 'found: cu065', a misread cudart); or a binding whose default download is the CPU variant (tch-rs, torch for R, TensorFlow Java) answering that CUDA is not available, with no GPU artifact or CUDA selector shown.",
        why="These bindings ship or download their native library in a CPU and a GPU variant, and what is fetched with nothing chosen is often the CPU one: tch-rs downloads a CPU libtorch unless TORCH_CUDA_VERSION or LIBTORCH says otherwise, TensorFlow Java's default artifact has no GPU support, R's installer falls back to the CPU libraries. The binding then answers that CUDA is not available while the driver, and Python's framework on the same machine, use the GPU.",
        example="println!(\"Cuda available: {:?}\", Cuda::is_available());\n> false\n(https://github.com/LaurentMazare/tch-rs/issues/213)",
        fix="Install the binding's GPU variant (knowledge/bindings.toml's fix for it: TORCH_CUDA_VERSION or LIBTORCH for tch-rs, the -gpu artifact for TensorFlow Java, TorchSharp-cuda-*, nd4j-cuda-*, Microsoft.ML.OnnxRuntime.Gpu, tfjs-node-gpu, CUDA= for torch for R), then rebuild.",
        limits="Quiet where the binding is named with its GPU artifact or a CUDA selector (what failed then is another reading's: a CUDA library not found, a driver too old), where the GPU is shown in use, and for C++ libtorch (its CUDA library dropped by the linker on Windows is not a CPU download). A binding whose default is not the CPU variant (TorchSharp, ND4J, DJL) needs its CPU artifact shown.",
        references=("https://github.com/LaurentMazare/tch-rs#getting-started", "https://github.com/tensorflow/java#using-maven-artifacts",
                    "https://torch.mlverse.org/docs/articles/installation.html", "https://github.com/dotnet/TorchSharp#nuget-packages"),
    ),
)
def binding_cpu_artifact(subject: LogSubject) -> Iterator[Outcome]:
    if subject.gpu_in_use:
        return
    from whygpu.knowledge.bindings import CPU_BUILD, Verdict

    for verdict, evidence in _verdicts(subject, CPU_BUILD):
        assert isinstance(verdict, Verdict)
        b = verdict.binding
        yield Hit(
            title=f"{b.name} is using its CPU variant: {verdict.reason}; the GPU variant is chosen by {b.choose}",
            evidence=tuple(evidence),
            fix=(verdict.fix or b.fix) + ".",
            confidence=Confidence.HIGH if verdict.decided else Confidence.MEDIUM,
            cause=CPU_BUILD,
            extra={"binding": b.id, "source": b.source},
        )
        return


@rule(
    "LOG636", "log-binding-cuda-flavour-missing", "CUDA_LIBS_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Finds a language binding that ships native libraries per CUDA release saying that none matches the CUDA it found (DJL's 'No matching cuda flavor for win found: cu112mkl/sm_86'; knowledge/bindings.toml), after which it loads its CPU library.",
        why="DJL downloads its engine's native library in flavours per CUDA version and platform; when the CUDA it detects has no flavour for the engine release in use, it warns and falls back to the CPU flavour, so the program runs on the CPU with a working GPU.",
        example="No matching cuda flavor for win found: cu112mkl/sm_86.\n(https://github.com/deepjavalibrary/djl/issues/2775)",
        fix="Use a release of the binding that ships a flavour for this CUDA, or select a flavour it ships that the driver runs (PYTORCH_FLAVOR=cu118 for DJL's PyTorch engine), or install the CUDA its flavours are built for.",
        limits="Reads the binding's own warning; a binding that loaded a CUDA flavour and then failed is another reading's. A flavour that names a CUDA older than any the binding's flavours were built for, or no CUDA release at all (DJL's cu065 on a CUDA 12.8 machine: it read another program's old cudart), is LOG635's: the CPU library it loaded is the cause, not the CUDA (accserve41).",
        references=("https://docs.djl.ai/master/engines/pytorch/pytorch-engine/index.html",),
    ),
)
def binding_flavour_missing(subject: LogSubject) -> Iterator[Outcome]:
    if subject.gpu_in_use:
        return
    from whygpu.knowledge.bindings import FLAVOUR_MISSING, Verdict

    for verdict, evidence in _verdicts(subject, FLAVOUR_MISSING):
        assert isinstance(verdict, Verdict)
        b = verdict.binding
        flavour = next((s.value[2] for s in subject.facts.binding_lines if s.value[0] == b.id and s.value[1] == "flavour"), "")
        yield Hit(
            title=f"{b.name} has no native flavour for the CUDA it found ({flavour}) and falls back to its CPU library",
            evidence=tuple(evidence),
            fix=b.fix + ".",
            confidence=Confidence.HIGH,
            cause=FLAVOUR_MISSING,
            extra={"binding": b.id, "flavour": flavour, "source": b.source},
        )
        return


LANGBIND_RULES: list[Rule[LogSubject]] = [binding_cpu_artifact, binding_flavour_missing]
