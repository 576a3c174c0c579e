"""acclibpath (session 35): where the loader searches, read from a log, and the one decision that uses it.

Python's importer on Windows from 3.8 (LOG620), a program started under sudo where the log shows LD_LIBRARY_PATH set, a
directory listing as a library present at a path, and a file shown where the loader searches by itself.
"""

from __future__ import annotations

from log_text import codes, facts, finding_codes, first_cause, report
from whygpu.explain import libpath
from whygpu.knowledge.libraries import library_failure_cause
from whygpu.knowledge.loader_search import own_dlls_package, python_dll_search, searched_by_loader

# https://github.com/davisking/dlib/issues/2039 (the reporter's traceback and setup, Python 3.8 on Windows 10)
DLIB_38 = """    >>> import dlib
    Traceback (most recent call last):
      File "<stdin>", line 1, in <module>
    ImportError: DLL load failed while importing dlib: The specified module could not be found.
1. Install CUDA
2. Install cuDNN
* Platform: Python 3.8 64-bit for Windows 10
"""
# https://github.com/chainer/chainer/issues/4813 (the error, the user's export, the command run under sudo)
CHAINER_SUDO = """nvrtc: error: failed to open libnvrtc-builtins.so
export LD_LIBRARY_PATH=/usr/local/cuda-9.2/lib64:$LD_LIBRARY_PATH
$ sudo python train.py --gpu 0
"""
# https://github.com/Jittor/jittor/issues/70 (a listing of /usr/local/cuda/lib64 beside libcudart.so.10.0 missing)
JITTOR_LS = """ImportError: libcudart.so.10.0: cannot open shared object file: No such file or directory
➜  ~ ls /usr/local/cuda/lib64
libcudart.so                  libcurand.so.10              libnppc.so.10             libnppidei_static.a
libcudart.so.10.1             libcurand.so.10.1.1.243      libnppc.so.10.2.0.243     libnppif.so
"""


# --- the readers (explain.libpath) ---------------------------------------------------------------------------------------

def test_dll_module_not_found_reads_the_module_and_the_bare_message() -> None:
    assert libpath.dll_module_not_found("ImportError: DLL load failed while importing _C: The specified module could not be found.") == "_C"
    assert libpath.dll_module_not_found("ImportError: DLL load failed: The specified module could not be found.") == ""


def test_dll_procedure_not_found_is_not_read() -> None:
    # ERROR_PROC_NOT_FOUND: a DLL was found (another version of it), not a folder off the search path.
    assert libpath.dll_module_not_found("ImportError: DLL load failed while importing _C: The specified procedure could not be found.") is None


def test_sudo_program_run_reads_a_started_program_not_a_package_command() -> None:
    assert libpath.sudo_program_run("$ sudo python train.py --gpu 0") == "python"
    assert libpath.sudo_program_run("run a script in terminal with `sudo ./demo.py`, it raises") == "./demo.py"
    assert libpath.sudo_program_run("sudo -E python a.py") == "python"
    assert libpath.sudo_program_run("sudo apt install nvidia-cuda-toolkit") is None
    assert libpath.sudo_program_run("sudo env LD_LIBRARY_PATH=/usr/local/cuda/lib64 python a.py") is None
    assert libpath.sudo_program_run("sudo LD_LIBRARY_PATH=/usr/local/cuda/lib64 python a.py") is None
    assert libpath.sudo_program_run("I use sudo python a lot") is None
    assert libpath.sudo_program_run("$ sudo ./cuda_12.1.0_530.30.02_linux.run") is None
    assert libpath.sudo_program_run("$ sudo ./install.sh") is None


def test_loader_path_set_reads_an_export_or_an_echo_not_a_mention() -> None:
    assert libpath.loader_path_set("export LD_LIBRARY_PATH=/usr/local/cuda/lib64:$LD_LIBRARY_PATH") is not None
    assert libpath.loader_path_set("envy@box:~$ echo $LD_LIBRARY_PATH") is not None
    assert libpath.loader_path_set("Please set LD_LIBRARY_PATH correctly") is None


def test_listed_directory_and_its_rows() -> None:
    assert libpath.listed_directory("$ ls /usr/local/cuda/lib64") == "/usr/local/cuda/lib64"
    assert libpath.listed_directory("user@box:~$ ls -l /opt/cudnn/lib/ | grep cudnn") == "/opt/cudnn/lib"
    assert libpath.listed_directory(" Directory of C:\\Program Files\\NVIDIA\\CUDNN\\v8.9\\bin") == "C:\\Program Files\\NVIDIA\\CUDNN\\v8.9\\bin"
    assert libpath.listed_directory("$ ls /usr/local/cuda/lib64/libcud*") is None  # a glob prints full paths
    assert libpath.listed_directory("the tools list models") is None
    assert libpath.listed_files("libcudnn.so.8  libcudnn_ops_infer.so.8  libcudnn.so") == ["libcudnn.so.8", "libcudnn_ops_infer.so.8"]
    assert libpath.listed_files("libcudnn.so.8: cannot open shared object file") == []


# --- the knowledge (knowledge.loader_search) -------------------------------------------------------------------------

def test_python_dll_search_from_38() -> None:
    assert python_dll_search("3.8.0b2") is not None
    assert python_dll_search("3.12") is not None
    assert python_dll_search("3.7.4") is None
    assert python_dll_search("") is None


def test_own_dlls_package() -> None:
    assert own_dlls_package("_C", frozenset({"torch"})) is not None
    assert own_dlls_package("torch._C") is not None
    assert own_dlls_package("_pywrap_tensorflow_internal") is not None
    assert own_dlls_package("_C") is None  # a bare _C of a log that names no torch: some other package's
    assert own_dlls_package("dlib") is None


def test_searched_by_loader() -> None:
    assert searched_by_loader("/usr/lib/x86_64-linux-gnu/libcudnn.so.8")
    assert searched_by_loader("/usr/local/cuda/lib64/libcudnn.so.8", "\tlibcudnn.so.8 (libc6,x86-64) => /usr/local/cuda/lib64/libcudnn.so.8")
    assert not searched_by_loader("/usr/local/cuda/lib64/libcudnn.so.8")
    assert not searched_by_loader("/home/u/venv/lib/python3.10/site-packages/nvidia/cudnn/lib/libcudnn.so.8")


# --- the decision (knowledge.libraries.library_failure_cause) --------------------------------------------------------

ALSO = ("CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISMATCH")


def test_windows_dll_module_with_python_38_is_off_the_path() -> None:
    reading = library_failure_cause("CUDA_LIBS_MISSING", ALSO, windows_dll_module="dlib", python="3.8")
    assert (reading.cause, reading.basis) == ("CUDA_LIBS_NOT_ON_PATH", "python_dll_search")
    assert "CUDA_LIBS_NOT_ON_PATH" not in reading.alternatives and "CUDA_LIBS_MISSING" in reading.alternatives


def test_windows_dll_module_with_python_37_or_none_decides_nothing() -> None:
    assert library_failure_cause("CUDA_LIBS_MISSING", ALSO, windows_dll_module="dlib", python="3.7").basis == ""
    assert library_failure_cause("CUDA_LIBS_MISSING", ALSO, windows_dll_module="dlib").basis == ""


def test_windows_dll_module_of_a_package_with_its_own_dlls_decides_nothing_unless_built_here() -> None:
    named = frozenset({"torch"})
    assert library_failure_cause("CUDA_LIBS_MISSING", ALSO, windows_dll_module="_C", python="3.10", packages_named=named).basis == ""
    built = library_failure_cause("CUDA_LIBS_MISSING", ALSO, windows_dll_module="_C", python="3.8", packages_named=named, source_build=True)
    assert built.basis == "python_dll_search"


def test_sudo_env_reset_decides_off_the_path_after_the_versions() -> None:
    tags = frozenset({"sudo_env_reset"})
    reading = library_failure_cause("CUDA_LIBS_NOT_ON_PATH", ("CUDA_LIBS_MISMATCH", "CUDA_LIBS_MISSING"), tags=tags, cuda_installed=("9.2",))
    assert (reading.cause, reading.basis) == ("CUDA_LIBS_NOT_ON_PATH", "sudo_env_reset")
    assert "CUDA_LIBS_NOT_ON_PATH" not in reading.alternatives
    # A release shown that lacks the file asked for decides first: sudo changes where the loader looks, not what is there.
    lacking = library_failure_cause("CUDA_LIBS_MISSING", ALSO, file="libcudart.so.10.0", wanted="10.0", cuda_installed=("10.1",), tags=tags)
    assert lacking.cause == "CUDA_LIBS_MISMATCH"


# --- reports ---------------------------------------------------------------------------------------------------------

def test_report_python_38_dll_load_failed_is_off_the_path() -> None:
    assert "LOG620" in finding_codes(DLIB_38)
    assert codes(DLIB_38)[:3] == ["CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISSING", "CUDA_LIBS_MISMATCH"]
    cause = report(DLIB_38).causes[0]
    assert "add_dll_directory" in " ".join(f.fix for f in report(DLIB_38).findings if f.id == "LOG620")
    assert "None" not in cause.title


def test_report_python_37_dll_load_failed_stays_quiet() -> None:
    assert "LOG620" not in finding_codes(DLIB_38.replace("Python 3.8", "Python 3.7"))


def test_report_dll_load_failed_without_cuda_stays_quiet() -> None:
    text = "ImportError: DLL load failed while importing _imaging: The specified module could not be found.\nPython 3.10 on Windows 11\n"
    assert "LOG620" not in finding_codes(text)


def test_report_torch_wheel_dll_load_failed_is_not_read_as_the_cuda_folder() -> None:
    text = ("import torch\nImportError: DLL load failed while importing _C: The specified module could not be found.\n"
            "torch 2.1.0+cu121, Python 3.10, CUDA 12.1, Windows 11\n")
    assert "LOG620" not in finding_codes(text)


def test_report_program_under_sudo_with_the_users_path_is_off_the_path() -> None:
    assert first_cause(CHAINER_SUDO) == "CUDA_LIBS_NOT_ON_PATH"
    cause = report(CHAINER_SUDO).causes[0]
    assert "sudo" in cause.title and "None" not in cause.title


def test_report_same_lines_without_sudo_are_not_read_as_sudo() -> None:
    text = CHAINER_SUDO.replace("$ sudo python", "$ python")
    assert all("sudo" not in c.title for c in report(text).causes)


def test_report_sudo_passing_the_path_is_not_read() -> None:
    text = CHAINER_SUDO.replace("$ sudo python", "$ sudo env LD_LIBRARY_PATH=$LD_LIBRARY_PATH python")
    assert all("sudo, which drops" not in c.title for c in report(text).causes)


def test_listing_shows_the_library_present_at_its_directory() -> None:
    listed = facts(JITTOR_LS)
    assert [s.value for s in listed.library_files["libcudart.so.10.1"]] == ["/usr/local/cuda/lib64/libcudart.so.10.1"]
    assert "libcudart.so.10.1" in [s.value for s in listed.cuda_library_present]
    # Only another version of the file asked for is listed: another release (the decision's file_other).
    assert first_cause(JITTOR_LS) == "CUDA_LIBS_MISMATCH"


def test_listing_of_the_same_cudnn_file_is_present_off_the_path() -> None:
    text = ("Could not load library libcudnn_ops_infer.so.8. Error: libcudnn_ops_infer.so.8: cannot open shared object file: No such file or directory\n"
            "$ ls /home/u/venv/lib/python3.10/site-packages/nvidia/cudnn/lib\nlibcudnn.so.8  libcudnn_ops_infer.so.8\n")
    assert "LOG105" in finding_codes(text)
    assert first_cause(text) == "CUDA_LIBS_NOT_ON_PATH"


def test_rows_after_another_command_are_not_the_listing() -> None:
    text = "$ ls /opt/cudnn/lib\nfoo\n$ python x.py\nlibcudnn_ops_infer.so.8\n"
    assert "libcudnn_ops_infer.so.8" not in facts(text).library_files


def test_file_in_a_directory_the_loader_searches_is_not_off_its_path() -> None:
    text = ("ImportError: libcudnn.so.8: cannot open shared object file: No such file or directory\n$ ldconfig -p | grep cudnn\n"
            "\tlibcudnn.so.8 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcudnn.so.8\n")
    assert "LOG105" not in finding_codes(text)
    shown = text.replace("\tlibcudnn.so.8 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcudnn.so.8", "/opt/cudnn/lib/libcudnn.so.8")
    assert "LOG105" in finding_codes(shown)


def test_codes_helper_sees_no_cause_for_an_unrelated_sudo_line() -> None:
    assert codes("$ sudo apt update\nexport LD_LIBRARY_PATH=/usr/local/cuda/lib64\n") == []
