"""accgram41 (session 41): decisions of the writer's prose in one function each.

- the negation before the words: ``grammar.negated_before`` (statements' own narrower pattern is gone), the words opening
  with their negation ``grammar.opens_negated``;
- a reader's "first asserted match" of a pattern: ``grammar.first_said`` (reported's and statements' readers);
- the Ray job's question and condition: ``grammar.asked`` / ``grammar.supposed`` (explain.where.ray_job_fails_said);
- the label words of Chinese and Japanese: ``knowledge/version_labels.toml`` (explain.programbuilds, explain.hwstated);
- the line readers' loop (explain.presence, cloudnode, drvmount) in ``logfacts``: one loop.

Lines written to show the grammatical form (the forms the readers were built on; each test states where it stays quiet).
"""

from __future__ import annotations

import pytest

from whygpu.explain import grammar, hwstated, programbuilds, reported, statements
from whygpu.explain.where import ray_job_fails_said
from whygpu.knowledge.version_labels import alternation, words


@pytest.mark.parametrize(("clause", "negated"), [
    ("the GPU doesn't ", True),
    ("it is no longer using ", True),
    ("it doesn't seem to ", True),               # three words between, in the words' clause
    ("I want it to not ", True),
    ("without ", True),                          # a noun's negation right before the words: "without using the GPU"
    ("不能", True),
    ("I don't know why it ", False),             # the wh-word opens a clause of its own: the knowledge is negated
    ("no idea how it ", False),
    ("None of my 2 ", True),                     # "None of my 2 GPUs are used" (bionic-gpt/bionic-gpt#103)
    ("I ran it and without warning it ", False),  # "without" negates the warning, not the words after
    ("it ", False),
])
def test_negated_before_is_one_decision(clause: str, negated: bool) -> None:
    assert grammar.negated_before(clause) is negated


def test_words_opening_with_their_negation() -> None:
    assert grammar.opens_negated("not using the GPU")
    assert grammar.opens_negated("n't use the GPU")
    assert not grammar.opens_negated("nothing uses the GPU")


@pytest.mark.parametrize(("line", "read"), [
    ("The training runs on the CPU.", True),
    ("I don't know why the training runs on the CPU.", True),      # the negation is of the writer's knowledge
    ("it does not run on the CPU", False),
    ("I ran it and without warning it fell back to the CPU", True),
])
def test_statements_read_the_negation_through_grammar(line: str, read: bool) -> None:
    assert (statements.unused(line) is not None) is read


def test_trouble_said_stays_quiet_when_negated() -> None:
    assert statements.trouble_said("I get an error when I run it on the GPU") is not None
    assert statements.trouble_said("I don't get any error when I run it on the GPU") is None
    assert statements.trouble_said("Do you get an error when you run it on the GPU?") is None


@pytest.mark.parametrize(("line", "read"), [
    ("I have no NVIDIA hardware in my laptop.", True),
    ("I have no NVIDIA hardware at hand right now to test this.", False),   # no_nvidia's own exclusion (a helper's machine)
    ("Do I have no NVIDIA hardware in my laptop?", False),                  # grammar's: asked
    ("W0101 12:00:00 I have no NVIDIA hardware in my laptop", False),      # a program's line
])
def test_first_said_keeps_each_readers_exclusions(line: str, read: bool) -> None:
    assert (reported.no_nvidia(line) is not None) is read


def test_first_said_asked_too() -> None:
    import re

    served = re.compile(r"response\s+(?:is\s+)?as\s+slow\s+as\s+CPU")
    asked = "Is the response as slow as CPU serving?"
    assert grammar.first_said(served, asked) is None
    assert grammar.first_said(served, asked, asked_too=True) is not None
    assert grammar.first_said(served, "The response is as slow as CPU serving.") is not None
    assert grammar.first_said(served, "The response is as slow as CPU serving.", unless=lambda m: True) is None


@pytest.mark.parametrize(("line", "read"), [
    ("When running via Job submission, the assert statement fails.", True),
    ("If I use ray job submit, torch.cuda.is_available() returns False.", True),   # the writer's own run, reported
    ("Does torch.cuda.is_available() fail under ray job submit?", False),
    ("If the job submission fails, retry it.", False),
])
def test_ray_job_question_and_condition_are_grammars(line: str, read: bool) -> None:
    assert (ray_job_fails_said(line) is not None) is read


def test_label_words_by_language() -> None:
    assert "版本" in words("version", ("zh",))
    assert "バージョン" not in words("version", ("zh",))
    assert "versión" not in words("version", ("zh", "ja"))
    assert alternation("copula", ("zh",)).startswith("(?:")


@pytest.mark.parametrize(("line", "value"), [
    ("驱动版本：470.199.02", "470.199.02"),
    ("驅動程序的版本是 531.79", "531.79"),
    ("ドライバーバージョンは 536.23", "536.23"),
])
def test_driver_labels_from_the_table(line: str, value: str) -> None:
    assert [s.value for s in hwstated.driver_statements([line]) if s.kind == "driver_version"] == [value]


def test_cuda_labels_from_the_table() -> None:
    assert programbuilds.found_stated("cuda版本是11.4") == [("cuda", "11.4")]
    assert programbuilds.found_stated("CUDA バージョン: 12.1") == [("cuda", "12.1")]
    assert programbuilds.found_stated("libcudnn.so.9") == []
