"""Every subject's knowledge rows are frozen and carry the public source they came from."""

from __future__ import annotations

import dataclasses

import pytest

from whygpu.knowledge import aws, azure, cuda, gpus, jax, tensorflow, torch


def test_rows_are_frozen_and_carry_sources() -> None:
    build = tensorflow.tensorflow_build("2.15")
    assert build is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        build.cuda = "11.0"  # type: ignore[misc]
    values = [
        build,
        tensorflow.tensorflow_package("tensorflow"),
        torch.torch_release("2.5"),
        jax.jax_cuda_requirements("0.8.0"),
        gpus.gpu_by_pci_id("0x10de", "0x1eb8"),
        cuda.cuda_error(35),
        azure.azure_vm_size("Standard_NC4as_T4_v3"),
        azure.azureml_image("openmpi4.1.0-ubuntu22.04"),
        aws.aws_instance_gpu("p3.2xlarge"),
    ]
    for value in values:
        assert value is not None and value.source.startswith("https://")
