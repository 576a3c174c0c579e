"""accnodev (session 33): one meaning, one pattern ("no GPU found"), and the small mends the reviews noted.

1. ``grammar.NO_DEVICE_WORDS``: the one pattern of "no GPU/device found, detected or available", shared by the fallback
   reader (``explain.fallback``) and the words reader (``explain.errorwords``), each keeping its own context checks.
2. ``errorwords._PROSE`` reads the writer's "My ...", "How to ..." in any case.
3. A framework's GPU build beside its CPU twin: the fix with the release the log shows and the check that decides.
4. LOG112's fix follows the program the facts show, or says it generally.

Every line is written from the form a program prints (or a writer words) the message in; none is pasted from a corpus log
or an issue thread.
"""

from __future__ import annotations

import pytest

from log_text import codes, facts, report
from whygpu.explain import errorwords, fallback, grammar, installstate
from whygpu.knowledge.cpu_packages import framework_named, gpu_build_instead
from whygpu.knowledge.python_layouts import same_import_groups, twin_repair

# --- 1. one pattern for one meaning -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("words", "kind"), [
    ("No GPU found, use CPU instead", "nd_absent"),
    ("no GPU or NPU found, use CPU instead", "nd_absent"),
    ("no CUDA-capable device is detected", "nd_absent"),
    ("No NVIDIA GPU detected", "nd_absent"),
    ("there are no devices supporting CUDA", "nd_absent"),
    ("Unable to find a GPU on this host", "nd_absent"),
    ("没有发现支持的N卡", "nd_absent"),
    ("CUDA not available - defaulting to CPU", "nd_unavailable"),
    ("Neither CUDA nor MPS are available", "nd_unavailable"),
    ("torch.cuda.is_available() returned False", "nd_unavailable"),
    ("No GPU acceleration available", "nd_unavailable"),
])
def test_the_one_pattern_reads_each_form_and_says_which_kind(words: str, kind: str) -> None:
    m = grammar.no_device(words)
    assert m is not None and m.lastgroup == kind


@pytest.mark.parametrize("words", [
    "No devices found",                   # some device's: an audio or input device
    "No audio devices were detected",
    "the GPU was found and used",
    "no errors found",
])
def test_the_one_pattern_stays_quiet_on_other_devices_and_other_words(words: str) -> None:
    assert grammar.no_device(words) is None


def test_both_readers_use_the_one_pattern() -> None:
    # The words reader embeds it as its no_device predicate; the fallback reader asks grammar.no_device for its reason.
    assert grammar.NO_DEVICE_WORDS in errorwords._PREDICATES.pattern
    assert not hasattr(fallback, "_NO_DEVICE")


@pytest.mark.parametrize("line", [
    # forms the fallback reader did not read before (the words reader's scope): a device named as CUDA's, a failure to find
    "[warn] no CUDA-capable device is detected, falling back to the CPU",
    "WARNING: failed to detect a GPU, falling back to CPU",
    # and its own forms
    "WARNING:app:No GPU found, use CPU instead",
    "WARNING: no GPU or NPU found, use CPU instead",
])
def test_the_fallback_reads_the_union(line: str) -> None:
    found = list(fallback.fallbacks([line]))
    assert [f.reason for f in found] == [fallback.NO_DEVICE]


def test_the_fallback_keeps_a_bare_device_unread_as_a_reason() -> None:
    # "No devices found" names no accelerator: the fallback is read, its reason not the GPU's.
    found = list(fallback.fallbacks(["WARNING: No devices found, using CPU"]))
    assert [f.reason for f in found] == [fallback.NONE]


@pytest.mark.parametrize("line", [
    "W0101 12:00:00.100 123 device.cc:12] No GPU found",
    "ERROR: no GPU or NPU found on this node",
])
def test_the_words_reader_reads_a_device_found_absent(line: str) -> None:
    reading = errorwords.read_line(line)
    assert reading is not None and reading.predicate == "no_device" and reading.pair.cause == "GPU_HIDDEN"


@pytest.mark.parametrize("line", [
    "ERROR: CUDA is not available on this machine",          # the framework's answer: LOG104 ranks its causes
    "ERROR: torch.cuda.is_available() returned False",
    "ERROR: No devices found",                                # some device's
    "ERROR: no NPU found on this node",                       # not CUDA's device (this reader's row is cudaErrorNoDevice)
])
def test_the_words_reader_keeps_its_own_checks(line: str) -> None:
    assert errorwords.read_line(line) is None


# --- 2. the writer's words in any case --------------------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "Error: My GPU is not supported by this build",
    "ERROR: My CUDA driver is too old",
    "Failed to run: My cuDNN is missing",
    "RuntimeError: My GPU is not supported",
    "Error: How to fix CUDA toolkit not found",
    "Error: i'm getting cuDNN not found",
])
def test_a_capitalised_first_person_or_how_is_prose(line: str) -> None:
    assert errorwords.read_line(line) is None
    assert errorwords.read_line(line.replace("My", "my").replace("How", "how")) is None


@pytest.mark.parametrize("line", [
    "RuntimeError: GPU is not supported",
    "ERROR: CUDA driver is too old",
    "MyApp ERROR: CUDA driver is too old",                    # a program's name that starts with My
])
def test_a_program_line_without_the_writer_is_read(line: str) -> None:
    assert errorwords.read_line(line) is not None


# --- 3. a GPU build beside its CPU twin: the fix with the release shown, and the check -----------------------------------

_PADDLE_PAIR = """$ pip list | grep paddle
paddlepaddle             2.5.1
paddlepaddle-gpu         2.5.1.post117
$ python train.py
E0714 16:34:40.972663 31948 pybind.cc:1277] Cannot use GPU because you have installed CPU version PaddlePaddle.
"""


def test_the_paddle_pair_is_read_as_an_install_broken_first_with_the_exact_fix() -> None:
    r = report(_PADDLE_PAIR)
    assert [c.code for c in r.causes][:2] == ["FRAMEWORK_INSTALL_BROKEN", "FRAMEWORK_CPU_BUILD"]
    fix = r.causes[0].fix
    assert "pip uninstall paddlepaddle paddlepaddle-gpu && pip install paddlepaddle-gpu==2.5.1.post117" in fix
    assert 'python -c "import paddle; paddle.utils.run_check()"' in fix
    assert "None" not in fix and "tensorflow" not in fix.lower()
    # the CPU build's own advice names PaddlePaddle's GPU build, not TensorFlow's, PyTorch's or JAX's
    assert "tensorflow" not in r.causes[1].fix.lower() and "paddlepaddle-gpu" in r.causes[1].fix


def test_the_paddle_gpu_build_alone_keeps_the_cpu_build_first() -> None:
    # No twin shown: the framework's own words that its build has no CUDA stand first.
    alone = _PADDLE_PAIR.replace("paddlepaddle             2.5.1\n", "")
    assert codes(alone)[0] == "FRAMEWORK_CPU_BUILD"


def test_the_onnxruntime_pair_fix_names_the_release_shown() -> None:
    text = ("$ pip list\nonnxruntime              1.19.0\nonnxruntime-gpu          1.19.0\n"
            ">>> ort.get_available_providers()\n['AzureExecutionProvider', 'CPUExecutionProvider']\n")
    r = report(text)
    assert r.causes[0].code == "FRAMEWORK_INSTALL_BROKEN"
    assert "pip uninstall onnxruntime onnxruntime-gpu && pip install onnxruntime-gpu==1.19.0" in r.causes[0].fix
    assert "get_available_providers()" in r.causes[0].fix


def test_the_tensorflow_pair_fix_names_the_release_shown() -> None:
    text = "$ pip list\ntensorflow-cpu 2.10.0\ntensorflow-gpu 2.10.0\nNum GPUs Available: 0\n"
    fixes = [c.fix for c in report(text).causes if c.code == "FRAMEWORK_INSTALL_BROKEN"]
    assert fixes and "pip uninstall tensorflow tensorflow-cpu tensorflow-gpu && pip install tensorflow-gpu==2.10.0" in fixes[0]


def test_without_a_release_shown_the_repair_names_none() -> None:
    group = next(g for g in same_import_groups() if g.group == "paddle")
    text = twin_repair(group, "paddlepaddle-gpu", ["paddlepaddle"], None)
    assert text.startswith("pip uninstall paddlepaddle paddlepaddle-gpu && pip install paddlepaddle-gpu;")
    assert "None" not in text and "==" not in text


@pytest.mark.parametrize(("row", "name", "version"), [
    ("paddlepaddle-gpu         2.5.1.post117", "paddlepaddle-gpu", "2.5.1.post117"),
    ("Successfully installed onnxruntime-gpu-1.16.3 numpy-1.26.4", "onnxruntime-gpu", "1.16.3"),
    ("tensorflow-gpu==2.4.1", "tensorflow-gpu", "2.4.1"),
    ("onnxruntime_gpu 1.16.3 py310h", "onnxruntime-gpu", "1.16.3"),
    ("paddlepaddle-gpu         2.5.1.post117", "paddlepaddle", None),   # the twin's name is not the GPU build's
])
def test_the_release_a_row_shows(row: str, name: str, version: str | None) -> None:
    assert installstate.member_version(row, name) == version


def test_a_pair_not_shown_together_does_not_demote_the_cpu_build() -> None:
    f = facts("$ pip list\npaddlepaddle-gpu         2.5.1.post117\n")
    from whygpu.explain.ruleout import shown_facts

    assert "gpu_twin_pair" not in shown_facts(f)


# --- 4. LOG112's fix follows the program the facts show -----------------------------------------------------------------


def _log112_fix(text: str) -> str:
    r = report(text)
    cause = next(c for c in r.causes if "LOG112" in c.findings)
    return cause.fix


def test_log112_names_the_program_its_sentence_names() -> None:
    fix = _log112_fix("When I pip install paddlehub, the system installed the paddlepaddle with cpu version. The GPU is not used.")
    assert "paddlepaddle-gpu" in fix and "tensorflow" not in fix.lower() and "torch" not in fix.lower()


def test_log112_keeps_the_exact_fix_of_tensorflow() -> None:
    fix = _log112_fix("When I pip install the keras version. The system installed the tensorflow with cpu version.")
    assert "tensorflow" in fix and "torch" not in fix.lower() and "jax" not in fix.lower()


def test_log112_says_it_generally_when_no_program_is_named() -> None:
    fix = _log112_fix("The installer put a CPU-only build on my machine, so the GPU is not used.")
    assert "tensorflow" not in fix.lower() and "torch" not in fix.lower() and "jax" not in fix.lower()
    assert "GPU (CUDA) build" in fix


@pytest.mark.parametrize(("text", "framework"), [
    ("the system installed the paddlepaddle with cpu version", "paddle"),
    ("pip installed onnxruntime (CPU)", "onnxruntime"),
    ("I installed faiss-cpu", "faiss"),
    ("torch and tensorflow are CPU builds", None),          # two named: not decided
    ("it installed the cpu build", None),
])
def test_the_framework_a_sentence_names(text: str, framework: str | None) -> None:
    assert framework_named(text) == framework
    if framework:
        assert gpu_build_instead(framework)
