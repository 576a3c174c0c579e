"""The lint command's contract: exit codes, bad input, settings, suppressions, .gitignore, JSON and SARIF."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from lint_cases import CASES, write

from sarif_schema import SCHEMA, validate_sarif
from whygpu.cli import main
from whygpu.lint.engine import lint
from whygpu.lint.policy import LintConfig
from whygpu.model import Finding, Location
from whygpu.render.interface import Format, render

BAD_DOCKERFILE = "FROM python:3.11-slim\nRUN pip install tensorflow==2.16.1\n"
# A Compose file that runs the image on a GPU: the project states GPU intent (whygpu.lint.intent).
GPU_COMPOSE = (
    "services:\n  train:\n    build: .\n    deploy:\n      resources:\n        reservations:\n"
    "          devices:\n            - driver: nvidia\n              count: 1\n              capabilities: [gpu]\n"
)


def _loc(finding: Finding) -> Location:
    """The finding's file location; every lint finding has one."""
    assert finding.location is not None, finding.id
    return finding.location



def _run(args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, cwd: Path) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    code = main(["lint", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"Dockerfile": "FROM python:3.11\n"})
    assert _run(["--isolated"], capsys, monkeypatch, tmp_path)[0] == 0
    (tmp_path / "Dockerfile").write_text(BAD_DOCKERFILE)
    # Nothing says the image is meant for a GPU: a note (shown with -v), which no gate but fail-on info fails.
    code, out, _ = _run(["--isolated"], capsys, monkeypatch, tmp_path)
    assert code == 0 and "(1 note, shown with -v)" in out and "DF005" not in out
    assert "Dockerfile:2:17: DF005 CUDA_LIBS_MISSING" in _run(["--isolated", "-v"], capsys, monkeypatch, tmp_path)[1]
    assert _run(["--isolated", "--fail-on", "warning"], capsys, monkeypatch, tmp_path)[0] == 0
    assert _run(["--isolated", "--fail-on", "info"], capsys, monkeypatch, tmp_path)[0] == 1
    (tmp_path / "compose.yaml").write_text(GPU_COMPOSE)
    code, out, _ = _run(["--isolated"], capsys, monkeypatch, tmp_path)
    # Each finding shows its rule id at its file and line (what a suppression comment names).
    assert code == 1 and "Dockerfile:2:17: DF005 CUDA_LIBS_MISSING" in out
    assert _run(["--isolated", "--fail-on", "never"], capsys, monkeypatch, tmp_path)[0] == 0


def test_missing_path_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = _run(["no/such/dir"], capsys, monkeypatch, tmp_path)
    assert code == 2 and out == ""
    assert err == "whygpu: error: no/such/dir: no such file or directory\n"


def test_json_follows_the_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"Dockerfile": BAD_DOCKERFILE, "compose.yaml": GPU_COMPOSE})
    code, out, _ = _run(["--json", "--isolated"], capsys, monkeypatch, tmp_path)
    data = json.loads(out)
    assert code == 1
    assert data["schema_version"] == 1 and data["tool"]["name"] == "whygpu"
    assert data["subject"]["kind"] == "files"
    assert data["verdict"]["gpu_usable"] is False
    finding = data["findings"][0]
    assert finding["id"] == "DF005" and finding["cause"] == "CUDA_LIBS_MISSING" and finding["severity"] == "error"
    assert finding["evidence"][0] == "Dockerfile:2: RUN pip install tensorflow==2.16.1"
    assert finding["extra"]["file"] == "Dockerfile" and finding["extra"]["line"] == 2
    assert data["causes"][0]["findings"] == ["DF005"]


def test_unparseable_file_is_not_checked_and_the_rest_is_linted(tmp_path: Path) -> None:
    write(tmp_path, {
        "environment.yml": "name: x\ndependencies:\n  - python=3.11\n  - [unclosed\n",
        "train.py": "import torch\ndef f(:\n",
        "Dockerfile": BAD_DOCKERFILE,
        "requirements.txt": "tensorflow-cpu==2.15.0\n",
    })
    report = lint(["."], config=LintConfig(azureml_schema=False), cwd=tmp_path)
    # What whygpu cannot read is not a GPU cause: no finding, one "not checked" entry per file.
    assert sorted(f.id for f in report.findings) == ["DEP002", "DF005"]
    unread = {n.path: n for n in report.not_checked}
    assert sorted(unread) == ["environment.yml", "train.py"]
    assert unread["environment.yml"].line == 5 and "YAML" in unread["environment.yml"].reason
    assert (unread["train.py"].line, unread["train.py"].column) == (2, 7)
    assert "not checked" in report.verdict.summary
    data = report.to_json()
    assert data["not_checked"][1] == {"path": "train.py", "line": 2, "column": 7, "reason": unread["train.py"].reason}


def test_not_checked_fails_only_with_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"train.py": "import torch\ndef f(:\n", "Dockerfile": "FROM python:3.11\n"})
    code, out, _ = _run(["--isolated"], capsys, monkeypatch, tmp_path)
    assert code == 0
    assert "Not checked" in out and "train.py:2:7:" in out
    code, _, _ = _run(["--isolated", "--strict"], capsys, monkeypatch, tmp_path)
    assert code == 1
    code, out, _ = _run(["--isolated", "--format", "sarif"], capsys, monkeypatch, tmp_path)
    notes = json.loads(out)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    unread = [n for n in notes if n.get("descriptor", {}).get("id") == "not-checked"]
    assert len(unread) == 1 and unread[0]["level"] == "note"
    validate_sarif(json.loads(out), formats=False)
    assert unread[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 2, "startColumn": 7}
    code, out, _ = _run(["--isolated", "--format", "markdown"], capsys, monkeypatch, tmp_path)
    assert "### Not checked" in out and "`train.py:2:7`" in out


def test_gitignore_is_honoured(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path, {
        ".gitignore": "build/\n*.tmp.py\n!keep.tmp.py\n",
        "build/Dockerfile": BAD_DOCKERFILE,
        "sub/.gitignore": "ignored.txt\n",
        "sub/ignored.txt": "",
        "sub/requirements.txt": "tensorflow-cpu\n",
        "x.tmp.py": "import os\nos.environ['CUDA_VISIBLE_DEVICES'] = '-1'\n",
        "keep.tmp.py": "import os\nos.environ['CUDA_VISIBLE_DEVICES'] = '-1'\n",
    })
    report = lint(["."], config=LintConfig(azureml_schema=False), cwd=tmp_path)
    files = sorted({str(_loc(f).file) for f in report.findings})
    assert files == ["keep.tmp.py", "sub/requirements.txt"]
    # Linting a subdirectory still honours the .gitignore above it.
    report = lint(["build"], config=LintConfig(azureml_schema=False), cwd=tmp_path)
    assert report.findings == []
    everything = lint(["."], config=LintConfig(azureml_schema=False, respect_gitignore=False), cwd=tmp_path)
    assert "build/Dockerfile" in {_loc(f).file for f in everything.findings}


def test_inline_suppression_needs_a_reason(tmp_path: Path) -> None:
    write(tmp_path, {
        "requirements.txt": "tensorflow-cpu==2.15.0  # whygpu: ignore[DEP002]\n",
        "Dockerfile": "FROM python:3.11-slim\n# whygpu: ignore[DF005] this image only runs CPU unit tests\nRUN pip install tensorflow==2.16.1\n",
    })
    report = lint(["."], config=LintConfig(azureml_schema=False), cwd=tmp_path)
    assert [f.id for f in report.findings] == ["DEP002"]
    assert any("requirements.txt:1: suppression of DEP002 not honoured: give a reason" in n for n in report.notes)
    suppressed = report.details["suppressed"]
    assert [(s["id"], s["reason"]) for s in suppressed] == [("DF005", "this image only runs CPU unit tests")]


def test_suppression_in_python_and_notebook(tmp_path: Path) -> None:
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# title"]},
            {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
             "source": ["import os\n", "os.environ['CUDA_VISIBLE_DEVICES'] = ''  # whygpu: ignore[PY003] CPU smoke test\n", "import torch"]},
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }
    write(tmp_path, {"nb.ipynb": json.dumps(notebook, indent=1), "train.py": "import jax\n# whygpu: ignore[PY005] tests run on CPU\njax.config.update('jax_platforms', 'cpu')\n"})
    report = lint(["."], config=LintConfig(azureml_schema=False), cwd=tmp_path)
    assert report.findings == []
    assert sorted(s["id"] for s in report.details["suppressed"]) == ["PY003", "PY005"]


def test_pyproject_settings(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {
        "pyproject.toml": '[project]\nname = "x"\nversion = "1"\n\n[tool.whygpu.lint]\nignore = ["DF005"]\nseverity = { DEP002 = "info" }\nexclude = ["legacy/"]\n',
        "Dockerfile": BAD_DOCKERFILE,
        "requirements.txt": "tensorflow-cpu==2.15.0\n",
        "legacy/requirements.txt": "tensorflow-gpu\n",
    })
    code, out, _ = _run(["--json"], capsys, monkeypatch, tmp_path)
    data = json.loads(out)
    assert [(f["id"], f["severity"]) for f in data["findings"]] == [("DEP002", "info")]
    assert code == 0  # info does not fail at the default threshold
    assert data["details"]["settings"].endswith("pyproject.toml")
    code, out, _ = _run(["--json", "--fail-on", "info"], capsys, monkeypatch, tmp_path)
    assert code == 1
    code, out, _ = _run(["--json", "--isolated"], capsys, monkeypatch, tmp_path)
    assert {f["id"] for f in json.loads(out)["findings"]} == {"DF005", "DEP002", "DEP001"}


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[tool.whygpu.lint]\nfail-on = "sometimes"\n', "fail-on: 'sometimes' is not one of error, warning, info, never"),
        ('[tool.whygpu.lint]\nselect = ["XYZ"]\n', "select: 'XYZ' is not a lint rule code or prefix"),
        ('[tool.whygpu.lint]\nseverity = { DF001 = "fatal" }\n', "severity.DF001: 'fatal' is not one of error, warning, info"),
        ('[tool.whygpu.lint]\ncolour = true\n', "unknown setting 'colour'"),
        ('[tool.whygpu.lint\n', "not valid TOML"),
    ],
)
def test_bad_settings_are_bad_input(table: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"pyproject.toml": table, "Dockerfile": "FROM python:3.11\n"})
    code, out, err = _run(["--config", "pyproject.toml"] if "TOML" in message else [], capsys, monkeypatch, tmp_path)
    assert code == 2 and out == ""
    assert err.startswith("whygpu: error: ") and message in err and err.count("\n") == 1


def test_select_and_ignore_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"Dockerfile": BAD_DOCKERFILE + 'ENV CUDA_VISIBLE_DEVICES=""\n'})
    ids = lambda out: sorted(f["id"] for f in json.loads(out)["findings"])  # noqa: E731
    assert ids(_run(["--json", "--isolated"], capsys, monkeypatch, tmp_path)[1]) == ["DF005", "DF007"]
    assert ids(_run(["--json", "--isolated", "--select", "DF007"], capsys, monkeypatch, tmp_path)[1]) == ["DF007"]
    assert ids(_run(["--json", "--isolated", "--ignore", "DF"], capsys, monkeypatch, tmp_path)[1]) == []
    assert ids(_run(["--json", "--isolated", "--select", "DF005", "--ignore", "DF"], capsys, monkeypatch, tmp_path)[1]) == ["DF005"]
    code, _, err = _run(["--select", "NOPE"], capsys, monkeypatch, tmp_path)
    assert code == 2 and "'NOPE' is not a lint rule code" in err


def test_sarif_is_valid_and_carries_locations(tmp_path: Path) -> None:
    files: dict[str, str] = {}
    for code in ("DF005", "DEP002", "PY003"):
        files.update(CASES[code][0])
    files["notebook.ipynb"] = json.dumps({"cells": [{"cell_type": "code", "source": ["import tensorflow as tf\n", "tf.config.set_visible_devices([], 'GPU')"], "metadata": {}, "outputs": [], "execution_count": None}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)
    files["requirements.txt"] += "tensorflow-gpu==2.10  # whygpu: ignore[DEP001] legacy Windows builder\n"
    write(tmp_path, files)
    report = lint(["."], config=LintConfig(azureml_schema=False), cwd=tmp_path)
    sarif = json.loads(render(report, Format.SARIF))
    validate_sarif(sarif)
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    from whygpu.lint.registry import RULES

    assert [r["id"] for r in rules] == sorted(r.code for r in RULES)
    results = run["results"]
    by_rule = {r["ruleId"]: r for r in results}
    assert set(by_rule) >= {"DF005", "DEP002", "PY003", "PY002", "DEP001"}
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["region"]["startLine"] >= 1
    # The column points at the package on the RUN line.
    run_line = CASES["DF005"][0]["Dockerfile"].splitlines()[1]
    region = by_rule["DF005"]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 2, "startColumn": run_line.index("tensorflow") + 1}
    # The notebook finding points at the line of the .ipynb file that holds the call.
    nb = by_rule["PY002"]["locations"][0]["physicalLocation"]
    assert nb["artifactLocation"]["uri"] == "notebook.ipynb"
    line = (tmp_path / "notebook.ipynb").read_text().splitlines()[nb["region"]["startLine"] - 1]
    assert "set_visible_devices" in line
    assert by_rule["DEP001"]["suppressions"] == [{"kind": "inSource", "justification": "legacy Windows builder"}]
    assert by_rule["DEP002"]["level"] == "error" and "suppressions" not in by_rule["DEP002"]


def test_sarif_of_a_doctor_report_is_valid() -> None:
    from whygpu.model import Finding, Report, Severity, Verdict, rank_causes

    finding = Finding(id="HW001", cause="NO_GPU", severity=Severity.ERROR, title="No NVIDIA GPU", evidence=("lspci: none",), fix="Use a GPU VM.")
    report = Report("machine", Verdict(False, "no GPU"), rank_causes([finding]), [finding], notes=["a note"])
    sarif = json.loads(render(report, Format.SARIF))
    validate_sarif(sarif, formats=False)
    assert "locations" not in sarif["runs"][0]["results"][0]


def test_schema_subset_rejects_what_sarif_rejects() -> None:
    """The vendored subset is strict where the standard is: a wrong level or a missing message fails."""
    validator = jsonschema.Draft7Validator(SCHEMA)
    good = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "error"}]}]}
    assert validator.is_valid(good)
    for broken in (
        {"version": "2.0.0", "runs": []},
        {"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]},
        {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "fatal"}]}]},
        {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"level": "error"}]}]},
        {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation": {"region": {"startLine": 0}}}]}]}]},
        {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "surprise": 1}]},
    ):
        assert not validator.is_valid(broken), broken


def test_format_enum_includes_sarif_for_lint(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--help"]) == 0
    assert "sarif" in capsys.readouterr().out
