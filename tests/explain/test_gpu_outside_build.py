"""A GPU too old or too new for the build at hand, read from the GPU and the build the log shows (acccc, session 23).

The GPU's compute capability in any form (TensorFlow's device line, the llama.cpp/Ollama banner, a program's own
"requires X.Y capability", a GPU model in any letter case, a capability called a "CUDA version" beside the GPU) is judged
against the build the log shows (a TensorFlow release, Ollama's floor, CuPy on the CUDA installed, an image tag's CUDA)
by one knowledge decision, ``knowledge.target.build_runs_on_gpu``. Each form has a line where it fires and one where it
stays quiet; the lines are written from the messages' formats, not pasted from any corpus case.
"""

from __future__ import annotations

from log_text import codes, facts, report
from whygpu.knowledge.cuda import (
    first_cuda_for_compute_capability,
    last_cuda_major_for_compute_capability,
    was_cuda_release,
)
from whygpu.knowledge.programs import program_min_compute_capability, program_uses_installed_cuda
from whygpu.knowledge.target import BuildSpec, build_runs_on_gpu

# --- the knowledge decision -------------------------------------------------------------------------------------------


def test_a_program_floor_decides_below_it_and_says_nothing_above() -> None:
    below = build_runs_on_gpu(BuildSpec("ollama", "Ollama", "", None), "3.7")
    assert below.runs is False and "5.0" in below.reasons[0]
    assert build_runs_on_gpu(BuildSpec("ollama", "Ollama", "", None), "6.1").runs is not False
    assert program_min_compute_capability("ollama") is not None and program_min_compute_capability("no-such-program") is None


def test_a_gpu_newer_than_the_builds_cuda_is_inferred_not_decided() -> None:
    fit = build_runs_on_gpu(BuildSpec("image", "the image", "x", "10.2"), "8.6")
    assert fit.runs is None and fit.how == "beyond-toolkit" and "7.5" in fit.reasons[0]
    assert build_runs_on_gpu(BuildSpec("image", "the image", "x", "11.8"), "8.6").how != "beyond-toolkit"


def test_the_cuda_floor_judges_a_program_on_the_installed_cuda() -> None:
    assert program_uses_installed_cuda("cupy") and not program_uses_installed_cuda("ollama")
    assert build_runs_on_gpu(BuildSpec("cupy", "CuPy", "", "11.2"), "3.0").runs is False
    assert build_runs_on_gpu(BuildSpec("cupy", "CuPy", "", "10.2"), "3.0").runs is not False


def test_cuda_release_facts() -> None:
    assert was_cuda_release("3.5") is False and was_cuda_release("6.5") is True and was_cuda_release("11.8") is True
    assert first_cuda_for_compute_capability("8.6") == "11.1"
    assert last_cuda_major_for_compute_capability("3.0") == 10


# --- the GPU in any form ----------------------------------------------------------------------------------------------


def test_a_gpu_model_in_any_letter_case_is_read_where_the_table_knows_it() -> None:
    assert [s.value for s in facts("We run this on a TESLA K80 node.\n").gpu_model] == ["TESLA K80"]
    assert not facts("my tesla model 3 has 85 kWh, the quadro 4 tires are new\n").gpu_model


def test_a_gpu_field_names_the_gpu() -> None:
    assert facts("GPU: 3090\n").gpu_model and facts("- Graphics card: NVIDIA 2080ti\n").gpu_model
    assert not facts("GPU: yes\n").gpu_model


def test_a_capability_called_a_cuda_version_beside_the_gpu() -> None:
    assert [s.value for s in facts("My Geforce GT 730 card supports CUDA version 3.5 only.\n").compute_capability] == ["3.5"]
    # A real CUDA release beside a GPU is a CUDA release; a capability-like number without a GPU is nothing.
    assert not facts("My Geforce GT 730 card has CUDA version 10.2 installed.\n").compute_capability
    assert not facts("I use CUDA version 3.5 somehow.\n").compute_capability


# --- a program's own statement of the capability it needs ------------------------------------------------------------


def test_a_program_saying_what_capability_it_needs_judges_the_gpu() -> None:
    log = ("Device 0: Tesla K40m, compute capability 3.5\n"
           "[2024-01-01 10:00:00] GPU #0: FATAL: the 'scrypt' kernel requires 5.0 capability!\n"
           "Failed to init GPU, disabling device 0.\n")
    assert codes(log)[:1] == ["GPU_NOT_SUPPORTED"]
    assert [s.value for s in facts("error: this solver requires compute capability >= 6.0\n").build_cc_min["program"]] == ["6.0"]
    assert [s.value for s in facts("Compute capability 7.0 or higher is required.\n").build_cc_min["program"]] == ["7.0"]


def test_a_requirement_the_gpu_meets_stays_quiet() -> None:
    log = ("Device 0: Tesla T4, compute capability 7.5\n"
           "note: the 'scrypt' kernel requires 5.0 capability\n")
    assert "GPU_NOT_SUPPORTED" not in codes(log)


# --- Ollama: the banner lists a GPU below its floor; that is no GPU use ---------------------------------------------

_OLLAMA = (
    "Mar 02 10:00:01 host ollama[812]: time=2024-03-02T10:00:01 level=INFO msg=\"inference compute\" library=cuda\n"
    "Mar 02 10:00:02 host ollama[812]: llm_load_tensors: offloading 32 repeating layers to GPU\n"
    "Mar 02 10:00:02 host ollama[812]: ggml_cuda_init: found 1 CUDA devices:\n"
    "Mar 02 10:00:02 host ollama[812]:   Device 0: {gpu}, compute capability {cc}, VMM: yes\n"
)


def test_ollama_below_its_floor_is_not_supported_although_the_banner_lists_the_gpu() -> None:
    got = report(_OLLAMA.format(gpu="Tesla K40m", cc="3.5") + "ollama does not use the GPU at all, it runs on the CPU\n")
    assert [c.code for c in got.causes][:1] == ["GPU_NOT_SUPPORTED"] and got.verdict.gpu_usable is False
    assert "5.0" in got.causes[0].title


def test_ollama_at_or_above_its_floor_stays_quiet() -> None:
    got = report(_OLLAMA.format(gpu="NVIDIA GeForce RTX 3060", cc="8.6"))
    assert "GPU_NOT_SUPPORTED" not in [c.code for c in got.causes] and got.verdict.gpu_usable is not False


def test_llama_cpp_without_ollama_has_no_such_floor() -> None:
    log = "ggml_cuda_init: found 1 CUDA devices:\n  Device 0: Tesla K40m, compute capability 3.5, VMM: no\n"
    assert "GPU_NOT_SUPPORTED" not in codes(log)


# --- TensorFlow: the release's wheels' architecture list ---------------------------------------------------------------

_TF = (
    "- TensorFlow version: {tf}\n"
    "2021-01-01 10:00:00.000000: I tensorflow/core/common_runtime/gpu/gpu_device.cc:1716] Found device 0 with properties: \n"
    "pciBusID: 0000:01:00.0 name: {gpu} computeCapability: {cc}\n"
    "tensorflow.python.framework.errors_impl.InternalError: CUDA runtime implicit initialization on GPU:0 failed. Status: device kernel image is invalid\n"
)


def test_a_tensorflow_release_without_code_for_the_gpu() -> None:
    got = report(_TF.format(tf="2.3.0", gpu="GeForce 940MX", cc="5.0"))
    assert got.causes[0].code == "GPU_NOT_SUPPORTED" and "sm_50" in got.causes[0].title
    assert "2.3.0" in got.causes[0].fix or "cuda_compute_capabilities" in got.causes[0].fix


def test_a_tensorflow_release_with_code_for_the_gpu_leaves_the_failure_to_its_own_reading() -> None:
    assert codes(_TF.format(tf="2.4.1", gpu="GeForce 940MX", cc="5.0"))[:1] != ["GPU_NOT_SUPPORTED"]
    assert codes(_TF.format(tf="2.3.0", gpu="GeForce GTX 1050", cc="6.1"))[:1] != ["GPU_NOT_SUPPORTED"]


def test_a_library_that_failed_to_load_leads_over_the_architecture() -> None:
    log = ("- TensorFlow version: 2.3.0\n- GPU model and memory: GeForce 940MX\n"
           "W tensorflow/stream_executor/platform/default/dso_loader.cc:59] Could not load dynamic library 'cudart64_101.dll'; dlerror: cudart64_101.dll not found\n")
    got = codes(log)
    assert got[:1] != ["GPU_NOT_SUPPORTED"] and "GPU_NOT_SUPPORTED" in got


# --- CuPy on the CUDA installed -----------------------------------------------------------------------------------------


def test_cupy_on_a_cuda_that_dropped_the_gpu() -> None:
    log = ("CuPy version: 9.0\nCUDA: {cuda}\nGPU: Quadro K2000\n"
           "cupy fails on the first kernel: the GPU does not work with cupy at all\n")
    assert codes(log.format(cuda="11.2"))[:1] == ["GPU_NOT_SUPPORTED"]
    assert "GPU_NOT_SUPPORTED" not in codes(log.format(cuda="10.2"))[:1]


# --- an image whose tag names its CUDA ------------------------------------------------------------------------------


def test_an_image_built_with_a_cuda_older_than_the_gpu() -> None:
    log = ("docker run --gpus all paddlepaddle/paddle:2.4.2-gpu-cuda10.2-cudnn7.6-trt7.0\nGPU: {gpu}\n"
           "Paddle does not use the GPU, inference runs on the CPU only\n")
    got = report(log.format(gpu="RTX 3090"))
    assert got.causes and got.causes[0].code == "GPU_NOT_SUPPORTED" and "11.1" in got.causes[0].fix
    assert got.causes[0].confidence.name == "MEDIUM"
    assert "GPU_NOT_SUPPORTED" not in [c.code for c in report(log.format(gpu="GTX 1080")).causes][:1]


def test_an_image_tag_with_the_gpu_at_work_says_nothing() -> None:
    log = ("image: paddlepaddle/paddle:2.4.2-gpu-cuda10.2-cudnn7.6-trt7.0\nGPU: RTX 3090\n"
           "W0101 device_context.cc:447] Please NOTE: device: 0, GPU Compute Capability: 8.6, Driver API Version: 11.4, Runtime API Version: 10.2\n"
           "training finished in 3 minutes\n")
    assert "GPU_NOT_SUPPORTED" not in codes(log)
