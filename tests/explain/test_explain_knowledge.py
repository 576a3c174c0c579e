"""Explain's compatibility decisions are the knowledge layer's, asked with the versions a log shows."""

from __future__ import annotations

from whygpu.explain import explain_text
from whygpu.explain.rules import _installer


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


def test_plain_tensorflow_beside_tensorflow_gpu_is_a_cpu_build_only_where_pips_package_had_no_cuda() -> None:
    # 1.15.0's tensorflow carried the CUDA code (knowledge/tensorflow.toml pip_gpu): not a CPU package.
    assert "LOG133" not in _ids("TensorFlow version: 1.15.0\npip install tensorflow-gpu==1.15.0 tensorflow==1.15.0\n"
                                "Training runs on the CPU only.\n")
    # The later 1.15 patches, and 1.14, did not.
    assert "LOG133" in _ids("TensorFlow version: 1.15.2\npip install tensorflow-gpu==1.15.2 tensorflow==1.15.2\n"
                            "Training runs on the CPU only.\n")
    assert "LOG133" in _ids("TensorFlow version: 1.14.0\npip install tensorflow-gpu==1.14.0 tensorflow==1.14.0\n"
                            "Training runs on the CPU only.\n")


def test_the_installer_a_line_shows() -> None:
    assert _installer("conda install -c conda-forge tensorflow-gpu") == "conda"
    assert _installer("$ pip install tensorflow-gpu==1.15") == "pip"
    assert _installer("python3 -m pip install tensorflow") == "pip"
    assert _installer("tensorflow-gpu 1.15.0") is None


_DIAG = ("I tensorflow/stream_executor/cuda/cuda_diagnostics.cc:189] libcuda reported version is: {lib}\n"
         "I tensorflow/stream_executor/cuda/cuda_diagnostics.cc:193] kernel reported version is: {kernel}\n"
         "E tensorflow/stream_executor/cuda/cuda_driver.cc:406] failed call to cuInit: CUDA_ERROR_SYSTEM_DRIVER_MISMATCH\n")


def test_log131_two_driver_releases_are_the_knowledge_layers_same_driver_version() -> None:
    assert "LOG131" in _ids(_DIAG.format(lib="375.66.0", kernel="384.130.0"))
    # The third part tells two releases of one branch apart.
    assert "LOG131" in _ids(_DIAG.format(lib="535.104.12", kernel="535.104.5"))
    # Trailing zero parts are no difference.
    assert "LOG131" not in _ids(_DIAG.format(lib="375.66.0", kernel="375.66"))
