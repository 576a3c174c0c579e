"""The self-contained collector (one standard-library file) and the recipes that run it on every node of a fleet."""

# The default images, here rather than in ``recipes`` (dataclasses, shlex) because the commands'
# ``--help`` text names them and ``whygpu --help`` must stay light.
# An Azure ML base image (Ubuntu 22.04 with Python and Open MPI), used when no environment is named:
# https://github.com/Azure/AzureML-Containers
AZUREML_DEFAULT_IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest"
KUBERNETES_DEFAULT_IMAGE = "python:3.12-slim"
