"""The file readers: what they extract, with lines, and that no input makes them raise (hypothesis)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from whygpu.lint.azureml import parse_azureml
from whygpu.lint.conda import parse_conda_env
from whygpu.lint.dockerfile import parse_dockerfile, split_commands
from whygpu.lint.images import classify_image
from whygpu.lint.interface import Location, Source
from whygpu.lint.packages import (
    conda_version_to_specifier,
    parse_conda_spec,
    parse_pip_requirement,
    parse_requirements_text,
)
from whygpu.lint.python import parse_notebook, parse_python
from whygpu.lint.requirements import parse_pyproject
from whygpu.lint.yamldoc import YamlError, load_yaml
from whygpu.model import Finding
from whygpu.model import Location as FindingLocation

HERE = Location("x")


def _loc(finding: Finding) -> FindingLocation:
    """The finding's file location; every lint finding has one."""
    assert finding.location is not None, finding.id
    return finding.location



def _source(name: str, text: str) -> Source:
    return Source(Path(name), name, text=text)


def test_dockerfile_stages_args_env_and_installs() -> None:
    text = (
        "ARG CUDA=11.8.0\n"
        "FROM nvidia/cuda:${CUDA}-cudnn8-runtime-ubuntu22.04 AS base\n"
        'ENV CUDA_VISIBLE_DEVICES=-1 A="b c"\n'
        "RUN apt-get update && apt-get install -y cuda-toolkit-12-1 \\\n"
        "    && echo 'export LD_LIBRARY_PATH=/usr/local/cuda/lib64' >> ~/.bashrc\n"
        "RUN export CUDA_HOME=/usr/local/cuda && python3 -m pip install --no-cache-dir \\\n"
        "      torch==2.1.0 --index-url https://download.pytorch.org/whl/cpu\n"
        "RUN conda install -y -c nvidia cudatoolkit=11.2 && conda env create -f env.yml\n"
        "FROM python:3.11 AS unrelated\n"
        "RUN pip install tensorflow-cpu\n"
        "FROM base\n"
        "COPY requirements.txt /app/\n"
        "RUN pip install -r /app/requirements.txt\n"
    )
    model = parse_dockerfile(_source("Dockerfile", text))
    assert model.problems == []
    assert [s.base for s in model.stages] == ["nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04", "python:3.11", "base"]
    assert [s.index for s in model.runtime_stages()] == [0, 2]  # the unrelated stage does not reach the image
    base = model.stages[0]
    assert [(e.name, e.value, e.how, e.location.line) for e in base.env] == [
        ("CUDA_VISIBLE_DEVICES", "-1", "ENV", 3),
        ("A", "b c", "ENV", 3),
        ("LD_LIBRARY_PATH", "/usr/local/cuda/lib64", "startup file", 5),
        ("CUDA_HOME", "/usr/local/cuda", "RUN export", 6),
    ]
    assert [(p.raw, p.location.line) for p in base.pip.packages] == [("torch==2.1.0", 7)]
    assert [i.url for i in base.pip.indexes] == ["https://download.pytorch.org/whl/cpu"]
    assert [(p.name, p.channel, p.specifier) for p in base.conda.packages] == [("cudatoolkit", "nvidia", "==11.2.*")]
    assert [p.name for p in base.apt] == ["cuda-toolkit-12-1"]
    assert [f for f, _ in base.conda_files] == ["env.yml"]
    assert [f for f, _ in model.stages[2].pip.includes] == ["/app/requirements.txt"]


def test_dockerfile_exec_form_and_bad_input() -> None:
    model = parse_dockerfile(_source("Dockerfile", 'FROM ubuntu:22.04\nRUN ["pip", "install", "jax"]\nRUN ["/bin/sh", "-c", "pip install torch && true"]\n'))
    assert [p.name for p in model.stages[0].pip.packages] == ["jax", "torch"]
    empty = parse_dockerfile(_source("Dockerfile", "# only a comment\n"))
    assert [p.message for p in empty.problems] == ["no FROM instruction: not a Dockerfile, or an empty one"]


def test_shell_splitting() -> None:
    assert split_commands("a b && c 'd && e' ; f | g") == [["a", "b"], ["c", "d && e"], ["f"], ["g"]]
    assert split_commands("echo 'unterminated") == [["echo", "'unterminated"]]


def test_requirements_lines_options_and_continuations() -> None:
    lines = [
        "# comment",
        "--extra-index-url https://download.pytorch.org/whl/cu121",
        "torch==2.1.0+cu121 \\",
        "    --hash=sha256:abc",
        "tensorflow[and-cuda]>=2.15 ; sys_platform == 'linux'  # trailing",
        "-r base.txt",
        "https://example.org/pkgs/jaxlib-0.4.20+cuda12.cudnn89-cp311-cp311-manylinux2014_x86_64.whl",
        "not a requirement!!",
    ]
    deps = parse_requirements_text(lines, lambda n: Location("r.txt", n))
    assert [(p.name, p.local_tag, p.location.line) for p in deps.packages] == [
        ("torch", "cu121", 3),
        ("tensorflow", None, 5),
        ("jaxlib", "cuda12.cudnn89", 7),
    ]
    assert deps.packages[1].extras == frozenset({"and-cuda"})
    assert [(i.option, i.location.line) for i in deps.indexes] == [("extra-index-url", 2)]
    assert [path for path, _ in deps.includes] == ["base.txt"]
    assert [p.location.line for p in deps.problems] == [8]


def test_conda_specs() -> None:
    cases = {
        "cudatoolkit=11.2": ("cudatoolkit", "==11.2.*", None, None),
        "conda-forge::cudnn=8.1.0": ("cudnn", "==8.1.0.*", None, "conda-forge"),
        "pytorch=2.1=*cuda*": ("pytorch", "==2.1.*", "*cuda*", None),
        "tensorflow-gpu==2.10.0=h1": ("tensorflow-gpu", "==2.10.0", "h1", None),
        "numpy>=1.2,<2": ("numpy", "<2,>=1.2", None, None),
        "pytorch[build=*cpu*]": ("pytorch", "", "*cpu*", None),
        "cudatoolkit 11.2.*": ("cudatoolkit", "==11.2.*", None, None),
    }
    for text, (name, specifier, build, channel) in cases.items():
        spec = parse_conda_spec(text, HERE)
        assert not hasattr(spec, "message"), text
        assert (spec.name, spec.specifier, spec.build, spec.channel) == (name, specifier, build, channel), text  # type: ignore[union-attr]
    assert conda_version_to_specifier("1.2|1.3") == ""
    assert conda_version_to_specifier("=abc") is None


def test_pip_requirement_versions() -> None:
    spec = parse_pip_requirement("tensorflow[and-cuda]==2.15.*", HERE)
    assert spec.exact_version() is not None and str(spec.exact_version()) == "2.15"  # type: ignore[union-attr]
    from packaging.version import Version

    open_ended = parse_pip_requirement("tensorflow>=2.10,<2.12", HERE)
    assert open_ended.resolve([Version(v) for v in ("2.9", "2.10", "2.11", "2.12")]) == Version("2.11")  # type: ignore[union-attr]
    unpinned = parse_pip_requirement("tensorflow", HERE)
    assert unpinned.unpinned and unpinned.resolve([Version("2.1"), Version("2.21")]) == Version("2.21")  # type: ignore[union-attr]


def test_conda_env_with_pip_section_lines() -> None:
    text = "name: x\nchannels:\n  - nvidia\ndependencies:\n  - python=3.10\n  - cudatoolkit=11.2\n  - pip:\n    - --extra-index-url https://download.pytorch.org/whl/cpu\n    - torch==2.1.0\n"
    model = parse_conda_env(_source("environment.yml", text))
    assert model.python is not None and model.python.specifier == "==3.10.*"
    assert [(p.name, p.location.line) for p in model.conda.packages] == [("python", 5), ("cudatoolkit", 6)]
    assert [(p.name, p.location.line) for p in model.pip.packages] == [("torch", 9)]
    assert [i.location.line for i in model.pip.indexes] == [8]


def test_pyproject_dependencies_poetry_and_uv_index() -> None:
    text = (
        '[project]\nname = "x"\nversion = "1"\nrequires-python = ">=3.12"\n'
        'dependencies = [\n  "torch==2.3.1",\n]\n'
        '[project.optional-dependencies]\ngpu = ["jax[cuda12]"]\n'
        '[tool.poetry.dependencies]\npython = "^3.10"\ntensorflow = { version = "^2.15", extras = ["and-cuda"] }\n'
        '[[tool.uv.index]]\nname = "pytorch-cpu"\nurl = "https://download.pytorch.org/whl/cpu"\nexplicit = true\n'
        '[tool.uv.sources]\ntorch = { index = "pytorch-cpu" }\n'
        '[tool.whygpu.lint]\nignore = ["PY"]\n'
    )
    model = parse_pyproject(_source("pyproject.toml", text))
    assert model.problems == []
    assert {(p.name, p.specifier, p.location.line) for p in model.deps.packages} == {
        ("torch", "==2.3.1", 6),
        ("jax", "", 9),
        ("tensorflow", "<3,>=2.15", 12),
    }
    assert [i.url for i in model.deps.indexes] == ["https://download.pytorch.org/whl/cpu"]
    assert model.requires_python is not None and model.requires_python[0] == ">=3.12"
    assert model.whygpu_settings == {"lint": {"ignore": ["PY"]}}
    broken = parse_pyproject(_source("pyproject.toml", "[project\n"))
    assert broken.problems and broken.problems[0].location.line == 1


def test_azureml_job_pipeline_and_environment() -> None:
    job = parse_azureml(_source("job.yml", (
        "$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json\n"
        "type: pipeline\n"
        "settings:\n  default_compute: azureml:cpu-cluster\n"
        "jobs:\n"
        "  train:\n    type: command\n    command: python train.py\n    environment: azureml:env:3\n"
        "    environment_variables:\n      JAX_PLATFORMS: cpu\n"
        "  prep:\n    type: command\n    command: python prep.py\n    compute: azureml:gpu\n    environment:\n      image: python:3.11\n"
    )))
    assert job.role == "job" and job.problems == []
    train, prep = job.jobs
    assert train.compute is not None and train.compute[0] == "azureml:cpu-cluster" and train.compute[1].line == 4
    assert train.environment_ref is not None and train.environment_ref[0] == "azureml:env:3"
    assert [(n, v, loc.line) for n, v, loc in train.environment_variables] == [("JAX_PLATFORMS", "cpu", 11)]
    assert prep.environment is not None and prep.environment.image is not None and prep.environment.image[1].line == 17
    env = parse_azureml(_source("env.yml", "name: e\nversion: 2\nbuild:\n  path: ./ctx\n  dockerfile_path: gpu.Dockerfile\n"))
    assert env.role == "environment" and env.environment is not None
    assert env.environment.build_path is not None and env.environment.dockerfile_path == "gpu.Dockerfile"


def test_notebook_cells_magics_and_json_lines() -> None:
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Train\n"]},
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 1, "source": ["%env CUDA_VISIBLE_DEVICES=-1\n", "!pip install torch\n", "import torch\n"]},
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 2, "source": ["def broken(:\n"]},
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 3, "source": ["import tensorflow as tf\n", "tf.config.set_visible_devices([], 'GPU')"]},
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }
    text = json.dumps(notebook, indent=1)
    model = parse_notebook(_source("nb.ipynb", text))
    assert [(p.location.cell, p.location.cell_line) for p in model.problems] == [(3, 1)]
    writes = [(w.name, w.value, w.location.cell) for w in model.facts.env_writes]
    assert writes == [("CUDA_VISIBLE_DEVICES", "-1", 2)]
    call = model.facts.hide_gpu_calls[0]
    assert (call.cell, call.cell_line) == (4, 2)
    assert "set_visible_devices" in text.splitlines()[call.line - 1]
    assert call.evidence().startswith("nb.ipynb:cell 4:2: tf.config.set_visible_devices")
    v3 = {"nbformat": 3, "worksheets": [{"cells": [{"cell_type": "code", "input": ["import jax\n", "jax.config.update('jax_platform_name', 'cpu')\n"]}]}]}
    assert len(parse_notebook(_source("old.ipynb", json.dumps(v3))).facts.jax_cpu_configs) == 1
    assert parse_notebook(_source("bad.ipynb", "{not json")).problems[0].message.startswith("not a notebook")


def test_python_aliases_and_training_loop_scope() -> None:
    text = (
        "import os\nfrom os import environ\nimport tensorflow.compat.v1 as tf1\nfrom tensorflow import config as tfc\n"
        "tfc.set_visible_devices([], device_type='GPU')\n"
        "os.environ.update({'JAX_PLATFORMS': 'cpu'})\n"
        "def helper(t):\n    return t.cpu()\n"
        "for batch in loader:\n    loss = model(batch)\n    loss.backward()\n    optimizer.step()\n    log(lambda: loss.cpu())\n"
    )
    model = parse_python(_source("t.py", text))
    facts = model.facts
    assert [loc.line for loc in facts.hide_gpu_calls] == [5]
    assert [(w.name, w.value) for w in facts.env_writes] == [("JAX_PLATFORMS", "cpu")]
    assert len(facts.training_loops) == 1 and facts.training_loops[0].syncs == ()


def test_images_classification() -> None:
    def kind(ref: str) -> tuple[object, ...]:
        image = classify_image(ref, HERE)
        return image.kind, str(image.cuda) if image.cuda else None, image.cudnn, image.flavor

    assert kind("nvidia/cuda:12.4.1-cudnn-devel-ubuntu22.04") == ("cuda", "12.4", "9", "devel")
    assert kind("nvidia/cuda:11.8.0-runtime-ubuntu22.04") == ("cuda", "11.8", None, "runtime")
    assert kind("nvidia/cuda:10.1-cudnn7-runtime") == ("cuda", "10.1", "7", "runtime")
    assert kind("python:3.11-slim")[0] == "cpu"
    assert kind("tensorflow/tensorflow:2.15.0")[0] == "cpu"
    assert kind("tensorflow/tensorflow:2.15.0-gpu")[0] == "framework"
    assert kind("mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest")[0] == "cpu"
    assert kind("mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04")[:3] == ("cuda", "11.8", "8")
    assert kind("registry.example.com/team/trainer:1")[0] == "unknown"
    assert kind("${BASE_IMAGE}")[0] == "unknown"


def test_yaml_positions_and_errors() -> None:
    doc = load_yaml("a:\n  b:\n    - x\n    - y: 1\n")
    assert doc.line_of("a", "b", 1, "y") == 4 and doc.line_of("a", "missing") == 1
    try:
        load_yaml("a: [1, 2\nb: 3\n")
    except YamlError as exc:
        assert exc.line == 2
    else:  # pragma: no cover
        raise AssertionError("no error")
    bomb = "a: &a [" + ",".join(["x"] * 50) + "]\n" + "".join(f"b{i}: &b{i} [*{'a' if i == 0 else f'b{i - 1}'}, *{'a' if i == 0 else f'b{i - 1}'}]\n" for i in range(30))
    try:
        load_yaml(bomb)
    except YamlError as exc:
        assert "nodes" in exc.message
    else:  # pragma: no cover
        raise AssertionError("alias bomb accepted")


# ---------------------------------------------------------------------------------------------
# Property tests: readers of untrusted files never raise
# ---------------------------------------------------------------------------------------------

_DOCKER_WORDS = st.sampled_from([
    "FROM", "RUN", "ENV", "ARG", "COPY", "ADD", "pip", "install", "conda", "apt-get", "-r", "--index-url", "&&", "\\\n",
    "'", '"', "$", "${X:-y}", ">>", "~/.bashrc", "export", "LD_LIBRARY_PATH=/x", "[", "]", "AS", "nvidia/cuda:12.1.0-base-ubuntu22.04",
    "tensorflow==2.15", "=", "\n", " ", "#", "<<EOF", "cuda_12.1.0_530.30.02_linux.run", "sh",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), st.lists(_DOCKER_WORDS, max_size=60).map(" ".join)))
def test_dockerfile_reader_never_raises(text: str) -> None:
    model = parse_dockerfile(_source("Dockerfile", text))
    for stage in model.stages:
        assert stage.location.line >= 1
    model.runtime_stages()


_YAML_PIECES = st.sampled_from([
    "name: x\n", "dependencies:\n", "  - ", "pip:\n", "    - ", "python=3.10\n", "tensorflow==2.15\n", "{", "}", "[", "]",
    "&a ", "*a ", "<<: ", "!tag ", "command: python t.py\n", "environment:\n", "  image: python:3.11\n", "compute: x\n",
    "jobs:\n", "  a:\n", "    command: x\n", "resources:\n", "  instance_type: Standard_NC6\n", "distribution: {type: pytorch, process_count_per_instance: 3}\n",
    "environment_variables: {CUDA_VISIBLE_DEVICES: ''}\n", "conda_file: c.yml\n", "build: {path: .}\n", ": ", "- ", "\t", "'", '"', "\n", "--- \n", "...\n",
])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), st.lists(_YAML_PIECES, max_size=40).map("".join)))
def test_yaml_readers_never_raise(text: str) -> None:
    for name in ("environment.yml", "job.yml"):
        parse_conda_env(_source(name, text))
        parse_azureml(_source(name, text))


_REQ_PIECES = st.sampled_from([
    "torch", "==", "2.1.0", "+cpu", "[and-cuda]", ";", "python_version<'3.12'", "#", "-r", "-c", "--index-url", "-e", ".", "\\\n",
    "\n", " ", "https://x/y-1.0-py3-none-any.whl", "--hash=sha256:0", ">=", "<", ",", "~=", "@", "git+https://x", "=", "*",
])


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), st.lists(_REQ_PIECES, max_size=40).map("".join)))
def test_requirements_and_conda_spec_readers_never_raise(text: str) -> None:
    parse_requirements_text(text.splitlines(), lambda n: Location("r.txt", n))
    for line in text.splitlines() or [text]:
        parse_conda_spec(line, HERE)
        parse_pip_requirement(line, HERE)


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_pyproject_python_and_notebook_readers_never_raise(text: str) -> None:
    parse_pyproject(_source("pyproject.toml", text))
    parse_python(_source("t.py", text))
    parse_notebook(_source("n.ipynb", text))
    parse_notebook(_source("n.ipynb", json.dumps({"cells": [{"cell_type": "code", "source": text}], "nbformat": 4})))


SDK_ERROR = (
    'Validation for CommandSchema failed:\n\n {\n  "result": "Failed",\n  "errors": [\n    {\n      "message": '
    '"Validation for CommandJobSchema failed:\\n\\n {\\n  \\"distribution\\": [\\n    {\\n      '
    '\\"process_count_per_instance\\": [\\n        \\"Not a valid integer.\\"\\n      ]\\n    },\\n    {\\n      '
    '\\"type\\": [\\n        \\"Value \'pytorch\' passed is not in set [\'tensorflow\']\\"\\n      ]\\n    }\\n  ]\\n}",\n'
    '      "path": "*",\n      "location": "job.yml"\n    }\n  ]\n}'
)


def test_azure_ai_ml_schema_errors_become_one_finding(tmp_path: Path, monkeypatch: object) -> None:
    """With the azureml extra, azure-ai-ml's load_job judges the file; a fake SDK stands in for it here."""
    import importlib.machinery
    import sys
    import types

    from whygpu.lint.azureml import sdk_error_summary, validate_with_sdk

    assert sdk_error_summary(SDK_ERROR) == ("process_count_per_instance", "process_count_per_instance: Not a valid integer. (and 1 more problem)")
    fake = types.ModuleType("azure.ai.ml")
    fake.__spec__ = importlib.machinery.ModuleSpec("azure.ai.ml", None)

    def load_job(source: str) -> None:
        raise ValueError(SDK_ERROR)

    fake.load_job = load_job  # type: ignore[attr-defined]
    fake.load_environment = fake.load_compute = lambda source: None  # type: ignore[attr-defined]
    packages = {name: types.ModuleType(name) for name in ("azure", "azure.ai")}
    packages["azure.ai"].ml = fake  # type: ignore[attr-defined]
    packages["azure"].ai = packages["azure.ai"]  # type: ignore[attr-defined]
    for name, module in {**packages, "azure.ai.ml": fake}.items():
        monkeypatch.setitem(sys.modules, name, module)  # type: ignore[attr-defined]
    job = tmp_path / "job.yml"
    job.write_text("command: python t.py\ncompute: azureml:gpu\ndistribution:\n  type: pytorch\n  process_count_per_instance: lots\n")
    problems = validate_with_sdk(Source(job, "job.yml"), "job")
    assert [(p.location.line, p.message) for p in problems] == [(5, "azure-ai-ml schema: process_count_per_instance: Not a valid integer. (and 1 more problem)")]
    assert validate_with_sdk(Source(job, "job.yml"), "environment") == []


def test_without_the_sdk_only_yaml_is_checked(tmp_path: Path) -> None:
    from whygpu.lint.azureml import sdk_available, validate_with_sdk

    if sdk_available():  # pragma: no cover - the azureml extra is installed here
        return
    job = tmp_path / "job.yml"
    job.write_text("command: python t.py\ncompute: 3\n")
    assert validate_with_sdk(Source(job, "job.yml"), "job") == []


def test_library_modules_are_not_training_scripts(tmp_path: Path) -> None:
    """PY006/PY007 judge scripts that train or run a model, not library code that wraps modules."""
    from whygpu.lint.engine import lint
    from whygpu.lint.policy import LintConfig

    (tmp_path / "wrappers.py").write_text(
        "import torch\nfrom torch import nn\n\nclass Wrapper(nn.Module):\n    pass\n\n"
        "def wrap(module):\n    offload = torch.device('cpu')\n    wrapped = Wrapper(module)\n    return wrapped, offload\n"
    )
    # A demo that builds and calls a model without training it (FX tracing, TorchScript export) is not judged.
    (tmp_path / "trace.py").write_text("import torch\nfrom torch import nn\n\nclass Net(nn.Module):\n    pass\n\nmodel = Net()\nprint(model(torch.zeros(1)))\n")
    (tmp_path / "train.py").write_text("import torch\nfrom torch import nn\n\nclass Net(nn.Module):\n    pass\n\nmodel = Net()\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n")
    report = lint(["."], config=LintConfig(azureml_schema=False), cwd=tmp_path)
    assert [(f.id, _loc(f).file) for f in report.findings] == [("PY006", "train.py")]


def test_notebook_install_lines_are_an_environment(tmp_path: Path) -> None:
    from whygpu.lint.engine import lint
    from whygpu.lint.policy import LintConfig

    notebook = {
        "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": [
            "!pip install -q tensorflow-gpu==2.12.0\n",
            "%pip install torch --index-url https://download.pytorch.org/whl/cpu\n",
            "!conda install -y -c conda-forge tensorflow-cpu\n",
            "import torch",
        ]}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }
    (tmp_path / "train.ipynb").write_text(json.dumps(notebook, indent=1))
    report = lint(["."], config=LintConfig(azureml_schema=False), cwd=tmp_path)
    found = sorted((f.id, _loc(f).cell, _loc(f).cell_line) for f in report.findings)
    assert found == [("DEP001", 1, 1), ("DEP002", 1, 3), ("DEP007", 1, 2)]


def test_packages_left_out_on_linux_are_ignored(tmp_path: Path) -> None:
    """GPU jobs run on Linux: a +cpu torch only for macOS, or uv's CPU index only off Linux, is fine."""
    from whygpu.lint.engine import lint
    from whygpu.lint.policy import LintConfig

    (tmp_path / "requirements.txt").write_text('torch==2.3.1+cpu ; sys_platform == "darwin"\ntorch==2.3.1 ; sys_platform == "linux"\n')
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nversion = "1"\ndependencies = ["torch==2.3.1"]\n'
        '[[tool.uv.index]]\nname = "pytorch-cpu"\nurl = "https://download.pytorch.org/whl/cpu"\nexplicit = true\n'
        '[[tool.uv.index]]\nname = "pytorch-cu121"\nurl = "https://download.pytorch.org/whl/cu121"\nexplicit = true\n'
        '[tool.uv.sources]\ntorch = [\n  { index = "pytorch-cpu", marker = "sys_platform != \'linux\'" },\n'
        '  { index = "pytorch-cu121", marker = "sys_platform == \'linux\'" },\n]\n'
    )
    report = lint(["."], config=LintConfig(azureml_schema=False), cwd=tmp_path)
    assert report.findings == []
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nversion = "1"\ndependencies = ["torch==2.3.1"]\n'
        '[[tool.uv.index]]\nname = "pytorch-cpu"\nurl = "https://download.pytorch.org/whl/cpu"\nexplicit = true\n'
        '[tool.uv.sources]\ntorch = { index = "pytorch-cpu" }\n'
    )
    report = lint(["."], config=LintConfig(azureml_schema=False), cwd=tmp_path)
    assert [(f.id, _loc(f).file, _loc(f).line) for f in report.findings] == [("DEP007", "pyproject.toml", 7)]


def test_unresolved_compute_is_reported_as_unknown(tmp_path: Path) -> None:
    from whygpu.lint.engine import lint
    from whygpu.lint.policy import LintConfig

    (tmp_path / "job.yml").write_text("command: python train.py\nenvironment: azureml:AzureML-acpt-pytorch-2.2-cuda12.1@latest\ncompute: azureml:gpu-cluster\n")
    report = lint(["."], config=LintConfig(azureml_schema=False), cwd=tmp_path)
    assert report.findings == []
    assert any("'gpu-cluster'" in line and "VM size is unknown" in line for line in report.details["unknown"])


def test_dockerfile_heredocs_and_unknown_instructions() -> None:
    text = (
        "# syntax=docker/dockerfile:1\nFROM python:3.11\nRUN <<EOF\npip install torch --index-url https://download.pytorch.org/whl/cpu\n"
        'echo "export LD_LIBRARY_PATH=/usr/local/cuda/lib64" >> ~/.bashrc\nEOF\nCOPY <<-CONF /etc/app.conf\n\tkey=1\n\tCONF\nRUNN true\n'
    )
    model = parse_dockerfile(_source("Dockerfile", text))
    stage = model.stages[0]
    assert [(p.name, p.location.line) for p in stage.pip.packages] == [("torch", 4)]
    assert [(e.name, e.how, e.location.line) for e in stage.env] == [("LD_LIBRARY_PATH", "startup file", 5)]
    assert [(p.location.line, p.message) for p in model.problems] == [(10, "unknown instruction RUNN: docker build stops here")]


def test_a_specifier_packaging_rejects_inside_a_requirement_is_a_bad_line_not_a_crash() -> None:
    # Found by hypothesis: packaging raises InvalidSpecifier, not InvalidRequirement, for this line.
    from whygpu.lint.interface import ParseProblem

    problem = parse_pip_requirement("torch====,torch", HERE)
    assert isinstance(problem, ParseProblem)
    assert problem.message.startswith("not a valid requirement: 'torch====,torch'")
