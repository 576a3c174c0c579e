"""GPU intent (whygpu.lint.intent): what states that an environment or a program is meant for a GPU, and how that
gates the findings that only matter if one is. The shapes come from the held-out corpora (bench/lint_corpus.toml,
sets held-out-6 and held-out-7), rebuilt as minimal files of our own."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lint_cases import write

from whygpu.lint.engine import lint, parse_files
from whygpu.lint.gpurequest import GpuRequestModel, find_requests
from whygpu.lint.intent import GpuIntent, gated_severity, program_intent
from whygpu.lint.interface import Source
from whygpu.lint.policy import LintConfig
from whygpu.lint.project import build_project
from whygpu.lint.python import PythonModel
from whygpu.model import Confidence, Severity

CONFIG = LintConfig(azureml_schema=False)

GPU_COMPOSE = (
    "services:\n  trainer:\n    build: .\n    command: python train.py\n    deploy:\n      resources:\n        reservations:\n"
    "          devices:\n            - driver: nvidia\n              count: 1\n              capabilities: [gpu]\n"
)
CPU_COMPOSE = "services:\n  trainer:\n    build: .\n    command: python train.py\n  mlflow:\n    image: ghcr.io/mlflow/mlflow\n"
# A small CNN trained with an optimizer and never moved to a device (PY006's shape).
TORCH_ON_CPU = (
    "import torch\nfrom torch import nn\n\n"
    "model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.Flatten(), nn.LazyLinear(10))\n"
    "optimizer = torch.optim.Adam(model.parameters())\n"
    "for x, y in loader:\n    loss = nn.functional.cross_entropy(model(x), y)\n    loss.backward()\n    optimizer.step()\n"
)


def _found(root: Path, files: dict[str, str], rule: str, config: LintConfig = CONFIG) -> list[tuple[str, str, int]]:
    report = lint(["."], config=config, cwd=write(root, files))
    return sorted((f.severity.value, f.location.file if f.location else "", f.location.line if f.location else 0) for f in report.findings if f.id == rule)


def _requests(root: Path, name: str, text: str) -> list[str]:
    files, _ = parse_files(["."], CONFIG, write(root, {name: text}))
    return [r.what for f in files if isinstance(f, GpuRequestModel) for r in f.requests]


# ------------------------------------------------------------------------------ the reader of GPU requests


@pytest.mark.parametrize(
    ("name", "text", "what"),
    [
        ("docker-compose.yml", GPU_COMPOSE, "a Compose service reserves NVIDIA devices"),
        ("compose.yaml", "services:\n  app:\n    image: app\n    runtime: nvidia\n", "a Compose service runs with the NVIDIA runtime"),
        ("k8s/job.yaml", "spec:\n  containers:\n    - name: t\n      resources:\n        limits:\n          nvidia.com/gpu: 2\n", "a Kubernetes container requests nvidia.com/gpu"),
        (".github/workflows/train.yml", "jobs:\n  train:\n    runs-on: [self-hosted, gpu]\n", "a CI job runs on a GPU runner"),
        ("Makefile", "train:\n\tdocker run --gpus all -v $(PWD):/src img python train.py\n", "a container is run with --gpus"),
        ("run.sh", "nvidia-docker run --rm -it img\n", "a container is run with nvidia-docker"),
        ("train.sbatch", "#!/bin/bash\n#SBATCH --job-name=t\n#SBATCH --gres=gpu:1\npython train.py\n", "a Slurm job asks for a GPU"),
        ("install.sh", "pip install torch --index-url https://download.pytorch.org/whl/cu118\n", "an install script installs a CUDA build of a framework"),
        ("setup.sh", "conda install -y pytorch torchvision pytorch-cuda=12.1 -c pytorch -c nvidia\n", "an install script installs CUDA with conda"),
    ],
)
def test_files_that_ask_for_a_gpu_are_read(tmp_path: Path, name: str, text: str, what: str) -> None:
    assert what in _requests(tmp_path, name, text)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("docker-compose.yml", CPU_COMPOSE),  # no runtime, no device reservation
        ("k8s/job.yaml", "resources:\n  limits:\n    nvidia.com/gpu: 0\n"),  # zero GPUs asks for none
        ("README.md", "Training is faster on a GPU; check nvidia-smi.\n"),  # a GPU named, nothing run on one
        ("run.sh", "docker run --rm img python train.py  # gpus are optional\n"),
        ("cpu.sbatch", "#!/bin/bash\n#SBATCH --cpus-per-task=4\n#SBATCH --partition=cpu\npython train.py\n"),
        ("install.sh", "pip install torch --index-url https://download.pytorch.org/whl/cpu\n"),
    ],
)
def test_files_that_ask_for_no_gpu_are_not_requests(tmp_path: Path, name: str, text: str) -> None:
    assert _requests(tmp_path, name, text) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_the_request_reader_takes_any_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "compose.yaml"
    path.write_text(text, encoding="utf-8")
    for request in find_requests(Source(path, "compose.yaml")):
        assert 1 <= request.location.line <= max(1, text.count("\n") + 1)


# ------------------------------------------------------------------------------ the decision


def test_the_gate_keeps_errors_only_where_a_gpu_is_meant() -> None:
    meant = GpuIntent("gpu", Confidence.HIGH, "x")
    chosen = GpuIntent("cpu", Confidence.HIGH, "x")
    unknown = GpuIntent("unknown", Confidence.LOW, "x")
    assert [gated_severity(Severity.ERROR, i) for i in (meant, unknown, chosen)] == [Severity.ERROR, Severity.INFO, Severity.INFO]
    # Code that itself forces the CPU (tf.device('/CPU:0'), CUDA_VISIBLE_DEVICES=-1) stays a warning where nothing says.
    assert [gated_severity(Severity.ERROR, i, explicit=True) for i in (meant, unknown, chosen)] == [Severity.ERROR, Severity.WARNING, Severity.INFO]
    assert [gated_severity(Severity.WARNING, i, weighing=True) for i in (meant, unknown, chosen)] == [Severity.WARNING, Severity.INFO, Severity.INFO]


def _program(root: Path, files: dict[str, str], name: str) -> GpuIntent:
    parsed, _ = parse_files(["."], CONFIG, write(root, files))
    project = build_project(root, parsed)
    program = next(f for f in project.python if isinstance(f, PythonModel) and f.display == name)
    return program_intent(project, program)


def test_what_makes_a_program_meant_for_a_gpu(tmp_path: Path) -> None:
    notebook = '{"cells": [{"cell_type": "code", "source": ["import torch"], "metadata": {}, "outputs": []}], "metadata": {"accelerator": "GPU"}, "nbformat": 4, "nbformat_minor": 5}'
    assert _program(tmp_path / "a", {"nb.ipynb": notebook}, "nb.ipynb").confidence is Confidence.HIGH
    assert _program(tmp_path / "b", {"t.py": "import torch\nx = torch.zeros(3, device='cuda')\n"}, "t.py").state == "gpu"
    assert _program(tmp_path / "c", {"t.py": "import lightning\nimport torch\n"}, "t.py").state == "gpu"
    mps = "import torch\ndevice = 'mps' if torch.backends.mps.is_available() else 'cpu'\nmodel = torch.nn.Linear(2, 2).to(device)\n"
    assert _program(tmp_path / "e", {"t.py": mps}, "t.py").state == "gpu"
    covered = _program(tmp_path / "d", {"Dockerfile": "FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\n", "src/t.py": "import torch\n"}, "src/t.py")
    assert covered.state == "gpu" and "nvidia/cuda" in covered.evidence


def test_what_does_not_make_a_program_meant_for_a_gpu(tmp_path: Path) -> None:
    # A sibling's CUDA image covers only its own folder; NVIDIA_VISIBLE_DEVICES in a python image asks for nothing.
    sibling = {"serve/Dockerfile": "FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\n", "train/t.py": "import torch\n"}
    assert _program(tmp_path / "a", sibling, "train/t.py").state == "unknown"
    env_only = {"Dockerfile": "FROM python:3.8\nRUN pip install torch\nENV NVIDIA_VISIBLE_DEVICES all\n", "t.py": "import torch\n"}
    assert _program(tmp_path / "b", env_only, "t.py").state == "unknown"
    notebook = '{"cells": [], "metadata": {"accelerator": "None"}, "nbformat": 4, "nbformat_minor": 5}'
    assert _program(tmp_path / "c", {"nb.ipynb": notebook}, "nb.ipynb").state == "unknown"


# ------------------------------------------------------------------------------ rules gated by intent


def test_a_model_on_the_cpu_in_a_project_that_offers_no_gpu_is_a_note(tmp_path: Path) -> None:
    # liveleisurely/mlflow_test's shape: a slim Python image, a compose file that reserves no GPU.
    files = {"Dockerfile": "FROM python:3.11-slim\nRUN pip install torch\n", "docker-compose.yml": CPU_COMPOSE, "train.py": TORCH_ON_CPU}
    assert _found(tmp_path, files, "PY006") == [("info", "train.py", 4)]


def test_a_model_on_the_cpu_where_compose_reserves_a_gpu_is_an_error(tmp_path: Path) -> None:
    files = {"Dockerfile": "FROM python:3.11-slim\nRUN pip install torch\n", "docker-compose.yml": GPU_COMPOSE, "train.py": TORCH_ON_CPU}
    assert _found(tmp_path, files, "PY006") == [("error", "train.py", 4)]


def test_a_cpu_pin_with_its_cuda_alternative_commented_out_is_a_note(tmp_path: Path) -> None:
    # sweetbrulee/fasmad-streamlit's shape: +cpu pins chosen for a CPU host, the +cu111 lines kept as comments.
    requirements = "# torch==1.9.0+cu111\n# torchvision==0.10.0+cu111\n-f https://download.pytorch.org/whl/torch_stable.html\ntorch==1.9.0+cpu\n"
    code = "import torch\nmodel = torch.hub.load('ultralytics/yolov5', 'yolov5s').cuda()\n"
    assert _found(tmp_path, {"requirements.txt": requirements, "app.py": code}, "DEP007") == [("info", "requirements.txt", 4)]


def test_a_cpu_pin_under_code_that_wants_cuda_is_still_an_error(tmp_path: Path) -> None:
    # tongch8819/DMVB's shape: no commented alternative, and the script beside it puts its work on CUDA.
    requirements = "-f https://download.pytorch.org/whl/torch_stable.html\ntorch==1.9.0+cpu\n"
    code = "import torch\nmodel = torch.hub.load('ultralytics/yolov5', 'yolov5s').cuda()\n"
    assert _found(tmp_path, {"requirements.txt": requirements, "app.py": code}, "DEP007") == [("error", "requirements.txt", 2)]


TF_ON_CUDNN8 = "FROM nvidia/cuda:12.1.0-cudnn8-runtime-ubuntu22.04\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"


def test_a_framework_no_script_imports_is_there_for_a_tool(tmp_path: Path) -> None:
    # jiuyue1123/LAM_Audio2Expression's shape: the GPU is PyTorch's; unpinned tensorflow comes in for spleeter.
    files = {"Dockerfile": TF_ON_CUDNN8, "requirements.txt": "torch\ntensorflow\nspleeter\n", "infer.py": "import torch\nmodel = torch.nn.Linear(2, 2).cuda()\n"}
    assert _found(tmp_path, files, "DF010") == [("info", "Dockerfile", 1)]


def test_a_framework_the_code_imports_keeps_the_error(tmp_path: Path) -> None:
    files = {"Dockerfile": TF_ON_CUDNN8, "requirements.txt": "torch\ntensorflow\n", "infer.py": "import tensorflow as tf\nmodel = tf.keras.Sequential()\n"}
    assert _found(tmp_path, files, "DF010") == [("error", "Dockerfile", 1)]


def test_a_comment_that_turns_the_gpu_off_is_a_statement(tmp_path: Path) -> None:
    # flamearrow/ml's shape: a deliberate CPU run, with the reason in a comment.
    script = "import os\nimport tensorflow as tf\n\ndef main():\n    # disable gpu as it gets OOM\n    os.environ['CUDA_VISIBLE_DEVICES'] = '-1'\n    train()\n"
    assert _found(tmp_path / "a", {"train.py": script}, "PY003") == [("info", "train.py", 6)]
    # A comment that calls the line a leftover states no intent: the rule keeps its level.
    leftover = script.replace("disable gpu as it gets OOM", "left over from debugging, disable gpu")
    assert _found(tmp_path / "b", {"train.py": leftover, "Dockerfile": "FROM tensorflow/tensorflow:2.16.1-gpu\n"}, "PY003") == [("error", "train.py", 6)]


PHOTOS = (
    "import os\nimport torch\nfrom PIL import Image\nfrom torch.utils.data import DataLoader, Dataset\nfrom torchvision import transforms\n\n"
    "class Photos(Dataset):\n    def __getitem__(self, i):\n        return self.tf(Image.open(self.files[i])), 0\n\n"
    "tf = transforms.Compose([transforms.RandomResizedCrop(64), transforms.ToTensor()])\n"
    "loader = DataLoader(Photos(), batch_size=64)\n"
    "model = torch.nn.Linear(10, 2){move}\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
    "for x, y in loader:\n    loss = model(x{batch}).sum()\n    loss.backward()\n    opt.step()\n"
)


def test_a_weighing_rule_warns_only_where_a_gpu_is_meant(tmp_path: Path) -> None:
    on_gpu = PHOTOS.format(move=".to('cuda')", batch=".to('cuda')")
    assert _found(tmp_path / "a", {"train.py": on_gpu}, "PY009") == [("warning", "train.py", 12)]
    # The same loader in a program that asks for no GPU and an environment that states none: a note.
    assert _found(tmp_path / "b", {"train.py": PHOTOS.format(move="", batch="")}, "PY009") == [("info", "train.py", 12)]


NGC_TF = "FROM nvcr.io/nvidia/tensorflow:21.03-tf2-py3\nRUN pip install torch==1.8.1+cpu torchvision==0.9.1+cpu -f https://download.pytorch.org/whl/torch_stable.html\n"
TRANSFORMS = "from PIL import Image\nfrom torchvision import transforms\nimg = transforms.Resize((64, 64))(Image.open('a.png'))\n"


def test_a_cpu_torch_in_another_frameworks_gpu_image_that_nothing_asks_for_cuda_is_not_an_error(tmp_path: Path) -> None:
    # ryoma-jp/samples' shape (held-out-8): torchvision resizes PIL images in an NGC TensorFlow image.
    assert _found(tmp_path, {"Dockerfile": NGC_TF, "resize.py": TRANSFORMS}, "DF006") == [("info", "Dockerfile", 2)]


def test_a_cpu_torch_in_another_frameworks_gpu_image_that_the_code_puts_on_cuda_stays_an_error(tmp_path: Path) -> None:
    code = TRANSFORMS + "import torch\nmodel = torch.nn.Linear(2, 2).cuda()\n"
    assert _found(tmp_path, {"Dockerfile": NGC_TF, "train.py": code}, "DF006") == [("error", "Dockerfile", 2)]
    # In a plain CUDA image the GPU is meant for whatever framework the project runs: still an error.
    cuda = NGC_TF.replace("nvcr.io/nvidia/tensorflow:21.03-tf2-py3", "nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04")
    assert _found(tmp_path / "cuda", {"Dockerfile": cuda, "resize.py": TRANSFORMS}, "DF006") == [("error", "Dockerfile", 2)]


# ------------------------------------------------------------------------------ the scope of a stated intent


def _notebook(*cells: str) -> str:
    """A minimal notebook of code cells."""
    import json

    return json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": c.splitlines(keepends=True)} for c in cells],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)


CONDA_CUDA_README = "## Install\n\nconda install pytorch torchvision pytorch-cuda=12.1 -c pytorch -c nvidia\n"
GPU_CHECK = "import torch\nprint(torch.cuda.is_available())\n"


def test_a_readme_beside_other_code_does_not_speak_for_a_sibling_folder(tmp_path: Path) -> None:
    # A folder of tutorials: one folder tests the GPU and documents a CUDA install; the tutorials beside it are CPU examples.
    files = {"gpucheck/README.md": CONDA_CUDA_README, "gpucheck/check.py": GPU_CHECK, "tutorials/basics/train.py": TORCH_ON_CPU}
    assert _found(tmp_path, files, "PY006") == [("info", "tutorials/basics/train.py", 4)]


def test_a_readme_speaks_for_the_code_at_and_below_its_folder(tmp_path: Path) -> None:
    files = {"gpucheck/README.md": CONDA_CUDA_README, "gpucheck/check.py": GPU_CHECK, "gpucheck/train/train.py": TORCH_ON_CPU}
    assert _found(tmp_path, files, "PY006") == [("error", "gpucheck/train/train.py", 4)]
    root = tmp_path / "root"
    assert _found(root, {"README.md": CONDA_CUDA_README, "tutorials/basics/train.py": TORCH_ON_CPU}, "PY006") == [("error", "tutorials/basics/train.py", 4)]


def test_a_request_in_a_folder_without_code_speaks_for_the_project_above(tmp_path: Path) -> None:
    # scripts/, docker/, .github/workflows/ hold no code of their own: what they run is the project's.
    files = {"scripts/run.sh": "docker run --gpus all -v $PWD:/src img python train.py\n", "src/train.py": TORCH_ON_CPU}
    assert _found(tmp_path, files, "PY006") == [("error", "src/train.py", 4)]


CPU_NIGHTLY = "!pip install --pre torch -f https://download.pytorch.org/whl/nightly/cpu/torch_nightly.html\n"


def test_a_notebooks_own_install_is_judged_by_that_notebook_not_its_neighbours(tmp_path: Path) -> None:
    # A quantization tutorial installs a CPU nightly; the profiling notebook beside it puts its work on CUDA.
    beside = _notebook("import torch\nx = torch.ones(3).cuda()\n")
    files = {"optimization/quantize.ipynb": _notebook(CPU_NIGHTLY, "import torch\nprint(torch.__version__)\n"), "optimization/profile.ipynb": beside}
    assert [severity for severity, _, _ in _found(tmp_path, files, "DEP007")] == ["info"]
    own = tmp_path / "own"
    files = {"optimization/quantize.ipynb": _notebook(CPU_NIGHTLY, "import torch\nx = torch.ones(3).cuda()\n")}
    assert [severity for severity, _, _ in _found(own, files, "DEP007")] == ["error"]


TRAIN_CELLS = (
    "import torch\nfrom torch import nn\nmodel = nn.Linear(10, 1)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n",
    "for _ in range(5):\n    loss = model(torch.randn(4, 10)).sum()\n    loss.backward()\n    optimizer.step()\n",
)
PROFILE_CELL = "device = torch.device('cpu')\nif torch.cuda.is_available():\n    device = torch.device('cuda')\nprint(device)\n"


def test_cuda_a_notebook_first_asks_for_after_the_training_does_not_speak_for_it(tmp_path: Path) -> None:
    # An autograd tutorial trains a tiny model on the CPU, then a later profiling section checks for CUDA.
    assert [s for s, _, _ in _found(tmp_path, {"autograd.ipynb": _notebook(*TRAIN_CELLS, PROFILE_CELL)}, "PY006")] == ["info"]


def test_cuda_a_notebook_asks_for_before_the_training_keeps_the_error(tmp_path: Path) -> None:
    assert [s for s, _, _ in _found(tmp_path, {"train.ipynb": _notebook(PROFILE_CELL.replace("device = torch", "import torch\ndevice = torch", 1), *TRAIN_CELLS)}, "PY006")] == ["error"]
