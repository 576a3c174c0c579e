"""Whether a failed allocation of GPU memory came before the job's own work or while it ran (accstatus, session 24).

causes.md's GPU_BUSY includes "out of memory at initialisation": the GPU's memory was taken before the job started (another
process, a framework in the same process that preallocated it). An out-of-memory while the job already runs its own work is
its own demand (a batch or model too large), which is no cause of causes.md. This module reads which of the two a log shows:

* ``work_ran``: a line showing the job's own work on the GPU before or beside the failure;
* ``paddle_oom``: Paddle's out-of-memory message judged by its own numbers.

The status codes that say an allocation failed carry ``memory = true`` in knowledge/gpu_status.toml; ``explain.infer``'s
Collector drops their GPU_BUSY reading where ``work_ran`` holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from whygpu import lazyre as re

# The job's own work, seen:
# - TensorFlow's op kernel could not allocate an op's output: the graph was executing its ops ("OOM when allocating tensor with
#   shape[64] and type float on /job:localhost/...", OpKernelContext::allocate_tensor,
#   https://github.com/tensorflow/tensorflow/blob/v2.12.0/tensorflow/core/framework/op_kernel.cc). Over every labelled log
#   (session 24, `bench/explain_rule_precision.py --grep 'OOM when allocating tensor'`): 10 negatives, 0 positives.
# - a finished step's loss (Keras' progress bar "- loss: 0.6931", a training loop's "loss = 0.69"), or an epoch after the first
#   ("Epoch 2/50": Keras prints the epoch's header before its first step, so "Epoch 1/50" alone shows no finished work).
_WORK = re.compile(r"OOM when allocating tensor|\bloss\s*[:=]\s*-?\d|\bEpoch\s+(?:[2-9]|[1-9]\d+)\s*/\s*\d+", re.I)
# Words of a log that names a failed allocation of GPU memory (the gate of the reading: the work only matters then).
MEMORY_WORDS = ("out_of_memory", "alloc_failed", "available memory is only", "out of memory")

# Paddle's allocators (paddle/fluid/memory/allocation/cuda_allocator.cc, auto_growth and stream-safe allocators):
#   "Out of memory error on GPU 0. Cannot allocate 25.002197MB memory on GPU 0, available memory is only 15.187500MB."
#   2.x adds what Paddle's own allocator holds: "..., 10.731445GB memory has been allocated and available memory is only
#   113.375000MB." (PADDLE_THROW_BAD_ALLOC, HumanReadableSize in units of 1024,
#   https://github.com/PaddlePaddle/Paddle/blob/develop/paddle/phi/core/memory/allocation/cuda_allocator.cc)
_SIZE = r"(\d+(?:\.\d+)?)\s?([KMGTP]?B)"
_PADDLE_OOM = re.compile(r"Cannot allocate " + _SIZE + r" memory on GPU \d+, (?:" + _SIZE + r" memory has been allocated and )?"
                         r"available memory is only " + _SIZE)
_UNITS = {"B": 0, "KB": 1, "MB": 2, "GB": 3, "TB": 4, "PB": 5}
# What the failing process holds in Paddle's allocator below which the memory the GPU lacks is not its own: a CUDA context
# and cuDNN/cuBLAS handles stand outside the count (a few hundred MiB), and a job that filled even a 2 GiB GPU itself
# holds well over this.
OWN_SMALL_GIB = 0.5
# Free memory below which, with no count of the process's own and no work seen, nothing was left when the job asked.
FREE_TINY_GIB = 0.25


def work_ran(line: str) -> str | None:
    """The words of ``line`` that show the job's own work on the GPU (an op's tensor, a finished step), or None."""
    m = _WORK.search(line)
    return m.group(0) if m else None


def _gib(number: str, unit: str) -> float:
    return float(number) * 1024.0 ** (_UNITS[unit.upper()] - 3)


@dataclass(frozen=True)
class PaddleOom:
    """Paddle's out-of-memory numbers: the request, what its allocator held (None before 2.x), what was free, in GiB."""

    request: float
    own: float | None
    free: float


def paddle_oom(line: str) -> PaddleOom | None:
    """Paddle's out-of-memory message's numbers on ``line``, or None."""
    m = _PADDLE_OOM.search(line)
    if m is None:
        return None
    own = _gib(m.group(3), m.group(4)) if m.group(3) else None
    return PaddleOom(_gib(m.group(1), m.group(2)), own, _gib(m.group(5), m.group(6)))


def memory_taken_before(oom: PaddleOom, worked: bool) -> str | None:
    """The reading of Paddle's out-of-memory: ``held`` (its own allocator held next to nothing, so the memory was taken by
    something else), ``start`` (no count of its own, almost nothing free and no work of the job seen: Paddle's own first
    advice, another process), or None (the job's own demand, or nothing to decide by)."""
    if oom.own is not None:
        return "held" if oom.own < OWN_SMALL_GIB else None
    if worked or oom.free >= FREE_TINY_GIB:
        return None
    return "start"
