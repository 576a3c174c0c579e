"""accbind (session 35): a deep-learning library used from another language whose CPU variant is in use (LOG635), or
that has no native flavour for the CUDA it found (LOG636); knowledge/bindings.toml, explain/langbind.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from log_text import codes, facts, report

CORPUS = Path(__file__).parent / "corpus"


def _log(name: str) -> str:
    return str(json.loads((CORPUS / name).read_text(encoding="utf-8"))["log"])


def _ids(text: str) -> set[str]:
    return {f.id for f in report(text).findings}


# https://github.com/LaurentMazare/tch-rs/issues/213 (opened sealed case, seen data)
TCH_PYTHON_WORKS = """I'm using a VM with a TeslaT4 and pytorch + tensorflow are working fine under python with the GPU and CUDA

    In [2]: torch.cuda.is_available()
    Out[2]: True

Switching over to rust and tch and I get

    println!("Cuda available: {:?}", Cuda::is_available());
    > false
"""

# https://github.com/LaurentMazare/tch-rs/issues/177 (a comment)
TCH_DEFAULT_DOWNLOAD = """I think I just got hit by this but I'm on Ubuntu.
`println!("{}",tch::Cuda::is_available());` prints `false` for me. I didn't install `libtorch` manually.
Just did a `cargo run --release` and I believe it picked up the pre-compiled version."""

# https://github.com/deepjavalibrary/djl/issues/2485 (a comment)
DJL_NO_FLAVOUR = """16:41:59.005 [pool-3-thread-1] WARN ai.djl.pytorch.jni.LibUtils - No matching cuda flavor for linux-x86_64 found: cu121.
16:41:59.007 [pool-3-thread-1] DEBUG ai.djl.pytorch.jni.LibUtils - Loading native library: ~/.djl.ai/pytorch/1.13.1-cpu-linux-x86_64/libc10.so"""

# https://github.com/pytorch/pytorch/issues/38194 (opened sealed case): C++ libtorch, no binding
CPP_LIBTORCH = ("my env is windows10 x64 platform, GTX 1660ti and NVIDIA driver is 445.87 , and download libtorch 1.5 for c++, "
                "call torch::cuda::is_available() return  false, but the same version of pytorch works well and it return true")


def test_tch_answering_false_while_python_torch_sees_the_gpu_is_a_cpu_libtorch() -> None:
    r = report(TCH_PYTHON_WORKS)
    assert r.findings[0].id == "LOG635"
    assert codes(TCH_PYTHON_WORKS)[0] == "FRAMEWORK_CPU_BUILD"
    assert "TORCH_CUDA_VERSION" in r.findings[0].fix and "None" not in r.findings[0].fix


def test_tch_default_download_answering_false() -> None:
    assert "LOG635" in _ids(TCH_DEFAULT_DOWNLOAD)


def test_tch_pointed_at_a_cuda_libtorch_stays_quiet() -> None:
    # The binding with a CUDA selector shown: what failed is not the download (constructed from the tch-rs README's words).
    text = TCH_DEFAULT_DOWNLOAD + "\nexport LIBTORCH=/opt/libtorch-2.1.0+cu121\nexport TORCH_CUDA_VERSION=cu121"
    assert "LOG635" not in _ids(text)


def test_cpp_libtorch_is_not_a_binding() -> None:
    assert not facts(CPP_LIBTORCH).binding_lines
    assert "LOG635" not in _ids(CPP_LIBTORCH)


def test_opened_cases_seen_data() -> None:
    # Session 35's opened sealed batch (seen data: the class was built from these).
    assert codes(_log("holdout90/gh-LaurentMazare-tch-rs-702.json"))[0] == "FRAMEWORK_CPU_BUILD"
    assert codes(_log("holdout90/gh-tensorflow-java-454.json"))[0] == "FRAMEWORK_CPU_BUILD"
    assert codes(_log("holdout90/gh-deepjavalibrary-djl-2775.json"))[0] == "CUDA_LIBS_MISMATCH"


@pytest.mark.parametrize("name", [
    "holdout90/gh-dotnet-TorchSharp-159.json",  # TorchSharp's default is not a CPU download: a DLL not loaded
    "holdout90/gh-microsoft-onnxruntime-2013.json",  # the GPU package named beside the CPU one: a broken install
    "holdout90/gh-deeplearning4j-deeplearning4j-7998.json",  # nd4j-cuda and JCublasBackend loaded
    "holdout90/gh-tensorflow-java-104.json",  # TensorFlow Java that reached the GPU
    "holdout90/gh-pytorch-pytorch-35604.json",  # C++ libtorch
])
def test_quiet_where_the_gpu_variant_is_chosen_or_no_binding(name: str) -> None:
    assert not {"LOG635", "LOG636"} & _ids(_log(name))


def test_djl_flavour_missing_is_a_cuda_mismatch_not_a_cpu_build() -> None:
    ids = _ids(DJL_NO_FLAVOUR)
    assert "LOG636" in ids and "LOG635" not in ids
    f = next(f for f in report(DJL_NO_FLAVOUR).findings if f.id == "LOG636")
    assert "cu121" in f.title and "PYTORCH_FLAVOR" in f.fix


def test_cpu_artifact_shown_with_the_bindings_answer() -> None:
    # Constructed from TorchSharp's package names (https://github.com/dotnet/TorchSharp#nuget-packages) and its exception
    # text (https://github.com/dotnet/TorchSharp/issues/159).
    text = ('<PackageReference Include="TorchSharp-cpu" Version="0.101.5" />\n'
            'System.InvalidOperationException: CUDA non available in the current machine.')
    assert "LOG635" in _ids(text)
    assert "LOG635" not in _ids(text.replace("TorchSharp-cpu", "TorchSharp-cuda-windows"))


def test_tfjs_node_gpu_named_stays_quiet() -> None:
    # https://github.com/tensorflow/tfjs/issues/468: tfjs-node and tfjs-node-gpu both in the dependencies.
    text = ('    "@tensorflow/tfjs-node": "^0.1.5",\n    "@tensorflow/tfjs-node-gpu": "^0.1.7",\n'
            "Using `tfjs-node-gpu`, I can't seem to get GPU utilization above ~0-3%. the GPU is only used a little, CPU only")
    assert "LOG635" not in _ids(text)


def test_quiet_when_the_gpu_is_shown_in_use() -> None:
    text = TCH_DEFAULT_DOWNLOAD + "\nUsing device: cuda:0"
    assert "LOG635" not in _ids(text)


def test_every_needle_is_a_hot_word_and_every_row_has_a_source() -> None:
    from whygpu.explain.logfacts import HOT_WORDS
    from whygpu.knowledge.bindings import bindings, needles, said_needles

    assert all(any(h in n for h in HOT_WORDS) for n in (*needles(), *said_needles()))
    for b in bindings():
        assert b.source.startswith("https://") and "None" not in b.fix and b.choose
