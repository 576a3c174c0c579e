"""The loader model agrees with the real glibc loader on this machine: a child process dlopens a name and reports the file mapped."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from whygpu.collect.cudalibs import collect_cuda
from whygpu.collect.interface import Machine
from whygpu.collect.loader import resolve_library, search_steps

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or not Path("/etc/ld.so.cache").exists(),
                                reason="needs a glibc system with a loader cache")

_CHILD = """
import ctypes, sys
ctypes.CDLL(sys.argv[1])
for line in open("/proc/self/maps"):
    path = line.split()[-1]
    if path.startswith("/") and sys.argv[1].split(".so")[0] + ".so" in path.rsplit("/", 1)[-1]:
        print(path)
        break
"""


def _real_loader(soname: str, environ: dict[str, str]) -> str | None:
    done = subprocess.run([sys.executable, "-c", _CHILD, soname], capture_output=True, text=True, timeout=30, env=environ)
    return done.stdout.strip() or None if done.returncode == 0 else None


def _model(soname: str, environ: dict[str, str]) -> str | None:
    machine = Machine(environ=environ)
    cuda = collect_cuda(machine)
    steps = search_steps(machine, cuda, [])
    result = resolve_library(machine, steps, [], soname.split(".so")[0][3:], [soname], required=True)
    return result.resolved


@pytest.mark.parametrize("soname", ["libz.so.1", "libcudart.so.13", "libcudart.so.12", "libcudnn.so.9"])
def test_same_file_as_glibc(soname: str) -> None:
    environ = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
    real = _real_loader(soname, environ)
    model = _model(soname, environ)
    if real is None:
        assert model is None, f"the model finds {model}, glibc finds nothing"
    else:
        assert model is not None and os.path.realpath(model) == os.path.realpath(real)


def test_ld_library_path_wins_over_the_cache_as_in_glibc(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
    system = _real_loader("libz.so.1", environ)
    if system is None:
        pytest.skip("no libz.so.1 here")
    shutil.copy(os.path.realpath(system), tmp_path / "libz.so.1")
    environ["LD_LIBRARY_PATH"] = str(tmp_path)
    real = _real_loader("libz.so.1", environ)
    model = _model("libz.so.1", environ)
    assert real is not None and os.path.realpath(real) == str((tmp_path / "libz.so.1").resolve())
    assert model is not None and os.path.realpath(model) == os.path.realpath(real)
