"""A program's GPU build judged against the CUDA and cuDNN a log shows (accbuilds, LOG240): fires on another major, stays quiet otherwise.

The lines are written from what the programs' requirement tables and their loaders say, not copied from a corpus case.
"""

from __future__ import annotations

import pytest

from whygpu.explain import explain_text, to_report
from whygpu.explain.programbuilds import failed_to_load, found_stated, program_builds


def _causes(text: str) -> list[str]:
    return [c.code for c in to_report(explain_text(text)).causes]


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


# --- the readings ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "expected"), [
    ("onnxruntime-gpu==1.19.2", [("onnxruntime-gpu", "1.19.2", None)]),
    ("onnxruntime_gpu     1.16.3", [("onnxruntime-gpu", "1.16.3", None)]),
    ("Successfully installed ctranslate2-4.5.0 faster-whisper-1.0.3 tokenizers-0.20.1", [("ctranslate2", "4.5.0", None)]),
    ("Downloading onnxruntime_gpu-1.18.0-cp311-cp311-manylinux_2_27_x86_64.whl (200.8 MB)", [("onnxruntime-gpu", "1.18.0", None)]),
    ("$ pip install onnxruntime-gpu==1.17.1 --extra-index-url https://aiinfra.pkgs.visualstudio.com/PublicPackages/_packaging/onnxruntime-cuda-12/pypi/simple/",
     [("onnxruntime-gpu", "1.17.1", "cuda12")]),
    ("unzipped onnxruntime-linux-x64-gpu-cuda12-1.18.0.tgz into /opt", [("onnxruntime-gpu", "1.18.0", "cuda12")]),
    ("ctranslate2 version: 3.24.0", [("ctranslate2", "3.24.0", None)]),
    ("  - Updating onnxruntime-gpu (1.16.3 -> 1.19.2)", [("onnxruntime-gpu", "1.19.2", None)]),
    ("pip install cupy-cuda11x", [("cupy-cuda11x", None, None)]),
    ("pip install llama-cpp-python --extra-index-url https://abetlen.github.io/llama-cpp-python/whl/cu124", [("llama-cpp-python", None, "cu12")]),
    ("pip install llama-cpp-python", []),  # PyPI's source build: no CUDA named
    ("python -m pip install paddlepaddle-gpu==2.5.2.post117 -f https://www.paddlepaddle.org.cn/whl/linux/mkl/avx/stable.html",
     [("paddlepaddle-gpu", "2.5.2", "post117")]),
    # Not the writer's own: advice, a condition, a question, another package's requirement, a removal, a CPU archive.
    ("Try pip install ctranslate2==4.4.0 instead", []),
    ("You should downgrade to onnxruntime-gpu==1.18.0", []),
    ("If you are on onnxruntime-gpu 1.17 you need cuDNN 8", []),
    ("Is onnxruntime-gpu 1.19.2 built for cuDNN 9?", []),
    ("faster-whisper 1.0.3 requires ctranslate2<5,>=4.0, but you have ctranslate2 3.24.0 which is incompatible.", [("ctranslate2", "3.24.0", None)]),
    ("Successfully uninstalled onnxruntime-gpu-1.16.0", []),
    ("onnxruntime-linux-x64-1.17.1.tgz", []),
    ("onnxruntime-win-x64-gpu-1.19.0.zip", [("onnxruntime-gpu", "1.19.0", "archive")]),
])
def test_a_program_build_is_read_where_it_is_the_writers(line: str, expected: list[tuple[str, str | None, str | None]]) -> None:
    assert program_builds(line) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("running with cuda12.4 cudnn9 on Windows 11", [("cuda", "12.4"), ("cudnn", "9")]),
    ("My env: CUDA==11.8 and cuDNN==8.6", [("cuda", "11.8"), ("cudnn", "8.6")]),
    ("I have cuDNN 9.1 installed", [("cudnn", "9.1")]),
    # Needs, questions, advice, library file names and packages are not what is there.
    ("Failed to create CUDAExecutionProvider. Require cuDNN 9.* and CUDA 12.*", []),
    ("Does it need cuDNN 9?", []),
    ("please install cuDNN 8.9 for this release", []),
    ("libcudnn.so.9: cannot open shared object file", []),
    ("Could not locate cudnn_ops64_9.dll", []),
    ("pip install nvidia-cudnn-cu12 onnxruntime-win-x64-cuda12-1.17.1", []),
    ("cuda12 and cudnn are missing", []),
])
def test_a_cudnn_or_cuda_said_there_is_read_and_a_need_is_not(line: str, expected: list[tuple[str, str]]) -> None:
    assert found_stated(line) == expected


@pytest.mark.parametrize(("line", "part"), [
    ("LoadLibrary failed with error 126 when trying to load onnxruntime_providers_cuda.dll", "onnxruntime_providers_cuda.dll"),
    ("Could not load library cudnn_ops64_9.dll. Error code 193", "cudnn_ops64_9.dll"),
    ("OSError: libcublasLt.so.11: cannot open shared object file: No such file or directory", "libcublasLt.so.11"),
    ("it reports libcudnn.so.9 is missing", "libcudnn.so.9"),
    ("Loaded cuDNN from libcudnn.so.9 at /usr/lib", None),  # a load that worked
    ("If libcudnn.so.9 is not found, install cuDNN 9", None),  # a condition
    ("Why does onnxruntime_providers_cuda.dll fail to load?", None),  # a question
])
def test_a_library_or_gpu_part_said_to_fail_is_read(line: str, part: str | None) -> None:
    assert failed_to_load(line) == part


# --- the rule ----------------------------------------------------------------------------------------------


def test_an_onnxruntime_build_for_cudnn_8_in_a_cudnn_9_environment_is_a_mismatch() -> None:
    log = ("pip list | grep -i -E 'onnx|torch'\n"
           "onnxruntime-gpu           1.18.0\n"
           "torch                     2.5.1+cu124\n"
           "[E:onnxruntime:Default, provider_bridge_ort.cc:1745] Failed to load library libonnxruntime_providers_cuda.so with error: "
           "libcudnn.so.8: cannot open shared object file: No such file or directory\n")
    assert _causes(log)[0] == "CUDNN_MISMATCH"
    assert "LOG240" in _ids(log)
    finding = next(f for f in explain_text(log).findings if f.id == "LOG240")
    assert "cuDNN 8" in finding.title and "PyTorch 2.5.1+cu124 brings it" in finding.title
    assert finding.confidence.name == "HIGH"  # the loader asked for the major the build was made for


def test_onnxruntime_119_beside_cudnn_8_and_a_provider_failure_is_a_mismatch() -> None:
    log = ("Environment: CUDA 12.2 with cuDNN 8.9.7 installed from NVIDIA's tar archive\n"
           "Installed onnxruntime-gpu==1.20.1 from PyPI\n"
           "[W:onnxruntime:Default, onnxruntime_pybind_state.cc:965 CreateExecutionProviderInstance] Failed to create CUDAExecutionProvider.\n")
    assert _causes(log)[0] == "CUDNN_MISMATCH"


def test_ctranslate2_before_and_after_its_cudnn_9_release() -> None:
    failing = ("Could not load library cudnn_ops64_9.dll. Error code 126\n"
               "Please make sure cudnn_ops64_9.dll is in your library path!\n")
    # 4.5 was built for cuDNN 9; cuDNN 8 is what a torch 2.3 CUDA build brings.
    assert _causes("ctranslate2==4.5.0\ntorch==2.3.1+cu121\n" + failing)[0] == "CUDNN_MISMATCH"
    # 4.4 was built for cuDNN 8: a cuDNN 9 DLL asked for is not this build's want, and torch 2.3 brings cuDNN 8: no mismatch read.
    assert "LOG240" not in _ids("ctranslate2==4.4.0\ntorch==2.3.1+cu121\n" + failing)
    # 4.5 beside a torch that brings cuDNN 9: it fits.
    assert "LOG240" not in _ids("ctranslate2==4.5.0\ntorch==2.4.1+cu124\n" + failing)


def test_a_cuda_11_build_beside_cuda_12_only_is_a_cuda_mismatch() -> None:
    log = ("Successfully installed ctranslate2-3.24.0\n"
           "nvcc: NVIDIA (R) Cuda compiler driver\nCuda compilation tools, release 12.3, V12.3.107\n"
           "RuntimeError: Library libcublas.so.11 is not found or cannot be loaded\n")
    assert _causes(log)[0] == "CUDA_LIBS_MISMATCH"
    # The same with CUDA 11.8 installed: the build's CUDA is there.
    assert "LOG240" not in _ids(log.replace("release 12.3, V12.3.107", "release 11.8, V11.8.89"))


def test_a_llama_cpp_python_wheel_from_a_cuda_12_index_beside_cuda_11() -> None:
    log = ("pip install llama-cpp-python --extra-index-url https://abetlen.github.io/llama-cpp-python/whl/cu121\n"
           "CUDA 11.8 installed (nvcc --version: release 11.8)\n"
           "RuntimeError: Failed to load shared library 'libllama.so': libcudart.so.12: cannot open shared object file: No such file or directory\n")
    assert _causes(log)[0] == "CUDA_LIBS_MISMATCH"
    assert "LOG240" not in _ids(log.replace("CUDA 11.8 installed (nvcc --version: release 11.8)", "CUDA 12.4 installed (nvcc --version: release 12.4)"))


def test_a_paddle_build_named_by_its_post_tag_against_the_cuda_installed() -> None:
    log = ("python -m pip install paddlepaddle-gpu==2.5.2.post120 -f https://www.paddlepaddle.org.cn/whl/linux/mkl/avx/stable.html\n"
           "nvcc: Cuda compilation tools, release 11.8, V11.8.89\n"
           "OSError: libcublas.so.12: cannot open shared object file: No such file or directory\n")
    assert _causes(log)[0] == "CUDA_LIBS_MISMATCH"
    # The CUDA 11.x build (post117) beside CUDA 11.8: its CUDA is there, so the failure is not read as another release.
    assert "LOG240" not in _ids(log.replace("post120", "post117"))


@pytest.mark.parametrize("log", [
    # A healthy run listing the packages: no failure, no finding.
    "onnxruntime-gpu 1.17.1\ntorch 2.4.0+cu121\n>>> ort.get_available_providers()\n['CUDAExecutionProvider', 'CPUExecutionProvider']\n",
    # Versions that fit.
    "onnxruntime-gpu==1.19.2\ncudnn9 and cuda12.4 installed\nFailed to create CUDAExecutionProvider\n",
    # Two cuDNN majors shown: the loader may find the right one.
    "pip install onnxruntime-gpu==1.17.1 --index-url https://aiinfra.pkgs.visualstudio.com/PublicPackages/_packaging/onnxruntime-cuda-12/pypi/simple/\n"
    "I have cuDNN 8.9 installed\ntorch 2.4.0+cu121\nlibcudnn.so.8: cannot open shared object file\n",
    # A release the table has no row for: no guess.
    "onnxruntime-gpu==1.30.0\ncuDNN 8.9 installed\nFailed to create CUDAExecutionProvider\n",
    # Advice naming a release, not the one installed.
    "You should install onnxruntime-gpu==1.17.1 for this.\ncuDNN 9.1 installed\nlibcudnn.so.8: cannot open shared object file\n",
    # A question.
    "Does onnxruntime-gpu 1.17.1 work with cuDNN 9?\n",
    # A cuDNN library failed and cuDNN cannot be judged: a CUDA of another release beside it is not read as that failure's cause.
    "pip install onnxruntime-gpu==1.5.1\nCUDA 10.1 installed\nOSError: libcudnn.so.8: cannot open shared object file: No such file or directory\n",
    # The past problem, now fixed: the cuDNN 8 installed since is read beside cuDNN 9, so the build's major is there.
    "onnxruntime-gpu==1.17.1 with cudnn9 failed to load onnxruntime_providers_cuda.dll before; after installing cuDNN 8 it works\n"
    "Using CUDAExecutionProvider on device 0: NVIDIA GeForce RTX 3090\n",
])
def test_quiet_where_nothing_conflicts_or_nothing_failed(log: str) -> None:
    assert "LOG240" not in _ids(log)
