"""Collects the environment variables that decide GPU use, with secrets redacted."""

from __future__ import annotations

import re

from whygpu.collect.interface import Machine
from whygpu.redact import redact_value

# Variables that decide which GPU and which libraries a framework sees. Prefix patterns catch
# families (NVIDIA_*, TF_*, XLA_*, AZUREML_*) without listing every member.
_RELEVANT = re.compile(
    r"^(CUDA_.*|NVIDIA_.*|LD_LIBRARY_PATH|LD_PRELOAD|PATH|CUDNN_.*|TF_.*|XLA_.*|JAX_.*|PJRT_.*|"
    r"TORCH_.*|PYTORCH_.*|CONDA_PREFIX|CONDA_DEFAULT_ENV|VIRTUAL_ENV|PYTHONPATH|PYTHONHOME|"
    r"AZUREML_.*|AML_.*|CI_.*|MLFLOW_.*|SLURM_JOB_GPUS|SLURM_STEP_GPUS|GPU_DEVICE_ORDINAL|"
    r"ROCR_VISIBLE_DEVICES|HIP_VISIBLE_DEVICES|OMPI_COMM_WORLD_.*|LOCAL_RANK|WORLD_SIZE|KUBERNETES_SERVICE_HOST|"
    r"WSL_DISTRO_NAME|WSL_INTEROP|KERAS_BACKEND)$"
)


# Terraform's TF_* variables share TensorFlow's prefix; they say nothing about the GPU.
_TERRAFORM = re.compile(r"^TF_(CLI_.*|VAR_.*|LOG.*|IN_AUTOMATION|WORKSPACE|INPUT|DATA_DIR|PLUGIN_.*|REGISTRY_.*|TOKEN_.*|APPEND_USER_AGENT|IGNORE)$")


def collect_environment(machine: Machine) -> dict[str, str]:
    """The relevant variables of ``machine.environ``, redacted, sorted by name."""
    return {
        name: redact_value(name, value)
        for name, value in sorted(machine.environ.items())
        if _RELEVANT.match(name) and not _TERRAFORM.match(name)
    }
