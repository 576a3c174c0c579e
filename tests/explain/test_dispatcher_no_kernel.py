"""PyTorch's dispatcher saying an operator has no kernel for the CUDA backend, read once (lead, session 31).

torch's own operators (``aten::``) with no CUDA kernel mean the torch loaded is a build without CUDA
(LOG-PT-ATEN-NO-CUDA-KERNEL); an extension's operator means the extension's build does not match a CUDA torch
(LOG-PT-OP-NO-CUDA-KERNEL). The message grammar (explain/errorwords.py) no longer reads this message: one reading.
Lines are written from the dispatcher's message format, with made-up extension names.
"""

from __future__ import annotations

import pytest

from log_text import codes as _codes
from log_text import report as _report
from whygpu.explain import errorwords


def _ids(log: str) -> list[str]:
    return [f.id for f in _report(log).findings]


@pytest.mark.parametrize("op", ["aten::empty_strided", "aten::_foreach_add.Scalar", "aten::index.Tensor"])
def test_torch_own_operator_without_cuda_kernel_is_a_cpu_torch(op: str) -> None:
    log = f"NotImplementedError: Could not run '{op}' with arguments from the 'CUDA' backend. This could be because the operator doesn't exist for this backend\n"
    assert _codes(log)[:2] == ["FRAMEWORK_CPU_BUILD", "NO_GPU"]
    assert "LOG-PT-ATEN-NO-CUDA-KERNEL" in _ids(log)
    assert "LOG-PT-OP-NO-CUDA-KERNEL" not in _ids(log)


def test_extension_operator_stays_two_builds_that_do_not_belong_together() -> None:
    log = "NotImplementedError: Could not run 'boxops::nms' with arguments from the 'CUDA' backend.\n"
    assert _codes(log)[:2] == ["FRAMEWORK_INSTALL_BROKEN", "FRAMEWORK_CPU_BUILD"]
    assert "LOG-PT-ATEN-NO-CUDA-KERNEL" not in _ids(log)


@pytest.mark.parametrize("line", [
    # another backend: a quantized or sparse kernel missing on the CPU is not about the GPU
    "NotImplementedError: Could not run 'aten::empty_strided' with arguments from the 'QuantizedCPU' backend.",
    "NotImplementedError: Could not run 'aten::addmm' with arguments from the 'SparseCPU' backend.",
    # an operator's name that only starts like torch's namespace
    "NotImplementedError: Could not run 'atenx::nms' with arguments from the 'Meta' backend.",
])
def test_other_backends_are_quiet(line: str) -> None:
    ids = _ids(line + "\n")
    assert "LOG-PT-ATEN-NO-CUDA-KERNEL" not in ids and "LOG-PT-OP-NO-CUDA-KERNEL" not in ids


def test_grammar_leaves_the_dispatcher_message() -> None:
    for op in ("aten::empty_strided", "boxops::nms"):
        line = f"NotImplementedError: Could not run '{op}' with arguments from the 'CUDA' backend."
        assert errorwords.read_by_signature(line)
        assert errorwords.read_line(line) is None
