"""The log rules that judge platform and install facts a log states (accplat, session 29; facts from explain/platfacts.py).

- LOG410: the GPU reachable as root and not as the user (GPU_HIDDEN: the driver's device files refused to the user).
- LOG411: the writer's words that nvidia-smi does not work, with no message of the tool's shown (DRIVER_MISSING first).
- LOG412: a package release shown installed on native Windows whose wheels had no Windows GPU build (FRAMEWORK_CPU_BUILD).
- LOG806 (accnoticed40, session 40): a GKE cluster or node pool shown created without a GPU (NO_GPU).
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject, alternative_hit, log_cause_fix
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

_DRIVER_SIDE = frozenset({"DRIVER_MISSING", "DRIVER_MISMATCH", "DRIVER_TOO_OLD", "CONTAINER_NO_GPU", "GPU_FAULT", "GPU_NOT_SUPPORTED"})


def _alternative(cause: str, evidence: tuple[str, ...], to: str) -> Hit:
    return alternative_hit(cause, evidence[:1], to)


# Counted over every labelled log with the writer's words that the GPU works with sudo or as root and not as the user, or
# the driver's device files refused (bench/explain_rule_precision.py --grep '(with|using|as|under|via) (sudo|root)\b|sudo
# \S*python|permission denied[^\n]{0,60}nvidia|nvidia[^\n]{0,60}permission denied|video group|render group', 2026-12-06, 72
# sets): GPU_HIDDEN 1 of the 1 log where the words say so (the other matches are a container runtime's "using root /", a
# `sudo python setup.py install`, "run nvidia-bug-report.sh as root": none of them the GPU reachable as root only).
@rule(
    "LOG410", "log-gpu-reachable-as-root-only", "GPU_HIDDEN", Severity.ERROR,
    RuleDoc(
        what="Reads the writer's words that the GPU (or the framework's check) works with sudo or as root and not as their user ('torch only sees the GPU when run with sudo', 'as a normal user it returns False'), the driver's device files refused ('/dev/nvidia0: Permission denied', 'could not open the device file /dev/nvidiactl (Permission denied)'), or the user said to be outside the group that owns them ('I was not in the video group').",
        why="The driver is loaded and the GPU there when root can use it: what differs for the user is access to the driver's device files (/dev/nvidia*, owned by root:video or root:render with mode 0660 on some distributions, or a udev rule), or a setting in the user's own environment that hides the GPU (CUDA_VISIBLE_DEVICES, which sudo does not pass on); configuration outside the code, not the framework.",
        example="torch only sees the GPU when I run it with sudo; as my user torch.cuda.is_available() is False\n(the device files' group and mode: https://en.opensuse.org/SDB:NVIDIA_drivers)",
        fix="Give the user the device files: `ls -l /dev/nvidia*` shows their group (video or render): `sudo usermod -aG video $USER` (or render), then log in again; or set the driver's device-file mode (NVreg_DeviceFileMode=0666 in /etc/modprobe.d/nvidia.conf, or the udev rule of your distribution's driver package). Check `echo $CUDA_VISIBLE_DEVICES` in the user's shell too.",
        limits="Not read: a question, a condition or advice ('try running it with sudo'); a different interpreter run under sudo (sudo's PATH) is read the same (its framework build would then differ: the alternative).",
        references=("https://download.nvidia.com/XFree86/Linux-x86_64/580.95.05/README/faq.html", "https://en.opensuse.org/SDB:NVIDIA_drivers"),
    ),
)
def gpu_reachable_as_root_only(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.root_only_gpu or (facts.stated_gpu_works and not facts.gpu_unused()):
        return
    seen = facts.root_only_gpu[0]
    evidence = _ev(seen, *facts.gpu_unused()[:1])
    yield Hit(
        title=f"The GPU is reachable as root and not as the user ('{seen.value}'): the user cannot open the driver's device files",
        evidence=evidence,
        fix=("`ls -l /dev/nvidia*` shows the group that owns the device files (video or render, mode 0660 on some distributions): "
             "add the user to it (`sudo usermod -aG video $USER`, or render; log in again), or set the driver's device-file mode "
             "(NVreg_DeviceFileMode=0666). If the device files are open to all, compare `env | grep -i cuda` with and without sudo: "
             "CUDA_VISIBLE_DEVICES in the user's environment hides the GPU, and sudo drops it."),
        confidence=Confidence.MEDIUM,
        blocks_gpu=True,
        extra={"read_from": "the writer's words or the device file's permission error (explain.platfacts.root_only_gpu)"},
    )
    yield _alternative("FRAMEWORK_CPU_BUILD", evidence, "GPU_HIDDEN")


# Counted over every labelled log with the writer's words that nvidia-smi does not work (bench/explain_rule_precision.py
# --grep 'nvidia-smi`?\s+(does\s*n.t|did\s*n.t|is\s*n.t|won.t|can.t|cannot)\s+(work|run)|nvidia-smi`?\s+(not|stopped)\s+working',
# 2026-12-06, 72 sets): DRIVER_MISSING 1 of 1 (and one more DRIVER_MISSING log whose "nvidia-smi fails with:" is followed by
# the tool's own "couldn't communicate" message, which decides by itself). Over the logs that show nvidia-smi's own failure messages the two leading readings are near
# even (couldn't communicate with the driver / Driver/library version mismatch: DRIVER_MISMATCH 19, DRIVER_MISSING 17), so
# the mismatch is the first alternative; inside a container the container not given the GPU.
@rule(
    "LOG411", "log-nvidia-smi-said-failing", "DRIVER_MISSING", Severity.ERROR,
    RuleDoc(
        what="Reads the writer's words that nvidia-smi does not work ('nvidia-smi does not work', 'nvidia-smi fails', 'cannot run nvidia-smi'), asserted of now, where no message of nvidia-smi's own (which decides by itself) and no other driver-side cause was read.",
        why="nvidia-smi is the driver's own tool: it fails where the kernel module is not loaded (a driver never installed, or not built or not signed for the running kernel: Secure Boot), where the user-space libraries differ from the loaded module (a driver updated without a reboot), or inside a container not given the GPU; the framework above it cannot use the GPU either.",
        example="Since the image update the init script fails: the job finds no GPU and nvidia-smi does not work.\n(nvidia-smi, the driver's own tool: https://docs.nvidia.com/deploy/nvidia-smi/index.html)",
        fix="Run `nvidia-smi` and read its message: 'couldn't communicate with the NVIDIA driver' means the module is not loaded (`lsmod | grep nvidia`; `sudo dmesg | grep -i -e nvrm -e secure`: install the driver for the running kernel, sign it or turn Secure Boot off, reboot); 'Driver/library version mismatch' means reboot after the driver update.",
        limits="Not read: a question, a condition, advice, a state that is over ('nvidia-smi did not work until I rebooted'), or 'nvidia-smi fails with:' followed by its message (the message decides).",
        references=("https://docs.nvidia.com/deploy/nvidia-smi/index.html", "https://docs.nvidia.com/datacenter/tesla/driver-installation-guide/index.html"),
    ),
)
def nvidia_smi_said_failing(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.smi_said_failing or subject.gpu_in_use:
        return
    if any(f.cause in _DRIVER_SIDE and f.alternative_to is None for f in (*subject.matched, *subject.doctor)):
        return  # nvidia-smi's own message, or another driver-side line, decides
    if any(s.value.state == "upgraded_running" for s in facts.kernel_module):
        return  # accsmall38: the writer names the automatic upgrade that changed the driver under the running system (LOG481's)
    seen = facts.smi_said_failing[0]
    evidence = _ev(seen)
    container = bool(facts.container_named)
    yield Hit(
        title=f"The report says nvidia-smi does not work ('{seen.value}'): the NVIDIA driver is not running",
        evidence=evidence,
        fix=log_cause_fix("DRIVER_MISSING", subject),
        confidence=Confidence.MEDIUM,
        blocks_gpu=True,
        extra={"read_from": "the writer's words (explain.platfacts.smi_said_failing)"},
    )
    yield _alternative("DRIVER_MISMATCH", evidence, "DRIVER_MISSING")
    if container:
        yield _alternative("CONTAINER_NO_GPU", evidence, "DRIVER_MISSING")


# Counted over every labelled log naming bitsandbytes on native Windows (bench/explain_rule_precision.py --grep 'bitsandbytes',
# 2026-12-06, 72 sets; 5 logs): the one that shows a release before 0.43.0 is FRAMEWORK_CPU_BUILD (1 of 1); one more
# FRAMEWORK_CPU_BUILD shows the Linux library's path (LOG221's); a negative names the package's own CUDA .dll (an
# unofficial Windows build that used the GPU), and two show no release (FRAMEWORK_INSTALL_BROKEN, NO_GPU).
@rule(
    "LOG412", "log-package-release-without-windows-gpu-build", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Finds a package shown installed at a release whose official wheels had no Windows GPU library (knowledge/python_layouts.toml [[linux_only_libraries]]: bitsandbytes before 0.43.0) in a log that shows native Windows.",
        why="Such a release carries only Linux shared libraries: a Windows Python cannot load them, so the package has no GPU support on Windows and runs on the CPU or fails, whatever GPU, driver and CUDA the machine has.",
        example="OS: Windows 11 ... bitsandbytes==0.41.1 ... python -m bitsandbytes: False\n(Windows libraries from 0.43.0: https://github.com/bitsandbytes-foundation/bitsandbytes/releases/tag/0.43.0)",
        fix="Install a release with Windows libraries (bitsandbytes >= 0.43.0: pip install -U bitsandbytes), or run under WSL 2, where the Linux libraries load.",
        limits="Unofficial Windows builds (a bitsandbytes-windows distribution, a fork's win_amd64 wheel, a log naming the package's own .dll) carry their own DLLs and are not read; a listing of another machine misleads it.",
        references=("https://github.com/bitsandbytes-foundation/bitsandbytes/releases/tag/0.43.0",),
    ),
)
def package_release_without_windows_gpu_build(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.windows_gpu_package or subject.gpu_in_use or facts.platform_name() != "windows" or facts.linux_build_on_windows \
            or facts.windows_gpu_library:
        return  # LOG221 reads a Linux library's path; a Windows library (.dll) of the package is an unofficial Windows build
    from whygpu.knowledge.python_layouts import release_without_windows_gpu

    for seen in facts.windows_gpu_package:
        package, version = seen.value
        row = release_without_windows_gpu(package, version)
        if row is None:
            continue
        yield Hit(
            title=f"{package} {version} has no Windows GPU build (its Windows libraries start at {row.windows_from}): on native Windows it cannot use the GPU",
            evidence=_ev(seen, *facts.platform[:1]),
            fix=f"pip install -U \"{package}>={row.windows_from}\" (its first release with Windows libraries: {row.source}), or run under WSL 2, where its Linux libraries load.",
            # high: the release's official wheels hold no Windows library at all, so whatever else the log shows about
            # CUDA libraries (bitsandbytes' search for libcudart.so on Windows) follows from it.
            confidence=Confidence.HIGH,
            blocks_gpu=True,
        )
        return


@rule(
    "LOG806", "log-gke-nodes-created-without-gpu", "NO_GPU", Severity.ERROR,
    RuleDoc(
        what="Reads the gcloud command a log shows creating a GKE cluster or node pool (explain.platfacts.gke_nodes_without_gpu) "
             "and judges it by knowledge/gcp.toml: no --accelerator and no accelerator-optimized machine type (a machine type "
             "given as a shell variable is read from the log's own assignment) makes nodes without a GPU; where the log shows "
             "the GPU unused or failing, the pods ran on those nodes.",
        why="A Standard GKE node gets GPUs only from its pool's --accelerator or an accelerator-optimized machine type (a2, a3, "
            "g2...); a pool of n1-standard or the default e2-medium has no GPU, so GKE installs no driver there and mounts no "
            "libcuda: the framework's missing libcuda is the node's lack of a GPU, not a library place or a device plugin.",
        example="gcloud container clusters create $CLUSTER_NAME --zone $ZONE --machine-type $MACHINE_TYPE ... (MACHINE_TYPE=\"n1-standard-2\")\n"
                "Could not load dynamic library 'libcuda.so.1'\n(https://github.com/kubeflow/katib/issues/1915)",
        fix="Add a GPU node pool: `gcloud container node-pools create gpu-pool --cluster CLUSTER --accelerator "
            "type=nvidia-tesla-t4,count=1,gpu-driver-version=default --machine-type n1-standard-4`, and request `nvidia.com/gpu` "
            "in the pod's resources.limits so it is scheduled there.",
        limits="Quiet where any creation command shown attaches GPUs, a GPU machine or accelerator is named elsewhere, the pod "
               "is shown requesting nvidia.com/gpu or a GPU node label (it could not have run on these nodes), or the GPU is in "
               "use; Autopilot (create-auto) is not read. The command shown may not be the whole cluster: a GPU pool added "
               "later, not shown, would decide otherwise.",
        references=("https://cloud.google.com/kubernetes-engine/docs/how-to/gpus#create",),
    ),
)
def gke_nodes_created_without_gpu(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.gke_nodes_without_gpu or subject.gpu_in_use or facts.cloud_gpu_machine or facts.gpu_resource_requested \
            or facts.gpu_node_label or not (facts.gpu_unused() or subject.blocking()):
        return
    seen = facts.gke_nodes_without_gpu[0]
    yield Hit(
        title=f"The GKE nodes were created without a GPU ({seen.value}, no --accelerator)",
        evidence=_ev(seen, *facts.gpu_unused()[:1], *[f for f in facts.library_failed[:1]]),
        fix="Add a GPU node pool (`gcloud container node-pools create gpu-pool --cluster CLUSTER --accelerator "
            "type=nvidia-tesla-t4,count=1,gpu-driver-version=default`) and request `nvidia.com/gpu` in the pod's "
            "resources.limits so that the pod runs on it.",
        # Medium: the command shown may not be the cluster's last word (a GPU pool added later).
        confidence=Confidence.MEDIUM,
        blocks_gpu=True,
    )


PLAT_RULES: list[Rule[LogSubject]] = [gpu_reachable_as_root_only, nvidia_smi_said_failing, package_release_without_windows_gpu_build,
                                      gke_nodes_created_without_gpu]
