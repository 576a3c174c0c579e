"""The library API used from notebooks: ``whygpu.doctor()`` returns a report that displays as HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import whygpu
from builders import cpu_vm, torch_build
from whygpu.errors import UserError


def test_doctor_from_snapshot_path(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(cpu_vm(torch_build("2.13.0+cpu", cuda=None)).to_json()))
    report = whygpu.doctor(snapshot=str(path))
    assert report.causes[0].code == "NO_GPU"
    html = report._repr_html_()
    assert "NO_GPU" in html and "FRAMEWORK_CPU_BUILD" in html
    assert "NO_GPU" in repr(report) or "not usable" in repr(report)


def test_doctor_on_a_tree(tmp_path: Path) -> None:
    report = whygpu.doctor(root=str(tmp_path))
    assert report.subject_kind == "machine"
    assert report.verdict.gpu_usable in (None, False)


def test_doctor_bad_root() -> None:
    with pytest.raises(UserError):
        whygpu.doctor(root="/definitely/not/here")


def test_import_is_light() -> None:
    import subprocess
    import sys

    code = "import sys, whygpu; print(sorted(m for m in sys.modules if m.startswith(('rich', 'whygpu.collect', 'tomllib', 'packaging'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_help_reads_no_knowledge_file() -> None:
    import subprocess
    import sys

    code = (
        "import contextlib, io, sys\n"
        "from whygpu.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--help'])\n"
        "import whygpu.knowledge as k\n"
        "print(k.load_data.cache_info().currsize, 'tomllib' in sys.modules, 'tomli' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0", "False", "False"]
