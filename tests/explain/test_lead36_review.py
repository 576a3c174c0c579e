"""The lead's review of session 36's branches: small meanings noticed while merging."""

from __future__ import annotations

import pytest

from log_text import facts, report
from whygpu.explain.compared import gpu_side_ran
from whygpu.knowledge.cuda_versions import library_version


@pytest.mark.parametrize("text", [
    "It trains fine on CPU, but on GPU it went twice as fast.",
    "It runs on CPU, but on GPU the current loss is nan.",
])
def test_a_gpu_half_with_a_word_ending_in_nt_is_still_a_run(text: str) -> None:
    # "went", "current": words that end in -nt negate nothing.
    assert gpu_side_ran(text)


@pytest.mark.parametrize("text", [
    "It runs on CPU, but on GPU it does not run.",
    "It runs on CPU, but on GPU it doesnt start.",
    "It runs on CPU, but on GPU it won't start.",
])
def test_a_gpu_half_that_negates_its_run_is_not_a_run(text: str) -> None:
    assert not gpu_side_ran(text)


@pytest.mark.parametrize(("form", "platform"), [
    # ollama's bug report form (https://github.com/ollama/ollama/issues/7801): its "### OS" dropdown answered "Windows".
    ("### OS\n\nWindows\n\n### GPU\n\nNvidia\n", "windows"),
    ("### OS\n\nmacOS\n", "darwin"),
])
def test_an_issue_forms_bare_os_heading_answer_is_the_platform(form: str, platform: str) -> None:
    assert facts(form).platform_name() == platform


def test_an_issue_forms_several_os_choices_name_no_platform() -> None:
    assert facts("### OS\n\nLinux, Windows\n").platform_name() is None


# tensorflow/tensorflow#5141 (https://github.com/tensorflow/tensorflow/issues/5141): macOS's loader refusing CUDA's runtime.
DYLD = ("ImportError: dlopen(/Users/x/anaconda/lib/python2.7/site-packages/tensorflow/python/_pywrap_tensorflow.so, 10): "
        "Library not loaded: @rpath/libcudart.8.0.dylib\n"
        "  Referenced from: /Users/x/anaconda/lib/python2.7/site-packages/tensorflow/python/_pywrap_tensorflow.so\n"
        "  Reason: image not found\n")


def test_macos_loader_refusing_a_cuda_library_is_a_library_failure() -> None:
    found = report(DYLD)
    assert "LOG-LIB-DYLD-NOT-LOADED" in {f.id for f in found.findings}
    assert {c.code for c in found.causes[:3]} >= {"CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH"}


def test_macos_loader_refusing_another_library_stays_quiet() -> None:
    line = "dyld: Library not loaded: /usr/local/opt/libpng/lib/libpng16.16.dylib\n  Reason: image not found\n"
    assert "LOG-LIB-DYLD-NOT-LOADED" not in {f.id for f in report(line).findings}


@pytest.mark.parametrize(("name", "version"), [("libcudart.8.0.dylib", "8.0"), ("libcudnn.5.dylib", "5"), ("libcudart.dylib", None)])
def test_a_macos_library_name_carries_its_version_before_the_extension(name: str, version: str | None) -> None:
    assert library_version(name) == version
