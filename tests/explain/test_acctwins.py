"""acctwins (session 28): a framework's GPU build and its CPU twin read from a package set written as pins (LOG133,
LOG160, LOG370 read them), and an add-on that requires the CPU twin by its distribution name (LOG385).

The lines are written from what pip prints (pip freeze's pins, "Successfully installed name-version", "Uninstalling
name-version:") and from how people list what they installed, not copied from a corpus case.
"""

from __future__ import annotations

import pytest

from log_text import finding_codes, first_cause
from whygpu.explain.installstate import pinned_members
from whygpu.knowledge.python_layouts import addon_pulls_cpu_twin, requires_twin_packages

# --- a package set written as pins on one line ------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "expected"), [
    ("Installed: tensorflow-gpu==1.4.0, tensorflow==1.12.0, keras==2.2.4", [("tensorflow-gpu", "1.4.0"), ("tensorflow", "1.12.0")]),
    ("I have tensorflow-gpu==1.15.0 and tensorflow==1.14.0 installed", [("tensorflow-gpu", "1.15.0"), ("tensorflow", "1.14.0")]),
    ("环境：tensorflow-gpu==1.8.0、tensorflow==1.13.1、python3.6", [("tensorflow-gpu", "1.8.0"), ("tensorflow", "1.13.1")]),
    ("- onnxruntime==1.16.3 / onnxruntime-gpu==1.16.3 / numpy==1.26.0", [("onnxruntime", "1.16.3"), ("onnxruntime-gpu", "1.16.3")]),
])
def test_a_set_of_pins_on_one_line_is_read_as_installed(line: str, expected: list[tuple[str, str]]) -> None:
    assert pinned_members(line) == expected


@pytest.mark.parametrize("line", [
    "pip install tensorflow-gpu==1.15.0 tensorflow==1.14.0",                       # a command: what was asked for
    "The project requires tensorflow==1.14.0, tensorflow-gpu==1.14.0",             # another package's requirements
    "Should I use tensorflow==1.14.0 or tensorflow-gpu==1.14.0?",                   # a question
    "If you have tensorflow==1.14.0, tensorflow-gpu==1.14.0 will not work",          # a condition, and prose between
    "tensorflow-gpu==1.15.0",                                                        # one pin: a listing's row, read elsewhere
    "numpy==1.19.5, keras==2.3.1",                                                   # no twin named
])
def test_pins_that_are_not_a_package_set_installed_are_not_read(line: str) -> None:
    assert pinned_members(line) == []


def test_tensorflow_gpu_and_an_old_plain_tensorflow_pinned_together_are_two_builds_of_one_package() -> None:
    log = "Training is very slow and the GPU is not used.\nInstalled: tensorflow-gpu==1.4.0, tensorflow==1.12.0, keras==2.2.4, CUDA 8\n"
    assert first_cause(log) == "FRAMEWORK_INSTALL_BROKEN"
    assert "LOG133" in finding_codes(log)


def test_tensorflow_gpu_beside_a_plain_tensorflow_that_is_a_gpu_build_is_no_twin() -> None:
    # plain tensorflow 2.4 is itself a GPU build (pip_gpu rows): the pins show no CPU copy.
    log = "Training is very slow and the GPU is not used.\nInstalled: tensorflow-gpu==2.4.0, tensorflow==2.4.1, keras==2.4.3\n"
    assert "LOG133" not in finding_codes(log)


def test_onnxruntime_and_onnxruntime_gpu_pinned_together() -> None:
    log = "onnxruntime only uses the CPU.\nMy environment: onnxruntime==1.16.3, onnxruntime-gpu==1.16.3, torch==2.1.0\n"
    assert first_cause(log) == "FRAMEWORK_INSTALL_BROKEN"
    assert "LOG160" in finding_codes(log)


# --- an add-on that requires the CPU twin by its distribution name ----------------------------------------------------


def test_the_knowledge_layer_decides_which_addon_pulls_a_cpu_twin() -> None:
    assert {"tensorflow-text", "faster-whisper"} <= requires_twin_packages()
    # tensorflow-text 2.0 requires tensorflow 2.0, whose pip package has no CUDA code.
    found = addon_pulls_cpu_twin("tensorflow-text", "tensorflow-gpu", addon_version="2.0.1")
    assert found is not None and found.pulled == "tensorflow" and found.version == "2.0"
    # tensorflow 2.4 is a GPU build: nothing CPU is pulled; an unknown release decides nothing.
    assert addon_pulls_cpu_twin("tensorflow-text", "tensorflow-gpu", addon_version="2.4.0") is None
    assert addon_pulls_cpu_twin("tensorflow-text", "tensorflow-gpu") is None
    # The release pip prints decides over the add-on's own.
    assert addon_pulls_cpu_twin("tensorflow-text", "tensorflow-gpu", releases={"tensorflow": "1.14.0"}) is not None
    # Plain onnxruntime is the CPU build in every release; onnxruntime-gpu does not satisfy it.
    ort = addon_pulls_cpu_twin("faster-whisper", "onnxruntime-gpu")
    assert ort is not None and ort.pulled == "onnxruntime"
    # The GPU build that is the very distribution required meets the requirement: nothing is pulled.
    assert addon_pulls_cpu_twin("tensorflow-text", "tensorflow", addon_version="2.0.1") is None
    assert addon_pulls_cpu_twin("torchvision", "onnxruntime-gpu") is None


def test_an_addon_installed_over_tensorflow_gpu_pulls_the_cpu_tensorflow() -> None:
    log = ("I had tensorflow-gpu 2.0.0 installed and working.\n"
           "$ pip install tensorflow-text==2.0.1\n"
           "Successfully installed tensorflow-2.0.0 tensorflow-text-2.0.1\n"
           ">>> tf.test.is_gpu_available()\nFalse\n")
    assert first_cause(log) == "FRAMEWORK_INSTALL_BROKEN"
    assert "LOG385" in finding_codes(log)


def test_an_addon_installed_over_onnxruntime_gpu_pulls_the_cpu_onnxruntime() -> None:
    log = ("onnxruntime-gpu is installed but inference runs on the CPU.\n"
           "$ pip install faster-whisper\n"
           "Successfully installed ctranslate2-4.5.0 faster-whisper-1.1.0 onnxruntime-1.20.1\n")
    assert "LOG385" in finding_codes(log)


def test_an_addon_whose_tensorflow_is_a_gpu_build_or_a_gpu_build_installed_after_it_is_quiet() -> None:
    newer = ("I had tensorflow-gpu 2.4.0 installed.\n$ pip install tensorflow-text==2.4.1\n"
             "Successfully installed tensorflow-2.4.1 tensorflow-text-2.4.1\n>>> tf.test.is_gpu_available()\nFalse\n")
    assert "LOG385" not in finding_codes(newer)
    after = ("$ pip install faster-whisper\nSuccessfully installed faster-whisper-1.1.0 onnxruntime-1.20.1\n"
             "$ pip install onnxruntime-gpu==1.20.1\nSuccessfully installed onnxruntime-gpu-1.20.1\n")
    assert "LOG385" not in finding_codes(after)
    alone = "$ pip install faster-whisper\nSuccessfully installed faster-whisper-1.1.0 onnxruntime-1.20.1\n"
    assert "LOG385" not in finding_codes(alone)


# --- a managed image's cuDNN against the major a program asks for (LOG386) ---------------------------------------------


def test_the_knowledge_layer_dates_colabs_cudnn() -> None:
    from whygpu.knowledge.cuda import image_cudnn_lacks

    eight = image_cudnn_lacks("colab", "8")
    assert eight is not None and all("9" in majors for _, _, majors in eight.periods)
    nine = image_cudnn_lacks("colab", "9")
    assert nine is not None and all("9" not in majors for _, _, majors in nine.periods)
    # A dated log: the row of that day decides; a day whose image carried the major is quiet.
    assert image_cudnn_lacks("colab", "8", on="2024-06-01") is None
    dated = image_cudnn_lacks("colab", "9", on="2024-06-01")
    assert dated is not None and dated.periods[0][2] == ("8",)
    assert image_cudnn_lacks("colab", "9", on="2025-06-01") is None
    assert image_cudnn_lacks("colab", "9", on="2019-06-01") is None      # no row covers the day: not known
    assert image_cudnn_lacks("some-cluster", "8") is None               # an unknown image decides nothing


def test_a_cudnn_8_library_not_found_on_colab_is_the_image_carrying_another_major() -> None:
    log = ("Running my transcription notebook on Google Colab with a T4.\n"
           "Could not load library libcudnn_cnn_infer.so.8. Error: libcudnn_cnn_infer.so.8: cannot open shared object file: No such file or directory\n")
    assert first_cause(log) == "CUDNN_MISMATCH"
    assert "LOG386" in finding_codes(log)


def test_a_cudnn_9_library_not_loadable_on_colab_is_the_image_carrying_another_major() -> None:
    log = ("Colab notebook, GPU runtime.\n"
           "Unable to load any of {libcudnn_cnn.so.9.1.0, libcudnn_cnn.so.9.1, libcudnn_cnn.so.9, libcudnn_cnn.so}\n"
           "Invalid handle. Cannot load symbol cudnnCreateConvolutionDescriptor\n")
    assert first_cause(log) == "CUDNN_MISMATCH"


def test_the_image_cudnn_reading_stays_quiet_off_colab_on_a_matching_day_or_where_colab_works() -> None:
    line = "Could not load library libcudnn_cnn_infer.so.8. Error: libcudnn_cnn_infer.so.8: cannot open shared object file: No such file or directory\n"
    assert "LOG386" not in finding_codes("Ubuntu 22.04 workstation with an RTX 3090.\n" + line)
    # Dated on a day Colab's image carried cuDNN 8: the major matches, so the image is not the other side.
    dated = "Google Colab\n2024-06-01 10:12:44.123456: I external/local_tsl/tsl/cuda/cudart_stub.cc:28] loading\n" + line
    assert "LOG386" not in finding_codes(dated)
    elsewhere = "It works fine on Colab, but on my own server I get:\n" + line
    assert "LOG386" not in finding_codes(elsewhere)
    loaded = "Google Colab\nSuccessfully opened dynamic library libcudnn.so.8\n" + line
    assert "LOG386" not in finding_codes(loaded)


# --- the twins in a listing's rows and the writer's words --------------------------------------------------------------


@pytest.mark.parametrize("listing", [
    "| tensorflow | 1.14.0 |\n| tensorflow-gpu | 1.14.0 |\n",                                     # a table, rows by name
    "tensorflow                1.14.0                   pypi_0    pypi\ntensorflow-gpu            1.14.0                   pypi_0    pypi\n",
    "I have tensorflow 1.14.0 and tensorflow-gpu 1.14.0 installed.\n",
])
def test_tensorflow_twins_in_a_listing_or_words(listing: str) -> None:
    assert "LOG133" in finding_codes("The GPU is not used.\n" + listing)


@pytest.mark.parametrize("listing", [
    "onnxruntime               1.16.3                   pypi_0    pypi\nonnxruntime-gpu           1.16.3                   pypi_0    pypi\n",
    "I have both onnxruntime 1.16.3 and onnxruntime-gpu 1.16.3 installed.\n",
])
def test_onnxruntime_twins_in_a_listing_or_words(listing: str) -> None:
    log = "onnxruntime runs on the CPU only.\n" + listing
    assert first_cause(log) == "FRAMEWORK_INSTALL_BROKEN"
    assert "LOG160" in finding_codes(log)


@pytest.mark.parametrize("words", [
    "I don't have tensorflow and tensorflow-gpu installed.\n",                 # negated
    "I'm trying to install tensorflow-gpu 1.14.0 and tensorflow 1.14.0.\n",     # wanted, not there
    "- TensorFlow 1.14.0\n- tensorflow-gpu 1.14.0 was removed\n",                # the framework named, and a build taken away
])
def test_twins_not_said_installed_are_not_read(words: str) -> None:
    assert "LOG133" not in finding_codes("The GPU is not used.\n" + words)


def test_kaggles_image_is_read_like_colabs() -> None:
    line = "Could not load library libcudnn_ops_infer.so.8. Error: libcudnn_ops_infer.so.8: cannot open shared object file: No such file or directory\n"
    log = "Running the notebook on Kaggle with a P100.\n/kaggle/working/run.py\n" + line
    assert first_cause(log) == "CUDNN_MISMATCH"
    assert "LOG386" in finding_codes(log)
    # Dated on a day Kaggle's image (Colab's of December 2024) carried cuDNN 8: quiet.
    dated = "Kaggle notebook\n2025-02-10 08:00:01.000001: I tensorflow/core/platform/cpu_feature_guard.cc:182] start\n" + line
    assert "LOG386" not in finding_codes(dated)
