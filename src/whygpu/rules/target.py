"""Preflight rules (TGT): would the environment's framework builds use the GPU of the target compute (``doctor --target``).

They judge a :class:`Preflight` (the snapshot of the environment plus the target) through the
decisions in ``whygpu.knowledge.target``. Which doctor rules still apply under ``--target`` is
declared here too: facts of the inspecting machine (its GPU, driver, NVML, whether its container
was given a GPU) do not carry over to the target; facts of the environment (framework builds,
CUDA libraries, variables set in the image) do.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.knowledge.azure import azure_gpu_sizes
from whygpu.knowledge.target import (
    BuildSpec,
    Target,
    build_archs,
    build_runs_on_compute_capability,
    current_equivalent,
    judge_build_on_target,
)
from whygpu.knowledge.torch import torch_index_url, torch_release
from whygpu.model import Confidence, Severity
from whygpu.records import record
from whygpu.rules.interface import Hit, Outcome, RuleDoc, Unknown, rule
from whygpu.snapshot import FrameworkBuild, PythonEnv, Snapshot

# Doctor rules that judge the inspecting machine itself: skipped under --target (a CI machine
# without a GPU is expected). Every other doctor rule judges the environment and still runs.
MACHINE_RULES = frozenset({
    "HW001", "HW002", "HW003", "HW004",  # this machine's GPUs (the target's are judged by TGT)
    "DRV001", "DRV002", "DRV003",  # this machine's driver
    "CTR001",  # whether this container was given this machine's GPU
    "BUSY001", "BUSY002", "FAULT001",  # the state of this machine's GPUs
})
# Doctor rules that judge the environment and carry over to the target unchanged.
ENVIRONMENT_RULES = frozenset({
    "CTR002", "CUDA001", "CUDA002", "CUDA003", "CUDA004", "DNN001", "DNN002", "DNN003",
    "FW001", "FW002", "FW003", "FW004", "FW005", "FW006", "FW007", "ENV001", "ENV002", "ENV003",
})


@record(frozen=True)
class Preflight:
    """What the TGT rules judge: the environment's snapshot and the target it will run on."""

    snapshot: Snapshot
    target: Target


def is_rocm_build(fw: FrameworkBuild) -> bool:
    """True for an AMD ROCm build (torch ``+rocm6.x``, tensorflow-rocm): no CUDA, but it uses AMD GPUs."""
    return ("rocm" in fw.version.lower() or "rocm" in fw.distribution.lower()
            or any("rocm" in p.name for p in fw.cuda_packages) or any("ROCm" in e for e in fw.evidence))


def build_spec(fw: FrameworkBuild) -> BuildSpec:
    """A framework build read from files, as the knowledge layer's ``BuildSpec``."""
    return BuildSpec(fw.name, fw.distribution, fw.version, fw.cuda_version, tuple(fw.compute_capabilities), is_rocm_build(fw))


def gpu_builds(snapshot: Snapshot) -> list[tuple[PythonEnv, FrameworkBuild]]:
    """Framework builds that could use a GPU (a CPU build is FW001's case, judged anyway)."""
    return [(env, fw) for env, fw in snapshot.frameworks() if fw.gpu_build is not False]


def _sizes_for(cc: str | None) -> str:
    sizes = azure_gpu_sizes(min_compute_capability=cc)
    return ", ".join(s.name for s in sizes[:3])


def _fitting_sizes(fw: FrameworkBuild, exclude: str) -> list[str]:
    """Current Azure GPU sizes on which this build would run (judged by the same decision), fewest GPUs first."""
    from whygpu.knowledge.target import parse_target

    spec = build_spec(fw)
    fits = []
    for size in azure_gpu_sizes():
        if size.name == exclude or (size.gpu_count or 0) < 1:
            continue
        if not any(p.blocks for p in judge_build_on_target(parse_target(size.name), spec)):
            fits.append(size)
    fits.sort(key=lambda s: (s.gpu_count or 0.0, len(s.name), s.name))
    return [s.name for s in fits[:3]]


def _fix_for_gpu(subject: Preflight, env: PythonEnv, fw: FrameworkBuild) -> str:
    """A build that runs on the target's GPU, where the tables know one; else sizes whose GPU the build runs on."""
    target = subject.target
    cc = target.compute_capability
    lines = []
    if fw.name == "torch" and cc:
        version = fw.version.split("+", 1)[0]
        release = torch_release(version)
        for cuda in (release.cuda_variants if release else []):
            archs = build_archs(BuildSpec("torch", "torch", version, cuda))
            if build_runs_on_compute_capability(archs, cc).runs:
                lines.append(f"Install a torch build that contains the {target.model}'s architecture: "
                             f"{env.executable} -m pip install --force-reinstall torch=={version} --index-url {torch_index_url(cuda)}")
                break
    sizes = _fitting_sizes(fw, target.name)
    lead = "Or target" if lines else "Target"
    lines.append(f"{lead} a GPU that {fw.distribution} {fw.version} runs on" + (f", e.g. {', '.join(sizes)}." if sizes else "."))
    return "\n".join(lines)


@rule(
    "TGT001", "target-has-no-gpu", "NO_GPU", Severity.ERROR,
    RuleDoc(
        what="Under --target, checks that the target (an Azure VM size) has a GPU at all.",
        why="A CPU size (D, E, F, B, ... families) or an FPGA size gives every framework only the CPU, however the image is built.",
        example="whygpu doctor --target Standard_D4s_v5 --root ./image",
        fix="Target a GPU size, e.g. Standard_NC4as_T4_v3 or Standard_NC24ads_A100_v4 (in Azure ML: a compute cluster of that size).",
        limits="CPU families are recognised by their name pattern; a size whygpu does not know is refused as bad input.",
        references=("https://learn.microsoft.com/azure/virtual-machines/sizes/overview#gpu-accelerated",),
    ),
)
def target_has_no_gpu(subject: Preflight) -> Iterator[Outcome]:
    target = subject.target
    if target.has_gpu:
        return
    yield Hit(
        title=f"The target {target.name} has no GPU",
        evidence=(f"target {target.describe()}",),
        fix=f"Target a GPU size, e.g. {_sizes_for(None)}.",
    )


@rule(
    "TGT002", "target-gpu-not-nvidia", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Under --target, checks the target GPU's vendor against the CUDA builds in the environment.",
        why="CUDA builds of TensorFlow, PyTorch and JAX run only on NVIDIA GPUs; an AMD Instinct MI300X (ND MI300X v5) or Radeon (NVv4, NGads V620) is invisible to them.",
        example="A torch +cu128 image sent to Standard_ND96isr_MI300X_v5.",
        fix="Install a ROCm build (torch from https://download.pytorch.org/whl/rocm6.x, tensorflow-rocm) for an AMD target, or target an NVIDIA size.",
        limits="A ROCm build is recognised by its version tag (+rocm); whether ROCm supports the exact AMD GPU is not judged.",
        references=("https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/ndmi300xv5-series",),
    ),
)
def target_gpu_not_nvidia(subject: Preflight) -> Iterator[Outcome]:
    target = subject.target
    if not target.has_gpu or target.cuda_capable:
        return
    builds = gpu_builds(subject.snapshot)
    if any(is_rocm_build(fw) for _env, fw in subject.snapshot.frameworks()):
        builds = [(env, fw) for env, fw in builds if not is_rocm_build(fw)]
        if not builds:
            return  # a ROCm build for an AMD target: what CUDA rules cannot judge, they do not blame
    if not builds:
        yield Hit(
            title=f"The {target.model} on {target.name} is not an NVIDIA GPU; CUDA frameworks cannot use it",
            evidence=(f"target {target.describe()}", "no GPU build of TensorFlow, PyTorch or JAX in the environment"),
            fix="Use ROCm builds of the framework, or target an NVIDIA size such as " + _sizes_for(None) + ".",
        )
        return
    for env, fw in builds:
        for problem in judge_build_on_target(target, build_spec(fw)):
            if problem.kind == "not-nvidia":
                yield Hit(title=problem.title, evidence=(*problem.evidence, f"in {env.executable}"),
                          fix=f"Install a ROCm build of {fw.name} for the {target.model}, or target an NVIDIA size such as {_sizes_for(None)}.",
                          scope=fw.name)


@rule(
    "TGT003", "target-compute-capability-unsupported", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Under --target, judges the target GPU's compute capability against each build: TensorFlow's minimum, the CUDA major's dropped GPUs, and the build's architecture list with PTX forward compatibility.",
        why="A build without kernels for the GPU (same major, binary compatible) and without older PTX to JIT-compile refuses it: 'minimum required Cuda capability', 'no kernel image is available for execution on the device'. A build that only has older PTX starts slowly (info).",
        example="TensorFlow 2.21 (CUDA 12.5, minimum 6.0) on Standard_NC6 (K80, 3.7); torch 2.13 +cu130 (7.5 and newer) on a V100 (7.0).",
        fix="Target a newer GPU, or install a build that contains the GPU's architecture (for torch on Volta: the cu126 wheels).",
        limits="When the build's list was not read from its files, the official wheels' list from the knowledge tables is used. A GPU name sold on chips of several compute capabilities (GeForce GT 630: 2.1, 3.0, 3.5) is judged once per chip: an error when every chip is refused, a warning naming the chips and how to tell them apart when only some are.",
        references=(
            "https://docs.nvidia.com/cuda/cuda-c-programming-guide/index.html#binary-compatibility",
            "https://docs.nvidia.com/cuda/cuda-toolkit-release-notes/index.html",
        ),
    ),
)
def target_compute_capability(subject: Preflight) -> Iterator[Outcome]:
    target = subject.target
    if not target.cuda_capable:
        return
    if not target.compute_capability and not target.compute_capabilities:
        yield Unknown(f"the compute capability of {target.name}'s GPU is not known")
        return
    for env, fw in gpu_builds(subject.snapshot):
        for problem in judge_build_on_target(target, build_spec(fw)):
            if problem.kind == "compute-capability":
                # Not blocking: the name was sold on several chips and only some are refused.
                yield Hit(title=problem.title, evidence=(f"target {target.describe()}", *problem.evidence),
                          fix=_fix_for_gpu(subject, env, fw), scope=fw.name,
                          severity=None if problem.blocks else Severity.WARNING,
                          confidence=Confidence.HIGH if problem.blocks else Confidence.MEDIUM)
            elif problem.kind == "ptx-jit":
                yield Hit(title=problem.title, evidence=(f"target {target.describe()}", *problem.evidence),
                          fix="Nothing blocks the GPU; a build with kernels for this GPU starts faster.",
                          severity=Severity.INFO, confidence=Confidence.MEDIUM, scope=fw.name)


@rule(
    "TGT004", "target-driver-too-old", "DRIVER_TOO_OLD", Severity.ERROR,
    RuleDoc(
        what="Under --target, judges the driver the target brings (given with driver=, the HPC image's with image=, stated for the size by Azure's pages, or the newest that supports the GPU) against the CUDA each build needs, with CUDA minor-version compatibility.",
        why="A driver older than the build's CUDA fails with 'CUDA driver version is insufficient for CUDA runtime version'; a K80 can never have a driver newer than R470 (CUDA 11.4), an Azure vGPU size only the GRID driver Azure ships.",
        example="whygpu doctor --target A100,driver=470 --from snap.json for a TensorFlow 2.21 (CUDA 12.5) image.",
        fix="Upgrade the target's driver to the version named (or ask for a node image that has it), or install a build for an older CUDA.",
        limits="Where the size's driver is not known, the newest that supports the GPU is assumed and said so; then only a GPU's last driver branch can make this rule fire.",
        references=("https://docs.nvidia.com/deploy/cuda-compatibility/minor-version-compatibility.html",
                    "https://learn.microsoft.com/azure/virtual-machines/linux/n-series-driver-setup"),
    ),
)
def target_driver_too_old(subject: Preflight) -> Iterator[Outcome]:
    target = subject.target
    if not target.cuda_capable:
        return
    for _env, fw in gpu_builds(subject.snapshot):
        for problem in judge_build_on_target(target, build_spec(fw)):
            if problem.kind == "driver-unknown":
                yield Unknown(f"{problem.title} ({problem.evidence[0]}); give --target {target.name},driver=VERSION to judge it")
            elif problem.kind == "driver-too-old":
                basis = target.driver.basis
                if basis == "newest" and target.compute_capabilities:
                    # A name sold on several chips: each chip was judged with its own last branch.
                    fix, basis = "Use a build for an older CUDA that the GPU's last driver runs, or a newer GPU.", "architecture"
                elif basis in ("azure", "architecture"):
                    fix = f"Use a build for an older CUDA that driver {target.driver.version} runs, or a newer GPU size."
                else:
                    fix = "Upgrade the target's NVIDIA driver to the version named, or install a build for an older CUDA."
                if not problem.blocks:  # only some of the chips sold under the name
                    yield Hit(title=problem.title, evidence=(f"target {target.describe()}", *problem.evidence), fix=fix,
                              severity=Severity.WARNING, confidence=Confidence.MEDIUM, scope=fw.name)
                    continue
                yield Hit(title=problem.title, evidence=(f"target {target.describe()}", *problem.evidence), fix=fix,
                          confidence=Confidence.HIGH if basis in ("given", "architecture") else Confidence.MEDIUM,
                          scope=fw.name)


@rule(
    "TGT005", "target-driver-does-not-support-gpu", "DRIVER_MISSING", Severity.ERROR,
    RuleDoc(
        what="Under --target with driver=VERSION or image=NAME, checks that the driver can drive the GPU at all: not past the architecture's last branch, not older than the first CUDA that knew the GPU, and not a datacenter driver on a vGPU size.",
        why="A driver branch that dropped the GPU (R535 on a K80) or predates it (R440 on an A100) does not load for it: no GPU for any framework.",
        example="whygpu doctor --target K80,driver=535; --target Standard_NV6ads_A10_v5,image=ubuntu-hpc-2404",
        fix="Use a driver of a branch that supports the GPU (R470 for Kepler; a recent branch for new GPUs).",
        references=("https://forums.developer.nvidia.com/t/unix-graphics-feature-deprecation-schedule/60588",),
    ),
)
def target_driver_does_not_support_gpu(subject: Preflight) -> Iterator[Outcome]:
    from whygpu.knowledge.target import driver_supports_gpu

    target = subject.target
    driver = target.driver
    if not target.cuda_capable or driver.basis not in ("given", "image") or driver.version is None:
        return
    if driver.basis == "image" and driver.kind == "cuda" and target.size is not None and target.size.driver == "grid":
        yield Hit(title=f"{target.name} is a vGPU size: the image's datacenter driver {driver.version} does not work there, only Azure's GRID driver",
                  evidence=(f"target {target.describe()}", driver.note, f"{target.size.series}: GRID driver only"),
                  fix="Use an image with the Azure GRID driver for NV sizes (the NVIDIA GPU Driver Extension installs it), or a non-vGPU NC size for this image.")
        return
    supported, why = driver_supports_gpu(driver.version, target.architecture, target.compute_capability)
    if supported is False:
        yield Hit(title=f"Driver {driver.version} cannot drive the {target.model}", evidence=(f"target {target.describe()}", why),
                  fix="Use a driver branch that supports this GPU.")


@rule(
    "TGT006", "target-size-retired", "NO_GPU", Severity.ERROR,
    RuleDoc(
        what="Under --target, checks the Azure size's lifecycle: retired sizes can no longer be created (warning for sizes whose retirement is announced).",
        why="A job or cluster of a retired size never gets a machine, so the GPU is never there; CI should fail before the job is submitted.",
        example="whygpu doctor --target Standard_NC6s_v3 (NCv3, retired 2025-09-30).",
        fix="Move to the current equivalent (Microsoft's recommendation where it names one, e.g. NC A100 v4 for NCv3).",
        limits="Lifecycle data is as of the knowledge tables' sources; a size retired since is not known as retired.",
        references=("https://learn.microsoft.com/azure/virtual-machines/sizes/retirement/retired-sizes-list",),
    ),
)
def target_size_retired(subject: Preflight) -> Iterator[Outcome]:
    target = subject.target
    if target.status not in ("retired", "retiring"):
        return
    equivalent = current_equivalent(target)
    evidence = [f"target {target.describe()}", f"{target.name}: {target.status} ({target.source})"]
    fix = "Move to a current GPU size."
    if equivalent is not None:
        evidence.append(f"current equivalent: {equivalent[0]}, {equivalent[1]}")
        fix = f"Move to {equivalent[0]} (resize the VM, or create the Azure ML compute with --size {equivalent[0]})."
    retired = target.status == "retired"
    yield Hit(
        title=f"{target.name} is {'retired: it can no longer be created' if retired else 'retiring: its retirement is announced'}",
        evidence=tuple(evidence), fix=fix, severity=Severity.ERROR if retired else Severity.WARNING,
    )


@rule(
    "TGT007", "target-fractional-gpu", "DRIVER_MISSING", Severity.INFO,
    RuleDoc(
        what="Under --target, notes a size that gives a share of one GPU (vGPU / MxGPU) and its driver limits.",
        why="Fractional NVIDIA sizes work only with the GRID driver Azure ships (a datacenter driver leaves the GPU unusable), which bounds the CUDA a build may need, and give only a share of the GPU's memory.",
        example="whygpu doctor --target Standard_NV6ads_A10_v5 (1/6 of an A10, 4 GB).",
        fix="Install the Azure GRID driver (the NVIDIA GPU Driver Extension does on NV sizes); for training, a whole-GPU NC size.",
        limits="Which CUDA features a vGPU profile lacks (e.g. unified memory on fractional profiles) is not judged.",
        references=("https://learn.microsoft.com/azure/virtual-machines/linux/n-series-driver-setup",),
    ),
)
def target_fractional_gpu(subject: Preflight) -> Iterator[Outcome]:
    target = subject.target
    if not (target.has_gpu and target.fractional):
        return
    driver = target.driver
    evidence = [f"target {target.describe()}"]
    if driver.kind == "grid":
        evidence.append(driver.note if driver.version else "needs the Azure GRID (vGPU) driver")
    yield Hit(
        title=f"{target.name} gives {target.gpu_label()} through {'vGPU' if target.vendor == 'nvidia' else 'MxGPU'}"
        + ("; only the Azure GRID driver works there" if driver.kind == "grid" else ""),
        evidence=tuple(evidence),
        fix="Keep the GRID driver Azure installs (NVIDIA GPU Driver Extension); use a whole-GPU NC size for training.",
        confidence=Confidence.MEDIUM,
    )


@rule(
    "TGT008", "target-cpu-architecture-differs", "FRAMEWORK_INSTALL_BROKEN", Severity.ERROR,
    RuleDoc(
        what="Under --target, compares the environment's CPU architecture (read from its binaries) with the target size's host CPU.",
        why="Framework wheels and the CUDA libraries are compiled per architecture: an x86_64 image does not start on the Grace (aarch64) hosts of ND GB200 v6 / GB300 v6 ('exec format error'), and pip installed wheels for the wrong machine.",
        example="An x86_64 training image sent to Standard_ND128isr_NDR_GB200_v6.",
        fix="Build the image for linux/arm64 (docker buildx build --platform linux/arm64), installing the aarch64 CUDA wheels of the framework.",
        limits="Only sizes whose host CPU is in the size table are judged; a GPU model alone says nothing about the host.",
        references=("https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/nd-gb200-v6-series",),
    ),
)
def target_cpu_architecture_differs(subject: Preflight) -> Iterator[Outcome]:
    from whygpu.knowledge.target import cpu_architecture, image_runs_on_cpu

    target = subject.target
    machine = subject.snapshot.platform.machine
    if image_runs_on_cpu(machine, target.cpu_arch) is not False:
        return
    assert target.cpu_arch is not None
    yield Hit(
        title=f"The environment is built for {cpu_architecture(machine)}; {target.name} has {target.cpu_arch} CPUs",
        evidence=(f"target {target.describe()}: host CPU {target.cpu_arch}", f"environment: {machine} binaries ({subject.snapshot.source.mode} {subject.snapshot.source.root})"),
        fix=f"Build the environment for {target.cpu_arch}: docker buildx build --platform linux/{'arm64' if target.cpu_arch == 'aarch64' else 'amd64'} ...",
    )


@rule(
    "TGT009", "image-carries-driver-library", "DRIVER_MISMATCH", Severity.WARNING,
    RuleDoc(
        what="Under --target, for an image (--root, or a snapshot taken inside a container), looks for the driver's own library (libcuda.so.<version>) baked into the image rather than mounted from the host, and compares it with the target's driver.",
        why="At run time the NVIDIA container runtime mounts the host's libcuda beside the image's and ldconfig picks the higher version: a baked-in copy newer than the host's kernel module fails with 'system has unsupported display driver / cuda driver combination' (error 803).",
        example="A Dockerfile that ran `apt-get install cuda-drivers` (or nvidia-driver-550), sent to a host with driver 535.",
        fix="Do not install the NVIDIA driver in the image (install cuda-toolkit or the framework's CUDA wheels, never cuda-drivers / nvidia-driver-*); the container runtime brings the host's.",
        limits="The CUDA forward-compatibility package (/usr/local/cuda-X/compat) and the toolkit's stubs are left alone; with the target's driver unknown the rule says unknown.",
        references=("https://docs.nvidia.com/deploy/cuda-compatibility/",
                    "https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/index.html"),
    ),
)
def image_carries_driver_library(subject: Preflight) -> Iterator[Outcome]:
    from whygpu.knowledge.target import image_driver_library_wins

    snapshot, target = subject.snapshot, subject.target
    if not target.cuda_capable:
        return
    if snapshot.source.mode != "root" and snapshot.container.in_container is not True:
        return  # a machine's own libcuda is its driver, not part of an image
    mounted = {m.rsplit("/", 1)[-1] for m in snapshot.container.nvidia_mounts}
    for lib in snapshot.driver.libcuda:
        if lib.origin == "wsl" or not lib.version or "/compat" in lib.path or "/stubs" in lib.path:
            continue
        if lib.path.rsplit("/", 1)[-1] in mounted or f"libcuda.so.{lib.version}" in mounted:
            continue
        wins = image_driver_library_wins(lib.version, target.driver.version)
        if wins is None:
            yield Unknown(f"the image carries {lib.path} ({lib.version}); whether it shadows the target's driver depends on that driver, which is not known")
        elif wins:
            yield Hit(
                title=f"The image carries the driver library libcuda {lib.version}, newer than the target's driver {target.driver.version}",
                evidence=(f"{lib.path} (in the image, not mounted from a host)", f"target {target.describe()}",
                          "ldconfig points libcuda.so.1 at the newer copy: CUDA error 803 on the target"),
                fix="Remove the NVIDIA driver packages from the image (never install cuda-drivers or nvidia-driver-* in a Dockerfile); "
                    "the container runtime mounts the host's driver.",
                confidence=Confidence.MEDIUM,
            )


RULES = [
    target_has_no_gpu, target_gpu_not_nvidia, target_compute_capability, target_driver_too_old,
    target_driver_does_not_support_gpu, target_size_retired, target_fractional_gpu, target_cpu_architecture_differs,
    image_carries_driver_library,
]
