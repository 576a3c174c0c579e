"""The typed knowledge look-ups answer known values from the data files and None for unknown ones."""

from __future__ import annotations

import dataclasses

import pytest

from whygpu.knowledge import query as q


def test_tensorflow_build_maps_a_patch_release_to_its_minor_row() -> None:
    build = q.tensorflow_build("2.15.1")
    assert build is not None
    assert (build.cuda, build.cudnn, build.python_min, build.python_max) == (
        "12.2",
        "8.9",
        "3.9",
        "3.11",
    )
    assert build.source.startswith("https://www.tensorflow.org/")
    assert q.tensorflow_build("2.16.2").cuda == "12.3"  # type: ignore[union-attr]
    assert q.tensorflow_build("2.21.0").cudnn == "9.3"  # type: ignore[union-attr]
    assert q.tensorflow_build("1.15.0").package == "tensorflow_gpu"  # type: ignore[union-attr]
    assert q.tensorflow_build("2.1.0").python_also == ("2.7",)  # type: ignore[union-attr]


def test_tensorflow_build_on_windows_ends_gpu_support_at_2_10() -> None:
    assert q.tensorflow_build("2.10.1", "windows").cuda == "11.2"  # type: ignore[union-attr]
    cpu_only = q.tensorflow_build("2.12.0", "win32")
    assert cpu_only is not None and cpu_only.gpu is False and cpu_only.cuda is None
    assert q.tensorflow_native_gpu("2.10.0", "windows") is True
    assert q.tensorflow_native_gpu("2.11.0", "windows") is False
    assert q.tensorflow_native_gpu("2.15", "linux") is True


def test_tensorflow_build_unknown_values() -> None:
    assert q.tensorflow_build("3.0") is None
    assert q.tensorflow_build("not a version") is None
    assert q.tensorflow_build("2.15", "solaris") is None


def test_tensorflow_packages() -> None:
    stub = q.tensorflow_package("tensorflow_gpu")
    assert stub is not None and stub.stub_from == "2.12" and stub.is_stub
    cpu = q.tensorflow_package("TensorFlow-CPU")
    assert cpu is not None and cpu.gpu is False
    assert q.tensorflow_package("tensorflow").gpu is None  # type: ignore[union-attr]
    assert q.tensorflow_package("tensorflow-metal").accelerator == "metal"  # type: ignore[union-attr]
    assert q.tensorflow_package("tensorflow-rocm").gpu is False  # type: ignore[union-attr]
    assert q.tensorflow_package("numpy") is None


def test_tensorflow_and_cuda_pins() -> None:
    pins = q.tensorflow_and_cuda_pins("2.15.0")
    assert pins is not None
    assert pins["nvidia-cudnn-cu12"] == "==8.9.4.25"
    assert pins["nvidia-cuda-runtime-cu12"] == "==12.2.140"
    assert q.tensorflow_and_cuda_pins("2.14.1")["nvidia-cudnn-cu11"] == "==8.7.0.84"  # type: ignore[index]
    assert q.tensorflow_and_cuda_pins("2.21")["nvidia-cudnn-cu12"] == ">=9.3.0.75,<10.0"  # type: ignore[index]
    assert q.tensorflow_and_cuda_pins("2.13.0") is None
    assert q.tensorflow_and_cuda_pins("9.9") is None


def test_tensorflow_compute_capability() -> None:
    assert q.tensorflow_min_compute_capability("2.17.0") == "6.0"
    assert q.tensorflow_min_compute_capability("2.16.1") == "5.0"
    assert q.tensorflow_min_compute_capability("2.10.0") == "3.5"
    assert q.tensorflow_min_compute_capability("2.21.0rc1") == "6.0"
    row = q.tensorflow_compute_capability("2.19")
    assert row is not None and "compute_90" in row.archs
    assert q.tensorflow_min_compute_capability("0.5") is None


def test_tensorflow_compute_capability_lists_match_the_wheels() -> None:
    assert "sm_35" in q.tensorflow_compute_capability("2.14.0").archs  # type: ignore[union-attr]
    assert q.tensorflow_compute_capability("2.15.0").archs == (  # type: ignore[union-attr]
        "sm_50",
        "sm_60",
        "sm_70",
        "sm_75",
        "compute_80",
    )
    assert q.tensorflow_compute_capability("2.3.1").archs[-1] == "compute_70"  # type: ignore[union-attr]


def test_latest_tensorflow() -> None:
    assert q.latest_tensorflow() == "2.21"


def test_torch_release() -> None:
    release = q.torch_release("2.7.1+cu126")
    assert release is not None
    assert release.cuda_variants == ["11.8", "12.6", "12.8"]
    assert release.experimental_cuda_variants == ("12.8",)
    assert release.pypi_default_cuda == "12.6"
    assert (release.python_min, release.python_max) == ("3.9", "3.13")
    assert q.torch_release("2.5.0").pypi_default_cuda == "12.4"  # type: ignore[union-attr]
    assert q.torch_release("2.11.0").pypi_default_cuda == "13.0"  # type: ignore[union-attr]
    assert q.torch_release("9.0") is None


@pytest.mark.parametrize(
    ("tag", "cuda"),
    [
        ("cu121", "12.1"),
        ("cu118", "11.8"),
        ("+cu130", "13.0"),
        ("2.1.0+cu102", "10.2"),
        ("cpu", None),
        ("rocm6.1", None),
        ("2.7.1", None),
        ("xpu", None),
    ],
)
def test_torch_cuda_from_local_tag(tag: str, cuda: str | None) -> None:
    assert q.torch_cuda_from_local_tag(tag) == cuda


def test_torch_arch_list() -> None:
    assert q.torch_arch_list("2.7.1", "12.8") == ["7.5", "8.0", "8.6", "9.0", "10.0", "12.0"]
    assert q.torch_arch_list("2.7.0", "cu118")[0] == "3.7"  # type: ignore[index]
    assert q.torch_arch_list("2.9.0", "13.0")[-1] == "12.0+PTX"  # type: ignore[index]
    assert "7.0" not in q.torch_arch_list("2.11.0", "12.8")  # type: ignore[operator]
    assert q.torch_arch_list("2.7.0", "10.2") is None
    assert q.torch_arch_list("0.1", "12.6") is None


def test_torch_index_url() -> None:
    assert q.torch_index_url("12.6") == "https://download.pytorch.org/whl/cu126"
    assert q.torch_index_url("cu118") == "https://download.pytorch.org/whl/cu118"
    assert q.torch_index_url(None) == "https://download.pytorch.org/whl/cpu"
    assert q.torch_index_source().startswith("https://pytorch.org/")


def test_torch_pypi_cpu_only() -> None:
    assert q.torch_pypi_cpu_only("win32") is not None
    assert q.torch_pypi_cpu_only("darwin") is not None
    assert q.torch_pypi_cpu_only("linux") is None


def test_jax_cuda_requirements() -> None:
    reqs = q.jax_cuda_requirements("0.8.1")
    assert reqs is not None
    assert {"jax-cuda12-plugin", "jax-cuda12-pjrt", "jax-cuda13-plugin"} <= set(
        reqs.plugin_packages
    )
    assert (reqs.min_cuda, reqs.min_cudnn, reqs.min_driver) == ("12.1", "9.8", "525")
    cuda13 = next(v for v in reqs.variants if v.cuda_major == 13)
    assert (cuda13.min_driver, cuda13.min_compute_capability) == ("580", "7.5")
    assert reqs.variant(13) == cuda13
    assert reqs.variant(11) is None
    assert reqs.extra == "cuda12"  # the variant that runs on the most drivers and GPUs
    older = q.jax_cuda_requirements("0.5.0")
    assert older is not None and older.plugin_packages == ("jax-cuda12-plugin", "jax-cuda12-pjrt")
    monolithic = q.jax_cuda_requirements("0.4.20")
    assert monolithic is not None and monolithic.cuda_jaxlib_local_tag and monolithic.extra is None
    assert q.jax_plugin_cuda_major("jax_cuda13_plugin") == 13
    assert q.jax_plugin_cuda_major("jaxlib") is None


def test_min_driver_for_cuda() -> None:
    assert q.min_driver_for_cuda("12.2") == "535.54.03"
    assert q.min_driver_for_cuda("12.2.2") == "535.104.05"
    assert q.min_driver_for_cuda("12.2.140") == "535.54.03"  # a component version -> its GA row
    assert q.min_driver_for_cuda("12.2", "windows") == "536.25"
    assert q.min_driver_for_cuda("12.7") == "560.35.05"  # no 12.7: nearest lower row of CUDA 12
    assert q.min_driver_for_cuda("11.0") == "450.51.05"
    assert q.min_driver_for_cuda("13.0", "windows") is None  # 13.x bundles no Windows driver
    assert q.min_driver_for_cuda("14.0") is None
    assert q.min_driver_for_cuda("junk") is None


def test_minor_compat_min_driver() -> None:
    assert q.minor_compat_min_driver(12) == "525.60.13"
    assert q.minor_compat_min_driver(11, "windows") == "452.39"
    assert q.minor_compat_min_driver(13) == "580"
    assert q.minor_compat_min_driver(10) is None


def test_max_cuda_for_driver() -> None:
    assert q.max_cuda_for_driver("535.104.05", minor_compat=False) == "12.2"
    assert q.max_cuda_for_driver("535.104.05") == "12.9"  # any 12.x through minor-version compat
    assert q.max_cuda_for_driver("470.82.01", minor_compat=False) == "11.4"
    assert q.max_cuda_for_driver("418.39") == "10.1"
    assert q.max_cuda_for_driver("520.06", "windows", minor_compat=False) == "11.8"
    assert q.max_cuda_for_driver("300.1") is None
    assert q.max_cuda_for_driver("garbage") is None


def test_cuda_forward_compat_and_driver_branch() -> None:
    facts = q.cuda_forward_compat()
    assert "GeForce" in facts["supported_gpus"]
    branch = q.driver_branch("470.82.01")
    assert branch is not None and branch.cuda_major == 11 and branch.type == "LTSB"
    assert q.driver_branch("999.1") is None


def test_gpu_by_pci_id() -> None:
    k80 = q.gpu_by_pci_id("0x10de", "0x102d")
    assert k80 is not None and k80.name == "Tesla K80" and k80.compute_capability == "3.7"
    assert q.gpu_by_pci_id("10DE", "1EB8").name == "Tesla T4"  # type: ignore[union-attr]
    mi25 = q.gpu_by_pci_id("0x1002", "0x6860")
    assert mi25 is not None and mi25.vendor == "amd" and mi25.compute_capability is None
    assert q.gpu_by_pci_id("0x10de", "0xffff") is None
    assert q.gpu_by_pci_id("0x1002", "0x102d") is None  # the K80's id under another vendor
    assert q.gpu_by_pci_id("nope", "102d") is None


@pytest.mark.parametrize(
    ("printed", "model", "cc"),
    [
        ("Tesla T4", "Tesla T4", "7.5"),
        ("NVIDIA A100-SXM4-80GB", "A100", "8.0"),
        ("NVIDIA H100 80GB HBM3", "H100", "9.0"),
        ("NVIDIA H100 NVL", "H100", "9.0"),
        ("NVIDIA A10-4Q", "A10", "8.6"),
        ("NVIDIA A10G", "A10G", "8.6"),
        ("Tesla V100S-PCIE-32GB", "Tesla V100", "7.0"),
        ("NVIDIA GH200 480GB", "GH200", "9.0"),
        ("NVIDIA RTX 6000 Ada Generation", "RTX 6000 Ada Generation", "8.9"),
        ("Quadro RTX 6000", "Quadro RTX 6000", "7.5"),
        ("NVIDIA GeForce RTX 5090", "GeForce RTX 5090", "12.0"),
        ("Tesla K80", "Tesla K80", "3.7"),
    ],
)
def test_gpu_by_name(printed: str, model: str, cc: str) -> None:
    found = q.gpu_by_name(printed)
    assert found is not None and (found.name, found.compute_capability) == (model, cc)


def test_gpu_by_name_unknown() -> None:
    assert q.gpu_by_name("Intel(R) UHD Graphics 630") is None
    assert q.gpu_by_name("") is None


def test_compute_capability_from_chip() -> None:
    assert q.compute_capability_from_chip("GA102GL [A10]") == "8.6"
    assert q.compute_capability_from_chip("GK210GL [Tesla K80]") == "3.7"
    assert q.compute_capability_from_chip("XYZ") is None


def test_vendor_name() -> None:
    assert q.vendor_name("0x10de") == "nvidia"
    assert q.vendor_name("10DE") == "nvidia"
    assert q.vendor_name("0x1002") == "amd"
    assert q.vendor_name("0x8086") == "intel"
    assert q.vendor_name("0x1414") == "other"
    assert q.vendor_name("bogus") == "other"


def test_cuda_supports_compute_capability() -> None:
    assert q.cuda_supports_compute_capability("12.2", "3.7") is False  # Kepler dropped in 12
    assert q.cuda_supports_compute_capability("11.8", "3.7") is True
    assert q.cuda_supports_compute_capability("13.0", "7.0") is False  # Volta dropped in 13
    assert q.cuda_supports_compute_capability("13.0", "7.5") is True
    assert q.cuda_supports_compute_capability("12.6", "12.0") is False  # Blackwell needs 12.8
    assert q.cuda_supports_compute_capability("12.8", "sm_120") is True
    assert q.cuda_supports_compute_capability("8.0", "3.7") is None
    assert q.cuda_supports_compute_capability("12.2", "x") is None


def test_cuda_library_sonames() -> None:
    cuda12 = q.cuda_library_sonames("12.2")
    assert cuda12["cudart"] == ["libcudart.so.12"]
    assert cuda12["cufft"] == ["libcufft.so.11"]
    assert cuda12["nvjitlink"] == ["libnvJitLink.so.12"]
    cuda11 = q.cuda_library_sonames("11.8")
    assert cuda11["cudart"] == ["libcudart.so.11.0"]
    assert cuda11["cupti"] == ["libcupti.so.11.8"]
    assert q.cuda_library_sonames("11.0")["cusolver"] == ["libcusolver.so.10"]
    assert q.cuda_library_sonames("10.1")["cublas"] == ["libcublas.so.10"]
    assert q.cuda_library_sonames("10.0")["cudart"] == ["libcudart.so.10.0"]
    assert q.cuda_library_sonames("13.0")["cublas"] == ["libcublas.so.13"]
    assert q.cuda_library_sonames("7.5") == {}
    assert q.cuda_library_sonames("nonsense") == {}


def test_cudnn_sonames() -> None:
    assert q.cudnn_sonames("8.9.7")[0] == "libcudnn.so.8"
    assert "libcudnn_ops_infer.so.8" in q.cudnn_sonames("8")
    assert "libcudnn_engines_precompiled.so.9" in q.cudnn_sonames("9.3.0")
    assert q.cudnn_sonames("42") == []


def test_cuda_wheel_packages_and_layout() -> None:
    wheels12 = q.cuda_wheel_packages(12)
    assert wheels12["cudnn"] == "nvidia-cudnn-cu12"
    assert wheels12["cudart"] == "nvidia-cuda-runtime-cu12"
    assert q.cuda_wheel_packages(11)["cublas"] == "nvidia-cublas-cu11"
    assert q.cuda_wheel_packages(13)["cudart"] == "nvidia-cuda-runtime"
    assert q.cuda_wheel_lib_dirs(12)["cublas"] == "nvidia/cublas/lib"
    assert q.cuda_wheel_lib_dirs(13)["cudart"] == "nvidia/cu13/lib"
    assert q.cuda_wheel_lib_dirs(13)["cudnn"] == "nvidia/cudnn/lib"
    assert q.cuda_wheel_packages(10) == {}


def test_cuda_error() -> None:
    insufficient = q.cuda_error(35)
    assert insufficient is not None and insufficient.cause == "DRIVER_TOO_OLD"
    assert q.cuda_error("35").name == "cudaErrorInsufficientDriver"  # type: ignore[union-attr]
    assert q.cuda_error(100).name == "CUDA_ERROR_NO_DEVICE"  # type: ignore[union-attr]
    assert q.cuda_error("CUDA_ERROR_SYSTEM_DRIVER_MISMATCH").code == 803  # type: ignore[union-attr]
    assert q.cuda_error(803).cause == "DRIVER_MISMATCH"  # type: ignore[union-attr]
    assert q.cuda_error(209).cause == "GPU_NOT_SUPPORTED"  # type: ignore[union-attr]
    assert q.cuda_error(34).cause == "DRIVER_MISSING"  # type: ignore[union-attr]
    assert q.cuda_error(18, api="nvml").name == "NVML_ERROR_LIB_RM_VERSION_MISMATCH"  # type: ignore[union-attr]
    assert q.cuda_error(0).cause is None  # type: ignore[union-attr]
    assert q.cuda_error(12345) is None
    assert q.cuda_error("CUDA_ERROR_MADE_UP") is None


def test_azure_vm_size_fractional_a10() -> None:
    size = q.azure_vm_size("Standard_NV6ads_A10_v5")
    assert size is not None
    assert size.gpu and size.gpu_vendor == "nvidia" and size.gpu_model == "A10"
    assert size.gpu_count == pytest.approx(1 / 6)
    assert size.gpu_share == "1/6"
    assert size.compute_capability == "8.6" and size.driver == "grid"


def test_azure_vm_size_known_sizes() -> None:
    v100 = q.azure_vm_size("standard_nc6s_v3")
    assert v100 is not None and v100.status == "retired" and v100.compute_capability == "7.0"
    t4 = q.azure_vm_size("NC64as_T4_v3")
    assert t4 is not None and t4.gpu_count == 4 and t4.cuda_capable
    nvv4 = q.azure_vm_size("Standard_NV8as_v4")
    assert nvv4 is not None and nvv4.gpu_vendor == "amd" and not nvv4.cuda_capable
    assert nvv4.gpu_count == pytest.approx(0.25)
    gb200 = q.azure_vm_size("Standard_ND128isr_NDR_GB200_v6")
    assert gb200 is not None and gb200.cpu_arch == "aarch64"


def test_azure_vm_size_by_pattern() -> None:
    cpu = q.azure_vm_size("Standard_D4s_v5")
    assert cpu is not None and cpu.gpu is False and cpu.gpu_vendor is None
    for name in [
        "Standard_DS3_v2",
        "STANDARD_E8as_v5",
        "Standard_F16s_v2",
        "Standard_B2s",
        "Standard_HB120rs_v3",
    ]:
        found = q.azure_vm_size(name)
        assert found is not None and found.gpu is False, name
    fpga = q.azure_vm_size("Standard_NP10s")
    assert fpga is not None and fpga.gpu is False
    v710 = q.azure_vm_size("Standard_NV12ads_V710_v5")
    assert v710 is not None and v710.gpu_vendor == "amd" and v710.gpu_count is None


def test_azure_vm_size_unknown() -> None:
    assert q.azure_vm_size("Standard_NZ9000") is None
    assert q.azure_vm_size("") is None


def test_azure_gpu_sizes() -> None:
    sizes = q.azure_gpu_sizes()
    assert sizes and all(s.status == "current" and s.gpu_vendor == "nvidia" for s in sizes)
    assert "Standard_NC6s_v3" not in {s.name for s in sizes}  # retired
    modern = q.azure_gpu_sizes("8.0")
    assert modern and all(
        s.compute_capability and float(s.compute_capability) >= 8.0 for s in modern
    )
    assert modern[0].compute_capability == "8.0"
    amd = q.azure_gpu_sizes(vendor="amd")
    assert {s.gpu_model for s in amd} == {"Instinct MI300X"}  # NVv4 is retiring, not current


def test_azureml_image() -> None:
    gpu = q.azureml_image(
        "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04:20250701.v1"
    )
    assert gpu is not None and gpu.gpu and (gpu.cuda, gpu.cudnn) == ("11.8", "8")
    cpu = q.azureml_image("mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest")
    assert cpu is not None and cpu.gpu is False and cpu.cuda is None
    assert q.azureml_image("openmpi5.0-cuda12.8-ubuntu24.04").cuda == "12.8.1"  # type: ignore[union-attr]
    assert q.azureml_image("python:3.11") is None


def test_azureml_curated_environment() -> None:
    acpt = q.azureml_curated_environment("azureml:AzureML-acpt-pytorch-2.2-cuda12.1@latest")
    assert acpt is not None and acpt.gpu and (acpt.framework, acpt.cuda) == ("torch", "12.1")
    sklearn = q.azureml_curated_environment("azureml:AzureML-sklearn-1.5:3")
    assert sklearn is not None and sklearn.gpu is False
    assert q.azureml_curated_environment("tensorflow-2.16-cuda12").cuda == "12"  # type: ignore[union-attr]
    assert q.azureml_curated_environment("azureml:my-own-env@latest") is None


def test_azure_markers() -> None:
    dmi = q.azure_dmi_markers()
    decisive = [m for m in dmi if m.decisive]
    assert [(m.file, m.value) for m in decisive] == [
        ("chassis_asset_tag", "7783-7084-3265-9085-8269-3286-77")
    ]
    markers = q.azureml_job_markers()
    assert any(
        m.kind == "env" and m.name == "AZUREML_RUN_ID" and m.context == "job" for m in markers
    )
    assert any(m.context == "compute_instance" for m in markers)


def test_rows_are_frozen_and_carry_sources() -> None:
    build = q.tensorflow_build("2.15")
    assert build is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        build.cuda = "11.0"  # type: ignore[misc]
    values = [
        build,
        q.tensorflow_package("tensorflow"),
        q.torch_release("2.5"),
        q.jax_cuda_requirements("0.8.0"),
        q.gpu_by_name("Tesla T4"),
        q.cuda_error(35),
        q.azure_vm_size("Standard_NC4as_T4_v3"),
        q.azureml_image("openmpi4.1.0-ubuntu22.04"),
    ]
    for value in values:
        assert value is not None and value.source.startswith("https://")
