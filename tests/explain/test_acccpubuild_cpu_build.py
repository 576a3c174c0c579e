"""acccpubuild (session 37): FRAMEWORK_CPU_BUILD is not asserted where nothing decides it, and a build's CUDA shown outweighs the base rate.

- An undecided CPU-build lead (LOG104's base-rate ranking, counts that do not single it out) is named the first to check,
  with the one build check (knowledge/build_check.toml) before any reinstall.
- A program's GPU extra or GPU requirements file shown installed (explain/gpuextra.py) suggests a CUDA build
  (knowledge/cuda_build.toml ``gpu_extra``), which moves the CPU build below the other causes.
- PyTorch's LibTorch archive of a CUDA variant (download.pytorch.org/libtorch/cu101/...) is read as that variant's build.
"""

from __future__ import annotations

from typing import Any

from log_text import codes, facts, report
from whygpu.explain import explain_text
from whygpu.explain.buildcuda import build_cudas
from whygpu.explain.gpuextra import extra_installed
from whygpu.knowledge.build_check import build_check, check_first, check_first_fix

# https://github.com/Comfy-Org/ComfyUI/issues/3970 (the writer's words only: no line says which build is installed)
WORDS_ONLY = ("MY ComfyUI seems to be using CPU rather than my GPU. I have CUDA Version 12.4 installed (verified by nvidia-smi "
              "in power shell). What troubleshooting methods can I take to ensure comfyui uses my GPU?\n")
# https://github.com/pytorch/pytorch/issues/31243 (PyTorch's own answer, nothing about its build)
TORCH_FALSE = ">>> import torch\n>>> torch.cuda.is_available()\nFalse\n"


def _lead(text: str) -> Any:
    """The report's first cause."""
    return report(text).causes[0]


# --- the base rate names the build the first to check -----------------------------------------------------------


def test_an_undecided_cpu_build_lead_is_the_first_to_check_not_the_likeliest() -> None:
    lead = _lead(WORDS_ONLY)
    assert lead.code == "FRAMEWORK_CPU_BUILD"
    assert "First to check" in lead.title and "Likeliest" not in lead.title
    assert "single it out" in lead.title
    # The fix asks for the build first and says what each answer means before any reinstall.
    first_line = lead.fix.splitlines()[0]
    assert first_line.startswith("First check which build is installed")
    assert "torch.version.cuda" in first_line and "is a CPU-only build" in first_line and "is a CUDA build" in first_line
    assert "None" not in first_line.replace("printing None", "")


def test_pytorch_own_answer_gets_pytorch_build_check() -> None:
    lead = _lead(TORCH_FALSE)
    assert lead.code == "FRAMEWORK_CPU_BUILD" and "First to check" in lead.title
    assert 'python -c "import torch; print(torch.__version__, torch.version.cuda)"' in lead.fix.splitlines()[0]
    assert "+cpu" in lead.fix.splitlines()[0]


def test_a_decided_lead_keeps_its_words() -> None:
    # A line that decides the build (PyTorch's +cpu version) is no base rate: no "first to check" note.
    text = ">>> torch.__version__\n'2.1.0+cpu'\n>>> torch.cuda.is_available()\nFalse\n"
    lead = _lead(text)
    assert lead.code == "FRAMEWORK_CPU_BUILD"
    assert "First to check" not in lead.title and not lead.fix.startswith("First check which build")


def test_check_first_decides_only_an_undecided_cpu_build() -> None:
    assert check_first("FRAMEWORK_CPU_BUILD", decided=False)
    assert not check_first("FRAMEWORK_CPU_BUILD", decided=True)
    assert not check_first("CUDA_LIBS_MISMATCH", decided=False)


def test_build_check_rows() -> None:
    assert "torch.version.cuda" in build_check("torch").command
    assert "is_built_with_cuda" in build_check("tensorflow").command
    assert "get_available_providers" in build_check("onnxruntime").command
    # A framework the table does not know, or none, gets the generic row.
    assert build_check("mxnet") == build_check("any") == build_check(None) == build_check("several")
    fix = check_first_fix("jax", "pip install -U 'jax[cuda12]'")
    first, second = fix.splitlines()
    assert "jax.default_backend()" in first and second == "pip install -U 'jax[cuda12]'"


# --- a program's GPU extra suggests a CUDA build ----------------------------------------------------------------


def test_gpu_extra_read_where_the_writer_installed_it() -> None:
    # https://github.com/danielgatis/rembg/issues/483
    assert extra_installed("!pip install rembg[cli,gpu]") == "rembg[cli,gpu]"
    # https://github.com/GretaLupi/hamlet-toolkit/issues/2
    assert extra_installed('`964b404` (main, unreleased), installed with `pip install ".[gpu]"` into a fresh env') == ".[gpu]"
    # https://github.com/deepfakes/faceswap-playground/issues/79
    assert extra_installed("I have used the gpu-requirements.txt during the installation process.") == "gpu-requirements.txt"
    # https://github.com/danielgatis/rembg/issues/600
    assert extra_installed("The library, despite being installed with [gpu,cli], refuses to run on GPU") == "installed with [gpu,cli]"
    assert extra_installed("pip install -r requirements-gpu.txt") == "requirements-gpu.txt"


def test_gpu_extra_quiet_where_not_installed_or_not_an_extra() -> None:
    assert extra_installed("      - driver: nvidia\n        capabilities: [gpu]") is None  # a compose manifest
    assert extra_installed("Try pip install rembg[gpu]") is None  # advice
    assert extra_installed("Should I try pip install rembg[gpu]?") is None  # a question
    assert extra_installed("Does requirements_gpu.txt work?") is None
    assert extra_installed("pip install jax[cuda12]") is None  # JAX's own extra: explain.buildcuda's
    assert extra_installed("[gpu] [python] LightGBMError: No OpenCL device found") is None  # a title's tags
    assert extra_installed("[BUG] `rembg[gpu]` may silently fall back to CPU") is None  # named, not installed


def test_gpu_extra_moves_the_cpu_build_below() -> None:
    base = "The GPU is not used during training, it runs on my CPU.\n"
    assert codes(base)[0] == "FRAMEWORK_CPU_BUILD"
    shown = "pip install rembg[gpu,cli]\n" + base
    assert facts(shown).gpu_extra_installed
    ranked = codes(shown)
    assert ranked[0] != "FRAMEWORK_CPU_BUILD"
    lead = explain_text(shown, source="r").findings[0]
    assert "FRAMEWORK_CPU_BUILD" in lead.extra.get("ranked_lower", {})


# --- LibTorch's CUDA archives -------------------------------------------------------------------------------------


def test_libtorch_cuda_archive_is_a_cuda_variant() -> None:
    # https://github.com/pytorch/pytorch/issues/35604
    line = "1. Download the latest nightly https://download.pytorch.org/libtorch/nightly/cu101/libtorch-win-shared-with-deps-latest.zip"
    found = build_cudas(line)
    assert [(b.cuda, b.form) for b in found] == [("10.1", "torch")]
    assert build_cudas("https://download.pytorch.org/libtorch/cpu/libtorch-shared-with-deps-latest.zip") == []


# --- the framework's own CPU-build word over the machine's kind ---------------------------------------------------


def test_a_cpu_build_answer_is_not_reread_as_an_image_build_step() -> None:
    # https://github.com/Xilinx/logicnets/issues/15 (the Dockerfile's step installs the cpuonly PyTorch; the run says so)
    text = ("`Step 22/33 : RUN conda install -y pytorch==1.4.0 torchvision==0.5.0 cpuonly -c pytorch &&     conda clean -ya`\n"
            "`AssertionError: Torch not compiled with CUDA enabled`\n")
    assert codes(text)[0] == "FRAMEWORK_CPU_BUILD"
    # A CUDA build's "no driver" in a build step still follows from the builder running without the GPU (LOG511).
    step = ("Step 5/9 : RUN python -c \"import torch; torch.cuda.init()\"\n ---> Running in 3f2a1b\n"
            "RuntimeError: Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU and installed a driver "
            "from http://www.nvidia.com/Download/index.aspx\n")
    assert codes(step)[0] == "CONTAINER_NO_GPU"



# --- the version a CPU-only build is said to be -------------------------------------------------------------------


def test_a_cpu_only_build_is_not_said_of_a_cuda_tagged_version() -> None:
    # https://github.com/Haoming02/sd-webui-forge-classic/issues/269 (the +cu128 wheel replaced by the +cpu one)
    text = ("torch 2.8.0+cu128 gets installed and during the installation of the requirements it gets replaced by torch "
            "2.8.0+cpu now.\n")
    lead = _lead(text)
    assert lead.code == "FRAMEWORK_CPU_BUILD"
    assert "2.8.0+cpu" in lead.title and "+cu128 is" not in lead.title
    from whygpu.explain.judge import _tag_is_cuda

    assert _tag_is_cuda("2.8.0+cu128") is True and _tag_is_cuda("2.8.0+cpu") is False and _tag_is_cuda("2.8.0") is None
