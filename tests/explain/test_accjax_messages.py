"""JAX's own messages read from the jaxlib code that prints them (session 17, branch accjax).

Each class fires on the message in the words jaxlib writes and stays quiet on a near miss; the lines are written from
jaxlib's source (jaxlib/gpu/gpu_kernel_helpers.cc), not copied from corpus cases.
"""

from __future__ import annotations

from log_text import codes as _codes
from whygpu.explain import explain_text


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


def test_jaxlib_cusolver_internal_error_is_a_cuda_library_mismatch() -> None:
    # jaxlib's cuSOLVER handle could not be created: the libraries loaded do not fit jaxlib's CUDA.
    for line in ("RuntimeError: jaxlib/cusolver_kernels.cc:44: operation cusolverDnCreate(&handle) failed: "
                 "cuSolver internal error\n",
                 "RuntimeError: cuSolver internal error\n"):
        codes = _codes(line)
        assert codes[0] == "CUDA_LIBS_MISMATCH"
        assert "CUDA_LIBS_NOT_ON_PATH" in codes[:3]
        assert "LOG-AJ-JAXLIB-CUSOLVER-INTERNAL" in _ids(line)


def test_cusolver_words_without_jaxlibs_error_stay_quiet() -> None:
    # The words in prose or in jaxlib's C++ source are no raised error.
    assert "LOG-AJ-JAXLIB-CUSOLVER-INTERNAL" not in _ids("Has anyone seen a cuSolver internal error before?\n")
    assert "LOG-AJ-JAXLIB-CUSOLVER-INTERNAL" not in _ids(
        '    case CUSOLVER_STATUS_INTERNAL_ERROR:\n      return "cuSolver internal error";\n')


_FALLBACK = ("WARNING:2022-11-30 12:50:08,211:jax._src.xla_bridge:355: No GPU/TPU found, falling back to CPU. "
             "(Set TF_CPP_MIN_LOG_LEVEL=0 and rerun for more info.)\n")
_PLUGIN_FALLBACK = ("WARNING:2025-06-15 17:04:55,449:jax._src.xla_bridge:791: An NVIDIA GPU may be present on this machine, "
                    "but a CUDA-enabled jaxlib is not installed. Falling back to cpu.\n")


def test_jax_environment_report_listing_cuda_devices_silences_a_cpu_fallback_warning() -> None:
    # JAX falls back to the CPU only when its default backend is the CPU; an environment report whose devices are
    # CUDA devices shows JAX reached the GPU, so a fallback warning beside it is from another run.
    for listing in ("jax.devices (1 total, 1 local): [cuda(id=0)]\n",
                    "jax.devices (2 total, 2 local): [CudaDevice(id=0) CudaDevice(id=1)]\n",
                    "jax.devices (1 total, 1 local): [GpuDevice(id=0, process_index=0)]\n"):
        for warning in (_FALLBACK, _PLUGIN_FALLBACK):
            assert _codes(warning)[0] == "FRAMEWORK_CPU_BUILD"  # alone, the warning reads as a CPU build
            assert "FRAMEWORK_CPU_BUILD" not in _codes(warning + "jax:    0.4.28\n" + listing)
            assert _codes(listing + warning) == []


def test_a_cpu_device_report_or_a_bare_device_list_keeps_the_fallback() -> None:
    # The environment report listing CPU devices agrees with the fallback.
    cpu = "jax.devices (1 total, 1 local): [CpuDevice(id=0)]\n"
    assert _codes(_FALLBACK + cpu)[0] == "FRAMEWORK_CPU_BUILD"
    # A bare list printed after a fix in the same report is not the environment the warning came from.
    assert _codes(_PLUGIN_FALLBACK + "After reinstalling I got:\n[CudaDevice(id=0)]\n")[0] == "FRAMEWORK_CPU_BUILD"


def test_a_cuda_plugin_that_failed_to_initialise_is_not_a_missing_plugin() -> None:
    # The plugin is installed but raised while initialising; JAX then warns as if no CUDA jaxlib were installed.
    plugin_failed = ("ERROR:2025-07-08 12:39:34,990 jax._src.xla_bridge:444] Jax plugin configuration error: Exception "
                     "when calling jax_plugins.xla_cuda12.initialize()\n"
                     "RuntimeError: Unable to load cuSPARSE. Is it installed?\n")
    codes = _codes(plugin_failed + _PLUGIN_FALLBACK)
    assert "FRAMEWORK_CPU_BUILD" not in codes
    assert codes[0] == "CUDA_LIBS_MISMATCH"


def test_the_plugin_warning_without_a_plugin_error_still_reads_as_no_cuda_plugin() -> None:
    # A CPU-only install: no plugin error, only the warning (and an unrelated Python error after it).
    log = _PLUGIN_FALLBACK + "RuntimeError: Unknown backend: 'gpu' requested, but no platforms that are instances of gpu are present.\n"
    assert _codes(log)[0] == "FRAMEWORK_CPU_BUILD"
