"""accslow (session 36): who holds the GPU, another process (GPU_BUSY, LOG665) or the run itself, starved (GPU_UNDERUSED).

Real lines from public threads, each with its source.
"""

from __future__ import annotations

from log_text import codes, facts, finding_codes, first_cause
from whygpu.knowledge.occupancy import (
    BUSY,
    EXCLUSIVE,
    UNDERUSED,
    WORDS,
    Holder,
    ModeRow,
    decide,
    failure_of,
    taken_row,
)

# https://github.com/dbolya/yolact/issues/369
YOLACT = """I am trying to run eval.py on a server that has 4 gpus.

I have set CUDA_VISIBLE_DEVICES=0, but actually, the program is always trying to use gpu 2, which is used by anther user at the same time. So, someting went wrong like this:

```
RuntimeError: cuDNN error: CUDNN_STATUS_NOT_INITIALIZED
```
"""

# https://github.com/NVIDIA/cudf/issues/6773
CUDF = """[BUG] MemoryError: std::bad_alloc: CUDA error at: ../include/rmm/mr/device/cuda_memory_resource.hpp:68: cudaErrorMemoryAllocation out of memory
it only comes up if I have 2 kernels running and I am using cudf in both
"""

# https://github.com/tensorflow/tensorflow/issues/3612
TF_CONTEXT = """yields the error:
**W tensorflow/stream_executor/cuda/cuda_driver.cc:572] creating context when one is currently active;**
### What have you tried?
1. I checked the output of the `nvidia-smi`. There are other processes run by other users currently.
"""

# https://github.com/jade-hpc-gpu/jade-hpc-gpu.github.io/issues/59
JADE = """Cuda devices busy or unavailable, $CUDA_VISIBLE_DEVICES returns wrong device
|   0  Tesla V100-SXM2...  On   | 00000000:06:00.0 Off |                    0 |
| N/A   66C    P0   253W / 300W |   9000MiB / 16152MiB |     98%   E. Process |
+-------------------------------+----------------------+----------------------+
|   1  Tesla V100-SXM2...  On   | 00000000:07:00.0 Off |                    0 |
| N/A   66C    P0   202W / 300W |  13968MiB / 16152MiB |    100%   E. Process |
"""

# https://github.com/huggingface/sentence-transformers/issues/56 (a GPU used by someone else, and no failure)
SHARED_NO_FAILURE = """I'm using our institute's shared machine with two 2080ti gpus. Sometimes, gpu-0 is used by someone else, so i've loaded SentenceTransformer with device argument "cuda:1"."""

# https://github.com/speechbrain/speechbrain/issues/1948 (an out-of-memory with the holder denied)
NO_OTHER = """I wanted to train script but it shows me out of memory error but my pc has 16GB RTX 3080 card and no other application is using the GPU."""

# https://github.com/PaddlePaddle/PaddleOCR/issues/1505 (the program's own hint, not the writer's word)
PADDLE_HINT = """ResourceExhaustedError:

Out of memory error on GPU 0. Cannot allocate 25.002197MB memory on GPU 0, available memory is only 15.187500MB.

Please check whether there is any other process using GPU 0.
"""

# https://github.com/NVIDIA/DIGITS/issues/2005 (an exclusive mode's row that runs nothing: no holder shown by the row)
IDLE_EXCLUSIVE_ROW = "| N/A   35C    P0    63W / 235W |     74MiB / 11439MiB |      0%   E. Process |"

# https://github.com/pyannote/pyannote-audio/issues/1403
PYANNOTE = "It seems that GPU is under a very light load while CPU usage is almost full(100% used for a core)."

# https://github.com/open-mmlab/mmaction2/issues/264
MMACTION = "When I train the network (for example, I3D, slowfast), the GPU-Util index has been fluctuating, sometimes even 0%. Is this normal？"


# --- the decision ---------------------------------------------------------------------------------------------------

def test_busy_needs_a_failure_and_a_holder() -> None:
    words = Holder(WORDS, "used by another user")
    assert decide(["handle"], [words]).kind == BUSY
    assert decide([], [words]).kind == ""  # GPUs are shared every day
    assert decide(["memory"], []).kind == ""  # a run fails for its own demand


def test_an_exclusive_row_names_the_holder_of_a_busy_refusal() -> None:
    words = Holder(WORDS, "other processes run by")
    row = Holder(EXCLUSIVE, "a GPU in E. Process compute mode")
    verdict = decide(["busy"], [words, row])
    assert verdict.kind == BUSY and verdict.holder == row and verdict.failure == "busy"
    assert "fuser" in verdict.decides


def test_underused_passes_through_and_yields_to_a_holder() -> None:
    verdict = decide([], [], "underused")
    assert verdict.kind == UNDERUSED and "dmon" in verdict.decides
    assert decide(["memory"], [Holder(WORDS, "occupied by other programs")], "underused").kind == BUSY


def test_failure_kinds() -> None:
    assert failure_of("RuntimeError: CUDA error: all CUDA-capable devices are busy or unavailable") == "busy"
    assert failure_of("failed initializing StreamExecutor for CUDA device ordinal 0") == "context"
    assert failure_of("RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB") == "memory"
    assert failure_of("RuntimeError: cuDNN error: CUDNN_STATUS_NOT_INITIALIZED") == "handle"
    assert failure_of("The GPU memory is about 10G.") == ""


def test_an_exclusive_row_is_taken_only_when_it_runs_work() -> None:
    assert taken_row(ModeRow("E. Process", 98.0, 9000.0, 16152.0))
    assert not taken_row(ModeRow("E. Process", 0.0, 74.0, 11439.0))
    assert not taken_row(ModeRow("Default", 100.0, 15000.0, 16152.0))


# --- LOG665 over real lines -------------------------------------------------------------------------------------------

def test_log665_names_another_user_beside_a_cudnn_handle_failure() -> None:
    assert first_cause(YOLACT) == "GPU_BUSY"
    assert "LOG665" in finding_codes(YOLACT)
    # The cuDNN line is read for GPU_BUSY: its other reading (a cuDNN mismatch) yields.
    assert "CUDNN_MISMATCH" not in codes(YOLACT)


def test_log665_two_kernels_and_an_out_of_memory() -> None:
    assert first_cause(CUDF) == "GPU_BUSY"
    assert [s.value for s in facts(CUDF).holder_said] == ["it only comes up if I have 2 kernels running and I am using cudf in both"]


def test_log665_other_users_beside_a_context_failure() -> None:
    assert first_cause(TF_CONTEXT) == "GPU_BUSY"
    assert [s.value for s in facts(TF_CONTEXT).start_failure] == ["context"]


def test_log665_exclusive_rows_already_busy() -> None:
    assert first_cause(JADE) == "GPU_BUSY"
    assert "LOG665" in finding_codes(JADE)


def test_log665_quiet_without_a_failure() -> None:
    assert facts(SHARED_NO_FAILURE).holder_said  # the words are read...
    assert "LOG665" not in finding_codes(SHARED_NO_FAILURE)  # ...but decide nothing alone


def test_log665_quiet_where_the_holder_is_denied_or_only_a_hint() -> None:
    assert not facts(NO_OTHER).holder_said
    assert "LOG665" not in finding_codes(NO_OTHER)
    assert not facts(PADDLE_HINT).holder_said
    assert "LOG665" not in finding_codes(PADDLE_HINT)


def test_log665_quiet_on_an_idle_exclusive_row() -> None:
    text = "Check failed: error == cudaSuccess (46 vs. 0)  all CUDA-capable devices are busy or unavailable\n" + IDLE_EXCLUSIVE_ROW
    assert facts(text).compute_mode_row
    assert "LOG665" not in finding_codes(text)


def test_a_question_is_no_holder() -> None:
    text = "RuntimeError: CUDA out of memory.\nIs the GPU used by another process?"
    assert not facts(text).holder_said


# --- the run's own GPU, starved ------------------------------------------------------------------------------------

def test_light_load_beside_a_full_cpu_is_underuse() -> None:
    assert first_cause(PYANNOTE) == "GPU_UNDERUSED"
    assert facts(PYANNOTE).utilisation_decision().kind == "underused"


def test_light_load_alone_decides_nothing() -> None:
    text = "It seems that GPU is under a very light load."
    assert first_cause(text) is None


def test_fluctuating_down_to_zero_at_times_is_kernels_in_bursts() -> None:
    readings = [s.value for s in facts(MMACTION).utilisation]
    assert any(r.burst and r.high == 0 for r in readings)
    assert first_cause(MMACTION) == "GPU_UNDERUSED"


def test_a_question_about_light_load_is_not_read() -> None:
    from whygpu.explain.occupancy import starved_said

    assert starved_said(PYANNOTE)
    assert not starved_said("Why would the GPU be under a very light load while CPU usage is almost full?")
