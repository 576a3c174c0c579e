"""Rules of the driver's user-space libraries where a platform puts them (accdrvmount, session 38; explain/drvmount.py reads
the facts, knowledge.driver_mounts decides).

LOG795 reads a driver library (libcuda, libnvidia-ml) not found, or nvidia-smi not found, on a platform that mounts the
driver's libraries without the NVIDIA container toolkit (GKE: /usr/local/nvidia/lib64, which the image's loader is not told)
as CUDA_LIBS_NOT_ON_PATH; the container shown given the GPU decides it, otherwise a container without the GPU stays open.
LOG796 reads the CUDA forward-compatibility libcuda on the loader's path while CUDA fails on a driver mismatch as the compat
libcuda older than the driver the host provides (DRIVER_MISMATCH).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu.explain.judge import LogSubject, reading_hits
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Decides, Outcome, Rule, RuleDoc, rule

# Causes a signature's own line gives for a node or container without the driver or the GPU (TensorFlow's "kernel driver
# does not appear to be running" reads as CONTAINER_NO_GPU in a container).
_NODE_WITHOUT = frozenset({"DRIVER_MISSING", "NO_GPU", "CONTAINER_NO_GPU"})


def mount_decision(subject: LogSubject) -> tuple[Any, list[Any]] | None:
    """The knowledge layer's reading of a driver library on a platform that mounts it, and the lines that decided it."""
    from whygpu.explain.catalogue import catalogue
    from whygpu.knowledge.driver_mounts import mount_reading

    facts = subject.facts
    # accnoticed40 (session 40): nodes shown created without a GPU get no driver and no mount (LOG806 reads them: NO_GPU).
    if subject.gpu_in_use or not facts.mount_platform_named or facts.gke_nodes_without_gpu:
        return None
    cat = catalogue()
    failed = [s for s in (*facts.library_failed, *facts.load_failed)
              if (row := cat.library_rule(s.value)) is not None and row.kind == "driver"]
    at_mount_untold = facts.driver_lib_at_mount[:1] + facts.search_path_without[:1] if (
        facts.driver_lib_at_mount and facts.search_path_without) else []
    # The writer's words that the folder is off the search path, with the GPU shown unused or failing.
    off_said = facts.mount_off_path_said[:1] if (failed or facts.driver_lib_unfound or facts.gpu_unused()) else []
    unfound = [*failed[:1], *facts.driver_lib_unfound[:1], *facts.smi_not_found[:1], *at_mount_untold, *off_said]
    # Another line showing the node without its driver or GPU (the kernel driver not running where the program ran: the
    # node is no GPU node, or its driver is not installed) decides otherwise: the mount comes only with the driver.
    lines = {s.text.strip() for s in (*failed, *facts.driver_lib_unfound)}
    if any(f.alternative_to is None and f.cause in _NODE_WITHOUT and f.evidence
           and f.evidence[0].split(": ", 1)[-1].strip() not in lines for f in subject.matched):
        return None
    allotted = bool(facts.gpu_resource_requested or facts.gpu_node_label or facts.driver_lib_at_mount)
    reading = mount_reading(facts.mount_platform_named[0].value, library_unloaded=bool(unfound), allotted=allotted,
                            mount_absent=bool(facts.mount_absent_said))
    if reading is None:
        return None
    return reading, [facts.mount_platform_named[0], *unfound[:2]]


@rule(
    "LOG795", "log-driver-library-mounted-off-path", "CUDA_LIBS_NOT_ON_PATH", Severity.ERROR,
    RuleDoc(
        what="Reads the driver's own library (libcuda, libnvidia-ml/NVML) not found, or nvidia-smi not found, on a platform "
             "that mounts the driver's libraries without the NVIDIA container toolkit (GKE on Container-Optimized OS or "
             "Ubuntu nodes: /usr/local/nvidia/lib64 and /usr/local/nvidia/bin), or the library shown in that folder while the "
             "LD_LIBRARY_PATH shown lacks it; the decision is knowledge.driver_mounts.mount_reading.",
        why="GKE's device plugin mounts the host driver's libraries into each container that requests nvidia.com/gpu, but "
            "nothing writes the container's ld cache: a program finds libcuda only if the image's LD_LIBRARY_PATH names "
            "/usr/local/nvidia/lib64 (NVIDIA's CUDA images stopped doing so in 12.8.1; images not based on them never did).",
        example="Cannot init NVML library; err: ERROR_LIBRARY_NOT_FOUND - GKE Cluster ... /usr/local/nvidia/lib64 was dropped "
                "in 12.8.1 but 12.8.0 had it\n(https://github.com/NVIDIA/dcgm-exporter/issues/484)",
        fix="Put GKE's mount folder on the image's search path: `ENV LD_LIBRARY_PATH=/usr/local/nvidia/lib64:$LD_LIBRARY_PATH` "
            "and `ENV PATH=/usr/local/nvidia/bin:$PATH` (or `ldconfig` over /usr/local/nvidia/lib64 at start); the pod must "
            "request nvidia.com/gpu for the folder to be mounted at all.",
        limits="The folder named alone decides nothing (/usr/local/nvidia is the CUDA images' default LD_LIBRARY_PATH "
               "everywhere): a platform that mounts it without the toolkit must be named, and the driver library shown not "
               "found. Quiet where the mount is said absent, the GPU is shown in use, or on platforms whose loader is told "
               "(the container toolkit, WSL, Jetson).",
        references=("https://cloud.google.com/kubernetes-engine/docs/how-to/gpus#cuda",
                    "https://github.com/GoogleCloudPlatform/container-engine-accelerators"),
    ),
    # The library line's own reading (a driver library missing: DRIVER_MISSING first) yields to the platform's: the line
    # is the same, read against the platform that mounts the library.
    decides=Decides(over="signature", cause="any", by="first_line"),
)
def driver_library_mounted_off_path(subject: LogSubject) -> Iterator[Outcome]:
    decided = mount_decision(subject)
    if decided is None:
        return
    reading, lines = decided
    from whygpu.knowledge.driver_mounts import mount_folder

    folder = mount_folder(lines[0].value) or "the platform's mount folder"
    yield from reading_hits(subject, "CUDA_LIBS_NOT_ON_PATH", reading,
                            f"The driver's libraries are mounted at {folder} but the loader is not told that folder: "
                            "the program finds no libcuda", _ev(*lines), Confidence(reading.confidence), reading.also[:1])


@rule(
    "LOG796", "log-compat-libcuda-ahead-of-driver", "DRIVER_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Reads the CUDA forward-compatibility package's libcuda on the loader's path (/usr/local/cuda*/compat in "
             "LD_LIBRARY_PATH or the ld cache, or the writer's words for the compat libraries put first or injected) while "
             "CUDA fails on a driver mismatch (803, cudaErrorSystemDriverMismatch; 804 on a GPU without forward "
             "compatibility); with both versions shown, only a compat libcuda older than the host's driver; the decision is "
             "knowledge.driver_mounts.compat_reading.",
        why="The compat package (cuda-compat-X-Y) is a newer libcuda for a host whose driver is older than the toolkit, on "
            "data-center GPUs; loaded ahead of a host driver as new as it or newer (a cloud host that updated its driver, an "
            "image that put the folder on LD_LIBRARY_PATH for older hosts), CUDA refuses to start.",
        example="ldconfig -p | grep libcuda.so.1\n\tlibcuda.so.1 (libc6,AArch64) => /usr/local/cuda-13.0/compat/libcuda.so.1\n"
                "(https://github.com/NVIDIA/nvidia-container-toolkit/pull/1679)",
        fix="Take the compat folder off LD_LIBRARY_PATH and out of the ld cache (/etc/ld.so.conf.d), or add it only when the "
            "host's driver is older than the toolkit (compare `nvidia-smi` with the compat libcuda's version); on a GeForce/RTX "
            "GPU never use it.",
        limits="Quiet without a mismatch failure, where the compat libcuda shown is as new as the host's driver or newer (it "
               "is then what lets the older driver run), or where the GPU is shown in use.",
        references=("https://docs.nvidia.com/deploy/cuda-compatibility/",),
    ),
)
def compat_libcuda_ahead_of_driver(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.knowledge.driver_mounts import compat_reading

    facts = subject.facts
    if subject.gpu_in_use or not facts.compat_on_path or not facts.driver_mismatch_failed:
        return
    compat = next((s.value for s in facts.compat_on_path if s.value), None)
    host = facts.driver_version[0].value if facts.driver_version else None
    reading = compat_reading(compat_first=True, mismatch=True, compat_driver=compat, host_driver=host)
    if reading is None:
        return
    shown = f" ({compat}, the host's driver {host})" if compat and host else ""
    yield from reading_hits(subject, "DRIVER_MISMATCH", reading,
                            f"The CUDA compat libcuda is loaded ahead of the host's driver{shown}: CUDA refuses the mismatch",
                            _ev(facts.compat_on_path[0], facts.driver_mismatch_failed[0]), Confidence(reading.confidence),
                            reading.also[:1])


DRIVER_MOUNT_RULES: list[Rule[LogSubject]] = [driver_library_mounted_off_path, compat_libcuda_ahead_of_driver]
