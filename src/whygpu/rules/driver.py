"""Rules about the NVIDIA driver: loaded at all, new enough for each build, and consistent with its libraries."""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.facts import Unavailable
from whygpu.knowledge.cuda_versions import is_driver_version
from whygpu.model import Confidence, Severity
from whygpu.rules import view
from whygpu.rules.interface import Hit, Outcome, RuleDoc, Unknown, rule
from whygpu.snapshot import Snapshot

# packaging and the CUDA knowledge are imported where a version is compared: a machine without
# a driver or a framework never loads them.

_INSTALL_DRIVER = (
    "Install the NVIDIA driver: on Ubuntu `sudo ubuntu-drivers install` (or `sudo apt install nvidia-driver-<branch>`), "
    "then reboot; on an Azure VM the NVIDIA GPU Driver Extension does it "
    "(`az vm extension set --name NvidiaGpuDriverLinux --publisher Microsoft.HpcCompute ...`)."
)


@rule(
    "DRV001", "driver-not-loaded", "DRIVER_MISSING", Severity.ERROR,
    RuleDoc(
        what="With an NVIDIA GPU present, checks that the NVIDIA kernel module is loaded (/proc/driver/nvidia, /sys/module/nvidia) and, on WSL2, that the Windows driver's libcuda is mapped in.",
        why="Without the kernel driver CUDA finds no device: 'NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver', cuInit error 100 or 999.",
        example="A fresh GPU VM before the driver is installed; a kernel upgrade that left the DKMS module unbuilt.",
        fix="Install the NVIDIA driver for this GPU and reboot (on Azure, the NVIDIA GPU Driver Extension).",
        limits="Inside a container the host's module is judged through /proc/driver/nvidia; a missing device node there is CTR001's case.",
        references=("https://learn.microsoft.com/azure/virtual-machines/extensions/hpccompute-gpu-linux",),
    ),
)
def driver_not_loaded(snapshot: Snapshot) -> Iterator[Outcome]:
    if snapshot.platform.wsl is True:
        if not snapshot.driver.libcuda or not any(lib.origin == "wsl" for lib in snapshot.driver.libcuda):
            nodes = snapshot.driver.device_nodes
            has_dxg = not isinstance(nodes, Unavailable) and "/dev/dxg" in nodes
            yield Hit(
                title="WSL2 does not see the Windows NVIDIA driver (no /usr/lib/wsl/lib/libcuda.so)",
                evidence=("no libcuda.so under /usr/lib/wsl/lib", "/dev/dxg present" if has_dxg else "no /dev/dxg"),
                fix="Install the current NVIDIA driver for Windows (it provides CUDA to WSL2); do not install a Linux "
                "driver inside WSL2. Then `wsl --shutdown` and reopen.",
                confidence=Confidence.HIGH if has_dxg else Confidence.MEDIUM,
            )
        return
    presence = view.gpus(snapshot)
    if not presence.present:
        return
    module = snapshot.driver.kernel_module
    if isinstance(module, Unavailable):
        yield Unknown(f"kernel module: {module}")
        return
    if module.loaded:
        return
    if snapshot.container.in_container is True:
        return  # CTR001 judges a container that was not given the GPU
    evidence = [*presence.evidence, f"{module.source}: no NVIDIA kernel module loaded"]
    report = snapshot.driver.report
    if isinstance(report, Unavailable):
        evidence.append(f"driver report {report}")
    yield Hit(title="An NVIDIA GPU is present but the NVIDIA driver is not loaded", evidence=tuple(evidence), fix=_INSTALL_DRIVER)


@rule(
    "DRV002", "driver-too-old", "DRIVER_TOO_OLD", Severity.ERROR,
    RuleDoc(
        what="Compares the driver version with the minimum each framework build's CUDA version needs (with CUDA minor-version compatibility).",
        why="A driver older than the CUDA runtime fails with 'CUDA driver version is insufficient for CUDA runtime version' (CUDA_ERROR_INSUFFICIENT_DRIVER, 35) and the framework falls back to the CPU.",
        example="Driver 470.82 with TensorFlow 2.15 (CUDA 12.2 needs 525.60.13 or newer).",
        fix="Upgrade the NVIDIA driver to at least the version named, or install a framework build for an older CUDA.",
        limits="Minor-version compatibility lets a CUDA 12.x build run on any 12-capable driver (>= 525.60.13) except for PTX JIT of newer code; such cases are reported as warnings.",
        references=("https://docs.nvidia.com/cuda/cuda-toolkit-release-notes/index.html#id5",
                    "https://docs.nvidia.com/deploy/cuda-compatibility/"),
    ),
)
def driver_too_old(snapshot: Snapshot) -> Iterator[Outcome]:
    found = view.driver_version(snapshot)
    frameworks = [(env, fw) for env, fw in view.gpu_frameworks(snapshot) if fw.cuda_version]
    if not frameworks:
        return
    if found is None:
        if view.gpus(snapshot).present:
            yield Unknown("no driver version could be read")
        return
    from whygpu.knowledge.cuda import driver_version_runs_cuda, max_cuda_for_driver

    platform = "windows" if snapshot.platform.system == "windows" else "linux"
    report = snapshot.driver.report
    top = (report.cuda_driver_version if not isinstance(report, Unavailable) else None) or max_cuda_for_driver(
        found.text, platform, minor_compat=False
    )
    for _env, fw in frameworks:
        assert fw.cuda_version is not None
        fit = driver_version_runs_cuda(found.text, fw.cuda_version, platform)
        if fit.runs is None:
            continue
        exact_text, compat_text = fit.toolkit_min, fit.compat_min
        needed = exact_text or compat_text
        evidence = (found.where, f"{fw.distribution} {fw.version} is built for CUDA {fw.cuda_version}, which needs driver >= {needed}"
                    + (f" (>= {compat_text} with minor-version compatibility)" if compat_text and exact_text and compat_text != exact_text else ""),
                    f"this driver supports CUDA up to {top}" if top else "")
        if fit.runs is False:
            yield Hit(
                title=f"The NVIDIA driver {found.text} is too old for {fw.distribution} {fw.version} (CUDA {fw.cuda_version})",
                evidence=tuple(e for e in evidence if e),
                fix=f"Upgrade the NVIDIA driver to {needed} or newer (e.g. the current production branch), then reboot.",
                scope=fw.name,
            )
        elif not fit.exact:
            yield Hit(
                title=f"The NVIDIA driver {found.text} is older than CUDA {fw.cuda_version} asks for; it runs only through minor-version compatibility",
                evidence=tuple(e for e in evidence if e),
                fix=f"Nothing to do unless PTX JIT errors appear; upgrading the NVIDIA driver to {exact_text} or newer avoids them.",
                severity=Severity.INFO,
                confidence=Confidence.MEDIUM,
                scope=fw.name,
            )


@rule(
    "DRV003", "driver-library-mismatch", "DRIVER_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Compares the loaded kernel module's version with the user-space driver libraries (libcuda, libnvidia-ml) and reads NVML's own error.",
        why="After a driver update without a reboot the old module stays loaded: NVML says 'Driver/library version mismatch' and CUDA fails with error 803.",
        example="Kernel module 535.104.05, /usr/lib/x86_64-linux-gnu/libcuda.so.535.129.03.",
        fix="Reboot (or unload and reload the nvidia modules) so the module matches the installed libraries.",
        references=("https://docs.nvidia.com/deploy/cuda-compatibility/",),
    ),
)
def driver_library_mismatch(snapshot: Snapshot) -> Iterator[Outcome]:
    module = snapshot.driver.kernel_module
    report = snapshot.driver.report
    evidence: list[str] = []
    if isinstance(report, Unavailable) and "mismatch" in report.reason.lower():
        evidence.append(f"{report.probe}: {report.reason}")
    if not isinstance(module, Unavailable) and module.loaded and module.version:
        for lib in [*snapshot.driver.libcuda, *snapshot.driver.libnvidia_ml]:
            if lib.origin == "wsl" or not is_driver_version(lib.version):
                continue  # a soname's "1", not a driver version
            if lib.version != module.version:
                evidence.append(f"{lib.path} is version {lib.version}, the loaded kernel module ({module.source}) is {module.version}")
    if evidence:
        yield Hit(
            title="The NVIDIA driver libraries and the loaded kernel module are different versions",
            evidence=tuple(evidence),
            fix="Reboot so that the kernel module matches the installed driver libraries "
            "(or `sudo rmmod nvidia_uvm nvidia_drm nvidia_modeset nvidia && sudo modprobe nvidia` when no process uses the GPU).",
        )


RULES = [driver_not_loaded, driver_too_old, driver_library_mismatch]
