"""TensorFlow's own messages read from its source (session 18, acctf): each fires on a line with its meaning and stays quiet on its near neighbours.

The lines are written from the code that prints each message (placer, eager context, gpu_device.cc,
cudart_stub, Keras's checks), not copied from corpus cases.
"""

from __future__ import annotations

import pytest

from log_text import codes as _codes
from whygpu.explain import explain_text, to_report

# --- the build has no CUDA -------------------------------------------------------------------------


def test_placer_saying_cuda_is_not_enabled_is_a_cpu_build() -> None:
    line = (
        "InvalidArgumentError: Cannot assign a device for operation MatMul: {{node MatMul}} was explicitly assigned to "
        "/device:GPU:0 but available devices are [ /job:localhost/replica:0/task:0/device:CPU:0 ]. Make sure the device "
        "specification refers to a valid device. The requested device appears to be a GPU, but CUDA is not enabled."
    )
    assert _codes(line)[0] == "FRAMEWORK_CPU_BUILD"


def test_placer_without_the_cuda_sentence_does_not_say_cpu_build() -> None:
    line = (
        "InvalidArgumentError: Cannot assign a device for operation MatMul: {{node MatMul}} was explicitly assigned to "
        "/device:GPU:0 but available devices are [ /job:localhost/replica:0/task:0/device:CPU:0 ]. Make sure the device "
        "specification refers to a valid device."
    )
    assert _codes(line)[0] == "NO_GPU"


# --- TensorFlow registered no GPU device ---------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Cannot assign a device to node 'MatMul': Could not satisfy explicit device specification '/device:GPU:0' "
        "because no devices matching that specification are registered in this process; available devices: "
        "/job:localhost/replica:0/task:0/cpu:0",
        "Cannot assign a device for operation 'b': Operation was explicitly assigned to /device:GPU:0 but available "
        "devices are [ /job:localhost/replica:0/task:0/device:CPU:0, /job:localhost/replica:0/task:0/device:XLA_CPU:0 ]. "
        "Make sure the device specification refers to a valid device.",
        "InvalidArgumentError: Could not satisfy device specification '/job:localhost/replica:0/task:0/device:GPU:0'. "
        "enable_soft_placement=0. Supported device types [CPU]. All available devices "
        "[/job:localhost/replica:0/task:0/device:CPU:0]. [Op:MatMul]",
        "ValueError: To call `multi_gpu_model` with `gpus=4`, we expect the following devices to be available: "
        "['/cpu:0', '/gpu:0', '/gpu:1', '/gpu:2', '/gpu:3']. However this machine only has: ['/cpu:0']. Try reducing `gpus`.",
        "The dtype policy mixed_float16 may run slowly because this machine does not have a GPU. Only Nvidia GPUs with "
        "compute capability of at least 7.0 run quickly with mixed_float16.",
    ],
)
def test_tensorflow_registering_no_gpu_device_is_read(line: str) -> None:
    assert _codes(line)[:1] == ["NO_GPU"]
    assert "FRAMEWORK_CPU_BUILD" in _codes(line)


@pytest.mark.parametrize(
    "line",
    [
        # A GPU device is registered: asking for a second one is the script's mistake, not an unused GPU.
        "InvalidArgumentError: Could not satisfy device specification '/job:localhost/replica:0/task:0/device:GPU:1'. "
        "enable_soft_placement=0. Supported device types [GPU, CPU]. All available devices "
        "[/job:localhost/replica:0/task:0/device:GPU:0, /job:localhost/replica:0/task:0/device:CPU:0]. [Op:MatMul]",
        "Cannot assign a device for operation 'b_1': Operation was explicitly assigned to /device:GPU:1 but available "
        "devices are [ /job:localhost/replica:0/task:0/device:CPU:0, /job:localhost/replica:0/task:0/device:GPU:0 ]. "
        "Make sure the device specification refers to a valid device.",
        "ValueError: To call `multi_gpu_model` with `gpus=2`, we expect the following devices to be available: "
        "['/cpu:0', '/gpu:0', '/gpu:1']. However this machine only has: ['/cpu:0', '/gpu:0']. Try reducing `gpus`.",
        # An op without a GPU kernel: the GPU exists.
        "Cannot assign a device for operation 'Predictions': Could not satisfy explicit device specification "
        "'/device:GPU:0' because no supported kernel for GPU devices is available.",
        # Keras's check found a GPU, only an older one.
        "Your GPU may run slowly with dtype policy mixed_float16 because it does not have compute capability of at least 7.0. Your GPU:",
    ],
)
def test_a_gpu_device_that_exists_is_not_read_as_none(line: str) -> None:
    assert "NO_GPU" not in _codes(line)


# --- the CUDA runtime stub -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "tensorflow.python.framework.errors_impl.InternalError: cudaGetDevice() failed. Status: cudaGetErrorString symbol not found.",
        "InternalError: CUDA runtime implicit initialization on GPU:0 failed. Status: cudaGetErrorString symbol not found.",
        "InternalError: cudaSetDevice() on GPU:0 failed. Status: cudaGetErrorString symbol not found.",
    ],
)
def test_the_cudart_stub_without_libcudart_is_a_cuda_library_problem(line: str) -> None:
    got = _codes(line)
    assert got and got[0].startswith("CUDA_LIBS_")
    assert set(got) <= {"CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISMATCH"}


def test_a_status_from_a_loaded_runtime_keeps_its_own_meaning() -> None:
    assert _codes("InternalError: cudaGetDevice() failed. Status: CUDA driver version is insufficient for CUDA runtime version")[0] == "DRIVER_TOO_OLD"


# --- out of memory when CUDA starts on the GPU ---------------------------------------------------------------


def test_out_of_memory_at_runtime_initialisation_is_a_busy_gpu() -> None:
    assert _codes("InternalError: CUDA runtime implicit initialization on GPU:0 failed. Status: out of memory")[0] == "GPU_BUSY"


def test_out_of_memory_while_running_is_not_read_by_the_initialisation_reading() -> None:
    # An allocation that fails during training shows the GPU was in use.
    assert "GPU_BUSY" not in _codes("ResourceExhaustedError: OOM when allocating tensor with shape[256,256,3,3] and type float on /job:localhost/replica:0/task:0/device:GPU:0")


# --- tensorflow-rocm skipping an AMD GPU ------------------------------------------------------------------


def test_rocm_build_skipping_an_unsupported_amd_isa_is_gpu_not_supported() -> None:
    line = (
        "I tensorflow/core/common_runtime/gpu/gpu_device.cc:2266] Ignoring visible gpu device (device: 0, name: AMD Radeon "
        "RX 6700 XT, pci bus id: 0000:0b:00.0) with AMDGPU version : gfx1031. The supported AMDGPU versions are gfx1030, gfx900, gfx906."
    )
    assert _codes(line)[0] == "GPU_NOT_SUPPORTED"


def test_a_gpu_skipped_for_its_small_core_count_is_not_a_cause() -> None:
    line = (
        "I tensorflow/core/common_runtime/gpu/gpu_device.cc:1700] Ignoring visible gpu device (device: 1, name: GeForce GT 710, "
        "pci bus id: 0000:02:00.0, compute capability: 3.5) with core count: 1. The minimum required count is 8. You can "
        "adjust this requirement with the env var TF_MIN_GPU_MULTIPROCESSOR_COUNT."
    )
    assert _codes(line) == []


# --- cuDNN's version line cut short -----------------------------------------------------------------------------


def test_the_cudnn_version_line_cut_before_the_build_version_is_still_a_mismatch() -> None:
    line = "E tensorflow/stream_executor/cuda/cuda_dnn.cc:362] Loaded runtime CuDNN library: 8.0.5 but source was compiled"
    assert _codes(line) == ["CUDNN_MISMATCH"]


def test_cudnn_loaded_without_the_mismatch_words_is_not_a_mismatch() -> None:
    # TF 2.5+'s line after cuDNN started on the GPU: the GPU was used.
    report = to_report(explain_text("I tensorflow/stream_executor/cuda/cuda_dnn.cc:369] Loaded cuDNN version 8100"))
    assert report.causes == []
    assert report.to_json()["verdict"]["gpu_usable"] is True


# --- benign and positive lines stay quiet ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "I tensorflow/compiler/jit/xla_gpu_device.cc:99] Not creating XLA devices, tf_xla_enable_xla_devices not set",
        "W tensorflow/compiler/tf2tensorrt/utils/py_utils.cc:38] TF-TRT Warning: Cannot dlopen some TensorRT libraries. If you "
        "would like to use Nvidia GPU with TensorRT, please make sure the missing libraries mentioned above are installed properly.",
        "Your GPUs may run slowly with dtype policy mixed_float16 because they do not have compute capability of at least 7.0. Your GPUs:",
        "W tensorflow/compiler/xla/service/gpu/nvptx_compiler.cc:497] Can't find ptxas binary in ${CUDA_DIR}/bin.  Will back to "
        "the GPU driver for PTX -> sass compilation. This is OK so long as you don't see a warning below about an out-of-date driver version.",
        "Mixed precision compatibility check (mixed_float16): OK",
        "Your GPU will likely run quickly with dtype policy mixed_float16 as it has compute capability of at least 7.0. Your GPU: NVIDIA A100",
    ],
)
def test_tensorflow_lines_that_do_not_keep_the_gpu_unused_are_quiet(line: str) -> None:
    report = to_report(explain_text(line))
    assert report.causes == []


def test_a_benign_tensorrt_line_beside_a_real_failure_leaves_the_failure_first() -> None:
    text = "\n".join(
        [
            "W tensorflow/compiler/tf2tensorrt/utils/py_utils.cc:38] TF-TRT Warning: Cannot dlopen some TensorRT libraries.",
            "W tensorflow/core/common_runtime/gpu/gpu_device.cc:1850] Cannot dlopen some GPU libraries. Please make sure the "
            "missing libraries mentioned above are installed properly if you would like to use GPU.",
        ]
    )
    assert _codes(text)[0].startswith("CUDA_LIBS_")


# --- TensorFlow's lines beside another framework's --------------------------------------------------------------

_TF_WITHOUT_CUDA = (
    "2024-02-15 17:38:56.694239: I tensorflow/tsl/cuda/cudart_stub.cc:28] Could not find cuda drivers on your machine, GPU will not be used.\n"
    "2024-02-15 17:38:57.118430: W tensorflow/compiler/tf2tensorrt/utils/py_utils.cc:38] TF-TRT Warning: Could not find TensorRT\n"
)


def test_tensorflow_without_cuda_beside_pytorch_on_the_gpu_is_not_the_answer() -> None:
    # A PyTorch program that imports TensorFlow through a library: TensorFlow's own libraries say
    # nothing about the GPU PyTorch used.
    report = to_report(explain_text(_TF_WITHOUT_CUDA + "Using device: cuda:0\n"))
    assert report.to_json()["verdict"]["gpu_usable"] is True


def test_tensorflow_without_cuda_alone_is_still_the_answer() -> None:
    assert _codes(_TF_WITHOUT_CUDA)[0] == "CUDA_LIBS_MISSING"


def test_another_frameworks_failure_heads_the_answer_beside_tensorflow_noise() -> None:
    text = _TF_WITHOUT_CUDA + (
        "UserWarning: NVIDIA GeForce RTX 5090 with CUDA capability sm_120 is not compatible with the current PyTorch installation.\n"
    )
    report = to_report(explain_text(text))
    assert report.causes[0].code == "GPU_NOT_SUPPORTED"
    assert "PyTorch" in report.to_json()["verdict"]["summary"]


def test_tensorflow_1_announcing_its_gpu_device_shows_the_gpu_used() -> None:
    line = "I tensorflow/core/common_runtime/gpu/gpu_device.cc:1045] Creating TensorFlow device (/gpu:0) -> (device: 0, name: GeForce GTX 1080, pci bus id: 0000:01:00.0)"
    assert to_report(explain_text(line)).to_json()["verdict"]["gpu_usable"] is True


def test_a_cpu_device_announcement_is_not_gpu_use() -> None:
    line = "I tensorflow/core/common_runtime/local_device.cc:40] Local device intra op parallelism threads: 8"
    assert to_report(explain_text(line)).to_json()["verdict"]["gpu_usable"] is not True


# --- cuBLAS and cuDNN that could not start ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "E tensorflow/stream_executor/cuda/cuda_blas.cc:226] failed to create cublas handle: CUBLAS_STATUS_ALLOC_FAILED",
        "E tensorflow/compiler/xla/stream_executor/cuda/cuda_blas.cc:190] failed to create cublas handle: the library was not initialized",
        "InternalError: Attempting to perform BLAS operation using StreamExecutor without BLAS support [Op:MatMul]",
        "InternalError: Blas SGEMM launch failed : a.shape=(100, 784), b.shape=(784, 10), m=100, n=10, k=784",
    ],
)
def test_cublas_that_could_not_start_reads_memory_taken_then_an_unsupported_gpu(line: str) -> None:
    assert _codes(line)[:2] == ["GPU_BUSY", "GPU_NOT_SUPPORTED"]


def test_a_cublas_routine_that_ran_is_not_read_as_cublas_not_starting() -> None:
    # cuBLAS started; a later routine failing is a different message (its status decides).
    assert "GPU_BUSY" not in _codes("I tensorflow/stream_executor/platform/default/dso_loader.cc:44] Successfully opened dynamic library libcublas.so.10")


_CUDNN_MISMATCH = (
    "E tensorflow/stream_executor/cuda/cuda_dnn.cc:343] Loaded runtime CuDNN library: 7.0.5 but source was compiled with: 7.1.4.  "
    "CuDNN library major and minor version needs to match or have higher minor version in case of CuDNN 7.0 or later version.\n"
)


@pytest.mark.parametrize(
    "line",
    [
        "F tensorflow/core/kernels/conv_ops.cc:712] Check failed: stream->parent()->GetConvolveAlgorithms( "
        "conv_parameters.ShouldIncludeWinogradNonfusedAlgo<T>(), &algorithms)",
        "UnknownError: Failed to get convolution algorithm. This is probably because cuDNN failed to initialize, so try "
        "looking to see if a warning log message was printed above.",
    ],
)
def test_cudnn_not_starting_is_the_version_mismatch_printed_above_it(line: str) -> None:
    assert _codes(_CUDNN_MISMATCH + line) == ["CUDNN_MISMATCH"]
    # Alone, memory taken is the likelier reason, a cuDNN of another version the other.
    assert _codes(line) == ["GPU_BUSY", "CUDNN_MISMATCH"]


def test_the_xla_devices_deprecation_notice_is_harmless() -> None:
    line = (
        "W tensorflow/compiler/jit/xla_device.cc:398] XLA_GPU and XLA_CPU devices are deprecated and will be removed in "
        "subsequent releases. Instead, use either @tf.function(experimental_compile=True) for must-compile semantics."
    )
    result = explain_text(line)
    assert to_report(result).causes == []
    assert result.benign
