"""accinfer (session 39): inference programs' own lines read for what they mean.

- text-generation-inference's flash-attention check ("GPU with CUDA capability 7 0 is not supported", major and minor
  apart) refuses one kernel; TGI serves the non-flash models on the same GPU: not GPU_NOT_SUPPORTED.
- An insufficient-driver answer inside a container, where the driver shown runs the newest CUDA the program's builds were
  made for (faster-whisper / whisperX run CTranslate2's CUDA 12 builds), reads CONTAINER_NO_GPU first.
"""

from __future__ import annotations

from log_text import codes, facts, finding_codes, first_cause
from whygpu.explain.inferprog import build_program_named
from whygpu.knowledge.programs import newest_build_cuda, program_called

# https://github.com/huggingface/text-generation-inference/issues/211 (title; the maintainer: a warning, other models run)
TGI_WARNING = "GPU with CUDA capability 6 1 is not supported"
# https://github.com/huggingface/text-generation-inference/issues/533
TGI_CAUGHT = ("2023-07-03T14:01:09.567162Z  WARN shard-manager: text_generation_launcher: Could not import Flash Attention "
              "enabled models: GPU with CUDA capability 7 0 is not supported")


def test_tgi_flash_attention_check_is_not_the_gpu_unsupported() -> None:
    assert codes(TGI_WARNING) == []
    assert codes(TGI_CAUGHT) == []


def test_a_capability_said_unsupported_in_its_dotted_form_still_reads() -> None:
    # https://github.com/pytorch/pytorch/issues/31285 form: the build's own refusal of the GPU, not a kernel's.
    assert first_cause("RuntimeError: GPU with compute capability 3.0 is not supported by this build") == "GPU_NOT_SUPPORTED"


def test_a_per_iteration_timing_line_alone_says_nothing() -> None:
    # https://github.com/ranrhuang/SPFSplat/issues/4 (each iteration about 1.3 s on an A100 that is used)
    assert codes("100%|##########| 50/50 [10:15<00:00, 12.3s/it]") == []
    assert codes("In my experiments on a single A100 GPU with a batch size of 12, each iteration takes approximately 1.25-1.3 seconds.") == []


def test_program_names_map_to_the_build_that_runs() -> None:
    assert program_called("faster-whisper") == "ctranslate2"
    assert program_called("whisperX") == "ctranslate2"
    assert program_called("llama.cpp") is None
    assert newest_build_cuda("ctranslate2") == "12"
    assert build_program_named("I'm running the linuxserver/faster-whisper:gpu container") == "ctranslate2"
    assert build_program_named("openai-whisper runs on torch") is None


# https://github.com/SYSTRAN/faster-whisper/issues/1259 (the pod had no GPU request; adding it fixed the error)
K8S_1259 = """I'm running the linuxserver/faster-whisper:gpu container within my k8s cluster.
Error:
`RuntimeError: CUDA failed with error CUDA driver version is insufficient for CUDA runtime version`
Driver information on the host:
` NVIDIA-SMI 550.144.03             Driver Version: 550.144.03     CUDA Version: 12.4 `"""

# https://github.com/SYSTRAN/faster-whisper/issues/734 (driver 510, CUDA 11.6: CTranslate2 4 wants CUDA 12)
OLD_734 = """faster-whisper >= v1.0.0 cuda11.x CUDA failed with error CUDA driver version is insufficient for CUDA runtime version
I am using the base image of ```nvidia/cuda:11.6.2-cudnn8-runtime-ubuntu20.04```
| NVIDIA-SMI 510.85.02    Driver Version: 510.85.02    CUDA Version: 11.6     |"""


def test_insufficient_in_a_container_whose_driver_runs_the_programs_cuda() -> None:
    assert [s.value for s in facts(K8S_1259).build_program] == ["ctranslate2"]
    assert first_cause(K8S_1259) == "CONTAINER_NO_GPU"


def test_insufficient_with_a_driver_older_than_the_programs_cuda_keeps_the_driver() -> None:
    assert "DRIVER_TOO_OLD" in codes(OLD_734)[:2]
    # Without a program named, the driver shown says nothing of the runtime's CUDA: the reading stays as it was.
    plain = K8S_1259.replace("linuxserver/faster-whisper:gpu", "app")
    assert facts(plain).build_program == []
    assert first_cause(plain) == "DRIVER_TOO_OLD"


# --- LOG805: the llama.cpp family's offload setting left at its zero default ------------------------------------------
# https://github.com/mudler/LocalAI/issues/586 (the maintainer: set gpu_layers in the model's YAML)
LOCALAI_586 = """**Is your feature request related to a problem? Please describe.**
Despite building with cuBLAS, `LocalAI` still uses only my CPU by the looks of it."""

# https://github.com/ggml-org/llama.cpp/issues/6787 (ggml_cuda_init found the H800; -ngl 90 was given)
CUDA_LINE = "ggml_cuda_init: found 1 CUDA devices:"


def test_offload_facts_are_typed() -> None:
    f = facts(LOCALAI_586)
    assert [s.value for s in f.offload_program] == ["LocalAI"]
    assert [s.value for s in f.offload_cuda] == ["building with cuBLAS"]
    shown = facts("llama.cpp build\n" + CUDA_LINE + "\n./main -m model.gguf -ngl 90\nllm_load_tensors: offloaded 0/33 layers to GPU")
    assert [s.value for s in shown.offload_cuda] == ["ggml_cuda_init: found 1 CUDA devices"]
    assert sorted(int(s.value) for s in shown.offload_layers) == [0, 90]


def test_a_cuda_build_run_without_layers_reads_the_programs_setting() -> None:
    assert codes(LOCALAI_586)[:2] == ["CODE_FORCES_CPU", "FRAMEWORK_CPU_BUILD"]
    assert "LOG805" in finding_codes(LOCALAI_586)


def test_quiet_where_a_layer_count_was_given() -> None:
    log = LOCALAI_586 + "\nMy model YAML has gpu_layers: 35"
    assert "LOG805" not in finding_codes(log)


def test_quiet_where_the_build_is_not_shown_with_cuda() -> None:
    # The writer only asks, or says they tried: no CUDA build asserted.
    assert "LOG805" not in finding_codes("Did I build LocalAI with cuBLAS? LocalAI still uses only my CPU.")
    assert "LOG805" not in finding_codes("LocalAI still uses only my CPU by the looks of it.")


def test_quiet_where_a_cpu_build_line_is_shown() -> None:
    # https://github.com/abetlen/llama-cpp-python/issues/1315: the writer's CMAKE_ARGS did not reach the build (BLAS = 0).
    log = ("I installed llama-cpp-python with cuBLAS but whatever inferences it makes, it does on the CPU instead of GPU.\n"
           "AVX = 1 | AVX_VNNI = 0 | AVX2 = 1 | AVX512 = 0 | FMA = 1 | NEON = 0 | ARM_FMA = 0 | F16C = 1 | FP16_VA = 0 | WASM_SIMD = 0 | BLAS = 0 | SSE3 = 1 |")
    assert "LOG805" not in finding_codes(log)
    assert first_cause(log) == "FRAMEWORK_CPU_BUILD"


def test_quiet_for_ollama_whose_layers_are_its_own_estimate() -> None:
    assert "LOG805" not in finding_codes("I built ollama with CUDA support but ollama still uses only my CPU.")
