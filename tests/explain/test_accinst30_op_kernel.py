"""accinst (session 30): PyTorch's dispatcher naming an extension's operator with no CUDA kernel (LOG-PT-OP-NO-CUDA-KERNEL).
Lines written from the message's format in aten/src/ATen/core/dispatch/OperatorEntry.cpp, not pasted from a report."""

from __future__ import annotations

import pytest

from log_text import finding_codes, first_cause


@pytest.mark.parametrize("op", ["torchvision::nms", "torchaudio::rnnt_loss", "torch_scatter::scatter_max", "mmcv::roi_align"])
def test_an_extension_op_without_a_cuda_kernel_is_a_mismatched_install(op: str) -> None:
    line = f"NotImplementedError: Could not run '{op}' with arguments from the 'CUDA' backend. This could be because the operator doesn't exist for this backend"
    assert first_cause(line) == "FRAMEWORK_INSTALL_BROKEN"


@pytest.mark.parametrize("line", [
    "RuntimeError: Could not run 'aten::empty_strided' with arguments from the 'CUDA' backend.",  # torch's own operator
    "NotImplementedError: Could not run 'torchvision::nms' with arguments from the 'CPU' backend.",  # not the GPU
    "NotImplementedError: Could not run 'torchvision::nms' with arguments from the 'MPS' backend.",
])
def test_torch_own_ops_and_other_backends_are_not_read(line: str) -> None:
    assert "LOG-PT-OP-NO-CUDA-KERNEL" not in finding_codes(line)
