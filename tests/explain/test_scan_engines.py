"""The scanner finds the same matches with RE2 and with the ``re`` fallback, and counts repeated benign lines."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from whygpu.explain import explain_text
from whygpu.explain.catalogue import catalogue
from whygpu.explain.scan import REPEAT_EXAMPLES, LineMatch, Scanner

CAT = catalogue()
CORPUS = Path(__file__).parent / "corpus"
FILLER = "Epoch 3: 40%|####      | 375/938 [00:07<00:11, 48.12it/s, loss=0.412, v_num=3]\n"


def _matches(data: bytes, *, use_re2: bool) -> list[tuple[str, int, str, tuple[tuple[str, str], ...], str, int]]:
    found: list[LineMatch] = []
    scanner = Scanner(CAT, found.append, use_re2=use_re2)
    scanner.scan(io.BytesIO(data).read)
    return [(m.signature.id, m.line, m.text, tuple(sorted(m.groups.items())), m.next_text, m.repeats) for m in found]


def _corpus_logs() -> list[bytes]:
    return [json.loads(path.read_text())["log"].encode() for path in sorted(CORPUS.glob("dev/*.json"))]


def test_re2_and_re_find_the_same_matches_on_the_real_corpus() -> None:
    pytest.importorskip("re2")
    logs = _corpus_logs()
    assert len(logs) > 50
    total = 0
    for log in logs:
        with_re2 = _matches(log, use_re2=True)
        assert with_re2 == _matches(log, use_re2=False)
        total += len(with_re2)
    assert total > 100  # the corpus really exercises the signatures


def test_every_signature_example_is_found_by_both_engines() -> None:
    pytest.importorskip("re2")
    for sig in CAT.signatures:
        data = (FILLER + sig.example + "\n" + FILLER).encode()
        with_re2 = _matches(data, use_re2=True)
        assert with_re2 == _matches(data, use_re2=False), sig.id


def test_colour_codes_inside_a_phrase_do_not_hide_it() -> None:
    line = "\x1b[1m2023-01-01 10:00:00.000000: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load \x1b[31mdynamic library\x1b[0m 'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot open shared object file: No such file or directory\n"
    data = (FILLER * 3 + line + FILLER).encode()
    plain = (FILLER * 3 + line.replace("\x1b[1m", "").replace("\x1b[31m", "").replace("\x1b[0m", "") + FILLER).encode()
    expected = _matches(plain, use_re2=False)
    assert [(sid, line_no) for sid, line_no, *_ in expected] == [("LOG-TF-DSO-LOAD", 4)]
    for use_re2 in (True, False):
        assert _matches(data, use_re2=use_re2) == expected, use_re2


@pytest.mark.parametrize("use_re2", [True, False])
def test_repeated_benign_lines_are_counted_not_passed_one_by_one(use_re2: bool) -> None:
    benign = next(s for s in CAT.signatures if s.kind == "benign" and s.id == "LOG-TF-BENIGN-NUMA")
    data = ((FILLER + benign.example + "\n") * 1000).encode()
    found = _matches(data, use_re2=use_re2)
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
