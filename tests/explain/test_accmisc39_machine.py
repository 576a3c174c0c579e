"""accmisc39 (session 39): TensorFlow's distribution notices, and the writer's own words about the machine.

- tf.distribute's sparse all-reduce warning ("Efficient allreduce is not supported for 2 IndexedSlices") is printed only by
  the all-reduce MirroredStrategy picks for devices that are all GPUs: the GPUs were in use (LOG-TF-DIST-SPARSE-ALLREDUCE).
- tf.data's auto-shard fallback and tf.distribute's notices are no cause: a reading resting only on versions compared
  (LOG101, LOG102) stands aside for them unless a line fails or the GPU is shown unused (explain.distnotice).
- a desktop hypervisor's guest (VirtualBox, VMware Workstation, Parallels Desktop) with the GPU unseen: NO_GPU (LOG585),
  now with YOLOv5's refused CUDA device and Parallels' names read.
- a pasted code block that is the whole program (imports, creates, uses) and never moves its model, with the writer's word
  that the run was on the CPU: CODE_FORCES_CPU (LOG430, explain.wholecode); a markdown fence is no longer unwrapped to "`".

Real lines carry the public thread they come from.
"""

from __future__ import annotations

from tests.log_text import codes, facts, first_cause

from whygpu.explain.normalize import unwrap

# https://github.com/tensorflow/tensorflow/issues/39545 (the versions) with the warning of
# https://github.com/tensorflow/recommenders/issues/138
_TEMPLATE_OLD_DRIVER = """- TensorFlow version (use command below): v2.3.0-rc2-23-gb36436b087 2.3.0
- CUDA/cuDNN version: CUDA Version 10.1.243
- GPU model and memory: (2x) Tesla K80 - 11441MiB - Driver Version: 410.72
"""
_ALLREDUCE = "WARNING:tensorflow:Efficient allreduce is not supported for 2 IndexedSlices\n"


def test_sparse_allreduce_shows_the_gpus_in_use() -> None:
    assert first_cause(_TEMPLATE_OLD_DRIVER + _ALLREDUCE) is None
    assert "DRIVER_TOO_OLD" not in codes(_TEMPLATE_OLD_DRIVER + _ALLREDUCE)


def test_versions_alone_still_read_without_the_notice() -> None:
    assert first_cause(_TEMPLATE_OLD_DRIVER) == "DRIVER_TOO_OLD"


# https://github.com/tensorflow/tensorflow/issues/55474 (the warning)
_AUTOSHARD = ("2022-04-03 16:22:04.058728: W tensorflow/core/grappler/optimizers/data/auto_shard.cc:776] AUTO sharding policy will "
              "apply DATA sharding policy as it failed to apply FILE sharding policy because of the following reason: Found an "
              "unshardable source dataset: name: \"TensorDataset/_2\"\n")
_TEMPLATE_CUDA_11_1 = """- TensorFlow version (use command below): 2.4.0rc2
- CUDA/cuDNN version: 11.1/8.0
- GPU model and memory: RTX 3090
"""


def test_autoshard_notice_quiets_a_version_guess() -> None:
    log = _TEMPLATE_CUDA_11_1 + "When using MirroredStrategy with Keras it prints this for each batch:\n" + _AUTOSHARD
    assert [s.value for s in facts(log).dist_notice] == ["autoshard_fallback"]
    assert "CUDA_LIBS_MISMATCH" not in codes(log)


def test_version_guess_stands_where_the_gpu_is_shown_unused() -> None:
    log = _TEMPLATE_CUDA_11_1 + _AUTOSHARD + "[PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]\n"
    assert first_cause(log) == "CUDA_LIBS_MISMATCH"
    assert first_cause(_TEMPLATE_CUDA_11_1 + "[PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]\n") == "CUDA_LIBS_MISMATCH"


def test_no_notice_in_other_words() -> None:
    assert facts("I use a sharded dataset and the policy is DATA\n").dist_notice == []


# https://github.com/mats-robotics/yolov5_ros/issues/9 (the assertion; the VM in other words)
_YOLO_REFUSED = "AssertionError: Invalid CUDA '--device 0' requested, use '--device cpu' or pass valid CUDA device(s)\n"


def test_yolo_refused_device_in_a_virtualbox_guest_is_no_gpu() -> None:
    log = "I run Ubuntu 22.04 as a guest in VirtualBox on my Windows laptop.\n" + _YOLO_REFUSED
    assert first_cause(log) == "NO_GPU"
    assert [s.value for s in facts(log).gpu_unseen_said]


def test_virtualbox_without_the_gpu_unseen_stays_quiet() -> None:
    assert "NO_GPU" not in codes("I run Ubuntu 22.04 as a guest in VirtualBox on my Windows laptop.\nTraining finished in 3 hours.\n")


# https://github.com/torch/torch7/issues/595 (a Parallels Desktop guest)
def test_parallels_desktop_guest_is_a_vm() -> None:
    log = ("I'm using Ubuntu 64 bit virtualized on Mac OS X El Capitan with Parallels Desktop 10.\n"
           "THCudaCheck FAIL file=/tmp/luarocks_cutorch-scm-1-9319/cutorch/lib/THC/THCGeneral.c line=16 error=38 : no CUDA-capable device is detected\n")
    assert facts(log).remote_session[0].value.kind == "vm"
    assert first_cause(log) == "NO_GPU"


def test_parallels_as_a_word_is_no_vm() -> None:
    assert facts("The loader runs the jobs in parallels and the GPU is not detected\n").remote_session == []


# https://github.com/huggingface/diffusers/issues/143 (the README's example run as pasted)
_WHOLE = """This was ran using the CPU although there is a cuda card present.

```
# !pip install diffusers transformers
from diffusers import DiffusionPipeline

model_id = "CompVis/ldm-text2im-large-256"

# load model and scheduler
ldm = DiffusionPipeline.from_pretrained(model_id)

# run pipeline in inference (sample random noise and denoise)
prompt = "A painting of a squirrel eating a burger"
images = ldm([prompt], num_inference_steps=50, eta=0.3, guidance_scale=6)["sample"]
```
"""


def test_whole_program_never_moving_its_pipeline_is_code_forces_cpu() -> None:
    assert first_cause(_WHOLE) == "CODE_FORCES_CPU"
    assert [s.value for s in facts(_WHOLE).code_whole_program] == ["ldm"]


def test_whole_program_moving_its_pipeline_stays_quiet() -> None:
    moved = _WHOLE.replace("ldm = DiffusionPipeline.from_pretrained(model_id)", "ldm = DiffusionPipeline.from_pretrained(model_id).to('cuda')")
    assert "LOG430" not in {f for f in codes(moved)}
    assert first_cause(moved) != "CODE_FORCES_CPU"


def test_whole_program_without_the_cpu_said_stays_quiet() -> None:
    assert "CODE_FORCES_CPU" not in codes(_WHOLE.replace("This was ran using the CPU although there is a cuda card present.", "Here is my script."))


def test_a_fragment_without_imports_is_not_the_whole_program() -> None:
    fragment = _WHOLE.replace("from diffusers import DiffusionPipeline\n", "")
    assert facts(fragment).code_whole_program == []


def test_a_fence_is_not_unwrapped() -> None:
    assert unwrap("```") == "```"
    assert unwrap("`nvidia-smi`") == "nvidia-smi"
