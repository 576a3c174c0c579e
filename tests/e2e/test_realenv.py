"""End to end on this machine (no GPU, no driver, a CUDA 13.0 toolkit) with real framework wheels in real venvs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cli_runner import run_whygpu

pytestmark = pytest.mark.realenv


def _venv(var: str, name: str) -> Path:
    default = Path(__file__).resolve().parents[2] / ".venvs" / name
    path = Path(os.environ.get(var, default))
    if not (path / "bin" / "python").exists():
        pytest.skip(f"{var} not set and no venv at {path} (run .ci/build-venvs)")
    return path


@pytest.fixture(scope="module")
def tf_report() -> dict:  # type: ignore[type-arg]
    venv = _venv("WHYGPU_TEST_TF_VENV", "tf221")
    result = run_whygpu(["--json", "--python", str(venv / "bin" / "python")])
    assert result.code == 1, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def torch_report() -> dict:  # type: ignore[type-arg]
    venv = _venv("WHYGPU_TEST_TORCH_VENV", "torchcpu")
    result = run_whygpu(["--json", "--python", str(venv / "bin" / "python")])
    assert result.code == 1, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def _codes(report: dict) -> list[str]:  # type: ignore[type-arg]
    return [c["code"] for c in report["causes"]]


def test_tf_no_gpu_ranks_first(tf_report: dict) -> None:  # type: ignore[type-arg]
    assert _codes(tf_report)[0] == "NO_GPU"
    assert tf_report["verdict"]["gpu_usable"] is False


def test_tf_needs_cuda12_not_the_cuda13_toolkit(tf_report: dict) -> None:  # type: ignore[type-arg]
    codes = _codes(tf_report)
    assert "CUDA_LIBS_MISMATCH" in codes or "CUDA_LIBS_MISSING" in codes
    cause = next(c for c in tf_report["causes"] if c["code"] in ("CUDA_LIBS_MISMATCH", "CUDA_LIBS_MISSING"))
    text = " ".join(cause["evidence"])
    assert "libcudart.so.12" in text
    if Path("/usr/local/cuda-13.0").exists():
        assert cause["code"] == "CUDA_LIBS_MISMATCH"
        assert "libcudart.so.13" in text
    assert 'tensorflow[and-cuda]==2.21.*' in cause["fix"]


def test_tf_needs_cudnn9(tf_report: dict) -> None:  # type: ignore[type-arg]
    cause = next(c for c in tf_report["causes"] if c["code"] in ("CUDNN_MISSING", "CUDNN_MISMATCH"))
    assert "libcudnn.so.9" in " ".join(cause["evidence"])


def test_tf_is_not_called_a_cpu_build(tf_report: dict) -> None:  # type: ignore[type-arg]
    assert "FRAMEWORK_CPU_BUILD" not in _codes(tf_report)


def test_torch_cpu_wheel(torch_report: dict) -> None:  # type: ignore[type-arg]
    codes = _codes(torch_report)
    assert codes[0] == "NO_GPU"
    assert "FRAMEWORK_CPU_BUILD" in codes
    cause = next(c for c in torch_report["causes"] if c["code"] == "FRAMEWORK_CPU_BUILD")
    assert "2.13.0+cpu" in cause["title"] or "2.13.0+cpu" in " ".join(cause["evidence"])
    assert "torch==2.13.0" in cause["fix"] and "download.pytorch.org/whl/cu" in cause["fix"]


def test_snapshot_then_from_gives_the_same_causes(tmp_path: Path, torch_report: dict) -> None:  # type: ignore[type-arg]
    venv = _venv("WHYGPU_TEST_TORCH_VENV", "torchcpu")
    snap = tmp_path / "snap.json"
    made = run_whygpu(["snapshot", "--python", str(venv / "bin" / "python"), "-o", str(snap)])
    assert made.code == 0, made.stderr
    again = run_whygpu(["doctor", "--from", str(snap), "--json"])
    assert again.code == 1
    data = json.loads(again.stdout)
    assert data["causes"] == torch_report["causes"]
    assert data["subject"]["kind"] == "snapshot"


def test_text_report_answers_first(tmp_path: Path) -> None:
    venv = _venv("WHYGPU_TEST_TF_VENV", "tf221")
    result = run_whygpu(["--python", str(venv / "bin" / "python")], env={"COLUMNS": "100"})
    first = result.stdout.splitlines()[0]
    assert first.startswith("NO ") and "no NVIDIA GPU" in first
    assert "Traceback" not in result.stderr
