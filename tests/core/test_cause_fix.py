"""The snapshot's fix builder per cause (rules.fixes.cause_fix): complete texts, versions from the facts and the knowledge tables."""

from __future__ import annotations

import re

import pytest

from builders import env, healthy, tf_build
from whygpu.knowledge.causes import cause_codes
from whygpu.knowledge.cuda import min_driver_for_cuda
from whygpu.rules.fixes import cause_fix

HANDLED = ("FRAMEWORK_CPU_BUILD", "CUDA_LIBS_MISSING", "CUDA_LIBS_MISMATCH", "CUDNN_MISSING", "CUDNN_MISMATCH",
           "FRAMEWORK_INSTALL_BROKEN", "CUDA_LIBS_NOT_ON_PATH", "GPU_HIDDEN", "DRIVER_MISSING", "DRIVER_TOO_OLD",
           "DRIVER_MISMATCH", "CONTAINER_NO_GPU", "GPU_BUSY", "GPU_FAULT", "NO_GPU", "GPU_NOT_SUPPORTED")


@pytest.mark.parametrize("cause", HANDLED)
def test_every_handled_cause_has_a_complete_fix(cause: str) -> None:
    assert cause in cause_codes()
    build = tf_build()
    text = cause_fix(cause, healthy(build), env(build), build, "TensorFlow")
    assert text and not re.search(r"\{\w*\}|<\w+>|\?\s*$", text), text


def test_driver_too_old_names_the_minimum_for_the_builds_cuda() -> None:
    build = tf_build(cuda="12.5")
    minimum = min_driver_for_cuda("12.5")
    assert minimum and f"Upgrade the NVIDIA driver to {minimum} or newer (the minimum for CUDA 12.5)" in cause_fix(
        "DRIVER_TOO_OLD", healthy(build), env(build), build, "TensorFlow")
    # Without a build there is no CUDA to name, and no version is made up.
    assert "or newer" not in cause_fix("DRIVER_TOO_OLD", healthy(), None, None)


def test_a_cause_without_a_general_fix_gives_none() -> None:
    assert cause_fix("CODE_FORCES_CPU", healthy()) == ""


@pytest.mark.parametrize(("driver", "variant"), [("560.35.03", "cu121"), ("530.30.02", "cu121"), ("525.85.12", "cu118")])
def test_torch_install_picks_the_newest_stable_variant_the_driver_runs_with_its_own_cuda(driver: str, variant: str) -> None:
    """PyTorch 2.4.0 has cu118 and cu121 (cu124 experimental); CUDA 12.1 needs driver 530.30.02 (knowledge/cuda.toml)."""
    from dataclasses import replace

    from builders import torch_build
    from whygpu.rules.fixes import torch_gpu_install
    from whygpu.snapshot import DriverReport

    build = torch_build("2.4.0+cpu", cuda=None)
    snapshot = healthy(build)
    report = snapshot.driver.report
    assert isinstance(report, DriverReport)
    snapshot.driver.report = replace(report, driver_version=driver)
    assert torch_gpu_install(None, build, snapshot).endswith(f"torch==2.4.0 --index-url https://download.pytorch.org/whl/{variant}")


@pytest.mark.parametrize("version", ["1.10.0+cpu", "1.4.0"])
def test_torch_install_for_a_release_the_tables_do_not_know_never_points_at_the_cpu_index(version: str) -> None:
    """torch 1.10 predates knowledge/torch.toml's rows: the fix for a CPU build must still be a CUDA build."""
    from builders import torch_build
    from whygpu.knowledge.torch import torch_release
    from whygpu.rules.fixes import torch_gpu_install

    assert torch_release(version.split("+")[0]) is None
    build = torch_build(version, cuda=None)
    text = torch_gpu_install(None, build, healthy(build))
    assert "/whl/cpu" not in text
    assert re.search(r"--index-url https://download\.pytorch\.org/whl/cu\d+", text), text
    assert f"torch {version.split('+')[0]}" in text and "previous-versions" in text


def test_torch_install_for_a_known_release_pins_it() -> None:
    from builders import torch_build
    from whygpu.rules.fixes import torch_gpu_install

    build = torch_build("2.4.0+cpu", cuda=None)
    assert "previous-versions" not in torch_gpu_install(None, build, healthy(build))
