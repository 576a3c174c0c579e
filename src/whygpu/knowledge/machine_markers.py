"""Signs on a machine that show a container, WSL, Azure or an Azure ML job (machine_markers.toml)."""

from __future__ import annotations

from typing import Any

from whygpu.knowledge import load


def machine_markers() -> dict[str, Any]:
    """Every table of ``machine_markers.toml`` by name (parsed once, on first use; do not change it)."""
    return load("machine_markers")
