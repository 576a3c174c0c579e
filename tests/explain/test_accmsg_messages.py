"""Programs' messages read by what their source says they mean (session 22, branch accmsg).

Each class fires on lines written here from the class (the program's own wording in other layouts, other programs'
phrasing of the same fact) and stays quiet on a near miss: a question, a condition in code, advice, a state that is
over, a benign line of a healthy run. No line is copied from a corpus case.
"""

from __future__ import annotations

from log_text import codes as _codes
from whygpu.explain import explain_text


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


# --- XLA's ptxas and PTX-module messages ---------------------------------------------------------------------------


def test_xla_that_cannot_start_ptxas_reads_as_the_toolkit_compiler_missing() -> None:
    for text in (
        "2023-05-01 09:12:44.100200: W external/xla/xla/stream_executor/gpu/asm_compiler.cc:81] Couldn't get ptxas "
        "version string: INTERNAL: Couldn't invoke ptxas --version\n",
        "E0501 09:12:45.000000 1234 nvptx_compiler.cc:500] ptxas returned an error during compilation of ptx to sass: "
        "'INTERNAL: Failed to launch ptxas'  If the error message indicates that a file could not be written, please "
        "verify that sufficient filesystem space is provided.\n",
        "jaxlib.xla_extension.XlaRuntimeError: FAILED_PRECONDITION: Couldn't get ptxas/nvlink version string: "
        "INTERNAL: Couldn't invoke /usr/local/cuda-12.2/bin/ptxas --version\n",
    ):
        codes = _codes(text)
        assert codes[0] == "CUDA_LIBS_MISSING", text
        assert "CUDA_LIBS_NOT_ON_PATH" in codes[:3]
        assert "LOG-XLA-PTXAS-NOT-STARTED" in _ids(text)


def test_ptxas_not_started_stays_quiet_when_xla_falls_back_to_the_driver() -> None:
    # TensorFlow's redzone allocator says it will compile with the driver instead: the GPU is used.
    text = ("W tensorflow/stream_executor/gpu/asm_compiler.cc:80] Couldn't invoke ptxas --version\n"
            "W tensorflow/stream_executor/gpu/redzone_allocator.cc:314] Internal: Failed to launch ptxas\n"
            "Relying on driver to perform ptx compilation. \nModify $PATH to customize ptxas location.\n")
    assert _codes(text) == []
    # Other ptxas lines of healthy runs are no failure of this class.
    assert "LOG-XLA-PTXAS-NOT-STARTED" not in _ids("ptxas warning : Registers are spilled to local memory in function 'f'\n")
    assert "LOG-XLA-PTXAS-NOT-STARTED" not in _ids("Used ptxas at /usr/local/cuda/bin/ptxas\n")


def test_libdevice_and_ptxas_both_absent_put_the_missing_compiler_component_first() -> None:
    libdevice = "W external/xla/xla/service/gpu/llvm_gpu_backend/gpu_backend_lib.cc:100] Can't find libdevice directory ${CUDA_DIR}/nvvm/libdevice\n"
    assert _codes(libdevice)[0] == "CUDA_LIBS_NOT_ON_PATH"  # alone: XLA may only look in the wrong place
    both = libdevice + "W asm_compiler.cc:80] Couldn't invoke ptxas --version\n"
    codes = _codes(both)
    assert codes[0] == "CUDA_LIBS_MISSING"
    assert "CUDA_LIBS_NOT_ON_PATH" in codes


def test_a_kernel_missing_from_xlas_compiled_module_reads_as_a_toolkit_older_than_the_gpu() -> None:
    for text in (
        '2022-02-02 10:00:00.000001: E external/org_tensorflow/tensorflow/stream_executor/cuda/cuda_driver.cc:700] '
        'failed to get PTX kernel "fusion_3" from module: CUDA_ERROR_NOT_FOUND: named symbol not found\n',
        'E cuda_driver.cc:640] failed to get PTX kernel "reduce_17" from module: CUDA_ERROR_NOT_FOUND\n',
    ):
        codes = _codes(text)
        assert codes[0] == "CUDA_LIBS_MISMATCH", text
        assert "GPU_NOT_SUPPORTED" in codes[:3]


def test_other_named_symbol_errors_are_not_this_class() -> None:
    # A module that loaded and a kernel a program's own build lacks is not XLA's compile.
    text = "CUDA error cudaErrorSymbolNotFound [bulk.cuh:239]: named symbol not found\n"
    assert "LOG-XLA-PTX-KERNEL-NOT-FOUND" not in _ids(text)
    # The question about the message is no failure.
    assert "LOG-XLA-PTX-KERNEL-NOT-FOUND" not in _ids("Why would XLA fail to get a PTX kernel from a module?\n")
