"""bitsandbytes' CUDA setup without a binary for the CUDA it detected (session 33, after its batch was opened)."""

from __future__ import annotations

from log_text import report


def test_no_binary_for_the_detected_cuda_is_a_library_of_another_version() -> None:
    # h2o-llmstudio #339 (https://github.com/h2oai/h2o-llmstudio/issues/339).
    log = ("CUDA SETUP: Detected CUDA version 122\n"
           "CUDA SETUP: Required library version not found: libbitsandbytes_cuda122.so. Maybe you need to compile it from source?\n"
           "CUDA SETUP: Defaulting to libbitsandbytes_cpu.so...\n")
    cause = report(log).causes[0]
    assert cause.code == "CUDA_LIBS_MISMATCH"
    assert "pip install -U bitsandbytes" in cause.fix and "bitsandbytes" in cause.title


def test_the_binary_found_and_loaded_is_no_cause() -> None:
    log = ("CUDA SETUP: CUDA runtime path found: /usr/local/cuda/lib64/libcudart.so\n"
           "CUDA SETUP: Highest compute capability among GPUs detected: 8.0\n"
           "CUDA SETUP: Detected CUDA version 118\n"
           "CUDA SETUP: Loading binary /opt/conda/lib/python3.10/site-packages/bitsandbytes/libbitsandbytes_cuda118.so...\n")
    assert all(c.code != "CUDA_LIBS_MISMATCH" for c in report(log).causes)
