"""accbroad38 (session 38): a program's own check finds no usable GPU after the framework's own answer in the same paste found
it (LOG770, explain/progcheckrules.py, knowledge.visible_devices.program_check_cause)."""

from __future__ import annotations

from log_text import codes, finding_codes, first_cause
from whygpu.knowledge.visible_devices import program_check_cause

# https://github.com/MouseLand/cellpose/issues/184 (torch sees the RTX 3090; cellpose's own check in its run says no; the
# thread's fix was a change to cellpose's imports).
CELLPOSE = """>>> import torch
>>> print(torch.__version__)
1.7.1+cu110
>>> print(torch.cuda.is_available())
True
```
```
python -m cellpose
TORCH CUDA version not installed/working.
```"""

# EasyOCR's own notice (easyocr/easyocr.py, Reader.__init__: https://github.com/JaidedAI/EasyOCR/blob/master/easyocr/easyocr.py)
# after the framework's True in the writer's shell.
EASYOCR = """>>> import torch
>>> torch.cuda.is_available()
True
$ python ocr.py
CUDA not available - defaulting to CPU. Note: This module is much faster with a GPU."""


def test_program_check_after_framework_true_reads_as_the_programs_run() -> None:
    assert first_cause(CELLPOSE) == "CODE_FORCES_CPU"
    assert codes(CELLPOSE)[:2] == ["CODE_FORCES_CPU", "FRAMEWORK_CPU_BUILD"]
    assert "LOG770" in finding_codes(CELLPOSE)


def test_another_programs_words_read_the_same() -> None:
    assert codes(EASYOCR)[:2] == ["CODE_FORCES_CPU", "FRAMEWORK_CPU_BUILD"]
    assert "LOG770" in finding_codes(EASYOCR)


def test_quiet_when_the_programs_no_comes_before_the_true() -> None:
    text = "python -m cellpose\nTORCH CUDA version not installed/working.\n>>> import torch\n>>> print(torch.cuda.is_available())\nTrue\n"
    assert "LOG770" not in finding_codes(text)


def test_quiet_without_the_frameworks_true() -> None:
    assert "LOG770" not in finding_codes("python -m cellpose\nTORCH CUDA version not installed/working.\n")


def test_quiet_when_both_answers_are_the_frameworks_own_prints() -> None:
    text = ">>> torch.cuda.is_available()\nTrue\nafter the driver update:\n>>> torch.cuda.is_available()\nFalse\n"
    assert "LOG770" not in finding_codes(text)


def test_quiet_when_cuda_itself_finds_no_device_there() -> None:
    # CUDA's own count of zero in the run is LOG680's reading (a hidden run), not this one.
    text = ">>> torch.cuda.is_available()\nTrue\n$ python train.py\nRuntimeError: No CUDA GPUs are available\n"
    assert "LOG770" not in finding_codes(text)


def test_decision_needs_both_and_leaves_the_tie_open() -> None:
    assert program_check_cause(True, False) is None
    assert program_check_cause(False, True) is None
    decided = program_check_cause(True, True)
    assert decided is not None and decided.cause == "CODE_FORCES_CPU" and decided.also == ("FRAMEWORK_CPU_BUILD",)
    assert not decided.decided and "None" not in decided.decides and "interpreter" in decided.decides
