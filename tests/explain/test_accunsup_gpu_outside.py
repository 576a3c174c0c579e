"""A GPU below (or outside) what the build supports, told by the program or by the versions stated (accunsup, session 26).

Each reading judges the GPU a log names (its compute capability from knowledge/gpus.toml) with one knowledge decision:
``knowledge.target.gpu_outside_builds`` (the builds shown, or the oldest CUDA major current builds ship), CTranslate2's
table of compute types per capability (``knowledge.programs.program_compute_type_on_gpu``), the driver's CUDA for a
forward-compatibility refusal. Each form has a log where it fires and one where it stays quiet; the lines are written from
the programs' sources and message formats (cited in the rules and data), not pasted from any corpus case.
"""

from __future__ import annotations

from log_text import codes, facts, report
from whygpu.explain.ccsupport import compute_type_refused, no_compatible_gpu
from whygpu.knowledge.programs import program_compute_type_on_gpu
from whygpu.knowledge.target import BuildSpec, current_builds_cuda_major, gpu_outside_builds


def _first(text: str) -> str | None:
    found = codes(text)
    return found[0] if found else None


def _rules(text: str) -> set[str]:
    return {f.id for f in report(text).findings}


# --- the knowledge decisions ------------------------------------------------------------------------------------------


def test_with_no_build_shown_only_a_gpu_below_current_cuda_is_outside() -> None:
    assert current_builds_cuda_major() == 12
    assert gpu_outside_builds("3.0").runs is False  # Kepler: CUDA 12 dropped it
    assert gpu_outside_builds("3.7").runs is False
    assert gpu_outside_builds("6.1").runs is None  # Pascal: current CUDA 12 builds still run it
    assert gpu_outside_builds("8.6").runs is None


def test_with_builds_shown_each_is_judged() -> None:
    cuda13 = BuildSpec("driver", "the driver's CUDA", "", "13.0")
    assert gpu_outside_builds("6.1", [cuda13]).runs is False
    assert gpu_outside_builds("8.9", [cuda13]).runs is not False
    assert gpu_outside_builds("6.1", [BuildSpec("driver", "the driver's CUDA", "", "12.2")]).runs is not False


def test_ctranslate2_compute_types_by_capability() -> None:
    assert program_compute_type_on_gpu("ctranslate2", "float16", "6.1") is False
    assert program_compute_type_on_gpu("ctranslate2", "float16", "6.0") is True
    assert program_compute_type_on_gpu("ctranslate2", "float16", "7.5") is True
    assert program_compute_type_on_gpu("ctranslate2", "int8", "6.1") is True
    assert program_compute_type_on_gpu("ctranslate2", "int8", "6.0") is False
    assert program_compute_type_on_gpu("ctranslate2", "bfloat16", "6.1") is None
    assert program_compute_type_on_gpu("another-program", "float16", "6.1") is None


# --- a program's "no compatible GPU" with the GPU it names (LOG315) --------------------------------------------------


def test_no_compatible_gpu_is_read_as_said_not_as_a_condition_or_code() -> None:
    assert no_compatible_gpu("WARN: No supported GPU detected, running on the CPU") == "No supported GPU"
    assert no_compatible_gpu("there is no compatible graphics card available") is not None
    assert no_compatible_gpu("If no compatible GPU is found, the CPU is used.") is None
    assert no_compatible_gpu('    print("No compatible GPU found")') is None
    assert no_compatible_gpu("no compatible GPU for bf16 found") is None


def test_no_compatible_gpu_with_a_kepler_card_is_the_gpu() -> None:
    log = "Starting the UI...\nNo compatible GPU found. Using the CPU, but this will be very slow!\nGPU: NVIDIA GeForce GTX 680 (2 GB)\n"
    assert _first(log) == "GPU_NOT_SUPPORTED"
    assert "LOG315" in _rules(log)


def test_no_compatible_gpu_with_a_current_card_is_not_the_gpu() -> None:
    for card in ("NVIDIA GeForce RTX 3080", "NVIDIA GeForce GTX 1080 Ti"):
        log = f"No compatible GPU found. Using the CPU, but this will be very slow!\nGPU: {card}\n"
        assert "LOG315" not in _rules(log), card
        assert _first(log) != "GPU_NOT_SUPPORTED", card


def test_no_compatible_gpu_with_no_card_named_is_left_to_the_other_readings() -> None:
    log = "No compatible GPU found. Using the CPU, but this will be very slow!\n"
    assert "LOG315" not in _rules(log)


def test_a_gpu_said_unsupported_with_a_kepler_card_is_high() -> None:
    log = "My Tesla K40 is not supported by the current release, it runs on the CPU.\n"
    found = [f for f in report(log).findings if f.id == "LOG315"]
    assert found and found[0].confidence.value == "high"


# --- the kernel driver's refusal of a named GPU (LOG-PLAT-NVRM-NAMED-GPU-REFUSED) -----------------------------------


def test_nvrm_named_gpu_refused_cut_after_its_first_line() -> None:
    log = "[ 8.123456] nvidia-nvlink: Nvlink Core is being initialized\n[ 8.123470] NVRM: The NVIDIA GeForce GTX 770 GPU installed in this system is\n"
    assert _first(log) == "GPU_NOT_SUPPORTED"


def test_nvrm_named_gpu_with_its_legacy_line() -> None:
    log = ("NVRM: The NVIDIA Quadro K4000 GPU installed in this system is\nNVRM:  supported through the NVIDIA 470.xx Legacy drivers. Please\n"
           "NVRM:  visit http://www.nvidia.com/object/unix.html for more\n")
    assert _first(log) == "GPU_NOT_SUPPORTED"


def test_the_installers_hedged_list_is_not_a_named_gpu() -> None:
    log = ("ERROR: Unable to load the kernel module 'nvidia.ko'.  This happens most frequently when this kernel module was built "
           "against the wrong kernel sources, or NVIDIA GPU installed in this system is not supported by this NVIDIA Linux graphics\n"
           "       driver release.\n")
    assert "LOG-PLAT-NVRM-NAMED-GPU-REFUSED" not in _rules(log)


# --- cuDF's missing PTX (LOG-CUDF-PTX-BELOW-GPU) ---------------------------------------------------------------------


def test_cudf_missing_ptx_below_the_gpu() -> None:
    log = ">>> import cuml\nRuntimeError: This cuDF installation is missing the necessary PTX files that are <=52.\n"
    assert _first(log) == "GPU_NOT_SUPPORTED"


def test_cudf_missing_every_ptx_file_is_not_read_as_the_gpu() -> None:
    log = "RuntimeError: Missing PTX files for cc=86\n"
    assert "LOG-CUDF-PTX-BELOW-GPU" not in _rules(log)


# --- a compute type the GPU cannot run (LOG316) ----------------------------------------------------------------------


def test_compute_type_refused_is_read_from_its_source_form_only() -> None:
    line = "ValueError: Requested float16 compute type, but the target device or backend do not support efficient float16 computation."
    assert compute_type_refused(line) == "float16"
    assert compute_type_refused(line.replace("float16", "int8_float16")) == "int8_float16"
    warning = ("[ctranslate2] [warning] The compute type inferred from the saved model is float16, but the target device or backend "
               "do not support efficient float16 computation.")
    assert compute_type_refused(warning) is None


def test_float16_refused_on_a_pascal_geforce_is_the_gpu() -> None:
    log = ("model = WhisperModel('medium', device='cuda', compute_type='float16')\n"
           "ValueError: Requested float16 compute type, but the target device or backend do not support efficient float16 computation.\n"
           "my gpu is a gtx 1060 6gb\n")
    assert _first(log) == "GPU_NOT_SUPPORTED"
    assert "LOG316" in _rules(log)


def test_float16_refused_beside_a_card_that_runs_it_is_not_the_gpu() -> None:
    log = ("ValueError: Requested float16 compute type, but the target device or backend do not support efficient float16 computation.\n"
           "GPU: NVIDIA GeForce RTX 4070\n")
    assert "LOG316" not in _rules(log)
    assert _first(log) != "GPU_NOT_SUPPORTED"


def test_float16_refused_with_no_card_says_nothing_of_the_gpu() -> None:
    log = "ValueError: Requested float16 compute type, but the target device or backend do not support efficient float16 computation.\n"
    assert "LOG316" not in _rules(log)


# --- forward compatibility on a GPU the driver's CUDA dropped (status prior) ------------------------------------------


_FWD = "ggml_cuda_init: failed to initialize CUDA: forward compatibility was attempted on non supported HW\n"


def test_forward_compatibility_on_a_gpu_outside_the_drivers_cuda_is_the_gpu() -> None:
    log = _FWD + "GPU: NVIDIA GeForce GTX 1070 (Pascal)\nDriver Version: 580.95.05\n"
    assert _first(log) == "GPU_NOT_SUPPORTED"


def test_forward_compatibility_on_a_gpu_inside_the_drivers_cuda_stays_the_driver() -> None:
    log = _FWD + "GPU: NVIDIA GeForce RTX 3090\nDriver Version: 525.125.06\n"
    assert _first(log) == "DRIVER_TOO_OLD"


# --- PyTorch 1.x with its conda CUDA against a newer GPU (LOG231) ---------------------------------------------------


def test_conda_cudatoolkit_installed_with_pytorch_is_the_builds_cuda() -> None:
    seen = facts("conda install pytorch==1.7.1 torchvision cudatoolkit=10.1 -c pytorch\n")
    assert [s.value for s in seen.build_cuda.get("torch", [])] == ["10.1"]
    assert not facts("conda install cudatoolkit=10.1\n").build_cuda.get("torch")


def test_an_ada_card_under_a_cuda_10_pytorch_build_is_inferred() -> None:
    log = "I installed with `conda install pytorch==1.7.1 cudatoolkit=10.1 -c pytorch` on an RTX 4070 laptop; training is slow.\n"
    found = [f for f in report(log).findings if f.id == "LOG231"]
    assert found and "inferred" in found[0].title


def test_a_turing_card_under_a_cuda_10_pytorch_build_is_not() -> None:
    log = "I installed with `conda install pytorch==1.7.1 cudatoolkit=10.1 -c pytorch` on an RTX 2070; training is slow.\n"
    assert "LOG231" not in _rules(log)


def test_a_cuda_tag_on_the_version_names_the_variant_too() -> None:
    log = "torch 1.7.1+cu101\nGPU 0: NVIDIA GeForce RTX 4080 (UUID: GPU-0)\nThe GPU is not used, everything runs on the CPU.\n"
    found = [f for f in report(log).findings if f.id == "LOG231"]
    assert found and "inferred" in found[0].title and found[0].confidence.value == "medium"


def test_a_modern_card_with_a_feature_not_supported_is_not_the_gpu() -> None:
    for line in ("RuntimeError: Bfloat16 is not supported on this GPU, no compatible GPU for bf16 found",
                 "ValueError: FP8 is not supported: no supported GPU for float8 kernels"):
        log = f"{line}\nGPU 0: NVIDIA GeForce RTX 3090 (UUID: GPU-0)\n"
        assert "LOG315" not in _rules(log), line
        assert "LOG316" not in _rules(log), line
