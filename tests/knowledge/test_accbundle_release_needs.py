"""accbundle (session 27): what each framework/program release was built against (knowledge.programs.release_needs), the one
accessor explain's LOG240 and the doctor ask, and the cuDNN major a cuDNN library's file name asks for."""

from __future__ import annotations

import pytest

from whygpu.knowledge.cuda import cudnn_major_of_library
from whygpu.knowledge.programs import release_needs, releases_for_cudnn


@pytest.mark.parametrize(
    ("program", "version", "kwargs", "cuda", "cudnn", "brings"),
    [
        # PyTorch: every CUDA variant of 2.4+ brings cuDNN 9, of 1.7-2.3 cuDNN 8; the CUDA only where all variants share a major.
        ("torch", "2.5.1", {}, None, "9", True),
        ("torch", "2.3.1", {}, None, "8", True),
        ("pytorch", "2.0.1", {}, "11", "8", True),
        ("torch", "2.1.0+cu121", {}, "12.1", "8", True),
        ("torch", "2.6.0", {"cuda": "cu118"}, "11.8", "9", True),
        ("torch", "2.5.1", {"platform": "linux"}, None, "9", True),
        # Frameworks that load the system's cuDNN want it without bringing it; tensorflow[and-cuda] brings its pinned wheel.
        ("tensorflow", "2.15.0", {}, "12", "8", False),
        ("tensorflow-gpu", "2.10.1", {}, "11", "8", False),
        ("tensorflow", "1.13.1", {}, "10.0", "7", False),
        ("tensorflow", "2.15.1", {"variant": "and-cuda"}, "12", "8", True),
        ("jaxlib", "0.4.20+cuda12.cudnn89", {}, "12", "8", False),
        ("jaxlib", "0.3.25+cuda11.cudnn82", {}, "11", "8", False),
        # The programs beside them (knowledge/programs.toml).
        ("ctranslate2", "4.4.0", {}, "12", "8", False),
        ("ctranslate2", "4.5.0", {}, "12", "9", False),
        ("onnxruntime-gpu", "1.19.2", {}, "12", "9", False),
        ("paddlepaddle-gpu", "2.5.2", {"variant": "post117"}, "11", "8", False),
        ("tensorrt", "8.6.1", {}, None, "8", False),
        ("tensorrt-cu12", "10.3.0", {}, "12", None, False),
        ("jax-cuda12-plugin", "0.4.30", {}, "12", "9", False),
        ("jax-cuda12-plugin", "0.4.28", {}, "12", "8", False),
    ],
)
def test_a_release_states_what_it_was_built_against(program: str, version: str, kwargs: dict[str, str], cuda: str | None,
                                                    cudnn: str | None, brings: bool) -> None:
    needs = release_needs(program, version, **kwargs)
    assert needs is not None
    assert (needs.cuda, needs.cudnn, needs.brings_cudnn) == (cuda, cudnn, brings)
    assert needs.source.startswith("https://")


@pytest.mark.parametrize(
    ("program", "version", "kwargs"),
    [
        ("torch", "2.5.1+cpu", {}),  # a CPU build brings no cuDNN
        ("torch", "2.5.1+rocm6.1", {}),
        ("torch", "2.5.1", {"platform": "windows"}),  # PyPI's Windows wheel has no CUDA
        ("torch", "2.5.1", {"platform": "darwin"}),
        ("torch", "0.4.1", {}),  # no row: nothing guessed
        ("tensorflow", "2.15.0", {"platform": "macos"}),
        ("tensorflow", "2.12.0", {"platform": "windows"}),  # native Windows: CPU only from 2.11
        ("jaxlib", "0.4.20", {}),  # PyPI's jaxlib is no CUDA build
        ("tensorrt", "10.0.1", {}),  # cuDNN optional from 10.0, and the plain name does not say the CUDA
        ("ctranslate2", None, {}),
        ("somepackage", "1.0", {}),
    ],
)
def test_nothing_is_stated_where_no_row_decides(program: str, version: str | None, kwargs: dict[str, str]) -> None:
    assert release_needs(program, version, **kwargs) is None


def test_a_release_named_without_its_variant_states_a_cuda_only_where_all_variants_agree() -> None:
    # torch 2.5 was published for CUDA 11.8, 12.1 and 12.4: no one CUDA major; 2.0 for 11.7 and 11.8: CUDA 11.
    assert release_needs("torch", "2.5.1").cuda is None  # type: ignore[union-attr]
    assert release_needs("torch", "2.0.1").cuda == "11"  # type: ignore[union-attr]


def test_the_releases_that_agree_with_a_cudnn_major() -> None:
    assert releases_for_cudnn("torch", "8") == [">=1.7,<2.4"]
    assert releases_for_cudnn("torch", "9") == [">=2.4"]
    assert releases_for_cudnn("ctranslate2", "9") == [">=4.5,<5"]
    assert ">=4.0,<4.5" in releases_for_cudnn("ctranslate2", "8")
    # accort40 (session 40): the later releases (1.24-1.26 CUDA 12, 1.27-1.28 CUDA 13) follow the requirements table's row.
    assert releases_for_cudnn("onnxruntime-gpu", "9") == [">=1.19,<1.24", ">=1.24,<1.27", ">=1.27,<1.29"]
    tf8 = releases_for_cudnn("tensorflow", "8")
    assert len(tf8) == 1 and tf8[0].startswith("==2.")
    assert releases_for_cudnn("ctranslate2", "7") == []


@pytest.mark.parametrize(
    ("name", "major"),
    [
        ("libcudnn_ops_infer.so.8", "8"),
        ("libcudnn_ops_infer.so", "8"),  # only cuDNN 8 has the split *_infer/*_train libraries
        ("cudnn_cnn_infer64_8.dll", "8"),
        ("cudnn_adv_train64.dll", "8"),
        ("libcudnn_ops.so", "9"),  # only cuDNN 9 has libcudnn_ops / _graph / _engines_*
        ("libcudnn_graph.so.9.1.0", "9"),
        ("cudnn64_9.dll", "9"),
        ("libcudnn.so", None),  # every major has it
        ("libcublas.so.12", None),
        ("cudart64_12.dll", None),
    ],
)
def test_a_cudnn_library_name_says_its_major(name: str, major: str | None) -> None:
    assert cudnn_major_of_library(name) == major


def test_program_builds_for_lists_the_newest_releases_first_whatever_the_file_order() -> None:
    """The rows that serve a cuDNN come newest first (a fix offers the newest way out), not in programs.toml's order.

    PaddlePaddle's rows for cuDNN 8 stand in the file with the 2.0-2.2 post110 row before the 2.6 default row.
    """
    from whygpu.knowledge.programs import _builds, program_builds_for

    file_order = [b.versions for b in _builds() if b.program == "paddlepaddle-gpu" and b.cudnn == "8"]
    listed = [b.versions for b in program_builds_for("paddlepaddle-gpu", cudnn="8")]
    assert sorted(file_order) == sorted(listed)
    assert file_order.index(">=2.0,<2.2") < file_order.index(">=2.6,<3")  # the case the order matters for
    assert listed[0] == ">=2.6,<3" and listed[-1] == ">=2.0,<2.2"
    # An open-ended row (any later release) is the newest; a row for cuDNN 9 is not listed for cuDNN 8.
    assert [b.versions for b in program_builds_for("jax-cuda12-plugin", cudnn="9")] == [">=0.4.29"]
    assert program_builds_for("jax-cuda12-plugin", cudnn="7") == []


def test_program_builds_for_puts_the_default_variant_first_among_rows_ending_at_the_same_release() -> None:
    """onnxruntime-gpu's Windows archive row (>=1.19.2,<1.24) starts later than the default row (>=1.19,<1.24), yet a
    plain `pip install` gets the default one: it comes first; the variants follow."""
    from whygpu.knowledge.programs import program_builds_for

    listed = [(b.versions, b.variant) for b in program_builds_for("onnxruntime-gpu", cudnn="9")]
    assert listed[0] == (">=1.27,<1.29", "default")  # accort40: the newest rows (1.27's CUDA 13 build first)
    assert listed.index((">=1.19,<1.24", "default")) < listed.index((">=1.19,<1.24", "cuda12"))
    assert listed.index((">=1.19.2,<1.24", "archive")) < listed.index(("==1.18.1", "cuda12"))
