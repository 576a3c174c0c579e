"""TensorFlow's own messages read from its source (session 18, acctf): each fires on a line with its meaning and stays quiet on its near neighbours.

The lines are written from the code that prints each message (placer, eager context, gpu_device.cc,
cudart_stub, Keras's checks), not copied from corpus cases.
"""

from __future__ import annotations

import pytest

from log_text import codes as _codes

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
