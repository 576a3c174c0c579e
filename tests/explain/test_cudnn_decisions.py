"""Explain's two cuDNN questions go through the knowledge layer's one decision (``cudnn_satisfies``).

A failed load of ``libcudnn.so.8`` asks the loader's question (does the installed cuDNN have that
soname: the same major); TensorFlow's tested build against the installed cuDNN asks the runtime's
(the same major and at least the build's minor, as TensorFlow checks when cuDNN loads).
"""

from __future__ import annotations

from whygpu.diagnose import run_rule_list
from whygpu.explain import explain_text
from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import LogFacts
from whygpu.explain.rules import FACT_RULES
from whygpu.model import Finding


def _tensorflow_with_cudnn(cudnn: str) -> list[Finding]:
    facts = LogFacts()
    facts.add("versions", "2.16.1", "t.log:1", "2.16.1", key="tensorflow")
    facts.add("platform", "linux", "t.log:2", "Ubuntu 22.04")
    facts.add("cudnn_installed", cudnn, "t.log:3", f"cudnn {cudnn}")
    found, _ = run_rule_list(FACT_RULES, LogSubject(facts=facts))
    return [f for f in found if f.cause == "CUDNN_MISMATCH"]


def test_an_older_minor_than_tensorflows_build_is_a_mismatch() -> None:
    # TensorFlow 2.16's tested build uses cuDNN 8.9; it refuses an 8.6 when cuDNN loads.
    (older,) = _tensorflow_with_cudnn("8.6")
    assert "cuDNN 8.9" in older.title and "8.6" in older.title
    assert "8.9 or a newer 8.x" in older.fix
    # The build's minor or newer: quiet; the major alone (minor unknown): quiet.
    assert _tensorflow_with_cudnn("8.9.7") == []
    assert _tensorflow_with_cudnn("8") == []
    # Another major: its soname is not there at all.
    (other,) = _tensorflow_with_cudnn("7.6")
    assert "Install cuDNN 8.x" in other.fix and "cuDNN 7" in other.fix


FAILED = "W tensorflow/stream_executor/platform/default/dso_loader.cc:60] Could not load dynamic library 'libcudnn.so.8'; dlerror: libcudnn.so.8: cannot open shared object file: No such file or directory\n"


def test_a_failed_soname_load_asks_only_for_the_major() -> None:
    # cuDNN 8.1 is installed: it has libcudnn.so.8, so the loader just does not see it.
    found = [f for f in explain_text("TensorFlow version: 2.4.1\nI have CUDA 11.0 and cuDNN 8.1 installed.\n" + FAILED).findings
             if f.alternative_to is None]
    causes = {f.cause for f in found}
    assert "CUDA_LIBS_NOT_ON_PATH" in causes and "CUDNN_MISMATCH" not in causes
    # The cause's fix builder, from the cuDNN the build wants.
    assert any("Add the directory holding cuDNN 8's libraries to LD_LIBRARY_PATH" in f.fix for f in found)
    # cuDNN 7.6 is installed: libcudnn.so.8 is another major's file.
    found = [f for f in explain_text("TensorFlow version: 2.4.1\nI have CUDA 11.0 and cuDNN 7.6 installed.\n" + FAILED).findings
             if f.alternative_to is None]
    causes = {f.cause for f in found}
    assert "CUDNN_MISMATCH" in causes and "CUDA_LIBS_NOT_ON_PATH" not in causes
    assert any("Install cuDNN 8 (the major this build was compiled with)" in f.fix and "cuDNN 7." in f.fix for f in found)


def test_a_failed_cublas_10_load_is_judged_by_the_release_sonames() -> None:
    """libcublas.so.10 is CUDA 10.1/10.2's cuBLAS; CUDA 10.0's is libcublas.so.10.0 (knowledge.cuda.cuda_serves_library)."""
    line = ("W tensorflow/stream_executor/platform/default/dso_loader.cc:55] Could not load dynamic library 'libcublas.so.10'; "
            "dlerror: libcublas.so.10: cannot open shared object file: No such file or directory\n")

    def causes(installed: str) -> set[str]:
        report = explain_text(f"I have CUDA {installed} installed.\n" + line)
        return {f.cause for f in report.findings if f.alternative_to is None}

    assert causes("10.0") == {"CUDA_LIBS_MISMATCH"}
    assert causes("10.1") == {"CUDA_LIBS_NOT_ON_PATH"} == causes("10.2")
