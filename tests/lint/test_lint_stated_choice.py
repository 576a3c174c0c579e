"""Three classes from the held-out-10 first run (bench/lint_corpus_results.md), each rebuilt as minimal files of our own:
a CPU choice the files themselves state is deliberate (a reason comment, a CPU variant beside its GPU variant, JAX
simulating several devices on the host) is a note, never an error; a notebook that never mentions a GPU does not take
the GPU intent of an environment that is about the project's other code; and what an open ``tensorflow-gpu`` resolves
to (the 2.12 error stub, never a newer tensorflow)."""

from __future__ import annotations

import json
from pathlib import Path

from lint_cases import write

from whygpu.lint.engine import lint
from whygpu.lint.frameworks import tensorflow_install
from whygpu.lint.interface import Location
from whygpu.lint.packages import parse_pip_arguments
from whygpu.lint.policy import LintConfig

CONFIG = LintConfig(azureml_schema=False)
TF_GPU_IMAGE = "FROM tensorflow/tensorflow:2.15.0-gpu\nCOPY . /app\n"
KERAS_FIT = "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(4)])\nmodel.compile('sgd', 'mse')\n"


def _found(root: Path, files: dict[str, str], rule: str) -> list[tuple[str, str, int]]:
    report = lint(["."], config=CONFIG, cwd=write(root, files))
    return sorted((f.severity.value, f.location.file if f.location else "", f.location.line if f.location else 0) for f in report.findings if f.id == rule)


def _notebook(*cells: str | tuple[str, str], outputs: int = 0) -> str:
    """A notebook written as Jupyter writes it (one source line per JSON line); ``outputs`` stream lines after each code cell."""
    rows = []
    for cell in cells:
        kind, text = cell if isinstance(cell, tuple) else ("code", cell)
        row: dict[str, object] = {"cell_type": kind, "metadata": {}, "source": text.splitlines(keepends=True)}
        if kind == "code":
            row.update(execution_count=None, outputs=[{"name": "stdout", "output_type": "stream", "text": [f"epoch {i}\n" for i in range(outputs)]}])
        rows.append(row)
    return json.dumps({"cells": rows, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)


def _json_line(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th JSON line that holds ``needle``."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


# ------------------------------------------------------------------------------ (a) a CPU choice the files state


FIT_ON_CPU = "with tf.device('/CPU:0'):\n    model.fit(x, y, epochs=2)\n"


def test_a_reason_comment_in_a_notebook_cell_makes_a_cpu_block_a_note(tmp_path: Path) -> None:
    said = _notebook(KERAS_FIT, "# the GPU runs out of memory on this graph, so fit on the CPU\n" + FIT_ON_CPU)
    found = _found(tmp_path / "said", {"Dockerfile": TF_GPU_IMAGE, "train.ipynb": said}, "PY001")
    assert found == [("info", "train.ipynb", _json_line(said, "tf.device"))]
    silent = _notebook(KERAS_FIT, "# fit the model\n" + FIT_ON_CPU)
    assert _found(tmp_path / "silent", {"Dockerfile": TF_GPU_IMAGE, "train.ipynb": silent}, "PY001") == [("error", "train.ipynb", _json_line(silent, "tf.device"))]


def test_a_to_do_comment_is_no_statement_of_intent(tmp_path: Path) -> None:
    todo = _notebook(KERAS_FIT, "# TODO: cpu for now, move back to the gpu\n" + FIT_ON_CPU)
    assert [s for s, _, _ in _found(tmp_path, {"Dockerfile": TF_GPU_IMAGE, "train.ipynb": todo}, "PY001")] == ["error"]


def test_a_finding_in_a_notebook_points_at_its_cell_line_past_long_outputs(tmp_path: Path) -> None:
    # Thousands of output lines between two cells: the second cell's line is still found in the file.
    text = _notebook(KERAS_FIT, "x = 1\n", FIT_ON_CPU, outputs=6000)
    found = _found(tmp_path, {"Dockerfile": TF_GPU_IMAGE, "train.ipynb": text}, "PY001")
    assert found == [("error", "train.ipynb", _json_line(text, "tf.device"))]
    assert found[0][2] > 12000


JAX_ON_HOST = "import os\nimport jax\njax.config.update('jax_platforms', 'cpu')\n{flag}print(jax.devices())\n"
GPU_SLURM = "#!/bin/bash\n#SBATCH --gres=gpu:4\npython sweep.py\n"


def test_jax_simulating_several_host_devices_is_a_cpu_choice(tmp_path: Path) -> None:
    flag = "os.environ['XLA_FLAGS'] = '--xla_force_host_platform_device_count=16'\n"
    simulated = {"job.sbatch": GPU_SLURM, "sweep.py": JAX_ON_HOST.format(flag=flag)}
    assert _found(tmp_path / "sim", simulated, "PY005") == [("info", "sweep.py", 3)]
    plain = {"job.sbatch": GPU_SLURM, "sweep.py": JAX_ON_HOST.format(flag="")}
    assert _found(tmp_path / "plain", plain, "PY005") == [("error", "sweep.py", 3)]


CUDA_TORCH_IMAGE = "FROM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime\nRUN pip install --force-reinstall torch --index-url https://download.pytorch.org/whl/cpu\nCOPY train.py .\n"
GPU_TORCH = "import torch\nmodel = torch.nn.Linear(3, 1).to('cuda')\n"


def test_a_cpu_variant_beside_its_gpu_variant_is_a_note(tmp_path: Path) -> None:
    gpu_variant = "FROM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime\nCOPY train.py .\n"
    files = {"Dockerfile.cpu": CUDA_TORCH_IMAGE, "Dockerfile.gpu": gpu_variant, "train.py": GPU_TORCH}
    assert _found(tmp_path / "files", files, "DF006") == [("info", "Dockerfile.cpu", 2)]
    folders = {"docker/cpu/Dockerfile": CUDA_TORCH_IMAGE, "docker/gpu/Dockerfile": gpu_variant, "train.py": GPU_TORCH}
    assert _found(tmp_path / "folders", folders, "DF006") == [("info", "docker/cpu/Dockerfile", 2)]


def test_a_cpu_file_installed_by_the_gpu_variant_is_a_mix_up_not_a_choice(tmp_path: Path) -> None:
    gpu_image = "FROM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime\nCOPY requirements-cpu.txt .\nRUN pip install -r requirements-cpu.txt\n"
    requirements = "--index-url https://download.pytorch.org/whl/cpu\ntorch==2.3.1+cpu\n"
    files = {"Dockerfile.gpu": gpu_image, "requirements-cpu.txt": requirements, "requirements-gpu.txt": "torch==2.3.1\n", "train.py": GPU_TORCH}
    found = [f for f in lint(["."], config=CONFIG, cwd=write(tmp_path, files)).findings if f.location and f.location.file == "requirements-cpu.txt"]
    assert found and all(f.severity.value == "error" for f in found)


def test_a_cpu_name_without_a_gpu_variant_or_a_plain_name_says_nothing(tmp_path: Path) -> None:
    assert _found(tmp_path / "alone", {"Dockerfile.cpu": CUDA_TORCH_IMAGE, "train.py": GPU_TORCH}, "DF006") == [("error", "Dockerfile.cpu", 2)]
    # "cpuinfo" is not a name for the CPU variant.
    named = {"Dockerfile": CUDA_TORCH_IMAGE, "Dockerfile.cpuinfo": "FROM ubuntu:22.04\n", "Dockerfile.gpuinfo": "FROM ubuntu:22.04\n", "train.py": GPU_TORCH}
    assert _found(tmp_path / "plain", named, "DF006") == [("error", "Dockerfile", 2)]


# ------------------------------------------------------------------------------ (b) the scope of a GPU intent for a notebook


TORCH_TRAINED = (
    "import torch\nfrom torch import nn\nmodel = nn.Linear(8, 2)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
    "for step in range(10):\n    loss = model(torch.randn(4, 8)).sum()\n    loss.backward()\n    optimizer.step()\n"
)
GPU_PROJECT = {"Dockerfile": "FROM nvcr.io/nvidia/pytorch:24.01-py3\n", "main.py": "import torch\nmodel = torch.nn.Linear(3, 1).to('cuda')\n"}


def test_a_notebook_that_never_mentions_a_gpu_does_not_take_the_projects_intent(tmp_path: Path) -> None:
    notes = _notebook(("markdown", "# Chapter 1: a first model\n"), TORCH_TRAINED)
    assert [s for s, _, _ in _found(tmp_path, {**GPU_PROJECT, "notes/alice/chapter1.ipynb": notes}, "PY006")] == ["info"]


def test_a_notebook_that_mentions_a_gpu_or_sits_beside_the_environment_takes_it(tmp_path: Path) -> None:
    said = _notebook(("markdown", "Run this on an NVIDIA GPU.\n"), TORCH_TRAINED)
    assert [s for s, _, _ in _found(tmp_path / "said", {**GPU_PROJECT, "notes/alice/chapter1.ipynb": said}, "PY006")] == ["error"]
    plain = _notebook(TORCH_TRAINED)
    assert [s for s, _, _ in _found(tmp_path / "beside", {**GPU_PROJECT, "chapter1.ipynb": plain}, "PY006")] == ["error"]
    # A notebook that hides the GPU names it: the project's GPU is the one it hides.
    hides = _notebook("import os\nos.environ['CUDA_VISIBLE_DEVICES'] = '-1'\n", TORCH_TRAINED)
    assert [s for s, _, _ in _found(tmp_path / "hides", {**GPU_PROJECT, "notes/alice/chapter1.ipynb": hides}, "PY003")] == ["error"]
    # A script is run in the project's environment: it still takes the intent.
    assert [s for s, _, _ in _found(tmp_path / "script", {**GPU_PROJECT, "notes/alice/chapter1.py": TORCH_TRAINED}, "PY006")] == ["error"]


# ------------------------------------------------------------------------------ (c) what an open tensorflow-gpu resolves to


def _install(spec: str):  # type: ignore[no-untyped-def]
    location = Location("requirements.txt", 1)
    return tensorflow_install(parse_pip_arguments([spec], location).packages[0])


def test_an_open_tensorflow_gpu_resolves_to_its_stub_not_a_newer_tensorflow() -> None:
    stub = _install("tensorflow-gpu")
    assert stub.stub and stub.cuda is None and str(stub.version) == "2.12"
    older = _install("tensorflow-gpu<2.12")
    assert not older.stub and str(older.version) == "2.11" and older.cuda is not None and older.cuda.major == 11
    assert not _install("tensorflow").stub and _install("tensorflow").version > stub.version  # type: ignore[operator]


def test_dep009_does_not_give_tensorflow_gpu_the_cuda_of_a_newer_tensorflow(tmp_path: Path) -> None:
    image = "FROM nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04\nRUN apt-get update && apt-get install -y python3-pip\nRUN pip install {spec}\n"
    files = {"Dockerfile": image.format(spec="tensorflow-gpu"), "train.py": KERAS_FIT}
    assert _found(tmp_path / "gpu", files, "DEP009") == []
    assert [s for s, _, _ in _found(tmp_path / "gpu2", files, "DF004")] == ["error"]
    plain = {"Dockerfile": image.format(spec="tensorflow"), "train.py": KERAS_FIT}
    assert _found(tmp_path / "plain", plain, "DEP009") == [("error", "Dockerfile", 3)]


# ------------------------------------------------------------------------------ DF003: a CUDA image without cuDNN


JAXLIB_CUDA = "RUN pip install jaxlib==0.3.25+cuda11.cudnn82 {jax} -f https://storage.googleapis.com/jax-releases/jax_cuda_releases.html\n"
JAX_CODE = "import jax\nprint(jax.devices())\n"


def test_df003_a_cuda_jaxlib_needs_the_systems_cudnn(tmp_path: Path) -> None:
    image = "FROM nvidia/cuda:11.7.1-devel-ubuntu22.04\nRUN apt-get update && apt-get install -y python3-pip\n" + JAXLIB_CUDA
    assert _found(tmp_path / "plain", {"Dockerfile": image.format(jax="jax==0.3.25"), "run.py": JAX_CODE}, "DF003") == [("error", "Dockerfile", 1)]
    assert _found(tmp_path / "extra", {"Dockerfile": image.format(jax="jax[cuda11_cudnn82]"), "run.py": JAX_CODE}, "DF003") == [("error", "Dockerfile", 1)]


def test_df003_is_quiet_where_cudnn_comes_with_the_image_or_with_pip_wheels(tmp_path: Path) -> None:
    with_cudnn = "FROM nvidia/cuda:11.7.1-cudnn8-devel-ubuntu22.04\n" + JAXLIB_CUDA.format(jax="jax==0.3.25")
    assert _found(tmp_path / "image", {"Dockerfile": with_cudnn, "run.py": JAX_CODE}, "DF003") == []
    pip_wheels = "FROM nvidia/cuda:11.7.1-devel-ubuntu22.04\n" + JAXLIB_CUDA.format(jax="jax[cuda11_pip]")
    assert _found(tmp_path / "pip", {"Dockerfile": pip_wheels, "run.py": JAX_CODE}, "DF003") == []
    # PyTorch's CUDA wheels bring their own cuDNN (nvidia-cudnn-cu12): nothing is loaded from the image.
    torch = "FROM nvidia/cuda:12.1.1-runtime-ubuntu22.04\nRUN pip install torch==2.3.1\n"
    assert _found(tmp_path / "torch", {"Dockerfile": torch, "train.py": GPU_TORCH}, "DF003") == []
    and_cuda = "FROM nvidia/cuda:12.3.2-runtime-ubuntu22.04\nRUN pip install 'tensorflow[and-cuda]==2.16.1'\n"
    assert _found(tmp_path / "and-cuda", {"Dockerfile": and_cuda, "train.py": KERAS_FIT}, "DF003") == []
    plain = "FROM nvidia/cuda:12.3.2-runtime-ubuntu22.04\nRUN pip install tensorflow==2.16.1\n"
    assert _found(tmp_path / "plain-tf", {"Dockerfile": plain, "train.py": KERAS_FIT}, "DF003") == [("error", "Dockerfile", 1)]


def test_df003_reports_a_missing_cudnn_beside_a_cuda_major_the_image_lacks(tmp_path: Path) -> None:
    # Unpinned tensorflow on a CUDA 11 runtime image: DEP009 reports the CUDA major, DF003 the cuDNN that a release
    # built for CUDA 11 would still need.
    image = "FROM nvidia/cuda:11.8.0-runtime-ubuntu22.04\nRUN apt-get update && apt-get install -y python3-pip\nRUN pip install tensorflow\n"
    files = {"Dockerfile": image, "train.py": KERAS_FIT}
    assert _found(tmp_path, files, "DF003") == [("error", "Dockerfile", 1)]
    assert _found(tmp_path / "b", files, "DEP009") == [("error", "Dockerfile", 3)]
