"""accgbdt41 (session 41): gradient-boosting and RAPIDS libraries. LightGBM's own message read by its second line alone
("Please recompile with CMake option -DUSE_GPU=1", LOG-HARV-LGBM-NOT-ENABLED); numba's linker refusing the PTX it compiled
(LOG-NUMBA-PTX-LINK-REFUSED, the driver older than numba's CUDA); a manner of use ("does not utilise GPU properly") read as a
degree, not the GPU unused (statements.asserted); LightGBM's GPU learner, which builds only the histograms on the GPU, read
with the writer's partial share as underuse (knowledge/utilisation.toml [[step_learner]]); and a library whose floor is the
whole library's (RAPIDS) on a GPU below it (LOG552). Each reading has a case where it speaks and one where it stays quiet."""

from __future__ import annotations

from log_text import facts, finding_codes, first_cause, report
from whygpu.explain import statements
from whygpu.knowledge.feature_floors import library_named
from whygpu.knowledge.utilisation import SAID, UNDERUSED, Reading, decide, step_learner

# https://github.com/lightgbm-org/LightGBM/issues/3490
_LGBM_TAIL = ('I use  `pip install lightgbm`, and when I run the train api with device=gpu, there is an error '
              '"recompile with CMake option -DUSE_GPU=1" .')
# LightGBM 4.6's CUDA learner stub (src/treelearner/cuda/cuda_single_gpu_tree_learner.hpp), as a run prints its second line
_LGBM_CUDA_TAIL = "Please recompile with CMake option -DUSE_CUDA=1 (NVIDIA GPUs) or -DUSE_ROCM=1 (AMD GPUs)"
# https://github.com/vaaaaanquish/lightgbm-rs/issues/33
_LGBM_RS = ('```Error { desc: "GPU Tree Learner was not enabled in this build.\\nPlease recompile with CMake option '
            '-DUSE_GPU=1" }```')


def test_lightgbm_recompile_line_alone_is_a_cpu_build() -> None:
    for text in (_LGBM_TAIL, _LGBM_CUDA_TAIL, _LGBM_RS):
        assert first_cause(text) == "FRAMEWORK_CPU_BUILD", text
        assert "LOG-HARV-LGBM-NOT-ENABLED" in finding_codes(text)


def test_lightgbm_fix_names_the_wheels_and_the_cuda_build() -> None:
    fix = report(_LGBM_TAIL).causes[0].fix
    assert "lightgbm>=4.0" in fix and "USE_CUDA=ON" in fix


def test_building_with_the_cmake_option_is_not_the_message() -> None:
    for text in ("I compiled LightGBM with CMake option -DUSE_GPU=1 and it trains on the GPU.",
                 "cmake -DUSE_GPU=1 -DOpenCL_LIBRARY=/usr/local/cuda-8.0/lib64/libOpenCL.so ..",
                 "Please recompile with CMake option -DUSE_ROCM=1"):
        assert "LOG-HARV-LGBM-NOT-ENABLED" not in finding_codes(text), text


# https://github.com/NVIDIA-Merlin/NVTabular/issues/1764 (merlin-pytorch:22.12; the error code and JIT log cut from the paste)
_NUMBA_FRAME = """Failed to transform operator <nvtabular.ops.list_slice.ListSlice object at 0x7fae1e32e3d0>
Traceback (most recent call last):
  File "/usr/local/lib/python3.8/dist-packages/numba/cuda/cudadrv/driver.py", line 2705, in add_ptx
    driver.cuLinkAddData(self.handle, enums.CU_JIT_INPUT_PTX,
  File "/usr/local/lib/python3.8/dist-packages/numba/cuda/cudadrv/driver.py", line 320, in safe_cuda_api_call
    self._check_ctypes_error(fname, retcode)
  File "/usr/local/lib/python3.8/dist-packages/numba/cuda/cudadrv/driver.py", line 388, in _check_ctypes_error
    raise CudaAPIError(retcode, msg)
"""
# https://github.com/uw-ipd/tmol/pull/108 (the code numba printed for the refusal, 218, with the JIT log cut)
_NUMBA_218 = "E           numba.cuda.cudadrv.driver.LinkerError: [218] Call to cuLinkAddData results in UNKNOWN_CUDA_ERROR"


def test_numba_link_refused_is_a_driver_older_than_its_cuda() -> None:
    for text in (_NUMBA_FRAME, _NUMBA_218):
        assert first_cause(text) == "DRIVER_TOO_OLD", text
        assert "LOG-NUMBA-PTX-LINK-REFUSED" in finding_codes(text)


def test_numba_link_out_of_memory_or_a_question_is_not_read() -> None:
    for text in ("numba.cuda.cudadrv.driver.LinkerError: [2] Call to cuLinkAddData results in CUDA_ERROR_OUT_OF_MEMORY",
                 "What does cuLinkAddData do when numba links a kernel?"):
        assert "LOG-NUMBA-PTX-LINK-REFUSED" not in finding_codes(text), text


def test_a_manner_of_use_is_a_degree_not_the_gpu_unused() -> None:
    # https://github.com/lightgbm-org/LightGBM/issues/836 (the title)
    assert statements.unused("Training on GPU does not utilise GPU properly") is None
    assert statements.unused("It does not use the GPU well") is None
    assert statements.unused("it doesn't use the GPU at all") is not None
    assert statements.unused("It does not use GPU, properly installed or not") is not None


# https://github.com/lightgbm-org/LightGBM/issues/1476
_LGBM_SHARE = """LightGBM doesn't use full power of GPU

I train my data with GPU option is on: `device`: `gpu` and here is how the GPU was used:

It is only 20-30% of my GPU, and the speed is still the same. :(

Operating System: Ubuntu 16.04
GPU: 1060 3GB"""


def test_lightgbm_partial_share_is_underuse_with_its_own_advice() -> None:
    assert first_cause(_LGBM_SHARE) == "GPU_UNDERUSED"
    fix = report(_LGBM_SHARE).causes[0].fix
    assert "histograms" in fix and "DataLoader" not in fix


def test_the_same_share_without_a_step_learner_is_not_underuse() -> None:
    text = _LGBM_SHARE.replace("LightGBM doesn't", "The model doesn't")
    assert not facts(text).util_step_learner
    assert first_cause(text) != "GPU_UNDERUSED"


def test_step_learner_share_bounds() -> None:
    assert step_learner("import lightgbm as lgb") == "LightGBM"
    assert step_learner("import xgboost as xgb") == ""
    share = [Reading("gpu", 20, 30, SAID)]
    assert decide(share, learner="LightGBM").kind == UNDERUSED
    assert decide(share).kind != UNDERUSED
    # A share of 0 is no histogram built on the GPU, and a high one is the GPU busy: neither is the learner's underuse.
    assert decide([Reading("gpu", 0, 0, SAID)], learner="LightGBM").kind != UNDERUSED
    assert decide([Reading("gpu", 85, 95, SAID)], learner="LightGBM").kind != UNDERUSED


# https://github.com/rapidsai/cudf/issues/5558
_RAPIDS_K80 = """UX Frequent Failure: TRY NOW IN COLAB often fails due to K80 GPU runtime allocation

Thank you for Rapids!

The Getting Started page has a TRY NOW IN COLAB link. But after clicking the link and running Colab cells, I see that the code won't run if Colab gives you a K80 GPU."""


def test_rapids_on_a_gpu_below_its_floor_is_not_supported() -> None:
    assert library_named("import cudf") is not None
    assert library_named("import torch") is None
    assert first_cause(_RAPIDS_K80) == "GPU_NOT_SUPPORTED"
    assert "LOG552" in finding_codes(_RAPIDS_K80)


def test_rapids_with_a_gpu_at_its_floor_or_none_below_is_quiet() -> None:
    for text in (_RAPIDS_K80 + "\nAfter a factory reset Colab gave me a Tesla T4 and it runs.",
                 _RAPIDS_K80.replace("K80", "P100"),
                 _RAPIDS_K80.replace("Rapids", "PyTorch")):
        assert "LOG552" not in finding_codes(text), text
