"""Finding Python environments (live through the interpreter, under --root by layout) and reading their packages."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from fakeenv import (
    add_conda_package,
    add_dist,
    add_nvidia_wheel,
    add_so,
    add_tensorflow,
    add_torch,
    make_site_packages,
)
from fakeroot import FakeRunner, add_file, add_link, live_machine, ok, timed_out, tree_machine
from whygpu.collect.cudalibs import collect_cuda
from whygpu.collect.interface import Machine
from whygpu.collect.pyenv import collect_pythons, normalize, read_site_packages
from whygpu.facts import Unavailable
from whygpu.gateways.process import SubprocessRunner
from whygpu.gateways.pyinfo import ask_interpreter
from whygpu.snapshot import CudaFacts, PythonEnv


def _envs(machine: Machine) -> list[PythonEnv]:
    envs = collect_pythons(machine, collect_cuda(machine))
    assert not isinstance(envs, Unavailable), envs
    return envs


def _answer(prefix: str, site: str, *, version: str = "3.11.7", platform: str = "linux") -> str:
    data = {"executable": f"{prefix}/bin/python", "version": version, "prefix": prefix, "base_prefix": "/usr",
            "site_packages": [site], "user_site_enabled": False, "sys_path": ["", f"{prefix}/lib/python311.zip", site],
            "platform": platform}
    return "some noise from a sitecustomize\nWHYGPU-PYINFO:" + json.dumps(data) + "\n"


def test_normalize_follows_pep_503() -> None:
    assert normalize("Tensorflow_CPU") == "tensorflow-cpu"
    assert normalize("nvidia.cudnn__cu12") == "nvidia-cudnn-cu12"


def test_only_packages_of_interest_are_kept(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path)
    add_dist(tmp_path, site, "tensorflow", "2.21.0")
    add_dist(tmp_path, site, "nvidia-cudnn-cu12", "9.3.0.75")
    add_dist(tmp_path, site, "torch", "2.5.1+cpu", installer="uv")
    add_dist(tmp_path, site, "requests", "2.32.0")
    add_dist(tmp_path, site, "jax-cuda12-plugin", "0.4.35")
    add_file(tmp_path, f"{site}/old_pkg-1.0-py3.8.egg-info", "Name: old-pkg\nVersion: 1.0\n")
    add_file(tmp_path, f"{site}/cupy_cuda12x.egg-info/PKG-INFO", "Metadata-Version: 1.0\nName: cupy-cuda12x\nVersion: 13.0.0\n")
    packages = {p.name: p for p in read_site_packages(tree_machine(tmp_path), site)}
    assert set(packages) == {"tensorflow", "nvidia-cudnn-cu12", "torch", "jax-cuda12-plugin", "cupy-cuda12x"}
    assert packages["torch"].version == "2.5.1+cpu"
    assert packages["torch"].installer == "uv"
    assert packages["cupy-cuda12x"].version == "13.0.0"
    assert packages["tensorflow"].location == site


def test_root_finds_two_environments_by_layout(tmp_path: Path) -> None:
    venv_site = make_site_packages(tmp_path, "/opt/venv")
    add_tensorflow(tmp_path, venv_site)
    make_site_packages(tmp_path, "/opt/conda", kind="conda", python_full="3.10.14")
    conda_site = "/opt/conda/lib/python3.11/site-packages"
    add_torch(tmp_path, conda_site)
    make_site_packages(tmp_path, "/opt/conda/envs/empty", kind="conda")
    add_file(tmp_path, "/opt/notes/readme.txt", "not an environment")
    envs = _envs(tree_machine(tmp_path))
    by_prefix = {env.prefix: env for env in envs}
    assert set(by_prefix) == {"/opt/venv", "/opt/conda", "/opt/conda/envs/empty"}
    assert by_prefix["/opt/venv"].kind == "venv"
    assert by_prefix["/opt/venv"].version == "3.11.7"
    assert by_prefix["/opt/venv"].executable == "/opt/venv/bin/python3"
    assert by_prefix["/opt/conda"].kind == "conda"
    assert by_prefix["/opt/conda"].version == "3.10.14"
    assert [fw.name for fw in by_prefix["/opt/venv"].frameworks] == ["tensorflow"]
    assert [fw.name for fw in by_prefix["/opt/conda"].frameworks] == ["torch"]
    assert by_prefix["/opt/venv"].platform_tag is None  # not known without running the interpreter


def test_root_system_python_reads_debian_dist_packages(tmp_path: Path) -> None:
    add_file(tmp_path, "/usr/bin/python3.12", "")
    add_link(tmp_path, "/usr/bin/python3", "python3.12")
    add_dist(tmp_path, "/usr/lib/python3/dist-packages", "tensorflow-cpu", "2.15.0")
    add_dist(tmp_path, "/usr/local/lib/python3.12/dist-packages", "torch", "2.5.1")
    (env,) = _envs(tree_machine(tmp_path))
    assert env.kind == "system"
    assert env.site_packages == ["/usr/local/lib/python3.12/dist-packages", "/usr/lib/python3/dist-packages"]
    assert {p.name for p in env.packages} == {"tensorflow-cpu", "torch"}
    assert env.executable == "/usr/bin/python3"


def test_root_with_python_path_inside_the_tree(tmp_path: Path) -> None:
    make_site_packages(tmp_path, "/opt/a")
    site_b = make_site_packages(tmp_path, "/opt/b")
    add_dist(tmp_path, site_b, "torch", "2.5.1+cpu")
    machine = Machine.from_root(str(tmp_path), {}, python="/opt/b/bin/python")
    (env,) = _envs(machine)
    assert env.prefix == "/opt/b" and env.executable == "/opt/b/bin/python"
    missing = Machine.from_root(str(tmp_path), {}, python="/opt/c/bin/python")
    result = collect_pythons(missing, CudaFacts())
    assert isinstance(result, Unavailable) and "no such file" in result.reason


def test_root_without_any_python_is_unavailable(tmp_path: Path) -> None:
    add_file(tmp_path, "/etc/os-release", "ID=alpine\n")
    result = collect_pythons(tree_machine(tmp_path), CudaFacts())
    assert isinstance(result, Unavailable) and "no Python environment" in result.reason


def test_venv_with_system_site_packages_sees_the_base(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, "/opt/venv")
    add_file(tmp_path, "/opt/venv/pyvenv.cfg", "home = /usr/bin\ninclude-system-site-packages = true\nversion_info = 3.11.7.final.0\n")
    add_dist(tmp_path, "/usr/lib/python3/dist-packages", "torch", "2.5.1")
    (env,) = [e for e in _envs(Machine.from_root(str(tmp_path), {}, python="/opt/venv/bin/python"))]
    assert env.site_packages[0] == site
    assert "/usr/lib/python3/dist-packages" in env.site_packages
    assert env.version == "3.11.7"
    assert [p.name for p in env.packages] == ["torch"]


def test_live_asks_the_interpreter_with_a_timeout(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, "/opt/venv")
    add_dist(tmp_path, site, "torch", "2.5.1+cpu")
    runner = FakeRunner({"python": ok(_answer("/opt/venv", site))})
    machine = live_machine(tmp_path, runner=runner, timeout_s=2.5)
    machine.python = "/opt/venv/bin/python"
    (env,) = _envs(machine)
    assert runner.timeouts == [2.5]
    assert env.executable == "/opt/venv/bin/python"
    assert env.version == "3.11.7"
    assert env.kind == "venv"
    assert env.platform_tag == "linux"
    assert env.site_packages == [site]
    assert [p.name for p in env.packages] == ["torch"]


def test_live_interpreter_that_hangs_falls_back_to_layout(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, "/opt/venv")
    add_dist(tmp_path, site, "torch", "2.5.1+cpu")
    add_file(tmp_path, "/opt/venv/pyvenv.cfg", "home = /usr/bin\n")  # no version recorded
    machine = live_machine(tmp_path, runner=FakeRunner({"python": timed_out(5)}))
    machine.python = "/opt/venv/bin/python"
    (env,) = _envs(machine)
    assert env.site_packages == [site]
    assert env.version == "3.11"  # from lib/python3.11
    assert [fw.name for fw in env.frameworks] == ["torch"]


def test_live_interpreter_that_is_not_python(tmp_path: Path) -> None:
    make_site_packages(tmp_path, "/opt/venv")
    add_file(tmp_path, "/opt/venv/pyvenv.cfg", "")
    (tmp_path / "opt/venv/lib/python3.11").rename(tmp_path / "opt/venv/lib/other")
    machine = live_machine(tmp_path, runner=FakeRunner({"python": ok("Python 2.7.18\n")}))
    machine.python = "/opt/venv/bin/python"
    (env,) = _envs(machine)
    assert isinstance(env.version, Unavailable) and "no answer" in env.version.reason


def test_live_missing_interpreter_is_unavailable(tmp_path: Path) -> None:
    machine = live_machine(tmp_path)
    machine.python = "/nowhere/bin/python"
    result = collect_pythons(machine, CudaFacts())
    assert isinstance(result, Unavailable) and "/nowhere/bin/python" in result.reason


def test_live_default_is_the_running_interpreter_without_a_child() -> None:
    runner = FakeRunner()
    machine = Machine(runner=runner, environ={})
    envs = collect_pythons(machine, CudaFacts())
    assert not isinstance(envs, Unavailable)
    assert envs[0].executable == sys.executable
    assert runner.calls == []


def test_real_child_interpreter_answers() -> None:
    info = ask_interpreter(SubprocessRunner(), sys.executable, timeout_s=20)
    assert not isinstance(info, Unavailable)
    assert info.version == "{}.{}.{}".format(*sys.version_info[:3])
    assert info.prefix == sys.prefix


def test_conda_env_with_cudatoolkit(tmp_path: Path) -> None:
    make_site_packages(tmp_path, "/opt/conda/envs/tf", kind="conda")
    add_conda_package(tmp_path, "/opt/conda/envs/tf", "cudatoolkit", "11.8.0")
    add_conda_package(tmp_path, "/opt/conda/envs/tf", "cudnn", "8.9.2.26")
    add_conda_package(tmp_path, "/opt/conda/envs/tf", "pytorch", "2.1.0", "py3.11_cuda11.8_cudnn8.7.0_0")
    add_conda_package(tmp_path, "/opt/conda/envs/tf", "zlib", "1.2.13")
    site = "/opt/conda/envs/tf/lib/python3.11/site-packages"
    add_dist(tmp_path, site, "torch", "2.1.0", installer="conda")
    add_nvidia_wheel(tmp_path, site, "nvidia-cudnn-cu12", "9.1.0.70", "cudnn", ["libcudnn.so.9"])
    add_so(tmp_path, "/opt/conda/envs/tf/lib/libcudart.so.11.8.89", "libcudart.so.11.0", links=["libcudart.so.11.0"])
    machine = tree_machine(tmp_path)
    cuda = collect_cuda(machine)
    envs = collect_pythons(machine, cuda)
    assert not isinstance(envs, Unavailable)
    (env,) = envs
    packages = {p.name: p for p in env.packages}
    assert packages["cudatoolkit"].installer == "conda" and packages["cudatoolkit"].version == "11.8.0"
    assert packages["pytorch"].installer == "conda"
    assert "torch" not in packages  # conda's own copy of the dist-info is not a second torch
    assert "zlib" not in packages
    assert packages["nvidia-cudnn-cu12"].installer == "pip"
    origins = {lib.path: lib.origin for lib in cuda.libraries}
    assert origins["/opt/conda/envs/tf/lib/libcudart.so.11.0"] == "conda"
    assert origins[f"{site}/nvidia/cudnn/lib/libcudnn.so.9"] == "pip"


def test_first_site_on_the_path_wins_for_a_package(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, "/opt/venv")
    add_dist(tmp_path, site, "torch", "2.5.1+cpu")
    add_dist(tmp_path, "/root/.local/lib/python3.11/site-packages", "torch", "2.1.0")
    answer = json.loads(_answer("/opt/venv", site).split("WHYGPU-PYINFO:")[1])
    answer["site_packages"] = [site, "/root/.local/lib/python3.11/site-packages"]
    answer["sys_path"] = ["/root/.local/lib/python3.11/site-packages", site]
    machine = live_machine(tmp_path, runner=FakeRunner({"python": ok("WHYGPU-PYINFO:" + json.dumps(answer))}))
    machine.python = "/opt/venv/bin/python"
    (env,) = _envs(machine)
    assert env.site_packages == ["/root/.local/lib/python3.11/site-packages", site]
    assert [p.version for p in env.packages if p.name == "torch"] == ["2.1.0"]


def test_live_python_given_by_name_is_looked_up_on_path(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, "/opt/venv")
    runner = FakeRunner({"python": ok(_answer("/opt/venv", site))})
    machine = Machine(environ={"PATH": str(tmp_path / "opt/venv/bin")}, runner=runner, python="python3.11")
    result = collect_pythons(machine, CudaFacts())
    assert not isinstance(result, Unavailable)
    assert runner.calls[0][0] == str(tmp_path / "opt/venv/bin/python3.11")


def test_root_finds_venvs_two_levels_down_but_never_lists_proc(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, "/venvs/tf221")
    add_dist(tmp_path, site, "tensorflow", "2.21.0")
    for pid in range(50):
        add_file(tmp_path, f"/proc/{pid}/lib/python3.11/site-packages/x.txt", "")
        add_file(tmp_path, f"/proc/{pid}/pyvenv.cfg", "")
    envs = _envs(tree_machine(tmp_path))
    assert [env.prefix for env in envs] == ["/venvs/tf221"]
