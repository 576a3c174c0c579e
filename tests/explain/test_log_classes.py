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
