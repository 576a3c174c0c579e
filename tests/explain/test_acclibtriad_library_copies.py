"""acclibtriad (session 36): missing, off the loader's path or another version, decided by the one decision of the knowledge
layer (knowledge.libraries.library_failure_cause) from the copies and releases a log shows; where they disagree, ranked with
the check that decides (knowledge/library_copies.toml)."""

from __future__ import annotations

from log_text import codes, facts, report
from whygpu.knowledge.libraries import library_failure_cause
from whygpu.knowledge.library_copies import disagree_check, release_key

ALSO = ("CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH")

# dmlc/dgl#5547 (https://github.com/dmlc/dgl/issues/5547): the failure, the writer's CUDA and a pasted "CUDA Version" (the
# form of nvidia-smi's header, the driver's newest CUDA); the thread settled it as another CUDA than the build's.
DGL = (
    "OSError: libcudart.so.11.0: cannot open shared object file: No such file or directory\n"
    "My cuda version is 10.2, Linux system, and iIencounter the OSError when I run the following code:\n"
    "dgl                           1.0.2+cu102\n"
    "CUDA Version: 11.3 \n"
)



# --- the knowledge (knowledge/library_copies.toml) ------------------------------------------------------------------


def test_disagree_row_has_a_check_and_a_source() -> None:
    row = disagree_check()
    assert row.source.startswith("https://")
    assert "{stem}" in row.check and "{file}" in row.check and "ldconfig -p" in row.check
    assert "nvidia-smi" in row.why


def test_release_key_is_major_minor() -> None:
    assert release_key("12.2.140") == "12.2"
    assert release_key("9.2") == "9.2"
    assert release_key("11") == "11"


# --- the decision (knowledge.libraries.library_failure_cause) -------------------------------------------------------


def test_two_releases_that_disagree_are_ranked_not_decided() -> None:
    reading = library_failure_cause("CUDA_LIBS_MISSING", ALSO, file="libcudart.so.11.0", wanted="11.0",
                                    cuda_installed=["10.2", "11.3"])
    assert reading.basis == "releases_disagree"
    assert reading.sure == "ranked"
    assert reading.cause == "CUDA_LIBS_MISMATCH"
    assert reading.alternatives[0] == "CUDA_LIBS_NOT_ON_PATH" and "CUDA_LIBS_MISSING" in reading.alternatives
    assert reading.present == "11.3" and reading.how == "10.2"
    assert "ldconfig -p | grep libcudart" in reading.decides and "where cudart*.dll" in reading.decides
    assert "None" not in reading.decides and "{" not in reading.decides


def test_windows_dll_names_its_own_stem() -> None:
    reading = library_failure_cause("CUDA_LIBS_MISSING", ALSO, file="cublas64_11.dll", wanted="11",
                                    cuda_installed=["11.2", "10.2"])
    assert reading.basis == "releases_disagree"
    assert "where cublas*.dll" in reading.decides


def test_one_release_that_serves_still_decides_off_the_path() -> None:
    reading = library_failure_cause("CUDA_LIBS_MISSING", ALSO, file="libcudart.so.11.0", wanted="11.0", cuda_installed=["11.3"])
    assert (reading.cause, reading.basis, reading.sure) == ("CUDA_LIBS_NOT_ON_PATH", "same_release", "shown")
    assert reading.decides == ""


def test_one_release_written_twice_is_not_a_disagreement() -> None:
    reading = library_failure_cause("CUDA_LIBS_MISSING", ALSO, file="libcudart.so.11.0", wanted="11.0",
                                    cuda_installed=["11.3", "11.3.109"])
    assert reading.basis == "same_release"


def test_releases_that_all_lack_the_library_stay_another_version() -> None:
    reading = library_failure_cause("CUDA_LIBS_MISSING", ALSO, file="libcudart.so.11.0", wanted="11.0",
                                    cuda_installed=["10.2", "9.0"])
    assert (reading.cause, reading.basis) == ("CUDA_LIBS_MISMATCH", "other_release")


def test_base_rate_is_ranked_and_nothing_decided_has_no_sureness() -> None:
    ranked = library_failure_cause("CUDNN_MISSING", ("CUDNN_MISMATCH", "CUDA_LIBS_NOT_ON_PATH"))
    assert (ranked.basis, ranked.sure) == ("base_rate", "ranked")
    # Python's DLL message without a Python version decides nothing: the line's own reading stands.
    open_reading = library_failure_cause("CUDA_LIBS_MISSING", ALSO, windows_dll_module="_dlib_pybind11")
    assert (open_reading.basis, open_reading.sure) == ("", "")


# --- reports ---------------------------------------------------------------------------------------------------------


def test_dgl_report_ranks_another_version_first_with_the_check() -> None:
    rep = report(DGL)
    assert [c.code for c in rep.causes][:2] == ["CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH"]
    first = rep.causes[0]
    assert "10.2" in first.title and "11.3" in first.title
    assert "ldconfig -p | grep libcudart" in first.fix


def test_one_release_shown_keeps_off_the_path() -> None:
    text = "OSError: libcudart.so.11.0: cannot open shared object file: No such file or directory\nMy cuda version is 11.3\n"
    assert codes(text)[0] == "CUDA_LIBS_NOT_ON_PATH"


# system76/docs#494 (https://github.com/system76/docs/issues/494): the release a build was tested on is not the machine's.
SYSTEM76 = (
    "I would like to use tensorflow with GPU. I tried with `system76-cuda-11.1` and `system76-cuda-11.2` with tensorflow 2.4.0 "
    "but seems like it only developed and tested on cuda 11.0. Is it possible to install 11.0 from `system76-`?\n\n"
    "The error I get is: *Could not load dynamic library 'libcusolver.so.10'; dlerror: libcusolver.so.10: cannot open shared "
    "object file: No such file or directory*\n"
)


def test_release_a_build_was_tested_on_is_not_installed() -> None:
    assert facts(SYSTEM76).cuda_installed == []
    assert codes(SYSTEM76)[0] == "CUDA_LIBS_MISMATCH"


def test_release_said_with_the_framework_is_still_installed() -> None:
    assert [s.value for s in facts("I use tensorflow 2.4.0 with cuda 11.0\n").cuda_installed] == ["11.0"]
    assert [s.value for s in facts("tf version is 2.1.0 and cuda version is 10.2\n").cuda_installed] == ["10.2"]
