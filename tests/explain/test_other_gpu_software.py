"""GPU messages of software beyond the big frameworks (ollama, llama.cpp/ggml, ...) read from the code that prints them.

Each message fires in every release's wording and stays quiet on a near miss: the words in code or prose, a healthy
outcome, another program's line. The lines are written from the programs' source, not copied from corpus cases.
"""

from __future__ import annotations

from log_text import codes as _codes
from whygpu.explain import explain_text


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


# --- ollama: GPU discovery ----------------------------------------------------------------------------------


def test_ollama_leaving_out_a_gpu_below_its_minimum_compute_capability_is_an_unsupported_gpu() -> None:
    for line in ("2024/01/20 08:00:00 gpu.go:140: CUDA GPU is too old. Falling back to CPU mode. Compute Capability detected: 3.5\n",
                 'time=2024-06-01T08:00:00.000Z level=INFO source=gpu.go:264 msg="[1] CUDA GPU is too old. '
                 'Compute Capability detected: 5.0"\n'):
        assert _codes(line)[0] == "GPU_NOT_SUPPORTED"
    # The words in ollama's own Go source are not a log line.
    assert "LOG-OLM-CC-TOO-OLD" not in _ids(
        'slog.Info(fmt.Sprintf("[%d] CUDA GPU is too old. Compute Capability detected: %d.%d", i, major, minor))\n')


def test_ollama_skipping_a_device_outside_its_compiled_architectures_is_an_unsupported_gpu() -> None:
    line = ('time=2025-11-01T08:00:00.000Z level=INFO source=llama_server.go:299 msg="skipping CUDA device \u2014 compute '
            'capability not in compiled architectures" device="NVIDIA GeForce GTX 750 Ti" cc=500 archs=610,700,750,800\n')
    assert _codes(line) == ["GPU_NOT_SUPPORTED"]
    # Skipping a pseudo-device with no memory (BLAS, Accelerate) is not about the GPU.
    assert _codes('level=DEBUG source=llama_server.go:290 msg="skipping pseudo-device with zero memory" name=BLAS\n') == []


def test_ollama_naming_the_driver_it_requires_is_a_driver_too_old() -> None:
    line = ('time=2025-11-01T08:00:00.000Z level=WARN source=cuda_compat.go:70 msg="NVIDIA driver too old" '
            'device="NVIDIA GeForce RTX 2060" compute=7.5 driver=560 required_driver="570 or newer"\n')
    assert _codes(line) == ["DRIVER_TOO_OLD"]
    # The warning that the driver could not be checked at all says nothing about its age.
    assert _codes('level=WARN source=cuda_compat.go:39 msg="could not verify NVIDIA driver compatibility for CUDA"\n') == []


def test_ollamas_cuda_runtime_answer_too_old_or_missing_leads_with_the_driver_age() -> None:
    for line in ('msg="Unable to load cudart CUDA management library /tmp/ollama1/runners/cuda_v11/libcudart.so.11.0: '
                 'your nvidia driver is too old or missing, please upgrade to run ollama"\n',
                 'level=DEBUG source=gpu.go:593 msg="Unable to load cudart library /usr/lib/ollama/cuda_v12/libcudart.so.12.8.90: '
                 'your nvidia driver is too old or missing.  If you have a CUDA GPU please upgrade to run ollama"\n'):
        assert _codes(line)[:2] == ["DRIVER_TOO_OLD", "DRIVER_MISSING"]
    # In a container the GPU was most likely not passed in.
    assert _codes("docker run -d -v ollama:/root/.ollama ollama/ollama\n" + 'msg="Unable to load cudart" '
                  'error="your nvidia driver is too old or missing.  If you have a CUDA GPU please upgrade to run ollama"\n'
                  )[0] == "CONTAINER_NO_GPU"


def test_a_driver_library_without_a_driver_api_entry_point_is_an_old_driver() -> None:
    line = ('time=2024-08-01T08:00:00.000Z level=INFO source=gpu.go:568 msg="unable to load cuda driver library" '
            'library=/usr/lib/x86_64-linux-gnu/libcuda.so.460.32.03 error="symbol lookup for cuCtxCreate_v3 failed: '
            '/usr/lib/x86_64-linux-gnu/libcuda.so.460.32.03: undefined symbol: cuCtxCreate_v3"\n')
    assert _codes(line)[0] == "DRIVER_TOO_OLD"
    assert "LOG-OLM-DRIVER-SYMBOL" in _ids(line)
    # A symbol of another library (not the driver API's cu* names) is not this.
    assert "LOG-OLM-DRIVER-SYMBOL" not in _ids('error="symbol lookup for nvmlInit_v2 failed: undefined symbol"\n')


def test_ollamas_driver_library_mismatch_is_a_driver_mismatch() -> None:
    line = ('time=2024-10-01T08:00:00.000Z level=WARN source=gpu.go:606 msg="version mismatch between driver and cuda '
            'driver library - reboot or upgrade may be required: library /usr/lib/x86_64-linux-gnu/libcuda.so.550.90.07"\n')
    assert _codes(line)[0] == "DRIVER_MISMATCH"


def test_ollamas_cuda_status_numbers_take_cudas_meaning() -> None:
    # cuInit's 100 is CUDA_ERROR_NO_DEVICE, 802 the Fabric Manager not running (most often not the driver's version:
    # knowledge/gpu_status.toml's counts, accstatus); cudaSetDevice's 35 an old driver; NVML's 18 the kernel module and
    # library at different versions.
    assert _codes('msg="Unable to load cudart library /usr/lib/libcuda.so.550.1: cuda driver library init failure: 802"\n'
                  )[:2] == ["DRIVER_MISMATCH", "DRIVER_MISSING"]
    assert _codes("cudaSetDevice err: 35\n")[0] == "DRIVER_TOO_OLD"
    assert _codes('msg="Unable to load CUDA management library /lib/libnvidia-ml.so.545.29.06: nvml vram init failure: 18"\n'
                  ) == ["DRIVER_MISMATCH"]
    # A number CUDA's table does not know leaves the probe's own reading (a driver fault), at its confidence.
    assert _codes("cuda driver library init failure: 12345\n")[0] == "GPU_FAULT"


def test_cuda_finding_no_device_for_ollama_is_a_hidden_or_absent_gpu() -> None:
    line = 'level=INFO source=gpu.go:609 msg="no nvidia devices detected by library /usr/lib/x86_64-linux-gnu/libcuda.so.535.1"\n'
    assert _codes(line)[0] == "GPU_HIDDEN"
    assert _codes("docker compose up ollama\n" + line)[0] == "CONTAINER_NO_GPU"


def test_ollamas_summary_that_no_compatible_gpu_was_found_names_no_cause_alone() -> None:
    # The summary follows whichever reason came before it (or none, on a machine without a GPU): alone it is Ollama's
    # "no GPU" answer (accharvest, session 20): the GPU went unused, ranked by LOG104, no signature's own cause.
    from whygpu.explain import explain_text

    result = explain_text('time=2025-01-01T08:00:00.000Z level=INFO source=gpu.go:377 msg="no compatible GPUs were discovered"\n')
    assert result.gpu_used is False
    assert {f.id for f in result.findings} == {"LOG104"}


# --- llama.cpp -----------------------------------------------------------------------------------------------


def test_llama_cpp_finding_no_usable_gpu_is_most_often_a_build_without_a_gpu_backend() -> None:
    text = ("load_backend: loaded CPU backend from /app/libggml-cpu-haswell.so\n"
            "warning: no usable GPU found, --gpu-layers option will be ignored\n"
            "warning: one possible reason is that llama.cpp was compiled without GPU support\n")
    assert _codes(text)[0] == "FRAMEWORK_CPU_BUILD"
    # The help text describing the option is not the warning.
    assert _codes("-ngl, --gpu-layers N   number of layers to store in VRAM\n") == []


# --- JAX / XLA -----------------------------------------------------------------------------------------------


def test_jax_warning_that_a_device_is_below_its_minimum_compute_capability_is_an_unsupported_gpu() -> None:
    line = ("UserWarning: Device 1 has CUDA compute capability 5.0 which is lower than the minimum supported compute "
            "capability 5.2. See https://jax.readthedocs.io/en/latest/installation.html#nvidia-gpu for more details\n")
    assert _codes(line) == ["GPU_NOT_SUPPORTED"]
    # The line describing a device that is supported (the debug listing) is not this warning.
    assert _codes("Device 0: NVIDIA A100-SXM4-40GB, compute capability 8.0\n") == []


def test_jax_outdated_cuda_component_is_another_cuda_release() -> None:
    for name in ("CUDA", "cuBLAS", "cuFFT", "cuSPARSE", "cuSOLVER", "cuPTI"):
        text = ("CUDA backend failed to initialize: Unable to use CUDA because of the following issues with CUDA components:\n"
                f"Outdated {name} installation found.\nVersion JAX was built against: 12200\nMinimum supported: 12100\n"
                "Installed version: 12002\n")
        assert _codes(text)[0] == "CUDA_LIBS_MISMATCH", name
    # cuDNN's is read by its own signature, as a cuDNN of another release.
    assert _codes("Outdated cuDNN installation found.\n")[0] == "CUDNN_MISMATCH"
    # The debug listing of components that passed is not a failure.
    assert _codes("CUDA components status (debug):\nPackage: cuBLAS\nVersion JAX was built against: 120205\n"
                  "Minimum supported: 120100\nInstalled version: 120800\n") == []


def test_jax_refusing_a_defective_cudnn_release_is_a_cudnn_mismatch() -> None:
    for line in ("RuntimeError: cuDNN 9.10.0 had a binary backward-compatibility issue due to reordered enum values affecting "
                 "block-scale datatypes. Found runtime version 91000 and build version 91002. Please upgrade to 9.10.1 or above.\n",
                 "cuDNN < 9.10.0 (90800 found) had an issue that caused some multi-GPU matmuls, in which the same finalized "
                 "execution plan is used across different GPUs, to be functionally incorrect\n"):
        assert _codes(line) == ["CUDNN_MISMATCH"]
    assert _codes("Loaded cuDNN version 91002\n") == []


def test_jax_needing_a_newer_jaxlib_is_a_broken_install() -> None:
    assert _codes("ImportError: This version of jax requires jaxlib version >= 0.4.31.\n") == ["FRAMEWORK_INSTALL_BROKEN"]
    assert _codes("jaxlib 0.4.31 satisfies the requirement of this version of jax\n") == []


def test_xla_opening_no_device_is_a_gpu_taken_at_start_up() -> None:
    line = "jaxlib.xla_extension.XlaRuntimeError: INTERNAL: no supported devices found for platform CUDA\n"
    assert _codes(line)[0] == "GPU_BUSY"
    # ROCm's platform is not CUDA's.
    assert "LOG-XLA-NO-SUPPORTED-DEVICES" not in _ids("INTERNAL: no supported devices found for platform ROCM\n")



# --- PaddlePaddle --------------------------------------------------------------------------------------------


def test_paddles_loader_naming_a_cuda_library_takes_the_librarys_meaning() -> None:
    windows = ("RuntimeError: (PreconditionNotMet) The third-party dynamic library (cublas64_120.dll;cublas64_12.dll) "
               "that Paddle depends on is not configured correctly. (error code is 126)\n")
    assert _codes(windows)[0] in {"CUDA_LIBS_MISSING", "CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH"}
    cudnn = windows.replace("cublas64_120.dll;cublas64_12.dll", "cudnn64_8.dll")
    assert set(_codes(cudnn)) <= {"CUDNN_MISSING", "CUDNN_MISMATCH", "CUDA_LIBS_NOT_ON_PATH"} and _codes(cudnn)
    # Paddle's own CPU libraries (MKL) are not a GPU cause.
    assert _codes(windows.replace("cublas64_120.dll;cublas64_12.dll", "mklml.dll")) == []


def test_paddles_suggestion_naming_mac_os_does_not_make_a_linux_log_a_mac() -> None:
    text = ("W1011 16:22:07.015712 788278 dynamic_loader.cc:314] The third-party dynamic library (libcudnn.so) that Paddle "
            "depends on is not configured correctly. (error code is /usr/local/cuda/lib64/libcudnn.so: cannot open shared "
            "object file: No such file or directory)\n"
            "  - Mac: set  DYLD_LIBRARY_PATH by `export DYLD_LIBRARY_PATH=...` [Note: After Mac OS 10.11, using the "
            "DYLD_LIBRARY_PATH is impossible unless System Integrity Protection (SIP) is disabled.]\n")
    codes = _codes(text)
    # (acc8a: the unversioned libcudnn.so reads "off the path" first, then missing: signatures.toml's [[library]] row.)
    assert "NO_GPU" not in codes and codes[0] in {"CUDNN_MISSING", "CUDNN_MISMATCH", "CUDA_LIBS_NOT_ON_PATH"}
    # A log that does come from a Mac still says so.
    assert _codes("Platform: macOS-14.2-arm64\nAssertionError: Torch not compiled with CUDA enabled\n")[0] == "NO_GPU"


def test_paddle_1x_not_finding_a_library_and_no_cudnn_loaded_are_library_causes() -> None:
    assert _codes("W0529 dynamic_loader.cc:120] Can not find library: libcublas.so. The process maybe hang. "
                  "Please try to add the lib path to LD_LIBRARY_PATH.\n")[0].startswith("CUDA_LIBS")
    # Paddle opens the unversioned libcudnn.so: a cuDNN off its loader's path first (knowledge/priors.toml's Paddle row,
    # session 27), cuDNN missing next.
    assert _codes("RuntimeError: (PreconditionNotMet) Cannot load cudnn shared library. Cannot invoke method "
                  "cudnnGetVersion.\n")[:2] == ["CUDA_LIBS_NOT_ON_PATH", "CUDNN_MISSING"]
    assert _codes("Can not find library: libmklml_intel.so. The process maybe hang.\n") == []


def test_paddles_gpu_build_finding_no_device_is_not_a_cpu_build() -> None:
    line = ("/venv/lib/python3.10/site-packages/paddle/base/framework.py:688: UserWarning: You are using GPU version "
            "Paddle, but your CUDA device is not set properly. CPU device will be used by default.\n")
    codes = _codes(line)
    assert codes[0] == "DRIVER_MISSING" and "FRAMEWORK_CPU_BUILD" not in codes
    assert _codes("docker run --rm paddlepaddle/paddle:2.6.1-gpu-cuda12.0-cudnn8.9-trt8.6\n" + line)[0] == "CONTAINER_NO_GPU"
    assert _codes("W1203 09:46:38.052230  8109 init.cc:182] Compiled with WITH_GPU, but no GPU found in runtime.\n"
                  )[0] == "DRIVER_MISSING"
    # Paddle's success line says nothing against the GPU.
    assert _codes("PaddlePaddle works well on 1 GPU.\nPaddlePaddle is installed successfully!\n") == []


# --- onnxruntime and numba -----------------------------------------------------------------------------------


def test_onnxruntimes_cuda_path_message_is_the_cuda_provider_not_loading() -> None:
    line = ("EP Error C:\\a\\_work\\1\\s\\onnxruntime\\python\\onnxruntime_pybind_state.cc:866 onnxruntime::python::"
            "CreateExecutionProviderInstance CUDA_PATH is set but CUDA wasnt able to be loaded. Please install the correct "
            "version of CUDA andcuDNN as mentioned in the GPU requirements page\n")
    assert _codes(line)[0] == "CUDA_LIBS_MISMATCH"
    # Setting CUDA_PATH in a script is not the message.
    assert _codes('os.environ["CUDA_PATH"] = r"C:\\Program Files\\NVIDIA GPU Computing Toolkit\\CUDA\\v12.4"\n') == []


def test_numbas_driver_messages() -> None:
    assert _codes("numba.cuda.cudadrv.error.CudaSupportError: Error at driver init:\n"
                  "CUDA driver library cannot be found.\n")[0] == "DRIVER_MISSING"
    # `numba -s`'s either-or summary names no single cause.
    assert "LOG-NUMBA-DRIVER-NOT-FOUND" not in _ids(
        "CUDA driver library cannot be found or no CUDA enabled devices are present.\n")
    # cuInit's error is CUDA's, by name or, for one numba's enum lacks, by number.
    assert _codes("CudaSupportError: Error at driver init: Call to cuInit results in CUDA_ERROR_NO_DEVICE (100)\n"
                  )[0] == "GPU_HIDDEN"
    assert _codes("CudaSupportError: Error at driver init: Call to cuInit results in UNKNOWN_CUDA_ERROR (804)\n"
                  )[0] == "DRIVER_TOO_OLD"
    # cuInit failing with a code the table does not know reads as cuInit failing (as TensorFlow's cuInit line does).
    assert _codes("Call to cuInit results in UNKNOWN_CUDA_ERROR (123456)\n")[0] == "DRIVER_MISSING"


def test_numba_without_nvvm_or_with_cuda_switched_off() -> None:
    assert _codes("numba.cuda.cudadrv.error.NvvmSupportError: libNVVM cannot be found. Do `conda install "
                  "cudatoolkit`:\nlibnvvm.so: cannot open shared object file: No such file or directory\n"
                  )[0] == "CUDA_LIBS_MISSING"
    assert _codes("CudaSupportError: CUDA is disabled due to setting NUMBA_DISABLE_CUDA=1 in the environment, or "
                  "because CUDA is unsupported on 32-bit systems.\n") == ["CODE_FORCES_CPU"]
    # The variable set to 0 in an environment listing is not the message.
    assert _codes("NUMBA_DISABLE_CUDA=0\n") == []


# --- RAPIDS cuDF ---------------------------------------------------------------------------------------------


def test_cudfs_setup_check() -> None:
    assert _codes("cudf.utils.gpu_utils.UnsupportedCUDAError: A GPU with NVIDIA Volta\u2122 (Compute Capability 7.0) or "
                  "newer architecture is required.\nDetected GPU 0: NVIDIA GeForce GTX 1080 Ti\n"
                  "Detected Compute Capability: 6.1\n") == ["GPU_NOT_SUPPORTED"]
    assert _codes("UnsupportedCUDAError: Please update your NVIDIA GPU Driver to support CUDA Runtime.\n"
                  "Detected CUDA Runtime version : 12020\nLatest version of CUDA supported by current NVIDIA GPU Driver : "
                  "11040\n")[0] == "DRIVER_TOO_OLD"
    assert _codes("UnsupportedCUDAError: We couldn't detect the GPU driver properly. Please follow the installation "
                  "guide to ensure your driver is properly installed\n")[0] == "DRIVER_MISSING"
    # A project's README stating the requirement is not the error.
    assert _codes("RAPIDS requires a GPU with compute capability 7.0 or newer (Volta and later).\n") == []


def test_ollamas_context_and_memory_probe_numbers_take_cudas_meaning() -> None:
    # cuCtxCreate's 46 is CUDA_ERROR_DEVICE_UNAVAILABLE (exclusive-process mode or a busy device).
    assert _codes('msg="error looking up nvidia GPU memory" error="cuda driver library failed to get device context 46"\n'
                  )[0] == "GPU_BUSY"


def test_jax_plugin_wrapper_yields_to_the_exception_it_wraps() -> None:
    wrapper = ("ERROR:2026-01-01 08:00:00,000:jax._src.xla_bridge:477: Jax plugin configuration error: Exception when "
               "calling jax_plugins.xla_cuda12.initialize()\nTraceback (most recent call last):\n")
    # Alone: the plugin is broken (the one labelled case with no inner error).
    assert _codes(wrapper)[0] == "FRAMEWORK_INSTALL_BROKEN"
    assert _codes(wrapper + "RuntimeError: jaxlib/cuda/versions_helpers.cc:113: operation cuInit(0) failed: "
                  "CUDA_ERROR_NO_DEVICE\n")[0] == "GPU_HIDDEN"
    inner = ("RuntimeError: jaxlib/cuda/versions_helpers.cc:81: operation cusparseGetProperty(MAJOR_VERSION, &major) "
             "failed: The cuSPARSE library was not found.\n")
    assert _codes(wrapper + inner)[0].startswith("CUDA_LIBS")
    assert "LOG-JAX-LIB-NOT-FOUND" in _ids(inner)
    # The plugin module missing altogether keeps the broken-install reading.
    assert _codes("Jax plugin configuration error: Plugin module jax_plugins.xla_cuda12 does not exist\n"
                  )[0] == "FRAMEWORK_INSTALL_BROKEN"


# --- vLLM ----------------------------------------------------------------------------------------------------


def test_vllm_saying_it_is_its_cpu_build() -> None:
    assert _codes("DEBUG 05-01 10:00:00 [__init__.py:60] CUDA platform is not available because vLLM is built with "
                  "CPU.\n") == ["FRAMEWORK_CPU_BUILD"]
    # The NVML probe failing is printed on every AMD or CPU deployment at debug level: no cause alone.
    assert _codes("DEBUG 06-25 10:10:02 [__init__.py:92] CUDA platform is not available because: NVML Shared "
                  "Library Not Found\n") == []


def test_llama_cpp_warning_beside_a_cuda_backend_that_found_the_gpu_says_nothing() -> None:
    warning = "warning: no usable GPU found, --gpu-layers option will be ignored\n"
    found = ("ggml_cuda_init: found 1 CUDA devices (Total VRAM: 8150 MiB):\n"
             "  Device 0: NVIDIA GeForce RTX 4060 Laptop GPU, compute capability 8.9, VMM: yes\n"
             "load_backend: loaded CUDA backend from C:\\llama\\ggml-cuda.dll\n")
    assert _codes(found + warning) == []
    assert explain_text(found + warning).gpu_used is True
    # Without the device list the warning keeps its reading.
    assert _codes("load_backend: loaded CPU backend from /app/libggml-cpu-haswell.so\n" + warning)[0] == "FRAMEWORK_CPU_BUILD"
    # A device list does not silence a real CUDA failure after it.
    assert _codes(found + "CUDA error: no kernel image is available for execution on the device\n")[0] == "GPU_NOT_SUPPORTED"
