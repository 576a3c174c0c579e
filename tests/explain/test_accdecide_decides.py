"""accdecide (session 35): one declared mechanism for "a judged rule decides over a signature's finding".

Each rule that decides over other findings says so where it is defined (``Rule.decides``, ``whygpu.rules.interface.Decides``)
and ``explain._merge_judged`` applies every declaration in one loop. The findings below are built by hand around the real
rule codes, so that each declaration is seen to fire on the line it cites and to keep a finding that cites another line.
"""

from __future__ import annotations

import pytest
from tests.log_text import codes, first_cause

from whygpu.explain import _merge_judged, explain_text
from whygpu.explain.rules import decisions
from whygpu.model import Finding, Severity
from whygpu.rules.interface import Decides

# https://github.com/bitsandbytes-foundation/bitsandbytes/issues/118 (a Tesla P40) and /187 (an A100)
INT8 = "ERROR: Your GPU does not support Int8 Matmul!"
A100 = "|   0  NVIDIA A100-SXM...  Off  | 00000000:01:00.0 Off |                    0 |"

LINE = "log:4: CUDA SETUP: Required library version not found: libbitsandbytes_cuda121.so."
OTHER = "log:9: RuntimeError: CUDA error: no kernel image is available for execution on the device"


def _f(code: str, cause: str, *evidence: str, severity: Severity = Severity.ERROR, scope: str = "",
       generic: bool = False, alternative_to: str | None = None) -> Finding:
    return Finding(id=code, cause=cause, severity=severity, title=f"{code} {cause}", evidence=evidence, scope=scope,
                   generic=generic, alternative_to=alternative_to)


def _ids(findings: list[Finding]) -> list[tuple[str, str, str | None]]:
    return [(f.id, f.cause, f.alternative_to) for f in findings]


def test_each_deciding_rule_declares_what_it_decides_over() -> None:
    declared = decisions()
    assert declared["LOG104"] == Decides(over="generic", cause="any", by="scope", gathers=True)
    assert declared["LOG283"] == Decides(over="generic", cause="any", by="only_lines")
    assert declared["LOG520"] == Decides(over="signature", cause="same", by="first_line", alternatives=False)
    assert declared["LOG551"] == Decides(over="finding", cause="same", by="only_lines", reads="first", alternatives=False)
    assert declared["LOG555"] == Decides(over="signature", cause="any", by="first_line")
    # A rule that declares nothing decides over nothing.
    assert "LOG185" not in declared and "LOG435" not in declared
    with pytest.raises(ValueError):
        Decides(over="everything", cause="any", by="first_line")


def test_a_setup_reading_decides_its_line_whatever_the_cause_and_keeps_another_line() -> None:
    sig = _f("LOG-BNB-SETUP-NO-BINARY-FOR-CUDA", "CUDA_LIBS_MISMATCH", LINE)
    alt = _f("LOG-BNB-SETUP-NO-BINARY-FOR-CUDA", "FRAMEWORK_INSTALL_BROKEN", LINE, alternative_to="CUDA_LIBS_MISMATCH")
    elsewhere = _f("LOG-NO-KERNEL-IMAGE", "GPU_NOT_SUPPORTED", OTHER)
    setup = _f("LOG555", "FRAMEWORK_INSTALL_BROKEN", "log:2: bin /home/u/bitsandbytes/libbitsandbytes_cuda121.so", LINE)
    out = _merge_judged([sig, alt, elsewhere], [setup])
    # The signature's reading of the line and the alternative it left open yield; the finding on another line is kept.
    assert _ids(out) == [("LOG-NO-KERNEL-IMAGE", "GPU_NOT_SUPPORTED", None), ("LOG555", "FRAMEWORK_INSTALL_BROKEN", None)]
    # The same line is the same message wherever it is cited (its place before ": " aside).
    moved = _f("LOG-BNB-SETUP-NO-BINARY-FOR-CUDA", "CUDA_LIBS_MISMATCH", LINE.replace("log:4", "other.txt:40"))
    assert _ids(_merge_judged([moved], [setup])) == [("LOG555", "FRAMEWORK_INSTALL_BROKEN", None)]


def test_an_extension_reading_decides_only_its_own_cause_on_its_line() -> None:
    line = "log:7: UserWarning: flash_attn was requested, but nvcc was not found."
    same = _f("LOG-NVCC-NOT-FOUND", "CUDA_LIBS_MISSING", line)
    alt = _f("LOG-NVCC-NOT-FOUND", "CUDA_LIBS_NOT_ON_PATH", line, alternative_to="CUDA_LIBS_MISSING")
    other_cause = _f("LOG-OTHER-READING", "FRAMEWORK_CPU_BUILD", line)
    other_line = _f("LOG-NVCC-ELSEWHERE", "CUDA_LIBS_MISSING", OTHER)
    # The same signature of the same cause on another line (another build the extension's reading did not name) is kept.
    same_elsewhere = _f("LOG-NVCC-NOT-FOUND", "CUDA_LIBS_MISSING", "log:30: UserWarning: apex was requested, but nvcc was not found.")
    ext = _f("LOG520", "CUDA_LIBS_MISSING", line)
    out = _merge_judged([same, alt, other_cause, other_line, same_elsewhere], [ext])
    # Its alternatives stay open beside the extension's reading (alternatives=False).
    assert _ids(out) == [("LOG-NVCC-NOT-FOUND", "CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISSING"),
                         ("LOG-OTHER-READING", "FRAMEWORK_CPU_BUILD", None),
                         ("LOG-NVCC-ELSEWHERE", "CUDA_LIBS_MISSING", None), ("LOG-NVCC-NOT-FOUND", "CUDA_LIBS_MISSING", None),
                         ("LOG520", "CUDA_LIBS_MISSING", None)]


def test_a_floor_met_withdraws_gpu_age_findings_citing_only_its_line() -> None:
    refusal = f"log:3: {INT8}"
    sig = _f("LOG-BNB-INT8-MATMUL", "GPU_NOT_SUPPORTED", refusal)
    words = _f("LOG185", "GPU_NOT_SUPPORTED", refusal)
    beside = _f("LOG-NO-KERNEL-IMAGE", "GPU_NOT_SUPPORTED", refusal, OTHER)
    other_cause = _f("LOG-OTHER-READING", "CUDA_LIBS_MISMATCH", refusal)
    met = _f("LOG551", "GPU_NOT_SUPPORTED", refusal, f"log:5: {A100}", severity=Severity.INFO)
    out = _merge_judged([sig, beside, other_cause], [words, met])
    # A signature's and another rule's reading of that line alone are withdrawn; one citing another line too is kept, and
    # so is one of another cause.
    assert _ids(out) == [("LOG-NO-KERNEL-IMAGE", "GPU_NOT_SUPPORTED", None), ("LOG-OTHER-READING", "CUDA_LIBS_MISMATCH", None),
                         ("LOG551", "GPU_NOT_SUPPORTED", None)]
    # Only the line it judged decides, not the GPU's line it judged it against.
    gpu_line = _f("LOG-GPU-LINE", "GPU_NOT_SUPPORTED", f"log:5: {A100}")
    assert ("LOG-GPU-LINE", "GPU_NOT_SUPPORTED", None) in _ids(_merge_judged([gpu_line], [met]))


def test_a_library_reading_decides_only_generic_lines_it_cites() -> None:
    line = "log:2: Could not load dynamic library 'cudnn64_8.dll'"
    generic = _f("LOG-DLL-NOT-FOUND", "CUDA_LIBS_MISSING", line, generic=True)
    alt = _f("LOG-DLL-NOT-FOUND", "CUDA_LIBS_NOT_ON_PATH", line, alternative_to="CUDA_LIBS_MISSING")
    specific = _f("LOG-SPECIFIC", "CUDNN_MISSING", line)
    generic_elsewhere = _f("LOG-GENERIC-ELSEWHERE", "CUDA_LIBS_MISSING", line, OTHER, generic=True)
    # The same signature's generic reading of another line, and the alternative it leaves there, are kept.
    another = "log:12: Could not load dynamic library 'cublas64_11.dll'"
    same_other_line = _f("LOG-DLL-NOT-FOUND", "CUDA_LIBS_MISSING", another, generic=True)
    its_alt = _f("LOG-DLL-NOT-FOUND", "CUDA_LIBS_NOT_ON_PATH", another, alternative_to="CUDA_LIBS_MISSING")
    lib = _f("LOG283", "CUDNN_MISMATCH", line, "log:1: cudnn 7.6.5")
    out = _merge_judged([generic, alt, specific, generic_elsewhere, same_other_line, its_alt], [lib])
    assert _ids(out) == [("LOG-SPECIFIC", "CUDNN_MISSING", None), ("LOG-GENERIC-ELSEWHERE", "CUDA_LIBS_MISSING", None),
                         ("LOG-DLL-NOT-FOUND", "CUDA_LIBS_MISSING", None),
                         ("LOG-DLL-NOT-FOUND", "CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISSING"), ("LOG283", "CUDNN_MISMATCH", None)]


def test_the_unused_answer_decides_generic_lines_of_its_framework_and_gathers_them() -> None:
    torch_line = "log:6: UserWarning: CUDA initialization: Found no NVIDIA driver on your system."
    tf_line = "log:8: Could not load dynamic library 'libcudart.so.11.0'"
    torch_generic = _f("LOG-TORCH-GENERIC", "DRIVER_MISSING", torch_line, scope="torch", generic=True)
    tf_generic = _f("LOG-TF-GENERIC", "CUDA_LIBS_MISSING", tf_line, scope="tensorflow", generic=True)
    torch_specific = _f("LOG-TORCH-SPECIFIC", "DRIVER_MISSING", torch_line, scope="torch")
    unused = _f("LOG104", "DRIVER_MISSING", "log:10: False", scope="torch")
    out = _merge_judged([torch_generic, tf_generic, torch_specific], [unused])
    assert _ids(out) == [("LOG-TF-GENERIC", "CUDA_LIBS_MISSING", None), ("LOG-TORCH-SPECIFIC", "DRIVER_MISSING", None),
                         ("LOG104", "DRIVER_MISSING", None)]
    assert out[-1].evidence == ("log:10: False", torch_line)


def test_a_rule_that_declares_nothing_decides_nothing() -> None:
    sig = _f("LOG-BNB-SETUP-NO-BINARY-FOR-CUDA", "CUDA_LIBS_MISMATCH", LINE)
    words = _f("LOG185", "FRAMEWORK_INSTALL_BROKEN", LINE)
    assert _ids(_merge_judged([sig], [words])) == [("LOG-BNB-SETUP-NO-BINARY-FOR-CUDA", "CUDA_LIBS_MISMATCH", None),
                                                   ("LOG185", "FRAMEWORK_INSTALL_BROKEN", None)]


def test_reports_keep_the_declared_decisions() -> None:
    # LOG551 withdraws the Int8 signature's GPU_NOT_SUPPORTED where an A100 is shown; alone the signature stands.
    assert "GPU_NOT_SUPPORTED" in codes(INT8)
    shown = INT8 + "\n" + A100
    assert first_cause(shown) != "GPU_NOT_SUPPORTED"
    assert "LOG551" in {f.id for f in explain_text(shown).findings}
