"""accext (session 33): a CUDA extension's build read as one layer with states (knowledge/extension_builds.toml,
explain/extbuild.py, explain/extrules.py LOG520, the LOG-EXT-* signatures).

Real lines carry their public source in a comment; each reading has a case where it speaks and one where it stays quiet."""

from __future__ import annotations

import re

import pytest
from tests.log_text import facts, report

from whygpu.explain.catalogue import catalogue
from whygpu.explain.extbuild import built_in_line, extension_in_line
from whygpu.knowledge._util import table_rows
from whygpu.knowledge.causes import is_cause_code
from whygpu.knowledge.extension_builds import (
    BuildState,
    extensions,
    state_of_signature,
    state_texts,
)


def build_states() -> list[BuildState]:
    """Every state of the table, each found through the accessor the rules use (by its first signature)."""
    states = [state_of_signature(str(row["signatures"][0])) for row in table_rows("extension_builds", "state") if row.get("signatures")]
    assert len(states) == len(table_rows("extension_builds", "state")), "a state without signatures"
    return [s for s in states if s is not None]


def _lead(text: str) -> tuple[str | None, str, str, tuple[str, ...]]:
    r = report(text)
    if not r.causes:
        return None, "", "", ()
    c = r.causes[0]
    return c.code, c.title, c.fix, c.findings


# --- the knowledge table -------------------------------------------------------------------------------------------

def test_every_state_names_a_cause_and_signatures_that_exist() -> None:
    ids = {s.id for s in catalogue().signatures}
    for state in build_states():
        assert is_cause_code(state.cause) and all(is_cause_code(a) for a in state.also)
        assert state.signatures and set(state.signatures) <= ids, state.id
        assert state.source.startswith("https://")
        for sig in state.signatures:
            assert state_of_signature(sig) is state


@pytest.mark.parametrize("torch_cuda,toolkit", [(None, None), ("12.1", "11.8")])
def test_state_texts_never_hold_placeholders(torch_cuda: str | None, toolkit: str | None) -> None:
    for state in build_states():
        for ext in (None, *extensions()):
            for text in state_texts(state, ext, torch_cuda=torch_cuda, toolkit=toolkit, gcc_max="11" if toolkit else None):
                assert "{" not in text and not re.search(r"\b(?:CUDA|version|release|gcc|torch|cu) ?None\b|\s\?(?:\s|$)", text), (state.id, text)


def test_fix_is_filled_with_the_logs_versions() -> None:
    state = next(s for s in build_states() if s.id == "toolkit_mismatch")
    flash = next(e for e in extensions() if e.name == "flash-attn")
    meaning, fix, _ = state_texts(state, flash, torch_cuda="12.1", toolkit="11.8")
    assert meaning == "the CUDA toolkit found is CUDA 11.8, torch was built with CUDA 12.1"
    assert "a toolkit of CUDA 12.1" in fix and "flash-attention/releases" in fix


# --- the extension a line names ------------------------------------------------------------------------------------

@pytest.mark.parametrize("line,name", [
    ("  Using cached flash_attn-2.6.1.tar.gz (2.6 MB)", "flash-attn"),  # https://github.com/2noise/ChatTTS/issues/595
    ("  ERROR: Failed building wheel for tinycudann", "tiny-cuda-nn"),  # https://github.com/nerfstudio-project/nerfstudio/issues/3191
    ('  File "/x/lib/python3.8/site-packages/mmcv/ops/nms.py", line 28, in forward', "mmcv"),
    ("      /tmp/pip-install-q7303r4m/mamba-ssm_4897e5fd75eb4e209afaa8571579274d/setup.py:77: UserWarning: mamba_ssm was requested", "mamba-ssm"),
    ("Exception: >- DeepSpeed Op Builder: Installed CUDA version 12.0 does not match the version torch was compiled with 11.8", "DeepSpeed"),
])
def test_extension_named_by_a_tools_line(line: str, name: str) -> None:
    found = extension_in_line(line)
    assert found is not None and found.name == name


@pytest.mark.parametrize("line", [
    "I have mmcv and detectron2 installed and they worked before",  # a name in prose places nothing
    "import flash_attn",
    '  File "/x/lib/python3.8/site-packages/torch/utils/cpp_extension.py", line 1076, in CUDAExtension',
])
def test_no_extension_named(line: str) -> None:
    assert extension_in_line(line) is None


def test_built_line() -> None:
    found = built_in_line("Successfully installed einops-0.7.0 flash-attn-2.5.8 ninja-1.11.1")
    assert found is not None and found.name == "flash-attn"
    assert built_in_line("Successfully installed einops-0.7.0 ninja-1.11.1") is None


# --- LOG520 ----------------------------------------------------------------------------------------------------------

# https://github.com/2noise/ChatTTS/issues/595 (shortened)
FLASH_NO_NVCC = """PS C:\\ChatTTS> pip install flash-attn --no-build-isolation
Collecting flash-attn
  Using cached flash_attn-2.6.1.tar.gz (2.6 MB)
  Preparing metadata (setup.py) ... error
      C:\\Users\\ROG\\AppData\\Local\\Temp\\pip-install-b32gjsjx\\flash-attn_2297bac9ebd4415595ad37c7d00fd795\\setup.py:78: UserWarning: flash_attn was requested, but nvcc was not found.  Are you sure your environment has nvcc available?  If you're installing within a container from https://hub.docker.com/r/pytorch/pytorch, only images whose names contain 'devel' will provide nvcc.
        warnings.warn(
"""


def test_toolkit_not_found_names_the_extension() -> None:
    code, title, fix, findings = _lead(FLASH_NO_NVCC)
    assert code == "CUDA_LIBS_MISSING"
    assert title.startswith("flash-attn: no CUDA toolkit (nvcc)")
    assert "LOG520" in findings and "LOG-EXT-NVCC-NOT-FOUND" not in findings  # the signature's finding yields to the named reading
    assert "flash-attention/releases" in fix and "What decides it:" in fix


def test_quiet_where_pip_then_installed_it() -> None:
    text = FLASH_NO_NVCC + "Building wheel for flash-attn (setup.py) ... done\nSuccessfully installed flash-attn-2.6.1\n"
    assert not report(text).causes


def test_signature_alone_where_no_extension_is_named() -> None:
    code, title, _, findings = _lead("OSError: CUDA_HOME environment variable is not set. Please set it to your CUDA install root.")
    assert code == "CUDA_LIBS_MISSING" and "LOG520" not in findings and title.startswith("No CUDA toolkit")


def test_nerfacc_path_state() -> None:
    # https://github.com/threestudio-project/threestudio/issues/300
    code, title, fix, _ = _lead("When I use Pycharm, I use the code, I got NerfAcc: No CUDA toolkit found. NerfAcc will be disabled.")
    assert code == "CUDA_LIBS_NOT_ON_PATH" and title.startswith("NerfAcc: ")
    assert "nerfacc-bucket" in fix


def test_mismatch_fills_both_versions() -> None:
    # https://github.com/JIA-Lab-research/MGM/issues/91
    text = ("deepspeed.ops.op_builder.builder.CUDAMismatchException: >- DeepSpeed Op Builder: Installed CUDA version 12.2 does not "
            "match the version torch was compiled with 11.7, unable to compile cuda/cpp extensions without a matching cuda version.")
    code, title, fix, _ = _lead(text)
    assert code == "CUDA_LIBS_MISMATCH"
    assert title == "DeepSpeed: the CUDA toolkit found is CUDA 12.2, torch was built with CUDA 11.7"
    assert "a toolkit of CUDA 11.7" in fix


def test_apex_words_read_as_the_mismatch() -> None:
    # https://github.com/NVIDIA/apex/issues/1548 (shortened)
    text = """    File "/home/u/apex/setup.py", line 64, in <module>
      check_cuda_torch_binary_vs_bare_metal(torch.utils.cpp_extension.CUDA_HOME)
  RuntimeError: Cuda extensions are being compiled with a version of Cuda that does not match the version used to compile Pytorch binaries.  Pytorch binaries were compiled with Cuda 11.3.
  × Running setup.py install for apex did not run successfully."""
    code, title, _, _ = _lead(text)
    assert code == "CUDA_LIBS_MISMATCH" and title.startswith("apex: ") and "CUDA 11.3" in title


def test_host_compiler_state() -> None:
    # https://github.com/nerfstudio-project/nerfstudio/issues/3191 (shortened)
    text = """      /home/d/miniconda3/envs/nerfstudio/include/crt/host_config.h:132:2: error: #error -- unsupported GNU version! gcc versions later than 11 are not supported! The nvcc flag '-allow-unsupported-compiler' can be used to override this version check
      error: command '/home/d/miniconda3/envs/nerfstudio/bin/nvcc' failed with exit code 1
  ERROR: Failed building wheel for tinycudann"""
    code, title, fix, _ = _lead(text)
    assert code == "CUDA_LIBS_MISMATCH" and title.startswith("tiny-cuda-nn: ") and "gcc 11" in title
    assert "gcc-11" in fix
    # without a named extension the signature speaks alone
    assert _lead(text.rsplit("\n", 1)[0])[3] == ("LOG-EXT-HOST-COMPILER-UNSUPPORTED",)


def test_headers_missing_state() -> None:
    text = """Building wheels for collected packages: pytorch3d
/usr/lib/python3/dist-packages/torch/include/ATen/cuda/CUDAContext.h:5:10: fatal error: cuda_runtime_api.h: No such file or directory
  ERROR: Failed building wheel for pytorch3d"""
    code, title, _, _ = _lead(text)
    assert code == "CUDA_LIBS_MISSING" and title.startswith("PyTorch3D: the CUDA toolkit's headers")


def test_mmcv_registry_line_of_any_op() -> None:
    # https://github.com/OpenDriveLab/LaneSegNet/issues/18: an op whose name goes on after "_impl"
    code, title, fix, _ = _lead("RuntimeError: ms_deform_attn_impl_forward: implementation for device cuda:1 not found.")
    assert code == "FRAMEWORK_CPU_BUILD" and title.startswith("mmcv: ") and "mim install mmcv" in fix


def test_cpu_only_extension_quiet_beside_a_cpu_torch() -> None:
    # torch itself a CPU build: the extension without CUDA is so by design, torch's build is what the report says
    text = ("torch.__version__ = 2.1.0+cpu\n"
            '  File "/x/lib/python3.10/site-packages/torch_scatter/scatter.py", line 72, in scatter_max\n'
            "RuntimeError: Not compiled with CUDA support")
    assert "LOG520" not in {f for c in report(text).causes for f in c.findings}
    named = ('  File "/x/lib/python3.10/site-packages/torch_scatter/scatter.py", line 72, in scatter_max\n'
             "RuntimeError: Not compiled with CUDA support")
    code, title, _, _ = _lead(named)
    assert code == "FRAMEWORK_CPU_BUILD" and title.startswith("torch-scatter: ")


def test_extension_fact() -> None:
    seen = facts(FLASH_NO_NVCC).extension_named
    assert [s.value for s in seen] == ["flash-attn"]


def test_causal_conv1d_floor() -> None:
    # https://github.com/state-spaces/mamba/issues/323
    text = """      RuntimeError: causal_conv1d is only supported on CUDA 11.6 and above.  Note: make sure nvcc has a supported version by running nvcc -V.
      torch.__version__  = 2.1.0+cu121"""
    code, title, _, _ = _lead(text)
    assert code == "CUDA_LIBS_MISMATCH" and title.startswith("causal-conv1d: ")


def test_cuda_home_none_in_an_environment_dump() -> None:
    # mmcv's collect_env row (as in https://github.com/open-mmlab/mmdetection/issues/11530, which shows a toolkit instead)
    text = "RuntimeError: nms_impl: implementation for device cuda:0 not found.\nCUDA available: True\nCUDA_HOME: None\nPyTorch: 1.11.0"
    code, title, _, _ = _lead(text)
    assert code == "FRAMEWORK_CPU_BUILD" and "CUDA_HOME None" in title
    shown = "RuntimeError: nms_impl: implementation for device cuda:0 not found.\nCUDA_HOME: /usr/local/cuda"
    assert "CUDA_HOME None" not in _lead(shown)[1]
    assert not facts("export CUDA_HOME=None is wrong, set it to the root").cuda_home_none


def test_host_compiler_in_the_writers_quote() -> None:
    # https://github.com/NVlabs/tiny-cuda-nn/issues/386
    code, _, _, _ = _lead("When I try to install the pytorch bindings I get the message that gcc versions later than 12 are not supported.")
    assert code == "CUDA_LIBS_MISMATCH"
    assert _lead("My gcc version is 13.2.1 and the bindings built fine.")[0] is None


@pytest.mark.parametrize("text", [
    # DeepSpeed's note where the majors agree (op_builder/builder.py: "... but since the APIs are compatible, accepting this combination")
    "DeepSpeed Op Builder: Installed CUDA version 11.8 does not match the version torch was compiled with 11.7 but since the APIs are compatible, accepting this combination",
    # torch.utils.cpp_extension's minor-version warning (a note, not its error)
    "UserWarning: The detected CUDA version (12.2) has a minor version mismatch with the version that was used to compile PyTorch (12.1). Most likely this shouldn't be a problem.",
    # torch's build on a machine without a GPU (a docker build) goes on and builds for CUDA
    "No CUDA runtime is found, using CUDA_HOME='/usr/local/cuda'\nBuilding wheel for flash-attn (setup.py) ... done\nSuccessfully built flash-attn",
])
def test_quiet_on_a_build_that_goes_on(text: str) -> None:
    assert not report(text).causes


def test_headers_missing_msvc_form_and_a_header_named_in_code() -> None:
    msvc = "C:\\x\\torch\\include\\ATen/cuda/CUDAContext.h(5): fatal error C1083: Cannot open include file: 'cuda_runtime_api.h': No such file or directory"
    assert _lead(msvc)[0] == "CUDA_LIBS_MISSING"
    assert _lead("#include <cuda_runtime.h>\nint main() { return 0; }")[0] is None


def test_no_angle_bracket_placeholders_in_the_table() -> None:
    # test_complete_fixes refuses "<NNN>", "<X.Y>" in a fix: the wheel texts give an example release instead
    for ext in extensions():
        assert not re.search(r"<[^>]{1,8}>", ext.wheel), ext.name
