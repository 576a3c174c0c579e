"""What a program's environment report and the machine's GPU say together (accenvdump, session 37).

- LOG735: every GPU the log names is one no CUDA build can use (an AMD Radeon, Apple's own, Intel's integrated graphics), no
  NVIDIA GPU is named anywhere, and the writer says the run is slow (explain.slowsaid): the CPU is doing the work.
- LOG736: the build's CUDA, as the framework's own report gives it (torch.version.cuda in fastai's show_install or
  torch.utils.collect_env), predates the GPU's architecture (knowledge.cuda.cuda_predates_compute_capability: CUDA 9.0 and a
  Turing card, first known to CUDA 10.0), beside a CUDA call that failed. An inference, low confidence: the build may still
  run the architecture's older machine code; what decides is named.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule


def _nvidia_named(subject: LogSubject) -> bool:
    """Whether anything in the log names an NVIDIA GPU or its driver (then the machine has one: not this module's reading)."""
    facts = subject.facts
    return (any(v.value == "nvidia" for v in facts.gpu_vendor) or bool(facts.gpu_model) or bool(facts.driver_cuda)
            or bool(facts.driver_version) or bool(facts.gpu_seen()) or bool(facts.compute_capability))


@rule(
    "LOG735", "log-slow-run-gpus-not-nvidia", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Reads the machine's GPUs the log names in prose or a hardware list (an AMD Radeon, Apple's M-series, Intel's integrated graphics) where no NVIDIA GPU, driver or CUDA device is named anywhere, beside the writer's words that the run is slow or takes very long (explain.slowsaid).",
        why="CUDA builds run only on NVIDIA GPUs: on a machine whose only GPUs are AMD's, Apple's or Intel's integrated graphics the framework trains on the CPU, which is why it is slow. An AMD or Apple GPU is a GPU the build cannot use (GPU_NOT_SUPPORTED); Intel's integrated graphics alone is a machine without a GPU for CUDA (NO_GPU, as LOG146 counts it).",
        example="It is running for more than 30 minutes on my MacBookPro with the following configuration. (2.3GHz, 8 Core, 16GB RAM 2400 MHz DDR4, Radeon Pro 560X 4GB, Intel UHD Graphics 630 1536 MB)\n(https://github.com/fastai/fastbook/issues/252)",
        fix="Run on a machine with an NVIDIA GPU (a cloud notebook with a GPU runtime), or use the GPU this machine has through its own backend: PyTorch's MPS device on Apple silicon, a ROCm build on an AMD GPU ROCm supports.",
        limits="Quiet where anything names an NVIDIA GPU, its driver or a CUDA device (an AMD CPU's onboard graphics beside an NVIDIA card is not a machine without one), where the GPU is shown at work, and where the run is not said to be slow.",
        references=("https://developer.nvidia.com/cuda-gpus", "https://pytorch.org/docs/stable/notes/mps.html",
                    "https://rocm.docs.amd.com/projects/install-on-linux/en/latest/reference/system-requirements.html"),
        causes=("GPU_NOT_SUPPORTED", "NO_GPU"),
    ),
)
def slow_run_gpus_not_nvidia(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.stated_slow_run or subject.gpu_in_use or _nvidia_named(subject):
        return
    from whygpu.explain.rules import _intel_integrated_only

    other = [s for s in facts.gpu_vendor if s.value in ("amd", "intel")] + [s for s in facts.stated_gpu_vendor if s.value == "apple"]
    if not other:
        return
    intel_only = bool(_intel_integrated_only(facts)) and not any(s.value == "apple" for s in facts.stated_gpu_vendor)
    maker = "Intel's integrated graphics" if intel_only else "AMD's" if other[0].value == "amd" else "Apple's" if other[0].value == "apple" else "Intel's"
    yield Hit(
        title=(f"The only GPU this machine names is {maker}, and no NVIDIA GPU: a CUDA build trains on the CPU, which is why the run is slow"
               if intel_only else f"The GPUs this machine names are {maker} (no NVIDIA GPU), which no CUDA build can use: the run is slow because it is on the CPU"),
        evidence=_ev(other[0], facts.stated_slow_run[0]),
        fix=("Run on a machine with an NVIDIA GPU (a cloud notebook with a GPU runtime); Intel's integrated graphics is no CUDA device."
             if intel_only else
             "Run on a machine with an NVIDIA GPU (a cloud notebook with a GPU runtime), or use this GPU through its own backend: PyTorch's "
             "MPS device on Apple silicon (torch.backends.mps.is_available()), a ROCm build on an AMD GPU ROCm supports. What decides it: "
             "`torch.cuda.is_available()` answers False here."),
        confidence=Confidence.MEDIUM,
        cause="NO_GPU" if intel_only else "GPU_NOT_SUPPORTED",
        blocks_gpu=True,
        extra={"read_from": "the GPUs the log names and the writer's words that the run is slow (explain.slowsaid)"},
    )


@rule(
    "LOG736", "log-build-cuda-predates-gpu", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Reads the build's CUDA from the framework's own report (torch.version.cuda as fastai's show_install or torch.utils.collect_env prints it) and the GPU the log shows, and asks the knowledge layer whether the CUDA predates the GPU's architecture (knowledge.cuda.cuda_predates_compute_capability over cuda.toml [[newest_cc]]: a Turing card, 7.5, is first known to CUDA 10.0), beside a CUDA call that failed.",
        why="A build made with a CUDA older than the GPU's architecture has no code compiled for it and CUDA libraries (cuBLAS, cuDNN) that predate it; a PyTorch 1.0 build for CUDA 9.0 on an RTX 2080 failed with 'cuda runtime error (11) : invalid argument' until a CUDA 10 build was installed.",
        example="torch cuda ver  : 9.0.176 ... - gpu0        : 7949MB | GeForce RTX 2080 ... RuntimeError: cuda runtime error (11) : invalid argument at THCGeneral.cpp:405\n(https://github.com/fastai/fastai/issues/1566)",
        fix="Install a build made with the first CUDA that knows the GPU or a later one (for a Turing card: CUDA 10.0 or newer).",
        limits="An inference: medium confidence for PyTorch's own report of its CUDA (its maintainers warn that Turing needs CUDA 10 builds), low for a CUDA the writer names (it may be a toolkit the framework does not load), ranked after what is shown. Speaks only beside a CUDA call that failed and where the GPU is of an architecture the build's CUDA knows the major of (a newer major is LOG231's and LOG542's); quiet where a signature already named a cause.",
        references=("https://docs.nvidia.com/cuda/archive/10.0/cuda-toolkit-release-notes/index.html",
                    "https://github.com/pytorch/pytorch/pull/21468"),
    ),
)
def build_cuda_predates_gpu(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.cuda_call_failed or subject.gpu_in_use:
        return
    from whygpu.explain.buildcudarules import _quiet

    if _quiet(subject):
        return
    from whygpu.explain.rules import _gpu_capability
    from whygpu.knowledge.cuda import cuda_max_compute_capability, cuda_predates_compute_capability

    found = _gpu_capability(facts)
    if found is None:
        return
    cc, seen_gpu = found
    said = _cuda_said(facts)
    shown = [(framework, seen, True) for framework, builds in facts.build_cuda.items() for seen in builds] or (
        [("torch" if facts.versions.get("torch") else "", said, False)] if said is not None else [])
    for framework, seen, own in shown:
        first = cuda_predates_compute_capability(seen.value, cc)
        newest = cuda_max_compute_capability(seen.value)
        if first is None or newest is None or newest.split(".")[0] != cc.split(".")[0]:
            continue  # knows the GPU, or a newer major than it knows (LOG231, LOG542)
        name = {"torch": "PyTorch", "": "framework"}.get(framework, framework)
        failed: Seen[str] = facts.cuda_call_failed[0]
        yield Hit(
            title=(f"The {name} build was made with CUDA {seen.value}, which predates this GPU (compute capability {cc}, first known to CUDA {first}), and a CUDA call failed"
                   if own else f"The CUDA this log names ({seen.value}) predates this GPU (compute capability {cc}, first known to CUDA {first}), and a CUDA call failed"),
            evidence=_ev(seen_gpu, seen, failed),
            fix=(f"Install a {name} build made with CUDA {first} or newer (`torch.version.cuda` shows the build's CUDA; for PyTorch, the "
                 f"install selector's CUDA {first} or later variant). What decides it: the same code under that build; CUDA {seen.value} "
                 f"compiles for compute capability up to {newest}, whose machine code a {cc} GPU may still run, so a failure that stays "
                 "is another cause."),
            # A maintainer of PyTorch added a warning for Turing GPUs under CUDA 9 builds, which fail there
            # (https://github.com/pytorch/pytorch/pull/21468): the framework's own report of its CUDA is medium; the
            # writer's CUDA in words (it may be a toolkit the framework does not load) is low.
            confidence=Confidence.MEDIUM if own and framework == "torch" else Confidence.LOW,
            cause="GPU_NOT_SUPPORTED",
            blocks_gpu=True,
            extra={"read_from": "the build's CUDA from the framework's report, against the first CUDA that knows the GPU (knowledge/cuda.toml [[newest_cc]])"},
        )
        return


def _cuda_said(facts: Any) -> Seen[str] | None:
    """The one CUDA release the log names installed or in the writer's words ("Pytorch 1.0.1 and cuda 9.0"), where it names
    exactly one; None otherwise (two releases: which one the framework loads decides)."""
    from whygpu.knowledge.cuda_versions import cuda_release

    driver_lines = {s.where for s in facts.driver_cuda}
    named = [s for s in (*facts.cuda_installed, *facts.found_stated.get("cuda", []))
             if s.value and s.value[0].isdigit() and s.where not in driver_lines]
    if len({cuda_release(s.value) for s in named}) != 1:
        return None
    return Seen(cuda_release(named[0].value), named[0].where, named[0].text)


ENVDUMP_RULES: list[Rule[LogSubject]] = [slow_run_gpus_not_nvidia, build_cuda_predates_gpu]
