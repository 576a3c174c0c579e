"""accconda (session 36): what conda installed, by its build string, and what its solver said about the driver.

Real lines carry their public source; lines built for a test say so.
"""

from __future__ import annotations

from log_text import codes, facts, finding_codes, report
from whygpu.explain.buildshown import cuda_build_verdict
from whygpu.knowledge.conda_solver import no_driver_situation
from whygpu.knowledge.cuda_build import build_verdict, conda_build, evidence_kinds

# https://github.com/pytorch/pytorch/issues/91009: the CUDA pin installed beside the CPU build.
PIN_BESIDE_CPU = (
    "conda install -y pytorch torchvision torchaudio pytorch-cuda=11.6 -c pytorch-nightly -c nvidia\n"
    "2022-12-16T16:39:38.3607708Z     pytorch-2.0.0.dev20221216  |      py3.8_cpu_0        84.2 MB  pytorch-nightly\n"
    "2022-12-16T16:39:38.3608191Z     pytorch-cuda-11.6          |       h867d48c_1           3 KB  pytorch-nightly\n"
    "2022-12-16T16:39:38.3608668Z     pytorch-mutex-1.0          |              cpu           3 KB  pytorch-nightly\n"
)
# https://github.com/meta-pytorch/data/issues/315: the same environment file with and without torchdata (two listings).
TWO_LISTINGS = (
    "pytorch                   1.11.0              py3.8_cpu_0    pytorch\n"
    "pytorch-mutex             1.0                         cpu    pytorch\n"
    "pytorch                   1.11.0          py3.8_cuda11.3_cudnn8.2.0_0    pytorch\n"
    "pytorch-mutex             1.0                        cuda    pytorch\n"
    "  - cudatoolkit=11.3\n"
)
# https://github.com/computational-cell-analytics/micro-sam/issues/356: conda-forge's CPU build, no pin asked.
CF_CPU_ROW = "pytorch                   2.1.0           cpu_generic_py311h8354fdb_2    conda-forge\n"
# https://github.com/nanoporetech/medaka/issues/232: `conda search` lists what the channel holds, not what is installed.
SEARCH = (
    "`conda search tensorflow`\n"
    "tensorflow                     2.2.0 eigen_py36h84d285f_0  pkgs/main\n"
    "tensorflow                     2.2.0 gpu_py36hf933387_0  pkgs/main\n"
    "tensorflow                     2.2.0 mkl_py36h5a57954_0  pkgs/main\n"
)
# https://github.com/conda-forge/pytorch-cpu-feedstock/issues/364
LOGIN_NODE = ("I am trying to install pytorch with CUDA supports on the login node of our cluster (without any GPUs) using "
              "`micromamba install -c conda-forge pytorch \"libtorch=*=cuda12*\"`, where I encounter a huge trace, but my hunch for "
              "the most important error raised while solving the installation is this tiny line `__cuda =* *, which is missing on "
              "the system;`\n")
# https://github.com/conda-forge/tensorflow-feedstock/issues/216
IMAGE_BUILD = ("Encountered problems while solving:\n"
               "  - nothing provides __cuda needed by tensorflow-2.7.0-cuda102py310hcf4adbc_0\n"
               "Dockerfile to reproduce:\n"
               "RUN mamba install tensorflow-gpu==2.7.0\n")
BARE_NO_CUDA = "Problem: nothing provides __cuda needed by tensorflow-2.7.0-cuda102py310hcf4adbc_0\n"
# The conda info of https://github.com/conda-forge/pytorch-cpu-feedstock/pull/105 (a Linux machine, no __cuda) with the
# conda-forge CPU build of https://github.com/conda-forge/pytorch-cpu-feedstock/issues/102.
NO_CUDA_VIRTUAL = (
    "       virtual packages : __linux=5.4.0=0\n"
    "                          __glibc=2.31=0\n"
    "                          __unix=0=0\n"
    "                          __archspec=1=x86_64\n"
    "       base environment : /home/ngam/.Mambaforge-Linux-x86_64  (writable)\n"
    "    pytorch-1.11.0             |cpu_py37h14e09b7_1        49.7 MB  conda-forge\n"
)
# https://github.com/mamba-org/mamba/issues/336: conda info with the driver's __cuda.
WITH_CUDA_VIRTUAL = (
    "       virtual packages : __cuda=11.2=0\n"
    "                          __linux=5.4.0=0\n"
    "                          __glibc=2.31=0\n"
    "    pytorch-1.11.0             |cpu_py37h14e09b7_1        49.7 MB  conda-forge\n"
)
# https://github.com/conda/conda/issues/15501: a Mac's listing.
MAC_VIRTUAL = ("       virtual packages : __archspec=1=m1\n"
               "                          __conda=25.11.0=0\n"
               "                          __cuda=0=0\n"
               "                          __osx=15.6.1=0\n")
# https://github.com/ContinuumIO/anaconda-issues/issues/12302: `conda update --all` replaced the pytorch channel's CUDA build.
SUPERSEDED = ("The following packages will be SUPERSEDED by a higher-priority channel:\n...\n"
              "  pytorch            pytorch::pytorch-1.7.1-py3.8_cuda10.2~ --> pkgs/main::pytorch-1.7.1-cpu_py38h6a09485_0\n")
# Built for the test in conda's plan layout (conda/core/link.py prints "old --> channel::name-version-build"): CUDA to CUDA.
UPDATED_CUDA = ("The following packages will be UPDATED:\n\n"
                "  pytorch            pytorch::pytorch-1.13.1-py3.9_cuda11.7_cudnn8.5.0_0 --> pytorch::pytorch-2.0.1-py3.9_cuda11.8_cudnn8.7.0_0\n")
# https://github.com/hpcaitech/FastFold/pull/27
SAID = ("In current environment.yml conda not install cuda related package, that lead pytorch choose cpu version instead cuda "
        "version. and will fail when python setup.py install or run the infer.py\n")


# --- the knowledge layer ------------------------------------------------------------------------------------------------

def test_build_string_conventions_decide_the_variant() -> None:
    assert conda_build("pytorch", "py3.10_cpu_0").cuda is False  # type: ignore[union-attr]
    assert conda_build("pytorch", "py3.9_cuda11.8_cudnn8.7.0_0").cuda is True  # type: ignore[union-attr]
    assert conda_build("pytorch", "cpu_generic_py311h8354fdb_2").cuda is False  # type: ignore[union-attr]
    assert conda_build("pytorch", "cuda118_py311h12a8bb5_300").cuda is True  # type: ignore[union-attr]
    assert conda_build("tensorflow-base", "mkl_py39h6a7f48e_0").cuda is False  # type: ignore[union-attr]
    assert conda_build("tensorflow", "cuda120py311h5cbd639_1").cuda is True  # type: ignore[union-attr]
    assert conda_build("_tflow_select", "gpu").cuda is True  # type: ignore[union-attr]
    assert conda_build("jaxlib", "cpu_py311h7146453_1").cuda is False  # type: ignore[union-attr]
    assert conda_build("_pytorch_select", "cpu_0").cuda is False  # type: ignore[union-attr]
    # A metapackage's build string names no variant; an unknown package is not judged.
    assert conda_build("pytorch-cuda", "h867d48c_1") is None
    assert conda_build("numpy", "cpu_py39h0") is None


def test_the_build_string_decides_over_the_pin() -> None:
    assert {"conda_build_string", "conda_build_string_cpu"} <= set(evidence_kinds())
    verdict = build_verdict(["conda_build_string_cpu", "conda_cuda_pin"])
    assert verdict is not None and verdict.cuda is False and verdict.strength == "decides"
    assert build_verdict(["conda_cuda_pin"]) is None


def test_no_driver_situation() -> None:
    assert no_driver_situation(image_build=True, no_gpu_said=False, driver_shown=False).cause == "CONTAINER_NO_GPU"  # type: ignore[union-attr]
    assert no_driver_situation(image_build=True, no_gpu_said=True, driver_shown=False).cause == "NO_GPU"  # type: ignore[union-attr]
    assert no_driver_situation(image_build=False, no_gpu_said=False, driver_shown=False).cause == "DRIVER_MISSING"  # type: ignore[union-attr]
    assert no_driver_situation(image_build=False, no_gpu_said=False, driver_shown=True) is None


# --- the facts ------------------------------------------------------------------------------------------------------------

def test_rows_are_typed_with_build_string_and_channel() -> None:
    rows = [s.value for s in facts(PIN_BESIDE_CPU).conda_row]
    assert [(r.package, r.build, r.channel) for r in rows] == [
        ("pytorch", "py3.8_cpu_0", "pytorch-nightly"), ("pytorch-cuda", "h867d48c_1", "pytorch-nightly"),
        ("pytorch-mutex", "cpu", "pytorch-nightly")]
    (row,) = [s.value for s in facts(SUPERSEDED).conda_row]
    assert (row.build, row.channel, row.section, row.replaces) == ("cpu_py38h6a09485_0", "pkgs/main", "supersede", "py3.8_cuda10.2")


def test_a_search_listing_is_not_what_is_installed() -> None:
    assert facts(SEARCH).conda_row == []


def test_pin_row_no_longer_counts_as_a_cuda_build() -> None:
    found = cuda_build_verdict(facts(PIN_BESIDE_CPU), "torch")
    assert found is not None and found[0].cuda is False


def test_virtual_packages() -> None:
    assert [s.value for s in facts(NO_CUDA_VIRTUAL).conda_virtual] == [""]
    assert [s.value for s in facts(WITH_CUDA_VIRTUAL).conda_virtual] == ["11.2"]
    assert facts(MAC_VIRTUAL).conda_virtual == []


# --- the rules ------------------------------------------------------------------------------------------------------------

def test_log670_cpu_build_beside_pin() -> None:
    assert "LOG670" in finding_codes(PIN_BESIDE_CPU)
    assert codes(PIN_BESIDE_CPU)[0] == "FRAMEWORK_CPU_BUILD"


def test_log670_quiet_with_a_cuda_build_or_without_a_pin() -> None:
    assert "LOG670" not in finding_codes(TWO_LISTINGS)
    assert "LOG670" not in finding_codes(CF_CPU_ROW)


def test_log671_solver_saw_no_driver_by_place() -> None:
    first = report(LOGIN_NODE).causes[0]
    assert first.code == "NO_GPU" and "LOG671" in first.findings
    first = report(IMAGE_BUILD).causes[0]
    assert first.code == "CONTAINER_NO_GPU" and "LOG671" in first.findings
    first = report(BARE_NO_CUDA).causes[0]
    assert first.code == "DRIVER_MISSING" and "LOG671" in first.findings


def test_log671_quiet_where_a_driver_works() -> None:
    smi = "| NVIDIA-SMI 535.161.07             Driver Version: 535.161.07   CUDA Version: 12.2     |\n"
    assert "LOG671" not in finding_codes(smi + BARE_NO_CUDA)


def test_log672_cpu_build_without_cuda_virtual_package() -> None:
    assert "LOG672" in finding_codes(NO_CUDA_VIRTUAL)
    assert codes(NO_CUDA_VIRTUAL)[0] == "FRAMEWORK_CPU_BUILD"
    assert "LOG672" not in finding_codes(WITH_CUDA_VIRTUAL)


def test_log673_cuda_build_replaced() -> None:
    assert "LOG673" in finding_codes(SUPERSEDED)
    assert "LOG673" not in finding_codes(UPDATED_CUDA)


def test_log674_writer_says_conda_installed_cpu_build() -> None:
    assert "LOG674" in finding_codes(SAID)
    assert codes(SAID)[0] == "FRAMEWORK_CPU_BUILD"
    # Not where a conda row shows the CUDA build installed.
    assert "LOG674" not in finding_codes(SAID + "pytorch                   1.11.0          py3.8_cuda11.3_cudnn8.2.0_0    pytorch\n")
