"""What end-user programs built on the frameworks print or show about their own GPU use (session 27, branch accapps).

ggml's capability line (llama.cpp, llama-cpp-python, whisper.cpp) says which backends the build carries; whisper.cpp
says whether the caller turned the GPU off and which backend it chose; cellpose says what its own PyTorch/MXNet check
found; a desktop program greys out its GPU switch when that check fails; a GPU setting given while the work stays on the
CPU did not reach the part that runs. Every line here is written from the programs' source formats and the class (other
values, other programs' and writers' phrasing), none copied from a corpus case. Each reading fires and stays quiet.
"""

from __future__ import annotations

import pytest

from log_text import codes, report
from whygpu.explain import appcpu, explain_text, ownanswer


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


def _answer_only(text: str) -> bool:
    """True when whygpu says the GPU went unused and ranks the causes through LOG104 (a "no GPU" answer) alone."""
    result = explain_text(text)
    return result.gpu_used is False and {f.id for f in result.findings} == {"LOG104"}


# --- ggml's capability line ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "sid"), [
    # llama-cpp-python's raw print of llama_print_system_info, a build without any BLAS (so without CUDA)
    ("AVX = 1 | AVX_VNNI = 1 | AVX2 = 1 | AVX512 = 1 | AVX512_VBMI = 1 | AVX512_VNNI = 1 | FMA = 1 | NEON = 0 | "
     "ARM_FMA = 0 | F16C = 1 | FP16_VA = 0 | WASM_SIMD = 0 | BLAS = 0 | SSE3 = 1 | SSSE3 = 1 | VSX = 0 | ",
     "LOG-GGML-SYSINFO-NO-GPU-BLAS"),
    # llama.cpp's main, its thread counts before the line
    ("system_info: n_threads = 6 / 12 | AVX = 1 | AVX2 = 0 | AVX512 = 0 | FMA = 0 | NEON = 0 | ARM_FMA = 0 | F16C = 1 | "
     "FP16_VA = 0 | WASM_SIMD = 0 | BLAS = 0 | SSE3 = 1 | VSX = 0 |", "LOG-GGML-SYSINFO-NO-GPU-BLAS"),
    # the writer quoting the field
    ("Loading the gguf model works, but the console still says BLAS = 0 and it is slow.", "LOG-GGML-SYSINFO-NO-GPU-BLAS"),
    # whisper.cpp's line names CUDA itself
    ("system_info: n_threads = 8 / 8 | AVX = 1 | AVX2 = 1 | AVX512 = 0 | FMA = 1 | NEON = 0 | ARM_FMA = 0 | METAL = 0 | "
     "F16C = 1 | FP16_VA = 0 | WASM_SIMD = 0 | BLAS = 1 | SSE3 = 1 | SSSE3 = 1 | VSX = 0 | CUDA = 0 | COREML = 0 | "
     "OPENVINO = 0", "LOG-GGML-SYSINFO-NO-CUDA"),
    # the registry form with the CPU's features first: no GPU backend registered
    ("system_info: n_threads = 4 (n_threads_batch = 4) / 8 | CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | "
     "FMA = 1 | OPENMP = 1 | REPACK = 1 | ", "LOG-GGML-SYSINFO-CPU-ONLY"),
    ("CPU : NEON = 1 | ARM_FMA = 1 | FP16_VA = 1 | LLAMAFILE = 1 | ", "LOG-GGML-SYSINFO-CPU-ONLY"),
])
def test_ggml_capability_lines_without_cuda_read_as_a_cpu_build(text: str, sid: str) -> None:
    assert sid in _ids(text + "\n")
    assert codes(text + "\n")[0] == "FRAMEWORK_CPU_BUILD"


@pytest.mark.parametrize("text", [
    # BLAS = 1 says nothing (a CPU BLAS sets it too); CUDA = 1 and the CUDA section are a CUDA build
    "AVX = 1 | AVX2 = 1 | AVX512 = 0 | FMA = 1 | NEON = 0 | BLAS = 1 | SSE3 = 1 | VSX = 0 | ",
    "system_info: n_threads = 4 / 8 | AVX = 1 | AVX2 = 1 | BLAS = 1 | SSE3 = 1 | VSX = 0 | CUDA = 1 | COREML = 0 |",
    "system_info: n_threads = 8 (n_threads_batch = 8) / 16 | CUDA : ARCHS = 520,610,700,750,800,860 | USE_GRAPHS = 1 | "
    "PEER_MAX_BATCH_SIZE = 128 | CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | LLAMAFILE = 1 | ",
    # ollama's runner prints the line inside its own JSON field (ollama chose that runner)
    '{"function":"main","level":"INFO","line":2650,"msg":"system info","n_threads":6,"system_info":"AVX = 1 | AVX2 = 1 | '
    'BLAS = 0 | SSE3 = 1 | ","tid":"1","timestamp":1700000000}',
    # questions and the writer's other numbers
    "Why does it show BLAS = 0 when I built with cuBLAS?",
    "Should BLAS = 0 appear for a CUDA build?",
    "CUDA = 12.4",
    # another line shows the same build found its CUDA devices (two runs in one paste)
    "ggml_cuda_init: found 1 CUDA devices:\nAVX = 1 | AVX2 = 1 | BLAS = 0 | SSE3 = 1 | VSX = 0 | ",
    "load_backend: loaded CUDA backend from /app/libggml-cuda.so\nsystem_info: n_threads = 8 (n_threads_batch = 8) / 16 | "
    "CPU : SSE3 = 1 | AVX = 1 | ",
])
def test_ggml_capability_lines_of_a_cuda_build_questions_and_other_prefixes_stay_quiet(text: str) -> None:
    assert not (_ids(text + "\n") & {"LOG-GGML-SYSINFO-NO-GPU-BLAS", "LOG-GGML-SYSINFO-NO-CUDA", "LOG-GGML-SYSINFO-CPU-ONLY"})
    assert "FRAMEWORK_CPU_BUILD" not in codes(text + "\n")


# --- whisper.cpp's and llama.cpp's device choice -------------------------------------------------------------------

def test_whisper_cpp_started_with_the_gpu_off_is_the_callers_setting() -> None:
    text = "whisper_init_with_params_no_state: use gpu    = 0\nwhisper_init_with_params_no_state: flash attn = 0\n"
    assert codes(text)[0] == "CODE_FORCES_CPU"
    # its "no GPU found" follows from that setting and gives way to it
    assert codes(text + "whisper_backend_init_gpu: no GPU found\n") == ["CODE_FORCES_CPU"]


def test_whisper_cpp_finding_no_gpu_with_the_gpu_on_reads_as_a_build_without_one() -> None:
    text = "whisper_init_with_params_no_state: use gpu    = 1\nwhisper_backend_init_gpu: no GPU found\n"
    assert codes(text)[:3] == ["FRAMEWORK_CPU_BUILD", "CUDA_LIBS_MISSING", "DRIVER_MISSING"]
    assert "LOG-WHISPERCPP-NO-GPU-FOUND" not in _ids("whisper_init_with_params_no_state: use gpu    = 1\n")


@pytest.mark.parametrize("text", [
    "whisper_backend_init_gpu: using CUDA0 backend",
    "whisper_backend_init: using CUDA backend",
    "llama_model_load_from_file_impl: using device CUDA1 (NVIDIA RTX A6000) - 48000 MiB free",
])
def test_ggml_programs_naming_their_cuda_device_show_the_gpu_in_use(text: str) -> None:
    assert explain_text(text + "\n").gpu_used is True
    assert report(text + "\n").causes == []
    # and a CPU-only capability line of another run beside it is not read against it
    assert "FRAMEWORK_CPU_BUILD" not in codes(text + "\nAVX = 1 | AVX2 = 1 | BLAS = 0 | SSE3 = 1 | \n")


@pytest.mark.parametrize("text", [
    "whisper_backend_init_gpu: using Metal backend",
    "whisper_init_with_params_no_state: use gpu    = 1",
    "whisper_backend_init_gpu: device 0: CPU (type: 0)",
])
def test_other_ggml_device_lines_say_nothing(text: str) -> None:
    assert explain_text(text + "\n").gpu_used is None


# --- cellpose's own check ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "2023-01-09 11:12:13,456 [INFO] TORCH CUDA version not installed/working.",
    "TORCH CUDA version not installed/working, will use CPU version.",
    "[INFO] Neither TORCH CUDA nor MPS version not installed/working.",
    "2021-06-01 08:00:00,000 [INFO] >>>> using CPU",
    "MXNET CUDA version not installed/working, will use CPU version.",
])
def test_cellposes_failed_check_is_the_frameworks_no_gpu_answer(text: str) -> None:
    assert _answer_only(text + "\n")


@pytest.mark.parametrize("text", [
    "** TORCH CUDA version installed and working. **",
    "2020-11-01 10:00:00,000 [INFO] ** MXNET CUDA version installed and working. **",
    "[INFO] >>>> using GPU (CUDA)",
])
def test_cellposes_check_that_worked_shows_the_gpu_in_use(text: str) -> None:
    assert explain_text(text + "\n").gpu_used is True
    assert report(text + "\n").causes == []


@pytest.mark.parametrize("text", [
    ">>>> using GPU",  # printed for Apple's MPS too since 2022: not the NVIDIA GPU
    "[INFO] >>>> using GPU (MPS)",
    "** TORCH MPS version installed and working. **",
    "if not core.use_gpu(): print('TORCH CUDA version not installed/working.')",
])
def test_cellposes_other_lines_and_its_code_say_nothing(text: str) -> None:
    result = explain_text(text + "\n")
    assert result.gpu_used is not True
    assert "LOG-APP-CELLPOSE-CUDA" not in _ids(text + "\n")


# --- a desktop program's GPU switch greyed out ---------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The GPU checkbox in the GUI is greyed out, so I cannot turn it on.",
    "In the settings dialog the 'Use GPU' option is disabled.",
    "I can open images fine but I cannot activate the GPU, the check box is grayed out.",
    "The use GPU tickbox stays greyed-out after installing CUDA 11.8.",
    "There is a greyed out GPU button in the toolbar.",
    "I can't tick the GPU box in the main window.",
])
def test_a_programs_gpu_switch_greyed_out_is_its_no_gpu_answer(text: str) -> None:
    assert ownanswer.gpu_switch_unavailable(text) is not None, text
    assert _answer_only(text + "\n"), text


@pytest.mark.parametrize("text", [
    "Is the GPU checkbox greyed out for you too?",  # a question
    "If the GPU checkbox is greyed out, install the CUDA build of torch.",  # a condition / advice
    "You should see that the GPU box is greyed out when torch has no CUDA.",
    "I disabled the GPU option because I want a CPU baseline.",  # the writer's own act
    "The GPU checkbox was greyed out before, now it works.",  # over
    "The GPU trains fine; only the export button is greyed out.",  # another switch
    "self.useGPU.setEnabled(False)  # grey out the GPU box",  # code
    "Flash attention is disabled as it requires a GPU with Ampere (8.0) CUDA capability.",  # no switch
])
def test_gpu_switch_words_that_are_no_such_report_stay_quiet(text: str) -> None:
    assert ownanswer.gpu_switch_unavailable(text) is None, text


# --- a GPU setting given, the work still on the CPU ---------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The tracker is not running on the GPU when I call analyze(). This happens even when passing device='cuda:0' explicitly.",
    "Inference runs on the CPU even though I set device=\"cuda\" in the config.",
    "The embedding step stays on the CPU despite specifying use_gpu=True.",
    "The booster is still running on the CPU even after setting tree_method to gpu_hist.",
])
def test_a_gpu_setting_given_and_the_work_on_the_cpu_is_the_setting_not_taken(text: str) -> None:
    assert list(appcpu.gpu_setting_ignored(text.split("\n"))), text
    assert "LOG280" in _ids(text + "\n"), text
    assert codes(text + "\n")[0] == "CODE_FORCES_CPU", text


@pytest.mark.parametrize("text", [
    "It is not running on the GPU even when passing device='cpu' to the detector.",  # the setting given is the CPU's
    "It runs on the GPU even when I pass a device string.",  # the work is on the GPU
    "Training is slow even though I set gpu_hist.",  # slow, not said to be off the GPU
    "Even if you pass device='cuda', the post-processing runs on the CPU by design.",  # advice, on purpose
    "# even when passing device=cuda it stays on the CPU",  # a code comment
])
def test_a_gpu_setting_without_the_work_said_off_the_gpu_stays_quiet(text: str) -> None:
    assert "LOG280" not in _ids(text + "\n"), text


# --- ColabFold's device check --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "WARNING: no GPU detected, will be using CPU",
    "2022-08-01 09:00:00,001 WARNING: no GPU detected, will be using CPU",
])
def test_colabfolds_no_gpu_line_is_jaxs_no_gpu_answer(text: str) -> None:
    result = explain_text(text + "\n")
    assert _answer_only(text + "\n")
    assert "JAX" in result.findings[0].title
    assert any("no GPU detected" in line for line in result.findings[0].evidence)


def test_colabfolds_gpu_line_shows_jax_on_the_gpu_and_tensorflows_skipped_gpu_is_not_the_runs() -> None:
    text = ("2023-03-03 08:00:00,100 Running colabfold 1.5.2\n"
            "2023-03-03 08:00:01,200 Running on GPU\n"
            "2023-03-03 08:00:01.300000: W tensorflow/core/common_runtime/gpu/gpu_device.cc:1956] Cannot dlopen some GPU "
            "libraries. Please make sure the missing libraries mentioned above are installed properly if you would like to "
            "use GPU.\nSkipping registering GPU devices...\n")
    assert explain_text(text).gpu_used is True
    assert report(text).causes == []


@pytest.mark.parametrize("text", [
    "Running on GPU",  # the bare words, any program's
    "INFO:root:Running on GPU",
    "2023-03-03 08:00:01,200 Running on GPU 0 of 4",
])
def test_running_on_gpu_outside_colabfolds_layout_is_not_read(text: str) -> None:
    assert explain_text(text + "\n").gpu_used is None


def test_colabfolds_gpu_line_does_not_silence_jaxs_own_failure() -> None:
    text = ("2023-03-03 08:00:01,200 Running on GPU\n"
            "jaxlib.xla_extension.XlaRuntimeError: FAILED_PRECONDITION: DNN library initialization failed. Look at the "
            "errors above for more details.\n")
    assert explain_text(text).gpu_used is False
    assert codes(text)[0] == "CUDNN_MISMATCH"
