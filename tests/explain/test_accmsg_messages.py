"""Programs' messages read by what their source says they mean (session 22, branch accmsg).

Each class fires on lines written here from the class (the program's own wording in other layouts, other programs'
phrasing of the same fact) and stays quiet on a near miss: a question, a condition in code, advice, a state that is
over, a benign line of a healthy run. No line is copied from a corpus case.
"""

from __future__ import annotations

from log_text import codes as _codes
from whygpu.explain import explain_text


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


# --- XLA's ptxas and PTX-module messages ---------------------------------------------------------------------------


def test_xla_that_cannot_start_ptxas_reads_as_the_toolkit_compiler_missing() -> None:
    for text in (
        "2023-05-01 09:12:44.100200: W external/xla/xla/stream_executor/gpu/asm_compiler.cc:81] Couldn't get ptxas "
        "version string: INTERNAL: Couldn't invoke ptxas --version\n",
        "E0501 09:12:45.000000 1234 nvptx_compiler.cc:500] ptxas returned an error during compilation of ptx to sass: "
        "'INTERNAL: Failed to launch ptxas'  If the error message indicates that a file could not be written, please "
        "verify that sufficient filesystem space is provided.\n",
        "jaxlib.xla_extension.XlaRuntimeError: FAILED_PRECONDITION: Couldn't get ptxas/nvlink version string: "
        "INTERNAL: Couldn't invoke /usr/local/cuda-12.2/bin/ptxas --version\n",
    ):
        codes = _codes(text)
        assert codes[0] == "CUDA_LIBS_MISSING", text
        assert "CUDA_LIBS_NOT_ON_PATH" in codes[:3]
        assert "LOG-XLA-PTXAS-NOT-STARTED" in _ids(text)


def test_ptxas_not_started_stays_quiet_when_xla_falls_back_to_the_driver() -> None:
    # TensorFlow's redzone allocator says it will compile with the driver instead: the GPU is used.
    text = ("W tensorflow/stream_executor/gpu/asm_compiler.cc:80] Couldn't invoke ptxas --version\n"
            "W tensorflow/stream_executor/gpu/redzone_allocator.cc:314] Internal: Failed to launch ptxas\n"
            "Relying on driver to perform ptx compilation. \nModify $PATH to customize ptxas location.\n")
    assert _codes(text) == []
    # Other ptxas lines of healthy runs are no failure of this class.
    assert "LOG-XLA-PTXAS-NOT-STARTED" not in _ids("ptxas warning : Registers are spilled to local memory in function 'f'\n")
    assert "LOG-XLA-PTXAS-NOT-STARTED" not in _ids("Used ptxas at /usr/local/cuda/bin/ptxas\n")


def test_libdevice_and_ptxas_both_absent_put_the_missing_compiler_component_first() -> None:
    libdevice = "W external/xla/xla/service/gpu/llvm_gpu_backend/gpu_backend_lib.cc:100] Can't find libdevice directory ${CUDA_DIR}/nvvm/libdevice\n"
    assert _codes(libdevice)[0] == "CUDA_LIBS_NOT_ON_PATH"  # alone: XLA may only look in the wrong place
    both = libdevice + "W asm_compiler.cc:80] Couldn't invoke ptxas --version\n"
    codes = _codes(both)
    assert codes[0] == "CUDA_LIBS_MISSING"
    assert "CUDA_LIBS_NOT_ON_PATH" in codes


def test_a_kernel_missing_from_xlas_compiled_module_reads_as_a_toolkit_older_than_the_gpu() -> None:
    for text in (
        '2022-02-02 10:00:00.000001: E external/org_tensorflow/tensorflow/stream_executor/cuda/cuda_driver.cc:700] '
        'failed to get PTX kernel "fusion_3" from module: CUDA_ERROR_NOT_FOUND: named symbol not found\n',
        'E cuda_driver.cc:640] failed to get PTX kernel "reduce_17" from module: CUDA_ERROR_NOT_FOUND\n',
    ):
        codes = _codes(text)
        assert codes[0] == "CUDA_LIBS_MISMATCH", text
        assert "GPU_NOT_SUPPORTED" in codes[:3]


def test_other_named_symbol_errors_are_not_this_class() -> None:
    # A module that loaded and a kernel a program's own build lacks is not XLA's compile.
    text = "CUDA error cudaErrorSymbolNotFound [bulk.cuh:239]: named symbol not found\n"
    assert "LOG-XLA-PTX-KERNEL-NOT-FOUND" not in _ids(text)
    # The question about the message is no failure.
    assert "LOG-XLA-PTX-KERNEL-NOT-FOUND" not in _ids("Why would XLA fail to get a PTX kernel from a module?\n")


# --- a program's failed check of the framework's GPU answer --------------------------------------------------------

from log_text import facts as _facts  # noqa: E402


def _traceback(statement: str, error: str) -> str:
    return ("Traceback (most recent call last):\n  File \"/srv/app/main.py\", line 40, in <module>\n"
            f"    {statement}\n{error}\n")


def test_a_failed_assert_of_the_gpu_query_is_the_frameworks_no_gpu_answer() -> None:
    cases = (
        ("assert torch.cuda.is_available(), \"refusing to train on the CPU\"", "AssertionError: refusing to train on the CPU", "torch"),
        ("assert torch.cuda.is_available(), '只能在GPU上训练'", "AssertionError: 只能在GPU上训练", "torch"),
        ("assert torch.cuda.device_count() > 0", "AssertionError", "torch"),
        ("assert len(tf.config.list_physical_devices('GPU')) > 0, 'no GPU'", "AssertionError: no GPU", "tensorflow"),
        ("assert tf.test.is_gpu_available()", "E       AssertionError", "tensorflow"),
    )
    for statement, error, framework in cases:
        text = _traceback(statement, error)
        answers = _facts(text).gpu_answer
        assert [s.value for s in answers.get(framework, [])] == [False], statement
        assert _codes(text), statement  # the generic no-GPU reading ranks the causes


def test_code_and_other_assertions_are_no_gpu_answer() -> None:
    quiet = (
        "assert torch.cuda.is_available(), 'CPU training is not allowed'\n",  # the statement shown, not run
        "if not torch.cuda.is_available():\n    raise SystemExit(1)\n",  # a condition in code
        _traceback("assert not torch.cuda.is_available()", "AssertionError"),  # negated: it found a GPU
        _traceback("assert torch.cuda.device_count() >= 2, 'needs two GPUs'", "AssertionError: needs two GPUs"),
        _traceback("assert torch.cuda.is_available() and args.fp16", "AssertionError"),  # the other term may fail
        _traceback("assert x.shape == y.shape", "AssertionError"),
    )
    for text in quiet:
        assert not _facts(text).gpu_answer, text


def test_a_program_that_exits_on_finding_no_gpu_reports_the_no_gpu_answer() -> None:
    for line in ("[trainer] No GPU found, exiting.\n", "ERROR: no CUDA devices detected. Aborting\n",
                 "2024-03-01 10:00:00,123 - runner - No usable GPUs were found - will now exit\n"):
        assert _facts(line).failed_check, line
        assert _codes(line), line
    for line in ("If no GPU is found, exiting is expected?\n",  # a question about the behaviour
                 "The script should print 'no GPU found, exiting' when run on a laptop.\n",  # what should happen
                 "No GPU found, continuing on the CPU.\n"):  # no exit: another reading's business
        assert not _facts(line).failed_check, line


# --- symbol errors between CUDA libraries, in the wordings other than glibc's ------------------------------------


def test_a_stubs_symbol_not_found_reads_as_a_cuda_library_of_another_release() -> None:
    for line in (
        "jaxlib.xla_extension.XlaRuntimeError: INTERNAL: CustomCall failed: jaxlib/gpu/solver_kernels.cc:52: "
        "operation gpuGetLastError() failed: cudaGetErrorString symbol not found.\n",
        "RuntimeError: cudnnGetVersion symbol not found\n",
    ):
        codes = _codes(line)
        assert codes[0] == "CUDA_LIBS_MISMATCH", line
        assert "CUDA_LIBS_MISSING" in codes[:3]
    # dyld's words for a cuDNN function: the cuDNN loaded is of another release (accceiling, LOG-CUDNN-SYMBOL-MISSING).
    codes = _codes("dyld: Symbol not found: _cudnnSetConvolutionGroupCount\n")
    assert codes[0] == "CUDNN_MISMATCH" and "CUDA_LIBS_MISMATCH" in codes[:3], codes
    # TensorFlow's device-creation form keeps its own reading (the runtime did not load at all).
    tf = "InternalError: cudaGetDevice() failed. Status: cudaGetErrorString symbol not found.\n"
    assert _ids(tf) == {"LOG-TF2-CUDART-NOT-LOADED"}


def test_symbol_not_found_of_other_libraries_is_not_this_class() -> None:
    for line in ("dyld: Symbol not found: _PyUnicode_AsUTF8\n",
                 "ImportError: symbol not found in flat namespace '_omp_get_num_threads'\n",
                 "CUDA error: named symbol not found\n"):
        assert "LOG-CUDA-STUB-SYMBOL-NOT-FOUND" not in _ids(line), line


def test_windows_entry_point_errors_between_cuda_libraries_in_each_wording() -> None:
    cases = (
        ("The procedure entry point cublasLtMatmulAlgoInit could not be located in the dynamic link library "
         "C:\\Program Files\\NVIDIA GPU Computing Toolkit\\CUDA\\v12.1\\bin\\cublas64_12.dll.", "CUDA_LIBS_MISMATCH"),
        ("Could not find procedure entry point cufftXtMakePlanMany in dynamic link library D:\\app\\cufft64_11.dll",
         "CUDA_LIBS_MISMATCH"),
        ("Failed to locate the entry point for the procedure ?runTensorOp@cudaNN@@YAHXZ in the dynamic link library "
         "E:\\venv\\Lib\\site-packages\\nvidia\\cudnn\\bin\\cudnn_cnn_infer64_8.dll.", "CUDNN_MISMATCH"),
        ('Der Prozedureinsprungpunkt "cudnnCreate" wurde in der DLL "C:\\tools\\cudnn64_9.dll" nicht gefunden.',
         "CUDNN_MISMATCH"),
        ("The procedure entry point cuGraphAddNode_v2 could not be located in the dynamic link library "
         "C:\\WINDOWS\\SYSTEM32\\nvcuda.dll.", "DRIVER_TOO_OLD"),
    )
    for line, cause in cases:
        assert _codes(line + "\n")[0] == cause, line


def test_windows_entry_point_errors_of_other_libraries_stay_quiet() -> None:
    for line in ("The procedure entry point ?avx_kernel@@YAXXZ could not be located in the dynamic link library "
                 "C:\\app\\mylib.dll.",
                 "The procedure entry point sqlite3_prepare could not be located in the dynamic link library cudart64_110.dll",
                 "The procedure entry point cudnnCreate could not be located in the dynamic link library C:\\app\\opencv_world.dll",
                 "What does 'The procedure entry point could not be located' mean for cublas64_11.dll?"):
        assert _codes(line + "\n") == [], line


# --- the visibility variable with the framework's answer in a spaced layout ------------------------------------------


def test_a_spaced_query_is_the_same_answer_and_an_invalid_visibility_value_ranks_hidden_first() -> None:
    # "is_ available()": a space typed or wrapped after the underscore; the answer is the same query's.
    assert [s.value for s in _facts("print(torch.cuda.is_ available())  -> False\n").gpu_answer["torch"]] == [False]
    text = ("CUDA_VISIBLE_DEVICES=all-gpus python serve.py\nthen torch.cuda.is_ available() == false in the worker\n"
            "with CUDA_VISIBLE_DEVICES=0 it is true\n")
    assert _codes(text)[0] == "GPU_HIDDEN"


def test_a_spaced_query_asked_or_in_code_is_no_answer() -> None:
    for text in ("Does torch.cuda.is_ available() return False for you too?\n",
                 "if not torch.cuda.is_ available():\n    device = 'cpu'\n"):
        assert not _facts(text).gpu_answer, text


# --- a framework plugin that is there but does not load ------------------------------------------------------------


def test_tensorflows_plugin_not_found_on_windows_reads_as_plugin_and_tensorflow_that_do_not_fit() -> None:
    for line in ("tensorflow.python.framework.errors_impl.NotFoundError: D:\\venvs\\tf\\Lib\\site-packages\\"
                 "tensorflow-plugins\\vendor_gpu_plugin.dll not found\n",
                 "NotFoundError: C:/Python310/lib/site-packages/tensorflow-plugins/tfdml_plugin.dll not found\n"):
        assert _codes(line) == ["FRAMEWORK_INSTALL_BROKEN"], line


def test_other_not_found_errors_are_not_a_plugin_load_failure() -> None:
    for line in ("NotFoundError: C:\\data\\model\\saved_model.pb not found\n",
                 "tensorflow.python.framework.errors_impl.NotFoundError: Key dense/kernel not found in checkpoint\n",
                 "Is tensorflow-plugins\\tfdml_plugin.dll supposed to be in site-packages?\n"):
        assert "LOG-TF-PLUGIN-NOT-LOADED" not in _ids(line), line


# --- the writer's words that other processes hold the GPU's memory, with an out-of-memory error ---------------------


def test_oom_with_the_memory_said_held_by_other_processes_reads_gpu_busy() -> None:
    for text in (
        "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB.\n"
        "The old Jupyter kernels are still holding GPU memory even though I closed the notebooks.\n",
        "Training dies with OOM at the first batch.\nA zombie process keeps using 10 GB of VRAM after the last job crashed.\n",
        "ResourceExhaustedError: OOM when allocating tensor\nGPU memory is still being held by a previous process of the pipeline.\n",
    ):
        assert _codes(text) == ["GPU_BUSY"], text
        assert "LOG270" in _ids(text)


def test_memory_held_words_stay_quiet_asked_supposed_advised_over_or_without_an_oom() -> None:
    for text in (
        "RuntimeError: CUDA out of memory.\nIs it possible that other processes are holding GPU memory?\n",
        "RuntimeError: CUDA out of memory.\nIf other processes hold GPU memory, kill them first.\n",
        "RuntimeError: CUDA out of memory.\nMake sure no background process is using the GPU memory.\n",
        "Other processes are holding GPU memory, but my job still runs on the GPU fine.\n",  # no out-of-memory error
        "RuntimeError: CUDA out of memory.\nI have 8 GB of VRAM and the model needs 12 GB.\n",  # the model too large
    ):
        assert "LOG270" not in _ids(text), text
