"""Lint realistic Azure ML projects (tests/lint/projects, sources in its README) through the real CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cli_runner import run_whygpu

PROJECTS = Path(__file__).parent / "projects"


def _lint_json(project: Path, *extra: str) -> tuple[int, dict[str, object], str]:
    result = run_whygpu(["lint", "--json", "--isolated", "--no-azureml-schema", *extra], cwd=str(project))
    assert result.stderr == "" or "error" not in result.stderr, result.stderr
    return result.code, json.loads(result.stdout), result.stderr


def test_tensorflow_project_hides_three_problems_across_files() -> None:
    code, report, _ = _lint_json(PROJECTS / "azureml-tensorflow")
    assert code == 1
    assert report["subject"]["kind"] == "files"  # type: ignore[index]
    assert report["verdict"]["gpu_usable"] is False  # type: ignore[index]
    causes = [c["code"] for c in report["causes"]]  # type: ignore[union-attr]
    # Ranked along the chain: no GPU in the VM first, the code last.
    assert causes == ["NO_GPU", "CUDA_LIBS_MISSING", "CODE_FORCES_CPU"]
    by_id = {f["id"]: f for f in report["findings"]}  # type: ignore[union-attr]
    assert sorted(by_id) == ["AML001", "DF001", "PY001"]
    # Each finding names the file and line it comes from, and the chain that led there.
    assert by_id["AML001"]["extra"]["file"] == "compute/gpu-cluster.yml"
    assert any(e.startswith("job.yml:") and "gpu-cluster" in e for e in by_id["AML001"]["evidence"])
    assert by_id["DF001"]["extra"] == {"file": "environment/Dockerfile", "line": 2, "column": 1, "slug": "cpu-base-image"}
    assert any(e.startswith("environment/conda.yml:") and "tensorflow==2.12.0" in e for e in by_id["DF001"]["evidence"])
    assert "nvidia/cuda:11.8.0-cudnn8-runtime" in by_id["DF001"]["fix"]
    assert by_id["PY001"]["evidence"][0].startswith("src/train.py:18:")


def test_pytorch_project_cpu_index_pulled_in_through_conda_requirements() -> None:
    code, report, _ = _lint_json(PROJECTS / "azureml-pytorch")
    assert code == 1
    causes = [c["code"] for c in report["causes"]]  # type: ignore[union-attr]
    assert causes == ["NO_GPU", "FRAMEWORK_CPU_BUILD", "GPU_UNDERUSED"]
    ids = sorted(f["id"] for f in report["findings"])  # type: ignore[union-attr]
    assert ids == ["AML002", "DEP007", "PY009"]


def test_clean_project_exits_zero() -> None:
    code, report, _ = _lint_json(PROJECTS / "azureml-pytorch-clean")
    assert code == 0, report["findings"]
    assert report["findings"] == [] and report["causes"] == []
    assert report["verdict"]["gpu_usable"] is None  # type: ignore[index]


def test_the_default_gate_ignores_the_warning_only_project(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(PROJECTS / "azureml-pytorch", project)
    code, report, _ = _lint_json(project, "--select", "PY")
    assert {f["severity"] for f in report["findings"]} == {"warning"}  # type: ignore[union-attr,index]
    assert code == 0  # PY009 is a warning: the default gate (fail-on error) passes it
    code, _, _ = _lint_json(project, "--select", "PY", "--fail-on", "warning")
    assert code == 1  # the stricter gate a team opts into


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "sarif"])
def test_every_format_renders_the_project(fmt: str) -> None:
    result = run_whygpu(["lint", "--format", fmt, "--isolated", "--no-azureml-schema"], cwd=str(PROJECTS / "azureml-tensorflow"))
    assert result.code == 1 and result.stdout.strip()
    assert "Traceback" not in result.stderr


def test_pre_commit_hook_definition() -> None:
    import re

    import yaml

    hooks = yaml.safe_load((Path(__file__).parents[2] / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "whygpu-lint")
    assert hook["entry"] == "whygpu lint" and hook["language"] == "python"
    assert hook["pass_filenames"] is False  # cross-file rules need the whole project
    pattern = re.compile(hook["files"])
    for name in ("Dockerfile", "docker/gpu.Dockerfile", "requirements-gpu.txt", "env/conda.yml", "job.yaml", "src/train.py", "nb.ipynb", "pyproject.toml"):
        assert pattern.search(name), name
    assert not pattern.search("README.md")


def test_html_report_shows_each_finding_at_its_file_and_line(tmp_path: Path) -> None:
    from whygpu.lint.engine import lint
    from whygpu.render.interface import Format, render

    (tmp_path / "Dockerfile").write_text("FROM python:3.11\nRUN pip install tensorflow-cpu\n")
    report = lint([str(tmp_path)], cwd=tmp_path)
    assert report.findings and all(f.location is not None for f in report.findings)
    html = render(report, Format.HTML)
    for finding in report.findings:
        assert finding.location is not None
        assert f"<td><code>{finding.location.file}:{finding.location.line}</code></td>" in html
