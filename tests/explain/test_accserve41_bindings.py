"""accserve41 (session 41): a DJL flavour that names no CUDA its native builds were made for (knowledge.bindings.judge),
ONNX Runtime's GPU NuGet package read as the onnxruntime-gpu release it is (explain.programbuilds.program_builds), and
the CUDA Toolkit's own name for the installed release (explain.programbuilds.found_stated)."""

from __future__ import annotations

import pytest

from log_text import codes
from whygpu.explain.programbuilds import ProgramRelease, found_stated, program_builds
from whygpu.knowledge.bindings import (
    CPU_BUILD,
    FLAVOUR,
    FLAVOUR_MISSING,
    NAMED,
    flavour_cuda,
    judge,
)

# https://github.com/qupath/qupath-extension-djl/issues/46 (the corpus case's description, shortened): DJL read CUDA 6.5
# on an RTX 5090 with CUDA 12.8; PYTORCH_FLAVOR=cu128 mended it.
DJL_MISREAD = """RTX 5090 (Blackwell/sm_120) not detected - DJL falls back to CPU

QuPath 0.7.0, DJL pytorch-engine 0.36.0, PyTorch 2.7.1
GPU: NVIDIA GeForce RTX 5090 (Blackwell, compute capability sm_120 / 12.0)

DJL fails to detect the RTX 5090 GPU correctly. The log shows:

    No matching cuda flavor for win-x86_64 found: cu065
"""

# https://github.com/deepjavalibrary/djl/issues/2485 (description and a comment): CUDA 12.1 with a DJL that had no cu121 flavour.
DJL_NO_FLAVOUR = """I use pytorch, have cuda 121 installed on my computer and cannot easily downgrade.
16:41:59.005 [pool-3-thread-1] WARN ai.djl.pytorch.jni.LibUtils - No matching cuda flavor for linux-x86_64 found: cu121.
16:41:59.007 [pool-3-thread-1] DEBUG ai.djl.pytorch.jni.LibUtils - Loading native library: ~/.djl.ai/pytorch/1.13.1-cpu-linux-x86_64/libc10.so
"""

# https://github.com/microsoft/onnxruntime/issues/20571 (description and first comment): the NuGet GPU package 1.16.0,
# built for CUDA 11.8, beside CUDA 12.2.
ORT_NUGET_CUDA12 = """### Describe the issue LoadLibrary failed with error 126

### Build script

   if (useCuda)        _inferenceSession = new InferenceSession(modelPath,            SessionOptions.MakeSessionOptionWithCudaProvider());    else        _inferenceSession = new InferenceSession(modelPath);

### Error / output

Microsoft.ML.OnnxRuntime.OnnxRuntimeException:"[ErrorCode:RuntimeException] D:\\a\\_work\\1\\s\\onnxruntime\\core\\session\\provider_bridge_ort.cc:1193 onnxruntime::ProviderLibrary::Get [ONNXRuntimeError] : 1 : FAIL : LoadLibrary failed with error 126 "" when trying to load "D:\\Projects\\Yolov8.Net\\Yolo.Net.FromTest\\bin\\Debug\\net6.0-windows\\runtimes\\win-x64\\native\\onnxruntime_providers_cuda.dll

I am using the following content: Microsoft.ML.OnnxRuntime.GPU (nuget package VERSION 1.16.0)
 NVIDIA CUDA Tool Kit (VERSION 12.2)
CUDNN (VERSION 8.9)
"""


@pytest.mark.parametrize(("flavour", "cuda"), [("cu065", "6.5"), ("cu118", "11.8"), ("cu121", "12.1"), ("cu92mkl", "9.2"),
                                               ("cu113mkl", "11.3"), ("cpu", None)])
def test_flavour_names_cuda_as_djl_writes_it(flavour: str, cuda: str | None) -> None:
    assert flavour_cuda(flavour) == cuda


def test_flavour_below_every_build_is_a_misread_cpu_library() -> None:
    verdict = judge("djl", [NAMED, FLAVOUR], [], ["cu065"])
    assert verdict is not None and verdict.cause == CPU_BUILD and verdict.decided
    assert "PYTORCH_FLAVOR" in verdict.fix
    # No CUDA release bears 11.9: the same misread.
    misread = judge("djl", [NAMED, FLAVOUR], [], ["cu119"])
    assert misread is not None and misread.cause == CPU_BUILD


@pytest.mark.parametrize("flavour", ["cu121", "cu126", "cu112mkl", "cu102"])
def test_real_cuda_without_a_flavour_stays_a_mismatch(flavour: str) -> None:
    verdict = judge("djl", [NAMED, FLAVOUR], [], [flavour])
    assert verdict is not None and verdict.cause == FLAVOUR_MISSING


def test_djl_misread_flavour_is_a_cpu_library_first() -> None:
    got = codes(DJL_MISREAD)
    assert got[:1] == ["FRAMEWORK_CPU_BUILD"]


def test_djl_flavour_of_a_real_cuda_stays_a_mismatch() -> None:
    assert codes(DJL_NO_FLAVOUR)[:1] == ["CUDA_LIBS_MISMATCH"]


@pytest.mark.parametrize(("line", "version"), [
    # onnxruntime#20571
    ("I am using the following content: Microsoft.ML.OnnxRuntime.GPU (nuget package VERSION 1.16.0)", "1.16.0"),
    # BobLd/RapidOcrNet#48
    ('    <PackageReference Include="Microsoft.ML.OnnxRuntime.Gpu" Version="1.26.0" />', "1.26.0"),
    # onnxruntime#20916's title
    ("Microsoft.ML.OnnxRuntime.Gpu 1.18.0 not working with NVIDIA CUDA 11.6", "1.18.0"),
    # nuget.org's install line for the native half
    ("dotnet add package Microsoft.ML.OnnxRuntime.Gpu.Windows --version 1.17.0", "1.17.0"),
])
def test_nuget_gpu_package_is_the_onnxruntime_gpu_release(line: str, version: str) -> None:
    assert program_builds(line) == [ProgramRelease("onnxruntime-gpu", version, None)]


@pytest.mark.parametrize("line", [
    "Microsoft.ML.OnnxRuntime 1.16.0",  # the CPU package
    "Microsoft.ML.OnnxRuntime.Managed 1.16.0",  # the managed half, no native build
    # dotnet/machinelearning#4656: an attempt, not the writer's state
    "I have tried with and without installing the NuGet package Microsoft.ML.OnnxRuntime.Gpu (1.0.1) and I get the same exception.",
    "Microsoft.ML.OnnxRuntime.Gpu, CUDA 12.2",  # no version of the package
])
def test_nuget_reading_stays_quiet(line: str) -> None:
    assert program_builds(line) == []


@pytest.mark.parametrize(("line", "found"), [
    (" NVIDIA CUDA Tool Kit (VERSION 12.2)", [("cuda", "12.2")]),
    ("CUDNN (VERSION 8.9)", [("cudnn", "8.9")]),
    ("CUDA Toolkit 12.2 installed", [("cuda", "12.2")]),
    ("cuda (see the docs)", []),
])
def test_cuda_toolkit_named_with_its_release(line: str, found: list[tuple[str, str]]) -> None:
    assert found_stated(line) == found


def test_nuget_gpu_package_built_for_another_cuda() -> None:
    assert codes(ORT_NUGET_CUDA12)[:1] == ["CUDA_LIBS_MISMATCH"]


def test_nuget_gpu_package_beside_the_cuda_it_was_built_for_is_not_that_mismatch() -> None:
    text = ORT_NUGET_CUDA12.replace("(VERSION 12.2)", "(VERSION 11.8)")
    assert "CUDA_LIBS_MISMATCH" not in codes(text)[:1]
