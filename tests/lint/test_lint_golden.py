"""The lint report as a person reads it (text at a fixed width, Markdown), against golden files.

Set WHYGPU_UPDATE_GOLDEN=1 to rewrite them after an intended change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from golden import check_golden
from whygpu.lint.engine import lint
from whygpu.lint.policy import LintConfig
from whygpu.render.interface import Format, render

HERE = Path(__file__).parent


@pytest.mark.parametrize(("fmt", "suffix", "verbose"), [(Format.TEXT, "txt", 0), (Format.TEXT, "verbose.txt", 1), (Format.MARKDOWN, "md", 0)])
def test_tensorflow_project_report(fmt: Format, suffix: str, verbose: int) -> None:
    report = lint(["."], config=LintConfig(azureml_schema=False), cwd=HERE / "projects" / "azureml-tensorflow")
    check_golden(HERE / "golden" / f"azureml-tensorflow.{suffix}", render(report, fmt, verbose=verbose, width=100, color=False))
