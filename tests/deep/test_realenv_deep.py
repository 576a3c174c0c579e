"""The deep probe on the real TensorFlow 2.21 and CPU torch wheels: the frameworks themselves confirm the static diagnosis.

Run with ``WHYGPU_TEST_TF_VENV`` and ``WHYGPU_TEST_TORCH_VENV`` pointing at the venvs that
``.ci/build-venvs`` builds; skipped otherwise.  These expect a machine without an NVIDIA GPU
(the CI machines), and skip on one that has a GPU.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from deep_fakes import MARK, processes_with

from whygpu.api import build_snapshot
from whygpu.diagnose import diagnose
from whygpu.model import Finding
from whygpu.probes import DeepReport
from whygpu.rules import deep_view as view
from whygpu.snapshot import Snapshot

pytestmark = pytest.mark.realenv

TF_VENV = os.environ.get("WHYGPU_TEST_TF_VENV")
TORCH_VENV = os.environ.get("WHYGPU_TEST_TORCH_VENV")


def _python(venv: str | None, name: str) -> str:
    if not venv:
        pytest.skip(f"set WHYGPU_TEST_{name}_VENV to a venv with the real wheel")
    python = Path(venv) / "bin" / "python"
    if not python.exists():
        pytest.skip(f"{python} does not exist")
    return str(python)


def _deep_snapshot(python: str, home: Path) -> Iterator[Snapshot]:
    token = uuid.uuid4().hex
    home.mkdir()
    environ = {**os.environ, MARK: token, "WHYGPU_IMDS_URL": "http://127.0.0.1:9", "HOME": str(home)}
    snapshot = build_snapshot(python=python, offline=True, deep=True, deep_timeout_s=300, environ=environ)
    # Read-only: importing TensorFlow would create ~/.keras/keras.json; the probe keeps it out of HOME.
    assert list(home.iterdir()) == []
    if view.load(snapshot).report is None:
        pytest.fail("the deep probe did not run")
    if any(f.id in ("DEEP012",) for f in diagnose(snapshot).findings) or _has_gpu(snapshot):
        pytest.skip("this machine has an NVIDIA GPU; these tests expect one without")
    yield snapshot
    assert processes_with(token) == [], "deep probe processes were left behind"


def _has_gpu(snapshot: Snapshot) -> bool:
    from whygpu.rules.view import gpus

    return gpus(snapshot).present is True


@pytest.fixture(scope="module")
def tf_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Snapshot]:
    yield from _deep_snapshot(_python(TF_VENV, "TF"), tmp_path_factory.mktemp("tf") / "home")


@pytest.fixture(scope="module")
def torch_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Snapshot]:
    yield from _deep_snapshot(_python(TORCH_VENV, "TORCH"), tmp_path_factory.mktemp("torch") / "home")


def _deep(snapshot: Snapshot) -> DeepReport:
    report = view.load(snapshot).report
    assert report is not None
    return report


def _finding(snapshot: Snapshot, code: str, scope: str) -> Finding:
    found = [f for f in diagnose(snapshot).findings if f.id == code and f.scope == scope]
    assert len(found) == 1, [f.to_json() for f in diagnose(snapshot).findings]
    return found[0]


def test_tensorflow_itself_lists_no_gpu(tf_snapshot: Snapshot) -> None:
    outcome = _deep(tf_snapshot).probes["tensorflow"]
    assert outcome.status == "ok"
    assert outcome.answer is not None and outcome.answer.framework is not None
    framework = outcome.answer.framework
    assert framework.version == "2.21.0"
    assert framework.gpu_build is True
    assert framework.build["cuda_version"].startswith("12.5")
    assert framework.gpus == []
    assert framework.operation.attempted is False
    assert any(path.endswith("_pywrap_tensorflow_internal.so") for path in outcome.answer.mapped_libraries)


def test_tensorflow_confirms_no_gpu_with_its_cuinit_and_cudart_lines(tf_snapshot: Snapshot) -> None:
    finding = _finding(tf_snapshot, "DEEP001", "tensorflow")
    assert finding.cause == "NO_GPU"
    text = "\n".join(finding.evidence)
    assert "list_physical_devices('GPU') returned 0" in finding.evidence[0]
    assert "failed call to cuInit" in text
    assert "Could not find cuda drivers on your machine" in text
    assert "tensorflow probe stderr:" in text  # the framework's lines, with their line numbers
    report = diagnose(tf_snapshot)
    assert report.causes[0].code == "NO_GPU"
    assert "DEEP001" in report.causes[0].findings
    assert report.verdict.gpu_usable is False


def test_driver_probe_finds_no_libcuda(tf_snapshot: Snapshot) -> None:
    driver = _deep(tf_snapshot).probes["driver"]
    assert driver.answer is not None and driver.answer.driver is not None
    assert driver.answer.driver.loaded is False
    assert _finding(tf_snapshot, "DEEP008", "").cause == "NO_GPU"


def test_torch_cpu_wheel_says_so_itself(torch_snapshot: Snapshot) -> None:
    outcome = _deep(torch_snapshot).probes["torch"]
    assert outcome.answer is not None and outcome.answer.framework is not None
    framework = outcome.answer.framework
    assert framework.version == "2.13.0+cpu"
    assert framework.gpu_build is False
    assert framework.checks["torch.cuda.is_available()"] is False
    assert framework.operation.error == "AssertionError: Torch not compiled with CUDA enabled"
    finding = _finding(torch_snapshot, "DEEP001", "torch")
    # torch's own words ("not compiled with CUDA") name the CPU build, so they join that cause.
    assert finding.cause == "FRAMEWORK_CPU_BUILD"
    assert any("Torch not compiled with CUDA enabled" in line for line in finding.evidence)
    codes = [c.code for c in diagnose(torch_snapshot).causes]
    assert codes[0] == "NO_GPU" and "FRAMEWORK_CPU_BUILD" in codes


def test_deep_snapshot_from_file_gives_the_same_report(tf_snapshot: Snapshot, tmp_path: Path) -> None:
    path = tmp_path / "snap.json"
    path.write_text(json.dumps(tf_snapshot.to_json()), encoding="utf-8")
    from whygpu.snapshot import read_snapshot

    again = read_snapshot(str(path))
    assert diagnose(again, subject_kind="machine").to_json() == diagnose(tf_snapshot, subject_kind="machine").to_json()


def test_cli_deep_on_both_frameworks_at_once(tmp_path: Path) -> None:
    tf_python, torch_python = _python(TF_VENV, "TF"), _python(TORCH_VENV, "TORCH")
    both = tmp_path / "both"
    subprocess.run([os.path.realpath(tf_python), "-m", "venv", "--without-pip", str(both)], check=True, timeout=120)
    site = next(both.glob("lib/python*/site-packages"))
    (site / "both.pth").write_text("".join(f"{next(Path(p).parent.parent.glob('lib/python*/site-packages'))}\n"
                                           for p in (tf_python, torch_python)), encoding="utf-8")
    token = uuid.uuid4().hex
    done = subprocess.run(
        [sys.executable, "-m", "whygpu", "doctor", "--deep", "--json", "--offline", "--python", str(both / "bin" / "python")],
        capture_output=True, text=True, timeout=600, env={**os.environ, MARK: token, "WHYGPU_IMDS_URL": "http://127.0.0.1:9"},
    )
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    deep = {(f["id"], f.get("scope", "")) for f in report["findings"] if f["id"].startswith("DEEP")}
    assert {("DEEP001", "tensorflow"), ("DEEP001", "torch")} <= deep
    assert report["causes"][0]["code"] == "NO_GPU"
    assert processes_with(token) == []
