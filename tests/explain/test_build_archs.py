"""A build's own list of architectures judged against the GPU the log shows (LOG232, session 21: acccc's reader and
rule; acclayout's tests of the same class): PyTorch's "The current PyTorch install supports CUDA capabilities ..." read
also without the "is not compatible" line before it."""

from __future__ import annotations

from log_text import codes, facts, report

# Lines written for these tests in the forms PyTorch and nvidia-smi print them (values chosen here).
OLD_LIST = "The current PyTorch install supports CUDA capabilities sm_37 sm_50 sm_60 sm_70.\n"
NEW_LIST = "The current PyTorch install supports CUDA capabilities sm_50 sm_60 sm_70 sm_75 sm_80 sm_86 sm_90.\n"
AMPERE = "GPU 0: NVIDIA RTX A5000 (UUID: GPU-0f3e2a11-0000-0000-0000-000000000000)\n"
KEPLER = "Device 0: GeForce GTX 780 Ti\n"


def test_the_list_alone_and_a_gpu_it_has_no_code_for_is_not_supported() -> None:
    first = report(OLD_LIST + AMPERE).causes[0]
    assert first.code == "GPU_NOT_SUPPORTED"
    assert "8.6" in first.title
    # An old GPU below the list, in the other order of lines.
    assert codes(KEPLER + NEW_LIST)[0] == "GPU_NOT_SUPPORTED"


def test_the_listed_architectures_are_the_builds_not_the_gpus() -> None:
    read = facts(OLD_LIST)
    assert read.build_archs[0].value == ("sm_37", "sm_50", "sm_60", "sm_70")
    assert not read.compute_capability


def test_a_gpu_the_list_runs_stays_quiet() -> None:
    # Its own architecture listed.
    assert "GPU_NOT_SUPPORTED" not in codes(NEW_LIST + AMPERE)
    # Code for an older minor of the same major runs (binary compatible): sm_80 on an 8.6 GPU.
    assert "GPU_NOT_SUPPORTED" not in codes("The current PyTorch install supports CUDA capabilities sm_70 sm_80.\n" + AMPERE)


def test_without_the_gpu_shown_nothing_is_decided() -> None:
    assert "GPU_NOT_SUPPORTED" not in codes(OLD_LIST)


def test_the_list_in_a_question_or_advice_is_not_the_builds() -> None:
    asked = "Does it mean anything if it says The current PyTorch install supports CUDA capabilities sm_37 sm_50 sm_60 sm_70?\n"
    advice = "If it says The current PyTorch install supports CUDA capabilities sm_37 sm_50 sm_60 sm_70, you should reinstall.\n"
    for text in (asked, advice):
        assert not facts(text).build_archs
        assert "GPU_NOT_SUPPORTED" not in codes(text + AMPERE)
