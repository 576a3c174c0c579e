"""Which CUDA release a cuDNN archive built for one CUDA serves (accnoticed39, session 39).

NVIDIA publishes each cuDNN release as one archive per CUDA release it was built for, the CUDA written in the name
("cudnn-9.0-windows10-x64-v7.5.0.56", "cudnn-10.0-linux-x64-v7.4.2.24": https://developer.nvidia.com/rdp/cudnn-archive).
Up to CUDA 10.2 each archive serves the one CUDA minor named (the libraries link that minor's libcudart/libcublas, whose
sonames carry the minor: libcublas.so.9.0, cublas64_100.dll); from CUDA 11 an archive for "cuda11" / "cuda12" serves
every minor of that major (CUDA's minor-version compatibility: https://docs.nvidia.com/deploy/cuda-compatibility/).
"""

from __future__ import annotations

from whygpu.knowledge.cuda_versions import version_tuple

# The first CUDA major whose releases keep one soname across minors (libcudart.so.11.0 for all of 11.x).
_MAJOR_COMPATIBLE_FROM = 11


def archive_serves_cuda(archive_cuda: str, wanted_cuda: str) -> bool | None:
    """Whether a cuDNN archive built for ``archive_cuda`` serves a build that needs ``wanted_cuda``; None where unknown."""
    try:
        have, want = version_tuple(archive_cuda), version_tuple(wanted_cuda)
    except (ValueError, TypeError):
        return None
    if not have or not want:
        return None
    if have[0] != want[0]:
        return False
    if want[0] >= _MAJOR_COMPATIBLE_FROM:
        return True
    if len(have) < 2 or len(want) < 2:
        return None
    return have[:2] == want[:2]
