"""Ranking causes by what else the log shows, each by a counted base rate (knowledge/priors.toml; session 21, accrank4)."""

from __future__ import annotations

import pytest

from log_text import codes
from whygpu.knowledge.priors import undecided_prior

# libcudnn itself, of major 8 or later, failing to load, as different loaders print it (written for the class).
CUDNN_NEW = [
    "ImportError: libcudnn.so.9: cannot open shared object file: No such file or directory\n",
    "OSError: libcudnn.so.8: cannot open shared object file: No such file or directory\n",
    "[E:onnxruntime:Default, provider_bridge_ort.cc:1548 TryGetProviderInfo_CUDA] Failed to load library "
    "libonnxruntime_providers_cuda.so with error: libcudnn.so.9: cannot open shared object file: No such file or directory\n",
    "W dso_loader.cc:64] Could not load dynamic library 'libcudnn.so.8'; dlerror: libcudnn.so.8: cannot open shared object file: No such file or directory\n",
    "Could not load dynamic library 'cudnn64_8.dll'; dlerror: cudnn64_8.dll not found\n",
]
# The same failure for cuDNN 6 and 7: the other half of the count (another major installed, 4 of 4).
CUDNN_OLD = [
    "Could not load dynamic library 'libcudnn.so.7'; dlerror: libcudnn.so.7: cannot open shared object file: No such file or directory\n",
    "ImportError: libcudnn.so.6: cannot open shared object file: No such file or directory\n",
    "Could not load dynamic library 'cudnn64_7.dll'; dlerror: cudnn64_7.dll not found\n",
]


@pytest.mark.parametrize("line", CUDNN_NEW)
def test_cudnn_8_or_later_with_no_cudnn_shown_is_missing_first(line: str) -> None:
    got = codes("Running inference on the server\n" + line)
    assert got[0] == "CUDNN_MISSING"
    assert "CUDNN_MISMATCH" in got[:3]  # still listed: a cuDNN the log does not show may be another major


@pytest.mark.parametrize("line", CUDNN_OLD)
def test_cudnn_7_or_earlier_keeps_another_major_first(line: str) -> None:
    assert codes(line)[0] == "CUDNN_MISMATCH"


@pytest.mark.parametrize("shown", [
    "nvidia-cudnn-cu12        9.1.0.70\n",         # pip's wheel of another major, listed
    "pip install torch==2.5.1+cu124\n",             # a PyTorch build that brings cuDNN 9
])
def test_another_cudnn_major_shown_decides_mismatch(shown: str) -> None:
    line = "OSError: libcudnn.so.8: cannot open shared object file: No such file or directory\n"
    assert codes(shown + line)[0] == "CUDNN_MISMATCH"


def test_the_row_reads_the_soname_major_only() -> None:
    open_ = ("CUDNN_MISMATCH", "CUDA_LIBS_NOT_ON_PATH")
    # Major 8 or later: the line's own reading (missing) stands; earlier or unversioned: the general row (another major first).
    for file in ("libcudnn.so.8", "libcudnn.so.9", "cudnn64_9.dll", "libcudnn.so.10"):
        assert undecided_prior("CUDNN_MISSING", open_, file=file) is None
    for file in ("libcudnn.so.7", "cudnn64_6.dll", "libcudnn.so"):
        row = undecided_prior("CUDNN_MISSING", open_, file=file)
        assert row is not None and row.ranking[0] == "CUDNN_MISMATCH"


@pytest.mark.parametrize("text", [
    "Does onnxruntime-gpu 1.19 need libcudnn.so.9, or is libcudnn.so.8 enough?\n",                # a question
    "Install cuDNN 9 (libcudnn.so.9) before running, onnxruntime-gpu 1.19 loads it.\n",              # advice
    "if not ctypes.util.find_library('cudnn'): print('libcudnn.so.9 missing')\n",                     # a condition in code
    "I tensorflow/stream_executor/platform/default/dso_loader.cc:49] Successfully opened dynamic library libcudnn.so.8\n",  # benign
])
def test_no_cudnn_cause_where_no_load_failed(text: str) -> None:
    assert not any(c.startswith("CUDNN") for c in codes(text))
