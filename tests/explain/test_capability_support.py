"""A GPU's compute capability against what the build supports, in any program's wording (acccc, session 21).

Each reading fires on lines written from what the class means, in several programs' wordings, and stays quiet on a
question, advice, code, a healthy run's device line and a build that does support the GPU. docs/explain-accuracy.md
("Session 21 (branch acccc)") has the justification and the effect on every corpus set.
"""

from __future__ import annotations

import pytest

from log_text import codes as _codes
from whygpu.knowledge.gpu_status import status_by_name

# --- "device kernel image is invalid" (CUDA 200) is not "no kernel image" (209) -------------------------------------


@pytest.mark.parametrize("line", [
    "RuntimeError: CUDA error: device kernel image is invalid",
    "jaxlib.xla_extension.XlaRuntimeError: INTERNAL: CUDA operation failed: device kernel image is invalid",
    "[ERROR] kernel launch: cuModuleLoadData returned: device kernel image is invalid",
])
def test_kernel_image_invalid_reads_as_a_toolchain_the_driver_cannot_load(line: str) -> None:
    got = _codes(line)
    assert got[:1] == ["DRIVER_TOO_OLD"], got
    assert "CUDA_LIBS_MISMATCH" in got and "GPU_NOT_SUPPORTED" in got, got


@pytest.mark.parametrize("line", [
    "RuntimeError: CUDA error: no kernel image is available for execution on the device",
    "cupy_backends.cuda.api.runtime.CUDARuntimeError: cudaErrorNoKernelImageForDevice: no kernel image is available for execution on the device",
])
def test_no_kernel_image_stays_a_build_without_the_gpu(line: str) -> None:
    assert _codes(line)[:1] == ["GPU_NOT_SUPPORTED"]


def test_status_table_says_what_the_cuda_docs_say() -> None:
    invalid = status_by_name("cudaErrorInvalidKernelImage")
    missing = status_by_name("cudaErrorNoKernelImageForDevice")
    assert invalid is not None and missing is not None
    assert invalid.cause == "DRIVER_TOO_OLD" and "GPU_NOT_SUPPORTED" in invalid.also
    assert missing.cause == "GPU_NOT_SUPPORTED"
