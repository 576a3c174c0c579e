"""Google Cloud machines with NVIDIA GPUs: the accelerator-optimized machine families and the accelerator types
(knowledge/gcp.toml), accplat (session 29); GKE node pools a gcloud command makes without a GPU (accnoticed40, session 40)."""

from __future__ import annotations

from functools import lru_cache

from whygpu.knowledge._util import table_rows

__all__ = ["gcp_accelerator_gpu", "gcp_machine_gpu", "gke_pool_without_gpu"]


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


@lru_cache(maxsize=1)
def _gke_creates() -> tuple[tuple[str, str, str, str], ...]:
    return tuple((str(r["command"]), str(r["accelerator"]), str(r["machine_flag"]), str(r["default_machine"]))
                 for r in table_rows("gcp", "gke_create"))


def gke_pool_without_gpu(command: str, *, flags: frozenset[str], machine_type: str | None) -> str | None:
    """The machine type of the nodes a GKE creation command makes without a GPU ([[gke_create]]), or None where the command
    is none of the table's, attaches an accelerator, or names an accelerator-optimized machine type. ``command`` is the
    gcloud command ("container clusters create"), ``flags`` the options it was given, ``machine_type`` the value of its
    machine-type flag where known ("" where the flag was given with a value the log does not show)."""
    row = next((r for r in _gke_creates() if r[0] == command), None)
    if row is None or row[1] in flags:
        return None
    if row[2] not in flags:
        return row[3]
    if not machine_type or gcp_machine_gpu(machine_type) is not None:
        return None
    return machine_type
