"""Session 26 (accruntime): container runtimes other than Docker, the older print forms of two classes, and code that keeps
the work on the CPU.

Lines written from each message's format in its program's source (nvidia-docker 1.x's cudaSupported, XGBoost's
ValidateParameters, enroot's NVIDIA hook, the NGC images' banner) or from what a writer says, in the layouts a log shows
them; each reading beside the near misses that must stay quiet (an NVIDIA image or NVIDIA_VISIBLE_DEVICES given to an
enroot container, a question, a condition, advice, a parameter that does not choose the device, a sentence that goes on).
"""

from __future__ import annotations

import pytest

from log_text import codes, facts, report
from whygpu.explain.where import enroot_launch, smi_missing_inside
from whygpu.explain.works import code_keeps_cpu, placement_said
from whygpu.knowledge.launchers import gpu_request_named, request_row

_NO_DRIVER_PT = ("RuntimeError: Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU and installed a "
                 "driver from http://www.nvidia.com/Download/index.aspx\n")
_LIBCUDA = "OSError: libcuda.so.1: cannot open shared object file: No such file or directory\n"


# --- enroot and pyxis ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "gpu_env"), [
    ("$ srun --gpus=1 --container-image=ubuntu:22.04 python train.py", False),
    ("  --container-image=\"myimage:latest\" \\", False),
    ("#SBATCH --container-image=python:3.11", False),
    ("$ enroot start mytorch python train.py", False),
    ("enroot start --env NVIDIA_VISIBLE_DEVICES=all mytorch python train.py", True),
    ("NVIDIA_VISIBLE_DEVICES=all srun --container-image=ubuntu python -c 'import torch'", True),
    ("srun --container-image=nvcr.io#nvidia/pytorch:24.01-py3 python train.py", True),
    ("srun --container-env=NVIDIA_VISIBLE_DEVICES --container-image=ubuntu python train.py", True),
])
def test_enroot_and_pyxis_launches_are_read_with_whether_they_set_the_hooks_variable(line: str, gpu_env: bool) -> None:
    got = enroot_launch(line)
    assert got is not None and got.gpu_env is gpu_env, line


@pytest.mark.parametrize("line", [
    "You should try srun --container-image=nvcr.io#nvidia/pytorch:24.01-py3 instead.",
    "Can I pass --container-image to salloc?",
    "enroot start is what we use on the cluster",
    "srun --gpus=2 python train.py",
])
def test_advice_questions_prose_and_plain_srun_are_no_enroot_launch(line: str) -> None:
    assert enroot_launch(line) is None, line


def test_a_pyxis_container_without_the_driver_inside_is_the_container_not_the_driver() -> None:
    log = "srun --nodes=1 --gpus=1 \\\n  --container-image=ubuntu:22.04 \\\n  python train.py\n" + _NO_DRIVER_PT
    got = codes(log)
    assert got[0] == "CONTAINER_NO_GPU", got
    assert facts(log).enroot_launch


def test_the_same_failure_without_a_container_stays_a_driver_or_machine_reading() -> None:
    got = codes("srun --nodes=1 --gpus=1 python train.py\n" + _NO_DRIVER_PT)
    assert got and got[0] != "CONTAINER_NO_GPU", got


def test_an_enroot_container_given_nvidia_visible_devices_is_not_read_as_given_no_gpu() -> None:
    log = "$ NVIDIA_VISIBLE_DEVICES=all srun --container-image=ubuntu:22.04 python train.py\n" + _LIBCUDA
    titles = [f.title for f in report(log).findings if f.id == "LOG103"]
    assert not any("enroot" in t for t in titles), titles


def test_the_enroot_row_names_the_variable_and_its_fix() -> None:
    found = gpu_request_named("I did not set NVIDIA_VISIBLE_DEVICES for the job")
    assert found is not None and found[0].id == "enroot-nvidia-env"
    row = request_row("enroot-nvidia-env")
    assert row is not None and "NVIDIA_DRIVER_CAPABILITIES" in row.fix and row.source.startswith("https://github.com/NVIDIA/enroot")
    assert gpu_request_named("CUDA_VISIBLE_DEVICES=0 python train.py") is None


# --- the NGC/CUDA image banner with the driver missing inside ------------------------------------------------------


_BANNER = ("WARNING: The NVIDIA Driver was not detected.  GPU functionality will not be available.\n"
           "   Use the NVIDIA Container Toolkit to start this container with GPU support; see\n")


def test_the_banner_with_libcuda_missing_puts_the_container_first() -> None:
    got = report("I run my app in a container built FROM nvidia/cuda:12.4.1-devel-ubuntu22.04.\n" + _BANNER + _LIBCUDA)
    assert got.causes[0].code == "CONTAINER_NO_GPU" and got.causes[0].confidence.value == "high", got.causes


def test_the_banner_alone_stays_medium() -> None:
    got = report(_BANNER + "Training started on the CPU.\n")
    assert got.causes and got.causes[0].code == "CONTAINER_NO_GPU" and got.causes[0].confidence.value == "medium"


def test_the_banner_wrapped_after_its_first_sentence_is_still_read() -> None:
    assert facts("WARNING: The NVIDIA Driver was not detected.\nGPU functionality will not be available.\n").container_banner_no_driver
    assert not facts("The NVIDIA Driver was not detected. I then installed it and it works.\n").container_banner_no_driver


# --- nvidia-smi said missing inside a container, pod or Kubeflow job -------------------------------------------------


@pytest.mark.parametrize("line", [
    "The TFJob, running nvidia-smi, gives command not found.",
    "Inside the container nvidia-smi: command not found.",
    "Running nvidia-smi in the pod returns `bash: nvidia-smi: command not found`.",
    "nvidia-smi is missing inside the container.",
])
def test_nvidia_smi_said_missing_inside_is_read(line: str) -> None:
    assert smi_missing_inside(line) is not None, line


@pytest.mark.parametrize("line", [
    "If nvidia-smi is not found inside the container, the runtime did not mount the driver.",
    "Is nvidia-smi missing in the pod?",
    "nvidia-smi works inside the container.",
    "On the host nvidia-smi: command not found.",
    "bash: nvidia-smi: command not found",
])
def test_nvidia_smi_missing_elsewhere_asked_or_supposed_is_not(line: str) -> None:
    assert smi_missing_inside(line) is None, line


def test_a_pyTorchJob_whose_pod_has_no_nvidia_smi_is_a_container_without_the_gpu() -> None:
    assert codes("Our PyTorchJob trains on the CPU; running nvidia-smi in its pod gives command not found.\n")[:1] == ["CONTAINER_NO_GPU"]


def test_nvidia_smi_missing_with_a_launch_given_the_gpu_says_nothing_of_the_container() -> None:
    got = codes("$ docker run --gpus all myimage python train.py\nInside the container nvidia-smi: command not found.\n")
    assert "CONTAINER_NO_GPU" not in got[:1], got


def test_kubeflow_training_jobs_are_read_as_kubernetes_workloads() -> None:
    spec = ("apiVersion: kubeflow.org/v1\nkind: TFJob\nmetadata:\n  name: mnist\nspec:\n  tfReplicaSpecs:\n    Worker:\n"
            "      template:\n        spec:\n          containers:\n          - name: tensorflow\n            image: tensorflow/tensorflow:2.15.0-gpu\n")
    assert [s.value for s in facts(spec).manifest_without_gpus] == ["kubernetes"]
    with_gpu = spec + "            resources:\n              limits:\n                nvidia.com/gpu: 1\n"
    assert [s.value for s in facts(with_gpu).manifest_with_gpus] == ["kubernetes"]


# --- podman given the GPU through the OCI hook -----------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "$ podman run --rm --security-opt=label=disable --hooks-dir=/usr/share/containers/oci/hooks.d/ myimage python train.py",
    "$ podman run --rm --runtime=/usr/bin/nvidia-container-runtime myimage python train.py",
])
def test_podman_with_the_nvidia_hook_or_runtime_path_is_a_launch_with_the_gpu(line: str) -> None:
    got = facts(line + "\n")
    assert got.docker_run_with_gpus and not got.docker_run_without_gpus


def test_podman_without_any_of_them_stays_a_launch_without_the_gpu() -> None:
    got = facts("$ podman run --rm myimage python train.py\n")
    assert got.docker_run_without_gpus and not got.docker_run_with_gpus


# --- nvidia-docker 1.x's driver-against-image check, its first print form ----------------------------------------


def test_the_unlabelled_form_reads_the_image_first_and_the_driver_second() -> None:
    got = report("nvidia-docker | 2016/03/21 10:42:13 Error: unsupported CUDA version: 8.0 < 7.5\n")
    assert got.causes[0].code == "DRIVER_TOO_OLD"
    assert "supports CUDA 7.5" in got.causes[0].title and "CUDA 8.0 of the container image" in got.causes[0].title


def test_a_driver_of_0_0_in_the_unlabelled_form_is_no_driver() -> None:
    assert codes("nvidia-docker | 2016/03/21 10:42:13 Error: unsupported CUDA version: 7.5 < 0.0\n")[:1] == ["DRIVER_MISSING"]


def test_other_unsupported_versions_are_not_the_container_check() -> None:
    got = codes("ValueError: unsupported CUDA version: 13 (expected 11 or 12)\n")
    assert "DRIVER_TOO_OLD" not in got, got


# --- torch.cuda.is_available()'s answer told in a sentence under the call ----------------------------------------


@pytest.mark.parametrize("answer", [
    'yielded "False".', "It returns false", "and the output is False.", "which gives me `False`", "I get False again",
    "devuelve False", "gibt False zurück", "返回False",
])
def test_the_answer_told_under_the_call_is_the_frameworks_answer(answer: str) -> None:
    log = f"Windows 11, RTX 3080.\n```\nimport torch\ntorch.cuda.is_available()\n```\n{answer}\n"
    got = facts(log).gpu_answer.get("torch", [])
    assert [s.value for s in got] == [False], answer


@pytest.mark.parametrize("answer", [
    "It returned False before I reinstalled, now it is True.", "What should it return, False?", "The docs say it returns False without a GPU.",
])
def test_a_sentence_that_goes_on_or_asks_is_not_the_answer(answer: str) -> None:
    log = f"```\nimport torch\ntorch.cuda.is_available()\n```\n{answer}\n"
    assert not [s for s in facts(log).gpu_answer.get("torch", []) if s.value is False], answer


def test_the_told_answer_ranks_as_the_interactive_one() -> None:
    told = codes("Windows 11, RTX 3080.\n```\nimport torch\ntorch.cuda.is_available()\n```\nIt returns False.\n")
    shown = codes("Windows 11, RTX 3080.\n>>> import torch\n>>> torch.cuda.is_available()\nFalse\n")
    assert told == shown and told[0] == "FRAMEWORK_CPU_BUILD"


def test_true_told_under_the_call_is_a_gpu_found() -> None:
    got = facts("```\nprint(torch.cuda.is_available())\n```\nIt prints True.\n").gpu_answer.get("torch", [])
    assert [s.value for s in got] == [True]


# --- XGBoost's unused parameters ---------------------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    'Parameters: { "device" } are not used.',
    'Parameters: { "gpu_id", "tree_method" } might not be used.',
    "Parameters: { tree_method  } might not be used.",
    "Parameters: { n_gpus, silent } might not be used.",
    'Parameters: { "tree_method ", "verbose" } are not used.',
])
def test_a_gpu_parameter_xgboost_did_not_use_is_the_codes_doing(line: str) -> None:
    log = f"[10:21:33] WARNING: /workspace/src/learner.cc:740: \n{line}\n"
    assert codes(log)[:1] == ["CODE_FORCES_CPU"], line


@pytest.mark.parametrize("line", [
    'Parameters: { "predictor" } are not used.',
    'Parameters: { "silent", "n_estimators" } are not used.',
    "Parameters: { use_label_encoder } might not be used.",
])
def test_parameters_that_do_not_choose_the_device_say_nothing(line: str) -> None:
    assert codes(f"[10:21:33] WARNING: /workspace/src/learner.cc:740: \n{line}\n") == [], line


# --- the model or pipeline not moved to the GPU, in the writer's words ---------------------------------------------


@pytest.mark.parametrize("line", [
    "The pipeline is not automatically loaded into `CUDA` by from_pretrained.",
    "I forgot .to('cuda') on the pipeline.",
    "The pipe is not on cuda, so each image takes minutes.",
    "I forgot to move the diffusion pipeline to cuda.",
    "The unet was never moved to the GPU.",
])
def test_the_placement_said_skipped_is_read_as_the_work_on_the_cpu(line: str) -> None:
    m = code_keeps_cpu(line)
    assert m is not None and placement_said(m.group(0)), line


@pytest.mark.parametrize("line", [
    "If the model is not moved to cuda, it runs on the CPU.",
    "Is the pipe not on cuda?",
    "The model is loaded into CUDA memory fine.",
    "You forgot .to('cuda')? No, I call it.",
])
def test_conditions_questions_and_the_placement_done_are_not(line: str) -> None:
    assert code_keeps_cpu(line) is None, line


def test_a_fault_in_the_code_named_without_the_placement_is_not_the_work_on_the_cpu() -> None:
    m = code_keeps_cpu("It turned out there was a typo in my code.")
    assert m is not None and not placement_said(m.group(0))
    assert not placement_said("works fine in all my other projects")


def test_a_pipeline_not_moved_to_cuda_names_the_code_first() -> None:
    got = codes("Colab with a T4. The pipeline is not automatically loaded into CUDA, so sampling takes 2 hours.\n")
    assert got[:1] == ["CODE_FORCES_CPU"], got

