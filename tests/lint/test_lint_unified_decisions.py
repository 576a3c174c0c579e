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


def _dep008(root: Path, requirement: str) -> list[str]:
    report = lint(["."], config=CONFIG, cwd=write(root, {"requirements.txt": requirement + "\n", "train.py": "import jax\n"}))
    return [f.title for f in report.findings if f.id == "DEP008"]


def test_lint_dep008_fires_on_a_plain_jax(tmp_path: Path) -> None:
    assert _dep008(tmp_path, "jax==0.4.30") == ["jax==0.4.30 installs the CPU-only jaxlib"]


def test_lint_dep008_is_quiet_for_any_cuda_extra_the_plain_install_table_knows(tmp_path: Path) -> None:
    # jax 0.2-0.4's jax[cuda11_cudnn82] (with -f jax_cuda_releases.html) installed the CUDA jaxlib; lint's own
    # extra patterns read it as no CUDA before (knowledge/cpu_packages.toml [[plain_install]] decides now).
    assert _dep008(tmp_path, "jax[cuda11_cudnn82]==0.4.7") == []
    assert _dep008(tmp_path, "jax[cuda12_local]==0.4.30") == []
