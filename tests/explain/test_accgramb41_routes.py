"""accgramb41 (session 41): accgram41's consolidation continued; each decision of the writer's prose asked of grammar.

- the negation before the words, by reach: ``grammar.negated_before(clause, reach=)`` (reported's and statements' clause-wide
  patterns, utilread's and kmodule's short ones are gone); an answer's "No" before a statement negates nothing;
- the Ray job's failure negated ("nothing fails") is grammar's ``negated``;
- an instruction before a build's words: ``grammar.instructed(bare=True)`` (statements' ``_ADVICE`` and ``_IMPERATIVE``);
- a line ending as a question: ``grammar.ends_asking`` (errorwords' and drvmount's own checks);
- every asserted match: ``grammar.all_said`` (``reported.driver_said``, ``old_windows``, ``statements.platform_said``).

Lines written to show the grammatical form; each test has the case where the reading stays quiet.
"""

from __future__ import annotations

import re

import pytest

from whygpu.explain import drvmount, errorwords, grammar, kmodule, reported, statements
from whygpu.explain.where import ray_job_fails_said


@pytest.mark.parametrize(("clause", "reach", "negated"), [
    ("No it ", 3, False),                                   # an answer word before a statement: "No it runs on the CPU"
    ("no ", 3, True),                                       # the determiner: "no GPU"
    ("nothing ", 3, True),                                  # "nothing fails"
    ("I did not ", 1, True),
    ("it did not really seem to ", 1, False),               # beyond a short phrase's reach
    ("I am not sure whether my machine is ", None, True),   # a negated verb keeps its complement unasserted
    ("I don't know why my machine is ", None, False),       # a wh-clause is presupposed: the writer's own
    ("I have no GPU on ", None, False),                     # the determiner negates its noun, not the rest of the clause
    ("there is no way the ", None, True),
    ("without a ", 1, True),                                # "without a kernel update"
])
def test_negated_before_by_reach(clause: str, reach: int | None, negated: bool) -> None:
    assert grammar.negated_before(clause, reach=reach) is negated


def test_answer_no_before_a_statement_is_asserted() -> None:
    for text, asserted in (("No it runs on the CPU.", True), ("It does not run on the CPU.", False)):
        m = re.search("runs? on the CPU", text)
        assert m is not None
        assert statements.asserted(text, m.start(), m.end()) is asserted


def test_ray_job_failure_negated_is_no_failure() -> None:
    assert ray_job_fails_said("Unless I use ray job submit, nothing fails.") is None
    assert ray_job_fails_said("With ray job submit the check does not fail.") is None
    assert ray_job_fails_said("With ray job submit the GPU check fails.") is not None


def test_no_faster_clause_wide_negation() -> None:
    assert reported.no_faster("The GPU is slower than the CPU.") is not None
    assert reported.no_faster("There is no way the CPU runs faster than the GPU.") is None
    assert reported.no_faster("It is not the case that the GPU is slower than the CPU.") is None


def test_platform_and_old_windows_said() -> None:
    assert statements.platform_said("I have no GPU on my Windows laptop")      # "no" denies the GPU, not the laptop
    assert not statements.platform_said("I am not on Windows.")
    assert not statements.platform_said("我不在Windows上")
    assert statements.platform_said("我在Windows上装了tensorflow")
    found = reported.old_windows("Does windows 7 work? I run Windows 8.1 on my laptop")  # the first asserted one, not the first
    assert found is not None and found[0] == "windows 8.1"
    assert reported.old_windows("I am not on windows 7, I use windows 10") is None


def test_kernel_update_negated_in_its_phrase() -> None:
    assert kmodule.said_states("I updated the kernel yesterday.")
    assert not kmodule.said_states("I did not update the kernel.")
    assert not kmodule.said_states("It broke without a kernel update.")


@pytest.mark.parametrize(("text", "instructed"), [
    ("use the CPU build of torch", True),                     # a bare imperative in the words' clause
    ("you can pip install it and get the CPU build", True),    # the reader addressed, earlier in the sentence
    ("I installed it and got the CPU build", False),
])
def test_bare_instruction(text: str, instructed: bool) -> None:
    m = re.search("the CPU build", text)
    assert m is not None
    assert grammar.instructed(text, m.start(), m.end(), bare=True) is instructed


def test_a_build_after_an_imperative_with_its_own_verb_is_asserted() -> None:
    text = "Install torch; pip installed the CPU build"
    m = re.search("installed the CPU build", text)
    assert m is not None
    assert statements.asserted(text, m.start(), m.end(), build=True)
    text = "Install the CPU build"
    assert not statements.asserted(text, 8, len(text), build=True)


def test_line_ending_as_a_question() -> None:
    assert grammar.ends_asking("libcuda.so not found?")
    assert grammar.ends_asking('is it "libcuda.so not found?"')
    assert not grammar.ends_asking("libcuda.so: cannot open shared object file: No such file or directory")
    assert drvmount.driver_lib_unfound("libcuda.so: cannot open shared object file: No such file or directory") == "libcuda"
    assert drvmount.driver_lib_unfound("why is libcuda.so not found?") is None
    assert not errorwords.program_line("RuntimeError: CUDA error: no kernel image is available?")
    assert errorwords.program_line("RuntimeError: CUDA error: no kernel image is available for execution on the device")
