"""accsilent (session 39): the writer's words that the GPU went unused, read so that a short report is not met with
silence (explain.silentsaid), and the statements that stay quiet (a question, a denied belief, a hypothetical, the
writer's own choice of the CPU). Where the words are read and nothing else decides, LOG104 ranks the causes for the
framework and platform with the check that decides.

Real lines carry the public thread they come from.
"""

from __future__ import annotations

import pytest
from tests.log_text import codes, report

from whygpu.explain.statements import unused

# Read: each is the writer's finding that the GPU went unused.
READ = [
    # https://github.com/janhq/jan/issues/1350
    "I have a 970 and a 3090 installed on my system, but Jan decides to use CPU mode.",
    # https://github.com/thammegowda/nllb-serve/issues/4
    "I have had this setup on Google Colab with GPU accelerated runtime. But it doesnt seem to leverage the GPU while using POST request.",
    # https://github.com/gw0/docker-keras-full/issues/2
    "I found that if I used ipython2 I could use GPU for tensorflow but if I used ipython3 and jupyter, only CPU were used.",
    # https://github.com/iperov/DeepFaceLab/issues/906
    "It works just by using cpu.",
    # https://github.com/rdevon/DIM/issues/28
    "I tried below command, but it run training loop with cpu. Can you provide some examples?",
    # https://github.com/akazemipour/continuous-ppo/issues/3 ("not sure if" is a question about the fix, not a condition)
    "I was able to train it, but my GPU was not used and I'm not sure if I should enable it somewhere on the code.",
    "I can't get it to use my RTX 3060",
    "the app chooses to run on the CPU",
    "It is not utilizing my GPU",
    "It only works on CPU",
    # The denial raised from its content: the writer believes the GPU is not used (tests/explain/test_silence.py).
    "I don't think torch is using my GPU, training is slow",
]

# Quiet: asked, supposed, advised, denied, the writer's own choice, a degree, a step on the CPU by design.
QUIET = [
    "is it using the GPU?",
    "is my GPU being used?",
    "I don't think it uses the CPU",  # the belief denied: the work is not on the CPU
    "I don't think it runs on the CPU",
    "I do not believe that the GPU is used",
    "I decided to use CPU mode.",
    "I just decided to use CPU mode",
    "You can decide to use CPU mode",
    "if it decides to use CPU mode, it is slow",
    "does it decide to use CPU mode?",
    "it does not leverage the GPU fully",
    "it doesn't utilize the GPU memory",
    "it works fine on CPU",
    "it runs fine with CPU and GPU",
    "when running with cpu, it works",
    "if it runs with cpu it is slow",
    "can it use my RTX 3060?",
    "if it can't use my RTX 3060, what then",
    "the tool does not support the RTX 3060 yet",
    "Not only CPU was used",
]


@pytest.mark.parametrize("text", READ)
def test_read_as_unused(text: str) -> None:
    assert unused(text) is not None


@pytest.mark.parametrize("text", QUIET)
def test_quiet(text: str) -> None:
    assert unused(text) is None


def test_silence_becomes_a_ranking_with_what_decides() -> None:
    # https://github.com/janhq/jan/issues/1350: silent at the session's start; now the GPU is said unused and a cause is named.
    r = report("I have a 970 and a 3090 installed on my system, but Jan decides to use CPU mode.")
    assert r.verdict.gpu_usable is False
    assert r.causes
    # A short report with only the words: LOG104's ranking, with the check that decides.
    r = report("I can't get it to use my RTX 3060")
    assert codes("I can't get it to use my RTX 3060")[:1] == ["FRAMEWORK_CPU_BUILD"]
    assert "check" in r.verdict.summary.lower() or "decide" in r.verdict.summary.lower()


def test_questions_and_denials_give_no_cause() -> None:
    for text in ("is my GPU being used?", "I don't think it uses the CPU", "I decided to use CPU mode."):
        r = report(text)
        assert r.causes == [] and r.verdict.gpu_usable is None
