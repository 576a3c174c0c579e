"""accnotpath (session 39): a CUDA library the named CUDA image's flavour does not install is missing from that image.

The tag of an nvidia/cuda image names a CUDA release that ships the library; its flavour (base, runtime, devel) decides
whether the image installs the file at all (knowledge/image_libraries.toml). The one decision stays
knowledge.libraries.library_failure_cause (basis ``image_lacks``)."""

from __future__ import annotations

from log_text import first_cause, report
from whygpu.knowledge.image_libraries import image_check, image_lacks_library
from whygpu.knowledge.libraries import library_failure_cause

# https://github.com/microsoft/onnxruntime/pull/7384
ORT_RUNTIME = """Removed `nvidia/cuda:10.2-cudnn8-runtime` as the base  image.
Current build gave an error `ImportError: libcupti.so.10.2: cannot open shared object file: No such file or directory` when tried to import onnxruntime. This library is there in cudnn8-devel but not in cudnn8-runtime."""

# https://github.com/PaddlePaddle/Paddle/issues/30841
PADDLE_RUNTIME = """RuntimeError: (PreconditionNotMet) The third-party dynamic library (libcusolver.so) that Paddle depends on is not configured correctly. (error code is libcusolver.so: cannot open shared object file: No such file or directory)
  Suggestions:
  1. Check if the third-party dynamic library (e.g. CUDA, CUDNN) is installed correctly and its version is matched with paddlepaddle you installed.
  2. Configure third-party dynamic library environment variables as follows:
  - Linux: set LD_LIBRARY_PATH by `export LD_LIBRARY_PATH=...`
  - Windows: set PATH by `set PATH=XXX; (at /paddle/paddle/fluid/platform/dynload/dynamic_loader.cc:234)
  [operator < gaussian_random > error]
but it only search the short name of .so files.
but the `nvidia/cuda:10.0-cudnn7-runtime-centos7` does't has the short names. and the `LD_LIBRARY_PATH` is wrong yet."""

# https://github.com/tensorflow/serving/issues/1659: the nvidia/cuda base image only runs nvidia-smi (the container toolkit's
# check); the failing program runs in tensorflow/serving's image.
SERVING_SMI = """tensorflow_model_server: error while loading shared libraries: libnvrtc.so.10.1: cannot open shared object file: No such file or directory
`docker run --gpus all --rm -it tensorflow/serving:2.2.0-gpu`
# docker run --gpus all --rm nvidia/cuda:10.1-base-ubuntu18.04 nvidia-smi"""


# --- the knowledge (knowledge/image_libraries.toml) ------------------------------------------------------------------------

def test_flavour_lacks_what_it_has_no_package_for() -> None:
    lack = image_lacks_library("10.2-cudnn8-runtime", "libcupti.so.10.2")
    assert lack is not None and lack.flavour == "runtime" and lack.stem == "cupti"
    base = image_lacks_library("10.1-base-ubuntu18.04", "libnvrtc.so.10.1")
    assert base is not None and base.flavour == "base"
    unversioned = image_lacks_library("10.0-cudnn7-runtime-centos7", "libcusolver.so")
    assert unversioned is not None and "unversioned" in unversioned.why and "None" not in unversioned.why


def test_flavour_that_installs_the_file_or_no_flavour_decides_nothing() -> None:
    assert image_lacks_library("10.0-cudnn7-runtime-centos7", "libcusolver.so.10") is None  # runtime has the versioned soname
    assert image_lacks_library("12.5.0-devel-ubuntu22.04", "libcupti.so.12") is None  # devel has CUPTI
    assert image_lacks_library("12.2.0-base-ubuntu20.04", "libcudart.so.12") is None  # base has cudart
    assert image_lacks_library("12.2.0-base-ubuntu20.04", "libllama.so") is None  # a program's own library
    assert image_lacks_library("12.2.0-ubuntu20.04", "libcupti.so.12") is None  # no flavour in the tag
    assert image_lacks_library("12.2.0-runtime-ubuntu22.04", "cupti64_2023.dll") is None  # the CUDA images are Linux images
    assert image_lacks_library("12.2.0-runtime-ubuntu22.04", "libnvidia-ml.so.1") is None  # the driver's, mounted at run time
    check, why, source = image_check()
    assert "{stem}" in check and why and source.startswith("https://")


# --- the decision (knowledge.libraries.library_failure_cause) ---------------------------------------------------------------

def test_decision_image_lacks_ranks_missing_first() -> None:
    reading = library_failure_cause("CUDA_LIBS_MISSING", ("CUDA_LIBS_NOT_ON_PATH",), file="libcusolver.so",
                                    cuda_installed=("10.0",), image_tags=("10.0-cudnn7-runtime-centos7",))
    assert reading.cause == "CUDA_LIBS_MISSING" and reading.basis == "image_lacks"
    assert reading.alternatives[:1] == ("CUDA_LIBS_NOT_ON_PATH",) and "cusolver" in reading.decides
    # Without the image, the image decides nothing.
    before = library_failure_cause("CUDA_LIBS_MISSING", ("CUDA_LIBS_NOT_ON_PATH",), file="libcusolver.so", cuda_installed=("10.0",))
    assert before.basis != "image_lacks"


def test_decision_quiet_where_an_image_has_it_or_the_file_is_shown() -> None:
    both = library_failure_cause("CUDA_LIBS_MISSING", (), file="libcupti.so.10.2",
                                 image_tags=("10.2-cudnn8-runtime", "10.2-cudnn8-devel"))
    assert both.basis != "image_lacks"
    shown = library_failure_cause("CUDA_LIBS_MISSING", (), file="libcupti.so.10.2", image_tags=("10.2-cudnn8-runtime",),
                                  library_present=("/usr/local/cuda-10.2/extras/CUPTI/lib64/libcupti.so.10.2",))
    assert shown.basis == "file_same" and shown.cause == "CUDA_LIBS_NOT_ON_PATH"
    cudnn = library_failure_cause("CUDNN_MISSING", (), file="libcudnn.so.8", wanted="8", image_tags=("11.8.0-runtime-ubuntu22.04",))
    assert cudnn.basis != "image_lacks"  # cuDNN in a plain image is LOG's cuda_image_without_cudnn reading


# --- whole logs --------------------------------------------------------------------------------------------------------------

def test_runtime_image_without_cupti_reads_missing() -> None:
    assert first_cause(ORT_RUNTIME) == "CUDA_LIBS_MISSING"
    top = report(ORT_RUNTIME).causes[0]
    assert "does not install it" in top.title and "nvidia/cuda:10.2-cudnn8-runtime" in top.title
    assert "devel" in top.fix and "None" not in top.fix


def test_runtime_image_without_the_unversioned_link_reads_missing() -> None:
    assert first_cause(PADDLE_RUNTIME) == "CUDA_LIBS_MISSING"
    assert "unversioned" in report(PADDLE_RUNTIME).causes[0].title


def test_image_that_only_runs_nvidia_smi_is_not_the_programs() -> None:
    top = report(SERVING_SMI).causes[0]
    assert "does not install it" not in top.title


def test_devel_image_stays_quiet() -> None:
    devel = ORT_RUNTIME.replace("10.2-cudnn8-runtime`", "10.2-cudnn8-devel`").replace(
        " This library is there in cudnn8-devel but not in cudnn8-runtime.", "")
    assert all("does not install it" not in c.title for c in report(devel).causes)
