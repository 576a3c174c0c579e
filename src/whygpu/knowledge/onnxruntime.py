"""ONNX Runtime's execution providers by what each runs on (knowledge/onnxruntime.toml): what a provider list means for
the NVIDIA GPU, and whether a line is ONNX Runtime's TensorRT provider loading its libraries."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows

__all__ = ["CPU_ONLY", "NVIDIA", "OTHER", "provider_names", "providers_meaning", "tensorrt_provider_line"]

NVIDIA, CPU_ONLY, OTHER = "nvidia", "cpu_only", "other"


@lru_cache(maxsize=1)
def _by_name() -> dict[str, str]:
    """Each provider's name and short names (lower case) to what it runs on."""
    out: dict[str, str] = {}
    for row in table_rows("onnxruntime", "provider"):
        out[str(row["name"]).lower()] = str(row["runs_on"])
        for short in row.get("short", []):
            out[str(short).lower()] = str(row["runs_on"])
    return out


@lru_cache(maxsize=1)
def provider_names() -> tuple[str, ...]:
    """Every provider's full name as ONNX Runtime prints it."""
    return tuple(str(row["name"]) for row in table_rows("onnxruntime", "provider"))


def providers_meaning(names: Iterable[str]) -> str | None:
    """What a list of providers (full or short names) means for the NVIDIA GPU: ``NVIDIA`` when one of them runs on it,
    ``OTHER`` when one runs on another accelerator (DirectML, ROCm, CoreML...: not an NVIDIA GPU left unused),
    ``CPU_ONLY`` when every one runs on the CPU or remotely, None when the list is empty or names one the table lacks."""
    table = _by_name()
    kinds = [table.get(n.strip().lower()) for n in names if n.strip()]
    if not kinds or any(k is None for k in kinds):
        return None
    if NVIDIA in kinds:
        return NVIDIA
    if "other" in kinds:
        return OTHER
    return CPU_ONLY


_TENSORRT_PROVIDER = re.compile(r"onnxruntime_providers_tensorrt|TensorrtExecutionProvider|TryGetProviderInfo_TensorRT", re.I)


def tensorrt_provider_line(line: str) -> bool:
    """Whether ``line`` shows ONNX Runtime's TensorRT provider (its library or its name): a TensorRT library that fails to
    load there is one the provider needs, not TensorFlow's optional TF-TRT (whose libnvinfer is harmless)."""
    return _TENSORRT_PROVIDER.search(line) is not None
