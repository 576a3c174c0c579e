"""The scanner finds the same matches with Hyperscan, with RE2 and with the ``re`` fallback, and counts repeated benign lines."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from whygpu.explain import explain_text
from whygpu.explain.catalogue import catalogue
from whygpu.explain.scan import (
    REPEAT_EXAMPLES,
    LineMatch,
    Scanner,
    hyperscan_available,
    shared_matcher,
)

CAT = catalogue()
CORPUS = Path(__file__).parent / "corpus"
FILLER = "Epoch 3: 40%|####      | 375/938 [00:07<00:11, 48.12it/s, loss=0.412, v_num=3]\n"


# The engines: Hyperscan from the first byte (the ``fast`` extra), RE2 alone, and ``re`` with needles.
ENGINES = ("hyperscan", "re2", "re")


def _matches(data: bytes, *, engine: str,
             read_size: int | None = None) -> list[tuple[str, int, str, tuple[tuple[str, str], ...], str, int]]:
    found: list[LineMatch] = []
    scanner = Scanner(CAT, found.append, use_re2=engine != "re", use_hyperscan=engine == "hyperscan")
    stream = io.BytesIO(data)
    scanner.scan(stream.read if read_size is None else lambda _size: stream.read(read_size))
    assert scanner.uses_hyperscan == (engine == "hyperscan" and bool(data))
    return [(m.signature.id, m.line, m.text, tuple(sorted(m.groups.items())), m.next_text, m.repeats) for m in found]


def _engine(engine: str) -> str:
    """Skip a test of an engine that is not installed here."""
    if engine == "hyperscan" and not hyperscan_available():
        pytest.skip("hyperscan (the fast extra) is not installed")
    if engine != "re":
        pytest.importorskip("re2")
    return engine


def _corpus_logs() -> list[bytes]:
    return [json.loads(path.read_text())["log"].encode() for path in sorted(CORPUS.glob("dev/*.json"))]


@pytest.mark.parametrize("engine", ["hyperscan", "re2"])
def test_the_fast_engines_find_what_re_finds_on_the_real_corpus(engine: str) -> None:
    _engine(engine)
    logs = _corpus_logs()
    assert len(logs) > 50
    total = 0
    for log in logs:
        fast = _matches(log, engine=engine)
        assert fast == _matches(log, engine="re")
        total += len(fast)
    assert total > 100  # the corpus really exercises the signatures


@pytest.mark.parametrize("engine", ["hyperscan", "re2"])
def test_every_signature_example_is_found_by_every_engine(engine: str) -> None:
    _engine(engine)
    for sig in CAT.signatures:
        data = (FILLER + sig.example + "\n" + FILLER).encode()
        found = _matches(data, engine=engine)
        assert found == _matches(data, engine="re"), sig.id
        assert sig.id in {m[0] for m in found} or sig.next_line_of is not None or sig.replaces or sig.generic, sig.id


@pytest.mark.parametrize("engine", ["hyperscan", "re2"])
@pytest.mark.parametrize("ending", ["\r\n", "  \n", " \t\r\n", "\r\r\n"])
def test_a_windows_line_end_or_trailing_blanks_hide_no_signature(engine: str, ending: str) -> None:
    """Reading a line drops its trailing blanks and carriage returns; a signature anchored at its end ("-> []") still matches."""
    _engine(engine)
    for sig in CAT.signatures:
        data = (FILLER + sig.example + "\n" + FILLER).replace("\n", ending).encode()
        found = _matches(data, engine=engine)
        assert found == _matches(data, engine="re"), sig.id
    line = "tf.config.list_physical_devices('GPU') -> []"
    data = (FILLER + "\r" + line + ending + FILLER).replace("\n", ending).encode()
    assert [m[:2] for m in _matches(data, engine=engine)] == [("LOG-TF-NO-GPU-FOUND", 2)]


class _CountingScanner(Scanner):
    """A scanner that counts the lines it decodes and matches one by one."""

    decoded = 0

    def _line(self, *args: Any) -> None:
        self.decoded += 1
        super()._line(*args)


def test_the_corpus_logs_repeated_give_the_same_counts_with_every_engine() -> None:
    """Each corpus log many times over, read in odd pieces: repeated benign lines are counted, all else matched, alike."""
    _engine("re2")
    engines = [e for e in ENGINES if e != "hyperscan" or hyperscan_available()]
    logs = [log for log in _corpus_logs() if b"\x1b" in log or b"\r" in log or not log.isascii()][:3]
    logs += _corpus_logs()[:40:4]
    benign = "\n".join(s.example for s in CAT.signatures if s.kind == "benign")
    skipped = 0
    databases: set[bool] = set()
    # A line in colour (as a terminal captured it) halfway through every other log.
    colour = ("\x1b[1m" + FILLER.strip() + "\x1b[0m " + CAT.signatures[0].example + "\n").encode()
    for n, log in enumerate(logs):
        part = (log + b"\n" + benign.encode() + b"\n") * 3
        data = part + (colour if n % 2 else b"") + part
        results = {}
        candidates = {}
        for engine in engines:
            found: list[LineMatch] = []
            scanner = _CountingScanner(CAT, found.append, use_re2=engine != "re", use_hyperscan=engine == "hyperscan")
            stream = io.BytesIO(data)
            scanner.scan(lambda _size, stream=stream: stream.read(4093))
            results[engine] = ([(m.signature.id, m.line, m.text, tuple(sorted(m.groups.items())), m.next_text, m.repeats)
                                for m in found], scanner.lines)
            candidates[engine] = scanner.candidates
            if engine == "hyperscan":
                skipped += scanner.candidates - scanner.decoded
                databases |= set(scanner._databases)
        assert all(r == results["re"] for r in results.values()), [e for e, r in results.items() if r != results["re"]]
        assert any(m[5] > 1 for m in results["re"][0])  # some lines were counted, not passed one by one
        # Hyperscan and RE2 find the same lines ("lines examined"); the needles find more, to try.
        assert candidates.get("hyperscan", candidates["re2"]) == candidates["re2"] <= candidates["re"]
    # Hyperscan counted held-back benign lines without decoding them, and read chunks with a
    # colour code and chunks without (its two databases).
    assert (skipped > 0 and databases == {True, False}) or not hyperscan_available()


def test_colour_codes_inside_a_phrase_do_not_hide_it() -> None:
    line = "\x1b[1m2023-01-01 10:00:00.000000: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load \x1b[31mdynamic library\x1b[0m 'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot open shared object file: No such file or directory\n"
    data = (FILLER * 3 + line + FILLER).encode()
    plain = (FILLER * 3 + line.replace("\x1b[1m", "").replace("\x1b[31m", "").replace("\x1b[0m", "") + FILLER).encode()
    expected = _matches(plain, engine="re")
    assert [(sid, line_no) for sid, line_no, *_ in expected] == [("LOG-TF-DSO-LOAD", 4)]
    for engine in ENGINES:
        if engine == "re" or (engine == "hyperscan" and not hyperscan_available()):
            continue
        assert _matches(data, engine=_engine(engine)) == expected, engine
    assert _matches(data, engine="re") == expected


@pytest.mark.parametrize("engine", ENGINES)
def test_repeated_benign_lines_are_counted_not_passed_one_by_one(engine: str) -> None:
    benign = next(s for s in CAT.signatures if s.kind == "benign" and s.id == "LOG-TF-BENIGN-NUMA")
    data = ((FILLER + benign.example + "\n") * 1000).encode()
    found = _matches(data, engine=_engine(engine))
    assert [m[5] for m in found] == [1] * REPEAT_EXAMPLES + [1000 - REPEAT_EXAMPLES]
    assert found[-1][1] == 2000  # the hand-over carries the last such line


def test_explain_reports_the_full_count_of_a_repeated_benign_line() -> None:
    benign = next(s for s in CAT.signatures if s.id == "LOG-TF-BENIGN-NUMA")
    result = explain_text((FILLER + benign.example + "\n") * 500)
    shown = [line for line in result.benign if "LOG-TF-BENIGN-NUMA" in line or "NUMA" in line]
    assert any(f"{500 - len(shown) + 1} more" in line for line in shown), result.benign
    assert len(shown) <= REPEAT_EXAMPLES + 1


@pytest.mark.parametrize(
    ("pattern", "inside", "across"),
    [
        (r"load '(?P<library>[^'/]*)'", "load 'libcudart.so'", "load 'lib\ncudart.so'"),
        (r"CUDA\s+error", "CUDA  error", "CUDA\nerror"),
        (r"x[^]z]y", "xay", "x\ny"),
        (r"a[\s,]b", "a,b", "a\nb"),
    ],
)
def test_one_line_patterns_match_the_same_within_a_line_and_never_across(pattern: str, inside: str, across: str) -> None:
    import re

    from whygpu.explain.scan import one_line

    bounded = re.compile(one_line(pattern))
    assert bool(bounded.search(inside)) == bool(re.search(pattern, inside)) is True
    assert re.search(pattern, across) and not bounded.search(across)


def test_hyperscan_takes_over_only_for_a_big_log() -> None:
    """Automatic mode: a small log is read with RE2 alone; a log whose size says it is big gets Hyperscan from its first byte."""
    _engine("hyperscan")
    from whygpu.explain.scan import HYPERSCAN_AFTER

    benign = next(s for s in CAT.signatures if s.id == "LOG-TF-BENIGN-NUMA")
    data = ((FILLER + benign.example + "\n") * 200).encode()
    runs = {}
    for size in (None, len(data), HYPERSCAN_AFTER):
        found: list[LineMatch] = []
        scanner = Scanner(CAT, found.append)
        if size is not None:
            scanner.expect(size)
        scanner.scan(io.BytesIO(data).read)
        runs[size] = (scanner.uses_hyperscan, [(m.signature.id, m.line, m.repeats) for m in found])
    assert [used for used, _ in runs.values()] == [False, False, True]
    assert runs[None][1] == runs[HYPERSCAN_AFTER][1] == [("LOG-TF-BENIGN-NUMA", 2 * n, 1) for n in (1, 2, 3)] + [
        ("LOG-TF-BENIGN-NUMA", 400, 200 - REPEAT_EXAMPLES)]


def test_without_the_fast_extra_re2_reads_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where ``hyperscan`` cannot be imported, asking for it gives RE2's scan, with the same matches."""
    _engine("re2")
    log = _corpus_logs()[0] * 3
    expected = _matches(log, engine="re2")
    monkeypatch.setitem(sys.modules, "hyperscan", None)
    assert not hyperscan_available()
    found: list[LineMatch] = []
    scanner = Scanner(CAT, found.append, use_hyperscan=True)
    scanner.scan(io.BytesIO(log).read)
    assert not scanner.uses_hyperscan
    assert [(m.signature.id, m.line, m.text, tuple(sorted(m.groups.items())), m.next_text, m.repeats) for m in found] == expected


def test_hyperscan_taking_over_mid_stream_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stream of unknown size switches to Hyperscan once enough is read; benign lines held back by RE2 go on being counted."""
    _engine("hyperscan")
    from whygpu.explain import scan

    benign = "\n".join(s.example for s in CAT.signatures if s.kind == "benign")
    data = ((FILLER + benign + "\n") * 40 + _corpus_logs()[1].decode() + "\n").encode() * 3
    expected = _matches(data, engine="re2", read_size=1000)
    monkeypatch.setattr(scan, "HYPERSCAN_AFTER", len(data) // 3)
    found: list[LineMatch] = []
    scanner = _CountingScanner(CAT, found.append)
    stream = io.BytesIO(data)
    scanner.scan(lambda _size: stream.read(1000))
    assert scanner.uses_hyperscan
    assert scanner.candidates > scanner.decoded  # Hyperscan counted some held-back lines itself
    assert [(m.signature.id, m.line, m.text, tuple(sorted(m.groups.items())), m.next_text, m.repeats) for m in found] == expected


def test_hyperscan_gets_only_escapes_it_reads_as_python_does() -> None:
    """``\\v`` is written out as the vertical tab (PCRE reads any vertical space); an escape PCRE reads otherwise keeps RE2."""
    _engine("hyperscan")
    from whygpu.explain.scan import _collect, hyperscan_database

    assert hyperscan_database((r"end\Z",)) is None  # PCRE's \Z also matches before a last newline
    database = hyperscan_database((r"a\vb", r"c\\vd"))
    assert database is not None
    for data, expected in ((b"a\x0bb", [0]), (b"a\nb", []), (b"c\\vd", [1]), (b"c\x0bd", [])):
        ends: list[tuple[int, int]] = []
        database.scan(data, match_event_handler=_collect, context=ends)
        assert [pattern for _, pattern in ends] == expected, data


def test_a_chunk_with_too_many_match_ends_is_read_by_re2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hyperscan reports every place a match can end; a chunk with too many of them goes to RE2, with the same matches."""
    _engine("hyperscan")
    from whygpu.explain import scan

    monkeypatch.setattr(scan, "MAX_ENDS", 1000)
    # "CUDNN_STATUS_[A-Z_]+" can end after each of these letters.
    data = (FILLER * 5 + "E cuda_dnn.cc:329] Could not create cudnn handle: CUDNN_STATUS_" + "NOT_INITIALIZED_" * 250 + "\n" + FILLER * 5).encode()
    ends: list[tuple[int, int]] = []
    database = scan.hyperscan_database(scan.Matcher(CAT).filter_patterns[:-1])
    database.scan(data, match_event_handler=lambda *a: ends.append(a[2]) and None)
    assert len(ends) > 1000  # the case at hand
    found = _matches(data, engine="hyperscan")
    assert found == _matches(data, engine="re")
    assert {m[0] for m in found} >= {"LOG-TF-CUDNN-HANDLE"}


# --- the same messages in pasted or scraped characters (``normalise``) --------------------------------------

_CURLY = str.maketrans({"'": "\u2019", '"': "\u201d"})


def _variants(line: str) -> dict[str, str]:
    """``line`` as a word processor, a scraped page and a Python repr would carry it."""
    import html

    return {
        "typographic": line.translate(_CURLY),
        "entities": html.escape(line, quote=True),
        "repr": line.replace("'", "\\'").replace('"', '\\"'),
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_every_example_in_typographic_escaped_or_entity_form_is_found_as_in_ascii(engine: str) -> None:
    _engine(engine)
    for sig in CAT.signatures:
        plain = _matches((FILLER + sig.example + "\n" + FILLER).encode(), engine="re")
        ids = {m[0] for m in plain}
        for form, line in _variants(sig.example).items():
            if line == sig.example:
                continue
            found = _matches((FILLER + line + "\n" + FILLER).encode(), engine=engine)
            # Every engine reads the variant as Python's re does, and the signature still fires on it.
            assert found == _matches((FILLER + line + "\n" + FILLER).encode(), engine="re"), (sig.id, form)
            assert sig.id not in ids or sig.id in {m[0] for m in found}, (sig.id, form)


def test_normalise_turns_pasted_characters_into_ascii_and_leaves_the_rest() -> None:
    from whygpu.explain.scan import normalise

    assert normalise("couldn\u2018t \u201cx\u201d \u2013 a\u00a0b") == "couldn't \"x\" - a b"
    assert normalise("&#39;libcudart.so.11.0&#39; &lt; &quot;image&quot; &rsquo;") == "'libcudart.so.11.0' < \"image\" '"
    assert normalise("library \\'libcudnn.so.8\\' \\\"x\\\"") == "library 'libcudnn.so.8' \"x\""
    # Text that only looks like a reference, or other non-ASCII, is kept as it was.
    for kept in ("R&D; pipeline", "a & b;", "&unknownentity; x", "loss \u2192 0.3 \u2588\u2588", "C:\\new\\path"):
        assert normalise(kept) == kept


@pytest.mark.parametrize("engine", ENGINES)
def test_typographic_lines_that_hold_no_message_stay_quiet(engine: str) -> None:
    _engine(engine)
    lines = ("\u201cThe GPU\u2019s fine\u201d \u2013 she said &amp; left\n"
             "Epoch 1/10 \u2014 loss 0.3 &mdash; acc 0.9\n"
             "it\\'s \\\"cuda\\\" they said\n")
    assert _matches((FILLER + lines + FILLER).encode(), engine=engine) == []


def test_one_matcher_is_built_per_catalogue_and_engine() -> None:
    """Scanners share their catalogue's matcher (its RE2 set is compiled once), one per engine and per catalogue."""
    import dataclasses

    first = Scanner(CAT, lambda m: None).matcher
    assert Scanner(CAT, lambda m: None).matcher is first
    assert shared_matcher(CAT) is first
    assert shared_matcher(CAT, False) is not first and not shared_matcher(CAT, False).uses_re2
    other = dataclasses.replace(CAT)  # an equal catalogue, another object: its own matcher
    assert shared_matcher(other) is not first


def test_a_shared_matcher_answers_each_thread_for_its_own_line() -> None:
    """Two threads asking one matcher about different lines, interleaved, each get their own line's signatures."""
    import threading

    matcher = shared_matcher(CAT)
    if not matcher.uses_re2:
        pytest.skip("the RE2 set (and its memo of the last line) is not used without RE2")
    lines = [s.example for s in CAT.signatures if s.kind != "benign"][:40]
    expected = {line: [s.id for s in matcher.set_candidates(line)] for line in lines}
    assert any(expected.values())
    wrong: list[str] = []

    def ask(order: list[str]) -> None:
        for _ in range(30):
            for line in order:
                if [s.id for s in matcher.set_candidates(line)] != expected[line]:
                    wrong.append(line)

    threads = [threading.Thread(target=ask, args=(lines,)), threading.Thread(target=ask, args=(lines[::-1],))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []


def test_the_case_cost_bench_measures_both_ways_in_one_run(capsys: pytest.CaptureFixture[str]) -> None:
    """bench/explain_case_cost.py explains its sample with the matcher rebuilt and shared, and leaves one matcher shared."""
    import bench_scripts

    bench = bench_scripts.load("explain_case_cost")
    assert bench.main(["--cases", "3", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "| rebuilt for each log (before) |" in out and "| shared (now) |" in out
    assert re.search(r"shared / rebuilt: CPU \d+\.\d\d, wall \d+\.\d\d", out)
    assert Scanner(CAT, lambda m: None).matcher is shared_matcher(CAT)
