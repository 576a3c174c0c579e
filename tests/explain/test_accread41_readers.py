"""accread41 (session 41): readers noticed in session 40 and not mended, each in the module that owns its decision.

- explain/signatures.toml LOG-HF-PIPELINE-DEVICE-CUDA: transformers' pipeline's "Device set to use cuda:0" is the program's
  own statement of the GPU in use ("Device set to use cpu" stays explain.ownanswer's CPU chosen).
- knowledge/gpu_status.toml: CUDA_ERROR_OUT_OF_MEMORY from the driver's virtual memory calls (cuMemCreate, cuMemMap,
  cuMemSetAccess) is an allocator growing inside a context the process holds: the GPU in use, not GPU_BUSY.
- explain.logfacts: a program's device line kept as its CPU notice (EasyOCR's "Using CPU. Note: ...") is not also the
  writer's statement that the GPU is unused.
- explain.cudashown: a reason told before a question of the same sentence is the writer's statement.
- explain.statements.cpu_build_said: an install told in the future is a prediction or a plan, not done; explain.devlayers:
  a distribution's pin ("tensorflow-gpu==2.10") asks for no device.
- explain.where.ray_named: the Ray reader's gate is the word, not "ray" inside "array".
"""

from __future__ import annotations

import pytest

from log_text import codes, facts
from whygpu.explain import explain_text
from whygpu.explain.cudashown import cuda_shown_said
from whygpu.explain.devlayers import asked_in
from whygpu.explain.statements import cpu_build_statement
from whygpu.explain.where import ray_named

# transformers' Pipeline.__init__ logs `Device set to use {self.device}` (src/transformers/pipelines/base.py, 4.46+); the
# lines below are as notebooks and logs in public repositories print it, after the pipeline's own lines.
PIPELINE_CUDA = (
    "Loading checkpoint shards: 100%|████████████████████████████████████████████████| 2/2 [00:11<00:00,  5.86s/it]\n"
    "Device set to use cuda:0\n"
)


def _gpu_used(text: str) -> bool:
    return bool(explain_text(text).gpu_used)


def test_pipeline_device_line_is_the_gpu_in_use() -> None:
    assert _gpu_used(PIPELINE_CUDA)
    assert _gpu_used("2025-01-06 18:27:54,662 - WARNING - Device set to use cuda:0")
    # The GPU shown in use: no cause of a GPU left unused is named from the writer's belief.
    assert codes(PIPELINE_CUDA + "the generation is very slow, I think the GPU is not used") == []


def test_pipeline_device_line_quiet_on_cpu_and_in_prose() -> None:
    # "Device set to use cpu" is the CPU chosen (explain.ownanswer), not the GPU in use.
    assert not _gpu_used("Device set to use cpu\nmy GPU is not used")
    # The writer's words about a setting go on after the device; the program's line ends there.
    assert not _gpu_used("I have the device set to use cuda:0 but it runs on the CPU")
    # Quoted in backticks inside prose, a line from an earlier run.
    assert not _gpu_used("Yesterday's runs were fine with `Device set to use cuda:0`, today torch sees no GPU")


# https://github.com/nerfstudio-project/nerfstudio/issues/3292 (a corpus negative): tiny-cuda-nn's arena growing on a 2 GB
# GeForce MX130; the GPU was in use and the model does not fit.
NERFSTUDIO_3292 = ("RuntimeError: C:/Users/aleso/AppData/Local/Temp/pip-req-build-jz__nwp9/include\\tiny-cuda-nn/gpu_memory.h:592 "
                   "cuMemSetAccess(m_base_address + m_size, n_bytes_to_allocate, &access_desc, 1) failed: CUDA_ERROR_OUT_OF_MEMORY")
# https://github.com/autonomousvision/sdfstudio/issues/240: the same arena's cuMemCreate on a 16 GB card, fixed by fewer rays.
SDFSTUDIO_240 = ("RuntimeError: /tmp/pip-req-build-7pl_khv_/include/tiny-cuda-nn/gpu_memory.h:584 "
                 "cuMemCreate(&m_handles.back(), n_bytes_to_allocate, &prop, 0) failed: CUDA_ERROR_OUT_OF_MEMORY")


@pytest.mark.parametrize("log", [NERFSTUDIO_3292, SDFSTUDIO_240])
def test_out_of_memory_while_growing_an_allocation_is_no_busy_gpu(log: str) -> None:
    assert "GPU_BUSY" not in codes(log)


def test_out_of_memory_creating_a_context_stays_busy() -> None:
    # The driver's out-of-memory when a context is created: other processes hold the memory (knowledge/gpu_status.toml).
    assert codes("E0101 cuda_driver.cc:100] cuDevicePrimaryCtxRetain failed: CUDA_ERROR_OUT_OF_MEMORY: out of memory") == ["GPU_BUSY"]


# EasyOCR's Reader.__init__ (easyocr/easyocr.py): `LOGGER.warning('Using CPU. Note: This module is much faster with a GPU.')`
# when gpu is False; https://github.com/JaidedAI/EasyOCR/issues/1204 prints it under its code.
EASYOCR_LINE = "Using CPU. Note: This module is much faster with a GPU."


def test_easyocr_cpu_line_is_the_programs_not_the_writers() -> None:
    read = facts(EASYOCR_LINE)
    assert read.cpu_notice and not read.stated_unused
    logged = facts("2025-11-01 22:19:29,388 - easyocr.easyocr - WARNING - " + EASYOCR_LINE)
    assert not logged.stated_unused


def test_writers_words_beside_the_program_line_stay_theirs() -> None:
    # The writer's own sentence (no program line there) is still the writer's statement.
    assert [s.value for s in facts(EASYOCR_LINE + "\nmy GPU is not used by easyocr").stated_unused] == ["GPU is not used"]
    assert facts("It is using CPU, not my GPU.").stated_unused


def test_reason_before_a_question_is_a_statement() -> None:
    # The reason told, then asked why (a question that opens a later clause of the same sentence).
    assert cuda_shown_said("I installed CUDA 11.8 so why is it not working?") == "I installed CUDA"
    # https://github.com/cupy/cupy/issues/7907: the command and its result, then the question after a dash.
    assert cuda_shown_said("`conda install -c conda-forge cupy cuda-version=11.8` gives me `conda-forge/linux-64::cupy==12.2.0=py311h3a0c632_2`"
                           " - is cupy supposed to be 11.8, too?") is not None


@pytest.mark.parametrize("line", [
    "Is CUDA 11.8 installed?",
    "Have I installed CUDA 11.8 correctly?",
    "gpu error for cuda 10.0 and cudnn 7.5?",                        # https://github.com/apache/mxnet/issues/17837's title
    "It seems like jax is looking for something cuda12 related?",  # https://github.com/jax-ml/jax/issues/14931
])
def test_the_question_itself_shows_nothing(line: str) -> None:
    assert cuda_shown_said(line) is None


def test_an_install_in_the_future_is_not_done() -> None:
    # array-api-extra#186 (a review comment's supposition, session 39's held-out false alarm).
    assert cpu_build_statement("for example as cuda 12 was dropped, the solver will just silently install a cpu-only version of jaxlib") is None
    assert cpu_build_statement("I'm going to install the CPU build of torch and see.") is None
    assert cpu_build_statement("pip will install the CPU version of torch.") is None


def test_an_install_done_is_read() -> None:
    assert cpu_build_statement("pip installed the cpu only build.") is not None
    assert cpu_build_statement("pip always installs the cpu version of torch.") is not None
    # conda's solver shows the plan it is about to carry out (its package plan lists the CPU build).
    assert cpu_build_statement("conda wants to install the cpu version of pytorch.") is not None


def test_a_distribution_pin_asks_for_no_device() -> None:
    assert asked_in("pip install tensorflow-gpu==2.10") is None
    assert not facts("pip install tensorflow-gpu==2.10\nI have 1 GPU, tensorflow does not see it").device_asked
    assert asked_in("python train.py --gpu 1") == 1


def test_ray_gate_is_the_word() -> None:
    # numpy's own message (numpy/core/src/multiarray): "array" names no Ray.
    assert not ray_named("valueerror: setting an array element with a sequence.")
    assert not ray_named("stray gray arrays, a byte_array")
    # https://github.com/verl-project/verl/issues/441 and Ray's worker title, RayTaskError.
    assert ray_named("@ray.remote(num_cpus=1)")
    assert ray_named("ray::trainer.train() (pid=1234, ip=10.0.0.1)")
    assert ray_named("ray.exceptions.raytaskerror(runtimeerror): no cuda gpus are available")


def test_ray_reader_still_reads_ray() -> None:
    read = facts("@ray.remote\ndef f():\n    pass\nray.exceptions.RayTaskError(RuntimeError): ray::f() No CUDA GPUs are available")
    assert read.ray_runs
    assert not facts("np.array(x)\nRuntimeError: No CUDA GPUs are available").ray_runs
