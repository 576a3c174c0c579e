"""Classes found on the fifth held-out corpus (bench/lint_corpus.toml, set held-out-5), each rebuilt as a
minimal project of our own: a CPU PyTorch beside a CUDA JAX, TensorFlow's own CPU image, a pandas ``.map``
taken for tf.data work, and the ``__main__`` demo of a module the project imports."""

from __future__ import annotations

from pathlib import Path

import pytest
from lint_cases import write

from whygpu.lint.engine import lint
from whygpu.lint.policy import LintConfig

CONFIG = LintConfig(azureml_schema=False)


def _by_rule(root: Path, files: dict[str, str], rule: str) -> list[tuple[str, str, int]]:
    report = lint(["."], config=CONFIG, cwd=write(root, files))
    return sorted((f.severity.value, f.location.file if f.location else "", f.location.line if f.location else 0) for f in report.findings if f.id == rule)


# ------------------------------------------------------------------------------ DEP007 beside a CUDA JAX

CPU_TORCH = "--extra-index-url https://download.pytorch.org/whl/cpu\ntorch==2.3.0\ntorchvision==0.18.0\n"


@pytest.mark.parametrize(
    "jax",
    [
        'jax[cuda12]==0.4.28\n',  # the CUDA extra
        'jax==0.4.28\njax-cuda12-plugin==0.4.28\njax-cuda12-pjrt==0.4.28\n',  # the plugin an exported environment lists
        'jax==0.4.28\njaxlib==0.4.28+cuda12.cudnn89\n',  # an old CUDA jaxlib
    ],
)
def test_cpu_torch_beside_a_cuda_jax_is_a_note(tmp_path: Path, jax: str) -> None:
    # Lvchangze/pcax's shape: JAX owns the GPU (its CUDA wheels are in the environment); PyTorch only loads data.
    found = _by_rule(tmp_path, {"requirements.txt": CPU_TORCH + jax + "nvidia-cublas-cu12==12.5.2.13\n"}, "DEP007")
    assert found and {severity for severity, _file, _line in found} == {"info"}


def test_cpu_torch_with_cuda_libraries_and_no_jax_is_still_an_error(tmp_path: Path) -> None:
    # The same CUDA wheels without JAX are there for PyTorch: the CPU build is then the mistake.
    found = _by_rule(tmp_path, {"requirements.txt": CPU_TORCH + "nvidia-cublas-cu12==12.5.2.13\n"}, "DEP007")
    assert "error" in {severity for severity, _file, _line in found}


def test_a_cpu_jax_does_not_excuse_a_cpu_torch(tmp_path: Path) -> None:
    # jax without a CUDA extra or plugin owns no GPU: the CPU torch in a CUDA image stays an error.
    files = {
        "requirements.txt": CPU_TORCH + "jax==0.4.28\n",
        "Dockerfile": "FROM nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n",
    }
    assert "error" in {severity for severity, _file, _line in _by_rule(tmp_path, files, "DEP007")}


# ------------------------------------------------------------------------------ DF005/DF001 on TensorFlow's own CPU image

TF_CPU_IMAGE = "FROM tensorflow/tensorflow:latest\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"train.py\"]\n"


def test_tensorflow_cpu_image_with_nothing_asking_for_a_gpu_is_a_note(tmp_path: Path) -> None:
    # eddybrownent/Facial_Emotion_Recognition's shape: TensorFlow's CPU tag chosen over its -gpu sibling.
    found = _by_rule(tmp_path, {"Dockerfile": TF_CPU_IMAGE, "requirements.txt": "tensorflow>=2.15\npandas\n"}, "DF005")
    assert found == [("info", "requirements.txt", 1)]


def test_older_tensorflow_on_its_cpu_image_is_a_note_too(tmp_path: Path) -> None:
    found = _by_rule(tmp_path, {"Dockerfile": "FROM tensorflow/tensorflow:2.12.0\nRUN pip install tensorflow==2.12.0\n"}, "DF001")
    assert [severity for severity, _file, _line in found] == ["info"]


def test_tensorflow_on_a_generic_python_image_is_a_warning_until_a_gpu_is_asked_for(tmp_path: Path) -> None:
    # python:3.11-slim says nothing about CPU or GPU: DF005's own example is a note (a CPU environment) ...
    dockerfile = "FROM python:3.11-slim\nRUN pip install tensorflow==2.16.1\n"
    found = _by_rule(tmp_path / "plain", {"Dockerfile": dockerfile}, "DF005")
    assert [severity for severity, _file, _line in found] == ["info"]
    # ... and an error once the project runs the image on a GPU (a Compose service with the NVIDIA runtime).
    compose = "services:\n  train:\n    build: .\n    runtime: nvidia\n"
    found = _by_rule(tmp_path / "gpu", {"Dockerfile": dockerfile, "docker-compose.yml": compose}, "DF005")
    assert [severity for severity, _file, _line in found] == ["error"]


def test_tensorflow_cpu_image_run_by_a_gpu_job_is_still_an_error(tmp_path: Path) -> None:
    files = {
        "env/Dockerfile": "FROM tensorflow/tensorflow:2.16.1\nRUN pip install tensorflow==2.16.1\n",
        "job.yml": (
            "$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json\n"
            "command: python train.py\ncode: src\n"
            "environment:\n  build:\n    path: env\n"
            "compute: azureml:gpu-cluster\n"
        ),
        "compute.yml": (
            "$schema: https://azuremlschemas.azureedge.net/latest/amlCompute.schema.json\n"
            "name: gpu-cluster\ntype: amlcompute\nsize: Standard_NC4as_T4_v3\n"
        ),
    }
    assert [severity for severity, _file, _line in _by_rule(tmp_path, files, "DF005")] == ["error"]


# ------------------------------------------------------------------------------ PY010: a .map that is pandas'

PANDAS_PLOT_AND_SLICES = (
    "import tensorflow as tf\nimport pandas as pd\nimport matplotlib.pyplot as plt\n"
    "counts = frame['SEG'].value_counts()\n"
    "plt.bar(counts.index.map(str), counts.values)\n"
    "ds = tf.data.Dataset.from_tensor_slices((x, y)).cache().shuffle(1000).batch(64).repeat()\n"
    "model.fit(ds, epochs=5, steps_per_epoch=200)\n"
)


def test_pandas_index_map_is_not_dataset_work(tmp_path: Path) -> None:
    # laurelwoods0102/page-fault-prediction's shape: an in-memory pipeline (exempt) beside a plotting cell's map.
    assert _by_rule(tmp_path, {"train.py": PANDAS_PLOT_AND_SLICES}, "PY010") == []


def test_a_dataset_map_beside_it_still_counts(tmp_path: Path) -> None:
    source = PANDAS_PLOT_AND_SLICES.replace(".cache()", ".map(lambda a, b: (a / 255., b)).cache()")
    files = {"train.py": source, "Dockerfile": "FROM tensorflow/tensorflow:2.16.1-gpu\n"}
    assert [severity for severity, _file, _line in _by_rule(tmp_path, files, "PY010")] == ["warning"]


# ------------------------------------------------------------------------------ the __main__ demo of an imported module

MODEL_MODULE = (
    "import torch\nimport torchvision\nfrom torch import nn, optim\n\n"
    "class DenseNet(nn.Module):\n    pass\n\n"
    "if __name__ == '__main__':\n"
    "    transform = torchvision.transforms.Compose([torchvision.transforms.Resize(96), torchvision.transforms.ToTensor()])\n"
    "    train_set = torchvision.datasets.CIFAR10(root='data', train=True, download=True, transform=transform)\n"
    "    loader = torch.utils.data.DataLoader(train_set, batch_size=32, shuffle=True)\n"
    "    net = DenseNet().to('cuda')\n"
    "    opt = optim.SGD(net.parameters(), lr=0.01)\n"
    "    for x, y in loader:\n"
    "        loss = nn.functional.cross_entropy(net(x.cuda()), y.cuda())\n"
    "        opt.zero_grad()\n        loss.backward()\n        opt.step()\n"
)


def test_loader_in_the_main_demo_of_an_imported_module_is_a_note(tmp_path: Path) -> None:
    # zzzhr97/Digital-Image-Processing-Project's shape: network/__init__.py imports the module; src/train.py trains.
    files = {
        "network/__init__.py": "from .DenseNet import DenseNet\n",
        "network/DenseNet.py": MODEL_MODULE,
        "src/train.py": "import torch\nimport network\nmodel = network.DenseNet().cuda()\n",
    }
    assert _by_rule(tmp_path, files, "PY009") == [("info", "network/DenseNet.py", 11)]


def test_an_absolute_import_makes_it_a_module_too(tmp_path: Path) -> None:
    files = {"models/densenet.py": MODEL_MODULE, "train.py": "import torch\nfrom models.densenet import DenseNet\nmodel = DenseNet().cuda()\n"}
    assert [severity for severity, _file, _line in _by_rule(tmp_path, files, "PY009")] == ["info"]


def test_a_script_nobody_imports_still_warns(tmp_path: Path) -> None:
    # The same file as the project's entry point (nothing imports it): its __main__ block is how it trains.
    files = {"densenet_train.py": MODEL_MODULE, "other.py": "import torch\nimport os\n"}
    assert [severity for severity, _file, _line in _by_rule(tmp_path, files, "PY009")] == ["warning"]


# ------------------------------------------------------------------------------ PY006 where PyTorch is the CPU side of a JAX project

TORCH_BASELINE = (
    "import torch\nfrom torch import nn, optim\n"
    "model = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 2))\n"
    "opt = optim.AdamW(model.parameters(), lr=1e-2)\n"
    "for x, y in batches:\n    loss = nn.functional.cross_entropy(model(x), y)\n    opt.zero_grad()\n    loss.backward()\n    opt.step()\n"
)


def test_torch_model_on_the_cpu_torch_of_a_jax_project_is_a_note(tmp_path: Path) -> None:
    # Lvchangze/pcax's shape: the PyTorch baseline of a tutorial, under a requirements file of CPU torch and CUDA JAX.
    files = {"requirements.txt": CPU_TORCH + "jax[cuda12]==0.4.28\n", "examples/two_moons_torch.py": TORCH_BASELINE}
    assert _by_rule(tmp_path, files, "PY006") == [("info", "examples/two_moons_torch.py", 3)]


@pytest.mark.parametrize(
    ("requirements", "severity"),
    [
        ("torch==2.3.0\njax[cuda12]==0.4.28\n", "error"),  # PyPI's CUDA torch beside a CUDA JAX: a GPU is meant, torch could use it
        (CPU_TORCH + "jax==0.4.28\n", "info"),  # a CPU JAX owns no GPU, and nothing states one is meant: a note
    ],
)
def test_torch_model_on_the_cpu_elsewhere_is_still_reported(tmp_path: Path, requirements: str, severity: str) -> None:
    files = {"requirements.txt": requirements, "examples/two_moons_torch.py": TORCH_BASELINE}
    assert [found for found, _file, _line in _by_rule(tmp_path, files, "PY006")] == [severity]


def test_a_sibling_projects_environment_says_nothing_about_this_script(tmp_path: Path) -> None:
    # The sibling's CPU torch is no statement for this script, and its CUDA JAX no GPU intent either: nothing says, a note.
    files = {"jaxproj/requirements.txt": CPU_TORCH + "jax[cuda12]==0.4.28\n", "torchproj/train.py": TORCH_BASELINE}
    assert [severity for severity, _file, _line in _by_rule(tmp_path, files, "PY006")] == ["info"]
