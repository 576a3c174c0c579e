"""False alarms seen on real projects (bench/lint_corpus.toml), each rebuilt as a minimal project of our
own: the shape that used to fire must stay quiet, and the nearest real problem must still fire."""

from __future__ import annotations

from pathlib import Path

import pytest
from lint_cases import write

from whygpu.errors import UserError
from whygpu.knowledge.azure import azure_size_for_cuda
from whygpu.lint.azureml import AZ_CLI_DEFAULT_SIZE, parse_az_cli
from whygpu.lint.engine import lint
from whygpu.lint.interface import Source
from whygpu.lint.policy import LintConfig, config_from_mapping
from whygpu.model import Severity

CONFIG = LintConfig(azureml_schema=False)
SCHEMA = "https://azuremlschemas.azureedge.net/latest"


def _found(root: Path, files: dict[str, str], config: LintConfig = CONFIG) -> list[tuple[str, str, str]]:
    """(rule, file, severity) of every finding lint reports on these files."""
    report = lint(["."], config=config, cwd=write(root, files))
    return sorted((f.id, f.location.file if f.location else "", f.severity.value) for f in report.findings)


def _ids(root: Path, files: dict[str, str]) -> list[str]:
    return [rule for rule, _file, severity in _found(root, files) if severity != "info"]


# ------------------------------------------------------------------------------ code intent


@pytest.mark.parametrize(
    "script",
    [
        # torch.accelerator with an explicit CPU else-branch (pytorch/examples' shape).
        "import torch\nif args.accel and torch.accelerator.is_available():\n    device = torch.accelerator.current_accelerator()\n"
        "else:\n    device = torch.device('cpu')\nmodel = Net().to(device)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n",
        # the same name given another device in a branch (a test's reference device).
        "import torch\nif fused:\n    ref_device = get_accelerator().device_name()\nelse:\n    ref_device = 'cpu'\n"
        "param = torch.nn.Parameter(torch.ones(4, device=ref_device))\nopt = torch.optim.Adam([param])\n",
        # a CPU optimizer benchmark: the CPU is the point.
        "import torch\nfrom deepspeed.ops.adam import DeepSpeedCPUAdam\ndevice = 'cpu'\n"
        "param = torch.nn.Parameter(torch.ones(1024, device=device))\nopt = DeepSpeedCPUAdam([param])\nopt.step()\n",
    ],
    ids=["accelerator-else-cpu", "branch-reference-device", "cpu-optimizer"],
)
def test_cpu_device_chosen_on_purpose_is_not_py007(script: str, tmp_path: Path) -> None:
    assert "PY007" not in _ids(tmp_path, {"bench.py": script})


def test_hard_coded_cpu_device_still_fires(tmp_path: Path) -> None:
    script = "import torch\ndevice = torch.device('cpu')\nmodel = Net().to(device)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
    assert "PY007" in _ids(tmp_path, {"train.py": script})


def test_tf_hidden_from_the_gpu_where_jax_owns_it(tmp_path: Path) -> None:
    hide = "import tensorflow as tf\ntf.config.set_visible_devices([], 'GPU')\n"
    assert "PY002" not in _ids(tmp_path / "a", {"data.py": hide + "import jax\nprint(jax.devices())\n"})
    assert "PY002" in _ids(tmp_path / "b", {"train.py": hide + "model.fit(x, y)\n"})


@pytest.mark.parametrize(
    "script",
    [
        "import os\nimport torch\nif device == 'cpu':\n    os.environ['CUDA_VISIBLE_DEVICES'] = '-1'\nelse:\n    os.environ['CUDA_VISIBLE_DEVICES'] = device\n",
        "import os\n\ndef init_cpu(args):\n    os.environ['CUDA_VISIBLE_DEVICES'] = '-1'\n    return args\n",
    ],
    ids=["cpu-branch", "cpu-function"],
)
def test_cuda_visible_devices_hidden_on_an_explicit_cpu_path_is_not_py003(script: str, tmp_path: Path) -> None:
    assert "PY003" not in _ids(tmp_path, {"select.py": script})


def test_cuda_visible_devices_hidden_unconditionally_still_fires(tmp_path: Path) -> None:
    assert "PY003" in _ids(tmp_path, {"train.py": "import os\nos.environ['CUDA_VISIBLE_DEVICES'] = '-1'\nimport torch\n"})


def test_cuda_visible_devices_too_late_only_in_the_same_function(tmp_path: Path) -> None:
    kept = (
        "import os\nimport torch\n\ndef set_devices(n):\n    assert n <= torch.cuda.device_count()\n"
        "    os.environ['CUDA_VISIBLE_DEVICES'] = os.environ.get('CUDA_VISIBLE_DEVICES', '0,1')\n"
    )
    elsewhere = "import os\nimport torch\n\ndef count():\n    return torch.cuda.device_count()\n\ndef pick():\n    os.environ['CUDA_VISIBLE_DEVICES'] = '1'\n"
    late = "import os\nimport torch\nprint(torch.cuda.is_available())\nos.environ['CUDA_VISIBLE_DEVICES'] = '1'\n"
    assert "PY004" not in _ids(tmp_path / "a", {"utils.py": kept})
    assert "PY004" not in _ids(tmp_path / "b", {"utils.py": elsewhere})
    assert "PY004" in _ids(tmp_path / "c", {"train.py": late})


AUGMENT = "from torchvision import transforms\ntf = transforms.Compose([transforms.RandomResizedCrop(224), transforms.ToTensor()])\nds = Photos(transform=tf)\n"


@pytest.mark.parametrize(
    "script",
    [
        "import torch\n" + AUGMENT + "kwargs = {'num_workers': 4} if use_cuda else {}\nloader = torch.utils.data.DataLoader(ds, batch_size=8, **kwargs)\nmodel.to('cuda')\n",
        "import torch\n" + AUGMENT + "loader = torch.utils.data.DataLoader(ds, batch_size=2, num_workers=0)\nmodel.to('cuda')\n",
        "import torch\nfrom torchvision import transforms\ntf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1,), (0.3,))])\n"
        "loader = torch.utils.data.DataLoader(mnist, batch_size=64)\nmodel.to('cuda')\n",
        # a client that preprocesses images for a server: no GPU in this process.
        "import torch\n" + AUGMENT + "loader = torch.utils.data.DataLoader(ds, batch_size=8)\nfor x, _ in loader:\n    client.infer(x.numpy())\n",
    ],
    ids=["kwargs", "explicit-zero", "conversions-only", "no-gpu-in-process"],
)
def test_dataloader_cases_that_are_not_py009(script: str, tmp_path: Path) -> None:
    assert "PY009" not in _ids(tmp_path, {"train.py": script})


def test_transform_applied_to_whole_batches_is_not_per_sample(tmp_path: Path) -> None:
    batches = (
        "import torch\nfrom torchvision.transforms import Compose, Resize\ntransform = Compose((Resize((224, 224)),))\n"
        "loader = torch.utils.data.DataLoader(dataset, batch_size=32)\nfor batch in loader:\n"
        "    x = transform(batch['image'].float()).to('cuda')\n    loss = model(x).sum()\n    loss.backward()\n"
    )
    given = batches.replace("loader = torch.utils.data.DataLoader(dataset", "dataset = Photos(transform=transform)\nloader = torch.utils.data.DataLoader(dataset")
    assert "PY009" not in _ids(tmp_path / "a", {"train.py": batches})
    assert "PY009" in _ids(tmp_path / "b", {"train.py": given})


def test_image_decoding_counts_only_per_sample(tmp_path: Path) -> None:
    once = (
        "import torch\nfrom PIL import Image\nimages = [Image.open(p) for p in paths]\n"
        "loader = torch.utils.data.DataLoader(prompts, batch_size=2)\nmodel.to('cuda')\n"
    )
    per_sample = (
        "import torch\nfrom PIL import Image\n\nclass Frames(torch.utils.data.Dataset):\n"
        "    def __getitem__(self, i):\n        return Image.open(self.paths[i])\n\n"
        "loader = torch.utils.data.DataLoader(Frames(), batch_size=8)\nmodel.to('cuda')\n"
    )
    assert "PY009" not in _ids(tmp_path / "a", {"score.py": once})
    assert "PY009" in _ids(tmp_path / "b", {"train.py": per_sample})


def test_only_loaders_whose_dataset_does_per_sample_work(tmp_path: Path) -> None:
    script = (
        "import torch\nfrom torchvision import datasets, transforms\n\nclass Prompts(torch.utils.data.Dataset):\n"
        "    def __getitem__(self, i):\n        return self.prompts[i]\n\n"
        "train = datasets.CIFAR10('.', transform=transforms.Compose([transforms.RandomCrop(32, padding=4), transforms.ToTensor()]))\n"
        "train_loader = torch.utils.data.DataLoader(train, batch_size=64)\n"
        "eval_loader = torch.utils.data.DataLoader(datasets.CIFAR10('.', train=False, transform=transforms.ToTensor()), batch_size=64)\n"
        "prompt_loader = torch.utils.data.DataLoader(Prompts(), batch_size=4)\nmodel.to('cuda')\n"
    )
    report = lint(["."], config=CONFIG, cwd=write(tmp_path, {"train.py": script}))
    lines = sorted(f.location.line for f in report.findings if f.id == "PY009" and f.location)
    assert lines == [9]  # the augmented training loader only


def test_step_loop_syncs_only(tmp_path: Path) -> None:
    epoch_level = (
        "import torch\nfor epoch in range(10):\n    weights = model.class_weights.cpu().numpy()\n"
        "    for x, y in loader:\n        loss = loss_fn(model(x), y)\n        loss.backward()\n        optimizer.step()\n"
        "    if verbose:\n        print(loss.detach().cpu())\n"
    )
    evaluation = (
        "import torch\nfor x, y in loader:\n    loss = loss_fn(model(x), y)\n    loss.backward()\n    optimizer.step()\n"
        "    with torch.no_grad():\n        preds.append(model(x).cpu())\n"
    )
    per_step = (
        "import torch\nmodel = model.to('cuda')\n"
        "for x, y in loader:\n    loss = loss_fn(model(x), y)\n    loss.backward()\n    optimizer.step()\n    losses.append(loss.cpu())\n"
    )
    assert "PY008" not in _ids(tmp_path / "a", {"train.py": epoch_level})
    assert "PY008" not in _ids(tmp_path / "b", {"train.py": evaluation})
    assert "PY008" in _ids(tmp_path / "c", {"train.py": per_step})


@pytest.mark.parametrize(
    "script",
    [
        "import torch\nfrom torch import nn\ncriterion = nn.CrossEntropyLoss()\nmodel = Net().to('cuda')\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n",
        "import torch\nmodel = torch.hub.load('org/repo', 'small')\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n",
        "import torch\nimport deepspeed\nfrom torch import nn\nmodel = nn.Linear(4, 4)\nengine, *_ = deepspeed.initialize(model=model, config={})\n"
        "optimizer = torch.optim.Adam(model.parameters())\n",
        "import torch\nfrom torch import nn\n\nclass Net(nn.Module):\n    pass\n\nnet = Net()\ntraced = torch.fx.symbolic_trace(net)\nprint(traced(torch.zeros(1)))\n",
        "import torch\nfrom composer import Trainer\nmodule = torch.nn.Sequential(torch.nn.Linear(4, 4))\noptimizer = torch.optim.SGD(module.parameters(), lr=0.1)\n"
        "Trainer(model=module, optimizers=optimizer).fit()\n",
    ],
    ids=["loss-module", "torch-hub", "deepspeed", "no-training", "composer"],
)
def test_models_placed_by_others_or_not_trained_are_not_py006(script: str, tmp_path: Path) -> None:
    assert "PY006" not in _ids(tmp_path, {"train.py": script})


def test_in_memory_tf_data_without_per_element_work_is_not_py010(tmp_path: Path) -> None:
    in_memory = "import tensorflow as tf\noptions = tf.data.Options()\nds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(1000).batch(64)\nmodel.fit(ds, epochs=5)\n"
    mapped = "import tensorflow as tf\nds = tf.data.Dataset.from_tensor_slices(paths).map(load_image).batch(64)\nmodel.fit(ds, epochs=5)\n"
    gpu_image = "FROM tensorflow/tensorflow:2.16.1-gpu\n"
    assert "PY010" not in _ids(tmp_path / "a", {"train.py": in_memory, "Dockerfile": gpu_image})
    assert "PY010" in _ids(tmp_path / "b", {"train.py": mapped, "Dockerfile": gpu_image})


# ------------------------------------------------------------------------------ policy


def test_tests_and_docs_are_relaxed_by_default(tmp_path: Path) -> None:
    bad = "import torch\ndevice = torch.device('cpu')\nmodel = Net().to(device)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
    files = {"tests/test_opt.py": bad, "docs/requirements.txt": "torch==2.3.0+cpu\n", "train.py": bad, "Dockerfile": "FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\n"}
    found = _found(tmp_path, files)
    assert ("PY007", "tests/test_opt.py", "info") in found
    assert ("DEP007", "docs/requirements.txt", "info") in found
    assert ("PY007", "train.py", "error") in found
    strict = _found(tmp_path, files, LintConfig(azureml_schema=False, relaxed_paths=()))
    assert ("PY007", "tests/test_opt.py", "error") in strict


def test_relaxed_paths_setting_is_checked() -> None:
    config = config_from_mapping({"relaxed-paths": ["benchmarks/"]}, where="pyproject.toml")
    assert config.relaxed("benchmarks/adam.py") and not config.relaxed("tests/test_x.py")
    default = LintConfig()
    assert default.relaxed("pkg/tests/unit/test_adam.py") and default.relaxed("docs/requirements.txt") and default.relaxed("src/adam_test.py")
    assert not default.relaxed("train.py") and not default.relaxed("latest/train.py") and not default.relaxed("contests.py")
    anchored = config_from_mapping({"relaxed-paths": ["examples/cpu/", "tools/*.py"]}, where="pyproject.toml")
    assert anchored.relaxed("examples/cpu/run.py") and not anchored.relaxed("other/examples/cpu/run.py")
    assert anchored.relaxed("tools/bench.py") and not anchored.relaxed("tools/sub/bench.py")
    with pytest.raises(UserError):
        config_from_mapping({"relaxed-paths": "tests/"}, where="pyproject.toml")


# ------------------------------------------------------------------------------ dependencies and Dockerfiles


def test_tensorflow_gpu_that_installs_is_a_note(tmp_path: Path) -> None:
    found = _found(tmp_path, {"requirements.txt": "tensorflow-gpu==2.3.0\n"})
    assert found == [("DEP001", "requirements.txt", "info")]
    assert _ids(tmp_path / "b", {"requirements.txt": "tensorflow-gpu==2.12.0\n"}) == ["DEP001"]


def test_jax_in_package_metadata_or_completed_elsewhere_is_not_dep008(tmp_path: Path) -> None:
    pyproject = "[project]\nname = 'lib'\nversion = '1'\ndependencies = ['jax>=0.4.30']\n[build-system]\nrequires = ['jax']\nbuild-backend = 'x'\n"
    completed = {
        "requirements.txt": "jax==0.4.26\n",
        "Dockerfile": "FROM nvidia/cuda:12.2.2-cudnn8-runtime-ubuntu22.04\nCOPY requirements.txt /r.txt\nRUN pip install -r /r.txt && pip install jax[cuda12]==0.4.26\n",
    }
    assert "DEP008" not in _ids(tmp_path / "a", {"pyproject.toml": pyproject})
    assert "DEP008" not in _ids(tmp_path / "b", completed)
    assert "DEP008" in _ids(tmp_path / "c", {"requirements.txt": "jax==0.4.26\n"})


def test_tensorflow_cpu_beside_jax_is_not_dep002(tmp_path: Path) -> None:
    assert "DEP002" not in _ids(tmp_path / "a", {"requirements.txt": "jax[cuda12]==0.4.30\ntensorflow-cpu==2.16.1\n"})
    assert "DEP002" in _ids(tmp_path / "b", {"requirements.txt": "tensorflow-cpu==2.16.1\n"})


def test_torch_own_nvidia_wheels_in_a_conda_export_are_not_dep005(tmp_path: Path) -> None:
    export = "name: agent\nchannels: [defaults]\ndependencies:\n  - cudatoolkit=11.8.0\n  - pip:\n    - torch==2.7.1\n    - nvidia-cublas-cu12==12.6.4.1\n"
    mixed = "name: tf\nchannels: [defaults]\ndependencies:\n  - cudatoolkit=11.8.0\n  - pip:\n    - tensorflow[and-cuda]==2.15.0\n"
    assert "DEP005" not in _ids(tmp_path / "a", {"environment.yml": export})
    assert "DEP005" in _ids(tmp_path / "b", {"environment.yml": mixed})


def test_export_for_the_rest_of_the_run_is_not_df008(tmp_path: Path) -> None:
    used = "FROM nvidia/cuda:12.2.2-cudnn8-runtime-ubuntu22.04\nRUN export LD_LIBRARY_PATH=/usr/local/cuda/compat && python -c 'import torch'\n"
    alone = "FROM nvidia/cuda:12.2.2-cudnn8-runtime-ubuntu22.04\nRUN export LD_LIBRARY_PATH=/usr/local/cuda/compat\n"
    assert "DF008" not in _ids(tmp_path / "a", {"Dockerfile": used})
    assert "DF008" in _ids(tmp_path / "b", {"Dockerfile": alone})


# ------------------------------------------------------------------------------ Azure ML


def _job(extra: str, environment: str = "azureml:AzureML-acpt-pytorch-2.2-cuda12.1@latest", schema: str = "commandJob") -> str:
    return f"$schema: {SCHEMA}/{schema}.schema.json\ncommand: python train.py\ncode: .\nenvironment: {environment}\n{extra}"


def test_component_is_judged_through_its_pipeline(tmp_path: Path) -> None:
    component = _job("type: command\nname: train\n", schema="commandComponent")
    on_gpu = f"$schema: {SCHEMA}/pipelineJob.schema.json\ntype: pipeline\njobs:\n  train:\n    type: command\n    component: ./component.yml\n    compute: azureml:gpu-cluster\n"
    serverless = f"$schema: {SCHEMA}/pipelineJob.schema.json\ntype: pipeline\njobs:\n  train:\n    type: command\n    component: file:./component.yml\n"
    assert "AML002" not in _ids(tmp_path / "a", {"component.yml": component})
    assert "AML002" not in _ids(tmp_path / "b", {"component.yml": component, "pipeline.yml": on_gpu})
    found = _found(tmp_path / "c", {"component.yml": component, "pipeline.yml": serverless})
    assert ("AML002", "pipeline.yml", "error") in found


def test_data_assets_and_mlflow_files_are_not_jobs_or_conda(tmp_path: Path) -> None:
    files = {
        "data.yml": f"$schema: {SCHEMA}/data.schema.json\nname: iris\ntype: uri_file\npath: https://example.com/iris.csv\n",
        "model/python_env.yaml": "python: 3.10.12\nbuild_dependencies:\n- pip==23.0\ndependencies:\n- -r requirements.txt\n",
        "online.yml": _job("instance_type: Standard_NC4as_T4_v3\n", schema="managedOnlineDeployment").replace("command: python train.py\n", ""),
    }
    assert _ids(tmp_path, files) == []


CPU_CLUSTER = f"$schema: {SCHEMA}/amlCompute.schema.json\nname: cpu-cluster\ntype: amlcompute\nsize: STANDARD_DS3_v2\n"
CPU_ENV = "environment:\n  image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest\n  conda_file: conda.yml\n"
TF_CONDA = "name: tf\nchannels: [conda-forge]\ndependencies:\n  - python=3.10\n  - pip\n  - pip:\n    - tensorflow==2.12.0\n"


def test_cpu_image_on_cpu_compute_is_consistent(tmp_path: Path) -> None:
    job = (
        f"$schema: {SCHEMA}/commandJob.schema.json\ncommand: python prep.py\ncode: .\n{CPU_ENV}compute: azureml:cpu-cluster\n"
        "resources:\n  instance_count: 4\ndistribution:\n  type: pytorch\n"
    )
    assert _ids(tmp_path, {"job.yml": job, "conda.yml": TF_CONDA, "cpu-cluster.yml": CPU_CLUSTER}) == []


def test_cpu_image_on_gpu_compute_still_fires(tmp_path: Path) -> None:
    job = f"$schema: {SCHEMA}/commandJob.schema.json\ncommand: python train.py\ncode: .\n{CPU_ENV}compute: azureml:gpu-cluster\n"
    gpu = CPU_CLUSTER.replace("cpu-cluster", "gpu-cluster").replace("STANDARD_DS3_v2", "Standard_NC4as_T4_v3")
    assert "AML003" in _ids(tmp_path, {"job.yml": job, "conda.yml": TF_CONDA, "gpu-cluster.yml": gpu})


def test_compute_size_from_az_cli_lines(tmp_path: Path) -> None:
    script = "az ml compute create -n gpu-cluster --type amlcompute \\\n  --min-instances 0 --size STANDARD_DS3_v2\naz ml compute create -n other --type amlcompute\n"
    found = _found(tmp_path / "a", {"job.yml": _job("compute: azureml:gpu-cluster\n"), "setup.sh": script})
    assert ("AML001", "setup.sh", "error") in found
    # The same name created with two sizes in two scripts: which one runs is unknown, so no AML001.
    other = "az ml compute create -n gpu-cluster --type amlcompute --size Standard_NC4as_T4_v3\n"
    assert "AML001" not in _ids(tmp_path / "b", {"job.yml": _job("compute: azureml:gpu-cluster\n"), "setup.sh": script, "README.md": other})


def test_az_cli_reader() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "setup.sh"
        path.write_text(
            "az ml compute create -n gpu-cluster --type amlcompute --size Standard_NC12 -o none\n"
            "az ml compute create --name $NAME --size Standard_NC6\n"
            "az ml compute create -n big --size $SKU\n"
            "az ml compute create -n plain --type AmlCompute --min-instances 0\n"
            "az ml compute create -f cluster.yml\n"
        )
        model = parse_az_cli(Source(path, "setup.sh"))
    assert [(c.name, c.size, c.size_given, c.location.line) for c in model.computes] == [
        ("gpu-cluster", "Standard_NC12", True, 1),
        ("plain", AZ_CLI_DEFAULT_SIZE, False, 4),
    ]


def test_gpu_generation_against_cuda() -> None:
    k80 = azure_size_for_cuda("Standard_NC6", "12.1")
    assert k80 is not None and not k80.usable
    assert any("retired" in r for r in k80.reasons) and any("compute capability 3.7" in r for r in k80.reasons)
    assert k80.min_compute_capability == "5.0"
    t4 = azure_size_for_cuda("Standard_NC4as_T4_v3", "12.1")
    assert t4 is not None and t4.usable and t4.reasons == ()
    assert azure_size_for_cuda("Standard_DS3_v2", "12.1") is None


def test_k80_cluster_under_cuda_12_names_both_reasons(tmp_path: Path) -> None:
    files = {"job.yml": _job("compute: azureml:gpu-cluster\n"), "compute.yml": CPU_CLUSTER.replace("cpu-cluster", "gpu-cluster").replace("STANDARD_DS3_v2", "Standard_NC6")}
    report = lint(["."], config=CONFIG, cwd=write(tmp_path, files))
    (finding,) = [f for f in report.findings if f.id == "AML007"]
    assert finding.severity is Severity.ERROR
    assert "retired" in finding.title and "CUDA 12" in finding.title
    assert any("job.yml" in e for e in finding.evidence)


@pytest.mark.parametrize(("requirement", "fires"), [
    ("tensorflow==1.14.0", True),    # 1.x before 1.15: the GPU build was tensorflow-gpu
    ("tensorflow==1.15.0", False),   # 1.15.0's tensorflow has the GPU code
    ("tensorflow==1.15", False),     # ==1.15 installs 1.15.0
    ("tensorflow==1.15.5", True),    # the later 1.15 patches split again (tensorflow#36347)
    ("tensorflow==1.15.*", True),    # installs 1.15.5
    ("tensorflow<2", True),          # installs 1.15.5
    ("tensorflow==2.0.0", True),     # 2.0's tensorflow is CPU-only
    ("tensorflow~=2.0.0", True),
    ("tensorflow==2.1.0", False),    # from 2.1 tensorflow has the GPU code
    ("tensorflow==2.15.1", False),
])
def test_a_cpu_only_tensorflow_release_is_dep002_at_each_boundary(tmp_path: Path, requirement: str, fires: bool) -> None:
    # In an environment with CUDA (here a conda cudatoolkit) a CPU-only TensorFlow is an error.
    env = f"dependencies:\n  - cudatoolkit=10.0\n  - pip:\n    - {requirement}\n"
    assert ("DEP002" in _ids(tmp_path, {"environment.yml": env})) is fires


def test_a_cpu_only_tensorflow_release_without_a_gpu_sign_is_a_note(tmp_path: Path) -> None:
    found = _found(tmp_path / "a", {"requirements.txt": "tensorflow==1.15.2\n"})
    assert ("DEP002", "requirements.txt", "info") in found
    assert "DEP002" not in _ids(tmp_path / "b", {"requirements.txt": "tensorflow==1.15.2\n"})
    # The same pin in an environment only CPU jobs use is not reported at all (azureml-examples' parallel MNIST job).
    job = ("$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json\ncommand: python score.py\n"
           "compute: azureml:cpu-cluster\nenvironment:\n  image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04\n"
           "  conda_file: env.yml\n")
    env = "name: score\ndependencies:\n  - python=3.7\n  - pip:\n    - tensorflow==1.15.2\n"
    assert all(rule != "DEP002" for rule, _file, _severity in _found(tmp_path / "c", {"job.yml": job, "env.yml": env}))


def test_a_tensorflow_release_with_the_gpu_code_is_judged_as_a_gpu_build(tmp_path: Path) -> None:
    # 1.15.0 is a GPU build (CUDA 10.0): a conda CUDA of another major is DEP003; the CPU-only 1.15.5 needs no CUDA at all.
    env = "dependencies:\n  - python=3.7\n  - cudatoolkit=11.0\n  - pip:\n    - tensorflow=={}\n"
    assert "DEP003" in _ids(tmp_path / "a", {"environment.yml": env.format("1.15.0")})
    assert "DEP003" not in _ids(tmp_path / "b", {"environment.yml": env.format("1.15.5")})


def test_a_conda_cuda_of_the_builds_major_that_lacks_one_of_its_sonames_is_dep003(tmp_path: Path) -> None:
    # TensorFlow 2.4 is built for CUDA 11.0, whose cuSOLVER is libcusolver.so.10; CUDA 11.1 ships libcusolver.so.11 (knowledge.cuda_serves_build).
    env = "dependencies:\n  - python=3.8\n  - cudatoolkit={}\n  - cudnn=8.0\n  - pip:\n    - tensorflow==2.4.0\n"
    assert "DEP003" in _ids(tmp_path / "a", {"environment.yml": env.format("11.1")})
    assert "DEP003" not in _ids(tmp_path / "b", {"environment.yml": env.format("11.0")})
    # TensorFlow 2.5 (CUDA 11.2) on 11.2's successor minor 11.4: the same sonames, quiet.
    assert "DEP003" not in _ids(tmp_path / "c", {"environment.yml": env.format("11.4").replace("2.4.0", "2.5.0")})


@pytest.mark.parametrize(("image", "fires"), [
    ("nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04", True),  # libcusolver.so.11, not the 11.0 build's .so.10
    ("nvidia/cuda:11.0.3-cudnn8-runtime-ubuntu20.04", False),
])
def test_df002_judges_an_image_of_the_builds_major_by_the_sonames_it_ships(tmp_path: Path, image: str, fires: bool) -> None:
    files = {"Dockerfile": f"FROM {image}\nRUN pip install tensorflow==2.4.0\n"}
    assert ("DF002" in _ids(tmp_path, files)) is fires


@pytest.mark.parametrize(("image", "requirement", "fires"), [
    # Before CUDA 11 each minor has its own sonames: a 10.0 build finds no libcudart.so.10.0 in CUDA 10.1.
    ("nvidia/cuda:10.1-cudnn7-runtime-ubuntu18.04", "tensorflow-gpu==1.14.0", True),
    ("nvidia/cuda:10.0-cudnn7-runtime-ubuntu18.04", "tensorflow-gpu==1.14.0", False),
    ("nvidia/cuda:10.0-cudnn7-runtime-ubuntu18.04", "tensorflow==2.3.0", True),   # 2.3 is built for 10.1
    ("nvidia/cuda:10.1-cudnn7-runtime-ubuntu18.04", "tensorflow==2.3.0", False),
    # From CUDA 11 the major decides: 12.2 serves a 12.3 build's sonames, 11.8 does not.
    ("nvidia/cuda:12.2.2-cudnn8-runtime-ubuntu22.04", "tensorflow==2.16.1", False),
    ("nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04", "tensorflow==2.16.1", True),
])
def test_an_image_cuda_that_does_not_serve_the_build_is_df002(tmp_path: Path, image: str, requirement: str, fires: bool) -> None:
    found = _ids(tmp_path, {"Dockerfile": f"FROM {image}\nRUN pip install {requirement}\n"})
    assert ("DF002" in found) is fires


def test_df002_keeps_a_pre_11_image_with_a_release_built_for_its_minor(tmp_path: Path) -> None:
    report = lint(["."], config=CONFIG, cwd=write(tmp_path, {
        "Dockerfile": "FROM nvidia/cuda:10.0-cudnn7-runtime-ubuntu18.04\nRUN pip install tensorflow==2.3.0\n"}))
    fix = next(f.fix for f in report.findings if f.id == "DF002")
    # The newest release built for CUDA 10.0 is 2.0, whose tensorflow package is CPU-only: tensorflow-gpu.
    assert fix is not None and "pin tensorflow-gpu==2.0.*" in fix
