"""accinst (session 30): the writer's word that the work under Ray leaves the GPU unused and that the same code uses it
without Ray (explain.where.ray_said), judged by LOG330 (Ray sets CUDA_VISIBLE_DEVICES from the task's GPU request).
Sentences written here from what the words mean, not pasted from any report."""

from __future__ import annotations

import pytest

from log_text import finding_codes, first_cause
from whygpu.explain.where import ray_said


@pytest.mark.parametrize(("line", "kind"), [
    ("Ray fails to utilize GPU resources, the code when run without ray works fine.", "unused"),
    ("ray tune doesn't detect my GPU at all", "unused"),
    ("Outside of Ray it runs on the GPU just fine.", "works_without"),
    ("It works fine when I run it without ray.", "works_without"),
])
def test_the_words_are_read(line: str, kind: str) -> None:
    said = ray_said(line)
    assert said is not None and said[0] == kind


@pytest.mark.parametrize("line", [
    "Does ray fail to use the GPU when num_gpus is not set?",
    "If ray fails to use the GPU, set num_gpus.",
    "# ray does not use the gpu here",
])
def test_a_question_a_condition_or_a_comment_is_not(line: str) -> None:
    assert ray_said(line) is None


def test_ray_unused_with_the_code_working_without_it_is_ray_hiding_the_gpu() -> None:
    text = "Ray fails to utilize GPU resources; the same PyTorch code when run without ray works fine on the GPU."
    assert first_cause(text) == "GPU_HIDDEN" and "LOG330" in finding_codes(text)


def test_a_gpu_request_shown_leaves_it_to_other_readings() -> None:
    text = "@ray.remote(num_gpus=1)\nclass Worker: ...\nRay fails to utilize the GPU, without ray it works fine."
    assert "LOG330" not in finding_codes(text)


def test_ray_named_without_the_contrast_is_not_enough() -> None:
    assert "LOG330" not in finding_codes("ray tune doesn't detect my GPU at all")
