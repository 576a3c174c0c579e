"""accunder (session 35): GPU memory left held after the writer's run ended (LOG625, GPU_BUSY), and where it stays quiet."""

from __future__ import annotations

import pytest

from log_text import facts, finding_codes, first_cause

# https://github.com/pytorch/pytorch/issues/4031
INTERRUPTED = ("When I interrupt my Pytorch script using Ctrl-C occasionally GPU memory is not deallocated. Also threads related "
               "to my script may or may not still be running.")
# https://github.com/PaddlePaddle/PaddleOCR/issues/2074
KILLED_ZH = "nohup 启动训练进程之后直接kill主进程显卡不会释放显存\n并且nvidia-smi只能看到显存占用，底下看不到这张卡里有进程"
# https://github.com/wencolani/CrossE/issues/2
NOTHING_RUNNING = ("Even when I do not have any CrossE processes running, my GPU still seems to have almost 13GB allocated by "
                   "someone. No processes seem to be using it:")
# https://github.com/apache/mxnet/issues/4242
ZOMBIE = ("But for some unknown reason, I just find the parent process becomes a zombie process which keeps occupying the GPU "
          "memory.  The child process(for io) is still running background and can be killed.")
# https://github.com/qizhou000/VisEdit/issues/5
STOPPED = ("During execution, I received an out of memory error, but after stopping the process, it disappears from "
           "nvidia-smi and gpustat. However, it still holds GPU memory, and the utilization rate stays at 100%, as shown here:")
# https://github.com/open-mmlab/mmdetection/issues/3216
KILLED_PIDS = "When I used nohup to train my model, and I need to kill the pids, but the memory didn't release."
# https://github.com/facebookresearch/XLM/issues/40
PROGRAM_ENDS = "Hi, when the program ends, the memory of the GPU0 is released, but the other GPUs are not released. Why that ?"
# https://github.com/Megvii-BaseDetection/YOLOX/issues/958
CTRL_C = 'BUT when I use "Ctrl+C" to stop training, one gpu memory still using,as bellow,'
# https://github.com/PaddlePaddle/models/issues/2170
KILLED_ZH2 = "video nonlocal 模型kill掉进程后显存无法自动释放，如图所示："
# https://github.com/vllm-project/vllm-omni/issues/2317
ORPHANED = ("Actual: 2 orphaned VLLM::Worker processes (one per stage) remain alive, \nholding ~22GB VRAM. They are invisible "
            "to docker ps but visible in nvidia-smi.")


@pytest.mark.parametrize("text", [INTERRUPTED, KILLED_ZH, NOTHING_RUNNING, ZOMBIE, STOPPED, KILLED_PIDS, PROGRAM_ENDS, CTRL_C,
                                  KILLED_ZH2, ORPHANED])
def test_memory_left_held_reads_gpu_busy(text: str) -> None:
    assert facts(text).memory_left_held
    assert "LOG625" in finding_codes(text)
    assert first_cause(text) == "GPU_BUSY"


@pytest.mark.parametrize("text", [
    # a question, not a report
    "Is the GPU memory not freed after I kill the process?",
    # advice
    "Make sure the GPU memory is released after you stop the job.",
    # the run's own process, still running: a cache, no other holder
    "torch.cuda.empty_cache() does not free the GPU memory during training.",
    # memory not freed, but nothing says the run ended
    "The GPU memory is not released between the two models in my loop.",
    # an end said as the bound of the holding, not as an event
    "The GPU memory is not released until the program ends.",
    # a server that keeps its own cache (https://github.com/michaelfeil/infinity/issues/514)
    "GPU Memory is not freed after embdding operations",
    # memory in use said without a holder other than the run
    "My GPU still has 10GB allocated by my training script while it runs.",
])
def test_memory_left_held_quiet(text: str) -> None:
    assert not facts(text).memory_left_held
    assert "LOG625" not in finding_codes(text)


# https://github.com/thtrieu/darkflow/issues/471
MOSTLY_IDLE = ("I only get 1 iteration step for each 5 seconds on my geforce 1070. The GPU is mostly idling. However, each 5 "
               "second it spikes to 70%. But only for a short millisecond.")


def test_gpu_mostly_idle_is_underused() -> None:
    assert first_cause(MOSTLY_IDLE) == "GPU_UNDERUSED"


@pytest.mark.parametrize("text", [
    # idle part of the time said of something else than the GPU
    "The CPU is mostly idle.",
    # a bottleneck compound of something other than the input side
    "The GPU is a bottleneck for rendering.",
])
def test_idle_words_quiet(text: str) -> None:
    assert first_cause(text) != "GPU_UNDERUSED"
