"""accinst (session 30): what a package tool did to a framework's build, read from its own output or the writer's words.

Lines written here from the formats uv prints (its sync summary, "Uninstalled N packages in ...", and its "+ name==release"
rows) and from the verbs a writer uses for a build that changed ("dumbed down", "switched", "went back", "reverted"),
not pasted from any report; each form has the quiet cases beside it.
"""

from __future__ import annotations

import pytest

from log_text import facts, first_cause
from whygpu.explain.installstate import said_resolved_to_cpu
from whygpu.explain.twinsaid import resync_removed

CHANGED = [
    "After the update the launcher dumbed down torch to no cuda and my card sits idle.",
    "The new installer switched pytorch to a build without CUDA support.",
    "Since yesterday's upgrade torch went back to a version with no cuda.",
    "the update script reverted torch to the cpu wheel",
    "It changed my torch to torch+cpu when it updated the requirements.",
    "pytorch got switched to the cpu-only build after the sync",
]
NOT_CHANGED = [
    "I switched the model to cpu to compare the speed.",
    "I switched torch to cpu to check the output.",
    "If the update switched torch to a build without cuda, reinstall it.",
    "Did the update switch torch to the cpu version?",
    "The update did not change torch to the cpu build.",
    "You can switch torch to the cpu version with pip.",
    "The update changed torch to a build with CUDA 12.4.",
]


@pytest.mark.parametrize("text", CHANGED)
def test_a_build_changed_to_one_without_cuda_is_read(text: str) -> None:
    assert said_resolved_to_cpu(text) is not None


@pytest.mark.parametrize("text", NOT_CHANGED)
def test_a_device_chosen_a_question_a_condition_or_a_gpu_build_is_not(text: str) -> None:
    assert said_resolved_to_cpu(text) is None


def test_a_changed_build_said_is_the_cpu_build_in_the_report() -> None:
    assert first_cause("I updated the app and it has dumbed down torch to no cuda; check_cuda says no cuda on my RTX 3090.") == "FRAMEWORK_CPU_BUILD"


def _synced(platform_line: str, after: list[str]) -> str:
    return "\n".join([platform_line, "$ uv sync --extra gpu", "Resolved 88 packages in 3ms", "Installed 1 package in 4.20s",
                      " + torch==2.6.0+cu124", "$ uv run serve.py", *after])


COUNT_ONLY = ["Uninstalled 1 package in 402ms", "Installed 1 package in 5.01s", "the GPU is not detected"]


def test_a_later_sync_that_removed_packages_unnamed_is_a_possible_replacement() -> None:
    found = resync_removed(_synced("", COUNT_ONLY).split("\n"))
    assert found is not None
    replaced, index = found
    assert replaced.framework == "torch" and replaced.gpu == "torch-2.6.0+cu124" and replaced.release == "2.6.0"
    assert index == 6


def test_on_native_windows_the_resynced_torch_is_the_cpu_build() -> None:
    text = _synced("PS C:\\Users\\me\\proj> python --version", COUNT_ONLY)
    assert first_cause(text) == "FRAMEWORK_CPU_BUILD"
    assert [s.value for s in facts(text).cuda_build.get("torch", [])] == [False]


@pytest.mark.parametrize("after", [
    # the rows are printed: the GPU build put back (the fix), or another package changed
    ["Uninstalled 1 package in 402ms", "Installed 1 package in 5.01s", " - torch==2.6.0", " + torch==2.6.0+cu124"],
    ["Uninstalled 1 package in 402ms", "Installed 1 package in 1.01s", " - rich==13.0.0", " + rich==13.9.4"],
    # no removal after the GPU build
    ["Installed 1 package in 1.01s", " + rich==13.9.4"],
])
def test_printed_rows_or_no_removal_are_not_this_reading(after: list[str]) -> None:
    assert resync_removed(_synced("", after).split("\n")) is None


def test_a_removal_before_any_gpu_build_is_not_read() -> None:
    lines = ["$ uv run main.py", "Uninstalled 2 packages in 300ms", "Installed 2 packages in 1s", " + torch==2.6.0+cu124"]
    assert resync_removed(lines) is None


def test_on_linux_the_resynced_torch_is_not_said_a_cpu_build() -> None:
    # PyPI's torch on Linux carries CUDA: the count alone says nothing of the build there
    text = _synced("Linux box 6.8.0-45-generic x86_64 GNU/Linux, Ubuntu 24.04", COUNT_ONLY)
    assert False not in [s.value for s in facts(text).cuda_build.get("torch", [])]


# --- an issue template's environment rows ---------------------------------------------------------------------------------
@pytest.mark.parametrize("rows", [
    ["- tensorflow version [1.6.0]", "- tensorflow-gpu version [1.6.0]"],
    ["- tensorflow: 1.12.0", "- tensorflow-gpu: 1.12.0"],
    ["* tensorflow-gpu version (1.14.0)", "* tensorflow version (1.14.0)"],
])
def test_template_rows_naming_both_tensorflow_packages_are_both_installed(rows: list[str]) -> None:
    text = "\n".join(["The demo runs on the CPU, not on my GPU.", "**Environment:**", "- python version [3.6]", *rows])
    assert {s.value for s in facts(text).tf_packages_installed} == {"tensorflow", "tensorflow-gpu"}
    assert first_cause(text) == "FRAMEWORK_INSTALL_BROKEN"


def test_one_template_row_names_one_package() -> None:
    text = "Training runs on the CPU.\n- tensorflow-gpu version [1.6.0]\n- CUDA 9.0"
    assert {s.value for s in facts(text).tf_packages_installed} <= {"tensorflow-gpu"}
    assert first_cause(text) != "FRAMEWORK_INSTALL_BROKEN"


def test_the_framework_named_in_capitals_is_not_a_package_row() -> None:
    text = "Training runs on the CPU.\n- TensorFlow version: 1.6.0\n- tensorflow-gpu version: 1.6.0"
    assert "tensorflow" not in {s.value for s in facts(text).tf_packages_installed}


@pytest.mark.parametrize("text", [
    # the CPU build replaced by the GPU build: the fix, in each tool's output
    "C:\\proj> uv pip install torch --index-url https://download.pytorch.org/whl/cu124\nUninstalled 1 package in 120ms\n"
    "Installed 1 package in 3.2s\n - torch==2.5.1+cpu\n + torch==2.5.1+cu124",
    "Attempting uninstall: torch\n    Found existing installation: torch 2.2.1+cpu\n    Uninstalling torch-2.2.1+cpu:\n"
    "      Successfully uninstalled torch-2.2.1+cpu\nSuccessfully installed torch-2.2.1+cu121",
    "The following packages will be UPDATED:\n  pytorch   conda-forge::pytorch-2.1.0-cpu_generic_py310h1_0 --> "
    "conda-forge::pytorch-2.1.0-cuda118_py310h2_300\n",
])
def test_an_install_that_ends_with_the_cuda_build_is_quiet(text: str) -> None:
    assert first_cause(text) is None


@pytest.mark.parametrize(("text", "read"), [
    ("After pip install -r requirements.txt my torch became the cpu build again (2.4.0+cpu).", True),
    ("The new release of the app reinstalls torch without CUDA.", True),
    ("torch is now a version without cuda?", False),
    ("torch is now the cuda build", False),
    ("torch became faster after the update", False),
])
def test_the_framework_said_to_have_become_a_build_without_cuda(text: str, read: bool) -> None:
    assert (said_resolved_to_cpu(text) is not None) is read


@pytest.mark.parametrize("row", [
    "  -PaddlePaddle version    2.0.2",  # the framework in the writer's words, not pip's package
    "     tensorflow:          1.8.0-hb11d968_0     --> 1.7.0-0",  # conda's plan: a transaction, read by its own reader
])
def test_a_framework_named_in_words_or_a_transaction_is_not_a_template_row(row: str) -> None:
    from whygpu.explain.installstate import listing_row

    assert not listing_row(row)
