"""accquiet (session 38): cheaper gates on the lines of a TensorFlow log that decide nothing, each with the same answers.

- whygpu.lazyre: a short text (a line) is searched by a pattern only where a word the pattern requires is in it, once the
  pattern has been asked of ``SHORT_AFTER`` short texts;
- knowledge.device_settings.cpu_pin: each row's own search, not one alternation of every row tried at every position;
- explain.ccsupport.capability_claims: a cue every capability match holds, before the other searches ("gpu_device.cc:1886]"
  passes the head's HINT on every TensorFlow line);
- explain.errorwords._shouted: an ASCII line's capitals counted without a loop over its characters.
"""

from __future__ import annotations

import random
import re as std_re

from whygpu import lazyre
from whygpu.explain import ccsupport, errorwords
from whygpu.knowledge import device_settings

# Real TensorFlow 2.x lines of the bench's tf-quiet log (bench/explain_bench.py TF_QUIET), that decide nothing.
_TF_LINES = (
    "2023-02-11 11:01:01.098702: I tensorflow/core/profiler/internal/gpu/cupti_tracer.cc:1414] CUPTI activity buffer flushed",
    "2023-03-12 12:02:02.438485: I tensorflow/core/common_runtime/gpu/gpu_device.cc:1886] Adding visible gpu devices: 0",
    "2023-04-13 13:03:03.993473: I tensorflow/core/common_runtime/executor.cc:1197] [/device:CPU:0] (DEBUG INFO) Executor "
    "start aborting (this does not indicate an error and you can ignore this message): INVALID_ARGUMENT: You must feed a value "
    "for placeholder tensor 'Placeholder/_0' with dtype int32",
)


def _used(rx: object) -> None:
    """Ask ``rx`` of enough short texts that it gates them by its words from then on."""
    for _ in range(lazyre.SHORT_AFTER + 1):
        rx.search("warm up")  # type: ignore[attr-defined]


def test_a_short_text_without_the_words_is_not_searched_and_answers_the_same() -> None:
    rx = lazyre.compile(r"\bcuda\s+(\d+)", lazyre.I)
    plain = std_re.compile(r"\bcuda\s+(\d+)", std_re.I)
    _used(rx)
    assert rx._short_words == ("cuda",)  # type: ignore[attr-defined]
    for line in (*_TF_LINES, "built with CUDA 12 here", "Cuda 11 and cuda 12", ""):
        m, want = rx.search(line), plain.search(line)
        assert (m and m.span()) == (want and want.span())
        assert rx.findall(line) == plain.findall(line)
        assert [x.span() for x in rx.finditer(line)] == [x.span() for x in plain.finditer(line)]
    assert rx.search("built with CUDA 12", 0, 9) is None  # a slice searched as before


def test_a_pattern_with_no_word_known_is_always_searched() -> None:
    rx = lazyre.compile(r"ab|c?")
    _used(rx)
    assert rx._short_words == ()  # type: ignore[attr-defined]
    assert rx.search("xyz") is not None  # the empty match at 0, as re finds it


def test_a_short_text_with_a_letter_folded_from_elsewhere_keeps_the_search() -> None:
    rx = lazyre.compile(r"\bsm_\d", lazyre.I)
    _used(rx)
    text = "built for ſm_86"  # "ſ" is an s to re ignoring case, and no s in the text's lower case
    assert std_re.search(r"\bsm_\d", text, std_re.I) is not None
    assert rx.search(text) is not None


def test_every_pattern_answers_a_line_as_re_does_once_gated() -> None:
    """Over the patterns of two heavy readers' modules and lines of the corpus and of TensorFlow: the same answer."""
    from tests.explain.test_accspeed_lazy import _corpus_texts, _held

    lines = [line for text in _corpus_texts() for line in text.split("\n") if line][:400] + list(_TF_LINES)
    checked = 0
    for module in (ccsupport, errorwords, device_settings):
        for value in list(vars(module).values()):
            for rx in _held(value):
                if not isinstance(rx.pattern, str):
                    continue
                _used(rx)
                plain = std_re.compile(rx.pattern, rx._flags)
                for line in lines:
                    m, want = rx.search(line), plain.search(line)  # type: ignore[attr-defined]
                    assert (m and m.span()) == (want and want.span()), (rx.pattern, line)
                    checked += 1
    assert checked > 10000


def _cpu_pin_by_every_row(text: str) -> tuple[str, tuple[int, int]] | None:
    found = [(row.id, m.span()) for row, rx in device_settings._rows() if (m := std_re.search(rx.pattern, text)) is not None]
    return min(found, key=lambda pair: pair[1][0]) if found else None


def test_cpu_pin_finds_the_first_setting_as_every_row_searched_would() -> None:
    lines = [
        *_TF_LINES,
        "python train.py --device cpu --epochs 3",
        "python main.py --no-cuda --gpu_ids -1",  # two rows: the first on the line wins
        "trainer = Trainer(accelerator='cpu', use_cpu=True)",
        "2023-04-13 13:03:03.993473: I tensorflow/core/kernels/data/shuffle_dataset_op.cc:392] Filling up shuffle buffer on /device:CPU:0",
    ]
    for line in lines:
        got = device_settings.cpu_pin(line)
        want = _cpu_pin_by_every_row(line)
        assert (got and (got[0].id, got[1].span())) == want, line
    assert device_settings.cpu_pin(lines[0]) is None and device_settings.cpu_pin(lines[6]) is None
    assert device_settings.cpu_pin(lines[3])[0].id == "device-option-cpu"  # type: ignore[index]
    assert device_settings.cpu_pin(lines[4])[0].id == "no-cuda-flag"  # type: ignore[index]


def test_the_capability_cue_holds_wherever_a_capability_matches() -> None:
    from tests.explain.test_accspeed_lazy import _corpus_texts

    lines = [line for text in _corpus_texts() for line in text.split("\n")]
    lines += ["CUDA capability sm_86 is not compatible", "cc: 8.6", "SM 8.6 not supported", "compute_90a", "SM120", "sm 86",
              "Found GPU0 with cuda capability 3.0. The minimum required Cuda capability is 3.5."]
    matched = [line for line in lines if ccsupport._CAP_RX.search(line)]
    assert len(matched) >= 7
    assert all(ccsupport._CAP_CUE.search(line) for line in matched)
    # A TensorFlow source position passes HINT but names no capability.
    for line in _TF_LINES[:2]:
        assert ccsupport.HINT.search(line) and not ccsupport._CAP_CUE.search(line)
        assert ccsupport.capability_claims(line) == []
    said = ccsupport.capability_claims("RuntimeError: GPU with compute capability 3.0 is not supported")
    assert said and said[0].cc == "3.0"


def _shouted_by_each_character(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 15 or len(std_re.findall(r"[A-Za-z]{2,}", text)) < 5:
        return False
    return sum(c.isupper() for c in letters) >= 0.85 * len(letters)


def test_a_shouted_line_is_found_as_by_counting_each_letter() -> None:
    rng = random.Random(38)
    texts = ["cuDNN V5.0 OR GREATER NOT FOUND.", "CUDNN NOT FOUND", "THIS IS A SHOUTED LINE OF WORDS", *_TF_LINES,
             "ÉCHEC: CUDA NON DISPONIBLE SUR CETTE MACHINE", "ΣΦΑΛΜΑ GPU NOT FOUND AT ALL HERE"]
    texts += ["".join(rng.choice("ABCDEFGH abcd XYZ.:-_0123") for _ in range(rng.randrange(60))) for _ in range(20000)]
    assert errorwords._shouted(texts[0]) and not errorwords._shouted(texts[3])
    assert all(errorwords._shouted(t) == _shouted_by_each_character(t) for t in texts)
    assert sum(map(_shouted_by_each_character, texts)) > 100
