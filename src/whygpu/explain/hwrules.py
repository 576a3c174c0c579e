"""The log rules that judge the hardware, driver and CUDA packages a log states (acchw, session 22).

What the log states is read by ``explain.hwstated``; what it means is the knowledge layer's one decision for each:
the machine's stated hardware by ``knowledge.gpus.stated_hardware_cause`` (causes.md's NO_GPU and GPU_NOT_SUPPORTED),
a driver against the GPU it must drive by ``knowledge.target.driver_supports_gpu`` (the doctor's and preflight's
decision), the CUDA packages of one environment by ``knowledge.cuda.cuda_packages_mixed``. Each rule speaks only where
the log shows the GPU unused or failing, and never where a line shows it in use.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu.explain.judge import LogSubject, log_cause_fix
from whygpu.explain.logfacts import LogFacts, Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule


def _unused_or_blocked(subject: LogSubject) -> bool:
    """The GPU shown unused or failing: a framework's or the writer's "no GPU", or a line that blocks it (a generic one too:
    a status code such as ONNX Runtime's "CUDA failure 35" says the GPU failed, whatever it leaves open)."""
    if subject.gpu_in_use:
        return False
    return bool(subject.facts.gpu_unused()) or any(
        f.blocks_gpu and f.alternative_to is None and f.severity is not Severity.INFO for f in (*subject.matched, *subject.doctor))


def _nvidia_gpu_shown(facts: LogFacts) -> list[Seen[Any]]:
    """Lines that show an NVIDIA GPU on the machine: its model, nvidia-smi's header (the driver's CUDA), a framework listing a GPU."""
    return [*facts.gpu_model, *facts.driver_cuda, *facts.gpu_seen(), *facts.compute_capability]


@rule(
    "LOG260", "log-machine-hardware-stated", "NO_GPU", Severity.ERROR,
    RuleDoc(
        what="Reads the machine's GPU as the report states it: no GPU at all (an issue template's checkbox under a question about the GPU, 'Are you using a GPU?' with '- [x] No. CPU'; a labelled field, 'GPU: none'; an environment list item, '- No GPU', '* CPU only'; the writer's sentence that the machine they ran on is CPU-only, 'running on one of our CPU only nodes', or an error said to come when running on CPU machines, 'it gives the following error when running on cpus'; a virtual machine the writer runs in said to have no access to the host's GPU or no passthrough; an `lspci | grep -i nvidia` the writer says returned nothing; the writer's sentence that their machine or run is without an NVIDIA GPU, 'on a laptop ... without an nvidia graphics card', 'when I run it without cuda and GPU', '我的电脑没有GPU'), or a GPU of another maker in a template's checkbox or field ('- [x] Intel', 'GPU: AMD Radeon', 'Graphics: Apple M2') or the writer's words ('I don't have an NVIDIA GPU, I have an AMD one', 'A卡', integrated graphics '集显'/'核显'); where the log shows the GPU unused or failing, or the writer says the run fails with an error. knowledge.gpus.stated_hardware_cause names the cause. The statement ranks above a failure line that presupposes an NVIDIA GPU (a status 35, 'Found no NVIDIA driver'): it explains that line.",
        why="A machine without an NVIDIA GPU has nothing for CUDA to use (causes.md: NO_GPU), and a GPU of another maker is one no CUDA build can use (GPU_NOT_SUPPORTED); every CUDA message on such a machine (no device, driver insufficient, cuInit failed) follows from that.",
        example="**Environment:**\n - OS: CentOS 7\n - No GPU\n...failed call to cuInit: UNKNOWN ERROR (303)\n(https://github.com/nanoporetech/medaka/issues/214)",
        fix="Run on a machine with an NVIDIA GPU (a GPU node, VM size or runtime), or run on the CPU on purpose and hide the GPU messages (CUDA_VISIBLE_DEVICES=\"\").",
        limits="Not read: a question ('do I need a GPU?', 'is there a way to run it without an NVIDIA card?'), a condition ('if you have no GPU'), advice, a plan ('I want to deploy it on a server without a GPU'), a past machine ('I had no GPU before'), a comparison or another machine ('on my laptop without a GPU it works, on the server ...'), a machine named beside an NVIDIA GPU in the same sentence, help text, a program's own 'No GPU found' line. Quiet where the log shows an NVIDIA GPU (its model, nvidia-smi's header, a framework listing it).",
        references=("https://developer.nvidia.com/cuda-gpus",),
        causes=("NO_GPU", "GPU_NOT_SUPPORTED"),
    ),
)
def no_gpu_stated(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    stated = [*facts.stated_no_gpu, *facts.stated_gpu_vendor]
    # The GPU unused or failing, or (accsaid, session 25) the writer's words that the run fails with an error: then the
    # statement is the report's problem ("I'm running into errors with cuda ... on a laptop without an NVIDIA card").
    if not stated or subject.gpu_in_use or not (_unused_or_blocked(subject) or facts.stated_trouble):
        return
    if _nvidia_gpu_shown(facts) or any(s.value == "nvidia" for s in facts.gpu_vendor):
        return
    if facts.stated_no_gpu and facts.stated_cpu_build:
        return  # a CPU-only build said installed beside a CPU machine: the build is named (LOG104 keeps it first)
    from whygpu.knowledge.gpus import stated_hardware_cause

    seen = stated[0]
    cause = stated_hardware_cause(seen.value)
    if cause is None or len({stated_hardware_cause(s.value) for s in stated}) > 1:
        return  # two answers (no GPU and an AMD GPU): two machines or a template misread, nothing decided
    maker = {"amd": "an AMD", "intel": "an Intel", "apple": "an Apple"}.get(seen.value, "another maker's")
    title = {"none": "The report states that this machine has no GPU: there is nothing for CUDA to use",
             "intel-integrated": "The report states that this machine's only GPU is Intel's integrated graphics: there is no NVIDIA GPU for CUDA",
             "integrated": "The report states that this machine's only GPU is the integrated graphics: there is no NVIDIA GPU for CUDA"}
    yield Hit(
        title=title.get(seen.value, f"The report states that this machine's GPU is {maker} GPU, which CUDA builds cannot use"),
        evidence=(*_ev(seen, *facts.gpu_unused()[:1]), *(f.evidence[0] for f in subject.blocking()[:1] if f.evidence)),
        fix=log_cause_fix(cause, subject),
        confidence=Confidence.HIGH,
        cause=cause,
        blocks_gpu=True,
        extra={"read_from": "the machine's hardware as the report states it (explain.hwstated), judged by knowledge.gpus.stated_hardware_cause"},
    )


def _drivers(facts: LogFacts) -> list[Seen[str]]:
    """Every driver version the log shows: stated by the writer or modinfo, nvidia-smi's, libcuda's and the kernel module's."""
    from whygpu.knowledge.cuda_versions import is_driver_version

    return [s for s in (*facts.driver_stated, *facts.driver_version, *facts.driver_kernel_version, *facts.driver_library_version)
            if is_driver_version(s.value)]


def driver_below_gpu(facts: LogFacts) -> tuple[Seen[str], Seen[Any], str, str] | None:
    """(the driver, the GPU's line, its compute capability, why) where a driver the log shows is older than the GPU it names
    (knowledge.target.driver_supports_gpu), else None. LOG261 judges with it; the collector tags the log with it
    (``driver_older_than_gpu``), so that nvidia-smi's "couldn't communicate" is read as that driver's, not a missing one."""
    drivers = _drivers(facts)
    if not drivers:
        return None
    from whygpu.explain.rules import _gpu_capability
    from whygpu.knowledge.target import driver_supports_gpu

    found = _gpu_capability(facts)
    if found is None:
        return None
    cc, seen_gpu = found
    for driver in drivers:
        # The architecture is left out: only the driver's floor for the GPU is judged here (a driver past the
        # architecture's last branch is another fault).
        supported, why = driver_supports_gpu(driver.value, None, cc)
        if supported is False:
            return driver, seen_gpu, cc, why
    return None


@rule(
    "LOG261", "log-driver-older-than-gpu", "DRIVER_TOO_OLD", Severity.ERROR,
    RuleDoc(
        what="Judges the driver version the log shows (nvidia-smi, modinfo, libcuda's or the kernel module's, or the writer's 'driver version 450.142.00') against the GPU the log names (its model via knowledge/gpus.toml, or its compute capability): a driver older than the first CUDA release that knows the GPU cannot drive it (knowledge.target.driver_supports_gpu).",
        why="Each GPU generation needs a driver at least as new as the CUDA release that introduced its compute capability (an A10, compute capability 8.6, needs CUDA 11.1's driver 455.23 or newer); an older driver does not see the GPU at all, and nvidia-smi cannot talk to it.",
        example="The reason is the GPU driver version `450.142.00` is too old for A10\nNVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n(https://github.com/skypilot-org/skypilot/issues/568)",
        fix="Install a driver branch that supports the GPU (at least the minimum the finding names; the current production branch for the GPU from https://www.nvidia.com/Download/index.aspx), then reboot.",
        limits="Only a GPU the table knows by name or a compute capability stated; a driver newer than the GPU's last branch (a Kepler card under R535) is not judged here. Speaks only where the log shows the GPU unused or failing.",
        references=("https://docs.nvidia.com/cuda/cuda-toolkit-release-notes/index.html#id5", "https://developer.nvidia.com/cuda-gpus"),
    ),
)
def driver_older_than_gpu(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not _unused_or_blocked(subject) or (found := driver_below_gpu(facts)) is None:
        return
    driver, seen_gpu, cc, why = found
    yield Hit(
        title=f"The NVIDIA driver {driver.value} is older than this GPU (compute capability {cc}): {why}",
        evidence=_ev(driver, seen_gpu, *facts.driver_said_too_old[:1]),
        fix=log_cause_fix("DRIVER_TOO_OLD", subject),
        confidence=Confidence.HIGH,
        blocks_gpu=True,
        extra={"read_from": "the driver version and the GPU the log shows, judged by knowledge.target.driver_supports_gpu"},
    )


@rule(
    "LOG262", "log-driver-said-too-old", "DRIVER_TOO_OLD", Severity.ERROR,
    RuleDoc(
        what="Reads the writer's words that the NVIDIA driver is too old ('the driver is too old for the A10', 'my NVIDIA driver is outdated', 'an outdated GPU driver'), or a program's message retold in their words ('it prompts that the driver version is too low', 'Pytorch tells me my driver is too old'), asserted of now, where the log shows the GPU unused or failing (a retold message is the program failing).",
        why="The reporter who found the driver too old has usually compared it with what the GPU or the CUDA build needs; the messages a too-old driver causes (nvidia-smi failing, 'CUDA driver version is insufficient') each have other readings.",
        example="The reason is the GPU driver version `450.142.00` is too old for A10\n(https://github.com/skypilot-org/skypilot/issues/568)",
        fix="Install a newer NVIDIA driver (the branch the GPU and the framework's CUDA need), then reboot.",
        limits="Not read: a question ('is my driver too old?'), a condition ('if your driver is too old'), advice, a problem now fixed ('the driver was too old; updated and it works now'), code.",
        references=("https://docs.nvidia.com/deploy/cuda-compatibility/",),
    ),
)
def driver_said_too_old(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    # accbusy (session 26): or any error the log shows (a cuDNN handle that could not be created reads as GPU_BUSY, which
    # does not block the GPU, yet the program failed there): the writer's finding names why.
    failed = any(f.severity is Severity.ERROR and f.alternative_to is None for f in subject.matched)
    if not facts.driver_said_too_old or subject.gpu_in_use or not (failed or _unused_or_blocked(subject) or facts.retold_failure):
        return
    seen = facts.driver_said_too_old[0]
    yield Hit(
        title=f"The report says the NVIDIA driver is too old ('{seen.value}')",
        evidence=_ev(seen, *_drivers(facts)[:1]),
        fix=log_cause_fix("DRIVER_TOO_OLD", subject),
        confidence=Confidence.MEDIUM,
        blocks_gpu=True,
        extra={"read_from": "the writer's words (explain.hwstated)"},
    )


@rule(
    "LOG263", "log-two-cuda-majors-listed", "CUDA_LIBS_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Reads one environment's package listing (conda list, pip list, pip freeze, mamba's table) that holds CUDA packages of two majors side by side (conda's cudatoolkit 11.8 with NVIDIA's cuda-nvcc 12.4, the cuda-version 11.8 pin with a CUDA 12 package, pip's nvidia-*-cu11 with nvidia-*-cu12): knowledge.cuda.cuda_packages_mixed, from knowledge/cuda.toml's [[cuda_package]] rows.",
        why="A framework's build loads the CUDA libraries of one major; a second major's beside them is another version than one of the programs needs, and which one the loader or the compiler (ptxas, nvcc) picks decides what fails: 'no kernel image is available', PTX too new, undefined symbols.",
        example="cuda-nvcc                 12.4.131                      0    nvidia\ncudatoolkit               11.8.0              h09e9e62_13    conda-forge\n...no kernel image is available for execution on the device\n(https://github.com/dattalab/keypoint-moseq/issues/161)",
        fix="Install every CUDA package of the environment from one release: pin them together (conda: `conda install cuda-version=11.8 cuda-nvcc=11.8 cudatoolkit=11.8`; pip: the nvidia-*-cuNN wheels of the framework's CUDA major only, removing the others).",
        limits="Only rows of a listing (a table row or name==version), read as one listing where they stand within 40 lines; an install command or a requirement is not read. Speaks only where the log shows the GPU unused or failing.",
        references=("https://docs.nvidia.com/cuda/cuda-installation-guide-linux/index.html#conda-installation", "https://docs.nvidia.com/cuda/cuda-installation-guide-linux/index.html#pip-wheels"),
    ),
)
def two_cuda_majors_listed(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.cuda_packages_mixed or not _unused_or_blocked(subject):
        return
    seen = facts.cuda_packages_mixed[0]
    yield Hit(
        title=f"One environment holds the CUDA packages of two majors: {seen.value}",
        evidence=_ev(seen),
        fix=log_cause_fix("CUDA_LIBS_MISMATCH", subject),
        confidence=Confidence.HIGH,
        blocks_gpu=True,
        extra={"read_from": "the package listing (explain.hwstated), judged by knowledge.cuda.cuda_packages_mixed"},
    )


HW_RULES: list[Rule[LogSubject]] = [no_gpu_stated, driver_older_than_gpu, driver_said_too_old, two_cuda_majors_listed]
