"""accfiles (session 26): a CUDA, cuDNN, NVVM or driver library FILE named as not found, in print forms read by its name.

LOG-LIB-FILE-NOT-FOUND (explain/signatures.toml) reads the ASCII print forms (Python ctypes' "Could not find module 'X'
(or one of its dependencies)", ld's "cannot find -lcuda", "X is missing / not found / could not be loaded", "cannot find /
unable to load X"), LOG-LIB-MAKE-SURE-PATH cuDNN's "Please make sure X is in your library path!"; LOG283 (explain/librules.py) the writer's
words in any language. Both judge the file by the knowledge layer (knowledge.libraries.library_failure_cause): a version
shown present decides, none shown leaves the counted base rates of knowledge/priors.toml. The lines below are written
from the programs' print formats, not pasted from the corpus.
"""

from __future__ import annotations

import pytest

from whygpu.explain import explain_text, to_report

_CUDA_FAMILY = {"CUDA_LIBS_MISSING", "CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH"}


def _causes(log: str) -> list[str]:
    return [c.code for c in to_report(explain_text(log)).causes]


def _ids(log: str) -> set[str]:
    return {f.id for f in explain_text(log).findings}


# --- where it fires -------------------------------------------------------------------------------------------------


def test_cudnns_make_sure_line_alone_names_a_cudnn_sub_library_missing() -> None:
    # cuDNN 8's loader on Windows prints this as the second line of "Could not load library ..."; pasted alone it is read too.
    assert _causes("Please make sure cudnn_adv_infer64_8.dll is in your library path!\n")[:1] == ["CUDNN_MISSING"]


def test_ctypes_could_not_find_module_names_the_dll() -> None:
    log = ("FileNotFoundError: Could not find module 'E:\\tools\\cuda\\bin\\cufft64_11.dll' (or one of its dependencies). "
           "Try using the full path with constructor syntax.\n")
    causes = _causes(log)
    assert causes and causes[0] in _CUDA_FAMILY
    assert "LOG-LIB-FILE-NOT-FOUND" in _ids(log)


def test_numbas_nvvm_by_its_bare_name_is_a_library_the_loader_does_not_reach() -> None:
    log = ("Finding nvvm from CUDA_HOME\n\tLocated at nvvm.dll\n\tTrying to open library...\tERROR: failed to open nvvm:\n"
           "Could not find module 'nvvm.dll' (or one of its dependencies). Try using the full path with constructor syntax.\n")
    assert _causes(log)[:1] == ["CUDA_LIBS_NOT_ON_PATH"]


def test_the_linker_not_finding_libcuda_is_the_development_link_off_the_path() -> None:
    log = "/usr/bin/ld: cannot find -lcuda: No such file or directory\ncollect2: error: ld returned 1 exit status\n"
    assert _causes(log)[:1] == ["CUDA_LIBS_NOT_ON_PATH"]


def test_a_runtime_of_another_release_than_the_one_installed_is_a_mismatch() -> None:
    log = ("nvcc: NVIDIA (R) Cuda compiler driver\nCuda compilation tools, release 11.8, V11.8.89\n"
           "RuntimeError: libcublasLt.so.12 not found\n")
    assert _causes(log)[:1] == ["CUDA_LIBS_MISMATCH"]


def test_a_runtime_of_the_release_installed_is_off_the_path() -> None:
    log = ("nvcc: NVIDIA (R) Cuda compiler driver\nCuda compilation tools, release 11.8, V11.8.89\n"
           "ERROR: cublas64_11.dll is missing\n")
    assert _causes(log)[:1] == ["CUDA_LIBS_NOT_ON_PATH"]


def test_a_verb_before_the_file_is_read() -> None:
    assert _causes("Error: unable to load libcudnn_graph.so.9\n")[:1] == ["CUDNN_MISSING"]


@pytest.mark.parametrize("said", [
    "运行时报错说找不到cudnn64_8.dll",
    "実行すると cudnn64_8.dll が見つかりません と表示されます",
])
def test_the_file_said_missing_in_another_language_with_nothing_shown_is_ranked(said: str) -> None:
    # No cuDNN shown: the counted base rate of a cuDNN 8+ soname failing (knowledge/priors.toml) puts missing first.
    causes = _causes(f"{said}\n")
    assert causes[:1] == ["CUDNN_MISSING"] and "CUDNN_MISMATCH" in causes


# --- where it stays quiet -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("log", [
    "2021-03-01 10:00:00.000000: I tensorflow/stream_executor/platform/default/dso_loader.cc:49] Successfully opened dynamic library libcudnn.so.8\n",
    "CUDA_SETUP: WARNING! libcudart.so not found in any environmental path. Searching in backup paths...\n",
    "I tensorflow/stream_executor/cuda/cuda_diagnostics.cc:200] libcuda reported version is: Not found: was unable to find libcuda.so DSO loaded into this program\n",
    "I copied cudnn64_8.dll into the CUDA bin folder as the guide says.\n",
    "为什么会找不到cudnn64_8.dll？\n",
    "if not ctypes.util.find_library('cublas'): print('libcublas.so.12 missing')\n",
    "If you get 'cudnn64_8.dll not found', install cuDNN 8 and add its bin folder to PATH.\n",
])
def test_a_library_named_without_a_failure_is_not_read(log: str) -> None:
    assert "LOG-LIB-FILE-NOT-FOUND" not in _ids(log)
    assert not {"CUDNN_MISSING", "CUDNN_MISMATCH"} & set(_causes(log))


def test_tensorflows_benign_cudart_line_keeps_its_own_reading() -> None:
    log = ("2021-05-01 12:00:00.000000: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic "
           "library 'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot open shared object file: No such file or directory\n"
           "2021-05-01 12:00:00.000001: I tensorflow/stream_executor/cuda/cudart_stub.cc:29] Ignore above cudart dlerror if you "
           "do not have a GPU set up on your machine.\n")
    ids = _ids(log)
    assert "LOG-LIB-FILE-NOT-FOUND" not in ids and "LOG-TF-DSO-LOAD" in ids


def test_a_programs_own_message_on_the_line_is_read_by_its_row() -> None:
    ids = _ids("RuntimeError: Library cublas64_12.dll is not found or cannot be loaded\n")
    assert "LOG-CT2-LIBRARY" in ids and "LOG-LIB-FILE-NOT-FOUND" not in ids
