"""The log rules that judge a second copy of a framework's native library (accsecond, session 36).

The facts are ``explain.secondcopy``'s (a GPU-only function said missing from the library loaded; the distributions a line
names as referenced or installed); what they mean together is ``knowledge.second_copies.copies_in_conflict``'s one
decision. None speaks in a log that shows the GPU in use.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu.explain.judge import LogSubject, alternative_hit
from whygpu.explain.logfacts import Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

_SOURCE = "https://onnxruntime.ai/docs/install/"


def _decide(subject: LogSubject) -> tuple[Any, list[Seen[str]], list[Seen[str]]] | None:
    """The decision over what the log shows, with the entry point lines and the names behind it; None where nothing is shown
    or the GPU is shown in use."""
    facts = subject.facts
    if subject.gpu_in_use or not (facts.native_entry_missing or facts.native_packages_named):
        return None
    from whygpu.knowledge.second_copies import copies_in_conflict, entry_point_framework

    frameworks = {entry_point_framework(s.value) for s in facts.native_entry_missing} - {None}
    framework = next(iter(sorted(f for f in frameworks if f)), "onnxruntime")
    decided = copies_in_conflict(framework, entry_missing=bool(facts.native_entry_missing), named=[s.value for s in facts.native_packages_named])
    if decided is None:
        return None
    return decided, list(facts.native_entry_missing), list(facts.native_packages_named)


def _alternative(cause: str, evidence: tuple[str, ...], to: str, fix: str) -> Hit:
    """The other cause the same lines leave possible, with the .NET repair (not pip's advice: the packages are NuGet's)."""
    return alternative_hit(cause, evidence, to, scope="onnxruntime", fix=fix)


def _named(names: list[Seen[str]], name: str | None) -> list[Seen[str]]:
    return [s for s in names if s.value == name][:1]


@rule(
    "LOG655", "log-native-library-second-copy", "FRAMEWORK_INSTALL_BROKEN", Severity.ERROR,
    RuleDoc(
        what="Finds a framework's GPU distribution shown referenced (ONNX Runtime's Microsoft.ML.OnnxRuntime.Gpu in a PackageReference row, with its release, or in the writer's words) with either the runtime's words that the function only the GPU build exports is missing from the library it loaded (EntryPointNotFoundException for OrtSessionOptionsAppendExecutionProvider_CUDA in DLL 'onnxruntime') or the CPU distribution (Microsoft.ML.OnnxRuntime), or a package that requires it (an older Microsoft.ML.OnnxTransformer), shown referenced too (knowledge/second_copies.toml).",
        why="The CPU and GPU NuGet packages ship the native library under one file name (onnxruntime.dll, libonnxruntime.so); with both in a project, the one copied last into the output folder, or found first on the library path, is what loads. A library without the CUDA entry point beside the GPU package means that copy is not the GPU build's.",
        example="I install NuGet packages Microsoft.ML.OnnxRuntime.Gpu (0.5.0) and Microsoft.ML.OnnxTransformer (1.3.1) together ... System.EntryPointNotFoundException: 'Unable to find an entry point named 'OrtSessionOptionsAppendExecutionProvider_CUDA' in DLL 'onnxruntime'.'\n(https://github.com/microsoft/onnxruntime/issues/2013)",
        fix="Reference only Microsoft.ML.OnnxRuntime.Gpu: remove Microsoft.ML.OnnxRuntime (and the package that requires it, or move to its release that depends on Microsoft.ML.OnnxRuntime.Managed), delete the bin and obj folders and rebuild, then check the onnxruntime library beside the program exports OrtSessionOptionsAppendExecutionProvider_CUDA.",
        limits="Where only the GPU package is named, the other copy is not shown (a stale file in the output folder, another onnxruntime library found first on the path): a likely reading. The provider's own 'Failed to load shared library' status is the GPU build's, failing for its CUDA libraries, and is not read.",
        references=(_SOURCE, "https://github.com/dotnet/machinelearning/pull/4919", "https://github.com/microsoft/onnxruntime/issues/2013"),
    ),
)
def native_library_second_copy(subject: LogSubject) -> Iterator[Outcome]:
    found = _decide(subject)
    if found is None:
        return
    decided, entries, names = found
    if decided.cause != "FRAMEWORK_INSTALL_BROKEN":
        return
    evidence = _ev(*entries[:1], *_named(names, decided.gpu), *_named(names, decided.cpu))
    other = f" beside {decided.cpu}" if decided.cpu else ""
    yield Hit(
        title=(f"{decided.gpu} is referenced{other}, yet the onnxruntime library loaded lacks the CUDA entry point: another copy of "
               "the same file replaced the GPU build's" if entries else
               f"{decided.gpu} and {decided.cpu} are both referenced: each ships the same onnxruntime library, and the copy copied "
               "last is the one loaded"),
        evidence=evidence,
        fix=decided.fix,
        confidence=(Confidence.HIGH if decided.decided else Confidence.MEDIUM) if entries else Confidence.MEDIUM,
        scope="onnxruntime",
        blocks_gpu=True,
        extra={"why": decided.because, "source": decided.source},
    )
    yield _alternative("FRAMEWORK_CPU_BUILD", evidence[:1], "FRAMEWORK_INSTALL_BROKEN",
                       "Reference Microsoft.ML.OnnxRuntime.Gpu (the CUDA build) and not Microsoft.ML.OnnxRuntime, then rebuild from clean bin and obj folders.")


@rule(
    "LOG656", "log-native-cuda-entry-point-missing", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Finds the runtime's words that the function only a framework's GPU build exports is missing from the library it loaded (ONNX Runtime's EntryPointNotFoundException for OrtSessionOptionsAppendExecutionProvider_CUDA in DLL 'onnxruntime', its translations, a loader's undefined symbol) where no GPU distribution is shown referenced.",
        why="Only the CUDA build of ONNX Runtime's native library exports OrtSessionOptionsAppendExecutionProvider_CUDA; the CPU package's (Microsoft.ML.OnnxRuntime, the default and the one most packages require) does not, so the call fails before any CUDA library is looked for.",
        example="I found it only installed Microsoft.ML.OnnxRuntime by Nuget tool. when I used SessionOptions add cuda, throw a error \"Unable to find an entry point named 'OrtSessionOptionsAppendExecutionProvider_CUDA' in DLL 'onnxruntime'.\"\n(https://github.com/microsoft/onnxruntime/issues/2013)",
        fix="Reference Microsoft.ML.OnnxRuntime.Gpu in place of Microsoft.ML.OnnxRuntime (a package that requires the CPU one brings it back: use its GPU variant), rebuild from clean bin and obj folders.",
        limits="The GPU package may be referenced without the log showing it; then a second copy of the library (LOG655's reading) is the cause: given as the alternative.",
        references=(_SOURCE, "https://github.com/microsoft/onnxruntime/blob/main/include/onnxruntime/core/providers/cuda/cuda_provider_factory.h"),
    ),
)
def native_cuda_entry_point_missing(subject: LogSubject) -> Iterator[Outcome]:
    found = _decide(subject)
    if found is None:
        return
    decided, entries, names = found
    if decided.cause != "FRAMEWORK_CPU_BUILD" or not entries:
        return
    evidence = _ev(entries[0], *_named(names, decided.cpu))
    yield Hit(
        title="The onnxruntime library the program loaded has no CUDA entry point: it is the CPU build (Microsoft.ML.OnnxRuntime)",
        evidence=evidence,
        fix=decided.fix,
        confidence=Confidence.HIGH if decided.decided else Confidence.MEDIUM,
        scope="onnxruntime",
        blocks_gpu=True,
        extra={"why": decided.because, "source": decided.source},
    )
    yield _alternative("FRAMEWORK_INSTALL_BROKEN", evidence[:1], "FRAMEWORK_CPU_BUILD",
                       "Where Microsoft.ML.OnnxRuntime.Gpu is referenced, another copy of the onnxruntime library is loaded in its place: "
                       "keep only the GPU package, delete the bin and obj folders and rebuild.")


SECOND_COPY_RULES: list[Rule[LogSubject]] = [native_library_second_copy, native_cuda_entry_point_missing]
