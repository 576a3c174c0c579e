"""The collectors on real virtual environments with the real TensorFlow 2.21 and CPU torch wheels (built by .ci/build-venvs)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from whygpu.collect.cudalibs import collect_cuda
from whygpu.collect.interface import Machine
from whygpu.collect.pyenv import collect_pythons
from whygpu.facts import Unavailable
from whygpu.snapshot import FrameworkBuild, PythonEnv

pytestmark = pytest.mark.realenv


def _env(var: str) -> PythonEnv:
    venv = os.environ.get(var)
    if not venv:
        pytest.skip(f"{var} is not set")
    python = Path(venv) / "bin" / "python"
    if not python.exists():
        pytest.skip(f"{var}={venv} has no bin/python")
    machine = Machine(python=str(python), environ={k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"})
    envs = collect_pythons(machine, collect_cuda(machine))
    assert not isinstance(envs, Unavailable), envs
    (env,) = envs
    return env


def _only(env: PythonEnv, name: str) -> FrameworkBuild:
    (fw,) = [fw for fw in env.frameworks if fw.name == name]
    return fw


def test_real_tensorflow_221_is_a_cuda_125_cudnn_9_build() -> None:
    env = _env("WHYGPU_TEST_TF_VENV")
    assert env.kind == "venv" and env.platform_tag == "linux"
    fw = _only(env, "tensorflow")
    assert (fw.distribution, fw.version, fw.gpu_build) == ("tensorflow", "2.21.0", True)
    assert (fw.cuda_version, fw.cudnn_version) == ("12.5", "9")
    assert "sm_80" in fw.compute_capabilities


def test_real_tensorflow_221_finds_no_cuda_12_here() -> None:
    fw = _only(_env("WHYGPU_TEST_TF_VENV"), "tensorflow")
    libs = {lib.library: lib for lib in fw.libraries}
    cudart = libs["cudart"]
    assert cudart.wanted == ["libcudart.so.12"]
    installed_12 = [p for p in fw.cuda_packages if p.name == "nvidia-cuda-runtime-cu12"]
    if installed_12:
        pytest.skip("this venv has the [and-cuda] wheels")
    assert cudart.resolved is None
    if Path("/usr/local/cuda-13.0").exists():
        assert any(p.endswith("libcudart.so.13") for p in cudart.other_versions)
    assert libs["cudnn"].wanted == ["libcudnn.so.9"] and libs["cudnn"].resolved is None


def test_real_torch_cpu_wheel_is_a_cpu_build() -> None:
    fw = _only(_env("WHYGPU_TEST_TORCH_VENV"), "torch")
    assert fw.gpu_build is False
    assert fw.version.endswith("+cpu")
    assert fw.cuda_version is None and fw.libraries == []
