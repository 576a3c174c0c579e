"""The log rules that judge a program's own words about its build (accmsg, session 24).

Their facts are read by ``explain.buildsaid`` from what a message means, in any program's wording (the wordings it was
built from, each with its public source, are knowledge/build_messages.toml's). Where a signature already read the
same message (torch's "Torch not compiled with CUDA enabled", DGL's, LightGBM's...) it speaks, with its own fix; these
rules speak for the programs no signature knows. A program's printed count of zero GPUs is read as the framework's "no
GPU" answer and ranked by LOG104 (``LogFacts.printed_no_gpu``), not here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu import lazyre as re
from whygpu.explain.judge import LogSubject, alternative_hit
from whygpu.explain.logfacts import Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.causes import cause_check, cause_meaning
from whygpu.model import Confidence, Severity
from whygpu.redact import redact_text
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule


def _shown(words: str, limit: int = 160) -> str:
    """Words of a log line fit to quote in a report: redacted, without control characters, bounded."""
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", redact_text(words)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _already_read(subject: LogSubject, cause: str) -> bool:
    """Whether a signature already named this cause (it read the same program's message, with its own fix)."""
    return any(f.cause == cause and f.alternative_to is None and not f.generic for f in subject.matched)


def _no_nvidia_gpu(subject: LogSubject) -> Seen[Any] | None:
    """The fact that the machine has no NVIDIA GPU at all, where the log shows one: a Mac that names no NVIDIA GPU or
    CUDA driver (Apple has shipped none since 2016; CUDA for macOS ended with 10.2), or the writer's words that there is
    no GPU. Then a CPU build is all that can run, and the build is not why the GPU went unused."""
    facts = subject.facts
    if facts.driver_cuda or facts.driver_version or any(v.value == "nvidia" for v in facts.gpu_vendor) or facts.gpu_model:
        return None
    if facts.platform_name() == "darwin":
        return next((s for s in facts.platform if s.value == "darwin"), None)
    return facts.stated_no_gpu[0] if facts.stated_no_gpu else None


def _cpu_build_instead(seen: Seen[str], lead: str, whose: str, advice: str, decide: str) -> Hit:
    """The program's own words read as its CPU build, listed after ``lead`` (the cause the log's other facts put first)."""
    return alternative_hit("FRAMEWORK_CPU_BUILD", _ev(seen), lead,
                           fix=f"Install {whose} GPU (CUDA) build{advice}. What would show it instead: {cause_check('FRAMEWORK_CPU_BUILD') or decide}")


@rule(
    "LOG300", "log-program-says-cpu-build", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Reads a program's own message that its build has no GPU support, in any program's wording: it was not compiled/built with CUDA or the GPU, was compiled without it, CUDA/GPU support is not enabled or available in this build, a device API cuda/gpu is not enabled, an error's 'GPU is not enabled'; or its advice to install its CUDA/GPU version or to (re)compile it with CUDA (DGL, MXNet, XGBoost, PaddlePaddle, OpenCV, faiss, LightGBM, llama.cpp, PyTorch extensions: knowledge/build_messages.toml).",
        why="A program prints these words where its code was compiled without its GPU part (an #ifndef WITH_CUDA branch, a missing device API in its registry): the installed build has no GPU code, whatever the machine has.",
        example="dgl._ffi.base.DGLError: [14:00:04] /opt/dgl/src/runtime/c_runtime_api.cc:82: Check failed: allow_missing: Device API cuda is not enabled. Please install the cuda version of dgl.\n(https://github.com/dmlc/dgl/issues/5427)",
        fix="Install the program's GPU (CUDA) build in place of the CPU one, for the CUDA the machine's driver runs (the message's own advice is quoted).",
        limits="Quiet where a signature read the same program's message (it speaks with its own fix), on a question, a condition, an alternative ('no GPU found or the library is compiled without CUDA support'), code that prints or raises the words, the writer's own advice, a version or an architecture after 'compiled with' ('with CUDA 11.8', 'with any CUDA arch'), and Paddle's 'Compiled with WITH_GPU, but no GPU found' (a GPU build). On a Mac that names no NVIDIA GPU, or where the writer says there is no GPU, the cause is NO_GPU first.",
        references=("https://github.com/dmlc/dgl/blob/master/src/runtime/c_runtime_api.cc", "https://github.com/apache/mxnet/blob/master/include/mxnet/base.h",
                    "https://github.com/dmlc/xgboost/blob/master/src/common/common.h"),
        causes=("FRAMEWORK_CPU_BUILD", "NO_GPU", "FRAMEWORK_INSTALL_BROKEN"),
    ),
)
def program_says_cpu_build(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.build_said_cpu or subject.gpu_in_use or _already_read(subject, "FRAMEWORK_CPU_BUILD"):
        return
    seen = facts.build_said_cpu[0]
    if any(s.where == seen.where for s in facts.stated_cpu_build) and not subject.blocking():
        return  # the same line's words read as a CPU build stated (LOG112 speaks there)
    if any(s.where == seen.where for s in facts.cpu_api):
        return  # acccpu: the same line read by LOG500, with the program's own fix (knowledge/cpu_packages.toml [[gpu_api]])
    said = seen.value
    program = _shown(said.program, 40) if said.program else "The program that printed it"
    whose = f"{_shown(said.program, 40)}'s" if said.program else "the program's"
    advice = f" (its message says: \"{_shown(said.advice)}\")" if said.advice else ""
    decide = f"Which {said.program or 'program'} build is installed (its package name and variant, e.g. a +cpu or a -cuXXX build; `pip list` / `conda list`)."
    if facts.build_said_gpu_variant:
        # The program's GPU package is named too ("I had already installed dgl-cu111"): two builds side by side, and the
        # one imported is the CPU build (pip installs each variant under its own name into one import package).
        variant = facts.build_said_gpu_variant[0]
        yield Hit(
            title=f"{program} says its build has no GPU support, though the log names its GPU package {_shown(variant.value, 60)}: {cause_meaning('FRAMEWORK_INSTALL_BROKEN')}",
            evidence=_ev(seen, variant),
            fix=f"Uninstall every build of {said.program or 'the program'} (the CPU package and each CUDA variant), then install the one CUDA variant for your driver's CUDA. "
                f"What would decide: `pip list` / `conda list` listing both the CPU package and {_shown(variant.value, 60)}.",
            confidence=Confidence.MEDIUM,
            cause="FRAMEWORK_INSTALL_BROKEN",
            blocks_gpu=True,
        )
        yield _cpu_build_instead(seen, "FRAMEWORK_INSTALL_BROKEN", whose, advice, decide)
        return
    no_gpu = _no_nvidia_gpu(subject)
    if no_gpu is not None:
        yield Hit(
            title=f"{program} says its build has no GPU support, on a machine the log shows without an NVIDIA GPU: {cause_meaning('NO_GPU')}",
            evidence=_ev(no_gpu, seen),
            fix="A CUDA build needs an NVIDIA GPU: run on a machine with one (on a Mac, use the Apple GPU through the framework's Metal/MPS backend where it has one). "
                f"What would decide: `nvidia-smi` on the machine that ran it; if it lists a GPU, install {whose} GPU build instead{advice}.",
            confidence=Confidence.MEDIUM,
            cause="NO_GPU",
            blocks_gpu=True,
        )
        yield _cpu_build_instead(seen, "NO_GPU", whose, advice, decide)
        return
    # Another failure in the log that keeps a GPU build off the GPU (a CUDA library or the driver not loaded): a program
    # that falls back to its CPU part then says the same words of the part it loaded (bitsandbytes 0.35-0.39 loads its
    # CPU library after "libcuda.so not found" and warns it "was compiled without GPU support"): the message may be that
    # failure's consequence, so it ranks after it.
    fallback = [f for f in subject.blocking() if f.cause != "FRAMEWORK_CPU_BUILD"]
    yield Hit(
        title=f"{program} says its own build has no GPU support: {cause_meaning('FRAMEWORK_CPU_BUILD')}",
        evidence=_ev(seen),
        fix=f"Install {whose} GPU (CUDA) build in place of the CPU one, made for the CUDA your driver runs{advice}. To check: {decide}"
            + (" If an earlier failure in the log is a CUDA library or the driver failing to load, fix that first: the program may have fallen back to its CPU part because of it." if fallback else ""),
        confidence=Confidence.LOW if fallback else Confidence.HIGH,
        blocks_gpu=True,
        extra={"read_from": "the program's own words (explain.buildsaid)"},
    )


@rule(
    "LOG301", "log-program-says-no-code-for-gpu-arch", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Reads a program's own message that its build has no code for this GPU's architecture, said without naming a capability: 'compiled without support for the current GPU architecture', 'not compiled with any CUDA arch <= N', 'no binary for GPU' (CUDA_ERROR_NO_BINARY_FOR_GPU), 'not built for this GPU'.",
        why="The build's kernels were compiled for other architectures than the GPU's (too new a build for an old GPU, or a build made before the GPU's architecture): the CUDA runtime finds no code it can load (ggml's bad_arch, CUDA's CUDA_ERROR_NO_BINARY_FOR_GPU).",
        example="ERROR: ggml-cuda was compiled without support for the current GPU architecture.\n(https://github.com/LostRuins/koboldcpp/issues/610)",
        fix="Install a build of the program whose CUDA architectures include the GPU's compute capability (`nvidia-smi --query-gpu=name,compute_cap --format=csv`), or build it from source for it (CMAKE_CUDA_ARCHITECTURES / TORCH_CUDA_ARCH_LIST).",
        limits="Quiet where a signature or the capability reader (LOG-level 'sm_XX not compatible', 'no kernel image') named the cause, on a question, a condition, an alternative or code; the GPU's capability itself is read elsewhere.",
        references=("https://github.com/ggml-org/llama.cpp/blob/master/ggml/src/ggml-cuda/common.cuh",
                    "https://docs.nvidia.com/cuda/cuda-driver-api/group__CUDA__TYPES.html"),
    ),
)
def program_says_no_code_for_arch(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.build_said_arch or subject.gpu_in_use or _already_read(subject, "GPU_NOT_SUPPORTED"):
        return
    seen = facts.build_said_arch[0]
    said = seen.value
    program = _shown(said.program, 40) if said.program else "The program that printed it"
    yield Hit(
        title=f"{program} says its build has no code for this GPU's architecture: {cause_meaning('GPU_NOT_SUPPORTED')}",
        evidence=_ev(seen, *facts.gpu_model[:1]),
        fix="Install a build whose CUDA architectures include the GPU's compute capability (`nvidia-smi --query-gpu=name,compute_cap --format=csv` shows it), "
            "or build it from source for that capability (CMAKE_CUDA_ARCHITECTURES set to the capability without its dot, 61 for 6.1; TORCH_CUDA_ARCH_LIST=6.1 for PyTorch extensions).",
        confidence=Confidence.HIGH,
        blocks_gpu=True,
        extra={"read_from": "the program's own words (explain.buildsaid)"},
    )


# acccpu (session 32): a program's GPU part missing from the package imported (explain.cpuapi): Python's answer that the module
# has no GPU-only attribute (faiss's StandardGpuResources, GpuIndexFlatL2), a printed build flag (dlib.DLIB_USE_CUDA False,
# llama_supports_gpu_offload() False), or the program's own words that a GPU part is not in its build (CTranslate2's cuDNN,
# CatBoost's GPU learner); knowledge/cpu_packages.toml [[gpu_api]] names what installs the GPU build and the one check that
# decides. Counted over the labelled logs and the real threads of session 32 (docs/explain-accuracy.md): of the faiss threads
# whose log holds "has no attribute 'StandardGpuResources'/'Gpu...'" with no GPU package named, FRAMEWORK_CPU_BUILD in all;
# where faiss-gpu is named as installed too, the fix was removing faiss-cpu (two builds over one import name); where faiss's
# loader said "Failed to load GPU Faiss", the GPU build was there and broken.
@rule(
    "LOG500", "log-program-gpu-part-missing", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Reads a program's CPU build from its missing GPU part: an AttributeError or ImportError naming an API only its GPU build has (module 'faiss' has no attribute 'StandardGpuResources' / 'GpuIndexFlatL2', cannot import name ... from 'faiss'), a printed build flag whose value means no GPU (dlib.DLIB_USE_CUDA False, llama_cpp.llama_supports_gpu_offload() False), or the program's own words that a GPU part is not in its build (CTranslate2's 'requires the cuDNN library which is not integrated in this build', CatBoost's 'GPU support was not compiled'); knowledge/cpu_packages.toml [[gpu_api]].",
        why="These programs compile their GPU part into the one module they install: a build without it (faiss-cpu, a dlib or llama-cpp-python built where no CUDA was found, a CTranslate2 built without cuDNN) lacks the GPU classes and flags altogether, so the missing name decides the build whatever the machine has.",
        example="AttributeError: module 'faiss' has no attribute 'StandardGpuResources'\n(https://github.com/facebookresearch/faiss/issues/888)",
        fix="Install the program's GPU build in place of the CPU one (faiss-gpu for faiss-cpu; a dlib or llama-cpp-python built with CUDA), and check with the row's one command.",
        limits="Quiet on code (hasattr checks, conditionals, a throw holding the words), a condition or advice, a build option (-DDLIB_USE_CUDA=0), an attribute both builds define, and where the log shows the GPU in use. Where the program's GPU package is named as installed too, the cause is two builds over one import name (FRAMEWORK_INSTALL_BROKEN); where its own loader says its GPU part failed to load, the missing API is that failure's; on a Mac or where the writer says there is no GPU, NO_GPU first.",
        references=("https://github.com/facebookresearch/faiss/blob/main/INSTALL.md", "https://github.com/davisking/dlib/blob/master/tools/python/src/dlib.cpp",
                    "https://github.com/OpenNMT/CTranslate2/blob/master/src/ops/conv1d_gpu.cu"),
        causes=("FRAMEWORK_CPU_BUILD", "FRAMEWORK_INSTALL_BROKEN", "NO_GPU"),
    ),
)
def program_gpu_part_missing(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.cpu_api or subject.gpu_in_use:
        return
    seen = facts.cpu_api[0]
    found = seen.value
    row = found.row
    what = {"api": f"its module has no {_shown(found.shown, 60)}, which only its GPU build has",
            "flag": f"its build flag says no GPU ({_shown(found.shown, 60)})",
            "said": f"it says its build lacks a GPU part (\"{_shown(found.shown, 100)}\")"}[found.how]
    check = f"To check: {row.decide}."
    if found.failed:
        yield Hit(
            title=f"{row.program}'s own loader says its GPU part failed to load, so {what}: {cause_meaning('FRAMEWORK_INSTALL_BROKEN')}",
            evidence=_ev(seen),
            fix=f"Read the load error {row.program} printed (an undefined symbol or a missing library names the mismatch), then reinstall its GPU build in a clean environment: {row.instead}. {check}",
            confidence=Confidence.MEDIUM,
            cause="FRAMEWORK_INSTALL_BROKEN",
            blocks_gpu=True,
            extra={"read_from": "the program's missing GPU part (explain.cpuapi)"},
        )
        return
    if _already_read(subject, "FRAMEWORK_CPU_BUILD") and not found.gpu_named:
        return  # a signature read the same program's words, with its own fix
    if found.gpu_named:
        yield Hit(
            title=f"{row.program}: {what}, though the log names its GPU package {_shown(found.gpu_named, 40)}: {cause_meaning('FRAMEWORK_INSTALL_BROKEN')}",
            evidence=_ev(seen),
            fix=f"Two builds of {row.program} share one import name and the one imported is the CPU build: uninstall every build (pip uninstall and conda remove each of them), then install the GPU one alone: {row.instead}. {check}",
            confidence=Confidence.MEDIUM,
            cause="FRAMEWORK_INSTALL_BROKEN",
            blocks_gpu=True,
            extra={"read_from": "the program's missing GPU part (explain.cpuapi)"},
        )
        yield _cpu_build_instead(seen, "FRAMEWORK_INSTALL_BROKEN", f"{row.program}'s", "", row.decide)
        return
    no_gpu = _no_nvidia_gpu(subject)
    if no_gpu is not None:
        yield Hit(
            title=f"{row.program}: {what}, on a machine the log shows without an NVIDIA GPU: {cause_meaning('NO_GPU')}",
            evidence=_ev(no_gpu, seen),
            fix=f"A CUDA build needs an NVIDIA GPU: run on a machine with one, or run {row.program} on the CPU here. What would decide: `nvidia-smi` on the machine that ran it; if it lists a GPU: {row.instead}.",
            confidence=Confidence.MEDIUM,
            cause="NO_GPU",
            blocks_gpu=True,
        )
        yield _cpu_build_instead(seen, "NO_GPU", f"{row.program}'s", "", row.decide)
        return
    yield Hit(
        title=f"{row.program} is a CPU build: {what}",
        evidence=_ev(seen),
        fix=f"{row.instead}. {check}",
        confidence=Confidence.HIGH,
        blocks_gpu=True,
        extra={"read_from": "the program's missing GPU part (explain.cpuapi)", "why": row.why, "source": row.source},
    )


SAID_RULES: list[Rule[LogSubject]] = [program_says_cpu_build, program_says_no_code_for_arch, program_gpu_part_missing]
