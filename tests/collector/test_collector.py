"""The self-contained collector: one standard-library file that gives the installed collector's snapshot, on Python 3.8 to the newest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from collector_helpers import (
    collector_text,
    comparable,
    interpreters,
    newest,
    oldest_supported,
    run_isolated,
    write_collector,
)

from cli_runner import run_whygpu
from whygpu.collector.bundle import bundled_modules
from whygpu.collector.main import node_rank, snapshot_file_name

TORCH_VENV = os.environ.get("WHYGPU_TEST_TORCH_VENV")


def _target_python() -> str:
    """The environment both collectors inspect: the real torch venv when built (frameworks found), else this Python."""
    if TORCH_VENV and (Path(TORCH_VENV) / "bin" / "python").exists():
        return str(Path(TORCH_VENV) / "bin" / "python")
    return sys.executable


def _pythons_to_test() -> list[str]:
    oldest = oldest_supported()
    chosen = [p for p in (oldest, newest()) if p]
    return list(dict.fromkeys(chosen))


def test_the_bundle_carries_the_collector_and_not_the_rest_of_whygpu() -> None:
    names = {m.name for m in bundled_modules()}
    assert {"whygpu.collect.snapshot", "whygpu.collect.driver", "whygpu.gateways.elf", "whygpu.deep.runner",
            "whygpu.snapshot", "whygpu.serde", "whygpu.knowledge.cuda", "packaging.version", "pynvml"} <= names
    assert not any(n.startswith(("whygpu.rules", "whygpu.lint", "whygpu.explain", "whygpu.render", "whygpu.commands",
                                 "elftools", "yaml", "rich")) for n in names)
    text = collector_text()
    assert text.startswith("#!/usr/bin/env python3\n")
    assert "#   whygpu.collect.driver\n" in text


@pytest.mark.parametrize("python", _pythons_to_test())
def test_self_contained_and_installed_collectors_give_the_same_snapshot(tmp_path: Path, python: str) -> None:
    collect = write_collector(tmp_path)
    target = _target_python()
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path)}
    installed = run_whygpu(["snapshot", "--offline", "--python", target], env=env)
    assert installed.code == 0, installed.stderr
    # -I: isolated mode, no user or system site-packages; nothing but the standard library.
    alone = run_isolated([python, "-I", str(collect), "--offline", "--python", target], env=env)
    assert alone.returncode == 0, alone.stderr
    assert alone.stderr == ""
    ours, theirs = json.loads(alone.stdout), json.loads(installed.stdout)
    assert comparable(ours) == comparable(theirs)
    assert ours["pythons"][0]["executable"] == target


def test_collect_py_needs_python_3_8(tmp_path: Path) -> None:
    older = sorted(v for v in interpreters() if v < (3, 8))
    if not older:
        pytest.skip("no Python older than 3.8 here")
    collect = write_collector(tmp_path)
    done = subprocess.run([interpreters()[older[-1]], "-I", str(collect)], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and "needs Python 3.8 or newer" in done.stderr


def test_collect_py_output_options_and_bad_usage(tmp_path: Path) -> None:
    python = oldest_supported() or newest()
    collect = write_collector(tmp_path)
    out = tmp_path / "snaps"
    done = run_isolated([python, "-I", str(collect), "--offline", "--output-dir", str(out), "--hostname", "gpu-node-7"],
                        env={"SLURM_NODEID": "3"})
    assert done.returncode == 0, done.stderr
    files = sorted(p.name for p in out.iterdir())
    assert files == ["0003-gpu-node-7.json"]
    snapshot = json.loads((out / files[0]).read_text())
    assert snapshot["source"]["hostname"] == "gpu-node-7" and snapshot["format"] == "whygpu-snapshot"
    # doctor --from reads it as it reads any snapshot.
    doctor = run_whygpu(["doctor", "--from", str(out / files[0]), "--json"])
    assert doctor.code in (0, 1) and json.loads(doctor.stdout)["subject"]["kind"] == "snapshot"
    bad = run_isolated([python, "-I", str(collect), "--timeout", "soon"])
    assert bad.returncode == 2 and "invalid float value" in bad.stderr
    missing = run_isolated([python, "-I", str(collect), "--root", str(tmp_path / "absent")])
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "no such directory" in missing.stderr
    licenses = run_isolated([python, "-I", str(collect), "--licenses"])
    assert licenses.returncode == 0 and "packaging" in licenses.stdout and "nvidia-ml-py" in licenses.stdout


@pytest.mark.realenv
def test_deep_probes_run_from_the_self_contained_collector_on_the_oldest_python(tmp_path: Path) -> None:
    if not (TORCH_VENV and (Path(TORCH_VENV) / "bin" / "python").exists()):
        pytest.skip("set WHYGPU_TEST_TORCH_VENV to the CPU torch venv (.ci/build-venvs)")
    python = oldest_supported() or newest()
    collect = write_collector(tmp_path)
    target = str(Path(TORCH_VENV) / "bin" / "python")
    done = run_isolated([python, "-I", str(collect), "--offline", "--python", target, "--deep", "--deep-timeout", "120"],
                        timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # a pod's log is the snapshot, stderr included (the Kubernetes recipe)
    deep: dict[str, Any] = json.loads(done.stdout)["deep"]
    torch = next(outcome for key, outcome in deep["probes"].items() if outcome["probe"] == "torch")
    assert torch["status"] == "ok", torch
    # The child's answer went through serde on Python 3.8 (annotations like ``str | None`` read there too).
    framework = torch["answer"]["framework"]
    assert framework["module"] == "torch" and framework["version"].startswith("2.")
    assert framework["gpu_build"] is False and framework["gpus"] == []


def test_node_rank_and_file_names() -> None:
    assert node_rank({"SLURM_NODEID": "2", "NODE_RANK": "5"}) == 2
    assert node_rank({"JOB_COMPLETION_INDEX": "11"}) == 11
    assert node_rank({"NODE_RANK": "x"}) is None and node_rank({}) is None
    assert snapshot_file_name("node-a", 3) == "0003-node-a.json"
    assert snapshot_file_name("a/../b c", None) == "a_.._b_c.json"
    assert snapshot_file_name(None, None) == "node.json"


def test_whygpu_collector_writes_an_executable_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "collect.py"
    done = run_whygpu(["collector", "-o", str(target)])
    assert done.code == 0, done.stderr
    assert target.read_text() == collector_text() and os.access(target, os.X_OK)
    printed = run_whygpu(["collector"])
    assert printed.stdout == collector_text()
    (tmp_path / "a-file").write_text("")
    unwritable = run_whygpu(["collector", "-o", str(tmp_path / "a-file" / "collect.py")])
    assert unwritable.code == 2 and unwritable.stderr.count("\n") == 1


def test_collect_py_never_mixes_in_an_installed_whygpu(tmp_path: Path) -> None:
    """A whygpu module the file does not carry is missing, even where another whygpu is importable."""
    collect = write_collector(tmp_path)
    code = (
        "import runpy, sys\n"
        f"bundle = runpy.run_path({str(collect)!r})\n"
        "sys.meta_path.insert(0, bundle['_BundledModules']())\n"
        "import whygpu.collect.snapshot\n"
        "print(whygpu.collect.snapshot.__file__)\n"
        "try:\n    import whygpu.rules.registry\nexcept ModuleNotFoundError as exc:\n    print('missing:', exc)\n"
    )
    src = str(Path(__file__).resolve().parents[2] / "src")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, "PYTHONPATH": src})
    assert done.returncode == 0, done.stderr
    carried, missing = done.stdout.splitlines()
    assert carried.startswith(str(collect)) and missing == "missing: whygpu.rules is not carried by collect.py"
