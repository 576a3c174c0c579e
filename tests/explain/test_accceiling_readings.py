"""Readings built from what a message means (session 26, branch accceiling): the classes a blind expert named first
in the older studies and whygpu did not.

Each class fires on lines written here from the message's format in its source (the loader's, the program's) in the
layouts a user pastes, and stays quiet on a near miss. No line is copied from a corpus case.
"""

from __future__ import annotations

from log_text import codes as _codes
from whygpu.explain import explain_text


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


# --- a cuDNN symbol missing from the cuDNN loaded: another cuDNN release ------------------------------------------


def test_a_cudnn_function_missing_at_import_reads_as_another_cudnn_release() -> None:
    for text in (
        # glibc's words at import (dlopen of the framework's extension)
        "ImportError: /home/u/venv/lib/python3.8/site-packages/torch/lib/libtorch_cuda.so: undefined symbol: cudnnGetConvolutionForwardAlgorithm_v7\n",
        # glibc's lazy binding at the first call
        "python: symbol lookup error: /opt/app/lib/libinfer.so: undefined symbol: cudnnBackendCreateDescriptor\n",
    ):
        codes = _codes(text)
        assert codes[0] == "CUDNN_MISMATCH", (text, codes)
        assert "LOG-UNDEFINED-SYMBOL-CUDA" not in _ids(text)
    # macOS dyld's words (a Mac's own readings may rank first: most Macs have no NVIDIA GPU).
    text = ("ImportError: dlopen(/Users/u/lib/python3.6/site-packages/torch/_C.so, 2): Symbol not found: _cudnnSetRNNDescriptor_v6\n"
            "  Referenced from: /Users/u/lib/python3.6/site-packages/torch/lib/libcaffe2_gpu.dylib\n")
    assert "LOG-CUDNN-SYMBOL-MISSING" in _ids(text)
    assert "CUDNN_MISMATCH" in _codes(text)[:3]


def test_a_symbol_tagged_with_a_libcudnn_version_reads_as_cudnn_files_of_two_releases() -> None:
    for text in (
        "OSError: /usr/local/lib/python3.10/dist-packages/nvidia/cudnn/lib/libcudnn_cnn_infer.so.8: undefined symbol: "
        "_ZN5cudnn3ops18getInternalVersionEv, version libcudnn_ops_infer.so.8\n",
        "ImportError: /srv/env/lib/python3.9/site-packages/paddle/fluid/core_avx.so: symbol cudnnCreateCTCLossDescriptor "
        "version libcudnn.so.7 not defined in file libcudnn.so.7 with link time reference\n",
    ):
        assert _codes(text)[0] == "CUDNN_MISMATCH", text


def test_a_symbol_of_another_cuda_library_stays_a_cuda_library_mismatch() -> None:
    # The caller is a cuDNN sub-library, but the symbol missing is NVRTC's: NVRTC is of another release, not cuDNN.
    text = ("Could not load library libcudnn_cnn_infer.so.8. Error: /opt/cuda-11.0/lib64/libnvrtc.so.11.0: "
            "undefined symbol: nvrtcGetOptiXIR\n")
    assert "LOG-CUDNN-SYMBOL-MISSING" not in _ids(text)
    assert "LOG-CUDNN-SYMBOL-VERSION" not in _ids(text)
    text = "ImportError: /opt/env/torch/lib/libtorch_cuda.so: undefined symbol: cublasLtGetStatusString, version libcublasLt.so.11\n"
    assert _codes(text)[0] != "CUDNN_MISMATCH"


def test_a_cudnn_function_named_in_code_or_prose_is_not_a_load_failure() -> None:
    for text in (
        "status = cudnnSetConvolutionGroupCount(desc, groups);\n",
        "cuDNN 7 added cudnnSetConvolutionGroupCount for grouped convolutions.\n",
    ):
        assert not _ids(text) & {"LOG-CUDNN-SYMBOL-MISSING", "LOG-CUDNN-SYMBOL-VERSION"}, text


def test_paddle_legacy_cudnn_header_check_reads_as_another_cudnn_major() -> None:
    text = ("F0312 10:00:00.000000  4242 hl_cuda_cudnn.cc:220] Check failed: (cudnn_cuh_major < 4 && cudnn_dso_major < 4) || "
            "(cudnn_cuh_major == cudnn_dso_major) [cudnn init] libcudnn v7 with header v6 unmatched!\n")
    assert _codes(text)[0] == "CUDNN_MISMATCH"
    assert "LOG-PADDLE-CUDNN-HEADER-UNMATCHED" in _ids(text)
    # The requirement line Paddle prints after it says nothing by itself.
    quiet = "PaddlePaddle Requirement: (header v[2-3] with libcudnn v[2-3]) Or (header v4 with libcudnn v4) Or (header v5 with libcudnn v5).\n"
    assert "LOG-PADDLE-CUDNN-HEADER-UNMATCHED" not in _ids(quiet)


# --- a CUDA status printed only as a number, in PaddlePaddle 1.x's and numba's layouts ----------------------------


def test_paddle_1x_runtime_call_with_its_error_code_reads_the_runtime_code() -> None:
    text = ("paddle.fluid.core_avx.EnforceNotMet: cudaGetDeviceCount failed in paddle::platform::GetCUDADeviceCountImpl, "
            "error code : 35, Please see detail in https://docs.nvidia.com/cuda/cuda-runtime-api/group__CUDART__TYPES.html"
            "#group__CUDART__TYPES_1g3f51e3575c2178246db0a94a430e0038 at (/paddle/paddle/fluid/platform/gpu_info.cc:67)\n")
    assert _codes(text)[0] == "DRIVER_TOO_OLD"
    text = ("Error: cudaSetDevice failed in paddle::platform::SetDeviced, error code : 100, Please see detail in "
            "https://docs.nvidia.com/cuda/cuda-runtime-api/group__CUDART__TYPES.html\n")
    assert _codes(text)[0] in ("GPU_HIDDEN", "NO_GPU", "CONTAINER_NO_GPU")


def test_paddle_1x_number_of_the_old_runtime_numbering_stays_quiet() -> None:
    # Below 98 the runtime renumbered its codes in CUDA 10.1 (38 was "no device" before, another code after): the number
    # alone cannot say which, and a code that means nothing for using the GPU (an illegal address) says nothing either.
    for text in (
        "cudaGetDeviceCount failed in paddle::platform::GetCUDADeviceCountImpl, error code : 38, Please see detail in https://docs.nvidia.com/cuda/\n",
        "cudaMemcpy failed in paddle::platform::GpuMemcpySync (0x7f -> 0x7e, length: 4) error code : 700, Please see detail in https://docs.nvidia.com/cuda/\n",
    ):
        assert not explain_text(text).findings, text


def test_numba_driver_error_number_reads_the_driver_code() -> None:
    for text, cause in (
        ("numba.cuda.cudadrv.driver.CudaAPIError: [34]\n", "CUDA_LIBS_NOT_ON_PATH"),
        ("numba.cuda.cudadrv.driver.CudaAPIError: [804] Call to cuInit results in UNKNOWN_CUDA_ERROR\n", "DRIVER_TOO_OLD"),
        ("numba.cuda.cudadrv.error.CudaSupportError: Error at driver init: \n[34] Call to cuInit results in UNKNOWN_CUDA_ERROR:\n",
         "CUDA_LIBS_NOT_ON_PATH"),
    ):
        assert _codes(text)[0] == cause, (text, _codes(text))


def test_numba_error_of_a_kernel_that_ran_stays_quiet() -> None:
    # 700 (an illegal address) is a kernel's fault on a GPU in use; a bracketed number without numba's words is nothing.
    for text in (
        "numba.cuda.cudadrv.driver.CudaAPIError: [700] Call to cuMemcpyDtoH results in UNKNOWN_CUDA_ERROR\n",
        "[34] Call to action results in a refund\n",
        "References: [34] CUDA C Programming Guide\n",
    ):
        codes = _codes(text)
        assert not {"CUDA_LIBS_NOT_ON_PATH", "DRIVER_MISSING", "DRIVER_TOO_OLD"} & set(codes), (text, codes)


# --- a conda CPU build named in conda's own transaction layouts -----------------------------------------------------

_DOWNLOAD_HEADER = ("The following packages will be downloaded:\n\n"
                    "    package                    |            build\n"
                    "    ---------------------------|-----------------\n")


def test_conda_download_table_naming_a_cpu_build_reads_as_the_cpu_build() -> None:
    for row in (
        "    jaxlib-0.4.30              |cpu_py311h2a5e8c5_201        60.2 MB  conda-forge\n",
        "    tensorflow-base-2.15.0     |cpu_py310h0f4b9ba_2       100.2 MB  conda-forge\n",
        "    pytorch-2.0.1              |     py3.10_cpu_0        75.3 MB  pytorch\n",
    ):
        text = _DOWNLOAD_HEADER + row + "                                           Total:       160.2 MB\n"
        assert _codes(text)[:1] == ["FRAMEWORK_CPU_BUILD"], (row, _codes(text))


def test_conda_plan_naming_a_cpu_build_reads_as_the_cpu_build() -> None:
    for text in (
        "The following NEW packages will be INSTALLED:\n\n  jaxlib             conda-forge/linux-64::jaxlib-0.4.30-cpu_py311h2a5e8c5_201\n",
        "The following packages will be SUPERSEDED by a higher-priority channel:\n\n"
        "  pytorch            pytorch::pytorch-2.0.1-py3.10_cuda11.8_cudnn8.7.0_0 --> conda-forge::pytorch-2.0.1-cpu_generic_py310h1fd7f9c_0\n",
        "  + jaxlib                   0.4.30  cpu_py311h2a5e8c5_201  conda-forge/linux-64     60MB\n",
    ):
        assert _codes(text)[:1] == ["FRAMEWORK_CPU_BUILD"], (text, _codes(text))


def test_conda_transaction_of_a_cuda_build_or_a_removal_is_not_a_cpu_build() -> None:
    for text in (
        _DOWNLOAD_HEADER + "    jaxlib-0.4.30              |cuda120py311hd88f13b_201       120.5 MB  conda-forge\n",
        "The following NEW packages will be INSTALLED:\n\n  jaxlib             conda-forge/linux-64::jaxlib-0.4.30-cuda120py311hd88f13b_201\n",
        # the CPU build is what gets replaced: the right side is installed
        "  pytorch            conda-forge::pytorch-2.0.1-cpu_generic_py310h1fd7f9c_0 --> pytorch::pytorch-2.0.1-py3.10_cuda11.8_cudnn8.7.0_0\n",
        # conda's REMOVED section prints no channel
        "The following packages will be REMOVED:\n\n  jaxlib-0.4.30-cpu_py311h2a5e8c5_201\n",
    ):
        assert "FRAMEWORK_CPU_BUILD" not in _codes(text)[:1], (text, _codes(text))
