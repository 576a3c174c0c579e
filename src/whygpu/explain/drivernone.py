"""A program's line that gives the driver's CUDA version as 0: CUDA's own answer that no driver is installed (accsmall38).

``cudaDriverGetVersion`` answers 0 where no driver is installed (the CUDA Runtime API's version management:
https://docs.nvidia.com/cuda/cuda-runtime-api/group__CUDART____VERSION.html), and programs print that answer as a version:
NVIDIA Warp's banner "CUDA Toolkit 11.5, Driver 0.0 (insufficient CUDA driver version!)" and its warning "the installed CUDA
driver version is 0.0". Such a line says "insufficient", but no driver's CUDA is 0: the driver is missing, not old. This
module reads where a line gives the driver's CUDA version and its value; whether the value is the "no driver" answer is
``knowledge.cuda_versions.driver_cuda_none``'s one decision. Judged by LOG765 (explain.drivernonerules).
"""

from __future__ import annotations

from whygpu import lazyre as re
from whygpu.knowledge.cuda_versions import driver_cuda_none

# Where a line gives the driver's CUDA version (the value in group 1): Warp's banner ("CUDA Toolkit 12.8, Driver 0.0"), the
# driver's CUDA version said ("the installed CUDA driver version is 0.0", "CUDA driver version: 0"); a need ("the minimum
# required CUDA driver version is 12.0") is not the driver's.
_DRIVER_CUDA = re.compile(
    r"\bCUDA\s+Toolkit\s+\d+(?:\.\d+)*\s*,\s*Driver\s+(\d+(?:\.\d+)*)(?![\d.]*\d)"
    r"|(?<!required\s)(?<!minimum\s)\b(?:installed\s+|current\s+)?CUDA\s+driver\s+version\s*(?:is|:|=)\s*(\d+(?:\.\d+)*)(?![\d.]*\d)",
    re.I)


def driver_cuda_zero(line: str) -> str | None:
    """The driver's CUDA version ``line`` gives where it is CUDA's "no driver" answer (``"0.0"``), else None."""
    for m in _DRIVER_CUDA.finditer(line):
        value = m.group(1) or m.group(2)
        before = line[max(0, m.start() - 24):m.start()].lower()
        if "minimum" in before or "required" in before or "at least" in before:
            continue  # a need, not the machine's driver
        if driver_cuda_none(value):
            return value
    return None
