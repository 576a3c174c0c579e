"""LOG104's ranking when the GPU is shown unused and no line says why: counted rows conditioned on what the log shows (session 18, accrank)."""

from __future__ import annotations

from log_text import codes

ANSWER = ">>> import torch\n>>> torch.cuda.is_available()\nFalse\n"
# nvidia-smi's header: the driver answers, so the GPU and the driver are there.
SMI = "| NVIDIA-SMI 450.80.02    Driver Version: 450.80.02    CUDA Version: 11.0     |\n"


def test_a_driver_shown_answering_puts_the_driver_age_first() -> None:
    assert codes(SMI + ANSWER)[0] == "DRIVER_TOO_OLD"


def test_without_a_driver_shown_a_cpu_wheel_leads() -> None:
    got = codes(ANSWER)
    assert got[0] == "FRAMEWORK_CPU_BUILD"
    assert "GPU_NOT_SUPPORTED" in got[:3]  # counted second for PyTorch (3 cases), above the driver's age (2)


def test_no_framework_named_ranks_the_cuda_libraries_above_a_missing_driver() -> None:
    got = codes("The GPU is not used at all during training, only the CPU.\n")
    assert got[:2] == ["FRAMEWORK_CPU_BUILD", "CUDA_LIBS_MISMATCH"]
    assert "DRIVER_MISSING" not in got[:3]


def test_the_title_says_whose_words_show_the_gpu_unused() -> None:
    # Lead (session 35): the framework's own answer is a fact of the log; the writer's "not used" is their reading of a monitor
    # (negatives26: Task Manager's 3D graph, a cloud meter), and the title must not turn it into the framework's answer.
    from log_text import report

    answered = report(ANSWER).causes[0].title
    assert answered.startswith("PyTorch found no GPU; no line says why.")
    words = report("I use tensorflow 2.10 on windows and my GPU is not being used during training\n").causes[0].title
    assert words.startswith("The writer says TensorFlow 2.10 does not use the GPU; no line of the log shows it")
    assert "found no GPU" not in words
