"""Inputs read the way the real tools read them (IPython, BuildKit, pip, setuptools), "not checked" for what
cannot be read, and property tests: no untrusted input makes a reader raise or hang."""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from whygpu.lint import pysource
from whygpu.lint.dockerfile import expand_heredocs, parse_dockerfile
from whygpu.lint.engine import lint
from whygpu.lint.interface import Location, Source, decode_text
from whygpu.lint.packages import parse_requirements_text
from whygpu.lint.policy import LintConfig
from whygpu.lint.python import parse_notebook, parse_python
from whygpu.lint.setupfiles import parse_setup_cfg, parse_setup_py

CONFIG = LintConfig(azureml_schema=False)


def _source(name: str, text: str) -> Source:
    return Source(Path(name), name, text=text)


def _notebook(*cells: str) -> Source:
    data = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": cell} for cell in cells
    ]}
    return _source("nb.ipynb", json.dumps(data, indent=1))


@pytest.fixture(params=["ipython", "fallback"])
def ipython_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every notebook case runs with IPython's transformer and with the fallback reader alone."""
    if request.param == "ipython":
        pytest.importorskip("IPython")
    else:
        monkeypatch.setattr(pysource, "_ipython_transformer", lambda: None)
    return str(request.param)


# ------------------------------------------------------------------------------------------ Python


def test_python_is_parsed_once_and_its_syntax_warnings_stay_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = compile

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(pysource, "compile", counting, raising=False)
    text = "import torch\npattern = '\\d+'\nmodel = torch.nn.Linear(1, 1)\n"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = parse_python(_source("train.py", text))
    assert calls == [1]
    assert model.relevant and not model.problems
    assert not [w for w in caught if issubclass(w.category, SyntaxWarning)]


@pytest.mark.parametrize(
    "text",
    [
        "type Vector = list[float]\n",
        "def first[T](items: list[T]) -> T:\n    return items[0]\n",
        "class Box[T]:\n    pass\n",
        "names = ['a']\nprint(f\"{', '.join(names)}\")\nprint(f\"{names[0]!r:>{10}} {f'{1}'}\")\nx = f\"{\"nested\"}\"\n",
    ],
)
def test_newer_syntax_is_not_checked_with_the_python_it_needs(text: str) -> None:
    model = parse_python(_source("new.py", text))
    if sys.version_info >= (3, 12):
        assert model.problems == []
    else:
        assert len(model.problems) == 1
        assert model.problems[0].message.startswith("needs Python 3.12")


def test_a_real_syntax_error_is_named_as_one() -> None:
    model = parse_python(_source("bad.py", "import torch\ndef f(:\n    pass\n"))
    assert [(p.location.line, p.location.column) for p in model.problems] == [(2, 7)]
    assert model.problems[0].message.startswith("SyntaxError")


# ------------------------------------------------------------------------------------------ notebooks

REAL_CELLS = [
    "!pip install torch \\\n    torchvision --index-url https://download.pytorch.org/whl/cpu",
    "%run train.py \\\n  --epochs 3",
    "import torch\nif torch.cuda.is_available():\n    %time x = torch.ones(1).cuda()",
    "with open('f') as handle:\n    !cat f",
    "pip install transformers",
    "ls",
    "cd data",
    "    import os\n    print(os.getcwd())",
    "#@title Setup { display-mode: \"form\" }\n%%bash\npip install jax\necho done",
    "torch.zeros?",
    "torch.zeros??",
    "x = 1  # is this right?\nif x:  # really?\n    pass",
    "%%capture\nimport torch\nnet = torch.nn.Linear(1, 1)",
    "%%writefile helper.py\nthis is not python (",
    "%%html\n<b>bold</b>",
    "files = !ls\nprint(files)",
    "x = (1\n     % 2)",
    "%load_ext autoreload\n%autoreload 2",
    "%env CUDA_VISIBLE_DEVICES=0",
    "await asyncio.sleep(0)",
]


def test_cells_ipython_accepts_are_never_reported(ipython_mode: str) -> None:
    model = parse_notebook(_notebook(*REAL_CELLS))
    assert model.problems == [], (ipython_mode, model.problems)
    installed = [(p.name, p.location.cell) for p in model.installs.packages]
    assert ("torch", 1) in installed and ("torchvision", 1) in installed
    assert ("transformers", 5) in installed and ("jax", 9) in installed
    assert [(i.url, i.location.cell) for i in model.installs.indexes] == [("https://download.pytorch.org/whl/cpu", 1)]
    # The python in a %%capture cell is still judged; the notebook's %env is still seen.
    assert "torch" in model.facts.imports
    assert [(w.name, w.value) for w in model.facts.env_writes] == [("CUDA_VISIBLE_DEVICES", "0")]


def test_a_broken_cell_is_one_not_checked_place_and_the_other_cells_are_read(ipython_mode: str) -> None:
    model = parse_notebook(_notebook("import torch", "def f(:\n    pass", "x = torch.zeros(1).cuda()"))
    assert [(p.location.cell, p.location.cell_line) for p in model.problems] == [(2, 1)]
    reason = model.problems[0].message
    assert reason.startswith("SyntaxError")
    assert ("IPython is not installed" in reason) == (ipython_mode == "fallback")
    assert model.facts.mentions_cuda


def test_a_cell_only_ipython_reads_is_judged_from_ipythons_python() -> None:
    pytest.importorskip("IPython")
    # A line starting with % inside brackets is an operator, not a magic: only IPython's tokenizer knows.
    model = parse_notebook(_notebook("import torch\nx = (torch.zeros(1).cuda()\n     % 2)\n!ls"))
    assert model.problems == []
    assert "torch" in model.facts.imports and model.facts.mentions_cuda


def test_notebook_installs_continued_over_lines_feed_the_dependency_rules(tmp_path: Path, ipython_mode: str) -> None:
    (tmp_path / "nb.ipynb").write_text(_notebook("%pip install numpy \\\n    tensorflow-gpu==2.12.0", "import tensorflow as tf").text)
    report = lint(["."], config=CONFIG, cwd=tmp_path)
    assert [(f.id, f.location.file) for f in report.findings] == [("DEP001", "nb.ipynb")]
    (tmp_path / "nb.ipynb").write_text(_notebook("%pip install numpy \\\n    'tensorflow[and-cuda]==2.15.0'", "import tensorflow as tf").text)
    assert lint(["."], config=CONFIG, cwd=tmp_path).findings == []


def test_an_indented_cell_keeps_its_columns(ipython_mode: str) -> None:
    model = parse_notebook(_notebook("    import torch\n    x = torch.zeros(1).cuda()"))
    assert model.problems == []
    assert [(loc.cell_line, loc.column) for _line, loc, _name in model.facts.cuda_inits] == [(2, 9)]


def test_notebook_problems_become_one_not_checked_entry(tmp_path: Path) -> None:
    (tmp_path / "nb.ipynb").write_text(_notebook("import torch", "def f(:", "def g(:").text)
    report = lint(["."], config=CONFIG, cwd=tmp_path)
    assert report.findings == []
    assert len(report.not_checked) == 1
    entry = report.not_checked[0]
    assert entry.path == "nb.ipynb" and entry.reason.startswith("cell 2, line 1: ") and "1 more place" in entry.reason


# ------------------------------------------------------------------------------------------ Dockerfiles


def test_heredoc_on_a_continued_run_line_hides_nothing() -> None:
    text = (
        "FROM python:3.11\n"
        "RUN apt-get update && \\\n"
        "    cat > /etc/app.conf <<EOF\n"
        "key=value\n"
        "pip install not-a-command\n"
        "EOF\n"
        "RUN pip install torch --index-url https://download.pytorch.org/whl/cpu\n"
        "ENV CUDA_VISIBLE_DEVICES=0\n"
    )
    model = parse_dockerfile(_source("Dockerfile", text))
    assert model.problems == []
    stage = model.stages[0]
    assert [(p.name, p.location.line) for p in stage.pip.packages] == [("torch", 7)]
    assert [(e.name, e.location.line) for e in stage.env] == [("CUDA_VISIBLE_DEVICES", 8)]


def test_script_heredocs_several_per_line_strip_tabs_and_quoted_delimiters() -> None:
    text = (
        "FROM python:3.11\n"
        "RUN <<-'SCRIPT' bash\n"
        "\tpip install tensorflow==2.15.0 \\\n"
        "\t    keras\n"
        "\n"
        "\t# a comment\n"
        "\tSCRIPT\n"
        "RUN cat > a.txt <<A && bash <<\"B\"\n"
        "content\n"
        "A\n"
        "pip install jax\n"
        "B\n"
        "RUN echo 'x <<<y' && pip install numpy\n"
    )
    model = parse_dockerfile(_source("Dockerfile", text))
    assert model.problems == []
    assert [(p.name, p.location.line) for p in model.stages[0].pip.packages] == [
        ("tensorflow", 3), ("keras", 4), ("jax", 11), ("numpy", 13)
    ]
    assert expand_heredocs(text).count("\n") == text.count("\n")


@pytest.mark.parametrize(
    "text",
    [
        "\ufeffFROM python:3.11\nRUN pip install torch\n",
        "FROM python:3.11\r\nRUN pip install \\\r\n    torch\r\n",
        "# syntax=docker/dockerfile:1\n# escape=`\nFROM python:3.11\nRUN pip install `\n    torch\n",
        "FROM python:3.11\nRUN apt-get update \\\n\n    # why\n    && pip install \\\n    torch\n",
    ],
    ids=["utf8-bom", "crlf", "escape-directive", "blank-and-comment-in-continuation"],
)
def test_dockerfile_syntax_buildkit_accepts(text: str) -> None:
    model = parse_dockerfile(_source("Dockerfile", text))
    assert model.problems == []
    assert [p.name for p in model.stages[0].pip.packages] == ["torch"]


def test_dockerfile_bom_on_disk(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_bytes(b"\xef\xbb\xbfFROM python:3.11\nRUN pip install tensorflow==2.16.1\n")
    report = lint(["."], config=CONFIG, cwd=tmp_path)
    assert report.not_checked == []
    assert [f.id for f in report.findings] == ["DF005"]


# ------------------------------------------------------------------------------------------ requirements


def test_pip_valid_lines_are_read_or_left_alone_never_unreadable() -> None:
    lines = [
        "git+https://github.com/org/repo.git@v1.0#egg=mypkg&subdirectory=python",
        "git+https://github.com/org/repo.git@v1.0#subdirectory=python",
        ".[extra]",
        "./libs/pkg[gpu]",
        "-e .[dev]",
        "-e git+https://github.com/x/y.git#egg=yy",
        "pkg @ https://example.com/pkg-1.0.tar.gz",
        "torch==2.1.0 --hash=sha256:abc \\",
        "    --hash=sha256:def",
        "--index-url https://download.pytorch.org/whl/cu121",
        "--extra-index-url=https://example.com/simple",
        "-f https://data.pyg.org/whl/torch-2.1.0+cu121.html",
        "--pre",
        "--only-binary :all:",
        'numpy ; python_version < "3.12"',
        "tensorflow[and-cuda]==2.15.0  # comment",
        "C:\\wheels\\thing-1.0-py3-none-any.whl",
    ]
    deps = parse_requirements_text(lines, lambda n: Location("requirements.txt", n))
    assert deps.problems == []
    assert [(p.name, p.location.line) for p in deps.packages] == [
        ("mypkg", 1), ("yy", 6), ("pkg", 7), ("torch", 8), ("numpy", 15), ("tensorflow", 16), ("thing", 17)
    ]
    assert [(i.option, i.url) for i in deps.indexes] == [
        ("index-url", "https://download.pytorch.org/whl/cu121"),
        ("extra-index-url", "https://example.com/simple"),
        ("find-links", "https://data.pyg.org/whl/torch-2.1.0+cu121.html"),
    ]


def test_utf16_requirements_from_powershell_are_read(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_bytes("numpy==1.26.4\r\ntensorflow-gpu==2.12.0\r\n".encode("utf-16"))
    report = lint(["."], config=CONFIG, cwd=tmp_path)
    assert report.not_checked == []
    assert [(f.id, f.location.line) for f in report.findings] == [("DEP001", 2)]


def test_decoding_follows_the_byte_order_mark() -> None:
    text = "torch==2.1.0\n"
    for encoding in ("utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"):
        data = text.encode(encoding)
        if encoding in ("utf-16-le", "utf-16-be"):
            data = ("\ufeff" + text).encode(encoding)
        assert decode_text(data) == text, encoding
    assert decode_text(b"torch\xff\n") == "torch\ufffd\n"


def test_an_unreadable_requirements_file_is_one_entry(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("tensorflow==\nnumpy>=>1\n@@@\n")
    report = lint(["."], config=CONFIG, cwd=tmp_path)
    assert report.findings == []
    assert [(n.path, n.line) for n in report.not_checked] == [("requirements.txt", 1)]
    assert "2 more places" in report.not_checked[0].reason


def test_included_files_are_followed_whatever_their_name(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("-r deps/base.txt\n-c missing.txt\n--requirement=https://example.com/r.txt\n")
    (tmp_path / "deps").mkdir()
    (tmp_path / "deps" / "base.txt").write_text("--index-url https://download.pytorch.org/whl/cpu\ntorch==2.3.0\n")
    report = lint(["requirements.txt"], config=CONFIG, cwd=tmp_path)
    assert [(f.id, f.location.file) for f in report.findings] == [("DEP007", "deps/base.txt")]
    assert [(n.path, n.line, n.reason) for n in report.not_checked] == [
        ("requirements.txt", 2, "missing.txt: no such file (named by -r/-c)"),
        ("requirements.txt", 3, "https://example.com/r.txt: a URL; whygpu reads no network"),
    ]


def test_the_cuda_torch_index_is_still_understood(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("--index-url https://download.pytorch.org/whl/cu121\ntorch==2.3.0\n")
    report = lint(["."], config=CONFIG, cwd=tmp_path)
    assert report.findings == [] and report.not_checked == []
    (tmp_path / "requirements.txt").write_text("--index-url https://download.pytorch.org/whl/cpu\ntorch==2.3.0\n")
    assert [f.id for f in lint(["."], config=CONFIG, cwd=tmp_path).findings] == ["DEP007"]


# ------------------------------------------------------------------------------------------ setup.py / setup.cfg


SETUP_PY = """\
from setuptools import setup
import pathlib
pathlib.Path("ran").write_text("setup.py was executed")
BASE = ["numpy>=1.20", {pin!r}]
setup(
    name="x",
    install_requires=BASE + ["pandas"],
    extras_require={{"dev": ["pytest"]}},
    python_requires=">=3.9",
)
"""


def test_setup_py_tensorflow_gpu_fires_and_setup_py_is_never_run(tmp_path: Path) -> None:
    (tmp_path / "setup.py").write_text(SETUP_PY.format(pin="tensorflow-gpu==2.12.0"))
    report = lint(["."], config=CONFIG, cwd=tmp_path)
    assert [(f.id, f.location.file, f.location.line) for f in report.findings] == [("DEP001", "setup.py", 4)]
    assert not (tmp_path / "ran").exists()
    (tmp_path / "setup.py").write_text(SETUP_PY.format(pin="tensorflow[and-cuda]==2.15.0"))
    report = lint(["."], config=CONFIG, cwd=tmp_path)
    assert report.findings == [] and report.not_checked == []


def test_setup_py_computed_requirements_are_not_checked() -> None:
    text = "from setuptools import setup\nsetup(install_requires=open('requirements.txt').read().splitlines(), extras_require=EXTRAS)\n"
    model = parse_setup_py(_source("setup.py", text))
    assert [(p.location.line, p.message) for p in model.problems] == [
        (2, "install_requires is computed (whygpu never runs setup.py); not read"),
        (2, "extras_require is computed; not read"),
    ]
    assert model.deps.packages == []


def test_setup_cfg_options_and_extras() -> None:
    text = (
        "[metadata]\nname = y\n[options]\npython_requires = >=3.9\ninstall_requires =\n    requests\n"
        "    torch==2.1.0+cpu  # pinned\n[options.extras_require]\ngpu =\n    jax[cuda12]==0.4.30\n"
    )
    model = parse_setup_cfg(_source("setup.cfg", text))
    assert model.problems == []
    assert [(p.name, p.location.line) for p in model.deps.packages] == [("requests", 6), ("torch", 7), ("jax", 10)]
    assert model.requires_python is not None and model.requires_python[0] == ">=3.9"


def test_setup_cfg_cpu_torch_fires_and_cuda_torch_is_clean(tmp_path: Path) -> None:
    (tmp_path / "setup.cfg").write_text("[options]\ninstall_requires =\n    torch==2.1.0+cpu\n")
    # DEP010 too: a +cpu build is never on PyPI and nothing here names PyTorch's index.
    assert sorted(f.id for f in lint(["."], config=CONFIG, cwd=tmp_path).findings) == ["DEP007", "DEP010"]
    (tmp_path / "setup.cfg").write_text("[options]\ninstall_requires =\n    torch==2.1.0\n")
    assert lint(["."], config=CONFIG, cwd=tmp_path).findings == []


# ------------------------------------------------------------------------------------------ properties

_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_DOCKER_PIECES = st.sampled_from(
    ["FROM python:3.11\n", "RUN ", "<<EOF", "<<-'X'", " <<\"B\"", "\nEOF\n", "\n\tX\n", "B\n", "\\\n", "`\n", "# escape=`\n",
     "pip install torch", " && ", "\n", "\r\n", "\ufeff", "COPY <<F /f\n", "F\n", "cat > f ", "bash", "# c\n", "   "]
)
_CELL_PIECES = st.sampled_from(
    ["!pip install x", "%%bash\n", "%%time\n", "%time ", "?", "??", "#@title t\n", "\\\n", "\n", "    ", "if x:\n", "import torch\n",
     "files = !ls", "%env A=1", "pip install y", "def f(:", "'''", "#", "x = (1\n", "% 2)", "\t", "await z\n", "cd d"]
)
_REQ_LINE_PIECES = st.sampled_from(
    ["git+https://h/r.git@v#egg=p&subdirectory=s", ".[e]", "-e ", "-r ", "-c ", "--hash=sha256:x", "\\\n", "\n", " # c", "torch==2.1",
     "; python_version<'3'", "--index-url ", "https://download.pytorch.org/whl/cu121", "-f", "C:\\w\\p-1.whl", "pkg @ file:///x"]
)
_SETUP_PIECES = st.sampled_from(
    ["setup(", ")", "install_requires=", "extras_require=", "[", "]", "{", "}", "'torch'", ", ", "BASE", "BASE = ['a']\n", "+",
     "**kw", "\n", "'k': ", "f(x)", "(", "*", "python_requires='>=3'", "setuptools.setup(", "'''\n"]
)
_CFG_PIECES = st.sampled_from(
    ["[options]\n", "[options.extras_require]\n", "install_requires =\n", "    torch\n", "gpu =", " jax\n", "file: r.txt\n", "=", "%(x)s",
     "[", "]", "\n", "python_requires = >=3\n", "; c\n", "a; b\n"]
)


@_SETTINGS
@given(st.one_of(st.text(), st.lists(_DOCKER_PIECES, max_size=40).map("".join)))
def test_dockerfile_reading_never_raises_and_keeps_line_numbers(text: str) -> None:
    expanded = expand_heredocs(text)
    assert expanded.count("\n") == text.count("\n")
    parse_dockerfile(_source("Dockerfile", text))


@_SETTINGS
@given(st.lists(st.one_of(st.text(max_size=40), st.lists(_CELL_PIECES, max_size=12).map("".join)), max_size=6))
def test_notebook_cell_reading_never_raises(cells: list[str]) -> None:
    for cell in cells:
        read = pysource.read_cell(cell)
        assert len(read.python) == len(cell.split("\n"))
    parse_notebook(_notebook(*cells))


@_SETTINGS
@given(st.one_of(st.text(), st.lists(_REQ_LINE_PIECES, max_size=30).map("".join)))
def test_requirement_lines_never_raise(text: str) -> None:
    parse_requirements_text(text.splitlines(), lambda n: Location("r", n))


@_SETTINGS
@given(st.binary(max_size=200))
def test_decoding_never_raises(data: bytes) -> None:
    assert isinstance(decode_text(data), str)


@_SETTINGS
@given(st.one_of(st.text(), st.lists(_SETUP_PIECES, max_size=30).map("".join)))
def test_setup_py_reader_never_raises(text: str) -> None:
    parse_setup_py(_source("setup.py", text))


@_SETTINGS
@given(st.one_of(st.text(), st.lists(_CFG_PIECES, max_size=30).map("".join)))
def test_setup_cfg_reader_never_raises(text: str) -> None:
    parse_setup_cfg(_source("setup.cfg", text))


@_SETTINGS
@given(st.text())
def test_python_reader_never_raises(text: str) -> None:
    parse_python(_source("x.py", text))


# ------------------------------------------------------------------------------------------ end to end


def test_the_users_syntax_warnings_never_reach_the_terminal(tmp_path: Path) -> None:
    from cli_runner import run_whygpu

    (tmp_path / "train.py").write_text("import torch\npattern = '\\d+'\nif pattern is 'x':\n    pass\n")
    nb = _notebook("import re\nre.compile('\\d')")
    (tmp_path / "nb.ipynb").write_text(nb.text)
    result = run_whygpu(["lint", str(tmp_path), "--isolated", "--no-azureml-schema"], env={"PYTHONWARNINGS": "always"})
    assert result.code == 0, result.stderr
    # SyntaxWarning from Python 3.12, DeprecationWarning before it: neither is the lint's business to print.
    assert "Warning" not in result.stderr and "Warning" not in result.stdout


def test_strict_setting_in_pyproject(tmp_path: Path) -> None:
    from whygpu.lint.policy import load_config

    (tmp_path / "pyproject.toml").write_text("[tool.whygpu.lint]\nstrict = true\n")
    assert load_config(tmp_path / "pyproject.toml").strict is True
    (tmp_path / "pyproject.toml").write_text("[tool.whygpu.lint]\nfail-on = 'error'\n")
    assert load_config(tmp_path / "pyproject.toml").strict is False
