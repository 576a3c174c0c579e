"""CUDA-library classes read in session 17 (acc8a): nvlink's "newer than toolkit", and the counted rows for a
library failure when the log shows an installed version that does not decide, or shows WSL.

The lines are written from what the programs print (nvlink, TensorFlow's dso_loader and gpu_device.cc,
nvcc --version, the WSL 2 kernel string), not copied from corpus cases.
"""

from __future__ import annotations

from log_text import codes as _codes
from log_text import facts as _facts
from whygpu.explain import explain_text, to_report
from whygpu.knowledge.priors import undecided_prior

_LIBS = ("CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISMATCH")


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


# --- nvlink: an input compiled by a newer CUDA than nvlink's own ------------------------------------------


def test_nvlink_given_code_of_a_newer_cuda_is_a_toolkit_mismatch() -> None:
    for line in ("nvlink fatal   : Input file '/tmp/tmpxft_0001-7.cubin' newer than toolkit (124 vs 120)\n",
                 "XlaRuntimeError: INTERNAL: nvlink exited with non-zero error code 256, output: nvlink fatal  : "
                 "Input file '/tmp/tempfile-host-1-2.cubin' newer than toolkit (121 vs118)\n"):
        assert "LOG-CUDATK-NVLINK-NEWER" in _ids(line)
        assert _codes(line)[:2] == ["CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH"]


def test_other_nvlink_lines_and_prose_stay_quiet() -> None:
    # nvlink's other diagnostics (an archive of another architecture) and a sentence are not this message.
    assert "LOG-CUDATK-NVLINK-NEWER" not in _ids("nvlink warning : Skipping incompatible '../lib/libfoo.a' when searching for -lfoo\n")
    assert "LOG-CUDATK-NVLINK-NEWER" not in _ids("Is the input file newer than toolkit releases allow?\n")
    assert _codes("nvlink info    : 112 bytes gmem\n") == []


# --- a CUDA installed, shown, whose version does not decide ------------------------------------------------

_DLOPEN_SKIP = ("2024-03-11 02:00:01.180445: W tensorflow/core/common_runtime/gpu/gpu_device.cc:2251] Cannot dlopen some "
                "GPU libraries. Please make sure the missing libraries mentioned above are installed properly if you would "
                "like to use GPU.\n")
_NVCC = "nvcc: NVIDIA (R) Cuda compiler driver\nCuda compilation tools, release 11.8, V11.8.89\n"


def test_a_cuda_shown_installed_that_does_not_decide_ranks_missing_last() -> None:
    codes = _codes(_NVCC + _DLOPEN_SKIP)
    assert codes[0] == "CUDA_LIBS_MISMATCH"
    assert codes.index("CUDA_LIBS_NOT_ON_PATH") < codes.index("CUDA_LIBS_MISSING")


def test_without_a_cuda_shown_the_general_row_ranks_as_before() -> None:
    codes = _codes(_DLOPEN_SKIP)
    # The general row (32 / 5 / 2) orders the family; MISSING is not moved behind NOT_ON_PATH there.
    assert codes[0] == "CUDA_LIBS_MISMATCH"
    assert undecided_prior("CUDA_LIBS_MISSING", ("CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISMATCH")) is not None
    shown = undecided_prior("CUDA_LIBS_MISSING", ("CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISMATCH"), installed_shown=True)
    assert shown is not None and shown.ranking[-1] == "CUDA_LIBS_MISSING"


def test_an_installed_version_that_decides_is_not_ranked_by_a_row() -> None:
    line = ("W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library "
            "'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot open shared object file: No such file or directory\n")
    # CUDA 11.0 installed holds the library: off the loader's path, whatever the rows say.
    assert _codes("Cuda compilation tools, release 11.0, V11.0.221\n" + line)[0] == "CUDA_LIBS_NOT_ON_PATH"


# --- a cuDNN installed, shown, beside a cuDNN failure ------------------------------------------------------

_DNN = "  (0) UNIMPLEMENTED: DNN library is not found.\n"


def test_a_cudnn_shown_installed_beside_dnn_not_found_is_another_cudnn_first() -> None:
    codes = _codes("- CUDA/cuDNN version: 11.2 / cuDNN 8.1\n" + _DNN)
    assert codes[0] == "CUDNN_MISMATCH"
    assert codes.index("CUDA_LIBS_NOT_ON_PATH") < codes.index("CUDNN_MISSING")


def test_a_line_that_names_missing_keeps_it_with_a_cudnn_shown() -> None:
    # cuDNN 8's Windows loader missing zlibwapi.dll names its member: no row re-ranks it.
    zlib = "Could not locate zlibwapi.dll. Please make sure it is in your library path!\n"
    assert _codes("cuDNN 8.5 installed\n" + zlib)[0] == "CUDNN_MISSING"
    assert undecided_prior("CUDNN_MISSING", ("CUDA_LIBS_NOT_ON_PATH",), installed_shown=True) is None


# --- WSL: a CUDA library failing with nothing deciding ------------------------------------------------------

_WSL = "Linux DESKTOP-1 5.15.133.1-microsoft-standard-WSL2 #1 SMP Thu Oct 5 21:02:42 UTC 2023 x86_64 GNU/Linux\n"
_CUDART = ("W tensorflow/compiler/xla/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library "
           "'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot open shared object file: No such file or directory\n")


def test_a_cuda_library_failing_inside_wsl_is_off_the_path_first() -> None:
    assert _codes(_WSL + _CUDART)[0] == "CUDA_LIBS_NOT_ON_PATH"
    row = undecided_prior("CUDA_LIBS_MISSING", _LIBS, tags=frozenset({"wsl"}))
    assert row is not None and row.context == "wsl" and row.ranking[0] == "CUDA_LIBS_NOT_ON_PATH"


def test_the_same_failure_off_wsl_keeps_the_general_ranking() -> None:
    # accsoname (session 34): off WSL, a CUDA 11 file with nothing of CUDA shown takes the counted none-shown row (MISSING first).
    assert _codes("Linux host 5.15.0-91-generic #101-Ubuntu SMP x86_64 GNU/Linux\n" + _CUDART)[:2] == ["CUDA_LIBS_MISSING", "CUDA_LIBS_MISMATCH"]
    # Inside WSL, a CUDA shown installed in the release the library names still decides (off the path).
    assert _codes(_WSL + "Cuda compilation tools, release 11.0, V11.0.221\n" + _CUDART)[0] == "CUDA_LIBS_NOT_ON_PATH"


# --- TensorFlow's tested build and the CUDA shown installed -------------------------------------------------


def test_the_cuda_tensorflows_build_names_shown_installed_is_off_the_path() -> None:
    text = "TensorFlow version: 2.15.0\n" + _DLOPEN_SKIP
    report = to_report(explain_text(text + "Cuda compilation tools, release 12.2, V12.2.140\n"))
    assert report.causes[0].code == "CUDA_LIBS_NOT_ON_PATH" and "built for CUDA 12.2" in report.causes[0].title
    # Another major installed stays a mismatch (the build's CUDA is not there).
    assert _codes(text + "Cuda compilation tools, release 11.8, V11.8.89\n")[0] == "CUDA_LIBS_MISMATCH"


# --- an unversioned library name: no version for a mismatch -------------------------------------------------


def test_an_unversioned_cudnn_or_cuda_name_failing_is_off_the_path_not_another_version() -> None:
    cudnn = ("W0529 03:50:54.756090 56933 dynamic_loader.cc:179] Failed to find dynamic library: libcudnn.so "
             "( libcudnn.so: cannot open shared object file: No such file or directory )\n")
    codes = _codes(cudnn)
    assert codes[0] == "CUDA_LIBS_NOT_ON_PATH" and "CUDNN_MISSING" in codes and "CUDNN_MISMATCH" not in codes
    cudart = "OSError: libcudart.so: cannot open shared object file: No such file or directory\n"
    codes = _codes(cudart)
    assert codes[0] == "CUDA_LIBS_NOT_ON_PATH" and "CUDA_LIBS_MISMATCH" not in codes


def test_a_versioned_soname_keeps_its_version_reading() -> None:
    # libcudnn.so.7 names a major: another cuDNN major installed is possible, and ranked first by the counted row (from
    # major 8 on, accrank4's row keeps missing first with another major listed: tests/explain/test_accrank4_ranking.py).
    assert _codes("OSError: libcudnn.so.7: cannot open shared object file: No such file or directory\n")[0] == "CUDNN_MISMATCH"
    assert "CUDNN_MISMATCH" in _codes("OSError: libcudnn.so.8: cannot open shared object file: No such file or directory\n")
    assert _codes("OSError: libcudart.so.11.0: cannot open shared object file: No such file or directory\n")[0] == "CUDA_LIBS_MISSING"


# --- cudarc could not load a library under any of its names ---------------------------------------------------


def test_cudarcs_library_search_failing_is_off_the_path_first() -> None:
    for line in ('thread \'main\' panicked at src/driver/sys/mod.rs:61:9:\nUnable to find cuda lib under the names '
                 '["cuda", "nvcuda"]. Please open GitHub issue.\n',
                 'Unable to dynamically load the "nvrtc" shared library - searched for library names: ["libnvrtc.so", '
                 '"libnvrtc.so.12"]. Ensure that `LD_LIBRARY_PATH` has the correct path to the installed library.\n'):
        assert "LOG-CUDARC-LIB-NOT-FOUND" in _ids(line)
        assert _codes(line)[0] == "CUDA_LIBS_NOT_ON_PATH"


def test_other_unable_to_find_lines_are_not_cudarcs() -> None:
    assert "LOG-CUDARC-LIB-NOT-FOUND" not in _ids("Unable to find the cuda lib folder, please set CUDA_HOME\n")
    assert "LOG-CUDARC-LIB-NOT-FOUND" not in _ids('Unable to dynamically load the "cuda" module from the plugin registry\n')


# --- zlibwapi.dll: cuDNN's dependency missing ---------------------------------------------------------------


def test_zlibwapi_missing_lists_the_missing_library_readings_first() -> None:
    codes = _codes("Could not locate zlibwapi.dll. Please make sure it is in your library path!\n")
    assert codes[:3] == ["CUDNN_MISSING", "CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH"]


# --- bitsandbytes 0.35-0.39: its own search for the unversioned libraries, and the CPU fallback ----------------


def test_bitsandbytes_not_finding_libcuda_is_off_the_path_not_a_cpu_build() -> None:
    log = ("CUDA SETUP: WARNING! libcuda.so not found! Do you have a CUDA driver installed? If you are on a cluster, "
           "make sure you are on a CUDA machine!\n"
           "UserWarning: WARNING: No GPU detected! Check your CUDA paths. Proceeding to load CPU-only library...\n"
           "UserWarning: The installed version of bitsandbytes was compiled without GPU support. 8-bit optimizers "
           "and GPU quantization are unavailable.\n")
    codes = _codes(log)
    assert codes[0] == "CUDA_LIBS_NOT_ON_PATH" and "FRAMEWORK_CPU_BUILD" not in codes[:1]
    assert "LOG-BNB-SETUP-LIB-NOT-FOUND" in _ids("WARNING: No libcudart.so found! Install CUDA or the cudatoolkit package (anaconda)!\n")


def test_bitsandbytes_finding_its_libraries_or_a_real_cpu_build_reads_as_before() -> None:
    assert _codes("CUDA SETUP: CUDA runtime path found: /opt/conda/lib/libcudart.so.11.0\n"
                  "CUDA SETUP: Highest compute capability among GPUs detected: 8.6\n") == []
    # Without the fallback lines, the CPU library's warning alone keeps its reading (a CPU-only build).
    assert _codes("UserWarning: The installed version of bitsandbytes was compiled without GPU support.\n")[0] == "FRAMEWORK_CPU_BUILD"


# --- the driver a CUDA 13 build needs on Windows -------------------------------------------------------------


def test_a_windows_r580_driver_runs_cuda_13_and_an_older_one_does_not() -> None:
    from whygpu.knowledge.cuda import max_cuda_for_driver

    # The 13.x release notes list no Windows toolkit driver; the compatibility guide's floor (>= 580) applies.
    top = max_cuda_for_driver("581.80", "windows", minor_compat=False)
    assert top is not None and top.startswith("13.")
    assert max_cuda_for_driver("576.02", "windows", minor_compat=False) == "12.9"
    # A CUDA 13 library failing to load on such a driver is no "driver too old".
    log = "- Windows 10\n- RTX 5070, driver 581.80\nError loading cublasLt64_13.dll: the file is missing\n"
    assert "DRIVER_TOO_OLD" not in _codes(log)[:1]


# --- the driver's libcuda lacking a driver-API entry point ------------------------------------------------------


def test_libcuda_lacking_a_driver_api_entry_point_is_an_old_driver() -> None:
    for line in ("OSError: /usr/lib/x86_64-linux-gnu/libcuda.so.1: undefined symbol: cuGraphInstantiateWithParams\n",
                 "dlerr: /usr/lib64/libcuda.so.470.57.02: undefined symbol: cuMemCreate_v2\n"):
        assert _codes(line)[0] == "DRIVER_TOO_OLD"
        assert "LOG-DRIVER-API-SYMBOL-MISSING" in _ids(line)


def test_other_undefined_symbols_keep_their_readings() -> None:
    # A CUDA library's own symbol (cuBLAS) missing is two CUDA libraries of different versions.
    line = "OSError: /opt/env/lib/libcublas.so.11: undefined symbol: cublasLtGetStatusString, version libcublasLt.so.11\n"
    assert _codes(line)[0] == "CUDA_LIBS_MISMATCH"
    # A program's own library missing cuInit was linked without libcuda: not the driver's version.
    assert "LOG-DRIVER-API-SYMBOL-MISSING" not in _ids("./xmrig: symbol lookup error: /root/libxmrig-cuda.so: undefined symbol: cuInit\n")



# --- TensorFlow's [and-cuda] extra: pip's CUDA wheels installed, the GPU unused ------------------------------------

_AND_CUDA = "python -m pip install tensorflow[and-cuda]\n"
_EMPTY = ">>> import tensorflow as tf\n>>> tf.config.list_physical_devices('GPU')\n[]\n"


def test_tensorflow_with_its_cuda_wheels_finding_no_gpu_is_off_the_path() -> None:
    report = to_report(explain_text(_AND_CUDA + _EMPTY))
    assert report.causes[0].code == "CUDA_LIBS_NOT_ON_PATH"
    assert "LOG170" in {f.id for f in explain_text(_AND_CUDA + _EMPTY).findings}
    # An empty list retyped with a space is the same answer.
    assert _codes(_AND_CUDA + _EMPTY.replace("[]", "[ ]"))[0] == "CUDA_LIBS_NOT_ON_PATH"
    # A library failure in such an environment: its own counted row ranks "off the path" first.
    assert _codes(_AND_CUDA + _DLOPEN_SKIP)[0] == "CUDA_LIBS_NOT_ON_PATH"


def test_the_extra_without_an_unused_gpu_or_beside_a_gpu_found_says_nothing() -> None:
    assert _codes(_AND_CUDA) == []
    found = _AND_CUDA + ">>> tf.config.list_physical_devices('GPU')\n[PhysicalDevice(name='/physical_device:GPU:0', device_type='GPU')]\n"
    assert _codes(found) == []
    # Without the extra, the same empty answer keeps the general reading (not this rule).
    assert "LOG170" not in {f.id for f in explain_text("python -m pip install tensorflow\n" + _EMPTY).findings}
    # On native Windows there are no CUDA wheels for TensorFlow: another reading.
    assert "LOG170" not in {f.id for f in explain_text("Windows 11\n" + _AND_CUDA + _EMPTY).findings}


# --- nvJitLink's versioned export names ---------------------------------------------------------------------------


def test_an_older_nvjitlink_lacking_a_versioned_export_is_a_cuda_library_mismatch() -> None:
    line = ("ImportError: /venv/lib/python3.12/site-packages/nvidia/cusparse/lib/libcusparse.so.12: undefined symbol: "
            "__nvJitLinkComplete_12_4, version libnvJitLink.so.12\n")
    assert _codes(line)[0] == "CUDA_LIBS_MISMATCH"
    # Other double-underscore symbols (the C++ runtime's) are not CUDA's.
    assert "LOG-UNDEFINED-SYMBOL-CUDA" not in _ids("ImportError: /opt/lib/libfoo.so: undefined symbol: __cxa_pure_virtual\n")


# --- the scanner's RE2 filter stays within its DFA budget as signatures are added -----------------------------


def test_the_combined_filter_does_not_run_out_of_dfa_memory(capfd) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from whygpu.explain.catalogue import catalogue
    from whygpu.explain.scan import Matcher

    matcher = Matcher(catalogue(), use_re2=True)
    if matcher.filter is None:
        pytest.skip("google-re2 is not installed")
    text = (_DLOPEN_SKIP + _NVCC + "nvlink fatal   : Input file 'a.cubin' newer than toolkit (124 vs 120)\n") * 50
    assert matcher.filter.search(text.encode("latin-1", "replace")) is not None
    # RE2 writes "DFA out of memory" to the process's stderr when the alternation outgrows max_mem.
    assert "DFA out of memory" not in capfd.readouterr().err


# --- the toolkit's version file, and PyTorch's CUDA printed with its build number ------------------------------


def test_the_cuda_version_file_is_an_installed_toolkit_not_a_container() -> None:
    facts = _facts("# cat /usr/local/cuda/version.txt\nCUDA Version 9.0.176\n")
    assert [s.value for s in facts.cuda_installed][:1] == ["9.0"] and not facts.in_container
    # The NVIDIA images' start-up banner, the same words without the command, still says container.
    assert _facts("==========\n== CUDA ==\n==========\n\nCUDA Version 11.8.0\n").in_container


def test_torch_version_cuda_with_a_build_number_is_that_cuda() -> None:
    facts = _facts(">>> import torch\n>>> print(torch.version.cuda)\n10.0.130\n")
    assert [s.value for s in facts.build_cuda.get("torch", [])] == ["10.0"]
    assert [s.value for s in _facts(">>> torch.version.cuda\n'12.1'\n").build_cuda.get("torch", [])] == ["12.1"]
    # A number that is not a CUDA version form is not read.
    assert not _facts(">>> torch.version.cuda\n'unknown'\n").build_cuda.get("torch")
