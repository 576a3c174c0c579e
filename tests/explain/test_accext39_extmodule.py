"""accext39 (session 39): a program's own compiled extension module missing or built without CUDA (explain/extmodule.py,
explain/extmodulerules.py LOG850, knowledge/extension_builds.toml and its one decision)."""

from __future__ import annotations

from log_text import codes, facts, finding_codes, first_cause
from whygpu.knowledge.extension_builds import (
    BuildSeen,
    missing_module_reading,
    program_of_module,
    program_of_package,
)

# https://github.com/ok-robot/ok-robot/issues/4
GDINO = """  File "/home/hs/miniconda3/envs/grasp-env/lib/python3.9/site-packages/groundingdino/util/inference.py", line 68, in predict
    outputs = model(image[None], captions=[caption])
  File "/home/hs/miniconda3/envs/grasp-env/lib/python3.9/site-packages/groundingdino/models/GroundingDINO/ms_deform_attn.py", line 53, in forward
    output = _C.ms_deform_attn_forward(
NameError: name '_C' is not defined
"""
# https://github.com/open-mmlab/mmcv/issues/2059
MMCV = "ModuleNotFoundError: No module named 'mmcv._ext'"
# https://github.com/facebookresearch/sam2/blob/main/INSTALL.md (its FAQ quotes the error)
SAM2 = "ImportError: cannot import name '_C' from 'sam2' (/home/user/sam2/sam2/__init__.py)"
# https://github.com/facebookresearch/detectron2/issues/538
D2 = """  File "/home/nls1/tmp/detectron2/detectron2/layers/deform_conv.py", line 10, in <module>
    from detectron2 import _C
ImportError: cannot import name '_C' from 'detectron2'"""
# https://github.com/IDEA-Research/GroundingDINO/issues/303
FALLBACK = ("/data/pratibha/GroundingDINO/groundingdino/models/GroundingDINO/ms_deform_attn.py:31: UserWarning: Failed to load "
            "custom C++ ops. Running on CPU mode Only!")
# https://github.com/NVIDIA/apex/issues/717
APEX = """apex RuntimeError: --cuda_ext was requested, but nvcc was not found.
Warning:  multi_tensor_applier fused unscale kernel is unavailable, possibly because apex was installed without --cuda_ext --cpp_ext. Using Python fallback.  Original ImportError was: ModuleNotFoundError("No module named 'amp_C'")"""


def test_the_reader_reads_the_module_and_the_program_of_the_path() -> None:
    got = facts(GDINO + MMCV + "\n" + SAM2 + "\n" + FALLBACK + "\nNo CUDA runtime is found, using CUDA_HOME='/usr/local/cuda'\n")
    assert [s.value for s in got.ext_module_missing] == [("", "name"), ("mmcv", "import"), ("SAM 2", "import"), ("GroundingDINO", "fallback")]
    assert [s.value for s in got.ext_program_path][:1] == ["GroundingDINO"]
    assert [s.value for s in got.ext_build_no_gpu] == ["/usr/local/cuda"]


def test_the_reader_leaves_other_modules_and_names() -> None:
    got = facts("ModuleNotFoundError: No module named 'torch._C'\nNameError: name 'np' is not defined\n"
                "ImportError: cannot import name '_C' from 'torch'\n")
    assert got.ext_module_missing == []


def test_groundingdino_nameerror_is_a_build_without_cuda_with_the_toolkit_ranked() -> None:
    ranked = codes(GDINO)
    assert ranked[0] == "FRAMEWORK_CPU_BUILD"
    assert {"CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH"} <= set(ranked[:3])
    assert "LOG850" in finding_codes(GDINO)


def test_the_build_saying_no_toolkit_decides_missing_and_a_toolkit_shown_decides_not_found() -> None:
    no_home = "OSError: CUDA_HOME environment variable is not set. Please set it to your CUDA install root.\n" + GDINO
    assert first_cause(no_home) == "CUDA_LIBS_MISSING"
    shown = "nvcc: NVIDIA (R) Cuda compiler driver\nCuda compilation tools, release 11.7, V11.7.99\n" + no_home
    assert first_cause(shown) == "CUDA_LIBS_NOT_ON_PATH"


def test_mmcv_without_ext_is_the_package_without_ops() -> None:
    assert first_cause(MMCV) == "FRAMEWORK_CPU_BUILD"
    assert "LOG850" in finding_codes(MMCV)


def test_sam2_installs_without_its_module_where_its_build_found_no_toolkit() -> None:
    assert first_cause(SAM2) == "CUDA_LIBS_MISSING"


def test_detectron2_without_c_was_not_built_here() -> None:
    assert first_cause(D2) == "FRAMEWORK_INSTALL_BROKEN"


def test_apex_said_without_cuda_ext_with_nvcc_not_found_is_the_toolkit_missing() -> None:
    assert first_cause(APEX) == "CUDA_LIBS_MISSING"


def test_the_fallback_warning_alone_is_ranked_not_decided() -> None:
    report_codes = codes(FALLBACK)
    assert report_codes and report_codes[0] == "FRAMEWORK_CPU_BUILD"
    assert "LOG850" in finding_codes(FALLBACK)


def test_quiet_where_torch_is_a_cpu_build_or_the_machine_a_mac() -> None:
    assert "LOG850" not in finding_codes("torch 2.1.0+cpu\ntorch.version.cuda: None\n" + GDINO)
    assert "LOG850" not in finding_codes("I run it on my MacBook Pro M1.\n" + FALLBACK)
    assert "LOG850" not in finding_codes("NameError: name 'np' is not defined")


def test_the_decision_by_the_program_build() -> None:
    gdino, sam2, mmcv, d2 = (program_of_package(n) for n in ("groundingdino", "sam2", "mmcv", "detectron2"))
    assert gdino is not None and sam2 is not None and mmcv is not None and d2 is not None
    assert program_of_module("mmcv._ext") == mmcv
    nothing = BuildSeen()
    assert missing_module_reading(gdino, nothing).cause == "FRAMEWORK_CPU_BUILD"
    assert missing_module_reading(sam2, nothing).cause == "CUDA_LIBS_MISSING"
    assert missing_module_reading(mmcv, nothing).cause == "FRAMEWORK_CPU_BUILD"
    assert missing_module_reading(d2, nothing).cause == "FRAMEWORK_INSTALL_BROKEN"
    assert missing_module_reading(d2, BuildSeen(no_gpu_at_build=True)).cause == "FRAMEWORK_CPU_BUILD"
    assert missing_module_reading(gdino, BuildSeen(toolkit_absent=True)).cause == "CUDA_LIBS_MISSING"
    assert missing_module_reading(gdino, BuildSeen(toolkit_absent=True, toolkit_present=True)).cause == "CUDA_LIBS_NOT_ON_PATH"


def test_torchs_cuda_build_does_not_rule_out_the_programs_own_build_without_cuda() -> None:
    # torch's CUDA build is the typical "but my torch has CUDA" of these threads: it says nothing of the extension's build.
    ranked = codes("torch 2.0.1+cu117\ntorch.cuda.is_available(): True\n" + GDINO)
    assert ranked[0] == "FRAMEWORK_CPU_BUILD"


def test_the_alternatives_speak_of_the_build() -> None:
    from log_text import report

    titles = [c.title for c in report(GDINO).causes]
    assert any("GroundingDINO's build did not find it" in t for t in titles)
