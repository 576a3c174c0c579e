"""The PyTorch knowledge look-ups answer known values from the data files and None for unknown ones."""

from __future__ import annotations

import pytest

from whygpu.knowledge import torch


def test_torch_release() -> None:
    release = torch.torch_release("2.7.1+cu126")
    assert release is not None
    assert release.cuda_variants == ["11.8", "12.6", "12.8"]
    assert release.experimental_cuda_variants == ("12.8",)
    assert release.pypi_default_cuda == "12.6"
    assert (release.python_min, release.python_max) == ("3.9", "3.13")
    assert torch.torch_release("2.5.0").pypi_default_cuda == "12.4"  # type: ignore[union-attr]
    assert torch.torch_release("2.11.0").pypi_default_cuda == "13.0"  # type: ignore[union-attr]
    assert torch.torch_release("9.0") is None

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
    assert torch.torch_cuda_from_local_tag(tag) == cuda

def test_torch_arch_list() -> None:
    assert torch.torch_arch_list("2.7.1", "12.8") == ["7.5", "8.0", "8.6", "9.0", "10.0", "12.0"]
    assert torch.torch_arch_list("2.7.0", "cu118")[0] == "3.7"  # type: ignore[index]
    assert torch.torch_arch_list("2.9.0", "13.0")[-1] == "12.0+PTX"  # type: ignore[index]
    assert "7.0" not in torch.torch_arch_list("2.11.0", "12.8")  # type: ignore[operator]
    assert torch.torch_arch_list("2.7.0", "10.2") is None
    assert torch.torch_arch_list("0.1", "12.6") is None

def test_torch_index_url() -> None:
    assert torch.torch_index_url("12.6") == "https://download.pytorch.org/whl/cu126"
    assert torch.torch_index_url("cu118") == "https://download.pytorch.org/whl/cu118"
    assert torch.torch_index_url(None) == "https://download.pytorch.org/whl/cpu"
