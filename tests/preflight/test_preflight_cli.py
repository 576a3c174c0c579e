"""``whygpu doctor --target`` end to end: images built as snapshots (--from) and as unpacked trees (--root), in their own network namespace."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from builders import cpu_vm, tf_build, torch_build
from cli_runner import run_whygpu
from fakeenv import add_tensorflow, add_tf_and_cuda_wheels, make_site_packages
from fakeroot import add_os_release
from whygpu.snapshot import Snapshot


def _snapshot_file(tmp_path: Path, snapshot: Snapshot) -> str:
    path = tmp_path / "image.json"
    path.write_text(json.dumps(snapshot.to_json()), encoding="utf-8")
    return str(path)


def _doctor(args: list[str]) -> tuple[int, dict[str, Any], str]:
    result = run_whygpu(["doctor", *args, "--json"])
    assert "Traceback" not in result.stderr, result.stderr
    return result.code, json.loads(result.stdout) if result.stdout.strip() else {}, result.stderr


def _causes(data: dict[str, Any]) -> list[str]:
    return [c["code"] for c in data["causes"]]


@pytest.fixture(scope="module")
def tf_image(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A TensorFlow 2.21 image as CI builds it: on a CPU machine, no GPU and no driver there."""
    return _snapshot_file(tmp_path_factory.mktemp("tf"), cpu_vm(tf_build()))


@pytest.fixture(scope="module")
def torch_cu130_image(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _snapshot_file(tmp_path_factory.mktemp("torch"), cpu_vm(torch_build("2.13.0+cu130", "13.0")))


def test_tf_image_on_a_k80_size(tf_image: str) -> None:
    code, data, _ = _doctor(["--from", tf_image, "--target", "Standard_NC6"])
    assert code == 1 and data["verdict"]["gpu_usable"] is False
    assert {"GPU_NOT_SUPPORTED", "DRIVER_TOO_OLD"} <= set(_causes(data))
    assert "On Standard_NC6 (1x Tesla K80, compute capability 3.7, driver assumed 470.82.01" in data["verdict"]["summary"]
    assert data["subject"]["kind"] == "snapshot" and data["subject"]["target"]["driver"]["version"] == "470.82.01"
    # The CI machine has no GPU and no driver: expected, never a cause under --target.
    assert "DRIVER_MISSING" not in _causes(data) and not any(f["id"].startswith(("HW", "DRV")) for f in data["findings"])


def test_tf_image_on_the_k80_gpu_ranks_compute_capability_first(tf_image: str) -> None:
    code, data, _ = _doctor(["--from", tf_image, "--target", "K80"])
    assert code == 1 and _causes(data)[0] == "GPU_NOT_SUPPORTED"


def test_tf_image_on_a_v100_size(tf_image: str) -> None:
    code, data, _ = _doctor(["--from", tf_image, "--target", "Standard_ND40rs_v2"])
    assert code == 0 and data["verdict"]["gpu_usable"] is True and data["causes"] == []


def test_tf_image_on_a_retired_v100_size(tf_image: str) -> None:
    code, data, _ = _doctor(["--from", tf_image, "--target", "Standard_NC6s_v3"])
    assert code == 1 and _causes(data) == ["NO_GPU"]
    assert "Standard_NC24ads_A100_v4" in data["causes"][0]["fix"]


def test_tf_image_on_an_a100_with_an_old_driver(tf_image: str) -> None:
    code, data, _ = _doctor(["--from", tf_image, "--target", "A100,driver=470"])
    assert code == 1 and _causes(data) == ["DRIVER_TOO_OLD"]
    assert data["subject"]["target"]["driver"] == {**data["subject"]["target"]["driver"], "version": "470", "basis": "given"}


def test_torch_cu130_image_on_a_v100(torch_cu130_image: str) -> None:
    code, data, _ = _doctor(["--from", torch_cu130_image, "--target", "v100"])
    assert code == 1 and _causes(data)[0] == "GPU_NOT_SUPPORTED"


def test_image_on_an_amd_size(tf_image: str) -> None:
    code, data, _ = _doctor(["--from", tf_image, "--target", "ND96isr_MI300X_v5"])
    assert code == 1 and _causes(data) == ["GPU_NOT_SUPPORTED"] and "ROCm" in data["causes"][0]["fix"]


def test_image_on_a_cpu_size(tf_image: str) -> None:
    code, data, _ = _doctor(["--from", tf_image, "--target", "Standard_D4s_v5"])
    assert code == 1 and _causes(data) == ["NO_GPU"] and data["verdict"]["gpu_usable"] is False


def test_image_on_a_fractional_size(tf_image: str, torch_cu130_image: str) -> None:
    code, data, _ = _doctor(["--from", tf_image, "--target", "Standard_NV6ads_A10_v5"])
    assert code == 0 and data["verdict"]["gpu_usable"] is True  # the GRID note is information
    assert any(f["id"] == "TGT007" and f["severity"] == "info" for f in data["findings"])
    code, data, _ = _doctor(["--from", torch_cu130_image, "--target", "Standard_NV6ads_A10_v5"])
    assert code == 1 and _causes(data)[0] == "DRIVER_TOO_OLD"  # Azure's GRID driver is R570; CUDA 13 needs R580


def test_healthy_image_from_an_unpacked_tree(tmp_path: Path) -> None:
    add_os_release(tmp_path)
    site = make_site_packages(tmp_path)
    add_tensorflow(tmp_path, site)
    add_tf_and_cuda_wheels(tmp_path, site)
    code, data, stderr = _doctor(["--root", str(tmp_path), "--target", "Standard_NC24ads_A100_v4"])
    assert code == 0, (data, stderr)
    assert data["verdict"]["gpu_usable"] is True and data["subject"]["kind"] == "machine"
    assert "TensorFlow 2.21.0 would use the GPU" in data["verdict"]["summary"]
    code, data, _ = _doctor(["--root", str(tmp_path), "--target", "Standard_NC6"])
    assert code == 1 and "GPU_NOT_SUPPORTED" in _causes(data)


@pytest.mark.parametrize("bad, hint", [("Standard_NC7", "Standard_NC6"), ("A1000", "A100"), ("T4,drivr=535", "driver=VERSION")])
def test_bad_target_is_one_line_exit_2(bad: str, hint: str) -> None:
    result = run_whygpu(["doctor", "--target", bad])
    assert result.code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and hint in result.stderr and "--target" in result.stderr


def test_text_report_says_what_was_assumed(tf_image: str) -> None:
    result = run_whygpu(["doctor", "--from", tf_image, "--target", "A100"])
    assert result.code == 0, result.stderr
    assert "driver unknown, assumed the newest" in result.stdout and "would use the GPU" in result.stdout


def test_live_run_judges_this_environment_for_the_target() -> None:
    code, data, _ = _doctor(["--target", "T4,driver=535", "--offline"])
    assert code in (0, 1) and data["subject"]["kind"] == "machine"
    assert data["subject"]["target"]["driver"] == {**data["subject"]["target"]["driver"], "version": "535", "basis": "given"}
    # Whatever this machine's GPU and driver, they are not the target's.
    assert not any(f["id"].startswith(("HW", "DRV", "BUSY", "FAULT")) for f in data["findings"])
