"""Readings of GPU messages harvested from the sources of programs beside the three frameworks (session 20, accharvest).

Each program's message is read by what the code around it tests: a build flag, a version or a compute capability
names that cause; a test of "is there a usable GPU" alone is the program's "no GPU" answer, ranked by LOG104. Every
reading fires on lines written in the program's format with other values than its example, and stays quiet on a
question, code that tests the same thing, advice, or a near miss.
"""

from __future__ import annotations

import pytest

from log_text import codes, report
from whygpu.explain import explain_text


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


def _unused_without_cause(text: str) -> bool:
    """True when whygpu says the GPU went unused and ranks causes through LOG104 alone."""
    result = explain_text(text)
    return result.gpu_used is False and {f.id for f in result.findings} == {"LOG104"}


# --- failures that name a cause ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "sid", "cause"), [
    # Numba: the device below the minimum compute capability (any device repr, any minimum).
    ("numba.cuda.cudadrv.error.CudaSupportError: <CUDA device 1 'b'Quadro K2000''> has compute capability < (5, 0)",
     "LOG-HARV-NUMBA-CC-BELOW-MIN", "GPU_NOT_SUPPORTED"),
    ("CudaSupportError: Device 0 has compute capability < 3.0", "LOG-HARV-NUMBA-CC-BELOW-MIN", "GPU_NOT_SUPPORTED"),
    # Numba: no compute capability its toolkit compiles for; the toolkit-below-minimum warning that precedes it.
    ("NvvmSupportError: No supported GPU compute capabilities found. Please check your cudatoolkit version matches "
     "your CUDA version.", "LOG-HARV-NUMBA-NO-SUPPORTED-CC", "CUDA_LIBS_MISMATCH"),
    ("/opt/conda/lib/python3.9/site-packages/numba/cuda/cudadrv/nvvm.py:120: UserWarning: CUDA Toolkit 11.0 is "
     "unsupported by Numba - 11.2 is the minimum required version.", "LOG-HARV-NUMBA-NO-SUPPORTED-CC", "CUDA_LIBS_MISMATCH"),
    # LightGBM: either learner missing from the build.
    ("[LightGBM] [Fatal] GPU Tree Learner was not enabled in this build.", "LOG-HARV-LGBM-NOT-ENABLED", "FRAMEWORK_CPU_BUILD"),
    ("lightgbm.basic.LightGBMError: CUDA Tree Learner was not enabled in this build.\nPlease recompile with CMake "
     "option -DUSE_CUDA=1", "LOG-HARV-LGBM-NOT-ENABLED", "FRAMEWORK_CPU_BUILD"),
    # CuPy: two of its packages installed.
    ("/usr/lib/python3/site-packages/cupy/_environment.py:437: UserWarning:\n"
     "  CuPy may not function correctly because multiple CuPy packages are installed\n  in your environment:\n\n"
     "    cupy, cupy-cuda110\n", "LOG-HARV-CUPY-MULTIPLE", "FRAMEWORK_INSTALL_BROKEN"),
    # PaddlePaddle: the driver's CUDA older than the build's; the cuDNN loaded older; both majors older; the arch.
    ("W1203 08:14:55.000001  4321 device_context.cc:372] WARNING: device: 0. The installed Paddle is compiled with "
     "CUDA 11.2, but CUDA runtime version in your machine is 10.1, which may cause serious incompatible bug.",
     "LOG-HARV-PADDLE-DRIVER-CUDA-OLDER", "DRIVER_TOO_OLD"),
    ("W0707 01:02:03.456789   777 gpu_resources.cc:164] WARNING: device: 1. The installed Paddle is compiled with "
     "CUDNN 9.0, but CUDNN version in your machine is 8.9, which may cause serious incompatible bug.",
     "LOG-HARV-PADDLE-CUDNN-OLDER", "CUDNN_MISMATCH"),
    ("ValueError: (InvalidArgument) The installed Paddle is compiled with CUDA11/cuDNN8,but CUDA/cuDNN version in "
     "your machine is CUDA10/cuDNN7. which will cause serious incompatible bug.",
     "LOG-HARV-PADDLE-CUDA-CUDNN-OLDER", "DRIVER_TOO_OLD"),
    ("W0101 gpu_resources.cc:119] The GPU architecture in your current machine is Kepler, which is not compatible "
     "with Paddle installation with arch: 60 61 70 75 80 86 , it is recommended to install the corresponding wheel",
     "LOG-HARV-PADDLE-ARCH", "GPU_NOT_SUPPORTED"),
    ("W0101 gpu_resources.cc:119] The GPU compute capability in your current machine is 100, which is not supported "
     "by Paddle, it is recommended to install the corresponding wheel package", "LOG-HARV-PADDLE-ARCH", "GPU_NOT_SUPPORTED"),
    # MXNet: the CUDA runtime found no driver library.
    ("[23:59:59] /work/mxnet/src/base.cc:80: Please install cuda driver for GPU use.  No cuda driver detected.",
     "LOG-HARV-MXNET-NO-DRIVER", "DRIVER_MISSING"),
    # DeepSpeed: prebuilt ops for another CUDA than torch's.
    ("RuntimeError: CUDA version mismatch! DeepSpeed ops were compiled and installed with a different version than "
     "what is being used at runtime. Please re-install DeepSpeed or switch torch versions. Install CUDA version=12.1, "
     "Runtime CUDA version=12.4", "LOG-HARV-DEEPSPEED-OPS-CUDA", "FRAMEWORK_INSTALL_BROKEN"),
    # TensorRT: the runtime's status number, in both spellings TensorRT releases used.
    ("[11/02/2022-10:11:12] [TRT] [E] 1: CUDA initialization failure with error: 35. Please check your CUDA "
     "installation:  http://docs.nvidia.com/cuda/cuda-installation-guide-linux/index.html", "LOG-HARV-TRT-CUDA-INIT",
     "DRIVER_TOO_OLD"),
    ("[2019-01-01 00:00:00   ERROR] Cuda initialization failure with error 222. Please check cuda installation:  "
     "http://docs.nvidia.com/cuda/cuda-installation-guide-linux/index.html.", "LOG-HARV-TRT-CUDA-INIT", "DRIVER_TOO_OLD"),
    # NVRTC: the toolkit's headers, its builtins library (any program that compiles at run time).
    ("cupy.cuda.compiler.CompileException: /tmp/tmp9q/kern.cu(3): catastrophic error: cannot open source file "
     "\"cuda_bf16.h\"", "LOG-HARV-NVRTC-NO-HEADERS", "CUDA_LIBS_NOT_ON_PATH"),
    ("  what():  nvrtc: error: failed to open libnvrtc-builtins.so.12.4.\n  Make sure that libnvrtc-builtins.so.12.4 "
     "is installed correctly.", "LOG-HARV-NVRTC-BUILTINS", "CUDA_LIBS_MISMATCH"),
    ("RuntimeError: nvrtc: error: failed to open nvrtc-builtins64_118.dll.", "LOG-HARV-NVRTC-BUILTINS",
     "CUDA_LIBS_MISMATCH"),
    # tfjs-node-gpu: its native addon never installed.
    ("Error: The Node.js native addon module (tfjs_binding.node) can not be found at path: C:\\proj\\node_modules\\"
     "@tensorflow\\tfjs-node-gpu\\lib\\napi-v6\\tfjs_binding.node. \nPlease run command 'npm rebuild "
     "@tensorflow/tfjs-node-gpu --build-addon-from-source' to rebuild the native addon module.",
     "LOG-HARV-TFJS-NO-ADDON", "FRAMEWORK_INSTALL_BROKEN"),
    # Numba: the toolkit's static device runtime.
    ("numba.cuda.cudadrv.driver.LinkerError: /opt/conda/envs/x/lib/libcudadevrt.a not found",
     "LOG-HARV-NUMBA-NO-CUDADEVRT", "CUDA_LIBS_NOT_ON_PATH"),
])
def test_a_programs_message_names_the_cause_its_code_tests(line: str, sid: str, cause: str) -> None:
    assert sid in _ids(line + "\n")
    assert codes(line + "\n")[0] == cause


def test_the_paddle_cudnn_warning_beside_pytorchs_gpu_use_still_names_the_mismatch() -> None:
    text = ("W0707 gpu_resources.cc:164] WARNING: device: 0. The installed Paddle is compiled with CUDNN 8.2, but "
            "CUDNN version in your machine is 8.1, which may cause serious incompatible bug.\n")
    assert report(text).causes[0].code == "CUDNN_MISMATCH"


# --- lines that say only that the program found no GPU: its "no GPU" answer ---------------------------------------

@pytest.mark.parametrize("line", [
    "WARNING: /workspace/src/context.cc:52: No visible GPU is found, setting device to CPU.",
    "[2023-11-02 09:00:01,111] [INFO] [real_accelerator.py:158:get_accelerator] Setting ds_accelerator to cpu (auto detect)",
    "RuntimeError: Failed to infer device type, please set the environment variable `VLLM_LOGGING_LEVEL=DEBUG` to turn "
    "on verbose logging to help debug the issue.",
    "INFO 11-20 03:04:05 [__init__.py:256] No platform detected, vLLM is running on UnspecifiedPlatform",
    "  File \"/usr/lib/python3/site-packages/triton/runtime/driver.py\", line 8, in _create_driver\n"
    "    raise RuntimeError(f\"{len(actives)} active drivers ({actives}). There should only be one.\")\n"
    "RuntimeError: 0 active drivers ([]). There should only be one.",
    "time=2024-08-10T12:00:00.000+02:00 level=INFO source=gpu.go:347 msg=\"no compatible GPUs were discovered\"",
    "[07:07:07] /work/mxnet/src/base.cc:82: GPU context requested, but no GPUs found.",
    "RuntimeError: Unable to proceed, no GPU resources available",
    "RuntimeError: DeepSpeed JIT builder for 'cpu_adam' found no CUDA devices. Set TORCH_CUDA_ARCH_LIST or make GPUs "
    "visible.",
    "time=2025-10-01T09:09:09.000Z level=INFO source=types.go:60 msg=\"inference compute\" id=cpu library=cpu "
    "compute=\"\" name=cpu description=cpu libdirs=ollama driver=\"\" pci_id=\"\" type=\"\" total=\"15.5 GiB\" "
    "available=\"12.0 GiB\"",
])
def test_a_programs_no_gpu_answer_says_the_gpu_went_unused_without_a_cause_it_cannot_know(line: str) -> None:
    assert _unused_without_cause(line + "\n")


def test_a_no_gpu_answer_gives_way_to_a_line_that_says_why() -> None:
    text = ("time=2024-06-01T08:00:00.000Z level=INFO source=gpu.go:264 msg=\"[0] CUDA GPU is too old. Compute "
            "Capability detected: 3.0\"\n"
            "time=2024-06-01T08:00:00.000Z level=INFO source=gpu.go:347 msg=\"no compatible GPUs were discovered\"\n")
    assert codes(text)[0] == "GPU_NOT_SUPPORTED"


def test_lightgbms_gpu_trainer_shows_the_gpu_in_use_and_xgboosts_device_copy_is_harmless() -> None:
    assert explain_text("[LightGBM] [Info] This is the GPU trainer!!\n").gpu_used is True
    line = ("WARNING: /opt/xgboost/src/common/error_msg.cc:58: Falling back to prediction using DMatrix due to mismatched "
            "devices. This might lead to higher memory usage and slower performance. XGBoost is running on: cuda:1, "
            "while the input data is on: cpu.\n")
    result = explain_text(line)
    assert report(line).causes == []
    assert len(result.benign) == 1 and "the input is copied" in result.benign[0]


@pytest.mark.parametrize("line", [
    "load_tensors: offloaded 29/29 layers to GPU",
    "Mar 02 10:00:00 host ollama[123]: llm_load_tensors: offloaded 12/41 layers to GPU",
    "load_tensors:        CUDA1 model buffer size =  1234.00 MiB",
    "llama_kv_cache:      CUDA0 KV buffer size =   512.00 MiB",
])
def test_llama_cpp_layers_or_buffers_on_a_cuda_device_show_the_gpu_in_use(line: str) -> None:
    result = explain_text(line + "\n")
    assert result.gpu_used is True
    assert report(line + "\n").causes == []


def test_llama_cpp_offloading_no_layer_is_the_callers_setting_first() -> None:
    line = "load_tensors: offloaded 0/29 layers to GPU\n"
    assert codes(line)[:2] == ["CODE_FORCES_CPU", "GPU_BUSY"]
    # the host buffer of a CUDA build and the CPU's buffer are not the GPU
    assert explain_text("load_tensors:   CPU_Mapped model buffer size =  4685.30 MiB\n").gpu_used is None
    assert explain_text("load_tensors:    CUDA_Host model buffer size =   300.00 MiB\n").gpu_used is None


def test_mxnets_cudnn_autotuning_shows_the_gpu_in_use() -> None:
    line = ("[08:00:00] ../src/operator/nn/./cudnn/./cudnn_algoreg-inl.h:97: Running performance tests to find the best "
            "convolution algorithm, this can take a while... (set the environment variable MXNET_CUDNN_AUTOTUNE_DEFAULT "
            "to 0 to disable)\n")
    result = explain_text(line)
    assert result.gpu_used is True
    assert report(line).causes == []


# --- quiet: questions, code, advice, healthy lines, near misses -------------------------------------------------

@pytest.mark.parametrize("text", [
    # the GPU in use, by each program
    "[2024-03-01 10:00:00,000] [INFO] [real_accelerator.py:203:get_accelerator] Setting ds_accelerator to cuda (auto detect)\n",
    "[2024-03-01 10:00:00,000] [INFO] [real_accelerator.py:203:get_accelerator] Setting ds_accelerator to cpu (model specified)\n",
    "time=2025-07-01T17:59:51.470Z level=INFO source=types.go:130 msg=\"inference compute\" id=GPU-5a1b library=cuda "
    "variant=v12 compute=8.6 driver=12.4 name=\"NVIDIA GeForce RTX 3090\" total=\"24.0 GiB\" available=\"23.1 GiB\"\n",
    "INFO 05-01 10:00:00 [__init__.py:239] Automatically detected platform cuda.\n",
    # within one CUDA major the driver runs the newer minor's build (minor version compatibility)
    "W1203 device_context.cc:372] WARNING: device: 0. The installed Paddle is compiled with CUDA 12.4, but CUDA "
    "runtime version in your machine is 12.2, which may cause serious incompatible bug.\n",
    "RuntimeError: 2 active drivers ([CudaDriver, HIPDriver]). There should only be one.\n",
    "W0101 gpu_resources.cc:119] Please NOTE: device: 0, GPU Compute Capability: 8.6, Driver API Version: 12.2, "
    "Runtime API Version: 11.8\n",
    # code that tests the same thing, a question, advice
    "if device.compute_capability < MIN_REQUIRED_CC:\n",
    "Why does XGBoost say no visible GPU is found when nvidia-smi shows my card?\n",
    "Why would vLLM fail to infer the device type on a machine with a GPU?\n",
    "If the GPU tree learner is not enabled in your build, rebuild with -DUSE_GPU=1.\n",
    "Make sure only one CuPy package is installed.\n",
    # a TensorRT status that means nothing for using the GPU (out of memory at its first call)
    "[TensorRT] INTERNAL ERROR: [runtime.cpp::isCudaInstalledCorrectly::41] Error Code 6: Internal Error (CUDA "
    "initialization failure with error 2. Please check your CUDA installation:  http://docs.nvidia.com/cuda/)\n",
    # DeepSpeed's torch version check, MXNet's advisory
    "RuntimeError: PyTorch version mismatch! DeepSpeed ops were compiled and installed with a different version than "
    "what is being used at runtime.\n",
    "Upgrade advisory: this mxnet has been built against cuda library version 9000, which is older than the oldest "
    "version tested by CI (10000).  Set MXNET_CUDA_LIB_CHECKING=0 to quiet this warning.\n",
    # NVRTC compiling with the headers found, a source file of the user's own missing
    "nvrtc: error: failed to open my_kernel_helpers.h\n",
    "kern.cu(1): catastrophic error: cannot open source file \"my_header.h\"\n",
    "[LightGBM] [Info] This is the CPU trainer\n",
    "How many layers should I offload to GPU for a 13B model on 8 GB?\n",
    "llm_load_tensors: offloading 0 repeating layers to GPU\n",
    # the CPU package's addon missing is not about the GPU
    "Error: The Node.js native addon module (tfjs_binding.node) can not be found at path: /srv/node_modules/"
    "@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node.\n",
    # near misses: another number of drivers, another tree learner state, a CUDA wheel name alone
    "Tree learner was enabled: gpu\n",
])
def test_healthy_lines_questions_and_near_misses_stay_quiet(text: str) -> None:
    assert report(text).causes == []
    assert not (_ids(text) & {
        "LOG-HARV-NUMBA-CC-BELOW-MIN", "LOG-HARV-NUMBA-NO-SUPPORTED-CC", "LOG-HARV-XGB-NO-VISIBLE-GPU",
        "LOG-HARV-LGBM-NOT-ENABLED", "LOG-HARV-CUPY-MULTIPLE", "LOG-HARV-DEEPSPEED-CPU", "LOG-HARV-VLLM-NO-PLATFORM",
        "LOG-HARV-TRITON-NO-DRIVER", "LOG-HARV-OLLAMA-CPU-ONLY", "LOG-HARV-PADDLE-DRIVER-CUDA-OLDER",
        "LOG-HARV-PADDLE-CUDNN-OLDER", "LOG-HARV-PADDLE-CUDA-CUDNN-OLDER", "LOG-HARV-PADDLE-ARCH",
        "LOG-HARV-MXNET-NO-DRIVER", "LOG-HARV-MXNET-NO-GPUS", "LOG-HARV-DEEPSPEED-OPS-CUDA",
        "LOG-HARV-DEEPSPEED-NO-DEVICES", "LOG-HARV-NVRTC-NO-HEADERS", "LOG-HARV-NVRTC-BUILTINS",
        "LOG-HARV-NUMBA-NO-CUDADEVRT", "LOG-HARV-TFJS-NO-ADDON", "LOG-HARV-GGML-ZERO-LAYERS"})
