"""A GPU the build cannot run, shown by the facts rather than by one message (accarch, session 28).

The readings: a kernel's own line that it holds no code for the device (xformers' CUTLASS kernels, llama.cpp's ggml,
anyone's "compiled for sm_70, but the device is sm_86"); a GPU named below every framework's official floor in a log
that shows it unused; the build's CUDA variant read from PyTorch's image tag, a variant said beside the release, and the
device's capability from torch's own answer; an architecture said of a build not taken for the GPU's; a CUDA tool that
does not know the GPU ranked by its count. The lines are written from the programs' message formats (cited in
explain.ccsupport and the data files), not pasted from any corpus case.
"""

from __future__ import annotations

import pytest

from log_text import codes, facts, report
from whygpu.explain.ccsupport import _arch_number, capability_claims, kernel_without_code
from whygpu.knowledge.torch import torch_arch_list, torch_release_runs_on


def _first(text: str) -> str | None:
    found = codes(text)
    return found[0] if found else None


# --- a kernel without code for the device -------------------------------------------------------------------------------


@pytest.mark.parametrize(("number", "cc"), [("80", "8.0"), ("75", "7.5"), ("120", "12.0"), ("100", "10.0"), ("700", "7.0"),
                                            ("610", "6.1"), ("1200", "12.0"), ("860", "8.6"), ("999", None), ("45", None)])
def test_an_architecture_number_is_packed_or_cuda_arch(number: str, cc: str | None) -> None:
    assert _arch_number(number) == cc


@pytest.mark.parametrize(("line", "cc"), [
    ("FATAL: kernel `fmha_cutlassB_f32_aligned_64x64_k65536_sm80` is for sm80-sm100, but was built for sm70", ""),
    ("FATAL: this function is for sm80, but was built for sm750", ""),
    ("/src/ggml/src/ggml-cuda/mmvq.cu:120: ERROR: CUDA kernel mul_mat_vec_q has no device code compatible with CUDA arch 520. "
     "ggml-cuda.cu was compiled for: 520", ""),
    ("/src/ggml/src/ggml-cuda/common.cuh:410: ggml was not compiled with any CUDA arch <= 750", "7.5"),
    ("The extension was compiled for sm_61, but the device is sm_89, so every call fails.", "8.9"),
    ("It keeps saying the kernels were built for compute capability 7.5 but running on 8.6", "8.6"),
])
def test_a_kernel_without_code_for_the_device_is_a_claim_on_the_build(line: str, cc: str) -> None:
    claim = kernel_without_code(line)
    assert claim is not None and claim.kernel and claim.subject == "build" and claim.cc == cc
    assert capability_claims(line) == [claim]  # before the feature words (cutlass) that keep other claims quiet


@pytest.mark.parametrize("line", [
    "If the kernel is for sm80 but was built for sm75, rebuild xformers.",
    "Does this mean the function is for sm80 but was built for sm75?",
    'The message "kernel is for sm80-sm100, but was built for sm75" appears when xformers was made for another card.',
    "FATAL: kernel `fmha_cutlassF_f16_aligned_64x64_rf_sm80` is for sm80-sm100, but was built for sm80",
    "The wheel was built for sm_86 but the GPU is an sm_86 card, so that is not it.",
    "It was built for Windows but I run it on Linux.",
    "ggml was not compiled with any CUDA arch <= 999",
])
def test_a_kernel_line_asked_explained_or_without_a_mismatch_stays_quiet(line: str) -> None:
    assert kernel_without_code(line) is None


def test_a_kernel_without_code_ranks_the_gpu_outside_the_build_first_with_its_build_in_the_fix() -> None:
    log = ("I run the web UI with xformers on an RTX 3090.\n"
           "FATAL: kernel `fmha_cutlassF_f16_aligned_64x128_rf_sm80` is for sm80-sm100, but was built for sm75\n")
    result = report(log)
    first = next(f for f in result.findings if f.cause)
    assert first.cause == "GPU_NOT_SUPPORTED" and first.id == "LOG230"
    assert 'TORCH_CUDA_ARCH_LIST="8.6"' in (first.fix or "") and "xformers" in (first.fix or "")


def test_a_kernel_without_code_speaks_in_a_run_that_used_the_gpu() -> None:
    log = ("ggml_cuda_init: found 1 CUDA devices:\n"
           "  Device 0: NVIDIA GeForce GTX 1070, compute capability 6.1, VMM: yes\n"
           "load_tensors: offloaded 33/33 layers to GPU\n"
           "/app/ggml/src/ggml-cuda/mmq.cuh:3000: ERROR: CUDA kernel mul_mat_q has no device code compatible with CUDA arch 610. "
           "ggml-cuda.cu was compiled for: 750,800,860\n")
    assert _first(log) == "GPU_NOT_SUPPORTED"
    assert _first(log.rsplit("/app/", 1)[0]) != "GPU_NOT_SUPPORTED"


# --- a GPU below every framework's official floor, no framework named ---------------------------------------------------


def test_a_kepler_30_card_shown_unused_is_below_every_frameworks_binaries() -> None:
    log = "My card is a GeForce GTX 680.\nThe program prints \"Using device CPU\" and only the CPU is used, it is slow.\n"
    result = report(log)
    first = next(f for f in result.findings if f.cause)
    assert first.cause == "GPU_NOT_SUPPORTED" and first.id == "LOG110"
    assert "3.5" in first.title


@pytest.mark.parametrize("log", [
    "My card is a GeForce GTX 680 and training runs fine on it.\n",  # nothing shown unused
    "My card is a GeForce RTX 3060.\nThe program prints \"Using device CPU\" and only the CPU is used, it is slow.\n",  # inside every build
])
def test_the_frameworks_floor_stays_quiet_without_an_unused_gpu_below_it(log: str) -> None:
    assert "LOG110" not in {f.id for f in report(log).findings}


# --- what the build is, read from the log ---------------------------------------------------------------------------------


def test_pytorchs_image_tag_names_its_release_and_cuda_variant() -> None:
    seen = facts("FROM pytorch/pytorch:2.6.0-cuda12.6-cudnn9-runtime\n")
    assert [s.value for s in seen.versions["torch"]] == ["2.6.0"]
    assert [s.value for s in seen.build_cuda["torch"]] == ["12.6"]
    assert not facts("FROM pytorch/pytorch:latest\n").build_cuda.get("torch")


def test_an_rtx_50_card_under_a_cuda_126_image_is_outside_the_build() -> None:
    base = "Our image is built from pytorch/pytorch:{tag}.\nGPU: NVIDIA GeForce RTX 5060 Ti, torch.cuda.is_available() True, but kernels fail.\n"
    assert _first(base.format(tag="2.6.0-cuda12.6-cudnn9-runtime")) == "GPU_NOT_SUPPORTED"
    assert "GPU_NOT_SUPPORTED" not in codes(base.format(tag="2.7.1-cuda12.8-cudnn9-runtime"))


def test_the_variant_said_beside_the_release_is_the_builds_cuda() -> None:
    assert [s.value for s in facts("I installed torch 2.8.0 with cu128 on this box.\n").versions["torch"]] == ["2.8.0+cu128"]
    assert [s.value for s in facts("pytorch 2.6.0 (cu124) is installed\n").versions["torch"]] == ["2.6.0+cu124"]
    assert [s.value for s in facts("I installed torch 2.8.0 with conda\n").versions["torch"]] == ["2.8.0"]


def test_a_pascal_card_under_a_cu128_release_is_below_its_floor() -> None:
    log = "I installed torch 2.8.0 with cu128 on my GTX 1080 Ti, and training now runs on the CPU.\n"
    assert _first(log) == "GPU_NOT_SUPPORTED" and "LOG110" in {f.id for f in report(log).findings}
    assert "LOG110" not in {f.id for f in report(log.replace("cu128", "cu126")).findings}  # cu126 keeps sm_60, which runs 6.1


def test_torchs_answer_of_the_device_capability_is_the_gpus() -> None:
    seen = facts(">>> torch.cuda.get_device_capability(0)\n(12, 0)\n")
    assert [s.value for s in seen.compute_capability] == ["12.0"]


def test_an_architecture_said_of_a_build_is_not_the_gpus() -> None:
    assert not facts("That PyTorch build only ships kernels up to `sm_90`.\n").compute_capability
    assert not facts("The wheel was built for sm_70 only.\n").compute_capability
    assert [s.value for s in facts("RTX 50-series is Blackwell (`sm_120`).\n").compute_capability] == ["12.0"]
    # TensorFlow's "not built with CUDA kernel binaries compatible with compute capability X" names the GPU's.
    line = "TensorFlow was not built with CUDA kernel binaries compatible with compute capability 9.0. CUDA kernels will be jit-compiled from PTX.\n"
    assert [s.value for s in facts(line).compute_capability] == ["9.0"]


def test_the_torch_20_to_25_variants_carry_their_build_scripts_lists() -> None:
    assert torch_arch_list("2.3.1", "12.1") == ["5.0", "6.0", "7.0", "7.5", "8.0", "8.6", "9.0"]
    assert torch_arch_list("2.0.1", "11.7") == ["3.7", "5.0", "6.0", "7.0", "7.5", "8.0", "8.6"]
    assert torch_release_runs_on("2.1.2", None, "12.0")[0] is False
    assert torch_release_runs_on("2.4.0", None, "8.6")[0] is True


# --- a CUDA tool that does not know the GPU ---------------------------------------------------------------------------


PTXAS = "E0101 00:00:00.000 1 asm_compiler.cc:1] Falling back to the CUDA driver for PTX compilation; ptxas does not support CC 12.0\n"
FAILED = "RuntimeError: INTERNAL: Failed to launch CUDA kernel\n"


def test_a_cuda_tool_that_does_not_know_the_gpu_reads_the_build_first() -> None:
    assert codes(PTXAS + FAILED)[:2] == ["GPU_NOT_SUPPORTED", "CUDA_LIBS_MISMATCH"]


def test_the_tool_of_path_reads_a_toolkit_of_another_version_first() -> None:
    log = PTXAS + "W0101 00:00:00.000 1 asm_compiler.cc:2] Used ptxas at ptxas\n" + FAILED
    assert codes(log)[:2] == ["CUDA_LIBS_MISMATCH", "GPU_NOT_SUPPORTED"]
    assert facts(log).tool_from_path
    assert not facts(PTXAS + "W0101 00:00:00.000 1 asm_compiler.cc:2] Used ptxas at /usr/local/cuda-12.8/bin/ptxas\n").tool_from_path


# --- a GPU newer than builds made before it, refused by the program ---------------------------------------------------


def test_the_first_cuda_that_knows_a_gpu_and_the_builds_before_it() -> None:
    from whygpu.knowledge.cuda import cuda_first_for_compute_capability
    from whygpu.knowledge.target import gpu_outside_builds

    assert cuda_first_for_compute_capability("12.0") == "12.8"
    assert cuda_first_for_compute_capability("8.6") == "11.1"
    assert gpu_outside_builds("12.0").how == "newer-than-builds"
    assert gpu_outside_builds("12.0").runs is None  # which build the program brings decides
    assert gpu_outside_builds("9.0").how == "unknown"  # CUDA 12.0 already knows Hopper


def test_a_program_refusing_a_blackwell_card_reads_a_build_older_than_the_card() -> None:
    log = "When I switch off the CPU option it says that no compatible graphics card found, but I have an NVIDIA RTX 5060 Ti installed.\n"
    result = report(log)
    first = next(f for f in result.findings if f.cause)
    assert first.cause == "GPU_NOT_SUPPORTED" and first.id == "LOG315"
    assert "CUDA 12.8" in (first.fix or "") and "sm_120" in (first.fix or "")
    # The log names no framework: PyTorch's own install command is not offered (accsoname's scoping, session 34)...
    assert "whl/cu128" not in (first.fix or "")
    # ...and is, with the release that first carries the card's code, where the writer says the program runs on torch.
    named = next(f for f in report("I installed torch with pip. " + log).findings if f.cause)
    assert named.id == "LOG315" and "whl/cu128" in (named.fix or "") and "2.7" in (named.fix or "")


def test_a_program_refusing_a_card_inside_every_build_is_not_read_as_the_card() -> None:
    log = "When I switch off the CPU option it says that no compatible graphics card found, but I have an NVIDIA RTX 3060 installed.\n"
    assert "LOG315" not in {f.id for f in report(log).findings}


def test_a_cloud_notebooks_assigned_gpu_is_named() -> None:
    assert [s.value for s in facts("I have been assigned an A100 (40GB) for the first time today.\n").gpu_model] == ["A100"]
    assert not facts("Should I ask to be assigned an A100?\n").gpu_model
