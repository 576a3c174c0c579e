"""accmisc (session 27): four classes that fresh reports showed and whygpu did not read.

1. A CUDA runtime error left pending by the runtime's start-up (XLA's "There was an error before creating cudnn handle
   (N): NAME : text") where NAME says a driver entry point was not found: the driver is older than the runtime.
2. The GPU used but idle (GPU_UNDERUSED) said in words: utilisation near zero while data loading runs on one CPU core.
3. ONNX Runtime asked for the CUDA provider but only the CPU provider is there (the CPU package installed).
4. Two frameworks in one process, TensorFlow preallocating the GPU's memory that JAX or PyTorch then lacks.

Each reading has lines where it speaks and lines where it stays quiet, written from the messages' formats (XLA's
cuda_dnn.cc, ONNX Runtime's inference_session.cc and Python API) and from how a writer states their machine.
"""

from __future__ import annotations

from log_text import codes as _codes
from whygpu.knowledge import gpu_status

_XLA = "E1106 17:22:25.991066    6564 cuda_dnn.cc:502] There was an error before creating cudnn handle ({n}): {name} : {text}\n"
_DNN_INIT = "jaxlib.xla_extension.XlaRuntimeError: FAILED_PRECONDITION: DNN library initialization failed. Look at the errors above for more details.\n"


# --- 1. a pending runtime error before the cuDNN handle ----------------------------------------------------------------

def test_symbol_not_found_before_the_cudnn_handle_reads_as_a_driver_older_than_the_runtime() -> None:
    line = _XLA.format(n=500, name="cudaErrorSymbolNotFound", text="named symbol not found")
    for text in (line, line + _DNN_INIT, line.replace("E1106 17:22:25.991066    6564 ", "2024-11-06 17:22:25.991066: E external/xla/xla/stream_executor/")):
        causes = _codes(text)
        assert causes[:1] == ["DRIVER_TOO_OLD"], text
        assert "CONTAINER_NO_GPU" in causes, text  # a WSL container's mapped driver libraries stay the alternative


def test_the_pending_error_keeps_its_own_meaning_for_other_codes() -> None:
    assert _codes(_XLA.format(n=35, name="cudaErrorInsufficientDriver", text="CUDA driver version is insufficient for CUDA runtime version"))[:1] == ["DRIVER_TOO_OLD"]
    assert _codes(_XLA.format(n=100, name="cudaErrorNoDevice", text="no CUDA-capable device is detected"))[:1] != ["DRIVER_TOO_OLD"]
    # an error a kernel of the program left (the GPU ran it) says nothing about the driver
    assert "DRIVER_TOO_OLD" not in _codes(_XLA.format(n=700, name="cudaErrorIllegalAddress", text="an illegal memory access was encountered"))


def test_symbol_not_found_elsewhere_stays_quiet() -> None:
    # a kernel launch or a symbol lookup of the program's own (an architecture or a programming error), not start-up
    for line in ("CUDA error cudaErrorSymbolNotFound [/src/include/stream/bulk.cuh:239]: named symbol not found\n",
                 "RuntimeError: CUDA error: named symbol not found\n",
                 "cudaMemcpyToSymbol returned cudaErrorSymbolNotFound\n"):
        assert "DRIVER_TOO_OLD" not in _codes(line), line


def test_the_qualifier_is_knowledge_with_the_code_left_meaningless_alone() -> None:
    status = gpu_status.status_by_name("cudaErrorSymbolNotFound")
    assert status is not None and status.cause is None
    assert gpu_status.cause_in_line(status, "There was an error before creating cudnn handle (500)")[0] == "DRIVER_TOO_OLD"
    assert gpu_status.cause_in_line(status, "cudaGetSymbolAddress: named symbol not found") == (None, ())
    assert "cudaerrorsymbolnotfound" in gpu_status.qualified_names()


# --- 2. the GPU used but idle, said in words -----------------------------------------------------------------------------

def test_data_loading_on_one_core_with_the_gpu_at_zero_reads_as_underused() -> None:
    for text in ("The whole training is slow because of dataloading, while the gpu is 0 most of time.\n",
                 "Training only uses one CPU core and the GPU sits idle.\n",
                 "Using only one cpu core to load data, the GPU stays at 0% most of the time.\n",
                 "Only a single CPU core is used for data loading.\n",
                 "The GPUs remain mostly idle while the preprocessing runs.\n",
                 "On an A100 the training runs on the **GPU**, but the GPU utilization is **0%** most of the time and one CPU core is at 100%.\n"):
        assert _codes(text)[:1] == ["GPU_UNDERUSED"], text


def test_underused_words_stay_quiet_on_conditions_and_on_a_gpu_never_found() -> None:
    for text in ("If the GPU is 0 most of the time while the data loader runs, increase num_workers.\n",
                 "Should the GPU sit idle, raise num_workers.\n",
                 "I set CUDA_VISIBLE_DEVICES so my gpu is 0.\n",
                 "training process is very slow and it seems using only one cpu core.\n"):
        assert "GPU_UNDERUSED" not in _codes(text), text
    # "idle" beside the framework's own answer that it found no GPU: the GPU was not used at all
    causes = _codes("torch.cuda.is_available() returns False. The GPU is idle and the data loader uses one core.\n")
    assert causes and "GPU_UNDERUSED" not in causes
    assert _codes(">>> torch.cuda.is_available()\nTrue\nThe GPU is idle most of the time and the data loader uses one core.\n")[:1] == ["GPU_UNDERUSED"]


def test_bold_words_in_a_sentence_are_read_as_the_sentence() -> None:
    from whygpu.explain.normalize import emphasis_off

    assert emphasis_off("ran on the **CPU** despite") == "ran on the CPU despite"
    for kept in ("ls **/*.so", "x**2**y", "torch.__version__", "def __init__(self):"):
        assert emphasis_off(kept) == kept
    assert _codes("On an RTX 4070 box, the model ran on the **CPU** despite requesting the CUDA provider.\n")[:1] == _codes(
        "On an RTX 4070 box, the model ran on the CPU despite requesting the CUDA provider.\n")[:1] != []


# --- 3. ONNX Runtime's provider lists printed under the query ------------------------------------------------------------

def test_a_provider_list_printed_on_the_next_line_is_onnxruntimes_answer() -> None:
    for query in ("print(ort.get_available_providers())", "print(sess.get_providers())"):
        causes = _codes(f"import onnxruntime as ort\n{query}\n['CPUExecutionProvider']\n")
        assert causes[:1] == ["FRAMEWORK_CPU_BUILD"] and "FRAMEWORK_INSTALL_BROKEN" in causes, query
        assert _codes(f"{query}\n['CUDAExecutionProvider', 'CPUExecutionProvider']\n") == [], query
    # a condition in code is no answer
    assert _codes("if 'CUDAExecutionProvider' not in sess.get_providers():\n    print('CPU')\n") == []


def test_a_session_on_the_cpu_after_the_cuda_provider_failed_to_load_is_the_librarys_reading() -> None:
    text = (">>> sess.get_providers()\n['CPUExecutionProvider']\n"
            "[E:onnxruntime:Default, provider_bridge_ort.cc:1548 TryGetProviderInfo_CUDA] Failed to load library "
            "libonnxruntime_providers_cuda.so with error: libcublasLt.so.11: cannot open shared object file: No such file or directory\n")
    causes = _codes(text)
    assert causes and "FRAMEWORK_CPU_BUILD" not in causes and "FRAMEWORK_INSTALL_BROKEN" not in causes


# --- 4. two frameworks in one process --------------------------------------------------------------------------------------

_CONV = "RuntimeError: UNKNOWN: Failed to determine best cudnn convolution algorithm for:\n"
_CUBLAS = "RuntimeError: CUDA error: CUBLAS_STATUS_NOT_INITIALIZED when calling `cublasCreate(handle)`\n"


def test_tensorflow_beside_jax_or_torch_with_a_start_up_failure_reads_as_memory_taken() -> None:
    for text in ("import jax.numpy as jnp\nimport tensorflow_datasets as tfds\nds = tfds.load('mnist')\n" + _CONV,
                 "from flax import linen as nn\nimport tensorflow as tf\n" + _DNN_INIT,
                 "import torch\nimport tensorflow as tf\nds = tf.data.Dataset.from_tensor_slices(x)\n" + _CUBLAS,
                 ">>> import tensorflow as tf\n>>> import jax\n"
                 "E external/xla/xla/stream_executor/cuda/cuda_dnn.cc:535] Could not create cudnn handle: CUDNN_STATUS_INTERNAL_ERROR\n"):
        assert _codes(text)[:1] == ["GPU_BUSY"], text


def test_two_frameworks_stay_quiet_without_failure_setting_or_nearness() -> None:
    assert "GPU_BUSY" not in _codes("import jax\nimport tensorflow as tf\nprint(jax.devices())\n")
    # the reservation stopped by the code
    assert _codes("import torch\nimport tensorflow as tf\ntf.config.set_visible_devices([], 'GPU')\n" + _CONV)[:1] != ["GPU_BUSY"]
    # one framework only: the autotuning failure alone is read by nothing here
    assert _codes("import jax.numpy as jnp\n" + _CONV) == []
    # PyTorch with a library that reserves nothing: no rival
    assert _codes("import torch\nimport torchvision\n" + _CONV) == []
    # two programs far apart in the report
    far = "import jax\n" + "step ok\n" * 80 + "import tensorflow as tf\n" + _CONV
    assert _codes(far) == []
    # a line that names its own cause surely wins
    mismatch = ("import jax\nimport tensorflow as tf\nE external/xla/xla/stream_executor/cuda/cuda_dnn.cc:417] Loaded runtime CuDNN library: "
                "8.5.0 but source was compiled with: 8.6.0.  CuDNN library needs to have matching major version and equal or higher minor version.\n" + _DNN_INIT)
    assert _codes(mismatch)[:1] == ["CUDNN_MISMATCH"]


def test_which_frameworks_reserve_memory_is_knowledge() -> None:
    from whygpu.knowledge.memory_prealloc import framework_of_module, memory_rivals

    assert framework_of_module("tensorflow_datasets") == "tensorflow" and framework_of_module("flax.linen") == "jax"
    assert framework_of_module("numpy") is None
    assert [r.name for r in memory_rivals({"jax", "tensorflow"})] == ["jax", "tensorflow"]
    assert [r.name for r in memory_rivals({"torch", "tensorflow"})] == ["tensorflow"]
    assert memory_rivals({"tensorflow"}) == () and memory_rivals({"torch"}) == ()


def test_symbol_not_found_from_the_runtimes_first_call_reads_the_same() -> None:
    line = ("RuntimeError: Unexpected error from cudaGetDeviceCount(). Did you run some cuda functions before calling NumCudaDevices() "
            "that might have already set an error? Error 500: named symbol not found\n")
    causes = _codes(line)
    assert causes[:1] == ["DRIVER_TOO_OLD"] and "CONTAINER_NO_GPU" in causes
    # a code of no meaning on the same line keeps the signature's own reading (the qualifier is the symbol's only)
    other = line.replace("Error 500: named symbol not found", "Error 600: device not ready")
    assert "CONTAINER_NO_GPU" not in _codes(other)
