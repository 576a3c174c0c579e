"""Classes of log lines (JAX, PyTorch, NCCL, containers, cuDNN's own loader): each fires on what its message means and stays quiet otherwise.

The lines are written from what each message says, not copied from a corpus case.
"""

from __future__ import annotations

from whygpu.explain import explain_text, to_report


def _causes(text: str) -> list[str]:
    return [c.code for c in to_report(explain_text(text)).causes]


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


def test_a_jaxlib_without_the_cuda_platform_is_a_cpu_build() -> None:
    line = "Backend 'gpu' failed to initialize: NOT_FOUND: Could not find registered platform with name: \"cuda\". Available platform names are: Interpreter Host"
    assert _causes(line)[0] == "FRAMEWORK_CPU_BUILD"
    # Another platform missing (ROCm in a CUDA build) says nothing against the GPU.
    quiet = "Unable to initialize backend 'rocm': NOT_FOUND: Could not find registered platform with name: \"rocm\". Available platform names are: CUDA Host"
    assert "LOG-XLA-NO-CUDA-PLATFORM" not in _ids(quiet) and _causes(quiet) == []


def test_jax_asked_for_a_gpu_with_only_the_cpu_platform() -> None:
    causes = _causes("RuntimeError: Unknown backend: 'gpu' requested, but no platforms that are instances of gpu are present. Platforms present are: cpu")
    assert causes[0] == "FRAMEWORK_CPU_BUILD" and "DRIVER_MISSING" in causes[:3]
    assert "LOG-JAX-NO-GPU-PLATFORM" not in _ids("Platforms present are: cpu, cuda")


def test_a_cuda_plugin_of_another_version_than_jaxlib_is_a_broken_install() -> None:
    line = "RuntimeWarning: JAX plugin jax_cuda12_plugin version 0.6.0 is installed, but it is not compatible with the installed jaxlib version 0.5.3, so it will not be used."
    assert _causes(line)[0] == "FRAMEWORK_INSTALL_BROKEN"
    # The same warning wrapped after its comma by an issue tracker is read whole.
    wrapped = "RuntimeWarning: JAX plugin jax_cuda12_plugin version 0.6.0 is installed,\nbut it is not compatible with the installed jaxlib version 0.5.3\n"
    assert _causes(wrapped)[0] == "FRAMEWORK_INSTALL_BROKEN"
    assert "LOG-JAX-PLUGIN-NOT-COMPATIBLE" not in _ids("jax_cuda12_plugin version 0.6.0 is installed")


def test_pip_finding_no_cuda_jaxlib_means_no_cuda_build_for_this_platform() -> None:
    line = "ERROR: No matching distribution found for jaxlib==0.3.22+cuda11.cudnn805"
    causes = _causes(line)
    assert causes[0] == "FRAMEWORK_CPU_BUILD" and "FRAMEWORK_INSTALL_BROKEN" in causes
    # A plain jaxlib pip cannot find is a Python/platform problem, not a missing CUDA build.
    assert _causes("ERROR: No matching distribution found for jaxlib==0.4.1")[0] == "FRAMEWORK_INSTALL_BROKEN"


def test_nccl_failing_on_a_cuda_call_points_to_nccl_built_for_another_cuda() -> None:
    causes = _causes("RuntimeError: NCCL error in: ProcessGroupNCCL.cpp:47, unhandled cuda error, NCCL version 2.7.8")
    assert causes[0] == "CUDA_LIBS_MISMATCH" and "DRIVER_TOO_OLD" in causes
    assert _causes("NCCL INFO Using network Socket\nNCCL version 2.18.1+cuda12.1") == []


def test_the_container_asked_for_a_gpu_id_that_does_not_exist_hides_the_gpu() -> None:
    line = "stderr: nvidia-container-cli: device error: 3: unknown device: unknown."
    assert _causes(line)[0] == "GPU_HIDDEN"
    assert "LOG-CTR-CLI-UNKNOWN-DEVICE" not in _ids("nvidia-container-cli: initialization error: driver error: failed to process request")


def test_cuda_runtime_error_35_also_means_no_driver_at_all() -> None:
    causes = _causes("cudaGetDeviceCount failed: CUDA driver version is insufficient for CUDA runtime version")
    assert causes[0] == "DRIVER_TOO_OLD"
    assert {"DRIVER_MISSING", "CONTAINER_NO_GPU"} <= set(causes[:3])


def test_no_cuda_gpus_names_the_scripts_own_device_choice() -> None:
    causes = _causes("RuntimeError: No CUDA GPUs are available")
    assert causes[0] == "GPU_HIDDEN" and "CODE_FORCES_CPU" in causes[:3]
    # PyTorch has another message for a missing driver: this one does not suggest it.
    assert "DRIVER_MISSING" not in causes


def test_an_index_pytorch_never_published_leaves_the_old_torch_in_place() -> None:
    text = "pip install torch --index-url https://download.pytorch.org/whl/cu119\nRequirement already satisfied: torch in ./venv/lib/python3.10/site-packages (2.0.1)\n"
    report = to_report(explain_text(text))
    assert report.causes[0].code == "FRAMEWORK_CPU_BUILD" and "cu119" in report.causes[0].title
    assert "whl/cu118" in report.causes[0].fix  # the newest published variant not newer than 11.9
    assert "LOG113" not in _ids("pip install torch --index-url https://download.pytorch.org/whl/cu121\n")
    # A variant older than the release table is not judged (it may have existed then).
    assert "LOG113" not in _ids("pip install torch==1.7.1 --index-url https://download.pytorch.org/whl/cu101\n")


def test_a_plain_torch_wheel_for_windows_is_the_cpu_build() -> None:
    text = "Downloading torch-1.13.1-cp310-cp310-win_amd64.whl (162.6 MB)\nSuccessfully installed torch-1.13.1\n"
    assert _causes(text)[0] == "FRAMEWORK_CPU_BUILD"
    # The index's CUDA wheel carries its +cu tag; a plain Linux wheel from PyPI is a CUDA build.
    assert _causes("Downloading torch-1.13.1+cu117-cp310-cp310-win_amd64.whl (2.4 GB)\n") == []
    assert _causes("Downloading torch-2.1.0-cp310-cp310-manylinux1_x86_64.whl (670.2 MB)\n") == []


def test_gpustat_memory_lines_show_the_gpu_taken_by_others() -> None:
    text = "RuntimeError: CUDA error: out of memory\n[0] Tesla P40 | 40'C,   0 % | 22700 / 22919 MB | bob(22690M)\n"
    assert _causes(text)[0] == "GPU_BUSY"
    free = "RuntimeError: CUDA error: out of memory\n[0] Tesla P40 | 40'C,   0 % |   700 / 22919 MB |\n"
    assert "LOG108" not in _ids(free)


def test_memory_taken_but_no_work_is_an_idle_gpu_not_an_unused_one() -> None:
    text = "nvidia-smi says the Memory-Usage is full, but GPU-Util stays at 0% (so the gpu doesn't work?)\n"
    result = explain_text(text)
    assert [c.code for c in to_report(result).causes] == ["GPU_UNDERUSED"] and result.gpu_used is not False
    # Utilisation alone at 0% with no memory used is not this statement.
    assert "GPU_UNDERUSED" not in _causes("GPU-Util is 0% and no memory is used; the GPU is not used\n")


def test_the_programs_own_words_that_no_gpu_is_used() -> None:
    assert explain_text("import torch\nWarning: No GPU being used. Inference will be slow.\n").gpu_used is False
    assert explain_text("import torch\nThe GPU is being used.\n").gpu_used is not False


def test_jax_on_native_windows_has_no_cuda_build() -> None:
    text = 'C:\\Users\\me\\proj> pip install -U "jax[cuda12]"\nCollecting jax[cuda12]\n  Using cached jax-0.4.30-py3-none-any.whl\n'
    report = to_report(explain_text(text))
    assert report.causes[0].code == "FRAMEWORK_CPU_BUILD" and "Windows" in report.causes[0].title
    # The same command in Linux says nothing against the GPU; JAX on Windows used only on the CPU on purpose neither.
    assert "LOG114" not in _ids('$ pip install -U "jax[cuda12]"\nCollecting jax[cuda12]\non linux\n')
    assert "LOG114" not in _ids("C:\\Users\\me> python -c \"import jax; print(jax.numpy.ones(3))\"\n[1. 1. 1.]\n")


def test_jax_version_check_before_cuda_init_is_a_package_mismatch() -> None:
    line = "CUDA backend failed to initialize: jaxlib/cuda/versions_helpers.cc:81: operation gpuDeviceGetAttribute( &minor, GPU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device) failed: CUDA_ERROR_NOT_INITIALIZED"
    assert _causes(line)[0] == "FRAMEWORK_INSTALL_BROKEN"
    # cuInit itself failing is the driver's answer, read by the CUDA error it names.
    other = "CUDA backend failed to initialize: jaxlib/cuda/versions_helpers.cc:29: operation cuInit(0) failed: CUDA_ERROR_NO_DEVICE"
    assert "LOG-JAX-VERSION-CHECK-NOT-INITIALIZED" not in _ids(other)


def test_a_kepler_gpu_below_what_old_pytorch_binaries_were_built_for() -> None:
    text = "PyTorch version: 1.5.0\nGPU 0: Tesla K40c\n>>> torch.cuda.is_available()\nTrue\n"
    result = explain_text(text)
    assert to_report(result).causes[0].code == "GPU_NOT_SUPPORTED"
    assert any(f.id == "LOG110" and "3.7" in f.title for f in result.findings)
    # A K80 (3.7) is within those binaries; before 1.3 a K40 (3.5) was too.
    assert "LOG110" not in _ids("PyTorch version: 1.5.0\nGPU 0: Tesla K80\n")
    assert "LOG110" not in _ids("PyTorch version: 1.2.0\nGPU 0: Tesla K40m\n")


def test_code_that_picks_a_gpu_number_is_the_first_suspect_when_the_gpu_goes_unused() -> None:
    text = "parser.add_argument('--gpu_id', type=int, default=2)\nnvidia-smi shows the GPU is not being utilised\n"
    causes = _causes(text)
    assert causes[0] == "CODE_FORCES_CPU" and "GPU_HIDDEN" in causes[:3]
    # GPU 0 is every machine's first GPU: choosing it is no suspect.
    assert _causes("device = torch.device('cuda:0')\nthe GPU is not being utilised\n")[0] != "CODE_FORCES_CPU"


def test_naming_the_nvidia_driver_is_no_sighting_of_an_nvidia_gpu() -> None:
    text = "Graphics: Intel(R) UHD Graphics 620\nRuntimeError: Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU and installed a driver\n"
    # The only GPU named is Intel's (its integrated graphics: LOG146, the machine has no NVIDIA GPU).
    assert "LOG146" in _ids(text)
    both = _ids("Graphics: Intel(R) UHD Graphics 620 and NVIDIA GeForce MX150\nRuntimeError: Found no NVIDIA driver on your system\n")
    assert "LOG107" not in both and "LOG146" not in both


def test_a_failed_dlopen_of_the_drivers_unversioned_name_may_be_only_the_path() -> None:
    causes = _causes("RuntimeError: Failed to dlopen libcuda.so")
    # The base rate (signatures.toml's libcuda.so row, docs/explain-accuracy.md session 16): off the path first.
    assert causes[0] == "CUDA_LIBS_NOT_ON_PATH" and "DRIVER_MISSING" in causes[:3]
    # The driver's own soname missing is the driver missing (or not given to the container).
    assert "CUDA_LIBS_NOT_ON_PATH" not in _causes("RuntimeError: Failed to dlopen libcuda.so.1")
    assert _causes("Failed to dlopen libfoo.so") == []


def test_pytorch_cuda_unknown_error_points_to_a_driver_left_half_working() -> None:
    line = "UserWarning: CUDA initialization: CUDA unknown error - this may be due to an incorrectly set up environment, e.g. changing env variable CUDA_VISIBLE_DEVICES after program start."
    causes = _causes(line)
    # Counted over every labelled case with this message (signatures.toml): a driver state broken by
    # suspend/resume (GPU_FAULT) first, a driver updated without a reboot next.
    assert causes[:2] == ["GPU_FAULT", "DRIVER_MISMATCH"] and "DRIVER_MISSING" in causes
    assert _causes("UserWarning: CUDA initialization: all good, 2 devices") == []


def test_pytorch_without_its_cuda_wheels_or_with_another_cudnn() -> None:
    assert _causes("ValueError: libcudnn.so.*[0-9] not found in the system path ['/opt/venv/lib/python3.11/site-packages']")[0] == "CUDA_LIBS_MISSING"
    assert _causes("libcudnn.so.9 found in the system path")[:1] != ["CUDA_LIBS_MISSING"]
    line = "RuntimeError: cuDNN version incompatibility: PyTorch was compiled  against (9, 1, 0) but found runtime version (8, 9, 7)."
    assert _causes(line)[0] == "CUDNN_MISMATCH"
    assert "LOG-PT-CUDNN-VERSION" not in _ids("PyTorch was compiled against CUDA 12.1")


def test_jax_and_jaxlib_of_different_releases() -> None:
    assert _causes("RuntimeError: jaxlib version 0.4.30 is newer than and incompatible with jax version 0.4.23. Please update")[0] == "FRAMEWORK_INSTALL_BROKEN"
    assert _causes("RuntimeError: jaxlib is version 0.3.5, but this version of jax requires version >= 0.4.1.")[0] == "FRAMEWORK_INSTALL_BROKEN"
    assert _causes("jax version 0.4.30, jaxlib version 0.4.30") == []


def test_jax_no_visible_gpu_yields_to_the_cuinit_reason() -> None:
    alone = _causes("jaxlib.xla_extension.XlaRuntimeError: FAILED_PRECONDITION: No visible GPU devices.")
    assert alone[0] == "GPU_HIDDEN"
    both = _causes("failed call to cuInit: CUDA_ERROR_NO_DEVICE: no CUDA-capable device is detected\nXlaRuntimeError: FAILED_PRECONDITION: No visible GPU devices.\n")
    assert both[0] == "GPU_HIDDEN"  # the cuInit line's reading, not the generic backend failure
    assert "LOG-JAX-NO-VISIBLE-GPU" not in _ids("FAILED_PRECONDITION: visible GPU devices: 2")


def test_container_and_cluster_messages() -> None:
    banner = "ERROR: This container was built for NVIDIA Driver Release 545.23 or later, but\n       version 525.60.13 was detected and compatibility mode is UNAVAILABLE.\n"
    assert _causes(banner)[0] == "DRIVER_TOO_OLD"
    assert _causes("NOTE: CUDA Forward Compatibility mode ENABLED.") == []
    assert _causes("Error response from daemon: unknown or invalid runtime name: nvidia")[0] == "CONTAINER_NO_GPU"
    assert _causes("Warning  FailedScheduling  0/4 nodes are available: 4 Insufficient nvidia.com/gpu.")[0] == "CONTAINER_NO_GPU"
    assert _causes("Limits:\n  nvidia.com/gpu:  1\n") == []


def test_the_nvidia_kernel_module_missing_for_the_running_kernel() -> None:
    assert _causes("$ sudo modprobe nvidia\nmodprobe: FATAL: Module nvidia not found in directory /lib/modules/6.5.0-35-generic\n")[0] == "DRIVER_MISSING"
    assert _causes("$ lsmod | grep nvidia\nnvidia_uvm 1523712 0\n") == []


def test_an_azure_cpu_vm_size_has_no_gpu_to_find() -> None:
    text = 'compute: {"name": "cluster1", "vm_size": "STANDARD_D4S_V3"}\n>>> torch.cuda.is_available()\nFalse\n'
    report = to_report(explain_text(text))
    assert report.causes[0].code == "NO_GPU" and "D4S_V3" in report.causes[0].title.upper()
    # A GPU size, or a CPU size in a log where the GPU was used, says nothing of the kind.
    assert "LOG115" not in _ids('"vm_size": "Standard_NC6s_v3"\n>>> torch.cuda.is_available()\nFalse\n')
    assert "LOG115" not in _ids("vm_size: Standard_D4s_v3 (data preparation step)\n")


def test_torch_device_count_zero_at_a_prompt_is_the_gpu_unused() -> None:
    result = explain_text(">>> import torch\n>>> torch.cuda.device_count()\n0\n")
    assert result.gpu_used is False and to_report(result).causes[0].code == "FRAMEWORK_CPU_BUILD"
    assert explain_text(">>> torch.cuda.device_count()\n2\n>>> torch.cuda.get_device_name(0)\n'NVIDIA A100-SXM4-40GB'\n").gpu_used is not False


def test_a_tensor_printed_on_the_gpu_shows_the_gpu_used() -> None:
    text = ">>> torch.cuda.device_count()\n0\n>>> torch.ones(2).cuda()\ntensor([1., 1.], device='cuda:0')\n"
    result = explain_text(text)
    assert result.gpu_used is True and to_report(result).causes == []
    # Code that asks for the device is no proof that it got it.
    assert explain_text("x = torch.zeros(3, device='cuda:0')\n").gpu_used is not True


def test_torchvision_built_for_another_cuda_and_wsl_without_a_gpu_adapter() -> None:
    line = "RuntimeError: Detected that PyTorch and torchvision were compiled with different CUDA versions. PyTorch has CUDA Version=11.8 and torchvision has CUDA Version=12.1."
    assert _causes(line)[0] == "FRAMEWORK_INSTALL_BROKEN"
    assert _causes("torch 2.1.0+cu121, torchvision 0.16.0+cu121") == []
    causes = _causes("stderr: nvidia-container-cli: initialization error: WSL environment detected but no adapters were found: unknown.")
    assert causes[0] == "NO_GPU" and "DRIVER_MISSING" in causes
    assert _causes("WSL environment detected; 1 adapter found") == []


def test_pytorch_saying_no_cuda_in_other_words() -> None:
    for line in ("RuntimeError: Torch is not able to use GPU; add --skip-torch-cuda-test to COMMANDLINE_ARGS",
                 "UserWarning: User provided device_type of 'cuda', but CUDA is not available. Disabling",
                 "INFO: Using device: cpu"):
        assert explain_text(line).gpu_used is False, line
    assert explain_text("INFO: Using device: cuda:0").gpu_used is not False
    assert explain_text("pin_memory on device: cpu tensors").gpu_used is not False


def test_a_cudnn_failure_in_a_cuda_image_without_cudnn_is_cudnn_missing() -> None:
    text = "FROM nvidia/cuda:12.1.0-runtime-ubuntu22.04\nCould not load library libcudnn_cnn_infer.so.8. Error: libcudnn_cnn_infer.so.8: cannot open shared object file: No such file or directory\n"
    result = explain_text(text)
    assert any(f.id == "LOG116" for f in result.findings)
    assert to_report(result).causes[0].code == "CUDNN_MISSING"
    assert "12.1.0-cudnn-runtime-ubuntu22.04" in to_report(result).causes[0].fix
    # A cuDNN tag holds cuDNN: the same failure there is not this.
    assert "LOG116" not in _ids(text.replace("12.1.0-runtime", "12.1.0-cudnn8-runtime"))


def test_jax_backend_platform_at_a_prompt() -> None:
    assert explain_text(">>> from jax.lib import xla_bridge\n>>> xla_bridge.get_backend().platform\n'cpu'\n").gpu_used is False
    assert explain_text(">>> xla_bridge.get_backend().platform\n'gpu'\n").gpu_used is not False


def test_a_script_printing_cuda_available_false() -> None:
    result = explain_text("torch version: 2.2.0\nCUDA available: False\n")
    assert result.gpu_used is False and any(f.id == "LOG104" and f.scope == "torch" for f in result.findings)
    assert explain_text("CUDA available: True\n").gpu_used is not False


def test_invalid_device_ordinal_may_be_the_programs_own_device_number() -> None:
    causes = _causes("RuntimeError: CUDA error: invalid device ordinal")
    assert causes[0] == "GPU_HIDDEN" and "CODE_FORCES_CPU" in causes
    assert "CODE_FORCES_CPU" not in _causes("RuntimeError: CUDA error: no CUDA-capable device is detected")


def test_the_extension_builders_no_cuda_runtime_note_in_a_build_log_is_no_verdict() -> None:
    text = "Building wheel for flash-attn (setup.py) ...\nNo CUDA runtime is found, using CUDA_HOME='/usr/local/cuda'\n"
    assert explain_text(text).gpu_used is not False


def test_onnxruntime_and_ctranslate2_without_their_cuda_parts() -> None:
    assert _causes("UserWarning: Specified provider 'CUDAExecutionProvider' is not in available provider names.Available providers: 'CPUExecutionProvider'")[0] == "FRAMEWORK_CPU_BUILD"
    assert _causes("[W:onnxruntime:Default] Failed to create CUDAExecutionProvider. Please reference the requirements")[0] == "CUDA_LIBS_MISMATCH"
    assert _causes("ValueError: This CTranslate2 package was not compiled with CUDA support")[0] == "FRAMEWORK_CPU_BUILD"
    assert _causes("RuntimeError: Library cudnn_ops64_9.dll is not found or cannot be loaded")[0] == "CUDNN_MISSING"
    # Another framework that used the GPU makes an onnxruntime fallback a note, not the cause.
    assert _causes("Use GPU: cuda:0\n[W:onnxruntime] Failed to create CUDAExecutionProvider.\n") == []
    assert _causes("Available providers: ['CUDAExecutionProvider', 'CPUExecutionProvider']") == []


def test_xlas_cudnn_failure_raised_by_jax_is_named_as_jaxs() -> None:
    report = to_report(explain_text("jaxlib.xla_extension.XlaRuntimeError: FAILED_PRECONDITION: DNN library initialization failed. Look at the errors above"))
    # The line leaves cuDNN missing or another version open; the base rate (knowledge/priors.toml) puts another version first.
    assert report.causes[0].code == "CUDNN_MISMATCH" and "JAX" in report.causes[0].title and "jax[cuda12]" in report.causes[0].fix
    assert "CUDNN_MISSING" in [c.code for c in report.causes]
    # The same words in a TensorFlow log stay TensorFlow's.
    tf = to_report(explain_text("  (0) UNIMPLEMENTED: DNN library is not found."))
    assert "JAX" not in tf.causes[0].title
