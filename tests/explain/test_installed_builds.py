"""What install output and package tables say is INSTALLED (session 18, accbuild): each reading fires on lines that mean it and stays quiet on near misses.

The lines are written from what the programs print (pip's install, uninstall, resolver and
"already satisfied" lines; uv's and poetry's install plans; conda's plans and build strings; xFormers'
build check), each with the source that says so, not copied from a corpus case.
"""

from __future__ import annotations

import pytest

from log_text import codes as _codes
from log_text import facts as _facts
from whygpu.explain.logfacts import installed_view


def _torch_build(text: str) -> bool | None:
    builds = _facts(text).cuda_build.get("torch", [])
    return builds[0].value if builds else None


def _torch_version(text: str) -> str | None:
    versions = _facts(text).versions.get("torch", [])
    return versions[0].value if versions else None


# --- what pip, uv, poetry and conda remove is not installed ----------------------------------
# pip: src/pip/_internal/req/req_uninstall.py; uv: https://docs.astral.sh/uv/; poetry: https://python-poetry.org/docs/cli/


@pytest.mark.parametrize("line", [
    "    Found existing installation: torch 2.1.0+cpu",
    "    Uninstalling torch-2.1.0+cpu:",
    "      Successfully uninstalled torch-2.1.0+cpu",
    " - torch==2.1.0+cpu",
    "  • Removing torch (2.1.0+cpu)",
    "  - Removing torch (2.1.0+cpu)",
])
def test_a_removed_torch_is_not_the_installed_one(line: str) -> None:
    assert installed_view(line) is None
    assert _torch_build(line + "\n") is None


def test_pip_replacing_a_cpu_build_with_a_cuda_one_shows_the_cuda_build() -> None:
    log = (
        "Looking in indexes: https://download.pytorch.org/whl/cu121\n"
        "Installing collected packages: torch\n"
        "  Attempting uninstall: torch\n"
        "    Found existing installation: torch 2.1.0+cpu\n"
        "    Uninstalling torch-2.1.0+cpu:\n"
        "      Successfully uninstalled torch-2.1.0+cpu\n"
        "Successfully installed torch-2.1.0+cu121\n"
        ">>> torch.cuda.is_available()\n"
        "False\n"
    )
    assert _torch_build(log) is True
    assert _torch_version(log) == "2.1.0+cu121"
    assert "FRAMEWORK_CPU_BUILD" not in _codes(log)[:1]


@pytest.mark.parametrize("line, version", [
    # poetry's update and downgrade lines: the version after the arrow is the one installed.
    ("  • Updating torch (2.0.0+cu118 -> 2.1.0+cpu)", "2.1.0+cpu"),
    ("  • Downgrading torch (2.1.0+cu121 -> 2.0.1+cpu)", "2.0.1+cpu"),
    # uv's plan: "+" installs.
    (" + torch==2.5.1+cpu", "2.5.1+cpu"),
])
def test_the_new_side_of_an_update_is_the_installed_one(line: str, version: str) -> None:
    assert _torch_version(line + "\n") == version
    assert _torch_build(line + "\n") is False


def test_conda_superseding_a_cuda_build_with_a_cpu_one_shows_the_cpu_build() -> None:
    line = "  pytorch    pytorch::pytorch-2.0.1-py3.9_cuda11.8_cudnn8.7.0_0 --> conda-forge::pytorch-2.0.1-cpu_py39h1234567_0\n"
    assert _torch_build(line) is False


# --- what another package requires, or pip was only asked for, is not installed ---------------
# pip: src/pip/_internal/operations/check.py (the resolver's conflicts), resolution/resolvelib/factory.py


def test_pips_resolver_conflict_reads_the_version_you_have_not_the_one_required() -> None:
    line = "torchaudio 2.1.0+cu121 requires torch==2.1.0+cu121, but you have torch 2.1.0+cpu which is incompatible.\n"
    assert _torch_version(line) == "2.1.0+cpu"
    assert _torch_build(line) is False


@pytest.mark.parametrize("line", [
    "ERROR: Could not find a version that satisfies the requirement torch==2.1.0+cpu (from versions: 2.0.0+cpu, 2.1.0+cpu)",
    "ERROR: No matching distribution found for torch==1.12.1+cpu",
])
def test_a_version_pip_could_not_find_is_not_installed(line: str) -> None:
    assert _torch_build(line + "\n") is None
    assert _codes(line + "\n") == [] or _codes(line + "\n")[0] != "FRAMEWORK_CPU_BUILD"


def test_requirement_already_satisfied_reads_the_installed_version_in_parentheses() -> None:
    line = r"Requirement already satisfied: torch==2.1.0 in c:\program files\python310\lib\site-packages (2.1.0+cpu)" + "\n"
    assert _torch_version(line) == "2.1.0+cpu"
    assert _torch_build(line) is False
    assert _codes(line)[0] == "FRAMEWORK_CPU_BUILD"


def test_requirement_already_satisfied_of_a_cuda_build_is_no_cpu_build() -> None:
    line = "Requirement already satisfied: torch in ./venv/lib/python3.10/site-packages (from -r requirements.txt (line 1)) (2.1.0+cu121)\n"
    assert _torch_build(line) is True
    assert _facts(line).python[0].value == "3.10"


# --- another library's "built for X (you have Y)" ---------------------------------------------
# https://github.com/facebookresearch/xformers/blob/main/xformers/_cpp_lib.py prints torch.__version__ after "you have".


def test_xformers_build_check_reads_the_torch_you_have() -> None:
    log = (
        "WARNING[XFORMERS]: xFormers can't load C++/CUDA extensions. xFormers was built for:\n"
        "    PyTorch 2.1.0+cu121 with CUDA 1201 (you have 2.1.0+cpu)\n"
        "    Python  3.10.11 (you have 3.10.11)\n"
    )
    assert _torch_version(log) == "2.1.0+cpu"
    assert _torch_build(log) is False
    assert _codes(log)[0] == "FRAMEWORK_CPU_BUILD"


def test_xformers_build_check_with_a_cuda_torch_is_no_cpu_build() -> None:
    log = "    PyTorch 2.1.0+cu118 with CUDA 1108 (you have 2.1.2+cu121)\n"
    assert _torch_version(log) == "2.1.2+cu121"
    assert _torch_build(log) is True


# --- other forms of a torch build's name -------------------------------------------------------


@pytest.mark.parametrize("line, build", [
    # The pytorch channel's build strings (https://anaconda.org/pytorch/pytorch/files), written anywhere.
    ("conda env create installs the CPU version of PyTorch (`py3.9_cpu_0`)", False),
    ("- pytorch::pytorch=1.13.0=py3.9_cpu_0", False),
    ("pytorch=2.3.1=py3.10_cuda12.1_cudnn8_0", True),
    # A local tag written apart from its version, and "the PyTorch wheel for X".
    ("**Versions:** PyTorch 2.8.0 + cu129", True),
    ("Note that the PyTorch wheel for 2.9.1+cpu has been installed.", False),
])
def test_other_written_forms_of_a_torch_build(line: str, build: bool) -> None:
    assert _torch_build(line + "\n") is build


@pytest.mark.parametrize("line", [
    # torchvision's and torchaudio's own builds (undotted Python, their own +cpu tags) are not torch's.
    "torchvision               0.14.1                py39_cpu     pytorch",
    "torchaudio                0.13.1                py39_cpu     pytorch",
    "Successfully installed torchvision-0.16.0+cpu",
    # rusty1s' extension packages name the torch they were built for, not a torch build.
    "pytorch-cluster           1.5.9           py39_torch_1.9.0_cpu    rusty1s",
    # "PyTorch 2.0 + CUDA 11.8" names a CUDA release, not a wheel's local tag.
    "I use PyTorch 2.0 + CUDA 11.8",
])
def test_other_packages_builds_are_not_a_torch_build(line: str) -> None:
    assert _torch_build(line + "\n") is None


def test_a_spaced_local_tag_gives_the_build_its_cuda() -> None:
    seen = _facts("**Versions:** PyTorch 2.8.0 + cu129\n").build_cuda.get("torch", [])
    assert [s.value for s in seen] == ["12.9"]


# --- PyTorch's CPU index ------------------------------------------------------------------------


def test_pip_using_pytorchs_cpu_index_shows_a_cpu_build() -> None:
    assert _torch_build("Looking in indexes: https://download.pytorch.org/whl/cpu\nCollecting torch\n") is False


def test_a_table_of_commands_naming_the_cpu_and_a_cuda_index_shows_no_build() -> None:
    log = (
        "CPU: pip install torch --index-url https://download.pytorch.org/whl/cpu\n"
        "CUDA 12.1: pip install torch --index-url https://download.pytorch.org/whl/cu121\n"
    )
    assert _torch_build(log) is None


# --- two environments ---------------------------------------------------------------------------


def test_a_cpu_build_shown_beside_a_cuda_build_is_the_one_the_log_is_about() -> None:
    log = (
        "Ultralytics YOLOv8.0.53 Python-3.9.1 torch-1.8.1+cu111 CUDA:0 (NVIDIA GeForce RTX 3070, 8192MiB)\n"
        "Ultralytics YOLOv8.0.54 Python-3.10.6 torch-2.0.0+cpu CPU\n"
    )
    assert _torch_build(log) is False
    assert _torch_version(log) == "2.0.0+cpu"


def test_a_cuda_build_alone_stays_the_cuda_build() -> None:
    log = "Ultralytics YOLOv8.0.53 Python-3.9.1 torch-1.8.1+cu111 CUDA:0 (NVIDIA GeForce RTX 3070, 8192MiB)\n"
    assert _torch_build(log) is True
    assert _codes(log) == []


# --- what a version is NOT: another program's build, a CUDA release ------------------------------


@pytest.mark.parametrize("line", [
    "CUDA used to build PyTorch: 12.1",
    "Detectron2 was compiled with torch 1.10.0+cu113, but you are running it with another build",
    "This extension was built against PyTorch 2.1.0+cu118",
])
def test_what_another_program_was_built_with_is_not_the_installed_torch(line: str) -> None:
    assert _torch_version(line + "\n") is None


# --- a doctor's warning is no cause in a log that shows nothing against the GPU ------------------


def test_an_old_name_tensorflow_gpu_alone_lists_no_cause() -> None:
    # pip's tensorflow-gpu 2.1-2.11 is the same GPU build as tensorflow (knowledge/tensorflow.toml); the
    # doctor's FW003 warns about the old name, which is no reason the GPU went unused.
    assert _codes("- tensorflow-gpu            2.2.0                     <pip>\n") == []


def test_the_tensorflow_gpu_stub_is_still_a_cause() -> None:
    assert _codes("tensorflow-gpu            2.12.0\n")[:1] == ["FRAMEWORK_INSTALL_BROKEN"]


# --- the Hugging Face libraries' environment report ------------------------------------------------
# https://github.com/huggingface/transformers/blob/main/src/transformers/commands/env.py


def test_hf_env_report_with_a_cpu_torch_is_a_cpu_build() -> None:
    log = "- Platform: Windows-10-10.0.22621-SP0\n- Python version: 3.10.11\n- PyTorch version (GPU?): 2.1.0+cpu (False)\n- Tensorflow version (GPU?): not installed (NA)\n"
    assert _torch_version(log) == "2.1.0+cpu"
    assert _codes(log)[0] == "FRAMEWORK_CPU_BUILD"


@pytest.mark.parametrize("row, framework", [
    ("- PyTorch version (GPU?): 2.1.0 (False)", "torch"),
    ("- PyTorch version (accelerator?): 2.5.1+cu121 (NA)", "torch"),
    ("- Tensorflow version (GPU?): 2.13.0 (False)", "tensorflow"),
    ("- Flax version (CPU?/GPU?/TPU?): 0.7.2 (cpu)", "jax"),
])
def test_hf_env_report_rows_are_the_frameworks_own_answer(row: str, framework: str) -> None:
    facts = _facts(row + "\n")
    assert [s.value for s in facts.gpu_answer.get(framework, [])] == [False]
    assert _codes(row + "\n") != []


@pytest.mark.parametrize("row", [
    "- PyTorch version (GPU?): 2.0.1+cu118 (True)",
    "- PyTorch version (accelerator?): 2.5.1+cu121 (CUDA)",
    "- Flax version (CPU?/GPU?/TPU?): 0.7.2 (tpu)",
    "- Tensorflow version (GPU?): not installed (NA)",
])
def test_hf_env_report_rows_that_find_a_gpu_or_say_nothing_give_no_cause(row: str) -> None:
    assert _codes(row + "\n") == []


def test_hf_env_report_tensorflow_without_gpu_beside_torch_with_gpu_is_no_finding() -> None:
    log = "- PyTorch version (GPU?): 2.0.1+cu118 (True)\n- Tensorflow version (GPU?): 2.13.0 (False)\n"
    assert _codes(log) == []


# --- one package named twice is not two packages ------------------------------------------------


def _two_tensorflows(log: str) -> bool:
    from whygpu.explain import explain_text, to_report

    return any("FW004" in c.findings for c in to_report(explain_text(log)).causes)


def test_tensorflow_and_tensorflow_gpu_in_a_pip_list_are_two_packages() -> None:
    assert _two_tensorflows("tensorflow           1.14.0\ntensorflow-estimator 1.14.0\ntensorflow-gpu       1.14.0\n")


def test_a_template_field_naming_tensorflow_beside_a_tensorflow_gpu_command_is_one_package() -> None:
    log = (
        "- TensorFlow installed from: `pip`\n"
        "- TensorFlow version: 2.1.0rc0\n"
        "I want to use `pip install tensorflow-gpu==2.1.0rc0` with cuda 10.2\n"
    )
    assert not _two_tensorflows(log)


def test_prose_naming_tensorflow_beside_a_tensorflow_gpu_command_is_one_package() -> None:
    assert not _two_tensorflows("I thought it was tensorflow 1.5, so I reinstalled 1.4 (pip3 install --upgrade tensorflow-gpu==1.4)\n")


def test_a_pasted_table_of_install_commands_does_not_prefer_the_cpu_one() -> None:
    log = (
        "# CUDA 11.0\n"
        "pip install torch==1.7.1+cu110 torchvision==0.8.2+cu110 -f https://download.pytorch.org/whl/torch_stable.html\n"
        "# CPU only\n"
        "pip install torch==1.7.1+cpu torchvision==0.8.2+cpu -f https://download.pytorch.org/whl/torch_stable.html\n"
    )
    assert _torch_build(log) is True


# --- a JAX listing without a CUDA plugin ----------------------------------------------------------
# pip list / pip freeze / conda list sort rows by name; jax-cuda12-plugin and jax-cuda12-pjrt sort between jax and jaxlib.


def _jax_build(text: str) -> bool | None:
    builds = _facts(text).cuda_build.get("jax", [])
    return builds[0].value if builds else None


@pytest.mark.parametrize("log", [
    "jax==0.4.36\njaxlib==0.4.36\n",
    "jax                       0.4.30\njaxlib                    0.4.30\nml-dtypes                 0.4.0\n",
])
def test_jax_directly_followed_by_a_tagless_jaxlib_is_jax_without_cuda(log: str) -> None:
    assert _jax_build(log) is False
    assert _codes(log)[0] == "FRAMEWORK_CPU_BUILD"


@pytest.mark.parametrize("log", [
    # The CUDA plugin rows sit between jax and jaxlib.
    "jax==0.4.36\njax-cuda12-pjrt==0.4.36\njax-cuda12-plugin==0.4.36\njaxlib==0.4.36\n",
    # Older CUDA jaxlib wheels carry a +cuda local tag; conda-forge's CUDA build names CUDA in its build string.
    "jax 0.4.7\njaxlib 0.4.7+cuda11.cudnn86\n",
    "jax                0.4.30      pyhd8ed1ab_0    conda-forge\njaxlib             0.4.30      cuda120py311h1234567_200    conda-forge\n",
    # Not adjacent: the listing is not known to be complete.
    "jax          0.4.30\nnumpy        1.26.4\njaxlib       0.4.30\n",
])
def test_a_jax_listing_with_a_cuda_plugin_or_build_or_not_adjacent_says_nothing(log: str) -> None:
    assert _jax_build(log) is not False


def test_a_cpu_jax_in_a_pytorch_projects_freeze_is_no_finding() -> None:
    log = "jax==0.4.13\njaxlib==0.4.13\ntorch==2.1.0+cu121\n>>> torch.cuda.is_available()\nTrue\n"
    assert _jax_build(log) is None


# --- lock files ----------------------------------------------------------------------------------
# https://docs.astral.sh/uv/concepts/projects/layout/#the-lockfile


def test_a_lock_files_torch_entry_gives_its_version_and_build() -> None:
    log = '[[package]]\nname = "torch"\nversion = "2.5.1+cpu"\nsource = { registry = "https://download.pytorch.org/whl/cpu" }\n'
    assert _torch_version(log) == "2.5.1+cpu"
    assert _torch_build(log) is False


def test_another_packages_lock_entry_is_not_torch() -> None:
    log = '[[package]]\nname = "torchvision"\nversion = "0.20.1+cpu"\n'
    assert _torch_build(log) is None


# --- jax.print_environment_info() -------------------------------------------------------------------
# https://github.com/jax-ml/jax/blob/main/jax/_src/environment_info.py


def test_jax_environment_info_with_a_cpu_device_is_jaxs_no_gpu_answer() -> None:
    log = "jax:    0.4.36\njaxlib: 0.4.36\nnumpy:  1.26.4\ndevice info: cpu-1, 1 local devices\nprocess_count: 1\n"
    assert [s.value for s in _facts(log).gpu_answer.get("jax", [])] == [False]
    assert _codes(log) != []


def test_jax_environment_info_with_an_nvidia_device_is_no_finding() -> None:
    log = "jax:    0.4.36\njaxlib: 0.4.36\ndevice info: NVIDIA GeForce RTX 3090-1, 1 local devices\n"
    assert _facts(log).gpu_answer.get("jax", []) == [] or all(s.value for s in _facts(log).gpu_answer["jax"])
    assert _codes(log) == []


# --- several expressions printed at once ------------------------------------------------------------


def test_one_print_of_version_and_answer_gives_both() -> None:
    log = 'python -c "import torch; print(torch.__version__, torch.cuda.is_available())"\n2.1.0+cpu False\n'
    assert _torch_version(log) == "2.1.0+cpu"
    assert [s.value for s in _facts(log).gpu_answer.get("torch", [])] == [False]


def test_two_prints_on_one_line_answer_in_order() -> None:
    log = 'python -c "import torch; print(torch.__version__); print(torch.cuda.is_available())"\n2.1.0+cu121\nFalse\n'
    assert _torch_version(log) == "2.1.0+cu121"
    assert [s.value for s in _facts(log).gpu_answer.get("torch", [])] == [False]


def test_a_prompt_print_of_version_and_cuda_reads_each() -> None:
    log = ">>> print(torch.__version__, torch.version.cuda)\n2.1.0+cu121 12.1\n"
    assert _torch_version(log) == "2.1.0+cu121"
    assert [s.value for s in _facts(log).build_cuda.get("torch", [])] == ["12.1"]


def test_a_line_that_does_not_hold_one_value_per_expression_answers_nothing() -> None:
    log = 'print(torch.__version__, torch.cuda.is_available())\nTraceback (most recent call last):\n'
    assert _facts(log).gpu_answer == {}
    assert _torch_version(log) is None


def test_pip_keeping_onnxruntime_beside_installing_onnxruntime_gpu_shows_both_packages() -> None:
    log = (
        "Requirement already satisfied: onnxruntime>=1.14 in ./venv/lib/python3.10/site-packages (from faster-whisper) (1.16.3)\n"
        "Successfully installed onnxruntime-gpu-1.16.3\n"
    )
    assert {s.value for s in _facts(log).ort_packages_installed} == {"onnxruntime", "onnxruntime-gpu"}
    assert _codes(log)[0] == "FRAMEWORK_INSTALL_BROKEN"


def test_pip_keeping_another_package_is_no_onnxruntime() -> None:
    log = "Requirement already satisfied: onnx in ./venv/lib/python3.10/site-packages (1.15.0)\n"
    assert _facts(log).ort_packages_installed == []


@pytest.mark.parametrize("line", [
    "UserWarning: Old settings, e.g, torch.backends.cuda.matmul.allow_tf32 = True will be deprecated after Pytorch 2.9.",
    "This API was removed in TensorFlow 2.16",
    "supported since torch 2.1.0+cu121",
])
def test_a_release_named_as_a_point_in_time_is_not_installed(line: str) -> None:
    facts = _facts(line + "\n")
    assert facts.versions.get("torch", []) == [] and facts.versions.get("tensorflow", []) == []


def test_a_version_named_plainly_in_a_sentence_is_still_read() -> None:
    assert _torch_version("I am using Pytorch 2.3.0 with Cuda 11.8\n") == "2.3.0"


def test_a_release_bounding_a_range_is_not_installed() -> None:
    log = "* TensorFlow 1.2.1 or earlier requires cuDNN 5.1. ('cudnn64_5.dll')\n* TensorFlow 1.3 or later requires cuDNN 6. ('cudnn64_6.dll')\n"
    assert _facts(log).versions.get("tensorflow", []) == []
