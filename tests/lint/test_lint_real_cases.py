"""Regression cases modelled on real reports (shared/real-logs): the files that would have caused them."""

from __future__ import annotations

from pathlib import Path

import pytest
from lint_cases import write

from whygpu.lint.engine import lint
from whygpu.lint.policy import LintConfig
from whygpu.model import Finding, Location

CASES = {
    # https://github.com/matifali/dockerdl/issues/7: TF 2.13 (built for CUDA 11.8) in an image
    # built from CUDA 12.1.1 logged "Could not find cuda drivers"; rebuilding on CUDA 11 fixed it.
    "dockerdl-7": (
        {"Dockerfile": "ARG CUDA_VER=12.1.1\nARG UBUNTU_VER=22.04\nFROM nvidia/cuda:${CUDA_VER}-cudnn8-devel-ubuntu${UBUNTU_VER}\n"
                       "RUN apt-get update && apt-get install -y python3-pip\nRUN pip install --no-cache-dir tensorflow==2.13.0 jupyterlab\n"},
        {("DF002", "Dockerfile", 3)},
    ),
    # https://github.com/tensorflow/tensorflow/issues/42162: TF 2.3 wants libcudart.so.10.1,
    # only CUDA 11.0 was installed.
    "tensorflow-42162": (
        {"Dockerfile": "FROM nvidia/cuda:11.0-cudnn8-runtime-ubuntu18.04\nRUN apt-get update && apt-get install -y python3-pip && pip3 install tensorflow==2.3.0\n"},
        {("DF002", "Dockerfile", 1)},
    ),
    # https://github.com/facebookresearch/detectron2/issues/460: "Torch not compiled with CUDA
    # enabled" from a conda environment that installed the CPU build of PyTorch.
    "detectron2-460": (
        {"environment.yml": "name: tf-gpu\nchannels:\n  - pytorch\ndependencies:\n  - python=3.7\n  - pytorch=1.3\n  - torchvision\n  - cpuonly\n"},
        {("DEP007", "environment.yml", 8)},
    ),
}


def _loc(finding: Finding) -> Location:
    """The finding's file location; every lint finding has one."""
    assert finding.location is not None, finding.id
    return finding.location



@pytest.mark.parametrize("name", sorted(CASES))
def test_real_case_is_found(name: str, tmp_path: Path) -> None:
    files, expected = CASES[name]
    report = lint(["."], config=LintConfig(azureml_schema=False), cwd=write(tmp_path, files))
    found = {(f.id, _loc(f).file, _loc(f).line) for f in report.findings}
    assert expected <= found, found
