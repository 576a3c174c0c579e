"""Which environment variables are recorded, and that secrets among them are redacted."""

from __future__ import annotations

import pytest

from whygpu.collect.environ import collect_environment
from whygpu.collect.interface import Machine


def test_relevant_variables_kept_and_secrets_redacted() -> None:
    machine = Machine(environ={
        "CUDA_VISIBLE_DEVICES": "0", "TF_CPP_MIN_LOG_LEVEL": "3", "HOME": "/root", "TF_VAR_password": "x",
        "TF_CLI_CONFIG_FILE": "/root/.terraformrc", "AZUREML_RUN_TOKEN": "secret-token", "LD_LIBRARY_PATH": "/usr/local/cuda/lib64",
        "XLA_FLAGS": "--xla_gpu_cuda_data_dir=/usr/local/cuda", "EDITOR": "vim",
    })
    env = collect_environment(machine)
    assert env == {
        "AZUREML_RUN_TOKEN": "<redacted>",
        "CUDA_VISIBLE_DEVICES": "0",
        "LD_LIBRARY_PATH": "/usr/local/cuda/lib64",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "XLA_FLAGS": "--xla_gpu_cuda_data_dir=/usr/local/cuda",
    }


@pytest.mark.parametrize(("name", "relevant"), [
    ("PATH", True), ("LD_LIBRARY_PATH", True), ("CUDA_VISIBLE_DEVICES", True), ("TF_CPP_MIN_LOG_LEVEL", True),
    ("OMPI_COMM_WORLD_RANK", True), ("KERAS_BACKEND", True),
    ("PATHS", False), ("MY_PATH", False), ("CUDA", False), ("HOME", False), ("cuda_home", False),
    ("TF_LOG", False), ("TF_VAR_region", False), ("TF_IGNORE", False),  # Terraform's
    ("CUDA_X\nY", False),
])
def test_which_variables_are_relevant(name: str, relevant: bool) -> None:
    from whygpu.collect.environ import is_relevant

    assert is_relevant(name) is relevant
