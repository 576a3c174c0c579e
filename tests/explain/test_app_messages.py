"""What downstream programs (apps on a framework) print when their work did not go to the GPU, read from their source.

A line whose code tests only where the model ended up is the framework's "no GPU" answer: whygpu says the GPU went
unused and ranks the causes (never silent, never a cause the line cannot know). A line whose code tests more names that
cause. Each fires in the program's wording and stays quiet on a near miss; lines are written from the programs' source.
"""

from __future__ import annotations

from log_text import codes, report
from whygpu.explain import explain_text


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


# --- openai-whisper ------------------------------------------------------------------------------------------


def test_whisper_falling_back_from_fp16_says_the_gpu_went_unused_without_naming_a_cause_it_cannot_know() -> None:
    result = explain_text("/venv/lib/site-packages/whisper/transcribe.py:114: UserWarning: FP16 is not supported on CPU; "
                          "using FP32 instead\n  warnings.warn(\"FP16 is not supported on CPU; using FP32 instead\")\n")
    assert result.gpu_used is False
    assert {f.id for f in result.findings} == {"LOG104"}  # ranked as "unused, no line says why"
    # With the platform and the PyTorch version shown, the same ranking as any other "torch has no GPU" answer.
    assert codes("torch 2.1.0\nUserWarning: FP16 is not supported on CPU; using FP32 instead\n")[0] == "FRAMEWORK_CPU_BUILD"


def test_whisper_on_the_cpu_while_cuda_is_available_is_the_callers_choice() -> None:
    text = ("UserWarning: Performing inference on CPU when CUDA is available\n"
            "UserWarning: FP16 is not supported on CPU; using FP32 instead\n")
    assert codes(text) == ["CODE_FORCES_CPU"]


def test_whisper_lines_that_do_not_say_the_model_is_on_the_cpu_stay_quiet() -> None:
    # Whisper's own progress and its English-only notice say nothing about the device.
    assert explain_text("Detecting language using up to the first 30 seconds. Use `--language` to specify the language\n"
                        "Detected language: English\n").gpu_used is None
    # Code that silences the warning is not the warning.
    assert report('warnings.filterwarnings("ignore", message="FP16 is not supported on GPU")\n').causes == []


# --- xFormers ------------------------------------------------------------------------------------------------


def test_xformers_naming_a_cpu_torch_as_the_installed_one_is_a_cpu_build() -> None:
    text = ("WARNING[XFORMERS]: xFormers can't load C++/CUDA extensions. xFormers was built for:\n"
            "    PyTorch 2.0.1+cu118 with CUDA 1108 (you have 2.0.1+cpu)\n"
            "    Python  3.10.11 (you have 3.10.11)\n")
    assert codes(text)[0] == "FRAMEWORK_CPU_BUILD"
    assert "LOG-APP-XFORMERS-CPU-TORCH" in _ids(text)


def test_xformers_built_for_another_cuda_torch_does_not_say_pytorch_is_a_cpu_build() -> None:
    text = ("WARNING[XFORMERS]: xFormers can't load C++/CUDA extensions. xFormers was built for:\n"
            "    PyTorch 2.1.0+cu121 with CUDA 1201 (you have 2.1.0+cu118)\n")
    assert "LOG-APP-XFORMERS-CPU-TORCH" not in _ids(text)
    assert "FRAMEWORK_CPU_BUILD" not in codes(text)
