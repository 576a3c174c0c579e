"""A firing (bad) and a clean (good) example project for every lint rule, as {path: content} maps."""

from __future__ import annotations

from pathlib import Path

Files = dict[str, str]

CUDA118 = "nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04"


def _job(extra: str, environment: str = "azureml:AzureML-acpt-pytorch-2.2-cuda12.1@latest") -> str:
    return (
        "$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json\n"
        "command: python train.py\n"
        "code: .\n"
        f"environment: {environment}\n" + extra
    )


TRAIN_TORCH = "import torch\nprint(torch.__version__)\n"

CASES: dict[str, tuple[Files, Files]] = {
    # ---------------------------------------------------------------- Dockerfile
    "DF001": (
        {"Dockerfile": "FROM python:3.10-slim\nRUN pip install tensorflow==2.12.0\n"},
        {"Dockerfile": f"FROM {CUDA118}\nRUN pip install tensorflow==2.12.0\n"},
    ),
    "DF002": (
        {"Dockerfile": f"FROM {CUDA118}\nRUN pip install tensorflow==2.15.0\n"},
        {"Dockerfile": "FROM nvidia/cuda:12.2.2-cudnn8-runtime-ubuntu22.04\nRUN pip install tensorflow==2.15.0\n"},
    ),
    "DF003": (
        {"Dockerfile": "FROM nvidia/cuda:11.8.0-runtime-ubuntu22.04\nRUN pip install tensorflow==2.13.0\n"},
        {"Dockerfile": f"FROM {CUDA118}\nRUN pip install tensorflow==2.13.0\n"},
    ),
    "DF010": (
        {"Dockerfile": "FROM nvidia/cuda:8.0-cudnn7-devel\nRUN pip install tensorflow-gpu==1.0\n"},
        {"Dockerfile": "FROM nvidia/cuda:8.0-cudnn5-devel\nRUN pip install tensorflow-gpu==1.0\n"},
    ),
    "DF004": (
        {"Dockerfile": "FROM python:3.11\nRUN pip install tensorflow-gpu\n"},
        {"Dockerfile": "FROM python:3.11\nRUN pip install 'tensorflow[and-cuda]'\n"},
    ),
    "DF005": (
        {"Dockerfile": "FROM python:3.11-slim\nRUN pip install --no-cache-dir tensorflow==2.16.1\n"},
        {"Dockerfile": "FROM python:3.11-slim\nRUN pip install --no-cache-dir 'tensorflow[and-cuda]==2.16.1'\n"},
    ),
    "DF006": (
        {"Dockerfile": "FROM python:3.11\nRUN pip install torch torchvision --index-url https://download.pytorch.org/whl/cpu\n"},
        {"Dockerfile": "FROM python:3.11\nRUN pip install torch torchvision --index-url https://download.pytorch.org/whl/cu126\n"},
    ),
    "DF007": (
        {"Dockerfile": 'FROM pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime\nENV CUDA_VISIBLE_DEVICES=""\n'},
        {"Dockerfile": "FROM pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime\nENV CUDA_VISIBLE_DEVICES=0\n"},
    ),
    "DF008": (
        {"Dockerfile": f"FROM {CUDA118}\nRUN echo 'export LD_LIBRARY_PATH=/usr/local/cuda/lib64:$LD_LIBRARY_PATH' >> ~/.bashrc\n"},
        {"Dockerfile": f"FROM {CUDA118}\nENV LD_LIBRARY_PATH=/usr/local/cuda/lib64:${{LD_LIBRARY_PATH}}\n"},
    ),
    "DF009": (
        {"Dockerfile": f"FROM {CUDA118}\nRUN apt-get update && apt-get install -y --no-install-recommends cuda-toolkit-12-2\n"},
        {"Dockerfile": f"FROM {CUDA118}\nRUN apt-get update && apt-get install -y --no-install-recommends git\n"},
    ),
    # ---------------------------------------------------------------- dependencies
    "DEP001": (
        {"requirements.txt": "tensorflow-gpu==2.12.0\n"},
        {"requirements.txt": "tensorflow[and-cuda]==2.15.0\n"},
    ),
    "DEP002": (
        {"requirements.txt": "tensorflow-cpu==2.15.0\n"},
        {"requirements.txt": "tensorflow[and-cuda]==2.15.0\n"},
    ),
    "DEP003": (
        {"environment.yml": "name: tf\ndependencies:\n  - python=3.8\n  - cudatoolkit=10.1\n  - pip\n  - pip:\n    - tensorflow==2.5.0\n"},
        {"environment.yml": "name: tf\ndependencies:\n  - python=3.8\n  - cudatoolkit=11.2\n  - cudnn=8.1\n  - pip\n  - pip:\n    - tensorflow==2.5.0\n"},
    ),
    "DEP004": (
        {"environment.yml": "name: tf\ndependencies:\n  - python=3.9\n  - cudatoolkit=11.2\n  - cudnn=8.0\n  - pip:\n    - tensorflow==2.6.0\n"},
        {"environment.yml": "name: tf\ndependencies:\n  - python=3.9\n  - cudatoolkit=11.2\n  - cudnn=8.1\n  - pip:\n    - tensorflow==2.6.0\n"},
    ),
    "DEP005": (
        {"environment.yml": "name: tf\ndependencies:\n  - python=3.11\n  - cudatoolkit=11.8\n  - pip:\n    - tensorflow[and-cuda]==2.15.0\n"},
        {"environment.yml": "name: tf\ndependencies:\n  - python=3.11\n  - pip:\n    - tensorflow[and-cuda]==2.15.0\n"},
    ),
    "DEP006": (
        {"environment.yml": "name: tf\ndependencies:\n  - python=3.12\n  - pip:\n    - tensorflow[and-cuda]==2.15.0\n"},
        {"environment.yml": "name: tf\ndependencies:\n  - python=3.11\n  - pip:\n    - tensorflow[and-cuda]==2.15.0\n"},
    ),
    "DEP007": (
        {"requirements.txt": "--extra-index-url https://download.pytorch.org/whl/cpu\ntorch==2.3.1\n"},
        {"requirements.txt": "--extra-index-url https://download.pytorch.org/whl/cu121\ntorch==2.3.1\n"},
    ),
    "DEP008": (
        {"requirements.txt": "jax==0.4.30\n"},
        {"requirements.txt": "jax[cuda12]==0.4.30\n"},
    ),
    "DEP009": (
        {"Dockerfile": f"FROM {CUDA118}\nRUN pip install tensorflow\n"},
        {"Dockerfile": f"FROM {CUDA118}\nRUN pip install 'tensorflow==2.14.*'\n"},
    ),
    "DEP010": (
        {"requirements.txt": "numpy==1.26.4\ntorch==1.10.0+cu102\n"},
        {"requirements.txt": "-f https://download.pytorch.org/whl/torch_stable.html\nnumpy==1.26.4\ntorch==1.10.0+cu102\n"},
    ),
    # ---------------------------------------------------------------- Azure ML
    "AML001": (
        {
            "job.yml": _job("compute: azureml:cpu-cluster\n"),
            "cpu-cluster.yml": "$schema: https://azuremlschemas.azureedge.net/latest/amlCompute.schema.json\nname: cpu-cluster\ntype: amlcompute\nsize: STANDARD_DS3_v2\n",
        },
        {
            "job.yml": _job("compute: azureml:gpu-cluster\n"),
            "gpu-cluster.yml": "$schema: https://azuremlschemas.azureedge.net/latest/amlCompute.schema.json\nname: gpu-cluster\ntype: amlcompute\nsize: Standard_NC4as_T4_v3\n",
        },
    ),
    "AML002": (
        {"job.yml": _job("")},
        {"job.yml": _job("resources:\n  instance_type: Standard_NC4as_T4_v3\n  instance_count: 1\n")},
    ),
    "AML003": (
        {
            "environment.yml": "$schema: https://azuremlschemas.azureedge.net/latest/environment.schema.json\nname: tf-env\nimage: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest\nconda_file: conda.yml\n",
            "conda.yml": "name: tf\nchannels: [conda-forge]\ndependencies:\n  - python=3.10\n  - pip\n  - pip:\n    - tensorflow==2.12.0\n",
        },
        {
            "environment.yml": "$schema: https://azuremlschemas.azureedge.net/latest/environment.schema.json\nname: tf-env\nimage: mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04:latest\nconda_file: conda.yml\n",
            "conda.yml": "name: tf\nchannels: [conda-forge]\ndependencies:\n  - python=3.10\n  - pip\n  - pip:\n    - tensorflow==2.12.0\n",
        },
    ),
    "AML004": (
        {"job.yml": _job('compute: azureml:gpu-cluster\nenvironment_variables:\n  CUDA_VISIBLE_DEVICES: ""\n')},
        {"job.yml": _job('compute: azureml:gpu-cluster\nenvironment_variables:\n  CUDA_VISIBLE_DEVICES: "0"\n')},
    ),
    "AML005": (
        {"job.yml": _job("resources:\n  instance_type: Standard_NC96ads_A100_v4\ndistribution:\n  type: pytorch\n  process_count_per_instance: 1\n")},
        {"job.yml": _job("resources:\n  instance_type: Standard_NC96ads_A100_v4\ndistribution:\n  type: pytorch\n  process_count_per_instance: 4\n")},
    ),
    "AML006": (
        {"job.yml": _job("resources:\n  instance_type: Standard_NC24ads_A100_v4\ndistribution:\n  type: pytorch\n  process_count_per_instance: 4\n")},
        {"job.yml": _job("resources:\n  instance_type: Standard_NC24ads_A100_v4\ndistribution:\n  type: pytorch\n  process_count_per_instance: 1\n")},
    ),
    "AML007": (
        {
            "job.yml": _job("compute: azureml:gpu-cluster\n"),
            "setup.sh": "az ml compute create -n gpu-cluster --type amlcompute --min-instances 0 --size Standard_NC6\n",
        },
        {
            "job.yml": _job("compute: azureml:gpu-cluster\n"),
            "setup.sh": "az ml compute create -n gpu-cluster --type amlcompute --min-instances 0 --size Standard_NC4as_T4_v3\n",
        },
    ),
    # ---------------------------------------------------------------- Python
    "PY001": (
        {"train.py": "import tensorflow as tf\nwith tf.device('/CPU:0'):\n    model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n    model.compile(loss='mse')\n    model.fit(x, y, epochs=3)\n"},
        {"train.py": "import tensorflow as tf\nwith tf.device('/CPU:0'):\n    x = tf.random.normal((64, 8))\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nmodel.compile(loss='mse')\nmodel.fit(x, y, epochs=3)\n"},
    ),
    "PY002": (
        {"train.py": "import tensorflow as tf\ntf.config.set_visible_devices([], 'GPU')\n"},
        {"train.py": "import tensorflow as tf\ngpus = tf.config.list_physical_devices('GPU')\ntf.config.set_visible_devices(gpus[:1], 'GPU')\n"},
    ),
    "PY003": (
        {"train.py": "import os\nos.environ['CUDA_VISIBLE_DEVICES'] = '-1'\nimport torch\n"},
        {"train.py": "import os\nos.environ['CUDA_VISIBLE_DEVICES'] = '0'\nimport torch\n"},
    ),
    "PY004": (
        {"train.py": "import os\nimport torch\nprint(torch.cuda.is_available())\nos.environ['CUDA_VISIBLE_DEVICES'] = '1'\n"},
        {"train.py": "import os\nos.environ['CUDA_VISIBLE_DEVICES'] = '1'\nimport torch\nprint(torch.cuda.is_available())\n"},
    ),
    "PY005": (
        {"train.py": "import jax\njax.config.update('jax_platforms', 'cpu')\n"},
        {"train.py": "import jax\njax.config.update('jax_enable_x64', True)\n"},
    ),
    "PY006": (
        {"train.py": "import torch\nfrom torch import nn\n\nclass Net(nn.Module):\n    pass\n\nmodel = Net()\nfor x, y in loader:\n    loss = loss_fn(model(x), y)\n    loss.backward()\n"},
        {"train.py": "import torch\nfrom torch import nn\n\nclass Net(nn.Module):\n    pass\n\ndevice = torch.device('cuda')\nmodel = Net()\nmodel.to(device)\nfor x, y in loader:\n    loss = loss_fn(model(x.to(device)), y.to(device))\n"},
    ),
    "PY007": (
        {"train.py": "import torch\ndevice = torch.device('cpu')\nmodel = Net().to(device)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"},
        {"train.py": "import torch\ndevice = torch.device('cuda' if torch.cuda.is_available() else 'cpu')\nmodel = Net().to(device)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"},
    ),
    "PY008": (
        {"train.py": "import torch\nfor x, y in loader:\n    loss = loss_fn(model(x), y)\n    loss.backward()\n    optimizer.step()\n    history.append(loss.detach().cpu().numpy())\n"},
        {"train.py": "import torch\nfor step, (x, y) in enumerate(loader):\n    loss = loss_fn(model(x), y)\n    loss.backward()\n    optimizer.step()\n    history.append(loss.detach())\n    if step % 100 == 0:\n        print(loss.item(), loss.cpu())\n"},
    ),
    "PY009": (
        {"train.py": "import torch\nfrom torch.utils.data import DataLoader\nfrom torchvision import transforms\ntf = transforms.Compose([transforms.RandomResizedCrop(224), transforms.ToTensor()])\nds = Photos(transform=tf)\nloader = DataLoader(ds, batch_size=64, shuffle=True)\nmodel.to('cuda')\n"},
        {"train.py": "import torch\nfrom torch.utils.data import DataLoader\nfrom torchvision import transforms\ntf = transforms.Compose([transforms.RandomResizedCrop(224), transforms.ToTensor()])\nds = Photos(transform=tf)\nloader = DataLoader(ds, batch_size=64, shuffle=True, num_workers=8, pin_memory=True)\nmodel.to('cuda')\n"},
    ),
    "PY010": (
        {"train.py": "import tensorflow as tf\nds = tf.data.TFRecordDataset(files).map(parse).shuffle(1000).batch(64)\nmodel.fit(ds, epochs=5)\n"},
        {"train.py": "import tensorflow as tf\nds = tf.data.TFRecordDataset(files).map(parse).shuffle(1000).batch(64).prefetch(tf.data.AUTOTUNE)\nmodel.fit(ds, epochs=5)\n"},
    ),
    "PY011": (
        {"train.py": "import tensorflow as tf\nwith tf.device('/GPU:0'):\n    model.fit(x, y)\n"},
        {"train.py": "import tensorflow as tf\nmodel.fit(x, y)\n"},
    ),
}


def write(root: Path, files: Files) -> Path:
    """Write a case's files under ``root``."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root
