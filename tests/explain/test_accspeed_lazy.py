"""accspeed (session 37): explain's patterns compiled on first use (whygpu.lazyre), and what that must not change."""

from __future__ import annotations

import importlib
import pkgutil
import re as std_re
import sys
from pathlib import Path

import pytest

import whygpu.explain
import whygpu.knowledge
from whygpu import lazyre
from whygpu.lazyre import LazyPattern

_SRC = Path(whygpu.explain.__file__).resolve().parents[1]


def _lazy_modules() -> list[str]:
    """Every module of explain and the knowledge layer that takes ``re`` from lazyre."""
    names = []
    for package in (whygpu.explain, whygpu.knowledge):
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            path = _SRC / Path(*info.name.split(".")[1:]).with_suffix(".py")
            if path.is_file() and "from whygpu import lazyre as re" in path.read_text(encoding="utf-8"):
                names.append(info.name)
    return names


def _held(value: object, depth: int = 0) -> list[LazyPattern]:
    """The lazy patterns a module-level value holds (itself, or inside tuples, lists, sets and dicts, two levels down)."""
    if isinstance(value, LazyPattern):
        return [value]
    if depth >= 3:
        return []
    if isinstance(value, dict):
        return [p for v in (*value.keys(), *value.values()) for p in _held(v, depth + 1)]
    if isinstance(value, (tuple, list, set, frozenset)):
        return [p for v in value for p in _held(v, depth + 1)]
    return []


def test_the_explain_modules_use_lazy_patterns() -> None:
    names = _lazy_modules()
    assert "whygpu.explain.logfacts" in names and "whygpu.knowledge.device_settings" in names
    assert len(names) > 100


@pytest.mark.parametrize("name", _lazy_modules())
def test_every_pattern_a_module_holds_compiles(name: str) -> None:
    """A bad pattern no longer fails its module's import: this compiles every one each module holds."""
    module = importlib.import_module(name)
    for value in list(vars(module).values()):
        for pattern in _held(value):
            assert isinstance(pattern.compiled(), std_re.Pattern)


# ``m.re is _X``: a match's pattern is the compiled one, never the lazy one that made it.
_IDENTITY = std_re.compile(r"\.re\s+(?:is(?:\s+not)?|==|!=)\s+(_[A-Z0-9_]+)\b|\b(_[A-Z0-9_]+)\s+(?:is(?:\s+not)?|==|!=)\s+\w+\.re\b")


@pytest.mark.parametrize("name", _lazy_modules())
def test_a_pattern_compared_with_a_match_is_compiled_now(name: str) -> None:
    """A pattern a reader compares by identity with a match's ``re`` is made with ``re.eager`` (a lazy one never is it)."""
    module = importlib.import_module(name)
    source = Path(module.__file__ or "").read_text(encoding="utf-8")
    for m in _IDENTITY.finditer(source):
        held = getattr(module, m.group(1) or m.group(2))
        assert isinstance(held, std_re.Pattern), f"{name}: {m.group(0)!r} compares a lazy pattern with a match's"


def test_a_lazy_pattern_compiles_on_first_use_and_answers_as_the_compiled_one() -> None:
    rx = lazyre.compile(r"cuda\s+(?P<v>\d+\.\d+)", lazyre.I)
    assert isinstance(rx, LazyPattern)
    assert not hasattr(rx, "_done")  # nothing compiled yet
    assert rx.pattern == r"cuda\s+(?P<v>\d+\.\d+)"
    m = rx.search("built against CUDA 12.1")
    assert m is not None and m.group("v") == "12.1"
    plain = std_re.compile(r"cuda\s+(?P<v>\d+\.\d+)", std_re.I)
    assert rx.flags == plain.flags and rx.groups == plain.groups and dict(rx.groupindex) == dict(plain.groupindex)
    assert m.re is rx.compiled() and rx.compiled() is rx.compiled()
    assert rx.sub("CUDA X", "cuda 11.8 here") == "CUDA X here"
    assert [x.group(0) for x in rx.finditer("cuda 1.0, CUDA 2.0")] == ["cuda 1.0", "CUDA 2.0"]
    assert rx.match("no") is None and rx.fullmatch("cuda 3.5") is not None
    assert rx.split("a cuda 1.1 b") == ["a ", "1.1", " b"]


def test_the_module_functions_take_a_lazy_pattern_as_re_takes_a_compiled_one() -> None:
    rx = lazyre.compile(r"gpu(\d)")
    assert lazyre.search(rx, "a gpu0") is not None
    assert lazyre.match(rx, "gpu1 x") is not None
    assert lazyre.fullmatch(rx, "gpu2") is not None
    assert lazyre.findall(rx, "gpu3 gpu4") == ["3", "4"]
    assert [m.group(1) for m in lazyre.finditer(rx, "gpu5 gpu6")] == ["5", "6"]
    assert lazyre.sub(rx, "x", "gpu7!") == "x!" and lazyre.subn(rx, "x", "gpu8") == ("x", 1)
    assert lazyre.split(rx, "agpu9b") == ["a", "9", "b"]
    assert lazyre.compile(rx) is rx.compiled()
    assert lazyre.search(r"\d", "a1") is not None  # text patterns as re takes them
    with pytest.raises(ValueError):
        lazyre.search(rx, "gpu0", lazyre.I)  # as re: no flags with a compiled pattern


def test_a_bad_pattern_raises_on_first_use() -> None:
    rx = lazyre.compile(r"(unclosed")
    with pytest.raises(lazyre.error):
        rx.search("x")


def test_bytes_patterns_are_lazy_too() -> None:
    rx = lazyre.compile(rb"\bnvidia\b")
    assert rx.search(b"an nvidia card") is not None


def test_eager_compiles_now() -> None:
    assert isinstance(lazyre.eager(r"x+"), std_re.Pattern)


def test_importing_whygpu_compiles_no_explain_pattern() -> None:
    """``import whygpu`` and the command line's help stay as fast: neither loads explain's readers."""
    code = "import sys, whygpu; print(any(m.startswith('whygpu.explain.') for m in sys.modules))"
    import subprocess

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=None)
    assert done.stdout.strip() == "False"


# ---- a long text searched only where a word the pattern requires is in it (lazyre.required_words, may_match) ----

@pytest.mark.parametrize(("pattern", "flags", "words"), [
    (r"\bDLIB_USE_CUDA\b", 0, ("dlib_use_cuda",)),
    (r"capabilit|\bcc\s*[:=]?\s*\d|compute_\d", std_re.I, ("capabilit", "cc", "compute_")),
    (r"(?:gpu|card)\b[^\n]{0,60}?\b(?:too\s+old|supported)", std_re.I, ("gpu", "card")),  # one part's words
    (r"a?b", 0, ("b",)),  # an optional part requires nothing
    (r"(?=[^\n]*nomad)x", 0, ("nomad",)),  # a lookahead's words are in the text too
    (r"foo(?!bar)", 0, ("foo",)),  # a negative lookahead's are not
    (r"ab|c?", 0, None),  # a branch that requires nothing
    (r"(x)?y+", 0, ("y",)),
    (r"(?i)ĲK", 0, ("k",)),  # a character not ASCII is no word
    (r"[ab]c", 0, ("c",)),  # nor is a class
    (r"(a)(?(1)b|c)", 0, ("a",)),  # nor a conditional's branches
])
def test_the_words_a_pattern_requires(pattern: str, flags: int, words: tuple[str, ...] | None) -> None:
    assert lazyre.required_words(pattern, flags) == words


def _long(text: str) -> str:
    return (text + "\n") * (lazyre.LONG // (len(text) + 1) + 1)


def test_a_long_text_without_the_words_is_not_searched_and_answers_the_same() -> None:
    rx = lazyre.compile(r"\bcuda\s+(\d+)", lazyre.I)
    plain = std_re.compile(r"\bcuda\s+(\d+)", std_re.I)
    without = _long("epoch 1/10 - loss: 0.25")
    assert len(without) >= lazyre.LONG and not lazyre.may_match(rx, without)
    assert rx.search(without) is None and rx.findall(without) == [] and list(rx.finditer(without)) == []
    with_it = without + "built with CUDA 12 here"
    assert lazyre.may_match(rx, with_it)
    assert rx.search(with_it).span() == plain.search(with_it).span()  # type: ignore[union-attr]
    assert rx.findall(with_it) == ["12"] and rx.search(with_it, 0, 10) is None


def test_a_letter_folded_from_elsewhere_keeps_the_search() -> None:
    """Python's re, ignoring case, matches "ſ" for s (and "ı", "İ" for i): the text's lower case would not hold the word."""
    rx = lazyre.compile(r"\bsm_\d", lazyre.I)
    text = _long("nothing here") + "built for ſm_86"
    assert std_re.search(r"\bsm_\d", text, std_re.I) is not None
    assert lazyre.may_match(rx, text) and rx.search(text) is not None


def test_the_letters_folded_from_elsewhere_are_all_known() -> None:
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    found = {m for letter in "abcdefghijklmnopqrstuvwxyz" for m in std_re.findall(letter, every, std_re.I)
             if not m.isascii() and m.lower() != letter}
    assert found <= set(lazyre.FOLDS_ELSEWHERE)


def _corpus_texts() -> list[str]:
    import json

    files = sorted((_SRC.parents[1] / "tests" / "explain" / "corpus").glob("*/*.json"))[::25]
    logs = [json.loads(p.read_text(encoding="utf-8"))["log"] for p in files]
    return ["\n".join(logs[i:i + 12]) for i in range(0, len(logs), 12)]


def test_no_pattern_matches_a_corpus_text_that_lacks_its_words() -> None:
    """Over every pattern the explain modules hold and long pieces of the corpus: where may_match says no, the
    pattern (compiled by re itself) finds nothing, in the text or in any of its lines."""
    texts = [t for t in _corpus_texts() if len(t) >= lazyre.LONG]
    assert len(texts) >= 5
    checked = 0
    for name in _lazy_modules():
        for value in list(vars(importlib.import_module(name)).values()):
            for pattern in _held(value):
                if not isinstance(pattern.pattern, str):
                    continue
                plain = std_re.compile(pattern.pattern, pattern._flags)
                for text in texts:
                    if not lazyre.may_match(pattern, text):  # type: ignore[arg-type]
                        checked += 1
                        assert plain.search(text) is None, (name, pattern.pattern)
                        assert not any(plain.search(line) for line in text.split("\n")), (name, pattern.pattern)
    assert checked > 1000


def test_threads_asking_of_two_long_texts_get_each_its_own_answer() -> None:
    import threading

    rx = lazyre.compile(r"\bdriver\s+(\d+)", lazyre.I)
    with_it = _long("epoch 1 loss 0.5") + "driver 535"
    without = _long("epoch 2 loss 0.4")
    wrong: list[str] = []

    def ask(text: str, expected: bool) -> None:
        for _ in range(300):
            if (rx.search(text) is not None) != expected:
                wrong.append(text[-12:])

    threads = [threading.Thread(target=ask, args=(with_it, True)), threading.Thread(target=ask, args=(without, False))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
