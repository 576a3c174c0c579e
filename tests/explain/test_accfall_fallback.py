"""accfall (session 31): a program's own fallback to the CPU and the reason it gives; ONNX Runtime's provider lists.

Every line below is written from the form a program's source prints its fallback in (ChatTTS's select_device, EasyOCR's
Reader, ONNX Runtime's provider lists and warnings, argparse's refusal of a choice) or from the way a writer words it;
none is pasted from a corpus log or an issue thread.
"""

from __future__ import annotations

import pytest

from log_text import codes, facts, finding_codes, first_cause
from whygpu.explain import fallback, ortproviders
from whygpu.knowledge.onnxruntime import (
    CPU_ONLY,
    NVIDIA,
    OTHER,
    providers_meaning,
    tensorrt_provider_line,
)

# --- 1. the choice and its reason, read from the line's meaning ------------------------------------------------------


@pytest.mark.parametrize(("line", "reason"), [
    ("WARNING:mytts.utils.gpu:No GPU found, use CPU instead", fallback.NO_DEVICE),
    ("[warn] no CUDA device detected - falling back to the CPU", fallback.NO_DEVICE),
    ("CUDA is not available, defaulting to CPU. Note: this will be slow.", fallback.NO_DEVICE),
    ("2025-01-02 10:11:12 - INFO - upscaler - No hardware acceleration could be configured, running in CPU mode", fallback.NO_DEVICE),
    ("WARNING: No NVIDIA GPU detected. The server will run in CPU-only mode.", fallback.NO_DEVICE),
    ("WARNING:root:No GPU found. Transcription on CPU is very slow.", fallback.NO_DEVICE),
    ("未检测到可用的显卡，使用CPU进行推理", fallback.NO_DEVICE),
    ("WARNING:app.device:GPU 1 has 1800.25 MB memory left. Switching to CPU.", fallback.MEMORY),
    ("WARNING:root:GPU VRAM is too small. Computing on CPU.", fallback.MEMORY),
    ('level=INFO msg="not enough vram available, falling back to CPU only"', fallback.MEMORY),
    ("显存不足，切换到CPU", fallback.MEMORY),
    ("INFO:engine:use cpu", fallback.NONE),
])
def test_a_program_fallback_and_its_reason_are_read(line: str, reason: str) -> None:
    found = list(fallback.fallbacks([line]))
    assert [f.reason for f in found] == [reason]


def test_the_reason_may_stand_on_the_programs_line_before() -> None:
    lines = ["WARNING:tts.gpu_utils:GPU 0 has 3071.50 MB memory left.", "INFO:tts.core:use cpu"]
    assert [(f.reason, f.number) for f in fallback.fallbacks(lines)] == [(fallback.MEMORY, 2)]


@pytest.mark.parametrize("line", [
    "I use the CPU for this benchmark, that is fine.",
    "If no GPU is found, the program will use the CPU instead.",
    "logger.warning('No GPU found, use CPU instead')",
    "tensor blk.3.ffn_down.weight cannot be used with preferred buffer type CUDA_Host, using CPU instead",
    "The tokenizer runs on the CPU and the model on the GPU.",
    "Should I use the CPU instead?",
    "You can use the CPU instead if no GPU is found.",
    "The process is using CPU at 100% all the time",
    "device = 'cuda' if torch.cuda.is_available() else 'cpu'",
    "It falls back to CPU when CUDA is not available, as documented.",
])
def test_no_fallback_is_read_where_none_is_reported(line: str) -> None:
    assert fallback.choice(line) is None or not list(fallback.fallbacks([line]))


def test_a_memory_line_without_a_fallback_is_only_a_status() -> None:
    assert not list(fallback.fallbacks(["WARNING:app:GPU 0 has 2000.00 MB memory left."]))


# --- 2. what the reasons mean, end to end -----------------------------------------------------------------------------


def test_the_programs_memory_threshold_is_its_own_choice() -> None:
    log = "INFO:app:loading models\nWARNING:app.gpu:GPU 0 has 4095.56 MB memory left.\nINFO:app.core:use cpu"
    assert first_cause(log) == "CODE_FORCES_CPU"
    assert "LOG450" in finding_codes(log)
    assert "GPU_BUSY" in codes(log)  # ranked second: nvidia-smi tells a small card from memory held by others


def test_the_memory_reading_stays_quiet_where_the_gpu_is_in_use() -> None:
    log = ("WARNING:app.gpu:GPU 0 has 1024.00 MB memory left. Switching to CPU.\n"
           "Later, after closing the other program, it says: Using device: cuda:0 and nvidia-smi shows python.exe at 3900MiB")
    facts_seen = facts(log)
    assert facts_seen.fallback_memory
    assert "LOG450" not in finding_codes(log) or first_cause(log) != "CODE_FORCES_CPU" or not facts_seen.gpu_seen()


def test_a_fallback_without_a_reason_is_still_the_gpu_not_used() -> None:
    log = "INFO:tts.core:Loading the model\nINFO:tts.core:use cpu"
    assert facts(log).cpu_notice
    assert codes(log)  # never silent: the framework's "no GPU" answer, ranked, with what would decide


def test_a_no_gpu_fallback_is_the_frameworks_answer_not_the_programs_choice() -> None:
    log = "WARNING:app.utils:No GPU found, use CPU instead"
    assert "LOG450" not in finding_codes(log)
    assert facts(log).cpu_notice and codes(log)


def test_a_cpu_run_on_purpose_is_not_read() -> None:
    log = "I run it on the CPU on purpose to compare timings.\nINFO:engine:use cpu"
    assert not facts(log).cpu_notice and not facts(log).fallback_memory


# --- 3. ONNX Runtime's provider lists -------------------------------------------------------------------------------


@pytest.mark.parametrize(("names", "meaning"), [
    (["CPUExecutionProvider"], CPU_ONLY),
    (["AzureExecutionProvider", "CPUExecutionProvider"], CPU_ONLY),
    (["cpu", "azure"], CPU_ONLY),
    (["TensorrtExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider"], NVIDIA),
    (["cuda", "cpu"], NVIDIA),
    (["DmlExecutionProvider", "CPUExecutionProvider"], OTHER),
    (["OpenVINOExecutionProvider"], OTHER),
    (["SomeUnknownExecutionProvider"], None),
])
def test_what_a_provider_list_means(names: list[str], meaning: str | None) -> None:
    assert providers_meaning(names) == meaning


@pytest.mark.parametrize(("line", "which"), [
    ("Applied providers: ['CPUExecutionProvider'], with options: {'CPUExecutionProvider': {}}", ortproviders.APPLIED),
    ("Face Swapper providers: ['CPUExecutionProvider']", ortproviders.APPLIED),
    ("print(sess.get_providers())  # -> ['CPUExecutionProvider']", ortproviders.APPLIED),
    ("INFO - Available ONNX providers: ['AzureExecutionProvider', 'CPUExecutionProvider']", ortproviders.AVAILABLE),
    ("UserWarning: Specified provider 'CUDAExecutionProvider' is not in available provider names.Available providers: 'AzureExecutionProvider, CPUExecutionProvider'", ortproviders.AVAILABLE),
    ("main.py: error: argument --execution-providers: invalid choice: 'cuda' (choose from 'cpu')", ortproviders.AVAILABLE),
    ("In the settings the EXECUTION PROVIDERS are only cpu and azure, no cuda", ortproviders.AVAILABLE),
    ("after the update only Azure and CPU are left as execution providers", ortproviders.AVAILABLE),
])
def test_a_cpu_only_provider_list_is_read_in_its_layouts(line: str, which: str) -> None:
    assert (which, CPU_ONLY) in list(ortproviders.provider_lists(line))


@pytest.mark.parametrize("line", [
    "sess = ort.InferenceSession('model.onnx', providers=['CPUExecutionProvider'])",
    " when using ['TensorrtExecutionProvider', 'CUDAExecutionProvider', 'CPUExecutionProvider']",
    "Falling back to ['CPUExecutionProvider'] and retrying.",
    "[V:onnxruntime:, session_state.cc:1122 VerifyEachNodeIsAssignedToAnEp]  Node(s) placed on [CPUExecutionProvider]. Number of nodes: 12",
    "Should the available providers be ['CPUExecutionProvider'] only?",
    "Applied providers: ['CUDAExecutionProvider', 'CPUExecutionProvider'], with options: {'CPUExecutionProvider': {}}",
])
def test_no_cpu_only_list_is_read_where_none_is_shown(line: str) -> None:
    assert not [p for p in ortproviders.provider_lists(line) if p[1] == CPU_ONLY]


def test_the_packages_cpu_only_list_is_onnxruntimes_no_gpu_answer() -> None:
    log = "my GPU is an RTX 3060\nFace Analyser providers: ['CPUExecutionProvider']\nit is very slow"
    assert any(s.value is False for s in facts(log).gpu_answer.get("onnxruntime", []))
    assert first_cause(log) == "FRAMEWORK_CPU_BUILD"


def test_a_session_on_the_cpu_beside_a_package_with_cuda_is_the_provider_not_created() -> None:
    log = ("import onnxruntime as ort\nort.get_available_providers()\n[\n 'CUDAExecutionProvider',\n 'CPUExecutionProvider'\n]\n"
           "sess = ort.InferenceSession('net.onnx', providers=['CUDAExecutionProvider', 'CPUExecutionProvider'])\n"
           "sess.get_providers()\n['CPUExecutionProvider']")
    assert facts(log).ort_session_cpu
    assert first_cause(log) == "CUDA_LIBS_MISMATCH"
    assert {"CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH"} <= set(codes(log))


def test_the_session_reading_defers_to_a_line_that_names_the_failure() -> None:
    log = ("ort.get_available_providers()\n['CUDAExecutionProvider', 'CPUExecutionProvider']\n"
           "Failed to load library libonnxruntime_providers_cuda.so with error: libcublasLt.so.11: cannot open shared object file: No such file or directory\n"
           "sess.get_providers()\n['CPUExecutionProvider']")
    assert "LOG451" not in finding_codes(log)


# --- 4. TensorRT's library: optional for TF-TRT, needed by ONNX Runtime's TensorRT provider --------------------------


def test_tensorrt_library_missing_for_the_onnxruntime_provider_is_a_missing_library() -> None:
    line = ("[E:onnxruntime:Default, provider_bridge_ort.cc:1778 TryGetProviderInfo_TensorRT] FAIL : Failed to load library "
            "libonnxruntime_providers_tensorrt.so with error: libnvinfer.so.10: cannot open shared object file: No such file or directory")
    assert tensorrt_provider_line(line)
    assert first_cause(line) == "CUDA_LIBS_MISSING"


def test_tensorrt_library_missing_for_tensorflow_stays_harmless() -> None:
    # TensorFlow's own loader trying TF-TRT's optional library: harmless (the row's benign_loader).
    line = ("2021-03-01 10:00:00.123456: W tensorflow/stream_executor/platform/default/dso_loader.cc:60] Could not load dynamic "
            "library 'libnvinfer.so.7'; dlerror: libnvinfer.so.7: cannot open shared object file: No such file or directory")
    assert not tensorrt_provider_line(line)
    assert first_cause(line) is None
    # The same library failing a Python import (tensorrt's own, https://github.com/wang-xinyu/tensorrtx/issues/1501) is the
    # program's error, not TensorFlow's optional load (accnoticed39, session 39).
    assert first_cause("ImportError: libnvinfer.so.7: cannot open shared object file: No such file or directory") == "CUDA_LIBS_MISSING"


# --- 5. the device a program records, and a GPU setting the program's echo shows turned off ---------------------------


def test_the_device_a_program_records_is_read() -> None:
    assert [f.reason for f in fallback.fallbacks(["INFO:encoder.models:Use pytorch device_name: cpu"])] == [fallback.NONE]
    assert not list(fallback.fallbacks(["INFO:encoder.models:Use pytorch device_name: cuda:0"]))


def test_a_gpu_setting_echoed_off_is_the_programs_device_test() -> None:
    lines = ["ocr = TextReader(lang='en', use_gpu=True)",
             "reader DEBUG: Namespace(use_gpu=False, use_xpu=False, ir_optim=True, gpu_mem=500)"]
    assert [n for n, _ in fallback.setting_overridden(lines)] == [2]
    assert facts("\n".join(lines)).cpu_notice


def test_a_setting_and_its_echo_in_one_sentence_need_a_contrast() -> None:
    assert list(fallback.setting_overridden(["I passed --use_gpu=true but the log prints --use_gpu=false"]))
    assert not list(fallback.setting_overridden(["--use_gpu=true is the default, --use_gpu=false turns it off"]))


@pytest.mark.parametrize("lines", [
    ["ocr = TextReader(use_gpu=True)", "Namespace(use_gpu=True, gpu_mem=500, a=1, b=2)"],
    ["ocr = TextReader(use_gpu=False)", "Namespace(use_gpu=False, gpu_mem=500, a=1, b=2)"],
    ["I set use_gpu=True", "Namespace(gpu=0, a=1, b=2, c=3)"],
])
def test_no_override_is_read_where_the_setting_stayed(lines: list[str]) -> None:
    assert not list(fallback.setting_overridden(lines))


def test_a_no_gpu_fallback_is_ranked_as_the_frameworks_answer_not_as_an_error_line() -> None:
    # The program's device test and its fallback: LOG104 ranks the framework's "no GPU" answer; the error-words reading
    # (LOG185, CUDA's cudaErrorNoDevice from code that needed the GPU) stays quiet on it.
    log = "torch 2.3.1\nWARNING:app.utils:No GPU found, use CPU instead"
    assert "LOG185" not in finding_codes(log)
    assert "LOG104" in finding_codes(log)


def test_a_chinese_cpu_run_that_works_is_no_fallback() -> None:
    assert not list(fallback.fallbacks(["用CPU训练正常，用GPU训练报如下错误："]))
    assert not list(fallback.fallbacks(["使用CPU训练很慢"]))
