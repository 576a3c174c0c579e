"""The one fix builder per cause (rules.fixes.cause_fix): complete texts, versions from the facts and the knowledge tables, the cause's general advice where they do not decide."""

from __future__ import annotations

import re

import pytest

from builders import env, healthy, tf_build
from whygpu.knowledge.causes import cause_codes
from whygpu.knowledge.cuda import min_driver_for_cuda
from whygpu.rules.fixes import cause_fix

HANDLED = tuple(cause_codes())


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


def test_without_the_facts_that_make_it_exact_the_fix_is_the_causes_general_advice() -> None:
    from whygpu.knowledge.causes import cause_advice

    assert cause_fix("CODE_FORCES_CPU", healthy()) == cause_advice("CODE_FORCES_CPU") != ""
    # CUDA_VISIBLE_DEVICES not set: the general advice; set: its value named.
    snapshot = healthy()
    assert cause_fix("GPU_HIDDEN", snapshot) == cause_advice("GPU_HIDDEN")
    snapshot.environment["CUDA_VISIBLE_DEVICES"] = "3"
    assert "(now '3')" in cause_fix("GPU_HIDDEN", snapshot)
    # An install cause without a framework build: the advice; with one: its install line.
    build = tf_build()
    assert cause_fix("CUDNN_MISSING", healthy()) == cause_advice("CUDNN_MISSING")
    assert "tensorflow" in cause_fix("CUDNN_MISSING", healthy(build), env(build), build, "TensorFlow")


def test_versions_found_outside_the_snapshot_make_the_fix_exact() -> None:
    # A log's CUDA wanted (a soname) and the CUDA it states installed: no snapshot field holds them.
    text = cause_fix("CUDA_LIBS_MISMATCH", healthy(), framework="tensorflow", wanted_cuda="10.1", installed_cuda="11.2")
    assert text.startswith("Install CUDA 10.1 (what this build was compiled for) beside CUDA 11.2.")
    # The TensorFlow for the CUDA installed is one whose tested build that toolkit serves: CUDA 11.0 is
    # TensorFlow 2.4's (a newer 11.x build wants libraries 11.0 does not ship).
    text = cause_fix("CUDA_LIBS_MISMATCH", healthy(), framework="tensorflow", wanted_cuda="10.1", installed_cuda="11.0")
    assert 'pip install "tensorflow==2.4.*"' in text
    # Only the installed release known (the library the build wants is not in it; which CUDA it wants is not shown).
    text = cause_fix("CUDA_LIBS_MISMATCH", healthy(), framework="tensorflow", installed_cuda="11.2")
    assert text.startswith("Install the CUDA release this build was compiled for (its tested build configurations list it) beside CUDA 11.2.")
    assert 'pip install "tensorflow==2.11.*"' in text
    # No TensorFlow is built for CUDA 11.1: 11.0's build (2.4) loads libcusolver.so.10, which 11.1 does not ship.
    text = cause_fix("CUDA_LIBS_MISMATCH", healthy(), framework="tensorflow", wanted_cuda="12.2", installed_cuda="11.1")
    assert "tensorflow==" not in text and "beside CUDA 11.1" in text
    # The driver's CUDA alone (PyTorch's "found version 11000"): a PyTorch variant that driver runs.
    text = cause_fix("DRIVER_TOO_OLD", healthy(), framework="torch", wanted_cuda="12.1", driver_cuda="11.0")
    assert "Or install a PyTorch built for CUDA 11" in text and "?" not in text
    # The installed release that holds a library the loader did not find; the cuDNN wanted and installed.
    assert "/usr/local/cuda-11.8/lib64" in cause_fix("CUDA_LIBS_NOT_ON_PATH", healthy(), holding_cuda="11.8")
    text = cause_fix("CUDNN_MISMATCH", healthy(), wanted_cudnn="8", installed_cudnn="7.6.5")
    assert text.startswith("Install cuDNN 8 (the major this build was compiled with)") and "cuDNN 7." in text
    # The docker run line shown, with --gpus added.
    assert "docker run --gpus all -it img" in cause_fix("CONTAINER_NO_GPU", healthy(), docker_command="-it img")


def test_tensorflow_on_native_windows_is_never_told_to_use_and_cuda_there() -> None:
    from dataclasses import replace

    build = tf_build("2.4.1")
    snapshot = healthy(build)
    snapshot.platform = replace(snapshot.platform, system="windows")
    text = cause_fix("CUDA_LIBS_MISSING", snapshot, env(build), build, "TensorFlow")
    assert "on native Windows needs CUDA 11.0" in text and "%PATH%" in text
    assert 'pip install "tensorflow[and-cuda]' not in text.split("WSL2")[0]


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
