"""accsilent40 (session 40): programs' own device lines (knowledge/device_lines.toml, read by explain.devicelines), and two
forms of the writer's words, read so that a log showing the GPU unused is not met with silence.

A line after which the program found no usable GPU is its "no GPU" answer, ranked by LOG104 with the check that decides;
a line after which it found the GPU and kept the work on the CPU is its own choice (CODE_FORCES_CPU, LOG610). Each fires on
the line as the program prints it (its source is the row's ``source``) and stays quiet on the code that prints it, a
condition, the writer's own goal of the CPU, and a log that shows the work on the GPU after all.
"""

from __future__ import annotations

import pytest

from log_text import codes, facts, report
from whygpu.explain.devicelines import device_lines
from whygpu.knowledge.device_lines import FOUND, NOT_FOUND, device_line

# The lines as the programs print them (each row's ``source`` is the code that prints it).
PIPELINE = ("Hardware accelerator e.g. GPU is available in the environment, but no `device` argument is passed to the "
            "`Pipeline` object. Model will be on CPU.")  # transformers, pipelines/base.py
PIPELINE_OLD = "GPU is available in the environment, but no `device` argument is passed to the `Pipeline` object. Model will be on CPU."
GFPGAN = ("UserWarning: The unoptimized RealESRGAN is slow on CPU. We do not use it. If you really want to use it, please "
          "modify the corresponding codes.")  # GFPGAN, inference_gfpgan.py
XNNPACK = "INFO: Created TensorFlow Lite XNNPACK delegate for CPU."  # tensorflow/lite/delegates/xnnpack/xnnpack_delegate.cc
MONK = "/kaggle/working/monk_v1/monk/system/imports.py:160: UserWarning: GPU not accessible yet requested."  # monk set_device
XLA_CPU = ("2024-09-23 12:01:56.715574: W external/xla/xla/service/cpu/onednn_matmul.cc:293] [Perf]: MatMul reference "
           "implementation being executed")  # xla/service/cpu/onednn_matmul.cc


@pytest.mark.parametrize(("line", "found"), [
    (PIPELINE, FOUND), (PIPELINE_OLD, FOUND), (GFPGAN, NOT_FOUND), (XNNPACK, NOT_FOUND), (MONK, NOT_FOUND), (XLA_CPU, NOT_FOUND),
])
def test_each_program_line_is_read_with_what_its_test_found(line: str, found: str) -> None:
    hit = device_line(line)
    assert hit is not None and hit[0].found == found


@pytest.mark.parametrize("line", [GFPGAN, XNNPACK, MONK, XLA_CPU])
def test_a_program_that_found_no_gpu_is_ranked_not_silent(line: str) -> None:
    text = "The GPU is never used, everything is slow.\n" + line + "\n" if line is MONK else line + "\n"
    got = report(text)
    assert got.verdict.gpu_usable is False
    assert got.causes, line  # LOG104's ranking for the framework and platform, with the check that decides
    assert facts(text).cpu_notice


def test_a_program_that_found_the_gpu_and_kept_the_cpu_is_its_own_choice() -> None:
    got = report(PIPELINE + "\n")
    assert got.verdict.gpu_usable is False
    assert codes(PIPELINE + "\n")[0] == "CODE_FORCES_CPU"
    assert codes("Loading the sentiment model...\n" + PIPELINE_OLD + "\nsentiment: positive\n")[0] == "CODE_FORCES_CPU"


QUIET = (
    # The code that prints the line, and Python's echo of the warning's source line under it.
    '    logger.warning("Hardware accelerator e.g. GPU is available in the environment, but no `device` argument is passed to '
    'the `Pipeline` object. Model will be on CPU.")',
    "  warnings.warn('The unoptimized RealESRGAN is slow on CPU. We do not use it. '",
    "# created TensorFlow Lite XNNPACK delegate for CPU, then the interpreter runs",
    # A condition in the writer's sentence.
    "If you do not pass a device you will see that the GPU is available in the environment, but no `device` argument is passed "
    "to the `Pipeline` object. Model will be on CPU.",
    # The line beside the program's own line that the work runs on the GPU after all.
    XNNPACK + "\nINFO: Created TensorFlow Lite delegate for GPU.",
    # The line beside a later line showing the GPU used.
    PIPELINE + "\nUsing device: cuda:0",
    # The CPU is the writer's own goal.
    "I want to run the pipeline on the CPU only.\n" + PIPELINE,
    # "cpu" inside other words, and words that only name the program.
    "The cpufreq governor is set to performance; GFPGAN restores faces fine.",
    "TensorFlow Lite XNNPACK delegate benchmarks for CPUs are in the docs.",
)


@pytest.mark.parametrize("text", QUIET)
def test_quiet_where_the_line_is_not_the_programs_finding(text: str) -> None:
    assert codes(text + "\n") == [], text
    assert not facts(text + "\n").cpu_notice


def test_the_code_a_comment_and_a_condition_are_not_read_as_lines() -> None:
    for text in QUIET[:4]:
        assert not list(device_lines([text])), text


# --- the writer's words ----------------------------------------------------------------------------------------------

IGNORED = (
    "It worked but it uses 100% CPU and seems to ignore the GPU.",
    "The program ignores my GPU.",
    "Whisper seems to be ignoring my GPU and runs at 100% CPU.",
    # zh: what is called is always the CPU; it keeps running on the CPU.
    "没有--device cuda参数，导致调用的一直是cpu",
    "一直在用CPU跑，很慢",
)


@pytest.mark.parametrize("text", IGNORED)
def test_the_gpu_ignored_or_the_cpu_always_used_is_the_gpu_unused(text: str) -> None:
    assert facts(text + "\n").stated_unused, text
    assert report(text + "\n").verdict.gpu_usable is False


NOT_IGNORED = (
    "I ignored the GPU warning and it trained fine.",
    "It ignores the GPU flag I passed.",
    "I ignored the GPU.",
    "You can ignore the GPU for now.",
    "Does it ignore the GPU?",
    "If it ignores the GPU, use --device cuda.",
    "It ignores the GPU memory limit.",
    "一直是cpu和gpu一起跑",
)


@pytest.mark.parametrize("text", NOT_IGNORED)
def test_quiet_on_a_message_or_setting_ignored_the_writers_act_and_questions(text: str) -> None:
    assert not facts(text + "\n").stated_unused, text
