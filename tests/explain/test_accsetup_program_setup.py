"""accsetup (session 34): programs' own CUDA setup lines read as one layer's state (knowledge/program_setup.toml,
explain/setupstate.py, explain/setuprules.py LOG555): bitsandbytes' CUDA setup and xFormers' check of the torch it was built for.

Real lines carry their public source in a comment; each state has a case where it speaks and the same lines of a healthy run,
or without the mark that decides, stay quiet."""

from __future__ import annotations

import re

import pytest
from tests.log_text import facts, report

from whygpu.explain.setupstate import setup_marks
from whygpu.knowledge.causes import is_cause_code
from whygpu.knowledge.program_setup import decide, program_needles, setup_lines, setup_states


def _setup(text: str) -> list[tuple[str, str, str]]:
    """(code, cause, title) of each LOG555 finding in the report of ``text``."""
    r = report(text)
    return [(f.id, f.cause, f.title) for f in r.findings if f.id == "LOG555"]


def _first(text: str) -> str | None:
    r = report(text)
    return r.causes[0].code if r.causes else None


# --- the table ------------------------------------------------------------------------------------------------------

def test_every_line_row_matches_its_own_example_and_holds_its_needle() -> None:
    for row in setup_lines():
        assert row.needle in row.example.lower(), row.mark
        assert row.source.startswith("https://")
        # (a program's lines are read where the whole log holds one of its needles: its name or its setup's banner)
        text = f"{program_needles()[row.program][0]}\n{row.example}"
        marks = [m for m, _ in setup_marks(text, text.split("\n")) if m.program == row.program and m.mark == row.mark]
        assert marks, (row.program, row.mark, row.example)


def test_every_state_names_known_causes_and_marks_the_table_or_its_values_set() -> None:
    marks = {row.mark for row in setup_lines()} | {"source_build", "torch_cpu", "torch_differs"}
    for state in setup_states():
        assert is_cause_code(state.cause) and all(is_cause_code(a) for a in state.also), state.id
        assert set(state.needs) <= marks and set(state.unless) <= marks, state.id
        assert state.source.startswith("https://")


@pytest.mark.parametrize("marks", [
    {"binary_missing": ["libbitsandbytes_cuda122.so"]},
    {"binary_missing": ["/x/site-packages/bitsandbytes/libbitsandbytes_cuda102_nocublaslt.so"], "detected_cuda": ["102"]},
    {"binary_missing": ["/home/u/bitsandbytes/bitsandbytes/libbitsandbytes_cuda121.so"]},
    {"no_native_library": ["/src/bitsandbytes/libbitsandbytes_cpu.so"]},
    {"native_windows": ["argument of type 'WindowsPath' is not iterable"]},
    {"library_missing": ["libcusparse.so.11"]},
    {"runtime_none": ["libcudart.so"]},
])
def test_bitsandbytes_texts_never_hold_placeholders(marks: dict[str, list[str]]) -> None:
    decision = decide("bitsandbytes", marks)
    assert decision is not None
    for text in (decision.meaning, decision.fix, decision.decide):
        assert "{" not in text and not re.search(r"\b(?:CUDA|version|release|torch|cu) ?None\b|\s\?(?:\s|$)", text), text


@pytest.mark.parametrize("built_for", ["2.1.2+cu121|1201|2.1.2+cpu", "2.1.0+cu121|1201|2.0.1+cu118", "2.0.1+cu118|1108|1.13.1", "2.0.1|1106|2.0.1+cpu"])
def test_xformers_texts_never_hold_placeholders(built_for: str) -> None:
    decision = decide("xFormers", {"built_for": [built_for]})
    assert decision is not None
    for text in (decision.meaning, decision.fix, decision.decide):
        assert "{" not in text and "None" not in text and "whl/ " not in text, text


# --- bitsandbytes ---------------------------------------------------------------------------------------------------

# https://github.com/bitsandbytes-foundation/bitsandbytes/issues/427 (the setup lines; there a source build)
_NO_BINARY = """CUDA_SETUP: WARNING! libcudart.so not found in any environmental path. Searching in backup paths...
CUDA SETUP: CUDA runtime path found: /usr/local/cuda/lib64/libcudart.so
CUDA SETUP: Highest compute capability among GPUs detected: 7.5
CUDA SETUP: Detected CUDA version 121
CUDA SETUP: Required library version not found: libbitsandbytes_cuda121.so. Maybe you need to compile it from source?
CUDA SETUP: Defaulting to libbitsandbytes_cpu.so...
"""


def test_a_release_without_the_binary_for_the_detected_cuda_is_a_mismatch() -> None:
    found = _setup(_NO_BINARY)
    assert [c for _, c, _ in found] == ["CUDA_LIBS_MISMATCH"]
    assert "libbitsandbytes_cuda121.so for the CUDA 12.1" in found[0][2]
    assert _first(_NO_BINARY) == "CUDA_LIBS_MISMATCH"


def test_the_same_binary_missing_from_a_source_checkout_is_the_build() -> None:
    # https://github.com/bitsandbytes-foundation/bitsandbytes/issues/427: "bin" names the package's directory, a checkout.
    text = "bin /home/ubuntu/bitsandbytes/bitsandbytes/libbitsandbytes_cuda121.so\nFalse\n" + _NO_BINARY
    assert [c for _, c, _ in _setup(text)] == ["FRAMEWORK_INSTALL_BROKEN"]
    # The signature that reads the line alone (LOG-BNB-SETUP-NO-BINARY-FOR-CUDA, a release without the binary) yields to it.
    assert _first(text) == "FRAMEWORK_INSTALL_BROKEN"


def test_a_cuda_below_11_is_said_to_have_no_binary_in_any_release() -> None:
    # https://github.com/bitsandbytes-foundation/bitsandbytes/issues/216
    text = ("CUDA SETUP: CUDA runtime path found: /usr/local/cuda/lib64/libcudart.so\nCUDA SETUP: Detected CUDA version 102\n"
            "CUDA SETUP: Required library version not found: libbitsandbytes_cuda102.so. Maybe you need to compile it from source?\n")
    r = report(text)
    lead = next(f for f in r.findings if f.id == "LOG555")
    assert lead.cause == "CUDA_LIBS_MISMATCH" and "begin with CUDA 11.0" in lead.fix


def test_a_healthy_setup_stays_quiet() -> None:
    # https://github.com/bitsandbytes-foundation/bitsandbytes/issues/186: runtime found after the search, the binary for CUDA
    # 11.8 loaded (the failure that followed was the training's own).
    text = """CUDA_SETUP: WARNING! libcudart.so not found in any environmental path. Searching /usr/local/cuda/lib64...
CUDA SETUP: CUDA runtime path found: /usr/local/cuda/lib64/libcudart.so
CUDA SETUP: Highest compute capability among GPUs detected: 7.5
CUDA SETUP: Detected CUDA version 118
CUDA SETUP: Loading binary /usr/local/lib/python3.9/dist-packages/bitsandbytes/libbitsandbytes_cuda118.so...
use 8-bit AdamW optimizer | {}
"""
    assert _setup(text) == []
    assert [m.mark for m in facts(text).program_setup and [s.value for s in facts(text).program_setup]] == [
        "runtime_found", "detected_cuda", "loaded"]


def test_cuda_12_1_detected_and_its_binary_loaded_stays_quiet() -> None:
    text = ("CUDA SETUP: CUDA runtime path found: /usr/local/cuda-12.1/lib64/libcudart.so\nCUDA SETUP: Detected CUDA version 121\n"
            "CUDA SETUP: Loading binary /opt/conda/lib/python3.10/site-packages/bitsandbytes/libbitsandbytes_cuda121.so...\n")
    assert _setup(text) == []


def test_a_package_without_any_library_is_an_install_that_never_compiled() -> None:
    # https://github.com/bitsandbytes-foundation/bitsandbytes/issues/1614
    text = """Could not find the bitsandbytes CUDA binary at PosixPath('/data1/prd/bitsandbytes/bitsandbytes/libbitsandbytes_cuda121.so')
Could not load bitsandbytes native library: /data1/prd/bitsandbytes/bitsandbytes/libbitsandbytes_cpu.so: cannot open shared object file: No such file or directory
"""
    assert [c for _, c, _ in _setup(text)] == ["FRAMEWORK_INSTALL_BROKEN"]
    # The CUDA binary missing from an installed wheel, its CPU library there: the release (0.44 has no cuda128).
    wheel = "Could not find the bitsandbytes CUDA binary at PosixPath('/venv/lib/python3.11/site-packages/bitsandbytes/libbitsandbytes_cuda128.so')\n"
    assert [c for _, c, _ in _setup(wheel)] == ["CUDA_LIBS_MISMATCH"]


def test_the_linux_package_on_native_windows() -> None:
    # https://github.com/Akegarasu/lora-scripts/issues/225
    text = """CUDA_SETUP: WARNING! libcudart.so not found in any environmental path. Searching in backup paths...
The following directories listed in your path were found to be non-existent: {WindowsPath('/usr/local/cuda/lib64')}
DEBUG: Possible options found for libcudart.so: set()
CUDA SETUP: PyTorch settings found: CUDA_VERSION=118, Highest Compute Capability: 8.9.
CUDA SETUP: Loading binary D:\\lora-scripts\\venv\\Lib\\site-packages\\bitsandbytes\\libbitsandbytes_cuda118.so...
argument of type 'WindowsPath' is not iterable
"""
    assert [c for _, c, _ in _setup(text)] == ["FRAMEWORK_CPU_BUILD"]
    assert _first(text) == "FRAMEWORK_CPU_BUILD"


def test_no_runtime_found_on_linux_is_the_path() -> None:
    # https://github.com/bitsandbytes-foundation/bitsandbytes/issues/778
    text = """CUDA_SETUP: WARNING! libcudart.so not found in any environmental path. Searching in backup paths...
The following directories listed in your path were found to be non-existent: {PosixPath('/usr/local/cuda/lib64')}
DEBUG: Possible options found for libcudart.so: set()
CUDA SETUP: PyTorch settings found: CUDA_VERSION=117, Highest Compute Capability: 7.5.
"""
    assert [c for _, c, _ in _setup(text)] == ["CUDA_LIBS_NOT_ON_PATH"]
    # The same search that found the runtime in its backup paths is a healthy step.
    found = text.replace("set()", "{PosixPath('/usr/local/cuda/lib64/libcudart.so')}")
    assert _setup(found) == []


def test_a_library_its_binary_needs_missing() -> None:
    # https://github.com/bitsandbytes-foundation/bitsandbytes/issues/829
    text = """CUDA SETUP: Loading binary /home/u/kohya_ss/venv/lib/python3.10/site-packages/bitsandbytes/libbitsandbytes_cuda118.so...
libcusparse.so.11: cannot open shared object file: No such file or directory
CUDA SETUP: Problem: The main issue seems to be that the main CUDA runtime library was not detected.
"""
    found = _setup(text)
    assert [c for _, c, _ in found] == ["CUDA_LIBS_MISSING"] and "libcusparse.so.11" in found[0][2]
    # The same soname missing in a log without bitsandbytes' lines is not its setup.
    assert _setup("libcusparse.so.11: cannot open shared object file: No such file or directory\n") == []


def test_no_gpu_seen_and_the_cpu_library_alone_stay_to_the_layers_below() -> None:
    # https://github.com/tloen/alpaca-lora/issues/231 (no GPU detected: the driver layer's signatures read it)
    text = """CUDA SETUP: CUDA runtime path found: /home/u/miniconda3/envs/a/lib/libcudart.so
UserWarning: WARNING: No GPU detected! Check your CUDA paths. Proceeding to load CPU-only library...
CUDA SETUP: Detected CUDA version 117
CUDA SETUP: Loading binary /home/u/miniconda3/envs/a/lib/python3.10/site-packages/bitsandbytes/libbitsandbytes_cpu.so...
"""
    assert _setup(text) == []
    # https://github.com/SAI990323/TALLRec/issues/27: the warning alone says no why.
    alone = "UserWarning: The installed version of bitsandbytes was compiled without GPU support. 8-bit optimizers, 8-bit multiplication, and GPU quantization are unavailable.\n"
    assert _setup(alone) == []


# --- xFormers -------------------------------------------------------------------------------------------------------

def test_xformers_built_for_cuda_torch_with_torch_cpu_installed() -> None:
    # https://github.com/invoke-ai/InvokeAI/issues/4788
    text = """WARNING[XFORMERS]: xFormers can't load C++/CUDA extensions. xFormers was built for:
    PyTorch 2.0.1+cu118 with CUDA 1108 (you have 2.0.1+cpu)
    Python  3.10.11 (you have 3.10.11)
  Please reinstall xformers (see https://github.com/facebookresearch/xformers#installing-xformers)
"""
    r = report(text)
    lead = next(f for f in r.findings if f.id == "LOG555")
    assert lead.cause == "FRAMEWORK_CPU_BUILD" and "pip install torch==2.0.1 --index-url https://download.pytorch.org/whl/cu118" in lead.fix
    assert r.causes[0].code == "FRAMEWORK_CPU_BUILD"


def test_xformers_built_for_another_torch() -> None:
    # https://github.com/Engineer-of-Stuff/stable-diffusion-paperspace/issues/111
    text = """WARNING[XFORMERS]: xFormers can't load C++/CUDA extensions. xFormers was built for:
PyTorch 2.1.0+cu121 with CUDA 1201 (you have 2.0.1+cu118)
Python  3.10.13 (you have 3.10.10)
"""
    found = _setup(text)
    assert [c for _, c, _ in found] == ["FRAMEWORK_INSTALL_BROKEN"]
    assert "2.1.0+cu121" in found[0][2] and "2.0.1+cu118" in found[0][2]


def test_xformers_built_for_the_torch_installed_stays_quiet() -> None:
    # The same release on both sides with no CUDA tag (https://github.com/Vchitect/SEINE/issues/21, a Mac): nothing here says
    # which build differs; and only Python differing is not the GPU's.
    text = """WARNING[XFORMERS]: xFormers can't load C++/CUDA extensions. xFormers was built for:
    PyTorch 2.0.1 with CUDA 1106 (you have 2.0.1)
    Python  3.9.16 (you have 3.9.16)
"""
    assert _setup(text) == []
    same = text.replace("2.0.1 with CUDA 1106 (you have 2.0.1)", "2.1.0+cu121 with CUDA 1201 (you have 2.1.0+cu121)")
    assert _setup(same) == []


def test_xformers_built_for_another_torch_on_a_run_on_the_gpu_stays_quiet() -> None:
    # https://github.com/Comfy-Org/ComfyUI-Manager/issues/926 (a corpus negative): a Tesla T4 in use, xFormers built for torch
    # 2.4.0 beside 2.3.1; ComfyUI goes on with PyTorch's own attention.
    text = """Total VRAM 15102 MB, total RAM 52217 MB
pytorch version: 2.3.1+cu121
WARNING[XFORMERS]: xFormers can't load C++/CUDA extensions. xFormers was built for:
    PyTorch 2.4.0+cu121 with CUDA 1201 (you have 2.3.1+cu121)
    Python  3.10.14 (you have 3.10.12)
xformers version: 0.0.27.post2
Device: cuda:0 Tesla T4 : cudaMallocAsync
"""
    assert _setup(text) == []
    assert report(text).causes == [] or report(text).causes[0].code != "FRAMEWORK_INSTALL_BROKEN"
