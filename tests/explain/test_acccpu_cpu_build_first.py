"""acccpu (session 34): FRAMEWORK_CPU_BUILD named first only where the evidence decides it.

Each reading here has a case where it speaks and one where it stays quiet; the positive evidence of a CPU build keeps the
CPU build first.
"""

from __future__ import annotations

import pytest
from tests.log_text import codes, facts, first_cause, report

from whygpu.explain.cupyshown import cupy_for_cuda
from whygpu.explain.hwstated import machine_gpu_said
from whygpu.explain.where import visible_devices_set
from whygpu.knowledge.priors import lead_decided
from whygpu.model import Confidence

# thinc's message (thinc/util.py require_gpu), with spaCy installed with its CuPy extra (github.com/explosion/thinc/issues/467).
THINC = ('    raise ValueError("GPU is not accessible. Was the library installed correctly?")\n'
         "ValueError: GPU is not accessible. Was the library installed correctly?\n")


# --- CuPy for CUDA shown installed: thinc's "GPU is not accessible" is CuPy failing to reach the GPU ------------------

@pytest.mark.parametrize("line, value", [
    ("I installed spacy by `pip install spacy[cuda101]` - so when I try to execute:", "spacy[cuda101]"),
    ("pip install -U spacy-nightly[cuda110,transformers,lookups] --pre", "spacy[cuda110]"),
    ("its dependence - cupy-cuda-101 (ver 8.4.0).", "cupy-cuda101"),
    ("cupy-cuda12x             13.0.0", "cupy-cuda12x"),
])
def test_a_cupy_for_cuda_shown_installed_is_read(line: str, value: str) -> None:
    assert cupy_for_cuda(line) == value


@pytest.mark.parametrize("line", [
    "ERROR: Could not find a version that satisfies the requirement cupy-cuda101",   # pip failed: nothing installed
    "Do I need cupy-cuda11x or cupy-cuda12x?",                                        # a question
    "pip install cupy",                                                               # no CUDA release named
    "spacy[transformers] installed",                                                  # no CUDA extra
])
def test_a_cupy_named_without_being_installed_is_not_read(line: str) -> None:
    assert cupy_for_cuda(line) is None


def test_thinc_without_cupy_shown_keeps_the_cpu_only_install_first() -> None:
    assert first_cause("import spacy\nspacy.require_gpu()\n" + THINC) == "FRAMEWORK_CPU_BUILD"


def test_thinc_with_cupy_shown_installed_names_cupy_failing_not_the_cpu_install() -> None:
    text = "I installed spacy by `pip install spacy[cuda101]`\nspacy.require_gpu()\n" + THINC
    ranked = codes(text)
    assert ranked[0] == "CUDA_LIBS_MISSING" and "FRAMEWORK_CPU_BUILD" not in ranked
    assert report(text).causes[0].confidence is Confidence.LOW
    assert "cupy.cuda.runtime.getDeviceCount()" in report(text).causes[0].fix   # what decides


# --- the writer's own GPU said not to be NVIDIA's ------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "Hi! My GPU is unfortunately not by nvidia and so its not possible to compile torch with cuda.",
    "my graphics card is not an NVIDIA one",
    "my card isn't NVIDIA's",
])
def test_the_writers_gpu_said_not_nvidias_is_another_makers(line: str) -> None:
    said = machine_gpu_said(line)
    assert said is not None and said[0] == "other"


@pytest.mark.parametrize("line", [
    "My GPU is an NVIDIA RTX 3060",
    "my GPU is not detected by nvidia-smi",
    "Is my GPU not from NVIDIA?",
    "if my GPU is not NVIDIA, can I use it?",
])
def test_an_nvidia_gpu_a_program_or_a_question_is_not_another_maker(line: str) -> None:
    said = machine_gpu_said(line)
    assert said is None or said[0] != "other"


def test_a_gpu_said_not_nvidias_names_gpu_not_supported_before_the_cpu_build() -> None:
    assert first_cause("CUDA unavailable\nMy GPU is unfortunately not by nvidia, so torch.cuda.is_available() is False.\n") == "GPU_NOT_SUPPORTED"


# --- macOS named in an environment template's OS field -------------------------------------------------------------

def test_an_os_field_naming_the_mac_is_macos() -> None:
    text = "- OS: mac 13.0\nAssertionError: Torch not compiled with CUDA enabled\n"
    assert facts(text).platform_name() == "darwin"
    assert first_cause(text) == "NO_GPU"


@pytest.mark.parametrize("text", [
    "- OS: Windows 10\nAssertionError: Torch not compiled with CUDA enabled\n",
    "DOS: mac address table full\nAssertionError: Torch not compiled with CUDA enabled\n",
])
def test_without_the_mac_the_cpu_build_stays_first(text: str) -> None:
    assert first_cause(text) == "FRAMEWORK_CPU_BUILD"


# --- CUDA_VISIBLE_DEVICES set right after CJK prose ----------------------------------------------------------------

def test_cuda_visible_devices_written_after_chinese_words_is_set() -> None:
    assert visible_devices_set("v0.2.4版本, 执行CUDA_VISIBLE_DEVICES=5 python startup.py -a") == [("5", "CUDA_VISIBLE_DEVICES=5")]
    assert first_cause("执行CUDA_VISIBLE_DEVICES=5 python startup.py -a, 查看日志发现使用的是CPU") == "GPU_HIDDEN"


@pytest.mark.parametrize("line", ["MY_CUDA_VISIBLE_DEVICES=1 python x.py", "xCUDA_VISIBLE_DEVICES=1"])
def test_a_longer_name_ending_in_the_variable_is_not_it(line: str) -> None:
    assert visible_devices_set(line) == []


# --- a base rate that does not single out its lead -----------------------------------------------------------------

def test_a_lead_wrong_as_often_as_right_is_not_singled_out() -> None:
    # PyTorch's row as recounted: the CPU build 20 of 42, the next 4: twice the next, but not more than all the others.
    assert not lead_decided({"counts": {"A": 20, "B": 4, "C": 3, "D": 15}}, "A", ["B", "C"])[0]
    assert lead_decided({"counts": {"A": 20, "B": 4, "C": 3, "D": 8}}, "A", ["B", "C"])[0]       # 20 of 35


def test_pytorchs_no_gpu_answer_alone_ranks_the_cpu_build_first_with_what_decides_not_confidently() -> None:
    cause = report(">>> torch.cuda.is_available()\nFalse\n").causes[0]
    assert cause.code == "FRAMEWORK_CPU_BUILD" and cause.confidence is Confidence.LOW
    assert "torch.version.cuda" in cause.fix   # the check that decides


@pytest.mark.parametrize("text", [
    ">>> import torch\n>>> torch.__version__\n'2.1.0+cpu'\n>>> torch.cuda.is_available()\nFalse\n",
    "AssertionError: Torch not compiled with CUDA enabled\n",
    ">>> tf.test.is_built_with_cuda()\nFalse\n",
])
def test_positive_evidence_of_a_cpu_build_keeps_it_first(text: str) -> None:
    assert first_cause(text) == "FRAMEWORK_CPU_BUILD"
