"""The driver's libraries where a platform mounts them without the container toolkit, and the CUDA compat libcuda ahead of
the host's driver (accdrvmount, session 38: explain/drvmount.py, explain/drvmountrules.py LOG795/LOG796,
knowledge/driver_mounts.toml)."""

from __future__ import annotations

from log_text import codes, facts, finding_codes, first_cause, report
from whygpu.explain.drvmount import driver_lib_unfound
from whygpu.knowledge.driver_mounts import (
    compat_folder,
    compat_reading,
    mount_folder,
    mount_platform,
    mount_reading,
)

# https://github.com/NVIDIA/k8s-device-plugin/issues/741 (gpu-feature-discovery on GKE)
GKE_NVML = ("I'm trying to use `gpu-feature-discovery` on GKE, however I'm having troubles getting it to work.\n"
            "I0524 15:35:55.518183       1 factory.go:48] Detected non-NVML platform: could not load NVML library: "
            "libnvidia-ml.so.1: cannot open shared object file: No such file or directory\n")
# A pod's manifest requesting the GPU, then the library not found (the shape of a GKE deployment's log).
GKE_POD = ("Running on GKE (Container-Optimized OS node pool)\n"
           "    resources:\n      limits:\n        nvidia.com/gpu: \"1\"\n"
           "server: error while loading shared libraries: libcuda.so.1: cannot open shared object file: No such file or directory\n")
# https://github.com/NVIDIA/nvidia-container-toolkit/pull/1679 (the compat libcuda first in the ld cache, 803)
COMPAT_803 = ("CUDA error at helper_cuda.h:816 code=803(cudaErrorSystemDriverMismatch) \"cudaGetDeviceCount(&device_count)\"\n"
              " ldconfig -p | grep libcuda.so.1\n"
              "\tlibcuda.so.1 (libc6,AArch64) => /usr/local/cuda-13.0/compat/libcuda.so.1\n"
              "\tlibcuda.so.1 (libc6,AArch64) => /usr/lib/aarch64-linux-gnu/nvidia/libcuda.so.1\n")
# The CUDA images' default LD_LIBRARY_PATH with the driver library not found, and no platform that mounts it named
# (https://github.com/tensorflow/tensorflow/issues/6233 shape): the folder alone decides nothing.
FOLDER_ONLY = ("LD_LIBRARY_PATH=/usr/local/nvidia/lib:/usr/local/nvidia/lib64:/usr/local/cuda/lib64\n"
               "ImportError: libcuda.so.1: cannot open shared object file: No such file or directory\n")


def test_gke_driver_library_not_found_reads_the_loader_not_told() -> None:
    assert "LOG795" in finding_codes(GKE_NVML)
    assert first_cause(GKE_NVML) == "CUDA_LIBS_NOT_ON_PATH"
    # Without the pod shown given the GPU, a container without it stays open.
    assert "CONTAINER_NO_GPU" in codes(GKE_NVML)


def test_the_pod_given_the_gpu_decides_it() -> None:
    ranked = report(GKE_POD).causes
    assert ranked[0].code == "CUDA_LIBS_NOT_ON_PATH"
    assert "LOG795" in ranked[0].findings
    assert "/usr/local/nvidia/lib64" in " ".join(f for c in ranked for f in c.findings) or ranked[0].code == "CUDA_LIBS_NOT_ON_PATH"


def test_the_folder_named_alone_decides_nothing() -> None:
    assert "LOG795" not in finding_codes(FOLDER_ONLY)
    assert facts(FOLDER_ONLY).mount_platform_named == []


def test_quiet_where_the_kernel_driver_is_not_running_on_the_node() -> None:
    text = GKE_NVML + ("2022-07-13 07:03:46.214062: I tensorflow/stream_executor/cuda/cuda_diagnostics.cc:156] kernel driver "
                       "does not appear to be running on this host (pod-0): /proc/driver/nvidia/version does not exist\n")
    assert "LOG795" not in finding_codes(text)


def test_quiet_where_the_mount_is_said_absent_or_nothing_failed() -> None:
    absent = GKE_NVML + "The container I am using on this node doesn't have a /usr/local/nvidia.\n"
    assert "LOG795" not in finding_codes(absent)
    assert "LOG795" not in finding_codes("We run the inference server on GKE with an L4 node pool.\n")


def test_the_library_in_the_mount_and_the_path_without_it() -> None:
    text = ("A GKE smoke test returned CudaUnavailable. The container had `/usr/local/nvidia/lib64/libcuda.so.1`, while "
            "`LD_LIBRARY_PATH` contained only `/opt/app/lib`.\n")
    seen = facts(text)
    assert seen.driver_lib_at_mount and seen.search_path_without[0].value == "/opt/app/lib"
    assert first_cause(text) == "CUDA_LIBS_NOT_ON_PATH"


def test_the_reader_of_a_driver_library_not_found() -> None:
    assert driver_lib_unfound("impeller: error while loading shared libraries: libcuda.so.1: cannot open shared object file") == "libcuda"
    assert driver_lib_unfound("Cannot init NVML library; err: ERROR_LIBRARY_NOT_FOUND") is not None
    assert driver_lib_unfound("GKE GPU nodes: `nvidia-smi` not found, likely missing PATH") == "nvidia-smi"
    assert driver_lib_unfound("Why is libcuda.so.1 not found?") is None
    assert driver_lib_unfound("libcuda.so.1 => /usr/local/nvidia/lib64/libcuda.so.1 (0x00007f9701ff3000)") is None


def test_compat_libcuda_ahead_of_the_driver_with_803() -> None:
    assert "LOG796" in finding_codes(COMPAT_803)
    assert first_cause(COMPAT_803) == "DRIVER_MISMATCH"


def test_compat_on_the_path_without_a_mismatch_is_quiet() -> None:
    text = "export LD_LIBRARY_PATH=/usr/local/cuda/compat:$LD_LIBRARY_PATH\npython train.py\n"
    assert facts(text).compat_on_path
    assert "LOG796" not in finding_codes(text)


def test_the_knowledge_decisions() -> None:
    assert mount_platform("pods on GKE crash") == "gke"
    assert mount_platform("node label cloud.google.com/gke-accelerator=nvidia-l4") == "gke"
    assert mount_platform("running under WSL2") is None  # its loader is told (ld.wsl.conf)
    assert mount_platform("running under WSL2", untold_only=False) == "wsl2"
    assert mount_folder("gke") == "/usr/local/nvidia/lib64"
    assert mount_reading("gke", library_unloaded=True, allotted=True, mount_absent=False).confidence == "high"  # type: ignore[union-attr]
    assert mount_reading("gke", library_unloaded=True, allotted=False, mount_absent=False).also == ("CONTAINER_NO_GPU",)  # type: ignore[union-attr]
    assert mount_reading("gke", library_unloaded=False, allotted=True, mount_absent=False) is None
    assert mount_reading("gke", library_unloaded=True, allotted=True, mount_absent=True) is None
    assert mount_reading("wsl2", library_unloaded=True, allotted=True, mount_absent=False) is None
    assert compat_folder("ENV LD_LIBRARY_PATH /usr/local/cuda-12.1/compat") == "/usr/local/cuda-12.1/compat"
    assert compat_folder("apt install cuda-compat-11-3") == "cuda-compat-11-3"
    # The compat libcuda must be newer than the host's driver, never older.
    older = compat_reading(compat_first=True, mismatch=True, compat_driver="450.80.02", host_driver="450.102.04")
    assert older is not None and older.cause == "DRIVER_MISMATCH" and older.confidence == "high"
    assert compat_reading(compat_first=True, mismatch=True, compat_driver="580.65.06", host_driver="535.104.05") is None
    assert compat_reading(compat_first=True, mismatch=False) is None
    assert compat_reading(compat_first=True, mismatch=True).also == ("DRIVER_TOO_OLD",)  # type: ignore[union-attr]


def test_every_rule_that_decides_is_seen_deciding() -> None:
    # A rule added to SPECIFIC_RULES after FACT_RULES is built still runs, but its Decides is never applied.
    from whygpu.explain.rules import FACT_RULES, SPECIFIC_RULES, decisions

    assert {r.code for r in SPECIFIC_RULES if r.decides is not None} <= {r.code for r in FACT_RULES}
    assert "LOG795" in decisions()
