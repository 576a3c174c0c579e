"""The log rules that judge a GPU's compute capability against what the build supports (acccc, session 21).

LOG230 reads a line that says, in any program's or the reporter's words, that a compute capability is not supported
(``explain.ccsupport``); what a CUDA tool's refusal means is the knowledge layer's (knowledge/error_words.toml's
``cudatool``/``not_supported`` row). LOG231 judges the GPU the log shows (its compute capability, stated or from its
model) against the PyTorch release and CUDA variant the log shows, with the knowledge layer's one decision
(``knowledge.target.build_runs_on_gpu``, which the doctor's HW003 and preflight's TGT003 ask too).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from whygpu import lazyre as re
from whygpu.explain.judge import LogSubject, alternative_hit, log_cause_fix
from whygpu.explain.logfacts import Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.causes import cause_meaning
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule


def _read_by_signature(subject: LogSubject, where: str) -> bool:
    """True when a signature's finding already cites the line at ``where`` (its reading stands)."""
    return any(any(e.startswith(f"{where}:") for e in f.evidence) for f in subject.matched)


def _unused_or_blocked(subject: LogSubject) -> bool:
    return not subject.gpu_in_use and (bool(subject.facts.gpu_unused()) or bool(subject.blocking()))


def _capabilities_shown(subject: LogSubject) -> set[tuple[str, str]]:
    """Every compute capability the log shows for its GPUs (stated, or from a GPU model the table knows), with the line."""
    from whygpu.knowledge.gpus import gpu_in_text

    facts = subject.facts
    shown = {(s.value, s.where) for s in facts.compute_capability}
    for seen in facts.gpu_model:
        model = gpu_in_text(seen.value)
        if model is not None and model.compute_capability:
            shown.add((model.compute_capability, seen.where))
    return shown


def possible_instead(subject: LogSubject, alternatives: Sequence[str], evidence: Sequence[str], first: str, *,
                     heading: str = "Possible instead") -> Iterator[Outcome]:
    """The first two alternatives a line's reading leaves open beside ``first``, each with the fix its cause takes from the
    log's facts (judge.log_cause_fix); used by the readings of ccrules, librules, kernelimagerules, xlarules, settingrules
    and versionrules (LOG192, the stub libcuda's, whose ``heading`` is "Possible as well": both causes may hold at once)."""
    for alt in alternatives[:2]:
        yield alternative_hit(alt, tuple(evidence), first, title=f"{heading}: {cause_meaning(alt)}", fix=log_cause_fix(alt, subject))


@rule(
    "LOG230", "log-capability-not-supported", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Reads a line that says a GPU's compute capability is not supported, in any program's or the reporter's words: a negated verb of support before the capability ('does not support CC 12.0', 'no support for compute capability 12.0', 'not compatible with sm_86', 'Unsupported GPU architecture sm_35') or after it ('CC 3.0 is not supported'), or a floor stated above it ('compute capability 3.5 card detected, required 3.7'); or that the GPU itself is too old or not supported ('My GPU (GT 730) is too old for PyTorch 2.x', 'CUDA GPU is too old'); or a kernel's own line that it holds no code for the device it ran on (xformers' 'kernel ... is for sm80-sm100, but was built for sm75', llama.cpp's 'has no device code compatible with CUDA arch 610', 'compiled for sm_70, but the device is sm_86').",
        why="A build without code for the GPU's architecture cannot run on it; programs and people say so in many words. Where a CUDA tool (ptxas, nvcc, the CUDA toolkit) is what does not support the GPU, the compiler the build uses is older than the GPU (knowledge/error_words.toml, cudatool/not_supported: GPU_NOT_SUPPORTED 3 of 4 labelled logs; the tool run from PATH, a toolkit apart from the framework, reads CUDA_LIBS_MISMATCH). A kernel that prints the architecture it was built for beside the one it needs ran without code of its own for the device.",
        example="2025-04-22 11:29:23.766139: W external/xla/xla/stream_executor/cuda/cuda_asm_compiler.cc:280] Falling back to the CUDA driver for PTX compilation; ptxas does not support CC 12.0\n(https://github.com/google-deepmind/alphafold3/issues/387)",
        fix="Use a build of the framework (or of the program's bundled compiler) that includes the GPU's architecture, or a GPU the build supports; for a CUDA tool, a CUDA toolkit release that knows the GPU.",
        limits="Not read: TensorFlow's PTX JIT warning ('not built with CUDA kernel binaries compatible with ... will be jit-compiled from PTX': the GPU runs through PTX; LOG147 judges where that fails), a question, a condition, advice, hearsay, code, a release's change log ('dropped support for sm_35'), a capability said to be supported, a kernel line explained or asked about ('appears when ...', 'if you see it'). A program's warning counts only where the log shows the GPU unused or failing; a kernel's line is the failure itself and speaks in a run that used the GPU.",
        references=("https://developer.nvidia.com/cuda-gpus", "https://docs.nvidia.com/cuda/cuda-compiler-driver-nvcc/index.html#gpu-feature-list",
                    "https://github.com/facebookresearch/xformers/blob/main/xformers/csrc/attention/cuda/fmha/generate_kernels.py",
                    "https://github.com/ggml-org/llama.cpp/blob/master/ggml/src/ggml-cuda/common.cuh"),
        causes=("GPU_NOT_SUPPORTED", "CUDA_LIBS_MISMATCH"),
    ),
)
def capability_not_supported(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    # accarch (session 28): a kernel's own line that it holds no code for the device is the failure itself, in a run that
    # otherwise used the GPU (llama.cpp offloads its layers, then a kernel aborts).
    kernels = [s for s in facts.cc_unsupported if getattr(s.value, "kernel", False)]
    if not facts.cc_unsupported or (subject.gpu_in_use and not subject.blocking() and not kernels):
        return
    from whygpu.explain import grammar
    from whygpu.explain.errorwords import is_warning

    shown = _capabilities_shown(subject)
    chosen = None
    for seen in facts.cc_unsupported:
        if _read_by_signature(subject, seen.where):
            continue
        if subject.gpu_in_use and not subject.blocking() and not seen.value.kernel:
            continue
        # A capability said unsupported that no GPU of the log has is not said of this machine ("CUDA 13 does not support
        # compute capability 6.1" in a log whose GPU is an 8.6).
        elsewhere = {cc for cc, where in shown if where != seen.where}
        if elsewhere and seen.value.cc and seen.value.cc not in elsewhere:
            continue
        # A program's warning (it went on: XLA falls back to the driver's JIT) speaks only where the log shows the GPU unused or failing.
        if grammar.program_line(seen.text) and is_warning(seen.text) and not _unused_or_blocked(subject):
            continue
        # A build's own refusal before a CUDA tool's: the tool's says less of the build.
        if chosen is None or (chosen.value.subject == "tool" and seen.value.subject == "build"):
            chosen = seen
    if chosen is None:
        return
    claim = chosen.value
    cause, alternatives = "GPU_NOT_SUPPORTED", tuple[str, ...]()
    if claim.subject == "tool":
        from whygpu.knowledge.error_words import pair_meaning

        row = pair_meaning("cudatool", "not_supported")
        if row is not None:
            cause, alternatives = row.cause, tuple(row.alternatives)
        if facts.tool_from_path and cause != "CUDA_LIBS_MISMATCH":
            # accarch (session 28): the tool the program ran is the one found on PATH (XLA's "Used ptxas at ptxas"), a
            # toolkit installed apart from the framework: CUDA_LIBS_MISMATCH 2 of 2 labelled logs with that line (the count
            # beside signatures.toml's LOG-XLA-PTXAS-FROM-PATH).
            cause, alternatives = "CUDA_LIBS_MISMATCH", (cause, *(a for a in alternatives if a != "CUDA_LIBS_MISMATCH"))
    if claim.kernel:
        yield from _kernel_without_code(subject, chosen)
        return
    evidence = _ev(chosen)
    said = f"'{claim.said}'"
    what = f"compute capability {claim.cc}" if claim.cc else "the GPU"
    title = (f"The CUDA toolkit in use does not know {what} ({said}): {cause_meaning(cause)}" if claim.subject == "tool"
             else f"The line says {what} is not supported ({said}): {cause_meaning(cause)}")
    yield Hit(
        title=title,
        evidence=evidence,
        fix=log_cause_fix(cause, subject),
        confidence=Confidence.MEDIUM,
        cause=cause,
        blocks_gpu=True,
        extra={"read_from": "the line's words (explain.ccsupport)"},
    )
    yield from possible_instead(subject, alternatives, evidence, cause)


def _kernel_without_code(subject: LogSubject, seen: Seen[Any]) -> Iterator[Outcome]:
    """accarch (session 28): LOG230's finding for a kernel's own line that it holds no code for the device (explain.ccsupport
    kernel_without_code), with the fix that names the build to get: the printing library's, made for the GPU the log shows."""
    from whygpu.explain import grammar
    from whygpu.explain.rules import _gpu_capability

    claim = seen.value
    found = _gpu_capability(subject.facts)
    cc = claim.cc or (found[0] if found else "")
    evidence = _ev(seen, found[1]) if found and found[1] is not seen else _ev(seen)
    gpu = f"this GPU (compute capability {cc}, sm_{cc.replace('.', '')})" if cc else "this GPU"
    archs = (f"TORCH_CUDA_ARCH_LIST=\"{cc}\" for a PyTorch extension such as xformers, -DCMAKE_CUDA_ARCHITECTURES={cc.replace('.', '')} "
             "for llama.cpp") if cc else "TORCH_CUDA_ARCH_LIST for a PyTorch extension such as xformers, CMAKE_CUDA_ARCHITECTURES for llama.cpp"
    yield Hit(
        title=f"A kernel of the program's build has no code for {gpu} ('{claim.said}'): {cause_meaning('GPU_NOT_SUPPORTED')}",
        evidence=evidence,
        fix=(f"The library that printed the line (xformers, llama.cpp's ggml, a CUDA extension) was compiled for other architectures than "
             f"{gpu}. Install a build of it made for this GPU: a prebuilt wheel for the installed PyTorch and CUDA (for xformers, "
             "`pip install -U xformers` from the same index as torch, or the program's own update), or build it from source with the "
             f"GPU's architecture ({archs}). What decides it: `nvidia-smi --query-gpu=name,compute_cap --format=csv` against the "
             "architectures the library was built for."),
        confidence=Confidence.HIGH if grammar.program_line(seen.text) else Confidence.MEDIUM,
        cause="GPU_NOT_SUPPORTED",
        blocks_gpu=True,
        extra={"read_from": "the kernel's own words (explain.ccsupport.kernel_without_code)"},
    )


@rule(
    "LOG231", "log-gpu-outside-torch-build", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Judges the GPU the log shows (its compute capability stated, or its model via knowledge/gpus.toml) against the PyTorch release the log shows and its CUDA variant (a +cuNNN tag, or every variant the release was published for when none is shown): the official binaries' architecture lists (knowledge/torch.toml arch_list), same-major binary compatibility and PTX (knowledge.target.build_runs_on_gpu, the doctor's and preflight's decision too).",
        why="A PyTorch build has kernels only for the architectures it was compiled for; a GPU newer than the list (an RTX 50 card, compute capability 12.0, under a release before 2.7 or a CUDA 12.6 wheel) gets 'no kernel image is available for execution on the device', whatever the install looks like.",
        example="RTX 5090 ... downgrades to torch 2.6 cu124 ... CUDA error: no kernel image is available for execution on the device\n(https://github.com/rodrigoskohl/interiordesign-for-comfyui/issues/5)",
        fix="Install a PyTorch build whose architecture list includes the GPU (for compute capability 12.0: PyTorch 2.7 or newer from the cu128 index, `pip install torch --index-url https://download.pytorch.org/whl/cu128`), or run on a GPU the build supports.",
        limits="Only PyTorch's official binaries (download.pytorch.org, PyPI); a source build or another vendor's wheel carries another list. A GPU below the release's minimum is LOG110's. Speaks where the log shows the GPU unused or failing (high confidence) or shows nothing of it in use (low: a report of versions and hardware only), and where every CUDA variant of the release fails when the log shows none (a version's +cuNNN tag names its variant).",
        references=("https://github.com/pytorch/pytorch/blob/main/RELEASE.md#release-compatibility-matrix", "https://developer.nvidia.com/cuda-gpus"),
    ),
)
def gpu_outside_torch_build(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    versions = facts.versions.get("torch", [])
    if not versions or subject.gpu_in_use:
        return
    # accversions (session 24): a report that gives the release and the GPU but neither shows the GPU unused nor failing
    # (an issue template's system information, the error cut off) is judged too: the arch list is a fact of the build, so
    # the finding stands, at low confidence (what is shown unused or failing outranks it).
    unused = _unused_or_blocked(subject)
    from whygpu.explain.rules import _gpu_capability
    from whygpu.knowledge.gpus import compute_capability_below
    from whygpu.knowledge.torch import torch_min_compute_capability, torch_release_runs_on

    found = _gpu_capability(facts)
    if found is None:
        return
    cc, seen_gpu = found
    version = versions[0]
    cuda_seen = facts.build_cuda.get("torch", [])
    cuda = cuda_seen[0].value if cuda_seen else None
    floor = torch_min_compute_capability(version.value, cuda)
    if floor is not None and compute_capability_below(cc, floor):
        return  # older than the release's minimum: LOG110's
    runs, why = torch_release_runs_on(version.value, cuda, cc)
    inferred = False
    if runs is None and cuda is None and "+cu" in version.value:
        from whygpu.knowledge.torch import torch_cuda_from_local_tag

        cuda = torch_cuda_from_local_tag(version.value.split("+", 1)[1])
    if runs is None and cuda:
        # accunsup (session 26): a release whose architecture list is not tabled (1.x), with its CUDA variant shown (a conda
        # cudatoolkit pin, a +cuNNN tag): judged by what that CUDA knows (knowledge.target.build_runs_on_gpu). A GPU of a
        # major newer than the CUDA compiles for runs only through PTX the build may not ship (an RTX 40 card, 8.9, under
        # CUDA 10.1, which knows up to 7.5): inferred, medium where the log shows the GPU unused or failing, else low.
        from whygpu.knowledge.target import BuildSpec, build_runs_on_gpu

        fit = build_runs_on_gpu(BuildSpec("torch", "PyTorch", version.value, cuda), cc)
        if fit.runs is False or fit.how == "beyond-toolkit":
            runs, why, inferred = False, "; ".join(fit.reasons), fit.runs is None
    if runs is not False:
        return
    from whygpu.explain.rules import asked_about

    if asked_about(subject, version, seen_gpu):
        return  # "Should I use torch 2.8.0+cu129 with a GTX 1070?": a plan asked about, not this machine's state
    # Lead (session 35): PyTorch's is_available() stays True on a GPU its build has no code for (torch.cuda warns that the GPU
    # "is not compatible with the current PyTorch installation" and fails at the first kernel:
    # https://github.com/pytorch/pytorch/blob/main/torch/cuda/__init__.py, _check_capability); where the only sign of
    # trouble is that answer False, the GPU's age does not explain it: low, and what is shown outranks it.
    answered_only = unused and not facts.no_kernel_said and any(a.value is False for a in facts.gpu_answer.get("torch", []))
    yield Hit(
        title=f"PyTorch {version.value} has no code for this GPU (compute capability {cc}){' (inferred: unless the build ships PTX)' if inferred else ''}: {why}",
        evidence=_ev(seen_gpu, version, *cuda_seen[:1]),
        fix=log_cause_fix("GPU_NOT_SUPPORTED", subject),
        confidence=Confidence.LOW if answered_only or not unused else Confidence.MEDIUM if inferred else Confidence.HIGH,
        blocks_gpu=True,
        extra={"read_from": "the GPU and the PyTorch release the log shows, judged by knowledge.torch.torch_release_runs_on"},
    )


@rule(
    "LOG232", "log-gpu-outside-stated-archs", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Judges the GPU the log shows (its compute capability stated, or its model via knowledge/gpus.toml) against the architectures a build states it contains (PyTorch's 'The current PyTorch install supports CUDA capabilities sm_37 sm_50 ...', an answer of torch.cuda.get_arch_list(), any program's 'compiled for sm_70, sm_80'), or that its build flags name (nvcc's -gencode/-arch as in MMCV_CUDA_ARGS or NVCC_FLAGS, TORCH_CUDA_ARCH_LIST, CMAKE_CUDA_ARCHITECTURES, TF_CUDA_COMPUTE_CAPABILITIES), with knowledge.target.build_runs_on_compute_capability (SASS, same-major binary compatibility, PTX JIT).",
        why="The list a build prints is what it can run; a GPU neither in it, nor of the same major above an entry, nor reachable through an older PTX gets no kernel, whatever else the log shows.",
        example="When trying to use a Nvidia RTX A6000 we get this error message:\nThe current PyTorch install supports CUDA capabilities sm_37 sm_50 sm_60 sm_70.\n(https://github.com/fedbiomed/fedbiomed/issues/464)",
        fix="Install a build whose architecture list includes the GPU's (for PyTorch, a release and CUDA variant whose `torch.cuda.get_arch_list()` holds it), or run on a GPU the build supports.",
        limits="Only where the log shows the GPU (its capability, or a model the table knows) and the list; speaks where the log shows the GPU unused or failing, or nothing of it in use. A list from build flags speaks only beside a line that the build has no code for the device ('no kernel image is available', 'invalid device function'), and an extension's own -gencode/-arch flags replace TORCH_CUDA_ARCH_LIST for it.",
        references=("https://docs.nvidia.com/cuda/cuda-c-programming-guide/index.html#binary-compatibility", "https://developer.nvidia.com/cuda-gpus"),
    ),
)
def gpu_outside_stated_archs(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.build_archs or (subject.gpu_in_use and not subject.blocking()):
        return
    from whygpu.explain.rules import _gpu_capability
    from whygpu.knowledge.target import build_runs_on_compute_capability

    found = _gpu_capability(facts)
    if found is None:
        return
    cc, seen_gpu = found
    from whygpu.explain.ccsupport import build_arch_flags

    # accxla (session 27): an extension's own nvcc flags (-gencode, -arch) replace TORCH_CUDA_ARCH_LIST for it
    # (torch.utils.cpp_extension._get_cuda_arch_flags returns no flags of its own when the extension's hold one), so where the
    # log shows both, the explicit flags are what the build holds.
    explicit = any(re.search(r"-gencode|(?<![\w-])-arch[= ]", s.text, re.I) for s in facts.build_archs)
    for seen in facts.build_archs:
        if explicit and "torch_cuda_arch_list" in seen.text.lower() and not re.search(r"-gencode|(?<![\w-])-arch[= ]", seen.text, re.I):
            continue
        fit = build_runs_on_compute_capability(list(seen.value), cc)
        if fit.runs is not False:
            continue
        flags = build_arch_flags(seen.text) is not None
        if flags and not _no_kernel_for_gpu(subject):
            # A build's flags are what it was told to compile; they speak of this failure only where the program found no code
            # for the GPU (a project's flags may be of another part than the one that failed).
            continue
        number = cc.replace(".", "")
        yield Hit(
            title=(f"The build's flags compile it for {', '.join(seen.value)} only, with no code for this GPU (compute capability {cc}): {fit.reason}"
                   if flags else f"The build's own list of architectures has no code for this GPU (compute capability {cc}): {fit.reason}"),
            evidence=_ev(seen_gpu, seen),
            fix=(f"Add the GPU's architecture to the build's flags and rebuild: -gencode=arch=compute_{number},code=sm_{number} in the nvcc flags "
                 f"(MMCV_CUDA_ARGS, NVCC_FLAGS), \"{cc}\" in TORCH_CUDA_ARCH_LIST, {number} in CMAKE_CUDA_ARCHITECTURES, {cc} in "
                 "TF_CUDA_COMPUTE_CAPABILITIES, whichever the build reads; then reinstall the package it builds."
                 if flags else log_cause_fix("GPU_NOT_SUPPORTED", subject)),
            confidence=Confidence.HIGH,
            blocks_gpu=True,
            extra={"read_from": "the architectures the build states, judged by knowledge.target.build_runs_on_compute_capability"},
        )
        return


def _no_kernel_for_gpu(subject: LogSubject) -> bool:
    """accxla (session 27): whether the log shows a program finding no code for the GPU in its build (a matched message's line or
    any line of the log's facts that says so)."""
    if subject.facts.no_kernel_said:
        return True
    from whygpu.explain.ccsupport import NO_KERNEL

    return any(NO_KERNEL.search(line) for m in subject.messages for line in m.evidence)


def _builds_shown(facts: Any) -> list[tuple[Any, tuple[Seen[Any], ...]]]:
    """acccc (session 23): every build the log shows that the knowledge layer can judge, other than PyTorch's (LOG231, LOG110):
    TensorFlow's release (its official wheels' architecture list), a program with its own floor or CUDA row
    (knowledge/programs.toml: Ollama, CuPy on the installed CUDA), and a container image whose tag names its CUDA. Each as
    (knowledge.target.BuildSpec, the lines that show it)."""
    from whygpu.knowledge.programs import program_uses_installed_cuda
    from whygpu.knowledge.target import BuildSpec

    builds: list[tuple[Any, tuple[Seen[Any], ...]]] = []
    tf = facts.versions.get("tensorflow", [])
    if tf and not facts.nvidia_tensorflow():
        # accfacts (session 25): with the CUDA its official wheels were built with (knowledge/tensorflow.toml's tested
        # builds): a release whose architecture list is not tabled (1.x, 2.0-2.2) is then judged by what that CUDA knows,
        # so TensorFlow 1.15 (CUDA 10.0, cuDNN 7) beside an Ampere GPU reads as a build older than the GPU.
        from whygpu.knowledge.tensorflow import tensorflow_build

        tested = tensorflow_build(tf[0].value)
        builds.append((BuildSpec("tensorflow", "TensorFlow", tf[0].value, tested.cuda if tested is not None and tested.gpu else None), (tf[0],)))
    for seen in facts.program_named:
        program = seen.value
        cuda, shown = None, [seen]
        if program_uses_installed_cuda(program):
            wheels = [b for b in facts.program_builds if str(getattr(b.value, "program", "")).lower().startswith(program)]
            if facts.cuda_installed:
                cuda, shown = facts.cuda_installed[0].value, [seen, facts.cuda_installed[0]]
            elif wheels and getattr(wheels[0].value, "cuda", None):
                cuda, shown = str(wheels[0].value.cuda), [seen, wheels[0]]
        builds.append((BuildSpec(program, {"ollama": "Ollama", "cupy": "CuPy"}.get(program, program), "", cuda), tuple(shown)))
    for seen in facts.image_cuda[:1]:
        builds.append((BuildSpec("image", "the image", seen.text.strip()[:80], seen.value), (seen,)))
    if (toolkit := _toolkit_in_use(facts)) is not None:
        builds.append((BuildSpec("toolkit", "the CUDA toolkit installed", "", toolkit.value), (toolkit,)))
    return builds


def _toolkit_in_use(facts: Any) -> Seen[str] | None:
    """accversions (session 24): the CUDA toolkit the log shows installed ("I have CUDA 10.0", nvcc's release), as the CUDA the
    framework runs with, where nothing the log shows brings its own: no PyTorch or JAX (their CUDA wheels carry their CUDA
    libraries), no TensorFlow release (judged by its own row above), no program build or image with its own CUDA. Those
    that load the installed toolkit (TensorFlow before 2.14 with a version not shown, PaddlePaddle before 3.0, MXNet, Caffe,
    the programs built on them) then run the GPU only if that CUDA knows it. An inference: medium confidence at most."""
    if facts.versions.get("torch") or facts.versions.get("jax") or facts.versions.get("jaxlib") or facts.versions.get("tensorflow"):
        return None
    if facts.build_cuda or facts.program_builds or facts.image_cuda or facts.cuda_image or facts.program_named or facts.built_found:
        return None
    # (nvidia-smi's "CUDA Version" is the driver's, not a toolkit's.)
    driver_lines = {s.where for s in facts.driver_cuda}
    shown = [s for s in (*facts.cuda_installed, *facts.found_stated.get("cuda", []))
             if s.value and s.value[0].isdigit() and s.value != "0.0" and s.where not in driver_lines]
    from whygpu.knowledge.cuda_versions import cuda_release

    releases = {cuda_release(s.value) for s in shown}
    if len(releases) != 1:
        return None  # two toolkits (or none): which one the framework loads decides
    seen = shown[0]
    return Seen(cuda_release(seen.value), seen.where, seen.text)


def _outside_fix(build: Any, cc: str, how: str) -> str:
    """The fix for a GPU outside ``build``, with the versions that would fit (knowledge/cuda.toml, programs.toml)."""
    from whygpu.knowledge.cuda import (
        first_cuda_for_compute_capability,
        last_cuda_major_for_compute_capability,
    )

    if how == "beyond-toolkit" and build.framework == "toolkit":
        first = first_cuda_for_compute_capability(cc)
        newer = f"CUDA {first} or newer" if first else "a newer CUDA"
        return (f"The GPU (compute capability {cc}) is newer than CUDA {build.cuda}, the toolkit installed: a framework that loads it "
                f"(TensorFlow before 2.14, PaddlePaddle, MXNet) has no CUDA library code for this GPU. Install {newer} and a framework "
                f"release built for it. What decides it: the framework's own CUDA (`tf.sysconfig.get_build_info()`, "
                "`paddle.version.cuda()`); a framework that brings its own CUDA (a PyTorch or JAX CUDA wheel) does not use the toolkit installed.")
    if how == "beyond-toolkit" and build.framework == "tensorflow":
        from whygpu.knowledge.cuda_versions import version_tuple
        from whygpu.knowledge.tensorflow import tensorflow_builds

        first = first_cuda_for_compute_capability(cc)
        # The oldest release whose tested build's CUDA knows the GPU (knowledge/tensorflow.toml's [[build]] rows).
        release = next((b.version for b in reversed(tensorflow_builds()) if first and b.gpu and b.cuda
                        and version_tuple(b.cuda) >= version_tuple(first)), None)
        newer = f"TensorFlow {release} or newer (built with CUDA {first} or later)" if release else "a TensorFlow release built with a newer CUDA"
        return (f"TensorFlow {build.version}'s official wheels were built with CUDA {build.cuda}, older than this GPU (compute capability {cc}): "
                f"install {newer}; for TensorFlow 1.x code, NVIDIA's own 1.15 builds for newer GPUs (`pip install nvidia-pyindex` then "
                "`pip install nvidia-tensorflow`, or an NGC `nvcr.io/nvidia/tensorflow:<release>-tf1-py3` container). What decides it: "
                "`python -c \"import tensorflow as tf; print(tf.test.is_gpu_available())\"` and the first GPU op's error or a long PTX compile.")
    if how == "beyond-toolkit":
        first = first_cuda_for_compute_capability(cc)
        newer = f"CUDA {first} or newer" if first else "a newer CUDA"
        return (f"The GPU (compute capability {cc}) is newer than CUDA {build.cuda}, which {build.distribution} was built with: use a build "
                f"made with {newer} (for an image, a tag with that CUDA). What decides it: whether the build ships PTX "
                "(`cuobjdump --list-ptx` on its CUDA library); without PTX no kernel runs on this GPU.")
    if build.framework == "toolkit":
        last = last_cuda_major_for_compute_capability(cc)
        older = f"CUDA {last}.x" if last else "an older CUDA"
        return (f"CUDA {build.cuda}, the toolkit installed, has no code for compute capability {cc}: a framework that loads it (TensorFlow "
                f"before 2.14, PaddlePaddle, MXNet) cannot run on this GPU. Install {older} and a framework release built for it, or use a "
                f"GPU that CUDA {build.cuda} supports. What decides it: the framework's own CUDA (`tf.sysconfig.get_build_info()`, "
                "`paddle.version.cuda()`); a framework that brings its own CUDA does not use the toolkit installed.")
    if build.framework == "tensorflow":
        return (f"TensorFlow {build.version}'s official wheels have no code for compute capability {cc}: install a TensorFlow release "
                f"whose wheels include it (`python -c \"import tensorflow as tf; print(tf.sysconfig.get_build_info()['cuda_compute_capabilities'])\"` "
                "lists a release's), build TensorFlow from source with TF_CUDA_COMPUTE_CAPABILITIES including it, or use a GPU the release supports.")
    if build.cuda:
        last = last_cuda_major_for_compute_capability(cc)
        older = f"CUDA {last}.x" if last else "an older CUDA"
        return (f"CUDA {build.cuda} has no code for compute capability {cc}: install {older} and a {build.distribution} build for it, "
                f"or use a GPU that CUDA {build.cuda} supports.")
    return (f"{build.distribution}'s official GPU builds do not run on compute capability {cc}: build it locally for this GPU "
            "(its developer guide), or use a GPU of the capability its documentation names.")


@rule(
    "LOG233", "log-gpu-outside-build", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Judges the GPU the log shows (its compute capability in any form: TensorFlow's computeCapability, the llama.cpp/Ollama device banner, 'CUDA Capability: 75', a capability called a CUDA version beside the GPU, or its model via knowledge/gpus.toml) against each other build the log shows: TensorFlow's release (its official wheels' architecture list), Ollama's documented floor, CuPy on the CUDA installed, a container image whose tag names its CUDA ('-gpu-cuda10.2-'); one decision, knowledge.target.build_runs_on_gpu (the doctor's and preflight's too).",
        why="A build without code for the GPU's architecture cannot run a kernel on it: TensorFlow 2.3's wheels hold no sm_50 code and no PTX old enough for a 5.0 GPU; Ollama skips a GPU below 5.0 and runs on the CPU although llama.cpp's banner lists the device; CUDA 11 has no code for 3.0; a CUDA 10.2 build has no code for an 8.6 GPU unless it ships PTX.",
        example="TensorFlow version: 2.3 ... GPU model and memory: GeForce MX130 ... CUDA runtime implicit initialization on GPU:0 failed. Status: device kernel image is invalid\n(https://github.com/tensorflow/tensorflow/issues/41892)",
        fix="Install a build whose architectures include the GPU's (a later or earlier release, a build for the CUDA that knows the GPU, or a local build for it), or use a GPU the build supports.",
        limits="Speaks only where nothing shows the GPU at work (Ollama's banner and offload plan are not work when the GPU is below its floor). A GPU newer than the CUDA a build was made with is only inferred (the build may ship PTX): medium confidence, and only where the log shows the GPU unused or failing. A GPU below the build's minimum is LOG110's; PyTorch is LOG231's; TensorFlow's known failures above its list are LOG147's.",
        references=("https://developer.nvidia.com/cuda-gpus", "https://docs.ollama.com/gpu", "https://docs.nvidia.com/cuda/cuda-c-programming-guide/index.html#binary-compatibility"),
    ),
)
def gpu_outside_build(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    from whygpu.explain.rules import _gpu_capability, _minimum_capability
    from whygpu.knowledge.gpus import compute_capability_below
    from whygpu.knowledge.programs import program_min_compute_capability
    from whygpu.knowledge.target import build_runs_on_gpu

    found = _gpu_capability(facts)
    if found is None:
        return
    cc, seen_gpu = found
    floor = _minimum_capability(facts)
    if floor is not None and not floor.frameworks and compute_capability_below(cc, floor.cc):
        return  # below the minimum LOG110 reads: its finding
    # A library the build loads that failed to load stops it before any kernel is tried: that failure leads, this follows.
    loads_failed = bool(facts.load_failed or facts.library_failed)
    for build, shown in _builds_shown(facts):
        # A program with its own floor skips a GPU below it although its banner lists the device (Ollama): no work shown.
        own_floor = program_min_compute_capability(build.framework) is not None
        if subject.gpu_in_use and not subject.blocking() and not own_floor:
            return
        unused = bool(facts.gpu_unused()) or bool(subject.blocking()) if own_floor else _unused_or_blocked(subject)
        fit = build_runs_on_gpu(build, cc)
        toolkit = build.framework == "toolkit"
        if fit.runs is False:
            # Shown unused or failing: high; a report that shows neither (its error cut off): low, other readings first.
            confidence = Confidence.LOW if loads_failed or not unused else Confidence.MEDIUM if toolkit else Confidence.HIGH
        elif fit.how == "beyond-toolkit" and (unused or toolkit):
            # accversions (session 24): the toolkit installed and a GPU newer than it ("an RTX 3090 with CUDA 10.0"), in a
            # report that shows nothing in use: low, what would decide said in the fix.
            confidence = Confidence.LOW if loads_failed or not unused else Confidence.MEDIUM
        else:
            continue
        what = (f"the image built with CUDA {build.cuda}" if build.framework == "image"
                else f"the CUDA {build.cuda} toolkit installed" if build.framework == "toolkit"
                else f"{build.distribution} {build.version}".strip())
        inferred = " (inferred: unless the build ships PTX)" if fit.how == "beyond-toolkit" else ""
        yield Hit(
            title=f"{what[:1].upper()}{what[1:]} has no code for this GPU (compute capability {cc}){inferred}: {'; '.join(fit.reasons)}",
            evidence=_ev(seen_gpu, *shown),
            fix=_outside_fix(build, cc, fit.how),
            confidence=confidence,
            blocks_gpu=True,
            extra={"read_from": "the GPU and the build the log shows, judged by knowledge.target.build_runs_on_gpu"},
        )
        return


@rule(
    "LOG234", "log-first-run-ptx-jit", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Reads the writer's words that a run waits for minutes at its start and then goes on ('run_check hangs for 10 minutes then succeeds', 'the first epoch takes 20 minutes to start', explain.statements.slow_start) where the GPU the log shows (its compute capability, stated or from its model) is one a build the log shows has no machine code for: PyTorch's release and CUDA variant, TensorFlow's release with the CUDA of its tested build, a container image's or the installed toolkit's CUDA (knowledge.target.build_runs_on_gpu: only PTX of an older architecture reaches it, or its CUDA predates the GPU).",
        why="A build without SASS for the GPU's architecture runs there only through PTX, which the driver compiles at the first GPU call (CUDA C++ Programming Guide, 'Just-in-Time Compilation'); a framework's thousands of kernels take minutes, and the run then goes on. The result is kept in the compute cache (~/.nv/ComputeCache, CUDA_CACHE_MAXSIZE), so a cache too small or disabled pays it every run; where the PTX is missing or too new for the driver, the same build fails instead.",
        example="paddle.utils.run_check() hangs for about 10 minutes and then says PaddlePaddle works well ... paddle with cuda: 10.2 ... GeForce RTX 3050 Laptop GPU",
        fix="Install a build made for the GPU's architecture (a release and CUDA variant whose architecture list holds its compute capability); until then a compute cache large enough keeps the compiled kernels between runs (CUDA_CACHE_MAXSIZE, CUDA_CACHE_PATH).",
        limits="Quiet where no GPU or no build of the log can be judged (a slow start alone says nothing of its cause), where the build has code for the GPU, and where the build cannot run on it at all (LOG231, LOG233). Medium confidence: a slow first run has other causes too (a large model loaded, cuDNN's autotuning).",
        references=("https://docs.nvidia.com/cuda/cuda-c-programming-guide/index.html#just-in-time-compilation",
                    "https://docs.nvidia.com/cuda/cuda-c-programming-guide/index.html#cuda-environment-variables"),
    ),
)
def first_run_ptx_jit(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.stated_slow_start:
        return
    from whygpu.explain.rules import _gpu_capability
    from whygpu.knowledge.target import BuildSpec, build_runs_on_gpu

    found = _gpu_capability(facts)
    if found is None:
        return
    cc, seen_gpu = found
    builds = _builds_shown(facts)
    torch = facts.versions.get("torch", [])
    cuda_seen = facts.build_cuda.get("torch", [])
    if torch and "+" in torch[0].value and torch[0].value.split("+", 1)[1].startswith("cu"):
        tag = torch[0].value.split("+", 1)[1][2:]
        builds.insert(0, (BuildSpec("torch", "PyTorch", torch[0].value, f"{tag[:-1]}.{tag[-1]}"), (torch[0],)))
    elif torch and cuda_seen:
        builds.insert(0, (BuildSpec("torch", "PyTorch", torch[0].value, cuda_seen[0].value), (torch[0], cuda_seen[0])))
    for build, shown in builds:
        fit = build_runs_on_gpu(build, cc)
        if fit.runs is False or fit.how not in ("ptx-jit", "beyond-toolkit"):
            continue
        what = (f"the image built with CUDA {build.cuda}" if build.framework == "image"
                else f"the CUDA {build.cuda} toolkit installed" if build.framework == "toolkit"
                else f"{build.distribution} {build.version}".strip())
        yield Hit(
            title=f"{what[:1].upper()}{what[1:]} has no machine code for this GPU (compute capability {cc}): the slow start is the driver "
                  f"compiling PTX for it ({'; '.join(fit.reasons)})",
            evidence=_ev(facts.stated_slow_start[0], seen_gpu, *shown),
            fix=(f"Install a build of {build.distribution if build.framework not in ('image', 'toolkit') else 'the framework'} made for compute "
                 f"capability {cc} (a release and CUDA variant whose architecture list holds it): it then starts at once. Until then the "
                 "driver's compute cache keeps what it compiled (~/.nv/ComputeCache): make it large enough (CUDA_CACHE_MAXSIZE, in bytes) "
                 "and keep it on a disk that persists (CUDA_CACHE_PATH), so only the first run waits. What decides it: "
                 "`CUDA_CACHE_DISABLE=1` makes every run wait as long; a second run with the cache kept starts at once."),
            confidence=Confidence.MEDIUM,
            blocks_gpu=False,
            extra={"read_from": "the writer's words of a slow start, with the GPU and the build the log shows (knowledge.target.build_runs_on_gpu)"},
        )
        return


def _builds_judged(facts: Any) -> list[Any]:
    """Every build the log shows with enough to judge it against a GPU: the other builds (``_builds_shown``) and PyTorch's
    release with its CUDA variant (a +cuNNN tag, or the CUDA the log shows the build made for)."""
    from whygpu.knowledge.target import BuildSpec

    builds = [build for build, _shown in _builds_shown(facts)]
    torch = facts.versions.get("torch", [])
    cuda = facts.build_cuda.get("torch", [])
    if torch and cuda:
        builds.append(BuildSpec("torch", "PyTorch", torch[0].value, cuda[0].value))
    return builds


def _older_than_builds_fix(cc: str, why: str) -> str:
    """The fix for a GPU that lies outside every build: the last CUDA and driver branch that support it (knowledge tables)."""
    from whygpu.knowledge.cuda import last_cuda_major_for_compute_capability
    from whygpu.knowledge.gpus import architecture_of_capability, last_driver_branch

    arch = architecture_of_capability(cc)
    last = last_cuda_major_for_compute_capability(cc)
    branch = last_driver_branch(arch)
    older = (f"a release of the program or framework built with CUDA {last}.x or older" if last else "an older release of the program or framework")
    driver = f" with the R{branch} driver branch, the last for {arch} GPUs" if branch else ""
    return (f"This GPU (compute capability {cc}{f', {arch}' if arch else ''}) is older than what the builds cover ({why}). Use a GPU "
            f"those builds support, or {older}{driver}. What decides it: `nvidia-smi --query-gpu=name,compute_cap --format=csv` "
            "against the program's documented minimum.")


@rule(
    "LOG315", "log-no-compatible-gpu-judged", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Reads a program's verdict that it found no compatible GPU ('No compatible GPU found. Using the CPU', 'no supported GPUs detected', explain.ccsupport.no_compatible_gpu) or that the GPU is not supported or too old (LOG230's reading of the GPU said unsupported), and judges the GPU the log names (its compute capability, stated or from knowledge/gpus.toml) against the builds the log shows, or, with none shown, against the oldest CUDA major current framework releases ship (knowledge.target.gpu_outside_builds).",
        why="A program says 'no compatible GPU' for several reasons (no GPU build, no driver, a GPU it cannot use); the GPU beside the line decides which: a Kepler card (compute capability 3.x) is below CUDA 12, the oldest CUDA current PyTorch, TensorFlow and JAX releases are built with, so no current build has code for it. Counted over every labelled log with such a line: GPU_NOT_SUPPORTED 4 (a Kepler card, Intel graphics, a card below the program's floor, a card the driver dropped), DRIVER_TOO_OLD 1 (a Pascal card, inside every current build: quiet here).",
        example="the console sends me the message \"No compatible GPU found. Using the CPU, but this will be very slow!\". I have a NVIDIA Quadro K5100M with 8gb.",
        fix="Use a GPU of a compute capability the build supports, or a release of the program built with a CUDA that still supports this GPU.",
        limits="Quiet where the GPU named lies inside what the builds cover (a driver, a CPU build or the code keeps it off: other readings) and where the log shows the GPU at work. With no GPU named, quiet: the other readings of a GPU not found (LOG104) rank the possibilities. A GPU below a framework release's own minimum is LOG110's.",
        references=("https://developer.nvidia.com/cuda-legacy-gpus", "https://docs.nvidia.com/cuda/archive/12.0.0/cuda-toolkit-release-notes/index.html"),
    ),
)
def no_compatible_gpu_judged(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    said = [*facts.no_compatible_gpu, *(s for s in facts.cc_unsupported if getattr(s.value, "gpu", None))]
    if not said or (subject.gpu_in_use and not subject.blocking()):
        return
    from whygpu.explain.rules import _gpu_capability, _minimum_capability
    from whygpu.knowledge.gpus import compute_capability_below
    from whygpu.knowledge.target import gpu_outside_builds

    line = said[0]
    claimed = getattr(line.value, "cc", "")
    found = (claimed, line) if claimed else _gpu_capability(facts)
    if found is None:
        return
    cc, seen_gpu = found
    floor = _minimum_capability(facts)
    if floor is not None and not floor.frameworks and compute_capability_below(cc, floor.cc):
        return  # below the minimum LOG110 reads: its finding
    fit = gpu_outside_builds(cc, _builds_judged(facts))
    why = "; ".join(fit.reasons)
    if fit.how == "newer-than-builds":
        # accarch (session 28): a GPU newer than the builds made with earlier releases of the current CUDA major (Blackwell),
        # and the program's verdict on it: its build likeliest predates the GPU. Counted over every labelled log with such a
        # verdict (--grep of the line, session 28): GPU_NOT_SUPPORTED 5 of 7, and the one that names a GPU of 12.0 is one of
        # them (the program's torch predated it); a Pascal card (DRIVER_TOO_OLD) is inside every build and stays quiet.
        yield Hit(
            title=f"The program found no GPU it can use, and the GPU named (compute capability {cc}) is newer than builds made before it: {why}",
            evidence=_ev(line, seen_gpu) if seen_gpu is not line else _ev(line),
            fix=_newer_than_builds_fix(cc),
            confidence=Confidence.MEDIUM,
            blocks_gpu=True,
            extra={"read_from": "the program's words and the GPU the log names, judged by knowledge.target.gpu_outside_builds"},
        )
        return
    if fit.runs is not False:
        return
    yield Hit(
        title=f"The program found no GPU it can use, and the GPU named (compute capability {cc}) is outside what the builds cover: {why}",
        evidence=_ev(line, seen_gpu) if seen_gpu is not line else _ev(line),
        fix=_older_than_builds_fix(cc, why),
        confidence=Confidence.HIGH,
        blocks_gpu=True,
        extra={"read_from": "the program's words and the GPU the log names, judged by knowledge.target.gpu_outside_builds"},
    )


def _newer_than_builds_fix(cc: str) -> str:
    """accarch (session 28): the fix for a GPU newer than the program's build: the first CUDA and PyTorch release that carry code
    for it (knowledge tables)."""
    from whygpu.knowledge.cuda import cuda_first_for_compute_capability
    from whygpu.knowledge.torch import torch_index_url, torch_release_runs_on, torch_releases

    first = cuda_first_for_compute_capability(cc) or "a newer CUDA"
    releases = sorted(torch_releases(), key=lambda r: tuple(int(p) for p in r.version.split(".")))
    torch_first = next((r.version for r in releases if any(torch_release_runs_on(r.version, v, cc)[0] is True for v in r.cuda_variants)), None)
    torch_part = (f" For PyTorch: release {torch_first} or newer from the CUDA {first} index (`pip install torch --index-url "
                  f"{torch_index_url(first)}`).") if torch_first and first[:1].isdigit() else ""
    return (f"This GPU (compute capability {cc}, sm_{cc.replace('.', '')}) needs a build made with CUDA {first} or newer: update the "
            f"program to a release that ships one, or install the framework build it runs on.{torch_part} What decides it: the "
            "program's own framework build (`python -c \"import torch; print(torch.__version__, torch.cuda.get_arch_list())\"` in its "
            f"environment) against sm_{cc.replace('.', '')}.")


@rule(
    "LOG316", "log-compute-type-below-gpu", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Reads a program's refusal of a compute type on the device (CTranslate2's 'Requested float16 compute type, but the target device or backend do not support efficient float16 computation', explain.ccsupport.compute_type_refused) and judges the GPU the log names (its compute capability, stated or from knowledge/gpus.toml) with the program's own table of the types each capability runs (knowledge/programs.toml [[gpu_compute_type]], knowledge.programs.program_compute_type_on_gpu).",
        why="CTranslate2 runs float16 on a GPU only from compute capability 7.0 (or 6.0, 6.2, 5.3): on a Pascal GeForce (6.1) a model asked for in float16 does not load on the GPU at all. The same message on a GPU that runs float16 says the device was the CPU (a CPU-only build, or the device not set): another cause, not this rule's (where the traceback shows code that hands CTranslate2 PyTorch's device, explain.ccsupport.torch_answer_from_refusal reads it as PyTorch's answer False).",
        example="ValueError: Requested float16 compute type, but the target device or backend do not support efficient float16 computation.\nMy gpu nvidia gtx 1070.",
        fix="Ask for a compute type the GPU runs (compute_type='float32', or 'int8' on compute capability 6.1), or use a GPU of compute capability 7.0 or newer.",
        limits="Quiet where no GPU is named, where the GPU named runs the type (the device was the CPU), and for the warning form ('The compute type inferred from the saved model is float16, but ...': the weights are converted and the model runs).",
        references=("https://github.com/OpenNMT/CTranslate2/blob/master/src/types.cc", "https://github.com/OpenNMT/CTranslate2/blob/master/src/cuda/utils.cc"),
    ),
)
def compute_type_below_gpu(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.compute_type_refused:
        return
    from whygpu.explain.rules import _gpu_capability
    from whygpu.knowledge.programs import program_compute_type_on_gpu

    found = _gpu_capability(facts)
    if found is None:
        return
    cc, seen_gpu = found
    refused = facts.compute_type_refused[0]
    if program_compute_type_on_gpu("ctranslate2", refused.value, cc) is not False:
        return
    runs = [t for t in ("float32", "int8", "float16") if t == "float32" or program_compute_type_on_gpu("ctranslate2", t, cc)]
    yield Hit(
        title=f"The GPU named (compute capability {cc}) cannot run the {refused.value} compute type asked for, so the model does not load on it",
        evidence=_ev(refused, seen_gpu),
        fix=(f"Ask for a compute type this GPU runs ({' or '.join(repr(t) for t in runs)}: `compute_type=\"{runs[-1]}\"` in the model's "
             "constructor or the program's compute-type option), or use a GPU of compute capability 7.0 or newer for float16."),
        confidence=Confidence.HIGH,
        blocks_gpu=True,
        extra={"read_from": "the program's refusal and the GPU the log names, judged by knowledge.programs.program_compute_type_on_gpu"},
    )


@rule(
    "LOG235", "log-gpu-above-build-range", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Judges the GPU the log shows (its compute capability stated, or its model via knowledge/gpus.toml) against the top of the range a PyTorch build states ('Minimum and Maximum cuda capability supported by this version of PyTorch is (5.0) - (9.0)', torch/cuda `_check_capability`), with knowledge.target.newer_than_build_top: a GPU of a newer major than the top has no code in the build.",
        why="SASS runs only within its major (NVIDIA's binary compatibility) and PyTorch's release wheels ship no PTX, so an RTX 50 card (12.0) under a build whose list ends at sm_90 gets 'no kernel image is available for execution on the device'; PyTorch's own cubin check says the same.",
        example="Found GPU0 NVIDIA GeForce RTX 5090 which is of cuda capability 12.0.\nMinimum and Maximum cuda capability supported by this version of PyTorch is (5.0) - (9.0)\n(torch/cuda/__init__.py, _check_capability)",
        fix="Install a PyTorch build made with a CUDA that knows the GPU (for compute capability 12.0 or 10.0: PyTorch 2.7 or newer from the cu128 index), or run on a GPU the build supports.",
        limits="Only the major decides: a GPU above the top within its major (GB10's 12.1 beside a top of 12.0) runs the top's code and stays quiet (PyTorch's maintainers call that warning wrong, pytorch#172629), and a GPU inside the range is never judged by the range's two ends (the list decides, LOG232). A GPU below the bottom is LOG110's. Quiet where the log shows the GPU in use without a failure.",
        references=("https://docs.nvidia.com/cuda/cuda-c-programming-guide/index.html#binary-compatibility",
                    "https://github.com/pytorch/pytorch/blob/main/torch/cuda/__init__.py"),
    ),
)
def gpu_above_build_range(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    tops = facts.build_cc_max.get("torch", [])
    if not tops or (subject.gpu_in_use and not subject.blocking()):
        return
    from whygpu.explain.rules import _gpu_capability
    from whygpu.knowledge.target import newer_than_build_top

    found = _gpu_capability(facts)
    if found is None:
        return
    cc, seen_gpu = found
    top = tops[0]
    if newer_than_build_top(top.value, cc) is not True:
        return
    yield Hit(
        title=f"This PyTorch build's code ends at compute capability {top.value}: the GPU (compute capability {cc}) is of a newer major, which none of it runs on",
        evidence=_ev(seen_gpu, top),
        fix=_newer_than_builds_fix(cc),
        confidence=Confidence.HIGH,
        blocks_gpu=True,
        extra={"read_from": "the top of the build's stated range and the GPU's capability, judged by knowledge.target.newer_than_build_top"},
    )


CC_RULES: list[Rule[LogSubject]] = [capability_not_supported, gpu_outside_torch_build, gpu_outside_stated_archs, gpu_outside_build,
                                    first_run_ptx_jit, no_compatible_gpu_judged, compute_type_below_gpu, gpu_above_build_range]
