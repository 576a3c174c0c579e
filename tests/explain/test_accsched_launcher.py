"""accsched (session 34): a launcher's own list of the GPUs it gave the process, shown empty, read as GPU_HIDDEN (LOG595).

Real lines carry their public source; the others are written for the case.
"""

from __future__ import annotations

import pytest
from tests.log_text import facts, finding_codes, first_cause, report

from whygpu.explain import launchlist
from whygpu.knowledge import launcher_lists
from whygpu.model import Confidence

# https://github.com/ray-project/ray/issues/17316
RLLIB_EMPTY = ("Running rllib 1.4.1 with num_gpus > 0 and framework=\"torch\" causes a failure. This failure looks to correspond to Rllib "
               "not picking up any GPUs when running `ray.get_gpu_ids()`, which causes an error with `self.device = self.devices[0]` "
               "since `self.devices is empty`.")
# https://github.com/ray-project/ray/issues/17174
RLLIB_LEN = "essentially telling me that len(self.devices) is 0 and that no GPUS are being detected."
# https://github.com/ray-project/ray/issues/5940
GPU_IDS_EQ = "`torch.cuda.device_count() == 2` while `ray.get_gpu_ids() == []`"
# https://github.com/ray-project/ray/pull/17398
PRINTED = ("$ python3 -c 'import ray; print(ray.get_gpu_ids())'\n"
           "2021-07-28 16:55:06,816 INFO services.py:1245 -- View the Ray dashboard at http://127.0.0.1:8266\n[]\n\n"
           "$ python3 -c 'import torch; print(torch.cuda.is_available(), torch.cuda.device_count())'\nTrue 10\n")
# https://github.com/ray-project/ray/issues/3910
REMOTE = ("In the main function, the torch.cuda.is_available() is True, but In the remote function, torch.cuda.is_available() "
          "is False.")
SLURM = "echo $CUDA_VISIBLE_DEVICES\nNoDevFiles\nCUDA_VISIBLE_DEVICES=NoDevFiles\nRuntimeError: No CUDA GPUs are available\n"


@pytest.mark.parametrize("text, row", [
    (RLLIB_EMPTY, "rllib-policy-devices"),
    (RLLIB_LEN, "rllib-policy-devices"),
    (GPU_IDS_EQ, "ray-get-gpu-ids"),
    ("Sometimes `ray.get_gpu_ids()` does not list any gpus when `num_gpus=1`", "ray-get-gpu-ids"),
    (PRINTED, "ray-get-gpu-ids"),
    (REMOTE, "ray-remote-framework-unseen"),
    (SLURM, "slurm-nodevfiles"),
])
def test_empty_list_read_and_judged_hidden(text: str, row: str) -> None:
    assert [s.value for s in facts(text).launcher_list_empty] == [row]
    assert first_cause(text) == "GPU_HIDDEN"
    assert "LOG595" in finding_codes(text)


@pytest.mark.parametrize("text", [
    "gpu_ids = ray.get_gpu_ids()\nif len(self.devices) == 0:\n    raise ValueError('no devices')",
    "Does ray.get_gpu_ids() return [] on the driver?",
    "# self.devices is empty on the driver",
    "$ python3 -c 'import ray; print(ray.get_gpu_ids())'\n[0]\n",
    "if cuda_visible_str and cuda_visible_str != \"NoDevFiles\":",
    "torch.cuda.is_available() is True in the main process and in the remote function it is True too.",
])
def test_list_tested_asked_or_full_is_not_read(text: str) -> None:
    assert not facts(text).launcher_list_empty
    assert "LOG595" not in finding_codes(text)


def test_quiet_where_the_gpu_was_used() -> None:
    # the work's own line that the GPU was used (TensorFlow created its GPU device), written for the case
    text = GPU_IDS_EQ + ("\n2021-08-28 11:45:41.852167: I tensorflow/core/common_runtime/gpu/gpu_device.cc:1418] Created TensorFlow device "
                         "(/job:localhost/replica:0/task:0/device:GPU:0 with 14648 MB memory) -> physical GPU (device: 0, name: Tesla "
                         "V100-SXM2-16GB, pci bus id: 0000:00:04.0, compute capability: 7.0)\n")
    assert facts(text).launcher_list_empty
    assert "LOG595" not in finding_codes(text)
    decided = launcher_lists.judge("ray-get-gpu-ids", gpu_in_use=True, program_sets_devices=False, framework_sees_gpu=True,
                                   other_cause_shown=False)
    assert decided is None


def test_program_setting_the_variable_is_its_own_reading() -> None:
    assert launcher_lists.judge("slurm-nodevfiles", gpu_in_use=False, program_sets_devices=True, framework_sees_gpu=False,
                                other_cause_shown=False) is None


def test_another_cause_shown_leaves_it_ranked() -> None:
    decided = launcher_lists.judge("ray-get-gpu-ids", gpu_in_use=False, program_sets_devices=False, framework_sees_gpu=False,
                                   other_cause_shown=True)
    assert decided is not None and not decided.leads and decided.confidence == Confidence.LOW
    text = GPU_IDS_EQ + "\n>>> import torch; torch.__version__\n'2.1.0+cpu'\n>>> torch.cuda.is_available()\nFalse\n"
    assert first_cause(text) == "FRAMEWORK_CPU_BUILD"
    assert "GPU_HIDDEN" in [c.code for c in report(text).causes]


def test_confidence_rises_where_the_framework_sees_the_gpu() -> None:
    seen = launcher_lists.judge("ray-get-gpu-ids", gpu_in_use=False, program_sets_devices=False, framework_sees_gpu=True,
                                other_cause_shown=False)
    alone = launcher_lists.judge("ray-get-gpu-ids", gpu_in_use=False, program_sets_devices=False, framework_sees_gpu=False,
                                 other_cause_shown=False)
    assert seen is not None and seen.confidence == Confidence.HIGH
    assert alone is not None and alone.confidence == Confidence.MEDIUM


def test_every_row_has_a_cue_its_name_needs() -> None:
    assert launchlist.TEXT_CUES
    for cue in launchlist.TEXT_CUES:
        assert cue == cue.lower()
