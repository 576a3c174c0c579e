"""accray40 (session 40): Ray's GPU assignment read from what it means. A task or actor defined with no GPU request runs
with CUDA_VISIBLE_DEVICES empty (https://docs.ray.io/en/latest/ray-core/scheduling/accelerators.html), also beside a task
that asks for GPUs (Ray 1.x reused such a worker: ray-project/ray#22504); a Ray job's entrypoint is given GPUs only through
entrypoint_num_gpus (JobSubmissionClient.submit_job). explain.where.RAY_TASK_NO_GPUS, RAY_JOB, ray_job_fails_said and
ray_left_gpu_unassigned; LOG330 and LOG-PT-IS-AVAILABLE-FALSE's "ray_unassigned" context judge. Also the writer's words
calling a message wrong (explain.statements.asserted)."""

from __future__ import annotations

import pytest

from log_text import finding_codes, first_cause
from whygpu.explain import statements
from whygpu.explain.where import (
    RAY_JOB,
    RAY_JOB_GPUS,
    RAY_TASK_NO_GPUS,
    ray_job_fails_said,
    ray_left_gpu_unassigned,
)


@pytest.mark.parametrize("line", [
    "@ray.remote",                                      # a bare decorator (docs.ray.io's task example)
    "@ray.remote(num_cpus=1)",                          # verl's main_task (https://github.com/verl-project/verl/issues/441)
    "remote_cls_saver = ray.remote(RayEncode)  #saver class",  # https://github.com/ray-project/ray/issues/14101
])
def test_a_task_without_a_gpu_request_is_read(line: str) -> None:
    assert RAY_TASK_NO_GPUS.search(line) is not None


@pytest.mark.parametrize("line", [
    "@ray.remote(num_gpus=1)",
    "@ray.remote(num_cpus=2, num_gpus=0.5)",
    "Actor = ray.remote(num_gpus=4)(Actor)",          # https://github.com/ray-project/ray/issues/1940
    "remote_cls.options(num_gpus=0.1).remote()",
    "x = ray.remote(Worker).options(num_gpus=1)",
])
def test_a_gpu_request_is_not_a_task_without_one(line: str) -> None:
    assert RAY_TASK_NO_GPUS.search(line) is None


def test_the_decision_needs_ray_and_a_task_without_gpus_or_none_asked() -> None:
    assert ray_left_gpu_unassigned(True, True, True, False)
    assert ray_left_gpu_unassigned(True, False, False, False)
    assert not ray_left_gpu_unassigned(True, True, False, False)     # every task asks for GPUs
    assert not ray_left_gpu_unassigned(False, False, True, False)    # Ray does not run the work
    assert not ray_left_gpu_unassigned(True, False, True, True)      # the program sets CUDA_VISIBLE_DEVICES itself


# A CPU task and a GPU task in one script, torch finding no GPU in either (the shape of ray-project/ray#22504's
# reproduction; PyTorch's own answer printed).
_MIXED = """import torch
import ray

ray.init("auto")

@ray.remote
def test_fn():
    print(torch.cuda.is_available())

@ray.remote(num_gpus=1)
def test_gpu_fn():
    print(torch.cuda.is_available())

ray.get(test_fn.remote())
ray.get(test_gpu_fn.remote())
torch==1.10.2+cu111
torch.cuda.is_available() is False in the GPU task too
"""


def test_a_task_without_gpus_beside_a_gpu_task_is_ray_hiding_the_gpu() -> None:
    assert first_cause(_MIXED) == "GPU_HIDDEN"


def test_every_task_asking_for_gpus_leaves_the_answer_to_other_readings() -> None:
    text = _MIXED.replace("@ray.remote\ndef test_fn", "@ray.remote(num_gpus=1)\ndef test_fn")
    assert first_cause(text) != "GPU_HIDDEN" and "LOG330" not in finding_codes(text)


def test_a_cpu_build_shown_stays_the_cpu_build() -> None:
    text = _MIXED.replace("torch==1.10.2+cu111", "torch==1.10.2+cpu")
    assert first_cause(text) == "FRAMEWORK_CPU_BUILD"


@pytest.mark.parametrize("line", [
    "ray job submit --working-dir . -- python script.py",
    "client = JobSubmissionClient(\"http://127.0.0.1:8265\")",
    "job_id = client.submit_job(entrypoint=\"python script.py\")",
])
def test_a_ray_job_is_named(line: str) -> None:
    assert RAY_JOB.search(line) is not None


def test_the_entrypoint_given_gpus_is_read() -> None:
    assert RAY_JOB_GPUS.search("ray job submit --entrypoint-num-gpus=1 -- python train.py")
    assert RAY_JOB_GPUS.search("client.submit_job(entrypoint='python t.py', entrypoint_num_gpus=1)")
    assert not RAY_JOB_GPUS.search("client.submit_job(entrypoint='python t.py', entrypoint_num_gpus=0)")


@pytest.mark.parametrize(("line", "read"), [
    ("When running via Job submission, the assert statement fails.", True),
    ("Submitted with ray job submit, torch sees no GPU.", True),
    ("Does the assert fail when running via job submission?", False),
    ("If the job submission fails, retry it.", False),
    ("I use job submission to run my script.", False),
])
def test_the_job_said_to_fail_its_gpu_check(line: str, read: bool) -> None:
    assert (ray_job_fails_said(line) is not None) is read


_JOB = """[Jobs] GPU missing in driver
import ray
import torch

ray.init()
assert torch.cuda.is_available()

When run directly on the node, the assert passes. When running via Job submission, the assert statement fails.
"""


def test_a_ray_job_whose_gpu_check_fails_is_its_entrypoint_given_no_gpu() -> None:
    assert first_cause(_JOB) == "GPU_HIDDEN" and "LOG330" in finding_codes(_JOB)


def test_a_job_given_entrypoint_gpus_is_not_that() -> None:
    text = _JOB + "\nray job submit --entrypoint-num-gpus=1 -- python script.py\n"
    assert "LOG330" not in finding_codes(text)


@pytest.mark.parametrize(("line", "unused"), [
    # https://github.com/ray-project/ray_lightning/issues/147's title: the writer calls the warning wrong
    ("[Tune] Ray Tune gives incorrect warning about not using GPUs when used with Ray Lightning", False),
    ("The log shows a misleading message that the GPU is not used", False),
    ("Ray Tune is not using GPUs when used with Ray Lightning", True),
    ("I get a warning about not using GPUs", True),
])
def test_a_message_called_wrong_is_not_the_writer_saying_it(line: str, unused: bool) -> None:
    assert (statements.unused(line) is not None) is unused


# --- accray40: a serving program's floor of compute capability (knowledge/serving_images.toml [[gpu_floor]], LOG851) ---

from whygpu.knowledge.serving_images import floor_program, gpu_below_floor  # noqa: E402

_TRITON = """===============================
== TensorRT Inference Server ==
===============================

NVIDIA Release 19.10 (build 8266503)
GPU : M40 (24GB)
E0331 model_repository_manager.cc:810] failed to load 'resnet' version 1: Invalid argument: instance group resnet_0 of model resnet has kind KIND_GPU but no GPUs are available
"""


def test_the_floor_holds_from_its_release_for_a_gpu_below_it() -> None:
    floor = floor_program("nvcr.io/nvidia/tensorrtserver:19.10-py3")
    assert floor is not None and floor.min_cc == "6.0"
    assert gpu_below_floor(floor, ["19.10"], ["5.2"]) is True
    assert gpu_below_floor(floor, ["19.07"], ["5.2"]) is None       # before the floor's first release
    assert gpu_below_floor(floor, ["21.10"], ["7.5"]) is False      # a T4 meets it
    assert gpu_below_floor(floor, ["21.10"], []) is None            # no GPU named


def test_triton_at_a_release_with_the_floor_on_an_older_gpu_is_not_supported() -> None:
    assert first_cause(_TRITON) == "GPU_NOT_SUPPORTED" and "LOG851" in finding_codes(_TRITON)


def test_an_older_release_or_a_newer_gpu_is_not_that() -> None:
    assert "LOG851" not in finding_codes(_TRITON.replace("19.10", "19.07"))
    assert "LOG851" not in finding_codes(_TRITON.replace("M40 (24GB)", "Tesla T4"))
    assert "LOG851" not in finding_codes(_TRITON.replace("but no GPUs are available", "loaded"))
