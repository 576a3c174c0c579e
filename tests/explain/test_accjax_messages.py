"""JAX's own messages read from the jaxlib code that prints them (session 17, branch accjax).

Each class fires on the message in the words jaxlib writes and stays quiet on a near miss; the lines are written from
jaxlib's source (jaxlib/gpu/gpu_kernel_helpers.cc), not copied from corpus cases.
"""

from __future__ import annotations

from whygpu.explain import explain_text, to_report


def _codes(text: str) -> list[str]:
    return [c.code for c in to_report(explain_text(text)).causes]


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


def test_jaxlib_cusolver_internal_error_is_a_cuda_library_mismatch() -> None:
    # jaxlib's cuSOLVER handle could not be created: the libraries loaded do not fit jaxlib's CUDA.
    for line in ("RuntimeError: jaxlib/cusolver_kernels.cc:44: operation cusolverDnCreate(&handle) failed: "
                 "cuSolver internal error\n",
                 "RuntimeError: cuSolver internal error\n"):
        codes = _codes(line)
        assert codes[0] == "CUDA_LIBS_MISMATCH"
        assert "CUDA_LIBS_NOT_ON_PATH" in codes[:3]
        assert "LOG-AJ-JAXLIB-CUSOLVER-INTERNAL" in _ids(line)


def test_cusolver_words_without_jaxlibs_error_stay_quiet() -> None:
    # The words in prose or in jaxlib's C++ source are no raised error.
    assert "LOG-AJ-JAXLIB-CUSOLVER-INTERNAL" not in _ids("Has anyone seen a cuSolver internal error before?\n")
    assert "LOG-AJ-JAXLIB-CUSOLVER-INTERNAL" not in _ids(
        '    case CUSOLVER_STATUS_INTERNAL_ERROR:\n      return "cuSolver internal error";\n')
