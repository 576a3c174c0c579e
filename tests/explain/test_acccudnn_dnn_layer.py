"""acccudnn (session 33): cuDNN as one layer with states (knowledge/cudnn.toml, knowledge.cudnn), the rule that decides an
open cuDNN failure by the log's facts (explain/cudnnrules.py: LOG530), the signatures of TensorFlow's own words for cuDNN not
started (LOG-DNN-IMPL-NOT-FOUND, LOG-DNN-LAUNCH-FAILURE), and the signatures that name a cuDNN state (``cudnn_state``).

Real lines carry their public source; a line marked "constructed" keeps a real line's form with other numbers.
"""

from __future__ import annotations

import copy

import pytest

from log_text import codes, facts, finding_codes, first_cause
from whygpu.explain import explain_text
from whygpu.explain.catalogue import catalogue, load_data, parse_catalogue
from whygpu.knowledge.cudnn import (
    build_cudnn,
    compatible,
    cudnn_state,
    memory_taken,
    mismatch_state,
    states,
)

# https://github.com/conda-forge/jaxlib-feedstock/issues/312 (a conda-forge jaxlib whose cuDNN lost its pin: another cuDNN)
JAXLIB_FREE = """E0515 10:03:24.130426   19611 cuda_dnn.cc:534] Could not create cudnn handle: CUDNN_STATUS_INTERNAL_ERROR
E0515 10:03:24.130458   19611 cuda_dnn.cc:538] Memory usage: 7973961728 bytes free, 8198619136 bytes total.
jax:    0.5.2
jaxlib: 0.5.2
"""
# Constructed: the same two lines with almost none of the memory free.
JAX_TAKEN = """E0515 10:03:24.130426   19611 cuda_dnn.cc:534] Could not create cudnn handle: CUDNN_STATUS_INTERNAL_ERROR
E0515 10:03:24.130458   19611 cuda_dnn.cc:538] Memory usage: 104857600 bytes free, 8198619136 bytes total.
"""
# https://github.com/jax-ml/jax/issues/16901 (the version line decides: LOG-TF-CUDNN-VERSION)
JAX_VERSION_LINE = """2023-07-31 01:53:45.016563: E external/xla/xla/stream_executor/cuda/cuda_dnn.cc:427] Loaded runtime CuDNN library: 8.5.0 but source was compiled with: 8.6.0.  CuDNN library needs to have matching major version and equal or higher minor version.
2023-07-31 01:53:45.016610: E external/xla/xla/stream_executor/cuda/cuda_dnn.cc:439] Could not create cudnn handle: CUDNN_STATUS_INTERNAL_ERROR
2023-07-31 01:53:45.016620: E external/xla/xla/stream_executor/cuda/cuda_dnn.cc:443] Memory usage: 7973961728 bytes free, 8198619136 bytes total.
jaxlib.xla_extension.XlaRuntimeError: FAILED_PRECONDITION: DNN library initialization failed. Look at the errors above for more details.
"""
# https://github.com/tensorflow/tensorflow/issues/57198 (Colab's image under TensorFlow 2.9: libcudnn8 8.1 fixed it)
COLAB_RNN = """### Tensorflow Version

2.9

Encountering this error suddenly on a notebook that was previously working. To my knowledge Google Colab did not switch GPU driver version or TF/Keras version.

UnknownError: Graph execution error:

Fail to find the dnn implementation.
\t [[{{node CudnnRNN}}]]
"""
# The same error with no notebook named (https://github.com/minimaxir/textgenrnn/issues/81's title).
RNN_ALONE = "UnknownError (see above for traceback): Fail to find the dnn implementation."


def test_every_state_names_a_known_cause_a_fix_a_check_and_a_sourced_example() -> None:
    ids = {s.id for s in states()}
    assert {"missing", "not_on_path", "sublib_missing", "version_older", "version_other_major", "not_initialised",
            "memory_taken", "notebook_image", "arch_unsupported"} <= ids
    for state in states():
        assert state.fix and state.decide and state.example and state.source.startswith("https://")
        assert "None" not in state.fix and "None" not in state.decide


_STATE_ROWS = [row for row in load_data()["signature"] if row.get("cudnn_state")]


@pytest.mark.parametrize("row", _STATE_ROWS, ids=[str(r["id"]) for r in _STATE_ROWS])
def test_a_signature_names_a_state_of_its_own_cause_and_takes_what_it_does_not_write(row: dict) -> None:
    state = cudnn_state(str(row["cudnn_state"]))
    assert state.cause == row["cause"], (row["id"], state.cause, row["cause"])
    sig = catalogue().by_id[str(row["id"])]
    assert sig.fix == (row.get("fix") or state.fix)
    assert sig.decide == (row.get("decide") or state.decide)
    assert sig.state == f"cudnn:{state.id}"


def test_an_unknown_cudnn_state_is_refused_when_the_catalogue_is_read() -> None:
    data = copy.deepcopy(load_data())
    row = next(r for r in data["signature"] if r["id"] == "LOG-TF-CUDNN-VERSION")
    row["cudnn_state"] = "no_such_state"
    with pytest.raises(ValueError, match="unknown cuDNN state"):
        parse_catalogue(data)


@pytest.mark.parametrize(("framework", "built", "loaded", "ok"), [
    ("tensorflow", "8.1.0", "8.0.5", False),  # Colab 2021-2022
    ("tensorflow", "8.1.0", "8.6.0", True),   # a newer minor of the same major works
    ("tensorflow", "8.9", "9.3.0", False),    # another major never does
    ("torch", "(8, 5, 0)", "(8, 3, 3)", False),
    ("jax", "8906", "8600", False),           # packed versions (JAX's message)
    ("jax", "91002", "90100", False),         # cuDNN 9's packing
    ("jax", "8.9", "8.9.7", True),
])
def test_compatibility_is_each_frameworks_own_rule(framework: str, built: str, loaded: str, ok: bool) -> None:
    assert compatible(framework, built, loaded) is ok


def test_the_state_of_a_loaded_cudnn_against_the_build() -> None:
    assert mismatch_state("9.13.1", "9.10.1") == "version_older"
    assert mismatch_state("8.6", "9.5") == "version_other_major"
    assert mismatch_state("8.1", "8.6") is None
    assert compatible("tensorflow", "8.1", "garbage") is None


def test_memory_is_taken_only_when_almost_none_is_free() -> None:
    assert memory_taken(7973961728, 8198619136) is False
    assert memory_taken(2624061440, 12524191744) is False  # a quarter left by JAX's own reservation is not taken
    assert memory_taken(104857600, 8198619136) is True
    assert memory_taken(1, 0) is None


def test_the_cudnn_a_framework_version_was_built_with() -> None:
    assert build_cudnn("tensorflow", "2.9.1") == "8.1"
    assert build_cudnn("jax", "0.4.7+cuda11.cudnn86") == "8.6"
    assert build_cudnn("jax", "0.4.30") is None
    assert build_cudnn("torch", "2.4.0") is None


def test_xlas_memory_line_is_a_fact() -> None:
    assert [s.value for s in facts(JAXLIB_FREE).cudnn_memory] == ["7973961728/8198619136"]
    assert not facts("Memory usage: 12 MiB").cudnn_memory


def test_a_handle_not_created_with_the_memory_free_is_another_cudnn_first() -> None:
    assert first_cause(JAXLIB_FREE) == "CUDNN_MISMATCH"
    assert "LOG530" in finding_codes(JAXLIB_FREE)
    finding = next(f for f in explain_text(JAXLIB_FREE).findings if f.id == "LOG530")
    assert "97% of the GPU's memory free" in finding.title
    assert "To tell the causes apart:" in finding.fix
    assert "GPU_BUSY" in codes(JAXLIB_FREE)  # the alternative stays ranked


def test_a_handle_not_created_with_the_memory_taken_is_memory() -> None:
    assert first_cause(JAX_TAKEN) == "GPU_BUSY"
    finding = next(f for f in explain_text(JAX_TAKEN).findings if f.id == "LOG530")
    assert finding.cause == "GPU_BUSY"
    assert "XLA_PYTHON_CLIENT_PREALLOCATE=false" in finding.fix


def test_a_line_with_both_versions_decides_and_the_rule_stays_quiet() -> None:
    assert first_cause(JAX_VERSION_LINE) == "CUDNN_MISMATCH"
    assert "LOG530" not in finding_codes(JAX_VERSION_LINE)


def test_the_rnn_kernels_words_on_a_hosted_notebook_are_the_images_cudnn() -> None:
    assert first_cause(COLAB_RNN) == "CUDNN_MISMATCH"
    assert {"LOG-DNN-IMPL-NOT-FOUND", "LOG530"} <= finding_codes(COLAB_RNN)
    finding = next(f for f in explain_text(COLAB_RNN).findings if f.id == "LOG530")
    assert "Colab" in finding.title
    assert "TensorFlow 2.9 was built with cuDNN 8.1" in finding.fix


def test_the_rnn_kernels_words_alone_rank_without_the_notebook_reading() -> None:
    assert first_cause(RNN_ALONE) == "CUDNN_MISMATCH"
    assert "LOG530" not in finding_codes(RNN_ALONE)
    assert {"CUDNN_MISSING", "GPU_BUSY"} <= set(codes(RNN_ALONE))


def test_a_cudnn_launch_failure_reads_as_another_cudnn_with_memory_after_it() -> None:
    # https://github.com/carpedm20/DCGAN-tensorflow/issues/312
    line = "InternalError (see above for traceback): cuDNN launch failure : input shape ([64,1024,1,1])"
    assert codes(line)[:2] == ["CUDNN_MISMATCH", "GPU_BUSY"]
    assert "LOG-DNN-LAUNCH-FAILURE" in finding_codes(line)


def test_the_writers_short_form_of_dnn_library_not_found() -> None:
    # https://github.com/googlecolab/colabtools/issues/3058
    assert first_cause("simple_audio.ipynb is broken. Says DNN library not found.") == "CUDNN_MISMATCH"


def test_a_handle_failure_on_colab_stays_with_memory_first() -> None:
    # A TensorFlow 1 handle failure names no memory line; on a notebook it keeps its signature's order (constructed from
    # tensorflow/tensorflow#14111's line and a Colab path).
    text = ("2017-10-30 17:55:23.525428: E tensorflow/stream_executor/cuda/cuda_dnn.cc:371] could not create cudnn handle: "
            "CUDNN_STATUS_INTERNAL_ERROR\n  File \"/usr/local/lib/python3.7/dist-packages/tensorflow/python/client/session.py\"\n"
            "I run this on Google Colab in /content/drive\n")
    assert "LOG530" not in finding_codes(text)


@pytest.mark.parametrize("text", [
    # LOG-TF2-CUDNN-LOADED's example line (its source in signatures.toml)
    "2023-05-17 05:35:42.665202: I tensorflow/compiler/xla/stream_executor/cuda/cuda_dnn.cc:424] Loaded cuDNN version 8800",
    # https://github.com/noahchalifour/rnnt-speech-recognition/issues/26 (the line's form, with cuDNN's soname)
    "2020-05-15 15:31:45.429342: I tensorflow/stream_executor/platform/default/dso_loader.cc:44] Successfully opened dynamic library libcudnn.so.7",
    # https://github.com/jax-ml/jax/issues/21396 (the memory line alone is no failure)
    "E0611 08:35:28.413482  146213 cuda_dnn.cc:539] Memory usage: 15993929728 bytes free, 17179344896 bytes total.",
])
def test_benign_cudnn_lines_stay_quiet(text: str) -> None:
    assert codes(text) == []
    assert "LOG530" not in finding_codes(text)


@pytest.mark.parametrize(("text", "colab"), [
    ("Even after resetting the runtime in the collab notebook I was still getting the same error.", True),  # colabtools#384
    ("When I select GPU as the runtime in Collaboratory and run it, it gives the following errors:", True),  # colabtools#3086
    ("we collab on this project with another lab", False),
])
def test_colab_spelt_with_two_ls_names_the_service_only(text: str, colab: bool) -> None:
    assert (facts(text).platform_name() == "colab") is colab


def test_xlas_memory_line_alone_on_its_line_is_read() -> None:
    assert [s.value for s in facts("Memory usage: 7973961728 bytes free, 8198619136 bytes total.").cudnn_memory] == [
        "7973961728/8198619136"]


def test_one_test_of_memory_in_use_serves_both_readings() -> None:
    """A quarter of a GPU's memory in use (nvidia-smi's used / total) is memory in use; less, or no number, is not."""
    from whygpu.explain.logfacts import LogFacts, memory_in_use

    def with_table(*values: str) -> LogFacts:
        facts = LogFacts()
        for value in values:
            facts.add("gpu_memory", value, "log:1", "|  4000MiB / 16000MiB |")
        return facts

    assert memory_in_use(with_table("4000/16000"))
    assert not memory_in_use(with_table("3000/16000"))
    assert not memory_in_use(with_table("n/a/16000")) and memory_in_use(with_table("n/a/16000", "9000/16000"))
    assert not memory_in_use(LogFacts())
