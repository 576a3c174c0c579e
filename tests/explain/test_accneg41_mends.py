"""accneg41 (session 41): four false alarms on runs that used the GPU, each mended where its decision is made."""

from __future__ import annotations

from log_text import codes, facts

# --- TensorFlow's own load of the CUDA runtime shows the CUDA its build wants (explain.rules.build_wants_other_cuda) -------
# https://github.com/tensorflow/tensorflow/issues/44683 (a TensorFlow built for CUDA 10.2: it opened libcudart.so.10.2;
# the pip wheel of 2.5.0 wants CUDA 11.2 and cuDNN 8.1, which the table alone would compare against).
_TF_OWN_BUILD = (
    "OS: ubuntu 18.04\n"
    "gcc: 7.5.0\n"
    "cuda: 10.2\n"
    "cuDNN:7.6.5\n"
    "Tensorflow:2.5.0\n"
    ">>> import tensorflow as tf\n"
    "2020-11-08 13:00:32.053030: I tensorflow/stream_executor/platform/default/dso_loader.cc:49] Successfully opened dynamic "
    "library libcudart.so.10.2\n"
    "2020-11-08 13:00:33.123388: I tensorflow/compiler/jit/xla_cpu_device.cc:41] Not creating XLA devices, "
    "tf_xla_enable_xla_devices not set\n"
)


def test_a_build_that_opened_its_cuda_runtime_is_not_compared_with_the_wheels_table() -> None:
    ranked = codes(_TF_OWN_BUILD)
    assert "CUDA_LIBS_MISMATCH" not in ranked
    assert "CUDNN_MISMATCH" not in ranked


def test_without_the_runtimes_load_the_tested_build_is_still_compared() -> None:
    # The same versions with only the template (no line of the build's own): the wheel's table is all there is to go on.
    plain = "\n".join(_TF_OWN_BUILD.splitlines()[:5]) + "\ntf.config.list_physical_devices('GPU')\n[]\n"
    ranked = codes(plain)
    assert "CUDA_LIBS_MISMATCH" in ranked or "CUDNN_MISMATCH" in ranked


# https://github.com/tensorflow/tensorflow/issues/41591 (2.2.0 opened cudart64_101.dll, its tested build's runtime, with CUDA
# 11.0 installed: the table describes this build, and its other CUDA 10.1 libraries were missing).
_TF_TESTED_BUILD = (
    "- OS Platform and Distribution (e.g., Linux Ubuntu 16.04): Windows10\n"
    "- TensorFlow installed from (source or binary): pip3\n"
    "- TensorFlow version: 2.2.0\n"
    "- CUDA/cuDNN version: 11.0/8.0\n"
    ">>> import tensorflow as tf\n"
    "2020-07-20 23:29:09.430847: I tensorflow/stream_executor/platform/default/dso_loader.cc:44] Successfully opened dynamic "
    "library cudart64_101.dll\n"
    ">>> print(tf.test.is_gpu_available())\n"
    "False\n"
)


def test_a_build_that_opened_its_tested_runtime_is_still_compared() -> None:
    assert codes(_TF_TESTED_BUILD)[:1] == ["CUDA_LIBS_MISMATCH"]


# --- CUDA_ERROR_OUT_OF_MEMORY from the driver's virtual-memory calls (explain.infer: the pool's growth) -------------------
# https://github.com/nerfstudio-project/nerfstudio/issues/3292 (tiny-cuda-nn's arena growing on a 2 GB GeForce MX130).
_ARENA_OOM = (
    "RuntimeError: C:/Users/aleso/AppData/Local/Temp/pip-req-build-jz__nwp9/include\\tiny-cuda-nn/gpu_memory.h:592 "
    "cuMemSetAccess(m_base_address + m_size, n_bytes_to_allocate, &access_desc, 1) failed: CUDA_ERROR_OUT_OF_MEMORY\n"
)
# https://github.com/tensorflow/tensorflow/issues/17589 (a context that could not be created: memory held by others).
_CTX_OOM = (
    "E tensorflow/core/common_runtime/direct_session.cc:170] Internal: failed initializing StreamExecutor for CUDA device "
    "ordinal 0: Internal: failed call to cuDevicePrimaryCtxRetain: CUDA_ERROR_OUT_OF_MEMORY; total memory reported: 11711807488\n"
)


def test_an_allocator_growing_its_pool_out_of_memory_is_the_jobs_own_demand() -> None:
    assert "GPU_BUSY" not in codes(_ARENA_OOM)


def test_a_context_that_cannot_be_created_for_memory_is_still_the_gpu_busy() -> None:
    assert codes(_CTX_OOM)[:1] == ["GPU_BUSY"]


def test_the_pools_growth_beside_memory_shown_held_is_still_the_gpu_busy() -> None:
    # nvidia-smi shows the card's memory nearly all taken: another process may hold it, GPU_BUSY's reading stays.
    held = ("GPU: NVIDIA GeForce RTX 3060 (12 GB)\n" + _ARENA_OOM +
            "|  0  NVIDIA GeForce RTX 3060   Off | 00000000:01:00.0 Off |  N/A |\n"
            "| 30%   45C    P2    60W / 170W |  11800MiB / 12288MiB |     0%      Default |\n")
    assert "GPU_BUSY" in codes(held)


def test_a_context_call_out_of_memory_is_not_the_pools_growth() -> None:
    assert "GPU_BUSY" in codes(_ARENA_OOM.replace("cuMemSetAccess", "cuCtxCreate"))


# --- the source line Python's warnings module echoes under a warning (explain.logfacts) ------------------------------------
# https://github.com/PaddlePaddle/Paddle/issues/31740 (cpp_extension's warning, only about building custom operators).
_PADDLE_WARNING = (
    "hi, after I installed paddle2.0.1-gpu , and checked it by 'import paddle', problem showed as below :\n"
    "envs/paddle/lib/python3.6/site-packages/paddle/utils/cpp_extension/extension_utils.py:461: UserWarning: Not found CUDA "
    "runtime, please use `export CUDA_HOME= XXX` to specific it.\n"
    '  "Not found CUDA runtime, please use `export CUDA_HOME= XXX` to specific it."\n'
    ">>>\n"
    "env: cuda11.0 , ubuntu18 , paddle2.0.1-gpu ,\n"
)


def test_the_echoed_source_line_of_a_warning_is_code_not_a_statement() -> None:
    assert not facts(_PADDLE_WARNING).stated_unused
    assert codes(_PADDLE_WARNING)[:1] != ["FRAMEWORK_CPU_BUILD"]


def test_the_writers_own_line_after_a_warning_is_still_read() -> None:
    # Not indented: the writer's sentence after the warning, not the source line Python echoes under it.
    said = _PADDLE_WARNING.replace('  "Not found CUDA runtime', "My GPU is not used at all. \"Not found CUDA runtime")
    assert facts(said).stated_unused


# --- a share of use said in words on Windows with no CUDA monitor named (knowledge.utilisation.words_share_counted) --------
# https://github.com/nagadomi/nunif/issues/456 (Task Manager's graph; the maintainer: it does not show CUDA's compute).
_WINDOWS_SHARE = (
    "Hello, I am experiencing extremely low GPU utilization (3% or less) while processing video with nunif on a Windows "
    "system. This bottleneck occurs even though the GPU is correctly detected, the AI model is loaded into VRAM, and the CPU "
    "is not being bottlenecked.\n"
    "Operating System: Windows 10 64bit\n"
    "GPU: NVIDIA GeForce RTX 4070\n"
    "PyTorch Version: 2.7.1+cu128\n"
)


def test_a_share_said_in_words_on_windows_without_a_cuda_monitor_is_not_read_as_underuse() -> None:
    assert "GPU_UNDERUSED" not in codes(_WINDOWS_SHARE)


def test_the_same_words_beside_nvidia_smi_are_read_as_underuse() -> None:
    assert "GPU_UNDERUSED" in codes(_WINDOWS_SHARE.replace("extremely low GPU utilization", "extremely low GPU utilization in nvidia-smi"))


def test_the_same_words_on_linux_are_read_as_underuse() -> None:
    assert "GPU_UNDERUSED" in codes(_WINDOWS_SHARE.replace("on a Windows system", "on Ubuntu").replace("Windows 10 64bit", "Ubuntu 22.04"))


def test_words_of_waiting_count_on_windows_too() -> None:
    from whygpu.knowledge.utilisation import words_share_counted

    assert not words_share_counted("GPU usage is less than 10%", windows=True, cuda_monitor_named=False)
    assert words_share_counted("GPU usage is low, it is waiting for the data loader", windows=True, cuda_monitor_named=False)
    assert words_share_counted("GPU usage is less than 10%", windows=True, cuda_monitor_named=True)
    assert words_share_counted("GPU usage is less than 10%", windows=False, cuda_monitor_named=False)
    # https://github.com/kha-white/mokuro/issues/62 (Windows; the text detector ran on the CPU, the GPU waited for it).
    assert words_share_counted("My GPU usage is low, but my CPU usage is at 100%.", windows=True, cuda_monitor_named=False)
    # https://github.com/hill-a/stable-baselines/issues/308 (Windows; a small network, the CPU-side environment dominates).
    assert words_share_counted("I see high cpu utilization and low gpu utilization.", windows=True, cuda_monitor_named=False)
    assert not words_share_counted("extremely low GPU utilization (3% or less); the CPU is not being bottlenecked", windows=True,
                                   cuda_monitor_named=False)
