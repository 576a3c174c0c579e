"""TensorFlow classes of log: each reading or rule fires on lines that mean its cause and stays quiet without them.

The lines are written from what each message means (not copied from a corpus case).
"""

from __future__ import annotations

import pytest

from log_text import codes as _codes
from log_text import facts as _facts
from whygpu.explain import explain_text, to_report
from whygpu.knowledge.cuda import cuda_ships_library, distro_cuda_toolkit

# --- knowledge ---------------------------------------------------------------------------------


def test_a_release_ships_its_own_sonames_only() -> None:
    assert cuda_ships_library("11.1", "libcusolver.so.11") is True
    assert cuda_ships_library("11.1", "libcusolver.so.10") is False  # 11.0's soname
    assert cuda_ships_library("10.1", "libcurand.so.10.0") is False  # 10.0's soname
    assert cuda_ships_library("10.0", "/usr/local/cuda/lib64/libcurand.so.10.0") is True
    # Unknown release, a library the table does not list, or a Windows DLL: no answer.
    assert cuda_ships_library("8.0", "libcudart.so.8.0") is None
    assert cuda_ships_library("11.2", "libfoo.so.1") is None
    assert cuda_ships_library("11.2", "libcusolver.so") is None
    # A Windows DLL carries the soname's version: cusolver64_10.dll is CUDA 11.0's, not 11.2's.
    assert cuda_ships_library("11.2", "cusolver64_11.dll") is True
    assert cuda_ships_library("11.2", "cusolver64_10.dll") is False
    assert cuda_ships_library("10.1", "cudart64_101.dll") is True
    assert cuda_ships_library("10.2", "cudart64_101.dll") is False


def test_a_distribution_package_installs_one_cuda_release() -> None:
    assert distro_cuda_toolkit("ubuntu", "20.04") == "10.1"
    assert distro_cuda_toolkit("Ubuntu", "22.04") == "11.5"
    assert distro_cuda_toolkit("debian", "12") == "11.8"
    assert distro_cuda_toolkit("ubuntu", "21.10") is None


# --- a library the build wants, against the CUDA the log shows installed ----------------------

_CUSOLVER = "W tensorflow/stream_executor/platform/default/dso_loader.cc:60] Could not load dynamic library 'libcusolver.so.10'; dlerror: libcusolver.so.10: cannot open shared object file: No such file or directory\n"


def test_a_soname_the_installed_release_does_not_ship_is_a_mismatch() -> None:
    codes = _codes(_CUSOLVER + "Cuda compilation tools, release 11.2, V11.2.152\n")
    assert codes[0] == "CUDA_LIBS_MISMATCH"


def test_the_mismatch_fix_comes_from_the_fix_builder_with_the_installed_release() -> None:
    # The one fix builder's fix (rules.fixes.cause_fix) for the installed release: the TensorFlow built for it.
    report = to_report(explain_text(_CUSOLVER + "Cuda compilation tools, release 11.2, V11.2.152\n"))
    fix = report.causes[0].fix
    assert fix.startswith("Install the CUDA release this build was compiled for (its tested build configurations list it) beside CUDA 11.2.")
    assert 'pip install "tensorflow==2.11.*"' in fix
    # CUDA 11.1: no TensorFlow is built for it (2.4's 11.0 build wants this very libcusolver.so.10): no pin offered.
    fix = to_report(explain_text(_CUSOLVER + "Cuda compilation tools, release 11.1, V11.1.105\n")).causes[0].fix
    assert "beside CUDA 11.1" in fix and "tensorflow==" not in fix


def test_a_soname_the_installed_release_ships_is_a_path_problem() -> None:
    codes = _codes(_CUSOLVER + "Cuda compilation tools, release 11.0, V11.0.221\n")
    assert codes[0] == "CUDA_LIBS_NOT_ON_PATH"


def test_without_an_installed_release_the_base_rate_ranks_the_family() -> None:
    # Nothing shows what is installed: another release is likeliest (knowledge/priors.toml), the others stay listed.
    codes = _codes(_CUSOLVER)
    assert codes[0] == "CUDA_LIBS_MISMATCH" and {"CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH"} <= set(codes)


_STUB = "I tensorflow/tsl/cuda/cudart_stub.cc:28] Could not find cuda drivers on your machine, GPU will not be used.\n"
_SKIP = "W tensorflow/core/common_runtime/gpu/gpu_device.cc:2211] Cannot dlopen some GPU libraries. Please make sure the missing libraries mentioned above are installed properly.\n"


def test_tensorflows_tested_build_against_another_installed_cuda_major() -> None:
    text = "TensorFlow version: 2.15.0\nOS: Ubuntu 22.04\n" + _SKIP
    assert _codes(text + "Cuda compilation tools, release 11.8, V11.8.89\n")[0] == "CUDA_LIBS_MISMATCH"
    # The build's own CUDA major installed: nothing says mismatch.
    assert _codes(text + "Cuda compilation tools, release 12.2, V12.2.140\n")[0] != "CUDA_LIBS_MISMATCH"
    # No version shown: no build to compare with, so no claim about TensorFlow's build; the family is ranked
    # by the counted row for a CUDA shown installed (knowledge/priors.toml), which puts "missing" last.
    report = to_report(explain_text(_SKIP + "Cuda compilation tools, release 11.8, V11.8.89\n"))
    assert not any("built for CUDA" in c.title for c in report.causes)
    assert report.causes[0].confidence.value == "low"
    codes = [c.code for c in report.causes]
    assert codes.index("CUDA_LIBS_NOT_ON_PATH") < codes.index("CUDA_LIBS_MISSING")


# --- platform ------------------------------------------------------------------------------------


def test_a_linux_interpreter_on_a_windows_machine_is_wsl() -> None:
    banner = "Python 3.10.12 (main, Nov 20 2023, 15:14:05) [GCC 11.4.0] on linux\n"
    assert _facts("I run this on Windows 11.\n" + banner).platform_name() == "wsl"
    assert _facts("I run this on Windows 11.\n").platform_name() == "windows"
    assert _facts(banner).platform_name() == "linux"


def test_a_distribution_named_as_wsls_is_wsl() -> None:
    assert _facts("OS: Ubuntu 22.04 LTS (WSL) on Windows 11\n").platform_name() == "wsl"
    assert _facts("OS: Ubuntu 22.04 LTS on Windows 11 dual boot\n").platform_name() == "windows"


def test_tensorflow_2_15_under_wsl_is_not_judged_as_native_windows() -> None:
    text = "### TensorFlow version\n\n2.15.0\n\n### OS platform and distribution\n\nUbuntu 22.04 (WSL), Windows 11\n\n" + _STUB
    assert "FRAMEWORK_CPU_BUILD" not in _codes(text)[:1]


# --- what the user states -----------------------------------------------------------------------


def test_a_version_at_the_end_of_a_sentence_is_read() -> None:
    assert [s.value for s in _facts("It fails with tensorflow-gpu 1.8.0.\n").versions["tensorflow"]] == ["1.8.0"]
    # A longer dotted word is not a version.
    assert "tensorflow" not in _facts("see tensorflow 1.8.0.dev3x\n").versions


def test_a_package_built_for_a_cuda_release_is_not_that_cuda_installed() -> None:
    assert _facts("sudo dpkg -i libcudnn8_8.0.5.39-1+cuda11.0_amd64.deb\n").cuda_installed == []
    assert [s.value for s in _facts("I installed cuda-9.0 yesterday\n").cuda_installed] == ["9.0"]


@pytest.mark.parametrize("line", ["During training the tool is using only my CPU.", "Training is using only the CPU"])
def test_the_users_words_that_only_the_cpu_is_used(line: str) -> None:
    assert _facts(line + "\n").stated_unused
    assert not _facts("Training is using my GPU and CPU\n").stated_unused


def test_the_users_words_that_the_build_lacks_gpu_support() -> None:
    assert _facts("pip gave me a tensorflow without GPU or CUDA support\n").stated_cpu_build
    assert not _facts("pip gave me a tensorflow with GPU and CUDA support\n").stated_cpu_build


# --- nvidia-smi works but TensorFlow finds no GPU -----------------------------------------------

_NOT_FOUND = "    raise SystemError('GPU device not found')\nSystemError: GPU device not found\n"
_SMI = "| NVIDIA-SMI 535.104.05   Driver Version: 535.104.05   CUDA Version: 12.2 |\n"


def test_no_gpu_found_with_a_working_driver_on_colab_is_a_cuda_mismatch() -> None:
    assert _codes("%tensorflow_version 2.x\n" + _NOT_FOUND + _SMI)[0] == "CUDA_LIBS_MISMATCH"


def test_no_gpu_found_with_a_working_driver_elsewhere_is_tensorflows_side() -> None:
    codes = _codes(_NOT_FOUND + _SMI)
    assert codes[0] == "CUDA_LIBS_MISSING"
    assert "NO_GPU" not in codes


def test_no_gpu_found_alone_still_says_no_gpu_first() -> None:
    assert _codes(_NOT_FOUND)[0] == "NO_GPU"


# --- the CUDA a distribution's package installs -------------------------------------------------


def test_ubuntus_own_cuda_package_is_its_release_of_cuda() -> None:
    text = "OS Platform and Distribution (e.g., Linux Ubuntu 16.04): Ubuntu 20.04\nsudo apt install nvidia-cuda-toolkit\n"
    facts = _facts(text)
    assert [s.value for s in facts.distro] == ["ubuntu 20.04"]
    assert [s.value for s in facts.cuda_installed] == ["10.1"]
    # The same command with no release named: no CUDA version follows.
    assert _facts("sudo apt install nvidia-cuda-toolkit\n").cuda_installed == []
    # A release named, the NVIDIA repository's package instead: nothing follows.
    assert _facts("Ubuntu 20.04\nsudo apt install cuda-toolkit-11-0\n").cuda_installed == []


def test_tensorflow_2_4_with_ubuntu_20_04s_cuda_package_is_a_mismatch() -> None:
    text = "TensorFlow version: 2.4.0\nOS: Ubuntu 20.04\nsudo apt install nvidia-cuda-toolkit\npip install tensorflow\n"
    assert _codes(text)[0] == "CUDA_LIBS_MISMATCH"
    assert _codes("TensorFlow version: 2.4.0\nOS: Ubuntu 20.04\npip install tensorflow\n") == []


def test_tensorflow_1_x_builds_name_the_cuda_minor_their_wheels_load() -> None:
    # 1.5-1.12 load CUDA 9.0's sonames: CUDA 9.2 is another release for them.
    assert _codes("It fails with tensorflow-gpu 1.8.0 and CUDA 9.2 installed.\n")[0] == "CUDA_LIBS_MISMATCH"
    assert _codes("It fails with tensorflow-gpu 1.8.0 and CUDA 9.0 installed.\n") == []


# --- LOG131: two driver releases ---------------------------------------------------------------

_CUINIT = "E tensorflow/stream_executor/cuda/cuda_driver.cc:406] failed call to cuInit: CUDA_ERROR_NO_DEVICE\n"


def test_log131_driver_library_and_kernel_module_of_two_releases() -> None:
    text = (_CUINIT + "I tensorflow/stream_executor/cuda/cuda_diagnostics.cc:189] libcuda reported version is: 470.57.2\n"
            "I tensorflow/stream_executor/cuda/cuda_diagnostics.cc:193] kernel reported version is: 510.47.3\n")
    report = to_report(explain_text(text))
    assert report.causes[0].code == "DRIVER_MISMATCH"
    assert "LOG131" in report.causes[0].findings


def test_log131_quiet_when_both_are_one_release() -> None:
    text = (_CUINIT + "I cuda_diagnostics.cc:189] libcuda reported version is: 510.47.3\n"
            "NVRM version: NVIDIA UNIX x86_64 Kernel Module  510.47.03  Mon Jan 24 22:58:54 UTC 2022\n")
    facts = _facts(text)
    assert [s.value for s in facts.driver_kernel_version] == ["510.47.03"]
    assert "DRIVER_MISMATCH" not in _codes(text)


# --- LOG132: a Jetson with PyPI's TensorFlow ---------------------------------------------------


def test_log132_a_jetson_where_tensorflow_finds_no_gpu() -> None:
    text = "Board: Jetson Xavier NX with JetPack 5.1\n>>> tf.config.list_physical_devices('GPU')\n[]\n"
    report = to_report(explain_text(text))
    assert report.causes[0].code == "FRAMEWORK_CPU_BUILD"
    assert "LOG132" in report.causes[0].findings


def test_log132_quiet_with_nvidias_jetson_build_or_without_a_jetson() -> None:
    jetson_build = "Board: Jetson Orin\ntensorflow==2.12.0+nv23.06\n>>> tf.config.list_physical_devices('GPU')\n[]\n"
    assert "LOG132" not in {f.id for f in explain_text(jetson_build).findings}
    plain = ">>> tf.config.list_physical_devices('GPU')\n[]\n"
    assert "LOG132" not in {f.id for f in explain_text(plain).findings}
    # A Jetson where TensorFlow used the GPU.
    used = "Board: Jetson Orin\n>>> tf.config.list_physical_devices('GPU')\n[PhysicalDevice(name='/physical_device:GPU:0', device_type='GPU')]\n"
    assert "LOG132" not in {f.id for f in explain_text(used).findings}


# --- LOG133: tensorflow-gpu beside a CPU TensorFlow --------------------------------------------


def test_log133_one_pip_command_installing_both() -> None:
    report = to_report(explain_text("$ pip install tensorflow-gpu==1.15 tensorflow==1.15\nTraining runs on the CPU only.\n"))
    assert report.causes[0].code == "FRAMEWORK_INSTALL_BROKEN"
    assert "FRAMEWORK_CPU_BUILD" in [c.code for c in report.causes]


def test_log133_the_users_words_that_a_cpu_version_came_over_tensorflow_gpu() -> None:
    text = "A dependency installed the cpu version of tensorflow although tensorflow-gpu is already installed.\n"
    assert _codes(text)[0] == "FRAMEWORK_INSTALL_BROKEN"


def test_log133_quiet_when_the_gpu_package_came_last_or_with_conda_or_2x() -> None:
    assert "LOG133" not in {f.id for f in explain_text("pip install tensorflow\npip install tensorflow-gpu\n").findings}
    assert "LOG133" not in {f.id for f in explain_text("conda install tensorflow tensorflow-gpu\n").findings}
    # From 2.1 plain tensorflow is itself a GPU build.
    two = "TensorFlow version: 2.4.1\npip install tensorflow-gpu tensorflow\n"
    assert "LOG133" not in {f.id for f in explain_text(two).findings}
    # tensorflow-cpu is a CPU build in every version.
    assert "LOG133" in {f.id for f in explain_text("TensorFlow version: 2.4.1\npip install tensorflow-gpu tensorflow-cpu\n").findings}


# --- LOG134: TensorFlow on a Mac without tensorflow-metal ---------------------------------------


_MAC_EMPTY = "MacBook Pro M2, macOS 14\n>>> import tensorflow as tf\n>>> tf.config.list_physical_devices('GPU')\n[]\n"


def test_log134_tensorflow_on_a_mac_lists_no_gpu() -> None:
    report = to_report(explain_text(_MAC_EMPTY))
    assert report.causes[0].code == "FRAMEWORK_CPU_BUILD"
    assert "LOG134" in report.causes[0].findings
    assert "tensorflow-metal" in report.causes[0].fix


def test_log134_quiet_for_a_cuda_failure_on_a_mac_or_off_a_mac() -> None:
    cuda = "MacBook Pro, macOS 12\nAssertionError: Torch not compiled with CUDA enabled\n"
    ids = {f.id for f in explain_text(cuda).findings}
    assert "LOG134" not in ids and "LOG106" in ids
    linux = "Ubuntu 22.04\n>>> tf.config.list_physical_devices('GPU')\n[]\n"
    assert "LOG134" not in {f.id for f in explain_text(linux).findings}


# --- LOG135: some CUDA libraries loaded, then TensorFlow skipped the GPU -----------------------

_OPENED = "I tensorflow/stream_executor/platform/default/dso_loader.cc:53] Successfully opened dynamic library libcublas.so.11\n"


def test_log135_some_libraries_loaded_and_the_rest_not() -> None:
    report = to_report(explain_text("TensorFlow 2.5.0\n" + _OPENED + _SKIP))
    assert report.causes[0].code == "CUDA_LIBS_MISMATCH"
    assert "LOG135" in report.causes[0].findings
    assert "CUDA 11.2" in report.causes[0].title  # TensorFlow 2.5's tested build


def test_log135_quiet_when_a_failed_library_is_named_or_none_loaded() -> None:
    failed = "W dso_loader.cc:64] Could not load dynamic library 'libcudnn.so.8'; dlerror: libcudnn.so.8: cannot open shared object file: No such file or directory\n"
    assert "LOG135" not in {f.id for f in explain_text(_OPENED + failed + _SKIP).findings}
    assert "LOG135" not in {f.id for f in explain_text(_SKIP).findings}
    # Only the driver library (nvcuda.dll, libcuda) loaded: that is not the CUDA toolkit.
    driver = "I dso_loader.cc:44] Successfully opened dynamic library nvcuda.dll\n"
    assert "LOG135" not in {f.id for f in explain_text(driver + _SKIP).findings}


# --- LOG107: a named AMD or Intel GPU outranks a build question ---------------------------------


def test_a_named_amd_gpu_ranks_before_the_windows_build() -> None:
    text = "### TensorFlow version\n\n2.12\n\n### OS platform and distribution\n\nWindows 10\n\n### GPU model and memory\n\nAMD Radeon RX 6600\n\nTensorFlow does not use my GPU.\n"
    codes = _codes(text)
    assert codes[:2] == ["GPU_NOT_SUPPORTED", "FRAMEWORK_CPU_BUILD"]
    report = to_report(explain_text(text))
    assert report.causes[0].confidence.value == "high"
    # Only the maker named (an AMD CPU's board, say): the rule keeps medium confidence.
    plain = to_report(explain_text("TensorFlow 2.12 on Windows 10, AMD drivers installed; TensorFlow does not use my GPU.\n"))
    first = [c for c in plain.causes if c.code == "GPU_NOT_SUPPORTED"]
    assert not first or first[0].confidence.value == "medium"


# --- LOG104: Theano used the GPU on the same machine --------------------------------------------


def test_theano_using_the_gpu_leaves_tensorflows_build() -> None:
    text = ("Using Theano backend.\nUsing gpu device 0: GeForce GTX 970 (CNMeM is disabled, cuDNN 5005)\n"
            "Using TensorFlow backend.\nWith TensorFlow the GPU is not used.\n")
    codes = _codes(text)
    assert codes[0] == "FRAMEWORK_CPU_BUILD"
    assert "NO_GPU" not in codes and "DRIVER_MISSING" not in codes and "CUDA_LIBS_MISSING" not in codes
    # Without Theano's line the usual TensorFlow ranking stands.
    assert _codes("Using TensorFlow backend.\nWith TensorFlow the GPU is not used.\n")[0] == "FRAMEWORK_CPU_BUILD"


# --- NVIDIA's own TensorFlow is not judged by Google's tested builds ----------------------------


def test_nvidia_tensorflow_is_not_judged_by_googles_tested_build() -> None:
    text = "- TensorFlow version: 1.15.5\n- CUDA/cuDNN version: 12.1, cuDNN 8.9\npip install nvidia-tensorflow[horovod]\n"
    assert _facts(text).nvidia_tensorflow()
    assert "CUDA_LIBS_MISMATCH" not in _codes(text)
    google = "- TensorFlow version: 1.15.5\n- CUDA/cuDNN version: 12.1, cuDNN 8.9\npip install tensorflow-gpu==1.15.5\n"
    assert "CUDA_LIBS_MISMATCH" in _codes(google)


# --- LOG-TF-CUDNN-DSO ----------------------------------------------------------------------------


def test_the_first_releases_cudnn_load_failure() -> None:
    codes = _codes("I tensorflow/stream_executor/cuda/cuda_dnn.cc:1062] Unable to load cuDNN DSO.\n")
    assert codes[0] == "CUDNN_MISMATCH" and "CUDNN_MISSING" in codes  # the base rate's order (knowledge/priors.toml)
    assert _codes("I tensorflow/stream_executor/dso_loader.cc:101] successfully opened CUDA library libcudnn.so.2 locally\n") == []


# --- LOG136: the user's words that a version does not fit ---------------------------------------


def test_log136_a_cudnn_the_user_says_does_not_work_with_tensorflow() -> None:
    report = to_report(explain_text("The image ships cuDNN 7.0.5, which is not compatible with tensorflow 2.6.\n"))
    # cuDNN 7.0.5 was built for CUDA 8.0-9.1 only, so the image's CUDA is not TensorFlow 2.6's 11.2 either: the CUDA
    # release first (accpairs, session 27: knowledge.cuda.cudnn_built_for_cuda), the cuDNN the writer names second.
    assert [c.code for c in report.causes[:2]] == ["CUDA_LIBS_MISMATCH", "CUDNN_MISMATCH"]
    assert "LOG136" in report.causes[1].findings
    # With the CUDA shown to be the build's, the cuDNN the writer names is the cause.
    same = to_report(explain_text("CUDA 11.2 is installed. The image ships cuDNN 7.0.5, which is not compatible with tensorflow 2.6.\n"))
    assert same.causes[0].code == "CUDNN_MISMATCH" and "LOG136" in same.causes[0].findings
    assert _codes("Our CUDA 10.0 install does not work with torch 2.1\n")[0] == "CUDA_LIBS_MISMATCH"


def test_log136_quiet_without_the_words_or_when_the_gpu_was_used() -> None:
    assert "LOG136" not in {f.id for f in explain_text("The image ships cuDNN 7.0.5 and tensorflow 2.6.\n").findings}
    assert _codes("The image ships cuDNN 8.1.0 and tensorflow 2.6.\n") == []
    used = ("CUDA 11.0 is not compatible with tensorflow 2.12, so I moved to CUDA 11.8.\n"
            "I tensorflow/core/common_runtime/gpu/gpu_device.cc:1635] Created device /job:localhost/replica:0/task:0/device:GPU:0 with 14792 MB memory\n")
    assert "LOG136" not in {f.id for f in explain_text(used).findings}


# --- cuDNN failing at the first convolution; the Visual C++ runtime on Windows --------------------


def test_cudnn_failing_at_the_first_convolution_points_at_gpu_memory_first() -> None:
    line = "UnknownError: Failed to get convolution algorithm. This is probably because cuDNN failed to initialize, so look for a warning above.\n"
    codes = _codes(line)
    assert codes[:2] == ["GPU_BUSY", "CUDNN_MISMATCH"]
    assert _codes("UnknownError: Failed to get convolution algorithm for the node conv1\n") == []


def test_a_missing_visual_cpp_runtime_on_windows() -> None:
    line = "ImportError: Could not find the DLL(s) 'msvcp140_1.dll'. TensorFlow requires that these DLLs be installed in a directory named in %PATH%.\n"
    report = to_report(explain_text(line))
    assert report.causes[0].code == "FRAMEWORK_INSTALL_BROKEN"
    assert "Redistributable" in report.causes[0].fix
    # A CUDA DLL named the same way is the CUDA check's, not this one.
    cuda = "ImportError: Could not find 'cudart64_100.dll'. TensorFlow requires that this DLL be installed in a directory named in %PATH%.\n"
    assert "LOG-TF-WIN-MSVC-RUNTIME" not in {f.id for f in explain_text(cuda).findings}


# --- LOG137: the framework's own answer that its build has no CUDA -------------------------------


@pytest.mark.parametrize("text", [
    ">>> import tensorflow as tf\n>>> tf.test.is_built_with_cuda()\nFalse\n",
    "print(tf.test.is_built_with_cuda())  # prints False\n",
    "OrderedDict([('cpu_compiler', '/usr/bin/gcc'), ('is_cuda_build', False), ('is_rocm_build', False)])\n",
])
def test_log137_tensorflow_says_its_build_has_no_cuda(text: str) -> None:
    report = to_report(explain_text(text))
    assert report.verdict.gpu_usable is False
    assert report.causes[0].code == "FRAMEWORK_CPU_BUILD"
    assert "LOG137" in report.causes[0].findings


def test_log137_outranks_the_guesses_for_an_empty_device_list() -> None:
    text = ">>> tf.test.is_built_with_cuda()\nFalse\n>>> tf.config.list_physical_devices('GPU')\n[]\n"
    assert _codes(text)[0] == "FRAMEWORK_CPU_BUILD"


def test_log137_quiet_for_a_cuda_build_or_when_the_gpu_was_used() -> None:
    assert "LOG137" not in {f.id for f in explain_text(">>> tf.test.is_built_with_cuda()\nTrue\n").findings}
    info = "OrderedDict([('cuda_version', '12.3'), ('is_cuda_build', True)])\n"
    assert "LOG137" not in {f.id for f in explain_text(info).findings}
    used = (">>> tf.test.is_built_with_cuda()\nFalse\n"
            "I tensorflow/core/common_runtime/gpu/gpu_device.cc:1635] Created device /job:localhost/replica:0/task:0/device:GPU:0 with 14792 MB memory\n")
    assert "LOG137" not in {f.id for f in explain_text(used).findings}


def test_a_conda_list_naming_tensorflows_cpu_variant() -> None:
    cpu = "_tflow_select             2.3.0                       mkl\ntensorflow-base           2.3.0           eigen_py37h3b305d7_0\n"
    report = to_report(explain_text(cpu))
    assert report.causes[0].code == "FRAMEWORK_CPU_BUILD"
    assert "LOG137" in report.causes[0].findings
    gpu = "_tflow_select             2.1.0                       gpu\ntensorflow-base           2.1.0           gpu_py37h6c5654b_0\n"
    assert [s.value for s in _facts(gpu).cuda_build["tensorflow"]] == [True]
    assert _codes(gpu) == []
    forge = "tensorflow                2.10.0          cuda112py310he87a039_0    conda-forge\n"
    assert [s.value for s in _facts(forge).cuda_build["tensorflow"]] == [True]


def test_a_windows_dll_is_read_against_the_installed_release_too() -> None:
    line = "W tensorflow/stream_executor/platform/default/dso_loader.cc:60] Could not load dynamic library 'cusolver64_10.dll'; dlerror: cusolver64_10.dll not found\n"
    path = "PATH: C:\\Program Files\\NVIDIA GPU Computing Toolkit\\CUDA\\v11.2\\bin\n"
    assert _codes(line + path)[0] == "CUDA_LIBS_MISMATCH"
    assert _codes(line.replace("cusolver64_10", "cusolver64_11") + path)[0] == "CUDA_LIBS_NOT_ON_PATH"


# --- device_lib.list_local_devices(): one device over several lines ------------------------------

_LOCAL_CPU = '[name: "/device:CPU:0"\ndevice_type: "CPU"\nmemory_limit: 268435456\nlocality {\n}\nincarnation: 1\n'


def test_a_local_device_list_with_a_gpu_later_is_not_a_cpu_only_answer() -> None:
    text = (">>> print(device_lib.list_local_devices())\n" + _LOCAL_CPU
            + ', name: "/device:GPU:0"\ndevice_type: "GPU"\nmemory_limit: 10068426752\n]\n')
    facts = _facts(text)
    assert [s.value for s in facts.gpu_answer["tensorflow"]] == [True]
    assert to_report(explain_text(text)).verdict.gpu_usable is not False


def test_a_local_device_list_without_a_gpu_is_the_gpu_unused() -> None:
    # An XLA_GPU device is XLA's, not a GPU TensorFlow registered.
    text = (">>> print(device_lib.list_local_devices())\n" + _LOCAL_CPU
            + ', name: "/device:XLA_GPU:0"\ndevice_type: "XLA_GPU"\nmemory_limit: 17179869184\n]\n')
    assert [s.value for s in _facts(text).gpu_answer["tensorflow"]] == [False]
    assert to_report(explain_text(text)).verdict.gpu_usable is False
    # A list cut before its end says nothing about what it lacks.
    assert "tensorflow" not in _facts(">>> print(device_lib.list_local_devices())\n" + _LOCAL_CPU).gpu_answer


def test_a_build_tag_does_not_hide_the_cuda_stated_beside_it() -> None:
    facts = _facts("CUDA/cuDNN version: CUDA 11.2, libcudnn8=8.1.0.77-1+cuda11.2\n")
    assert [s.value for s in facts.cuda_installed] == ["11.2"]
    assert _facts("cuDNN: libcudnn8=8.1.0.77-1+cuda11.0\n").cuda_installed == []


def test_windows_drives_mounted_by_wsl_are_wsl() -> None:
    assert _facts('  File "/mnt/c/Users/me/project/train.py", line 3, in <module>\n').platform_name() == "wsl"
    assert _facts("data in /mnt/data/Users/me\n").platform_name() is None


# --- WSL: the driver is the Windows one ----------------------------------------------------------

_SMI_FAILED = "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n"


def test_nvidia_smi_failing_inside_wsl_points_at_the_windows_driver() -> None:
    report = to_report(explain_text("5.15.133.1-microsoft-standard-WSL2\n" + _SMI_FAILED))
    assert report.causes[0].code == "DRIVER_MISSING"
    assert "Windows" in report.causes[0].fix and "dkms" not in report.causes[0].fix
    # On Linux itself the advice is the kernel module's.
    linux = to_report(explain_text("Ubuntu 22.04\n" + _SMI_FAILED))
    assert "Windows" not in linux.causes[0].fix


def test_libcuda_missing_inside_wsl_names_wsls_library_folder() -> None:
    line = "W dso_loader.cc:64] Could not load dynamic library 'libcuda.so.1'; dlerror: libcuda.so.1: cannot open shared object file: No such file or directory\n"
    report = to_report(explain_text("Ubuntu 22.04 on WSL2\n" + line))
    assert report.causes[0].code == "DRIVER_MISSING"
    assert "/usr/lib/wsl/lib" in report.causes[0].fix
    assert "/usr/lib/wsl/lib" not in to_report(explain_text("Ubuntu 22.04\n" + line)).causes[0].fix


def test_tensorflow_between_the_windows_rows_after_2_10_has_no_native_gpu_build() -> None:
    from whygpu.knowledge.tensorflow import tensorflow_gpu_on_native_windows

    assert tensorflow_gpu_on_native_windows("2.13.0") is False
    assert tensorflow_gpu_on_native_windows("2.10.1") is True
    text = "### TensorFlow version\n\n2.13.0\n\n### OS platform and distribution\n\nWindows 11\n"
    assert _codes(text + "[PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]\n")[0] == "FRAMEWORK_CPU_BUILD"


@pytest.mark.parametrize(("expr", "answer", "seen"), [
    ("tf.config.list_logical_devices('GPU')", "[]", False),
    ("tf.config.list_logical_devices('GPU')", "[LogicalDevice(name='/device:GPU:0', device_type='GPU')]", True),
    ("K.tensorflow_backend._get_available_gpus()", "[]", False),
    ("K.tensorflow_backend._get_available_gpus()", "['/job:localhost/replica:0/task:0/device:GPU:0']", True),
])
def test_tensorflows_other_device_lists_are_answers(expr: str, answer: str, seen: bool) -> None:
    facts = _facts(f">>> {expr}\n{answer}\n")
    assert [s.value for s in facts.gpu_answer["tensorflow"]] == [seen]


def test_wsl_is_ranked_with_the_linux_rows() -> None:
    from whygpu.knowledge.priors import unused_prior as unused_row

    assert unused_row("tensorflow", "wsl2", "2.12.0") is unused_row("tensorflow", "linux", "2.12.0")
    assert unused_row("tensorflow", "windows", "2.12.0") is not unused_row("tensorflow", "linux", "2.12.0")


def test_the_cuda_runtime_tensorflow_loaded_against_the_drivers_cuda() -> None:
    opened = "I tensorflow/stream_executor/platform/default/dso_loader.cc:53] Successfully opened dynamic library libcudart.so.12\n"
    old_driver = "| NVIDIA-SMI 470.86       Driver Version: 470.86       CUDA Version: 11.4     |\n"
    assert _codes(opened + old_driver)[0] == "DRIVER_TOO_OLD"
    new_driver = "| NVIDIA-SMI 535.104.05   Driver Version: 535.104.05   CUDA Version: 12.2     |\n"
    assert "DRIVER_TOO_OLD" not in _codes(opened + new_driver)


def test_windows_named_with_wsl_is_wsl_not_native_windows() -> None:
    assert _facts("### OS platform and distribution\n\nWindows 11 (WSL)\n").platform_name() == "wsl"
    text = "### TensorFlow version\n\n2.15.0\n\n### OS platform and distribution\n\nWindows 11 (WSL)\n\n" + _STUB
    assert "FRAMEWORK_CPU_BUILD" not in _codes(text)[:1]
    assert _facts("### OS platform and distribution\n\nWindows 11\n").platform_name() == "windows"
