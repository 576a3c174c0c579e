"""accpaste (session 39): what a paste does to a log: zero-width characters, single-marker emphasis around a line,
nested quotes, and a quoted reply that its attribution gives to someone else (explain.pasted)."""

from __future__ import annotations

from log_text import codes, facts, finding_codes, first_cause
from whygpu.explain.normalize import unwrap
from whygpu.explain.pasted import QUOTE_MARKER, others_quoted

# https://github.com/pydn/ComfyUI-to-Python-Extension/issues/55
NOT_COMPILED = 'AssertionError: Torch not compiled with CUDA enabled'
# https://github.com/pytorch/pytorch/issues/37320 (collect_env, fenced in the issue)
OLD_DRIVER = ("PyTorch version 1.5.0\nIs debug build: No\nCUDA used to build PyTorch: 10.2\nIs CUDA available: No\n"
              "Nvidia driver version: 410.104")
# https://github.com/pytorch/pytorch/issues/49325 (collect_env pasted in a comment)
CPU_ENV = ("PyTorch version: 1.7.1+cpu\nIs debug build: False\nCUDA used to build PyTorch: Could not collect\n"
           "Is CUDA available: False")
# https://github.com/tensorflow/tensorflow/issues/48096 (the output pasted inside "_**...**_")
NOT_FOUND = "SystemError: GPU device not found"


def test_zero_width_space_inside_a_message_is_read_through() -> None:
    pasted = NOT_COMPILED.replace(" ", " \u200b", 3)
    assert first_cause(NOT_COMPILED) == "FRAMEWORK_CPU_BUILD"
    assert first_cause(pasted) == "FRAMEWORK_CPU_BUILD"
    assert "LOG-PT-NOT-COMPILED" in finding_codes(pasted)
    # A word joiner and a byte-order mark too.
    assert first_cause("\ufeff" + NOT_COMPILED.replace("compiled", "comp\u2060iled")) == "FRAMEWORK_CPU_BUILD"


def test_zero_width_space_in_prose_adds_nothing() -> None:
    assert codes("thanks\u200b, it works now on the \u200bGPU") == []


def test_underscore_emphasis_around_each_line_is_read_as_the_line() -> None:
    plain = finding_codes(OLD_DRIVER)
    wrapped = "\n".join(f"_{line}_" for line in OLD_DRIVER.split("\n"))
    assert "DRV002" in plain
    assert "DRV002" in finding_codes(wrapped)
    assert first_cause(wrapped) == first_cause(OLD_DRIVER) == "DRIVER_TOO_OLD"


def test_single_marker_emphasis_unwrap() -> None:
    assert unwrap("_False_") == "False"
    assert unwrap("*CUDA not available*") == "CUDA not available"
    assert unwrap(f"_**{NOT_FOUND}**_") == NOT_FOUND
    assert unwrap(f"**_{NOT_FOUND}_**") == NOT_FOUND
    # Markdown's rule: the marker touches the text, so a bullet or a spaced star is no emphasis.
    assert unwrap("* item *", reader=True) == "* item *"
    assert unwrap("_ spaced _") == "_ spaced _"


def test_nested_quote_marker_never_takes_pythons_prompt() -> None:
    assert QUOTE_MARKER.sub("", ">> >>> import torch") == ">>> import torch"
    assert QUOTE_MARKER.sub("", "> > False") == "False"
    assert QUOTE_MARKER.sub("", ">>> import torch") == ">>> import torch"
    assert QUOTE_MARKER.sub("", ">>>") == ">>>"


def test_nested_quote_of_a_session_is_read() -> None:
    session = ">>> import torch\n>>> torch.cuda.is_available()\nFalse"
    nested = "\n".join(">> " + line for line in session.split("\n"))
    assert facts(nested).summary().get("gpu_answer") == facts(session).summary().get("gpu_answer")
    assert facts(session).summary().get("gpu_answer")


def test_a_reply_quoting_someone_elses_log_is_not_the_reporters() -> None:
    quoted = "\n".join("> " + line for line in CPU_ENV.split("\n"))
    reply = ("thanks, still failing\n\nOn Tue, Dec 15, 2020 at 10:01 AM skyline75489 <notifications@github.com> wrote:\n\n"
             + quoted)
    assert facts(reply).summary() == {}
    # The attribution as the quote's own first line (an e-mail reply in Chinese, pytorch/pytorch#28195's form).
    chinese = "> 在 2019年10月17日，上午11:16，shijianjian <notifications@github.com> 写道：\n> \n" + quoted
    assert facts(chinese).summary() == {}


def test_a_quote_without_attribution_stays_the_reporters_own() -> None:
    quoted = "\n".join("> " + line for line in CPU_ENV.split("\n"))
    assert facts(quoted).summary().get("cuda_build") == facts(CPU_ENV).summary().get("cuda_build")
    assert facts(quoted).summary().get("cuda_build")
    assert others_quoted(quoted) is quoted
    # "wrote" in the reporter's own sentence, not above a quote, blanks nothing.
    text = "I wrote: a script\n" + "\n\n\n" + quoted
    assert others_quoted(text) == text
    # Nor does the reporter's own "here is what I wrote:" just above a quote (no date, no address).
    own = "Here is what I wrote:\n" + quoted
    assert others_quoted(own) == own
