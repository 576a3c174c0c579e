"""accjax39 (session 39): JAX's builds, plugins and CUDA tools: which jaxlib a log installs (explain/jaxbuild.py,
knowledge/jax_builds.toml, LOG845-LOG847), the CUDA tools XLA ran (signatures LOG-JAX-NO-GPU-CLIENT, LOG-NVLINK-UNKNOWN-ARCH,
LOG-CUDA-KERNEL-IMAGE-INVALID with the ptxas of PATH), the CPU-fallback warning of a helper while the GPU does the work, and
a slower GPU for sequential sampling. Each reading has a case where it speaks and one where it stays quiet."""

from __future__ import annotations

from log_text import codes, facts, finding_codes, first_cause, report

# https://github.com/google-research/maxim/issues/32
_NO_GPU_CLIENT = ("I1025 08:07:07.369699 139768635004736 xla_bridge.py:357] Unable to initialize backend 'cuda': module "
                  "'jaxlib.xla_extension' has no attribute 'GpuAllocatorConfig'")
# https://github.com/jax-ml/jax/issues/25315 (a CUDA install where only the 'rocm' backend fails this way)
_ROCM_FORM = ("RuntimeError: Unable to initialize backend 'rocm': module 'jaxlib.xla_extension' has no attribute "
              "'GpuAllocatorConfig' (set JAX_PLATFORMS='' to automatically choose an available backend)")
# https://github.com/jax-ml/jax/issues/16699
_NVLINK_ARCH = ("jaxlib.xla_extension.XlaRuntimeError: INTERNAL: nvlink exited with non-zero error code 256, output: nvlink fatal   "
                ": Value 'sm_80' is not defined for option 'arch'")
# https://github.com/jax-ml/jax/issues/13570 (XLA's own lines naming the ptxas of PATH)
_PTXAS_PATH = ("2022-12-08 11:37:51.345475: W external/org_tensorflow/tensorflow/compiler/xla/stream_executor/gpu/asm_compiler.cc:231] "
               "Falling back to the CUDA driver for PTX compilation; ptxas does not support CC 8.9\n"
               "2022-12-08 11:37:51.345499: W external/org_tensorflow/tensorflow/compiler/xla/stream_executor/gpu/asm_compiler.cc:234] "
               "Used ptxas at ptxas\n")
_INVALID_IMAGE = "E external/xla/xla/stream_executor/cuda/cuda_driver.cc:864] failed to load PTX text as a module: CUDA_ERROR_INVALID_IMAGE: device kernel image is invalid"
# https://github.com/sanchit-gandhi/whisper-jax/issues/211
_FALLBACK = ("WARNING:2025-06-15 17:04:55,449:jax._src.xla_bridge:791: An NVIDIA GPU may be present on this machine, but a "
             "CUDA-enabled jaxlib is not installed. Falling back to cpu.")


def test_jaxlib_without_gpu_client_is_a_cpu_build() -> None:
    assert first_cause(_NO_GPU_CLIENT) == "FRAMEWORK_CPU_BUILD"
    assert "LOG-JAX-NO-GPU-CLIENT" in finding_codes(_NO_GPU_CLIENT)


def test_rocm_backend_without_gpu_client_is_not_read() -> None:
    assert "LOG-JAX-NO-GPU-CLIENT" not in finding_codes(_ROCM_FORM)


def test_nvlink_not_knowing_the_arch_is_a_toolkit_mismatch() -> None:
    assert first_cause(_NVLINK_ARCH) == "CUDA_LIBS_MISMATCH"
    assert "LOG-NVLINK-UNKNOWN-ARCH" in finding_codes(_NVLINK_ARCH)


def test_nvlink_knowing_the_arch_is_not_read() -> None:
    line = "nvlink info    : 0 bytes gmem, sm_80 linked"
    assert "LOG-NVLINK-UNKNOWN-ARCH" not in finding_codes(line)


def test_invalid_image_made_through_the_ptxas_of_path_is_a_mismatch() -> None:
    assert first_cause(_PTXAS_PATH + _INVALID_IMAGE) == "CUDA_LIBS_MISMATCH"


def test_invalid_image_alone_keeps_the_driver_first() -> None:
    assert first_cause(_INVALID_IMAGE) == "DRIVER_TOO_OLD"


_PLAIN_PINS = "Our requirements.txt has\n```\njax==0.4.13\njaxlib==0.4.13\nflax==0.7.0\n```\nand training only uses the CPU, not the GPU."


def test_plain_jaxlib_pinned_is_a_cpu_build() -> None:
    assert first_cause(_PLAIN_PINS) == "FRAMEWORK_CPU_BUILD"
    assert "LOG845" in finding_codes(_PLAIN_PINS)
    assert [s.value.detail for s in facts(_PLAIN_PINS).jax_build_sign if s.value.kind == "plain_pin"] == ["0.4.13"]


def test_plain_pin_beside_jax_cuda_build_is_quiet() -> None:
    for extra in ("jax[cuda12]==0.4.13\n", "jaxlib==0.4.13+cuda12.cudnn89\n", "jax-cuda12-plugin==0.4.35\n"):
        text = _PLAIN_PINS.replace("flax==0.7.0\n", "flax==0.7.0\n" + extra)
        assert "LOG845" not in finding_codes(text), extra


def test_said_installed_without_cuda() -> None:
    text = "pip install -e . installed the CPU version of jaxlib, so my GPU is never used."
    assert "LOG846" in finding_codes(text)
    assert first_cause(text) == "FRAMEWORK_CPU_BUILD"


def test_asked_whether_installed_without_cuda_is_quiet() -> None:
    assert "LOG846" not in finding_codes("Does pip install -e . install the CPU version of jaxlib?")
    assert "LOG846" not in finding_codes("If it installed the CPU version of jaxlib, the GPU would not be used.")


def test_other_framework_installed_after_jax_replaces_its_wheels() -> None:
    text = "JAX worked on the GPU. After I ran pip install torch, I can no longer use jax with the GPU."
    assert "LOG847" in finding_codes(text)
    assert first_cause(text) == "CUDA_LIBS_MISMATCH"


def test_other_framework_named_without_order_or_loss_is_quiet() -> None:
    assert "LOG847" not in finding_codes("I use jax and I also pip install torch for the data loaders.")
    assert "LOG847" not in finding_codes("Should I pip install torch after jax, or can I no longer use jax with the GPU then?")


def test_fallback_warning_beside_the_gpu_said_still_used_is_quiet() -> None:
    # https://github.com/hollowstrawberry/kohya-colab/issues/133 (the maintainer's words beside the same warning)
    text = _FALLBACK + "\nThe training works fine despite this warning, and it's clearly using the gpu, so you can ignore it."
    assert codes(text) == []
    assert report(text).verdict.gpu_usable is not False


def test_fallback_warning_alone_is_a_cpu_build() -> None:
    assert first_cause(_FALLBACK) == "FRAMEWORK_CPU_BUILD"
    assert first_cause(_FALLBACK + "\nIt does not still use the GPU.") == "FRAMEWORK_CPU_BUILD"


def test_slower_gpu_for_sequential_sampling_is_no_cause() -> None:
    text = "Sampling one chain with NUTS is slower on the GPU than on the CPU, though the model runs on the GPU."
    assert "GPU_UNDERUSED" not in codes(text)


def test_slower_gpu_for_training_is_underused() -> None:
    assert "GPU_UNDERUSED" in codes("Training on the GPU is slower than on the CPU, though the model runs on the GPU.")


def test_xla_client_attribute_missing_is_a_package_skew() -> None:
    # https://github.com/jax-ml/jax/issues/28229
    line = "AttributeError: module 'jaxlib.xla_client' has no attribute 'generate_pjrt_gpu_plugin_options'"
    assert first_cause(line) == "FRAMEWORK_INSTALL_BROKEN"
    assert "LOG-JAX-XLA-CLIENT-SKEW" in finding_codes(line)


def test_xla_extension_tpu_client_missing_is_not_a_skew() -> None:
    # https://github.com/ikostrikov/walk_in_the_park/issues/5 (a routine line of a working CUDA jaxlib)
    line = "Unable to initialize backend 'tpu': module 'jaxlib.xla_extension' has no attribute 'get_tpu_client'"
    assert "LOG-JAX-XLA-CLIENT-SKEW" not in finding_codes(line)


def test_xla_linker_refusal_names_a_stale_driver() -> None:
    # https://github.com/jax-ml/jax/issues/11699
    line = ("2022-08-01 17:28:07.861579: E external/org_tensorflow/tensorflow/stream_executor/cuda/cuda_asm_compiler.cc:57] "
            "cuLinkAddData fails. This is usually caused by stale driver version.")
    assert first_cause(line) == "DRIVER_TOO_OLD"
    assert "LOG-XLA-CULINK-STALE-DRIVER" in finding_codes(line)


def test_xla_linker_named_in_a_question_is_not_read() -> None:
    assert "LOG-XLA-CULINK-STALE-DRIVER" not in finding_codes("What does cuLinkAddData do when XLA links kernels?")
