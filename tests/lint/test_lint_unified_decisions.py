"""accunify (session 26): lint asks the knowledge layer's one decision (the same explain asks): a case each way."""

from __future__ import annotations

from pathlib import Path

from lint_cases import write

from whygpu.lint.engine import lint
from whygpu.lint.policy import LintConfig

CONFIG = LintConfig(azureml_schema=False)


def _dep006(root: Path, python: str, pin: str) -> list[str]:
    env = f"name: t\ndependencies:\n  - python={python}\n  - pip:\n    - torch=={pin}\n"
    report = lint(["."], config=CONFIG, cwd=write(root, {"environment.yml": env, "train.py": "import torch\n"}))
    return [f.title for f in report.findings if f.id == "DEP006"]


def test_lint_dep006_fires_where_no_wheel_installs(tmp_path: Path) -> None:
    found = _dep006(tmp_path, "3.12", "2.1.2")
    assert len(found) == 1 and "wheels for Python 3.8-3.11" in found[0]


def test_lint_dep006_is_quiet_for_an_experimental_python_with_wheels(tmp_path: Path) -> None:
    # The matrix calls 3.12 experimental for 2.2, but PyPI has its cp312 wheels: pip installs it.
    assert _dep006(tmp_path, "3.12", "2.2.0") == []
