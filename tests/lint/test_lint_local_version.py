"""DEP010: a pin with a local version (+cu102, +cpu) that pip can only take from a framework's own index, in a
repository where nothing gives pip one (PyPI accepts no local versions): the environment is never built. Minimal
files of our own, written from the class."""

from __future__ import annotations

from pathlib import Path

import pytest
from lint_cases import write

from whygpu.lint.engine import lint
from whygpu.lint.policy import LintConfig

CONFIG = LintConfig(azureml_schema=False)
PINS = "numpy==1.26.4\ntorch==1.10.0+cu102\ntorchvision==0.11.0+cu102\n"
CODE = "import torch\nprint(torch.cuda.is_available())\n"


def _dep010(root: Path, files: dict[str, str]) -> list[tuple[str, str, int]]:
    report = lint(["."], config=CONFIG, cwd=write(root, files))
    return sorted((f.severity.value, f.location.file if f.location else "", f.location.line if f.location else 0) for f in report.findings if f.id == "DEP010")


def test_local_version_pins_with_no_index_anywhere_are_errors(tmp_path: Path) -> None:
    files = {"requirements.txt": PINS, "detect.py": CODE, "README.md": "pip install -r requirements.txt\n"}
    assert _dep010(tmp_path, files) == [("error", "requirements.txt", 2), ("error", "requirements.txt", 3)]


def test_a_cpu_local_version_is_the_same_class(tmp_path: Path) -> None:
    assert _dep010(tmp_path, {"requirements.txt": "torch==2.1.0+cpu\n", "app.py": CODE}) == [("error", "requirements.txt", 1)]


@pytest.mark.parametrize(
    "files",
    [
        {"requirements.txt": "--extra-index-url https://download.pytorch.org/whl/cu102\n" + PINS},
        {"requirements.txt": "-f https://download.pytorch.org/whl/torch_stable.html\n" + PINS},
        {"requirements.txt": PINS, "README.md": "pip install -r requirements.txt -f https://download.pytorch.org/whl/torch_stable.html\n"},
        {"requirements.txt": PINS, "Dockerfile": "FROM python:3.9\nCOPY requirements.txt .\nRUN pip install -r requirements.txt --index-url https://example.org/simple\n"},
        {"requirements.txt": PINS, "setup.sh": "export PIP_EXTRA_INDEX_URL=https://example.org/simple\npip install -r requirements.txt\n"},
        {"requirements.txt": "torch==1.10.0\ntorchvision==0.11.1\n"},  # public versions: PyPI has them
    ],
)
def test_an_index_named_anywhere_or_a_public_version_is_quiet(tmp_path: Path, files: dict[str, str]) -> None:
    assert _dep010(tmp_path, {**files, "detect.py": CODE}) == []
