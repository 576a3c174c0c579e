"""The writer's account of how a container, pod or cluster job was started (session 25, acccontainer).

A launch or spec told in prose ("I run it with singularity, without --nv", "the pod had no nvidia.com/gpu in its
limits", "the template was missing runtimeClassName: nvidia", "containerd's default runtime is runc"), the working
launch or spec shown after "This works:", and "nvidia-smi works inside the container". Lines written from what each
launcher's flag or field means (knowledge/launchers.toml), in the layouts a writer uses, and near misses that must stay
quiet: questions, conditions, advice, a runtime changed away from runc, a launch with the GPU shown, a GPU in use.
"""

from __future__ import annotations

import pytest

from log_text import codes as _codes
from whygpu.explain import explain_text
from whygpu.explain.remedies import stated_remedies
from whygpu.explain.where import smi_works_in_container, told_launches
from whygpu.knowledge.launchers import gpu_request_named, request_row

_UNUSED_TORCH = ">>> torch.cuda.is_available()\nFalse\n"
_INSUFFICIENT = "Failed to allocate device vector A (error code CUDA driver version is insufficient for CUDA runtime version)!\n"


# --- knowledge: each launcher's GPU request by name -----------------------------------------------------------------


@pytest.mark.parametrize(("words", "row"), [
    ("apptainer exec --nv img.sif", "singularity-nv"),
    ("singularity run --nvccli img.sif", "singularity-nv"),
    ("docker run --gpus=all img", "docker-gpus"),
    ("podman run --device nvidia.com/gpu=all img", "docker-gpus"),
    ("resources: limits: nvidia.com/gpu: 1", "k8s-gpu-limit"),
    ("the GPU limits of the container", "k8s-gpu-limit"),
    ("runtimeClassName: nvidia", "k8s-runtime-class"),
    ("runtime: nvidia", "compose-reservation"),
    ("deploy.resources.reservations.devices", "compose-reservation"),
])
def test_each_launchers_gpu_request_is_named_by_its_row(words: str, row: str) -> None:
    found = gpu_request_named(words)
    assert found is not None and found[0].id == row, words
    got = request_row(row)
    assert got is not None and got.fix and got.source.startswith("https://")


@pytest.mark.parametrize("words", ["the GPU resources are busy", "--nvme-device /dev/nvme0", "no gpus on this node", "docker run --rm img"])
def test_words_that_name_no_gpu_request_are_none(words: str) -> None:
    assert gpu_request_named(words) is None, words


# --- the told launch or spec without its GPU request ---------------------------------------------------------------


@pytest.mark.parametrize(("text", "row"), [
    ("I converted the image and start it with singularity run (without --nv).\n", "singularity-nv"),
    ("We launch the job on the cluster with apptainer exec, and I did not pass --nv to it.\n", "singularity-nv"),
    ("My deployment did not set nvidia.com/gpu in the container's resources.\n", "k8s-gpu-limit"),
    ("The pod spec has no runtimeClassName: nvidia.\n", "k8s-runtime-class"),
    ("The runtimeClassName field was missing from the job template.\n", "k8s-runtime-class"),
    ("Turns out the compose service had no runtime: nvidia line.\n", "compose-reservation"),
    ("The container was started w/o --gpus by our scheduler.\n", "docker-gpus"),
    ("On this node containerd's default runtime is still runc.\n", "cri-runc"),
    ("The container was started without the NVIDIA container runtime.\n", "docker-gpus"),
    ("My compose file has no deploy section for the worker service.\n", "compose-reservation"),
    ("The device plugin pod runs under the default runc runtime in containerd.\n", "cri-runc"),
    ("The container cannot see the GPU because I started it without --nv.\n", "singularity-nv"),
])
def test_a_told_launch_without_its_gpu_request_is_read(text: str, row: str) -> None:
    got = told_launches(text.splitlines())
    assert [t.request for t in got] == [row], text


def test_a_pronoun_for_the_request_named_just_before_is_read() -> None:
    lines = ["GPU pods must opt in with `runtimeClassName: nvidia` on this cluster.", "", "Our test manifest was missing this field."]
    assert [t.request for t in told_launches(lines)] == ["k8s-runtime-class"]
    far = [lines[0], "a", "b", "c", "d", "e", lines[2]]
    assert told_launches(far) == []


@pytest.mark.parametrize("text", [
    "You need to add --nv to the singularity command.\n",  # advice
    "Did you start it without --nv?\n",  # a question
    "If you run the container without --gpus it cannot see the GPU.\n",  # a condition
    "It fails both with and without --nv.\n",  # both launches weighed
    "I started the container with --gpus all.\n",  # with the request
    "I changed containerd's default runtime from runc to nvidia.\n",  # a runtime changed to the NVIDIA one
    "The default runtime is runc.\n",  # no CRI (docker's runc with the toolkit's hook passes the GPU)
    "Without a GPU this pod runs on the CPU.\n",  # no request named
    "There were no nvidia-container-runtime errors in the journal.\n",  # the request's name modifies another thing
    "The docker daemon uses the nvidia runtime.\n",  # no lack
    # rules, plans and instructions about the flag, not an account of one launch
    "To run without --gpus, use the CPU image.\n",
    "The CPU image can be started without --gpus.\n",
    "Without --nv, the container will not see the GPU.\n",
    "For CPU-only runs, omit --gpus.\n",
    "I tried without --nv and with --nv, same result.\n",
    "Running without --gpus works, with --gpus it crashes.\n",
])
def test_advice_questions_conditions_and_other_launches_are_not_told_launches(text: str) -> None:
    assert told_launches(text.splitlines()) == [], text


def test_a_told_launch_without_the_gpu_leads_the_failure_it_explains() -> None:
    text = "The pod spec has no runtimeClassName: nvidia, so the CUDA sample fails:\n" + _INSUFFICIENT
    got = _codes(text)
    assert got[:2] == ["CONTAINER_NO_GPU", "DRIVER_TOO_OLD"], got
    finding = next(f for f in explain_text(text).findings if f.cause == "CONTAINER_NO_GPU" and f.id == "LOG103")
    assert "runtimeClassName" in finding.fix


def test_a_told_singularity_launch_without_nv_names_the_container() -> None:
    text = "I run the training inside the image with apptainer exec, without the --nv flag.\n" + _UNUSED_TORCH
    assert _codes(text)[:1] == ["CONTAINER_NO_GPU"]


@pytest.mark.parametrize("text", [
    # no failure shown: an account of the set-up alone
    "The pod spec has no runtimeClassName: nvidia.\n",
    # the program's launch with the GPU shown beside it
    "Earlier I ran it without --nv.\n$ singularity exec --nv img.sif python train.py\n" + _UNUSED_TORCH,
    # advice to someone else, with a failure
    "You need to add --nv when you start it.\n" + _UNUSED_TORCH,
])
def test_the_told_launch_reading_stays_quiet_without_a_failure_or_beside_a_launch_with_the_gpu(text: str) -> None:
    assert not any(f.id == "LOG103" and "writer says" in f.title for f in explain_text(text).findings), text


# --- the working launch or spec shown after "This works:" ----------------------------------------------------------


@pytest.mark.parametrize("text", [
    "torch finds no GPU in the container.\nThis works:\n```\napptainer shell --nv tools.sif\n```\n",
    "Moved the device block under deploy and now it works\n```yaml\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - capabilities: [gpu]\n```\n",
    "this worked for me:\n~~~\ndocker run --rm --gpus all my/trainer:latest python fit.py\n~~~\n",
])
def test_a_working_launch_in_the_code_block_after_a_success_is_the_remedy(text: str) -> None:
    assert [r.cause for r in stated_remedies(text)] == ["CONTAINER_NO_GPU"], text


@pytest.mark.parametrize("text", [
    # the toolkit's check working says the toolkit passes a GPU, not what fixed the program's container
    "This works:\n```\ndocker run --rm --gpus all nvidia/cuda:12.2.0-base-ubuntu22.04 nvidia-smi\n```\n",
    # a question, and the block not right after the sentence
    "Does this work?\n```\napptainer shell --nv tools.sif\n```\n",
    "This works: it is in the docs.\n```\napptainer shell --nv tools.sif\n```\n",
    # prose after the success on the same line
    "This works: see below. The training still fails\n```\napptainer shell --nv tools.sif\n```\n",
])
def test_a_code_block_after_no_success_or_a_toolkit_check_is_no_remedy(text: str) -> None:
    assert stated_remedies(text) == [], text


# --- nvidia-smi said to work inside the container ------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "nvidia-smi works inside the container, but TensorFlow lists no GPU.",
    "Running nvidia-smi in the container shows both A100s as expected.",
    "I checked it by running `nvidia-smi` inside the pod and it lists the T4 fine.",
])
def test_nvidia_smi_said_to_work_inside_the_container_is_read(line: str) -> None:
    assert smi_works_in_container(line) is not None, line


@pytest.mark.parametrize("line", [
    "nvidia-smi does not work inside the container.",
    "nvidia-smi works on the host but not inside the container.",
    "Does nvidia-smi work inside the container?",
    "If nvidia-smi works inside the container, the runtime is fine.",
    "nvidia-smi works fine on the host.",
    "[W] nvidia-smi in container: command not found",
])
def test_nvidia_smi_not_said_to_work_inside_the_container_is_not_read(line: str) -> None:
    assert smi_works_in_container(line) is None, line


def test_nvidia_smi_working_inside_the_container_ranks_the_container_reading_lower() -> None:
    base = "I use the docker image and TensorFlow finds no GPU:\n>>> tf.config.list_physical_devices('GPU')\n[]\n"
    assert _codes(base)[:1] == ["CONTAINER_NO_GPU"]
    said = base + "nvidia-smi works inside the container and shows the RTX 3090.\n"
    got = _codes(said)
    assert got[:1] != ["CONTAINER_NO_GPU"] and "NO_GPU" not in got[:1] and "DRIVER_MISSING" not in got[:1], got


def test_a_with_between_the_lack_word_and_the_request_is_not_a_lack() -> None:
    assert told_launches(["No errors at all when I start it with --nv."]) == []
    assert [t.request for t in told_launches(["I start it with singularity run, without --nv."])] == ["singularity-nv"]


@pytest.mark.parametrize("text", [
    'Running the above command without "--gpus all" returns only the CPU device.\n',  # a variation of a launch shown
    "kubectl describe node shows Capacity and Allocatable do not list nvidia.com/gpu.\n",  # the node's, not a pod's
])
def test_a_variation_of_a_shown_launch_or_a_nodes_resources_is_not_a_told_launch(text: str) -> None:
    assert told_launches(text.splitlines()) == [], text


def test_nvidia_smi_in_a_clause_that_something_went_wrong_is_not_said_to_work() -> None:
    line = "The runtime works fine under CRI-O, so under containerd something went wrong with making nvidia-smi available inside the container."
    assert smi_works_in_container(line) is None


# --- "I found the problem." and the answer in the sentences after it --------------------------------------------------


@pytest.mark.parametrize(("text", "cause"), [
    ("OK I've found the problem to my issue. You also need to set the GPU limits in the pod's resources.\n", "CONTAINER_NO_GPU"),
    ("I figured it out.\nThe --nv option is what the container needed.\n", "CONTAINER_NO_GPU"),
    ("Found the solution:\nI had exported CUDA_VISIBLE_DEVICES=-1 in my profile and removed it.\n", "GPU_HIDDEN"),
])
def test_the_answer_after_a_found_it_sentence_is_the_writers_remedy(text: str, cause: str) -> None:
    assert [r.cause for r in stated_remedies(text)] == [cause], text


@pytest.mark.parametrize("text", [
    "Has anyone found the solution? You need to add --gpus all.\n",  # a question, not a finding
    "I have not found the problem yet. Adding --gpus all did not change anything.\n",  # negated
    "I found it. Maybe it needs --gpus all, not sure.\n",  # a guess
    "I found the problem. If you run it in a pod, set nvidia.com/gpu in the limits.\n",  # a condition
    "I found the problem.\nThe weather was nice.\nSo was lunch.\nAnd dinner.\nYou can add --gpus all.\n",  # too far after it
])
def test_no_answer_is_read_after_a_question_a_negation_a_guess_or_too_far(text: str) -> None:
    assert stated_remedies(text) == [], text
