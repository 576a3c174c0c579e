"""acccpu (session 32): a program's GPU part missing from the package imported is its CPU build (explain.cpuapi, LOG500).

Real lines carry the public thread they were posted in.
"""

from __future__ import annotations

from log_text import codes, facts, finding_codes, first_cause, report
from whygpu.explain import cpuapi
from whygpu.knowledge.cpu_packages import gpu_api_flag, gpu_api_for, gpu_api_row, gpu_api_said

# https://github.com/facebookresearch/faiss/issues/888
FAISS_PY3 = "AttributeError: module 'faiss' has no attribute 'StandardGpuResources'"
# https://github.com/facebookresearch/faiss/issues/990
FAISS_REPL = """>>> import faiss
Loading faiss with AVX2 support.
>>> res = faiss.StandardGpuResources()
Traceback (most recent call last):
  File "<stdin>", line 1, in <module>
AttributeError: module 'faiss' has no attribute 'StandardGpuResources'
>>> """
# https://github.com/facebookresearch/deepcluster/issues/56 (Python 2's wording, the module from the conda row)
FAISS_PY2 = """AttributeError: 'module' object has no attribute 'StandardGpuResources'

faiss-cpu                 1.6.1            py27h6bb024c_0    pytorch"""
# https://github.com/amazon-science/patchcore-inspection/issues/30
FAISS_BOTH = """I use GPU.
Both faiss-cpu and faiss-gpu is installed. (Using pip install -r requirements.txt)
`File "/home/synapse/simulator/backend/patchcore_model/src/patchcore/common.py", line 45, in _create_index
    return faiss.GpuIndexFlatL2(
AttributeError: module 'faiss' has no attribute 'GpuIndexFlatL2'`"""
# https://github.com/facebookresearch/faiss/issues/500
FAISS_FAILED = """i got
'module' object has no attribute 'StandardGpuResources'
so tried "import faiss" in the directory(faiss-master/python/build/(my-version)/faiss)
Failed to load GPU Faiss: ./_swigfaiss_gpu.so: undefined symbol: omp_set_lock
Faiss falling back to CPU-only."""
# https://github.com/ageitgey/face_recognition/issues/796 names the check; the REPL pair as Python prints it.
DLIB_FLAG = """>>> import dlib
>>> dlib.DLIB_USE_CUDA
False"""
# https://github.com/OpenNMT/CTranslate2/issues/1963
CT2_CUDNN = "RuntimeError: Conv1D on GPU currently requires the cuDNN library which is not integrated in this build"
# OpenCV's DNN module on a build without CUDA (modules/dnn/src/dnn.cpp setUpNet), as opencv-python prints it.
OPENCV_DNN = "[ WARN:0@1.234] global /io/opencv/modules/dnn/src/dnn.cpp (1483) setUpNet DNN module was not built with CUDA backend; switching to CPU"
# catboost/pytest/lib/common_helpers.py reads this message of a build without its GPU learner.
CATBOOST = "_catboost.CatBoostError: catboost/libs/train_lib/dir_helper.cpp:20: GPU support was not compiled"


def test_the_table_knows_gpu_only_apis_and_not_shared_ones() -> None:
    assert gpu_api_row("faiss", "StandardGpuResources") is not None
    assert gpu_api_row("faiss", "GpuIndexIVFFlat") is not None
    assert gpu_api_row("faiss", "index_cpu_to_gpu") is not None
    # defined by both builds (get_num_gpus answers 0 on a CPU build), or a CPU index
    assert gpu_api_row("faiss", "get_num_gpus") is None
    assert gpu_api_row("faiss", "IndexFlatL2") is None
    assert gpu_api_row("numpy", "StandardGpuResources") is None
    assert gpu_api_flag("dlib.DLIB_USE_CUDA", "False") is not None
    assert gpu_api_flag("dlib.DLIB_USE_CUDA", "True") is None
    assert gpu_api_said(CT2_CUDNN) is not None and gpu_api_said("cuDNN is installed in this build") is None
    faiss = gpu_api_for("faiss")
    assert faiss is not None and "faiss-gpu" in faiss.instead and "StandardGpuResources" in faiss.decide


def test_faiss_missing_gpu_api_is_its_cpu_build() -> None:
    for text in (FAISS_PY3, FAISS_REPL, FAISS_PY2):
        assert first_cause(text) == "FRAMEWORK_CPU_BUILD", text
        assert "LOG500" in finding_codes(text)
    fix = report(FAISS_PY3).causes[0].fix
    assert "faiss-gpu" in fix and "hasattr(faiss, 'StandardGpuResources')" in fix


def test_faiss_gpu_package_named_too_is_two_builds() -> None:
    got = codes(FAISS_BOTH)
    assert got[0] == "FRAMEWORK_INSTALL_BROKEN" and "FRAMEWORK_CPU_BUILD" in got[:3]
    assert facts(FAISS_BOTH).cpu_api[0].value.gpu_named.lower() == "faiss-gpu"


def test_faiss_gpu_part_that_failed_to_load_is_not_a_cpu_build() -> None:
    assert first_cause(FAISS_FAILED) == "FRAMEWORK_INSTALL_BROKEN"
    assert facts(FAISS_FAILED).cpu_api[0].value.failed


def test_dlib_flag_ctranslate2_and_catboost_words() -> None:
    for text in (DLIB_FLAG, CT2_CUDNN, CATBOOST, OPENCV_DNN):
        assert first_cause(text) == "FRAMEWORK_CPU_BUILD", text
        assert "LOG500" in finding_codes(text), text
    assert "DLIB_USE_CUDA" in report(DLIB_FLAG).causes[0].fix
    # the program's own fix, not the frameworks' generic one
    fix = report(OPENCV_DNN).causes[0].fix
    assert "WITH_CUDA=ON" in fix and "tensorflow" not in fix


def test_quiet_on_code_conditions_options_and_shared_names() -> None:
    quiet = [
        'if not hasattr(faiss, "StandardGpuResources"):\n    print("faiss GPU not available, using the CPU index")',
        "If you get module 'faiss' has no attribute 'StandardGpuResources', install faiss-gpu.",
        "cmake .. -DDLIB_USE_CUDA=0 -DUSE_AVX_INSTRUCTIONS=1",
        "if not dlib.DLIB_USE_CUDA:\n    raise SystemExit('no CUDA')",
        "AttributeError: module 'faiss' has no attribute 'IndexFlatL2'",
        'throw std::runtime_error("Conv1D on GPU currently requires the cuDNN library which is not integrated in this build");',
        ">>> dlib.DLIB_USE_CUDA\nTrue",
        # OpenCV's own documentation of getCudaEnabledDeviceCount's 0 (an alternative, knowledge/build_messages.toml)
        "No GPU found or the library is compiled without CUDA support",
    ]
    for text in quiet:
        assert not facts(text).cpu_api, text
        assert "LOG500" not in finding_codes(text), text


def test_faiss_cpu_builds_own_info_line_is_no_finding() -> None:
    # faiss-cpu logs this at INFO at every import (faiss/__init__.py): a CPU build that nobody asked to use the GPU
    text = ("INFO:faiss.loader:Successfully loaded faiss with AVX2 support.\n"
            "INFO:faiss:Failed to load GPU Faiss: name 'GpuIndexIVFFlat' is not defined. Will not load constructor refs for GPU "
            "indexes. This is only an error if you're trying to use GPU Faiss.")
    assert not facts(text).cpu_api and first_cause(text) is None
    # ... and beside a missing GPU API it is not the GPU part failing to load
    assert first_cause(text + "\n" + FAISS_PY3) == "FRAMEWORK_CPU_BUILD"


def test_quiet_where_the_gpu_is_in_use() -> None:
    # a fallback to faiss's CPU index in a run whose PyTorch model is on the GPU: the run used the GPU
    text = FAISS_PY3 + "\nUsing device: cuda:0\nEpoch 1/10 loss 0.41"
    assert "LOG500" not in finding_codes(text)


def test_mac_without_nvidia_gpu_is_no_gpu_first() -> None:
    text = "Platform: macOS-13.4-arm64-arm-64bit (Apple M1)\n" + FAISS_PY3
    got = codes(text)
    assert got[0] == "NO_GPU" and "FRAMEWORK_CPU_BUILD" in got[:3]


def test_reader_returns_one_fact_per_program() -> None:
    text = FAISS_REPL + "\n" + FAISS_PY3 + "\n" + DLIB_FLAG
    found = cpuapi.read(text, text.splitlines())
    assert sorted(f.row.program for _, f in found) == ["dlib", "faiss"]


def test_cryodrgn_use_cuda_false_is_not_the_gpu_in_use() -> None:
    # https://github.com/ml-struct-bio/cryodrgn/issues/125
    text = "2022-07-29 17:21:57     Use cuda False\n2022-07-29 17:21:57     WARNING: No GPUs detected"
    assert report(text).verdict.gpu_usable is not True
    assert first_cause(text) is not None
    # ... while "Use cuda" with a device still is
    assert report("Use cuda device 0 for training").verdict.gpu_usable is True
