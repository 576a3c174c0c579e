"""Start-up stays fast: ``import whygpu``, ``whygpu --help`` and a plain diagnosis load only what they use.

No timings here (they belong in bench/startup_bench.py): each test lists the modules a run imported,
from Python's own ``-X importtime`` report (``PYTHONPROFILEIMPORTTIME``), and checks that the ones
made lazy stayed out.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

from tests import fakeenv
from tests.cli_runner import run_whygpu

# Heavy for what start-up needs: typing costs as much as argparse; dataclasses pulls inspect, ast,
# dis and tokenize; pathlib pulls urllib.parse and ipaddress; packaging compiles its version and
# specifier patterns on import.
_NOT_FOR_HELP = {
    "typing", "dataclasses", "inspect", "pathlib", "subprocess", "traceback", "tomllib", "tomli", "packaging",
    "rich", "whygpu.snapshot", "whygpu.model", "whygpu.knowledge", "whygpu.rules",
}
# What a diagnosis of a machine with no framework, no driver and no cloud never needs.
_NOT_FOR_PLAIN_DIAGNOSIS = {
    "packaging", "packaging.version", "packaging.specifiers", "fractions", "decimal", "platform", "socket",
    "subprocess", "traceback", "importlib.resources", "zipfile", "tempfile", "whygpu.collect.loader",
    "whygpu.knowledge.tensorflow", "whygpu.knowledge.torch", "whygpu.knowledge.jax",
    "whygpu.knowledge.cuda", "whygpu.knowledge.azure", "whygpu.knowledge._util", "whygpu.probes",
    "whygpu.gateways.nvml", "threading", "signal", "tomllib", "tomli", "shutil", "bz2", "lzma",
}


def _report(stderr: str) -> set[str]:
    """Every module named in a ``-X importtime`` report."""
    return {
        line.rsplit("|", 1)[1].strip()
        for line in stderr.splitlines()
        if line.startswith("import time:") and "imported package" not in line
    }


@functools.lru_cache(maxsize=1)
def _interpreter_own() -> frozenset[str]:
    """What this interpreter imports before running anything (a .pth file in site-packages can import a lot)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "pass"], capture_output=True, text=True,
                          check=True, timeout=60, env=os.environ)
    return frozenset(_report(done.stderr))


def _imported(stderr: str) -> set[str]:
    """The modules whygpu itself imported in a run, from its ``-X importtime`` report."""
    return _report(stderr) - _interpreter_own()


def test_import_whygpu_loads_no_heavy_module() -> None:
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import whygpu"],
                          capture_output=True, text=True, check=True, timeout=60)
    imported = _imported(done.stderr)
    assert "whygpu" in imported  # the report was read
    assert not imported & (_NOT_FOR_HELP | {"argparse", "whygpu.cli"})


def test_help_loads_no_heavy_module() -> None:
    result = run_whygpu(["--help"], env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert result.code == 0, result.stderr
    imported = _imported(result.stderr)
    assert {"whygpu.cli", "argparse"} <= imported
    assert not imported & _NOT_FOR_HELP


def test_plain_diagnosis_loads_only_what_it_uses(tmp_path: Path) -> None:
    # An empty tree: no framework, no driver, no Azure. The whole diagnosis runs, and nothing
    # that only a framework, a driver version, a VM size or --deep needs is imported.
    result = run_whygpu(["doctor", "--root", str(tmp_path), "--json"], env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert result.code in (0, 1), result.stderr
    assert '"verdict"' in result.stdout
    imported = _imported(result.stderr)
    assert {"whygpu.collect.snapshot", "whygpu.rules.registry", "whygpu.render.json"} <= imported
    assert not imported & _NOT_FOR_PLAIN_DIAGNOSIS, sorted(imported & _NOT_FOR_PLAIN_DIAGNOSIS)


def test_a_framework_still_loads_its_knowledge(tmp_path: Path) -> None:
    # The other side: the lazy imports happen when there is something to judge.
    site = fakeenv.make_site_packages(tmp_path)
    fakeenv.add_torch(tmp_path, site, "2.3.1+cu121", cuda="12.1")
    result = run_whygpu(["doctor", "--root", str(tmp_path), "--json"], env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert result.code in (0, 1), result.stderr
    assert '"torch' in result.stdout
    assert {"packaging.version", "whygpu.knowledge.cuda"} <= _imported(result.stderr)


def test_a_toolkit_known_by_its_header_does_not_load_the_cuda_tables(tmp_path: Path) -> None:
    # The toolkit's version comes from CUDART_VERSION (a decision in knowledge.cuda_versions);
    # the CUDA tables (knowledge.cuda, packaging) are for judging builds, which nothing here asks.
    include = tmp_path / "usr/local/cuda-12.4/include"
    include.mkdir(parents=True)
    (include / "cuda_runtime_api.h").write_text("#define CUDART_VERSION 12040\n")
    result = run_whygpu(["doctor", "--root", str(tmp_path), "--json"], env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert result.code in (0, 1), result.stderr
    assert "/usr/local/cuda-12.4 (12.4)" in result.stdout
    imported = _imported(result.stderr)
    assert "whygpu.knowledge.cuda_versions" in imported
    assert not imported & _NOT_FOR_PLAIN_DIAGNOSIS, sorted(imported & _NOT_FOR_PLAIN_DIAGNOSIS)
