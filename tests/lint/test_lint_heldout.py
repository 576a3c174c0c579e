"""Classes found on the third held-out corpus (bench/lint_corpus.toml, set held-out-3), each rebuilt as a
minimal project of our own: Azure ML compute sizes asked for through the Python SDK, a cluster created with
several CPU sizes, and conda versions that are not PEP 440."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lint_cases import write

from whygpu.lint.azureml_sdk import reads_sdk, sdk_computes
from whygpu.lint.engine import lint
from whygpu.lint.interface import Location
from whygpu.lint.packages import PackageSpec, conda_version_to_specifier, parse_conda_spec
from whygpu.lint.policy import LintConfig
from whygpu.lint.pysource import parse_source

CONFIG = LintConfig(azureml_schema=False)
SCHEMA = "https://azuremlschemas.azureedge.net/latest"


def _notebook(*cells: str) -> str:
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "metadata": {}, "source": c, "outputs": [], "execution_count": None} for c in cells]}, indent=1)


def _findings(root: Path, files: dict[str, str]) -> list[tuple[str, str, int, str]]:
    report = lint(["."], config=CONFIG, cwd=write(root, files))
    return sorted((f.id, f.location.file if f.location else "", f.location.line if f.location else 0, f.title) for f in report.findings if f.severity.value != "info")


def _computes(code: str) -> list[tuple[str | None, str, int, str]]:
    tree = parse_source(code, "x.py")
    assert not hasattr(tree, "reason")
    return [(c.name, c.size, c.location.line, c.how) for c in sdk_computes(tree, lambda line, column: Location("x.py", line, column))]  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ SDK compute sizes

V1_TWO_CLUSTERS = """\
from azureml.core.compute import AmlCompute, ComputeTarget
gpu_name = "gpu-cluster"
compute_config = AmlCompute.provisioning_configuration(vm_size="Standard_NC6s_v3", max_nodes=4)
gpu = ComputeTarget.create(ws, gpu_name, compute_config)
compute_config = AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2", max_nodes=4)
cpu = ComputeTarget.create(ws, "cpu-cluster", compute_config)
"""


def test_sdk_reader_names_each_v1_cluster_by_the_config_it_was_created_with() -> None:
    # ``compute_config`` is reused: each create takes the configuration assigned last above it.
    assert _computes(V1_TWO_CLUSTERS) == [
        ("gpu-cluster", "Standard_NC6s_v3", 3, "AmlCompute.provisioning_configuration(vm_size=...)"),
        ("cpu-cluster", "STANDARD_D2_V2", 5, "AmlCompute.provisioning_configuration(vm_size=...)"),
    ]


def test_sdk_reader_v1_compute_instance() -> None:
    code = "from azureml.core.compute import ComputeInstance, ComputeTarget\ncfg = ComputeInstance.provisioning_configuration(vm_size='STANDARD_NC6')\nci = ComputeTarget.create(ws, 'my-box', cfg)\n"
    assert _computes(code) == [("my-box", "STANDARD_NC6", 2, "ComputeInstance.provisioning_configuration(vm_size=...)")]


def test_sdk_reader_v2_estimators_run_configs_and_variables() -> None:
    code = (
        "from azure.ai.ml.entities import AmlCompute, ComputeInstance\n"
        "size = 'Standard_NC6'\n"
        "cluster = AmlCompute(name='gpu-cluster', type='amlcompute', size=size, max_instances=4)\n"
        "box = ComputeInstance(name='dev-box', size='Standard_NC4as_T4_v3')\n"
        "est = TensorFlow(source_directory='.', vm_size='STANDARD_NC6', use_gpu=True)\n"
        "run_config.amlcompute.vm_size = 'STANDARD_D1_V2'\n"
    )
    assert _computes(code) == [
        ("gpu-cluster", "Standard_NC6", 3, "AmlCompute(size=...)"),
        ("dev-box", "Standard_NC4as_T4_v3", 4, "ComputeInstance(size=...)"),
        (None, "STANDARD_NC6", 5, "the run-based compute of TensorFlow(vm_size=...)"),
        (None, "STANDARD_D1_V2", 6, "the run-based compute of a run configuration (amlcompute.vm_size)"),
    ]


@pytest.mark.parametrize(
    "code",
    [
        "AmlCompute(name='gpu', size=args.size)\n",  # an argument: not known here
        "size = 'Standard_NC6' if big else 'Standard_DS3_v2'\nAmlCompute(name='gpu', size=size)\n",  # not one literal
        "sku = 'Standard_NC6'\nsku = 'Standard_NC4as_T4_v3'\nAmlCompute(name='gpu', size=sku)\n",  # two literals
        "AmlCompute(name='gpu', size=os.environ['SIZE'])\n",
        "compute = AmlCompute(name='gpu')\n",  # no size: the SDK's default, not judged here
    ],
)
def test_sdk_reader_ignores_sizes_it_cannot_know(code: str) -> None:
    assert _computes(code) == []


def test_other_azure_sdks_vm_sizes_are_not_azure_ml_compute(tmp_path: Path) -> None:
    # An Azure Batch pool or a plain VM takes a vm_size too; neither is an Azure ML compute.
    batch = "from azure.batch import models\npool = models.PoolAddParameter(id='p', vm_size='STANDARD_NC6')\n"
    assert not reads_sdk(batch)
    assert _findings(tmp_path / "batch", {"pool.py": batch}) == []
    # In an Azure ML file, only the estimators' vm_size is a compute size.
    code = "import azureml.core\nhelper(vm_size='STANDARD_NC6')\nest = PyTorch(source_directory='.', vm_size='STANDARD_NC6')\n"
    assert [(c[1], c[2]) for c in _computes(code)] == [("STANDARD_NC6", 3)]


def test_serverless_instance_types_are_read() -> None:
    # Azure-Samples/azureml-quickstart's shape: a serverless job's resources when no cluster exists.
    code = (
        "from azure.ai.ml import command\nfrom azure.ai.ml.entities import ResourceConfiguration\n"
        "job.resources = ResourceConfiguration(instance_type='Standard_NC6s_v3', instance_count=2)\n"
        "other = command(command='python train.py', instance_type='Standard_NC4as_T4_v3')\n"
        "ignored = command(command='python train.py', compute=cluster)\n"
    )
    assert _computes(code) == [
        (None, "Standard_NC6s_v3", 3, "the serverless compute of ResourceConfiguration(instance_type=...)"),
        (None, "Standard_NC4as_T4_v3", 4, "the serverless compute of command(instance_type=...)"),
    ]


def test_retired_size_in_an_sdk_notebook_fires(tmp_path: Path) -> None:
    notebook = _notebook(
        "from azure.ai.ml.entities import AmlCompute",
        'gpu_cluster = AmlCompute(\n    name="gpu-cluster",\n    type="amlcompute",\n    size="STANDARD_NC6",  # 1 x K80\n    max_instances=4,\n)\nml_client.begin_create_or_update(gpu_cluster).result()',
    )
    found = _findings(tmp_path, {"tutorial.ipynb": notebook})
    assert [(rule, file) for rule, file, _line, _title in found] == [("AML007", "tutorial.ipynb")]
    (_rule, _file, line, title) = found[0]
    assert 'size=\\"STANDARD_NC6\\"' in notebook.splitlines()[line - 1]  # the size's own line in the .ipynb
    assert "'gpu-cluster'" in title and "retired" in title


def test_current_or_cpu_sizes_in_an_sdk_notebook_are_quiet(tmp_path: Path) -> None:
    notebook = _notebook(
        "from azureml.core.compute import AmlCompute, ComputeTarget",
        V1_TWO_CLUSTERS.replace("Standard_NC6s_v3", "Standard_NC4as_T4_v3"),
        "est = Estimator(source_directory='.', vm_size='STANDARD_D2_V2')",
    )
    assert _findings(tmp_path, {"tutorial.ipynb": notebook}) == []


def test_retired_estimator_size_in_a_script_fires(tmp_path: Path) -> None:
    script = "from azureml.train.dnn import TensorFlow\nest = TensorFlow(source_directory='.', vm_size='STANDARD_NC6', use_gpu=True)\n"
    (finding,) = _findings(tmp_path, {"submit.py": script})
    assert finding[:3] == ("AML007", "submit.py", 2)
    assert finding[3].startswith("The run-based compute of TensorFlow(vm_size=...) is created as Standard_NC6")


def test_sdk_size_reaches_the_yaml_job_that_names_the_cluster(tmp_path: Path) -> None:
    # A YAML job on a cluster that only a notebook creates, with a CPU size: AML001 (a GPU job on a CPU VM).
    job = f"$schema: {SCHEMA}/commandJob.schema.json\ncommand: python train.py\ncode: .\nenvironment: azureml:AzureML-acpt-pytorch-2.2-cuda12.1@latest\ncompute: azureml:gpu-cluster\n"
    cpu = _notebook("from azure.ai.ml.entities import AmlCompute\nAmlCompute(name='gpu-cluster', size='STANDARD_DS3_V2')")
    assert "AML001" in [f[0] for f in _findings(tmp_path / "cpu", {"job.yml": job, "setup.ipynb": cpu})]
    gpu = cpu.replace("STANDARD_DS3_V2", "Standard_NC4as_T4_v3")
    assert [f[0] for f in _findings(tmp_path / "gpu", {"job.yml": job, "setup.ipynb": gpu})] == []


_SDK_PIECES = st.sampled_from(
    ["AmlCompute(", "ComputeInstance(", "AmlCompute.provisioning_configuration(", "ComputeTarget.create(", "x.create(", "Estimator(",
     ")", "name=", "size=", "vm_size=", "provisioning_configuration=", "'Standard_NC6'", "'gpu'", "n", "c", " = ", ", ", "\n",
     "run.amlcompute.vm_size = ", "ws", "f(x)", "*a", "**k", "(", "1"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_SDK_PIECES, max_size=40).map("".join))
def test_sdk_reader_never_raises_on_code_that_parses(text: str) -> None:
    tree = parse_source(text, "x.py")
    if hasattr(tree, "reason"):
        return  # not Python: the reader is never given it
    for compute in sdk_computes(tree, lambda line, column: Location("x.py", line, column)):  # type: ignore[arg-type]
        assert compute.size and 1 <= compute.location.line <= text.count("\n") + 1


# ------------------------------------------------------------------------------ a cluster with several sizes

CPU_ENV_JOB = (
    f"$schema: {SCHEMA}/commandJob.schema.json\ncommand: python prep.py\ncode: .\n"
    "environment:\n  image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest\n  conda_file: conda.yml\ncompute: azureml:cpu-cluster\n"
)
TF_CONDA = "name: tf\nchannels: [conda-forge]\ndependencies:\n  - python=3.10\n  - pip\n  - pip:\n    - tensorflow==2.9.3\n"


def test_cluster_created_with_several_cpu_sizes_is_a_cpu_cluster(tmp_path: Path) -> None:
    # azureml-examples' shape: cpu-cluster is created as DS3_v2 in one place and DS12_v2 in another.
    files = {
        "job.yml": CPU_ENV_JOB,
        "conda.yml": TF_CONDA,
        "setup.sh": "az ml compute create -n cpu-cluster --type amlcompute --size STANDARD_DS3_v2\n",
        "README.md": "az ml compute create -n cpu-cluster --type amlcompute --size STANDARD_DS12_v2\n",
    }
    assert _findings(tmp_path, files) == []


def test_cluster_created_with_a_cpu_and_a_gpu_size_is_not_taken_for_cpu(tmp_path: Path) -> None:
    files = {
        "job.yml": CPU_ENV_JOB,
        "conda.yml": TF_CONDA,
        "setup.sh": "az ml compute create -n cpu-cluster --type amlcompute --size STANDARD_DS3_v2\n",
        "README.md": "az ml compute create -n cpu-cluster --type amlcompute --size Standard_NC4as_T4_v3\n",
    }
    assert "AML003" in [f[0] for f in _findings(tmp_path, files)]


# ------------------------------------------------------------------------------ conda versions


@pytest.mark.parametrize(
    ("spec", "version", "allowed"),
    [
        ("openssl=1.1.1n=h2bbff1b_0", "1.1.1n", True),
        ("jpeg=9d=h7f8727e_0", "9d", True),
        ("openssl==1.1.1n", "1.1.1n", True),
    ],
)
def test_conda_versions_with_letters_are_read(spec: str, version: str, allowed: bool) -> None:
    parsed = parse_conda_spec(spec, Location("environment.yml", 3, 5))
    assert isinstance(parsed, PackageSpec)
    assert not parsed.unpinned  # a pin that PEP 440 cannot spell is still a pin
    assert parsed.specifier == f"==={version}"
    assert parsed.exact_version() is None  # not a PEP 440 version: no rule compares it


@pytest.mark.parametrize("text", [">=1.1.1n", "<9d", "1.0-beta", "=1.0 beta", ">1.1.1n,<2"])
def test_conda_ranges_over_non_pep440_versions_stay_unread(text: str) -> None:
    assert conda_version_to_specifier(text) is None


def test_exported_conda_env_with_letter_versions_is_checked(tmp_path: Path) -> None:
    head = "name: tf\nchannels:\n  - defaults\ndependencies:\n  - jpeg=9d=h7f8727e_0\n  - openssl=1.1.1n=h2bbff1b_0\n  - python=3.8\n"
    good = head + "  - cudatoolkit=11.2\n  - cudnn=8.1\n  - pip\n  - pip:\n    - tensorflow==2.5.0\n"
    report = lint(["."], config=CONFIG, cwd=write(tmp_path / "ok", {"environment.yml": good}))
    assert report.not_checked == [] and report.findings == []
    # The rest of the file is judged: a cudatoolkit too old for the TensorFlow pin beside the letter versions still fires.
    bad = head + "  - cudatoolkit=10.1\n  - pip\n  - pip:\n    - tensorflow==2.5.0\n"
    found = lint(["."], config=CONFIG, cwd=write(tmp_path / "bad", {"environment.yml": bad}))
    assert found.not_checked == [] and "DEP003" in [f.id for f in found.findings]


# ------------------------------------------------------------------------------ Azure ML GPU base images


def test_azureml_base_gpu_image_is_not_taken_for_a_cpu_image(tmp_path: Path) -> None:
    # microsoft/AzureML-BERT's shape: the base-gpu image carries CUDA although its tag does not name a version.
    install = "RUN pip install tensorflow-gpu==1.13.1\n"
    gpu = _findings(tmp_path / "gpu", {"Dockerfile": "FROM mcr.microsoft.com/azureml/base-gpu:0.2.1\n" + install})
    assert "DF001" not in [f[0] for f in gpu]
    cpu = _findings(tmp_path / "cpu", {"Dockerfile": "FROM mcr.microsoft.com/azureml/base:0.2.1\n" + install})
    assert "DF001" in [f[0] for f in cpu]


# ------------------------------------------------------------------------------ held-out set 4: code rules

KERAS_FIT = (
    "import tensorflow as tf\n"
    "{source}\n"
    "ds = ds.map(lambda x, y: (x / 255., tf.one_hot(y, 1000)), num_parallel_calls=tf.data.AUTOTUNE)\n"
    "model = tf.keras.Sequential([tf.keras.layers.Flatten(), tf.keras.layers.Dense(1000)])\n"
    "model.compile(loss='categorical_crossentropy')\n"
    "model.fit(ds, epochs=5)\n"
)


@pytest.mark.parametrize(
    "source",
    [
        "ds = tf.keras.utils.image_dataset_from_directory('imagenet/train', batch_size=64)",
        "ds = tf.keras.utils.text_dataset_from_directory('aclImdb/train', batch_size=64)",
    ],
)
def test_keras_directory_datasets_count_as_prefetched(tmp_path: Path, source: str) -> None:
    # wty-yy/KataCV's shape: Keras decodes in a parallel map and prefetches before it returns the dataset.
    assert _findings(tmp_path, {"train.py": KERAS_FIT.format(source=source)}) == []


def test_tfrecord_pipeline_without_prefetch_still_fires(tmp_path: Path) -> None:
    # PY010 weighs GPU time: it warns where the project states GPU intent (here a TensorFlow GPU image) ...
    source = "ds = tf.data.TFRecordDataset(['train.tfrecord']).batch(64)"
    files = {"train.py": KERAS_FIT.format(source=source), "Dockerfile": "FROM tensorflow/tensorflow:2.16.1-gpu\nCOPY train.py .\n"}
    assert [f[0] for f in _findings(tmp_path / "gpu", files)] == ["PY010"]
    # ... and is a note where nothing says a GPU is meant.
    assert _findings(tmp_path / "plain", {"train.py": KERAS_FIT.format(source=source)}) == []


DATA_MODULE = (
    "import tensorflow as tf\n"
    "tf.config.experimental.set_visible_devices([], 'GPU')  # tf.data only\n"
    "def get_dataset(path, batch_size):\n"
    "    ds = tf.data.TFRecordDataset(path).map(parse, num_parallel_calls=tf.data.AUTOTUNE)\n"
    "    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)\n"
)
JAX_TRAIN = "import jax\nimport optax\nfrom data import get_dataset\nfor batch in get_dataset('train.tfrecord', 128).as_numpy_iterator():\n    state = train_step(state, batch)\n"


def test_tf_hidden_in_the_input_module_of_a_jax_project_is_quiet(tmp_path: Path) -> None:
    assert _findings(tmp_path, {"data.py": DATA_MODULE, "train.py": JAX_TRAIN}) == []


def test_tf_hidden_in_a_tensorflow_only_project_still_fires(tmp_path: Path) -> None:
    keras_train = "import tensorflow as tf\nfrom data import get_dataset\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nmodel.compile(loss='mse')\nmodel.fit(get_dataset('t', 32))\n"
    assert [f[:2] for f in _findings(tmp_path / "tf", {"data.py": DATA_MODULE, "train.py": keras_train})] == [("PY002", "data.py")]
    # The same hide in a module that trains with TensorFlow fires even in a JAX project.
    trains = DATA_MODULE + "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nmodel.compile(loss='mse')\nmodel.fit(get_dataset('t', 32))\n"
    assert ("PY002", "data.py") in [f[:2] for f in _findings(tmp_path / "mixed", {"data.py": trains, "train.py": JAX_TRAIN})]


# ------------------------------------------------------------------------------ DEP007: an explicit CPU build

CPU_PIN = "--find-links https://download.pytorch.org/whl/torch_stable.html\ntorch==1.5.0+cpu\n"
FALLBACK = "import torch\ndevice = torch.device('cuda' if torch.cuda.is_available() else 'cpu')\nmodel = torch.nn.Linear(4, 2).to(device)\n"


def _dep007(root: Path, files: dict[str, str]) -> list[str]:
    report = lint(["."], config=CONFIG, cwd=write(root, files))
    return [f.severity.value for f in report.findings if f.id == "DEP007"]


def test_cpu_pin_with_nothing_asking_for_a_gpu_is_a_note(tmp_path: Path) -> None:
    # basisai/dl-expts' shape: a training environment pinned to the CPU build, code that falls back to the CPU.
    assert _dep007(tmp_path, {"requirements-train.txt": CPU_PIN, "train.py": FALLBACK}) == ["info"]


@pytest.mark.parametrize(
    "extra",
    [
        {"train.py": "import torch\nmodel = torch.nn.Linear(4, 2).cuda()\n"},  # CUDA with no CPU path
        {"Dockerfile": "FROM nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04\nCOPY requirements-train.txt .\nRUN pip install -r requirements-train.txt\n"},
        {"requirements-train.txt": CPU_PIN + "nvidia-cudnn-cu12==8.9.2.26\n"},  # CUDA libraries in the same environment
    ],
)
def test_cpu_pin_in_an_environment_meant_for_a_gpu_is_an_error(tmp_path: Path, extra: dict[str, str]) -> None:
    files = {"requirements-train.txt": CPU_PIN, "train.py": FALLBACK, **extra}
    assert "error" in _dep007(tmp_path, files)


def test_another_projects_cuda_script_says_nothing_about_this_environment(tmp_path: Path) -> None:
    # basisai/dl-expts: ner/ pins the CPU build; pneumonia/, another project in the repository, is CUDA-only.
    files = {"ner/requirements-train.txt": CPU_PIN, "ner/train.py": FALLBACK, "pneumonia/gradcam.py": "import torch\nx = torch.zeros(1).cuda()\n"}
    assert _dep007(tmp_path / "mono", files) == ["info"]
    files["ner/serve.py"] = "import torch\nmodel = torch.load('m.pt').cuda()\n"  # this project's own CUDA-only script
    assert _dep007(tmp_path / "own", files) == ["error"]
