"""XLA's CUDA toolchain, jaxlib's cuSOLVER handle and a build's architecture flags (accxla, session 27).

The lines are written from the programs' own message formats (XLA's subprocess_compilation.cc and gpu_backend_lib.cc,
jaxlib's solver kernels, the shells' command-not-found words, nvcc's -gencode, PyTorch's TORCH_CUDA_ARCH_LIST, CMake's
CUDA_ARCHITECTURES), not pasted from any corpus case. Each reading has a log where it fires and one where it stays quiet.
"""

from __future__ import annotations

from log_text import codes, report
from whygpu.explain.ccsupport import build_arch_flags
from whygpu.explain.toolchain import tool_missing_said

LIBDEVICE = ("2025-02-03 10:00:00.000000: W external/xla/xla/service/gpu/llvm_gpu_backend/nvptx_backend.cc:100] Can't find "
             "libdevice directory ${CUDA_DIR}/nvvm/libdevice. This may result in compilation or runtime failures, if the program "
             "we try to run uses routines from libdevice.\nSearched for CUDA in the following directories:\n  ./cuda_sdk_lib\n"
             "  /usr/local/cuda-12.3\n  /usr/local/cuda\n")
PIP_DIR = "  /home/u/venv/lib/python3.12/site-packages/jax_plugins/xla_cuda12/../nvidia/cuda_nvcc\n"
NOT_SUITABLE = ("jaxlib.xla_extension.XlaRuntimeError: NOT_FOUND: Couldn't find a suitable version of ptxas. The following "
                "locations were considered: /usr/local/cuda-12.3/bin/ptxas, /usr/local/cuda/bin/ptxas, /usr/bin/ptxas\n")


def _first(text: str) -> str | None:
    found = codes(text)
    return found[0] if found else None


def _rules(text: str) -> set[str]:
    return {f.id for f in report(text).findings}


# --- libdevice: installed elsewhere or not installed --------------------------------------------------------------------


def test_libdevice_alone_stays_not_on_path_first_with_missing_beside_it() -> None:
    assert codes(LIBDEVICE)[:2] == ["CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISSING"]


def test_libdevice_with_the_pip_wheel_place_searched_reads_missing() -> None:
    assert codes(LIBDEVICE + PIP_DIR)[:2] == ["CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH"]


def test_libdevice_in_a_container_reads_missing() -> None:
    text = "root@3f2a9c1b7d4e:/workspace# python train.py\n" + LIBDEVICE
    assert _first(text) == "CUDA_LIBS_MISSING"


def test_libdevice_with_a_cuda_root_named_elsewhere_reads_not_on_path() -> None:
    text = "export CUDA_HOME=/sw/cuda/12.3\n" + LIBDEVICE + PIP_DIR
    assert _first(text) == "CUDA_LIBS_NOT_ON_PATH"


# --- ptxas (nvlink) not found -------------------------------------------------------------------------------------------


def test_no_suitable_ptxas_reads_missing_first() -> None:
    assert codes(NOT_SUITABLE)[:2] == ["CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH"]
    assert "LOG-XLA-CUDA-TOOL-NOT-FOUND" in _rules(NOT_SUITABLE)


def test_no_suitable_nvlink_reads_the_same() -> None:
    assert _first("E0101 00:00:00.000 1 nvptx_compiler.cc:1] Couldn't find a suitable version of nvlink. The following "
                  "locations were considered: /usr/local/cuda/bin/nvlink\n") == "CUDA_LIBS_MISSING"


def test_no_suitable_ptxas_with_a_cuda_root_named_reads_not_on_path() -> None:
    assert _first("export CUDA_PATH=/opt/nvidia/cuda-12.4\n" + NOT_SUITABLE) == "CUDA_LIBS_NOT_ON_PATH"


def test_a_found_ptxas_is_quiet() -> None:
    text = "I0101 00:00:00.000 1 subprocess_compilation.cc:1] Using /usr/local/cuda/bin/ptxas with version 12.4.131\n"
    assert "LOG-XLA-CUDA-TOOL-NOT-FOUND" not in _rules(text)


def test_the_shell_finding_no_ptxas_reads_missing() -> None:
    assert _first("sh: 1: ptxas: not found\n") == "CUDA_LIBS_MISSING"
    assert _first("bash: nvlink: command not found\n") == "CUDA_LIBS_MISSING"


def test_ptxas_version_output_is_quiet() -> None:
    assert "LOG-SHELL-PTXAS-NOT-FOUND" not in _rules("ptxas: NVIDIA (R) Ptx optimizing assembler\nCuda compilation tools, release 12.4, V12.4.131\n")


# --- the writer's words that a part is absent (LOG350) ------------------------------------------------------------------


def test_statement_forms_are_read() -> None:
    assert tool_missing_said("Looking through the image I could not find ptxas anywhere.") == "ptxas"
    assert tool_missing_said("There is no libdevice in the container.") == "libdevice"
    assert tool_missing_said("The nvlink binary is missing from the image.") == "nvlink"
    assert tool_missing_said("The runtime image doesn't ship ptxas.") == "ptxas"


def test_questions_conditions_and_presence_are_not_read() -> None:
    assert tool_missing_said("Why can't JAX find ptxas?") is None
    assert tool_missing_said("If ptxas is missing, install cuda-nvcc.") is None
    assert tool_missing_said("ptxas is installed under /usr/local/cuda/bin.") is None


def test_a_part_said_absent_reads_missing() -> None:
    text = "jax 0.4.30 in our docker image fails when fitting.\nI checked and I cannot find ptxas anywhere in the container.\n"
    assert codes(text)[:2] == ["CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH"]
    assert "LOG350" in _rules(text)


def test_the_program_message_speaks_instead_of_the_statement() -> None:
    text = "I cannot find ptxas anywhere in the container.\n" + NOT_SUITABLE
    assert "LOG350" not in _rules(text)
    assert "LOG350" not in _rules("If ptxas is missing, what should I install?\n")


# --- ptxas older than the GPU -------------------------------------------------------------------------------------------

TOO_OLD = ("W0101 00:00:00.000 1 asm_compiler.cc:1] Falling back to the CUDA driver for PTX compilation; ptxas does not support CC 9.0\n")
KERNEL = ('E0101 00:00:00.000 1 cuda_driver.cc:1] failed to get PTX kernel "fusion_3" from module: CUDA_ERROR_NOT_FOUND: named '
          "symbol not found\n")


def test_ptxas_too_old_for_the_gpu_reads_gpu_not_supported() -> None:
    assert codes(TOO_OLD + KERNEL)[:2] == ["GPU_NOT_SUPPORTED", "CUDA_LIBS_MISMATCH"]


def test_the_ptxas_of_path_reads_mismatch() -> None:
    text = TOO_OLD + "W0101 00:00:00.000 1 asm_compiler.cc:2] Used ptxas at ptxas\n" + KERNEL
    assert _first(text) == "CUDA_LIBS_MISMATCH"


def test_kernel_not_found_alone_keeps_its_reading() -> None:
    assert _first(KERNEL) == "CUDA_LIBS_MISMATCH"


# --- jaxlib's cuSOLVER handle ------------------------------------------------------------------------------------------


def test_gpusolver_handle_internal_error_reads_mismatch_with_memory_third() -> None:
    text = ("jaxlib.xla_extension.XlaRuntimeError: INTERNAL: jaxlib/gpu/solver_handle_pool.cc:37: operation "
            "gpusolverDnCreate(&handle) failed: cuSolver internal error\n")
    assert codes(text)[:3] == ["CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH", "GPU_BUSY"]


def test_a_cusolver_status_in_prose_is_quiet() -> None:
    assert "LOG-AJ-JAXLIB-CUSOLVER-INTERNAL" not in _rules("The cuSolver docs list an internal error status among others.\n")


# --- a build's architecture flags ---------------------------------------------------------------------------------------


def test_flag_forms_are_read() -> None:
    assert build_arch_flags('ENV MMCV_CUDA_ARGS="-gencode=arch=compute_61,code=sm_61"') == ["sm_61"]
    assert build_arch_flags('export TORCH_CUDA_ARCH_LIST="7.5 8.0+PTX"') == ["sm_75", "sm_80", "compute_80"]
    assert build_arch_flags('cmake -DCMAKE_CUDA_ARCHITECTURES="75;86-real" ..') == ["sm_75", "compute_75", "sm_86"]
    assert build_arch_flags("nvcc -arch=sm_52 -o k k.cu") == ["sm_52", "compute_52"]
    assert build_arch_flags('TORCH_CUDA_ARCH_LIST="Turing;Ampere"') is None
    assert build_arch_flags("CMAKE_CUDA_ARCHITECTURES=native") is None
    assert build_arch_flags("You could set TORCH_CUDA_ARCH_LIST=8.6 before building.") is None


NO_KERNEL = "RuntimeError: CUDA error: no kernel image is available for execution on the device\n"


def test_flags_without_the_gpus_arch_read_gpu_not_supported() -> None:
    text = "GPU: Tesla V100-SXM2-16GB\n" + 'ENV MMCV_CUDA_ARGS="-gencode=arch=compute_61,code=sm_61"\n' + NO_KERNEL
    assert _first(text) == "GPU_NOT_SUPPORTED"
    finding = next(f for f in report(text).findings if f.id == "LOG232")
    assert "compute_70,code=sm_70" in (finding.fix or "")


def test_flags_with_the_gpus_arch_are_quiet() -> None:
    text = "GPU: Tesla V100-SXM2-16GB\n" + 'ENV MMCV_CUDA_ARGS="-gencode=arch=compute_70,code=sm_70"\n' + NO_KERNEL
    assert "LOG232" not in _rules(text)


def test_flags_without_a_known_gpu_are_quiet() -> None:
    assert "LOG232" not in _rules('ENV MMCV_CUDA_ARGS="-gencode=arch=compute_61,code=sm_61"\n' + NO_KERNEL)


def test_explicit_gencode_flags_replace_torch_cuda_arch_list() -> None:
    text = ("GPU: Tesla V100-SXM2-16GB\n" + 'ENV TORCH_CUDA_ARCH_LIST="6.0 6.1"\n'
            + 'ENV MMCV_CUDA_ARGS="-gencode=arch=compute_70,code=sm_70"\n' + NO_KERNEL)
    assert "LOG232" not in _rules(text)


def test_flags_without_a_no_kernel_line_are_quiet() -> None:
    text = "GPU: Tesla V100-SXM2-16GB\n" + 'ENV MMCV_CUDA_ARGS="-gencode=arch=compute_61,code=sm_61"\n' + "RuntimeError: CUDA error: out of memory\n"
    assert "LOG232" not in _rules(text)


def test_cmake_architectures_without_the_gpus_read_gpu_not_supported() -> None:
    text = ("GPU 0: NVIDIA A100-SXM4-40GB\n" + 'cmake -DCMAKE_CUDA_ARCHITECTURES="75-real" ..\n'
            + "CUDA error: invalid device function\n")
    assert _first(text) == "GPU_NOT_SUPPORTED"
