"""Messages read from what their source prints (docs/message-inventory.md): each fires on its own wording and its
version variants, and a near miss (another library, another program's words, a healthy outcome) stays quiet.

The lines are written from the frameworks' and tools' source code, not copied from corpus cases.
"""

from __future__ import annotations

import pytest

from log_text import codes as _codes
from whygpu.explain import explain_text, to_report
from whygpu.explain.catalogue import catalogue
from whygpu.knowledge.cuda import cuda_error


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


# --- TensorFlow: dso_loader's wording in 1.14/1.15, 1.x's lower case, gpu_device.cc's second line -----------


def test_tensorflow_1_14s_could_not_dlopen_library_is_a_load_failure() -> None:
    line = ("2019-07-12 16:39:38.345749: I tensorflow/stream_executor/platform/default/dso_loader.cc:53] Could not dlopen "
            "library 'libcublas.so.10.0'; dlerror: libcublas.so.10.0: cannot open shared object file: No such file or directory\n")
    assert "LOG-TF-DSO-LOAD" in _ids(line)
    assert _codes(line)[0] in {"CUDA_LIBS_MISMATCH", "CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH"}
    # A library that is not CUDA's is no GPU cause.
    assert _codes("Could not dlopen library 'libfoo.so.1'; dlerror: libfoo.so.1: cannot open shared object file\n") == []


def test_tensorflow_1xs_lower_case_opened_line_shows_the_library_loaded() -> None:
    line = "I tensorflow/stream_executor/dso_loader.cc:135] successfully opened CUDA library libcublas.so.8.0 locally\n"
    assert "libs_loaded" in explain_text(line).details["context"]
    assert _codes(line) == []


def test_skipping_registering_gpu_devices_alone_is_the_same_warning() -> None:
    assert "LOG-TF-DLOPEN-SKIP" in _ids("Skipping registering GPU devices...\n")
    assert "LOG-TF-DLOPEN-SKIP" in _ids("> Skipping registering GPU devices...\n")
    # Words that merely mention the phrase inside prose are not TensorFlow's line.
    assert "LOG-TF-DLOPEN-SKIP" not in _ids("I wonder why it keeps Skipping registering GPU devices\n")


# --- PyTorch: cudaErrorInitializationError in c10's words --------------------------------------------------


def test_pytorchs_driver_initialization_failed_is_read_through_the_cuda_error_table() -> None:
    for line in ("RuntimeError: CUDA driver initialization failed, you might not have a CUDA gpu.\n",
                 "UserWarning: CUDA initialization: CUDA driver initialization failed, you might not have a CUDA gpu. "
                 "(Triggered internally at ../c10/cuda/CUDAFunctions.cpp:109.)\n"):
        name = catalogue().cuda_error_for_message(line)
        assert name == "cudaErrorInitializationError"
        error = cuda_error(name)
        assert error is not None and error.cause is not None
        # The cause is the CUDA error table's, with its alternatives after it.
        assert _codes(line)[: 1 + len(error.also)] == [error.cause, *error.also]
    # PyTorch's driver-too-old message keeps its own reading.
    assert _codes("RuntimeError: The NVIDIA driver on your system is too old (found version 10010).\n")[0] == "DRIVER_TOO_OLD"


# --- JAX: a backend that was never registered --------------------------------------------------------------


def test_jax_asked_for_cuda_with_no_cuda_backend_is_a_cpu_build_first() -> None:
    line = "RuntimeError: Backend 'cuda' is not in the list of known backends: ['cpu', 'tpu'].\n"
    assert _codes(line)[0] == "FRAMEWORK_CPU_BUILD"
    # The plugin's own error, printed before, is the more exact line and leads.
    before = "RuntimeError: Found cuDNN version 8302, but JAX was built against version 8600, which is newer.\n"
    assert _codes(before + line)[0] == "CUDNN_MISMATCH"


def test_a_known_list_that_holds_cuda_or_another_platform_asked_for_stays_quiet() -> None:
    assert "LOG-JAX-BACKEND-NOT-KNOWN" not in _ids(
        "RuntimeError: Backend 'rocm' is not in the list of known backends: ['cpu', 'tpu', 'cuda'].\n")
    assert "LOG-JAX-BACKEND-NOT-KNOWN" not in _ids(
        "RuntimeError: Backend 'gpu' is not in the list of known backends: ['cpu', 'cuda'].\n")


# --- onnxruntime's CUDA provider on Windows ----------------------------------------------------------------


def test_onnxruntimes_provider_dll_that_failed_to_load_is_a_cuda_library_cause() -> None:
    line = ('[ONNXRuntimeError] : 1 : FAIL : LoadLibrary failed with error 126 "" when trying to load '
            '"C:\\venv\\Lib\\site-packages\\onnxruntime\\capi\\onnxruntime_providers_cuda.dll"\n')
    codes = _codes(line)
    assert codes and set(codes[:3]) <= {"CUDA_LIBS_MISSING", "CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH", "CUDNN_MISSING"}
    # Another provider's DLL (TensorRT's) is not this class.
    assert "LOG-ORT-PROVIDER-LOADLIBRARY" not in _ids(line.replace("providers_cuda", "providers_tensorrt"))


def test_onnxruntimes_named_missing_dependency_is_resolved_by_its_name() -> None:
    line = ('FAIL : Error loading "C:\\py\\onnxruntime\\capi\\onnxruntime_providers_cuda.dll" which depends on '
            '"cudnn64_9.dll" which is missing. (Error 126: The specified module could not be found.)\n')
    assert _codes(line)[0] in {"CUDNN_MISMATCH", "CUDNN_MISSING"}
    line = line.replace("cudnn64_9.dll", "cublasLt64_12.dll")
    assert _codes(line)[0] in {"CUDA_LIBS_MISMATCH", "CUDA_LIBS_MISSING"}
    # A dependency that is not CUDA's (the MSVC runtime) is no CUDA cause.
    assert "LOG-ORT-DLL-DEPENDS" not in _ids(line.replace("cublasLt64_12.dll", "msvcp140.dll"))


# --- cuDNN 9's loader ---------------------------------------------------------------------------------------


def test_cudnn9_that_cannot_open_its_sub_library_is_missing_or_off_the_path() -> None:
    text = ("Unable to load any of {libcudnn_ops.so.9.1.0, libcudnn_ops.so.9.1, libcudnn_ops.so.9, libcudnn_ops.so}\n"
            "Invalid handle. Cannot load symbol cudnnCreateTensorDescriptor\n")
    assert _codes(text)[:2] == ["CUDNN_MISSING", "CUDA_LIBS_NOT_ON_PATH"]
    # The same loader words for a library that is not cuDNN's are not this class.
    assert _codes("Unable to load any of {libfoo.so.1, libfoo.so}\nInvalid handle. Cannot load symbol fooCreate\n") == []


# --- the kernel module's words when another driver holds the GPU -------------------------------------------


def test_the_probe_routine_not_called_is_nouveau_holding_the_gpu() -> None:
    assert _codes("[ 9687.215135] NVRM: The NVIDIA probe routine was not called for 1 device(s).\n") == ["DRIVER_MISSING"]
    # The probe routine that failed (a PCI resource problem) is not this message.
    assert "LOG-KERNEL-NOUVEAU" not in _ids("NVRM: The NVIDIA probe routine failed for 1 device(s).\n")


# --- nvidia-container-cli's messages with or without the program's name -------------------------------------


@pytest.mark.parametrize("line,cause", [
    ("requirement error: unsatisfied condition: cuda >= 9.2\n", "DRIVER_TOO_OLD"),
    ("stderr: nvidia-container-cli: requirement error: unsatisfied condition: cuda>=11.6, please update your driver\n",
     "DRIVER_TOO_OLD"),
    ("nvidia-container-cli: requirement error: unsatisfied condition: driver < 385\n", "DRIVER_TOO_OLD"),
    ("requirement error: unsatisfied condition: brand = tesla, please update your driver to a newer version\n",
     "DRIVER_TOO_OLD"),
    ("initialization error: load library failed: libnvidia-ml.so.1: cannot open shared object file: no such file\n",
     "DRIVER_MISSING"),
    ("stderr: initialization error: nvml error: driver not loaded: unknown\n", "DRIVER_MISSING"),
    ("initialization error: nvml error: driver/library version mismatch: unknown\n", "DRIVER_MISMATCH"),
])
def test_container_cli_messages_fire_without_their_prefix(line: str, cause: str) -> None:
    assert _codes(line)[0] == cause


@pytest.mark.parametrize("line", [
    # Another tool's requirement or initialisation error, with no CUDA, driver or NVML term in it.
    "requirement error: unsatisfied condition: python >= 3.9\n",
    "initialization error: load library failed: libfoo.so: cannot open shared object file\n",
    "initialization error: driver not loaded\n",
])
def test_near_misses_of_the_container_cli_messages_stay_quiet(line: str) -> None:
    assert _codes(line) == []


# --- PyTorch's mixed-precision helpers say is_available() is False in their own words ---------------------


def test_amp_warnings_that_cuda_is_not_available_read_as_pytorch_finding_no_cuda() -> None:
    for line in ("UserWarning: torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  Disabling.\n",
                 "UserWarning: User provided device_type of 'cuda', but CUDA is not available. Disabling\n",
                 "UserWarning: torch.cuda.amp.autocast only affects CUDA ops, but CUDA is not available.  Disabling.\n"):
        # The generic line, or the fact rule that ranks PyTorch's causes where it reads the log better.
        assert _ids(line) & {"LOG-PT-IS-AVAILABLE-FALSE", "LOG104"}, line
        assert explain_text(line).gpu_used is False and _codes(line)
    # Another device type that is unavailable (an XPU, MPS) says nothing about CUDA.
    assert _codes("UserWarning: User provided device_type of 'xpu', but XPU is not available. Disabling\n") == []


# --- JAX's fallback, quoted with its platform name in capitals ---------------------------------------------


def test_jax_falling_back_to_cpu_in_any_case_is_a_cpu_build() -> None:
    line = "An NVIDIA GPU may be present on this machine, but a CUDA-enabled jaxlib is not installed. Falling back to CPU.\n"
    assert _codes(line)[0] == "FRAMEWORK_CPU_BUILD"
    # A fallback to another GPU backend is a GPU in use, whatever the case.
    assert "LOG-JAX-CPU-FALLBACK" not in _ids(line.replace("CPU.", "gpu."))


def test_a_pjrt_plugin_of_another_api_version_is_a_broken_install() -> None:
    line = ("RuntimeError: Unable to initialize backend 'cuda': INVALID_ARGUMENT: Mismatched PJRT plugin PJRT API version "
            "(0.47) and framework PJRT API version 0.54).\n")
    assert _codes(line)[0] == "FRAMEWORK_INSTALL_BROKEN"
    assert "LOG-JAX-BACKEND-FAILED" not in _ids(line)
    # Another backend's plugin (Apple's Metal) is not the CUDA plugin.
    assert "LOG-JAX-PJRT-API-MISMATCH" not in _ids(line.replace("'cuda'", "'METAL'"))


# --- ollama and llama.cpp ---------------------------------------------------------------------------------


def test_ollamas_failed_nvidia_smi_in_either_release_wording_is_no_driver() -> None:
    for line in ("routes.go:797: warning: gpu support may not be enabled, check that you have installed GPU drivers: "
                 "nvidia-smi command failed\n",
                 "routes.go:797: GPU support may not enabled, check you have installed GPU drivers and have the necessary "
                 "permissions to run nvidia-smi\n"):
        assert _codes(line)[0] == "DRIVER_MISSING"
    assert _codes("GPU support is enabled, check the docs for installed GPU drivers\n") == []


def test_an_ollama_build_with_only_cpu_runners_is_a_cpu_build() -> None:
    line = 'level=INFO source=payload_common.go:146 msg="Dynamic LLM libraries [cpu_avx cpu_avx2 cpu]"\n'
    assert _codes(line) == ["FRAMEWORK_CPU_BUILD"]
    # A build that carries a CUDA or ROCm runner is not.
    assert _codes(line.replace("[cpu_avx", "[cuda_v11 cpu_avx")) == []
    assert _codes(line.replace("cpu]", "cpu rocm_v6]")) == []


def test_llama_cpp_without_gpu_offload_is_a_cpu_build() -> None:
    for line in ("warning: not compiled with GPU offload support, --gpu-layers option will be ignored\n",
                 '"message":"Not compiled with GPU offload support, --n-gpu-layers option will be ignored. See main README.md"\n'):
        assert _codes(line) == ["FRAMEWORK_CPU_BUILD"]
    assert _codes("llm_load_tensors: offloaded 33/33 layers to GPU\n") == []


# --- a message re-wrapped with an indent -------------------------------------------------------------------


def test_a_message_rewrapped_with_an_indent_is_read_whole() -> None:
    text = ("Loaded runtime CuDNN library: 7.3.1 but source was\n"
            "    compiled with: 7.4.2.  CuDNN library major and minor version needs to match.\n")
    assert _codes(text)[0] == "CUDNN_MISMATCH"
    # A line that ends a sentence is not joined to it, indented or not (a new sentence).
    assert _codes("Loaded runtime CuDNN library: 7.3.1 but source was.\n    compiled with: 7.4.2.\n") == []
    assert _codes("Loaded runtime CuDNN library: 7.3.1 but source was.\nCompiled with: 7.4.2.\n") == []
    # acclayout (session 21): a wrap at a word boundary with no indent (a terminal's or tracker's width) is read
    # whole too, the message's words running over the cut (explain.layout).
    assert _codes("Loaded runtime CuDNN library: 7.3.1 but source was\ncompiled with: 7.4.2.\n")[0] == "CUDNN_MISMATCH"


def test_a_message_wrapped_at_a_word_boundary_without_an_indent_is_read_whole() -> None:
    # A console or tracker at its width cuts after a lower-case word; the rest goes on in lower case.
    wrapped = ("RuntimeError: Error transcribing file: CUDA error: no kernel image is available for\n"
               "execution on the device\n")
    assert _codes(wrapped)[0] == _codes(wrapped.replace("for\n", "for "))[0] == "GPU_NOT_SUPPORTED"
    # After a word no sentence ends on (here "the"), the rest is read whatever its case.
    cut = ("nvidia-smi reports the GPU, but this message was cut by the terminal after the\n"
           "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n")
    assert _joined_texts(cut) == [cut.replace("the\nNVIDIA", "the NVIDIA").rstrip("\n")]
    # A short line, a line ending a sentence or a clause, or a capitalised line after an ordinary word
    # are separate lines.
    assert _joined_texts("CUDA error: no kernel image is available for\nexecution on the device\n") == []
    assert _joined_texts("RuntimeError: Error transcribing file: CUDA error: the run stopped here.\n"
                         "execution on the device\n") == []
    assert _joined_texts("INFO 2024-01-01 12:00:00 training started on node seven with eight workers\n"
                         "Epoch 1/10 loss 0.5\n") == []


def _joined_texts(text: str) -> list[str]:
    """The lines the fact reader joined as hard-wrapped (collapsed-space copies of single lines left out)."""
    from whygpu.explain.logfacts import LogFacts, read_head

    facts = LogFacts()
    read_head("log", text.splitlines(), facts)
    return [joined for _, _, joined, parts in facts.joined if len(parts) > 1]


# --- pasted and scraped forms of a message (scan.normalise) ------------------------------------------------


def test_a_message_in_typographic_or_entity_form_means_what_it_means_in_ascii() -> None:
    assert _codes("NVIDIA-SMI has failed because it couldn\u2018t communicate with the NVIDIA driver.\n")[0] == "DRIVER_MISSING"
    assert _codes("nvidia-container-cli: requirement error: unsatisfied condition: cuda&gt;=11.6, please update your driver\n")[0] \
        == "DRIVER_TOO_OLD"
    ascii_form = _codes("Could not load dynamic library 'libcudnn.so.8'; dlerror: libcudnn.so.8: cannot open shared object\n")
    assert ascii_form and ascii_form[0].startswith("CUDNN_")
    assert _codes("Could not load dynamic library \u2018libcudnn.so.8\u2019; dlerror: libcudnn.so.8: cannot open shared object\n") \
        == ascii_form
    # An entity that decodes to no message, or typographic quotes around prose, say nothing.
    assert _codes("&ldquo;The GPU&rsquo;s fine,&rdquo; she said.\n") == []


# --- a line a tool prints alone, inside markdown, table or code decorations --------------------------------


@pytest.mark.parametrize("line,cause", [
    ("> No devices were found\n", "NO_GPU"),
    ("| No devices were found |\n", "NO_GPU"),
    ("`No devices were found`\n", "NO_GPU"),
    ("> $ export CUDA_VISIBLE_DEVICES=\n", "GPU_HIDDEN"),
    ("`CUDA_VISIBLE_DEVICES=-1`;\n", "GPU_HIDDEN"),
    ("`JAX_PLATFORMS=cpu`\n", "CODE_FORCES_CPU"),
])
def test_a_whole_line_message_inside_decorations_is_read(line: str, cause: str) -> None:
    assert _codes(line)[0] == cause


@pytest.mark.parametrize("line", [
    # A log prefix or more words on the line make it another line than the tool's own.
    "W0000 00:00:1712345678.123456  123 file.cc:42] No devices were found\n",
    "No devices were found matching the filter\n",
    "CUDA_VISIBLE_DEVICES='0'\n",
    "> export CUDA_VISIBLE_DEVICES=0,1\n",
])
def test_near_misses_of_whole_line_messages_stay_quiet(line: str) -> None:
    assert _codes(line) == []


def test_an_interactive_session_quoted_in_markdown_is_read_as_the_session() -> None:
    assert explain_text("> >>> import torch\n> >>> torch.cuda.is_available()\n> False\n").gpu_used is False
    assert explain_text("> >>> torch.cuda.is_available()\n> True\n").gpu_used is not False


# --- PyTorch's own capability range (torch/cuda/__init__.py, _check_capability) -----------------------------


def test_a_gpu_below_the_range_pytorch_states_is_not_supported() -> None:
    text = ("/venv/lib/python3.10/site-packages/torch/cuda/__init__.py:283: UserWarning:\n"
            "    Found GPU0 NVIDIA GeForce GTX 1070 which is of cuda capability 6.1.\n"
            "    Minimum and Maximum cuda capability supported by this version of PyTorch is\n"
            "    (7.0) - (12.0)\n")
    report = to_report(explain_text(text))
    assert report.causes[0].code == "GPU_NOT_SUPPORTED" and "7.0" in report.causes[0].title


def test_a_gpu_inside_the_range_or_a_newer_minor_says_nothing() -> None:
    for cc in ("8.6", "12.1"):
        line = (f"UserWarning: Found GPU0 NVIDIA GPU which is of cuda capability {cc}. Minimum and Maximum cuda capability "
                "supported by this version of PyTorch is (7.0) - (12.0)\n")
        assert _codes(line) == [], cc


def test_cuda_error_strings_quoted_by_other_programs_are_read_through_the_table() -> None:
    for line in ("RuntimeError: CUDA failed with error forward compatibility was attempted on non supported HW\n",
                 "pycuda._driver.LogicError: cuInit failed: forward compatibility was attempted on non supported HW\n"):
        name = catalogue().cuda_error_for_message(line)
        error = cuda_error(name) if name else None
        assert error is not None and error.cause is not None
        # The table's reading, ranked by its base rate where one is counted (accrank3, knowledge/priors.toml
        # [[status_prior]]: forward compatibility refused reads as a driver too old first).
        from whygpu.knowledge.priors import status_prior

        ranked = status_prior(line, error.cause, tuple(error.also), frozenset())
        assert _codes(line)[0] == (ranked[0] if ranked else error.cause)
    # The CUDA images' note that forward compatibility is in use is no error.
    assert _codes("NOTE: CUDA Forward Compatibility mode ENABLED.\n") == []


def test_onnxruntimes_provider_list_of_the_cpu_package_is_a_cpu_build() -> None:
    for line in ("Available providers: ['AzureExecutionProvider', 'CPUExecutionProvider']\n",
                 "ValueError: Asked to use CUDAExecutionProvider as an ONNX Runtime execution provider, but the available "
                 "execution providers are ['AzureExecutionProvider', 'CPUExecutionProvider'].\n"):
        assert _codes(line)[:2] == ["FRAMEWORK_CPU_BUILD", "FRAMEWORK_INSTALL_BROKEN"]
    # onnxruntime-gpu's list is not the CPU package's answer.
    assert _codes("['TensorrtExecutionProvider', 'CUDAExecutionProvider', 'AzureExecutionProvider', 'CPUExecutionProvider']\n") == []
    # A session on the CPU alone is ONNX Runtime's own "no GPU" (accfall, session 31: explain/ortproviders.py), ranked by LOG104
    # as the package's build first; beside another session created on CUDA it is that session's choice, and quiet.
    cpu_session = "Applied providers: ['CPUExecutionProvider'], with options: {'CPUExecutionProvider': {}}\n"
    assert _codes(cpu_session)[:1] == ["FRAMEWORK_CPU_BUILD"]
    assert _codes(cpu_session + "Applied providers: ['CUDAExecutionProvider', 'CPUExecutionProvider'], with options: {}\n") == []


def test_a_windows_dll_path_with_a_build_suffix_is_a_library_file_on_disk() -> None:
    text = "C:\\Program Files\\NVIDIA GPU Computing Toolkit\\CUDA\\v11.2\\bin\\nvrtc64_112_0.dll\n"
    assert "nvrtc64_112_0.dll" in explain_text(text).details["log_facts"].get("library_files", {})
    # A DLL whose name carries no version (the driver's nvcuda.dll, any program's DLL) is not read as one.
    assert "library_files" not in explain_text("C:\\Windows\\System32\\nvcuda.dll\n").details["log_facts"]


def test_a_cuda_error_string_with_its_first_letter_capitalised_is_the_same_error() -> None:
    # nvidia_entrypoint.sh prints deviceQuery's error string with ${VAR^} after "CUDA failed to initialize".
    line = "   [[ Forward compatibility was attempted on non supported HW (error 804) ]]\n"
    assert _codes(line) == _codes(line.replace("Forward", "forward")) != []
    assert _codes("Forward compatibility of the file format was attempted\n") == []


# --- Session 16, last round (acc7a): older frameworks' words, and messages quoted with their first word dropped ----


def test_pytorchs_driver_too_old_message_without_its_leading_article_is_the_same_message() -> None:
    # torch/cuda/__init__.py _check_driver (0.x-1.x) and c10/cuda/CUDAFunctions.cpp (2.x) print
    # "The NVIDIA driver on your system is too old (found version N)"; pastes drop "The" after a label.
    for line in ("error info: NVIDIA driver on your system is too old (found version 6000).\n",
                 "AssertionError: \nThe NVIDIA driver on your system is too old (found version 8000).\n"):
        assert "LOG-PT-DRIVER-TOO-OLD" in _ids(line)
        assert _codes(line)[0] == "DRIVER_TOO_OLD"
    # The words without the program's "(found version N)" are a user's opinion, not the message.
    assert "LOG-PT-DRIVER-TOO-OLD" not in _ids("I think the NVIDIA driver on your system is too old for this\n")


def test_tensorflow_1xs_empty_device_mapping_is_tensorflow_finding_no_gpu() -> None:
    # direct_session.cc prints "Device mapping: no known devices." when no GPU device was registered (accnogpu: its own
    # signature, LOG-TF-NO-KNOWN-DEVICES, split from LOG-TF-NO-GPU-FOUND to rank its causes).
    for line in ("Device mapping: no known devices.\n", "GPU: no known devices, although nvidia-smi lists the card\n"):
        assert "LOG-TF-NO-KNOWN-DEVICES" in _ids(line)
    # A device mapping that lists a GPU is the healthy line; other programs' "no known devices" are not TensorFlow's.
    healthy = ("Device mapping:\n/job:localhost/replica:0/task:0/gpu:0 -> device: 0, name: GeForce GTX 1080, "
               "pci bus id: 0000:01:00.0\n")
    assert "LOG-TF-NO-KNOWN-DEVICES" not in _ids(healthy)
    assert "LOG-TF-NO-KNOWN-DEVICES" not in _ids("Bluetooth: No known devices. Open settings to pair one.\n")


def test_onnxruntimes_cuda_provider_that_failed_to_create_is_first_another_cuda_major() -> None:
    # onnxruntime_pybind_state.cc: the page it points to (and 1.19+'s own words) is the CUDA/cuDNN majors per release.
    for line in ("[W:onnxruntime:Default, onnxruntime_pybind_state.cc:578 CreateExecutionProviderInstance] Failed to create "
                 "CUDAExecutionProvider. Please reference https://onnxruntime.ai/docs/execution-providers/"
                 "CUDA-ExecutionProvider.html#requirements to ensure all dependencies are met.\n",
                 "[W:onnxruntime:Default, onnxruntime_pybind_state.cc:965 onnxruntime::python::CreateExecutionProviderInstance] "
                 "Failed to create CUDAExecutionProvider. Require cuDNN 9.* and CUDA 12.*, and the latest MSVC runtime.\n"):
        codes = _codes(line)
        assert codes[0] == "CUDA_LIBS_MISMATCH" and "CUDA_LIBS_MISSING" in codes
    # Another provider's failure (TensorRT is optional) is no CUDA library cause.
    assert _codes("[W:onnxruntime:Default, onnxruntime_pybind_state.cc:640 CreateExecutionProviderInstance] Failed to "
                  "create TensorrtExecutionProvider. Please reference https://onnxruntime.ai/docs/execution-providers/"
                  "TensorRT-ExecutionProvider.html#requirements to ensure all dependencies are met.\n") == []


@pytest.mark.parametrize("line", [
    "RuntimeError: cuda runtime error (8) : invalid device function at /pytorch/torch/lib/THC/THCTensorCopy.cu:204\n",
    "THCudaCheck FAIL file=/pytorch/torch/lib/THC/generic/THCTensorMath.cu line=15 error=8 : invalid device function\n",
    "F0101 12:00:00.000000  1234 im2col.cu:61] Check failed: error == cudaSuccess (8 vs. 0)  invalid device function\n",
    "RuntimeError: CUDA error: invalid device function\n",
])
def test_invalid_device_function_in_old_and_new_cuda_forms_is_a_build_without_this_gpu(line: str) -> None:
    # cudaErrorInvalidDeviceFunction (8 before CUDA 11, 98 since): no code for this GPU's architecture.
    assert _codes(line)[:1] == ["GPU_NOT_SUPPORTED"]


@pytest.mark.parametrize("line", [
    "RuntimeError: HIP error: invalid device function\n",  # ROCm's own string: not NVIDIA's build question
    "my custom kernel says invalid device function sometimes\n",  # prose, no CUDA error form
    "RuntimeError: cuda runtime error (11) : invalid argument at /pytorch/torch/lib/THC/generic/THCTensorCopy.c:70\n",
])
def test_near_misses_of_invalid_device_function_stay_quiet(line: str) -> None:
    assert "GPU_NOT_SUPPORTED" not in _codes(line)


def test_the_tensorflow_gpu_stubs_message_without_its_leading_article_is_the_same_message() -> None:
    assert _codes('error: "tensorflow-gpu" package has been removed! Please install "tensorflow" instead.\n')[:1] == [
        "FRAMEWORK_INSTALL_BROKEN"]
    # A user's sentence about the package, unquoted and without the stub's words around it, is not the stub's message.
    assert "LOG-TF-GPU-STUB" not in _ids("I read that tensorflow-gpu package has been removed from PyPI\n")


def test_collect_envs_could_not_collect_build_cuda_is_a_build_without_cuda() -> None:
    # torch/utils/collect_env.py: torch.version.cuda None prints "None" (no CUDA on the machine) or, through
    # replace_nones, "Could not collect" (a driver or GPU found beside the CPU build).
    text = ("PyTorch version: 2.2.2\nIs debug build: False\nCUDA used to build PyTorch: Could not collect\n"
            "Is CUDA available: False\nNvidia driver version: 551.86\n")
    assert "LOG-PT-ENV-NO-CUDA-BUILD" in _ids(text)
    assert _codes(text)[0] == "FRAMEWORK_CPU_BUILD"
    # torch not importable ("N/A") or a CUDA build's version says nothing about a CPU build.
    for line in ("CUDA used to build PyTorch: N/A\n", "CUDA used to build PyTorch: 12.1\n",
                 "CUDA runtime version: Could not collect\n"):
        assert "LOG-PT-ENV-NO-CUDA-BUILD" not in _ids(line)
