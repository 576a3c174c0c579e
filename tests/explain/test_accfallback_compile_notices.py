"""A compiler fallback the program carried on from (session 37, branch accfallback): knowledge/compile_fallback.toml.

XLA (TensorFlow 2.4+, JAX) runs ptxas on the PTX it makes; when that ptxas does not know the GPU or is too old, XLA says it
falls back to the NVIDIA driver's PTX JIT and goes on
(https://github.com/tensorflow/tensorflow/blob/v2.4.0/tensorflow/stream_executor/gpu/asm_compiler.cc). The ptxas error it
quotes is then the reason for the fallback on a GPU in use, not a cause; it stays the cause where the log shows the run
stopped (the same words raised, a kernel not found, an op that failed) or the writer says the run is slow or hangs.

The lines are written here from the messages' templates in XLA's source (timestamps, architectures and paths varied); none
is copied from a corpus case.
"""

from __future__ import annotations

from log_text import codes
from whygpu.knowledge import compile_fallback

_NOTICE = (
    "2022-03-01 10:11:12.000001: W tensorflow/stream_executor/gpu/asm_compiler.cc:235] Your CUDA software stack is old. "
    "We fallback to the NVIDIA driver for some compilation. Update your CUDA version to get the best performance. "
    "The ptxas error was: ptxas fatal   : Value 'sm_89' is not defined for option 'gpu-name'\n"
)
_BARE = "ptxas fatal   : Value 'sm_89' is not defined for option 'gpu-name'\n"


def test_a_fallback_notice_with_its_quoted_ptxas_error_is_no_cause_when_the_run_goes_on() -> None:
    for text in (
        _NOTICE,
        "Epoch 1/10\n" + _NOTICE + "Epoch 2/10\n120/120 [==============================] - 14s 98ms/step - loss: 0.41\n",
        _NOTICE * 3 + "the model trains fine on the RTX 4090, only these warnings fill the console\n",
    ):
        assert codes(text) == [], text


def test_the_quoted_ptxas_error_keeps_its_cause_where_the_run_stopped() -> None:
    for text in (
        _NOTICE + "Traceback (most recent call last):\n  File \"train.py\", line 3, in <module>\n",
        _NOTICE + "E external/xla/xla/stream_executor/cuda/cuda_driver.cc:628] failed to get PTX kernel \"fusion_3\" from module: CUDA_ERROR_NOT_FOUND: named symbol not found\n",
        _NOTICE + "W tensorflow/core/framework/op_kernel.cc:1763] OP_REQUIRES failed at conv_ops.cc:1106 : Not found: No algorithm worked!\n",
        _NOTICE + "after that the script hangs and never prints the first epoch\n",
    ):
        assert codes(text)[:1] == ["GPU_NOT_SUPPORTED"], text


def test_the_quoted_ptxas_error_keeps_its_cause_where_the_writer_says_the_run_is_slow() -> None:
    text = _NOTICE + "Each epoch now takes forever compared with the old card.\n"
    assert codes(text)[:1] == ["GPU_NOT_SUPPORTED"]


def test_a_bare_ptxas_error_without_the_program_s_notice_keeps_its_reading() -> None:
    assert codes(_BARE)[:1] == ["GPU_NOT_SUPPORTED"]


def test_the_knowledge_decision_reads_the_notice_forms_and_the_raised_form() -> None:
    notices = (
        "W external/xla/xla/stream_executor/cuda/cuda_asm_compiler.cc:280] Falling back to the CUDA driver for PTX compilation; ptxas does not support CC 9.0",
        "W tensorflow/stream_executor/gpu/redzone_allocator.cc:314] Internal: ptxas exited with non-zero error code -1, output: \nRelying on driver to perform ptx compilation.",
        "W tensorflow/compiler/xla/service/gpu/nvptx_compiler.cc:73] Can't find ptxas binary in ${CUDA_DIR}/bin.  Will back to the GPU driver for PTX -> sass compilation.",
    )
    for line in notices:
        assert compile_fallback.notice(line), line
        assert compile_fallback.harmless([line]), line
    raised = "jaxlib.xla_extension.XlaRuntimeError: UNIMPLEMENTED: /opt/venv/bin/ptxas ptxas too old. Falling back to the driver to compile."
    assert compile_fallback.notice(raised)
    assert not compile_fallback.harmless([raised])  # the same words raised: the run stopped
    assert not compile_fallback.harmless(["ptxas fatal   : Value 'sm_90' is not defined for option 'gpu-name'"])  # no notice
    assert "LOG-PTXAS-UNKNOWN-GPU-ARCH" in compile_fallback.demoted()
