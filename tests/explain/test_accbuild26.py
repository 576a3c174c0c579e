"""The install produced a CPU build, shown by the install's output or told in words (session 26, branch accbuild):
knowledge/cpu_packages.toml [[conda_variant]] and conda_variant (conda packages built against PyTorch whose build string
names its variant), installstate.conda_packages (the layouts conda and mamba print a package in), a cpuonly command later
corrected, and the writer's words that an install brought the CPU build (installstate.said_resolved_to_cpu's new forms).

Every line here is written from the channels' naming (their file lists, cited beside the knowledge rows) and from how a
writer states an install, in wordings of our own; none is copied from a corpus case. Each reading has cases where it fires
and cases where it stays quiet.
"""

from __future__ import annotations

import pytest

from whygpu.explain import explain_text, to_report
from whygpu.explain.installstate import conda_packages, said_resolved_to_cpu
from whygpu.knowledge.cpu_packages import conda_variant


def _causes(text: str) -> list[str]:
    return [c.code for c in to_report(explain_text(text)).causes]


# --- the knowledge: which build strings name which variant ----------------------------------------------------------------


@pytest.mark.parametrize(("name", "build", "cuda", "torch"), [
    ("torchvision", "py310_cpu", False, ""),
    ("torchaudio", "py3.8_cpu", False, ""),
    ("torchvision", "py312_cu124", True, ""),
    ("torchvision", "cpu_py312h3b1d5a3_1", False, ""),
    ("libtorch", "cuda126_mkl_h9e36b8c_300", True, ""),
    ("pyg", "py310_torch_2.1.0_cpu", False, "2.1.0"),
    ("pyg", "py39_torch_1.13.1_cu117", True, "1.13.1"),
    ("pytorch-scatter", "py38_torch_1.12.0_cpu_1", False, "1.12.0"),
    ("torch-sparse", "cpu_h0aa1b2c_3", False, ""),
    ("pytorch_cluster", "cuda118_py310_h5e2f6a1_2", True, ""),
])
def test_a_build_string_names_the_pytorch_variant_of_the_packages_built_against_it(name: str, build: str, cuda: bool, torch: str) -> None:
    variant = conda_variant(name, build)
    assert variant is not None and variant.framework == "torch"
    assert variant.cuda is cuda and variant.torch == torch
    assert variant.source.startswith("https://")


@pytest.mark.parametrize(("name", "build"), [
    ("torchvision", "py311h6a1b2c3_0"),  # a build string that names no variant
    ("torchvision", "pypi_0"),  # installed by pip, listed by conda
    ("libblas", "20_linux64_mkl"),  # a CPU library of every environment, not a framework's variant
    ("mkl", "h213fc3f_46344"),
    ("pytorch-lightning", "pyhd8ed1ab_0"),
    ("faiss", "py3.10_h2bd8f6f_0_cpu"),  # not a package built against PyTorch
])
def test_other_packages_and_build_strings_without_a_variant_name_none(name: str, build: str) -> None:
    assert conda_variant(name, build) is None


# --- the layouts conda prints a package in --------------------------------------------------------------------------------


def test_conda_packages_are_read_from_the_plan_the_download_table_the_listing_and_mambas_table() -> None:
    assert conda_packages("  torchaudio       pytorch/linux-64::torchaudio-2.1.0-py310_cpu") == [("torchaudio", "2.1.0", "py310_cpu")]
    assert conda_packages("the solver wants conda-forge/linux-64::torch-scatter-2.1.1-cpu_h1a2b3c4_15 here") == [("torch-scatter", "2.1.1", "cpu_h1a2b3c4_15")]
    assert conda_packages("    torchvision-0.16.0        |       py39_cpu         6.1 MB  pytorch") == [("torchvision", "0.16.0", "py39_cpu")]
    assert conda_packages("torchaudio                2.1.0               py310_cu118    pytorch") == [("torchaudio", "2.1.0", "py310_cu118")]
    assert conda_packages("  + torchvision      0.15.2  cpu_py310h4d3e2f1_1  conda-forge/linux-64     Cached") == [("torchvision", "0.15.2", "cpu_py310h4d3e2f1_1")]
    # A package superseded by another channel, updated or downgraded: the new one only.
    superseded = "  torchvision        pytorch::torchvision-0.15.2-py39_cu118 --> conda-forge::torchvision-0.15.2-cpu_py39h1a2b3c4_1"
    assert conda_packages(superseded) == [("torchvision", "0.15.2", "cpu_py39h1a2b3c4_1")]


def test_a_package_files_name_and_words_are_no_conda_row() -> None:
    # A file on a channel's page (or the one the writer wanted) is not what the solver chose.
    assert conda_packages("I expected it to fetch linux-64/pyg-2.4.0-py310_torch_2.1.0_cu121.tar.bz2") == []
    assert conda_packages("I have torchvision 0.16.0 installed with the cpu build") == []


# --- the reading: a CPU variant in the log, judged with the rest of the log -----------------------------------------------


def test_a_cpu_variant_of_a_package_built_against_pytorch_names_the_cpu_build() -> None:
    plan = ("The following NEW packages will be INSTALLED:\n\n"
            "  pyg                pyg/linux-64::pyg-2.4.0-py310_torch_2.1.0_cpu\n")
    assert _causes(plan)[:1] == ["FRAMEWORK_CPU_BUILD"]
    download = ("    torchvision-0.16.0         |        py39_cpu         6.1 MB  pytorch\n"
                "print(torch.cuda.is_available()) gives False\n")
    assert _causes(download)[:1] == ["FRAMEWORK_CPU_BUILD"]
    mamba = "  + torch-scatter      2.1.1  cpu_h1a2b3c4_15  conda-forge     Cached\n"
    assert _causes(mamba)[:1] == ["FRAMEWORK_CPU_BUILD"]


def test_a_listing_row_of_a_packages_own_cpu_build_is_not_read_as_torchs() -> None:
    # What an install is about to put in is read; a `conda list` row of torchvision's own build is not (session 18's decision).
    listing = "torchvision               0.16.0                py39_cpu    pytorch\n"
    assert "FRAMEWORK_CPU_BUILD" not in _causes(listing)


def test_a_cpu_variant_beside_a_cuda_one_or_a_cuda_pytorch_says_nothing() -> None:
    mixed = ("  pyg                pyg/linux-64::pyg-2.4.0-py310_torch_2.1.0_cpu\n"
             "  pyg-lib            pyg/linux-64::pyg-lib-0.3.1-py310_torch_2.1.0_cu121\n")
    assert _causes(mixed) == []
    cuda_torch = ("pytorch                   2.1.0           py3.10_cuda12.1_cudnn8.9.2_0    pytorch\n"
                  "torchvision               0.16.0                py310_cpu    pytorch\n")
    assert "FRAMEWORK_CPU_BUILD" not in _causes(cuda_torch)


def test_an_unrelated_cpu_library_in_a_listing_is_no_cpu_build() -> None:
    listing = ("libblas                   3.9.0            20_linux64_mkl    conda-forge\n"
               "libcblas                  3.9.0            20_linux64_mkl    conda-forge\n"
               "nvidia-smi shows the training process at 97% GPU utilisation\n")
    assert "FRAMEWORK_CPU_BUILD" not in _causes(listing)


def test_a_cpu_variant_on_a_machine_said_to_have_no_gpu_stays_no_gpu_first() -> None:
    text = ("There is no NVIDIA GPU in this laptop.\n"
            "  + torchvision      0.16.0  py39_cpu  pytorch/linux-64     Cached\n"
            "print(torch.cuda.is_available()) gives False\n")
    assert _causes(text)[:1] == ["NO_GPU"]


def test_a_cpuonly_command_counts_unless_a_later_command_asks_for_the_cuda_variant() -> None:
    alone = "conda install pytorch torchaudio cpuonly -c pytorch\nprint(torch.cuda.is_available()) gives False\n"
    assert _causes(alone)[:1] == ["FRAMEWORK_CPU_BUILD"]
    corrected = ("At first I ran conda install pytorch torchaudio cpuonly -c pytorch, which was wrong.\n"
                 "Then: conda install pytorch torchaudio pytorch-cuda=11.8 -c pytorch -c nvidia\n"
                 "print(torch.cuda.is_available()) gives False\n")
    report = to_report(explain_text(corrected))
    assert all(c.confidence.name == "LOW" for c in report.causes if c.code == "FRAMEWORK_CPU_BUILD")


# --- the writer's words ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Running pip install some-tts-package, torch got installed w/o gpu support.",
    "pip install whisper-thing installed pytorch without CUDA support",
    "jax was installed without cuda, so it runs on the CPU.",
    "I installed torch without CUDA support on purpose.",
    "The solver still tries to install Pytorch \"CPU\" even with pytorch-cuda named.",
    "mamba keeps installing the cpu version of torch",
    "conda insists on installing pytorch-cpu",
    "the resolver picked pytorch cpu instead of the cuda build",
    "That conda command replaced the CUDA-enabled torch with a CPU-only one.",
    "it overwrote my gpu torch with the cpu version",
    "installing the package downgraded torch to the CPU build",
    "After installing scikit-image with conda, pytorch cuda is not available anymore.",
    "It ran on the GPU, but after installing that plugin, now training runs on CPU only.",
    "Since I installed xformers, torch no longer sees the GPU.",
    "torch wasn't installed with cuda support by the setup script.",
    "pip resolved torch to the CPU wheel.",
    "poetry keeps pulling the cpu version of torch.",
    "The one-click installer installed a non-CUDA torch.",
    "pip kept a non-cuda version of torch in the environment.",
])
def test_the_writers_words_that_an_install_brought_the_cpu_build_are_read(text: str) -> None:
    assert said_resolved_to_cpu(text) is not None


@pytest.mark.parametrize("text", [
    "Does pip install torch without GPU support?",
    "If conda installs pytorch without cuda, use the pytorch-cuda package.",
    "You can install torch without gpu support for testing.",
    "I replaced cuda with cpu in the config and it runs.",
    "I replaced the cpu version with the gpu one and now it works",
    "I installed the NVIDIA driver without cuda toolkit",
    "pip installed torch without any problem",
    "torch cpu usage is at 100% after installing it",
    "mamba should not install pytorch cpu",
    "After installing the NVIDIA driver, cuda is not available anymore.",
    "after installing CUDA 12.1 torch no longer finds the GPU",
    "After installing torch, cuda is not available now.",
    "after updating transformers the GPU is not used anymore",
    "after installing opencv everything works now",
    "after installing opencv my script no longer works",
    "If after installing X cuda is not available anymore, reinstall torch.",
    "after installing opencv, is cuda not available anymore?",
    "If tensorflow was not installed with GPU support, reinstall it.",
    "I wonder if conda replaced my gpu torch with the cpu version.",
    "make sure torch is not installed with the cuda toolkit missing",
    "I need a non-CUDA torch for CI.",
    "Is there a non-cuda build of torch?",
    "If you have a non-CUDA torch, install the cu121 wheel.",
    "non-cuda torch is fine for tests, but here I use the cu121 wheel",
])
def test_questions_conditions_advice_other_installs_and_other_subjects_are_not_read(text: str) -> None:
    assert said_resolved_to_cpu(text) is None


def test_an_install_said_to_replace_the_cuda_build_names_the_cpu_build() -> None:
    text = ("torch.cuda.is_available() was True before.\n"
            "Then conda install -c conda-forge some-package replaced the CUDA-enabled pytorch with a CPU-only build.\n"
            "Now torch.cuda.is_available() prints False\n")
    assert _causes(text)[:1] == ["FRAMEWORK_CPU_BUILD"]


def test_pytorchs_own_row_in_condas_download_table_is_read_as_its_listing_row() -> None:
    cpu = "    pytorch-2.0.1              |cpu_generic_py310h0a1b2c3_1        55.3 MB  conda-forge\n"
    assert _causes(cpu)[:1] == ["FRAMEWORK_CPU_BUILD"]
    cuda = ("    pytorch-2.0.1              |cuda118_py310h5a6b7c8_301       480.2 MB  conda-forge\n"
            "print(torch.cuda.is_available()) gives False\n")
    assert "FRAMEWORK_CPU_BUILD" not in _causes(cuda)[:1]
