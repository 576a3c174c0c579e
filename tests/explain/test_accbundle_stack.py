"""accbundle (session 27): two programs in one environment that want different cuDNN (or CUDA) majors (LOG240 with
knowledge.programs.release_needs): a failed library of the major one program wants, while another (PyTorch, which brings its
cuDNN; tensorflow[and-cuda]) brings the other major, is a MISMATCH ranked above MISSING; quiet with one program, agreeing majors,
a CPU PyTorch, or the wanted library shown loaded.

The lines are written from the programs' own message formats (CTranslate2's "Could not load library ...", its cuDNN 9
loader's "Unable to load any of {...}", ONNX Runtime's provider bridge, TensorFlow's dso_loader) and from pip's listings.
"""

from __future__ import annotations

import pytest

from whygpu.explain import explain_text, to_report

CT2_8 = "Could not load library libcudnn_ops_infer.so.8. Error: libcudnn_ops_infer.so.8: cannot open shared object file: No such file or directory"
CT2_9 = "Unable to load any of {libcudnn_cnn.so.9.1.0, libcudnn_cnn.so.9.1, libcudnn_cnn.so.9, libcudnn_cnn.so}"
ORT_9 = ("[E:onnxruntime:Default, provider_bridge_ort.cc:1978 TryGetProviderInfo_CUDA] [ONNXRuntimeError] : 1 : FAIL : Failed to load library "
         "libonnxruntime_providers_cuda.so with error: libcudnn.so.9: cannot open shared object file: No such file or directory")
TF_8 = ("W tensorflow/compiler/xla/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library 'libcudnn.so.8'; "
        "dlerror: libcudnn.so.8: cannot open shared object file: No such file or directory")


def _report(text: str):  # type: ignore[no-untyped-def]
    return to_report(explain_text(text))


def _first(text: str) -> str | None:
    causes = _report(text).causes
    return causes[0].code if causes else None


def _fired(text: str) -> bool:
    return any(f.id == "LOG240" for f in explain_text(text).findings)


@pytest.mark.parametrize("text", [
    # pip list columns; the cuDNN 8-only library CTranslate2 4.4 loads; PyTorch 2.5 brings cuDNN 9.
    f"Package          Version\n---------------- -------\nctranslate2      4.4.0\nfaster-whisper   1.0.3\ntorch            2.5.1\n\n{CT2_8}\nAborted (core dumped)\n",
    # requirement pins, the other way round: CTranslate2 4.5 wants cuDNN 9, PyTorch 2.3 brings 8.
    f"torch==2.3.1\nctranslate2==4.5.0\n{CT2_9}\nInvalid handle. Cannot load symbol cudnnCreateConvolutionDescriptor\n",
    # the writer's prose, and the library named without its version (only cuDNN 8 has libcudnn_ops_infer).
    "I have torch 2.5.1 and ctranslate2 4.4.0 installed in the same venv.\n"
    "Error: libcudnn_ops_infer.so: cannot open shared object file: No such file or directory\n",
    # ONNX Runtime 1.19 (cuDNN 9) beside PyTorch 2.3 (cuDNN 8).
    f"onnxruntime-gpu 1.19.2\ntorch 2.3.0\n{ORT_9}\n",
    # TensorFlow's tested build (cuDNN 8.9 for 2.15) beside PyTorch 2.4 (cuDNN 9), by the very library it failed to load.
    f"tensorflow 2.15.0\ntorch 2.4.0\n{TF_8}\n",
    # Windows, where the PyTorch build is named by its CUDA tag.
    "torch 2.5.1+cu121\nctranslate2 4.4.0\nCould not locate cudnn_ops_infer64_8.dll. Please make sure it is in your library path!\n",
])
def test_two_programs_wanting_different_cudnn_majors_rank_mismatch_first(text: str) -> None:
    assert _fired(text)
    assert _first(text) == "CUDNN_MISMATCH"


def test_the_fix_names_both_releases_and_the_ones_that_agree() -> None:
    text = f"ctranslate2==4.4.0\ntorch==2.5.1\n{CT2_8}\n"
    first = _report(text).causes[0]
    assert first.code == "CUDNN_MISMATCH"
    assert "ctranslate2 4.4.0" in first.title and "2.5.1" in first.title
    assert "ctranslate2 >=4.5,<5" in first.fix  # CTranslate2 built for the cuDNN PyTorch brings
    assert "torch >=1.7,<2.4" in first.fix  # or the PyTorch that brings the cuDNN CTranslate2 wants


def test_a_cuda_major_implied_by_every_variant_of_a_release_is_judged_too() -> None:
    # CTranslate2 4.1 is a CUDA 12 build; PyTorch 2.0 was published for CUDA 11.7 and 11.8 only.
    text = "ctranslate2==4.1.0\ntorch==2.0.1\nRuntimeError: Library libcublas.so.12 is not found or cannot be loaded\n"
    assert _fired(text)
    assert _first(text) == "CUDA_LIBS_MISMATCH"


@pytest.mark.parametrize("text", [
    # one program only: nothing says another major is there
    f"ctranslate2 4.4.0\n{CT2_8}\n",
    # the majors agree (PyTorch 2.5 and CTranslate2 4.5 both cuDNN 9): the library is off the path or missing, not mismatched
    "torch 2.5.1\nctranslate2 4.5.0\nUnable to load any of {libcudnn_ops.so.9.1.0, libcudnn_ops.so.9.1, libcudnn_ops.so.9, libcudnn_ops.so}\n",
    # a CPU PyTorch brings no cuDNN
    f"torch 2.5.1+cpu\nctranslate2 4.4.0\n{CT2_8}\n",
    # PyTorch named without its build on Windows, where PyPI's wheel has no CUDA
    "torch 2.5.1\nctranslate2 4.4.0\nCould not locate cudnn_ops_infer64_8.dll. Please make sure it is in your library path!\n",
    # the library of the wanted major is shown loaded
    "torch 2.5.1\nctranslate2 4.4.0\nSuccessfully opened dynamic library libcudnn_ops_infer.so.8\n"
    "Could not load library libcudnn_cnn_infer.so.8. Error: libcudnn_cnn_infer.so.8: cannot open shared object file: No such file or directory\n",
    # advice is not the environment's state
    f"torch 2.5.1\nTry pip install ctranslate2==4.4.0 instead\n{CT2_8}\n",
    # TensorFlow 2.15 (cuDNN 8) beside PyTorch 2.1 (cuDNN 8): they agree
    f"tensorflow 2.15.0\ntorch 2.1.0\n{TF_8}\n",
    # no library failed to load
    "torch 2.5.1\nctranslate2 4.4.0\nTranscription finished in 12.3 s\n",
])
def test_quiet_where_the_stack_does_not_say_two_majors(text: str) -> None:
    assert not _fired(text)
