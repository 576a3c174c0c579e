"""accunderused (session 37): one decision for "another party holds the GPU" and the writer's own word for a GPU used slowly.

- Another user's job told on a shared node's GPU is one of knowledge.occupancy's holders (it was schedulers.toml's
  node_state "node-held-by-other", judged apart by LOG667): LOG665 judges it beside a failure at the GPU's start.
- The other holder named by its removal ("I closed some software in the background", "reduce the number of running jobs")
  counts only beside the words that the run then went through, and not beside "still".
- Two programs or jobs said to run on the same GPU.
- The writer's "GPU underutilized" / "underutilises the GPU" are LOG109's words; a program's hint of under-utilization is not.

Real lines from public threads, each with its source.
"""

from __future__ import annotations

from log_text import codes, facts, finding_codes, first_cause
from whygpu.knowledge.occupancy import holder_form

# https://github.com/cBio/cbio-cluster/issues/220
CBIO = ("So, theano (yes, that evil) refuses to start a job on the gpu citing a memory error. By now I know this is not a memory "
        "error, it simply means the device/gpu is not available because someone else is running a job on it and it is blocked from access.")

# https://github.com/invoke-ai/InvokeAI/issues/2182
INVOKE = """[bug]: RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 8.00 GiB total capacity; 802.50 KiB already allocated; 6.59 GiB free; 2.00 MiB reserved in total by PyTorch) If reserved me
3060 Ti should easily be able to handle stable-diffusion-1.5
Apparently it worked, I closed some software in the background and then rebooted, thanks a lot"""

# https://github.com/facebookresearch/muss/issues/37
MUSS = """RuntimeError: CUDA error: out of memory
I'm returning to comment that I managed to solve the GPU out of memory issue. I followed the recommendation given in [this issue](https://github.com/facebookresearch/muss/issues/32) to reduce the number of running jobs. I have now finished the paraphrase mining step."""

# https://github.com/apache/mxnet/issues/2778
MXNET = """I found that if two mxnet programs run on the same GPU and one of them cause out of memory error, I will never run any mxnet programs anymore. I found that the solution is to reboot... I am using K40.
[19:06:43] d:\\users\\a\\tmp\\mxnet\\src\\storage\\./gpu_device_storage.h:39: Check failed: e == cudaSuccess || e == cudaErrorCudartUnloading CUDA: out of memory"""

# https://github.com/CosmoStat/wf-psf/issues/69
WF_PSF = """GPU usage below 50% when training the model
This should be investigated. I suspect that some operations are being done in CPU which slows the training and underutilises the GPU."""

# https://github.com/thepetabyteproject/your/issues/106 (a GPU-used negative: Numba's performance hint)
NUMBA = """your_candmaker GPU underutilization
/numba/cuda/dispatcher.py:488: NumbaPerformanceWarning: Grid size 64 will likely result in GPU under-utilization due to low occupancy."""


def test_another_users_job_told_on_the_gpu_is_one_of_occupancys_holders() -> None:
    # the negation of the earlier clause ("is not available") does not reach across "because"
    said = facts(CBIO).holder_said
    assert said and "someone else is running a job on it" in said[0].value
    assert [s.value for s in facts(CBIO).start_failure] == ["memory"]
    assert first_cause(CBIO) == "GPU_BUSY"
    assert "LOG665" in finding_codes(CBIO) and "LOG667" not in finding_codes(CBIO)


def test_another_user_denied_or_without_a_failure_decides_nothing() -> None:
    assert not facts("No, someone else is not running a job on it, I checked nvidia-smi.").holder_said
    # a holder alone: GPUs are shared every day
    assert "GPU_BUSY" not in codes("Our lab's node is shared; someone else is running a job on it most days.")


def test_the_other_holder_removed_and_the_run_through_is_gpu_busy() -> None:
    assert first_cause(INVOKE) == "GPU_BUSY"
    assert "LOG665" in finding_codes(INVOKE)
    assert first_cause(MUSS) == "GPU_BUSY"  # advice the writer followed is the writer's act


def test_the_other_holder_removed_without_the_run_going_through_is_no_holder() -> None:
    assert holder_form("I closed some software in the background and then rebooted") is None  # no outcome said
    assert holder_form("I closed all other programs but it still says CUDA out of memory, it worked yesterday") is None
    still = INVOKE.replace("Apparently it worked, I closed some software in the background and then rebooted, thanks a lot",
                           "I closed some software in the background, still the same error; it worked last week")
    assert "GPU_BUSY" not in codes(still)


def test_two_programs_on_the_same_gpu_beside_out_of_memory_is_gpu_busy() -> None:
    assert first_cause(MXNET) == "GPU_BUSY"
    assert "LOG665" in finding_codes(MXNET)
    # the same words with no failure at the GPU's start decide nothing; nor a supposition
    assert "GPU_BUSY" not in codes("I found that if two mxnet programs run on the same GPU, each gets half the speed.")
    assert not facts("What happens if two programs run on the same GPU? CUDA: out of memory").holder_said


def test_the_writers_word_underutilised_is_gpu_underused() -> None:
    assert first_cause(WF_PSF) == "GPU_UNDERUSED"
    assert "LOG109" in finding_codes(WF_PSF)
    assert first_cause("GPU Underutilized\nSample code on a 1-GPU is utilizing 20% GPU.") == "GPU_UNDERUSED"


def test_a_programs_hint_of_under_utilization_or_a_question_is_not_read() -> None:
    assert "GPU_UNDERUSED" not in codes(NUMBA)
    assert "GPU_UNDERUSED" not in codes("Is the GPU underutilized here?")
    assert "GPU_UNDERUSED" not in codes("Make sure the GPU is not underutilized by using a bigger batch.")


# https://github.com/ultralytics/ultralytics/issues/9843
YOLO_ZERO = ("When I used yolov8 to train cityscapes datasets, GPU utilization was always zero. Then I found that my CPU was "
             "underutilized, only CPU1 and CPU11 were at 100% utilization. The other cpus were not utilized, which resulted in my "
             "data enhancement being extremely slow during the training. I adjusted the works parameter of dataloader, but it "
             "doesn't work.")


def test_a_zero_share_beside_the_input_side_said_slow_in_the_next_sentences_is_gpu_underused() -> None:
    assert first_cause(YOLO_ZERO) == "GPU_UNDERUSED"
    assert any(s.value.input_named and s.value.high == 0 for s in facts(YOLO_ZERO).utilisation)


def test_a_zero_share_alone_or_the_input_side_asked_about_is_not_read_so() -> None:
    alone = "When I used yolov8 to train cityscapes datasets, GPU utilization was always zero."
    assert not any(s.value.input_named for s in facts(alone).utilisation)
    asked = alone + " Is the data loading too slow?"
    assert not any(s.value.input_named for s in facts(asked).utilisation)
    # a decimal is no zero: "GPU usage is 0.5" is not read by this form
    assert not any(s.value.input_named for s in facts("GPU usage is 0.5 during training. The data loading is very slow.").utilisation)
