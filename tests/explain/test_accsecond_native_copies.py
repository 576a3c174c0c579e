"""accsecond (session 36): a second copy of a framework's native library (LOG655, LOG656; knowledge/second_copies.toml).

Real lines carry their public source; the others are written for the case.
"""

from __future__ import annotations

import pytest
from tests.log_text import facts, finding_codes, first_cause, report

from whygpu.explain import secondcopy
from whygpu.knowledge.second_copies import copies_in_conflict, entry_point_framework
from whygpu.model import Confidence

# https://github.com/microsoft/onnxruntime/issues/2013
TWO_PACKAGES = ("I am trying to run an onnx model in C# on GPU. I found that if I install NuGet packages Microsoft.ML.OnnxRuntime.Gpu "
                "(0.5.0) and Microsoft.ML.OnnxTransformer (1.3.1) together, I get the following exception:\n\n"
                "System.EntryPointNotFoundException: 'Unable to find an entry point named 'OrtSessionOptionsAppendExecutionProvider_CUDA' "
                "in DLL 'onnxruntime'.'\n\nwhen I try to create a `SessionOption`:\n")
# https://github.com/microsoft/onnxruntime/issues/9438
GPU_PACKAGE_ONLY = ("**Describe the bug**\nSystem.EntryPointNotFoundException: Unable to find an entry point named "
                    "'OrtSessionOptionsAppendExecutionProvider_CUDA' in shared library 'onnxruntime'\n\n"
                    "- Base image: nvidia/cuda:11.4.2-devel-ubuntu20.04\n- dotnet: latest\n- Project: ASP.NET 5: +nuget: Microsoft.ML.OnnxRuntime.Gpu\n")
# https://github.com/guojin-yan/YoloDeployCsharp/issues/20
TRANSLATED = ("System.EntryPointNotFoundException\n  HResult=0x80131523\n"
              "  Message=无法在 DLL“onnxruntime”中找到名为“OrtSessionOptionsAppendExecutionProvider_CUDA”的入口点。\n"
              "  Source=Microsoft.ML.OnnxRuntime\n  StackTrace:\n"
              "   在 Microsoft.ML.OnnxRuntime.NativeMethods.OrtSessionOptionsAppendExecutionProvider_CUDA(IntPtr options, Int32 device_id)\n")
# https://github.com/microsoft/onnxruntime/issues/4009
LOAD_FAILED = ("I would like to use the C# binding and the `Microsoft.ML.Onnxruntime.Gpu` nuget package.\n"
               "Microsoft.ML.OnnxRuntime.OnnxRuntimeException\n  HResult=0x80131500\n"
               "  Message=[ErrorCode:Fail] OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library\n"
               "  Source=Microsoft.ML.OnnxRuntime\n")
BOTH_REFERENCED = ('<PackageReference Include="Microsoft.ML.OnnxRuntime" Version="1.16.3" />\n'
                   '<PackageReference Include="Microsoft.ML.OnnxRuntime.Gpu" Version="1.16.3" />\n'
                   "Inference runs on the CPU only.\n")


def test_gpu_package_beside_a_package_that_requires_the_cpu_one_is_install_broken() -> None:
    r = report(TWO_PACKAGES)
    assert r.causes[0].code == "FRAMEWORK_INSTALL_BROKEN"
    assert "LOG655" in r.causes[0].findings
    first = next(f for f in r.findings if f.id == "LOG655" and f.alternative_to is None)
    assert first.confidence is Confidence.HIGH
    assert "Microsoft.ML.OnnxTransformer" in first.fix and "None" not in first.fix


def test_gpu_package_alone_with_the_entry_point_missing_is_a_likely_second_copy() -> None:
    assert first_cause(GPU_PACKAGE_ONLY) == "FRAMEWORK_INSTALL_BROKEN"
    finding = next(f for f in report(GPU_PACKAGE_ONLY).findings if f.id == "LOG655" and f.alternative_to is None)
    assert finding.confidence is Confidence.MEDIUM


def test_entry_point_missing_without_the_gpu_package_is_the_cpu_build() -> None:
    assert first_cause(TRANSLATED) == "FRAMEWORK_CPU_BUILD"
    assert "LOG656" in finding_codes(TRANSLATED) and "LOG655" not in finding_codes(TRANSLATED)
    # the exception's Source and the stack frame name the managed assembly, not the CPU package
    assert [s.value for s in facts(TRANSLATED).native_packages_named] == []


def test_the_providers_own_load_failure_is_not_an_entry_point_missing() -> None:
    assert facts(LOAD_FAILED).native_entry_missing == []
    assert not {"LOG655", "LOG656"} & finding_codes(LOAD_FAILED)


def test_both_packages_referenced_without_the_entry_point_line() -> None:
    assert "LOG655" in finding_codes(BOTH_REFERENCED)
    assert first_cause(BOTH_REFERENCED) == "FRAMEWORK_INSTALL_BROKEN"
    assert "LOG655" not in finding_codes(BOTH_REFERENCED.replace('<PackageReference Include="Microsoft.ML.OnnxRuntime" Version="1.16.3" />\n', ""))


@pytest.mark.parametrize("line, names", [
    ('<PackageReference Include="Microsoft.ML.OnnxRuntime.Gpu" Version="1.29.0" />', ["Microsoft.ML.OnnxRuntime.Gpu"]),
    ("tried ML.OnnxRuntime.GPU 1.0.0 but need OnnxTransformer", ["Microsoft.ML.OnnxRuntime.Gpu"]),
    ("ML.OnnxTransformer has a dependency with ML.OnnxRuntime 0.5.1.", ["Microsoft.ML.OnnxTransformer", "Microsoft.ML.OnnxRuntime"]),
    ("Can you also please double check that the project with the error is using the Microsoft.ML.OnnxRuntime.Gpu nuget package "
     "and not Microsoft.ML.OnnxRuntime?", []),
    ("Exception thrown: 'System.EntryPointNotFoundException' in Microsoft.ML.OnnxRuntime.dll", []),
    ("using Microsoft.ML.OnnxRuntime;", []),
    ("I uninstalled Microsoft.ML.OnnxRuntime and installed Microsoft.ML.OnnxRuntime.Gpu 1.10.0", ["Microsoft.ML.OnnxRuntime.Gpu"]),
])
def test_names_read_as_referenced(line: str, names: list[str]) -> None:
    assert secondcopy.named_packages(line) == names


def test_the_decision() -> None:
    assert entry_point_framework("OrtSessionOptionsAppendExecutionProvider_CUDA") == "onnxruntime"
    both = copies_in_conflict("onnxruntime", entry_missing=True, named=["Microsoft.ML.OnnxRuntime.Gpu", "Microsoft.ML.OnnxRuntime"])
    assert both is not None and both.cause == "FRAMEWORK_INSTALL_BROKEN" and both.decided
    alone = copies_in_conflict("onnxruntime", entry_missing=True, named=["Microsoft.ML.OnnxRuntime.Gpu"])
    assert alone is not None and alone.cause == "FRAMEWORK_INSTALL_BROKEN" and not alone.decided
    cpu = copies_in_conflict("onnxruntime", entry_missing=True, named=[])
    assert cpu is not None and cpu.cause == "FRAMEWORK_CPU_BUILD" and not cpu.decided
    assert copies_in_conflict("onnxruntime", entry_missing=False, named=["Microsoft.ML.OnnxRuntime.Gpu"]) is None
    assert copies_in_conflict("onnxruntime", entry_missing=False, named=["Microsoft.ML.OnnxRuntime"]) is None
    assert copies_in_conflict("torch", entry_missing=True, named=[]) is None


# https://github.com/opendatalab/MinerU/issues/1645
PADDLE_PINNED = ('dependencies = [\n  "paddlepaddle-gpu==3.0.0b2",\n]\n\n'
                 "使用时 `uv run src/main.py` 还会显示 “Please use PaddlePaddle with GPU version”\n")


def test_paddle_inference_cpu_words_beside_the_gpu_build_shown_installed_is_the_twin() -> None:
    assert first_cause(PADDLE_PINNED) == "FRAMEWORK_INSTALL_BROKEN"
    assert "LOG370" in finding_codes(PADDLE_PINNED)


def test_paddle_inference_cpu_words_alone_are_the_cpu_build() -> None:
    alone = PADDLE_PINNED.split("\n\n", 1)[1]
    assert first_cause(alone) == "FRAMEWORK_CPU_BUILD"
    assert "LOG-APP-PADDLE-INFER-CPU-BUILD" in finding_codes(alone) and "LOG370" not in finding_codes(alone)
