"""Lines a program printed from its own CUDA code (accnotcpu, session 35): evidence for "is this build a CUDA build?".

A CPU-only build holds no CUDA code, so it never prints a line that CUDA code prints: a location in a CUDA source file
(``ggml-cuda.cu:3163``, ``[cuda_driver.cpp:load_lib@36]``), a CUDA runtime or library status returned to the program
("CUDA error: operation not supported", ``CUDNN_STATUS_NOT_INITIALIZED``, "cuDNN failed to initialize"), a framework's
CUDA back end reporting on its own start (Theano's ``theano.sandbox.cuda`` warning, Paddle's "GPU Compute Capability: 8.6,
Driver API Version: 11.2, Runtime API Version: 11.2"). This module only reads such lines (the knowledge layer decides what
they mean: ``knowledge.cuda_build.build_verdict``, kind ``cuda_code_line``, through ``explain.buildshown``). Whether the
CUDA code then failed, and why, is the other readings' (a driver library not found, an error's own signature).

Sources: CUDA runtime error reporting, https://docs.nvidia.com/cuda/cuda-runtime-api/group__CUDART__ERROR.html; cuDNN's
status codes, https://docs.nvidia.com/deeplearning/cudnn/latest/api/cudnn-graph-library.html#cudnnstatus-t.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu import lazyre as re

# Cheap test over the whole text: without one of these, no line is read.
NEEDLES = (".cu:", ".cu(", ".cu@", ".cuh:", "ggml-cuda", "cuda_driver.c", "cuda_gpu_executor", "CUDA error:", "CUDA error (",
           "CUDNN_STATUS_", "CUBLAS_STATUS_", "cuDNN failed to initialize", "theano.sandbox.cuda", "Runtime API Version:")

_CODE_LINE = re.compile(
    # A location in a CUDA source file: "ggml-cuda.cu:3163", "THCGeneral.cu(12)", "[cuda_driver.cpp:load_lib@36]".
    r"[\w./\\-]*\.cuh?(?::\d+|\(\d+\)|@\d+)"
    r"|[\w./\\-]*\bcuda_(?:driver|gpu_executor|diagnostics|runtime)\w*\.(?:cc|cpp|c)\b"
    r"|ggml-cuda\b"
    # A CUDA runtime or library status returned to the program.
    r"|\bCUDA error(?::| \()\s*[\w(]"
    r"|\bCU(?:DNN|BLAS)_STATUS_[A-Z_]+"
    r"|\bcuDNN failed to initialize"
    # A framework's CUDA back end on its own start: Theano's CUDA sandbox, Paddle's device context line.
    r"|\btheano\.sandbox\.cuda\b"
    r"|\bDriver API Version: \d+\.\d+, Runtime API Version: \d+\.\d+")
_MAX_LINE = 2000


def has_needle(text: str) -> bool:
    """Whether ``text`` may hold such a line (the cheap test before ``cuda_code_lines``)."""
    return any(needle in text for needle in NEEDLES)


def cuda_code_lines(lines: list[str]) -> Iterator[tuple[int, str, str]]:
    """(1-based line number, the words, the line) of each line a program printed from its CUDA code."""
    for number, line in enumerate(lines, 1):
        if not has_needle(line):
            continue
        if (m := _CODE_LINE.search(line[:_MAX_LINE])) is not None:
            yield number, m.group(0), line.strip()[:300]
