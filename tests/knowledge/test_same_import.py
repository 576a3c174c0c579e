"""The one decision that two installed distributions overwrite one import package (doctor FW004, explain LOG160)."""

from __future__ import annotations

import pytest

from whygpu.knowledge.python_layouts import Installed, same_import_conflicts


def _groups(names: list[str], *, windows: bool | None, installer: str | None = None, version: str | None = None) -> dict[str, list[str]]:
    found = same_import_conflicts([Installed(n, version, installer) for n in names], windows=windows)
    return {group.group: [m.name for m in members] for group, members in found}


@pytest.mark.parametrize(("names", "group"), [
    (["onnxruntime", "onnxruntime-gpu"], "onnxruntime"),
    (["onnxruntime-gpu", "onnxruntime-directml"], "onnxruntime"),
    (["onnxruntime_gpu", "ort-nightly"], "onnxruntime"),          # pip's underscore spelling
    (["paddlepaddle", "paddlepaddle-gpu"], "paddle"),
    (["cupy-cuda11x", "cupy-cuda12x"], "cupy"),
    (["torch", "pytorch"], "torch"),
])
def test_two_members_of_one_group_conflict(names: list[str], group: str) -> None:
    assert len(_groups(names, windows=False)[group]) == 2


@pytest.mark.parametrize("names", [
    ["onnxruntime-gpu"],
    ["onnxruntime-gpu", "onnxruntime-tools", "onnxruntime-extensions"],   # other packages, other modules
    ["cupy-cuda12x", "cudf-cu12"],
    ["torch", "torchvision"],
])
def test_one_member_is_no_conflict(names: list[str]) -> None:
    assert _groups(names, windows=False) == {}


def test_tensorflow_intel_under_tensorflow_conflicts_only_where_the_platform_is_known_not_windows() -> None:
    names = ["tensorflow", "tensorflow-intel"]
    assert _groups(names, windows=True) == {}
    assert _groups(names, windows=None) == {}          # a log that does not say the platform: never a conflict
    assert _groups(names, windows=False) == {"tensorflow": ["tensorflow", "tensorflow-intel"]}


def test_tensorflow_gpu_counts_only_as_a_gpu_build() -> None:
    # from 2.1 on tensorflow-gpu is the same build under an old name (FW003's), before it the GPU build beside the CPU one
    assert _groups(["tensorflow", "tensorflow-gpu"], windows=False, installer="pip", version="2.10.0") == {}
    assert "tensorflow" in _groups(["tensorflow", "tensorflow-gpu"], windows=False, installer="pip", version="1.14.0")
