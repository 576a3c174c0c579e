"""acctrain41 (session 41): a build helper's note that it accepts the CUDA toolkit of another release it found (DeepSpeed's op
builder, torch.utils.cpp_extension) is its verdict, not a mismatch; the toolkit's headers missing from a toolkit of another
release than torch's are the wrong toolkit (knowledge/extension_builds.toml accepted_note, other_release; LOG520).

Real lines carry their public source in a comment; each reading has a case where it speaks and one where it stays quiet."""

from __future__ import annotations

from tests.log_text import report

from whygpu.explain.versionfacts import built_found
from whygpu.knowledge.extension_builds import accepted_note, state_for_toolkit, state_of_signature

# https://github.com/deepspeedai/DeepSpeed/issues/2684 (a comment's log)
DS_NOTE = ("Installed CUDA version 11.2 does not match the version torch was compiled with 11.6 but since the APIs are compatible, "
           "accepting this combination")
# DeepSpeed's op builder when the pair is not accepted (op_builder/builder.py, assert_no_cuda_mismatch);
# https://github.com/JIA-Lab-research/MGM/issues/91
DS_REFUSED = ("deepspeed.ops.op_builder.builder.CUDAMismatchException: >- DeepSpeed Op Builder: Installed CUDA version 12.2 does not match "
              "the version torch was compiled with 11.7, unable to compile cuda/cpp extensions without a matching cuda version.")
# torch.utils.cpp_extension's minor-mismatch warning (CUDA_MISMATCH_WARN, https://github.com/pytorch/pytorch/blob/main/torch/utils/cpp_extension.py),
# as a build of llm-awq printed it
TORCH_MINOR = ("/home/eric/llm-awq/.venv/lib/python3.10/site-packages/torch/utils/cpp_extension.py:388: UserWarning: The detected CUDA "
               "version (11.8) has a minor version mismatch with the version that was used to compile PyTorch (11.7). Most likely this "
               "shouldn't be a problem.")


# --- the knowledge: the helper's own verdict, and the state where the toolkit is of another release -------------------------

def test_accepted_note_is_the_helpers_verdict_and_a_refusal_is_not() -> None:
    assert accepted_note(DS_NOTE) and accepted_note(TORCH_MINOR)
    assert not accepted_note(DS_REFUSED)
    # torch's error for another major (CUDA_MISMATCH_MESSAGE) is no verdict of acceptance
    assert not accepted_note("RuntimeError: The detected CUDA version (12.2) mismatches the version that was used to compile PyTorch (11.8). "
                             "Please make sure to use the same CUDA versions.")


def test_an_accepted_note_is_not_read_as_a_pair_built_and_found() -> None:
    assert built_found(DS_NOTE) is None and built_found(TORCH_MINOR) is None
    assert built_found(DS_REFUSED) is not None  # the refusal still states a mismatch


def test_headers_missing_becomes_the_toolkit_of_another_release_only_where_both_releases_are_shown() -> None:
    headers = state_of_signature("LOG-EXT-CUDA-HEADERS-MISSING")
    assert headers is not None and headers.cause == "CUDA_LIBS_MISSING"
    other = state_for_toolkit(headers, toolkit="11.2", torch_cuda="11.7")
    assert other.id == "toolkit_mismatch" and other.cause == "CUDA_LIBS_MISMATCH"
    assert state_for_toolkit(headers, toolkit="11.7", torch_cuda="11.7.1") is headers  # the same release: the headers are simply missing
    assert state_for_toolkit(headers, toolkit=None, torch_cuda="11.7") is headers
    assert state_for_toolkit(headers, toolkit="11.2", torch_cuda=None) is headers
    host = state_of_signature("LOG-EXT-HOST-COMPILER-UNSUPPORTED")
    assert host is not None and state_for_toolkit(host, toolkit="11.2", torch_cuda="11.7") is host  # a state without other_release keeps it


# --- the whole reading ---------------------------------------------------------------------------------------------------------

def test_the_accepted_note_alone_is_quiet() -> None:
    # https://github.com/haotian-liu/LLaVA/issues/367: the note, then the op builds and loads
    log = ("Installed CUDA version 11.3 does not match the version torch was compiled with 11.7 but since the APIs are compatible, "
           "accepting this combination\n"
           "Using /home/wangyh/.cache/torch_extensions/py310_cu117 as PyTorch extensions root...\n"
           "Building extension module cpu_adam...\n"
           "ninja: no work to do.\n"
           "Loading extension module cpu_adam...\n"
           "Time to load cpu_adam op: 2.6163582801818848 seconds\n")
    assert not report(log).causes


def test_the_note_beside_another_failure_is_not_a_cuda_mismatch() -> None:
    # https://github.com/deepspeedai/DeepSpeed/issues/3223 (a comment: Python's headers were missing; the maintainer: the DeepSpeed
    # line is only a warning; the reporter confirmed)
    log = ("Installed CUDA version 12.1 does not match the version torch was compiled with 11.8 but since the APIs are compatible, "
           "accepting this combination\n"
           "/home/ubuntuai/axolotl/.venv/lib/python3.10/site-packages/torch/include/torch/csrc/python_headers.h:12:10: fatal error: "
           "Python.h: No such file or directory\n")
    assert "CUDA_LIBS_MISMATCH" not in [c.code for c in report(log).causes]


def test_a_toolkit_header_missing_after_the_note_is_the_toolkit_of_another_release() -> None:
    # https://github.com/deepspeedai/DeepSpeed/issues/2684 (a comment's log, the note) with a header of the toolkit missing
    log = (DS_NOTE + "\n"
           "Using /home/jovyan/.cache/torch_extensions/py310_cu116 as PyTorch extensions root...\n"
           "Building extension module fused_adam...\n"
           "/opt/conda/envs/valle/lib/python3.10/site-packages/deepspeed/ops/csrc/includes/custom_cuda_layers.h:12:10: fatal error: "
           "cusolverDn.h: No such file or directory\n")
    causes = report(log).causes
    assert causes and causes[0].code == "CUDA_LIBS_MISMATCH"
    assert "DeepSpeed" in causes[0].title and "11.2" in causes[0].title and "11.6" in causes[0].title
    assert "CUDA_LIBS_MISSING" in [c.code for c in causes]  # the headers' own reading stays beside it


def test_a_toolkit_header_missing_without_another_release_stays_missing_headers() -> None:
    # https://github.com/wanghao9610/OV-DINO/issues/14 (fixed by exporting CUDA_HOME)
    log = (">>>python -m pip install -e detectron2-717ab9\n\n"
           "lib/python3.10/site-packages/torch/include/ATen/cuda/CUDAContext.h:10:10: fatal error: cusolverDn.h: No such file or directory\n")
    codes = [c.code for c in report(log).causes]
    assert codes and codes[0] == "CUDA_LIBS_MISSING" and "CUDA_LIBS_MISMATCH" not in codes


def test_cudnn_header_is_not_the_toolkits() -> None:
    # cuDNN's header is its own package's, not the CUDA toolkit's: not read as the toolkit's headers missing
    log = "/tmp/pip-build/src/conv.cu:3:10: fatal error: cudnn.h: No such file or directory\n"
    assert "LOG-EXT-CUDA-HEADERS-MISSING" not in [f for c in report(log).causes for f in c.findings]
