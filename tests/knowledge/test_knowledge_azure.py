"""The Azure knowledge look-ups answer known values from the data files and None for unknown ones."""

from __future__ import annotations

import pytest

from whygpu.knowledge import azure


def test_azure_vm_size_fractional_a10() -> None:
    size = azure.azure_vm_size("Standard_NV6ads_A10_v5")
    assert size is not None
    assert size.gpu and size.gpu_vendor == "nvidia" and size.gpu_model == "A10"
    assert size.gpu_count == pytest.approx(1 / 6)
    assert size.gpu_share == "1/6"
    assert size.compute_capability == "8.6" and size.driver == "grid"

def test_azure_vm_size_known_sizes() -> None:
    v100 = azure.azure_vm_size("standard_nc6s_v3")
    assert v100 is not None and v100.status == "retired" and v100.compute_capability == "7.0"
    t4 = azure.azure_vm_size("NC64as_T4_v3")
    assert t4 is not None and t4.gpu_count == 4 and t4.cuda_capable
    nvv4 = azure.azure_vm_size("Standard_NV8as_v4")
    assert nvv4 is not None and nvv4.gpu_vendor == "amd" and not nvv4.cuda_capable
    assert nvv4.gpu_count == pytest.approx(0.25)
    gb200 = azure.azure_vm_size("Standard_ND128isr_NDR_GB200_v6")
    assert gb200 is not None and gb200.cpu_arch == "aarch64"

def test_azure_vm_size_by_pattern() -> None:
    cpu = azure.azure_vm_size("Standard_D4s_v5")
    assert cpu is not None and cpu.gpu is False and cpu.gpu_vendor is None
    for name in [
        "Standard_DS3_v2",
        "STANDARD_E8as_v5",
        "Standard_F16s_v2",
        "Standard_B2s",
        "Standard_HB120rs_v3",
    ]:
        found = azure.azure_vm_size(name)
        assert found is not None and found.gpu is False, name
    fpga = azure.azure_vm_size("Standard_NP10s")
    assert fpga is not None and fpga.gpu is False
    v710 = azure.azure_vm_size("Standard_NV12ads_V710_v5")
    assert v710 is not None and v710.gpu_vendor == "amd" and v710.gpu_count is None

def test_azure_vm_size_unknown() -> None:
    assert azure.azure_vm_size("Standard_NZ9000") is None
    assert azure.azure_vm_size("") is None

def test_azure_gpu_sizes() -> None:
    sizes = azure.azure_gpu_sizes()
    assert sizes and all(s.status == "current" and s.gpu_vendor == "nvidia" for s in sizes)
    assert "Standard_NC6s_v3" not in {s.name for s in sizes}  # retired
    modern = azure.azure_gpu_sizes("8.0")
    assert modern and all(
        s.compute_capability and float(s.compute_capability) >= 8.0 for s in modern
    )
    assert modern[0].compute_capability == "8.0"
    amd = azure.azure_gpu_sizes(vendor="amd")
    assert {s.gpu_model for s in amd} == {"Instinct MI300X"}  # NVv4 is retiring, not current

def test_azureml_image() -> None:
    gpu = azure.azureml_image(
        "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04:20250701.v1"
    )
    assert gpu is not None and gpu.gpu and (gpu.cuda, gpu.cudnn) == ("11.8", "8")
    cpu = azure.azureml_image("mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest")
    assert cpu is not None and cpu.gpu is False and cpu.cuda is None
    assert azure.azureml_image("openmpi5.0-cuda12.8-ubuntu24.04").cuda == "12.8.1"  # type: ignore[union-attr]
    assert azure.azureml_image("python:3.11") is None
