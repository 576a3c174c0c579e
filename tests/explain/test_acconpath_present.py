"""acconpath (session 38): the writer's words that the library is there all the same, and a build that does not find nvcc."""

from __future__ import annotations

from log_text import codes, facts, finding_codes, first_cause, report
from whygpu.explain.presentsaid import library_present_said, locate_fix
from whygpu.knowledge.libraries import library_failure_cause

# https://github.com/Purfview/whisper-standalone-win/issues/62
WHISPER_WIN = """Could not load library cudnn_ops_infer64_8.dll. Error code 126
Hi! It seems there are problem in locating the CUDnn files, even though I've properly installed them all. Is there a way of solving this issue?"""

# https://github.com/lltcggie/waifu2x-caffe/issues/197
WAIFU = """cuDNN Not Found
I put `cudnn64_7.dll` into the `cudnn_data` folder, yet it still says it's not found."""

# https://github.com/microsoft/onnxruntime/issues/25609 (the writer's sentence)
ORT_SAID = ("This happens even when the appropriate version of cuDNN (installed via PyPI, i.e., nvidia-cudnn-cu12) is already "
            "present in the environment.")

# https://github.com/visual-behavior/detr-tensorflow/issues/8: the file "there" and the path "correctly set": another version.
DETR = """Could not load dynamic library 'libcusolver.so.10'; dlerror: libcusolver.so.10

Getting this error although the file is there and LD_LIBRARY_PATH is correctly set"""

# https://github.com/speedinghzl/CCNet/issues/56
CCNET = """build.sh: 11: build.sh: nvcc: not found
hello，such problem hapeened,i have write the path in  ~/.bashrc ,do you have some solution?
export CUDA_HOME=/usr/local/cuda
export PATH=$PATH:/usr/local/cuda-9.0/bin
export PATH=/usr/local/cuda-9.0/bin${PATH:+:${PATH}}
export LD_LIBRARY_PATH=/usr/local/cuda-9.0/lib64${LD_LIBRARY_PATH:+:${LD_LIBRARY_PATH}}"""


def test_presence_said_reads_concessions_and_placed_files() -> None:
    assert library_present_said(WHISPER_WIN.splitlines()[1]) == "even though I've properly installed them all"
    assert library_present_said(WAIFU.splitlines()[1]) is not None
    assert library_present_said(ORT_SAID) is not None
    assert library_present_said("even though cudnn64_8.dll is there in C:/cuda/bin, it fails") is not None


def test_presence_said_stays_quiet() -> None:
    # absent, asked, a condition, no CUDA/cuDNN library named, the path said set too, a program's line
    assert library_present_said("cudnn64_8.dll not found even though cuDNN is not installed") is None
    assert library_present_said("Is it not found even though cuDNN is installed?") is None
    assert library_present_said("If cudnn is not found even though it is installed, add it to PATH") is None
    assert library_present_said("even though I installed it the GPU is not used") is None
    assert library_present_said(DETR.splitlines()[-1] + " for libcusolver") is None
    assert library_present_said("2023-08-19 10:00:00 W even though cudnn is installed") is None


def test_decision_present_said_after_versions() -> None:
    said = frozenset({"library_present_said"})
    reading = library_failure_cause("CUDNN_MISSING", ("CUDNN_MISMATCH", "CUDA_LIBS_NOT_ON_PATH"), file="cudnn64_8.dll", wanted="8", tags=said)
    assert (reading.cause, reading.basis) == ("CUDA_LIBS_NOT_ON_PATH", "present_said")
    assert reading.alternatives[0] == "CUDNN_MISMATCH"
    # a release shown that lacks the file decides first
    other = library_failure_cause("CUDA_LIBS_MISSING", ("CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH"), file="libcudart.so.10.0",
                                  wanted="10.0", cuda_installed=["11.2"], tags=said)
    assert other.cause == "CUDA_LIBS_MISMATCH"
    # without the words, the counted base rates stand
    plain = library_failure_cause("CUDNN_MISSING", ("CUDNN_MISMATCH", "CUDA_LIBS_NOT_ON_PATH"), file="cudnn64_8.dll", wanted="8")
    assert plain.basis != "present_said"


def test_whole_logs() -> None:
    assert facts(WHISPER_WIN).stated_library_present
    assert first_cause(WHISPER_WIN) == "CUDA_LIBS_NOT_ON_PATH"
    top = report(WHISPER_WIN).causes[0]
    assert "None" not in top.fix and "where" in top.fix
    assert first_cause(WAIFU) == "CUDA_LIBS_NOT_ON_PATH"
    # quiet: the path said set as well
    assert not facts(DETR).stated_library_present
    assert first_cause(DETR) != "CUDA_LIBS_NOT_ON_PATH"
    # the same failure without the writer's words keeps its other reading
    assert first_cause(WHISPER_WIN.splitlines()[0]) != "CUDA_LIBS_NOT_ON_PATH"


def test_locate_fix_by_platform() -> None:
    assert "where /r" in locate_fix("cudnn64_8.dll")
    assert "find / -name" in locate_fix("libcudnn.so.8")
    assert "None" not in locate_fix("the library it loads")


def test_nvcc_not_found() -> None:
    # a toolkit shown installed (PATH exported to /usr/local/cuda-9.0/bin): off the build's path
    assert codes(CCNET)[:2] == ["CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISSING"]
    # nothing shown: no toolkit
    assert codes("sh: 1: nvcc: not found")[:1] == ["CUDA_LIBS_MISSING"]
    assert first_cause("OSError: The nvcc binary could not be located in your $PATH. Either add it to your path, or set $CUDAHOME") == "CUDA_LIBS_MISSING"
    # nvcc found and run: not this signature
    assert "LOG-NVCC-NOT-FOUND" in finding_codes("sh: 1: nvcc: not found")
    assert "LOG-NVCC-NOT-FOUND" not in finding_codes("nvcc: NVIDIA (R) Cuda compiler driver\nCuda compilation tools, release 12.1, V12.1.105")
