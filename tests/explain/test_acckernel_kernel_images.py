"""CUDA's "no code for this device" statuses read against the GPU, the build and the driver (session 36, branch acckernel):
knowledge.kernel_images.decide (knowledge/kernel_images.toml) and LOG650 (explain/kernelimagerules.py).

Real lines carry their public source; the others are written here from the class. Each reading has a case where it fires and
one where it stays quiet.
"""

from __future__ import annotations

import pytest

from log_text import first_cause
from whygpu.explain import explain_text
from whygpu.knowledge.kernel_images import (
    FACTS,
    at_runtime_init,
    decide,
    image_kind_of,
    image_kinds,
    image_readings,
)


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


# --- the table and the one decision ----------------------------------------------------------------------------------------


def test_every_kind_reads_its_own_example_and_every_reading_names_known_facts() -> None:
    for kind in image_kinds():
        found = image_kind_of(kind.example)
        assert found is not None and found.id == kind.id, kind.id
        assert kind.source.startswith("https://")
    kinds = {k.id for k in image_kinds()}
    for reading in image_readings():
        assert reading.kind in kinds and reading.when <= FACTS and reading.source.startswith("https://")


@pytest.mark.parametrize(("text", "kind"), [
    ("RuntimeError: CUDA error: no kernel image is available for execution on the device", "no_image"),
    ("CUDA_ERROR_NO_BINARY_FOR_GPU", "no_image"),
    ("INTERNAL: Failed to load in-memory CUBIN: CUDA_ERROR_INVALID_IMAGE: device kernel image is invalid", "invalid_image"),
    ("Check failed: error == cudaSuccess (8 vs. 0)  invalid device function", "invalid_device_function"),
    ("CUDA error: the provided PTX was compiled with an unsupported toolchain.", "unsupported_ptx"),
    ("CUDADriverError: CUDA_ERROR_INVALID_PTX: a PTX JIT compilation failed", "invalid_ptx"),
])
def test_a_line_is_read_as_its_status(text: str, kind: str) -> None:
    found = image_kind_of(text)
    assert found is not None and found.id == kind


def test_lines_of_other_statuses_are_no_kind() -> None:
    for text in ("CUDA error: out of memory", "CUDA driver version is insufficient for CUDA runtime version", "invalid device ordinal"):
        assert image_kind_of(text) is None, text


def test_the_decision_takes_the_driver_first_then_the_gpu_then_where_the_status_came_back() -> None:
    values = {"cuda": "12.4", "driver_why": "CUDA 12.4 needs driver >= 550.54.14", "driver_needed": "550.54.14", "cc": "6.1",
              "cc_packed": "61", "build": "TensorFlow 2.16", "build_name": "TensorFlow", "fit_why": "no sm_61"}
    both = decide("invalid_image", {"driver_older", "gpu_outside", "runtime_init"}, values)
    assert both is not None and both.reading.cause == "DRIVER_TOO_OLD" and "12.4" in both.fix
    gpu = decide("invalid_image", {"gpu_outside", "runtime_init"}, values)
    assert gpu is not None and gpu.reading.cause == "GPU_NOT_SUPPORTED" and gpu.reading.confidence == "high"
    init = decide("invalid_image", {"runtime_init"}, {})
    assert init is not None and init.reading.cause == "GPU_NOT_SUPPORTED" and init.reading.confidence == "medium"
    assert "None" not in init.why + init.fix + init.decide and "{" not in init.why + init.fix
    # Nothing beside the line: the signature's reading stands.
    assert decide("invalid_image", set(), {}) is None
    assert decide("no_image", {"runtime_init", "unread"}, {}) is None


def test_a_reading_whose_words_need_a_value_the_log_did_not_give_is_not_taken() -> None:
    assert decide("unsupported_ptx", {"driver_older"}, {}) is None


def test_unknown_facts_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown facts"):
        decide("invalid_image", {"gpu_far_away"}, {})


def test_runtime_init_is_tensorflows_start_of_its_runtime_only() -> None:
    assert at_runtime_init("InternalError: CUDA runtime implicit initialization on GPU:0 failed. Status: device kernel image is invalid")
    assert not at_runtime_init("RuntimeError: CUDA error: device kernel image is invalid")


# --- LOG650 in whole reports ------------------------------------------------------------------------------------------------

# https://github.com/tensorflow/java/issues/200 (TF Java 0.3.0-SNAPSHOT on a GTX 1070)
TF_JAVA = """Exception in thread "main" org.tensorflow.exceptions.TensorFlowException: CUDA runtime implicit initialization on GPU:0 failed. Status: device kernel image is invalid
	at org.tensorflow.internal.c_api.AbstractTF_Status.throwExceptionIfNotOK(AbstractTF_Status.java:101)
2021-01-29 19:15:28.229419: I external/org_tensorflow/tensorflow/core/common_runtime/gpu/gpu_device.cc:1716] Found device 0 with properties:
pciBusID: 0000:01:00.0 name: GeForce GTX 1070 computeCapability: 6.1
"""


def test_tensorflows_runtime_start_failing_on_an_invalid_image_reads_as_a_build_without_the_gpu() -> None:
    assert "LOG650" in _ids(TF_JAVA)
    assert first_cause(TF_JAVA) == "GPU_NOT_SUPPORTED"


def test_an_invalid_image_elsewhere_keeps_the_signatures_reading() -> None:
    text = "RuntimeError: CUDA error: device kernel image is invalid\nnvidia-smi shows a GeForce RTX 3090\n"
    assert "LOG650" not in _ids(text)
    assert first_cause(text) == "DRIVER_TOO_OLD"


def test_an_invalid_image_under_a_driver_older_than_the_build_reads_as_the_driver() -> None:
    text = ("torch 2.4.0+cu124\n"
            "| NVIDIA-SMI 525.60.13    Driver Version: 525.60.13    CUDA Version: 12.0     |\n"
            "CUDA runtime implicit initialization on GPU:0 failed. Status: device kernel image is invalid\n")
    assert first_cause(text) == "DRIVER_TOO_OLD"


def test_invalid_device_function_from_a_programs_cuda_code_reads_as_its_build() -> None:
    # https://github.com/fraimondo/cudaica/issues/3
    text = ("cudaica was built on ubuntu 16.06 with cuda 8 and --with-cuda-arch=53\n"
            "\tName: GeForce GTX 1060 3GB\n"
            "ERROR::invalid device function (8) in src/centering.cu at line 130\n")
    assert "LOG650" in _ids(text)
    assert first_cause(text) == "GPU_NOT_SUPPORTED"


def test_invalid_device_function_in_hips_words_stays_quiet() -> None:
    text = "HIP error: invalid device function\nrocm 6.0 on an RX 7900 XTX\n"
    assert "LOG650" not in _ids(text)


def test_invalid_device_function_with_neither_cuda_nor_an_nvidia_gpu_stays_quiet() -> None:
    assert "LOG650" not in _ids("Error: invalid device function\n")


def test_a_ptx_jit_failure_reads_as_the_driver() -> None:
    # https://github.com/nicehash/excavator/issues/54
    text = "v1.3.3a dea16d2 : CUDA error 'a PTX JIT compilation failed' in func 'get_device_bus_id_str' line 79\n"
    assert first_cause(text) == "DRIVER_TOO_OLD"



def test_a_cut_short_no_kernel_image_line_beside_an_nvidia_gpu_reads_as_a_build_without_it() -> None:
    text = ("Prompt executed with an error\n"
            "RuntimeError: CUDA error: no kernel image is available\n"
            "Device: NVIDIA GeForce GTX 1080, CUDA Capability: 6.1\n")
    # accquiet (session 36) made the signature read the cut form itself; LOG650 reads it where no signature does.
    assert _ids(text) & {"LOG650", "LOG-CUDA-KERNEL-IMAGE"}
    assert first_cause(text) == "GPU_NOT_SUPPORTED"
    assert first_cause("CUDA error: no kernel image available\nGPU 0: NVIDIA GeForce GTX 1080\n") == "GPU_NOT_SUPPORTED"


def test_a_no_kernel_image_line_asked_about_or_heard_of_stays_quiet() -> None:
    for text in ("Why would I get 'no kernel image is available' on a GTX 1080?\n",
                 "Someone said they got no kernel image is available with this card, GTX 1080\n"):
        assert "LOG650" not in _ids(text), text


def test_the_rebuild_fix_names_the_gpus_architecture_where_the_log_gives_it() -> None:
    text = "GeForce GTX 765M\nBest: 224 threads, 96 blocks (3.4e+38ms)Error: invalid device function\n/home/u/ICPCUDA/src/Cuda/pyrdown.cu:90\n"
    fixes = [f.fix for f in explain_text(text).findings if f.id == "LOG650" and f.alternative_to is None]
    assert fixes and "arch=compute_30,code=sm_30" in fixes[0]
    fixes = [f.fix for f in explain_text("cudaCheckError() failed : invalid device function\n").findings if f.id == "LOG650"]
    assert fixes and "compute_XY" in fixes[0] and "None" not in fixes[0]
