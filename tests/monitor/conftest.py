"""Shared helpers for the monitor tests: fixture paths and a fake GPU directory for the fake ``pynvml``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
FAKE_NVML = HERE / "fake_nvml"


@pytest.fixture
def fake_gpu(tmp_path: Path) -> dict[str, str]:
    """Environment for a whygpu whose NVML sampler loads the fake pynvml with one simulated A100."""
    gpu_dir = tmp_path / "gpus"
    (gpu_dir / "0").mkdir(parents=True)
    (gpu_dir / "gpus.json").write_text(json.dumps({"devices": [{"name": "NVIDIA A100-SXM4-80GB", "memory_total_mib": 81920}]}))
    return {"WHYGPU_NVML_MODULE_DIR": str(FAKE_NVML), "WHYGPU_FAKE_GPU_DIR": str(gpu_dir)}
