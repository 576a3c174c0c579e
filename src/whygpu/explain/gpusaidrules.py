"""The log rules that judge the GPU a log names where the build that ran is not shown, or the build where the GPU is not
shown (accprose, session 35).

The GPU fact is the one every build reader takes (``explain.rules._gpu_capability``: a device line's, nvidia-smi's, or the
writer's in any form, ``explain.gpusaid``); which PyTorch release first runs on it is the knowledge layer's
(``knowledge.torch.torch_first_release_for_capability``, ``torch_releases_without_capability``). Where the GPU and the
release are both shown, LOG231 decides; these readings speak only where one of the two is missing, at low confidence, and
say what would decide.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

# The check that decides, for PyTorch: the release, its CUDA and the architectures its binary holds
# (https://pytorch.org/docs/stable/cuda.html#torch.cuda.get_arch_list), and the GPU's capability
# (https://docs.nvidia.com/deploy/nvidia-smi/index.html: compute_cap, driver 510 and newer).
_DECIDE_BUILD = "python -c \"import torch; print(torch.__version__, torch.version.cuda, torch.cuda.get_arch_list())\""
_DECIDE_GPU = "nvidia-smi --query-gpu=name,compute_cap --format=csv"


def _torch_named(subject: LogSubject) -> bool:
    facts = subject.facts
    return "torch" in facts.mentioned or bool(facts.distributions.get("torch")) or bool(facts.torch_index)


def _failing(subject: LogSubject) -> bool:
    """Whether the log shows the run failing on the GPU or not using it: a program's finding that blocks it, the framework's
    answer or the writer's words that the GPU went unused, or a line that no kernel runs on the device."""
    facts = subject.facts
    return not subject.gpu_in_use and (bool(facts.gpu_unused()) or bool(subject.blocking()) or bool(facts.no_kernel_said))


@rule(
    "LOG600", "log-gpu-named-build-not-shown", "GPU_NOT_SUPPORTED", Severity.WARNING,
    RuleDoc(
        what="Reads a GPU the log names (a device line, nvidia-smi's table, or the writer's own words in any form: 'my 5070ti machine', 'my 3090', 'on an H100 node', explain.gpusaid) that only later PyTorch releases run on (knowledge.torch: some tabled releases' architecture lists lack it, a later one has it), in a log that names PyTorch, shows the GPU failing or unused, and shows no PyTorch version: ranks GPU_NOT_SUPPORTED at low confidence with the first release and CUDA variant that runs the GPU and the check that decides.",
        why="An RTX 50 board (compute capability 12.0) runs only under PyTorch 2.7 or newer built for CUDA 12.8, an H100 (9.0) only from 2.0's CUDA 11.8 builds: any older build has no kernel for it. Without the installed release the log cannot say which; the release is one command away.",
        example="RuntimeError:\nCUDA error: no kernel image is available for execution on the device ... Would love to use my 5090.\n(https://github.com/nagadomi/nunif/issues/308)",
        fix="Print the installed build and its architectures: python -c \"import torch; print(torch.__version__, torch.version.cuda, torch.cuda.get_arch_list())\"; if the GPU's sm_XY is not listed, install the release and CUDA variant the finding names.",
        limits="Only PyTorch's official binaries; quiet where the log shows the PyTorch version (LOG231 judges), where the GPU runs under every tabled release (a GPU below a release's minimum is LOG110's), where the writer names GPUs of different capabilities, and where nothing shows the GPU failing or unused.",
        references=("https://github.com/pytorch/pytorch/blob/main/RELEASE.md#release-compatibility-matrix", "https://developer.nvidia.com/cuda-gpus"),
    ),
)
def gpu_named_build_not_shown(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if facts.versions.get("torch") or not _torch_named(subject) or not _failing(subject):
        return
    from whygpu.explain.rules import _gpu_capability, asked_about
    from whygpu.knowledge.torch import (
        torch_first_release_for_capability,
        torch_index_url,
        torch_releases_without_capability,
    )

    found = _gpu_capability(facts)
    if found is None:
        return
    cc, seen_gpu = found
    if not torch_releases_without_capability(cc) or asked_about(subject, seen_gpu):
        return
    first = torch_first_release_for_capability(cc)
    if first is None:
        return
    release, variant = first
    yield Hit(
        title=(f"The GPU the log names ({seen_gpu.value}, compute capability {cc}) runs only under PyTorch {release} or newer "
               f"built for CUDA {variant} or later; the log does not show which PyTorch build is installed"),
        evidence=_ev(seen_gpu),
        fix=(f"What decides: {_DECIDE_BUILD} (the list must hold sm_{cc.replace('.', '')}). If it does not, install PyTorch "
             f"{release} or newer for CUDA {variant} or later: pip install --upgrade torch --index-url {torch_index_url(variant)}"),
        confidence=Confidence.LOW,
        blocks_gpu=True,
        extra={"read_from": "the GPU the log names, judged by knowledge.torch.torch_first_release_for_capability"},
    )


@rule(
    "LOG601", "log-build-shown-gpu-not-named", "GPU_NOT_SUPPORTED", Severity.WARNING,
    RuleDoc(
        what="Reads a line that no kernel of the build runs on the device ('no kernel image is available for execution on the device', 'invalid device function') in a log that shows the PyTorch release but names no GPU and states no compute capability: says which GPUs that release's official binaries run on (knowledge.torch arch lists) and what decides.",
        why="The release's architecture list is known; the GPU's capability is the missing half, and nvidia-smi prints it.",
        example="PyTorch: 1.3.0+cu92 ... CUDA error: no kernel image is available for execution on the device (a log naming no GPU)",
        fix="What decides: nvidia-smi --query-gpu=name,compute_cap --format=csv against the build's list (python -c \"import torch; print(torch.cuda.get_arch_list())\"); a GPU outside it needs a release and CUDA variant that holds it.",
        limits="Only where the log names no GPU; quiet where a GPU or capability is shown (LOG231, LOG232 judge), where no line says no kernel runs, or where the release's list is not tabled.",
        references=("https://docs.nvidia.com/deploy/nvidia-smi/index.html", "https://github.com/pytorch/pytorch/blob/main/RELEASE.md#release-compatibility-matrix"),
    ),
)
def build_shown_gpu_not_named(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    versions = facts.versions.get("torch", [])
    if not versions or not facts.no_kernel_said or subject.gpu_in_use:
        return
    from whygpu.explain.rules import _gpu_capability
    from whygpu.knowledge.torch import torch_arch_list, torch_cuda_from_local_tag

    if _gpu_capability(facts) is not None or facts.gpu_model:
        return
    version = versions[0]
    cuda_seen = facts.build_cuda.get("torch", [])
    cuda = str(cuda_seen[0].value) if cuda_seen else (torch_cuda_from_local_tag(str(version.value)) if "+" in str(version.value) else None)
    archs = torch_arch_list(str(version.value), cuda) if cuda else None
    if not archs:
        return
    listed = " ".join(f"sm_{a.split('+')[0].replace('.', '')}" for a in archs)
    yield Hit(
        title=f"No kernel ran on the device; PyTorch {version.value}'s official binaries hold {listed} and the log does not name the GPU",
        evidence=_ev(facts.no_kernel_said[0], version),
        fix=(f"What decides: {_DECIDE_GPU}. A GPU whose compute capability is not in {listed} (nor above one of the same major) "
             f"needs another PyTorch release or CUDA variant; check the installed one with {_DECIDE_BUILD}"),
        confidence=Confidence.LOW,
        blocks_gpu=True,
        extra={"read_from": "the PyTorch release the log shows, its architecture list (knowledge.torch.torch_arch_list)"},
    )


GPUSAID_RULES: list[Rule[LogSubject]] = [gpu_named_build_not_shown, build_shown_gpu_not_named]
