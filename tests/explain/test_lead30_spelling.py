"""Session 30 (lead): a retyped message read through its typing errors (explain.spelling), for words no list holds."""

from __future__ import annotations

import pytest
from tests.log_text import codes, report

from whygpu.explain.spelling import Speller, message_words, speller

WORDS = message_words([
    "CUDA error: no kernel image is available for execution on the device",
    "Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU and installed a driver",
    "the loader loaded something",
])


@pytest.mark.parametrize("written, right", [
    ("kernl", "kernel"),          # a letter left out
    ("kernnel", "kernel"),        # a letter added
    ("devise", "device"),         # a letter changed
    ("avaliable", "available"),   # two neighbours swapped
    ("Excution", "execution"),
])
def test_a_word_one_typing_error_from_one_message_word_is_read_as_it(written: str, right: str) -> None:
    assert Speller(WORDS).right(written) == right


@pytest.mark.parametrize("written", [
    "kernel",       # a message word itself
    "evice",        # the first letter lost: not read (typists rarely miss it, and it opens far more neighbours)
    "kernalll",     # two errors away
    "loades",       # one error from "loader" and from "loaded": which is not known
    "drvr",         # under five letters
])
def test_a_word_not_one_error_from_exactly_one_message_word_stays(written: str) -> None:
    assert Speller(WORDS).right(written) is None


def test_a_line_is_respelt_keeping_case_and_only_within_bounds() -> None:
    spell = Speller(WORDS)
    assert spell.respelt("CUDA ERROR: no KERNAL image is avaliable") == "CUDA ERROR: no KERNEL image is available"
    assert spell.respelt("no kernel image is available") is None                     # nothing to change
    assert spell.respelt("kernal avaliable") is None                                 # every long word "wrong": not typos
    assert spell.respelt("kernal " + "x" * 500 + " image") is None                   # machine output, not retyped
    assert spell.respelt("see /usr/kernal/image and cuda_kernal image") is None      # pieces of paths and names
    assert spell.respelt("lincublas.so.9.0 image") is None                           # no message word near


def test_the_catalogue_speller_knows_the_messages_words() -> None:
    words = speller().words
    assert {"kernel", "execution", "available", "insufficient"} <= words


@pytest.mark.parametrize("line, code", [
    # "devise" is on no list of misspellings: read as one typing error from "device".
    ("ImportError: lincublas.so.9.0: cannot open shared object file: No such file or directory", "CUDA_LIBS_MISSING"),
    ("CUDA error: no kernal image is avaliable for excution on the devise", "GPU_NOT_SUPPORTED"),
    ("CUDA driver version is insufficiant for CUDA runtime version", "DRIVER_TOO_OLD"),
    ("RuntimeError: Found no NVIDIA drivr on your system. Please check that you have an NVIDIA GPU and installed a drivr",
     "DRIVER_MISSING"),
])
def test_a_message_retyped_with_unlisted_slips_reads_as_the_message(line: str, code: str) -> None:
    log = f"Ubuntu 20.04, RTX 3080, torch 1.7.1\n{line}\n"
    assert code in codes(log)[:3], line
    evidence = [e for c in report(log).causes for e in c.evidence]
    assert any(line[:30] in e for e in evidence), evidence   # shown as written, not respelt


@pytest.mark.parametrize("log", [
    "The model was loaded and trained fine on the devise, no errors.\n",
    "I read the kernal docs about driver instalation on my system and it works.\n",
    "Trainning finished in 3 minutes, GPU utilisation was high.\n",
])
def test_prose_with_slips_that_is_no_known_message_reads_as_nothing(log: str) -> None:
    assert codes(log) == [], log
