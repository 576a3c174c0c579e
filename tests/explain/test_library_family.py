"""A failed cuDNN/CUDA library load read against what the log shows present (knowledge.libraries decides; session 18, accrank)."""

from __future__ import annotations

from log_text import codes, report

# CTranslate2's cuDNN 9 loader (https://github.com/m-bain/whisperX/issues/901) beside a PyTorch whose
# CUDA build brings cuDNN 8 (torch 2.0.0+cu118) or cuDNN 9 (torch 2.5.1+cu124).
WANTS_9 = "Unable to load any of {libcudnn_ops.so.9.1.0, libcudnn_ops.so.9.1, libcudnn_ops.so.9, libcudnn_ops.so}\n"


def test_a_cudnn_major_other_than_the_one_torch_brings_is_a_mismatch() -> None:
    text = "pip install torch==2.0.0+cu118 torchvision==0.15.1+cu118\n" + WANTS_9
    assert codes(text)[0] == "CUDNN_MISMATCH"
    assert "PyTorch 2.0.0+cu118 brings it" in report(text).causes[0].title


def test_the_major_torch_brings_is_there_off_the_loader_path() -> None:
    text = "pip install torch==2.5.1+cu124\n" + WANTS_9
    assert codes(text)[0] == "CUDA_LIBS_NOT_ON_PATH"


def test_without_a_torch_build_shown_nothing_is_decided_by_it() -> None:
    first = report(WANTS_9).causes[0]
    assert "brings it" not in first.title


def test_a_line_naming_no_library_follows_the_want_of_the_same_failure() -> None:
    text = "torch 2.0.0+cu118\n" + WANTS_9 + "Invalid handle. Cannot load symbol cudnnCreateTensorDescriptor\n"
    assert codes(text)[0] == "CUDNN_MISMATCH"


def test_the_file_dlerror_names_is_the_one_that_failed() -> None:
    # cuDNN's sub-library was found; the unversioned driver link it needs was not (dlopen(3)'s error names it).
    dep = "Could not load library libcudnn_cnn_infer.so.8. Error: libcuda.so: cannot open shared object file: No such file or directory\n"
    first = report(dep).causes[0]
    assert first.code == "CUDA_LIBS_NOT_ON_PATH" and "libcuda.so" in first.title
    # The sub-library itself missing stays cuDNN's reading.
    own = "Could not load library libcudnn_ops_infer.so.8. Error: libcudnn_ops_infer.so.8: cannot open shared object file: No such file or directory\n"
    assert codes(own)[0] == "CUDNN_MISSING"


def test_a_cudnn_sub_library_has_its_own_counted_row() -> None:
    from whygpu.knowledge.priors import undecided_prior

    sub = undecided_prior("CUDNN_MISSING", ("CUDA_LIBS_NOT_ON_PATH", "CUDNN_MISMATCH"), file="libcudnn_ops_infer.so.8")
    assert sub is None  # its ranking keeps the line's own cause first (missing 7, off the path 3, another major 2)
    own = "Could not load library libcudnn_ops_infer.so.8. Error: libcudnn_ops_infer.so.8: cannot open shared object file: No such file or directory\n"
    assert codes(own)[:3] == ["CUDNN_MISSING", "CUDA_LIBS_NOT_ON_PATH", "CUDNN_MISMATCH"]
    # libcudnn itself is not a sub-library: the general cuDNN row (another version first) still ranks it (from major 8
    # on, accrank4's row of its own keeps missing first: tests/explain/test_accrank4_ranking.py).
    main = undecided_prior("CUDNN_MISSING", ("CUDA_LIBS_NOT_ON_PATH", "CUDNN_MISMATCH"), file="libcudnn.so.7")
    assert main is not None and main.ranking[0] == "CUDNN_MISMATCH"


def _finding_ids(text: str) -> set[str]:
    return {f.id for f in report(text).findings}


def test_two_distributions_a_package_list_shows_conflict() -> None:
    listed = "tensorflow           1.14.0\ntensorflow-gpu       1.14.0\n>>> tf.test.is_gpu_available()\nFalse\n"
    assert "FW004" in _finding_ids(listed)


def test_the_framework_named_in_prose_is_not_a_second_distribution() -> None:
    # An issue template's "TensorFlow version:" names the framework; the pip command names the one distribution.
    template = ("- TensorFlow version: 2.1.0rc0\nI want to use `tensorflow-gpu==2.1.0rc0` with cuda 10.2\n"
                "Could not load dynamic library 'libcudart.so.10.1'; dlerror: libcudart.so.10.1: cannot open shared object file\n")
    assert "FW004" not in _finding_ids(template)
    # Prose that says it was installed still counts: "I installed ... tensorflow-gpu 2.2.0rc2".
    from whygpu.explain.judge import _shown_as_package

    assert _shown_as_package("tensorflow-gpu", "I installed the latest Nvidia Driver 451.67, tensorflow-gpu 2.2.0rc2.")
    assert not _shown_as_package("tensorflow", "I thought it was because tensorflow 1.5, i've reinstalled")


def test_the_cudnn_loader_line_is_read_without_its_error_tail() -> None:
    # cuDNN 8's dispatcher line pasted alone, the line ending at the library's name, says what the full line says
    for line in ("Error: Could not load library libcudnn_cnn_infer.so.8\n", "Could not load library libcudnn_ops_train.so.8.\n"):
        assert "LOG-TF-LOAD-LIBRARY" in _finding_ids(line)
        assert codes(line)[:1] == ["CUDNN_MISSING"]
    # the name inside a sentence that goes on is not the loader's line
    assert "LOG-TF-LOAD-LIBRARY" not in _finding_ids("Could not load library libcudnn_cnn_infer.so.8 until I reinstalled it, now it works\n")


# PaddlePaddle's cuDNN loader opens the unversioned libcudnn.so (phi/backends/dynload/dynamic_loader.cc): a cuDNN
# installed as a runtime only (libcudnn.so.8) is there but not under that name (knowledge/priors.toml, session 27).
PADDLE_CUDNN = ("RuntimeError: (PreconditionNotMet) Cannot load cudnn shared library. Cannot invoke method cudnnGetVersion.\n"
                "  [Hint: cudnn_dso_handle should not be null.] (at /paddle/paddle/phi/backends/dynload/cudnn.cc:64)\n")


def test_paddle_failing_to_open_cudnn_is_first_a_cudnn_off_its_path() -> None:
    assert codes(PADDLE_CUDNN)[:3] == ["CUDA_LIBS_NOT_ON_PATH", "CUDNN_MISSING", "CUDNN_MISMATCH"]
    # With a cuDNN stated installed (whose version decides nothing for an unversioned name) the same.
    assert codes("cuDNN version: 8.9.2\n" + PADDLE_CUDNN)[0] == "CUDA_LIBS_NOT_ON_PATH"


def test_the_paddle_row_leaves_other_programs_cudnn_failures_to_the_general_rows() -> None:
    from whygpu.knowledge.priors import undecided_prior

    general = undecided_prior("CUDNN_MISSING", ("CUDNN_MISMATCH", "CUDA_LIBS_NOT_ON_PATH"), installed_shown=True)
    assert general is not None and general.ranking[0] == "CUDNN_MISMATCH"
    paddle = undecided_prior("CUDNN_MISSING", ("CUDNN_MISMATCH", "CUDA_LIBS_NOT_ON_PATH"), installed_shown=True,
                             tags=frozenset({"paddle"}))
    assert paddle is not None and paddle.ranking[0] == "CUDA_LIBS_NOT_ON_PATH"
    # The Paddle row holds with no cuDNN shown installed too (installed = "either").
    unshown = undecided_prior("CUDNN_MISSING", ("CUDNN_MISMATCH", "CUDA_LIBS_NOT_ON_PATH"), tags=frozenset({"paddle"}))
    assert unshown is paddle


def test_the_paddle_row_leaves_a_versioned_dll_paddle_names_to_its_own_reading() -> None:
    # Paddle's Windows line names the versioned DLL it looked for: the unversioned-name row does not rank it.
    dll = ("RuntimeError: (PreconditionNotMet) The third-party dynamic library (cudnn64_8.dll) that Paddle depends on is "
           "not configured correctly. (error code is 126)\n")
    assert codes(dll)[0] == "CUDNN_MISSING"
