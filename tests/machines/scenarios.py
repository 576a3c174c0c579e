"""Scenario machines: one fake machine per way the GPU chain breaks, each with the causes doctor must report.

Each scenario builds a fake root in a temporary directory (files as the real machine has them:
sysfs, /proc, device nodes, driver libraries, CUDA toolkits, site-packages with framework build
files) plus what the live machine would answer (NVML, nvidia-smi, IMDS). ``expect`` is the ranked
list of cause codes the report must give, most fundamental first. Sources name the public reports
a scenario is modelled on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fakeenv as fe
import fakeroot as fr
from whygpu.gateways.process import CommandResult

VENV = "/opt/venv"
PY = f"{VENV}/bin/python"
CUDA_LIB = "/usr/local/cuda-13.0/targets/x86_64-linux/lib"


@dataclass
class Setup:
    """What a scenario's machine answers beyond its files."""

    environ: dict[str, str] = field(default_factory=dict)
    nvml: CommandResult | None = None  # what the NVML child prints (None: NVML library not found)
    smi: CommandResult | None = None  # what nvidia-smi prints (None: not found)
    vm_size: str | None = None  # served by a fake IMDS on 127.0.0.1 when the DMI says Azure
    live: bool = True  # False: diagnosed as a --root tree
    python: str | None = PY


@dataclass
class Scenario:
    """A named fake machine and the ranked causes it must produce."""

    name: str
    build: Callable[[Path], Setup]
    expect: list[str]
    gpu_usable: bool | None = False
    source: str = ""
    findings: list[str] = field(default_factory=list)  # rule ids that must be among the findings


SCENARIOS: dict[str, Scenario] = {}


def scenario(expect: list[str], *, gpu_usable: bool | None = False, source: str = "", findings: list[str] | None = None) -> Callable[[Callable[[Path], Setup]], Callable[[Path], Setup]]:
    """Register a builder as a scenario named after the function."""

    def wrap(build: Callable[[Path], Setup]) -> Callable[[Path], Setup]:
        name = build.__name__.replace("_", "-")
        SCENARIOS[name] = Scenario(name, build, expect, gpu_usable, source, findings or [])
        return build

    return wrap


# --- building blocks ---------------------------------------------------------------------------

def nvml(driver: str = "560.35.03", cuda: int = 12060, name: str = "NVIDIA A100-SXM4-40GB", cc: str = "8.0", **device: Any) -> CommandResult:
    dev = {"index": 0, "name": name, "pci_bus_id": "00000000:00:1E.0", "compute_capability": cc,
           "memory_total_mib": 40960, "memory_used_mib": 4, "compute_mode": "Default",
           "utilization_percent": 0, "uncorrected_ecc_errors": 0, "processes": []}
    dev.update(device)
    return fr.nvml_ok(driver, cuda, [dev])


def gpu_vm(root: Path, *, device: str = "0x20b0", driver: str | None = "560.35.03", bound: str | None = "nvidia") -> None:
    """A Linux VM with one NVIDIA GPU on PCI and (``driver``) the NVIDIA driver installed and loaded."""
    fr.add_running_system(root)
    fr.add_os_release(root)
    fr.add_pci_gpu(root, fr.NVIDIA, device, fr.CONTROLLER_3D, bound)
    if driver:
        fr.add_nvidia_driver(root, driver)


def cpu_vm(root: Path) -> None:
    """A Linux VM with no GPU: only the emulated VGA controller of the hypervisor."""
    fr.add_running_system(root)
    fr.add_os_release(root)
    fr.add_pci_gpu(root, "0x1414", "0x5353", fr.VGA)  # Microsoft Hyper-V synthetic video


def venv(root: Path) -> str:
    return fe.make_site_packages(root, VENV)


JAX_CUDA12_EXTRA_WHEELS = (
    ("nvidia-cublas-cu12", "12.6.4.1", "cublas", ("libcublas.so.12", "libcublasLt.so.12")),
    ("nvidia-cufft-cu12", "11.3.0.4", "cufft", ("libcufft.so.11",)),
    ("nvidia-cusolver-cu12", "11.7.1.2", "cusolver", ("libcusolver.so.11",)),
    ("nvidia-cusparse-cu12", "12.5.4.2", "cusparse", ("libcusparse.so.12",)),
    ("nvidia-cuda-cupti-cu12", "12.6.80", "cuda_cupti", ("libcupti.so.12",)),
    ("nvidia-nvjitlink-cu12", "12.6.85", "nvjitlink", ("libnvJitLink.so.12",)),
    ("nvidia-nccl-cu12", "2.23.4", "nccl", ("libnccl.so.2",)),
)


def jax_cuda12(root: Path) -> None:
    """jax with the CUDA 12 plugin and every wheel of its [cuda12] extra."""
    site = venv(root)
    fe.add_jax(root, site, "0.4.35", plugin_major=12)
    for name, version, component, files in JAX_CUDA12_EXTRA_WHEELS:
        fe.add_nvidia_wheel(root, site, name, version, component, files)


def tf_and_cuda(root: Path, version: str = "2.21.0") -> None:
    site = venv(root)
    fe.add_tensorflow(root, site, version)
    fe.add_tf_and_cuda_wheels(root, site)


TORCH_CU128_WHEELS = (
    ("nvidia-cuda-runtime-cu12", "12.8.90", "cuda_runtime", ("libcudart.so.12",)),
    ("nvidia-cublas-cu12", "12.8.4.1", "cublas", ("libcublas.so.12", "libcublasLt.so.12")),
    ("nvidia-cudnn-cu12", "9.10.2.21", "cudnn", ("libcudnn.so.9",)),
    ("nvidia-cufft-cu12", "11.3.3.83", "cufft", ("libcufft.so.11",)),
    ("nvidia-curand-cu12", "10.3.9.90", "curand", ("libcurand.so.10",)),
    ("nvidia-cusolver-cu12", "11.7.3.90", "cusolver", ("libcusolver.so.11",)),
    ("nvidia-cusparse-cu12", "12.5.8.93", "cusparse", ("libcusparse.so.12",)),
    ("nvidia-nccl-cu12", "2.27.3", "nccl", ("libnccl.so.2",)),
)


def torch_cuda(root: Path, version: str = "2.8.0+cu128", cuda: str = "12.8") -> None:
    fe.add_torch(root, venv(root), version, cuda, wheels=TORCH_CU128_WHEELS)


# --- healthy -------------------------------------------------------------------------------------

@scenario([], gpu_usable=True)
def healthy_a100_tf_and_cuda(root: Path) -> Setup:
    gpu_vm(root)
    tf_and_cuda(root)
    return Setup(nvml=nvml())


@scenario([], gpu_usable=True)
def healthy_torch_cu128(root: Path) -> Setup:
    gpu_vm(root)
    torch_cuda(root)
    return Setup(nvml=nvml())


@scenario([], gpu_usable=True)
def healthy_jax_cuda12(root: Path) -> Setup:
    gpu_vm(root, device="0x2330")  # H100 SXM5
    jax_cuda12(root)
    return Setup(nvml=nvml(name="NVIDIA H100 80GB HBM3", cc="9.0"))


@scenario([], gpu_usable=True, source="https://learn.microsoft.com/windows/ai/directml/gpu-cuda-in-wsl")
def wsl2_with_windows_driver(root: Path) -> Setup:
    fr.add_os_release(root)
    fr.add_wsl(root, driver=True)
    tf_and_cuda(root)
    return Setup(nvml=nvml(driver="566.36", cuda=12070, name="NVIDIA GeForce RTX 4090", cc="8.9"))


@scenario([], gpu_usable=True)
def healthy_docker_with_gpus_all(root: Path) -> Setup:
    fr.add_running_system(root)
    fr.add_pci_gpu(root, fr.NVIDIA, "0x20b0", fr.CONTROLLER_3D, "nvidia")
    fr.add_container_markers(root, "docker", gpu=True, driver_version="560.35.03")
    fr.add_nvidia_driver(root, "560.35.03")
    torch_cuda(root)
    return Setup(nvml=nvml())


# --- NO_GPU ----------------------------------------------------------------------------------------

@scenario(["NO_GPU", "FRAMEWORK_CPU_BUILD"])
def cpu_vm_torch_cpu(root: Path) -> Setup:
    cpu_vm(root)
    fe.add_torch(root, venv(root), "2.5.1+cpu", None)
    return Setup()


@scenario(["NO_GPU"], findings=["HW001"], source="https://learn.microsoft.com/azure/virtual-machines/sizes/overview")
def azure_cpu_size(root: Path) -> Setup:
    cpu_vm(root)
    fr.add_dmi(root)
    tf_and_cuda(root)
    return Setup(vm_size="Standard_D4s_v5")


@scenario(["NO_GPU", "CUDA_LIBS_MISMATCH", "CUDNN_MISSING"], source="this development machine: no GPU, CUDA 13.0 toolkit, TF 2.21")
def cpu_vm_tf221_with_only_cuda13(root: Path) -> Setup:
    cpu_vm(root)
    fe.add_cuda_toolkit(root, "13.0", libs=("cudart",))
    fe.add_ld_so_conf(root, [CUDA_LIB])
    fe.write_ld_so_cache(root, [("libcudart.so.13", f"{CUDA_LIB}/libcudart.so.13")])
    fe.add_tensorflow(root, venv(root), "2.21.0")
    return Setup()


@scenario(["NO_GPU"], findings=["HW001", "FW006"])
def cpu_vm_no_framework(root: Path) -> Setup:
    cpu_vm(root)
    venv(root)
    return Setup()


@scenario(["NO_GPU", "FRAMEWORK_CPU_BUILD"])
def azureml_cpu_cluster_job(root: Path) -> Setup:
    cpu_vm(root)
    fr.add_dmi(root)
    fr.add_container_markers(root, "docker")
    fe.add_jax(root, venv(root), "0.4.35")
    return Setup(vm_size="Standard_DS3_v2", environ={"AZUREML_RUN_ID": "job_1234", "AZUREML_ARM_WORKSPACE_NAME": "ws"})


# --- GPU_NOT_SUPPORTED ---------------------------------------------------------------------------

@scenario(["GPU_NOT_SUPPORTED", "FRAMEWORK_CPU_BUILD"], source="https://learn.microsoft.com/azure/virtual-machines/nvv4-series")
def azure_nvv4_amd(root: Path) -> Setup:
    fr.add_running_system(root)
    fr.add_dmi(root)
    fr.add_pci_gpu(root, fr.AMD, "0x6860", fr.VGA, "amdgpu")
    fe.add_torch(root, venv(root), "2.5.1+cpu", None)
    return Setup(vm_size="Standard_NV8as_v4")


@scenario(["GPU_NOT_SUPPORTED", "DRIVER_TOO_OLD"], source="https://github.com/tensorflow/tensorflow/issues/62075")
def k80_with_cuda12_tf(root: Path) -> Setup:
    gpu_vm(root, device="0x102d", driver="470.256.02")
    tf_and_cuda(root)
    return Setup(nvml=nvml(driver="470.256.02", cuda=11040, name="Tesla K80", cc="3.7"))


@scenario(["GPU_NOT_SUPPORTED"], source="https://github.com/pytorch/pytorch/issues/159207")
def rtx5090_with_old_torch(root: Path) -> Setup:
    gpu_vm(root, device="0x2b85", driver="575.57.08")
    fe.add_torch(root, venv(root), "2.5.1+cu124", "12.4", wheels=TORCH_CU128_WHEELS)
    return Setup(nvml=nvml(driver="575.57.08", cuda=12090, name="NVIDIA GeForce RTX 5090", cc="12.0"))


# --- DRIVER_MISSING ------------------------------------------------------------------------------

@scenario(["DRIVER_MISSING"], source="https://github.com/NVIDIA/nvidia-docker/issues/1163")
def gpu_without_driver(root: Path) -> Setup:
    gpu_vm(root, driver=None, bound=None)
    tf_and_cuda(root)
    return Setup(smi=fr.failed(9, "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n"))


@scenario(["DRIVER_MISSING"], findings=["HW004"])
def gpu_held_by_nouveau(root: Path) -> Setup:
    gpu_vm(root, device="0x2204", driver=None, bound="nouveau")
    torch_cuda(root)
    return Setup()


@scenario(["DRIVER_MISSING"])
def wsl2_without_windows_driver(root: Path) -> Setup:
    fr.add_os_release(root)
    fr.add_wsl(root, driver=False)
    torch_cuda(root)
    return Setup()


@scenario(["DRIVER_MISSING"])
def driver_libs_installed_module_not_loaded(root: Path) -> Setup:
    gpu_vm(root, driver=None, bound=None)
    fr.add_driver_libs(root, "560.35.03")
    torch_cuda(root)
    return Setup(nvml=fr.nvml_failed("nvmlInit", "Driver Not Loaded", "NVML_ERROR_DRIVER_NOT_LOADED"))


# --- DRIVER_TOO_OLD ------------------------------------------------------------------------------

@scenario(["DRIVER_TOO_OLD"], source="https://github.com/tensorflow/tensorflow/issues/62075")
def driver_470_with_tf215(root: Path) -> Setup:
    gpu_vm(root, driver="470.82.01")
    site = venv(root)
    fe.add_tensorflow(root, site, "2.15.0", cuda="12.2", cudnn="8")
    fe.add_tf_and_cuda_wheels(root, site, [
        ("nvidia-cuda-runtime-cu12", "12.2.140", "cuda_runtime", ("libcudart.so.12",)),
        ("nvidia-cublas-cu12", "12.2.5.6", "cublas", ("libcublas.so.12", "libcublasLt.so.12")),
        ("nvidia-cudnn-cu12", "8.9.4.25", "cudnn", ("libcudnn.so.8",)),
        ("nvidia-cufft-cu12", "11.0.8.103", "cufft", ("libcufft.so.11",)),
        ("nvidia-curand-cu12", "10.3.3.141", "curand", ("libcurand.so.10",)),
        ("nvidia-cusolver-cu12", "11.5.2.141", "cusolver", ("libcusolver.so.11",)),
        ("nvidia-cusparse-cu12", "12.1.2.141", "cusparse", ("libcusparse.so.12",)),
        ("nvidia-nvjitlink-cu12", "12.2.140", "nvjitlink", ("libnvJitLink.so.12",)),
        ("nvidia-cuda-nvrtc-cu12", "12.2.140", "cuda_nvrtc", ("libnvrtc.so.12",)),
    ])
    return Setup(nvml=nvml(driver="470.82.01", cuda=11040))


@scenario(["DRIVER_TOO_OLD"], source="https://github.com/pytorch/pytorch/issues/31243")
def driver_450_with_torch_cu128(root: Path) -> Setup:
    gpu_vm(root, device="0x1db4", driver="450.80.02")  # V100
    torch_cuda(root)
    return Setup(nvml=nvml(driver="450.80.02", cuda=11000, name="Tesla V100-PCIE-16GB", cc="7.0"))


# --- DRIVER_MISMATCH -----------------------------------------------------------------------------

@scenario(["DRIVER_MISMATCH"], source="https://github.com/NVIDIA/nvidia-docker/issues/182")
def driver_library_mismatch_after_upgrade(root: Path) -> Setup:
    gpu_vm(root, driver=None)
    fr.add_kernel_module(root, "535.104.05")
    fr.add_dev_nodes(root, ["nvidia0", "nvidiactl", "nvidia-uvm"])
    fr.add_driver_libs(root, "535.129.03")
    torch_cuda(root)
    return Setup(
        nvml=fr.nvml_failed("nvmlInit", "Driver/library version mismatch", "NVML_ERROR_LIB_RM_VERSION_MISMATCH"),
        smi=fr.failed(18, "Failed to initialize NVML: Driver/library version mismatch\n"),
    )


# --- CONTAINER_NO_GPU ----------------------------------------------------------------------------

@scenario(["CONTAINER_NO_GPU"], source="https://github.com/NVIDIA/nvidia-docker/issues/1163")
def docker_without_gpus_flag(root: Path) -> Setup:
    fr.add_running_system(root)
    fr.add_pci_gpu(root, fr.NVIDIA, "0x20b0", fr.CONTROLLER_3D, "nvidia")
    fr.add_container_markers(root, "docker", gpu=False)
    tf_and_cuda(root)
    return Setup()


@scenario(["CONTAINER_NO_GPU"])
def docker_cgroup2_without_gpu(root: Path) -> Setup:
    fr.add_running_system(root)
    fr.add_pci_gpu(root, fr.NVIDIA, "0x2330", fr.CONTROLLER_3D, "nvidia")
    fr.add_container_markers(root, "docker-cgroup2", gpu=False)
    torch_cuda(root)
    return Setup()


@scenario(["CONTAINER_NO_GPU"])
def kubernetes_pod_without_gpu_limit(root: Path) -> Setup:
    fr.add_running_system(root)
    fr.add_pci_gpu(root, fr.NVIDIA, "0x26b9", fr.CONTROLLER_3D, "nvidia")  # L40S node
    fr.add_container_markers(root, "kubernetes", gpu=False)
    torch_cuda(root)
    return Setup(environ={"KUBERNETES_SERVICE_HOST": "10.0.0.1"})


@scenario(["CONTAINER_NO_GPU"], findings=["CTR002"])
def nvidia_visible_devices_void(root: Path) -> Setup:
    fr.add_running_system(root)
    fr.add_pci_gpu(root, fr.NVIDIA, "0x20b0", fr.CONTROLLER_3D, "nvidia")
    fr.add_container_markers(root, "docker", gpu=False)
    torch_cuda(root)
    return Setup(environ={"NVIDIA_VISIBLE_DEVICES": "void"})


# --- CUDA libraries ------------------------------------------------------------------------------

@scenario(["CUDA_LIBS_MISMATCH", "CUDNN_MISSING"], source="https://github.com/tensorflow/tensorflow/issues/42162")
def tf221_only_system_cuda13(root: Path) -> Setup:
    gpu_vm(root)
    fe.add_cuda_toolkit(root, "13.0", libs=("cudart", "cublas", "cublasLt"))
    fe.add_ld_so_conf(root, [CUDA_LIB])
    fe.write_ld_so_cache(root, [(f"lib{n}.so.13", f"{CUDA_LIB}/lib{n}.so.13") for n in ("cudart", "cublas", "cublasLt")])
    fe.add_tensorflow(root, venv(root), "2.21.0")
    return Setup(nvml=nvml(driver="580.65.06", cuda=13000))


@scenario(["CUDA_LIBS_MISSING", "CUDNN_MISSING"], source="https://www.tensorflow.org/install/pip#linux")
def tf221_plain_pip_no_cuda_anywhere(root: Path) -> Setup:
    gpu_vm(root)
    fe.add_tensorflow(root, venv(root), "2.21.0")
    return Setup(nvml=nvml())


@scenario(["CUDA_LIBS_MISMATCH"], findings=["CUDA004"])
def and_cuda_shadowed_by_ld_library_path(root: Path) -> Setup:
    gpu_vm(root)
    tf_and_cuda(root)
    other = "/usr/local/cuda-12.0/targets/x86_64-linux/lib"
    fe.add_cuda_toolkit(root, "12.0", full="12.0.140", libs=("cudart", "cublas", "cublasLt", "cufft", "curand", "cusolver", "cusparse", "nvrtc", "nvJitLink"), link=False)
    return Setup(nvml=nvml(), environ={"LD_LIBRARY_PATH": other})


@scenario(["CUDA_LIBS_NOT_ON_PATH"], source="https://github.com/tensorflow/tensorflow/issues/7975")
def cuda_toolkit_off_loader_path(root: Path) -> Setup:
    gpu_vm(root, driver="450.80.02")
    site = venv(root)
    fe.add_tensorflow(root, site, "2.4.0", cuda="11.0", cudnn="8", and_cuda=())
    lib = "/usr/local/cuda-11.0/targets/x86_64-linux/lib"
    fe.add_cuda_toolkit(root, "11.0", full="11.0.221", libs=("cudart", "cublas", "cublasLt", "cufft", "curand", "cusolver", "cusparse"), link=False)
    fe.add_cudnn_system(root, 8, "8.0.5", lib_dir=lib)
    return Setup(nvml=nvml(driver="450.80.02", cuda=11000))


# --- cuDNN ---------------------------------------------------------------------------------------

@scenario(["CUDNN_MISMATCH"], source="https://github.com/tensorflow/tensorflow/issues/62075")
def cudnn8_where_9_needed(root: Path) -> Setup:
    gpu_vm(root)
    site = venv(root)
    fe.add_tensorflow(root, site, "2.21.0")
    fe.add_tf_and_cuda_wheels(root, site, [w for w in fe.TF_AND_CUDA_12 if w[0] != "nvidia-cudnn-cu12"]
                              + [("nvidia-cudnn-cu12", "8.9.7.29", "cudnn", ("libcudnn.so.8",))])
    return Setup(nvml=nvml())


@scenario(["CUDNN_MISSING"])
def torch_cuda_wheel_without_cudnn(root: Path) -> Setup:
    gpu_vm(root)
    fe.add_torch(root, venv(root), "2.8.0+cu128", "12.8", wheels=[w for w in TORCH_CU128_WHEELS if "cudnn" not in w[0]])
    return Setup(nvml=nvml())


# --- framework builds ----------------------------------------------------------------------------

@scenario(["FRAMEWORK_CPU_BUILD"], source="https://github.com/pytorch/pytorch/issues/30664")
def torch_cpu_on_gpu_vm(root: Path) -> Setup:
    gpu_vm(root)
    fe.add_torch(root, venv(root), "2.5.1+cpu", None)
    return Setup(nvml=nvml())


@scenario(["FRAMEWORK_CPU_BUILD"])
def tensorflow_cpu_package(root: Path) -> Setup:
    gpu_vm(root)
    fe.add_tensorflow(root, venv(root), "2.21.0", cuda=None, cudnn=None, dist="tensorflow-cpu", is_cuda_build=False)
    return Setup(nvml=nvml())


@scenario(["FRAMEWORK_CPU_BUILD"], source="https://docs.jax.dev/en/latest/installation.html")
def jax_without_cuda_plugin(root: Path) -> Setup:
    gpu_vm(root)
    fe.add_jax(root, venv(root), "0.4.35")
    return Setup(nvml=nvml())


@scenario(["FRAMEWORK_INSTALL_BROKEN"], source="https://pypi.org/project/tensorflow-gpu/")
def tensorflow_gpu_stub(root: Path) -> Setup:
    gpu_vm(root)
    site = venv(root)
    fe.add_tensorflow_gpu_stub(root, site, "2.12.0")
    return Setup(nvml=nvml())


@scenario(["FRAMEWORK_CPU_BUILD", "FRAMEWORK_INSTALL_BROKEN"])
def tensorflow_and_tensorflow_cpu(root: Path) -> Setup:
    gpu_vm(root)
    site = venv(root)
    fe.add_tensorflow(root, site, "2.21.0", cuda=None, cudnn=None, is_cuda_build=False)
    fe.add_dist(root, site, "tensorflow-cpu", "2.21.0")
    return Setup(nvml=nvml())


@scenario(["FRAMEWORK_INSTALL_BROKEN"], gpu_usable=True, findings=["FW005"])
def conda_cudatoolkit_with_pip_wheels(root: Path) -> Setup:
    gpu_vm(root)
    site = fe.make_site_packages(root, "/opt/conda/envs/train", kind="conda")
    fe.add_tensorflow(root, site, "2.21.0")
    fe.add_tf_and_cuda_wheels(root, site)
    fe.add_conda_package(root, "/opt/conda/envs/train", "cudatoolkit", "11.8.0")
    fe.add_conda_package(root, "/opt/conda/envs/train", "cudnn", "8.9.2.26")
    return Setup(nvml=nvml(), python="/opt/conda/envs/train/bin/python")


# --- GPU_HIDDEN ----------------------------------------------------------------------------------

@scenario(["GPU_HIDDEN"], source="https://github.com/tensorflow/tensorflow/issues/42162")
def cuda_visible_devices_minus_one(root: Path) -> Setup:
    gpu_vm(root)
    tf_and_cuda(root)
    return Setup(nvml=nvml(), environ={"CUDA_VISIBLE_DEVICES": "-1"})


@scenario(["GPU_HIDDEN"])
def cuda_visible_devices_empty(root: Path) -> Setup:
    gpu_vm(root)
    torch_cuda(root)
    return Setup(nvml=nvml(), environ={"CUDA_VISIBLE_DEVICES": ""})


@scenario(["GPU_HIDDEN"])
def cuda_visible_devices_nonexistent_id(root: Path) -> Setup:
    gpu_vm(root)
    torch_cuda(root)
    return Setup(nvml=nvml(), environ={"CUDA_VISIBLE_DEVICES": "1"})


@scenario(["GPU_HIDDEN"])
def jax_platforms_cpu(root: Path) -> Setup:
    gpu_vm(root)
    jax_cuda12(root)
    return Setup(nvml=nvml(), environ={"JAX_PLATFORMS": "cpu"})


# --- GPU_BUSY / GPU_FAULT -----------------------------------------------------------------------

@scenario(["GPU_BUSY"], gpu_usable=True)
def gpu_memory_held_by_another_process(root: Path) -> Setup:
    gpu_vm(root)
    torch_cuda(root)
    return Setup(nvml=nvml(memory_used_mib=40500, processes=[{"pid": 4242, "name": "python", "used_memory_mib": 40490}]))


@scenario(["GPU_BUSY"])
def exclusive_process_mode_taken(root: Path) -> Setup:
    gpu_vm(root)
    torch_cuda(root)
    return Setup(nvml=nvml(compute_mode="Exclusive_Process", memory_used_mib=2000, processes=[{"pid": 77, "name": "trainer", "used_memory_mib": 1990}]))


@scenario(["GPU_FAULT"], source="https://docs.nvidia.com/deploy/xid-errors/index.html")
def gpu_unknown_error(root: Path) -> Setup:
    gpu_vm(root)
    torch_cuda(root)
    return Setup(nvml=nvml(error="Unknown Error"))


# --- several at once, and --root trees -------------------------------------------------------------

@scenario(["NO_GPU", "GPU_HIDDEN"])
def cpu_vm_with_hidden_and_broken_env(root: Path) -> Setup:
    cpu_vm(root)
    tf_and_cuda(root)
    return Setup(environ={"CUDA_VISIBLE_DEVICES": "-1"})


@scenario(["CUDA_LIBS_MISSING", "CUDNN_MISSING"], gpu_usable=False)
def root_tree_image_tf_without_cuda(root: Path) -> Setup:
    fr.add_os_release(root)
    site = fe.make_site_packages(root, "/usr/local", kind="system")
    fe.add_tensorflow(root, site, "2.21.0")
    return Setup(live=False, python=None)


@scenario([], gpu_usable=None)
def root_tree_image_tf_and_cuda(root: Path) -> Setup:
    fr.add_os_release(root)
    site = fe.make_site_packages(root, "/opt/venv")
    fe.add_tensorflow(root, site, "2.21.0")
    fe.add_tf_and_cuda_wheels(root, site)
    return Setup(live=False, python=None)


@scenario(["FRAMEWORK_CPU_BUILD"], gpu_usable=False)
def root_tree_image_torch_cpu(root: Path) -> Setup:
    fr.add_os_release(root)
    fe.add_torch(root, fe.make_site_packages(root, "/opt/conda", kind="conda"), "2.5.1+cpu", None)
    return Setup(live=False, python=None)


# --- NVIDIA Jetson (lead, session 32): the GPU is in the SoC, not on PCI; L4T's nvgpu module drives it ------------------
# /etc/nv_tegra_release's first line as L4T writes it (https://docs.nvidia.com/jetson/archives/r35.4.1/DeveloperGuide/text/SD/SoftwarePackagesAndTheUpdateMechanism.html).
TEGRA_RELEASE_35_4_1 = "# R35 (release), REVISION: 4.1, GCID: 33958178, BOARD: t186ref, EABI: aarch64, DATE: Tue Aug  1 19:57:35 UTC 2023\n"


def jetson(root: Path, *, gpu_nodes: bool = True) -> None:
    """A Jetson on JetPack 5.1.2 (L4T 35.4.1): no GPU on PCI, the nvgpu module, its device nodes (``gpu_nodes``)."""
    fr.add_running_system(root, kernel="5.10.120-tegra")
    fr.add_os_release(root, "Ubuntu 20.04.6 LTS", version_id="20.04")
    fr.add_file(root, "/etc/nv_tegra_release", TEGRA_RELEASE_35_4_1)
    fr.add_dir(root, "/sys/module/nvgpu")
    if gpu_nodes:
        for node in ("nvhost-ctrl-gpu", "nvhost-gpu", "nvhost-as-gpu", "nvmap"):
            fr.add_file(root, f"/dev/{node}")


JETSON_TORCH_NEEDED = ("libcudart.so.11.0", "libcublas.so.11", "libcudnn.so.8", "libc10.so", "libc.so.6")


def nvidia_jetson_torch(root: Path) -> None:
    """NVIDIA's PyTorch for JetPack 5 with the CUDA 11.4 and cuDNN 8 JetPack installs (an l4t image from JetPack 5 on carries
    them too)."""
    toolkit = fe.add_cuda_toolkit(root, "11.4", full="11.4.315", libs=("cudart", "cublas"))
    fe.add_cudnn_system(root, 8, "8.6.0", lib_dir="/usr/lib/aarch64-linux-gnu")
    lib = f"{toolkit}/targets/x86_64-linux/lib"
    fe.add_ld_so_conf(root, [lib, "/usr/lib/aarch64-linux-gnu"])
    fe.write_ld_so_cache(root, [("libcudart.so.11.0", f"{lib}/libcudart.so.11.0"), ("libcublas.so.11", f"{lib}/libcublas.so.11"),
                                ("libcudnn.so.8", "/usr/lib/aarch64-linux-gnu/libcudnn.so.8")])
    fe.add_torch(root, venv(root), "2.1.0a0+41361538.nv23.06", "11.4", needed=JETSON_TORCH_NEEDED)


@scenario([], gpu_usable=None, source="https://docs.nvidia.com/deeplearning/frameworks/install-pytorch-jetson-platform/index.html")
def jetson_with_nvidia_torch(root: Path) -> Setup:
    jetson(root)
    nvidia_jetson_torch(root)
    return Setup()


@scenario(["FRAMEWORK_CPU_BUILD"], findings=["FW001"], source="https://github.com/ultralytics/ultralytics/issues/17345")
def jetson_with_pypi_torch(root: Path) -> Setup:
    jetson(root)
    fe.add_torch(root, venv(root), "2.5.1", None)
    return Setup()


@scenario(["FRAMEWORK_CPU_BUILD"], findings=["FW001"], source="https://github.com/dusty-nv/jetson-containers/issues/391")
def jetson_with_torch_cu124(root: Path) -> Setup:
    jetson(root)
    fe.add_torch(root, venv(root), "2.5.0+cu124", "12.4", wheels=TORCH_CU128_WHEELS)
    return Setup()


@scenario(["CONTAINER_NO_GPU"], findings=["CTR001"], source="https://github.com/dusty-nv/jetson-containers/blob/master/docs/setup.md")
def jetson_container_without_nvidia_runtime(root: Path) -> Setup:
    jetson(root, gpu_nodes=False)
    fr.add_container_markers(root, "docker", gpu=False)
    nvidia_jetson_torch(root)
    return Setup()
