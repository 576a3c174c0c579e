"""Rules about the GPU hardware itself: is there an NVIDIA GPU, and can the framework build run on it."""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.model import Confidence, Severity
from whygpu.rules import view
from whygpu.rules.fixes import gpu_machine_suggestion
from whygpu.rules.interface import Hit, Outcome, RuleDoc, Unknown, rule
from whygpu.snapshot import Snapshot


@rule(
    "HW001", "no-nvidia-gpu", "NO_GPU", Severity.ERROR,
    RuleDoc(
        what="Looks for an NVIDIA GPU (PCI vendor 0x10de) on the PCI bus, in the driver's report, and in the Azure VM size.",
        why="Without an NVIDIA GPU no CUDA build of any framework can use one; every other fix waits on this.",
        example="A Standard_D4s_v5 VM (no GPU); a laptop with only Intel graphics; an Azure ML CPU compute cluster.",
        fix="Move the work to a GPU machine: on Azure a GPU VM size such as Standard_NC4as_T4_v3 or Standard_NC24ads_A100_v4.",
        limits="A VM whose hypervisor hides the PCI bus is judged from the driver report or the VM size; with neither the rule says unknown. An NVIDIA Jetson's GPU is in its SoC, not on PCI: /etc/nv_tegra_release counts as its GPU. In a hosted CI runner's job (its variables: RUNNER_ENVIRONMENT=github-hosted, TRAVIS, a GitLab.com shared runner, a Microsoft-hosted agent; knowledge/machine_kinds.toml) the finding says so and names a GPU runner as the fix.",
        references=("https://learn.microsoft.com/azure/virtual-machines/sizes/overview#gpu-accelerated",),
    ),
)
def no_nvidia_gpu(snapshot: Snapshot) -> Iterator[Outcome]:
    presence = view.gpus(snapshot)
    evidence = list(presence.evidence)
    size = snapshot.cloud.vm_size
    size_row = None
    if isinstance(size, str):
        # Only on Azure: a machine elsewhere never loads the sizes table.
        from whygpu.knowledge.azure import azure_vm_size

        size_row = azure_vm_size(size)
    if size_row is not None:
        count = f"{size_row.gpu_count:g} x " if size_row.gpu_count is not None else ""
        evidence.append(f"Azure VM size {size_row.name}: " + (f"{count}{size_row.gpu_model}" if size_row.gpu else "no GPU"))
    if presence.present is False or (presence.present is None and size_row is not None and not size_row.gpu):
        if presence.other:
            return  # a non-NVIDIA GPU: HW002 says so
        if size_row is not None and size_row.gpu and size_row.gpu_vendor == "nvidia":
            # The size has a GPU but the guest does not see it: a driver/passthrough problem, not NO_GPU.
            return
        title, fix = "This machine has no NVIDIA GPU", gpu_machine_suggestion(snapshot)
        kind = snapshot.platform.machine_kind
        if isinstance(kind, str):
            # accci (session 33): a hosted CI runner (from its job variables) has no GPU unless a GPU runner is asked for.
            from whygpu.knowledge.machine_kinds import hosted_runner_advice

            advice = hosted_runner_advice(kind)
            if advice is not None:
                title, fix = advice
                evidence.append(f"CI job variables: {kind}")
        yield Hit(
            title=title,
            evidence=tuple(evidence),
            fix=fix,
        )
    elif presence.present is None:
        yield Unknown("; ".join(presence.evidence) or "no GPU facts could be read")


@rule(
    "HW002", "gpu-not-nvidia", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Finds GPUs that are not NVIDIA (AMD, Intel) when there is no NVIDIA GPU.",
        why="CUDA builds of TensorFlow, PyTorch and JAX run only on NVIDIA GPUs; an AMD Radeon Instinct (Azure NVv4) or Intel GPU is invisible to them.",
        example="Standard_NV8as_v4 (AMD Radeon Instinct MI25, vendor 0x1002).",
        fix="Use an NVIDIA GPU size, or a ROCm build of the framework for AMD GPUs that ROCm supports.",
        references=("https://learn.microsoft.com/azure/virtual-machines/nvv4-series",),
    ),
)
def gpu_not_nvidia(snapshot: Snapshot) -> Iterator[Outcome]:
    presence = view.gpus(snapshot)
    if presence.present or not presence.other:
        return
    size = snapshot.cloud.vm_size
    evidence = list(presence.evidence)
    if isinstance(size, str):
        evidence.append(f"Azure VM size {size}")
    names = ", ".join(f"{d.vendor.upper()} {d.model or d.device_id}" for d in presence.other)
    yield Hit(
        title=f"The only GPU here is not an NVIDIA GPU ({names})",
        evidence=tuple(evidence),
        fix=gpu_machine_suggestion(snapshot),
    )


@rule(
    "HW003", "compute-capability-unsupported", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Compares each GPU's compute capability with what each framework build contains: TensorFlow's minimum, PyTorch's arch list, and the architectures its CUDA major dropped.",
        why="A build without kernels (or PTX) for the GPU's architecture either refuses the GPU ('minimum required Cuda capability is 3.5') or fails with 'no kernel image is available for execution on the device'.",
        example="A Tesla K80 (compute capability 3.7) with TensorFlow 2.21 (CUDA 12, which dropped Kepler); an RTX 5090 (sm_120) with a torch build whose arch list stops at sm_90.",
        fix="Use a newer GPU (or VM size), or a framework build that still contains the architecture.",
        limits="PyTorch's arch list is read only when the build exposes it; otherwise the CUDA major's dropped architectures are used.",
        references=(
            "https://docs.nvidia.com/cuda/cuda-toolkit-release-notes/index.html",
            "https://www.tensorflow.org/install/pip#hardware_requirements",
        ),
    ),
)
def compute_capability_unsupported(snapshot: Snapshot) -> Iterator[Outcome]:
    gpus = view.compute_capabilities(snapshot)
    if not gpus:
        return
    for env, fw in view.gpu_frameworks(snapshot):
        for gpu_name, cc in gpus:
            reason = _cc_problem(fw.name, fw.version, fw.cuda_version, fw.compute_capabilities, cc)
            if reason is None:
                continue
            yield Hit(
                title=f"{fw.distribution} {fw.version} cannot run on the {gpu_name} (compute capability {cc})",
                evidence=(f"{gpu_name}: compute capability {cc}", reason, f"{fw.distribution} {fw.version} in {env.executable}"),
                fix=gpu_machine_suggestion(snapshot, min_cc=None) + "\nOr install an older framework build that still supports this GPU.",
                scope=fw.name,
            )


def _cc_problem(name: str, version: str, cuda: str | None, archs: list[str], cc: str) -> str | None:
    """Why this build cannot run on a GPU of compute capability ``cc`` (None: it can, perhaps through PTX JIT).

    The decision is ``knowledge.target.build_runs_on_gpu``, shared with preflight (TGT003).
    """
    from whygpu.knowledge.target import BuildSpec, build_runs_on_gpu

    fit = build_runs_on_gpu(BuildSpec(name, name, version, cuda, tuple(archs)), cc)
    return "; ".join(fit.reasons) if fit.runs is False else None


@rule(
    "HW004", "gpu-bound-to-other-driver", "DRIVER_MISSING", Severity.ERROR,
    RuleDoc(
        what="Checks which kernel driver the NVIDIA PCI device is bound to.",
        why="A GPU claimed by nouveau (the open-source driver) or vfio-pci (passthrough) cannot be used by the NVIDIA driver, so CUDA sees no device.",
        example="lspci -k shows 'Kernel driver in use: nouveau'.",
        fix="Blacklist nouveau and install the NVIDIA driver (e.g. `sudo ubuntu-drivers install`), then reboot.",
        references=("https://docs.nvidia.com/datacenter/tesla/driver-installation-guide/index.html",),
    ),
)
def gpu_bound_to_other_driver(snapshot: Snapshot) -> Iterator[Outcome]:
    for device in view.gpus(snapshot).nvidia:
        if device.kernel_driver and device.kernel_driver not in ("nvidia",):
            yield Hit(
                title=f"The NVIDIA GPU at {device.address} is held by the '{device.kernel_driver}' driver, not 'nvidia'",
                evidence=(f"/sys/bus/pci/devices/{device.address}/driver -> {device.kernel_driver}",),
                fix="Blacklist nouveau (or release the vfio binding) and install the NVIDIA driver, then reboot: "
                "`sudo ubuntu-drivers install` on Ubuntu.",
                confidence=Confidence.HIGH if device.kernel_driver == "nouveau" else Confidence.MEDIUM,
            )


RULES = [no_nvidia_gpu, gpu_not_nvidia, compute_capability_unsupported, gpu_bound_to_other_driver]
