"""Golden files for the text and Markdown renderings of an explain report (regenerate with --update-golden)."""

from __future__ import annotations

from pathlib import Path

import pytest

from golden import check_golden
from whygpu.explain import explain_text, to_report
from whygpu.render.interface import Format, render

GOLDEN = Path(__file__).parent / "golden"
# A TensorFlow 2.3 run on a machine with CUDA 11.0 (https://github.com/tensorflow/tensorflow/issues/42162)
# with the start-up notices users worry about (https://github.com/kr-colab/ReLERNN/issues/63).
LOG = """\
2020-08-08 23:41:49.300000: I tensorflow/core/platform/cpu_feature_guard.cc:142] This TensorFlow binary is optimized with oneAPI Deep Neural Network Library (oneDNN)to use the following CPU instructions in performance-critical operations:  AVX2
2020-08-08 23:41:49.327601: W tensorflow/stream_executor/platform/default/dso_loader.cc:59] Could not load dynamic library 'libcudart.so.10.1'; dlerror: libcudart.so.10.1: cannot open shared object file: No such file or directory
2020-08-08 23:41:49.327623: I tensorflow/stream_executor/cuda/cudart_stub.cc:29] Ignore above cudart dlerror if you do not have a GPU set up on your machine.
/usr/local/cuda-11.0/targets/x86_64-linux/lib/libcudart.so.11.0
2025-02-09 09:37:33.337631: W tensorflow/compiler/tf2tensorrt/utils/py_utils.cc:38] TF-TRT Warning: Could not find TensorRT
"""

CASES = [
    ("tf-cuda-mismatch.txt", Format.TEXT, 0),
    ("tf-cuda-mismatch-verbose.txt", Format.TEXT, 1),
    ("tf-cuda-mismatch.md", Format.MARKDOWN, 0),
    ("tf-cuda-mismatch-verbose.md", Format.MARKDOWN, 1),
]


@pytest.mark.parametrize(("name", "fmt", "verbose"), CASES, ids=[c[0] for c in CASES])
def test_golden(name: str, fmt: Format, verbose: int, update_golden: bool) -> None:
    report = to_report(explain_text(LOG, source="train.log"))
    out = render(report, fmt, verbose=verbose, width=100, color=False)
    out = out.replace(report.to_json()["tool"]["version"], "X.Y.Z")
    path = GOLDEN / name
    if update_golden:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(out, encoding="utf-8")
    # A missing golden file fails (only --update-golden or WHYGPU_UPDATE_GOLDEN=1 writes one).
    check_golden(path, out)
