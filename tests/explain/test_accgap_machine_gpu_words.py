"""accgap (session 34): the machine's GPU as the report states it, in forms the blind experts read and whygpu did not.

Each reading has a case where it speaks and one where it stays quiet. Real lines carry their public source.
"""

from __future__ import annotations

from log_text import codes, facts, first_cause
from whygpu.explain import hwstated, reported, statements

# --- macOS's own listing of the GPUs (system_profiler SPDisplaysDataType) ------------------------------------------------

# https://github.com/genmoai/mochi/issues/74 (shortened)
_MAC_LISTING = """I am trying to run Mochi on my Mac. Getting the below error:
AssertionError: Torch not compiled with CUDA enabled
Graphics/Displays:

    Apple M3 Max:

      Chipset Model: Apple M3 Max
      Type: GPU
      Bus: Built-In
      Total Number of Cores: 40
      Vendor: Apple (0x106b)
      Metal Support: Metal 3
"""


def test_mac_listing_of_apple_gpu_is_gpu_not_supported() -> None:
    assert [s.value for s in facts(_MAC_LISTING).stated_gpu_vendor] == ["apple"]
    assert first_cause(_MAC_LISTING) == "GPU_NOT_SUPPORTED"


def test_mac_listing_with_an_nvidia_gpu_says_nothing() -> None:
    # A MacBook Pro with Intel graphics and an NVIDIA GPU lists both: no maker decided.
    listing = """Graphics/Displays:
    Intel Iris Pro:
      Chipset Model: Intel Iris Pro
      Vendor: Intel
    NVIDIA GeForce GT 750M:
      Chipset Model: NVIDIA GeForce GT 750M
      Vendor: NVIDIA (0x10de)
"""
    assert list(hwstated.hardware_statements(listing.splitlines())) == []


def test_vendor_row_without_a_chipset_row_says_nothing() -> None:
    assert list(hwstated.hardware_statements(["Vendor: Apple (0x106b)", "Model: iPhone"])) == []


# --- an Apple M-series chip named in the writer's words ----------------------------------------------------------------

def test_chip_named_alone_by_its_tier() -> None:
    # https://github.com/kijai/ComfyUI-LivePortraitKJ/issues/31
    log = " Torch not compiled with CUDA enabled\n\ni have a M3 Pro , how can I solve it?"
    assert first_cause(log) == "GPU_NOT_SUPPORTED"
    assert reported.apple_silicon("because my M3 pro does not have cuda, is there a good solution")


def test_machine_where_it_failed_and_a_line_naming_the_mac() -> None:
    # https://github.com/h2oai/h2ogpt/issues/1078 (title)
    assert reported.apple_silicon('Latest code causing failure with error : "Torch not compiled with CUDA enabled" on Apple Silicon M1 Max')
    # https://github.com/Comfy-Org/ComfyUI/issues/6719 (an environment list's row)
    assert reported.apple_silicon("Mac mini M4")


def test_chip_words_that_stay_quiet() -> None:
    for text in ("It works fine on Apple Silicon M1 Max.", "Does it run on an M2 Max?", "I bought 2 M2 screws",
                 "The M1 Max chip is fast, my PC has an RTX 3090", "do you have a M3 Pro?"):
        assert not reported.apple_silicon(text), text


def test_nvidia_said_absent_is_no_second_machine() -> None:
    # https://github.com/RUC-NLPIR/FlashRAG/issues/49
    assert reported.apple_silicon("Btw, I am running on M2 Max chip MacOS 14.5, don't think I have Nvidia GPU in my mac.")
    assert not reported.apple_silicon("I am running on M2 Max chip and on my desktop with an Nvidia GPU.")


# --- another maker's GPU in the writer's words ----------------------------------------------------------------------

def test_amd_hardware_both_cpu_and_gpu() -> None:
    # https://github.com/RVC-Project/Retrieval-based-Voice-Conversion-WebUI/issues/579 (the sentence's first clauses)
    said = hwstated.machine_gpu_said("more how the software is written, but I run on AMD hardware, both CPU and GPU, "
                                     "and there's no way for me to run the Cuda code that RVC uses")
    assert said is not None and said[0] == "amd"
    for text in ("I run on AMD hardware", "If I run on AMD hardware, both CPU and GPU, will it work?",
                 "I have an AMD card and an RTX 3060", "I have an AMD Radeon RX 580 and an Intel iGPU"):
        assert hwstated.machine_gpu_said(text) is None, text


def test_intel_graphics_with_registered_marks() -> None:
    # https://github.com/lllyasviel/Fooocus/issues/2007
    said = hwstated.machine_gpu_said("Not work with other GPU.  My laptop used Intel(R) Irish(R) Xe Graphics")
    assert said is not None and said[0] == "intel-integrated"
    assert hwstated.machine_gpu_said("my laptop used Intel(R) Iris(R) Xe Graphics before I bought the RTX 4090") is None


# --- no GPU: the machine named where it ran, an aside ----------------------------------------------------------------

def test_machine_without_gpu_where_it_ran() -> None:
    # https://github.com/tensorflow/tensorflow/issues/37689
    said = hwstated.machine_gpu_said('on a machine *without* a GPU, the following code emits "error:  failed call to cuInit: UNKNOWN ERROR".')
    assert said is not None and said[0] == "none"
    # https://github.com/facebookresearch/detectron2/issues/1416
    log = ("Configure Detectron2 environment on a computer without GPU graphics card. After the configuration is OK, run the following code.\n"
           "AssertionError: Torch not compiled with CUDA enabled")
    assert first_cause(log) == "NO_GPU"


def test_machine_without_gpu_that_is_not_this_one() -> None:
    for text in ("Can it run on a machine without a GPU?", "It should also run on a machine without a GPU.",
                 "It works on a machine without a GPU, but on my server it fails.", "The docs say it runs on a laptop without a GPU"):
        assert hwstated.machine_gpu_said(text) is None, text


def test_no_gpu_aside() -> None:
    # https://github.com/CMU-Perceptual-Computing-Lab/openpose/issues/1339
    log = ("I have tried to install openpose via the instruction here (No GPU, CPU only on my PC) and everything is ok\n"
           "Cuda check failed (35 vs. 0): CUDA driver version is insufficient for CUDA runtime version")
    assert first_cause(log) == "NO_GPU"
    assert list(hwstated.hardware_statements(["Which is faster (no GPU, CPU only?) here"])) == []
    assert "NO_GPU" not in codes("I built it with CUDA (the GPU is an RTX 3060) and it works.")


# --- "any of the GPUs" as the object of a negated verb of use -----------------------------------------------------------

def test_any_of_the_gpus_unused() -> None:
    # https://github.com/YoshitakaMo/localcolabfold/issues/102
    assert statements.unused("Despite it continues doing the structure predictions it does not use any of the available GPUs")
    assert not statements.unused("Does it use any of the GPUs?")
    assert not statements.unused("If it does not use any of the GPUs, set the flag.")


# --- a build, an image or a package said CPU-only in the writer's words ------------------------------------------------

def test_image_said_cpu_only() -> None:
    # https://github.com/deepchem/deepchem/issues/490
    log = ("We currently have a docker image. Unfortunately, this docker image is CPU only. It would be great to get a "
           "NVIDIA-DOCKER image so that users can run DeepChem models on the GPU more easily.")
    assert first_cause(log) == "FRAMEWORK_CPU_BUILD"
    for text in ("Is this docker image CPU only?", "If the image is CPU only, use the -gpu tag.",
                 "We provide two images: the default image is CPU only and the -gpu image has CUDA."):
        assert not statements.cpu_build(text), text


def test_package_said_built_without_gpu() -> None:
    # https://github.com/BlazingDB/blazingsql/issues/1127
    assert statements.cpu_build("Docker image does not seem to have XGBoost that was compiled with GPU support")
    # https://github.com/rnakato/ShortCake/issues/14
    assert statements.cpu_build("The jaxlib isn't GPU enabled. I am not 100% sure")
    assert statements.cpu_build("Images are built with tensorflow and not tensorflow-gpu.")
    assert statements.cpu_build("I found that tensorflow is called for training instead of tensorflow-gpu.")
    for text in ("You should install tensorflow and not tensorflow-gpu", "If tensorflow is loaded instead of tensorflow-gpu, reinstall.",
                 "Make sure the image does not have XGBoost compiled with GPU support?", "Is the jaxlib GPU enabled?"):
        assert not statements.cpu_build(text), text


# --- the run said to end in an error ---------------------------------------------------------------------------------

def test_trouble_said_with_error() -> None:
    # https://github.com/StanfordVL/GibsonSim2RealChallenge/issues/3
    log = 'Hi, I tried to run the docker in a server without GPU, but with error "Unable to initialize EGL". '
    assert statements.trouble_said(log)
    assert first_cause(log) == "NO_GPU"
    for text in ("If it fails with an error, retry.", "Does it fail with an error?", "It never fails with an error."):
        assert not statements.trouble_said(text), text
