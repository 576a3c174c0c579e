"""The GPU builds of programs beside the frameworks (knowledge/programs.toml) and the one decision judging them against what is found."""

from __future__ import annotations

import pytest

from whygpu.knowledge.programs import program_build_fits, program_build_needs, program_names


@pytest.mark.parametrize(
    ("program", "version", "variant", "cuda", "cudnn"),
    [
        # ONNX Runtime: PyPI's default moved to CUDA 12 + cuDNN 9 at 1.19; the CUDA 12 feed moved to cuDNN 9 at 1.18.1.
        ("onnxruntime-gpu", "1.18.1", None, "11", "8"),
        ("onnxruntime-gpu", "1.19.0", None, "12", "9"),
        ("onnxruntime_gpu", "1.19.2", None, "12", "9"),
        ("onnxruntime-gpu", "1.18.0", "cuda12", "12", "8"),
        ("onnxruntime-gpu", "1.18.1", "cuda12", "12", "9"),
        ("onnxruntime-gpu", "1.17.1", "cuda12", "12", "8"),
        ("onnxruntime-gpu", "1.19.2", "cuda11", "11", "8"),
        ("onnxruntime-gpu", "1.6.0", None, "10.2", "8"),
        ("onnxruntime-gpu", "1.4.0", None, "10.1", "7"),
        # CTranslate2: CUDA 12 from 4.0, cuDNN 9 from 4.5.
        ("ctranslate2", "3.24.0", None, "11", "8"),
        ("ctranslate2", "4.0.0", None, "12", "8"),
        ("ctranslate2", "4.4.0", None, "12", "8"),
        ("ctranslate2", "4.5.0", None, "12", "9"),
        ("CTranslate2", "4.6.0", None, "12", "9"),
        # CuPy: the distribution names the CUDA; no cuDNN needed.
        ("cupy-cuda12x", None, None, "12", None),
        ("cupy-cuda11x", "13.3.0", None, "11", None),
        # PaddlePaddle 2.x: the post tag names the CUDA; PyPI's plain 2.4/2.5 wheels were CUDA 10.2 builds (accbundle: cuDNN 7
        # for the CUDA 10 builds, 8 for CUDA 11 and 12).
        ("paddlepaddle-gpu", "2.5.2", "post117", "11", "8"),
        ("paddlepaddle-gpu", "2.6.1", "post120", "12", "8"),
        ("paddlepaddle-gpu", "2.4.2", None, "10.2", "7"),
        # llama-cpp-python: the wheel index's cuNNN tag.
        ("llama-cpp-python", None, "cu12", "12", None),
        ("llama-cpp-python", "0.2.26", "cu11", "11", None),
    ],
)
def test_a_program_release_names_the_cuda_and_cudnn_its_build_needs(program: str, version: str | None, variant: str | None, cuda: str,
                                                                    cudnn: str | None) -> None:
    build = program_build_needs(program, version, variant)
    assert build is not None
    assert (build.cuda, build.cudnn) == (cuda, cudnn)
    assert build.source.startswith("https://")


@pytest.mark.parametrize(("program", "version", "variant"), [
    ("onnxruntime-gpu", "0.5.0", None),  # older than the table
    ("onnxruntime-gpu", "1.30.0", None),  # newer than the table lists: no guess
    ("onnxruntime-gpu", "1.16.3", "cuda12"),  # no CUDA 12 build of 1.16
    ("ctranslate2", "2.24.0", None),
    ("ctranslate2", None, None),  # a release is needed where rows have specifiers
    ("torch", "2.4.0", None),  # the frameworks have their own tables
    ("paddlepaddle-gpu", "1.8.5", "post107"),  # 1.x tags named a CUDA major and a cuDNN major: not read as 2.x's
])
def test_no_build_is_guessed_outside_the_table(program: str, version: str | None, variant: str | None) -> None:
    assert program_build_needs(program, version, variant) is None


def test_the_table_names_the_programs_it_knows() -> None:
    assert {"onnxruntime-gpu", "ctranslate2", "cupy-cuda12x"} <= program_names()


def test_another_cudnn_major_is_a_mismatch_and_the_same_major_fits() -> None:
    ort_cuda12 = program_build_needs("onnxruntime-gpu", "1.17.1", "cuda12")
    assert ort_cuda12 is not None
    other = program_build_fits(ort_cuda12, cudnn_found=["9"])
    assert (other.fits, other.cause, other.library, other.wanted, other.found) == (False, "CUDNN_MISMATCH", "cudnn", "8", ("9",))
    same = program_build_fits(ort_cuda12, cudnn_found=["8.9.7"])
    assert same.fits is True and same.cause is None
    # Two cuDNNs shown: the loader may find the right one, so no mismatch is claimed.
    assert program_build_fits(ort_cuda12, cudnn_found=["9.1.0", "8.9.2"]).fits is True


def test_cuda_is_judged_by_its_major_from_11_and_by_major_minor_before() -> None:
    ct2 = program_build_needs("ctranslate2", "4.5.0")
    assert ct2 is not None
    assert program_build_fits(ct2, cuda_found=["11.8"]).cause == "CUDA_LIBS_MISMATCH"
    assert program_build_fits(ct2, cuda_found=["12.6"]).fits is True
    old = program_build_needs("onnxruntime-gpu", "1.5.1")
    assert old is not None
    assert program_build_fits(old, cuda_found=["10.1"]).cause == "CUDA_LIBS_MISMATCH"
    assert program_build_fits(old, cuda_found=["10.2"]).fits is True


def test_nothing_found_decides_nothing() -> None:
    ct2 = program_build_needs("ctranslate2", "4.4.0")
    assert ct2 is not None
    assert program_build_fits(ct2).fits is None
    assert program_build_fits(ct2, cudnn_found=["not a version"]).fits is None
    cupy = program_build_needs("cupy-cuda12x")
    assert cupy is not None
    assert program_build_fits(cupy, cudnn_found=["8"]).fits is None  # CuPy's build asks for no cuDNN


def test_onnxruntime_release_archives_have_their_own_rows() -> None:
    # The 1.19.0 archives were still CUDA 11 + cuDNN 8 builds; 1.19.2's moved to CUDA 12 + cuDNN 9.
    old, new = program_build_needs("onnxruntime-gpu", "1.19.0", "archive"), program_build_needs("onnxruntime-gpu", "1.19.2", "archive")
    assert old is not None and new is not None
    assert (old.cuda, old.cudnn, new.cuda, new.cudnn) == ("11", "8", "12", "9")
