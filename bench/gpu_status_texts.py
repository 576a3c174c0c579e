"""Checks knowledge/gpu_status.toml's codes and texts against NVIDIA's own libraries: each header's enum and each library's string function.

The texts in the table were read this way. To check them again (no GPU needed; the libraries' string
functions work without one), fetch the wheels with pip and unpack them into one folder::

    pip download --no-deps -d /tmp/w nvidia-cuda-runtime-cu12 nvidia-cudnn-cu12 "nvidia-cudnn-cu11<9" \\
        nvidia-cublas-cu12 nvidia-cusparse-cu12 nvidia-nvjitlink-cu12 nvidia-nccl-cu12 nvidia-cufft-cu12 nvidia-cusolver-cu12
    for w in /tmp/w/*.whl; do unzip -qo "$w" -d /tmp/w/x; done
    PYTHONPATH=$PWD/src python3 bench/gpu_status_texts.py /tmp/w/x [--cuda /usr/local/cuda]

``--cuda`` names a CUDA toolkit whose libcudart and cuda.h are read instead of the wheel's (the table's
runtime texts are CUDA 13.0's). A library that is not there is skipped and said so. Prints each
difference and exits 1 when there is one.
"""

from __future__ import annotations

import argparse
import ctypes
import glob
import os
import re
import sys
from collections.abc import Callable

from whygpu.knowledge.gpu_status import statuses


def enum_values(header: str, name_pattern: str, typedef: str) -> list[tuple[str, int]]:
    """The (name, value) pairs of a C enum ``typedef`` in ``header`` (comments dropped)."""
    with open(header, encoding="utf-8", errors="replace") as handle:
        text = handle.read()
    m = re.search(r"typedef\s+enum\s*\w*\s*\{([^}]*)\}\s*" + typedef + r"\s*;", text, re.S)
    if m is None:
        m = re.search(r"enum\s+(?:__device_builtin__\s+)?" + typedef + r"\w*\s*\{([^}]*)\}", text, re.S)
    if m is None:
        return []
    body = re.sub(r"/\*.*?\*/|//[^\n]*", "", m.group(1), flags=re.S)
    return [(a, int(b, 0)) for a, b in re.findall(r"\b(" + name_pattern + r")\s*=\s*(-?(?:0x[0-9a-fA-F]+|\d+))", body)]


def _string_function(library: str, function: str, preload: tuple[str, ...] = ()) -> Callable[[int], str] | None:
    for path in preload:
        if os.path.exists(path):
            ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
    try:
        lib = ctypes.CDLL(library)
    except OSError:
        return None
    fn = getattr(lib, function)
    fn.restype = ctypes.c_char_p
    return lambda value: (fn(value) or b"").decode()


def _first(pattern: str) -> str:
    found = sorted(glob.glob(pattern))
    return found[0] if found else ""


def read_libraries(root: str, cuda: str | None) -> dict[str, dict[str, tuple[int, str | None]]]:
    """Per table key of gpu_status.toml: name -> (number, the library's text or None where it prints none)."""
    nv = os.path.join(root, "nvidia")
    out: dict[str, dict[str, tuple[int, str | None]]] = {}
    cudart_dir = os.path.join(cuda, "lib") if cuda else os.path.join(nv, "cuda_runtime", "lib")
    include = os.path.join(cuda, "include") if cuda else os.path.join(nv, "cuda_runtime", "include")
    cudart = _first(os.path.join(cudart_dir, "libcudart.so.*[0-9]"))
    rt = _string_function(cudart, "cudaGetErrorString") if cudart else None
    if rt is not None:
        out["runtime"] = {n: (v, rt(v).rstrip(".")) for n, v in
                          enum_values(os.path.join(include, "driver_types.h"), r"cuda(?:Success|Error\w+)", "cudaError")
                          if n != "cudaErrorApiFailureBase"}
        texts = {v: t for v, t in out["runtime"].values()}
        out["driver"] = {n: (v, texts.get(v, "")) for n, v in
                         enum_values(os.path.join(include, "cuda.h"), r"CUDA_(?:SUCCESS|ERROR_\w+)", "CUresult")}
    preload = (cudart, _first(os.path.join(nv, "cublas", "lib", "libcublasLt.so.*")), _first(os.path.join(nv, "nvjitlink", "lib", "libnvJitLink.so.*")))
    tables = (
        ("cudnn", "cudnn/lib/libcudnn.so.9", "cudnn/include/cudnn_graph.h", r"CUDNN_STATUS_\w+", "cudnnStatus_t", "cudnnGetErrorString"),
        ("cudnn8", "cudnn/lib/libcudnn_ops_infer.so.8", "cudnn/include/cudnn_ops_infer.h", r"CUDNN_STATUS_\w+", "cudnnStatus_t", "cudnnGetErrorString"),
        ("cublas", "cublas/lib/libcublas.so.12", "cublas/include/cublas_api.h", r"CUBLAS_STATUS_\w+", "cublasStatus_t", "cublasGetStatusString"),
        ("cusparse", "cusparse/lib/libcusparse.so.12", "cusparse/include/cusparse.h", r"CUSPARSE_STATUS_\w+", "cusparseStatus_t", "cusparseGetErrorString"),
        ("nccl", "nccl/lib/libnccl.so.2", "nccl/include/nccl.h", r"nccl\w+", "ncclResult_t", "ncclGetErrorString"),
        ("cufft", "", "cufft/include/cufft.h", r"CUFFT_\w+", "cufftResult", ""),
        ("cusolver", "", "cusolver/include/cusolver_common.h", r"CUSOLVER_STATUS_\w+", "cusolverStatus_t", ""),
    )
    for key, library, header, pattern, typedef, function in tables:
        header_path = os.path.join(nv, header)
        if not os.path.exists(header_path):
            continue
        text_of = _string_function(os.path.join(nv, library), function, preload) if library else None
        if library and text_of is None:
            continue
        out[key] = {n: (v, text_of(v) if text_of else None) for n, v in enum_values(header_path, pattern, typedef)
                    if n != "ncclNumResults"}
    return out


def main(argv: list[str] | None = None) -> int:
    """Compare and print the differences."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", help="folder the wheels were unpacked into (holds nvidia/...)")
    parser.add_argument("--cuda", help="a CUDA toolkit folder to read libcudart and the headers from")
    args = parser.parse_args(argv)
    read = read_libraries(args.root, args.cuda)
    table: dict[str, dict[str, tuple[int, str]]] = {}
    for status in statuses():
        table.setdefault(status.library, {})[status.name] = (status.number, status.description)
    differences = 0
    for key in sorted(table):
        if key not in read:
            print(f"{key}: not read (library or header not found)")
            continue
        ours, theirs = table[key], read[key]
        for name in sorted(set(ours) | set(theirs)):
            if name not in theirs:
                print(f"{key}: {name} is in the table, not in the header read")
            elif name not in ours:
                print(f"{key}: {name} = {theirs[name][0]} is in the header, not in the table")
            elif ours[name][0] != theirs[name][0] or (theirs[name][1] is not None and ours[name][1] != theirs[name][1]):
                print(f"{key}: {name}: table {ours[name]!r}, library {theirs[name]!r}")
            else:
                continue
            differences += 1
        print(f"{key}: {len(theirs)} codes read, {len(ours)} in the table")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
