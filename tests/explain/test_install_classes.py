"""FRAMEWORK_CPU_BUILD and FRAMEWORK_INSTALL_BROKEN classes (session 17, acc8c): each reading fires on lines that mean it and stays quiet on near misses.

The lines are written from what each program prints or installs (PyTorch's C++ extensions, conda's
package tables and plans, poetry's and pip's install lines), not copied from a corpus case.
"""

from __future__ import annotations

import pytest

from log_text import facts as _facts
from whygpu.explain import explain_text, to_report


def _causes(text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(c.code, tuple(c.findings)) for c in to_report(explain_text(text)).causes]


def _codes(text: str) -> list[str]:
    return [code for code, _ in _causes(text)]


# --- a compiled extension built against another torch ------------------------------------------


@pytest.mark.parametrize("symbol", [
    "_ZN3c1017RegisterOperatorsD1Ev",           # c10::RegisterOperators::~RegisterOperators()
    "_ZNK2at10TensorBase8data_ptrIfEEPT_v",     # at::TensorBase::data_ptr<float>() const
    "_ZN5torch3jit17parseSchemaOrNameERKSs",    # torch::jit, old std::string ABI
    "_ZTIN3c1021AutogradMetaInterfaceE",        # typeinfo for c10::AutogradMetaInterface
])
def test_an_extension_missing_a_torch_symbol_is_a_broken_install(symbol: str) -> None:
    line = f"ImportError: /opt/venv/lib/python3.11/site-packages/my_ops/_C.cpython-311-x86_64-linux-gnu.so: undefined symbol: {symbol}\n"
    causes = _causes(line)
    assert causes[0] == ("FRAMEWORK_INSTALL_BROKEN", ("LOG-PT-EXT-TORCH-ABI",))


@pytest.mark.parametrize("line", [
    # A CUDA library's own C symbol: another class (the CUDA libraries), not torch's C++ API.
    "ImportError: /usr/lib/python3/dist-packages/torch/lib/libtorch_cuda.so: undefined symbol: cublasLtGetStatusString, version libcublasLt.so.11",
    # A symbol of another C++ library (std::, boost::) is not PyTorch's.
    "ImportError: /opt/app/_ext.cpython-310-x86_64-linux-gnu.so: undefined symbol: _ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE",
    "ImportError: /opt/app/_ext.so: undefined symbol: _ZN5boost6system16generic_categoryEv",
    # A user's sentence naming the namespace without the loader's message.
    "the undefined symbol is somewhere in at:: or c10:: I think",
])
def test_other_undefined_symbols_are_not_the_torch_extension_class(line: str) -> None:
    assert all("LOG-PT-EXT-TORCH-ABI" not in findings for _, findings in _causes(line + "\n"))


def test_torchs_own_library_keeps_the_framework_reading() -> None:
    line = "ImportError: /env/lib/python3.8/site-packages/torch/lib/libtorch_python.so: undefined symbol: _ZN3c104impl8GPUTrace13gpuTraceStateE\n"
    assert _causes(line)[0][1] == ("LOG-UNDEFINED-SYMBOL-FRAMEWORK",)


# --- the build a package manager's own line names ----------------------------------------------


@pytest.mark.parametrize("line", [
    # conda list rows: the pytorch channel's and conda-forge's CPU variants
    "pytorch                   2.0.1           py3.10_cpu_0    pytorch",
    "pytorch                   2.3.1           cpu_mkl_py311h1234567_101    conda-forge",
    "pytorch                   2.4.0           cpu_generic_py312habcdef0_0    conda-forge",
    # conda's plan, conda-forge's TensorFlow CPU variant
    "    tensorflow         conda-forge/linux-64::tensorflow-2.16.1-cpu_py311h0123456_0",
    # poetry's install and update lines, and a wheel address with its URL-encoded local version
    "  - Installing torch (2.2.2+cpu)",
    "  - Updating torch (2.1.0 -> 2.2.2+cpu)",
    "torch @ https://download.pytorch.org/whl/cpu/torch-2.3.0%2Bcpu-cp311-cp311-linux_x86_64.whl#sha256=0123",
])
def test_a_cpu_variant_named_by_the_package_manager_is_a_cpu_build(line: str) -> None:
    assert _codes(line + "\n")[:1] == ["FRAMEWORK_CPU_BUILD"]


@pytest.mark.parametrize(("line", "framework", "cuda"), [
    ("pytorch                   1.13.1          py3.9_cuda11.7_cudnn8.5.0_0    pytorch", "torch", "11.7"),
    ("pytorch                   2.3.1           cuda118_py311h1234567_300    conda-forge", "torch", "11.8"),
    ("pytorch-mutex             1.0                        cuda    pytorch", "torch", None),
    ("  - Installing torch (2.2.2+cu121)", "torch", "12.1"),
])
def test_a_cuda_variant_is_read_as_a_cuda_build_and_not_blamed(line: str, framework: str, cuda: str | None) -> None:
    facts = _facts(line + "\n")
    assert [s.value for s in facts.cuda_build.get(framework, [])][:1] == [True]
    if cuda is not None:
        assert cuda in [s.value for s in facts.build_cuda.get(framework, [])]
    assert "FRAMEWORK_CPU_BUILD" not in _codes(line + "\n")


def test_the_pytorch_cuda_row_is_the_pin_not_the_build() -> None:
    # accconda (session 36): the pin is what the command asked for; the pytorch row's build string says what was installed.
    line = "pytorch-cuda              12.1                 ha16c6d3_5    pytorch\n"
    facts = _facts(line)
    assert facts.cuda_build.get("torch", []) == []
    assert "12.1" in [s.value for s in facts.build_cuda.get("torch", [])]
    assert "FRAMEWORK_CPU_BUILD" not in _codes(line)
    beside_cpu = line + "pytorch                   2.1.0           py3.10_cpu_0    pytorch\n"
    assert [s.value for s in _facts(beside_cpu).cuda_build.get("torch", [])] == [False]


@pytest.mark.parametrize("line", [
    # Another package whose build string says cpu is not PyTorch's variant.
    "torchvision               0.15.2               py310_cpu    pytorch",
    "pytorch-lightning         2.0.1              pyhd8ed1ab_0    conda-forge",
    # A row without a build string, and a prose sentence about a CPU package.
    "pytorch                   2.0.1",
    "poetry keeps installing the torch cpu package for me",
])
def test_near_misses_name_no_pytorch_variant(line: str) -> None:
    facts = _facts(line + "\n")
    assert facts.cuda_build.get("torch", []) == []


def test_the_mutex_row_names_the_variant() -> None:
    assert [s.value for s in _facts("pytorch-mutex             1.0                         cpu    pytorch\n").cuda_build["torch"]] == [False]
    assert [s.value for s in _facts("  pytorch-mutex      pytorch/noarch::pytorch-mutex-1.0-cpu\n").cuda_build["torch"]] == [False]


# --- onnxruntime's CPU package beside its GPU package ------------------------------------------

_PROVIDERS = "UserWarning: Specified provider 'CUDAExecutionProvider' is not in available provider names.Available providers: 'AzureExecutionProvider, CPUExecutionProvider'\n"


def test_both_onnxruntime_packages_listed_is_a_broken_install() -> None:
    listing = "Package                  Version\n------------------------ -------\nonnxruntime              1.20.1\nonnxruntime-gpu          1.20.1\n"
    causes = _causes(listing)
    assert causes[0] == ("FRAMEWORK_INSTALL_BROKEN", ("LOG160",))
    # pip's own line installing both in one command
    assert _codes("Successfully installed onnxruntime-1.18.0 onnxruntime-gpu-1.18.0 protobuf-4.25.3\n")[:1] == ["FRAMEWORK_INSTALL_BROKEN"]


def test_the_gpu_package_listed_turns_the_missing_provider_into_a_shadowed_install() -> None:
    # the provider list without CUDA, read alone: the CPU package
    assert _codes(_PROVIDERS)[:1] == ["FRAMEWORK_CPU_BUILD"]
    # the same with onnxruntime-gpu shown installed: its compiled-in providers include CUDA, so the module answering is the CPU package's
    codes = _codes("onnxruntime-gpu==1.17.1\n" + _PROVIDERS)
    assert codes[:1] == ["FRAMEWORK_INSTALL_BROKEN"]
    # accrank3: the GPU package shown installed alone rules out a CPU build installed alone (knowledge/ruleouts.toml),
    # so it is not offered as an alternative (explain.rules.alternatives_earned).
    assert "FRAMEWORK_CPU_BUILD" not in codes


@pytest.mark.parametrize("text", [
    "onnxruntime-gpu          1.20.1\n",                        # the GPU package alone
    "onnxruntime              1.20.1\n",                        # the CPU package alone
    "onnxruntime-directml     1.20.1\nonnxruntime-gpu          1.20.1\n",   # two GPU packages: another question
    "we should not install onnxruntime and onnxruntime-gpu together\n",     # a sentence, not a listing
])
def test_one_onnxruntime_package_is_no_conflict(text: str) -> None:
    assert "FRAMEWORK_INSTALL_BROKEN" not in _codes(text)


def test_both_listed_but_the_gpu_used_stays_quiet() -> None:
    text = "onnxruntime              1.20.1\nonnxruntime-gpu          1.20.1\n" \
        "2024-05-01 10:00:00.000 I tensorflow/core/common_runtime/gpu/gpu_device.cc:1928] Created device /job:localhost/replica:0/task:0/device:GPU:0 with 14791 MB memory:  -> device: 0, name: Tesla T4\n"
    assert "LOG160" not in [f for _, fs in _causes(text) for f in fs]


# --- a TensorFlow package published for one platform only ------------------------------------


def test_tensorflow_intel_places_the_log_on_native_windows() -> None:
    from whygpu.knowledge.tensorflow import tensorflow_package_platform

    assert tensorflow_package_platform("tensorflow_intel") == "windows"
    assert tensorflow_package_platform("tensorflow") is None
    # tensorflow 2.11+ on Windows installs tensorflow-intel beside it: that pair is the normal install, and it has no GPU
    causes = _causes("Successfully installed keras-2.15.0 tensorflow-2.15.0 tensorflow-intel-2.15.0\n")
    assert causes[0] == ("FRAMEWORK_CPU_BUILD", ("FW002",))
    assert "FRAMEWORK_INSTALL_BROKEN" not in [code for code, _ in causes]


def test_the_windows_pair_of_a_release_with_a_native_gpu_build_is_quiet() -> None:
    # 2.10 was the last release with GPU support on native Windows
    assert _codes("Successfully installed tensorflow-2.10.1 tensorflow-intel-2.10.1\n") == []
    # two packages that are a conflict anywhere stay one
    assert _codes("tensorflow                2.15.0\ntensorflow-cpu            2.15.0\n")[:1] == ["FRAMEWORK_INSTALL_BROKEN"]


# --- PyPI's torch wheel on native Windows --------------------------------------------------------

_WIN = "(venv) PS C:\\Users\\ana\\proj> pip install -r requirements.txt\n"


@pytest.mark.parametrize("line", [
    "Successfully installed filelock-3.13.1 sympy-1.12 torch-2.4.0 torchvision-0.19.0\n",
    " + torch==2.5.1\n",
])
def test_a_torch_without_local_version_installed_on_windows_came_from_pypi(line: str) -> None:
    causes = _causes(_WIN + line)
    assert causes[0][0] == "FRAMEWORK_CPU_BUILD"


@pytest.mark.parametrize("text", [
    # Linux: PyPI's wheel has CUDA
    "user@box:~/proj$ pip install torch\nSuccessfully installed torch-2.4.0\n",
    # the CUDA index's wheel carries its local version
    _WIN + "Successfully installed torch-2.4.0+cu121 torchvision-0.19.0+cu121\n",
    # Windows and Linux both named: which machine ran pip is not known
    _WIN + "I also tried on Ubuntu 22.04\nSuccessfully installed torch-2.4.0\n",
    # a CUDA build shown elsewhere in the log decides
    _WIN + "Successfully installed torch-2.4.0\nCUDA used to build PyTorch: 12.1\n",
    # another package whose name ends in torch
    _WIN + "Successfully installed pytorch-lightning-2.2.0 torch-tb-profiler-0.4.3\n",
])
def test_no_pypi_windows_wheel_is_read_where_the_log_does_not_show_one(text: str) -> None:
    assert "FRAMEWORK_CPU_BUILD" not in _codes(text)


# --- torch's own DLLs failing to load on Windows ---------------------------------------------------


@pytest.mark.parametrize("line", [
    'OSError: [WinError 126] The specified module could not be found. Error loading "D:\\envs\\sd\\Lib\\site-packages\\torch\\lib\\torch_python.dll" or one of its dependencies.',
    'OSError: [WinError 1114] A dynamic link library (DLL) initialization routine failed. Error loading "C:\\Python312\\Lib\\site-packages\\torch\\lib\\c10.dll" or one of its dependencies.',
])
def test_torchs_own_dll_failing_to_load_is_a_broken_install(line: str) -> None:
    # accwinload (session 38): LOG791 reads the loader's code by number and the DLL's folder (knowledge.loader_search
    # windows_load_cause) and decides these lines in place of the signature LOG-PT-WIN-DLL-LOAD's reading of the same line.
    assert _causes(line + "\n")[0] == ("FRAMEWORK_INSTALL_BROKEN", ("LOG791",))


@pytest.mark.parametrize("line", [
    # a CUDA library a CUDA wheel ships in torch\lib: the CUDA libraries' question, not this reading
    'OSError: [WinError 126] The specified module could not be found. Error loading "C:\\venv\\Lib\\site-packages\\torch\\lib\\cudnn_cnn_infer64_8.dll" or one of its dependencies.',
    # another package's DLL
    'OSError: [WinError 126] The specified module could not be found. Error loading "C:\\venv\\Lib\\site-packages\\torchaudio\\lib\\libtorchaudio.pyd" or one of its dependencies.',
])
def test_other_dlls_are_not_torchs_own(line: str) -> None:
    assert all("LOG-PT-WIN-DLL-LOAD" not in findings for _, findings in _causes(line + "\n"))


# --- torchvision's operators missing -------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "RuntimeError: operator torchvision::roi_align does not exist",
    "RuntimeError: No such operator torchvision::deform_conv2d",
])
def test_torchvisions_operators_missing_is_a_mismatched_pair(line: str) -> None:
    assert _causes(line + "\n")[0] == ("FRAMEWORK_INSTALL_BROKEN", ("LOG-PT-TORCHVISION-OPS",))


@pytest.mark.parametrize("line", [
    "RuntimeError: operator aten::_fused_sdp_choice does not exist",    # torch's own operator
    "torchvision::nms is what we call for box suppression",             # a sentence about the operator
])
def test_other_operators_are_not_torchvisions_pair(line: str) -> None:
    assert all("LOG-PT-TORCHVISION-OPS" not in findings for _, findings in _causes(line + "\n"))


# --- JAX on Colab finding no GPU -----------------------------------------------------------------


def test_jax_on_colab_without_a_reason_ranks_a_cpu_jaxlib_first() -> None:
    text = "import jax\nprint(jax.devices())\n[CpuDevice(id=0)]\nfrom google.colab import drive\n"
    codes = _codes(text)
    assert codes[0] == "FRAMEWORK_CPU_BUILD"
    assert "NO_GPU" in codes[:3]
    # accinstall (session 25): a plain `pip install jax` shown run is the reason (JAX's docs: the CPU-only jaxlib), LOG291's
    assert _codes("!pip install -q jax==0.4.20\n" + text)[:1] == ["FRAMEWORK_CPU_BUILD"]


def test_torch_on_colab_keeps_the_runtime_first() -> None:
    text = "import torch\nprint(torch.cuda.is_available())\nFalse\nfrom google.colab import drive\n"
    assert _codes(text)[0] == "NO_GPU"


def test_onnxruntime_beside_any_package_of_the_same_module_is_read_from_the_knowledge_list() -> None:
    # AMD's build and a nightly install the same `onnxruntime` module as the CPU package (python_layouts.toml)
    assert _codes("onnxruntime              1.20.1\nonnxruntime-rocm         1.20.1\n")[:1] == ["FRAMEWORK_INSTALL_BROKEN"]
    assert _codes("Successfully installed onnxruntime-1.16.0 ort_nightly_gpu-1.17.0.dev20231101\n")[:1] == ["FRAMEWORK_INSTALL_BROKEN"]
    # onnxruntime's helper packages are other modules: no conflict
    assert "FRAMEWORK_INSTALL_BROKEN" not in _codes("onnxruntime              1.20.1\nonnxruntime-extensions   0.12.0\n")
