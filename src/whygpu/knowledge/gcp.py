"""Google Cloud machines with NVIDIA GPUs: the accelerator-optimized machine families and the accelerator types
(knowledge/gcp.toml), accplat (session 29)."""

from __future__ import annotations

from functools import lru_cache

from whygpu.knowledge._util import table_rows

__all__ = ["gcp_accelerator_gpu", "gcp_machine_gpu"]


@lru_cache(maxsize=1)
def _families() -> dict[tuple[str, str], str]:
    return {(str(row["family"]), str(kind)): str(row["gpu_model"]) for row in table_rows("gcp", "machine_family") for kind in row["kinds"]}


@lru_cache(maxsize=1)
def _accelerators() -> dict[str, str]:
    return {str(row["name"]): str(row["gpu_model"]) for row in table_rows("gcp", "accelerator")}


def gcp_machine_gpu(machine_type: str) -> str | None:
    """The GPU model of a Compute Engine machine type of an accelerator-optimized family ("a2-highgpu-1g" -> "A100",
    "g2-standard-8" -> "L4"); None for a type of a family without GPUs (n1-standard-8: its GPUs, if any, are attached)."""
    parts = machine_type.strip().lower().split("-")
    if len(parts) < 3:
        return None
    return _families().get((parts[0], parts[1]))


def gcp_accelerator_gpu(accelerator: str) -> str | None:
    """The GPU model of a Compute Engine accelerator type ("nvidia-tesla-t4" -> "Tesla T4"); None for a name not in the table."""
    return _accelerators().get(accelerator.strip().lower())
