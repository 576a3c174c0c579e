"""The signature data: every row is complete and sourced, matches its own example, and can never be hidden by the prefilter."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bench_scripts
from whygpu.explain.catalogue import catalogue, load_data, parse_catalogue
from whygpu.explain.scan import Matcher, signature_needles
from whygpu.knowledge.causes import is_cause_code

CAT = catalogue()
SIGS = list(CAT.signatures)
IDS = [s.id for s in SIGS]


_BENCH = bench_scripts.load("explain_bench")


def to_ere(pattern: str) -> str:
    """The bench's own rewrite of a Python pattern into a POSIX ERE for ``grep -E`` (bench/explain_bench.py)."""
    return str(_BENCH.to_ere(pattern))


def test_ids_are_unique_and_well_formed() -> None:
    assert len(set(IDS)) == len(IDS)
    for sid in IDS:
        assert re.fullmatch(r"LOG-[A-Z0-9]+(?:-[A-Z0-9]+)*", sid), sid


@pytest.mark.parametrize("sig", SIGS, ids=IDS)
def test_row_is_complete(sig) -> None:  # type: ignore[no-untyped-def]
    assert sig.source.startswith("https://"), "every signature names a public source"
    assert sig.example and sig.framework and sig.versions and sig.title
    if sig.kind == "failure":
        assert sig.cause is None or is_cause_code(sig.cause)
        assert sig.resolve or sig.cause
    if sig.kind == "benign":
        assert sig.why.startswith("harmless")
    for when in sig.when:
        assert when.cause is None or is_cause_code(when.cause)


@pytest.mark.parametrize("sig", SIGS, ids=IDS)
def test_signature_matches_its_example(sig) -> None:  # type: ignore[no-untyped-def]
    assert sig.regex.search(sig.example), f"{sig.id} does not match its own example"


@pytest.mark.parametrize("sig", SIGS, ids=IDS)
def test_example_passes_the_prefilter_and_matcher(sig) -> None:  # type: ignore[no-untyped-def]
    own = signature_needles(sig, CAT.needles)
    assert own, f"{sig.id}: no needle written in its pattern"
    assert any(n in sig.example.lower() for n in own)
    matcher = Matcher(CAT)
    ids = {s.id for s, _ in matcher.match(sig.example)}
    # A generic signature stays silent when a specific failure explains the same line.
    assert sig.id in ids or sig.generic


SEEN = [(sig, seen) for sig in SIGS for seen in sig.seen]


@pytest.mark.parametrize(("sig", "seen"), SEEN, ids=[f"{sig.id}-{i}" for i, (sig, _) in enumerate(SEEN)])
def test_other_real_lines_match_too(sig, seen) -> None:  # type: ignore[no-untyped-def]
    assert seen.source.startswith("https://")
    assert sig.regex.search(seen.line), f"{sig.id} does not match {seen.line!r}"
    own = signature_needles(sig, CAT.needles)
    assert any(n in seen.line.lower() for n in own)
    assert sig.id in {s.id for s, _ in Matcher(CAT).match(seen.line)} or sig.generic


def test_unverified_rows_say_why() -> None:
    for sig in SIGS:
        if not sig.verified:
            assert len(sig.verify_note) > 20, sig.id


@pytest.mark.parametrize("sig", SIGS, ids=IDS)
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_anything_the_pattern_matches_holds_one_of_its_needles(sig, data) -> None:  # type: ignore[no-untyped-def]
    text = data.draw(st.from_regex(sig.regex, fullmatch=True))
    own = signature_needles(sig, CAT.needles)
    lowered = text.encode("utf-8", "replace").lower()
    assert any(n.encode() in lowered for n in own), f"{sig.id} matched {text!r} without a needle"


def test_library_and_cuda_tables() -> None:
    data = load_data()
    for row in data["library"]:
        assert str(row["source"]).startswith("https://")
    # The CUDA error texts are the status table's (knowledge/gpu_status.toml), not a table of their own.
    assert "cuda_message" not in data
    from whygpu.knowledge.gpu_status import bare_texts, status_by_text

    for text in bare_texts():
        status = status_by_text(text)
        assert status is not None and status.cause is not None, text
    assert "cause_hint" not in data, "a cause's general advice is the fix builder's data (knowledge/causes.toml)"


def test_a_bad_cause_code_is_refused() -> None:
    data = load_data()
    data["signature"] = [dict(data["signature"][0], cause="NOT_A_CAUSE", resolve="")]
    with pytest.raises(ValueError, match="NOT_A_CAUSE"):
        parse_catalogue(data)


@pytest.mark.skipif(shutil.which("grep") is None, reason="grep is not installed")
def test_patterns_mean_the_same_to_grep() -> None:
    """The bench compares against ``grep -E`` with these patterns: each must find its own example."""
    failures = []
    for sig in SIGS:
        done = subprocess.run(
            ["grep", "-c", "-E", "-e", to_ere(sig.pattern)],
            input=sig.example.encode(),
            capture_output=True,
            timeout=10,
            check=False,
        )
        if done.stdout.strip() != b"1":
            failures.append(f"{sig.id}: {done.stderr!r}")
    assert failures == [], "grep -E does not match these examples"


def test_an_xid_79_line_is_read_as_the_bus_fault_it_names_and_other_xids_as_xids() -> None:
    """LOG-KERNEL-FALLEN-OFF-BUS replaces LOG-KERNEL-XID on the line of Xid 79 ("GPU has fallen off the bus")."""
    from whygpu.explain import explain_text

    def ids(text: str) -> set[str]:
        return {f.id for f in explain_text(text).findings}

    assert ids("[ 12.3] NVRM: Xid (PCI:0000:a1:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.\n") == {"LOG-KERNEL-FALLEN-OFF-BUS"}
    assert ids("kernel: NVRM: Xid (PCI:0000:dc:00): 48, pid=1818990, name=python3, An uncorrectable double bit error\n") == {"LOG-KERNEL-XID"}


# Pairs of failure signatures that still read one line with the same cause. Branch cudaerr's table of CUDA/NVML
# status codes decides these three (issue 9); a new pair must be resolved (``replaces``, ``generic``) or listed here.
_SAME_READING_LEFT = {
    frozenset({"LOG-PT-CUDA-ERROR", "LOG-CUDA-ERROR-MESSAGE"}),
    frozenset({"LOG-CTR-CLI-MISMATCH", "LOG-NVML-MISMATCH"}),
}


def test_no_two_failure_signatures_read_one_example_with_the_same_cause() -> None:
    """On every failure signature's example (and real lines), the matcher keeps one reading per cause: the exact one."""
    matcher = Matcher(CAT)
    doubled: set[frozenset[str]] = set()
    for sig in SIGS:
        if sig.kind != "failure":
            continue
        for line in (sig.example, *(seen.line for seen in sig.seen)):
            found = [s for s, _ in matcher.match(line) if s.kind == "failure" and s.cause is not None]
            for one in found:
                for other in found:
                    if one.id < other.id and one.cause == other.cause:
                        doubled.add(frozenset({one.id, other.id}))
    assert doubled <= _SAME_READING_LEFT, sorted(map(sorted, doubled - _SAME_READING_LEFT))
