"""Where the job that gave a driver-side answer ran (acccont, session 34): inside a container not given the GPU, or on a host.

One fact, ``driver_place``: the log puts the job inside a container (a launch, a container prompt or host name, an NVIDIA
image's banner, a compose file or pod spec, a container runtime or orchestrator the writer names: explain.rules'
``container_without_gpu``) with no launch of it with the GPU shown and no nvidia-smi failure shown on the host itself; or
on a host (no container shown or named, on Linux). The meaning of a missing or insufficient driver at each place is the
knowledge layer's one decision (``whygpu.knowledge.driver_reach.driver_answer_reading``); this module reads the place and
applies that decision to a signature's reading (``reach_ranked``, called by explain.infer) and to nvidia-smi found missing
(explain/contrules.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from whygpu import lazyre as re
from whygpu.knowledge.driver_reach import (
    DriverPlace,
    DriverReading,
    answer_of,
    driver_answer_reading,
)
from whygpu.model import Confidence

if TYPE_CHECKING:
    from whygpu.explain.logfacts import LogFacts

# Platforms whose driver library does not come from a Linux host's driver install (Windows' own driver, macOS without CUDA,
# WSL's library from the Windows driver, Colab's managed runtime): the host reading of a missing nvidia-smi is not theirs.
_NOT_LINUX_HOST = ("windows", "darwin", "wsl", "wsl1", "wsl2", "colab")

# The writer's words that the cluster's nodes advertise no nvidia.com/gpu: "sets `nvidia.com/gpu: 0` on the node", "pods
# don't get scheduled due to a lack of nvidia.com/gpu", "I see no GPUs available with `kubectl get nodes ...nvidia.com/gpu`".
# The resource is what the NVIDIA device plugin advertises (https://kubernetes.io/docs/tasks/manage-gpus/scheduling-gpus/);
# the scheduler's own "Insufficient nvidia.com/gpu" event (LOG-K8S-INSUFFICIENT-GPU, GPUs maybe taken) is not these words.
_K8S_RESOURCE = r"nvidia\\?\.com/gpu"
_K8S_NONE_SAID = re.compile(
    r"\black\s+of\s+" + _K8S_RESOURCE
    + r"|" + _K8S_RESOURCE + r"[`'\"]?\s*:\s*0\b[`'\"]?\s+(?:on|for|in)\s+(?:the|each|every|all|my|our)?\s*nodes?\b"
    + r"|\b(?:see|sees|shows?|lists?|reports?)\s+(?:no|0|zero)\s+(?:gpus?|graphics\s+cards?)\b[^.;!?]{0,40}\bnodes\b[^;!?\n]{0,160}" + _K8S_RESOURCE,
    re.I)


def k8s_none_said(line: str) -> str | None:
    """The writer's words that the nodes advertise no nvidia.com/gpu (see _K8S_NONE_SAID), asserted; None otherwise."""
    from whygpu.explain import grammar

    if "insufficient" in line.lower() or line.rstrip().endswith("?") or grammar.program_line(line):
        return None
    m = _K8S_NONE_SAID.search(line)
    if m is None or not grammar.said(line, m.start(), m.end(), quotes=False):
        return None
    return m.group(0)


# The CUDA release of an NVIDIA CUDA image's tag ("12.2.0-base-ubuntu20.04"): the runtime the container's program carries.
_IMAGE_CUDA = re.compile(r"^(\d{1,2}\.\d)")


def _any_container(facts: LogFacts) -> bool:
    """Whether the log shows or names any container, image, manifest or container runtime at all."""
    return bool(facts.in_container or facts.docker_run_with_gpus or facts.docker_run_without_gpus or facts.container_named
                or facts.manifest_with_gpus or facts.manifest_without_gpus or facts.gpu_image or facts.cuda_image
                or facts.serving_image or facts.container_stack or facts.stated_smi_in_container)


def driver_place(facts: LogFacts) -> DriverPlace:
    """Where the log puts the job, with the driver version and the runtime's CUDA it shows (see the module's docstring)."""
    from whygpu.explain.rules import container_without_gpu

    # accbroad39 (session 39): a container given the GPU with driver capabilities that leave out compute is, for its CUDA
    # driver library, a container not given the GPU, on any platform the toolkit serves (WSL2's Docker Desktop too): the
    # runtime mounts nvidia-smi and NVML, not libcuda (knowledge.driver_capabilities.compute_given).
    if (container_without_gpu(facts) or facts.capabilities_without_compute) and not facts.smi_no_driver_on_host():
        place = "container"
    elif not _any_container(facts) and not facts.cpu_machine and (facts.platform_name() or "linux") not in _NOT_LINUX_HOST:
        place = "host"
    else:
        place = ""
    shown = facts.driver_version or facts.driver_stated
    driver = shown[0].value if shown else None
    runtime = next((m.group(1) for s in facts.cuda_image if (m := _IMAGE_CUDA.match(s.value)) is not None), None)
    if runtime is None and facts.build_program:
        # accinfer (session 39): no image names the runtime's CUDA, but the program does: the newest CUDA any build of it
        # was made for (CTranslate2 4.x: 12 under faster-whisper); a driver that runs that runs whichever release is there.
        from whygpu.knowledge.programs import newest_build_cuda

        runtime = newest_build_cuda(facts.build_program[0].value)
    # The kernel module shown loaded (its /proc/driver/nvidia fields, a modinfo, nvidia-smi's table) is a driver shown too.
    from whygpu.explain.presence import machine_gpu

    return DriverPlace(place=place, driver=driver, runtime_cuda=runtime,
                       driver_loaded=bool(shown or facts.driver_module_shown or facts.driver_cuda),
                       gpu=machine_gpu(facts).gpu, gpu_last_branch=_gpu_last_branch(facts))


def _gpu_last_branch(facts: LogFacts) -> str | None:
    """The newest driver branch the GPU the log names can take (knowledge.gpus.model_last_driver_branch): one GPU named,
    or several that agree; None otherwise."""
    from whygpu.knowledge.gpus import gpu_in_text, model_last_driver_branch

    branches = {model_last_driver_branch(gpu_in_text(s.value)) for s in facts.gpu_model}
    return branches.pop() if len(branches) == 1 else None


def reading_for(where: DriverPlace | None, *, signature: str = "", status: str = "", fact: str = "") -> DriverReading | None:
    """The knowledge layer's reading of one driver-side answer (a signature id, a resolved status name, a fact) at ``where``."""
    if where is None:
        return None
    return driver_answer_reading(answer_of(signature=signature, status=status, fact=fact), where)


def reach_ranked(signature: str, status: str, cause: str, also: tuple[str, ...], confidence: Confidence,
                 where: DriverPlace | None) -> tuple[str, tuple[str, ...], Confidence]:
    """A driver-side signature's reading (its cause, alternatives and confidence) ranked by where the job ran; as it was
    where the place does not decide or the reading's causes are not the ones the line leaves open."""
    reading = reading_for(where, signature=signature, status=status)
    if reading is not None and (reading.ranking[0] in (cause, *also) or reading.opens) and cause != reading.ranking[0]:
        open_causes = (cause, *also, reading.ranking[0]) if reading.opens else (cause, *also)
        order = [c for c in reading.ranking if c in open_causes] + [c for c in open_causes if c not in reading.ranking]
        cause, also, confidence = order[0], tuple(order[1:]), Confidence(reading.confidence)
    return cause, also, confidence


def presence_ranked(cause: str, also: tuple[str, ...], confidence: Confidence,
                    where: DriverPlace | None) -> tuple[str, tuple[str, ...], Confidence]:
    """accnodriver (session 36): a reading that leaves NO_GPU open beside DRIVER_MISSING or CONTAINER_NO_GPU, ordered by the
    machine's NVIDIA GPU as the log shows it (knowledge.gpu_presence: absent, NO_GPU first; present, NO_GPU last of the
    three); as it was where the signs decide nothing."""
    from whygpu.knowledge.gpu_presence import presence_verdict_of, ranked_by_presence

    if where is None or where.gpu == "unknown":
        return cause, also, confidence
    verdict = presence_verdict_of(where.gpu)
    order = ranked_by_presence(verdict, (cause, *also))
    if order is None or (order[0] == cause and order[1:] == also):
        return cause, also, confidence
    if order[0] != cause and verdict.gpu == "absent":
        confidence = Confidence(verdict.confidence)
    return order[0], tuple(order[1:]), confidence


def presence_unknown_check(cause: str, also: tuple[str, ...], where: DriverPlace | None, own_check: str) -> str | None:
    """accnodriver (session 36): where a reading leaves NO_GPU open beside DRIVER_MISSING or CONTAINER_NO_GPU (one of the three
    first) and the signs decide nothing, the knowledge layer's check that would (``lspci | grep -i nvidia``, ``nvidia-smi``
    on the host, ``/proc/driver/nvidia/version``); None where they decide, the three are not open, or the reading's own
    check or fix already asks whether the machine has an NVIDIA GPU (names lspci)."""
    from whygpu.knowledge.gpu_presence import THREE, presence_verdict_of

    if where is None or where.gpu != "unknown" or cause not in THREE or "lspci" in own_check:
        return None
    if "NO_GPU" not in (cause, *also) or len({cause, *also} & set(THREE)) < 2:
        return None
    return "Whether the machine has an NVIDIA GPU decides between them: " + presence_verdict_of("unknown").decide
