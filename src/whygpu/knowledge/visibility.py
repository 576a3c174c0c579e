"""Whether a CUDA_VISIBLE_DEVICES value hides every GPU: the one decision doctor's environment rule and explain's log readings share.

CUDA enumerates only the devices the variable lists, in its order, and stops at the first entry that is not a device
index, a GPU UUID or a MIG name: an empty value, ``-1``, ``none`` or ``NoDevFiles`` (what Slurm sets for a job given no
GPU) leaves no device at all, and an index the machine does not have hides the ones after it too. Source: the CUDA C
Programming Guide, "CUDA Environment Variables" (https://docs.nvidia.com/cuda/cuda-c-programming-guide/index.html#env-vars);
Slurm's gres documentation for NoDevFiles (https://slurm.schedmd.com/gres.html).
"""

from __future__ import annotations

from whygpu import lazyre as re

__all__ = ["visible_devices_hide_all", "visible_devices_show_one"]

# One entry that names a device: an index, a GPU UUID (GPU-8932f937-...), a MIG instance (MIG-GPU-.../1/0 or MIG-<uuid>).
_DEVICE_ENTRY = re.compile(r"^(?:\d+|GPU-[0-9a-fA-F-]+|MIG-[\w/-]+)$")
# A value that is not literal: a shell or template variable the log did not expand ($GPU, ${IDS}, %GPU%, <ids>, {gpu}), or
# a program's printed list of the ids ("CUDA_VISIBLE_DEVICES: [0]", PyTorch Lightning's start-up line).
_NOT_LITERAL = re.compile(r"[$%<>{}\[\]]")


def visible_devices_hide_all(value: str, device_count: int | None = None) -> str | None:
    """Why ``CUDA_VISIBLE_DEVICES=value`` leaves CUDA no device, or None when it leaves some (or cannot be told).

    Empty, or a first entry that names no device (``-1``, ``none``, ``NoDevFiles``): no device. A first index at or above
    ``device_count`` (when the machine's count is known): no device either. Valid ids (``0``, ``0,1``, a UUID) and a value
    that is a variable not expanded (``$GPU``) are None.
    """
    text = value.strip().strip("'\"`").strip()
    if text == "":
        return "an empty CUDA_VISIBLE_DEVICES hides every GPU"
    if _NOT_LITERAL.search(text) or len(text) > 80:
        return None
    first = text.split(",")[0].strip()
    if not _DEVICE_ENTRY.match(first):
        return f"CUDA_VISIBLE_DEVICES={text} hides every GPU (its first entry is no device index or UUID)"
    if first.isdigit() and device_count is not None and int(first) >= device_count:
        return f"GPU id {first} does not exist (this machine has {device_count} GPU(s)); CUDA stops at the first invalid id"
    return None


def visible_devices_show_one(value: str) -> bool:
    """Whether ``CUDA_VISIBLE_DEVICES=value`` leaves CUDA a device on every machine that has a GPU: a literal list whose
    first entry is index 0. CUDA numbers a machine's GPUs from 0, so device 0 exists wherever one GPU does, and the list is
    read up to its first invalid entry: "0", "0,1", "0,5" all keep GPU 0. Such a value chooses a GPU; it forces nothing onto
    the CPU (accnoticed41, session 41: BERTopic#843's `os.environ["CUDA_VISIBLE_DEVICES"]="0"` on a four-GPU server was read
    as the code hiding the GPU). False for every value that hides (``visible_devices_hide_all``), for a later index alone
    ("1", "3,2,1,0": past the count of a machine with fewer GPUs, thuml/Autoformer#25), a UUID (another machine's GPU, as
    often as this one's) and a value not written out ($GPU)."""
    text = value.strip().strip("'\"`").strip()
    if visible_devices_hide_all(text) is not None or _NOT_LITERAL.search(text):
        return False
    return text.split(",")[0].strip() == "0"
