"""accsmall38 (session 38): five small mends: the failing run's GPU among two named (explain.whichgpu), NVML's mismatch in
other word orders and an automatic upgrade as the update that caused it (LOG-NVML-MISMATCH, LOG-NVML-MISMATCH-WORDS, LOG481),
an issue title's tag kept on its line (explain.normalize), "then" after "if" ending a clause (explain.grammar), and a
driver's CUDA of 0 read as no driver (knowledge.cuda_versions.driver_cuda_none, LOG765)."""

from __future__ import annotations

from tests.log_text import codes, facts, finding_codes, first_cause

from whygpu.explain import grammar
from whygpu.explain.normalize import unwrap
from whygpu.explain.rules import _gpu_capability
from whygpu.explain.statements import cpu_build_said
from whygpu.explain.whichgpu import worked_on
from whygpu.knowledge.cuda_versions import driver_cuda_none

# --- 1. the failing run's GPU among two named -------------------------------------------------------------------------
# https://github.com/uzh-rpg/rpg_vid2e/issues/41
VID2E = ("I can run on gtx1080ti, but can't run on rtx 2080ti or rtx 3090, I always meet the error below.\n ```python\n"
         "RuntimeError: CUDA error: no kernel image is available for execution on the device\n```\n"
         "And my docker environment is: cuda10.2, cudnn7, pytorch1.6, python3.7.\n")
# https://github.com/pytorch/pytorch/issues/16034
TURING = ("Recently, I try to run my previous programming with our new multiple GPUs servers with RTX 2080 Ti. I do not make any "
          "about my code which can run successfully on Cuda 9.0 with Tesla V100. I am not sure what the problem is and it seems "
          "that there is a problem with Cuda support.")


def test_the_gpu_the_code_worked_on_is_not_the_failing_runs() -> None:
    found = _gpu_capability(facts(VID2E))
    assert found is not None and found[0] == "7.5"  # the RTX 2080 Ti it fails on, not the GTX 1080 Ti it ran on (6.1)
    assert worked_on(TURING, "Tesla V100") and not worked_on(TURING, "RTX 2080 Ti")


def test_worked_on_stays_quiet_on_a_failure_or_a_plain_run() -> None:
    assert not worked_on(VID2E, "rtx 2080ti")  # "can't run on"
    assert not worked_on("It does not work on my Tesla V100.", "Tesla V100")
    assert not worked_on("I run the training on a Tesla V100 and it fails.", "Tesla V100")  # a run, not a success
    one = _gpu_capability(facts("The code worked fine on my Tesla V100 until the update; now CUDA is not available."))
    assert one is not None and one[0] == "7.0"  # one GPU named: it is the one judged


# --- 2. NVML's mismatch in other word orders; an automatic upgrade as the update -----------------------------------------
# https://github.com/pando85/homelab/pull/4110
PLUGIN = "Driver/library version mismatch — failed to initialize NVML"


def test_nvml_mismatch_in_other_orders() -> None:
    assert codes(PLUGIN + "\n")[:1] == ["DRIVER_MISMATCH"]
    assert "LOG-NVML-MISMATCH" in finding_codes(PLUGIN + "\n")
    assert first_cause("NVML: Driver/library version mismatch\n") == "DRIVER_MISMATCH"
    assert first_cause("Driver/library version mismatch: failed to initialize NVML\n") == "DRIVER_MISMATCH"


def test_nvml_mismatch_quiet_on_the_bare_words_in_prose() -> None:
    # NVML's words alone in a sentence (asked, over) stay the writer's (tests/explain/test_paste_forms.py), and other
    # libraries' mismatches are not the driver's.
    assert "LOG-NVML-MISMATCH" not in finding_codes("I get `Driver/library version mismatch` sometimes?\n")
    assert first_cause("cuDNN library version mismatch between the build and the runtime\n") != "DRIVER_MISMATCH"


def test_unattended_upgrade_is_the_update_under_a_running_system() -> None:
    said = "After unattended-upgrades ran last night, nvidia-smi does not work and torch.cuda.is_available() returns False.\n"
    assert first_cause(said) == "DRIVER_MISMATCH" and "LOG481" in finding_codes(said)
    assert first_cause("My GPU stopped working after an unattended upgrade.\n") == "DRIVER_MISMATCH"
    # a kernel update named stays the kernel's (the module not built for it)
    assert first_cause("after upgrading to kernel 5.3.12 nvidia-smi does not work\n") == "DRIVER_MISSING"


def test_unattended_upgrade_quiet_when_denied_asked_or_nothing_fails() -> None:
    assert "LOG481" not in finding_codes("I never ran unattended-upgrades; nvidia-smi fails.\n")
    assert "LOG481" not in finding_codes("Should I disable unattended-upgrades so the GPU does not break?\n")
    # https://github.com/pando85/homelab/pull/4110 (the words alone, no failure)
    assert "LOG481" not in finding_codes("Unattended-upgrades was automatically upgrading NVIDIA host packages on GPU nodes.\n")


# --- 3. an issue title's tag is not a log prefix ---------------------------------------------------------------------------
def test_title_tag_stays_log_prefix_goes() -> None:
    # https://github.com/NVIDIA/warp/issues/672 (its title)
    title = "[BUG] Simplify CUDA errors when CUDA driver is not found"
    assert unwrap(title) == title
    assert unwrap("[Bug] CUDA not available") == "[Bug] CUDA not available"
    assert unwrap("[Feature Request] GPU support for the sampler") == "[Feature Request] GPU support for the sampler"
    # a program's tag and a time stamp with a level are a log's prefixes
    assert unwrap("[ComfyUI] Using device: cpu") == "Using device: cpu"
    assert unwrap("[Distributed] NCCL error in: ../torch/lib/c10d/ProcessGroupNCCL.cpp:825") == "NCCL error in: ../torch/lib/c10d/ProcessGroupNCCL.cpp:825"
    assert unwrap("2023-01-02 10:11:12,123 - ERROR - CUDA not available") == "CUDA not available"


# --- 4. "then" after "if" ends the condition ---------------------------------------------------------------------------------
# https://github.com/microsoft/onnxruntime-extensions/issues/404
OVERLAY = ("If I had already installed onnxruntime-gpu then onnxruntime installs in the same directory overwriting it, and then the "
           "GPU execution providers are unavailable.")


def test_then_after_if_opens_the_consequent() -> None:
    assert grammar.clause_before("If I had already installed onnxruntime-gpu then onnxruntime ") == "onnxruntime "
    start = OVERLAY.index("onnxruntime installs")
    assert cpu_build_said(OVERLAY, start, start + len("onnxruntime installs in the same directory"))


def test_then_old_readings_hold() -> None:
    assert grammar.clause_before("if PyTorch is then ") == "if PyTorch is then "  # an adverb: the condition goes on
    assert grammar.clause_before("I installed torch then ") == "I installed torch then "  # no condition before it
    assert grammar.clause_before("If it fails, then ") == "then "  # the comma ends it as before
    assert not cpu_build_said("If pip installs the CPU build, uninstall it.", 3, 27)  # a condition in the words' own clause


# --- 5. a driver's CUDA of 0 is no driver -------------------------------------------------------------------------------------
# https://github.com/NVIDIA/warp/issues/672
WARP = ("Warp CUDA error: Could not open libcuda.so.\n"
        "Warp CUDA error: Function cuDriverGetVersion_f: a suitable driver entry point was not found\n"
        "Warp CUDA error 36 (in function cuda_driver_version, /home/runner/work/warp/warp/warp/native/warp.cu:1721)\n"
        "Warp 1.7.0 initialized:\n   CUDA Toolkit 12.8, Driver 0.0 (insufficient CUDA driver version!)\n   Devices:\n"
        '     "cpu"      : "x86_64"\nWarp UserWarning: \n   Insufficient CUDA driver version.\n'
        "   The minimum required CUDA driver version is 12.0, but the installed CUDA driver version is 0.0.\n")


def test_driver_cuda_zero_reads_no_driver() -> None:
    assert driver_cuda_none("0") and driver_cuda_none("0.0") and not driver_cuda_none("12.0") and not driver_cuda_none("10")
    assert first_cause(WARP) == "DRIVER_MISSING" and "LOG765" in finding_codes(WARP)
    assert first_cause("Warp 0.5.0 initialized:\n   CUDA Toolkit 11.5, Driver 0.0 (insufficient CUDA driver version!)\n") == "DRIVER_MISSING"


def test_driver_cuda_zero_quiet_on_a_driver_that_answers_or_a_need() -> None:
    # https://github.com/facebookresearch/sam-3d-objects/issues/87
    assert "LOG765" not in finding_codes("Warp 1.10.0 initialized:\nCUDA Toolkit 12.8, Driver 12.8\n")
    assert not facts("The minimum required CUDA driver version is 0.0\n").driver_cuda_none
