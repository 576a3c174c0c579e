"""A program's message read whatever layout a paste gave it (explain.layout, acclayout session 21): cut at a column,
at words, at a clause, or kept in a repr/JSON string with literal "\\n"; and two lines that are not one message
never read as one."""

from __future__ import annotations

import json
import textwrap

import pytest

from log_text import codes
from whygpu.explain.catalogue import catalogue
from whygpu.explain.layout import continues, literal_lines, wrapped_matches
from whygpu.explain.scan import Matcher

# Lines written for these tests in the forms the programs print (values chosen here, not copied from a report).
CUDNN = ("2021-03-04 09:12:44.120931: E tensorflow/stream_executor/cuda/cuda_dnn.cc:328] Loaded runtime CuDNN library: "
         "8.0.4 but source was compiled with: 8.1.0.  CuDNN library needs to have matching major version and equal or "
         "higher minor version.")
CUBLAS = "ImportError: libcublasLt.so.12: cannot open shared object file: No such file or directory"
KERNEL = "RuntimeError: CUDA error: no kernel image is available for execution on the device"
DLL = 'OSError: [WinError 126] The specified module could not be found. Error loading "D:\\envs\\sd\\Lib\\site-packages\\torch\\lib\\cudnn_adv_infer64_8.dll" or one of its dependencies.'
BEFORE, AFTER = "$ python finetune.py --batch 16", "Exited with status 1"
LINES = (CUDNN, CUBLAS, KERNEL, DLL)


def _in_log(text: str) -> str:
    return f"{BEFORE}\n{text}\n{AFTER}\n"


def _first(text: str) -> str:
    found = codes(_in_log(text))
    assert found, text
    return found[0]


def _hard(text: str, width: int, indent: str = "") -> str:
    return ("\n" + indent).join(text[i : i + width] for i in range(0, len(text), width))


@pytest.mark.parametrize("line", LINES)
@pytest.mark.parametrize("width", [41, 60, 73, 80, 100])
def test_a_line_cut_at_any_column_mid_word_reads_as_the_line(line: str, width: int) -> None:
    assert _first(_hard(line, width)) == _first(line)


@pytest.mark.parametrize("line", LINES)
@pytest.mark.parametrize("width", [50, 64, 80])
@pytest.mark.parametrize("indent", ["", "    ", "\t"])
def test_a_line_wrapped_at_words_with_or_without_an_indent_reads_as_the_line(line: str, width: int, indent: str) -> None:
    wrapped = "\n".join(textwrap.wrap(line, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False))
    assert _first(wrapped) == _first(line)


def test_a_column_cut_with_an_indent_reads_as_the_line() -> None:
    assert _first(_hard(CUDNN, 80, "    ")) == "CUDNN_MISMATCH"


def test_the_mid_word_cut_that_a_study_found_unread_is_read() -> None:
    # The message cut at an odd column (its time stamp taken off by the reporter), inside a markdown fence.
    cut = ("```\nE tensorflow/stream_executor/cuda/cuda_dnn.cc:328] Loaded runtime CuDNN l\n"
           "ibrary: 8.0.4 but source was compiled with: 8.1.0.  CuDNN library needs to have matching major versi\n"
           "on and equal or higher minor version.\n```")
    assert codes(cut)[0] == "CUDNN_MISMATCH"
    # Before: the same text on one line said the same; the pieces alone say nothing.
    assert not codes("Loaded runtime CuDNN l\n") and not codes("ibrary: 8.0.4 but source was compiled wi\n")


def test_a_message_split_at_its_clause_onto_an_indented_line_is_read() -> None:
    split = CUBLAS.replace(": cannot", ":\n    cannot")
    assert _first(split) == _first(CUBLAS)


@pytest.mark.parametrize("line", LINES)
def test_a_captured_output_in_a_json_string_reads_its_lines(line: str) -> None:
    dumped = json.dumps({"status": "failed", "stderr": f"Traceback (most recent call last):\n  File \"finetune.py\", line 9\n{line}\n"})
    assert "\n" not in dumped
    assert _first(dumped) == _first(line)


@pytest.mark.parametrize("line", LINES)
def test_a_captured_output_in_a_python_repr_reads_its_lines(line: str) -> None:
    shown = "CalledProcessError: output=" + repr(f"epoch 0\n{line}\ndone")
    assert _first(shown) == _first(line)


def test_literal_line_ends_split_only_a_quoted_string() -> None:
    assert literal_lines("'a line\\nRuntimeError: x'") == ("'a line", "RuntimeError: x'")
    assert literal_lines("printf \\n without a quote") == ()
    assert literal_lines("no escapes at all: 'x'") == ()


def test_a_windows_path_whose_backslash_n_is_no_line_end_reads_as_before() -> None:
    # "\nvidia" in a quoted Windows path is split as if it ended a line: the line as written still gives its reading.
    path = DLL.replace("D:\\envs\\sd", "C:\\nvidia\\sd")
    assert codes(_in_log(path)) == codes(_in_log(DLL))


# --- quiet: lines that are not one message ---------------------------------------------------------------------

def _joined(text: str) -> list[str]:
    return [j.signature.id for j in wrapped_matches(text.split("\n"), Matcher(catalogue()))]


def test_a_prompt_and_its_answer_are_not_joined() -> None:
    # The answer readers read a typed query and its answer; the layout reader leaves them alone.
    assert _joined(">>> print(tf.config.list_physical_devices('GPU'))\n[]") == []
    assert not continues("$ nvidia-smi --query-gpu=name --format=csv", "name")


def test_two_records_of_a_log_are_not_joined() -> None:
    log = ("2023-05-01 10:00:00.101: W tensorflow/core/platform/env.cc:12] Could not load dynamic\n"
           "2023-05-01 10:00:00.102: I tensorflow/core/platform/env.cc:13] library versions are listed below")
    assert _joined(log) == []
    assert not continues("[INFO] loading the model from /models/unet.ckpt now", "[INFO] CUDA error: none")


def test_a_whole_message_is_not_extended_with_the_next_line() -> None:
    # The message is all on its line: an indented note after it is not read as more of its error text.
    assert _joined("RuntimeError: CUDA error: out of memory\n    while running the warm-up step") == []
    assert _joined(f"{CUBLAS}\n    (seen after upgrading the image)") == []


def test_a_sentence_that_ended_is_not_continued_by_a_capitalised_line() -> None:
    assert not continues("I reinstalled everything and the training still runs on the CPU.", "Then I tried the other image")
    # A cut just after a dot inside a name goes on in lower case.
    assert continues("ImportError: [pid=4242] libcudart.", "so.12: cannot open shared object file")


def test_a_short_label_does_not_go_on_in_the_next_line() -> None:
    assert not continues("Environment:", "CUDA error: no kernel image is available for execution on the device")


def test_a_quoted_message_is_judged_as_the_same_message_on_one_line() -> None:
    # A question quoting the message: what is said of it does not change because the paste cut it.
    one = f'Does anyone know why I get "{KERNEL}" after the upgrade?'
    cut = "\n".join(textwrap.wrap(one, 60))
    assert codes(cut) == codes(one)


# --- a message's tail or head cut off (signature data: ``head`` / ``tail``) ------------------------------------

def _cut_tail(sig_pattern_tail: str, line: str) -> str | None:
    import re

    m = re.search(sig_pattern_tail, line)
    return line[: m.start()] if m else None


def test_a_message_whose_tail_a_paste_cut_reads_as_the_whole_one() -> None:
    cut_ones = [s for s in catalogue().signatures if s.tail]
    assert cut_ones
    for sig in cut_ones:
        for line in (sig.example, *(x.line for x in sig.seen)):
            cut = _cut_tail(sig.tail, line)
            if cut is None:
                continue
            assert sig.regex.search(cut), (sig.id, cut)
            # With a stop or a closing quote a paste leaves, too.
            assert sig.regex.search(cut + '."'), (sig.id, cut)
            assert codes(_in_log(cut))[:1] == codes(_in_log(line))[:1], sig.id


def test_a_core_followed_by_other_words_is_not_the_message() -> None:
    # The core goes on with words that are not its tail: no cut, another sentence.
    for sig in (s for s in catalogue().signatures if s.tail):
        cut = _cut_tail(sig.tail, sig.example)
        if cut is None:
            continue
        assert not sig.regex.search(cut + " when the cache is cold, which is expected"), sig.id


def test_written_by_hand_cut_lines() -> None:
    assert codes("Could not load library cudnn_ops_infer64_8.dll\n")[0] == "CUDNN_MISSING"
    # A sentence naming the file as not loadable is read in any wording since session 26 (LOG-LIB-FILE-NOT-FOUND).
    assert codes("Could not load library cudnn_ops_infer64_8.dll from the folder I gave it\n")[0] == "CUDNN_MISSING"
    ignoring = ("I tensorflow/core/common_runtime/gpu/gpu_device.cc:1700] Ignoring visible gpu device (device: 0, name: "
                "GeForce GT 730, pci bus id: 0000:01:00.0, compute capability: 3.5) with Cuda compute capability 3.5\n")
    assert codes(ignoring)[0] == "GPU_NOT_SUPPORTED"


def test_a_tail_or_head_that_does_not_bound_the_pattern_is_refused() -> None:
    import re

    from whygpu.explain.catalogue import _optional_ends

    made = re.compile(_optional_ends("X", "core words: (?P<v>\\d+)", None, ": (?P<v>\\d+)"))
    assert made.search("core words: 12")["v"] == "12"
    assert made.search("core words.") and made.search('"core words" it said')
    assert not made.search("core words and more")
    with pytest.raises(ValueError):
        _optional_ends("X", "core words: tail", None, "not its end")
    with pytest.raises(ValueError):
        _optional_ends("X", "one|other tail", None, " tail")  # the core's alternative would swallow the tail's choice
    with pytest.raises(ValueError):
        _optional_ends("X", "head core", "not its start", None)


def test_a_message_whose_head_a_paste_cut_reads_as_the_whole_one() -> None:
    import re

    cut_ones = [s for s in catalogue().signatures if s.head]
    assert cut_ones
    for sig in cut_ones:
        for line in (sig.example, *(x.line for x in sig.seen)):
            m = re.search(sig.head, line)
            if m is None:
                continue
            cut = line[m.end():]
            assert sig.regex.search(cut), (sig.id, cut)
            assert codes(_in_log(cut))[:1] == codes(_in_log(line))[:1], sig.id
            # Words before the core that are not its head: another sentence, not the message cut.
            assert not sig.regex.search("the page says " + cut), sig.id


def test_a_core_quoted_in_prose_without_its_head_or_tail_is_read_where_the_sentence_asserts_it() -> None:
    # Quoted by the reporter, the program's prompt or trailing clause left out: the quote bounds the message.
    assert "FRAMEWORK_CPU_BUILD" in codes("Since the update the web UI starts up with `Using device_type cpu` and is slow.\n")
    assert codes('I keep getting "Could not load library cudnn_ops_infer64_8.dll" on start.\n')[0] == "CUDNN_MISSING"
    # The same quote in a yes/no question, a condition or advice: nothing happened.
    for text in ('Does "Could not load library cudnn_ops_infer64_8.dll" mean the file is missing?\n',
                 'If it prints "Could not load library cudnn_ops_infer64_8.dll", you should reinstall cuDNN.\n',
                 "If the log says `Using device_type cpu`, install the CUDA wheel.\n"):
        assert codes(text) == [], text
    # Without a quote or the line's start at the core, the words are prose.
    assert codes("it says it is using device_type cpu here\n") == []


def test_a_wildcard_of_a_pattern_does_not_glue_two_records_across_a_cut() -> None:
    # pip's indented sub-lines are records of their own: the +cpu build below is the one REMOVED, not installed.
    from whygpu.explain import explain_text

    log = ("Installing collected packages: torch\n"
           "  Attempting uninstall: torch\n"
           "    Found existing installation: torch 2.0.1+cpu\n"
           "      Successfully uninstalled torch-2.0.1+cpu\n"
           "Successfully installed torch-2.0.1+cu118\n")
    assert "LOG-PIP-INSTALLED-CPU" not in {f.id for f in explain_text(log).findings}
    # The same signature still reads its own line whole.
    assert "LOG-PIP-INSTALLED-CPU" in {f.id for f in explain_text("Successfully installed torch-2.0.1+cpu\n").findings}


def test_the_wildcards_of_a_pattern_are_found_outside_classes_and_escapes() -> None:
    from whygpu.explain.layout import _gapped

    assert _gapped(r"a (?:.* )?b\.*[.*]c.+?d.{2,5}e") == r"a (?:(?P<_gap0>.*) )?b\.*[.*]c(?P<_gap1>.+?)d(?P<_gap2>.{2,5})e"
