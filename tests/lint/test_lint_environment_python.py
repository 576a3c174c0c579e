"""The Python an environment has caps what pip resolves (whygpu.knowledge.distros, frameworks' Python ranges): an
open TensorFlow spec under Ubuntu 20.04's apt python3 (3.8) resolves to 2.13, not to the newest release, and
DEP009 reasons about that release. Minimal files of our own, written from the class."""

from __future__ import annotations

from pathlib import Path

import pytest
from lint_cases import write

from whygpu.knowledge.distros import distro_python, image_distro_python
from whygpu.lint.engine import lint
from whygpu.lint.frameworks import tensorflow_versions
from whygpu.lint.policy import LintConfig

CONFIG = LintConfig(azureml_schema=False)
TF_CODE = "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nmodel.compile('adam', 'mse')\n"


def _dockerfile(image: str, *, apt: str = "python3 python3-pip", extra: str = "") -> str:
    return f"FROM {image}\nRUN apt-get update && apt-get install -y {apt}\n{extra}RUN python3 -m pip install tensorflow\n"


def _dep009(root: Path, dockerfile: str) -> list[tuple[str, str]]:
    report = lint(["."], config=CONFIG, cwd=write(root, {"Dockerfile": dockerfile, "train.py": TF_CODE}))
    return [(f.severity.value, f.title) for f in report.findings if f.id == "DEP009"]


@pytest.mark.parametrize(
    ("reference", "python"),
    [
        ("nvidia/cuda:11.4.1-base-ubuntu20.04", "3.8"),
        ("nvidia/cuda:12.1.0-cudnn8-runtime-ubuntu22.04", "3.10"),
        ("ubuntu:jammy", "3.10"),
        ("debian:bookworm-slim", "3.11"),
    ],
)
def test_an_images_distribution_names_its_python(reference: str, python: str) -> None:
    assert image_distro_python(reference) is not None
    assert image_distro_python(reference)[0] == python  # type: ignore[index]


@pytest.mark.parametrize("reference", ["nvidia/cuda:11.8.0-base-ubi8", "ubuntu:latest", "python:3.10-slim", "tensorflow/tensorflow:2.15.0-gpu"])
def test_an_image_without_a_known_release_names_no_python(reference: str) -> None:
    assert image_distro_python(reference) is None


def test_the_python_ranges_cap_the_tensorflow_pip_can_resolve() -> None:
    from packaging.version import Version

    assert distro_python("ubuntu", "focal") == "3.8"
    assert max(tensorflow_versions(Version("3.8"))) == Version("2.13")
    assert max(tensorflow_versions(Version("3.8"))) < max(tensorflow_versions())


def test_an_open_tensorflow_under_a_python_that_caps_it_within_the_images_cuda_major_is_quiet(tmp_path: Path) -> None:
    # Ubuntu 20.04's python3 is 3.8: pip takes TensorFlow 2.13 (CUDA 11.8), the image's major (11).
    assert _dep009(tmp_path, _dockerfile("nvidia/cuda:11.4.1-cudnn8-runtime-ubuntu20.04")) == []


def test_an_open_tensorflow_under_a_python_that_reaches_a_newer_cuda_major_is_an_error(tmp_path: Path) -> None:
    # Ubuntu 22.04's python3 is 3.10: the newest TensorFlow has wheels for it and wants CUDA 12.
    found = _dep009(tmp_path, _dockerfile("nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04"))
    assert [severity for severity, _ in found] == ["error"]
    assert "for Python" not in found[0][1]


def test_another_python_in_the_dockerfile_leaves_the_distributions_out(tmp_path: Path) -> None:
    # A deadsnakes Python 3.11 is not the distribution's 3.8: the newest release stands (and needs CUDA 12).
    dockerfile = _dockerfile("nvidia/cuda:11.4.1-cudnn8-runtime-ubuntu20.04", apt="python3.11 python3-pip", extra="RUN add-apt-repository ppa:deadsnakes/ppa\n")
    assert [severity for severity, _ in _dep009(tmp_path, dockerfile)] == ["error"]


def test_an_open_range_resolves_within_the_python_and_says_so(tmp_path: Path) -> None:
    # An open tensorflow on Ubuntu 18.04 (Python 3.6): pip stops at 2.6 (CUDA 11.2), a newer major than the image's 10.1.
    dockerfile = "FROM nvidia/cuda:10.1-cudnn7-runtime-ubuntu18.04\nRUN apt-get update && apt-get install -y python3-pip\nRUN pip3 install tensorflow\n"
    found = _dep009(tmp_path, dockerfile)
    assert [severity for severity, _ in found] == ["error"]
    assert "for Python 3.6" in found[0][1]
    assert "needs CUDA 11.2" in found[0][1]
