"""accsaid (session 29): which build an install left in place, read from what the words and an installer's output mean.

Lines written here from the forms a writer or pip uses (not pasted logs): a GPU build replaced by its plain twin in any
wording (LOG395), the writer's own words that the GPU build was never installed (LOG396), and the quiet forms of each
(a question, a condition, advice, a negation, the writer's own removal, a twin that is a GPU build).
"""

from __future__ import annotations

import pytest

from log_text import facts, finding_codes, first_cause
from whygpu.explain.twinsaid import (
    installer_replaced,
    installer_rows,
    said_never_installed,
    said_replaced,
)
from whygpu.knowledge.cpu_packages import (
    gpu_marked_build,
    gpu_marker_for,
    is_plain_twin,
    plain_twin_cpu,
)

REPLACED = [
    "I am trying to install fooext for streaming, however it uninstalls whatever tensorflow-gpu version I have and reinstalls the CPU version.",
    "pip replaced my torch 2.1.0+cu121 with torch 2.3.0+cpu when I installed the package.",
    "Running the project's requirements removed tensorflow-gpu and installed tensorflow 1.14.0 instead.",
    "When I install the package, pip uninstalls my torch+cu118 and installs torch from PyPI without CUDA.",
    "The dependency resolver replaced onnxruntime-gpu with onnxruntime.",
    "Installing bar overwrote my CUDA build of pytorch with the cpu-only one.",
    "The setup.py installs tensorflow 1.13.1 instead of my tensorflow-gpu.",
    "Installing the extension swapped out paddlepaddle-gpu for paddlepaddle.",
    "It removed the GPU version of tensorflow and installed the CPU version.",
    "conda install opencv got rid of my cuda pytorch and put in the cpu build.",
    "my onnxruntime-gpu got replaced by onnxruntime after installing the OCR package.",
    "After pip install -r requirements.txt, jaxlib 0.4.23+cuda12.cudnn89 was uninstalled and jaxlib 0.4.23 installed.",
    "The updater removes Torch with CUDA 2.2.1 cu118 and replaces it with Torch without CUDA version 2.1.2.",
    "I noticed my TensorFlow GPU version being overridden by a CPU version after installing the tuner.",
    "It uninstalled my CUDA torch 2.0.1 and put torch 2.1.0 (cpu) in its place.",
]


@pytest.mark.parametrize("line", REPLACED)
def test_gpu_build_replaced_by_its_twin_is_read_in_any_wording(line: str) -> None:
    assert said_replaced(line) is not None, line
    assert first_cause(line) == "FRAMEWORK_CPU_BUILD", line
    assert "LOG395" in finding_codes(line), line


REPLACED_QUIET = [
    "Does installing fooext uninstall tensorflow-gpu and reinstall the CPU version?",  # a question
    "If pip replaced your torch+cu121 with torch 2.3.0, reinstall it from the CUDA index.",  # a condition
    "I checked: installing the package did not replace my torch+cu121 with the cpu build.",  # negated
    "I uninstalled tensorflow-gpu and installed tensorflow-cpu to compare the speed.",  # the writer's own act
    "I uninstalled torch+cu118 and installed torch+cu121.",  # no twin: another GPU build
    "It uninstalls tensorflow-gpu and installs the GPU version of tensorflow 2.4.",  # a GPU build put in
    "You should uninstall tensorflow-gpu and install tensorflow 2.12 instead.",  # advice
    "pip install x replaced torch with torchvision.",  # no GPU build named
    "The installer replaced my tensorflow-gpu with tensorflow-gpu 1.15.",  # the same GPU build again
    "Installing onnx replaced my onnxruntime-gpu with torch.",  # another framework, not the twin
    "Running the tool seems to uninstall torch-2.3.1+cu121 and replace it with torch-2.4.0.",  # a guess
]


@pytest.mark.parametrize("line", REPLACED_QUIET)
def test_replacement_words_stay_quiet_where_they_do_not_say_it(line: str) -> None:
    assert said_replaced(line) is None, line
    assert "LOG395" not in finding_codes(line), line


def test_a_plain_twin_that_is_a_gpu_build_on_the_platform_is_not_read_as_cpu() -> None:
    # PyPI's torch is a CUDA build on Linux: replacing torch+cu118 with it is no CPU build.
    linux = "Ubuntu 22.04\npip replaced my torch 2.1.0+cu118 with torch 2.3.0 when I installed the package."
    assert "LOG395" not in finding_codes(linux)
    windows = "Windows-10-10.0.19045-SP0\npip replaced my torch 2.1.0+cu118 with torch 2.3.0 when I installed the package."
    assert "LOG395" in finding_codes(windows)
    assert first_cause(windows) == "FRAMEWORK_CPU_BUILD"


def test_tensorflow_twin_by_release() -> None:
    # pip's tensorflow 2.4 has CUDA code on Linux; 1.14 has none.
    assert "LOG395" not in finding_codes("Ubuntu 20.04\nInstalling fooext removed tensorflow-gpu and installed tensorflow 2.4.1 instead.")
    assert "LOG395" in finding_codes("Ubuntu 20.04\nInstalling fooext removed tensorflow-gpu and installed tensorflow 1.14.0 instead.")


PIP_OUTPUT = """Installing collected packages: torch, fooext
  Attempting uninstall: torch
    Found existing installation: torch 2.1.0+cu118
    Uninstalling torch-2.1.0+cu118:
      Successfully uninstalled torch-2.1.0+cu118
Successfully installed fooext-0.3.0 torch-2.1.0+cpu
"""


def test_installer_output_shows_the_gpu_build_replaced() -> None:
    assert installer_rows("      Successfully uninstalled torch-2.1.0+cu118") == ([], [("torch", "2.1.0+cu118")])
    assert installer_rows("Successfully installed fooext-0.3.0 torch-2.1.0") == ([("fooext", "0.3.0"), ("torch", "2.1.0")], [])
    assert installer_rows(" + torch==2.3.0") == ([("torch", "2.3.0")], [])
    assert installer_rows("  - Updating torch (2.1.0+cu118 -> 2.3.0)") == ([("torch", "2.3.0")], [("torch", "2.1.0+cu118")])
    assert installer_rows("Collecting torch") == ([], [])
    replaced = facts(PIP_OUTPUT).gpu_build_replaced
    assert replaced and replaced[0].value.cpu_words and replaced[0].value.framework == "torch"
    assert first_cause(PIP_OUTPUT) == "FRAMEWORK_CPU_BUILD"
    assert "LOG395" in finding_codes(PIP_OUTPUT)


def test_installer_output_quiet_where_a_gpu_build_is_put_back() -> None:
    back = PIP_OUTPUT.replace("torch-2.1.0+cpu", "torch-2.3.0+cu121")
    assert not facts(back).gpu_build_replaced
    # a CPU build removed and the GPU build installed: the repair, not the fault
    repair = "Successfully uninstalled torch-2.1.0+cpu\nSuccessfully installed torch-2.1.0+cu118\n"
    assert not facts(repair).gpu_build_replaced
    assert installer_replaced([("onnxruntime-gpu", "1.16.3")], [("onnxruntime-gpu", "1.17.0")]) is None
    assert installer_replaced([("onnxruntime-gpu", "1.16.3")], [("onnxruntime", "1.16.3")]) is not None


def test_installer_output_with_a_gpu_build_in_use_is_quiet() -> None:
    used = PIP_OUTPUT + "Using device: cuda:0 (NVIDIA GeForce RTX 3090)\nEpoch 1/10 ... GPU memory 8123MiB in use\n"
    assert "LOG395" not in finding_codes(used)


NEVER = [
    "I didn't have tensorflow-gpu installed, only tensorflow 1.13.",
    "I only installed tensorflow, not tensorflow-gpu.",
    "We never installed the GPU version of torch.",
    "I forgot to install tensorflow-gpu.",
    "I hadn't installed onnxruntime-gpu at all.",
    "The guide says to use tensorflow-gpu as the backend. I didn't have it installed, which explains the slow training.",
    "The problem was that I installed tensorflow instead of tensorflow-gpu.",
    "I only had onnxruntime installed, not onnxruntime-gpu.",
]


@pytest.mark.parametrize("line", NEVER)
def test_the_writers_own_words_that_the_gpu_build_was_never_installed(line: str) -> None:
    assert said_never_installed(line) is not None, line
    assert first_cause(line) == "FRAMEWORK_CPU_BUILD", line
    assert "LOG396" in finding_codes(line), line


NEVER_QUIET = [
    "I didn't have tensorflow installed before, so I installed tensorflow-gpu 1.14.",  # no GPU build said absent
    "Did you install tensorflow-gpu or only tensorflow?",  # a question
    "If tensorflow-gpu is not installed, pip installs tensorflow.",  # a condition
    "I didn't have tensorflow-gpu installed, so I installed it, but it still uses the CPU.",  # a fix that did not help
    "I did not install the CUDA version 11.8.",  # CUDA's release, not a framework build
    "The guide says to use tensorflow-gpu as the backend. I didn't have it.",  # no install said
    "Make sure you did not install tensorflow without tensorflow-gpu.",  # advice
    "I installed tensorflow-cpu instead of tensorflow-gpu to time the CPU run.",  # a CPU package of its own, chosen
    "Did I only install tensorflow and not tensorflow-gpu?",  # a question
]


@pytest.mark.parametrize("line", NEVER_QUIET)
def test_never_installed_stays_quiet(line: str) -> None:
    assert said_never_installed(line) is None, line
    assert "LOG396" not in finding_codes(line), line


def test_never_installed_quiet_where_plain_tensorflow_has_cuda() -> None:
    # From 2.1 pip's tensorflow carries the CUDA code on Linux: not having tensorflow-gpu says nothing of the build.
    assert "LOG396" not in finding_codes("tensorflow 2.9.1 on Ubuntu 22.04\nI didn't have tensorflow-gpu installed.")
    assert "LOG396" in finding_codes("tensorflow 1.13.1 on Ubuntu 18.04\nI didn't have tensorflow-gpu installed.")


def test_knowledge_of_gpu_markers_and_twins() -> None:
    for name, framework in (("tensorflow-gpu", "tensorflow"), ("torch 2.1.0+cu121", "torch"), ("torch==2.1.0+cu121", "torch"),
                            ("onnxruntime_gpu", "onnxruntime"), ("mxnet-cu101mkl", "mxnet"), ("jax[cuda12]", "jax"),
                            ("jaxlib-0.4.23+cuda12.cudnn89", "jax"), ("paddlepaddle-gpu 2.5.1", "paddle")):
        marker = gpu_marked_build(name)
        assert marker is not None and marker.framework == framework, name
    for name in ("tensorflow", "torch 2.1.0", "torch+cpu", "onnxruntime", "tensorflow-cpu", "jax[cpu]"):
        assert gpu_marked_build(name) is None, name
    torch = gpu_marker_for("torch")
    assert torch is not None and is_plain_twin(torch, "torch") and not is_plain_twin(torch, "torchvision")
    assert plain_twin_cpu(torch, platform="windows").cpu is True
    assert plain_twin_cpu(torch, platform="linux").cpu is False
    assert plain_twin_cpu(torch).cpu is None
    tf = gpu_marker_for("tensorflow")
    assert tf is not None
    assert plain_twin_cpu(tf, release="1.14.0", platform="linux").cpu is True
    assert plain_twin_cpu(tf, release="2.4.1", platform="linux").cpu is False
    assert plain_twin_cpu(tf, release="2.15.0", platform="windows").cpu is True
    assert plain_twin_cpu(tf).cpu is None
    ort = gpu_marker_for("onnxruntime")
    assert ort is not None and plain_twin_cpu(ort).cpu is True


@pytest.mark.parametrize("line", [
    "After installing whisperx, torch.cuda.is_available() became False.",
    "Since I installed the OCR package, torch.cuda.is_available() now returns False.",
])
def test_the_gpu_check_turned_false_after_installing_a_package(line: str) -> None:
    assert "LOG112" in finding_codes(line), line
    assert first_cause(line) == "FRAMEWORK_CPU_BUILD", line


@pytest.mark.parametrize("line", [
    "After installing the NVIDIA driver, torch.cuda.is_available() became False.",  # the machine changed, not the package
    "After installing whisperx, torch.cuda.is_available() became True.",
    "If after installing x torch.cuda.is_available() returns False, reinstall torch.",
])
def test_the_gpu_check_turned_false_quiet_forms(line: str) -> None:
    assert "LOG112" not in finding_codes(line), line


def test_pip_downloading_lines_read_as_installs() -> None:
    from whygpu.explain.installstate import installer_output

    assert installer_output("  Downloading onnxruntime_gpu-1.16.3-cp310-cp310-manylinux_2_28_x86_64.whl (156 MB)") == (("onnxruntime-gpu",), ())
    assert installer_output("  Using cached tensorflow-1.14.0-cp36-cp36m-manylinux1_x86_64.whl") == (("tensorflow",), ())
    assert installer_output("  Downloading https://download.pytorch.org/whl/cpu/torch-2.1.0%2Bcpu-cp310-cp310-linux_x86_64.whl (184.9 MB)") == (("torch",), ())
    # pip 23's resolver reads a candidate's metadata: not an install
    assert installer_output("  Downloading torch-2.1.0-cp310-cp310-manylinux1_x86_64.whl.metadata (25 kB)") == ((), ())
    assert installer_output("Downloading the model weights...") == ((), ())
    both = ("Collecting onnxruntime>=1.14\n  Downloading onnxruntime-1.16.3-cp310-cp310-manylinux_2_17_x86_64.whl (6.4 MB)\n"
            "Collecting onnxruntime-gpu\n  Downloading onnxruntime_gpu-1.16.3-cp310-cp310-manylinux_2_28_x86_64.whl (156 MB)\n")
    assert {s.value for s in facts(both).ort_packages_installed} == {"onnxruntime", "onnxruntime-gpu"}


def test_never_installed_reads_the_plain_release_named_in_the_sentence() -> None:
    assert "LOG396" not in finding_codes("We never installed tensorflow-gpu, because tensorflow 2.10 already has the GPU support.")
    assert "LOG396" in finding_codes("We never installed tensorflow-gpu; tensorflow 1.12.0 was all we had.")
