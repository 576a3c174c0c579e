"""accbrought (session 38): a library the framework's own install should have brought (pip's nvidia-* wheels) fails to load.

The install facts the log shows rank missing / off the loader's path / another version (knowledge.brought, called from
knowledge.libraries.library_failure_cause); the reading says the one check that decides. Real lines carry their public
source. Each reading has a case where it speaks and one where it stays quiet.
"""

from __future__ import annotations

from tests.log_text import codes, facts, report

from whygpu.explain.brought import install_fact, install_facts_of
from whygpu.knowledge.brought import FrameworkInstall, brought_library_cause, brought_stem


def _title(text: str) -> str:
    found = report(text).findings
    return found[0].title if found else ""


def _decide(text: str) -> str:
    return " ".join(f.fix for f in report(text).findings)


# --- the framework release shown brings the file: missing first, off the path second, with pip list to decide ---------------

# https://github.com/pytorch/pytorch/issues/89417 (torch 1.13.0 from PyPI installed through setup.py; the wheel's nvidia-*
# dependencies were not there)
TORCH_113 = """import torch
OSError: libcublas.so.11: cannot open shared object file: No such file or directory
python 3.10.6
torch==1.13.0
linux x86_64
"""


def test_torch_release_that_brings_the_file_ranks_missing_first() -> None:
    assert codes(TORCH_113)[:2] == ["CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH"]
    assert "nvidia-* wheel" in _title(TORCH_113)
    assert "pip list | grep nvidia-" in _decide(TORCH_113)
    assert "import nvidia.cublas" in _decide(TORCH_113)


def test_another_major_than_the_build_brings_is_not_read_as_brought() -> None:
    # torch 2.4.0 from PyPI is a CUDA 12 build: libcublas.so.11 is not one of its wheels' files (another package asks for it).
    text = "torch==2.4.0\nImportError: libcublas.so.11: cannot open shared object file: No such file or directory\n"
    assert "nvidia-* wheel" not in _title(text)


def test_no_framework_shown_stays_with_the_line_reading() -> None:
    text = "ImportError: libcudnn.so.9: cannot open shared object file: No such file or directory\n"
    assert "nvidia-* wheel" not in _title(text) and "--no-deps" not in _title(text)


def test_windows_builds_carry_their_libraries() -> None:
    text = "torch==2.4.0\nplatform: Windows 10\nOSError: libcublas.so.12: cannot open shared object file: No such file or directory\n"
    assert "nvidia-* wheel" not in _title(text)


# --- the install facts ---------------------------------------------------------------------------------------------------------

# The failing line of https://github.com/sgl-project/sglang/pull/22719 (CI's `pip install --no-deps nvidia_cudnn_cu12-...whl`).
NO_DEPS = """$ pip install --no-deps torch==2.4.0
>>> import torch
ImportError: libcudnn.so.9: cannot open shared object file: No such file or directory
"""


def test_no_deps_install_ranks_cudnn_missing() -> None:
    assert codes(NO_DEPS)[:2] == ["CUDNN_MISSING", "CUDA_LIBS_NOT_ON_PATH"]
    assert "--no-deps" in _title(NO_DEPS)
    assert facts(NO_DEPS).wheel_install[0].value == "no_deps"


def test_advice_to_use_no_deps_is_not_an_install() -> None:
    line = "you could try pip install --no-deps torch==2.4.0"
    assert install_fact(line, line.lower()) is None


def test_uninstalled_wheel_ranks_missing() -> None:
    text = "$ pip uninstall -y nvidia-cublas-cu12\ntorch 2.3.1\nOSError: libcublas.so.12: cannot open shared object file: No such file or directory\n"
    assert codes(text)[0] == "CUDA_LIBS_MISSING"
    assert "uninstalled" in _title(text)


def test_tensorflow_without_and_cuda() -> None:
    # The dso_loader line of https://github.com/tensorflow/tensorflow/issues/60854 (the release pinned here is 2.15).
    line = ("W tensorflow/compiler/xla/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library "
            "'libcudnn.so.8'; dlerror: libcudnn.so.8: cannot open shared object file: No such file or directory\n")
    plain = "$ pip install tensorflow==2.15.0\n" + line
    assert codes(plain)[0] == "CUDNN_MISSING"
    assert "[and-cuda]" in _title(plain)
    extra = "$ pip install tensorflow[and-cuda]==2.15.0\n$ pip install tensorflow==2.15.0\n" + line
    assert "[and-cuda] extra" not in _title(extra)


def test_jax_local_variant_ranks_off_the_path_first() -> None:
    text = ('$ pip install -U "jax[cuda12_local]"\n'
            "Could not load library libcublasLt.so.12. Error: libcublasLt.so.12: cannot open shared object file: No such file or directory\n")
    assert codes(text)[0] == "CUDA_LIBS_NOT_ON_PATH"
    assert "ldconfig -p | grep libcublaslt" in _decide(text)


def test_two_majors_of_wheels_rank_mismatch() -> None:
    install = FrameworkInstall("torch", True, install_facts_of([], False, True), "12", "9")
    reading = brought_library_cause("libcublas.so.12", install, "12")
    assert reading is not None and reading.cause == "CUDA_LIBS_MISMATCH"


# --- the decision's edges ----------------------------------------------------------------------------------------------------


def test_release_that_does_not_load_wheels_is_not_read() -> None:
    # TensorFlow 2.12 loads no nvidia-* wheels by itself (ruleouts.toml's pip_wheels rows).
    assert brought_library_cause("libcudnn.so.8", FrameworkInstall("tensorflow", False, ("no_deps",), "11", "8"), "8") is None


def test_a_file_the_framework_does_not_bring() -> None:
    assert brought_library_cause("libnvinfer.so.8", FrameworkInstall("tensorflow", True, (), "12", "8"), "8") is None


def test_nothing_known_of_release_or_install_is_not_read() -> None:
    assert brought_library_cause("libcudnn.so.9", FrameworkInstall("torch", None, (), "", ""), "9") is None


def test_other_frameworks_variant_facts_do_not_speak() -> None:
    assert brought_library_cause("libcudnn.so.9", FrameworkInstall("torch", None, ("local_variant", "extra_left_out"), "", ""), "9") is None


def test_stems() -> None:
    assert brought_stem("libcublasLt.so.12") == "cublaslt"
    assert brought_stem("libcudnn_cnn_infer.so.8") == "cudnn_cnn_infer"
    assert brought_stem("cudnn64_9.dll") == "cudnn"


def test_another_programs_load_line_is_not_the_frameworks() -> None:
    # https://github.com/fudan-generative-vision/champ/issues/95: onnxruntime's CUDA provider asks for its own CUDA's cuBLAS.
    text = ("torch==2.1.0+cu118\n"
            "Failed to load library libonnxruntime_providers_cuda.so with error: libcublasLt.so.11: cannot open shared object file: "
            "No such file or directory.\n")
    assert "nvidia-* wheel" not in _title(text)


# https://github.com/mayooear/private-chatbot-mpt30b-langchain/issues/4: torch's own preload of its CUDA libraries fails.
PRELOAD = """Traceback (most recent call last):
  File "/home/skhani/anaconda3/envs/llm/lib/python3.11/site-packages/torch/__init__.py", line 168, in _load_global_deps
    ctypes.CDLL(lib_path, mode=ctypes.RTLD_GLOBAL)
  File "/home/skhani/anaconda3/envs/llm/lib/python3.11/ctypes/__init__.py", line 376, in __init__
    self._handle = _dlopen(self._name, mode)
OSError: libcufft.so.10: cannot open shared object file: No such file or directory
"""


def test_torch_preloading_its_libraries_is_a_torch_that_brings_them() -> None:
    assert codes(PRELOAD)[0] == "CUDA_LIBS_MISSING"
    assert "nvidia-* wheel" in _title(PRELOAD)


def test_torch_import_without_the_preload_frame_is_not_read() -> None:
    text = '  File "/x/site-packages/torch/__init__.py", line 9, in <module>\nOSError: libcufft.so.10: cannot open shared object file: No such file or directory\n'
    assert "nvidia-* wheel" not in _title(text)


# https://github.com/pytorch/pytorch/issues/144433 (Amazon Linux 2023: torch in lib64/site-packages, the wheels in lib/).
SPLIT = """install torch=2.6.0
>>> import torch
  File "/usr/local/lib64/python3.9/site-packages/torch/__init__.py", line 379, in <module>
    from torch._C import *  # noqa: F403
ImportError: libcusparseLt.so.0: cannot open shared object file: No such file or directory
"""


def test_torch_under_lib64_ranks_off_the_path_first() -> None:
    assert codes(SPLIT)[0] == "CUDA_LIBS_NOT_ON_PATH"
    assert "lib64" in _title(SPLIT)


def test_torch_under_lib_is_not_the_split() -> None:
    text = SPLIT.replace("/lib64/", "/lib/")
    assert "lib64" not in _title(text)
