"""Collects the environment variables that decide GPU use, with secrets redacted."""

from __future__ import annotations

import re

from whygpu.collect.interface import Machine
from whygpu.redact import redact_value

# Variables that decide which GPU and which libraries a framework sees. Prefix patterns catch
# families (NVIDIA_*, TF_*, XLA_*, AZUREML_*) without listing every member.
# (Names and prefixes rather than one regular expression, which every run would compile.)
_RELEVANT_NAMES = frozenset({
    "LD_LIBRARY_PATH", "LD_PRELOAD", "PATH", "CONDA_PREFIX", "CONDA_DEFAULT_ENV", "VIRTUAL_ENV", "PYTHONPATH",
    "PYTHONHOME", "SLURM_JOB_GPUS", "SLURM_STEP_GPUS", "GPU_DEVICE_ORDINAL", "ROCR_VISIBLE_DEVICES",
    "HIP_VISIBLE_DEVICES", "LOCAL_RANK", "WORLD_SIZE", "KUBERNETES_SERVICE_HOST", "WSL_DISTRO_NAME", "WSL_INTEROP",
    "KERAS_BACKEND",
})
_RELEVANT_PREFIXES = ("CUDA_", "NVIDIA_", "CUDNN_", "TF_", "XLA_", "JAX_", "PJRT_", "TORCH_", "PYTORCH_", "AZUREML_",
                      "AML_", "CI_", "MLFLOW_", "OMPI_COMM_WORLD_")

# Terraform's TF_* variables share TensorFlow's prefix; they say nothing about the GPU. (Compiled,
# by re's cache, where a TF_ variable is set.)
_TERRAFORM = r"^TF_(CLI_.*|VAR_.*|LOG.*|IN_AUTOMATION|WORKSPACE|INPUT|DATA_DIR|PLUGIN_.*|REGISTRY_.*|TOKEN_.*|APPEND_USER_AGENT|IGNORE)$"


def is_relevant(name: str) -> bool:
    """Whether a variable decides which GPU or which libraries a framework sees (Terraform's ``TF_*`` do not)."""
    # As the anchored pattern it replaces read it: no line break, but one at the very end.
    bare = name[:-1] if name.endswith("\n") else name
    if "\n" in bare or not (bare in _RELEVANT_NAMES or bare.startswith(_RELEVANT_PREFIXES)):
        return False
    return not (bare.startswith("TF_") and re.match(_TERRAFORM, name))


def collect_environment(machine: Machine) -> dict[str, str]:
    """The relevant variables of ``machine.environ``, redacted, sorted by name."""
    return {
        name: redact_value(name, value)
        for name, value in sorted(machine.environ.items())
        if is_relevant(name)
    }
