"""The lint-only knowledge files: every row has a source URL, and every pattern compiles."""

from __future__ import annotations

import re

import pytest

from whygpu.lint.data import load, names


def test_lint_data_files_exist() -> None:
    assert names() == ["images", "packages", "python_apis"]


@pytest.mark.parametrize("name", ["images", "packages", "python_apis"])
def test_every_row_has_a_source(name: str) -> None:
    data = load(name)
    rows = [(table, row) for table, value in data.items() if isinstance(value, list) for row in value]
    assert rows
    for table, row in rows:
        assert isinstance(row.get("source"), str) and row["source"].startswith("https://"), (name, table, row)
        if "pattern" in row:
            re.compile(row["pattern"])


def test_suggested_images_exist_for_each_cuda_major_with_cudnn() -> None:
    from packaging.version import Version

    from whygpu.lint.images import suggest_cuda_image

    assert suggest_cuda_image(Version("11.2"), "8.1") == "nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04"
    assert suggest_cuda_image(Version("12.3"), "8.9") is None  # no known tag: no guess
    assert suggest_cuda_image(Version("12.5"), "9.3") == "nvidia/cuda:12.6.3-cudnn-runtime-ubuntu22.04"
    # Before CUDA 11 only the same minor serves a build: 10.0 gets the 10.0 image, 9.2 none (no 9.2 row).
    assert suggest_cuda_image(Version("10.0"), "7") == "nvidia/cuda:10.0-cudnn7-runtime-ubuntu18.04"
    assert suggest_cuda_image(Version("10.1"), "7") == "nvidia/cuda:10.1-cudnn7-runtime-ubuntu18.04"
    assert suggest_cuda_image(Version("9.2"), "7") is None
